"""Samples and percentiles shared by the latency benchmarks (standard library only).

Every latency here is measured by the sandbox process itself, from the dispatch of the
interaction on the gateway to the callback (*first response*) and to the complete answer
(*complete*: for a deferred command, the follow-up or edit carrying the content), so neither the
script's HTTP round trip to the control API nor its own CPU time is counted. The sandbox runs in a
process of its own, the bot in another, the script in a third.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from _harness import Answer, HarnessError, SandboxProcess


def percentile(samples: list[float], q: float) -> float:
    """The nearest-rank ``q``-th percentile (p99 of 1,000 samples: the 990th smallest)."""
    if not samples:
        raise HarnessError("no samples")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


@dataclass
class Series:
    """The samples of one command: warm (after the warm-up) and cold (the first call after the
    bot process started), first response and complete answer, in milliseconds; and those taken
    while the bot's start-up work ran, when a benchmark keeps them apart."""

    name: str
    first: list[float] = field(default_factory=list)
    complete: list[float] = field(default_factory=list)
    cold_first: list[float] = field(default_factory=list)
    cold_complete: list[float] = field(default_factory=list)
    # After the cold call, while the bot's start-up work (a model loaded, a chart drawn ahead)
    # still ran in the background: complete answers, neither cold nor warm.
    startup: list[float] = field(default_factory=list)

    def add(self, answer: Answer, *, cold: bool = False, startup: bool = False) -> None:
        if cold:
            self.cold_first.append(answer.first_response_ms)
            self.cold_complete.append(answer.complete_ms)
        elif startup:
            self.startup.append(answer.complete_ms)
        else:
            self.first.append(answer.first_response_ms)
            self.complete.append(answer.complete_ms)

    def warm(self, complete: bool) -> list[float]:
        return self.complete if complete else self.first

    def cold(self, complete: bool) -> list[float]:
        return self.cold_complete if complete else self.cold_first


def invoke(
    sandbox: SandboxProcess,
    line: str,
    *,
    as_member: str | int,
    channel: str | None = None,
    timeout: float = 60,
) -> Answer:
    """Run ``line`` and check that the bot answered it with something (or fail)."""
    answer = sandbox.invoke(line, as_member=as_member, channel=channel, timeout=timeout)
    if answer.error or not answer.messages:
        raise HarnessError(f"{line} as {as_member}: {answer.error or 'no answer'}")
    if not any(
        m.get("content") or m.get("embeds") or m.get("attachments") for m in answer.messages
    ):
        raise HarnessError(f"{line} as {as_member}: an empty answer")
    return answer


def print_table(rows: list[Series], title: str) -> None:
    """p50, p99 and mean of the warm samples, median of the cold ones, first and complete."""
    print(f"\n{title}")
    print(
        f"{'':26}{'first response (ms)':>40}{'complete answer (ms)':>40}\n"
        f"{'command':<26}{'n':>6}" + f"{'p50':>9}{'p99':>9}{'mean':>9}{'cold':>9}" * 2
    )
    for row in rows:
        cells = ""
        for complete in (False, True):
            warm, cold = row.warm(complete), row.cold(complete)
            cells += f"{percentile(warm, 50):>9.2f}{percentile(warm, 99):>9.2f}"
            cells += f"{statistics.fmean(warm):>9.2f}"
            cells += f"{statistics.median(cold):>9.2f}" if cold else f"{'—':>9}"
        print(f"{row.name:<26}{len(row.first):>6}{cells}")
    print("cold: median of the first call after each start of the bot process")
