"""Roster changes through the sandbox."""

from __future__ import annotations


async def test_roster_add_defers_then_answers_privately(demo):
    result = await demo.invoke("/roster ajouter prenom:Gwenaëlle nom:Le-Bihan departement:56")
    assert result.deferred and result.messages[-1].ephemeral
    assert result.messages[-1].content == (
        "Gwenaëlle Le-Bihan (56 – Morbihan) a été ajouté à la liste\u202f; statut\u00a0:"
        " non inscrit."
    )
