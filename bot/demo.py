"""Demo data for the shell: a fictional roster, sign-up export and press articles (package data)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from importlib.resources.abc import Traversable

from bot.registration.models import ReviewDecision
from bot.resources import reference
from bot.services import Services

DATA_DIR = reference()
DEMO_ACTOR = "demo"
_DATE = re.compile(rb"\b(\d{4})-(\d{2})-(\d{2})\b")


# The demo sign-up an organiser rejects, so that a nudge also goes through a department channel
# (this officer's DMs are closed in the sandbox's demo guild).
REJECTED_SIGNUP = "RDJ-00060"


async def load_demo(
    services: Services,
    data_dir: Traversable = DATA_DIR,
    *,
    members: Mapping[str, int] | None = None,
) -> bool:
    """Load whatever demo data the installed features use into an empty database.

    A database that already holds officers, sign-ups or articles is left as it is (its data are
    the organisers' own): returns whether the demo was loaded.

    ``members`` (the guild's usernames to user ids, as in the sandbox) links the demo officers to
    their Discord accounts, so that ``/relance envoyer`` reaches them at once.
    """
    if await holds_data(services):
        return False
    today = services.clock.now().astimezone(services.settings.timezone).date()
    roster = data_dir / "demo" / "roster.csv"
    signups = data_dir / "demo" / "signups.csv"
    if roster.is_file():
        await services.registration.import_roster(
            roster.read_bytes(), roster.name, DEMO_ACTOR, apply=True
        )
    if signups.is_file():
        data = shift_dates(signups.read_bytes(), today)
        await services.registration.import_signups(data, signups.name, DEMO_ACTOR)
    if members and roster.is_file():
        await services.registration.link_usernames(members, DEMO_ACTOR)
        if signups.is_file():
            await services.registration.review(REJECTED_SIGNUP, ReviewDecision.REJECT, DEMO_ACTOR)
    await services.news.load_demo(data_dir / "news", DEMO_ACTOR)
    return True


async def holds_data(services: Services) -> bool:
    """Whether the database has organisers' data: officers, sign-ups or press articles."""
    if await services.registration.holds_data():
        return True
    return bool((await services.news.list_articles()).total)


def shift_dates(data: bytes, today: date) -> bytes:
    """Move every ISO date so that the latest is yesterday: the demo's pace stays current."""
    found = [date(int(y), int(m), int(d)) for y, m, d in _DATE.findall(data)]
    if not found:
        return data
    offset = (today - timedelta(days=1)) - max(found)

    def shifted(match: re.Match[bytes]) -> bytes:
        day = date(int(match[1]), int(match[2]), int(match[3])) + offset
        return day.isoformat().encode()

    return _DATE.sub(shifted, data)
