"""``python -m bot summarise`` and ``python -m bot digest``: the analysis as JSON, from files.

The argparse wiring lives with the entry point; these functions take the parsed values, read the
files, and return the JSON text. A missing, binary, non-UTF-8 or empty file raises
:class:`~bot.errors.UserError` naming it; nothing is printed half-way.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.errors import InvalidInput, NotFound
from bot.news.analysis import (
    ARTICLE_WORDS,
    DIGEST_WORDS,
    MAX_WORDS_LIMIT,
    analyse,
    analyse_set,
    overall_tone,
    unique_figures,
    unique_quotes,
)
from bot.news.models import Analysis, Document, Figure, Quote, Tone
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


def check_max_words(max_words: int) -> int:
    if not 5 <= max_words <= MAX_WORDS_LIMIT:
        raise InvalidInput("news.max_words.range", low=5, high=MAX_WORDS_LIMIT)
    return max_words


def figure_json(figure: Figure, **extra: Any) -> dict[str, Any]:
    value: float | int = int(figure.value) if figure.value == int(figure.value) else figure.value
    return {"value": value, "text": figure.text, **extra}


def quote_json(quote: Quote, **extra: Any) -> dict[str, Any]:
    return {"text": quote.text, "speaker": quote.speaker, **extra}


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
        "figures": [figure_json(f) for f in analysis.figures],
        "quotes": [quote_json(q) for q in analysis.quotes],
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


def cmd_digest(paths: Sequence[str | Path], max_words: int = DIGEST_WORDS) -> str:
    """One JSON object for the whole set of files."""
    check_max_words(max_words)
    documents = read_documents(paths)
    analyses = [analyse(d) for d in documents]
    names = [str(p) for p in paths]
    result = analyse_set(documents, analyses, max_words)
    figures = unique_figures([a.figures for a in analyses])
    quotes = unique_quotes([a.quotes for a in analyses])
    outlets = sorted({d.outlet for d in documents if d.outlet})
    payload = {
        "files": names,
        "articles": len(documents),
        "outlets": outlets,
        "language": result.language,
        "summary": " ".join(result.summary),
        "sentences": result.summary,
        "groups": [[names[i] for i in members] for members in result.groups],
        "figures": [figure_json(f, source=names[i]) for i, f in figures],
        "quotes": [quote_json(q, source=names[i]) for i, q in quotes],
        "tone": {
            **tone_json(result.tone),
            "per_outlet": _tone_per_outlet(documents, analyses),
        },
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def _tone_per_outlet(documents: Sequence[Document], analyses: Sequence[Analysis]) -> dict[str, Any]:
    by_outlet: dict[str, list[Tone]] = {}
    for document, analysis in zip(documents, analyses, strict=True):
        by_outlet.setdefault(document.outlet or "?", []).append(analysis.tone)
    return {outlet: tone_json(overall_tone(tones)) for outlet, tones in sorted(by_outlet.items())}
