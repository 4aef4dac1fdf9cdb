"""Extractive summaries bounded in words, for one article or for a group of articles.

Each sentence gets a score mixing its position (news puts the essentials first), its centrality
(cosine similarity with the text's TF-IDF centroid, stop words removed), its overlap with the
headline, and a penalty for sentences that make poor summary material (very short, questions,
quotations, sentences opening on a connective or a pronoun, leftovers of page code). For several
articles, a sentence also scores for how many articles share its words. Sentences are then picked
best first, skipping near-repeats of those already taken, while they fit in the word budget.
Sentences are never cut: the last one may run past the budget when at least ``overrun`` of it fits
(it ends the summary), a longer one is skipped for the next that fits, and when none fits at all
the best one is taken whole. Sentences in another language than the summary's (an English quotation in a
French article) are left out. They are shown in their original order. The weights were chosen on both halves of the evaluation
data, each half checking the other (see ``benchmarks/news_eval.py``), except two of the
multi-document ones chosen since on its ``dev`` half alone (``benchmarks/rpm2_selection_study.py``,
"Variants"): a slight preference for longer sentences (within a word budget, one long sentence on
the story carries more of it than two short ones, which are often hooks or asides) and a lower
similarity cut between the sentences taken.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import stopwordsiso
import wordfreq

from bot.news.language import written_in
from bot.news.sentences import word_count

_TOKEN = re.compile(r"\w+")
# A sentence opening on a connective or a pronoun leans on the one before it ("Mais il a ...").
_DANGLING = re.compile(
    r"(?:mais|alors|et|pourtant|cependant|or|donc|ainsi|aussi|enfin|il|elle|ils|elles|ce|cette|ces|"
    r"celui|celle|cela|ça|but|and|so|yet|however|he|she|they|it|this|these|those)\b",
    re.IGNORECASE,
)
# Past this many articles (a digest of many stories, not copies of one), each article is read
# as its first LEAD_SENTENCES sentences: its lead, where the position prior puts the winners
# and where the article says what it is about.
MANY_ARTICLES = 20
LEAD_SENTENCES = 5
_JUNK = re.compile(r"window\.|function\s*\(|var |\{|\}|https?://|\bcookies?\b|@\w+\.\w+")
# Press clutter that is no sentence of the story: a photo credit or caption ("(Photo Figaro)",
# "/Photo prise le 17 octobre 2008/REUTERS/…"), a pointer to another article ("Lire aussi :").
_CLUTTER = re.compile(
    r"\((?:photo|crédit photo|photo credit|credit)\b[^)]*\)|/\s*(?:reuters|afp|ap)\s*/|^\W*photo\b"
    r"|^\W*(?:lire|voir) (?:aussi|également)\b|^\W*(?:read|see) (?:more|also)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Weights:
    position: float = 0.55  # weight of the position prior
    decay: float = 0.75  # position prior is 1 / (1 + index) ** decay
    centrality: float = 1.0
    title: float = 0.4
    min_words: int = 6
    overrun: float = 0.5  # a sentence past the budget is taken whole when this share of it fits
    max_similarity: float = 0.5  # skip a sentence this similar to one already taken
    coverage: float = 1.0  # multi-document: weight of how many articles share a sentence's words
    background: float = 0.5  # share of the word's general rarity in its weight
    dangling: float = 0.9  # factor for a sentence opening on a connective or a pronoun
    quote_part: float = 0.5  # factor for a sentence holding only part of a quotation
    length: float = 0.0  # score times (words / 25) ** length: above 0 favours longer sentences


SINGLE = Weights()
MULTI = Weights(
    position=0.4,
    decay=1.0,
    title=0.2,
    overrun=0.6,
    max_similarity=0.3,
    coverage=2.5,
    length=0.1,
)


@cache
def _stopwords(language: str) -> frozenset[str]:
    words = set(stopwordsiso.stopwords(language)) | set(
        stopwordsiso.stopwords("fr" if language == "en" else "en")
    )
    return frozenset(_fold(w) for w in words)


def _fold(word: str) -> str:
    return unicodedata.normalize("NFKC", word).lower()


@lru_cache(maxsize=1 << 16)
def terms(sentence: str, language: str) -> tuple[str, ...]:
    """The words of ``sentence`` that weigh in a summary (folded, no stop words or numbers).
    Kept for the latest sentences: a digest summarises again the leads its articles' own
    summaries have read."""
    stop = _stopwords(str(language))  # one table per language, whether given as text or enum
    return tuple(
        w
        for w in _TOKEN.findall(_fold(sentence))
        if len(w) > 1 and w not in stop and not w.isdigit()
    )


def _vector(tokens: Sequence[str], idf: dict[str, float]) -> dict[str, float]:
    """Log-scaled TF-IDF weights, normalised to unit length (so cosine is a dot product)."""
    return _unit(_weights(tokens, idf))


def _weights(tokens: Sequence[str], idf: dict[str, float]) -> dict[str, float]:
    counts = Counter(tokens)
    return {t: (1 + math.log(c)) * idf.get(t, 1.0) for t, c in counts.items()}


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine similarity of two unit vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def _idf(
    units: Sequence[Sequence[str]], language: str = "fr", background: float = 0.0
) -> dict[str, float]:
    """Inverse frequency within the text, mixed with the word's rarity in the language at large."""
    df: Counter[str] = Counter()
    for unit in units:
        df.update(set(unit))
    n = len(units)
    local = {t: math.log((n + 1) / (c + 0.5)) + 1.0 for t, c in df.items()}
    if not background:
        return local
    rarity = _rarity(str(language))
    return {t: v * (1 - background) + background * rarity.get(t, 6.5) for t, v in local.items()}


