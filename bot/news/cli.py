"""``python -m bot summarise`` and ``python -m bot digest``: the analysis as JSON, from files.

The argparse wiring lives with the entry point; these functions take the parsed values, read the
files, and return the JSON text. A missing, binary, non-UTF-8 or empty file raises
:class:`~bot.errors.UserError` naming it; nothing is printed half-way.

``digest`` analyses the files in memory and builds its digest with the very code behind
``/news synthese`` (:func:`bot.news.digest.build_digest`): the same stories, leads, summary and
tone; only the presentation differs.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput, NotFound
from bot.news.analysis import ARTICLE_WORDS, analyse, check_max_words
from bot.news.digest import DIGEST_WORDS, ArticleRef, Digest, build_digest, unsaved_articles
from bot.news.models import Analysis, Document, Tone
from bot.news.text import load_document

MAX_FILE_BYTES = 20_000_000


def read_documents(paths: Sequence[str | Path]) -> list[Document]:
    if not paths:
        raise InvalidInput("news.cli.no_files")
    documents = []
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise NotFound("news.file.missing", name=str(raw))
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InvalidInput("news.file.too_big", name=str(raw), limit=MAX_FILE_BYTES)
        documents.append(load_document(path.read_bytes(), path.name))
    return documents


def number_json(value: float) -> float | int:
    return int(value) if value == int(value) else value


def tone_json(tone: Tone) -> dict[str, Any]:
    return {"label": tone.label, "evidence": list(tone.evidence), "score": tone.score}


def article_json(path: str, document: Document, analysis: Analysis) -> dict[str, Any]:
    return {
        "file": path,
        "title": document.title,
        "outlet": document.outlet,
        "site": document.site_name,
        "author": document.author,
        "date": document.published.isoformat() if document.published else None,
        "language": analysis.language,
        "summary": analysis.summary_text,
        "sentences": list(analysis.summary),
        "figures": [{"value": number_json(f.value), "text": f.text} for f in analysis.figures],
        "quotes": [{"text": q.text, "speaker": q.speaker} for q in analysis.quotes],
        "people": list(analysis.entities.people),
        "organisations": list(analysis.entities.organisations),
        "tone": tone_json(analysis.tone),
    }


def cmd_summarise(paths: Sequence[str | Path], max_words: int = ARTICLE_WORDS) -> str:
    """A JSON array: one object per file, in order."""
    check_max_words(max_words)
    documents = read_documents(paths)
    results = [
        article_json(str(path), document, analyse(document, max_words))
        for path, document in zip(paths, documents, strict=True)
    ]
    return json.dumps(results, ensure_ascii=False, indent=2)


def file_digest(paths: Sequence[str | Path], max_words: int, now: datetime, tz: ZoneInfo) -> Digest:
    """The digest of these files, read as if they had been added at ``now`` in this order."""
    check_max_words(max_words)
    articles = unsaved_articles(read_documents(paths), now)
    return asyncio.run(build_digest(articles, now, now, None, max_words, tz))


def cmd_digest(
    paths: Sequence[str | Path],
    max_words: int = DIGEST_WORDS,
    *,
    now: datetime,
    tz: ZoneInfo,
) -> str:
    """One JSON object for the whole set of files."""
    digest = file_digest(paths, max_words, now, tz)
    names = [str(p) for p in paths]

    def name(article: ArticleRef) -> str:
        return names[article.id - 1]  # the files were numbered from 1 in order

    payload = {
        "files": names,
        "articles": digest.articles,
        "outlets": list(digest.outlets),
        "language": digest.language,
        "summary": " ".join(digest.summary),
        "sentences": list(digest.summary),
        "groups": [[name(a) for a in story.articles] for story in digest.stories],
        "leads": [name(story.lead) for story in digest.stories],
        "figures": [
            {"value": number_json(f.value), "text": f.text, "source": name(f.article)}
            for f in digest.figures
        ],
        "quotes": [
            {"text": q.text, "speaker": q.speaker, "source": name(q.article)} for q in digest.quotes
        ],
        "tone": {
            **tone_json(digest.tone),
            "per_outlet": {
                t.outlet or "?": tone_json(Tone(t.label, t.score, t.evidence)) for t in digest.tones
            },
        },
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)
