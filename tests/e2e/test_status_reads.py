"""/status officier reads the officer once: the lookup's officer is the one shown."""

from __future__ import annotations

from typing import Any


def _counting(demo: Any, monkeypatch: Any, name: str) -> list[str]:
    service = demo.bot.services.registration
    calls: list[str] = []
    original = getattr(service, name)

    async def counted(query: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(query)
        return await original(query, *args, **kwargs)

    monkeypatch.setattr(service, name, counted)
    return calls


async def test_an_officer_found_at_once_is_looked_up_once(demo, monkeypatch):
    lookups = _counting(demo, monkeypatch, "lookup_officer")
    result = await demo.invoke("/status officier:RDJ-00021")
    assert result.message.embeds[0]["title"] == "Maxime Nguyen — 56 – Morbihan"
    assert lookups == ["RDJ-00021"]


async def test_an_officer_picked_among_several_is_shown(demo, monkeypatch):
    lookups = _counting(demo, monkeypatch, "lookup_officer")
    asked = await demo.invoke("/status officier:david")
    assert lookups == ["david"]
    picked = await demo.sandbox.click(asked.message, "officer:pick", values=["RDJ-00059"])
    assert picked.messages[-1].embeds[0]["title"] == "David Kerbrat — 29 – Finistère"
    assert picked.messages[-1].ephemeral
