"""The foundation end to end: the real bot, the real discord.py, the sandbox on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from pathlib import Path

from bot.i18n import Catalog
from bot.sandbox import Sandbox

CATALOG = Catalog.load()

ROOT = Path(__file__).resolve().parents[2]


async def test_login_syncs_localised_commands(running):
    names = {cmd["name"]: cmd for cmd in running.sandbox.commands}
    assert {"aide", "sante"} <= set(names)
    assert names["aide"]["name_localizations"]["en-US"] == "help"
    assert names["aide"]["description"] == CATALOG.t("cmd.help.desc", "fr")
    assert running.sandbox.counters.identifies == 1


async def test_help_lists_commands_in_french(running):
    result = await running.invoke("/aide", as_member="zoe")
    embed = result.message.embeds[0]
    assert result.message.ephemeral
    assert embed["title"] == "Commandes de Relance"
    assert "`/aide` — Liste les commandes que vous pouvez utiliser." in embed["description"]


async def test_help_speaks_english_to_english_clients(running):
    result = await running.invoke("/help", as_member="zoe", locale="en-US")
    embed = result.message.embeds[0]
    assert embed["title"] == "Relance commands"
    assert "`/help` — List the commands you can use." in embed["description"]


async def test_health_reports_database(running):
    result = await running.invoke("/sante")
    fields = {f["name"]: f["value"] for f in result.message.embeds[0]["fields"]}
    assert fields["Version"] == running.bot.version
    assert fields["Base de données"].startswith("ok (schéma v")


async def test_deferred_answer_is_completed_by_a_follow_up(running):
    result = await running.invoke("/lent")
    assert result.deferred
    assert [m.content for m in result.messages if m.content] == ["fini"]


async def test_over_long_reply_is_refused_logged_and_explained(running, caplog):
    with caplog.at_level(logging.WARNING, logger="bot.client"):
        result = await running.invoke("/bavard")
    refused = [e for e in running.sandbox.errors if e.code == 50035]
    assert refused, "the sandbox should have refused the 2500-character reply"
    assert result.message.ephemeral
    assert result.message.content == CATALOG.t("error.reply_too_long", "fr")
    assert any("Discord refused the answer to /bavard" in r.getMessage() for r in caplog.records)


async def test_unexpected_error_is_logged_and_apologised_for(running, caplog):
    with caplog.at_level(logging.ERROR, logger="bot.client"):
        result = await running.invoke("/panne")
    assert result.message.content == CATALOG.t("error.unexpected", "fr")
    record = next(r for r in caplog.records if "unexpected error in /panne" in r.getMessage())
    assert str(running.sandbox.member("alice").id) in record.getMessage()
    assert "probe failure" not in result.message.content


async def test_reconnect_and_resume_lose_no_interaction(running):
    sandbox = running.sandbox
    reconnect = sandbox.faults.reconnect()
    answers = await asyncio.gather(*(running.invoke("/aide") for _ in range(3)))
    await reconnect
    after = await running.invoke("/aide")
    assert all(a.message.embeds[0]["title"] == "Commandes de Relance" for a in [*answers, after])
    assert sandbox.counters.resumes == 1
    assert sandbox.counters.identifies == 1


async def test_shared_rate_limit_is_retried(running):
    sandbox = running.sandbox
    sandbox.faults.rate_limit_storm(
        "POST /interactions/{interaction_id}/{interaction_token}/callback", 2, scope="shared"
    )
    result = await running.invoke("/aide")
    assert result.message.embeds[0]["title"] == "Commandes de Relance"
    assert sandbox.counters.rate_limited["shared"] == 2
    assert sandbox.counters.invalid_requests == 0


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "LOCALE"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", "--env-file", os.devnull, *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_bad_configuration_is_refused_naming_the_variable():
    proc = run_cli("run", env={"LOCALE": "de", "TIMEZONE": "Mars/Olympus"})
    assert proc.returncode == 2
    assert "Erreur de configuration\u00a0:" in proc.stderr
    assert (
        "LOCALE='de'\u00a0: doit être l'une de ces valeurs\u00a0: fr, en. Exemple\u00a0: LOCALE=fr"
        in proc.stderr
    )
    assert "TIMEZONE='Mars/Olympus'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_check_config_masks_the_token():
    proc = run_cli("check-config", env={"DISCORD_TOKEN": "tok-very-secret-123"})
    assert proc.returncode == 0
    assert "DISCORD_TOKEN = ********" in proc.stdout
    assert "tok-very-secret-123" not in proc.stdout + proc.stderr


async def test_refused_token_is_reported_without_printing_it(tmp_path):
    async with Sandbox() as sandbox:
        env = {
            "DISCORD_TOKEN": "tok-wrong-and-secret",
            "GUILD_ID": str(sandbox.guild_id),
            "DISCORD_API_BASE": sandbox.api_base,
            "DISCORD_GATEWAY_URL": sandbox.gateway_url,
            "DATABASE_PATH": str(tmp_path / "db.sqlite3"),
        }
        proc = await asyncio.to_thread(run_cli, "run", env=env)
    assert proc.returncode == 2
    assert "DISCORD_TOKEN a été refusé par Discord" in proc.stderr
    assert "tok-wrong-and-secret" not in proc.stdout + proc.stderr


def test_shell_prints_help_in_french_from_a_pipe():
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "--env-file", os.devnull, "shell"],
        input="/aide\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")},
    )
    assert proc.returncode == 0, proc.stderr
    assert "Commandes de Relance" in proc.stdout
    assert "/aide` — Liste les commandes que vous pouvez utiliser." in proc.stdout


async def test_run_logs_in_syncs_and_answers(tmp_path):
    """`python -m bot run`, the production entry point, against the sandbox as if it were Discord."""
    async with Sandbox() as sandbox:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "LOCALE"))},
            "DISCORD_TOKEN": sandbox.token,
            "GUILD_ID": str(sandbox.guild_id),
            "DISCORD_API_BASE": sandbox.api_base,
            "DISCORD_GATEWAY_URL": sandbox.gateway_url,
            "DATABASE_PATH": str(tmp_path / "db.sqlite3"),
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "--env-file",
            os.devnull,
            "run",
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await sandbox.wait_until_ready(timeout=60)
            result = await sandbox.invoke("/aide", as_member="zoe")
            assert result.message.embeds[0]["title"] == "Commandes de Relance"
        finally:
            proc.terminate()
            _, stderr = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 0, stderr.decode()[-2000:]
    assert sandbox.token not in stderr.decode()
    assert (tmp_path / "db.sqlite3").is_file()
