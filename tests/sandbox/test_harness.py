"""The benchmarks' harness builds a roster the bot's importer accepts, linked to sandbox members."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from bot.registration.roster_file import parse_roster
from bot.sandbox import Sandbox
from bot.sandbox.control import member_summary
from bot.sandbox.generate import generated_guild
from tests.support.benchmark_modules import load_benchmark


@pytest.fixture(scope="module")
def harness() -> ModuleType:
    return load_benchmark("_harness")


def officers(count: int) -> list[dict[str, object]]:
    box = Sandbox(guild=generated_guild(count, closed_dms=0.5, seed=3))
    return [member_summary(m) for m in box.members() if m.department]


@pytest.mark.parametrize("link", ["id", "username"])
def test_roster_matches_the_generated_officers(
    harness: ModuleType, tmp_path: Path, link: str
) -> None:
    chosen = officers(12)
    path = harness.write_roster(tmp_path / "roster.csv", chosen, link=link, unlinked=2)
    # The fields of a row, whether the record carries them or its ``profile`` does.
    records = [getattr(r, "profile", r) for r in parse_roster(path.read_bytes(), path.name)]

    assert len(records) == 12
    assert [r.department for r in records] == [str(o["department"]) for o in chosen]
    assert [(r.first_name + " " + r.last_name) for r in records] == [
        o["global_name"] for o in chosen
    ]
    linked = [r.discord_user_id if link == "id" else r.discord_username for r in records[:10]]
    expected = [int(str(o["id"])) if link == "id" else o["username"] for o in chosen[:10]]
    assert linked == expected
    assert all(r.discord_user_id is None and r.discord_username == "" for r in records[10:])


def test_answer_text_and_buttons(harness: ModuleType) -> None:
    answer = harness.Answer(
        {
            "error": None,
            "ephemeral": True,
            "messages": [
                {
                    "id": "1",
                    "content": "Relance",
                    "embeds": [{"title": "Aperçu", "fields": [{"name": "56", "value": "3"}]}],
                    "components": [
                        {
                            "type": 1,
                            "components": [{"type": 2, "label": "Envoyer", "custom_id": "go"}],
                        }
                    ],
                }
            ],
        }
    )
    assert answer.text == "Relance\nAperçu\n56: 3"
    assert [b["custom_id"] for b in answer.buttons] == ["go"]
    assert answer.message["id"] == "1"
