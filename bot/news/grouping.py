"""Copies and near-copies (syndication, reposts): MinHash signatures of word shingles.

Each article gets a stable signature (CRC32 of 4-word shingles, 64 MinHash functions with fixed
seeds), so it can be stored and compared later. Two articles whose estimated Jaccard similarity is
at least ``THRESHOLD`` are copies. An article joins the story of the most similar earlier article
it copies, or starts a story of its own: the same rule whether the articles are stored one by one
(the service) or read together (the command line).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Sequence

import numpy as np

SHINGLE = 4
PERMUTATIONS = 64
THRESHOLD = 0.45
_PRIME = (1 << 31) - 1
_RNG = np.random.default_rng(20100215)
_A = _RNG.integers(1, _PRIME, PERMUTATIONS, dtype=np.uint64)
_B = _RNG.integers(0, _PRIME, PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"\w+")

Signature = tuple[int, ...]


def shingles(text: str) -> set[int]:
    words = _WORD.findall(unicodedata.normalize("NFKC", text).lower())
    if len(words) < SHINGLE:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {
        zlib.crc32(" ".join(words[i : i + SHINGLE]).encode())
        for i in range(len(words) - SHINGLE + 1)
    }


def signature(text: str) -> Signature:
    """The MinHash signature of ``text`` (empty text: all maxima)."""
    values = np.fromiter(shingles(text), dtype=np.uint64)
    if values.size == 0:
        return tuple([_PRIME] * PERMUTATIONS)
    hashed = (_A[:, None] * (values[None, :] % np.uint64(_PRIME)) + _B[:, None]) % np.uint64(_PRIME)
    return tuple(int(v) for v in hashed.min(axis=1))


def similarity(a: Signature, b: Signature) -> float:
    if not a or not b:
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def best_match(
    sig: Signature, others: Sequence[Signature], threshold: float = THRESHOLD
) -> int | None:
    """The index of the most similar signature in ``others``, if it is a copy."""
    best, best_score = None, threshold
    for index, other in enumerate(others):
        score = similarity(sig, other)
        if score >= best_score:
            best, best_score = index, score
    return best


def story_of(sig: Signature, earlier: Sequence[tuple[int, Signature]]) -> int | None:
    """The story a new article joins: that of the most similar earlier (story, signature)."""
    match = best_match(sig, [other for _, other in earlier])
    return earlier[match][0] if match is not None else None
