"""Loading files and pages, grouping copies, and the command line's JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.errors import InvalidInput, NotFound, UserError
from bot.news.cli import cmd_digest, cmd_summarise
from bot.news.digest import unsaved_articles
from bot.news.grouping import signature, similarity
from bot.news.sentences import word_count
from bot.news.text import load_document
from tests.news.conftest import ARTICLE_HTML, DEMO, LAUNCH

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")

BODY = "Le parti a lancé son réseau social lundi. Les militants sont invités à s'inscrire vite."


def test_bom_and_crlf_are_tolerated() -> None:
    data = ("\ufeffLe titre du jour\r\n\r\n" + BODY + "\r\n").encode()
    document = load_document(data, "a.txt")
    assert (document.title, document.text) == ("Le titre du jour", BODY)


def test_plain_text_without_headline_keeps_its_first_line() -> None:
    assert load_document(BODY.encode(), "a.txt").text == BODY


def test_html_is_extracted_with_metadata() -> None:
    document = load_document(ARTICLE_HTML.encode(), "page.html")
    assert (document.title, document.outlet, document.author, str(document.published)) == (
        "Cap Militants ouvre ses portes",
        "La Gazette du Val",
        "Jeanne Ferrand",
        "2026-03-02",
    )
    assert document.text.startswith("La nouvelle plateforme du parti")


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"%PDF-1.7 binary", "news.file.binary"),
        (b"\x89PNG\r\n\x1a\n....", "news.file.binary"),
        (b"text\x00with nul bytes", "news.file.binary"),
        ("Le café est très bon et ".encode("cp1252") * 5, "news.file.encoding"),
        (b"   \r\n\r\n  ", "news.article.empty"),
        (b"Trop court.", "news.article.empty"),
        (b"<html><body><nav>Menu</nav></body></html>", "news.article.empty"),
    ],
)
def test_unusable_input_is_refused(data: bytes, key: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_document(data, "f.txt")
    assert caught.value.key == key


def test_copies_join_one_story_and_others_do_not() -> None:
    paths = sorted(DEMO.glob("*.txt"))
    documents = [load_document(path.read_bytes(), path.name) for path in paths]
    stories = {}
    for path, article in zip(paths, unsaved_articles(documents, NOW), strict=True):
        stories.setdefault(article.story_id, []).append(path.name)
    assert list(stories.values()) == [
        ["blog-reprise-gazette.txt", "gazette-du-val-lancement.txt"],
        ["numerique-hebdo-bilan.txt"],
    ]


def test_signature_is_stable_across_runs() -> None:
    assert signature(BODY)[:3] == signature(BODY)[:3]
    assert similarity(signature(BODY), signature(BODY + " Fin.")) > 0.6


def test_summarise_json_shape() -> None:
    result = json.loads(cmd_summarise([LAUNCH], max_words=40))
    assert len(result) == 1
    item = result[0]
    assert {"summary", "sentences", "language", "figures", "quotes", "tone"} <= set(item)
    assert item["summary"] == " ".join(item["sentences"])
    assert item["language"] == "fr"
    assert item["figures"][0] == {"value": 1500, "text": "1 500 inscrits les premiers jours"}
    assert set(item["quotes"][0]) == {"text", "speaker"}
    assert item["tone"]["label"] == "negative"
    assert len(item["summary"].split()) <= 40


def test_summarise_keeps_file_order() -> None:
    files = [DEMO / "numerique-hebdo-bilan.txt", LAUNCH, DEMO / "civic-ledger-launch.html"]
    result = json.loads(cmd_summarise(files))
    assert [r["file"] for r in result] == [str(f) for f in files]
    assert [r["language"] for r in result] == ["fr", "fr", "en"]


def test_digest_json_shape_and_groups() -> None:
    files = sorted(DEMO.glob("*.txt")) + sorted(DEMO.glob("*.html"))
    result = json.loads(cmd_digest(files, max_words=100, now=NOW, tz=PARIS))
    assert {"summary", "groups", "figures", "quotes", "tone"} <= set(result)
    names = [str(f) for f in files]
    assert [names[0], names[1]] in result["groups"]
    assert sorted(n for g in result["groups"] for n in g) == sorted(names)
    *before, last = result["sentences"]
    used = sum(word_count(s) for s in before)
    assert used <= 100 and word_count(last) <= 2 * (100 - used)  # whole sentences, ~100 words
    assert all({"value", "text", "source"} <= set(f) for f in result["figures"])
    assert all(q["speaker"] for q in result["quotes"])
    assert result["tone"]["label"] in ("negative", "neutral", "positive")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFound) as caught:
        cmd_summarise([tmp_path / "nope.txt"])
    assert caught.value.key == "news.file.missing"


def test_binary_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(UserError) as caught:
        cmd_digest([path], now=NOW, tz=PARIS)
    assert (caught.value.key, caught.value.params) == ("news.file.binary", {"name": "image.txt"})


def test_max_words_out_of_range() -> None:
    with pytest.raises(InvalidInput) as caught:
        cmd_summarise([LAUNCH], max_words=0)
    assert caught.value.key == "news.max_words.range"
