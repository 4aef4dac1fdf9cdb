"""Reconciling the roster with the platform's sign-ups: a pure function, no storage.

For each officer, candidate sign-ups come from four indexes, cheapest first: the normalised
e-mail, the compact name within the department (both orders), the words of the name within the
department (hyphenated and shortened names), and a bounded edit distance within the department
(typos, with rapidfuzz). :func:`~bot.registration.names.compare` says how each candidate's name
relates to the officer's, and :func:`_grade` turns that into a status. Doubt goes to ``probable``:
marking an unregistered officer as registered would stop them being nudged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.registration.models import MatchReason, OfficerProfile, OfficerStatus, Signup
from bot.registration.names import (
    Kinship,
    PersonName,
    compact_groups,
    compare,
    email_mentions,
    email_reverses,
    normalise_email,
    split_full_name,
)
from bot.registration.roster_file import parse_roster
from bot.registration.signup_file import parse_signups

REGISTERED, PROBABLE, UNREGISTERED = (
    OfficerStatus.REGISTERED,
    OfficerStatus.PROBABLE,
    OfficerStatus.UNREGISTERED,
)
_FUZZY_CUTOFF = 2
# A name match in the department proves the officer only if fewer namesakes than this are
# expected among the department's sign-ups (see :func:`_namesakes`).
_NAMESAKES_TOLERATED = 0.05
_PRIOR_SHARE, _PRIOR_WEIGHT = 0.005, 100
PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True, slots=True)
class Match:
    """What the sign-ups say of one officer: registered, probable or unregistered."""

    officer: str  # the officer's key
    status: OfficerStatus
    signup: str | None  # the matched sign-up's key
    confidence: float
    reason: MatchReason


@dataclass(frozen=True, slots=True)
class _Candidate:
    signup: int  # index into the sign-up list
    status: OfficerStatus
    confidence: float
    reason: MatchReason
    by_email: bool


class SignupIndex:
    """Sign-ups indexed once: by e-mail, by (department, compact name), by (department, word).

    Built once from the sign-ups and reusable across calls of :func:`reconcile`; never changed
    after it is built, so a worker thread may read it while another builds the next one."""

    def __init__(self, signups: Sequence[Signup]) -> None:
        self.signups = signups
        self.groups: list[tuple[tuple[str, ...], ...]] = []
        self.emails: list[str] = []
        self.by_email: dict[str, list[int]] = defaultdict(list)
        self.by_name: dict[tuple[str | None, str], list[int]] = defaultdict(list)
        self.by_word: dict[tuple[str | None, str], list[int]] = defaultdict(list)
        self.by_department: dict[str, list[int]] = defaultdict(list)
        self.compacts: dict[str, list[str]] = defaultdict(list)
        self.placed = 0  # sign-ups with a name and a department
        for index, signup in enumerate(signups):
            groups = split_full_name(signup.name)
            email = normalise_email(signup.email) if signup.email.strip() else ""
            self.groups.append(groups)
            self.emails.append(email)
            if email:
                self.by_email[email].append(index)
            compact = compact_groups(groups)
            if not compact:
                continue
            dep = signup.department
            self.by_name[dep, compact].append(index)
            if dep is None:
                continue
            self.by_department[dep].append(index)
            self.placed += 1
            self.compacts[dep].append(compact)
            for word in {w for g in groups for w in g}:
                self.by_word[dep, word].append(index)

        counts: dict[str, int] = defaultdict(int)
        for (_, word), members in self.by_word.items():
            counts[word] += len(members)
        # How many sign-ups placed in a department bear each word, all departments together.
        self.word_counts = dict(counts)


def _namesakes(officer: PersonName, department: str, index: SignupIndex) -> float:
    """How many of the department's other sign-ups are expected to bear the officer's name by
    chance: the department's size times how common the first name and the last name are, each
    in the whole export or in the department, whichever is more (a compound name counts as its
    rarest word). The sign-up being graded is left out of the counts, and a small export leans
    on a prior share of :data:`_PRIOR_SHARE` worth :data:`_PRIOR_WEIGHT` sign-ups. "Nicolas
    Martin" in Paris is expected several times over; "Gwenaëlle Le Bihan" in Morbihan almost
    never."""
    others = len(index.by_department.get(department, ())) - 1
    if others < 1 or not officer.first_set or not officer.last_set:
        return 0.0
    counts, total = index.word_counts, index.placed - 1
    prior = _PRIOR_SHARE * _PRIOR_WEIGHT

    def share(words: frozenset[str]) -> float:
        return min(
            max(
                (counts.get(word, 1) - 1 + prior) / (total + _PRIOR_WEIGHT),
                (len(index.by_word.get((department, word), ())) - 1 + prior)
                / (others + _PRIOR_WEIGHT),
            )
            for word in words
        )

    return others * share(officer.first_set) * share(officer.last_set)


def reconcile(
    officers: Sequence[OfficerProfile],
    signups: Sequence[Signup] | SignupIndex,
    *,
    rejected: Collection[tuple[str, str]] = (),
    only: Collection[str] | None = None,
) -> list[Match]:
    """One :class:`Match` per officer, in the officers' order.

    ``signups`` is the export or a :class:`SignupIndex` built from it. ``rejected`` holds
    ``(officer key, sign-up key)`` pairs an organiser has said are not the same person; they are
    never proposed again. With ``only`` (officer keys), the matches of those officers and of
    every officer whose result can depend on theirs (sharing a candidate sign-up or an e-mail
    address with them, to a fixpoint), each the same as without ``only``, in the officers' order.
    """
    index = signups if isinstance(signups, SignupIndex) else SignupIndex(signups)
    matches, raw = _reconcile_all(officers, index, rejected)
    if only is None:
        return matches
    closure = _closure(officers, index, raw, only)
    return [m for position, m in enumerate(matches) if position in closure]


def _closure(
    officers: Sequence[OfficerProfile],
    index: SignupIndex,
    raw: Sequence[set[int]],
    only: Collection[str],
) -> set[int]:
    wanted = set(only)
    by_signup: dict[int, list[int]] = defaultdict(list)
    by_email: dict[str, list[int]] = defaultdict(list)
    for position, found in enumerate(raw):
        for i in found:
            by_signup[i].append(position)
        email = (
            normalise_email(officers[position].email) if officers[position].email.strip() else ""
        )
        if email:
            by_email[email].append(position)
    todo = [p for p, o in enumerate(officers) if o.key in wanted]
    closure: set[int] = set()
    while todo:
        position = todo.pop()
        if position in closure:
            continue
        closure.add(position)
        for i in raw[position]:
            todo.extend(by_signup[i])
            if index.emails[i]:
                todo.extend(by_email.get(index.emails[i], ()))
    return closure


def _reconcile_all(
    officers: Sequence[OfficerProfile],
    index: SignupIndex,
    rejected: Collection[tuple[str, str]],
) -> tuple[list[Match], list[set[int]]]:
    signups = index.signups
    names = [PersonName.parse(o.first_name, o.last_name) for o in officers]
    refused = set(rejected)
    owned = _owned(officers, names, index)
    candidates: list[list[_Candidate]] = []
    fuzzy_needed: dict[str, list[int]] = defaultdict(list)
    for position, officer in enumerate(officers):

        def allowed(
            signup: int, position: int = position, officer: OfficerProfile = officer
        ) -> bool:
            return (
                owned.get(signup, position) == position
                and (officer.key, signups[signup].key) not in refused
            )

        found = _direct_candidates(officer, names[position], index, allowed)
        candidates.append(found)
        if not any(c.status is REGISTERED for c in found):
            fuzzy_needed[officer.department].append(position)
    for department, positions in fuzzy_needed.items():
        for position, fuzzy in _fuzzy_candidates(department, positions, names, index):
            key = (officers[position].key, signups[fuzzy.signup].key)
            known = {c.signup for c in candidates[position]}
            if (
                key not in refused
                and owned.get(fuzzy.signup, position) == position
                and fuzzy.signup not in known
            ):
                candidates[position].append(fuzzy)
    raw = [{c.signup for c in found} for found in candidates]
    chosen = [_choose(c, index) for c in candidates]
    _settle_shared(chosen)
    matches = [
        _to_match(officer, pick, signups) for officer, pick in zip(officers, chosen, strict=True)
    ]
    return matches, raw


def _owned(
    officers: Sequence[OfficerProfile], names: Sequence[PersonName], index: SignupIndex
) -> dict[int, int]:
    """Sign-ups under exactly one officer's address and with that officer's name (or a variant
    of it): sign-up index → officer position. Such a sign-up is that officer's; it is no
    candidate for anyone else, a namesake in the same department included."""
    owners: dict[int, set[int]] = defaultdict(set)
    for position, officer in enumerate(officers):
        email = normalise_email(officer.email) if officer.email.strip() else ""
        for i in index.by_email.get(email, ()) if email else ():
            if _grade_email(names[position], i, index).status is REGISTERED:
                owners[i].add(position)
    return {i: next(iter(positions)) for i, positions in owners.items() if len(positions) == 1}


def _direct_candidates(
    officer: OfficerProfile, name: PersonName, index: SignupIndex, allowed: Callable[[int], bool]
) -> list[_Candidate]:
    found: dict[int, _Candidate] = {}
    email = normalise_email(officer.email) if officer.email.strip() else ""
    for i in index.by_email.get(email, ()) if email else ():
        if allowed(i):
            found[i] = _grade_email(name, i, index)
    if any(c.status is REGISTERED for c in found.values()):
        return list(found.values())
    seen: set[int] = set()
    for key in name.keys:
        seen.update(index.by_name.get((officer.department, key), ()))
    if name.last:
        # Every kinship worth grading keeps the first word of the last name ("Fleury" in
        # "Fleury-Lucas"); typos are found by the fuzzy pass. Looked up even when the exact
        # name is there: that sign-up may be a namesake's, proven theirs by their address.
        seen.update(index.by_word.get((officer.department, name.last[0][0]), ()))
    for i in seen - found.keys():
        if not allowed(i):
            continue
        graded = _grade_name(name, i, index, same_department=True)
        if graded is not None:
            found[i] = graded
    if not any(c.status is REGISTERED for c in found.values()):
        loose: set[int] = set()
        for key in name.keys:
            loose.update(index.by_name.get((None, key), ()))
        for i in loose - found.keys():
            if not allowed(i):
                continue
            graded = _grade_name(name, i, index, same_department=False)
            if graded is not None:
                found[i] = graded
    return list(found.values())


def _fuzzy_candidates(
    department: str,
    positions: list[int],
    names: Sequence[PersonName],
    index: SignupIndex,
) -> Iterable[tuple[int, _Candidate]]:
    """Typos: compact names within ``_FUZZY_CUTOFF`` edits, in the officers' own department."""
    choices = index.compacts.get(department)
    if not choices:
        return
    members = index.by_department[department]
    queries = [key for p in positions for key in names[p].keys]
    distances = process.cdist(
        queries, choices, scorer=Levenshtein.distance, score_cutoff=_FUZZY_CUTOFF, dtype="int8"
    )
    rows, columns = (distances <= _FUZZY_CUTOFF).nonzero()
    for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
        position = positions[row // 2]
        graded = _grade_name(names[position], members[column], index, same_department=True)
        if graded is not None:
            yield position, graded


def _grade_email(name: PersonName, signup: int, index: SignupIndex) -> _Candidate:
    groups = index.groups[signup]
    if not groups:
        return _Candidate(signup, REGISTERED, 0.9, MatchReason.EMAIL_NO_NAME, True)
    kinship = compare(name, groups)
    if kinship is Kinship.SAME:
        return _Candidate(signup, REGISTERED, 1.0, MatchReason.EMAIL, True)
    if kinship in _VARIANTS:
        return _Candidate(signup, REGISTERED, 0.95, MatchReason.EMAIL_NAME_VARIANT, True)
    # Another name behind the officer's address: a relative, a shared mailbox, a married name.
    confidence = 0.6 if kinship is Kinship.PARTIAL else 0.5
    return _Candidate(signup, PROBABLE, confidence, MatchReason.EMAIL_OTHER_NAME, True)


_VARIANTS = (
    Kinship.LAST_NAME_COMPOUND,
    Kinship.FIRST_NAME_COMPOUND,
    Kinship.LAST_NAME_TYPO,
    Kinship.FIRST_NAME_TYPO,
)


def _grade_name(
    officer: PersonName, signup: int, index: SignupIndex, *, same_department: bool
) -> _Candidate | None:
    graded = _grade_name_alone(officer, signup, index, same_department=same_department)
    if graded is None or graded.status is not REGISTERED:
        return graded
    # A name shared by many members of the department is no proof under another address.
    department = index.signups[signup].department
    if department is not None and _namesakes(officer, department, index) >= _NAMESAKES_TOLERATED:
        return replace(graded, status=PROBABLE, confidence=graded.confidence - 0.2)
    return graded


def _grade_name_alone(
    officer: PersonName, signup: int, index: SignupIndex, *, same_department: bool
) -> _Candidate | None:
    kinship = compare(officer, index.groups[signup])
    if not same_department:
        if kinship is Kinship.SAME:
            return _Candidate(signup, PROBABLE, 0.6, MatchReason.NAME_NO_DEPARTMENT, False)
        return None
    if kinship is Kinship.SAME:
        # "CLÉMENT Marie" under mclement@…: the address reads Marie as the first name, so this
        # may well be Marie Clément rather than the officer Clément Marie.
        if email_reverses(index.emails[signup], officer):
            return _Candidate(signup, PROBABLE, 0.6, MatchReason.NAME, False)
        return _Candidate(signup, REGISTERED, 0.9, MatchReason.NAME, False)
    reason = {
        Kinship.LAST_NAME_COMPOUND: MatchReason.NAME_COMPOUND,
        Kinship.FIRST_NAME_COMPOUND: MatchReason.FIRST_NAME_COMPOUND,
        Kinship.LAST_NAME_TYPO: MatchReason.LAST_NAME_TYPO,
        Kinship.FIRST_NAME_TYPO: MatchReason.FIRST_NAME_TYPO,
    }.get(kinship)
    if reason is None:
        return None
    # A near name alone could be a relative or a namesake ("Morin" and "Morin-Roche"); the
    # e-mail spelling the officer's exact name is what makes it the officer. The first initial
    # is enough only when the first name itself is identical.
    first_exact = kinship in (Kinship.LAST_NAME_COMPOUND, Kinship.LAST_NAME_TYPO)
    if email_mentions(index.emails[signup], officer, initial=first_exact):
        return _Candidate(signup, REGISTERED, 0.85 if first_exact else 0.8, reason, False)
    return _Candidate(signup, PROBABLE, 0.7 if first_exact else 0.6, reason, False)


_RANK = {REGISTERED: 2, PROBABLE: 1, UNREGISTERED: 0}


def _choose(candidates: list[_Candidate], index: SignupIndex) -> _Candidate | None:
    if not candidates:
        return None
    # At equal grade, a sign-up placed in the officer's department (name candidates are only
    # ever graded there or in no department) goes before one with no postcode.
    ordered = sorted(
        candidates,
        key=lambda c: (
            -_RANK[c.status],
            -c.confidence,
            -c.by_email,
            index.signups[c.signup].department is None,
            c.signup,
        ),
    )
    best = ordered[0]
    if best.status is REGISTERED and not best.by_email:
        rivals = [
            c
            for c in ordered[1:]
            if c.status is REGISTERED
            and c.confidence == best.confidence
            and index.emails[c.signup] != index.emails[best.signup]
        ]
        if rivals:
            return _Candidate(
                best.signup, PROBABLE, best.confidence - 0.2, MatchReason.AMBIGUOUS, False
            )
    return best


def _settle_shared(chosen: list[_Candidate | None]) -> None:
    """One sign-up proves one officer: others claiming it as registered become probable, and it
    is not proposed as a probable match for anyone else."""
    claims: dict[int, list[int]] = defaultdict(list)
    for position, pick in enumerate(chosen):
        if pick is not None and pick.status is REGISTERED:
            claims[pick.signup].append(position)
    for position, pick in enumerate(chosen):
        if pick is not None and pick.status is PROBABLE and pick.signup in claims:
            chosen[position] = None
    for positions in claims.values():
        if len(positions) < 2:
            continue
        picks = [(p, pick) for p in positions if (pick := chosen[p]) is not None]
        picks.sort(key=lambda item: (-item[1].confidence, -item[1].by_email, item[0]))
        (top_position, top), rest = picks[0], picks[1:]
        for position, pick in rest:
            same = pick.confidence == top.confidence and pick.by_email == top.by_email
            chosen[position] = _Candidate(
                pick.signup,
                PROBABLE,
                min(pick.confidence, 0.5),
                MatchReason.AMBIGUOUS if same else MatchReason.SHARED,
                pick.by_email,
            )
            if same:
                chosen[top_position] = _Candidate(
                    top.signup,
                    PROBABLE,
                    min(top.confidence, 0.5),
                    MatchReason.AMBIGUOUS,
                    top.by_email,
                )


def _to_match(officer: OfficerProfile, pick: _Candidate | None, signups: Sequence[Signup]) -> Match:
    if pick is None:
        return Match(officer.key, UNREGISTERED, None, 0.0, MatchReason.NONE)
    return Match(
        officer.key, pick.status, signups[pick.signup].key, round(pick.confidence, 2), pick.reason
    )


def reconcile_files(
    roster_path: str | Path, signups_path: str | Path, tz: ZoneInfo = PARIS
) -> list[Match]:
    """Reconcile two CSV files without a database: one :class:`Match` per roster row, in order.

    ``officer`` is the roster's identifier (else its 1-based row number) and ``signup`` the
    matched sign-up's identifier (else its 1-based row number), both as strings.
    """
    roster_file, signups_file = Path(roster_path), Path(signups_path)
    records = parse_roster(roster_file.read_bytes(), roster_file.name)
    rows = parse_signups(signups_file.read_bytes(), signups_file.name, tz)
    officers = [replace(r.profile, key=r.ext_id or str(r.row)) for r in records]
    signups = [replace(s.signup, key=s.ext_id or str(s.row)) for s in rows]
    return reconcile(officers, signups)
