"""The nudge templates an organiser writes (issue 12): any text, and any template file's bytes,
give templates or a clear refusal, never another exception; a template accepted renders for any
roster name, which is shown as text (no link, no mention, no ping)."""

from __future__ import annotations

import re
import tempfile
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import example, given
from hypothesis import strategies as st

from bot.errors import UserError
from bot.reminders.models import Tier
from bot.reminders.templates import (
    MAX_MESSAGE,
    PLACEHOLDERS,
    NudgeTemplates,
    Template,
    nudge_values,
    render,
)
from tests.trust._properties import CATALOG, clear, quick

PARIS = ZoneInfo("Europe/Paris")
HOSTILE = [
    "[x](https://evil.example/p)",
    "<@123456789012345678>",
    "@everyone",
    "**",
    "\\",
    "{",
    "}",
]
pieces = st.one_of(
    st.sampled_from([f"{{{p}}}" for p in PLACEHOLDERS] + ["{inconnu}", "{first_name!r}", "{0}"]),
    st.sampled_from(["{", "}", "{{", "}}", "\\", "**", "\n"]),
    st.text(max_size=12),
)
# Hostile text is in the names only: the template's own words are the organiser's.
template_text = st.lists(pieces, max_size=8).map("".join)
names = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=10)), max_size=6).map("".join)
RAW = re.compile(r"(?<!\\)\]\(https://evil|(?<!\\)<@123456789012345678|@everyone")


def _values(first_name: str) -> dict[str, str]:
    deadline = date(2026, 4, 30)
    return nudge_values(
        CATALOG,
        "fr",
        first_name=first_name[:100] or "x",
        department="Finistère (29)",
        platform_url="https://plateforme.example/inscription",
        deadline=deadline,
        today=deadline - timedelta(days=3),
        tz=PARIS,
    )


@quick(80)
@given(template_text, st.sampled_from(list(Tier)), names)
@example("Bonjour {first_name}, {deadline}", Tier.FRIENDLY, "[x](https://evil.example/p) @everyone")
def test_any_template_text_is_accepted_or_refused_clearly(
    text: str, tier: Tier, first_name: str
) -> None:
    try:
        template = Template.parse(text, tier, "fr")
    except UserError as error:
        clear(error)
        return
    shown = render(template, _values(first_name))
    assert len(shown) <= MAX_MESSAGE
    assert RAW.search(shown) is None, shown


@quick(40)
@given(
    st.binary(max_size=200) | template_text.map(lambda t: f'[friendly]\nfr = """{t}"""\n'.encode())
)
@example(b"[friendly]\nfr = 3\n")
@example(b"[inconnu]\nfr = 'x'\n")
@example(b"[friendly]\nxx = 'x'\n")
@example(b"\xff\xfe")
def test_any_template_file_gives_templates_or_a_clear_refusal(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "modeles.toml"
        path.write_bytes(data)
        try:
            templates = NudgeTemplates.load(CATALOG, path)
        except UserError as error:
            clear(error)
            return
    for tier in Tier:
        assert templates.get(tier, "fr").text.strip()
