"""``python -m bot digest`` and ``/news synthese`` are one digest: same stories, leads, summary."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.clock import FixedClock, SystemClock
from bot.config import Settings
from bot.news.digest import Digest
from bot.news.service import NewsService
from bot.news.text import load_document
from tests.news.conftest import DEMO


def demo_files() -> list[Path]:
    """The demo articles in the order the service loads them."""
    return sorted(p for p in DEMO.iterdir() if p.suffix in (".txt", ".html"))


async def service_digest(service: NewsService) -> tuple[Digest, dict[int, str]]:
    """The service's digest of the demo articles, and each stored article's file."""
    files = demo_files()
    assert await service.load_demo(DEMO) == len(files)
    names = {}
    for article in await service.all_articles():
        path = files[article.id - 1]  # stored one by one, in this order
        assert article.document == load_document(path.read_bytes(), path.name)
        names[article.id] = str(path)
    return await service.digest("7d"), names


async def cli_digest(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, clock: FixedClock
) -> dict[str, object]:
    monkeypatch.setattr(SystemClock, "now", lambda self: clock.now())
    for name in ("LOCALE", "LOG_LEVEL", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TIMEZONE", "Europe/Paris")
    argv = ["--env-file", os.devnull, "digest", *map(str, demo_files())]
    code = await asyncio.to_thread(main, argv)  # main runs its own event loop
    out = capsys.readouterr().out
    assert code == 0
    result: dict[str, object] = json.loads(out)
    return result


async def test_cli_and_service_give_the_same_digest(
    service: NewsService,
    settings: Settings,
    clock: FixedClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert str(settings.timezone) == "Europe/Paris"
    digest, names = await service_digest(service)
    cli = await cli_digest(capsys, monkeypatch, clock)
    groups = [[names[a.id] for a in story.articles] for story in digest.stories]
    assert cli["groups"] == groups
    assert cli["leads"] == [names[story.lead.id] for story in digest.stories]
    assert cli["summary"] == " ".join(digest.summary)
    assert cli["sentences"] == list(digest.summary)
    assert cli["language"] == digest.language
    assert cli["tone"] == {
        "label": digest.tone.label,
        "evidence": list(digest.tone.evidence),
        "score": digest.tone.score,
        "per_outlet": {
            t.outlet or "?": {"label": t.label, "evidence": list(t.evidence), "score": t.score}
            for t in digest.tones
        },
    }
    assert cli["figures"] == [
        {"value": f.value, "text": f.text, "source": names[f.article.id]} for f in digest.figures
    ]
    assert cli["quotes"] == [
        {"text": q.text, "speaker": q.speaker, "source": names[q.article.id]} for q in digest.quotes
    ]


async def test_the_shared_digest_of_the_demo_articles(service: NewsService) -> None:
    digest, names = await service_digest(service)
    groups = [[Path(names[a.id]).name for a in story.articles] for story in digest.stories]
    assert groups == [
        ["blog-reprise-gazette.txt", "gazette-du-val-lancement.txt"],
        ["courrier-civique-critiques.html"],
        ["numerique-hebdo-bilan.txt"],
        ["civic-ledger-launch.html"],
    ]
    assert digest.summary[0].startswith("La nouvelle plateforme du parti, Cap Militants")
    assert [t.label for t in digest.tones] == ["neutral", "negative", "positive", "neutral"]
    assert digest.tone.label == "neutral"  # the leads: two neutral, one negative, one positive
