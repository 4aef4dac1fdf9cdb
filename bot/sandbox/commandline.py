"""Turning a typed line ("/roster link officier:RDJ-0001 membre:@claire") into interaction data."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SandboxUsageError
from .models import SandboxAttachment, SandboxChannel, SandboxMember, SandboxRole, SandboxUser
from .state import SandboxState

Json = dict[str, Any]
(
    SUB_COMMAND,
    SUB_COMMAND_GROUP,
    STRING,
    INTEGER,
    BOOLEAN,
    USER,
    CHANNEL,
    ROLE,
    MENTIONABLE,
    NUMBER,
    ATTACHMENT,
) = (
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
)
TRUE_WORDS = {"true", "yes", "oui", "vrai", "1", "on"}
FALSE_WORDS = {"false", "no", "non", "faux", "0", "off"}
Upload = tuple[str, bytes]


def tokenize(line: str) -> list[str]:
    """Split on spaces; double quotes group words (``raison:"pas dispo"``); apostrophes are text."""
    tokens: list[str] = []
    current: list[str] = []
    quoted = False
    started = False
    for char in line.strip():
        if char == '"':
            quoted = not quoted
            started = True
        elif char.isspace() and not quoted:
            if started:
                tokens.append("".join(current))
            current, started = [], False
        else:
            current.append(char)
            started = True
    if quoted:
        raise SandboxUsageError(f"unclosed quote in {line!r}")
    if started:
        tokens.append("".join(current))
    return tokens


def _names(item: Json, locales: tuple[str, ...]) -> set[str]:
    names = {str(item["name"]).casefold()}
    for locale, localized in (item.get("name_localizations") or {}).items():
        if locale in locales or locale.split("-")[0] in locales:
            names.add(str(localized).casefold())
    return names


def _all_names(item: Json) -> set[str]:
    return {str(item["name"]).casefold()} | {
        str(n).casefold() for n in (item.get("name_localizations") or {}).values()
    }


def _find(items: list[Json], name: str, locales: tuple[str, ...]) -> Json | None:
    """The item named ``name`` in the member's language; else, for convenience in tests and the
    shell, the one item that has that name in any language (Discord itself is stricter)."""
    wanted = name.casefold()
    found = next((item for item in items if wanted in _names(item, locales)), None)
    if found is not None:
        return found
    anywhere = [item for item in items if wanted in _all_names(item)]
    return anywhere[0] if len(anywhere) == 1 else None


@dataclass
class Invocation:
    """A command line resolved against the synced commands."""

    command: Json
    path: list[str]
    options: list[Json]
    data: Json
    focused: str | None = None
    uploads: list[SandboxAttachment] = field(default_factory=list)


class CommandLine:
    def __init__(self, state: SandboxState, commands: list[Json], locales: tuple[str, ...]) -> None:
        self.state = state
        self.commands = commands
        self.locales = locales
        self.resolved: Json = {}
        self.uploads: list[SandboxAttachment] = []

    # ------------------------------------------------------------------ entry points
    def parse(
        self,
        line: str,
        *,
        channel: SandboxChannel,
        attachments: Mapping[str, Upload] | None = None,
        autocomplete: bool = False,
        focus: str | None = None,
    ) -> Invocation:
        tokens = tokenize(line)
        if not tokens or not tokens[0].startswith("/"):
            raise SandboxUsageError(f"a command line starts with '/': {line!r}")
        path = [tokens[0][1:]]
        raw: list[tuple[str, str]] = []
        for token in tokens[1:]:
            name, sep, value = token.partition(":")
            if sep and name and " " not in name:
                raw.append((name, value))
            elif not raw:
                path.append(token)
            else:
                previous_name, previous_value = raw[-1]
                raw[-1] = (previous_name, f"{previous_value} {token}".strip())
        return self.build(
            path,
            raw,
            channel=channel,
            attachments=attachments,
            autocomplete=autocomplete,
            focus=focus,
        )

    def build(
        self,
        path: list[str],
        raw: list[tuple[str, Any]],
        *,
        channel: SandboxChannel,
        attachments: Mapping[str, Upload] | None = None,
        autocomplete: bool = False,
        focus: str | None = None,
    ) -> Invocation:
        command = _find([c for c in self.commands if c.get("type", 1) == 1], path[0], self.locales)
        if command is None:
            known = ", ".join(sorted("/" + str(c["name"]) for c in self.commands)) or "none"
            raise SandboxUsageError(f"unknown command /{path[0]} (synced: {known})")
        node = command
        canonical = [str(command["name"])]
        for word in path[1:]:
            subs = [
                o
                for o in node.get("options") or []
                if o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP)
            ]
            sub = _find(subs, word, self.locales)
            if sub is None:
                names = ", ".join(str(s["name"]) for s in subs) or "none"
                raise SandboxUsageError(
                    f"/{' '.join(canonical)} has no sub-command {word!r} (known: {names})"
                )
            node = sub
            canonical.append(str(sub["name"]))
        if any(
            o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in node.get("options") or []
        ):
            names = ", ".join(str(o["name"]) for o in node.get("options") or [])
            raise SandboxUsageError(f"/{' '.join(canonical)} needs a sub-command ({names})")

        definitions = list(node.get("options") or [])
        given: dict[str, Any] = {}
        for name, value in raw:
            option = _find(definitions, name, self.locales)
            if option is None:
                names = ", ".join(str(o["name"]) for o in definitions) or "none"
                raise SandboxUsageError(
                    f"/{' '.join(canonical)} has no option {name!r} (options: {names})"
                )
            given[str(option["name"])] = value
        for name, upload in (attachments or {}).items():
            option = _find(definitions, name, self.locales)
            if option is None or option.get("type") != ATTACHMENT:
                raise SandboxUsageError(f"/{' '.join(canonical)} has no attachment option {name!r}")
            given[str(option["name"])] = upload

        focused = None
        if autocomplete:
            focused = focus or (next(iter(reversed(given)), None) if given else None)
            if focused is None:
                raise SandboxUsageError(
                    "autocomplete needs an option to complete, e.g. /status officier:Lef"
                )
            option = _find(definitions, focused, self.locales)
            if option is None:
                raise SandboxUsageError(f"no option {focused!r} to complete")
            focused = str(option["name"])
            given.setdefault(focused, "")

        options: list[Json] = []
        for definition in definitions:
            name = str(definition["name"])
            if name not in given:
                if definition.get("required") and not autocomplete:
                    raise SandboxUsageError(f"/{' '.join(canonical)}: option {name!r} is required")
                continue
            if name == focused:
                options.append(
                    {
                        "name": name,
                        "type": definition["type"],
                        "value": str(given[name]),
                        "focused": True,
                    }
                )
                continue
            try:
                value = self._convert(definition, given[name], channel)
            except SandboxUsageError:
                if not autocomplete:
                    raise
                value = str(given[name])
            options.append({"name": name, "type": definition["type"], "value": value})

        nested: list[Json] = options
        for depth in range(len(canonical) - 1, 0, -1):
            sub_type = SUB_COMMAND if depth == len(canonical) - 1 else SUB_COMMAND_GROUP
            nested = [{"name": canonical[depth], "type": sub_type, "options": nested}]
        data: Json = {
            "id": str(command["id"]),
            "name": command["name"],
            "type": 1,
            "options": nested,
        }
        if command.get("guild_id"):
            data["guild_id"] = str(command["guild_id"])
        if self.resolved:
            data["resolved"] = self.resolved
        return Invocation(command, canonical, options, data, focused, list(self.uploads))

    # ------------------------------------------------------------------ values
    def _convert(self, option: Json, value: Any, channel: SandboxChannel) -> Any:
        kind = option["type"]
        name = option["name"]
        choices = option.get("choices") or []
        if choices and isinstance(value, str):
            for choice in choices:
                if value.casefold() in _names(choice, self.locales) or value == str(
                    choice["value"]
                ):
                    return choice["value"]
            names = ", ".join(str(c["name"]) for c in choices)
            raise SandboxUsageError(f"option {name!r} takes one of: {names}")
        if kind == STRING:
            text = str(value)
            if "min_length" in option and len(text) < int(option["min_length"]):
                raise SandboxUsageError(
                    f"option {name!r} needs at least {option['min_length']} characters"
                )
            if "max_length" in option and len(text) > int(option["max_length"]):
                raise SandboxUsageError(
                    f"option {name!r} takes at most {option['max_length']} characters"
                )
            return text
        if kind in (INTEGER, NUMBER):
            number = self._number(option, value)
            return number
        if kind == BOOLEAN:
            if isinstance(value, bool):
                return value
            word = str(value).casefold()
            if word in TRUE_WORDS or word in FALSE_WORDS:
                return word in TRUE_WORDS
            raise SandboxUsageError(
                f"option {name!r} is a boolean (true/false, oui/non): {value!r}"
            )
        if kind == USER:
            return self._user(value)
        if kind == CHANNEL:
            return self._channel(value)
        if kind == ROLE:
            return self._role(value)
        if kind == MENTIONABLE:
            try:
                return self._user(value)
            except SandboxUsageError:
                return self._role(value)
        if kind == ATTACHMENT:
            return self._attachment(value, channel)
        raise SandboxUsageError(f"option {name!r} has a type the sandbox does not know ({kind})")

    def _number(self, option: Json, value: Any) -> int | float:
        name = option["name"]
        try:
            number: int | float = (
                int(value) if option["type"] == INTEGER else float(str(value).replace(",", "."))
            )
        except (TypeError, ValueError):
            kind = "an integer" if option["type"] == INTEGER else "a number"
            raise SandboxUsageError(f"option {name!r} takes {kind}: {value!r}") from None
        if isinstance(number, float) and not math.isfinite(number):
            raise SandboxUsageError(f"option {name!r} takes a finite number")
        if "min_value" in option and number < option["min_value"]:
            raise SandboxUsageError(f"option {name!r} is at least {option['min_value']}")
        if "max_value" in option and number > option["max_value"]:
            raise SandboxUsageError(f"option {name!r} is at most {option['max_value']}")
        return number

    def _user(self, value: Any) -> str:
        if isinstance(value, SandboxMember):
            member = value
        elif isinstance(value, SandboxUser):
            member = self.state.member(value.id)
        else:
            member = self.state.member(str(value))
        resolved = self.resolved
        resolved.setdefault("users", {})[str(member.id)] = member.user.payload()
        resolved.setdefault("members", {})[str(member.id)] = member.payload(
            permissions=self.state.permissions(member), with_user=False
        )
        return str(member.id)

    def _channel(self, value: Any) -> str:
        channel = value if isinstance(value, SandboxChannel) else self.state.channel(str(value))
        payload = channel.payload(permissions=self.state.permissions(self.state.bot_member))
        self.resolved.setdefault("channels", {})[str(channel.id)] = payload
        return str(channel.id)

    def _role(self, value: Any) -> str:
        role = value if isinstance(value, SandboxRole) else self.state.role(str(value))
        self.resolved.setdefault("roles", {})[str(role.id)] = role.payload()
        return str(role.id)

    def _attachment(self, value: Any, channel: SandboxChannel) -> str:
        if isinstance(value, tuple):
            filename, data = value
        else:
            path = Path(str(value)).expanduser()
            if not path.is_file():
                raise SandboxUsageError(f"no file {str(value)!r} to attach")
            filename, data = path.name, path.read_bytes()
        attachment = self.state.add_attachment(channel.id, filename, bytes(data), ephemeral=True)
        self.uploads.append(attachment)
        self.resolved.setdefault("attachments", {})[str(attachment.id)] = attachment.payload()
        return str(attachment.id)
