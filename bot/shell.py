"""``python -m bot shell``: the real bot on a local Discord sandbox, driven from a terminal.

One command starts the sandbox and the bot on a fresh demo database, then reads slash commands
typed as in Discord and prints every answer: text, embeds, buttons (click them by number or
label), attachments (saved to a folder) and scheduled posts as they arrive.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import re
import shlex
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_timedelta

from bot.client import RelanceBot
from bot.config import Settings
from bot.demo import load_demo
from bot.endpoints import BotNotReady, logged_in
from bot.i18n import Catalog, Locale
from bot.sandbox import Sandbox
from bot.services import open_services

log = logging.getLogger(__name__)


@dataclasses.dataclass
class ShellState:
    member: str
    files_dir: Path
    catalog: Catalog
    timezone: ZoneInfo = dataclasses.field(default_factory=lambda: ZoneInfo("Europe/Paris"))
    locale: Locale = "fr"

    @property
    def discord_locale(self) -> str | None:
        """The client language the shell's user appears to have: English if LOCALE=en."""
        return "en-US" if self.locale == "en" else None

    def t(self, key: str, /, **params: Any) -> str:
        return self.catalog.t(key, self.locale, **params)

    last_buttons: list[tuple[Any, Any]] = dataclasses.field(default_factory=list)
    saved: int = 0
    now: Callable[[], datetime] = dataclasses.field(default=lambda: datetime.now(UTC))


async def run_shell(
    settings: Settings,
    *,
    database: str | None = None,
    member: str = "alice",
    files_dir: str | None = None,
    lines: list[str] | None = None,
    out: Callable[[str], None] = print,
    catalog: Catalog | None = None,
) -> int:
    """Run the shell; ``lines`` (or stdin when it is not a terminal) feeds commands."""
    # The shell's output is the conversation; only warnings and errors go to the log.
    root = logging.getLogger()
    root.setLevel(max(logging.WARNING, root.level))
    logging.getLogger("discord").setLevel(max(logging.WARNING, root.level))
    interactive = lines is None and sys.stdin.isatty()
    with contextlib.ExitStack() as stack:
        if database is None:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="relance-shell-"))
            db_path = Path(tmp) / "demo.sqlite3"
        else:
            db_path = Path(database)
        folder = Path(files_dir) if files_dir else Path(tempfile.gettempdir()) / "relance-files"
        folder.mkdir(parents=True, exist_ok=True)
        sandbox = Sandbox()
        await sandbox.start()
        try:
            today = datetime.now(settings.timezone).date()
            shell_settings = dataclasses.replace(
                settings,
                # The demo needs a deadline and a link to show the forecast and the nudge text.
                registration_deadline=settings.registration_deadline or today + timedelta(days=21),
                platform_url=settings.platform_url or "https://plateforme.example.org/inscription",
                database_path=db_path,
                guild_id=sandbox.guild_id,
                sync_commands="guild",
                organiser_role="Organisateurs",
                news_channel_id=sandbox.channel("revue-de-presse").id,
            )
            state = ShellState(
                member, folder, catalog or Catalog.load(), settings.timezone, settings.locale
            )
            return await _serve(shell_settings, sandbox, state, interactive, lines, out)
        finally:
            await sandbox.stop()
    return 0


async def _serve(
    settings: Settings,
    sandbox: Sandbox,
    state: ShellState,
    interactive: bool,
    lines: list[str] | None,
    out: Callable[[str], None],
) -> int:
    async with open_services(settings, catalog=state.catalog) as services:
        # The demo officers are linked to the sandbox's members, so that nudges reach them.
        members = {m.user.username: m.user.id for m in sandbox.members()}
        if not await load_demo(services, members=members):
            out(state.t("shell.own_data"))
        bot = RelanceBot(services, guild_ready_timeout=0.1)
        try:
            async with logged_in(sandbox, bot):
                stop_watching = sandbox.on_message(_post_printer(sandbox, state, out))
                try:
                    if interactive:
                        out(state.t("shell.intro", member=state.member))
                        await _interactive(sandbox, state, out)
                    else:
                        source = lines if lines is not None else sys.stdin.read().splitlines()
                        for line in source:
                            await handle_line(line, sandbox, state, out)
                finally:
                    stop_watching()
        except BotNotReady as exc:
            out(state.t("shell.failed", error=exc.__cause__ or exc))
            return 1
    return 0


