"""SECURITY.md says what the bot stores (issue 12): every table of the migrated database is
named in its "What is stored" table, or listed here as holding no personal data, so that a new
table holding some cannot be left out; and the page has the sections the issue asks for."""

from __future__ import annotations

import re
from pathlib import Path

from bot.storage.database import Database

SECURITY = Path(__file__).resolve().parents[2] / "SECURITY.md"
SECTIONS = [
    "What is stored",
    "Where",
    "How long",
    "Officers' rights",
    "Who can see what",
    "How the bot is hardened",
    "Reporting a problem",
]
# Tables without anything about a person: the bot's own bookkeeping.
NOT_PERSONAL = {
    "scheduled_jobs",  # each job's last run
    "reminder_settings",  # the nudge schedule set with /relance calendrier
    "registration_revision",  # counters of writes, for the caches
    "registration_changes",  # row ids of officers changed since, for the caches
}


def _documented() -> tuple[set[str], set[str]]:
    """The tables named in the "tables" column of "What is stored", and the prefixes named as
    ``prefix_*``."""
    text = SECURITY.read_text("utf-8")
    section = text.split("## What is stored", 1)[1].split("\n## ", 1)[0]
    column = " ".join(line.split("|")[2] for line in section.splitlines() if line.startswith("|"))
    return set(re.findall(r"`([a-z_]+)`", column)), set(re.findall(r"`([a-z_]+)_\*`", column))


def test_the_page_has_the_sections_the_issue_asks_for() -> None:
    headings = re.findall(r"^## (.+)$", SECURITY.read_text("utf-8"), re.MULTILINE)
    assert headings == SECTIONS


async def test_every_table_is_named_in_what_is_stored(db: Database) -> None:
    rows = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    tables = {name for (name,) in rows}
    assert tables >= NOT_PERSONAL  # the list names no table that is gone
    named, prefixes = _documented()
    left_out = sorted(
        name
        for name in tables
        if name not in named
        and name not in NOT_PERSONAL
        and not any(name.startswith(p + "_") for p in prefixes)
    )
    assert left_out == []
    # and the page names no table that is gone
    assert sorted(named - tables - prefixes) == []
