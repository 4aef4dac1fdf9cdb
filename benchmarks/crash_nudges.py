"""Crash test of a nudge campaign: SIGKILL the real bot at random points, restart, count.

The sandbox (``python -m bot.sandbox serve``) serves a generated guild of ``--officers``
officers, ``--closed-dms`` of them with DMs closed (they get the department channel instead).
The bot (``python -m bot run``) imports a matching roster, an organiser runs ``/relance envoyer``
and the campaign starts. At ``--kills`` points picked with ``--seed`` (after k messages seen by
the sandbox, k in the campaign's range) the bot is killed with SIGKILL and started again on the
same database; it resumes the unfinished campaign by itself. At the end the sandbox's deliveries
report is read: every targeted officer must have exactly one nudge (DM + channel messages == 1).

    python benchmarks/crash_nudges.py [--officers 500] [--kills 5] [--seed 1]

Prints planned, delivered, lost and doubled; exits 1 if any is lost or doubled (or on an error).
Everything runs on 127.0.0.1; the DM-open limit is raised (``--dm-open``) so that the run takes
a couple of minutes instead of one DM opened per second.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import BotProcess, HarnessError, Json, SandboxProcess, roster_bot, run

SEND = "/relance envoyer"


def bot_env(deadline_days: int = 5) -> dict[str, str]:
    """Settings for a campaign that starts at once: a deadline ahead, no quiet hours, no button."""
    deadline = date.today() + timedelta(days=deadline_days)
    return {
        "REGISTRATION_DEADLINE": deadline.isoformat(),
        "PLATFORM_URL": "https://plateforme.example.org/inscription",
        "NUDGE_LADDER": "14,7,3,2,1",
        "NUDGE_SCHEDULE": "",
        "QUIET_HOURS": "",
        "NUDGE_CONFIRM_ABOVE": "100000",
    }


def campaigns(bot: BotProcess) -> list[Json]:
    """``python -m bot nudge history --json`` (newest first)."""
    done = bot.cli("nudge", "history", "--json")
    return list(json.loads(done.stdout or "[]"))


def start_campaign(sandbox: SandboxProcess, bot: BotProcess) -> Json:
    """``/relance envoyer`` as an organiser; the campaign as the ledger has it."""
    answer = sandbox.invoke(SEND, as_member=sandbox.info.organisers[0], channel="organisateurs")
    if answer.error:
        raise HarnessError(f"{SEND}: {answer.error}")
    if any(b.get("label") == "Envoyer" for b in answer.buttons):
        answer = sandbox.click(answer.message, "Envoyer", as_member=sandbox.info.organisers[0])
    found = campaigns(bot)
    if not found:
        raise HarnessError(f"{SEND} started no campaign: {answer.text[:300]}")
    return found[0]


def wait_done(sandbox: SandboxProcess, bot: BotProcess, campaign_id: int, timeout: float) -> Json:
    """Until the ledger says the campaign is done; the sandbox's message wait paces the checks."""
    deadline = time.monotonic() + timeout
    while True:
        current = next(c for c in campaigns(bot) if c["id"] == campaign_id)
        if current["state"] == "done" and current["pending"] == 0:
            return current
        if time.monotonic() > deadline:
            raise HarnessError(f"campaign {campaign_id} not done in {timeout:g} s: {current}")
        if not bot.running:
            raise HarnessError(f"the bot died:\n{bot.log_tail()}")
        seen = int(sandbox.counters()["bot_messages"])
        try:
            sandbox.wait_for_messages(seen + 1, timeout=1)
        except HarnessError as error:
            if " 504 " not in f" {error} ":
                raise


def count(deliveries: list[Json], targeted: set[str]) -> tuple[int, list[str], list[str]]:
    """(delivered, lost, doubled) over the targeted officers' ids."""
    delivered, lost, doubled = 0, [], []
    by_id = {str(d["id"]): d for d in deliveries}
    for member in sorted(targeted):
        d = by_id.get(member, {})
        got = int(d.get("dm_messages", 0)) + int(d.get("channel_messages", 0))
        if got == 1:
            delivered += 1
        elif got == 0:
            lost.append(str(d.get("username", member)))
        else:
            doubled.append(str(d.get("username", member)))
    return delivered, lost, doubled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=500)
    parser.add_argument("--closed-dms", type=float, default=0.1)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dm-open", default="10/1", help="sandbox DM-open limit (n/seconds)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds for the whole run")
    parser.add_argument("--keep", type=Path, help="keep the logs and database in this folder")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    started = time.monotonic()
    print(f"sandbox limits: defaults but dm_open={args.dm_open} (so that it takes minutes)")
    with roster_bot(
        members=args.officers,
        closed_dms=args.closed_dms,
        seed=args.seed,
        env=bot_env(),
        limits=[f"dm_open={args.dm_open}"],
        keep=args.keep,
    ) as (sandbox, bot, officers):
        closed = sum(1 for o in officers if not o["dms_open"])
        before = int(sandbox.counters()["bot_messages"])
        campaign = start_campaign(sandbox, bot)
        planned = int(campaign["planned"])
        print(
            f"{len(officers)} officers ({closed} with DMs closed); campaign {campaign['id']}, "
            f"step D-{campaign['step']}, {planned} planned"
        )
        points = sorted(rng.sample(range(1, max(planned, args.kills + 1)), args.kills))
        for number, k in enumerate(points, start=1):
            left = max(1.0, args.timeout - (time.monotonic() - started))
            seen = sandbox.wait_for_messages(before + k, timeout=left)
            bot.restart()
            print(f"kill {number}: SIGKILL after {seen - before} messages; restart")
        left = max(1.0, args.timeout - (time.monotonic() - started))
        final = wait_done(sandbox, bot, int(campaign["id"]), left)
        bot.stop()
        targeted = {str(o["id"]) for o in officers}
        delivered, lost, doubled = count(sandbox.deliveries(messages=False), targeted)
        counters = sandbox.counters()
    elapsed = time.monotonic() - started
    print(f"ledger: sent {final['sent']}, fallbacks {final['fallbacks']}, failed {final['failed']}")
    print(
        f"bot starts {bot.starts}; nonce replays {counters.get('nonce_replays', 0)}; "
        f"{elapsed:.1f} s in all"
    )
    print(f"planned {planned}")
    print(f"delivered {delivered}")
    print(f"lost {len(lost)}" + (f" ({', '.join(lost[:10])})" if lost else ""))
    print(f"doubled {len(doubled)}" + (f" ({', '.join(doubled[:10])})" if doubled else ""))
    ok = not lost and not doubled and delivered == planned == len(targeted)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    run(main)
