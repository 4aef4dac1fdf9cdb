"""Speed of the press analysis and of the digest, on real and distinct articles.

    python benchmarks/bench_news.py [--data DIR] [--articles 1000]

Runs on one core (BLAS threads pinned to one). The articles are the evaluation data's
(``--data`` or ``RELANCE_EVAL_DATA``, default ``../shared/eval``): OrangeSum's 300 source
documents, RPM2's 200 and BBC's 50, each once; without it, the 150 OrangeSum articles bundled in
``benchmarks/data/orangesum``. No article is repeated, so the digest never meets copies that it
would not meet in use; when fewer distinct articles exist than ``--articles``, the largest size
is all of them and the 5-second target for 1,000 is scaled to that size (the digest is linear).

Measured:
- the whole per-article analysis (split, summary, figures, quotes, people and organisations with
  the NER model, tone), the same without the model, and the summariser alone (sentences split
  beforehand), each in a fresh process of its own (``_analysis_rates``) over the analysed
  articles (``--analysis-articles``, spread over the corpus) split in two disjoint halves,
  alternating: the start-up load timed apart (the NER model and the word tables, that the bot
  loads once at start, before any article);
  *cold* = the first half, the first articles the fresh process analyses (tables read, regexes
  compiled, memo caches empty); *warm* = the second half, articles that process has never
  analysed, after the cold half; *again* = the second half a second time (every memo hit; no
  target: no article is analysed twice in use, it is what "warm" meant before). Per second per
  core: articles over the process's CPU seconds;
- the digest built by the real service on a temporary SQLite file at three sizes (a quarter,
  half and all of the articles, stored incrementally by this process, which analyses them then,
  as the bot does when they arrive): cold (a newly opened database) and warm (the same digest
  again), with the number of progress updates, and the growth factor (wall and CPU time). Even
  cold, the summaries' memo caches (``summarise.terms``, ``language.written_in``) hold the
  sentences this process analysed when storing the articles, as in a bot that received them
  since its start; after a restart, a digest reads them afresh.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _analysis_rates import Work, measure, spread  # noqa: E402
from _report import record  # noqa: E402

from bot.clock import FixedClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.news.fetch import Fetcher  # noqa: E402
from bot.news.models import Document  # noqa: E402
from bot.news.people import speakers  # noqa: E402
from bot.news.service import NewsService  # noqa: E402
from bot.news.summarise import summarise_many  # noqa: E402
from bot.news.text import load_document  # noqa: E402
from bot.storage.database import Database  # noqa: E402

NAME = "bench_news"
BUNDLED = ROOT / "benchmarks" / "data" / "orangesum" / "source_documents.txt"
DIGEST_TARGET_S = 5.0  # for 1,000 articles
RATE_TARGET = 50.0  # articles per second per core
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Item:
    name: str
    data: bytes


def default_data() -> Path:
    return Path(os.environ.get("RELANCE_EVAL_DATA") or ROOT.parent / "shared" / "eval")


def corpus(data: Path) -> tuple[str, list[Item]]:
    """Every distinct real article available, and where they come from."""
    items: list[Item] = []
    orangesum = data / "orangesum" / "source_documents.txt"
    if orangesum.is_file():
        lines = orangesum.read_text("utf-8").splitlines()
        items += [Item(f"orangesum-{i:03}.txt", line.encode()) for i, line in enumerate(lines)]
    for path in sorted((data / "rpm2" / "documents").glob("*.txt")):
        items.append(Item(f"rpm2-{path.name}", path.read_bytes()))
    for path in sorted((data / "bbc" / "article").glob("*/*.txt")):
        items.append(Item(f"bbc-{path.parent.name}-{path.name}", path.read_bytes()))
    origin = f"the evaluation data at {data}"
    if not items:
        lines = BUNDLED.read_text("utf-8").splitlines()
        items = [Item(f"orangesum-{i:03}.txt", line.encode()) for i, line in enumerate(lines)]
        origin = f"no evaluation data at {data}: the {len(items)} bundled OrangeSum articles"
    distinct = {hashlib.sha256(b" ".join(i.data.split())).digest() for i in items}
    assert len(distinct) == len(items), "the corpus must not repeat an article"
    return origin, items


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def bench_analysis(documents: list[Document]) -> None:
    model = measure(documents, Work.ANALYSIS)
    rules = measure(documents, Work.ANALYSIS, use_model=False)
    alone = measure(documents, Work.SUMMARY)
    print(
        f"halves of {model.cold_articles} and {model.warm_articles} articles; start-up load "
        f"{model.load_s:.2f} s of CPU ({model.load_wall_s:.2f} s wall), first article "
        f"{model.first_ms:.0f} ms; wall rates cold {model.cold_wall:.1f}/s, warm "
        f"{model.warm_wall:.1f}/s",
        flush=True,
    )
    for what, rates, target in (
        ("summariser alone", alone, RATE_TARGET),
        ("whole analysis with NER", model, RATE_TARGET),
        ("whole analysis without the NER model", rules, None),
    ):
        for label, value, goal in (
            ("cold: first articles after the start", rates.cold, target),
            ("warm: articles not analysed before", rates.warm, target),
            ("the same articles again, memo hits", rates.again, None),
        ):
            record(
                NAME,
                f"{what}, {label} (articles/s, one core)",
                value,
                goal,
                better="higher",
                unit="/s",
            )
    record(
        NAME, "start-up load: NER model and word tables, apart (CPU)", model.load_s, None, unit=" s"
    )
    record(
        NAME,
        "whole analysis with NER, the first article after the start-up load",
        model.first_ms,
        None,
        unit=" ms",
    )
    record(
        NAME,
        "what the NER model adds per article, warm (ms)",
        1000 / model.warm - 1000 / rules.warm,
        None,
        unit=" ms",
    )


async def digest_once(db: Database, fetcher: Fetcher) -> tuple[float, float, int, int]:
    """Wall and CPU seconds of one digest of every stored article, articles, updates."""
    service = NewsService(db, FixedClock(NOW), Settings(), fetcher)
    updates = 0

    def progress(done: int, total: int) -> None:
        nonlocal updates
        updates += 1

    started, cpu = time.perf_counter(), time.process_time()
    digest = await service.digest("30d", None, progress=progress)
    return (
        time.perf_counter() - started,
        time.process_time() - cpu,
        digest.articles,
        updates,
    )


async def digest_parts(service: NewsService) -> None:
    """What the digest's two costliest steps take on their own (warm), to see where time goes."""
    articles = await service.all_articles("30d")
    started = time.perf_counter()
    speakers(articles)
    record(
        NAME,
        f"of which who spoke ({len(articles)} articles)",
        time.perf_counter() - started,
        None,
        unit=" s",
    )
    started = time.perf_counter()
    summarise_many(
        [a.analysis.sentences for a in articles], "fr", 120, [a.document.title for a in articles]
    )
    record(
        NAME,
        f"of which the overall summary ({len(articles)} articles)",
        time.perf_counter() - started,
        None,
        unit=" s",
    )