async def _interactive(sandbox: Sandbox, state: ShellState, out: Callable[[str], None]) -> None:
    loop = asyncio.get_running_loop()
    _install_completion(sandbox)
    while True:
        try:
            line = await loop.run_in_executor(None, input, f"{state.member}> ")
        except (EOFError, KeyboardInterrupt):
            out("")
            return
        if line.strip() in {"quit", "exit"}:
            return
        await handle_line(line, sandbox, state, out)


async def handle_line(
    line: str, sandbox: Sandbox, state: ShellState, out: Callable[[str], None]
) -> None:
    line = line.strip()
    if not line or line.startswith("#"):
        return
    try:
        if line.startswith("/"):
            result = await sandbox.invoke(line, as_member=state.member, locale=state.discord_locale)
            _show_result(result, sandbox, state, out)
        elif line == "help":
            names = ", ".join(m.username for m in sandbox.members())
            out(state.t("shell.help", members=names))
        elif line.startswith("as "):
            name = line[3:].strip().lstrip("@")
            sandbox.member(name)  # raises for an unknown member
            state.member = name
            out(state.t("shell.now", member=name))
        elif line.startswith("click "):
            await _click(line[6:].strip(), sandbox, state, out)
        elif line.startswith("messages "):
            channel = line.split(None, 1)[1].lstrip("#")
            for message in sandbox.messages(channel):
                out(render_message(message, sandbox, state))
        else:
            out(state.t("shell.unknown", line=line))
    except (KeyError, LookupError, ValueError) as exc:
        out(state.t("shell.problem", problem=exc))


async def _click(
    target: str, sandbox: Sandbox, state: ShellState, out: Callable[[str], None]
) -> None:
    choice: tuple[Any, Any] | None = None
    if not state.last_buttons and target.isdigit():
        out(state.t("shell.no_buttons"))
        return
    if target.isdigit() and 1 <= int(target) <= len(state.last_buttons):
        choice = state.last_buttons[int(target) - 1]
    else:
        for message, button in state.last_buttons:
            if str(button.get("label", "")).casefold() == target.casefold():
                choice = (message, button)
    if choice is None:
        choice = await _posted_button(target, sandbox, state)
    if choice is None:
        out(state.t("shell.no_such_button", target=target))
        return
    message, button = choice
    result = await sandbox.click(
        message, button["custom_id"], as_member=state.member, locale=state.discord_locale
    )
    _show_result(result, sandbox, state, out)


def _show_result(
    result: Any, sandbox: Sandbox, state: ShellState, out: Callable[[str], None]
) -> None:
    state.last_buttons = []
    if getattr(result, "error", None):
        out(state.t("shell.no_answer", error=result.error))
    for message in result.messages:
        out(render_message(message, sandbox, state))


