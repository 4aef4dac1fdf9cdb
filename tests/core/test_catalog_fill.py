"""The catalog writes each sentence as :class:`string.Formatter` with Babel always did, while it
parses templates once and writes each figure once (the command path's hot spots)."""

from __future__ import annotations

import string
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from babel import Locale as BabelLocale
from babel.dates import format_date as babel_date
from babel.numbers import format_decimal as babel_decimal

from bot.i18n import LOCALES, Catalog, Locale, _parse, _Plural, format_number, plural_category

CATALOG = Catalog.load()


def _babel_number(value: float, locale: Locale) -> str:
    return str(babel_decimal(value, format="#,##0.#", locale=locale))


class _Reference(string.Formatter):
    """How a sentence was written before: the general formatter, Babel at every figure."""

    def __init__(self, locale: Locale) -> None:
        self.locale = locale

    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, tuple) and value[0] == "figure":
            if format_spec:
                return format(value[1], format_spec)
            return _babel_number(value[1], self.locale)
        return super().format_field(value, format_spec)

    def get_value(self, key: int | str, args: Any, kwargs: Any) -> Any:
        value = super().get_value(key, args, kwargs)
        name = str(key)
        verbatim = name in ("id", "year", "version", "port") or name.endswith("_id")
        if isinstance(value, int | float) and not isinstance(value, bool) and not verbatim:
            return ("figure", value)
        if isinstance(value, date):
            text = str(babel_date(value, format="long", locale=self.locale))
            if self.locale == "fr" and value.day == 1 and text.startswith("1 "):
                text = "1er" + text[1:]
            return text
        return value


def _reference(catalog: Catalog, key: str, locale: Locale, params: dict[str, Any]) -> str:
    def choose(part: Any) -> str:
        if isinstance(part, str):
            return part
        count = params[part.name]
        exact = f"={count:g}"
        if exact in part.variants:
            body = part.variants[exact]
        else:
            category = str(BabelLocale.parse(locale).plural_form(abs(count)))
            body = part.variants.get(category, part.variants["other"])
        return "".join(choose(p) for p in _parse(body))

    template = "".join(choose(part) for part in catalog._parsed[key, locale])
    if not params:
        return template
    return _Reference(locale).vformat(template, (), params)


def _counts(parts: list[Any], found: set[str]) -> set[str]:
    for part in parts:
        if isinstance(part, _Plural):
            found.add(part.name)
            for body in part.variants.values():
                _counts(_parse(body), found)
    return found


# Each round gives every parameter one kind of value: counts get numbers in every round.
NUMBERS = (0, 1, 2, 1000, 12.5, 10_000_000, 1.05, -1)
OTHERS: tuple[object, ...] = ("Saint-Brieuc {x} 100 %", date(2026, 12, 1), date(2026, 11, 30), 7)


@pytest.mark.parametrize("round_", range(len(NUMBERS)))
def test_every_sentence_is_written_as_the_general_formatter_writes_it(round_: int) -> None:
    checked = 0
    for key in CATALOG.keys():
        for locale in LOCALES:
            counts = _counts(CATALOG._parsed[key, locale], set())
            params: dict[str, Any] = {}
            for index, name in enumerate(sorted(CATALOG.placeholders(key, locale))):
                if name in counts:
                    params[name] = NUMBERS[(round_ + index) % len(NUMBERS)]
                else:
                    params[name] = (NUMBERS + OTHERS)[(round_ + index) % (len(NUMBERS) + 4)]
            assert CATALOG.t(key, locale, **params) == _reference(CATALOG, key, locale, params), (
                key,
                locale,
                params,
            )
            checked += 1
    assert checked == 2 * len(CATALOG.keys())


def test_a_sentence_asked_twice_with_other_figures_gets_each_its_own() -> None:
    cat = Catalog({"x": {"fr": "{n} sur {total}", "en": "{n} of {total}"}})
    assert cat.t("x", "fr", n=1500, total=2) == "1\u202f500 sur 2"
    assert cat.t("x", "fr", n=2, total=1500) == "2 sur 1\u202f500"
    assert cat.t("x", "en", n=1500, total=2) == "1,500 of 2"
    assert format_number(1000.5, "fr") == "1\u202f000,5"
    assert format_number(1000, "fr", decimals=0) == "1\u202f000"
    assert plural_category(1, "en") == "one" and plural_category(1.5, "en") == "other"


def test_fields_beyond_names_and_specs_still_work() -> None:
    cat = Catalog(
        {
            "spec": {"fr": "{share:.0%} {n:03d}", "en": "{share:.0%}"},
            "attr": {"fr": "{campaign.year} {0}", "en": "{campaign.year}"},
        }
    )
    assert cat.t("spec", "fr", share=0.5, n=7) == "50% 007"
    campaign = SimpleNamespace(year=2026)
    with pytest.raises(IndexError):
        cat.t("attr", "fr", campaign=campaign)
    assert cat.t("attr", "en", campaign=campaign) == "2026"


def test_a_missing_parameter_is_still_a_key_error() -> None:
    cat = Catalog({"x": {"fr": "{a} {b}", "en": "{a}"}})
    with pytest.raises(KeyError, match="b"):
        cat.t("x", "fr", a=1)


def test_a_stray_brace_is_still_kept_without_parameters_and_refused_with_them() -> None:
    cat = Catalog({"x": {"fr": "a } b", "en": "a"}})
    assert cat.t("x", "fr") == "a } b"
    with pytest.raises(ValueError):
        cat.t("x", "fr", n=1)
