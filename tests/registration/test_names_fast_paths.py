"""The fast paths of name splitting and e-mail normalising give what the general paths give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.registration import names
from bot.registration.text import fold

# Mostly the characters names and addresses are made of, so that every path is taken often.
_NAME_CHARS = st.sampled_from(list("abcxyzAEZ09 -'’.,\t_éÉèçœŒßøÆﬁİΣ\u0301"))
_NAMES = st.text(_NAME_CHARS, max_size=24) | st.text(max_size=12)
_EMAIL_CHARS = st.sampled_from(list("abzAZ09.+-_@<> \tİ"))
_EMAILS = (
    st.text(_EMAIL_CHARS, max_size=20)
    | st.builds(
        lambda local, domain: f"{local}@{domain}",
        st.text(_EMAIL_CHARS, max_size=10),
        st.sampled_from(["gmail.com", "GMail.com", "googlemail.com", "example.org", "", "a@b"]),
    )
    | st.text(max_size=12)
)
_SETTINGS = settings(max_examples=2000, derandomize=True, database=None, deadline=None)


def _general_email(email: str) -> str:
    """normalise_email without its fast path for plain addresses."""
    value = email.strip().lower()
    if value[:1] == "<" or value[-1:] == ">":
        value = value.strip("<>").strip()
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        return value
    if domain in ("gmail.com", "googlemail.com"):
        return f"{local.split('+', 1)[0].replace('.', '')}@gmail.com"
    if "+" not in local:
        return value
    return f"{local.split('+', 1)[0]}@{domain}"


@_SETTINGS
@given(_NAMES)
def test_split_fast_paths_match_the_word_pattern(text: str) -> None:
    assert names._split(text) == names._split_words(fold(text))


@_SETTINGS
@given(_EMAILS)
def test_plain_address_fast_path_matches_the_general_path(email: str) -> None:
    assert names.normalise_email(email) == _general_email(email)


def test_hyphens_and_apostrophes_split_words_within_a_group() -> None:
    assert names._split("Jean-  -Pierre d'Arc -- Le-Goff-") == (
        ("jean",),
        ("pierre",),
        ("d", "arc"),
        ("le", "goff"),
    )
    assert names.split_full_names(["Fleury-Lucas, Thomas"]) == [(("thomas",), ("fleury", "lucas"))]