def render_message(
    message: Any, sandbox: Sandbox, state: ShellState, *, header: bool = True
) -> str:
    """A message as plain text: where it is, its content, embeds, buttons and attachments."""
    private = state.t("shell.private") if message.ephemeral else ""
    lines = [f"── {_where(message, sandbox, state)}{private}"] if header else []
    if message.content:
        lines.append(message.content)
    for embed in message.embeds:
        if embed.get("title"):
            lines.append(f"【{embed['title']}】")
        if embed.get("description"):
            lines.append(embed["description"])
        lines += _field_lines(embed.get("fields", []))
        if embed.get("image", {}).get("url"):
            lines.append(f"[image: {embed['image']['url']}]")
        if embed.get("footer", {}).get("text"):
            lines.append(f"— {embed['footer']['text']}")
    buttons = [b for b in message.buttons if b.get("custom_id")]
    if buttons:
        labels = []
        for button in buttons:
            state.last_buttons.append((message, button))
            disabled = " (off)" if button.get("disabled") else ""
            labels.append(f"[{len(state.last_buttons)}] {button.get('label') or '?'}{disabled}")
        lines.append("   ".join(labels))
    for attachment in message.attachments:
        state.saved += 1
        path = state.files_dir / f"{state.saved:03d}-{Path(attachment.filename).name}"
        path.write_bytes(attachment.data)
        lines.append(f"📎 {attachment.filename} → {path}")
    return humanise("\n".join(lines), sandbox, state.timezone, state.locale, state.now)


_BLANK = "\u200b"


def _field_lines(fields: list[dict[str, Any]]) -> list[str]:
    """Embed fields as Discord shows them: the name on its own line (bold in Discord), the
    value below it; a blank name (a zero-width space, used to continue a long list) shows
    nothing, so its value reads as the rest of the field before it."""
    lines: list[str] = []
    for field in fields:
        name = str(field.get("name", "")).replace(_BLANK, "").strip()
        if name:
            lines.append(f"▸ {name}")
        value = str(field.get("value", "")).replace(_BLANK, "")
        if value.strip():
            lines.append(value)
    return lines


_TIMESTAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")
_MENTION = re.compile(r"<@!?(\d+)>")
# Discord's timestamp styles as its French and English (US) clients write them.
_PATTERNS: dict[str, dict[str, str]] = {
    "fr": {
        "t": "HH:mm",
        "T": "HH:mm:ss",
        "d": "dd/MM/y",
        "D": "d MMMM y",
        "f": "d MMMM y HH:mm",
        "F": "EEEE d MMMM y HH:mm",
    },
    "en": {
        "t": "h:mm a",
        "T": "h:mm:ss a",
        "d": "MM/dd/y",
        "D": "MMMM d, y",
        "f": "MMMM d, y h:mm a",
        "F": "EEEE, MMMM d, y h:mm a",
    },
}


def _utc_now() -> datetime:
    return datetime.now(UTC)


def humanise(
    text: str,
    sandbox: Sandbox | None,
    timezone: ZoneInfo,
    locale: Locale = "fr",
    now: Callable[[], datetime] = _utc_now,
) -> str:
    """Show Discord's markup as Discord would: timestamps as its client writes them in
    ``locale`` (``<t:…:D>`` as ``30 novembre 2026``, ``<t:…:R>`` as ``dans 3 jours``), mentions
    as @names."""

    def timestamp(match: re.Match[str]) -> str:
        moment = datetime.fromtimestamp(int(match.group(1)), UTC).astimezone(timezone)
        style = match.group(2) or "f"
        if style == "R":
            delta = moment - now()
            return str(format_timedelta(delta, add_direction=True, locale=locale))
        return str(format_datetime(moment, _PATTERNS[locale][style], locale=locale))

    def mention(match: re.Match[str]) -> str:
        if sandbox is None:
            return match.group(0)
        try:
            return "@" + sandbox.member(int(match.group(1))).username
        except (KeyError, LookupError):
            return match.group(0)

    return _MENTION.sub(mention, _TIMESTAMP.sub(timestamp, text))


def _where(message: Any, sandbox: Sandbox, state: ShellState) -> str:
    """``#general``, or ``DM à claire`` in the shell's language."""
    recipient = _dm_recipient(message, sandbox)
    if recipient is not None:
        return state.t("shell.where_dm", member=recipient)
    channel = sandbox.state.find_channel(int(message.channel_id))
    return f"#{channel.name}" if channel is not None else str(message.channel_id)


