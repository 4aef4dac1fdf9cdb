from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import LOCALES, Catalog, Locale
from bot.reminders.models import Tier
from bot.reminders.templates import (
    MAX_MESSAGE,
    PLACEHOLDERS,
    NudgeTemplates,
    Template,
    TemplateError,
    days_left_text,
    discord_deadline,
    nudge_values,
    render,
)

PARIS = ZoneInfo("Europe/Paris")
CAT = Catalog.load()
DEADLINE = date(2026, 12, 31)
NOON_31_DEC = 1798714800  # 2026-12-31 12:00 in Paris (11:00 UTC)
KNOWN = "{first_name}, {department}, {platform_url}, {days_left}, {deadline}"


def values(locale: Locale = "fr", today: date = date(2026, 12, 21)) -> dict[str, str]:
    return nudge_values(
        CAT,
        locale,
        first_name="Claire",
        department="Morbihan (56)",
        platform_url="https://plateforme.example.org/inscription",
        deadline=DEADLINE,
        today=today,
        tz=PARIS,
    )


def test_the_default_french_last_call_as_an_officer_reads_it() -> None:
    templates = NudgeTemplates.load(CAT)
    text = render(templates.get(Tier.LAST_CALL, "fr"), values("fr", date(2026, 12, 30)))
    assert text == (
        "Claire, c'est le dernier appel ⏰\n\n"
        "Tu n'es toujours pas inscrit·e sur la plateforme, et il te reste 1 jour. Prends deux "
        "minutes dès maintenant\u00a0: c'est important pour ton département, Morbihan (56).\n\n"
        "👉 https://plateforme.example.org/inscription\n"
        f"📅 Date limite\u00a0: <t:{NOON_31_DEC}:D> (<t:{NOON_31_DEC}:R>)\n\n"
        "Si c'est fait, clique sur «\u00a0Je suis inscrit·e\u00a0» pour qu'on le note. Merci\u202f!"
    )


def test_the_default_english_firmer_as_an_officer_reads_it() -> None:
    templates = NudgeTemplates.load(CAT)
    text = render(templates.get(Tier.FIRMER, "en"), values("en", date(2026, 12, 24)))
    assert text == (
        "Hello Claire,\n\n"
        "A quick reminder: you haven't signed up on the platform yet, and you have 7 days left "
        "to do it. Your registration really matters for your department, Morbihan (56).\n\n"
        "👉 https://plateforme.example.org/inscription\n"
        f"📅 Deadline: <t:{NOON_31_DEC}:D> (<t:{NOON_31_DEC}:R>)\n\n"
        "Any trouble signing up? Let the organising team know, we'll gladly help. If you've "
        'already done it, click "I\'ve registered" below.'
    )


@pytest.mark.parametrize("tier", list(Tier))
@pytest.mark.parametrize("locale", LOCALES)
def test_every_default_template_renders_within_discord_limits(tier: Tier, locale: Locale) -> None:
    template = NudgeTemplates.defaults(CAT).get(tier, locale)
    text = render(template, values(locale))
    assert "{" not in text and "}" not in text
    assert "Claire" in text and "https://plateforme.example.org/inscription" in text
    assert len(text) <= MAX_MESSAGE


@pytest.mark.parametrize(
    ("locale", "days", "text"),
    [
        ("fr", 0, "moins d'un jour"),
        ("fr", 1, "1 jour"),
        ("fr", 2, "2 jours"),
        ("fr", 14, "14 jours"),
        ("en", 0, "less than a day"),
        ("en", 1, "1 day"),
        ("en", 2, "2 days"),
        ("en", 365, "365 days"),
        ("fr", -1, "moins d'un jour"),
    ],
)
def test_days_left_take_the_right_plural(locale: Locale, days: int, text: str) -> None:
    assert days_left_text(CAT, locale, days) == text


@pytest.mark.parametrize(
    ("deadline", "unix"),
    [
        (date(2026, 12, 31), NOON_31_DEC),  # winter: noon CET = 11:00 UTC
        (date(2026, 6, 30), 1782813600),  # summer: noon CEST = 10:00 UTC
    ],
)
def test_the_deadline_goes_in_as_discord_timestamps(deadline: date, unix: int) -> None:
    assert discord_deadline(deadline, PARIS) == f"<t:{unix}:D> (<t:{unix}:R>)"


@pytest.mark.parametrize(
    ("text", "key", "params"),
    [
        ("", "reminders.template.empty", {}),
        ("  \n", "reminders.template.empty", {}),
        (
            "Salut {prenom}\u202f!",
            "reminders.template.unknown_placeholder",
            {"name": "{prenom}", "known": KNOWN},
        ),
        (
            "Salut {}\u202f!",
            "reminders.template.unknown_placeholder",
            {"name": "{}", "known": KNOWN},
        ),
        (
            "Salut {0}\u202f!",
            "reminders.template.unknown_placeholder",
            {"name": "{0}", "known": KNOWN},
        ),
        (
            "Salut {first_name.upper}\u202f!",
            "reminders.template.unknown_placeholder",
            {"name": "{first_name.upper}", "known": KNOWN},
        ),
        (
            "Salut {first_name!r}\u202f!",
            "reminders.template.unknown_placeholder",
            {"name": "{first_name!r}", "known": KNOWN},
        ),
        (
            "Salut {first_name:>20}\u202f!",
            "reminders.template.unknown_placeholder",
            {"name": "{first_name:>20}", "known": KNOWN},
        ),
        ("Salut {first_name\u202f!", "reminders.template.braces", {}),
        ("Salut first_name}\u202f!", "reminders.template.braces", {}),
        # checked with room for long values: a 200-character link here
        ("x" * 1900 + "{platform_url}", "reminders.template.too_long", {"length": 2100}),
    ],
)
def test_bad_templates_are_refused_naming_the_culprit(
    text: str, key: str, params: dict[str, object]
) -> None:
    with pytest.raises(TemplateError) as caught:
        Template.parse(text, Tier.FIRMER, "fr")
    expected = dict(params, tier="firmer", locale="fr")
    if key == "reminders.template.too_long":
        expected["limit"] = MAX_MESSAGE
    assert (caught.value.key, caught.value.params) == (key, expected)


