import pytest

from bot.i18n import LOCALES, Catalog, CatalogError, as_locale

CATALOG = Catalog.load()


def test_every_key_has_the_same_placeholders_in_both_languages():
    cat = CATALOG
    mismatched = [k for k in cat.keys() if cat.placeholders(k, "fr") != cat.placeholders(k, "en")]
    assert mismatched == []


def test_command_texts_fit_discord():
    cat = CATALOG
    for key in cat.keys():
        if key.startswith("cmd.") and key.endswith(".desc"):
            for loc in LOCALES:
                assert 1 <= len(cat.raw(key, loc)) <= 100, key
        if key.startswith("cmd.") and key.endswith(".name"):
            for loc in LOCALES:
                name = cat.raw(key, loc)
                assert name == name.lower() and " " not in name and len(name) <= 32, key


@pytest.mark.parametrize(
    ("value", "expected"),
    [("fr", "fr"), ("en-US", "en"), ("en-GB", "en"), ("de", "fr"), (None, "fr"), ("FR", "fr")],
)
def test_locale_mapping(value, expected):
    assert as_locale(value) == expected


def test_duplicate_key_is_refused(tmp_path):
    (tmp_path / "a.toml").write_text('["x"]\nfr = "a"\nen = "a"\n', "utf-8")
    (tmp_path / "b.toml").write_text('["x"]\nfr = "b"\nen = "b"\n', "utf-8")
    with pytest.raises(CatalogError, match="defined twice"):
        Catalog.load(tmp_path)


def test_missing_language_is_refused(tmp_path):
    (tmp_path / "a.toml").write_text('["x"]\nfr = "a"\n', "utf-8")
    with pytest.raises(CatalogError, match="needs exactly"):
        Catalog.load(tmp_path)


def test_parameters_are_filled():
    assert CATALOG.t("error.cooldown", "en", seconds=3) == "Easy: try again in 3 seconds."


PLURAL = {
    "x": {
        "fr": "{n, plural, =0 {aucun ajout} one {{n} ajout} other {{n} ajouts}} sur {total}",
        "en": "{n, plural, =0 {nothing added} one {{n} addition} other {{n} additions}} of {total}",
    }
}


@pytest.mark.parametrize(
    ("n", "fr", "en"),
    [
        (0, "aucun ajout sur 10\u202f000", "nothing added of 10,000"),
        (1, "1 ajout sur 10\u202f000", "1 addition of 10,000"),
        (2, "2 ajouts sur 10\u202f000", "2 additions of 10,000"),
        (1000, "1\u202f000 ajouts sur 10\u202f000", "1,000 additions of 10,000"),
    ],
)
def test_plural_variants_follow_the_language_rules_and_figures_are_localised(n, fr, en):
    cat = Catalog(PLURAL)
    assert cat.t("x", "fr", n=n, total=10000) == fr
    assert cat.t("x", "en", n=n, total=10000) == en


def test_french_zero_is_singular_without_an_exact_variant():
    cat = Catalog({"x": {"fr": "{n, plural, one {{n} inscrit} other {{n} inscrits}}", "en": "{n}"}})
    assert cat.t("x", "fr", n=0) == "0 inscrit"
    assert cat.t("x", "fr", n=1.5) == "1,5 inscrit"
    assert cat.placeholders("x", "fr") == {"n"}


def test_identifiers_are_written_as_they_are():
    cat = Catalog({"x": {"fr": "n° {article_id}, {year}, {id}", "en": "#{article_id}"}})
    assert cat.t("x", "fr", article_id=12345, year=2026, id=1000) == "n° 12345, 2026, 1000"


def test_a_plural_block_without_other_is_refused():
    with pytest.raises(CatalogError, match="without 'other'"):
        Catalog({"x": {"fr": "{n, plural, one {a}}", "en": "b"}})


def test_a_plural_count_must_be_given_as_a_number():
    cat = Catalog({"x": {"fr": "{n, plural, one {a} other {b}}", "en": "b"}})
    with pytest.raises(CatalogError, match="must be a number"):
        cat.t("x", "fr", n="3")


def test_escaped_braces_stay_literal():
    cat = Catalog({"x": {"fr": "{{n, plural, one {{a}} other {{b}}}} {n}", "en": "b"}})
    assert cat.t("x", "fr", n=2) == "{n, plural, one {a} other {b}} 2"


def test_number_percent_and_date_helpers():
    from datetime import date

    from bot.i18n import format_date, format_number, format_percent

    assert format_number(56.74, "fr") == "56,7"
    assert format_number(1234567, "en") == "1,234,567"
    assert format_number(5000000, "fr") == "5\u202f000\u202f000"
    assert format_percent(0.567, "fr") == "56,7\u00a0%"
    assert format_percent(0.567, "en") == "56.7%"
    assert format_date(date(2026, 11, 30), "fr") == "30 novembre 2026"
    assert format_date(date(2026, 11, 30), "en") == "November 30, 2026"


def test_a_date_parameter_is_written_as_people_read_it():
    from datetime import date

    cat = Catalog({"x": {"fr": "Échéance : {deadline}", "en": "Deadline: {deadline}"}})
    assert cat.t("x", "fr", deadline=date(2026, 11, 30)) == "Échéance\u00a0: 30 novembre 2026"
    assert cat.t("x", "en", deadline=date(2026, 11, 30)) == "Deadline: November 30, 2026"
