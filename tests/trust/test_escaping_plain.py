"""Text the escaping rules leave as it is (most names and keys) is returned at once: the same
text as the rules write, for any text (random ones over every character the rules look at)."""

from __future__ import annotations

import random

from bot.markdown import _PLAIN, _escape, escape

# The characters the rules read, and ordinary ones around them.
ALPHABET = (
    list("aéZ0 9.-+)(@:/htps\t")
    + list("\\*_~`|[]<>#")
    + [
        "\n",
        "\r",
        "\v",
        "\f",
        "\x1c",
        "\x1e",
        "\x85",
        "\u2028",
        "\u2029",
        "\u00a0",
        "everyone",
        "here",
        "https://",
    ]
)


def test_any_text_is_escaped_as_the_rules_escape_it():
    chooser = random.Random(20261202)
    plain = 0
    for _ in range(20_000):
        text = "".join(chooser.choice(ALPHABET) for _ in range(chooser.randint(0, 12)))
        assert escape(text) == _escape(text), repr(text)
        plain += bool(_PLAIN.fullmatch(text))
    assert plain > 100  # the shortcut was taken, and still agreed


def test_names_and_keys_are_plain_and_markup_is_not():
    for text in ("Jean Dupont", "RDJ-00021", "Émilie Le Gall", "jean.dupont@", "56 – Morbihan"):
        assert escape(text) == _escape(text)
    assert _PLAIN.fullmatch("Jean Dupont") and _PLAIN.fullmatch("RDJ-00021")
    for text in ("- x", "1. x", " x", "a*b", "a@everyone", "a\nb", "+"):
        assert not _PLAIN.fullmatch(text)
