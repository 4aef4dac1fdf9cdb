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
    assert CATALOG.t("error.cooldown", "en", seconds=3) == "Easy: try again in 3 s."
