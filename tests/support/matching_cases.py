"""Small rosters and exports for property tests of the matching: few names, departments and
addresses, so that namesakes, shared addresses, typos and compound names meet often."""

from __future__ import annotations

from hypothesis import strategies as st

from bot.registration.models import Signup

FIRSTS = ("Anne", "Anne-Marie", "Luc", "Lucas", "Inès", "Ines", "Thomas", "Thoams")
LASTS = ("Roy", "Roy-Martin", "Martin", "Martn", "Simon", "Le Goff", "Legoff", "Fleury")
DEPARTMENTS = ("29", "56", "75")
EMAILS = ("", "a@x.fr", "b@x.fr", "famille@free.fr", "aroy@x.fr", "luc.martin@x.fr")

officer_fields = st.tuples(
    st.sampled_from(FIRSTS),
    st.sampled_from(LASTS),
    st.sampled_from(DEPARTMENTS),
    st.sampled_from(EMAILS),
)
signup_fields = st.tuples(
    st.sampled_from(FIRSTS),
    st.sampled_from(LASTS),
    st.booleans(),  # last name first
    st.sampled_from(EMAILS),
    st.sampled_from((*DEPARTMENTS, None)),
)


def signups(rows: list[tuple[str, str, bool, str, str | None]]) -> list[Signup]:
    """Sign-ups ``S0``, ``S1``… from :data:`signup_fields` rows."""
    return [
        Signup(key=f"S{i}", name=f"{s} {f}" if swap else f"{f} {s}", email=e, department=d)
        for i, (f, s, swap, e, d) in enumerate(rows)
    ]
