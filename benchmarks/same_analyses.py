"""Whether a change to the press analysis left every article's analysis exactly as it was.

    python benchmarks/same_analyses.py OUT [--against EARLIER] [--reverse] [--data DIR]

Analyses every distinct article of the evaluation data (the corpus of ``bench_news.py``: 550
with the data, the 150 bundled OrangeSum articles without it) with ``analyse`` as the bot runs
it, the named-entity model included when installed, and writes to ``OUT`` one line per article:
its name and the SHA-256 of the analysis's ``repr`` (every sentence, summary, figure, quote,
person, organisation and the tone, floats included), then one line for the whole corpus.
With ``--against``, the lines are compared with an earlier run's file and the articles whose
analysis changed are named; the exit status is 1 when any did. ``--reverse`` analyses the
articles in the opposite order: the analyses must not depend on what the process analysed
before (the memo caches only save time).

Run it before a change (``OUT`` = before.txt) and after (``--against before.txt``).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_news import corpus, default_data  # noqa: E402

from bot.news.analysis import analyse  # noqa: E402
from bot.news.entities import model_available  # noqa: E402
from bot.news.text import load_document  # noqa: E402


def fingerprints(data: Path, reverse: bool = False) -> dict[str, str]:
    """Each article's name: the SHA-256 of its analysis's repr."""
    _, items = corpus(data)
    order = list(reversed(items)) if reverse else items
    found = {}
    for item in order:
        analysis = analyse(load_document(item.data, item.name))
        found[item.name] = hashlib.sha256(repr(analysis).encode()).hexdigest()
    return {item.name: found[item.name] for item in items}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--against", type=Path)
    parser.add_argument("--reverse", action="store_true")
    parser.add_argument("--data", type=Path, default=default_data())
    args = parser.parse_args(argv)
    print(f"named-entity model: {'loaded' if model_available() else 'not installed'}")
    prints = fingerprints(args.data, args.reverse)
    whole = hashlib.sha256("".join(prints.values()).encode()).hexdigest()
    lines = [f"{name}\t{digest}" for name, digest in prints.items()] + [f"ALL\t{whole}"]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(prints)} analyses, whole corpus {whole[:16]}")
    if args.against is None:
        return 0
    earlier = dict(
        line.split("\t", 1) for line in args.against.read_text("utf-8").splitlines() if line
    )
    changed = [name for name, digest in prints.items() if earlier.get(name) != digest]
    missing = sorted(set(earlier) - set(prints) - {"ALL"})
    for name in changed:
        print(f"changed: {name}")
    for name in missing:
        print(f"missing: {name}")
    print(
        f"{len(prints) - len(changed)} of {len(prints)} analyses identical to {args.against.name}"
    )
    return 1 if changed or missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