def _post_printer(
    sandbox: Sandbox, state: ShellState, out: Callable[[str], None]
) -> Callable[[Any], None]:
    """Print messages the bot posts on its own (scheduled digests, nudges) as they arrive:
    ``DM à claire : …`` for a direct message, ``#dep-75 : …`` for a channel."""

    def printed(event: Any) -> None:
        message = event.message
        if event.kind != "create" or message.interaction_id is not None:
            return
        if message.author_id != sandbox.bot_user_id:
            return
        out(render_post(message, sandbox, state))

    return printed


def render_post(message: Any, sandbox: Sandbox, state: ShellState) -> str:
    """A message the bot posted on its own, headed by where it went."""
    body = render_message(message, sandbox, state, header=False)
    recipient = _dm_recipient(message, sandbox)
    if recipient is not None:
        return state.t("shell.post_dm", member=recipient, text=body)
    channel = sandbox.state.find_channel(int(message.channel_id))
    name = channel.name if channel is not None else str(message.channel_id)
    return state.t("shell.post_channel", channel=name, text=body)


def _dm_recipient(message: Any, sandbox: Sandbox) -> str | None:
    channel = sandbox.state.find_channel(int(message.channel_id))
    if channel is not None and channel.is_dm and channel.recipient is not None:
        return str(channel.recipient.username)
    return None


POSTED_WAIT = 10.0  # seconds a click waits for a nudge still on its way to the member


async def _posted_button(
    target: str, sandbox: Sandbox, state: ShellState
) -> tuple[Any, Any] | None:
    """The button labelled ``target`` on the latest message the bot posted for the current member:
    a DM to them, or a channel message that mentions them; waits for it if it is on its way."""
    member = sandbox.member(state.member)

    def found(message: Any) -> tuple[Any, Any] | None:
        if message.author_id != sandbox.bot_user_id or message.interaction_id is not None:
            return None
        to_member = _dm_recipient(message, sandbox) == member.user.username or any(
            str(u.get("id")) == str(member.user.id) for u in message.mentions
        )
        if not to_member:
            return None
        for button in message.buttons:
            if button.get("custom_id") and str(button.get("label", "")).casefold() == (
                target.casefold()
            ):
                return message, button
        return None

    with contextlib.suppress(TimeoutError):
        async with sandbox.subscribe() as arriving:
            for message in sorted(sandbox.state.messages.values(), key=lambda m: -m.id):
                if (choice := found(message)) is not None:
                    return choice
            async with asyncio.timeout(POSTED_WAIT):
                async for message in arriving:
                    if (choice := found(message)) is not None:
                        return choice
    return None


def complete_words(commands: list[dict[str, Any]], words: list[str]) -> list[str]:
    """Completions for the last word of a typed line: command, sub-command or option names."""
    if len(words) == 1:
        return sorted(f"/{name}" for cmd in commands for name in _names(cmd))
    options: list[dict[str, Any]] = []
    for cmd in commands:
        if words[0].lstrip("/") in _names(cmd):
            options = cmd.get("options", [])
    for word in words[1:-1]:
        for option in options:
            if option.get("type") in (1, 2) and word in _names(option):
                options = option.get("options", [])
                break
    names: list[str] = []
    for option in options:
        suffix = "" if option.get("type") in (1, 2) else ":"
        names.extend(f"{name}{suffix}" for name in _names(option))
    return sorted(names)


def _names(item: dict[str, Any]) -> set[str]:
    return {item["name"], *(item.get("name_localizations") or {}).values()}


def _install_completion(sandbox: Sandbox) -> None:
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return

    def candidates(buffer: str) -> list[str]:
        words = shlex.split(buffer) if buffer.count('"') % 2 == 0 else buffer.split()
        if buffer.endswith(" ") or not words:
            words.append("")
        return complete_words(sandbox.commands, words)

    def complete(text: str, index: int) -> str | None:
        options = candidates(readline.get_line_buffer())
        options = [o for o in options if o.startswith(text)]
        return options[index] if index < len(options) else None

    readline.set_completer_delims(" ")
    readline.set_completer(complete)
    readline.parse_and_bind("tab: complete")
