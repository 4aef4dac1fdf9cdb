"""Command line: ``python -m bot COMMAND`` (also installed as ``relance``)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sqlite3
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import __version__
from bot.config import ConfigError, Settings, load_settings
from bot.errors import UserError, render_user_error
from bot.i18n import Catalog, Locale, as_locale
from bot.logs import setup_logging
from bot.storage.database import Database, MigrationError

if TYPE_CHECKING:
    from bot.services import Services

EXIT_USER_ERROR = 1
EXIT_CONFIG = 2


def build_parser(catalog: Catalog, locale: Locale) -> argparse.ArgumentParser:
    def h(key: str) -> str:
        return catalog.t(f"cli.help.{key}", locale)

    parser = argparse.ArgumentParser(prog="relance", description=h("description"))
    parser.add_argument("--version", action="version", version=f"relance {__version__}")
    parser.add_argument("--env-file", default=".env", help=h("env_file"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("run", help=h("run"))
    shell = sub.add_parser("shell", help=h("shell"))
    shell.add_argument("--database", help=h("database"))
    shell.add_argument("--as", dest="member", default="alice", help=h("as"))
    shell.add_argument("--files", help=h("files"))
    sub.add_parser("check-config", help=h("check_config"))
    backup = sub.add_parser("backup", help=h("backup"))
    backup.add_argument("path")

    roster = sub.add_parser("import-roster", help=h("import_roster"))
    roster.add_argument("file")
    roster.add_argument("--dry-run", action="store_true", help=h("dry_run"))
    roster.add_argument("--remove-missing", action="store_true", help=h("remove_missing"))
    signups = sub.add_parser("import-signups", help=h("import_signups"))
    signups.add_argument("file")
    signups.add_argument("--yes", action="store_true", help=h("yes"))
    status = sub.add_parser("status", help=h("status"))
    status.add_argument("--department", help=h("department"))
    status.add_argument("--json", action="store_true", help=h("json"))
    reconcile = sub.add_parser("reconcile", help=h("reconcile"))
    reconcile.add_argument("--roster", required=True)
    reconcile.add_argument("--signups", required=True)
    reconcile.add_argument("--json", action="store_true", help=h("json"))

    nudge = sub.add_parser("nudge", help=h("nudge"))
    nudge.add_argument("action", choices=("preview", "history"), help=h("nudge_action"))
    nudge.add_argument("--json", action="store_true", help=h("json"))

    export = sub.add_parser("privacy-export", help=h("privacy_export"))
    export.add_argument("--officer", required=True, help=h("officer"))
    export.add_argument("--output", help=h("output"))
    erase = sub.add_parser("privacy-erase", help=h("privacy_erase"))
    erase.add_argument("--officer", required=True, help=h("officer"))
    erase.add_argument("--yes", action="store_true", help=h("yes"))

    for name in ("summarise", "digest"):
        cmd = sub.add_parser(name, help=h(name))
        cmd.add_argument("--max-words", type=int, default=None, help=h("max_words"))
        cmd.add_argument("--json", action="store_true", help=h("json"))
        cmd.add_argument("files", nargs="+", metavar="FILE")
    return parser


@dataclass(frozen=True)
class Cli:
    """What every command gets: the settings it needs, validated, and the message catalog."""

    settings: Settings
    catalog: Catalog

    @property
    def locale(self) -> Locale:
        return self.settings.locale

    def say(self, key: str, /, **params: object) -> str:
        """A sentence of the catalog in the configured language."""
        return self.catalog.t(key, self.locale, **params)

    @asynccontextmanager
    async def services(self) -> AsyncIterator[Services]:
        from bot.services import open_services

        async with open_services(self.settings, catalog=self.catalog) as services:
            yield services


def main(argv: list[str] | None = None) -> int:
    catalog = Catalog.load()
    parser = build_parser(catalog, as_locale(os.environ.get("LOCALE")))
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    command = COMMANDS[args.command]
    try:
        settings = load_settings(catalog, args.env_file, needed=command.needs)
    except ConfigError as exc:
        print(catalog.t("config.header", exc.locale), file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_CONFIG
    setup_logging(settings.log_level, [settings.discord_token.reveal()])
    cli = Cli(settings, catalog)
    # (The shell opens its own file, --database or a temporary one.)
    uses_database = args.command != "shell" and (
        command.needs is None or "DATABASE_PATH" in command.needs
    )
    if uses_database and Path(settings.database_path).is_dir():
        # Refused before any event loop: sqlite's worker thread would outlive a failed open.
        print(cli.say("cli.database_is_directory", path=settings.database_path), file=sys.stderr)
        return EXIT_CONFIG
    try:
        return command.handler(cli, args)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_CONFIG
    except UserError as exc:
        print(
            render_user_error(catalog, exc, cli.locale, max_lines=200, markdown=False),
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except (MigrationError, sqlite3.DatabaseError) as exc:
        print(
            cli.say("cli.database_error", path=settings.database_path, error=exc), file=sys.stderr
        )
        return EXIT_CONFIG
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, as command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        path = exc.filename or "?"
        print(cli.say("cli.os_error", path=path, error=exc.strerror or exc), file=sys.stderr)
        return EXIT_USER_ERROR
    except Exception:
        logging.getLogger("bot").debug("unexpected error", exc_info=True)
        print(cli.say("cli.unexpected"), file=sys.stderr)
        return EXIT_USER_ERROR


def _run_async(coro: Coroutine[Any, Any, int | None]) -> int:
    return asyncio.run(coro) or 0


def cmd_run(cli: Cli, args: argparse.Namespace) -> int:
    from bot.app import run_bot

    return _run_async(run_bot(cli.settings, cli.catalog))


def cmd_shell(cli: Cli, args: argparse.Namespace) -> int:
    from bot.shell import run_shell

    return _run_async(
        run_shell(
            cli.settings,
            database=args.database,
            member=args.member,
            files_dir=args.files,
            catalog=cli.catalog,
        )
    )


def cmd_check_config(cli: Cli, args: argparse.Namespace) -> int:
    from bot.reminders.service import configured_templates

    configured_templates(cli.catalog, cli.settings)  # a bad template file is a bad setting
    print(cli.say("config.ok"))
    for name, value in cli.settings.masked(cli.catalog).items():
        print(f"  {name} = {value}")
    return 0


def cmd_backup(cli: Cli, args: argparse.Namespace) -> int:
    """Copy the database as it is: no migration runs, so the copy is a pre-upgrade backup."""

    from bot.privacy import backups

    async def backup() -> int:
        source = cli.settings.database_path
        if not Path(source).is_file():
            print(cli.say("cli.no_backup_source", path=source), file=sys.stderr)
            return EXIT_USER_ERROR
        db = await Database.open(source, migrate=False)
        try:
            await db.backup(args.path)
        finally:
            await db.close()
        # Remembered beside the database, so that erasing a person reaches this copy too.
        backups.remember(Path(source), Path(args.path))
        print(cli.say("cli.backup_done", path=args.path))
        return 0

    return _run_async(backup())


def _with_services(cli: Cli, work: Callable[[Services], Coroutine[Any, Any, str]]) -> int:
    async def go() -> int:
        async with cli.services() as services:
            print(await work(services))
        return 0

    return _run_async(go())


def cmd_import_roster(cli: Cli, args: argparse.Namespace) -> int:
    from bot.registration.cli import RegistrationCli

    return _with_services(
        cli,
        lambda s: RegistrationCli(s.registration, cli.catalog, cli.locale).import_roster(
            args.file, apply=not args.dry_run, remove_missing=args.remove_missing
        ),
    )


def cmd_import_signups(cli: Cli, args: argparse.Namespace) -> int:
    from bot.registration.cli import RegistrationCli

    return _with_services(
        cli,
        lambda s: RegistrationCli(s.registration, cli.catalog, cli.locale).import_signups(
            args.file, yes=args.yes
        ),
    )


def cmd_status(cli: Cli, args: argparse.Namespace) -> int:
    from bot.registration.cli import RegistrationCli

    return _with_services(
        cli,
        lambda s: RegistrationCli(s.registration, cli.catalog, cli.locale).status(
            args.department, args.json
        ),
    )


def cmd_reconcile(cli: Cli, args: argparse.Namespace) -> int:
    from bot.registration.cli import cmd_reconcile as reconcile

    print(reconcile(cli.catalog, cli.locale, args.roster, args.signups, cli.settings.timezone))
    return 0


def cmd_summarise(cli: Cli, args: argparse.Namespace) -> int:
    from bot.news.cli import cmd_summarise

    print(cmd_summarise(args.files, **_max_words(args)))
    return 0


def cmd_digest(cli: Cli, args: argparse.Namespace) -> int:
    from bot.clock import SystemClock
    from bot.news.cli import cmd_digest

    now = SystemClock().now()
    print(cmd_digest(args.files, **_max_words(args), now=now, tz=cli.settings.timezone))
    return 0


def cmd_nudge(cli: Cli, args: argparse.Namespace) -> int:
    from bot.reminders.cli import ReminderCli

    def work(services: Services) -> Coroutine[Any, Any, str]:
        shown = ReminderCli(services.reminders, cli.catalog, cli.locale)
        return shown.preview(args.json) if args.action == "preview" else shown.history(args.json)

    return _with_services(cli, work)


def cmd_privacy_export(cli: Cli, args: argparse.Namespace) -> int:
    from bot.privacy.cli import PrivacyCli

    return _with_services(
        cli,
        lambda s: PrivacyCli(s.privacy, cli.catalog, cli.locale).export(args.officer, args.output),
    )


def cmd_privacy_erase(cli: Cli, args: argparse.Namespace) -> int:
    from bot.privacy.cli import PrivacyCli

    return _with_services(
        cli,
        lambda s: PrivacyCli(s.privacy, cli.catalog, cli.locale).erase(args.officer, yes=args.yes),
    )


def _max_words(args: argparse.Namespace) -> dict[str, int]:
    return {} if args.max_words is None else {"max_words": args.max_words}


@dataclass(frozen=True)
class Command:
    handler: Callable[[Cli, argparse.Namespace], int]
    needs: frozenset[str] | None  # the variables it uses; None: every one


_CORE = frozenset({"LOCALE", "LOG_LEVEL", "TIMEZONE", "DISCORD_TOKEN"})
_DATABASE = _CORE | {"DATABASE_PATH"}
_REGISTRATION = _DATABASE | {"REGISTRATION_DEADLINE", "PLATFORM_URL"}
_NUDGE = _REGISTRATION | {
    "NUDGE_LADDER",
    "NUDGE_SCHEDULE",
    "QUIET_HOURS",
    "DEPARTMENT_CHANNELS",
    "NUDGE_TEMPLATES",
}

COMMANDS: dict[str, Command] = {
    "run": Command(cmd_run, None),
    "shell": Command(cmd_shell, None),
    "check-config": Command(cmd_check_config, None),
    "backup": Command(cmd_backup, _DATABASE),
    "import-roster": Command(cmd_import_roster, _REGISTRATION),
    "import-signups": Command(cmd_import_signups, _REGISTRATION),
    "status": Command(cmd_status, _REGISTRATION),
    "reconcile": Command(cmd_reconcile, _CORE),
    "summarise": Command(cmd_summarise, _CORE),
    "digest": Command(cmd_digest, _CORE),
    "nudge": Command(cmd_nudge, _NUDGE),
    "privacy-export": Command(cmd_privacy_export, _REGISTRATION),
    "privacy-erase": Command(cmd_privacy_erase, _REGISTRATION),
}


if __name__ == "__main__":
    sys.exit(main())
