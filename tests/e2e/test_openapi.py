"""Relance's own requests, and the sandbox's answers, over a session of real commands,
checked against Discord's OpenAPI description and the rules it lacks."""

from __future__ import annotations

from tests.openapi_check import Exchange, extra_rules, openapi, validate

__all__ = ["openapi"]  # the session fixture


async def test_a_session_of_commands_matches_the_description(openapi, demo):
    exchanges: list[Exchange] = []
    demo.sandbox.on_exchange(lambda *args: exchanges.append(Exchange(*args)))
    sandbox = demo.sandbox
    await demo.invoke("/aide")
    await demo.invoke("/sante")
    await demo.invoke("/status departement:56")
    await demo.invoke("/status officier:RDJ-00021")
    await sandbox.autocomplete("/status officier:Ngu", as_member="alice")
    await demo.invoke("/status", as_member="david")  # a link request (the roster's username)
    await demo.bot.services.registration.link("RDJ-00058", demo.sandbox.member("claire").id, "test")
    mine = await demo.invoke("/status", as_member="claire")
    await sandbox.click(mine.message, mine.message.buttons[0]["custom_id"], as_member="claire")
    await demo.invoke("/progression")
    bad = b"Identifiant;Pr\xe9nom;Nom;D\xe9partement\r\nX;A;B;123\r\n"
    await demo.invoke("/roster importer", attachments={"fichier": ("bad.csv", bad)})
    review = await demo.invoke("/verification")
    await sandbox.click(review.message, review.message.buttons[0]["custom_id"], as_member="alice")
    await demo.invoke("/news synthese")
    await demo.invoke("/news liste")
    await demo.invoke("/news article numero:1")
    await demo.invoke("/roster importer", as_member="zoe", attachments={"fichier": ("x.csv", bad)})

    routes = {f"{e.method} {e.path.split('/')[1]}" for e in exchanges}
    assert {"POST interactions", "POST webhooks", "PATCH webhooks", "DELETE webhooks"} <= routes
    problems = [p for e in exchanges for p in validate(openapi, e)]
    assert problems == [], "\n".join(problems)
    assert [p for e in exchanges for p in extra_rules(e)] == []
    assert demo.sandbox.errors == []
