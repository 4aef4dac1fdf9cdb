"""Text that came from outside (a fetched page, a roster) shown by the bot, through the sandbox:
never a masked link, a mention or formatting, and whatever its length, an answer that fits."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import pytest_asyncio

from bot.config import Settings
from bot.i18n import Catalog
from bot.sandbox import SandboxMessage
from tests.e2e.conftest import Running, demo_deadline, running_bot

pytestmark = pytest.mark.asyncio(loop_scope="module")

CATALOG = Catalog.load()
ZONE = Settings.from_env({}, CATALOG).timezone
PHISH = "[Confirmez votre inscription](https://evil.example/phish)"
OUTLET = "Le Monde](https://evil.example/outlet) [x"
PAGE = f"""<!doctype html><html lang="fr"><head><title>{PHISH}</title>
<meta property="og:site_name" content="{OUTLET}">
<meta property="og:url" content="https://evil.example/og">
<link rel="canonical" href="https://evil.example/canonical"></head><body><article>
<h1>{PHISH}</h1>
<p>Le parti a lancé mardi sa plateforme en ligne, qui compte déjà 1 500 inscrits selon ses
responsables. « Nous attendons des milliers d'inscrits d'ici la fin du mois », a déclaré la
porte-parole du mouvement lors d'une conférence de presse à Paris.</p>
<p>Les responsables départementaux ont jusqu'à la fin du mois pour s'inscrire sur le site,
qui doit devenir le lieu des débats internes du parti et de ses jeunes militants.</p>
</article></body></html>""".encode()
# A markdown link that Discord would render: [text](http...) not preceded by a backslash.
MASKED_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(https?://")


def masked_links(message: SandboxMessage) -> list[str]:
    return MASKED_LINK.findall(message.text)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def running(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Running]:
    deadline = demo_deadline(datetime.now(UTC), ZONE)
    async with running_bot(
        tmp_path_factory.mktemp("outside"), demo=True, registration_deadline=deadline
    ) as r:
        added = await r.sandbox.invoke(
            "/news ajouter", as_member="alice", attachments={"fichier": ("page.html", PAGE)}
        )
        assert added.error is None and added.messages
        yield r


async def test_a_page_title_is_no_masked_link_in_the_public_list(running: Running) -> None:
    listed = await running.sandbox.invoke("/news liste depuis:3650j", as_member="zoe")
    assert listed.messages
    assert [masked_links(m) for m in listed.messages] == [[] for _ in listed.messages]


async def test_a_page_s_site_name_rewrites_no_link_in_the_digest(running: Running) -> None:
    """Nor does the uploaded page's own og:url or canonical link: it was not fetched."""
    digest = await running.sandbox.invoke(
        "/news synthese depuis:3650j", as_member="zoe", timeout=30
    )
    assert digest.messages
    assert [masked_links(m) for m in digest.messages] == [[] for _ in digest.messages]


def _roster(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Identifiant", "Prénom", "Nom", "Fonction", "Département", "E-mail"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


async def test_a_department_of_long_names_still_answers(running: Running) -> None:
    """Fifteen officers with names as long as the roster allows, in one department."""
    sandbox = running.sandbox
    rows = [
        [f"LONG-{n:02}", "É" * 100, f"{n:02}" + "N" * 98, "Responsable", "22", f"l{n}@x.fr"]
        for n in range(15)
    ]
    await running.bot.services.registration.import_roster(
        _roster(rows), "long.csv", "test", apply=True, remove_missing=False
    )
    answer = await sandbox.invoke("/status departement:22", as_member="alice")
    assert answer.error is None
    texts = [m.content for m in answer.messages]
    assert CATALOG.t("error.reply_too_long", "fr") not in texts
    assert answer.messages[0].embeds


async def test_a_roster_name_is_no_masked_link_nor_mention_in_a_nudge(running: Running) -> None:
    sandbox = running.sandbox
    header = ["Identifiant", "Prénom", "Nom", "Fonction", "Département", "E-mail", "Discord"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    claire = sandbox.member("claire").id
    writer.writerow(["PHISH-1", f"{PHISH} @everyone", "Martin", "RDJ", "56", "", str(claire)])
    await running.bot.services.registration.import_roster(
        out.getvalue().encode(), "phish.csv", "test", apply=True, remove_missing=False
    )
    sent = await sandbox.invoke("/relance envoyer", as_member="alice")
    assert sent.error is None, sent.text
    await sandbox.wait_for_messages(1, dms_only=True, timeout=20)
    [nudge] = sandbox.dm_messages("claire")
    assert "Confirmez votre inscription" in nudge.content
    assert masked_links(nudge) == []
    assert "@everyone" not in nudge.content
    assert nudge.mentions == [] and not nudge.mention_everyone
