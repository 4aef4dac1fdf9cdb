"""No command waits on another: ``/status`` and ``/aide`` while a 100,000-row sign-up import runs.

Same setup as ``bench_status_latency.py`` (three processes: the sandbox, the real bot, this
script; 10,000 officers and about 100,000 sign-ups stored with the bot's command line). First,
idle: ``--n`` warm samples each of ``/status`` (a linked officer, about themselves) and ``/aide``
(a member who is no officer), alternating, after ``--warmup`` pairs dropped. Then, from a second
thread, an organiser imports sign-up files through Discord, one after the other:
``/inscriptions importer`` with the file attached, in the organisers' channel, then "import
anyway" if the bot asks; the files alternate between the stored export and a changed copy (a
fifth of the postcodes blanked, rows in another order), so that each import has statuses to
change. Meanwhile the two members keep going; a sample counts as *under import* if one import ran
from before it was dispatched until after it was answered. Imports go on until both commands have
``--n`` such samples, or ``--max-imports`` imports ran (the counts are printed).

The sandbox times each interaction itself (see ``_latency.py``). An interaction the bot did not
acknowledge within Discord's 3 seconds counts as 3,500 ms (the sandbox stops waiting then: a
lower bound) and is counted apart. The idle samples start after the warm-up ones, once the bot has
settled (its process below 5 % of a core three seconds in a row: the start-up work it does once
connected is over), as a bot that has been up a while. Recorded: p99 (target ≤ 2) and p50 (reported) under import
over idle, per command; unanswered interactions (target 0); the imports' duration (reported).

    python benchmarks/bench_load_latency.py [--officers 10000] [--signups 100000] [--n 1000]
        [--profile stacks.txt]

``--profile`` samples the bot process with py-spy (when installed; it is no dependency of the
project) from the first idle sample to the last, without pausing it, every thread apart: the
event loop's thread is ``MainThread``, the import's work the ``asyncio_`` threads. The file holds
collapsed stacks (one a line, with its sample count), for a flame graph or a sort.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import Answer, HarnessError, run
from _latency import percentile
from _national import MEMBERS_CHANNEL, ORGANISER_CHANNEL, National, national
from _report import record

from tests.support.synthetic import Generated

BENCHMARK = "bench_load_latency"
TARGET = 2.0
UNANSWERED_MS = 3500.0
CONFIRM = "confirm:yes"
IMPORT_TIMEOUT = 840.0  # within the interaction token's 15 minutes
# The sandbox's errors for an interaction not acknowledged within Discord's 3 seconds.
LATE = ("no response within", "after the initial-response deadline")


@dataclass
class Samples:
    name: str
    line: str
    member: str
    idle: list[float] = field(default_factory=list)
    loaded: list[float] = field(default_factory=list)
    unanswered_idle: int = 0
    unanswered_loaded: int = 0


def sample(setup: National, row: Samples) -> float | None:
    """One call's complete latency in ms, or None if the bot did not answer in time."""
    answer = setup.sandbox.invoke(row.line, as_member=row.member, channel=MEMBERS_CHANNEL)
    if answer.error or not answer.messages:
        if any(late in str(answer.error) for late in LATE):
            return None
        raise HarnessError(f"{row.line} as {row.member}: {answer.error or 'no answer'}")
    return answer.complete_ms


class Importer(threading.Thread):
    """Imports the files in turn through Discord until told to stop."""

    def __init__(self, setup: National, files: list[bytes]) -> None:
        super().__init__(daemon=True)
        self.setup = setup
        self.files = files
        self.stop_after_this = threading.Event()
        self.lock = threading.Lock()
        self.running: int | None = None  # the number of the import under way
        self.durations: list[float] = []
        self.failure: str | None = None
        self.answered = ""  # what the bot said at the end of the last import

    def run(self) -> None:
        try:
            number = 0
            while not self.stop_after_this.is_set():
                data = self.files[number % len(self.files)]
                with self.lock:
                    self.running = number
                began = time.perf_counter()
                self.import_once(data)
                with self.lock:
                    self.running = None
                self.durations.append(time.perf_counter() - began)
                print(f"import {number + 1}: {self.durations[-1]:.1f} s", flush=True)
                number += 1
        except Exception as error:  # told to the main thread, which stops everything
            self.failure = f"{type(error).__name__}: {error}"
        finally:
            with self.lock:
                self.running = None

    def import_once(self, data: bytes) -> None:
        sandbox, organiser = self.setup.sandbox, self.setup.organiser
        answer = sandbox.invoke(
            "/inscriptions importer",
            as_member=organiser,
            channel=ORGANISER_CHANNEL,
            attachments={"fichier": ("inscriptions.csv", data)},
            timeout=IMPORT_TIMEOUT,
        )
        check(answer, "/inscriptions importer")
        if any(b.get("custom_id") == CONFIRM for b in answer.buttons):
            answer = sandbox.click(
                answer.message, CONFIRM, as_member=organiser, timeout=IMPORT_TIMEOUT
            )
            check(answer, "import anyway")
        self.answered = answer.text

    def current(self) -> int | None:
        with self.lock:
            return self.running


def check(answer: Answer, what: str) -> None:
    if answer.error:
        raise HarnessError(f"{what}: {answer.error}")


def changed_copy(data: Generated) -> bytes:
    rows = [dict(r, postcode="") if i % 5 == 0 else r for i, r in enumerate(data.signups)]
    return bytes(Generated(data.roster, rows[::-1]).signups_csv())


