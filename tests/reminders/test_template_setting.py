"""NUDGE_TEMPLATES: the admins' template file, read at start-up and refused like a bad setting."""

from __future__ import annotations

import dataclasses

import pytest

from bot.__main__ import main
from bot.config import ConfigError, Settings
from bot.i18n import Catalog
from bot.reminders.models import Tier
from bot.reminders.service import configured_templates
from bot.services import open_services

CAT = Catalog.load()


def settings(tmp_path, **env: str) -> Settings:
    base = Settings.from_env(env, CAT)
    return dataclasses.replace(base, database_path=tmp_path / "relance.sqlite3")


def test_empty_means_the_catalog_defaults(tmp_path):
    templates = configured_templates(CAT, settings(tmp_path))
    assert templates.get(Tier.FRIENDLY, "fr").text == CAT.raw("reminders.template.friendly", "fr")


def test_the_file_replaces_what_it_gives_and_keeps_the_rest(tmp_path):
    override = tmp_path / "nudges.toml"
    override.write_text('[friendly]\nfr = "Coucou {first_name}, plus que {days_left}\u202f!"\n')
    templates = configured_templates(CAT, settings(tmp_path, NUDGE_TEMPLATES=str(override)))
    assert (
        templates.get(Tier.FRIENDLY, "fr").text
        == "Coucou {first_name}, plus que {days_left}\u202f!"
    )
    assert templates.get(Tier.FRIENDLY, "en").text == CAT.raw("reminders.template.friendly", "en")


async def test_an_unknown_placeholder_stops_start_up_naming_it(tmp_path):
    override = tmp_path / "nudges.toml"
    override.write_text('[last_call]\nfr = "Dernier rappel {prenom}\u202f!"\n')
    config = settings(tmp_path, NUDGE_TEMPLATES=str(override))
    with pytest.raises(ConfigError) as raised:
        async with open_services(config, catalog=CAT):
            pass
    [line] = raised.value.problems
    assert line.startswith(
        f"NUDGE_TEMPLATES='{override}'\u00a0: le modèle «\u00a0last_call\u00a0» (fr)"
    )
    assert "utilise le champ {prenom}, qui n'existe pas" in line
    assert line.endswith("Exemple\u00a0: NUDGE_TEMPLATES=nudges.toml")


def test_a_missing_file_is_named(tmp_path):
    config = settings(tmp_path, NUDGE_TEMPLATES=str(tmp_path / "absent.toml"), LOCALE="en")
    with pytest.raises(ConfigError) as raised:
        configured_templates(CAT, config)
    assert "the template file" in raised.value.problems[0]
    assert raised.value.problems[0].startswith("NUDGE_TEMPLATES=")


def test_check_config_refuses_a_bad_template_file(tmp_path, capsys, monkeypatch):
    override = tmp_path / "nudges.toml"
    override.write_text('[firmer]\nen = "Hi {name}"\n')
    env_file = tmp_path / ".env"
    env_file.write_text(f"NUDGE_TEMPLATES={override}\nLOCALE=en\n")
    monkeypatch.delenv("NUDGE_TEMPLATES", raising=False)
    code = main(["--env-file", str(env_file), "check-config"])
    assert code != 0
    err = capsys.readouterr().err
    assert "uses the field {name}, which does not exist" in err
