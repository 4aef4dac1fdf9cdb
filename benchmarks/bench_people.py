"""Who spoke across a digest: the merge of speakers at scale, against the merge it replaced.

    python benchmarks/bench_people.py [--data DIR] [--articles 550]

The articles are the evaluation data's (``--data`` or ``RELANCE_EVAL_DATA``, default
``../shared/eval``; without it the bundled OrangeSum articles), analysed once as the bot does. Then
``bot.news.people.speakers`` (people indexed by folded name and surname, a role searched once per
name and article, names found with str.find) and, as the baseline in the same run, the merge it
replaced (every speaker compared with every person met so far, a pattern compiled per name and a
role searched again at each quotation of a person without one), each cold (first
call) and warm (second call), on a quarter, half and all of the articles; both must give the same
people. Figures: seconds at each size, the speed-up, and the growth from a quarter to all (linear
is ×4).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _report import record  # noqa: E402
from bench_news import corpus, default_data  # noqa: E402

from bot.news.analysis import analyse  # noqa: E402
from bot.news.models import Article  # noqa: E402
from bot.news.people import _ROLE_AFTER, _ROLE_BEFORE, Speaker, _is_role, speakers  # noqa: E402
from bot.news.text import load_document  # noqa: E402
from tests.support.people_scan import scanning_speakers as _scan  # noqa: E402

NAME = "bench_people"


def scanning_speakers(articles: Iterable[Article]) -> tuple[Speaker, ...]:
    """The baseline: each lookup scans and case-folds every person met so far, and each role
    search compiles a pattern of its own."""
    return _scan(articles, scanning_role_of)


def scanning_role_of(name: str, text: str) -> str | None:
    """The baseline's role search: one pattern compiled per name (re's cache holds 512)."""
    surname = name.split()[-1]
    for form in dict.fromkeys((name, surname)):
        for match in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            after = _ROLE_AFTER.match(text, match.end())
            if after and _is_role(after.group("role")):
                return after.group("role").strip()
            line_start = text.rfind("\n", 0, match.start()) + 1
            before = _ROLE_BEFORE.search(text[max(line_start, match.start() - 80) : match.start()])
            if before:
                return before.group("role").strip()
    return None


def timed(merge: object, articles: list[Article]) -> tuple[float, tuple[Speaker, ...]]:
    assert callable(merge)
    started = time.process_time()
    result: tuple[Speaker, ...] = merge(articles)
    return time.process_time() - started, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--articles", type=int, default=550)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    origin, items = corpus(args.data)
    items = items[: args.articles]
    print(f"{len(items)} distinct articles from {origin}; analysing them…", flush=True)
    now = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    articles = []
    for i, item in enumerate(items):
        document = load_document(item.data, item.name)
        articles.append(Article(i, item.name, document, analyse(document), now, 1))
    quotes = sum(len(a.analysis.quotes) for a in articles)
    print(f"{quotes} quotations", flush=True)
    n = len(articles)
    sizes = [n // 4, n // 2, n]
    warm: dict[str, dict[int, float]] = {"indexed": {}, "scanning": {}}
    for size in sizes:
        subset = articles[:size]
        for label in ("cold", "warm"):
            base, expected = timed(scanning_speakers, subset)
            new, got = timed(speakers, subset)
            assert got == expected, "the indexed merge must give the same people"
            warm["indexed"][size], warm["scanning"][size] = new, base
            record(NAME, f"who spoke, {size} articles, {label}, CPU", new, None, unit=" s")
            record(
                NAME,
                f"who spoke, {size} articles, {label}, previous scanning merge, CPU",
                base,
                None,
                unit=" s",
            )
            record(
                NAME,
                f"who spoke, {size} articles, {label}, speed-up over scanning",
                base / new if new else float("inf"),
                None,
                better="higher",
            )
        print(f"{len(got)} people in {size} articles", flush=True)
    for kind, times in warm.items():
        first, last = times[sizes[0]], times[sizes[-1]]
        record(
            NAME,
            f"growth, warm, {kind}, {sizes[0]} → {sizes[-1]} articles (×4 data)",
            last / first if first else float("inf"),
            5.0 if kind == "indexed" else None,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