def settled(pid: int, quiet: float = 0.05, longest: float = 120.0) -> float:
    """Seconds waited until the bot's process used less than ``quiet`` of a core over three
    seconds in a row (its start-up work done: the named-entity model loaded once connected, the charts
    warmed), at most ``longest``; 0 where the process's CPU time cannot be read (no /proc)."""
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime

    began, calm = time.perf_counter(), 0
    while calm < 3 and time.perf_counter() - began < longest:
        before = cpu()
        time.sleep(1.0)
        calm = calm + 1 if cpu() - before < quiet else 0
    return time.perf_counter() - began


def measure(setup: National, args: argparse.Namespace) -> tuple[list[Samples], Importer]:
    rows = [
        Samples("/status (oneself)", "/status", setup.me),
        Samples("/aide", "/aide", setup.bystander),
    ]
    for _ in range(args.warmup):  # dropped; the bot is connected and answering after them
        for row in rows:
            sample(setup, row)
    if setup.bot.pid is not None:
        print(f"the bot settled after {settled(setup.bot.pid):.1f} s", flush=True)
    for _ in range(args.n):
        for row in rows:
            latency = sample(setup, row)
            if latency is None:
                row.unanswered_idle += 1
            row.idle.append(UNANSWERED_MS if latency is None else latency)
    importer = Importer(setup, [changed_copy(setup.data), setup.signups_path.read_bytes()])
    importer.start()
    while importer.is_alive():
        if len(importer.durations) >= args.max_imports or all(
            len(r.loaded) >= args.n for r in rows
        ):
            importer.stop_after_this.set()
        for row in rows:
            before = importer.current()
            latency = sample(setup, row)
            if before is None or importer.current() != before:
                continue
            if latency is None:
                row.unanswered_loaded += 1
            row.loaded.append(UNANSWERED_MS if latency is None else latency)
    importer.join()
    if importer.failure:
        raise HarnessError(f"the import through Discord failed: {importer.failure}")
    return rows, importer


def report(rows: list[Samples], importer: Importer, setup: National) -> int:
    durations = importer.durations
    print(
        f"\n{len(durations)} imports of {len(setup.data.signups):,} sign-up rows through Discord: "
        f"{statistics.median(durations):.1f} s median ({min(durations):.1f}–{max(durations):.1f})"
    )
    print("the last import's answer: " + " / ".join(importer.answered.splitlines()[:4]))
    print(f"{'command':<22}{'':>8}{'n':>7}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}{'late':>6}")
    for row in rows:
        for label, samples, late in (
            ("idle", row.idle, row.unanswered_idle),
            ("import", row.loaded, row.unanswered_loaded),
        ):
            if not samples:
                print(f"{row.name:<22}{label:>8}{0:>7}")
                continue
            print(
                f"{row.name:<22}{label:>8}{len(samples):>7}{percentile(samples, 50):>10.2f}"
                f"{percentile(samples, 99):>10.2f}{max(samples):>10.2f}{late:>6}"
            )
    print(f"late: not acknowledged within 3 s (counted as {UNANSWERED_MS:,.0f} ms)\n")
    missed = False
    for row in rows:
        if not row.loaded:
            raise HarnessError(f"no sample of {row.name} fell within an import")
        n = len(row.loaded)
        p99 = percentile(row.loaded, 99) / percentile(row.idle, 99)
        figure = record(
            BENCHMARK, f"{row.name} during an import / idle, p99 ({n:,} samples)", p99, TARGET
        )
        missed |= figure.ok is False
        p50 = percentile(row.loaded, 50) / percentile(row.idle, 50)
        record(BENCHMARK, f"{row.name} during an import / idle, p50", p50)
    late = sum(r.unanswered_loaded + r.unanswered_idle for r in rows)
    missed |= (
        record(BENCHMARK, "interactions not acknowledged within 3 s", late, 0, unit="").ok is False
    )
    record(
        BENCHMARK,
        f"{len(setup.data.signups):,}-row sign-up import through Discord (median)",
        statistics.median(durations),
        unit=" s",
    )
    return 1 if missed else 0


def profiler(setup: National, output: Path) -> subprocess.Popen[bytes]:
    """py-spy recording the bot until interrupted (SIGINT writes the file)."""
    spy = shutil.which("py-spy")
    if spy is None:
        raise HarnessError("--profile needs py-spy on the PATH (pip install py-spy)")
    if setup.bot.pid is None:
        raise HarnessError("the bot is not running")
    command = [spy, "record", "--pid", str(setup.bot.pid), "--nonblocking", "--threads"]
    command += ["--format", "raw", "--rate", "200", "--output", str(output)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=10_000)
    parser.add_argument("--signups", type=int, default=100_000)
    parser.add_argument(
        "--n", type=int, default=1000, help="samples per command, idle and under import"
    )
    parser.add_argument("--warmup", type=int, default=20, help="idle pairs dropped")
    parser.add_argument("--max-imports", type=int, default=12)
    parser.add_argument(
        "--profile", type=Path, help="py-spy's collapsed stacks of the bot into this file"
    )
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory() as tmp,
        national(Path(tmp), officers=args.officers, signups=args.signups, declarers=0) as setup,
    ):
        spy = profiler(setup, args.profile.resolve()) if args.profile else None
        try:
            rows, importer = measure(setup, args)
        finally:
            if spy is not None:
                spy.send_signal(signal.SIGINT)
                spy.wait(timeout=60)
                print(f"profile of the bot: {args.profile}")
        return report(rows, importer, setup)


if __name__ == "__main__":
    run(main)
