"""How the reminders reach Discord, as the domain sees it: a protocol the Discord layer implements.

The service calls these methods and never imports ``discord``. ``marker`` is the delivery's id:
the implementation puts it in the buttons' ``custom_id`` so that :meth:`Messenger.find_sent` can
recognise the bot's own message in a channel's recent history after a crash.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.i18n import Locale
from bot.reminders.models import FailureReason


@dataclass(frozen=True)
class SendOutcome:
    """What one send did: ``message_id`` when it was posted, else ``failure``; ``dm_closed`` when
    Discord refused the DM because the user closed them (403, code 50007); ``dm_channel_id``: the
    DM channel a DM went to (or was refused in), to be given back on the next sends."""

    message_id: int | None = None
    failure: FailureReason | None = None
    dm_closed: bool = False
    dm_channel_id: int | None = None

    @property
    def sent(self) -> bool:
        return self.message_id is not None


class Messenger(Protocol):
    async def send_dm(
        self,
        user_id: int,
        text: str,
        nonce: str,
        marker: int,
        locale: Locale,
        dm_channel: int | None = None,
    ) -> SendOutcome:
        """Send ``text`` with the nudge's buttons (labelled in ``locale``) to ``user_id``'s DMs:
        in ``dm_channel`` when it is known (no DM opened), else in a DM opened for it."""
        ...

    async def send_channel(
        self, channel_id: int, user_id: int, text: str, nonce: str, marker: int, locale: Locale
    ) -> SendOutcome:
        """Post ``text`` with the buttons in ``channel_id``, mentioning only ``user_id``."""
        ...

    async def find_sent(
        self, user_id: int | None, channel_id: int | None, marker: int
    ) -> int | None:
        """The id of the bot's message carrying ``marker`` in the recent history of ``channel_id``
        (a guild channel or a known DM channel; ``user_id``'s DMs, opened for it, when
        ``channel_id`` is ``None``), if there is one."""
        ...

    async def channels_named(self, names: Sequence[str]) -> Mapping[str, int]:
        """The ids of the guild's text channels among ``names`` (``dep-56`` …)."""
        ...

    async def post_report(self, channel_id: int, text: str) -> None:
        """Post an organisers' report (no mentions) in ``channel_id``."""
        ...
