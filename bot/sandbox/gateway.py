"""The gateway: HELLO, heartbeats, IDENTIFY/READY, RESUME with replay, and dispatches."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .clock import Clock
from .counters import SandboxCounters
from .errors import SandboxUsageError
from .limits import SandboxLimits
from .ratelimit import RecentEvents
from .state import SandboxState

Json = dict[str, Any]
log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, RESUME, RECONNECT = 0, 1, 2, 3, 6, 7
REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 8, 9, 10, 11
GUILD_MEMBERS = 1 << 1  # the privileged intent


class _Connection:
    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.lock = asyncio.Lock()
        self.sends = RecentEvents()
        self.session: _Session | None = None

    async def send(self, payload: Json) -> bool:
        async with self.lock:
            if self.ws.closed:
                return False
            try:
                await self.ws.send_str(json.dumps(payload))
            except (ConnectionError, RuntimeError):
                return False
            return True


@dataclass
class _Session:
    id: str
    intents: int
    seq: int = 0
    buffer: deque[Json] = field(default_factory=deque)
    connection: _Connection | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Gateway:
    def __init__(
        self,
        state: SandboxState,
        limits: SandboxLimits,
        clock: Clock,
        counters: SandboxCounters,
        token: str,
    ) -> None:
        self.state = state
        self.limits = limits
        self.clock = clock
        self.counters = counters
        self.token = token
        self.url = ""
        self.sessions: dict[str, _Session] = {}
        self.current: _Session | None = None
        # Set while the bot's current session is live on a connection (identified or resumed);
        # cleared when that connection goes (a crash, RECONNECT, a drop, INVALID_SESSION).
        self.identified = asyncio.Event()
        self._changed = asyncio.Event()
        self.connections: set[_Connection] = set()
        self.last_query: dict[str, str] = {}

    # ------------------------------------------------------------------ connection
    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        self.last_query = dict(request.query)
        connection = _Connection(ws)
        self.connections.add(connection)
        try:
            await connection.send(
                {
                    "op": HELLO,
                    "d": {"heartbeat_interval": int(self.limits.heartbeat_interval * 1000)},
                    "s": None,
                    "t": None,
                }
            )
            async for message in ws:
                if message.type is not WSMsgType.TEXT:
                    continue
                if not self._count_send(connection):
                    await ws.close(code=4008, message=b"Rate limited.")
                    break
                try:
                    payload = json.loads(message.data)
                except ValueError:
                    await ws.close(code=4002, message=b"Error while decoding payload.")
                    break
                await self._receive(connection, payload)
        finally:
            self.connections.discard(connection)
            session = connection.session
            if session is not None and session.connection is connection:
                session.connection = None
                self._lost(session)
        return ws

    # ------------------------------------------------------------------ liveness
    def _notify(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    def _live(self) -> None:
        self.identified.set()
        self._notify()

    def _lost(self, session: _Session) -> None:
        if session is self.current and self.identified.is_set():
            self.counters.gateway_disconnects += 1
            self.identified.clear()
            self._notify()

    async def wait_gone(self) -> None:
        """Until no session is live (the bot closed, crashed or was told to reconnect)."""
        while self.identified.is_set():
            await self._changed.wait()

    async def wait_live(self, identifies: int = 0) -> None:
        """Until a session is live and at least ``identifies`` IDENTIFYs have been answered."""
        while not (self.identified.is_set() and self.counters.identifies >= identifies):
            await self._changed.wait()

    def _count_send(self, connection: _Connection) -> bool:
        self.counters.gateway_sends += 1
        now = self.clock.now()
        earlier = connection.sends.count(now, self.limits.gateway_send_window)
        connection.sends.add(now)
        return earlier + 1 <= self.limits.gateway_send_limit

    async def _receive(self, connection: _Connection, payload: Json) -> None:
        op = payload.get("op")
        data = payload.get("d")
        if op == HEARTBEAT:
            await asyncio.sleep(self.limits.heartbeat_ack_delay)
            await connection.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            await self._identify(connection, data or {})
        elif op == RESUME:
            await self._resume(connection, data or {})
        elif op == REQUEST_MEMBERS:
            await self._members_chunk(connection, data or {})
        elif op == PRESENCE:
            pass
        else:
            log.debug("gateway: ignoring op %s", op)

    async def _identify(self, connection: _Connection, data: Json) -> None:
        if data.get("token") != self.token:
            await connection.ws.close(code=4004, message=b"Authentication failed.")
            return
        self.counters.identifies += 1
        session = _Session(secrets.token_hex(16), int(data.get("intents") or 0))
        self.sessions = {session.id: session}
        self.current = session
        session.connection = connection
        connection.session = session
        guild_stub = {"id": str(self.state.guild_id), "unavailable": True}
        ready: Json = {
            "v": 10,
            "user": {
                **self.state.bot_user.payload(),
                "verified": True,
                "mfa_enabled": False,
                "flags": 0,
            },
            "guilds": [guild_stub],
            "session_id": session.id,
            "resume_gateway_url": self.url,
            "application": {"id": str(self.state.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "_trace": ["relance-sandbox"],
        }
        if data.get("shard"):
            ready["shard"] = data["shard"]
        await self.dispatch("READY", ready, session=session)
        guild = self.state.guild_create_payload(with_members=bool(session.intents & GUILD_MEMBERS))
        await self.dispatch("GUILD_CREATE", guild, session=session)
        self._live()

    async def _resume(self, connection: _Connection, data: Json) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != self.token:
            await connection.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        self.counters.resumes += 1
        last_seen = int(data.get("seq") or 0)
        async with session.lock:
            session.connection = connection
            connection.session = session
            self.current = session
            for event in list(session.buffer):
                if event["s"] > last_seen:
                    await connection.send(event)
            session.seq += 1
            resumed = {
                "op": DISPATCH,
                "t": "RESUMED",
                "s": session.seq,
                "d": {"_trace": ["relance-sandbox"]},
            }
            session.buffer.append(resumed)
            await connection.send(resumed)
        self._live()

    async def _members_chunk(self, connection: _Connection, data: Json) -> None:
        members = [m.payload() for m in self.state.members.values()] + [
            self.state.bot_member.payload()
        ]
        chunk: Json = {
            "guild_id": str(self.state.guild_id),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        session = connection.session
        if session is not None:
            await self.dispatch("GUILD_MEMBERS_CHUNK", chunk, session=session)

    # ------------------------------------------------------------------ dispatch
    @property
    def connected(self) -> bool:
        return self.current is not None

    async def dispatch(self, event: str, data: Json, *, session: _Session | None = None) -> None:
        """Send an event to the bot, or keep it for the bot's RESUME if it is disconnected."""
        target = session or self.current
        if target is None:
            raise SandboxUsageError("no bot is connected to the sandbox gateway")
        async with target.lock:
            target.seq += 1
            payload = {"op": DISPATCH, "t": event, "s": target.seq, "d": data}
            target.buffer.append(payload)
            while len(target.buffer) > self.limits.resume_buffer:
                target.buffer.popleft()
            self.counters.gateway_events += 1
            if target.connection is not None:
                await target.connection.send(payload)

    # ------------------------------------------------------------------ faults
    async def reconnect(self) -> None:
        session = self._require_session()
        connection = session.connection
        session.connection = None
        self._lost(session)
        if connection is not None:
            await connection.send({"op": RECONNECT, "d": None, "s": None, "t": None})

    async def invalid_session(self, resumable: bool) -> None:
        session = self._require_session()
        connection = session.connection
        session.connection = None
        self._lost(session)
        if not resumable:
            self.sessions.pop(session.id, None)
            self.current = None
        if connection is not None:
            await connection.send({"op": INVALID_SESSION, "d": resumable, "s": None, "t": None})

    async def drop(self) -> None:
        session = self._require_session()
        connection = session.connection
        session.connection = None
        self._lost(session)
        if connection is not None:
            await connection.ws.close(code=4000, message=b"Unknown error.")

    def _require_session(self) -> _Session:
        if self.current is None:
            raise SandboxUsageError("no bot is connected to the sandbox gateway")
        return self.current

    async def close(self) -> None:
        for connection in list(self.connections):
            await connection.ws.close(code=1001, message=b"Sandbox stopping.")