def load_word_tables(language: str) -> None:
    """The stop words and word frequencies that summaries in ``language`` read, loaded now
    rather than by the first summary (about a quarter of a second per language)."""
    _stopwords(str(language))
    _rarity(str(language))


@cache
def _rarity(language: str) -> dict[str, float]:
    """8 minus the Zipf frequency of each word: 0 for the commonest words, about 6 for rare ones."""
    freq = wordfreq.get_frequency_dict(language, wordlist="best")
    return {w: max(0.0, -1.0 - math.log10(f)) for w, f in freq.items() if f > 1e-9}


def _quality(sentence: str, weights: Weights, language: str = "fr") -> float:
    """1 for ordinary sentences, less for poor summary material, 0 for unusable ones
    (too short, page code, or in another language than ``language``)."""
    words = word_count(sentence)
    if (
        words < weights.min_words
        or _JUNK.search(sentence)
        or _CLUTTER.search(sentence)
        or not written_in(sentence, language)
    ):
        return 0.0
    factor = 1.0
    if sentence.rstrip().endswith("?"):
        factor *= 0.5
    if not sentence.rstrip("»”\"') ").endswith((".", "!", "…")):
        factor *= 0.6  # an intertitle or a caption
    if sentence.lstrip()[:1] in '«“"':
        factor *= 0.7
    if sentence.count("»") != sentence.count("«") or sentence.count("”") != sentence.count("“"):
        factor *= weights.quote_part  # a quotation begun before it or going on after it
    if _DANGLING.match(sentence.lstrip('«“"-– ')):
        factor *= weights.dangling
    if words > 60:
        factor *= 0.7
    return factor


class _TitleIndex:
    """Headlines' vectors by term, to find the closest headline to a sentence without
    comparing it with every headline (a digest has as many as stories)."""

    def __init__(self, vectors: Sequence[dict[str, float]]) -> None:
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for index, vector in enumerate(vectors):
            for term, value in vector.items():
                self._postings.setdefault(term, []).append((index, value))

    def __bool__(self) -> bool:
        return bool(self._postings)

    def closest(self, vector: dict[str, float]) -> float:
        """The highest cosine between ``vector`` and a headline (0 when none shares a term)."""
        dots: dict[int, float] = {}
        for term, value in vector.items():
            for index, weight in self._postings.get(term, ()):
                dots[index] = dots.get(index, 0.0) + value * weight
        return max(dots.values(), default=0.0)


