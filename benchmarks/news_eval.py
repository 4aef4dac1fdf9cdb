"""Summary quality against the evaluation data, with baselines measured in the same run.

    python benchmarks/news_eval.py [--data DIR] [--split both|dev|held-out|all]
                                   [--tokenizer unicode|ascii]

``DIR`` (or ``RELANCE_EVAL_DATA``) defaults to ``../shared/eval`` next to the project. The halves
are ``dev`` (OrangeSum lines 0-149, RPM2 topics T01-T05) and ``held-out`` (OrangeSum 150-299, RPM2
T06-T10), both printed by default. The summariser's older weights were chosen on both halves; every
change since is tuned on ``dev`` only, so ``held-out`` is the figure to quote. BBC was never used
for tuning.
ROUGE-1/2/L F1 with a Unicode tokenizer (NFKC, lower case, ``\\w+``, no stemmer), the mean over
references when there are several; ``--tokenizer ascii`` mimics rouge-score's default, for
comparing with published numbers.

The comparisons are kept fair in both directions:

- RPM2: each human summary is scored against the three others, and Relance against the same three
  references each time (the mean of the four leave-one-out scores). The humans wrote at most 100
  words (as separated by spaces); every summary, human or system, is scored on its first 100 such
  words, so Relance's last sentence running past the budget earns nothing. A line of the
  documents that stops inside a sentence is joined to the next (``news_eval_lib.unwrap``), so
  that no system is handed a fragment and its headless tail as two sentences.
- OrangeSum and BBC: beside Lead-3 (cut at the budget), "Lead, same length" gives the article's
  opening exactly as many words as Relance's summary of that article: ROUGE F1 depends on length,
  and Relance's whole sentences may run past the budget or stop short of it.

Other ways of choosing RPM2's sentences (concept coverage, learned scorers, selection variants) and
their cross-validated figures against the shipped one: ``rpm2_selection_study.py``.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _report import record  # noqa: E402
from news_eval_lib import (  # noqa: E402
    Item,
    Table,
    Tokenizer,
    ascii_tokens,
    lead,
    lexrank,
    load_bbc,
    load_orangesum,
    load_rpm2,
    rouge_multi,
    unicode_tokens,
)

from bot.news.summarise import summarise_many  # noqa: E402


def default_data() -> Path:
    return Path(os.environ.get("RELANCE_EVAL_DATA") or ROOT.parent / "shared" / "eval")


def ours(item: Item, max_words: int) -> str:
    return " ".join(summarise_many(item.articles, item.language, max_words, item.titles))


SPLITS = {"both": ("dev", "held-out"), "dev": ("dev",), "held-out": ("held-out",), "all": ("all",)}


def split(items: list[Item], which: str, dev_count: int) -> list[Item]:
    if which == "dev":
        return items[:dev_count]
    if which == "held-out":
        return items[dev_count:]
    return items


def first_words(text: str, count: int) -> str:
    """The first ``count`` words of ``text`` as separated by spaces (how RPM2's limit counts)."""
    return " ".join(text.split()[:count])


def run_single(items: Sequence[Item], max_words: int, tokenize: Tokenizer, extra: bool) -> Table:
    table = Table({})
    for item in items:
        sentences = item.articles[0]
        summary = ours(item, max_words)
        systems: dict[str, str] = {
            "Lead-2": lead(sentences, 2, max_words),
            "Lead-3": lead(sentences, 3, max_words),
            "Lead, same length": first_words(" ".join(sentences), len(summary.split())),
            "LexRank": lexrank(item.articles, item.language, max_words),
            "Relance": summary,
        }
        if extra:
            systems.update(item.extra)
        for name, text in systems.items():
            table.add(name, rouge_multi(text, item.references, tokenize))
    return table


def run_multi(items: Sequence[Item], max_words: int, tokenize: Tokenizer) -> Table:
    table = Table({})
    for item in items:
        firsts = " ".join(doc[0] for doc in item.articles if doc)
        systems = {
            "First sentence of each": firsts,
            "LexRank": lexrank(item.articles, item.language, max_words),
            "Relance": ours(item, max_words),
        }
        # Each human against the three others, each system against the same three references.
        for i, ref in enumerate(item.references):
            others = item.references[:i] + item.references[i + 1 :]
            for name, text in systems.items():
                table.add(name, rouge_multi(first_words(text, max_words), others, tokenize))
            table.add(
                "Human vs other humans", rouge_multi(first_words(ref, max_words), others, tokenize)
            )
    return table


def lengths(items: Sequence[Item], max_words: int, tokenize: Tokenizer) -> tuple[float, float]:
    """Mean length in tokens of Relance's summaries (as scored) and of the references (F1 favours
    neither a summary much shorter nor much longer than its references)."""
    ours_lengths = [len(tokenize(first_words(ours(item, max_words), max_words))) for item in items]
    refs = [len(tokenize(ref)) for item in items for ref in item.references]
    return sum(ours_lengths) / len(ours_lengths), sum(refs) / len(refs)


def show_lengths(dataset: str, items: Sequence[Item], max_words: int, tokenize: Tokenizer) -> None:
    summary, references = lengths(items, max_words, tokenize)
    print(f"  tokens per summary: Relance {summary:.1f}, references {references:.1f}")
    record(
        "news_eval",
        f"{dataset} tokens per summary, references: {references:.1f}",
        round(summary, 1),
        better="higher",
        unit="",
    )


def show_gap(table: Table, items: Sequence[Item], system: str, baseline: str) -> None:
    """``system`` minus ``baseline``, cluster by cluster (both scored against the same references),
    with the standard error of the mean over clusters: how far the split's figure can move."""
    ours_rows, theirs = table.rows[system], table.rows[baseline]
    per_cluster: list[list[float]] = []
    start = 0
    for item in items:
        end = start + len(item.references)
        mine, other = ours_rows[start:end], theirs[start:end]
        per_cluster.append(
            [
                (sum(a) - sum(b)) / len(mine)
                for a, b in zip(zip(*mine, strict=True), zip(*other, strict=True), strict=True)
            ]
        )
        start = end
    cells = []
    for name, column in zip(("R-1", "R-2", "R-L"), zip(*per_cluster, strict=True), strict=True):
        gap, n = sum(column) / len(column), len(column)
        spread = math.sqrt(sum((x - gap) ** 2 for x in column) / (n - 1) / n) if n > 1 else 0.0
        cells.append(f"{name} {gap:+.2f} ± {spread:.2f}")
    print(f"  {system} - {baseline}, per cluster (± standard error): {', '.join(cells)}")


def show(title: str, table: Table, count: int) -> None:
    print(f"\n{title} ({count} items)")
    print(f"  {'system':<26} {'R-1':>6} {'R-2':>6} {'R-L':>6}")
    for name in table.rows:
        r1, r2, rl = table.mean(name)
        print(f"  {name:<26} {r1:6.2f} {r2:6.2f} {rl:6.2f}")


def check(dataset: str, table: Table, baseline: str, split_name: str) -> None:
    """Record Relance's ROUGE-1/2/L against ``baseline``'s, measured in the same run."""
    ours_scores, theirs = table.mean("Relance"), table.mean(baseline)
    for name, value, target in zip(("R-1", "R-2", "R-L"), ours_scores, theirs, strict=True):
        record(
            "news_eval",
            f"{dataset} {name} ({split_name}), target: {baseline} in the same run",
            round(value, 2),
            round(target, 2),
            better="higher",
            unit="",
        )


def evaluate(data: Path, which: str, only: set[str], tokenize: Tokenizer) -> None:
    if "orangesum" in only:
        items = split(load_orangesum(data), which, 150)
        table = run_single(items, 35, tokenize, True)
        show(f"OrangeSum ({which}), single article, 35 words", table, len(items))
        check("OrangeSum", table, "Lead-3", which)
        check("OrangeSum", table, "Lead, same length", which)
    if "rpm2" in only:
        items = split(load_rpm2(data), which, 10)
        table = run_multi(items, 100, tokenize)
        show(f"RPM2 ({which}), 10 articles per cluster, 100 words", table, len(items))
        show_gap(table, items, "Relance", "Human vs other humans")
        show_lengths(f"RPM2 ({which})", items, 100, tokenize)
        check("RPM2", table, "Human vs other humans", which)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--split", choices=tuple(SPLITS), default="both")
    parser.add_argument("--tokenizer", choices=("unicode", "ascii"), default="unicode")
    parser.add_argument("--only", choices=("orangesum", "rpm2", "bbc"), action="append")
    args = parser.parse_args(argv)
    tokenize: Callable[[str], list[str]] = (
        unicode_tokens if args.tokenizer == "unicode" else ascii_tokens
    )
    only = set(args.only or ("orangesum", "rpm2", "bbc"))
    print(f"split={args.split} tokenizer={args.tokenizer}")
    for which in SPLITS[args.split]:
        evaluate(args.data, which, only, tokenize)
    if "bbc" in only:
        items = load_bbc(args.data)
        table = run_single(items, 100, tokenize, False)
        show("BBC (English, never tuned on), single article, 100 words", table, len(items))
        check("BBC", table, "Lead-3", "all")
        check("BBC", table, "Lead, same length", "all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
