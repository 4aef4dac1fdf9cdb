"""Figures that the benchmarks measure, gathered into one table by ``make bench``.

Each benchmark calls :func:`record` for every figure it checks against a target. The figure is
printed at once; when ``BENCH_RESULTS`` names a file, it is also appended there as one JSON
line, and ``python benchmarks/_report.py FILE`` prints the table of them all (figure, target,
verdict) — the table the README's performance section shows; with script names after the
file, it also names those that recorded no figure.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class Figure:
    benchmark: str  # the script, e.g. "bench_reconcile"
    measure: str  # what was measured, e.g. "reconcile 10k×100k cold / e-mail join"
    value: float
    target: float | None  # None: reported, no target
    better: Literal["lower", "higher"]
    unit: str  # "×", "s", "%", "ms", "MB"…

    @property
    def ok(self) -> bool | None:
        if self.target is None:
            return None
        return self.value <= self.target if self.better == "lower" else self.value >= self.target

    def cells(self) -> tuple[str, str, str, str]:
        sign = "≤" if self.better == "lower" else "≥"
        target = "—" if self.target is None else f"{sign} {_number(self.target)}{self.unit}"
        verdict = {True: "met", False: "NOT met", None: "reported"}[self.ok]
        return self.measure, f"{_number(self.value)}{self.unit}", target, verdict


def _number(value: float) -> str:
    if value == int(value) and abs(value) >= 10:
        return f"{int(value):,}"
    return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"


def record(
    benchmark: str,
    measure: str,
    value: float,
    target: float | None = None,
    *,
    better: Literal["lower", "higher"] = "lower",
    unit: str = "×",
) -> Figure:
    """Print one figure with its verdict and keep it for the table."""
    figure = Figure(benchmark, measure, float(value), target, better, unit)
    name, shown, goal, verdict = figure.cells()
    print(f"[{benchmark}] {name}: {shown} (target {goal}) — {verdict}", flush=True)
    results = os.environ.get("BENCH_RESULTS")
    if results:
        with open(results, "a", encoding="utf-8") as out:
            out.write(json.dumps(asdict(figure), ensure_ascii=False) + "\n")
    return figure


def figures(path: Path) -> list[Figure]:
    """Every figure recorded in ``path`` (none if the file does not exist)."""
    if not path.exists():
        return []
    return [
        Figure(**json.loads(line))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def table(path: Path, expected: Sequence[str] = (), *, targets_only: bool = False) -> str:
    """The Markdown table of every figure recorded in ``path`` (only those with a target if
    ``targets_only``), then the benchmarks of ``expected`` (script names) that recorded none,
    and how many targets were met."""
    rows = figures(path)
    checked = [f for f in rows if f.ok is not None]
    lines = ["| Benchmark | Measure | Figure | Target | Verdict |", "|---|---|---|---|---|"]
    for figure in checked if targets_only else rows:
        lines.append("| " + " | ".join((figure.benchmark, *figure.cells())) + " |")
    lines.append("")
    met, reported = sum(1 for f in checked if f.ok), len(rows) - len(checked)
    lines.append(f"Targets met: {met} of {len(checked)}; reported without a target: {reported}.")
    recorded = {f.benchmark for f in rows}
    silent = [name for name in expected if name not in recorded]
    if silent:
        lines.append("No figure recorded by: " + ", ".join(silent) + ".")
    return "\n".join(lines)


if __name__ == "__main__":
    args = sys.argv[1:]
    targets_only = "--targets" in args
    args = [a for a in args if a != "--targets"]
    if not args:
        sys.exit("usage: python benchmarks/_report.py [--targets] RESULTS.jsonl [BENCHMARK...]")
    names = [Path(name).stem for name in args[1:]]
    print(table(Path(args[0]), names, targets_only=targets_only))
