"""Process-level helpers for the crash test and the campaign benchmarks.

Three real processes, as in production: the sandbox (``python -m bot.sandbox serve``), the bot
(``python -m bot run``, pointed at the sandbox by its env) and this script, which drives both:

    with tempfile.TemporaryDirectory() as tmp, SandboxProcess(members=500, closed_dms=0.1) as sandbox:
        roster = write_roster(Path(tmp) / "roster.csv", sandbox.officers())
        bot = BotProcess(sandbox, Path(tmp), env={"REGISTRATION_DEADLINE": "2030-01-31"})
        bot.cli("import-roster", str(roster))
        bot.start()                              # returns once the sandbox saw it identify
        answer = sandbox.invoke("/aide", as_member=sandbox.info.organisers[0], channel="organisateurs")
        bot.kill()                               # SIGKILL, no goodbye
        bot.start()
        sandbox.deliveries()                     # per member: DMs, channel mentions, button markers

Only the standard library is used here, and nothing of the bot but its command line. Blocking
calls, on purpose: every wait is done by the sandbox (``/_sandbox/ready``, ``/_sandbox/invoke``,
``/_sandbox/wait_messages``), so a script never polls with sleeps.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parents[1]
Json = dict[str, Any]

ROSTER_HEADER = ("Identifiant", "Prénom", "Nom", "Fonction", "Département", "E-mail", "Discord")
ROSTER_ROLE = "Responsable départemental jeunes"


class HarnessError(RuntimeError):
    """A process did not start, died, or the control API refused a request."""


def run(main: Callable[[], int]) -> None:
    """A script's entry point: exit with ``main()``'s code, or print why and exit 1 on a
    :class:`HarnessError`."""
    try:
        sys.exit(main())
    except HarnessError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        sys.exit(1)


# --------------------------------------------------------------------------------------- sandbox


@dataclass(frozen=True)
class SandboxInfo:
    """The JSON line the sandbox process prints when it serves."""

    raw: Json

    @property
    def base_url(self) -> str:
        return str(self.raw["base_url"])

    @property
    def api_base(self) -> str:
        return str(self.raw["api_base"])

    @property
    def gateway_url(self) -> str:
        return str(self.raw["gateway_url"])

    @property
    def control_url(self) -> str:
        return str(self.raw["control_url"])

    @property
    def token(self) -> str:
        return str(self.raw["token"])

    @property
    def guild_id(self) -> int:
        return int(self.raw["guild_id"])

    @property
    def organisers(self) -> list[str]:
        return list(self.raw["organisers"])

    @property
    def organiser_channel_id(self) -> int | None:
        value = self.raw.get("organiser_channel_id")
        return int(value) if value else None

    @property
    def channels(self) -> dict[str, int]:
        return {name: int(i) for name, i in self.raw["channels"].items()}

    def channel_id(self, name: str) -> int:
        return self.channels[name.lstrip("#")]


@dataclass
class Answer:
    """What the bot answered to an interaction (``/_sandbox/invoke`` or ``/_sandbox/click``)."""

    raw: Json

    @property
    def error(self) -> str | None:
        return self.raw.get("error")

    @property
    def messages(self) -> list[Json]:
        return list(self.raw.get("messages") or [])

    @property
    def message(self) -> Json:
        if not self.messages:
            raise HarnessError(f"the interaction produced no message (error: {self.error})")
        return self.messages[0]

    @property
    def ephemeral(self) -> bool:
        return bool(self.raw.get("ephemeral"))

    @property
    def text(self) -> str:
        """Contents, embed titles, descriptions and fields of every message, one per line."""
        return "\n".join(message_text(m) for m in self.messages)

    @property
    def buttons(self) -> list[Json]:
        return [b for m in self.messages for b in buttons(m)]

    @property
    def first_response_ms(self) -> float:
        """From the dispatch of the interaction to its callback, measured by the sandbox."""
        return _milliseconds(self.raw.get("first_response_after"), "acknowledged")

    @property
    def complete_ms(self) -> float:
        """From the dispatch to the complete answer (a deferred one's follow-up or edit)."""
        return _milliseconds(self.raw.get("complete_after"), "completed")


def _milliseconds(seconds: object, what: str) -> float:
    if not isinstance(seconds, int | float):
        raise HarnessError(f"the interaction was not {what} (the sandbox noted no time for it)")
    return float(seconds) * 1000


def message_text(message: Json) -> str:
    parts = [str(message.get("content") or "")]
    for embed in message.get("embeds") or []:
        parts += [str(embed.get(k) or "") for k in ("title", "description")]
        parts += [f"{f.get('name', '')}: {f.get('value', '')}" for f in embed.get("fields") or []]
    return "\n".join(p for p in parts if p)


def buttons(message: Json) -> list[Json]:
    """The buttons of a message payload, rows flattened."""
    found: list[Json] = []
    stack = list(reversed(message.get("components") or []))
    while stack:
        component = stack.pop()
        if component.get("type") == 2:
            found.append(component)
        stack.extend(reversed(component.get("components") or []))
    return found


class SandboxProcess:
    """``python -m bot.sandbox serve`` in a process of its own; also a context manager.

    ``members=None`` serves the demo guild; otherwise a generated one (see the sandbox README):
    organisers ``organiser01``…, officers ``officer0001``… spread over the departments, a
    ``closed_dms`` fraction of them with DMs closed. ``limits``: ``NAME=VALUE`` strings such as
    ``"dm_open=5/5"`` or ``"global=50/1"``.
    """

    def __init__(
        self,
        *,
        members: int | None = None,
        closed_dms: float = 0.0,
        seed: int = 0,
        organisers: int = 2,
        english: float = 0.0,
        guild_id: int | None = None,
        departments: Sequence[str] = (),
        without_channel: Sequence[str] = (),
        limits: Sequence[str] = (),
        port: int = 0,
        log_path: Path | None = None,
    ) -> None:
        args = ["serve", "--port", str(port), "--exit-with-parent"]
        if members is not None:
            args += ["--members", str(members), "--closed-dms", str(closed_dms)]
            args += [
                "--seed",
                str(seed),
                "--organisers",
                str(organisers),
                "--english",
                str(english),
            ]
        if guild_id is not None:
            args += ["--guild-id", str(guild_id)]
        if departments:
            args += ["--departments", ",".join(departments)]
        if without_channel:
            args += ["--without-channel", ",".join(without_channel)]
        for setting in limits:
            args += ["--limit", setting]
        self.args = args
        self.log_path = log_path
        self._log: TextIO | None = None
        self._proc: subprocess.Popen[str] | None = None
        self._info: SandboxInfo | None = None

    # ----- lifecycle
    def start(self, timeout: float = 60) -> SandboxInfo:
        """Start the process and return its JSON line once it serves."""
        if self._proc is not None:
            raise HarnessError("the sandbox process is already started")
        self._log = open(self.log_path, "w", encoding="utf-8") if self.log_path else None  # noqa: SIM115
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "bot.sandbox", *self.args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=self._log if self._log is not None else subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        line = _read_line(self._proc, timeout)
        try:
            self._info = SandboxInfo(json.loads(line))
        except ValueError:
            self.stop()
            raise HarnessError(f"the sandbox printed no JSON line: {line[:200]!r}") from None
        return self._info

    def stop(self, timeout: float = 10) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc is not None and proc.stdout is not None:
            proc.stdout.close()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> SandboxProcess:
        if self._proc is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def info(self) -> SandboxInfo:
        if self._info is None:
            raise HarnessError("the sandbox process is not started")
        return self._info

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    # ----- control API
    def request(
        self,
        method: str,
        path: str,
        body: Json | None = None,
        *,
        query: Mapping[str, object] | None = None,
        timeout: float = 60,
    ) -> Any:
        """``METHOD /_sandbox/<path>``; the JSON answer, or :class:`HarnessError` on a refusal."""
        url = self.info.control_url + ("/" + path.lstrip("/") if path else "")
        if query:
            url += "?" + urllib.parse.urlencode({k: str(v) for k, v in query.items()})
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method.upper())
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")
            raise HarnessError(f"{method} {path}: {error.code} {detail}") from None

    def get(self, path: str, **query: object) -> Any:
        return self.request("GET", path, query=query or None)

    def post(self, path: str, body: Json | None = None) -> Any:
        return self.request("POST", path, body or {})

    def summary(self) -> Json:
        return dict(self.get(""))

    def members(self) -> list[Json]:
        """Every member: ``id``, ``username``, ``global_name``, ``roles``, ``locale``,
        ``dms_open``, ``department`` (officers only)."""
        return list(self.get("members"))

    def officers(self) -> list[Json]:
        """The generated officers (the members that have a department)."""
        return [m for m in self.members() if m.get("department")]

    def organisers(self) -> list[Json]:
        return [m for m in self.members() if self.info.raw.get("organiser_role") in m["roles"]]

    def counters(self) -> Json:
        return dict(self.get("counters"))

    def reset_counters(self) -> None:
        self.post("counters/reset")

    def errors(self) -> list[Json]:
        return list(self.get("errors"))

    def deliveries(self, member: str | int | None = None, *, messages: bool = True) -> list[Json]:
        """Per member: ``dm_messages``, ``dm_sent``, ``dm_refused``, ``dm_opens``,
        ``channel_messages``, ``pinged``, ``markers`` (custom_ids) and ``messages``."""
        query: dict[str, object] = {} if messages else {"messages": 0}
        if member is not None:
            query["member"] = member
        return list(self.get("deliveries", **query))

    def dms(self, member: str | int) -> list[Json]:
        return list(self.get(f"dms/{member}"))

    def messages(self, channel: str | int, *, include_ephemeral: bool = False) -> list[Json]:
        query = {"include_ephemeral": 1} if include_ephemeral else {}
        return list(self.get(f"messages/{str(channel).lstrip('#')}", **query))

    def set_member(
        self, member: str | int, *, dms_open: bool | None = None, locale: str | None = None
    ) -> Json:
        body: Json = {}
        if dms_open is not None:
            body["dms_open"] = dms_open
        if locale is not None:
            body["locale"] = locale
        return dict(self.post(f"members/{member}", body))

    def wait_ready(self, *, identifies: int = 0, timeout: float = 60) -> Json:
        """Until a bot is live on the gateway, with at least ``identifies`` IDENTIFYs in all."""
        return dict(
            self.request(
                "GET",
                "ready",
                query={"timeout": timeout, "identifies": identifies},
                timeout=timeout + 10,
            )
        )

    def wait_for_messages(
        self, at_least: int, *, dms_only: bool = False, timeout: float = 600
    ) -> int:
        """Until the bot created ``at_least`` messages in all (or in DMs only); the count."""
        answer = self.request(
            "GET",
            "wait_messages",
            query={"at_least": at_least, "dms_only": int(dms_only), "timeout": timeout},
            timeout=timeout + 10,
        )
        return int(answer["count"])

    def invoke(
        self,
        line: str,
        *,
        as_member: str | int | None = None,
        channel: str | int | None = None,
        locale: str | None = None,
        attachments: Mapping[str, tuple[str, bytes]] | None = None,
        timeout: float = 60,
    ) -> Answer:
        """Type a slash command as ``as_member`` and wait for the whole answer. ``attachments``:
        option name → (file name, bytes), for an attachment option left out of ``line``."""
        body: Json = {"line": line, "timeout": timeout}
        body.update(_given(as_member=as_member, channel=channel, locale=locale))
        if attachments:
            body["attachments"] = {
                name: {"filename": filename, "data_base64": base64.b64encode(data).decode()}
                for name, (filename, data) in attachments.items()
            }
        return Answer(self.request("POST", "invoke", body, timeout=timeout + 10))

    def invoke_command(
        self,
        name: str,
        options: Mapping[str, object] | None = None,
        *,
        as_member: str | int | None = None,
        channel: str | int | None = None,
        locale: str | None = None,
        timeout: float = 60,
    ) -> Answer:
        body: Json = {"name": name, "options": dict(options or {}), "timeout": timeout}
        body.update(_given(as_member=as_member, channel=channel, locale=locale))
        return Answer(self.request("POST", "invoke_command", body, timeout=timeout + 10))

    def click(
        self,
        message: Json | str | int,
        target: str | int,
        *,
        as_member: str | int | None = None,
        locale: str | None = None,
        timeout: float = 60,
    ) -> Answer:
        """Click a button (label, custom_id or index) of a message the bot posted anywhere; in a
        DM the recipient clicks unless ``as_member`` says otherwise."""
        message_id = message["id"] if isinstance(message, dict) else message
        body: Json = {"message_id": str(message_id), "target": target, "timeout": timeout}
        body.update(_given(as_member=as_member, locale=locale))
        return Answer(self.request("POST", "click", body, timeout=timeout + 10))

    def fault(self, name: str, **body: object) -> None:
        """``fail_next``, ``rate_limit_storm``, ``slow``, ``clear``, ``drop_gateway``..."""
        self.post(f"faults/{name}", dict(body))


