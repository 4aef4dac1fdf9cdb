"""The per-article analysis's speed as ``bench_analysis`` and ``bench_news`` report it.

Each measurement runs in a process of its own, started fresh (``spawn``) for it, so that no
earlier pass of the benchmark has filled a table or a cache that the measured articles use. The
articles are split in two disjoint halves by alternation (every source in both halves). In that
process, in this order:

- **start-up load**: what the bot loads once at start, before any article (the news cog's
  ``load_model``, in a thread, once connected: ``analysis.prepare``), timed apart, in CPU
  seconds: spaCy's French model (with the model only), the stop words and word frequencies of
  both languages, the first names' table; with the memory it adds. (At a commit from before
  ``prepare``, the model alone: the bot loaded nothing else at start.)
- **cold**: the first half, the first articles the process analyses: whatever ``prepare`` does
  not load is read on first use, the regular expressions built in functions are compiled, and
  every memo cache (``summarise.terms``, ``language.written_in``, ``tone``'s stems) starts
  empty: the first articles after a restart.
- **first article**: of the cold half, the first one alone (ms): the first-use costs above.
- **warm**: the second half, articles this process has never analysed, right after the cold
  half: tables loaded, the caches keyed by word hold what the cold half put there, those keyed
  by sentence hold nothing of these articles (unless another article shared the sentence): the
  next articles to arrive in a running bot.
- **again**: the warm half analysed a second time (every memo hit). Reported without a target:
  no article is analysed twice in use; it is what the earlier "warm" measured, kept to show what
  the caches alone are worth.

Rates are articles per second per core: articles over the measuring process's CPU seconds (the
machine is shared, so wall time would count other work); each pass's wall time is kept too.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from multiprocessing import get_context

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from bot.news.models import Document  # noqa: E402


class Work(StrEnum):
    ANALYSIS = "analysis"  # analyse(), as the bot runs it on each article
    SUMMARY = "summary"  # the summariser alone, on sentences split beforehand (not timed)


@dataclass(frozen=True)
class Rates:
    load_s: float  # CPU seconds of the start-up load
    load_wall_s: float
    memory_mb: float  # resident memory the start-up load added
    first_ms: float  # CPU milliseconds of the first article
    cold: float  # articles per CPU second
    warm: float
    again: float
    cold_wall: float  # articles per wall second
    warm_wall: float
    cold_articles: int
    warm_articles: int


def halves(documents: Sequence[Document]) -> tuple[list[Document], list[Document]]:
    """Two disjoint halves, alternating, so that each source is in both."""
    return list(documents[0::2]), list(documents[1::2])


def spread(documents: Sequence[Document], count: int) -> list[Document]:
    """``count`` documents spread evenly over ``documents`` (all of them when fewer)."""
    if count >= len(documents):
        return list(documents)
    return [documents[i * len(documents) // count] for i in range(count)]


def measure(documents: Sequence[Document], work: Work, use_model: bool = True) -> Rates:
    """The figures of one fresh process analysing ``documents``' two halves."""
    cold, warm = halves(documents)
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_measure, cold, warm, work, use_model).result()


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _measure(cold: list[Document], warm: list[Document], work: Work, use_model: bool) -> Rates:
    from bot.news.analysis import analyse
    from bot.news.entities import model_available
    from bot.news.sentences import split_sentences
    from bot.news.summarise import summarise

    try:
        from bot.news.analysis import prepare
    except ImportError:  # a commit from before prepare(): the model alone was loaded at start

        def prepare(*, use_model: bool = True) -> bool:
            return use_model and model_available()

    model = use_model and work is Work.ANALYSIS
    before, cpu, wall = _rss_mb(), time.process_time(), time.perf_counter()
    prepare(use_model=model)
    load_s, load_wall = time.process_time() - cpu, time.perf_counter() - wall
    memory = _rss_mb() - before
    if work is Work.SUMMARY:
        split = {id(d): split_sentences(d.text) for d in [*cold, *warm]}

        def one(document: Document) -> None:
            summarise(split[id(document)], document.language, 60, document.title)
    else:

        def one(document: Document) -> None:
            analyse(document, use_model=use_model)

    def run(part: list[Document]) -> tuple[float, float]:
        cpu, wall = time.process_time(), time.perf_counter()
        for document in part:
            one(document)
        return time.process_time() - cpu, time.perf_counter() - wall

    first_cpu, first_wall = run(cold[:1])
    rest_cpu, rest_wall = run(cold[1:])
    cold_cpu, cold_wall = first_cpu + rest_cpu, first_wall + rest_wall
    warm_cpu, warm_wall = run(warm)
    again_cpu, _ = run(warm)
    return Rates(
        load_s=load_s,
        load_wall_s=load_wall,
        memory_mb=memory,
        first_ms=first_cpu * 1000,
        cold=len(cold) / cold_cpu,
        warm=len(warm) / warm_cpu,
        again=len(warm) / again_cpu,
        cold_wall=len(cold) / cold_wall,
        warm_wall=len(warm) / warm_wall,
        cold_articles=len(cold),
        warm_articles=len(warm),
    )
