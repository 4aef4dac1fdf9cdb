"""The terminal shell, driven in-process with a list of lines."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.i18n import Catalog
from bot.shell import ShellState, complete_words, humanise, render_message, run_shell

CATALOG = Catalog.load()


async def run(lines: list[str], tmp_path, **env: str) -> list[str]:
    printed: list[str] = []
    settings = dataclasses.replace(Settings.from_env(env, Catalog.load()))
    code = await run_shell(settings, lines=lines, files_dir=str(tmp_path), out=printed.append)
    assert code == 0
    return printed


async def test_buttons_are_clicked_by_label_and_the_answer_shown(tmp_path):
    printed = await run(["as claire", "/status", "click J'ai terminé mon inscription"], tmp_path)
    text = "\n".join(printed)
    assert "Vous êtes maintenant claire." in text
    assert "[1] J'ai terminé mon inscription" in text
    assert "Merci\u202f! Votre inscription est notée comme déclarée" in text


async def test_attachments_are_saved_and_their_path_shown(tmp_path):
    printed = await run(["/progression"], tmp_path)
    saved = sorted(tmp_path.glob("*progression.png"))
    assert len(saved) == 1
    assert f"📎 progression.png → {saved[0]}" in "\n".join(printed)


async def test_timestamps_and_mentions_are_shown_readably(tmp_path):
    printed = "\n".join(await run(["/status officier:RDJ-00021"], tmp_path))
    assert "<t:" not in printed
    assert "▸ Depuis\n" in printed


@dataclasses.dataclass
class FakeMessage:
    embeds: list[dict[str, object]]
    content: str = ""
    ephemeral: bool = False
    buttons: list[dict[str, object]] = dataclasses.field(default_factory=list)
    attachments: list[object] = dataclasses.field(default_factory=list)


def test_embed_fields_print_as_discord_shows_them(tmp_path):
    state = ShellState(member="claire", files_dir=tmp_path, catalog=CATALOG)
    message = FakeMessage(
        embeds=[
            {
                "title": "Aperçu",
                "fields": [
                    {"name": "Par département", "value": "**Morbihan (56)**\u00a0: 3 en MP"},
                    {"name": "\u200b", "value": "**Finistère (29)**\u00a0: 1 en MP"},
                    {"name": "Non relancés", "value": "aucun"},
                ],
            }
        ]
    )
    assert render_message(message, None, state, header=False).split("\n") == [
        "【Aperçu】",
        "▸ Par département",
        "**Morbihan (56)**\u00a0: 3 en MP",
        "**Finistère (29)**\u00a0: 1 en MP",
        "▸ Non relancés",
        "aucun",
    ]


PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # 10:00 in Paris
DEADLINE = int(datetime(2026, 11, 30, 11, 0, tzinfo=UTC).timestamp())  # noon in Paris


@pytest.mark.parametrize(
    ("style", "fr", "en"),
    [
        ("D", "30 novembre 2026", "November 30, 2026"),
        ("d", "30/11/2026", "11/30/2026"),
        ("t", "12:00", "12:00 PM"),
        ("f", "30 novembre 2026 12:00", "November 30, 2026 12:00 PM"),
        ("F", "lundi 30 novembre 2026 12:00", "Monday, November 30, 2026 12:00 PM"),
        ("R", "dans 3 jours", "in 3 days"),
    ],
)
def test_timestamps_print_as_the_discord_client_writes_them(style, fr, en):
    text = f"<t:{DEADLINE}:{style}>"
    assert humanise(text, None, PARIS, "fr", lambda: NOW) == fr
    assert humanise(text, None, PARIS, "en", lambda: NOW) == en


async def test_english_shell_speaks_english(tmp_path):
    printed = "\n".join(await run(["as zoe", "/help"], tmp_path, LOCALE="en"))
    assert "You are now zoe." in printed
    assert "【Relance commands】" in printed


async def test_unknown_input_is_explained(tmp_path):
    printed = await run(["bonjour", "as personne"], tmp_path)
    assert (
        printed[0]
        == "Saisie inconnue\u00a0: «\u00a0bonjour\u00a0». Les commandes commencent par /\u202f; tapez help."
    )
    assert printed[1].startswith("Shell\u00a0: ")


def test_completion_offers_commands_sub_commands_and_options():
    commands = [
        {
            "name": "status",
            "options": [
                {"type": 3, "name": "departement", "name_localizations": {"en-US": "department"}}
            ],
        },
        {
            "name": "roster",
            "options": [
                {"type": 1, "name": "importer", "options": [{"type": 11, "name": "fichier"}]}
            ],
        },
    ]
    assert complete_words(commands, ["/"]) == ["/roster", "/status"]
    assert complete_words(commands, ["/status", ""]) == ["departement:", "department:"]
    assert complete_words(commands, ["/roster", ""]) == ["importer"]
    assert complete_words(commands, ["/roster", "importer", ""]) == ["fichier:"]


async def test_a_newcomer_sends_the_demo_nudges_and_clicks_them_as_the_officers(tmp_path):
    printed = await run(
        [
            "/relance apercu",
            "/relance envoyer",
            "as claire",
            "click Je suis inscrit·e",
            "as emma",
            "click Me le rappeler demain",
        ],
        tmp_path,
    )
    text = "\n".join(printed)
    assert "【Aperçu de la relance\u00a0: J-14】" in text
    [dm] = [line for line in printed if line.startswith("DM à claire\u00a0: ")]
    assert dm.startswith("DM à claire\u00a0: Salut Claire")
    assert re.search(r"\[\d\] Je suis inscrit·e   \[\d\] Me le rappeler demain$", dm)
    [fallback] = [line for line in printed if line.startswith("#dep-75\u00a0: ")]
    assert fallback.startswith("#dep-75\u00a0: @emma ")
    assert CATALOG.t("reminders.ui.registered_thanks", "fr") in text
    assert "D'accord, je te le rappelle" in text
