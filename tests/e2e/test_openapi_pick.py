"""A pick-list click answered with a new message, checked against Discord's description."""

from __future__ import annotations

from tests.openapi_check import Exchange, extra_rules, openapi, validate

__all__ = ["openapi"]  # the session fixture


async def test_a_pick_list_click_answered_with_a_new_message_matches_the_description(openapi, demo):
    asked = await demo.invoke("/status officier:david")
    exchanges: list[Exchange] = []
    demo.sandbox.on_exchange(lambda *args: exchanges.append(Exchange(*args)))
    picked = await demo.sandbox.click(asked.message, "officer:pick", values=["RDJ-00059"])
    assert picked.messages[-1].embeds[0]["title"] == "David Kerbrat — 29 – Finistère"
    callbacks = [e for e in exchanges if e.path.endswith("/callback")]
    assert [c.request["type"] for c in callbacks] == [4]
    problems = [p for e in exchanges for p in validate(openapi, e)]
    assert problems == [], "\n".join(problems)
    assert [p for e in exchanges for p in extra_rules(e)] == []
    assert demo.sandbox.errors == []