def _given(**values: object) -> Json:
    return {k: v for k, v in values.items() if v is not None}


def _read_line(proc: subprocess.Popen[str], timeout: float) -> str:
    """The first line of ``proc``'s stdout, or :class:`HarnessError` if it dies or is silent."""
    assert proc.stdout is not None
    stdout = proc.stdout
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    if not lines or not lines[0]:
        code = proc.poll()
        proc.kill()
        proc.wait()
        state = "timed out" if code is None else f"exited with {code}"
        raise HarnessError(f"the sandbox process {state} before printing its JSON line")
    return lines[0]


# ---------------------------------------------------------------------------------------- roster


def roster_rows(
    officers: Iterable[Json], *, link: str = "id", unlinked: int = 0
) -> list[dict[str, str]]:
    """Roster rows (``ROSTER_HEADER`` columns) for the sandbox's officers, in their order.

    ``link``: ``"id"`` puts the member's id in the Discord column, ``"username"`` its username.
    The last ``unlinked`` officers get an empty Discord column (they cannot be nudged).
    """
    if link not in ("id", "username"):
        raise ValueError(f"link is 'id' or 'username', not {link!r}")
    chosen = list(officers)
    rows: list[dict[str, str]] = []
    for index, member in enumerate(chosen, start=1):
        first, _, last = str(member.get("global_name") or member["username"]).partition(" ")
        linked = index <= len(chosen) - unlinked
        rows.append(
            {
                "Identifiant": f"RDJ-{index:05d}",
                "Prénom": first,
                "Nom": last or first,
                "Fonction": ROSTER_ROLE,
                "Département": str(member["department"]),
                "E-mail": f"{member['username']}@example.org",
                "Discord": str(member[link]) if linked else "",
            }
        )
    return rows


