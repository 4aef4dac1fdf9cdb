"""Digest presenters: Markdown, and embed pages that respect Discord's limits."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.i18n import Catalog
from bot.news.digest import (
    ArticleRef,
    Digest,
    DigestFigure,
    DigestQuote,
    DigestStory,
    OutletTone,
    TimelineDay,
)
from bot.news.language import Language
from bot.news.models import Tone, ToneLabel
from bot.news.render import (
    DESCRIPTION_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FIELDS_LIMIT,
    FOOTER_LIMIT,
    MESSAGE_LIMIT,
    TITLE_LIMIT,
    digest_markdown,
    digest_pages,
)

CATALOG = Catalog.load()
NEUTRAL = Tone(ToneLabel.NEUTRAL, 0.0, ())
START = datetime(2026, 3, 1, tzinfo=UTC)
END = datetime(2026, 3, 8, tzinfo=UTC)


def _ref(i: int) -> ArticleRef:
    return ArticleRef(
        i,
        f"Titre {i}",
        f"Média {i % 7}",
        f"https://media{i % 7}.example/a/{i}",
        date(2026, 3, 1 + i % 7),
    )


def _digest(n: int) -> Digest:
    refs = [_ref(i) for i in range(n)]
    return Digest(
        start=START,
        end=END,
        source=None,
        articles=n,
        outlets=tuple(sorted({r.outlet or "" for r in refs})),
        language=Language.FR,
        summary=tuple(["Une phrase de résumé assez longue pour remplir la page."] * 20),
        tone=Tone(ToneLabel.NEGATIVE, -1.5, ("fait un flop", "ratage général")),
        timeline=tuple(TimelineDay(date(2026, 3, 1 + d), n // 7, ("Titre",)) for d in range(7)),
        stories=tuple(
            DigestStory(i + 1, (r.outlet or "",), (r,), ("Résumé du sujet " * 30,))
            for i, r in enumerate(refs)
        ),
        figures=tuple(
            DigestFigure(1500 + i, f"{1500 + i} inscrits", r) for i, r in enumerate(refs)
        ),
        quotes=tuple(DigestQuote("Une citation " * 20, "Guy Birenbaum", r) for r in refs),
        tones=tuple(
            OutletTone(f"Média {i}", ToneLabel.NEGATIVE, 3, ("fait un flop",), -1.0)
            for i in range(7)
        ),
    )


@pytest.mark.parametrize("locale", ["fr", "en"])
@pytest.mark.parametrize("size", [1, 40, 1000])
def test_every_page_respects_discord_limits(size: int, locale: str) -> None:
    pages = digest_pages(CATALOG, _digest(size), locale)  # type: ignore[arg-type]
    for page in pages:
        assert len(page.title) <= TITLE_LIMIT
        assert len(page.description) <= DESCRIPTION_LIMIT
        assert len(page.fields) <= FIELDS_LIMIT
        assert all(
            len(f.name) <= FIELD_NAME_LIMIT and len(f.value) <= FIELD_VALUE_LIMIT
            for f in page.fields
        )
        assert len(page.footer) <= FOOTER_LIMIT
        assert page.size() <= MESSAGE_LIMIT


def test_pages_are_numbered() -> None:
    pages = digest_pages(CATALOG, _digest(40), "fr")
    assert [p.footer for p in pages[:2]] == [f"Page 1/{len(pages)}", f"Page 2/{len(pages)}"]


def test_nothing_is_lost_across_pages() -> None:
    pages = digest_pages(CATALOG, _digest(40), "en")
    text = "\n".join(f.value for p in pages for f in p.fields)
    assert all(f"**{1500 + i:,}**".replace(",", "\u202f") in text for i in range(40))


def test_markdown_has_every_section_and_link() -> None:
    markdown = digest_markdown(CATALOG, _digest(3), "fr")
    for heading in (
        "# Revue de presse",
        "## Résumé",
        "## Chronologie",
        "## Sujets",
        "## Chiffres cités",
        "## Citations",
        "## Ton par média",
    ):
        assert heading in markdown
    assert "[Média 1](https://media1.example/a/1)" in markdown


def test_empty_digest_is_one_page_saying_so() -> None:
    empty = Digest(START, END, None, 0, (), Language.FR, (), NEUTRAL, (), (), (), (), ())
    pages = digest_pages(CATALOG, empty, "en")
    assert len(pages) == 1 and pages[0].description.endswith("No articles in this period.")
