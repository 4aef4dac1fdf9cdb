"""Quotations and who said them.

Quotations are the text between « », “ ” or paired straight quotes. The speaker is looked for,
in this order: in an incise inside the quotation (« …, confirme Guy Birenbaum. … »), right after it
(« … », Lancar précisant… / …", said John Smith), right before it (Pascal Pavageau a déclaré : « … »,
selon X, according to X). A pronoun (conclut-il, minimise-t-il, he said) stands for the person
named last before the quotation; a surname alone is resolved to the full name mentioned earlier.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.news.entities import find_people, resolve
from bot.news.models import Quote

VERBS_FR = (
    "confirme|confirmait|conclut|concluait|minimise|minimisait|explique|expliquait|affirme|affirmait"
    "|déclare|déclarait|assure|assurait|ajoute|ajoutait|estime|estimait|souligne|soulignait"
    "|précise|précisait|précisant|dit|disait|raconte|racontait|insiste|insistait|reconnaît"
    "|reconnaissait|lance|lançait|poursuit|poursuivait|indique|indiquait|observe|regrette"
    "|dénonce|dénonçait|juge|jugeait|note|notait|rappelle|rappelait|martèle|tempête|ironise"
    "|admet|avoue|commente|commentait|répond|répondait|résume|témoigne|prévient|analyse"
    "|s'insurge|s'insurgeait|s'indigne|s'interroge|s'agace|s'amuse|s'emporte|confie|confiait"
    "|avance|argumente|tranche|souffle|glisse|lâche|regrettait|dénonçant|expliquant|affirmant"
    "|a déclaré|a expliqué|a affirmé|a assuré|a ajouté|a estimé|a souligné|a précisé|a dit"
    "|a confirmé|a indiqué|a reconnu|a rappelé|a lancé|a confié|a commenté|a répondu|a dénoncé"
    "|avait insisté|avait expliqué|avait déclaré|avait affirmé|a-t-il|a-t-elle|a t-il|a t-elle"
)
VERBS_EN = (
    "said|says|added|adds|told|tells|explained|explains|argued|argues|insisted|insists|warned"
    "|warns|noted|notes|claimed|claims|stated|states|admitted|admits|confirmed|confirms|wrote"
    "|writes|asked|asks|replied|replies|declared|declares|commented|acknowledged|stressed"
)
_VERB = rf"(?:{VERBS_FR}|{VERBS_EN})"
_NAME = r"[A-ZÀ-Ý][\w'’-]+(?:\s(?:de\s|d'|van\s|von\s)?[A-ZÀ-Ý][\w'’-]+){0,2}"
_PRONOUN = r"(?:il|elle|he|she)"

_PAIRS = re.compile(r"«\s*(?P<g>[^«»]+?)\s*»|“(?P<c>[^“”]+?)”|\"(?P<s>[^\"]+?)\"", re.DOTALL)
# Inside the quotation: ", confirme Guy Birenbaum," / ", conclut-il." / ", avait insisté le journaliste."
_INCISE = re.compile(
    rf",\s*(?:{_VERB})(?:-t)?-(?P<pron>{_PRONOUN})\b"
    rf"|,\s*(?:{_VERB})\s+(?P<name>{_NAME})"
    rf"|,\s*(?P<name2>{_NAME})\s+(?:{_VERB})\b"
    rf"|,\s*(?P<pron2>he|she)\s+(?:{_VERB})\b",
)
_AFTER = re.compile(
    rf"^\s*[,.]?\s*(?:(?:{_VERB})(?:-t)?-(?P<pron>{_PRONOUN})\b"
    rf"|(?:{_VERB})\s+(?P<name>{_NAME})"
    rf"|(?P<name2>{_NAME})\s+(?:{_VERB})\b"
    rf"|(?P<pron2>he|she|il|elle)\s+(?:{_VERB})\b)"
)
_BEFORE = re.compile(
    rf"(?:(?P<name>{_NAME})\s+(?:{_VERB})[^.!?«“\"]{{0,40}}:?\s*"
    rf"|\b(?i:selon|pour|d'après|according to)\s+(?P<name2>{_NAME})\s*,?\s*"
    rf"|(?P<pron>\b(?:il|elle|he|she))\s+(?:{_VERB})[^.!?«“\"]{{0,40}}:\s*)$"
)
_SENTENCE_END = re.compile(r"[.!?…]\s")
MIN_WORDS = 4


def find_quotes(text: str, people: Sequence[str] | None = None) -> list[Quote]:
    """Quotations of at least a few words, with their speaker when it can be found."""
    known = list(people) if people is not None else find_people(text)
    quotes: list[Quote] = []
    for match in _PAIRS.finditer(text):
        inner = next(g for g in match.groups() if g is not None)
        words = inner.split()
        if len(words) < MIN_WORDS or not (inner[0].isalnum() or inner[0] in "(["):
            continue  # too short, or quotes paired wrongly ('", écrit ...')
        speaker, cleaned = _speaker(text, match, inner, known, _recent_speaker(text, match, quotes))
        if speaker is None and len(words) < 8:
            continue  # a title or a scare-quoted phrase, not a quotation
        sentence = _sentence_around(text, match.start(), match.end())
        quotes.append(Quote(" ".join(cleaned.split()).rstrip(" ,;:"), speaker, sentence))
    return quotes


def _recent_speaker(text: str, match: re.Match[str], quotes: list[Quote]) -> str | None:
    """The speaker of the previous quotation when it is in the same paragraph."""
    if not quotes or quotes[-1].speaker is None:
        return None
    paragraph = text[max(text.rfind("\n", 0, match.start()), 0) : match.start()]
    return quotes[-1].speaker if quotes[-1].sentence[:40] in paragraph else None


def _speaker(
    text: str, match: re.Match[str], inner: str, people: Sequence[str], recent: str | None
) -> tuple[str | None, str]:
    """The speaker and the quotation with its incise ("confirme X") taken out."""
    incise = _INCISE.search(inner)
    if incise:
        name = _pick(incise, text, match.start(), people, recent)
        if name:
            rest = _after_incise(inner, incise.end())
            cut = inner[: incise.start()].rstrip(" ,") + (" … " + rest if rest else "")
            return name, cut
    after = _AFTER.match(text[match.end() : match.end() + 120])
    if after and (name := _pick(after, text, match.start(), people, recent)):
        return name, inner
    line_start = max(text.rfind("\n", 0, match.start()), 0)
    before = _BEFORE.search(text[max(line_start, match.start() - 160) : match.start()])
    if before and (name := _pick(before, text, match.start(), people, recent)):
        return name, inner
    return None, inner


def _after_incise(inner: str, end: int) -> str:
    """What follows an incise: the rest of the quotation after the incise's own clause."""
    rest = inner[end:]
    stop = re.search(r"[.;!?…]\s+", rest)
    return rest[stop.end() :] if stop else ""


def _pick(
    match: re.Match[str], text: str, position: int, people: Sequence[str], recent: str | None
) -> str | None:
    groups = match.groupdict()
    name = groups.get("name") or groups.get("name2")
    if name:
        name = name.strip()
        if name.split()[0].lower() in {"le", "la", "les", "un", "une", "the", "this", "ce"}:
            return recent or _last_person(text, position, people)
        return resolve(name, people)
    if groups.get("pron") or groups.get("pron2"):
        # "conclut-il": the one who spoke last in this paragraph, else the last person named.
        return recent or _last_person(text, position, people)
    return None


def _last_person(text: str, position: int, people: Sequence[str]) -> str | None:
    """The person whose name (or surname) was written last before ``position``."""
    best, best_at = None, -1
    before = text[:position]
    for person in people:
        for form in (person, person.split()[-1]):
            at = before.rfind(form)
            if at > best_at:
                best, best_at = person, at
    return best


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind("\n", 0, start), 0)
    for m in _SENTENCE_END.finditer(text, left, start):
        left = m.end()
    right_match = re.compile(r"[.!?…][»”\"]?(?:\s|$)").search(text, end)
    right = right_match.end() if right_match else len(text)
    return text[left:right].strip()
