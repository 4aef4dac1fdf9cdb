"""Speed of the press analysis: articles per second, a 1,000-article digest, peak memory.

    python benchmarks/bench_news.py [--data DIR] [--articles 1000]

Runs on one core (BLAS threads pinned to one). The articles are OrangeSum's source documents from
the evaluation data (``--data`` or ``RELANCE_EVAL_DATA``, default ``../shared/eval``), cycled to
reach ``--articles``; the digest is built by the real service on a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.clock import FixedClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.news.analysis import analyse  # noqa: E402
from bot.news.fetch import Fetcher  # noqa: E402
from bot.news.service import NewsService  # noqa: E402
from bot.news.text import load_document  # noqa: E402
from bot.storage.database import Database  # noqa: E402


def default_data() -> Path:
    return Path(os.environ.get("RELANCE_EVAL_DATA") or ROOT.parent / "shared" / "eval")


def corpus(data: Path, count: int) -> list[bytes]:
    """OrangeSum's articles if the evaluation data is there, else the demo articles in bot/data/news."""
    source = data / "orangesum" / "source_documents.txt"
    if source.is_file():
        lines = source.read_text("utf-8").splitlines()
    else:
        print(f"no evaluation data at {data}: timing the demo articles of bot/data/news instead")
        demo = sorted((ROOT / "bot" / "data" / "news").glob("*.txt"))
        lines = [" ".join(p.read_text("utf-8").split()) for p in demo]
    return [f"{lines[i % len(lines)]} (copie {i})".encode() for i in range(count)]


def bench_summarise(texts: list[bytes]) -> float:
    analyse(load_document(texts[0], "warm.txt"))  # load word lists once
    started = time.perf_counter()
    for i, data in enumerate(texts):
        analyse(load_document(data, f"{i}.txt"), max_words=60)
    return len(texts) / (time.perf_counter() - started)


async def bench_digest(texts: list[bytes]) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.sqlite3")
        fetcher = Fetcher()
        service = NewsService(
            db, FixedClock(datetime(2026, 3, 10, tzinfo=UTC)), Settings(), fetcher
        )
        started = time.perf_counter()
        for i, data in enumerate(texts):
            await service.add_file(data, f"{i}.txt", "bench")
        ingest = time.perf_counter() - started
        updates = 0

        def progress(done: int, total: int) -> None:
            nonlocal updates
            updates += 1

        started = time.perf_counter()
        digest = await service.digest("30d", None, 150, progress=progress)
        elapsed = time.perf_counter() - started
        assert digest.articles == len(texts)
        await fetcher.close()
        await db.close()
    return ingest, elapsed, updates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    texts = corpus(args.data, args.articles)
    rate = bench_summarise(texts[:300])
    print(f"summarise: {rate:.0f} articles/s on one core (target >= 50)")
    ingest, digest_time, updates = asyncio.run(bench_digest(texts))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"ingest {args.articles} articles (analyse + store): {ingest:.1f} s")
    print(
        f"digest of {args.articles} articles: {digest_time:.2f} s, {updates} progress updates "
        "(interaction window: 900 s)"
    )
    print(f"peak resident memory of the whole run: {peak_kb / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
