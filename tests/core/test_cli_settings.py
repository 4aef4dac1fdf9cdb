"""A command validates only the settings it uses: an unrelated bad value cannot stop it."""

from __future__ import annotations

from pathlib import Path

from bot.__main__ import EXIT_CONFIG, main

DEMO_ARTICLE = (
    Path(__file__).resolve().parents[2] / "bot" / "data" / "news" / "gazette-du-val-lancement.txt"
)


def test_a_bad_news_setting_does_not_stop_digest(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWS_POLL_MINUTES", "1")
    assert main(["--env-file", str(tmp_path / "none"), "digest", "--json", str(DEMO_ARTICLE)]) == 0
    assert "NEWS_POLL_MINUTES" not in capsys.readouterr().err


def test_a_bad_setting_still_stops_the_command_that_uses_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWS_POLL_MINUTES", "1")
    assert main(["--env-file", str(tmp_path / "none"), "check-config"]) == EXIT_CONFIG
    assert "NEWS_POLL_MINUTES='1'" in capsys.readouterr().err


def test_a_bad_digest_schedule_does_not_stop_status(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_DIGEST_SCHEDULE", "monday")
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "relance.sqlite3"))
    assert main(["--env-file", str(tmp_path / "none"), "status"]) == 0