async def bench_digest(
    items: list[Item], sizes: list[int]
) -> tuple[dict[int, float], dict[int, float]]:
    """Warm digest time per size, wall and CPU; the articles are stored incrementally up to
    each size."""
    warm: dict[int, float] = {}
    warm_cpu: dict[int, float] = {}
    fetcher = Fetcher()
    db: Database | None = None
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.sqlite3"
            stored = 0
            for size in sizes:
                db = await Database.open(path)
                service = NewsService(db, FixedClock(NOW), Settings(), fetcher)
                started = time.perf_counter()
                for item in items[stored:size]:
                    await service.add_file(item.data, item.name, "bench")
                print(
                    f"stored articles {stored + 1}-{size} (analyse + store): "
                    f"{time.perf_counter() - started:.1f} s",
                    flush=True,
                )
                stored = size
                await db.close()
                db = await Database.open(path)  # cold: a newly opened database
                for label in ("cold", "warm"):
                    seconds, cpu, articles, updates = await digest_once(db, fetcher)
                    assert articles == size, (articles, size)
                    print(
                        f"digest of {size} articles, {label}: {seconds:.2f} s "
                        f"({cpu:.2f} s of CPU), {updates} progress updates",
                        flush=True,
                    )
                    record(
                        NAME,
                        f"digest of {size} distinct articles, {label}, CPU time",
                        cpu,
                        None,
                        unit=" s",
                    )
                    target = DIGEST_TARGET_S * size / 1000 if size == sizes[-1] else None
                    record(
                        NAME,
                        f"digest of {size} distinct articles, {label}",
                        seconds,
                        target,
                        unit=" s",
                    )
                    warm[size], warm_cpu[size] = seconds, cpu
                if size == sizes[-1]:
                    await digest_parts(NewsService(db, FixedClock(NOW), Settings(), fetcher))
                await db.close()
                db = None
    finally:
        if db is not None:
            await db.close()
        await fetcher.close()
    return warm, warm_cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--analysis-articles", type=int, default=550)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    origin, items = corpus(args.data)
    items = items[: args.articles]
    print(f"{len(items)} distinct articles from {origin}", flush=True)
    if hasattr(os, "getloadavg"):
        # Wall times on a shared machine grow with its load; the CPU times much less.
        print(f"load average at the start: {os.getloadavg()[0]:.1f}", flush=True)
    documents = spread([load_document(i.data, i.name) for i in items], args.analysis_articles)
    bench_analysis(documents)
    n = len(items)
    sizes = [n // 4, n // 2, n]
    warm, warm_cpu = asyncio.run(bench_digest(items, sizes))
    if n < 1000:
        print(
            f"only {n} distinct articles: the 1,000-article target of {DIGEST_TARGET_S:g} s "
            f"is checked as {DIGEST_TARGET_S * n / 1000:.2f} s for {n}"
        )
    data = sizes[-1] / sizes[0]
    for label, times in (("", warm), (", CPU time", warm_cpu)):
        # the wall time's ratio moves with the machine's load (a digest of 137 takes 0.1 s); the
        # CPU time's much less
        growth = times[sizes[-1]] / times[sizes[0]] if times[sizes[0]] else float("inf")
        record(
            NAME,
            f"digest growth, warm{label}, {sizes[0]} → {sizes[-1]} articles (×{data:.0f} data)",
            growth,
            1.25 * data,
        )
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    record(NAME, "peak resident memory of the whole run", peak_kb / 1024, None, unit=" MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
