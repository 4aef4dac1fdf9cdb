"""Tone accuracy on the labelled articles of ``tests/data/news/tone``.

    python benchmarks/tone_eval.py

``labelled.toml`` was used to choose the lexicon (its figure is a ceiling). ``held_out.toml`` was
written afterwards and held out once (3 of 8 right); the lexicon and rules were then changed in
answer to its errors, so it is now a development set too. ``unseen.toml`` was written before that
change and never used to choose a word or a rule: its figure is the one to quote. The majority
baseline (every article given the set's most common label) is printed beside them.
"""

from __future__ import annotations

import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _report import record  # noqa: E402

from bot.news.sentences import split_sentences  # noqa: E402
from bot.news.tone import tone  # noqa: E402

DATA = ROOT / "tests" / "data" / "news" / "tone"


def main() -> None:
    for name in ("labelled", "held_out", "unseen"):
        articles = tomllib.loads((DATA / f"{name}.toml").read_text(encoding="utf-8"))["article"]
        labels = [a["label"] for a in articles]
        found = [tone(split_sentences(a["text"])).label.value for a in articles]
        right = sum(f == label for f, label in zip(found, labels, strict=True))
        majority = Counter(labels).most_common(1)[0][1]
        print(f"{name}: {right}/{len(articles)} right; majority label baseline {majority}")
        record(
            "tone_eval",
            f"tone accuracy, {name} set",
            100 * right / len(articles),
            better="higher",
            unit="%",
        )
        record(
            "tone_eval",
            f"majority baseline, {name} set",
            100 * majority / len(articles),
            better="higher",
            unit="%",
        )


if __name__ == "__main__":
    main()
