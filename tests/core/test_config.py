from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import VARIABLES, ConfigError, Settings, load_settings
from bot.i18n import Catalog

CAT = Catalog.load()

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_are_valid():
    settings = Settings.from_env({}, CAT)
    assert settings.locale == "fr"
    assert settings.timezone.key == "Europe/Paris"
    assert settings.sync_commands == "guild"
    assert settings.database_path == Path("data/relance.sqlite3")


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("LOCALE", "de", "LOCALE='de'\u00a0: doit être l'une de ces valeurs\u00a0: fr, en."),
        ("GUILD_ID", "abc", "GUILD_ID='abc': must be a Discord id"),
        ("TIMEZONE", "Paris", "TIMEZONE='Paris': is not a known time zone"),
        ("SYNC_COMMANDS", "always", "SYNC_COMMANDS='always': must be one of off, guild, global"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL='LOUD': must be one of DEBUG, INFO, WARNING, ERROR"),
        ("DISCORD_API_BASE", "localhost:80", "DISCORD_API_BASE='localhost:80': must be a URL"),
        (
            "DISCORD_GATEWAY_URL",
            "http://x",
            "DISCORD_GATEWAY_URL='http://x': must be a URL starting with ws://",
        ),
        (
            "REGISTRATION_DEADLINE",
            "31/12/2026",
            "REGISTRATION_DEADLINE='31/12/2026': must be a date",
        ),
        ("NEWS_POLL_MINUTES", "1", "NEWS_POLL_MINUTES='1': must be between 5 and 1,440"),
        (
            "NEWS_DIGEST_SCHEDULE",
            "monday",
            "NEWS_DIGEST_SCHEDULE='monday': 'monday' has 1 field: a cron expression has five",
        ),
        (
            "NEWS_DIGEST_SCHEDULE",
            "mon 25:00",
            "'25:00' is not a time: write HH:MM or 9h30, between 00:00 and 23:59",
        ),
        (
            "NEWS_FEEDS",
            "ftp://example.org/feed",
            "NEWS_FEEDS='ftp://example.org/feed': must be a URL",
        ),
    ],
)
def test_bad_value_is_named_with_an_example(name, value, expected):
    with pytest.raises(ConfigError) as info:
        Settings.from_env({name: value, "LOCALE": "en"} if name != "LOCALE" else {name: value}, CAT)
    assert len(info.value.problems) == 1
    assert expected in info.value.problems[0]
    example = "Example:" if name != "LOCALE" else "Exemple\u00a0:"
    assert f"{example} {name}=" in info.value.problems[0]


def test_problems_are_in_french_by_default():
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"NEWS_POLL_MINUTES": "2"}, CAT)
    assert info.value.problems == [
        "NEWS_POLL_MINUTES='2'\u00a0: doit être compris entre 5 et 1\u202f440. Exemple\u00a0: NEWS_POLL_MINUTES=30"
    ]
    assert info.value.locale == "fr"


def test_a_bad_locale_falls_back_to_french():
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"LOCALE": "de"}, CAT)
    assert info.value.problems == [
        "LOCALE='de'\u00a0: doit être l'une de ces valeurs\u00a0: fr, en. Exemple\u00a0: LOCALE=fr"
    ]


def test_every_problem_is_listed():
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"LOCALE": "de", "GUILD_ID": "x", "LOG_LEVEL": "LOUD"}, CAT)
    assert [p.split("=")[0] for p in info.value.problems] == ["GUILD_ID", "LOCALE", "LOG_LEVEL"]


def test_values_are_parsed():
    settings = Settings.from_env(
        {
            "GUILD_ID": "123456789012345678",
            "REGISTRATION_DEADLINE": "2026-12-31",
            "NEWS_FEEDS": "https://a.example/feed.xml, https://b.example/rss",
            "NEWS_KEYWORDS": "Créateurs de possibles, réseau",
            "NEWS_DIGEST_SCHEDULE": "mon,thu 18h30",
            "LOCALE": "EN",
        },
        CAT,
    )
    assert settings.guild_id == 123456789012345678
    assert settings.registration_deadline == date(2026, 12, 31)
    assert settings.news_feeds == ("https://a.example/feed.xml", "https://b.example/rss")
    assert settings.news_keywords == ("Créateurs de possibles", "réseau")
    assert settings.news_digest_schedule.cron == "30 18 * * 1,4"  # Mondays and Thursdays 18:30
    assert settings.news_digest_schedule.tz == ZoneInfo("Europe/Paris")
    assert settings.locale == "en"


def test_token_never_shows():
    settings = Settings.from_env({"DISCORD_TOKEN": "super-secret-token"}, CAT)
    assert "super-secret-token" not in repr(settings)
    assert "super-secret-token" not in str(settings.masked(CAT))
    assert settings.masked(CAT)["DISCORD_TOKEN"] == "********"
    assert settings.discord_token.reveal() == "super-secret-token"


def test_env_file_is_read_and_environment_wins(tmp_path):
    env = tmp_path / ".env"
    env.write_text("LOCALE=en\nTIMEZONE=America/Cayenne\n", "utf-8")
    settings = load_settings(CAT, env, environ={"LOCALE": "fr"})
    assert settings.locale == "fr"
    assert settings.timezone.key == "America/Cayenne"


def test_running_for_real_needs_token_and_guild():
    with pytest.raises(ConfigError) as info:
        Settings.from_env({}, CAT).check_for_discord(CAT)
    assert [p.split(" ")[0] for p in info.value.problems] == ["DISCORD_TOKEN", "GUILD_ID"]


def test_env_example_and_readme_document_every_variable():
    example = (ROOT / ".env.example").read_text("utf-8")
    readme = (ROOT / "README.md").read_text("utf-8")
    for var in VARIABLES:
        assert f"\n{var.name}=" in example or f"\n# {var.name}=" in example, var.name
        assert f"`{var.name}`" in readme, var.name


def test_a_variable_a_command_does_not_use_cannot_stop_it():
    settings = Settings.from_env(
        {"NEWS_POLL_MINUTES": "1", "LOCALE": "en"}, CAT, needed={"LOCALE", "LOG_LEVEL"}
    )
    assert settings.news_poll_minutes == 30
    assert settings.locale == "en"


def test_check_config_words_are_in_the_configured_language():
    shown = Settings.from_env({"LOCALE": "fr"}, CAT).masked(CAT)
    assert shown["GUILD_ID"] == "(non défini)"
    assert shown["NEWS_FEEDS"] == "(aucun)"


FAKE_TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GaBcDe.x1y2z3w4v5u6t7s8r9q0p1o2n3m4l5k6j7i8h9"


def test_a_token_in_the_wrong_variable_is_never_echoed():
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"GUILD_ID": FAKE_TOKEN, "LOCALE": "en"}, CAT)
    [problem] = info.value.problems
    assert FAKE_TOKEN not in problem and "x1y2z3" not in problem
    assert problem.startswith("GUILD_ID=(hidden)")


def test_check_config_masks_a_secret_looking_value_whatever_the_variable():
    free_text = next(
        v.name for v in VARIABLES if not v.secret and v.name in ("ORGANISER_ROLE", "NEWS_KEYWORDS")
    )
    settings = Settings.from_env({free_text: FAKE_TOKEN}, CAT)
    shown = settings.masked(CAT)
    assert FAKE_TOKEN not in " ".join(shown.values())
    # ordinary values are still shown
    assert Settings.from_env({"GUILD_ID": "123456789012345678"}, CAT).masked(CAT)["GUILD_ID"] == (
        "123456789012345678"
    )
