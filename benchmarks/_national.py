"""A national-sized setup for the latency benchmarks: the sandbox and the real bot as processes,
10,000 officers and about 100,000 sign-ups stored (fictional, ``tests.support.synthetic``).

The sandbox serves a generated guild; a few of its members are written into the generated roster's
Discord column, so that they are linked officers: ``me`` (a registered one, for ``/status`` about
oneself) and ``declarers`` (not registered, each of whom can say "I have registered" once). The
roster and the sign-ups are imported with the bot's own command line before it starts.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _harness import BotProcess, SandboxProcess

from tests.support.synthetic import Generated, generate

CAMPAIGN_DAYS = 42
ORGANISER_CHANNEL = "organisateurs"
MEMBERS_CHANNEL = "general"


@dataclass
class National:
    sandbox: SandboxProcess
    bot: BotProcess
    data: Generated
    work: Path
    organiser: str  # a username
    me: str  # a linked, registered officer's username
    bystander: str  # a member who is no officer of the roster (runs /aide)
    declarers: list[str]  # linked officers not registered in the data
    officer_key: str  # a registered officer's roster key
    department: str  # the roster's largest department
    department_size: int
    signups_path: Path


def timed(label: str, seconds: float) -> None:
    print(f"  {label:<44}{seconds:>8.2f} s", flush=True)


@contextmanager
def national(
    work: Path,
    *,
    officers: int,
    signups: int,
    declarers: int,
    seed: int = 2026,
    env: dict[str, str] | None = None,
) -> Iterator[National]:
    """The sandbox, the bot (started) and the stored data; everything stopped on exit."""
    now = datetime.now(UTC)
    start = (now - timedelta(days=CAMPAIGN_DAYS)).replace(tzinfo=None, second=0, microsecond=0)
    began = time.perf_counter()
    data = generate(
        officers,
        max(signups - int(officers * 0.65), 0),
        seed=seed,
        start=start,
        days=CAMPAIGN_DAYS,
    )
    print(
        f"generated {len(data.roster):,} officers and {len(data.signups):,} sign-ups "
        f"in {time.perf_counter() - began:.1f} s",
        flush=True,
    )
    # A tenth more declarers than needed: the matching may find some of them registered anyway.
    wanted = declarers + declarers // 10 + 5
    sandbox = SandboxProcess(
        members=wanted + 2, seed=seed, limits=["quiet_period=0"], log_path=work / "sandbox.log"
    )
    env = {"REGISTRATION_DEADLINE": (now + timedelta(days=14)).date().isoformat(), **(env or {})}
    with sandbox, BotProcess(sandbox, work, env=env) as bot:
        members = sandbox.officers()
        me, bystander, others = members[0], members[1], iter(members[2:])
        registered = [r for r in data.roster if data.truth[r["id"]]["registered"]]
        registered[0]["discord"] = str(me["id"])
        chosen: list[str] = []
        for row in data.roster:
            if len(chosen) == wanted:
                break
            if not data.truth[row["id"]]["registered"]:
                member = next(others)
                row["discord"] = str(member["id"])
                chosen.append(str(member["username"]))
        roster_path = work / "roster.csv"
        roster_path.write_bytes(data.roster_csv())
        signups_path = work / "signups.csv"
        signups_path.write_bytes(data.signups_csv())
        print("imports with the bot's command line (real SQLite file, one process each):")
        began = time.perf_counter()
        bot.cli("import-roster", str(roster_path))
        timed(f"roster, {len(data.roster):,} officers", time.perf_counter() - began)
        began = time.perf_counter()
        bot.cli("import-signups", "--yes", str(signups_path))
        timed(f"sign-ups, {len(data.signups):,} rows", time.perf_counter() - began)
        sizes = Counter(r["department"] for r in data.roster)
        department, size = sizes.most_common(1)[0]
        bot.start()
        yield National(
            sandbox=sandbox,
            bot=bot,
            data=data,
            work=work,
            organiser=sandbox.info.organisers[0],
            me=str(me["username"]),
            bystander=str(bystander["username"]),
            declarers=chosen,
            officer_key=str(registered[1]["id"]),
            department=str(department),
            department_size=size,
            signups_path=signups_path,
        )
