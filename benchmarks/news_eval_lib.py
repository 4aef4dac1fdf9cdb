"""ROUGE, baselines and data loading for ``news_eval.py`` (kept apart to stay readable)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.news.sentences import split_sentences
from bot.news.summarise import terms, truncate_words

_UNICODE_TOKEN = re.compile(r"\w+")
_ASCII_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def unicode_tokens(text: str) -> list[str]:
    """NFKC, lower case, ``\\w+``, no stemmer: accented words stay whole."""
    return _UNICODE_TOKEN.findall(unicodedata.normalize("NFKC", text).lower())


def ascii_tokens(text: str) -> list[str]:
    """rouge-score's default tokenizer (lower case, ``[a-z0-9]+``), for published numbers."""
    return [t for t in _ASCII_NON_ALNUM.split(text.lower()) if t]


Tokenizer = Callable[[str], list[str]]


def _f1(overlap: int, cand: int, ref: int) -> float:
    if not overlap or not cand or not ref:
        return 0.0
    p, r = overlap / cand, overlap / ref
    return 2 * p * r / (p + r)


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge(candidate: str, reference: str, tokenize: Tokenizer) -> tuple[float, float, float]:
    """ROUGE-1, ROUGE-2 and ROUGE-L F1 (in %) of one candidate against one reference."""
    c, r = tokenize(candidate), tokenize(reference)
    scores = []
    for n in (1, 2):
        cn, rn = _ngrams(c, n), _ngrams(r, n)
        scores.append(_f1(sum((cn & rn).values()), sum(cn.values()), sum(rn.values())))
    scores.append(_f1(_lcs(c, r), len(c), len(r)))
    return tuple(100 * s for s in scores)  # type: ignore[return-value]


def rouge_multi(
    candidate: str, references: Sequence[str], tokenize: Tokenizer
) -> tuple[float, ...]:
    """Mean of the scores against each reference."""
    rows = [rouge(candidate, ref, tokenize) for ref in references]
    return tuple(sum(col) / len(rows) for col in zip(*rows, strict=True))


@dataclass
class Table:
    rows: dict[str, list[tuple[float, ...]]]

    def add(self, system: str, scores: tuple[float, ...]) -> None:
        self.rows.setdefault(system, []).append(scores)

    def mean(self, system: str) -> tuple[float, ...]:
        rows = self.rows[system]
        return tuple(sum(col) / len(rows) for col in zip(*rows, strict=True))


# --- baselines -----------------------------------------------------------------------------


def lead(sentences: Sequence[str], k: int, max_words: int) -> str:
    return truncate_words(" ".join(sentences[:k]), max_words)


def lexrank(
    articles: Sequence[Sequence[str]], language: str, max_words: int, threshold: float = 0.1
) -> str:
    """LexRank (Erkan & Radev 2004): TF-IDF cosine graph, threshold, PageRank; top sentences."""
    sentences = [s for doc in articles for s in doc]
    if not sentences:
        return ""
    toks = [terms(s, language) for s in sentences]
    df: Counter[str] = Counter()
    for t in toks:
        df.update(set(t))
    n = len(sentences)
    idf = {w: math.log(n / c) for w, c in df.items()}
    vocab = {w: i for i, w in enumerate(df)}
    matrix = np.zeros((n, len(vocab)))
    for i, t in enumerate(toks):
        for w, c in Counter(t).items():
            matrix[i, vocab[w]] = c * idf[w]
    norms = np.linalg.norm(matrix, axis=1)
    norms[norms == 0] = 1.0
    unit = matrix / norms[:, None]
    sim = unit @ unit.T
    adj = (sim > threshold).astype(float)
    degree = adj.sum(axis=1)
    degree[degree == 0] = 1.0
    transition = adj / degree[:, None]
    scores = np.ones(n) / n
    for _ in range(100):
        new = 0.15 / n + 0.85 * transition.T @ scores
        if np.abs(new - scores).sum() < 1e-6:
            break
        scores = new
    ranked = sorted(range(n), key=lambda i: -scores[i])
    chosen: list[int] = []
    words = 0
    for i in ranked:
        if len(toks[i]) < 3:
            continue
        chosen.append(i)
        words += len(sentences[i].split())
        if words >= max_words:
            break
    return truncate_words(" ".join(sentences[i] for i in sorted(chosen)), max_words)


# --- data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    name: str
    articles: list[list[str]]  # sentences of each article
    titles: list[str]
    references: list[str]
    language: str
    extra: dict[str, str]


def load_orangesum(root: Path) -> list[Item]:
    base = root / "orangesum"
    docs = (base / "source_documents.txt").read_text("utf-8").splitlines()
    gold = (base / "gold.txt").read_text("utf-8").splitlines()
    barthez = (base / "barthez.txt").read_text("utf-8").splitlines()
    mbarthez = (base / "mbarthez.txt").read_text("utf-8").splitlines()
    return [
        Item(
            f"orangesum-{i:03d}",
            [split_sentences(d)],
            [""],
            [g],
            "fr",
            {"BARThez": b, "mBARThez": m},
        )
        for i, (d, g, b, m) in enumerate(zip(docs, gold, barthez, mbarthez, strict=True))
    ]


def _read(path: Path) -> str:
    return path.read_text("utf-8-sig").replace("\r\n", "\n")


# A line of RPM2's documents that stops inside a sentence (no closing punctuation) and the next
# one that goes on in lower case ("... Sarkozy avait dévoilé les détails du" / "plan de
# sauvetage des banques françaises."): one sentence, not a fragment and a headless tail.
_WRAPPED = re.compile(r"(?<![.!?…:;»\"”)\s])[ \t]*\n(?=[«“\"]?\s?[a-zà-ÿœ])")


def unwrap(text: str) -> str:
    """``text`` with the line breaks that cut a sentence in two (hard-wrapped lines) removed."""
    return _WRAPPED.sub(" ", text)


def load_rpm2(root: Path) -> list[Item]:
    base = root / "rpm2"
    items = []
    clusters = sorted({p.name[:6] for p in (base / "documents").glob("T*_C*_*.txt")})
    for cluster in clusters:
        articles, titles = [], []
        for path in sorted((base / "documents").glob(f"{cluster}_*.txt")):
            head, _, body = _read(path).strip().partition("\n")
            titles.append(head.strip())
            articles.append(split_sentences(unwrap(body)))
        refs = [_read(p).strip() for p in sorted((base / "references").glob(f"{cluster}_A*.txt"))]
        items.append(Item(cluster, articles, titles, refs, "fr", {}))
    return items


def load_bbc(root: Path) -> list[Item]:
    base = root / "bbc"
    items = []
    for path in sorted((base / "article").glob("*/*.txt")):
        head, _, body = _read(path).strip().partition("\n")
        ref = _read(base / "summary" / path.parent.name / path.name).strip()
        items.append(
            Item(
                f"bbc-{path.parent.name}-{path.stem}",
                [split_sentences(body)],
                [head.strip()],
                [ref],
                "en",
                {},
            )
        )
    return items
