"""Soak: many members sending mixed commands for ten minutes while a nudge campaign runs and
feeds are polled; errors, missed answers, p99 latency and memory at the start and at the end.

Three processes on 127.0.0.1, as in the latency benchmarks (``_harness.py``): the sandbox
(``python -m bot.sandbox serve``, a generated guild, Discord's default limits but no quiet
period), the real bot (``python -m bot run``) on a real SQLite file, and this script, which also
serves the RSS feeds and article pages (``_soak_feeds.py``). The roster (``--officers`` 2,000)
and the sign-ups (``--signups`` 20,000) are generated (``tests.support.synthetic``) and imported
with the bot's command line. Sandbox members are written into the roster's Discord column: the
campaign's recipients (unregistered officers, as many as the sandbox's DM-open limit, one a
second, lets the bot reach in 95 % of the run, at most all the roster's: about 540 nudged of
2,000 officers), and among the members who send commands (``--active``, default 60) registered
officers, unregistered ones (some of whom say "I have registered" with ``/status``'s button) and
members who are no officer; three organisers.

After one untimed call of each command (the first call after a start is cold, measured by the
latency benchmarks), ``/relance envoyer`` starts the campaign and, for ``--minutes`` minutes, a
steady ``--rate`` interactions a second (open loop: sent on time whatever the answers, by
``--workers`` threads) draw from the mix: ``/aide``, ``/status`` about oneself, ``/status
officier:``, ``/status departement:``, ``/progression``, ``/news liste`` (sometimes with its
next-page button), ``/verification`` (sometimes with "review one by one" then "skip"),
``/status`` then "I have registered", and ``/news ajouter lien:`` of a local page. The bot polls
``--feeds`` feeds every five minutes (NEWS_POLL_MINUTES' least), each showing new items at every
poll; NEWS_FETCH_ALLOWLIST opens 127.0.0.1 on the feed server's port only.

Figures (each through ``_report.record``):

- errors (target 0): the bot's log records at ERROR or above and tracebacks, the interactions
  answered with one of the bot's error sentences (unexpected error, Discord refused, database
  busy, disk full, reply too long) or refused by the sandbox, and the sandbox's refused requests
  except the expected 403 50007 of each closed DM (and shared 429s, which Discord sends anyone);
- answers missed (target 0): interactions not acknowledged within Discord's 3 s (or deferred and
  never completed);
- p99 of the complete answer (the sandbox's own timing, ms) over the last minute / over the first
  (target ≤ 1.2); a missed answer counts as 3,500 ms;
- the bot's resident memory (VmRSS, ``/proc/<pid>/status``) at the end / at the end of the first
  minute (target ≤ 1.10);
- counts, reported: interactions sent, nudges delivered, articles stored, feed polls, the load
  average.

    python benchmarks/soak.py [--minutes 10] [--rate 4] [--officers 2000] [--signups 20000]

``make soak`` runs it at its defaults. The run lasts ``--minutes`` plus about a minute of setup.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import random
import re
import sqlite3
import sys
import tempfile
import threading
import time
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _harness import ROOT, Answer, BotProcess, HarnessError, Json, SandboxProcess, run
from _latency import percentile
from _report import record
from _soak_feeds import FeedServer
from crash_nudges import bot_env

from tests.support.synthetic import generate

BENCHMARK = "soak"
P99_TARGET = 1.2
MEMORY_TARGET = 1.10
MISSED_MS = 3500.0  # a missed answer in the percentiles: a lower bound
DM_OPENS_PER_SECOND = 1.0  # the sandbox's default DM-open limit: 5 per 5 s
CAMPAIGN_SHARE = 0.95  # of the run the campaign should last
# Of the unregistered officers linked to a member, the share the bot still finds unregistered
# after the sign-up import, measured on the generator's data (2,000 officers, 800 unregistered, 550
# of them still unregistered after the import): of those with no sign-up at all, four in five
# (a member's sign-up under a like name makes the others probable matches); of the others (a
# homonym elsewhere, a relative's e-mail...), three in five.
ABSENT_STILL_UNREGISTERED = 0.8
OTHERS_STILL_UNREGISTERED = 0.6
ORGANISERS = 3
MEMBERS_CHANNEL = "general"
ORGANISER_CHANNEL = "organisateurs"
# The bot's own error sentences (bot/locales/core.toml): an answer holding one is an error.
ERROR_KEYS = (
    "error.unexpected",
    "error.discord_refused",
    "error.database_busy",
    "error.disk_full",
    "error.reply_too_long",
)
LATE = ("no response within", "after the initial-response deadline")
NOT_COMPLETED = "not completed within"
RECORD_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (\w+)\s")


# ------------------------------------------------------------------------------------ samples


@dataclass
class Sample:
    name: str
    at: float  # seconds from the start of the run, when it was sent
    complete_ms: float | None  # None: missed
    missed: str = ""  # "ack" (not acknowledged in 3 s) or "complete" (deferred, never completed)
    error: str = ""  # what was wrong with the answer


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    behind: int = 0  # interactions sent more than a second late (every worker busy)
    driver_failures: list[str] = field(default_factory=list)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


def error_sentences() -> list[str]:
    """The beginning of each error sentence, in French and English (before any placeholder)."""
    catalog = tomllib.loads((ROOT / "bot" / "locales" / "core.toml").read_text("utf-8"))
    found = []
    for key in ERROR_KEYS:
        for text in catalog[key].values():
            head = str(text).split("{", 1)[0].strip()
            found.append(head[:40])
    return found


# -------------------------------------------------------------------------------------- setup


@dataclass
class Cast:
    """Who does what in the guild."""

    organisers: list[str]
    registered: list[str]  # linked, registered officers (usernames)
    unregistered: list[str]  # linked, not registered, active
    declarers: list[str]  # of the unregistered: those who will say "I have registered"
    strangers: list[str]  # members who are no officer of the roster
    officer_keys: list[str]  # roster keys, for /status officier:
    departments: list[str]  # for /status departement:
    recipients: int  # unregistered officers linked to a member: the campaign's size


def campaign_rows(
    roster: list[dict[str, str]], truth: Json, nudged: int
) -> tuple[list[dict[str, str]], float]:
    """The unregistered roster rows to link to members so that about ``nudged`` of them are
    nudged, and how many are expected: those with no sign-up at all first (the bot most often
    finds them unregistered), then the others, of which the matching takes more for registered
    or probable."""
    unregistered = [r for r in roster if not truth[r["id"]]["registered"]]
    absent = [r for r in unregistered if truth[r["id"]]["case"] == "absent"]
    others = [r for r in unregistered if truth[r["id"]]["case"] != "absent"]
    chosen: list[dict[str, str]] = []
    expected = 0.0
    for row in absent + others:
        if expected >= nudged:
            break
        chosen.append(row)
        no_signup = truth[row["id"]]["case"] == "absent"
        expected += ABSENT_STILL_UNREGISTERED if no_signup else OTHERS_STILL_UNREGISTERED
    return chosen, expected


def cast_guild(
    sandbox: SandboxProcess,
    roster: list[dict[str, str]],
    truth: Json,
    linked_rows: list[dict[str, str]],
    *,
    active: int,
    rng: random.Random,
) -> Cast:
    """Link sandbox members to roster rows (the ``discord`` column, in place): ``active``
    members who send commands (a third registered officers, a sixth no officer, the rest
    unregistered officers, the first of ``linked_rows``), then the rest of ``linked_rows``."""
    members = sandbox.officers()
    registered_rows = [r for r in roster if truth[r["id"]]["registered"]]
    n_registered = active // 3
    n_strangers = active // 6
    n_unregistered = active - n_registered - n_strangers
    if len(members) < n_registered + n_strangers + len(linked_rows):
        raise HarnessError("the sandbox has too few members for the cast")
    it = iter(members)
    registered = []
    for row in registered_rows[:n_registered]:
        member = next(it)
        row["discord"] = str(member["id"])
        registered.append(str(member["username"]))
    strangers = [str(next(it)["username"]) for _ in range(n_strangers)]
    linked = []
    for row in linked_rows:
        member = next(it)
        row["discord"] = str(member["id"])
        linked.append(str(member["username"]))
    unregistered = linked[:n_unregistered]
    sizes = Counter(r["department"] for r in roster)
    return Cast(
        organisers=list(sandbox.info.organisers),
        registered=registered,
        unregistered=unregistered,
        declarers=unregistered[: max(len(unregistered) // 2, 1)],
        strangers=strangers,
        officer_keys=[r["id"] for r in rng.sample(roster, min(200, len(roster)))],
        departments=[code for code, _ in sizes.most_common(20)],
        recipients=len(linked_rows),
    )


# ------------------------------------------------------------------------------------- driver


class Driver:
    """Sends interactions through the sandbox and files their samples."""

    def __init__(
        self,
        sandbox: SandboxProcess,
        cast: Cast,
        feeds: FeedServer,
        seed: int,
        only: frozenset[str] = frozenset(),
    ) -> None:
        self.only = only
        self.sandbox = sandbox
        self.cast = cast
        self.feeds = feeds
        self.rng = random.Random(seed)
        self.rng_lock = threading.Lock()
        self.errors_in_text = error_sentences()
        self.results = Results()
        self.t0 = time.monotonic()
        self.declarers = list(cast.declarers)
        self.counts: Counter[str] = Counter()

    def pick(self, pool: list[str]) -> str:
        with self.rng_lock:
            return self.rng.choice(pool)

    def now(self) -> float:
        return time.monotonic() - self.t0

    # ----- one interaction
    def _file(
        self, name: str, at: float, answer: Answer | None, failure: str = ""
    ) -> Answer | None:
        """Turn an answer into a sample; the answer if it can be clicked on."""
        with self.results.lock:
            self.counts[name] += 1
        if answer is None:
            self.results.add(Sample(name, at, None, error=failure))
            return None
        error = answer.error or ""
        if any(late in error for late in LATE):
            self.results.add(Sample(name, at, None, missed="ack", error=error))
            return None
        if NOT_COMPLETED in error:
            self.results.add(Sample(name, at, None, missed="complete", error=error))
            return None
        complete = answer.raw.get("complete_after")
        ms = float(complete) * 1000 if isinstance(complete, int | float) else None
        if error or not answer.messages:
            self.results.add(Sample(name, at, ms, error=error or "no answer"))
            return None
        text = answer.text
        said = next((s for s in self.errors_in_text if s and s in text), "")
        self.results.add(Sample(name, at, ms, error=f"answered: {said}" if said else ""))
        return None if said else answer

    def invoke(
        self, name: str, line: str, member: str, channel: str = MEMBERS_CHANNEL, timeout: float = 60
    ) -> Answer | None:
        at = self.now()
        try:
            answer = self.sandbox.invoke(line, as_member=member, channel=channel, timeout=timeout)
        except HarnessError as error:
            return self._file(name, at, None, f"control API: {error}")
        return self._file(name, at, answer)

    def click(self, name: str, answer: Answer, target: str, member: str) -> Answer | None:
        if not any(b.get("custom_id") == target for b in answer.buttons):
            return None
        at = self.now()
        try:
            clicked = self.sandbox.click(answer.message, target, as_member=member)
        except HarnessError as error:
            return self._file(name, at, None, f"control API: {error}")
        return self._file(name, at, clicked)

    # ----- the mix
    def aide(self) -> None:
        self.invoke("/aide", "/aide", self.pick(self.cast.strangers + self.cast.registered))

    def status_self(self) -> None:
        self.invoke(
            "/status (oneself)", "/status", self.pick(self.cast.registered + self.cast.unregistered)
        )

    def status_officer(self) -> None:
        key = self.pick(self.cast.officer_keys)
        self.invoke("/status officier", f"/status officier:{key}", self.pick(self.cast.organisers))

    def status_department(self) -> None:
        code = self.pick(self.cast.departments)
        self.invoke(
            "/status departement", f"/status departement:{code}", self.pick(self.cast.organisers)
        )

    def progression(self) -> None:
        member = self.pick(self.cast.strangers + self.cast.registered + self.cast.organisers)
        self.invoke("/progression", "/progression", member)

    def news_list(self) -> None:
        self.invoke(
            "/news liste", "/news liste", self.pick(self.cast.registered + self.cast.strangers)
        )

    def news_list_next(self) -> None:
        member = self.pick(self.cast.organisers)
        answer = self.invoke("/news liste", "/news liste", member)
        if answer is not None:
            self.click("button: next page", answer, "page:next", member)

    def review(self) -> None:
        member = self.pick(self.cast.organisers)
        self.invoke("/verification", "/verification", member, channel=ORGANISER_CHANNEL)

    def review_skip(self) -> None:
        member = self.pick(self.cast.organisers)
        answer = self.invoke("/verification", "/verification", member, channel=ORGANISER_CHANNEL)
        if answer is not None:
            started = self.click("button: review one by one", answer, "review:start", member)
            if started is not None:
                self.click("button: skip", started, "review:skip", member)

    def declare(self) -> None:
        with self.rng_lock:
            member = self.declarers.pop() if self.declarers else None
        if member is None:
            self.status_self()
            return
        answer = self.invoke("/status (oneself)", "/status", member)
        if answer is not None:
            self.click("button: I have registered", answer, "status:declare", member)

    def news_add(self) -> None:
        url = self.feeds.next_page_url()
        self.invoke("/news ajouter", f"/news ajouter lien:{url}", self.pick(self.cast.organisers))

    def mix(self) -> list[tuple[Callable[[], None], int]]:
        """(action, weight); with ``only``, the actions of those names alone."""
        return [
            (action, weight)
            for action, weight in self.full_mix()
            if not self.only or action.__name__ in self.only
        ]

    def full_mix(self) -> list[tuple[Callable[[], None], int]]:
        return [
            (self.aide, 15),
            (self.status_self, 25),
            (self.status_officer, 10),
            (self.status_department, 8),
            (self.progression, 10),
            (self.news_list, 8),
            (self.news_list_next, 3),
            (self.review, 4),
            (self.review_skip, 2),
            (self.declare, 2),
            (self.news_add, 2),
        ]

    def warm_up(self) -> None:
        """One call of each kind, untimed: the first call after a start is a cold one."""
        for action, _ in self.mix():
            # Not the two that use something up (a declarer, a page never added before).
            if action.__name__ not in ("declare", "news_add"):
                action()
        self.results = Results()
        self.counts.clear()

    def run(self, seconds: float, rate: float, workers: int) -> None:
        """Open loop: one interaction every 1/rate s, drawn from the mix, for ``seconds``."""
        actions, weights = zip(*self.mix(), strict=True)
        jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()

        def work() -> None:
            while (job := jobs.get()) is not None:
                try:
                    job()
                except Exception as error:  # a driver bug: reported, the soak goes on
                    with self.results.lock:
                        self.results.driver_failures.append(f"{type(error).__name__}: {error}")

        threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
        for thread in threads:
            thread.start()
        total = int(seconds * rate)
        for k in range(total):
            due = self.t0 + k / rate
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)  # pacing of the load, not a wait for the bot
            elif wait < -1:
                self.results.behind += 1
            with self.rng_lock:
                action = self.rng.choices(actions, weights)[0]
            jobs.put(action)
        for _ in threads:
            jobs.put(None)
        for thread in threads:
            thread.join(120)


# ------------------------------------------------------------------------------------- memory


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise HarnessError("no VmRSS in /proc/<pid>/status")


class MemoryWatch(threading.Thread):
    """The bot's VmRSS once a second, with the run's clock."""

    def __init__(self, pid: int, t0: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.t0 = pid, t0
        self.samples: list[tuple[float, float]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(1.0):
            with contextlib.suppress(OSError):
                self.samples.append((time.monotonic() - self.t0, rss_mb(self.pid)))

    def at(self, second: float) -> float:
        """The last sample taken at or before ``second``."""
        before = [mb for t, mb in self.samples if t <= second]
        if not before:
            raise HarnessError(f"no memory sample before {second:.0f} s")
        return before[-1]


# ---------------------------------------------------------------------------------------- log


def log_errors(text: str) -> list[str]:
    """The first line of each log record at ERROR or above, or holding a traceback."""
    found: list[str] = []
    current: list[str] = []
    level = ""

    def close() -> None:
        if current and (level in ("ERROR", "CRITICAL") or any("Traceback" in x for x in current)):
            found.append(current[0][:300])

    for line in text.splitlines():
        match = RECORD_START.match(line)
        if match:
            close()
            current, level = [line], match[1]
        else:
            if not current:
                current, level = [line], ""
            else:
                current.append(line)
    close()
    return found


def log_levels(text: str) -> Counter[str]:
    return Counter(m[1] for line in text.splitlines() if (m := RECORD_START.match(line)))


# ------------------------------------------------------------------------------------ figures


def windows(samples: list[Sample], seconds: float) -> list[list[Sample]]:
    minutes = max(round(seconds / 60), 1)
    out: list[list[Sample]] = [[] for _ in range(minutes)]
    for s in samples:
        out[min(int(s.at // 60), minutes - 1)].append(s)
    return out


def latencies(samples: list[Sample]) -> list[float]:
    return [MISSED_MS if s.complete_ms is None else s.complete_ms for s in samples]


def refused_requests(errors: list[Json], counters: Json) -> tuple[list[Json], int]:
    """(unexpected refusals, expected 403 50007). 429s are counted by scope: shared ones are
    Discord's own and left out, the others (the bot over a limit) are unexpected; a 404 10062
    (an interaction answered too late) is an answer missed, counted there."""
    unexpected, closed = [], 0
    for e in errors:
        status, code = int(e.get("status", 0)), int(e.get("code") or 0)
        if status == 403 and code == 50007:
            closed += 1
        elif status == 404 and code == 10062:
            continue  # a late answer to an interaction: counted among the answers missed
        elif status != 429:
            unexpected.append(e)
    for scope, count in (counters.get("rate_limited") or {}).items():
        if scope != "shared" and int(count):
            unexpected.append({"status": 429, "code": scope, "message": f"{count} times"})
    return unexpected, closed


def articles_stored(database: Path) -> tuple[int, int]:
    """(articles, of which from a feed), read from the file with a read-only connection."""
    uri = f"file:{database}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=5)) as db:
        total = db.execute("SELECT COUNT(*) FROM news_articles").fetchone()[0]
        fed = db.execute(
            "SELECT COUNT(*) FROM news_articles WHERE source LIKE 'feed:%'"
        ).fetchone()[0]
    return int(total), int(fed)


def campaign_summary(database: Path, t0_wall: float) -> Json:
    """The soak's campaign as the ledger has it (read-only): state, deliveries by state and
    failure, and when its last nudge was sent, in seconds from the start of the run."""
    uri = f"file:{database}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=5)) as db:
        row = db.execute("SELECT id, state FROM reminder_campaigns ORDER BY id DESC").fetchone()
        if row is None:
            return {"state": "none", "sent": 0, "last_sent_after": None, "deliveries": {}}
        states = db.execute(
            "SELECT state || COALESCE(' ' || failure, ''), COUNT(*) FROM reminder_deliveries"
            " WHERE campaign_id = ? GROUP BY 1",
            (row[0],),
        ).fetchall()
        fallbacks, last = db.execute(
            "SELECT SUM(fallback), MAX(sent_at) FROM reminder_deliveries"
            " WHERE campaign_id = ? AND state = 'sent'",
            (row[0],),
        ).fetchone()
    by_state = {str(k): int(v) for k, v in states}
    last_after = datetime.fromisoformat(last).timestamp() - t0_wall if last else None
    return {
        "state": str(row[1]),
        "sent": by_state.get("sent", 0),
        "fallbacks": int(fallbacks or 0),
        "deliveries": by_state,
        "last_sent_after": last_after,
    }


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} s"


def report(driver: Driver, memory: MemoryWatch, seconds: float, extra: Json) -> int:
    samples = driver.results.samples
    parts = windows(samples, seconds)
    print(
        f"\n{'minute':>6}{'n':>7}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}"
        f"{'missed':>8}{'errors':>8}{'RSS MB':>9}"
    )
    for index, part in enumerate(parts):
        values = latencies(part) or [0.0]
        late = sum(1 for s in part if s.missed)
        wrong = sum(1 for s in part if s.error and not s.missed)
        print(
            f"{index + 1:>6}{len(part):>7}{percentile(values, 50):>10.1f}"
            f"{percentile(values, 95):>10.1f}{percentile(values, 99):>10.1f}"
            f"{max(values):>10.1f}{late:>8}{wrong:>8}"
            f"{memory.at((index + 1) * 60 if index + 1 < len(parts) else seconds):>9.1f}"
        )
    by_name: dict[str, list[Sample]] = {}
    for s in samples:
        by_name.setdefault(s.name, []).append(s)
    print(
        f"\n{'interaction':<30}{'n':>7}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}"
        f"{'p50 first/last min':>22}"
    )
    for name, rows in sorted(by_name.items(), key=lambda kv: -len(kv[1])):
        values = latencies(rows)
        final = len(parts) - 1
        ends = [
            latencies([s for s in rows if min(int(s.at // 60), final) == i]) for i in (0, final)
        ]
        trend = " / ".join(f"{percentile(v, 50):.1f}" if v else "—" for v in ends)
        print(
            f"{name:<30}{len(rows):>7}{percentile(values, 50):>10.1f}"
            f"{percentile(values, 99):>10.1f}{max(values):>10.1f}{trend:>22}"
        )

    answer_errors = [s for s in samples if s.error and not s.missed]
    missed = [s for s in samples if s.missed]
    unexpected, closed = extra["refused"]
    log_found = extra["log_errors"]
    for s in answer_errors[:10]:
        print(f"  answer error: {s.name} at {s.at:.0f} s: {s.error[:200]}")
    for s in missed[:10]:
        print(f"  missed: {s.name} at {s.at:.0f} s: {s.error[:200]}")
    for e in unexpected[:10]:
        print(
            f"  refused request: {e.get('method')} {e.get('route') or e.get('path')} "
            f"{e.get('status')} {e.get('code')} {str(e.get('message'))[:120]}"
        )
    for line in log_found[:10]:
        print(f"  bot log: {line}")
    for failure in driver.results.driver_failures[:10]:
        print(f"  driver failure: {failure}")
    print(f"bot log records by level: {dict(extra['log_levels'])}")
    print(
        f"expected refusals (403 50007, closed DMs): {closed}; "
        f"interactions sent more than 1 s late by the driver: {driver.results.behind}"
    )

    errors = len(answer_errors) + len(unexpected) + len(log_found)
    first, last = latencies(parts[0]), latencies(parts[-1])
    p99_first, p99_last = percentile(first, 99), percentile(last, 99)
    rss_first, rss_last = memory.at(60), memory.at(seconds)
    print(
        f"p99 first minute {p99_first:.1f} ms ({len(first)} samples), last minute "
        f"{p99_last:.1f} ms ({len(last)}); RSS {rss_first:.1f} MB -> {rss_last:.1f} MB"
    )
    minutes = f"{seconds / 60:g} min"
    results = [
        record(
            BENCHMARK,
            f"errors ({minutes}: answers {len(answer_errors)}, refused requests "
            f"{len(unexpected)}, bot log {len(log_found)})",
            errors,
            0,
            unit="",
        ),
        record(BENCHMARK, "answers missed (not acknowledged within 3 s)", len(missed), 0, unit=""),
        record(
            BENCHMARK,
            "p99 complete answer, last minute / first minute",
            p99_last / p99_first,
            P99_TARGET,
        ),
        record(
            BENCHMARK,
            "bot memory (VmRSS), end / end of the first minute",
            rss_last / rss_first,
            MEMORY_TARGET,
        ),
    ]
    record(
        BENCHMARK,
        "p95 complete answer, last minute / first minute",
        percentile(last, 95) / percentile(first, 95),
    )
    record(BENCHMARK, "p99 complete answer, first minute", p99_first, unit=" ms")
    record(BENCHMARK, "p99 complete answer, last minute", p99_last, unit=" ms")
    record(BENCHMARK, "bot VmRSS at the end of the first minute", rss_first, unit=" MB")
    record(BENCHMARK, "bot VmRSS at the end", rss_last, unit=" MB")
    record(BENCHMARK, f"interactions sent ({seconds / 60:g} min)", len(samples), unit="")
    record(
        BENCHMARK,
        f"nudges delivered (of {extra['recipients']} members linked, campaign "
        f"{extra['campaign_state']}, last one after {_seconds(extra['campaign_last'])})",
        extra["nudges"],
        unit="",
    )
    record(
        BENCHMARK,
        f"articles stored ({extra['fed']} from {extra['feeds']} feeds, "
        f"{extra['feed_fetches']} feed fetches)",
        extra["articles"],
        unit="",
    )
    record(BENCHMARK, "load average (1 min) at the start", extra["load_start"], unit="")
    record(BENCHMARK, "load average (1 min) at the end", extra["load_end"], unit="")
    return 1 if any(f.ok is False for f in results) else 0


# --------------------------------------------------------------------------------------- main


def soak(work: Path, args: argparse.Namespace) -> int:
    seconds = args.minutes * 60
    nudged = max(int(seconds * CAMPAIGN_SHARE * DM_OPENS_PER_SECOND), 10)
    now = datetime.now(UTC)
    start = (now - timedelta(days=42)).replace(tzinfo=None, second=0, microsecond=0)
    began = time.perf_counter()
    data = generate(
        args.officers,
        max(args.signups - int(args.officers * 0.65), 0),
        seed=args.seed,
        start=start,
        days=42,
    )
    linked_rows, expected = campaign_rows(data.roster, data.truth, nudged)
    print(
        f"generated {len(data.roster):,} officers and {len(data.signups):,} sign-ups in "
        f"{time.perf_counter() - began:.1f} s; {len(linked_rows)} unregistered officers linked "
        f"to members, about {expected:.0f} nudges expected (wanted {nudged}: at one DM opened a "
        f"second, {CAMPAIGN_SHARE:.0%} of the run)",
        flush=True,
    )
    sandbox = SandboxProcess(
        members=len(linked_rows) + args.active,
        closed_dms=args.closed_dms,
        seed=args.seed,
        organisers=ORGANISERS,
        limits=["quiet_period=0"],
        log_path=work / "sandbox.log",
    )
    with FeedServer(feeds=args.feeds, per_poll=args.per_poll) as feeds, sandbox:
        rng = random.Random(args.seed)
        cast = cast_guild(
            sandbox, data.roster, data.truth, linked_rows, active=args.active, rng=rng
        )
        env = {
            **bot_env(),
            "NEWS_FEEDS": " ".join(feeds.feed_urls()),
            "NEWS_POLL_MINUTES": "5",
            "NEWS_FETCH_ALLOWLIST": f"127.0.0.1:{feeds.port}",
        }
        with BotProcess(sandbox, work, env=env) as bot:
            (work / "roster.csv").write_bytes(data.roster_csv())
            (work / "signups.csv").write_bytes(data.signups_csv())
            began = time.perf_counter()
            bot.cli("import-roster", str(work / "roster.csv"))
            bot.cli("import-signups", "--yes", str(work / "signups.csv"))
            print(
                f"imported with the bot's command line in {time.perf_counter() - began:.1f} s",
                flush=True,
            )
            bot.start()
            assert bot.pid is not None
            only = frozenset(args.commands.split(",")) if args.commands else frozenset()
            driver = Driver(sandbox, cast, feeds, args.seed, only)
            driver.warm_up()
            sandbox.reset_counters()
            load_start = os.getloadavg()[0]
            driver.t0 = time.monotonic()
            t0_wall = time.time()
            memory = MemoryWatch(bot.pid, driver.t0)
            memory.start()
            answer = sandbox.invoke(
                "/relance envoyer", as_member=cast.organisers[0], channel=ORGANISER_CHANNEL
            )
            if answer.error:
                raise HarnessError(f"/relance envoyer: {answer.error}")
            if any(b.get("label") == "Envoyer" for b in answer.buttons):
                sandbox.click(answer.message, "Envoyer", as_member=cast.organisers[0])
            print(
                f"campaign started; {args.rate:g} interactions a second for "
                f"{args.minutes:g} minutes (load average {load_start:.2f})",
                flush=True,
            )
            driver.run(seconds, args.rate, args.workers)
            time.sleep(max(0.0, driver.t0 + seconds + 1 - time.monotonic()))
            memory.done.set()
            memory.join()
            load_end = os.getloadavg()[0]
            counters = sandbox.counters()
            refused = refused_requests(sandbox.errors(), counters)
            campaign = campaign_summary(bot.database_path, t0_wall)
            total, fed = articles_stored(bot.database_path)
            if not bot.running:
                raise HarnessError(f"the bot died during the soak:\n{bot.log_tail()}")
            bot.stop()
            log = bot.log_path.read_text(encoding="utf-8", errors="replace")
    print(f"campaign: {json.dumps(campaign, ensure_ascii=False)[:400]}")
    print(f"feed server: {dict(feeds.fetches)}; interactions by kind: {dict(driver.counts)}")
    extra: Json = {
        "refused": refused,
        "log_errors": log_errors(log),
        "log_levels": log_levels(log),
        "recipients": cast.recipients,
        "campaign_state": campaign.get("state", "?"),
        "nudges": int(campaign["sent"]),
        "campaign_last": campaign["last_sent_after"],
        "articles": total,
        "fed": fed,
        "feeds": args.feeds,
        "feed_fetches": feeds.fetches["feed"],
        "load_start": load_start,
        "load_end": load_end,
    }
    with open(work / "samples.jsonl", "w", encoding="utf-8") as out:
        for sample in driver.results.samples:
            out.write(json.dumps(asdict(sample), ensure_ascii=False) + "\n")
        out.write(json.dumps({"memory": memory.samples}) + "\n")
    return report(driver, memory, seconds, extra)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=4.0, help="interactions a second")
    parser.add_argument("--workers", type=int, default=16, help="threads sending them")
    parser.add_argument("--officers", type=int, default=2000)
    parser.add_argument("--signups", type=int, default=20_000)
    parser.add_argument("--active", type=int, default=60, help="members sending commands")
    parser.add_argument("--closed-dms", type=float, default=0.1)
    parser.add_argument("--feeds", type=int, default=4)
    parser.add_argument("--per-poll", type=int, default=4, help="new items per feed and poll")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--commands",
        help="only these parts of the mix, by name (aide,status_self,review...): to find out "
        "which one a figure comes from",
    )
    parser.add_argument("--keep", type=Path, help="keep the logs and database in this folder")
    args = parser.parse_args(argv)
    if args.active < 50:
        parser.error("--active: at least 50 members")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        return soak(args.keep, args)
    with tempfile.TemporaryDirectory() as tmp:
        return soak(Path(tmp), args)


if __name__ == "__main__":
    run(main)
