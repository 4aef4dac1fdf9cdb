"""The audit trail as /audit shows it: dates by the catalog in the configured zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.i18n import Catalog
from bot.privacy.models import AuditLine, AuditPage
from cogs.privacy._render import audit_embed

PARIS = ZoneInfo("Europe/Paris")


def test_each_line_says_when_in_paris_time_who_and_what(catalog: Catalog) -> None:
    page = AuditPage(
        [
            AuditLine(2, datetime(2026, 12, 1, 14, 5, tzinfo=UTC), "erased", "privacy.erase", "1"),
            AuditLine(
                1, datetime(2026, 7, 1, 22, 30, tzinfo=UTC), "discord:42", "privacy.export", "R_1"
            ),
        ],
        total=2,
    )
    fr = audit_embed(catalog, page, 0, PARIS, "fr")
    assert fr.description == (
        "2 entrées, de la plus récente à la plus ancienne. Heure de Paris.\n\n"
        "**1er déc. 2026 à 15:05** — personne effacée — effacement — 1 personne effacée\n"
        "**2 juil. 2026 à 00:30** — <@42> — données exportées — R\\_1"
    )
    en = audit_embed(catalog, page, 0, PARIS, "en")
    assert en.description is not None
    assert en.description.splitlines()[2] == (
        "**Dec 1, 2026, 15:05** — erased person — erasure — 1 person erased"
    )
    assert fr.footer.text is None


def test_an_empty_trail_says_so(catalog: Catalog) -> None:
    embed = audit_embed(catalog, AuditPage([], 0), 0, PARIS, "fr")
    assert embed.description is not None
    assert embed.description.endswith("Rien au journal pour ces critères.")


def test_text_from_outside_in_the_trail_is_shown_literally(catalog: Catalog) -> None:
    hostile = "Le Monde](https://evil.example/outlet) [x @everyone"
    page = AuditPage(
        [AuditLine(1, datetime(2026, 7, 1, 8, 0, tzinfo=UTC), hostile, "roster.add", hostile)],
        total=1,
    )
    description = audit_embed(catalog, page, 0, PARIS, "fr").description or ""
    assert "](" not in description.replace("\\]", "").replace("\\[", "")
    assert "@everyone" not in description
