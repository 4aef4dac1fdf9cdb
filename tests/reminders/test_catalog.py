from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.i18n import LOCALES, Catalog
from bot.reminders.models import DeliveryChannel, FailureReason, SkipReason, Tier
from bot.schedule import CRON_FIELDS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "bot" / "schedule.py", *sorted((ROOT / "bot" / "reminders").glob("*.py"))]
CAT = Catalog.load()


def test_every_literal_key_used_in_the_code_is_in_the_catalog() -> None:
    used: set[str] = set()
    for path in SOURCES:
        used |= set(
            re.findall(r'"((?:reminders|schedule)\.[a-z_.]+[a-z_])"', path.read_text("utf-8"))
        )
    assert len(used) > 30
    assert sorted(k for k in used if not CAT.has(k)) == []


@pytest.mark.parametrize(
    "key",
    [
        *(f"reminders.tier.{t}" for t in Tier),
        *(f"reminders.template.{t}" for t in Tier),
        *(f"reminders.skip.{r}" for r in SkipReason),
        *(f"reminders.failure.{r}" for r in FailureReason),
        *(f"reminders.skip_count.{r}" for r in SkipReason),
        *(f"reminders.failure_count.{r}" for r in FailureReason),
        *(f"reminders.channel.{c}" for c in DeliveryChannel),
        *(f"schedule.bad_{f}" for f in CRON_FIELDS),
    ],
)
def test_every_closed_value_has_its_sentence(key: str) -> None:
    assert CAT.has(key)


@pytest.mark.parametrize(
    ("key", "fr", "en"),
    [
        ("reminders.button.registered", "Je suis inscrit·e", "I've registered"),
        ("reminders.button.snooze", "Me le rappeler demain", "Remind me tomorrow"),
    ],
)
def test_the_nudge_buttons(key: str, fr: str, en: str) -> None:
    assert (CAT.t(key, "fr"), CAT.t(key, "en")) == (fr, en)
    assert all(len(CAT.raw(key, loc)) <= 80 for loc in LOCALES)  # Discord's button label limit


def test_every_key_has_the_same_placeholders_in_both_languages() -> None:
    keys = [k for k in CAT.keys() if k.startswith(("reminders.", "schedule."))]
    assert keys
    assert [k for k in keys if CAT.placeholders(k, "fr") != CAT.placeholders(k, "en")] == []


@pytest.mark.parametrize(
    ("key", "params", "fr"),
    [
        (
            "reminders.no_deadline",
            {},
            "Aucune échéance d'inscription n'est fixée\u00a0: les étapes des relances se comptent à partir d'elle. Renseignez REGISTRATION_DEADLINE (par exemple 2026-12-31) puis redémarrez le bot.",
        ),
        (
            "reminders.empty_roster",
            {},
            "La liste des responsables est vide\u00a0: il n'y a personne à relancer. Importez-la d'abord (/roster importer).",
        ),
        (
            "schedule.quiet_time",
            {"value": "25:00"},
            "«\u00a025:00\u00a0» n'est pas une heure\u00a0: écrivez HH:MM, entre 00:00 et 23:59\u202f; exemple\u00a0: «\u00a021:00-08:30\u00a0»",
        ),
        (
            "schedule.never",
            {"text": "0 0 30 2 *"},
            "«\u00a00 0 30 2 *\u00a0» ne tombe jamais (comme un 30 février)\u00a0: vérifiez le jour et le mois\u202f; exemple\u00a0: «\u00a00 9 1 * *\u00a0» (le 1er de chaque mois à 9:00)",
        ),
    ],
)
def test_organiser_errors_read_as_written(key: str, params: dict[str, str], fr: str) -> None:
    assert CAT.t(key, "fr", **params) == fr
