"""An officer sees only their own data; small departments are hidden from public aggregates."""

from __future__ import annotations

import json

from bot.i18n import Catalog
from bot.registration.models import OfficerStatus
from bot.registration.service import RegistrationService
from cogs.registration import _render as render
from tests.registration.conftest import roster_bytes, signups_bytes

EMMA = 123456789012345678


async def _probable_emma(service: RegistrationService) -> None:
    await service.import_roster(
        roster_bytes(f"R1;Emma;Rousseau;75;emma@x.fr;{EMMA}"), "r.csv", "cli", apply=True
    )
    await service.import_signups(
        signups_bytes("S1,Emma Rousseaux,emma.r75@gmail.com,75011,2010-02-01 10:00"), "s.csv", "cli"
    )
    organiser_view = await service.status_officer("R1")
    assert organiser_view.officer.status is OfficerStatus.PROBABLE
    assert organiser_view.evidence is not None


def _text(embed: object) -> str:
    return json.dumps(embed.to_dict(), ensure_ascii=False)  # type: ignore[attr-defined]


async def test_own_status_on_a_probable_match_hides_the_candidate(
    service: RegistrationService, catalog: Catalog
) -> None:
    await _probable_emma(service)
    mine = await service.status_member(EMMA)
    assert mine.evidence is None
    for locale in ("fr", "en"):
        shown = _text(render.officer_embed(catalog, mine, locale))
        assert "emma.r75" not in shown and "Rousseaux" not in shown
        assert catalog.t("reg.ui.own_evidence.probable", locale) in shown


async def test_declaring_answers_without_the_candidate(service: RegistrationService) -> None:
    await _probable_emma(service)
    declaration = await service.declare_registered(EMMA)
    assert declaration.officer.evidence is None


async def test_public_progress_hides_departments_with_few_officers(
    service: RegistrationService, catalog: Catalog
) -> None:
    rows = [f"R{i};Anne;Nom{i};56;;" for i in range(5)] + ["R9;Luc;Roy;92;;"]
    await service.import_roster(roster_bytes(*rows), "r.csv", "cli", apply=True)
    progress = await service.progress()
    assert [d.department.code for d in progress.departments] == ["56"]
    assert [d.department.code for d in progress.behind] == ["56"]
    assert progress.hidden_departments == 1
    assert progress.counts.total == 6  # the totals still count everyone
    for locale in ("fr", "en"):
        shown = _text(render.progress_embed(catalog, progress, locale))
        assert "Hauts-de-Seine" not in shown
        assert catalog.t("reg.ui.hidden_departments", locale, count=1, minimum=5) in shown


def test_the_public_minimum_is_a_setting_documented_alike() -> None:
    from pathlib import Path

    from bot.config import VARIABLES, Settings

    root = Path(__file__).resolve().parents[2]
    (var,) = [v for v in VARIABLES if v.name == "PUBLIC_MIN_OFFICERS"]
    assert var.default == "5" and Settings().public_min_officers == 5
    assert Settings.from_env({"PUBLIC_MIN_OFFICERS": "3"}, Catalog.load()).public_min_officers == 3
    assert "\nPUBLIC_MIN_OFFICERS=\n" in (root / ".env.example").read_text("utf-8")
    assert "| `PUBLIC_MIN_OFFICERS` | `5` |" in (root / "README.md").read_text("utf-8")
