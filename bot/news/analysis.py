"""One article's analysis, and the analysis of a set of articles on one or several stories."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.news.entities import find_entities
from bot.news.figures import find_figures
from bot.news.grouping import Signature, group, signature
from bot.news.language import Language
from bot.news.models import Analysis, Document, Figure, Quote, Tone, ToneLabel
from bot.news.quotes import find_quotes
from bot.news.sentences import split_sentences
from bot.news.summarise import summarise, summarise_many
from bot.news.tone import tone

ARTICLE_WORDS = 60
DIGEST_WORDS = 120
MAX_WORDS_LIMIT = 1000


def analyse(document: Document, max_words: int = ARTICLE_WORDS) -> Analysis:
    sentences = split_sentences(document.text)
    entities = find_entities(document.text, document.author)
    return Analysis(
        language=document.language,
        sentences=tuple(sentences),
        summary=tuple(summarise(sentences, document.language, max_words, document.title)),
        figures=tuple(find_figures(sentences, document.language)),
        quotes=tuple(find_quotes(document.text, entities.people)),
        entities=entities,
        tone=tone(sentences, document.title),
    )


@dataclass(frozen=True)
class SetAnalysis:
    """A set of articles: its groups of copies, one summary, and the tone overall."""

    groups: list[list[int]]  # indices into the articles, copies together
    summary: list[str]
    language: Language
    tone: Tone


def analyse_set(
    documents: Sequence[Document],
    analyses: Sequence[Analysis],
    max_words: int = DIGEST_WORDS,
    signatures: Sequence[Signature] | None = None,
) -> SetAnalysis:
    sigs = list(signatures) if signatures is not None else [signature(d.text) for d in documents]
    groups = group(sigs)
    language = majority_language(documents)
    # One article per group (the longest), so that copies do not crowd the summary out.
    leads = [max(members, key=lambda i: len(analyses[i].sentences)) for members in groups]
    summary = summarise_many(
        [analyses[i].sentences for i in leads],
        language,
        max_words,
        [documents[i].title for i in leads],
    )
    return SetAnalysis(groups, summary, language, overall_tone([analyses[i].tone for i in leads]))


def story_summary(
    documents: Sequence[Document], analyses: Sequence[Analysis], max_words: int
) -> list[str]:
    """A multi-article summary of copies of one story (their sentences, no repeats)."""
    language = majority_language(documents)
    return summarise_many(
        [a.sentences for a in analyses], language, max_words, [d.title for d in documents]
    )


def majority_language(documents: Sequence[Document]) -> Language:
    counts = Counter(d.language for d in documents)
    return Language.EN if counts[Language.EN] > counts[Language.FR] else Language.FR


def overall_tone(tones: Sequence[Tone]) -> Tone:
    """The label most articles share (ties: neutral), with their strongest evidence."""
    if not tones:
        return Tone(ToneLabel.NEUTRAL, 0.0, ())
    counts = Counter(t.label for t in tones)
    top = counts.most_common()
    label = top[0][0] if len(top) == 1 or top[0][1] > top[1][1] else ToneLabel.NEUTRAL
    evidence: list[str] = []
    for t in tones:
        if t.label == label:
            evidence.extend(e for e in t.evidence[:2] if e not in evidence)
    score = round(sum(t.score for t in tones) / len(tones), 2)
    return Tone(label, score, tuple(evidence[:5]))


def unique_figures(per_article: Sequence[Sequence[Figure]]) -> list[tuple[int, Figure]]:
    """Figures with the index of the first article quoting them; the same figure once."""
    seen: set[tuple[float, str]] = set()
    found: list[tuple[int, Figure]] = []
    for index, figures in enumerate(per_article):
        for figure in figures:
            key = (figure.value, figure.text.lower())
            if key not in seen:
                seen.add(key)
                found.append((index, figure))
    return found


def unique_quotes(per_article: Sequence[Sequence[Quote]]) -> list[tuple[int, Quote]]:
    """Attributed quotations with the index of the first article quoting them."""
    seen: set[str] = set()
    found: list[tuple[int, Quote]] = []
    for index, quotes in enumerate(per_article):
        for quote in quotes:
            key = " ".join(quote.text.lower().split())[:80]
            if quote.speaker and key not in seen:
                seen.add(key)
                found.append((index, quote))
    return found
