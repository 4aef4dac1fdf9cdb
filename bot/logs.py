"""Logging set-up: one line per record, secrets scrubbed even from tracebacks."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable


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
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # discord.py's gateway chatter is DEBUG-level noise for an admin.
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLevelName(level)))
    return formatter
