"""Command line: ``python -m bot COMMAND`` (also installed as ``relance``)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from bot import __version__
from bot.config import ConfigError, Settings, load_settings
from bot.errors import UserError
from bot.i18n import as_locale, catalog
from bot.logs import setup_logging
from bot.storage.database import MigrationError

EXIT_USER_ERROR = 1
EXIT_CONFIG = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="relance",
        description="Relance: officer registration status, reminders and press coverage on Discord.",
    )
    parser.add_argument("--version", action="version", version=f"relance {__version__}")
    parser.add_argument("--env-file", default=".env", help="the env file to read (default: .env)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("run", help="log in to Discord with DISCORD_TOKEN and serve")
    shell = sub.add_parser(
        "shell", help="try every command in a terminal, on a local sandbox with demo data"
    )
    shell.add_argument("--database", help="database file (default: a fresh demo database)")
    shell.add_argument(
        "--as", dest="member", default="alice", help="the member typing (default: alice)"
    )
    shell.add_argument("--files", help="folder where attachments are saved")
    sub.add_parser("check-config", help="validate the configuration and print it, secrets masked")
    backup = sub.add_parser(
        "backup", help="write a consistent copy of the database, even while the bot runs"
    )
    backup.add_argument("path")

    roster = sub.add_parser("import-roster", help="import the officers' roster (CSV)")
    roster.add_argument("file")
    roster.add_argument(
        "--dry-run", action="store_true", help="show the changes without applying them"
    )
    signups = sub.add_parser(
        "import-signups", help="import the platform's sign-up export (CSV) and reconcile"
    )
    signups.add_argument("file")
    status = sub.add_parser("status", help="registration status, national or for one department")
    status.add_argument("--department", help="a department code or name")
    status.add_argument("--json", action="store_true")
    reconcile = sub.add_parser(
        "reconcile", help="match a roster against a sign-up export, without a database"
    )
    reconcile.add_argument("--roster", required=True)
    reconcile.add_argument("--signups", required=True)
    reconcile.add_argument("--json", action="store_true", help="print JSON (the only format)")

    for name, text in (
        ("summarise", "summarise articles (text or HTML files), one result per file"),
        ("digest", "summarise a set of articles as one digest"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--max-words", type=int, default=None)
        cmd.add_argument("--json", action="store_true", help="print JSON (the only format)")
        cmd.add_argument("files", nargs="+", metavar="FILE")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        settings = load_settings(args.env_file)
    except ConfigError as exc:
        print(catalog().t("config.header", exc.locale), file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_CONFIG
    setup_logging(settings.log_level, [settings.discord_token.reveal()])
    handler = COMMANDS[args.command]
    try:
        return handler(settings, args)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_CONFIG
    except UserError as exc:
        from bot.client import render_user_error

        print(
            render_user_error(catalog(), exc, as_locale(settings.locale), max_lines=200),
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except MigrationError as exc:
        print(
            say(settings, "cli.database_error", path=settings.database_path, error=exc),
            file=sys.stderr,
        )
        return EXIT_CONFIG
    except sqlite3.DatabaseError as exc:
        print(
            say(settings, "cli.database_error", path=settings.database_path, error=exc),
            file=sys.stderr,
        )
        return EXIT_CONFIG
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, as command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        path = exc.filename or "?"
        print(say(settings, "cli.os_error", path=path, error=exc.strerror or exc), file=sys.stderr)
        return EXIT_USER_ERROR
    except Exception:
        logging.getLogger("bot").debug("unexpected error", exc_info=True)
        print(say(settings, "cli.unexpected"), file=sys.stderr)
        return EXIT_USER_ERROR


def say(settings: Settings, key: str, /, **params: object) -> str:
    """A sentence of the catalog in the configured language."""
    return catalog().t(key, as_locale(settings.locale), **params)


def _run_async(coro: Coroutine[Any, Any, int | None]) -> int:
    return asyncio.run(coro) or 0


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import run_bot

    return _run_async(run_bot(settings))


def cmd_shell(settings: Settings, args: argparse.Namespace) -> int:
    from bot.shell import run_shell

    return _run_async(
        run_shell(settings, database=args.database, member=args.member, files_dir=args.files)
    )


def cmd_check_config(settings: Settings, args: argparse.Namespace) -> int:
    print(catalog().t("config.ok", as_locale(settings.locale)))
    for name, value in settings.masked().items():
        print(f"  {name} = {value}")
    return 0


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    from bot.storage.database import Database

    async def backup() -> int:
        if not Path(settings.database_path).is_file():
            print(
                say(settings, "cli.no_backup_source", path=settings.database_path), file=sys.stderr
            )
            return EXIT_USER_ERROR
        db = await Database.open(settings.database_path)
        try:
            await db.backup(args.path)
        finally:
            await db.close()
        print(say(settings, "cli.backup_done", path=args.path))
        return 0

    return _run_async(backup())


def _with_db(settings: Settings, work: Callable[[Any], Coroutine[Any, Any, str]]) -> int:
    from bot.app import open_services

    async def go() -> int:
        async with open_services(settings) as services:
            print(await work(services))
        return 0

    return _run_async(go())


def cmd_import_roster(settings: Settings, args: argparse.Namespace) -> int:
    from bot.registration import cli

    return _with_db(
        settings,
        lambda s: cli.cmd_import_roster(s.db, args.file, settings=settings, apply=not args.dry_run),
    )


def cmd_import_signups(settings: Settings, args: argparse.Namespace) -> int:
    from bot.registration import cli

    return _with_db(settings, lambda s: cli.cmd_import_signups(s.db, args.file, settings=settings))


def cmd_status(settings: Settings, args: argparse.Namespace) -> int:
    from bot.registration import cli

    return _with_db(
        settings, lambda s: cli.cmd_status(s.db, args.department, args.json, settings=settings)
    )


def cmd_reconcile(settings: Settings, args: argparse.Namespace) -> int:
    from bot.registration import cli

    print(cli.cmd_reconcile(args.roster, args.signups))
    return 0


def cmd_summarise(settings: Settings, args: argparse.Namespace) -> int:
    from bot.news.cli import cmd_summarise

    print(cmd_summarise(args.files, **_max_words(args)))
    return 0


def cmd_digest(settings: Settings, args: argparse.Namespace) -> int:
    from bot.news.cli import cmd_digest

    print(cmd_digest(args.files, **_max_words(args)))
    return 0


def _max_words(args: argparse.Namespace) -> dict[str, int]:
    return {} if args.max_words is None else {"max_words": args.max_words}


COMMANDS: dict[str, Callable[[Settings, argparse.Namespace], int]] = {
    "run": cmd_run,
    "shell": cmd_shell,
    "check-config": cmd_check_config,
    "backup": cmd_backup,
    "import-roster": cmd_import_roster,
    "import-signups": cmd_import_signups,
    "status": cmd_status,
    "reconcile": cmd_reconcile,
    "summarise": cmd_summarise,
    "digest": cmd_digest,
}


if __name__ == "__main__":
    sys.exit(main())
