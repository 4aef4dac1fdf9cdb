"""Logging set-up: one line per record, secrets scrubbed even from tracebacks, and no personal
data at any level.

Some libraries write the data they carry in their DEBUG records: aiosqlite logs every SQL
statement with its parameters (names, e-mails), discord.py every payload it sends and receives
(messages, member names). Their loggers are kept at INFO whatever ``LOG_LEVEL`` says, and a filter
on the handler drops their records below INFO even if a logger is set lower by hand, so that
``LOG_LEVEL=DEBUG`` shows the bot's own DEBUG lines (ids and counts) and nothing more."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

# Libraries whose records below INFO carry data (SQL parameters, message payloads).
DATA_LOGGERS = ("aiosqlite", "discord")


class LibraryDebugFilter(logging.Filter):
    """Drops the records below INFO of :data:`DATA_LOGGERS` and their children."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.INFO:
            return True
        return not any(
            record.name == name or record.name.startswith(name + ".") for name in DATA_LOGGERS
        )


class ScrubbingFormatter(logging.Formatter):
    """Replaces every secret in the formatted record (message, arguments, traceback)."""

    def __init__(self, secrets: Iterable[str], fmt: str) -> None:
        super().__init__(fmt)
        self._secrets = [s for s in secrets if s]

    def add_secret(self, secret: str) -> None:
        if secret:
            self._secrets.append(secret)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "********")
        return text


def setup_logging(level: str, secrets: Iterable[str] = ()) -> ScrubbingFormatter:
    formatter = ScrubbingFormatter(secrets, "%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    handler.addFilter(LibraryDebugFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in DATA_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLevelName(level)))
    return formatter