def write_roster(
    path: Path, officers: Iterable[Json], *, link: str = "id", unlinked: int = 0
) -> Path:
    """Write a roster CSV (UTF-8, ``;``, as spreadsheets export it) the bot's importer reads."""
    rows = roster_rows(officers, link=link, unlinked=unlinked)
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, ROSTER_HEADER, delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return path


# ------------------------------------------------------------------------------------------- bot


def _clean_environ() -> dict[str, str]:
    """The parent's environment without any of the bot's settings (an env file is not read)."""
    try:
        from bot.config import VARIABLES

        names = {v.name for v in VARIABLES}
    except Exception:  # the harness must work even while the settings module changes
        names = set()
    return {
        k: v
        for k, v in os.environ.items()
        if k not in names and not k.startswith(("DISCORD_", "NUDGE_", "NEWS_"))
    }


@dataclass
class BotProcess:
    """``python -m bot run`` against a :class:`SandboxProcess`, with its database in ``workdir``.

    ``env`` adds or overrides settings (``REGISTRATION_DEADLINE``, ``NUDGE_LADDER``...); the
    sandbox's URLs, token and guild id, ``DATABASE_PATH``, ``SYNC_COMMANDS=guild``, and
    ``ORGANISER_CHANNEL_ID`` (the sandbox's organisers channel) are set already.
    """

    sandbox: SandboxProcess
    workdir: Path
    env: Mapping[str, str] = field(default_factory=dict)
    database: Path | None = None
    log_level: str = "WARNING"
    # What to run instead of ``python -m bot run`` (arguments after the interpreter), e.g. the
    # bare discord.py bot of the latency benchmarks; it gets the same environment.
    command: Sequence[str] = ()
    starts: int = 0
    _proc: subprocess.Popen[bytes] | None = None
    _log: Any = None

    @property
    def database_path(self) -> Path:
        return self.database or self.workdir / "relance.sqlite3"

    def environment(self) -> dict[str, str]:
        info = self.sandbox.info
        settings = {
            "DISCORD_TOKEN": info.token,
            "DISCORD_API_BASE": info.api_base,
            "DISCORD_GATEWAY_URL": info.gateway_url,
            "GUILD_ID": str(info.guild_id),
            "DATABASE_PATH": str(self.database_path),
            "SYNC_COMMANDS": "guild",
            "LOG_LEVEL": self.log_level,
        }
        if info.organiser_channel_id is not None:
            settings["ORGANISER_CHANNEL_ID"] = str(info.organiser_channel_id)
        return {**_clean_environ(), **settings, **self.env}

    def cli(
        self, *args: str, check: bool = True, timeout: float = 600
    ) -> subprocess.CompletedProcess[str]:
        """``python -m bot ARGS`` with the bot's environment (same database)."""
        done = subprocess.run(
            [sys.executable, "-m", "bot", "--env-file", os.devnull, *args],
            cwd=ROOT,
            env=self.environment(),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
        )
        if check and done.returncode != 0:
            raise HarnessError(
                f"python -m bot {' '.join(args)} exited with {done.returncode}: "
                + done.stderr[-2000:]
            )
        return done

    def import_roster(self, path: Path) -> subprocess.CompletedProcess[str]:
        return self.cli("import-roster", str(path))

    # ----- lifecycle
    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def log_path(self) -> Path:
        return self.workdir / f"bot-{self.starts}.log"

    def start(self, *, wait: bool = True, timeout: float = 60) -> None:
        """Start the bot; with ``wait``, return once the sandbox saw this process identify."""
        if self.running:
            raise HarnessError("the bot is already running")
        self._close_log()
        identifies = int(self.sandbox.summary()["identifies"])
        self.starts += 1
        self._log = open(self.log_path, "wb")  # noqa: SIM115
        self._proc = subprocess.Popen(
            [sys.executable, *(self.command or ("-m", "bot", "--env-file", os.devnull, "run"))],
            cwd=ROOT,
            env=self.environment(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        if wait:
            self.wait_ready(identifies=identifies + 1, timeout=timeout)

    def wait_ready(self, *, identifies: int, timeout: float = 60) -> None:
        """Until the sandbox counted ``identifies`` IDENTIFYs and the bot is live; fails at once
        if the process dies meanwhile."""
        deadline = time.monotonic() + timeout
        while True:
            if not self.running:
                raise HarnessError(
                    f"the bot exited with {self._proc.poll() if self._proc else None} "
                    f"before it was ready:\n{self.log_tail()}"
                )
            left = deadline - time.monotonic()
            if left <= 0:
                raise HarnessError(f"the bot was not ready in {timeout:g} s:\n{self.log_tail()}")
            try:
                self.sandbox.wait_ready(identifies=identifies, timeout=min(left, 1.0))
                return
            except HarnessError as error:
                if " 504 " not in f" {error} ":
                    raise

    def kill(self) -> None:
        """SIGKILL: the process ends at once, mid-request if it was sending."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGKILL)
            self._proc.wait()
        self._close_log()

    def restart(self, *, timeout: float = 60) -> None:
        """SIGKILL then start again on the same database; returns once ready."""
        self.kill()
        self.start(timeout=timeout)

    def stop(self, timeout: float = 30) -> int | None:
        """SIGTERM (a clean stop); the exit code."""
        code = None
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.terminate()
                try:
                    self._proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait()
            code = self._proc.returncode
        self._close_log()
        return code

    def log_says(self, text: str) -> bool:
        """Whether this start's log holds ``text`` (the bot logs at ``log_level``)."""
        try:
            return text in self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False

    def log_tail(self, characters: int = 3000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-characters:]
        except OSError:
            return ""

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> BotProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()


# ------------------------------------------------------------------------------------------ both


@contextlib.contextmanager
def roster_bot(
    *,
    members: int,
    closed_dms: float,
    seed: int,
    env: Mapping[str, str],
    limits: Sequence[str] = (),
    keep: Path | None = None,
) -> Iterator[tuple[SandboxProcess, BotProcess, list[Json]]]:
    """A sandbox serving a generated guild of ``members`` officers, and the bot (settings
    ``env``) started on a roster of them; logs and database in ``keep`` or a temporary folder.
    Yields the sandbox, the bot and the officers."""
    with tempfile.TemporaryDirectory() as tmp:
        work = keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        sandbox = SandboxProcess(
            members=members,
            closed_dms=closed_dms,
            seed=seed,
            limits=limits,
            log_path=work / "sandbox.log",
        )
        with sandbox, BotProcess(sandbox, work, env=env) as bot:
            officers = sandbox.officers()
            bot.import_roster(write_roster(work / "roster.csv", officers))
            bot.start()
            yield sandbox, bot, officers
