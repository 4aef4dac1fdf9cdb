"""The nudge ladder: the days before the deadline on which each step is sent (``NUDGE_LADDER``).

``Ladder.parse("14,7,3,2,1")`` gives five steps, furthest from the deadline first: D-14 friendly,
D-7, D-3 and D-2 firmer, D-1 the last call. Which step is current on a given day:

- :func:`current_step` — what ``/relance envoyer`` sends: the last step whose day has come (ten
  days before the deadline, the D-14 step), or the first step before its day; ``None`` after the
  deadline;
- :func:`due_step` — what a scheduled run sends: the last step whose day has come, ``None`` before
  the first step's day and after the deadline;
- :func:`step_to_send` — :func:`current_step` for a campaign, with the errors an organiser sees.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from bot.reminders.models import CampaignError, Step, Tier
from bot.schedule import MAX_LADDER_DAYS as MAX_DAYS
from bot.schedule import LadderError, ladder_days

__all__ = ["MAX_DAYS", "Ladder", "LadderError", "current_step", "due_step", "step_to_send", "tiers"]


def tiers(count: int) -> list[Tier]:
    """The tier of each of ``count`` steps, in the order they are sent."""
    if count <= 0:
        return []
    middle = [Tier.FIRMER] * max(0, count - 2)
    return ([Tier.FRIENDLY] if count > 1 else []) + middle + [Tier.LAST_CALL]


@dataclass(frozen=True)
class Ladder:
    """Steps ordered furthest from the deadline first; never empty, ``days_before`` distinct."""

    steps: tuple[Step, ...]

    @classmethod
    def of(cls, days: Sequence[int]) -> Ladder:
        """A ladder of already-valid day counts (any order)."""
        ordered = sorted(days, reverse=True)
        count = len(ordered)
        return cls(
            tuple(
                Step(d, tier, number, count)
                for number, (d, tier) in enumerate(zip(ordered, tiers(count), strict=True), 1)
            )
        )

    @classmethod
    def parse(cls, text: str) -> Ladder:
        """Read ``"14,7,3,2,1"``: whole numbers of days (0 is the deadline day) separated by
        commas, in any order.

        Raises :class:`LadderError`: ``reminders.ladder.empty``, ``reminders.ladder.item_empty``
        (``position``, from 1), ``reminders.ladder.not_number``, ``reminders.ladder.negative``,
        ``reminders.ladder.too_far`` (``max``), ``reminders.ladder.duplicate`` (each with ``value``).
        """
        return cls.of(ladder_days(text))

    @property
    def text(self) -> str:
        """``"14,7,3,2,1"`` (what :meth:`parse` reads back)."""
        return ",".join(str(s.days_before) for s in self.steps)

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def step(self, days_before: int) -> Step | None:
        """The step sent ``days_before`` the deadline, if the ladder has one."""
        return next((s for s in self.steps if s.days_before == days_before), None)


def due_step(ladder: Ladder, deadline: date, today: date) -> Step | None:
    """The last step whose day has come, or ``None`` (before the first step's day, after the
    deadline)."""
    days_left = (deadline - today).days
    if days_left < 0:
        return None
    come = [s for s in ladder.steps if s.days_before >= days_left]
    return come[-1] if come else None


def current_step(ladder: Ladder, deadline: date, today: date) -> Step | None:
    """The last step whose day has come, or else the first step (sent before its day); ``None``
    after the deadline."""
    if today > deadline:
        return None
    return due_step(ladder, deadline, today) or ladder.steps[0]


def step_to_send(ladder: Ladder, deadline: date | None, today: date) -> Step:
    """:func:`current_step`, or :class:`CampaignError` ``reminders.no_deadline`` (no
    ``REGISTRATION_DEADLINE``) or ``reminders.deadline_passed`` (``deadline``, a ``date``)."""
    if deadline is None:
        raise CampaignError("reminders.no_deadline")
    step = current_step(ladder, deadline, today)
    if step is None:
        raise CampaignError("reminders.deadline_passed", deadline=deadline)
    return step
