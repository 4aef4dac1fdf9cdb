"""Quote attribution against quotations annotated by hand in RPM2 articles.

    python benchmarks/quotes_eval.py [--data DIR] [--verbose] [--no-model]

``DIR`` (or ``RELANCE_EVAL_DATA``) defaults to ``../shared/eval`` next to the project; the
annotations are ``benchmarks/data/quotes/rpm2_quotes.json`` (see the README beside them): every
quotation of at least four words in 31 articles, with the person or organisation the article says
said it, or none when it does not say ("un proche", "son entourage", a law's wording).

A quotation is found when a quotation the analysis returns covers at least 60 % of its words. Its
speaker is right when both are unknown, or both name the same person (the same words, or one
name's words contained in the other's: "Leonetti" for "Jean Leonetti"). Figures: quotations found;
quotations with the right speaker (over all annotated ones, a missed quotation counting as wrong);
the same over the quotations whose speaker is named; and, of the speakers the analysis names, how
many are right (precision), for the development articles, the held-out ones (the added ones
alone too) and all of them (the target is judged on all). The analysis runs as the bot runs it (``analyse``), headline included.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _report import record  # noqa: E402

from bot.news.analysis import analyse  # noqa: E402
from bot.news.language import Language  # noqa: E402
from bot.news.models import Document, Quote  # noqa: E402

ANNOTATIONS = ROOT / "benchmarks" / "data" / "quotes" / "rpm2_quotes.json"
BENCH = "quotes_eval"


def default_data() -> Path:
    return Path(os.environ.get("RELANCE_EVAL_DATA") or ROOT.parent / "shared" / "eval")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())


def _name_words(name: str) -> set[str]:
    name = re.sub(r"^(?:l['’]|le |la |les )", "", name.strip(), flags=re.IGNORECASE)
    return set(_words(name))


def same_speaker(gold: str | None, found: str | None) -> bool:
    if gold is None or found is None:
        return gold is None and found is None
    a, b = _name_words(gold), _name_words(found)
    return bool(a and b) and (a <= b or b <= a)


def covers(gold: str, found: Quote) -> bool:
    gold_words = _words(gold)
    found_words = set(_words(found.text))
    return bool(gold_words) and sum(w in found_words for w in gold_words) >= 0.6 * len(gold_words)


@dataclass
class Score:
    quotes: int = 0
    found: int = 0
    right: int = 0
    named: int = 0
    named_right: int = 0
    predicted_named: int = 0
    predicted_named_right: int = 0


def read_article(path: Path) -> Document:
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    title = text.split("\n", 1)[0].strip()
    return Document(title=title, text=text, language=Language.FR)


PARTS = ("development", "held-out", "added held-out")


def evaluate(
    data: Path, verbose: bool, use_model: bool
) -> tuple[dict[str, Score], dict[str, int], float]:
    annotations = json.loads(ANNOTATIONS.read_text(encoding="utf-8"))
    scores = {part: Score() for part in PARTS}
    articles = dict.fromkeys(PARTS, 0)
    started = time.perf_counter()
    for article in annotations:
        score = scores[article["part"]]
        articles[article["part"]] += 1
        document = read_article(data / "rpm2" / "documents" / article["document"])
        found = list(analyse(document, use_model=use_model).quotes)
        used: set[int] = set()
        for gold in article["quotes"]:
            score.quotes += 1
            speaker: str | None = gold["speaker"]
            score.named += speaker is not None
            match = next(
                (i for i, q in enumerate(found) if i not in used and covers(gold["text"], q)), None
            )
            if match is None:
                if verbose:
                    print(f"MISSED {article['document']}: «{gold['text'][:70]}» ({speaker})")
                continue
            used.add(match)
            score.found += 1
            quote = found[match]
            ok = same_speaker(speaker, quote.speaker)
            score.right += ok
            score.named_right += ok and speaker is not None
            if quote.speaker is not None:
                score.predicted_named += 1
                score.predicted_named_right += ok
            if verbose and not ok:
                print(
                    f"WRONG  {article['document']}: «{gold['text'][:60]}» "
                    f"gold={speaker!r} found={quote.speaker!r}"
                )
    return scores, articles, time.perf_counter() - started


def total(scores: list[Score]) -> Score:
    return Score(*(sum(getattr(s, f) for s in scores) for f in Score.__dataclass_fields__))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--no-model", action="store_true", help="rules only, without spaCy")
    args = parser.parse_args()
    if not (args.data / "rpm2" / "documents").is_dir():
        sys.exit(f"no RPM2 documents under {args.data}: pass --data or set RELANCE_EVAL_DATA")
    scores, articles, seconds = evaluate(args.data, args.verbose, not args.no_model)
    kind = "rules only" if args.no_model else "rules + spaCy"
    held_out = ("held-out", "added held-out")
    groups = {
        "development": (["development"], None),
        "held-out": (list(held_out), None),
        "added held-out": (["added held-out"], None),
        "all": (list(PARTS), 1),
    }
    print(f"{kind}, {seconds:.1f} s")
    for group, (parts, target) in groups.items():
        score = total([scores[p] for p in parts])
        n = sum(articles[p] for p in parts)
        print(
            f"{group}: {n} articles, {score.quotes} annotated quotations "
            f"({score.named} with a named speaker)"
        )
        pct = 100.0 / max(score.quotes, 1)
        suffix = f"{group}, {kind}"
        record(
            BENCH,
            f"quotations found ({suffix})",
            score.found * pct,
            95 if target else None,
            better="higher",
            unit="%",
        )
        record(
            BENCH,
            f"right speaker ({suffix})",
            score.right * pct,
            90 if target else None,
            better="higher",
            unit="%",
        )
        record(
            BENCH,
            f"right speaker, named speakers only ({suffix})",
            score.named_right * 100.0 / max(score.named, 1),
            better="higher",
            unit="%",
        )
        record(
            BENCH,
            f"speaker precision ({suffix})",
            score.predicted_named_right * 100.0 / max(score.predicted_named, 1),
            better="higher",
            unit="%",
        )


if __name__ == "__main__":
    main()
