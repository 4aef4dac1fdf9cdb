from __future__ import annotations

import re
from pathlib import Path

from bot.i18n import Catalog

PACKAGE = Path(__file__).resolve().parents[2] / "bot" / "registration"


def test_every_registration_key_has_the_same_placeholders_in_both_languages(
    catalog: Catalog,
) -> None:
    keys = [k for k in catalog.keys() if k.startswith("registration.")]
    assert keys
    for key in keys:
        assert catalog.placeholders(key, "fr") == catalog.placeholders(key, "en"), key


def test_every_literal_key_used_in_the_code_is_in_the_catalog(catalog: Catalog) -> None:
    used = set()
    for path in PACKAGE.glob("*.py"):
        used |= set(re.findall(r'"(registration\.[a-z_.]+[a-z_])"', path.read_text("utf-8")))
    assert used
    assert sorted(k for k in used if not catalog.has(k)) == []


def test_every_reason_status_and_field_has_a_sentence(catalog: Catalog) -> None:
    from bot.registration.models import MatchReason, OfficerStatus, RosterField

    keys = [f"registration.reason.{r}" for r in MatchReason]
    keys += [f"registration.status.{s}" for s in OfficerStatus]
    keys += [f"registration.field.{f}" for f in RosterField]
    assert [k for k in keys if not catalog.has(k)] == []
