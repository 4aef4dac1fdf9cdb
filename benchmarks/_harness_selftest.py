"""Self-check of ``_harness``: three real processes, a crash and a restart.

Starts the sandbox process with a generated guild, imports a matching roster with the bot's own
command line, starts ``python -m bot run`` against the sandbox, runs ``/aide`` as an organiser in
the organisers' channel, SIGKILLs the bot, starts it again on the same database and sandbox, runs
``/aide`` again, and prints OK (or what went wrong, with exit code 1).

    python benchmarks/_harness_selftest.py [--members 20]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import Answer, BotProcess, HarnessError, SandboxProcess, run, write_roster

HELP_TITLE = "Commandes de Relance"


def check(condition: bool, what: str) -> None:
    if not condition:
        raise HarnessError(what)


def help_shown(answer: Answer) -> bool:
    return answer.error is None and HELP_TITLE in answer.text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sandbox = SandboxProcess(
            members=args.members, closed_dms=0.25, seed=7, log_path=work / "sandbox.log"
        )
        with sandbox, BotProcess(sandbox, work) as bot:
            officers = sandbox.officers()
            check(len(officers) == args.members, f"{len(officers)} officers, not {args.members}")
            closed = sum(1 for o in officers if not o["dms_open"])
            check(closed == round(args.members * 0.25), f"{closed} officers with DMs closed")
            roster = write_roster(work / "roster.csv", officers)
            imported = bot.import_roster(roster)
            print(imported.stdout.strip().splitlines()[0] if imported.stdout.strip() else "")

            organiser = sandbox.info.organisers[0]
            bot.start()
            first = sandbox.invoke("/aide", as_member=organiser, channel="organisateurs")
            check(help_shown(first), f"/aide before the crash: {first.error or first.text[:200]}")

            bot.kill()
            bot.start()
            second = sandbox.invoke("/aide", as_member=organiser, channel="organisateurs")
            check(
                help_shown(second), f"/aide after the restart: {second.error or second.text[:200]}"
            )

            counters = sandbox.counters()
            check(counters["identifies"] == 2, f"{counters['identifies']} identifies, not 2")
            check(
                counters["invalid_requests"] == 0,
                f"{counters['invalid_requests']} invalid requests",
            )
            print(
                f"sandbox pid {sandbox.pid}: {len(officers)} officers ({closed} with DMs closed); "
                f"bot started {bot.starts} times, {counters['identifies']} identifies, "
                f"{counters['gateway_disconnects']} disconnects"
            )
    print("OK")
    return 0


if __name__ == "__main__":
    run(main)
