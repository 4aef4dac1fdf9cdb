from __future__ import annotations

import re
from pathlib import Path

from bot.i18n import catalog

PACKAGE = Path(__file__).resolve().parents[2] / "bot" / "registration"


def test_every_registration_key_has_the_same_placeholders_in_both_languages() -> None:
    keys = [k for k in catalog().keys() if k.startswith("registration.")]
    assert keys
    for key in keys:
        assert catalog().placeholders(key, "fr") == catalog().placeholders(key, "en"), key


def test_every_literal_key_used_in_the_code_is_in_the_catalog() -> None:
    used = set()
    for path in PACKAGE.glob("*.py"):
        used |= set(re.findall(r'"(registration\.[a-z_.]+[a-z_])"', path.read_text("utf-8")))
    assert used
    assert sorted(k for k in used if not catalog().has(k)) == []


def test_every_reason_and_status_has_a_sentence() -> None:
    from bot.registration.reconcile import REASONS
    from bot.registration.views import STATUSES

    missing = [
        f"registration.reason.{r}" for r in REASONS if not catalog().has(f"registration.reason.{r}")
    ]
    missing += [
        f"registration.status.{s}"
        for s in STATUSES
        if not catalog().has(f"registration.status.{s}")
    ]
    assert missing == []