@dataclass(frozen=True)
class _Candidate:
    sentence: str
    order: tuple[int, int]  # (article, sentence index)
    score: float
    vector: dict[str, float]


def summarise(
    sentences: Sequence[str],
    language: str,
    max_words: int,
    title: str = "",
    weights: Weights = SINGLE,
) -> list[str]:
    """The best sentences of one article, in their order, within ``max_words`` words."""
    return summarise_many([sentences], language, max_words, [title], weights)


def summarise_many(
    articles: Sequence[Sequence[str]],
    language: str,
    max_words: int,
    titles: Sequence[str] = (),
    weights: Weights | None = None,
) -> list[str]:
    """One summary for several articles on one story: central sentences, no repeats."""
    if weights is None:
        weights = SINGLE if len(articles) == 1 else MULTI
    if len(articles) > MANY_ARTICLES:
        articles = [sentences[:LEAD_SENTENCES] for sentences in articles]
    tokens = [[terms(s, language) for s in sentences] for sentences in articles]
    flat = [t for doc in tokens for t in doc]
    if not flat:
        return []
    idf = _idf(flat, language, weights.background)
    raw = [[_weights(t, idf) for t in doc] for doc in tokens]  # once: centroid and vectors
    centroid: dict[str, float] = {}
    doc_freq: Counter[str] = Counter()
    for doc, doc_weights in zip(tokens, raw, strict=True):
        seen: set[str] = set()
        for t, sentence_weights in zip(doc, doc_weights, strict=True):
            for term, value in sentence_weights.items():
                centroid[term] = centroid.get(term, 0.0) + value
            seen.update(t)
        doc_freq.update(seen)
    centroid_vec = _unit(centroid)
    n_docs = len(articles)
    best_title = _TitleIndex([_vector(terms(t, language), idf) for t in titles if t])
    candidates: list[_Candidate] = []
    for a, (sentences, doc) in enumerate(zip(articles, tokens, strict=True)):
        for i, (sentence, toks) in enumerate(zip(sentences, doc, strict=True)):
            quality = _quality(sentence, weights, language)
            if not quality or not toks:
                continue
            vec = _unit(raw[a][i])
            position = 1.0 / (1.0 + i) ** weights.decay
            score = weights.position * position + weights.centrality * _cosine(vec, centroid_vec)
            if best_title:
                score += weights.title * best_title.closest(vec)
            if n_docs > 1:
                shared = sum(doc_freq[t] for t in set(toks)) / (len(set(toks)) * n_docs)
                score += weights.coverage * shared
            if weights.length:
                score *= (word_count(sentence) / 25) ** weights.length
            candidates.append(_Candidate(sentence, (a, i), score * quality, vec))
    return _select(candidates, max_words, weights)


def _select(candidates: list[_Candidate], max_words: int, weights: Weights) -> list[str]:
    chosen: list[_Candidate] = []
    budget = max_words
    ranked = sorted(candidates, key=lambda c: (-c.score, c.order))
    for candidate in ranked:
        words = word_count(candidate.sentence)
        fits = words <= budget
        if not fits and (budget < weights.min_words or budget < weights.overrun * words):
            continue
        if any(_cosine(candidate.vector, c.vector) > weights.max_similarity for c in chosen):
            continue
        chosen.append(candidate)
        budget = budget - words if fits else 0
        if budget < weights.min_words:
            break
    if not chosen and ranked:
        chosen.append(ranked[0])  # nothing fits: one whole sentence rather than none
    return [c.sentence for c in sorted(chosen, key=lambda c: c.order)]


def truncate_words(text: str, max_words: int) -> str:
    """``text`` cut after ``max_words`` words, marked with an ellipsis when cut."""
    matches = list(_TOKEN.finditer(text))
    if len(matches) <= max_words:
        return text
    return text[: matches[max_words - 1].end()].rstrip(" ,;:") + " …"
