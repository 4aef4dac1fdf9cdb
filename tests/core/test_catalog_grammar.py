"""Every catalog message, rendered with counts 0, 1, 2 and 1,000 (and a decimal figure) in
both languages, against the rules a reader notices: plural agreement, no hand-written "(s)",
French spacing before ``: ; ! ?``, the decimal comma, the thousands separator, and no phrase
said twice in one sentence."""

from __future__ import annotations

import re

import pytest

from bot.i18n import LOCALES, Catalog, Locale

CATALOG = Catalog.load()
COUNTS = (0, 1, 2, 1000)
VERBATIM = re.compile(r"^(id|.*_id|year|version|port)$")
# Placeholders that hold words (names, places, links, dates already written out), not counts.
TEXTS = set(
    [
        "name",
        "value",
        "text",
        "department",
        "filename",
        "url",
        "path",
        "reason",
        "reasons",
        "when",
        "date",
        "deadline",
        "tier",
        "error",
        "status",
        "locale",
        "what",
        "step",
        "outlet",
        "member",
        "host",
        "actor",
        "title",
        "source",
        "tone",
        "moment",
        "key",
        "scope",
        "where",
        "user",
        "until",
        "state",
        "query",
        "icon",
        "first_name",
        "platform_url",
        "detail",
        "column",
        "signup",
        "site",
        "since",
        "schemes",
        "role",
        "region",
        "problem",
        "options",
        "kind",
        "keyword",
        "keywords",
        "item",
        "ids",
        "field",
        "example",
        "eta",
        "email",
        "cron",
        "counts",
        "content_type",
        "address",
        "officer",
        "start",
        "end",
        "names",
        "target",
        "changed_text",
        "skipped_text",
        "reason_text",
        "pages_text",
        "days_left",
        "forecast",
        "day",
        "new_text",
        "old",
        "other",
        "line",
        "times",
    ]
)
# Messages whose count is never below 2 (a list of several matches, "the first N"): rendered
# with 2 and 1,000 only.
BODY = r"[^{}]*(?:\{\w+\}[^{}]*)*"
AT_LEAST_TWO = {
    "reg.lists.pick_more",
    "registration.lists.ambiguous",
    "reminders.days.other",
    "registration.chart.departments_edges",
    # asked only when at least 10 officers change at once
    "registration.cli.large_change",
    "registration.signups.large_change",
}
# The singular form that code picks by the plural rules itself: rendered with 1 (and 0 in French).
SINGULAR_ONLY = {"reminders.days.one"}

# Words that may follow a figure and end in s without being a plural.
NOT_PLURALS = {
    "fr": {
        "sur",
        "dans",
        "sous",
        "vers",
        "plus",
        "moins",
        "fois",
        "mois",
        "pas",
        "sans",
        "aux",
        "ms",
        "s",
        "h",
        "min",
        "jours?",
    },
    "en": {
        "is",
        "was",
        "has",
        "its",
        "of",
        "ms",
        "s",
        "h",
        "min",
        "plus",
        "this",
        "us",
        "as",
        "status",
    },
}


def _params(key: str, locale: Locale, value: float) -> dict[str, object]:
    return {
        name: ("ID" if VERBATIM.match(name) else "Q" if name in TEXTS else value)
        for name in CATALOG.placeholders(key, locale)
    }


def _render(key: str, locale: Locale, value: float) -> str:
    return CATALOG.t(key, locale, **_params(key, locale, value))


def _all(value: float) -> list[tuple[str, Locale, str]]:
    return [
        (key, loc, _render(key, loc, value))
        for key in CATALOG.keys()
        for loc in LOCALES
        if (value >= 2 or key not in AT_LEAST_TWO)
        and ((value in (0, 1) and (value == 1 or loc == "fr")) or key not in SINGULAR_ONLY)
    ]


def _singular_nouns() -> dict[Locale, set[str]]:
    """The words right after a count in the ``one`` variants that the ``other`` variant
    changes (``inscrit``/``inscrits``, not ``registered``): wrong after 2."""
    word = r"\{\w+\} ([a-zà-ÿ-]+)"
    pair = re.compile(r"\bone \{(" + BODY + r")\} other \{(" + BODY + r")\}")
    nouns: dict[Locale, set[str]] = {"fr": set(), "en": set()}
    for key in CATALOG.keys():
        for loc in LOCALES:
            for one, other in pair.findall(CATALOG.raw(key, loc)):
                singular, plural = re.search(word, one), re.search(word, other)
                if singular and plural and singular.group(1) != plural.group(1):
                    nouns[loc].add(singular.group(1).lower())
    return nouns


def test_no_hand_written_plurals():
    bad = [
        (key, loc)
        for key in CATALOG.keys()
        for loc in LOCALES
        if re.search(r"\((s|e|es|ies|x|nt)\)", CATALOG.raw(key, loc))
    ]
    assert bad == []


@pytest.mark.parametrize("count", COUNTS)
def test_a_count_agrees_with_its_noun(count):
    singular_nouns = _singular_nouns()
    bad = []
    for key, loc, text in _all(count):
        figure = re.escape(f"{count:,}".replace(",", "\u202f" if loc == "fr" else ","))
        singular = count == 1 or (loc == "fr" and count == 0)
        for word in re.findall(rf"(?<![\d.,\u202f]){figure} ([A-Za-zÀ-ÿ-]+)", text):
            w = word.lower()
            if singular and w.endswith(("s", "x")) and w not in NOT_PLURALS[loc]:
                bad.append((key, loc, text))
            if not singular and w in singular_nouns[loc]:
                bad.append((key, loc, text))
    assert bad == []


def test_french_spacing_before_double_punctuation():
    bad = []
    for key, loc, text in _all(2):
        if loc != "fr":
            continue
        # a colon, semicolon, ! or ? ending a clause needs a no-break space before it
        if re.search(r"[^\s\u00a0\u202f:;!?()\[\]*_`'\"“”'’][:;!?](?=\s|$)", text) or re.search(
            r" [:;!?]", text
        ):
            bad.append((key, text))
    assert bad == []


def test_figures_use_the_decimal_comma_and_the_thousands_separator():
    bad = []
    for key, loc, text in _all(56.7):
        if ("56.7" if loc == "fr" else "56,7") in text:
            bad.append((key, loc, text))
    for key, loc, text in _all(1000):
        if re.search(r"(?<![\d.,\u202f])1000(?!\d)", text):
            bad.append((key, loc, text))
    assert bad == []


def test_percent_signs_are_spaced_as_the_language_spaces_them():
    bad = []
    for key, loc, text in _all(56.7):
        if loc == "fr" and re.search(r"\d( ?)%", text):
            bad.append((key, loc, text))
        if loc == "en" and re.search(r"\d\s%", text):
            bad.append((key, loc, text))
    assert bad == []


def test_no_phrase_is_said_twice_in_one_sentence():
    bad = []
    for key, loc, text in _all(2):
        for sentence in re.split(r"[.\n]", text):
            words = re.findall(r"[A-Za-zÀ-ÿ']{2,}", sentence.lower())
            triples = [tuple(words[i : i + 4]) for i in range(len(words) - 3)]
            if len(triples) != len(set(triples)):
                bad.append((key, loc, sentence))
    assert bad == []