def test_the_unknown_placeholder_sentence_names_it() -> None:
    with pytest.raises(TemplateError) as caught:
        Template.parse("Salut {prenom}\u202f!", Tier.FRIENDLY, "fr")
    assert CAT.t(caught.value.key, "fr", **caught.value.params) == (
        "le modèle «\u00a0friendly\u00a0» (fr) utilise le champ {prenom}, qui n'existe pas\u202f; les champs "
        f"possibles sont {KNOWN}"
    )


def test_doubled_braces_are_literal_and_values_are_not_read_again() -> None:
    template = Template.parse("{{code}} {first_name}", Tier.FRIENDLY, "en")
    assert template.placeholders == {"first_name"}
    assert render(template, {"first_name": "{deadline}"}) == "{code} {deadline}"


def test_render_checks_the_length_with_the_real_values() -> None:
    # Any first name the roster allows fits (checked at load); a long PLATFORM_URL may not.
    template = Template.parse("x" * 1700 + " {platform_url}", Tier.FRIENDLY, "en")
    assert len(render(template, {"platform_url": "https://a.fr"})) == 1713
    with pytest.raises(TemplateError) as caught:
        render(template, {"platform_url": "u" * 276})
    assert caught.value.params == {
        "length": 1977,
        "limit": MAX_MESSAGE,
        "tier": "friendly",
        "locale": "en",
    }


def test_render_needs_every_value_the_template_uses() -> None:
    template = Template.parse("{first_name} {deadline}", Tier.FRIENDLY, "en")
    with pytest.raises(ValueError, match="no value for deadline"):
        render(template, {"first_name": "Claire"})


def test_the_placeholders_are_the_documented_five() -> None:
    assert PLACEHOLDERS == ("first_name", "department", "platform_url", "days_left", "deadline")
    assert set(values()) == set(PLACEHOLDERS)


# --- admins' override file -------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "modeles.toml"
    path.write_text(text, "utf-8")
    return path


def test_an_override_file_replaces_only_what_it_names(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[last_call]\nfr = """Dernier jour, {first_name}\u00a0: {platform_url}"""\n'
        '[friendly]\nen = "Hey {first_name}!"\n',
    )
    templates = NudgeTemplates.load(CAT, path)
    defaults = NudgeTemplates.defaults(CAT)
    assert render(templates.get(Tier.LAST_CALL, "fr"), values()) == (
        "Dernier jour, Claire\u00a0: https://plateforme.example.org/inscription"
    )
    assert render(templates.get(Tier.FRIENDLY, "en"), values()) == "Hey Claire!"
    assert templates.get(Tier.LAST_CALL, "en") == defaults.get(Tier.LAST_CALL, "en")
    assert templates.get(Tier.FIRMER, "fr") == defaults.get(Tier.FIRMER, "fr")


def test_an_empty_override_file_keeps_every_default(tmp_path: Path) -> None:
    assert NudgeTemplates.load(CAT, write(tmp_path, "# nothing\n")) == NudgeTemplates.defaults(CAT)


@pytest.mark.parametrize(
    ("text", "key", "params"),
    [
        (
            '[firmer]\nfr = "Salut {prenom}"\n',
            "reminders.template.unknown_placeholder",
            {"name": "{prenom}", "known": KNOWN, "tier": "firmer", "locale": "fr"},
        ),
        (
            '[firm]\nfr = "Salut"\n',
            "reminders.template.file_tier",
            {"name": "firm", "known": "friendly, firmer, last_call"},
        ),
        (
            'friendly = "Salut"\n',
            "reminders.template.file_tier",
            {"name": "friendly", "known": "friendly, firmer, last_call"},
        ),
        (
            '[friendly]\nde = "Hallo"\n',
            "reminders.template.file_locale",
            {"tier": "friendly", "name": "de", "known": "fr, en"},
        ),
        (
            "[friendly]\nfr = 3\n",
            "reminders.template.file_value",
            {"tier": "friendly", "locale": "fr"},
        ),
        (
            '[friendly]\nfr = "  "\n',
            "reminders.template.empty",
            {"tier": "friendly", "locale": "fr"},
        ),
    ],
)
def test_bad_override_files_are_refused_at_load(
    tmp_path: Path, text: str, key: str, params: dict[str, object]
) -> None:
    with pytest.raises(TemplateError) as caught:
        NudgeTemplates.load(CAT, write(tmp_path, text))
    assert (caught.value.key, caught.value.params) == (key, params)


def test_an_override_file_that_is_not_toml_is_refused_with_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[friendly]\nfr = Salut\n")
    with pytest.raises(TemplateError) as caught:
        NudgeTemplates.load(CAT, path)
    assert caught.value.key == "reminders.template.file_syntax"
    assert caught.value.params["path"] == str(path)
    assert "line 2" in caught.value.params["detail"]


def test_a_missing_override_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        NudgeTemplates.load(CAT, tmp_path / "absent.toml")
    assert (caught.value.key, caught.value.params) == (
        "reminders.template.file_missing",
        {"path": str(tmp_path / "absent.toml")},
    )
