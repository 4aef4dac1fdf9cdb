"""Quotations and who said them, as French and English press write them.

A quotation is the text between « », “ ”, „ “ or paired straight quotes, or a paragraph opened by a
dialogue dash. Every quotation of at least four words is kept, with its speaker or with none
("speaker unknown"); a shorter one only when a speaker is named. The speaker is looked for, in
this order:

1. an incise inside the quotation: « …, confirme Guy Birenbaum. … », « …, a-t-elle ajouté, … »;
2. right after it, in the same sentence: « … », ironise presque Claire Vasseur / a déclaré à
   l'Agence Claire Vasseur / s'est réjoui dimanche son président, Jacques Rogge / selon l'Anil /
   …", said John Smith / …," she said;
3. before it, in the same sentence: Claire Vasseur tacle : « … » / Selon Julien Marchal,
   consultant…, « … » / Rachida Dati soutient que « … » / According to X, "…";
4. a quotation alone at the start of its paragraph continues the previous quotation's speaker.

The verb of an incise or of the clause after a quotation need not be in any list: the structure
(a comma, a word, a name, the end of the clause; or an inverted pronoun, "écrit-il") says speech.
Before a quotation, where a sentence can say anything, a speech or opinion verb or a colon is
required. A pronoun (il, elle, he, she, "pour lui") stands for the last speaker or person named
before it whose gender fits; a definite description ("le procureur", "la ministre de la Santé")
for the person the article gave that role, else the same way as a pronoun; an indefinite or
possessive one ("un proche", "son entourage") for nobody: the speaker is unknown. A surname alone
or with a title ("Me Scemama", "Mme Vasseur") is resolved to the full name written earlier.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.news.entities import (
    EntityLabel,
    Gender,
    find_organisations,
    find_people,
    first_name_gender,
    gender,
    recognise,
)
from bot.news.models import Quote

MIN_WORDS = 4

_PAIRS = re.compile(
    r"«\s*(?P<g>[^«»\n]+?)\s*»|“(?P<c>[^“”\n]+?)”|„(?P<d>[^„“\n]+?)“|\"[^\S\n]*(?P<s>[^\"\n]+?)[^\S\n]*\""
)
# A paragraph whose opening mark was lost: ' A mon grand désespoir, … dégoûté ", s'indignait X.'
_OPENING_LOST = re.compile(
    r"^[^\S\n]*(?P<q>[^\"«»“”\n]{20,}?)[^\S\n]*\"(?=\s*,\s*[a-zà-ÿ])", re.MULTILINE
)
_DASH_LINE = re.compile(r"^[^\S\n]*[–—―][^\S\n]+(?P<q>[^\n]+)", re.MULTILINE)
# After a punctuation mark (the "." below): not the end of "M.", "Dr." and the like. Read after the
# mark rather than before it, so that the search looks only at punctuation (ten times faster).
_NOT_ABBREVIATION = r"(?<!\bM.)(?<!\bDr.)(?<!\bPr.)(?<!\bMr.)(?<!\bMs.)(?<!\bMrs.)(?<!\bSt.)"
_PHRASE_END = re.compile(r"[.;!?:]" + _NOT_ABBREVIATION + r"(?:\s|$)|[«“\"(]|\n")
_INCISE_END = re.compile(r"[,.;!?:]" + _NOT_ABBREVIATION + r"(?:\s|$)|[«“\"(]|\n")
_CLAUSE_END = re.compile(r"[.!?;]" + _NOT_ABBREVIATION + r"(?:\s|$)|\n|[«“]")
_SENTENCE_STOP = re.compile(r"[.!?…]" + _NOT_ABBREVIATION + r"[»”\"]?(?:\s|$)|\n")
_WORD = re.compile(r"(?:[lLdDjJcCmMnNsStT]|[Qq]u)['’]|[\w-]+|[^\w\s]")
_CAPITAL = re.compile(r"[A-ZÀ-Ý]")
_SENTENCE_END = re.compile(r"[.!?…]" + _NOT_ABBREVIATION + r"[»”\"]?\s+(?=[«“\"A-ZÀ-Ý0-9–—-])")

# Speech and opinion verbs (stems), needed only for a clause BEFORE a quotation.
_SPEECH = re.compile(
    r"\b(?:affirm|déclar|expliqu|estim|soulign|précis|ajout|assur|confi[aeés]|confirm|conclu"
    r"|dit\b|dis\b|disai|disant|dite|racont|insist|reconn|lanc|poursui|indiqu|observ|regrett"
    r"|dénon|jug|not(?:e|ait|é)\b|rappel|martel|martèl|tempêt|ironis|admet|avou|comment|répon"
    r"|résum|témoign|prévien|analys|insurg|indign|interrog|agac|amus|emport|avanc|argument"
    r"|tranch|souffl|gliss|lâch|tacl|réjou|félicit|plaid|réclam|demand|souhait|propos|annonc"
    r"|évoqu|qualifi|parl|promet|promis|jur[eé]|clam|écri[tv]|considér|pens|croi[ts]|espèr"
    r"|soutien|souten|défend|accus|critiqu|fustig|déplor|point|relev|supput|modér|modèr|développ"
    r"|répliqu|renchér|rétorqu|object|nuanc|concè|concéd|alert|avert|menac|exhort|appel|invit"
    r"|raill|moqu|étonn|inquièt|inquiét|exclam|écri|interpell|confess|décri|illustr|détaill"
    r"|prôn|refus|regrett|rassur|vant|salu|martel|sout|convain|persuad|formul|"
    r"said|says|say|told|tell|add|explain|argu|insist|warn|noted|claim|stat|admit|confirm|wrote"
    r"|writ|ask|repl|declar|comment|acknowledg|stress|recall|suggest|describ|call|conced|tweet"
    r"|urg|believ|think|thought)",
    re.IGNORECASE,
)
# Words that cannot open an incise or the clause after a quotation.
_NOT_VERB = frozenset(
    """
    le la les l' l’ un une des du de d' d’ au aux ce cet cette ces son sa ses leur leurs mon ma mes
    notre nos votre vos et ou mais donc car ni que qu' qu’ qui quoi dont où si quand comme alors
    puis je j' j’ tu nous vous ils elles on c' c’ ça cela ceci il elle y en ne n' n’ pas plus à
    dans sur sous par pour avec sans entre chez vers contre depuis pendant avant après très
    tout tous toute toutes même aussi encore déjà
    the an this that these those his her its their our my your and or but so if when as
    because while which who whom it we you they i is are was were be of to in on at by for with
    from not
    """.split()  # noqa: SIM905
)
_PREPOSITIONS = frozenset(
    """
    à au aux de du des d' d’ en dans sur sous par pour avec chez vers contre entre auprès devant
    derrière lors envers selon via outre hormis sauf excepté
    to at in on by with from of into for about against
    """.split()  # noqa: SIM905
)
_INDEFINITE = frozenset(
    """
    un une son sa ses leur leurs mon ma mes notre nos votre vos plusieurs certains certaines
    quelques des a an his her their one some several many
    """.split()  # noqa: SIM905
)
_UNNAMED = re.compile(
    r"\b(?:un|une|son|sa|ses|leur|leurs|des|plusieurs|certains|on|one|some)\b", re.IGNORECASE
)
# Adverbs that go on a quotation after a comma (not verbs of an incise).
_ADVERBS = frozenset(
    """
    surtout notamment seulement également particulièrement principalement essentiellement
    voire sauf hormis puisque parce lorsque quand pourtant toutefois néanmoins cependant
    """.split()  # noqa: SIM905
)
_DEFINITE = frozenset({"le", "la", "l'", "l’", "the", "ce", "cette", "cet"})
_PLURAL_HEAD = re.compile(r"^(?:les|des|ces|the\s+\w+s)\b", re.IGNORECASE)
_REPORTED = re.compile(r"\b(?:selon|d['’]après|according to|pour)\s*$", re.IGNORECASE)
_INVERSION = re.compile(r"^[\w'’]+-(?:t-)?(?P<pron>il|elle|ils|elles|on)\b", re.IGNORECASE)
_ON_AT = re.compile(
    r"^\s*,?\s*(?:\w+\s+){0,2}?(?:au|à la|à l['’]|chez|du côté d[eu]|dans l['’]entourage d[eu])\s*"
    r"(?=[A-ZÀ-Ý])",
)
_PRONOUNS = {
    "il": Gender.MASCULINE,
    "lui": Gender.MASCULINE,
    "he": Gender.MASCULINE,
    "him": Gender.MASCULINE,
    "elle": Gender.FEMININE,
    "she": Gender.FEMININE,
    "her": Gender.FEMININE,
}
_ROLE = re.compile(
    r"(?:ancien(?:ne)?\s+|nouve(?:au|lle)\s+|premi(?:er|ère)\s+|vice-)?"
    r"(?:porte-parole|présidente?|ministre|secrétaire|député|députée|sénat(?:eur|rice)|maire"
    r"|direct(?:eur|rice)|responsable|délégué|déléguée|conseill(?:er|ère)|patron(?:ne)?"
    r"|fondat(?:eur|rice)|chef(?:fe)?|consultante?|militante?|adjointe?|élue?|dirigeante?"
    r"|candidate?|procureure?|magistrate?|avocate?|juge|rapporteur|rapporteuse|auteure?|écrivaine?"
    r"|psychologue|médecin|professeure?|chercheu(?:r|se)|économiste|analyste|syndicaliste"
    r"|locataire|garde des [Ss]ceaux|prix [Nn]obel|général|commandant|commissaire|préfète?"
    r"|ambassadeur|ambassadrice|spokes(?:man|woman|person)|minister|leader|chair(?:man|woman)?"
    r"|director|secretary|mayor|president|chief|head|founder|advis[eo]r|lawyer|prosecutor"
    r"|spécialiste|expert|experte|représentante?|ex-otage|otage|trader|employée?|habitant|voisin"
    r"|manager|entraîneu(?:r|se)|sélectionneu(?:r|se)|coureu(?:r|se)|joueu(?:r|se)|championne?"
    r"|vainqueur|cycliste|sportive?|athlète|coach)\b",
    re.IGNORECASE,
)
# A person named by nationality, capitalised as a noun: "l'Américain", "le Belge", "la
# Franco-Colombienne" (the adjective, "le gouvernement américain", is lower-case).
_DEMONYMS = (
    r"(?:Franco-)?(?:Américaine?|Belge|Espagnole?|Français|Française|Allemande?|Italienne?"
    r"|Britannique|Anglaise?|Chinoise?|Russe|Suisse|Colombienne?|Canadienne?|Japonaise?"
    r"|Brésilienne?|Argentine?|Marocaine?|Algérienne?|Tunisienne?|Sénégalaise?|Texane?"
    r"|Néerlandaise?|Portugaise?|Australienne?|Irlandaise?|Écossaise?|Polonaise?|Grecque?|Grec"
    r"|Turque?|Indienne?|Mexicaine?|Ivoirienne?|Camerounaise?|Luxembourgeoise?|Autrichienne?)"
)
_DEMONYM = re.compile(rf"(?<![\w-])(?:{_DEMONYMS})(?![\w-])")


def _role_in(text: str) -> re.Match[str] | None:
    """The role or nationality a description gives ("le procureur", "l'Américain")."""
    return _ROLE.search(text) or _DEMONYM.search(text)


_TIME_WORDS = frozenset(
    """
    hier aujourd'hui lundi mardi mercredi jeudi vendredi samedi dimanche matin soir midi
    après-midi semaine dernière dernier week-end encore ainsi alors aussi également ensuite enfin
    pourtant même déjà volontiers simplement presque toujours d'ailleurs quant cependant
    yesterday today on monday tuesday wednesday thursday friday saturday sunday also then later
    """.split()  # noqa: SIM905
)


@dataclass(frozen=True)
class _Span:
    start: int  # the opening mark
    end: int  # after the closing mark
    inner_start: int
    inner: str
    dash: bool = False


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    name: str  # the canonical name (a person's full name)
    person: bool


@dataclass
class _Context:
    text: str
    people: list[str]
    organisations: list[str]
    mentions: list[_Mention]
    spans: list[_Span]
    genders: dict[str, Gender | None]
    previous: list[tuple[_Span, str | None]]
    roles: dict[str, list[tuple[str, int]]] | None = None


def find_quotes(
    text: str,
    people: Sequence[str] | None = None,
    organisations: Sequence[str] | None = None,
    *,
    use_model: bool = True,
) -> list[Quote]:
    """Every quotation of the text, with its speaker when the text says who spoke."""
    return quotes_and_names(text, people, organisations, use_model=use_model).quotes


@dataclass(frozen=True)
class QuotesAndNames:
    quotes: list[Quote]
    people: list[str]  # the people given, then those the model found where speakers are expected
    organisations: list[str]


def quotes_and_names(
    text: str,
    people: Sequence[str] | None = None,
    organisations: Sequence[str] | None = None,
    *,
    use_model: bool = True,
) -> QuotesAndNames:
    """The quotations, and the people and organisations known once the model has been asked."""
    known = list(people) if people is not None else find_people(text)
    orgs = list(organisations) if organisations is not None else find_organisations(text, known)
    spans = _spans(text)
    if not spans:
        return QuotesAndNames([], known, orgs)
    if use_model:
        extra_people, extra_orgs = _model_names(text, spans, known, orgs)
        known += [p for p in extra_people if p not in known]
        orgs += [o for o in extra_orgs if o not in orgs and not any(o in p for p in known)]
    context = _Context(text, known, orgs, _mentions(text, known, orgs), spans, {}, [])
    quotes: list[Quote] = []
    speakers = context.previous
    for span in spans:
        speaker, cleaned, speech = _attribute(context, span, speakers)
        words = len(cleaned.split())
        if words < MIN_WORDS and not (speech and words >= 2):
            continue
        speakers.append((span, speaker))
        sentence = _sentence_around(text, span.start, span.end)
        quotes.append(Quote(" ".join(cleaned.split()).rstrip(" ,;:"), speaker, sentence))
    return QuotesAndNames(_headlines_attributed(quotes), known, orgs)


def _headlines_attributed(quotes: list[Quote]) -> list[Quote]:
    """A quotation repeated from a longer one (a headline, a subheading) has the same speaker."""
    result = []
    for quote in quotes:
        if quote.speaker is None:
            key = _normalised(quote.text)
            source = next(
                (
                    q
                    for q in quotes
                    if q.speaker and q is not quote and key and key in _normalised(q.text)
                ),
                None,
            )
            if source is None:
                source = next(
                    (q for q in quotes if q.speaker and q is not quote and _repeats(quote, q)),
                    None,
                )
            if source is not None:
                quote = Quote(quote.text, source.speaker, quote.sentence)
        result.append(quote)
    return result


def _repeats(short: Quote, long: Quote) -> bool:
    """Whether ``short`` repeats part of ``long`` but for one word ("Il n'y a aucun problème" for
    "Il n'y aucun problème. Ma soeur …"): five words at least, in the same order."""
    words = _normalised(short.text).split()
    if not 5 <= len(words) <= 12:
        return False  # a headline's length
    source = _normalised(long.text).split()
    if len(set(words) & set(source)) < len(set(words)) - 1:
        return False
    width = len(words) + 2
    return any(
        _common_in_order(words, source[i : i + width]) >= len(words) - 1
        for i in range(max(1, len(source) - len(words) + 2))
    )


def _common_in_order(a: Sequence[str], b: Sequence[str]) -> int:
    """The longest common subsequence of two short word lists."""
    row = [0] * (len(b) + 1)
    for word in a:
        diagonal = 0
        for j, other in enumerate(b, 1):
            above = row[j]
            row[j] = diagonal + 1 if word == other else max(row[j], row[j - 1])
            diagonal = above
    return row[-1]


def _normalised(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


# --- finding the quotations ---------------------------------------------------------------------


def _spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    for match in _PAIRS.finditer(text):
        group = next(name for name, value in match.groupdict().items() if value is not None)
        inner = match.group(group)
        if not (inner[:1].isalnum() or inner[:1] in "([’'…."):
            continue  # paired wrongly ('", écrit ...')
        spans.append(_Span(match.start(), match.end(), match.start(group), inner))
    for match in _OPENING_LOST.finditer(text):
        line_end = text.find("\n", match.end())
        line = text[match.start() : line_end if line_end >= 0 else len(text)]
        if line.count('"') % 2 == 1 and not any(s.start <= match.end() <= s.end for s in spans):
            spans.append(_Span(match.start("q"), match.end(), match.start("q"), match.group("q")))
    for match in _DASH_LINE.finditer(text):
        if any(s.start >= match.start() and s.end <= match.end() for s in spans):
            continue
        spans.append(_Span(match.start(), match.end(), match.start("q"), match.group("q"), True))
    spans.sort(key=lambda s: s.start)
    return spans


# --- the names the rules do not know, asked of the model ------------------------------------------

_HONORIFIC = re.compile(r"^(?:M\.|Mme|Mlle|Me|Maître|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Pr\.?)\s+")
_TITLED_RUN = re.compile(
    r"(?:M\.|Mme|Mlle|Me|Maître|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Pr\.?)[^\S\n]+"
    r"(?P<name>[A-ZÀ-Ý][\w’'-]+(?:[^\S\n]+[A-ZÀ-Ý][\w’'-]+)?)"
)
_RUN = re.compile(
    r"[A-ZÀ-Ý][\w’'-]*(?:[^\S\n]+(?:de[^\S\n]+la|de|du|des|d['’]|van|von|da|di|le|la|al|ben|bin)?[^\S\n]*[A-ZÀ-Ý][\w’'-]*)*"
)


def _slot_texts(text: str, span: _Span) -> list[tuple[int, str]]:
    """Where a speaker is expected around a quotation: after it, before it, in its incises."""
    slots: list[tuple[int, str]] = []
    after_end = min(_clause_end(text, span.end), span.end + 80)
    slots.append((span.end, text[span.end : after_end]))
    lead_start = max(_lead_start(text, span.start), span.start - 150)
    slots.append((lead_start, text[lead_start : span.start]))
    for comma in re.finditer(r",\s+(?=[a-zà-ÿ])", span.inner):
        start = span.inner_start + comma.end()
        slots.append((start, text[start : min(start + 50, span.inner_start + len(span.inner))]))
    return slots


def _model_names(
    text: str, spans: Sequence[_Span], people: Sequence[str], organisations: Sequence[str]
) -> tuple[list[str], list[str]]:
    known_words = {w for name in [*people, *organisations] for w in name.split()}
    windows: list[str] = []
    asked: set[str] = set()
    for span in spans:
        for offset, slot in _slot_texts(text, span):
            for run in _RUN.finditer(slot):
                words = run.group().split()
                if run.group() in asked or all(w in known_words for w in words):
                    continue
                if len(words) == 1 and _sentence_initial(text, offset + run.start()):
                    continue
                asked.add(run.group())
                if len(words) == 1 and run.group().isupper() and len(run.group()) <= 6:
                    continue  # an acronym: the rules have it
                lo = max(0, offset + run.start() - 40)
                hi = min(len(text), offset + run.end() + 25)
                windows.append(text[lo:hi])
    if not windows:
        return [], []
    found_people: list[str] = []
    found_orgs: list[str] = []
    for entities in recognise(list(dict.fromkeys(windows))):
        for name, label in entities:
            name = _HONORIFIC.sub("", name.split("\n")[0].strip(" ,.;:'’"))
            first = name.split()[0].lower() if name.split() else ""
            if len(name) < 2 or not _CAPITAL.match(name) or first in _TIME_WORDS | _NOT_VERB:
                continue
            if any(p == name or p.endswith(" " + name) for p in [*people, *found_people]):
                continue
            if label is EntityLabel.PERSON and name not in found_people:
                found_people.append(name)
            elif label is EntityLabel.ORGANISATION and name not in found_orgs:
                found_orgs.append(name)
    return found_people, found_orgs


def _sentence_initial(text: str, position: int) -> bool:
    before = text[max(0, position - 3) : position]
    return position == 0 or bool(re.search(r"(?:^|[.!?\n]\s*|[«“\"]\s*)$", before))


# --- mentions of people and organisations -------------------------------------------------------


def _mentions(text: str, people: Sequence[str], organisations: Sequence[str]) -> list[_Mention]:
    mentions: list[_Mention] = []
    forms: list[tuple[str, str, bool]] = []
    for full in people:
        forms.append((full, full, True))
        surname = _surname(full)
        if surname != full and len(surname) > 2:
            forms.append((surname, full, True))
    for organisation in organisations:
        forms.append((organisation, organisation, False))
    forms.sort(key=lambda f: -len(f[0]))
    if not forms:
        return mentions
    taken = bytearray(len(text) + 1)
    for form, name, person in forms:
        at = text.find(form)
        while at >= 0:
            end = at + len(form)
            if (
                not taken[at]
                and not taken[end - 1]
                and (at == 0 or not _is_word_char(text[at - 1]))
                and (end == len(text) or not _is_word_char(text[end]))
            ):
                taken[at:end] = b"\x01" * len(form)
                mentions.append(_Mention(at, end, name, person))
            at = text.find(form, end)
    mentions.sort(key=lambda m: m.start)
    return mentions


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char in "_-"


def _surname(person: str) -> str:
    words = person.split()
    for index, word in enumerate(words[1:], 1):
        if word.lower() in {"de", "du", "des", "d'", "van", "von", "le", "la", "da", "di"}:
            return " ".join(words[index:]) if index > 1 else words[-1]
    return words[-1]


# --- attribution ----------------------------------------------------------------------------------


def _attribute(
    context: _Context, span: _Span, previous: Sequence[tuple[_Span, str | None]]
) -> tuple[str | None, str, bool]:
    """The speaker, the quotation without its incise, and whether the text says it was said."""
    text = context.text
    inner = span.inner
    for comma in re.finditer(r",\s+", inner):
        start = span.inner_start + comma.end()
        stop = span.inner_start + len(inner)
        found = _after_clause(context, start, stop, span, incise=True)
        if found is not None and not re.match(r"^\s*(?:[,.;!?…]|$)", context.text[found[1] : stop]):
            found = None
        if (
            found is not None
            and found[0] is None
            and not _UNNAMED.search(context.text[start : found[1]])
        ):
            found = None  # ", sauté de joie,": words of the quotation, not an incise
        if found is not None:
            who, clause_end = found
            rest = inner[clause_end - span.inner_start :]
            apposition = re.match(r"^\s*,\s*([a-zà-ÿ][\w'’-]*)[^,.;!?]{0,60}[.;!?]\s*", rest)
            if apposition and apposition.group(1).lower() not in _NOT_VERB:
                rest = rest[apposition.end() :]
            rest = re.sub(r"^[\s,.;]+", "", rest) if re.match(r"^\s*[,;]", rest) else rest
            rest = rest.lstrip(" .")
            cut = inner[: comma.start()].rstrip(" ,") + (" … " + rest if rest.strip() else "")
            return who, cut, True
    # « …, a ainsi expliqué » le procureur: the incise's subject after the closing mark
    tail = re.search(r",\s+((?:[a-zà-ÿ][\w'’-]*\s+){0,3}[a-zà-ÿ][\w'’-]*)\s*$", inner)
    if tail and _SPEECH.search(tail.group(1)):
        follow = re.match(r"\s*(?=(?:le|la|l['’]|[A-ZÀ-Ý]))", text[span.end : span.end + 5])
        if follow:
            begin = span.end + follow.end()
            # "x " stands for the verb left inside the quotation, two characters before ``begin``
            found = _subject_after_verb(
                context, begin - 2, "x " + text[begin : _clause_end(text, span.end)], span, False
            )
            if found is not None and found[0] is not None:
                return found[0], inner[: tail.start()].rstrip(" ,"), True
    after = _after_clause(context, span.end, _clause_end(text, span.end), span, incise=False)
    if after is not None:
        return after[0], inner, True
    lead = _lead_in(context, span)
    if lead is not None:
        return lead, inner, True
    speaker = _following(context, span, caption=True)
    if speaker is None:
        speaker = _continuation(context, span, previous)
    if speaker is None:
        speaker = _preceding(context, span)
    if speaker is None:
        speaker = _following(context, span, caption=False)
    return speaker, inner, speaker is not None


def _following(context: _Context, span: _Span, *, caption: bool) -> str | None:
    """A quotation standing as its own paragraph, attributed by the line after it.

    Either a caption in capitals ("JEAN LEONETTI, CHARGÉ D'UNE MISSION …") or (``caption`` false)
    a sentence whose subject is named before a verb of speech ("À mots prudents, Jean Leonetti le
    reconnaît :").
    """
    text = context.text
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    if line_end < 0 or text[line_start : span.start].strip(" \t–—-"):
        return None
    if text[span.end : line_end].strip(" \t.,;!?…"):
        return None
    if span.inner.rstrip()[-1:] not in ".!?…":
        return None  # a subheading: the journalist's words as often as a speaker's
    start = line_end + 1
    stop = text.find("\n", start)
    stop = len(text) if stop < 0 else stop
    line = text[start:stop]
    if not line.strip() or line.lstrip()[:1] in '«“"–—-':
        return None
    letters = [c for c in line if c.isalpha()]
    capitals = len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)
    if capitals != caption:
        return None
    if capitals:
        folded = line.casefold()
        found = [
            (at, name)
            for name in (*context.people, *context.organisations)
            if (at := folded.find(name.casefold())) >= 0
        ]
        if found:
            return min(found)[1]
        # "JEAN LEONETTI, CHARGÉ …" / "LA PROPOSITION DE LOI DE LAURENT FABIUS": a first name and
        # the word after it
        words = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", line)
        for first, last in itertools.pairwise(words):
            if len(last) > 1 and first_name_gender(first.title()) is not None:
                return f"{first.title()} {last.title()}"
        return None
    return _speaking_subject(context, start)


def _preceding(context: _Context, span: _Span) -> str | None:
    """A quotation opening its paragraph after one whose subject speaks ("X regrette que …")."""
    text = context.text
    line_start = text.rfind("\n", 0, span.start) + 1
    if line_start == 0 or text[line_start : span.start].strip(" \t–—-"):
        return None
    if _subheading(text, span):
        return None  # the journalist's words as often as a speaker's
    previous_start = text.rfind("\n", 0, line_start - 1) + 1
    line = text[previous_start : line_start - 1]
    if re.search(r"[«»“”\"]", line) or not line.rstrip().endswith("."):
        return None
    speaker = _speaking_subject(context, previous_start)
    if speaker is None:
        speaker = _introduced(context, span, previous_start, line_start - 1)
    return speaker


def _introduced(context: _Context, span: _Span, start: int, stop: int) -> str | None:
    """A paragraph that is all quotation, after one presenting a single person and nobody else
    ("Certains anciens, à l'image de Stéphane Augé, restent admiratifs du champion."): theirs."""
    line_end = context.text.find("\n", span.end)
    if context.text[span.end : line_end if line_end >= 0 else len(context.text)].strip():
        return None
    named = {m.name for m in context.mentions if start <= m.start < stop}
    people = [m for m in context.mentions if start <= m.start < stop and m.person]
    if len(named) != 1 or not people or _complement(context.text, people[0]):
        return None
    if re.search(
        r"\b(?:été|être|been)\s+(?:\w+\s+)?[a-zà-ÿ]+(?:é|ée|és|ées|is|ise|it|ite|u|ue)\b",
        context.text[people[0].end : stop],
    ):
        return None  # "X avait été alerté": spoken to, not presented as speaking
    return people[0].name


def _subheading(text: str, span: _Span) -> bool:
    """A quotation alone on its line, without a sentence's final mark: a headline or subheading."""
    line_end = text.find("\n", span.end)
    line_start = text.rfind("\n", 0, span.start) + 1
    alone = not text[line_start : span.start].strip() and not text[
        span.end : line_end if line_end >= 0 else len(text)
    ].strip(" \t.,;!?…")
    return alone and span.inner.rstrip()[-1:] not in ".!?…"


def _speaking_subject(context: _Context, start: int) -> str | None:
    """The person a clause opens on, named before its verb of speech."""
    text = context.text
    clause_end = _clause_end(text, start)
    colon = text.find(":", start, clause_end)
    clause_end = colon if colon >= 0 else clause_end
    if not _SPEECH.search(text[start:clause_end]):
        return None
    for mention in context.mentions:
        if not (start <= mention.start < clause_end and mention.person):
            continue
        before = text[start : mention.start]
        if _after_a_preposition(before) or _complement(text, mention):
            continue
        verb = _SPEECH.search(text, mention.end, clause_end)
        if verb is None:
            return None  # the verb of speech comes before the name: not its subject
        if re.search(r"\b(?:été|être|been|be)\s+$", text[mention.end : verb.start()]):
            return None  # "X avait été alerté": spoken to, not speaking
        return mention.name
    return None


def _after_clause(
    context: _Context, start: int, stop: int, span: _Span, *, incise: bool
) -> tuple[str | None, int] | None:
    """The speaker named by a clause like ", a déclaré à l'Agence Claire Vasseur." at ``start``.

    None when the words there are not a speech clause; (None, end) when they are but name nobody.
    """
    text = context.text
    clause = text[start:stop]
    lead = re.match(r"^[\s,]*", clause)
    offset = lead.end() if lead else 0
    if not clause[offset:].strip() or clause[offset] in ".;:!?)]":
        return None
    body = clause[offset:]
    # ", selon l'Anil" / ", according to the ministry"
    reported = re.match(r"(?:selon|d['’]après|according to)\s+", body, re.IGNORECASE)
    if reported:
        end = _phrase_end(body, reported.end())
        who = _named_in(context, start + offset + reported.end(), start + offset + end, span)
        return who, start + offset + end
    # "a-t-il déclaré", "écrit-il", "indiquait-on au Fonds de garantie"
    words = body.split()
    for index in range(min(3, len(words))):
        if words[index].lower() in _NOT_VERB and index == 0:
            break
        inversion = _INVERSION.match(words[index])
        if inversion:
            token = inversion.group()
            position = start + offset + body.find(token)
            stop_at = _INCISE_END.search(body, body.find(token) + len(token))
            end = stop_at.start() if stop_at else len(body)
            pronoun = inversion.group("pron").lower()
            if pronoun == "on":
                tail = text[position + len(token) : start + offset + end]
                at = _ON_AT.match(tail)
                if at:
                    base = position + len(token) + at.end()
                    return _named_in(
                        context, base, start + offset + end, span
                    ), start + offset + end
                return None, start + offset + end
            document = _document_subject(context, span, pronoun)
            if document is not None:  # "Le rapport … : « … », souligne-t-il": the report's
                return _author_of(context, document, span), start + offset + end
            return _resolve_pronoun(context, pronoun, span), start + offset + end
    first = words[0] if words else ""
    first_key = first.lower().strip(",.;:")
    # ", he said" / ", she added" / "Smith said"
    english = re.match(
        r"(?P<who>he|she|[A-ZÀ-Ý][\w’'-]+(?:\s+[A-ZÀ-Ý][\w’'-]+){0,3})\s+(?:has\s+|had\s+)?"
        r"(?:said|says|added|adds|told|tells|wrote|writes|explained|argued|insisted|warned|noted"
        r"|claimed|stated|admitted|confirmed|asked|replied|declared|commented|stressed|recalled)\b",
        body,
    )
    if english:
        end = _phrase_end(body, english.end())
        who = english.group("who")
        if who.lower() in _PRONOUNS:
            return _resolve_pronoun(context, who.lower(), span), start + offset + end
        return _resolve_name(context, who, start + offset), start + offset + end
    named_first = re.match(
        r"(?P<who>[A-ZÀ-Ý][\w’'-]+(?:[^\S\n]+[A-ZÀ-Ý][\w’'-]+){0,3})[^\S\n]+(?:a[^\S\n]+|avait[^\S\n]+)?"
        r"(?P<verb>[a-zà-ÿ][\w’'-]+)",
        body,
    )
    if named_first and (
        _SPEECH.match(named_first.group("verb")) or named_first.group("verb").endswith("ant")
    ):
        end = _phrase_end(body, named_first.end())
        return _resolve_name(
            context, named_first.group("who"), start + offset
        ), start + offset + end
    if not first or first_key in _NOT_VERB or _CAPITAL.match(first):
        return None
    if re.match(r"^(?:j|c|qu|n|l|d|m|t)['’]", first_key):
        return None  # "j'ai", "c'est": the quotation goes on
    if re.match(r"^[\d%]", first):
        return None
    if incise and (first_key in _ADVERBS or first_key.endswith(("amment", "emment"))):
        return None  # ", surtout ses proches": the quotation goes on
    if incise and first_key.endswith(("ront", "rons", "rez")):
        return None  # ", écriront des portraits": a future is the quotation going on, no incise
    # A verb (any), then the one who spoke: ", ironise presque Claire Vasseur."
    if incise:  # an incise is short: it ends at its comma
        stop_at = _INCISE_END.search(body)
        end = stop_at.start() if stop_at else len(body)
    else:
        end = _phrase_end(body, 0)
    phrase = body[:end]
    found = _subject_after_verb(context, start + offset, phrase, span, incise)
    if found is None:
        return None
    return found[0], start + offset + found[1]


def _subject_after_verb(
    context: _Context, base: int, phrase: str, span: _Span, incise: bool
) -> tuple[str | None, int] | None:
    """In "a lancé, la semaine dernière, son patron, Patrick Werner", who spoke and where it ends."""
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(phrase)]
    verb_seen = False
    index = 0
    limit = min(len(tokens), 16)
    while index < limit:
        s, e, word = tokens[index]
        key = word.lower()
        if word in ",":
            index += 1
            continue
        mention = _mention_at(context, base + s)
        if mention is not None:
            previous = tokens[index - 1][2].lower() if index else ""
            if previous in _PREPOSITIONS or (
                previous in {"l'", "l’"} and _after_preposition(tokens, index)
            ):
                index = _skip_mention(tokens, index, base, mention)
                continue
            if not verb_seen:
                return None
            return mention.name, _phrase_tail(phrase, mention.end - base)
        if _CAPITAL.match(word) and verb_seen:
            previous = tokens[index - 1][2].lower() if index else ""
            titled = _TITLED_RUN.match(phrase, s)
            if titled:  # "M. Marchal", "Me Scemama"
                name = _resolve_name(context, titled.group("name"), base + s)
                return name, _phrase_tail(phrase, titled.end())
            run = _RUN.match(phrase, s)
            run_text = run.group() if run else word
            if previous in _PREPOSITIONS or (
                previous in {"l'", "l’"} and _after_preposition(tokens, index)
            ):
                index = _skip_to(tokens, index, s + len(run_text))
                continue
            return _resolve_name(context, run_text, base + s), _phrase_tail(
                phrase, s + len(run_text)
            )
        if key in _PRONOUNS and verb_seen and key in {"il", "elle", "he", "she"}:
            return None
        if key in _INDEFINITE and verb_seen:
            # "un proche", "son entourage" – unless a name follows: "son amie Anne-Colombe …"
            named = _name_soon(context, tokens, index + 1, base, phrase)
            if named is not None:
                return named
            description = _description(phrase, s)
            return None, _phrase_tail(phrase, s + len(description))
        if key in _DEFINITE or key in {"les", "l'", "l’"}:
            if not verb_seen:
                return None
            named = _name_soon(context, tokens, index + 1, base, phrase)
            if named is not None:
                return named
            after = _mention_at(context, base + tokens[index + 1][0]) if index + 1 < limit else None
            if after is not None and not after.person:  # « … », suppute l'Afub.
                return after.name, _phrase_tail(phrase, after.end - base)
            if key == "les" or _PLURAL_HEAD.match(phrase[s:]):
                return None, _phrase_tail(phrase, e)
            description = _description(phrase, s)
            whole = re.match(r"[^,.;:!?()«»“”\"]{1,100}", phrase[s:])
            body = _capitalised_body(whole.group() if whole else description)
            if body is not None:
                return body, _phrase_tail(phrase, s + len(description))
            if len(description.split()) == 2 and description.split()[1].lower() in _DOCUMENTS:
                # « … », précise le communiqué: from whoever announced it just before
                return _announcer(context, span), _phrase_tail(phrase, s + len(description))
            if not _role_in(description[:45]):
                comma = phrase.find(",", e)
                if comma < 0:
                    return None
                index = _skip_to(tokens, index, comma)
                continue  # "la semaine dernière," – not who spoke
            end = s + len(description)
            return _resolve_description(context, description, span, base + s), _phrase_tail(
                phrase, end
            )
        if key in _NOT_VERB and not verb_seen:
            return None
        if not verb_seen:
            verb_seen = True
        elif not incise and key not in _TIME_WORDS and key in {"que", "qu'", "qu’", "qui", "et"}:
            return None
        index += 1
    return None


def _after_preposition(tokens: Sequence[tuple[int, int, str]], index: int) -> bool:
    """ "à l'Agence": the l' is itself after a preposition."""
    return index >= 2 and tokens[index - 2][2].lower() in _PREPOSITIONS


def _skip_mention(
    tokens: Sequence[tuple[int, int, str]], index: int, base: int, mention: _Mention
) -> int:
    return _skip_to(tokens, index, mention.end - base)


def _skip_to(tokens: Sequence[tuple[int, int, str]], index: int, end: int) -> int:
    while index < len(tokens) and tokens[index][0] < end:
        index += 1
    return index


def _name_soon(
    context: _Context, tokens: Sequence[tuple[int, int, str]], index: int, base: int, phrase: str
) -> tuple[str | None, int] | None:
    """A name that a description leads to: "le député UMP Lionnel Luca", "son président, Jacques
    Rogge", "le procureur de la République de Marseille, Jacques Dallest"."""
    content = 0
    first = index
    kind = False
    while index < len(tokens) and index < 40:
        s, _e, word = tokens[index]
        key = word.lower()
        mention = _mention_at(context, base + s)
        previous = tokens[index - 1][2].lower() if index else ""
        if mention is not None and mention.person and previous not in _PREPOSITIONS:
            return mention.name, _phrase_tail(phrase, mention.end - base)
        if mention is not None and kind and previous not in _PREPOSITIONS:
            # "la chaîne de télévision publique CCTV": a body after the noun of its kind
            return mention.name, _phrase_tail(phrase, mention.end - base)
        kind = kind or (index == first and key in _BODY_KINDS)
        if word in ".;:!?()":
            return None
        if _CAPITAL.match(word):
            run = _RUN.match(phrase, s)
            run_text = run.group() if run else word
            if previous not in _PREPOSITIONS and _looks_like_person(context, run_text):
                return _resolve_name(context, run_text, base + s), _phrase_tail(
                    phrase, s + len(run_text)
                )
            index = _skip_to(tokens, index, s + len(run_text))
            continue
        if word != "," and key not in _PREPOSITIONS and key not in _DEFINITE and key != "les":
            content += 1
            if content > (4 if kind else 2) or key in {
                "qui",
                "que",
                "qu'",
                "qu’",
                "who",
                "which",
                "dont",
            }:
                return None
        index += 1
    return None


def _looks_like_person(context: _Context, run_text: str) -> bool:
    if any(
        run_text in (p, _surname(p)) or (" " in p and run_text.endswith(" " + p))
        for p in context.people
    ):
        return True
    words = run_text.split()
    return len(words) >= 2 and gender(run_text) is not None


_BODY_HEADS = frozenset(
    """
    club conseil ligue association commission comité syndicat parti union fondation institut
    cour tribunal fédération confédération chambre collectif observatoire mouvement ordre
    office agence autorité haute haut académie assemblée sénat gouvernement ministère
    council league association commission committee union party foundation institute court
    federation chamber office agency authority academy assembly
    """.split()  # noqa: SIM905
)


_PAST_PARTICIPLE = ("é", "ée", "és", "ées", "i", "ie", "is", "ies", "u", "ue", "us", "ues")
_DOCUMENTS = frozenset(
    "arrêt communiqué jugement décision ordonnance avis lettre statement ruling".split()  # noqa: SIM905
)


def _capitalised_body(description: str, *, of_document: bool = False) -> str | None:
    """ "le Club de la presse étrangère en Chine qui dénonce": a body named by its full name;
    "l'arrêt de la chambre de l'instruction": the body a document is from."""
    words = re.split(r"(?<=['’])|\s+", description)
    words = [w for w in words if w]
    if len(words) < 2 or words[0].lower() not in _DEFINITE | {"l'", "l’"}:
        return None
    head = words[1]
    if head.lower() in _DOCUMENTS and not of_document and len(words) > 3:
        if words[2].lower() in {"de", "du"}:
            rest = words[3:] if words[2].lower() == "de" else ["le", *words[3:]]
            return _capitalised_body(" ".join(rest), of_document=True)
        return None
    if not (head[:1].isupper() or of_document) or head.lower() not in _BODY_HEADS:
        return None
    name = [head]
    for word in words[2:9]:
        if word.lower() in {"qui", "que", "qu'", "qu’", "dont", "où", "a", "avait", "est"}:
            break
        participle = (
            word[:1].islower()
            and word.endswith(_PAST_PARTICIPLE)
            and name[-1].lower() not in _PREPOSITIONS
        )
        if word[:1].isdigit() or word.lower() in _TIME_WORDS or participle:
            break  # "prononcé mardi", not "Conseil de sécurité"
        name.append(word)
    while len(name) > 1 and name[-1].lower() in _PREPOSITIONS | _DEFINITE | {"l'", "l’"}:
        name.pop()
    joined = " ".join(name)
    return re.sub(r"(['’]) ", r"\1", joined)


def _announcer(context: _Context, span: _Span) -> str | None:
    """Who the paragraphs just before say announced or stated something ("Le Crédit Foncier a
    annoncé jeudi qu'il …"): the issuer of a communiqué the article does not attribute."""
    text = context.text
    earliest = span.start
    for _ in range(3):
        earliest = text.rfind("\n", 0, max(0, earliest - 1)) + 1
    for mention in reversed(context.mentions):
        if mention.start >= span.start or _inside_quote(context, mention.start):
            continue
        if mention.start < earliest:
            return None
        after = re.match(
            r"(?:\s*,[^,.;:]{0,80},)?\s+(?:a|avait|ont|avaient|has|had)?\s*", text[mention.end :]
        )
        if after is not None and _SPEECH.match(text, mention.end + after.end()):
            return mention.name
    return None


def _description(phrase: str, start: int) -> str:
    match = re.match(r"[^,.;:!?()«»“”\"]{1,80}", phrase[start:])
    words = (match.group() if match else "").split()
    return " ".join(words[:6])


def _phrase_end(body: str, start: int) -> int:
    """Where a speech clause ends: the sentence's end, a semicolon or a new quotation."""
    match = _PHRASE_END.search(body, start)
    return match.start() if match else len(body)


def _phrase_tail(phrase: str, end: int) -> int:
    """After a name: its apposition too (", ministre chinois des Sports,")."""
    rest = phrase[end:]
    apposition = re.match(r",\s+[^,.;:!?«»]{1,80},", rest)
    return end + (apposition.end() if apposition else 0)


def _lead_in(context: _Context, span: _Span) -> str | None:
    """The speaker named before the quotation in its sentence, when that sentence says speech."""
    text = context.text
    start = _lead_start(text, span.start)
    if not text[start : span.start].strip() and start > 0:
        previous_line = text[:start].rstrip()
        if (
            previous_line
            and previous_line[-1] not in '.!?»”":'
            and text[:start].count("\n", len(previous_line)) == 1
        ):
            start = _lead_start(text, len(previous_line))
    same_sentence: str | None = None
    cut = False
    for last, last_speaker in context.previous:
        if start <= last.start and last.end <= span.start and len(last.inner.split()) >= MIN_WORDS:
            start, same_sentence, cut = last.end, last_speaker, True
    found = _lead_in_from(context, span, start)
    if found is None and cut:
        return same_sentence  # « … » mais que c'était « … »: the same speaker
    return found


def _lead_in_from(context: _Context, span: _Span, start: int) -> str | None:
    text = context.text
    lead = text[start : span.start]
    if not lead.strip():
        return None
    colon = bool(re.search(r":\s*$", lead))
    # "Selon Julien Marchal, consultant…, « … »" / "Pour lui, « … »" / "Mais, selon lui, « … »"
    for reported in re.finditer(
        r"(?:^|[\s,(])(?:[Ss]elon|[Dd]['’]après|[Aa]ccording to|[Pp]our)\s+", lead
    ):
        phrase_end = len(lead)
        stops = [
            at for at in (lead.find(",", reported.end()), lead.find(":", reported.end())) if at >= 0
        ]
        comma = min(stops) if stops else -1
        pronoun = re.match(r"(lui|elle|eux|him|her)\b\s*(\w*)", lead[reported.end() :])
        if pronoun and not (
            pronoun.group(2)[:1].islower() and pronoun.group(2).endswith(("er", "ir", "re"))
        ):
            # "Pour lui, « … »" – not "pour lui permettre de …"
            who = _resolve_pronoun(context, pronoun.group(1), span, start + reported.start())
            if who is not None:
                return who
            continue
        if comma < 0 or comma > phrase_end:
            continue
        if lead[reported.start() : reported.end()].strip(" ,(").lower() == "pour" and not (
            reported.start() == 0 or lead[: reported.start()].rstrip().endswith(",")
        ):
            continue
        word = lead[reported.end() : comma].strip().lower()
        if word in _PRONOUNS:
            return _resolve_pronoun(context, word, span)
        who = _named_in(context, start + reported.end(), start + comma, span)
        if who is not None:
            return who
    speech = (
        colon
        or any(_verb_not_noun(lead, m.start()) for m in _SPEECH.finditer(lead))
        or bool(re.search(r"\bqu(?:e|['’])\s*$", lead))
    )
    if not speech:
        return None
    candidates: list[tuple[int, str, bool]] = []  # position, name, is a person
    for mention in context.mentions:
        if not start <= mention.start < span.start or _inside_quote(context, mention.start):
            continue
        before_text = text[start : mention.start]
        if before_text.count("(") > before_text.count(")"):
            continue  # "(ADMD)"
        relative = _RELATIVE_SPEAKER.match(text, mention.end, span.start)
        if _after_a_preposition(before_text) and not (
            relative and _SPEECH.match(relative.group("verb"))
        ):
            continue  # not "À commencer par Frédéric X, patron de …, qui affirmait : « … »"
        if _complement(text, mention):
            continue
        if re.search(r"\b(?:si|s['’]|whether|if)\s+$", before_text, re.IGNORECASE):
            continue  # "Prié de dire si Armstrong était …, le Belge a répondu": not the subject
        candidates.append((mention.start, mention.name, mention.person))
    for pronoun in re.finditer(
        r"(?:^\s*|,\s+|\bet\s+)(?P<p>il|elle|he|she|(?<![^\s])(?:Il|Elle|He|She)(?=\s+[a-z]))"
        r"\s+(?!y\b|faut|s['’]agit)"
        r"|\b[a-zà-ÿ]+-(?:t-)?(?P<p2>il|elle)\b",  # "explique-t-il, assurant que « … »"
        lead,
    ):
        group = "p" if pronoun.group("p") else "p2"
        if group == "p" and pronoun.group("p")[0].isupper() and lead[: pronoun.start("p")].strip():
            continue  # "He Yafei": a name, not a pronoun
        who = _resolve_pronoun(
            context, pronoun.group(group).lower(), span, start + pronoun.start(group)
        )
        if who is not None:
            candidates.append((start + pronoun.start(group), who, True))
    for single in re.finditer(
        r"(?:^|,\s|:\s)(?P<n>[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)(?=\s*,|\s+[a-zà-ÿ])", lead
    ):
        if first_name_gender(single.group("n")) is not None:
            candidates.append(
                (start + single.start("n"), _resolve_name(context, single.group("n"), start), True)
            )
    for description in re.finditer(
        r"(?:^|[\s,])(?P<d>(?:[Ll]e|[Ll]a|[Ll]['’]|[Tt]he)\s*[\wà-ÿ][^,.;:!?«»()]{2,60})", lead
    ):
        head = description.group("d")
        if _after_a_preposition(lead[: description.start("d")]) or _PLURAL_HEAD.match(head):
            continue
        position = start + description.start("d")
        if any(c[2] and position <= c[0] <= position + len(head) + 40 for c in candidates):
            continue  # "Le président de l'ADMD, Jean-Luc Romero, …": the name says who
        if _role_in(head[:45]):
            who = _resolve_description(context, " ".join(head.split()[:7]), span, position)
            if who is not None:
                candidates.append((position, who, True))
        elif (body := _body_named(context, head, span, position)) is not None:
            candidates.append((position, body, False))  # "la fédération évoquait « … »"
    candidates.sort()
    person = next((c for c in candidates if c[2]), None)
    if person is not None:
        return person[1]
    if candidates:
        return candidates[0][1]
    if colon or re.match(r"^\s*(?:[Ee]t|[Pp]uis|[Aa]vant de|[Aa]nd|Qui)\b", lead):
        return _previous_speaker(context, span, None)  # "Et demandé que « … »": the same subject
    return None


_RELATIVE_SPEAKER = re.compile(r"(?:\s*,[^,.;:«»“”\"]{0,80}?)?,?\s+qui\s+(?P<verb>[\w'’-]+)")
# Nouns naming what kind of body follows: "le groupe Caisse d'Epargne", "le quotidien Le Monde".
_BODY_KINDS = frozenset(
    """
    groupe société banque quotidien journal hebdomadaire magazine chaîne radio agence entreprise
    constructeur opérateur équipe cabinet institut firme assureur laboratoire compagnie
    association syndicat parti mouvement organisation fédération fondation
    """.split()  # noqa: SIM905
)


def _verb_not_noun(text: str, at: int) -> bool:
    """Whether a word of speech is a verb, not a noun after a determiner ("les juges")."""
    before = re.search(r"([\w'’]+)\s*$", text[max(0, at - 12) : at])
    word = before.group(1).lower() if before else ""
    if word in {"l'", "l’"}:  # "l'explique" (a pronoun), "l'écrivain" (a noun)
        whole = re.match(r"\w+", text[at:])
        return whole is not None and whole.group().endswith(
            ("e", "es", "ent", "ait", "aient", "a", "ont")
        )
    return word not in {"le", "la", "les", "un", "une", "des", "du", "ses", "son", "sa"}


def _after_a_preposition(before: str) -> bool:
    """Whether a name right after ``before`` is governed by a preposition ("à Bernard Kouchner")."""
    words: list[str] = re.findall(r"[\w’'-]+", before[-30:].lower())
    if not words:
        return False
    last = words[-1]
    if len(words) >= 2 and _ROLE.fullmatch(last):  # "du député Jean Leonetti": the role's
        return _after_a_preposition(before[: before.lower().rfind(last)])
    if last.endswith(("'", "’")) and last[:-1] in {"d", "l", "qu", "jusqu", "lorsqu"}:
        if last[:-1] == "l" and len(words) >= 2:
            return bool(words[-2] in _PREPOSITIONS)
        return last[:-1] == "d"
    if last in {"le", "la", "les"} and len(words) >= 2:
        return words[-2] in _PREPOSITIONS
    return last in _PREPOSITIONS


def _continuation(
    context: _Context, span: _Span, previous: Sequence[tuple[_Span, str | None]]
) -> str | None:
    """A quotation opening its paragraph, right after a quoted speaker: the same speaker."""
    text = context.text
    line_start = text.rfind("\n", 0, span.start) + 1
    if text[line_start : span.start].strip(" \t–—-"):
        return None
    if not previous or previous[-1][1] is None:
        return None
    last_span, speaker = previous[-1]
    between = text[last_span.end : span.start]
    if between.count("\n") > 2 or len(between) > 400:
        return None
    if any(re.match(r"\s*(?:Un|Une|An?)\s+[a-zà-ÿ]", line) for line in between.split("\n")[1:-1]):
        return None  # "Un emprunteur coincé … parvenait encore …": someone else, unnamed
    if any(
        last_span.end <= m.start < span.start and m.person and m.name != speaker
        for m in context.mentions
    ):
        return None
    line_end = text.find("\n", span.end)
    tail = text[span.end : line_end if line_end >= 0 else len(text)].strip()
    if not tail and span.inner.rstrip()[-1:] not in ".!?…":
        return None  # a headline
    return speaker


def _named_in(context: _Context, start: int, stop: int, span: _Span) -> str | None:
    """The person or organisation named between ``start`` and ``stop`` ("un communiqué de l'Elysée")."""
    for mention in context.mentions:
        if start <= mention.start < stop:
            return mention.name
    phrase = context.text[start:stop]
    words = phrase.split()
    if not words:
        return None
    if words[0].lower() in _PRONOUNS:
        return _resolve_pronoun(context, words[0].lower(), span)
    run = _RUN.search(phrase)
    if run and (run.start() == 0 or phrase[: run.start()].split()[-1:] != []):
        before = phrase[: run.start()].split()
        if (
            not before
            or before[-1].lower() in {"l'", "l’", "le", "la", "de", "du", "the"}
            or (before[-1].lower().endswith(("l'", "l’")))
        ):
            return _resolve_name(context, run.group(), start + run.start())
    if words[0].lower() in _DEFINITE | {"l'", "l’"} and not _PLURAL_HEAD.match(phrase):
        described = _resolve_description(context, " ".join(words[:6]), span)
        if described is not None:
            return described
        return _body_named(context, phrase, span, start)
    if re.match(r"[Ll]['’][a-zà-ÿ]", phrase.strip()):
        return _body_named(context, phrase, span, start)  # "selon l'association"
    return None


def _resolve_name(context: _Context, name: str, position: int) -> str:
    """A surname, or a name with a title, resolved to the full name the text gave."""
    name = re.sub(
        r"^(?:M\.|Mme|Mlle|Me|Maître|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Pr\.?)\s+", "", name.strip()
    )
    name = name.strip(" ,.;:'’")
    for person in context.people:
        if person == name or person.endswith(" " + name):
            return person
    words = name.split()
    for person in context.people:
        if person in name:
            return person
    if len(words) > 1:
        # "Agence Claire Vasseur": a known first name starts the person
        for index in range(1, len(words) - 1):
            if first_name_gender(words[index]) is not None:
                return " ".join(words[index:])
    for organisation in context.organisations:
        if organisation == name or name.endswith(organisation):
            return organisation
    return name


# Nouns of writings that "say" things: a pronoun standing for one is the writing, not a person.
_WRITINGS = frozenset(
    """
    rapport texte document décret projet communiqué arrêt jugement avis courrier message livre
    ouvrage article étude enquête lettre note tract
    """.split()  # noqa: SIM905
)
_SENTENCE_SUBJECT = re.compile(
    r"\s*(?:(?:Mais|Et|Or|Pourtant|Enfin|Ainsi|Aussi|Cependant|Toutefois|De plus),?\s+)?"
    r"(?P<det>[Ll]e|[Ll]a|[Ll]['’]|[Cc]e|[Cc]ette)\s*(?P<noun>[a-zà-ÿ]+)\b"
)


def _document_subject(context: _Context, span: _Span, pronoun: str) -> str | None:
    """The writing a quotation's sentence opens on, when the incise's pronoun stands for it:
    "Mais le rapport reste ferme : « … », souligne-t-il" (a person there has a name or a role)."""
    text = context.text
    start = _lead_start(text, span.start)
    subject = _SENTENCE_SUBJECT.match(text, start, span.start)
    if subject is None or subject.group("noun") not in _WRITINGS:
        return None
    feminine = subject.group("det").lower() in {"la", "cette"} or subject.group("noun") in {
        "étude",
        "enquête",
        "lettre",
        "note",
    }
    if (pronoun == "elle") != feminine or pronoun not in {"il", "elle"}:
        return None
    if any(
        subject.end() <= m.start < span.start and m.person and not _complement(text, m)
        for m in context.mentions
    ):
        return None  # someone named after it may be the one speaking
    return subject.group("noun")


def _author_of(context: _Context, writing: str, span: _Span) -> str | None:
    """Who a writing is from, as the article named it before: "le rapport Leonetti", "le
    rapport du député Jean Leonetti", "un communiqué de l'Elysée"; None when it does not say."""
    text = context.text
    for found in reversed(list(re.finditer(rf"\b{writing}\b", text, re.IGNORECASE))):
        if found.start() >= span.start:
            continue
        window = text[found.end() : found.end() + 40]
        named = re.match(
            r"\s+(?:(?:du|de\s+la|de\s+l['’]|de|des|d['’])\s*(?:[a-zà-ÿ-]+\s+){0,2})?", window
        )
        at = found.end() + (named.end() if named else 0)
        mention = _mention_at(context, at)
        if mention is not None:
            return mention.name
    return None


def _resolve_pronoun(
    context: _Context, pronoun: str, span: _Span, position: int | None = None
) -> str | None:
    wanted = _PRONOUNS.get(pronoun)
    if wanted is None:
        return None  # ils, elles, on: several people, or nobody in particular
    at = span if position is None else _Span(position, position, position, "")
    speaker = _previous_speaker(context, at, wanted)
    return speaker if speaker is not None else _last_person(context, at, wanted)


def _previous_speaker(
    context: _Context, span: _Span, wanted: Gender | None, aside: tuple[int, int] | None = None
) -> str | None:
    """The last quotation's speaker, when nobody else who fits was named since (but in
    ``aside``, the words before a description in its own sentence)."""
    for last_span, speaker in reversed(context.previous):
        if speaker is None:
            continue
        between = context.text[last_span.end : span.start]
        if len(between) > 700 or not _fits(context, speaker, wanted):
            return None
        lines = between.split("\n")[1:-1]
        if lines and not (wanted is not None and all(_opens_on(line, wanted) for line in lines)):
            return None  # a paragraph in between, unless it goes on about the same one: "Il …"
        if speaker not in context.people and first_name_gender(speaker) is None:
            return None
        sentence_start = _lead_start(context.text, span.start)
        for mention in context.mentions:
            if (
                last_span.end <= mention.start < span.start
                and mention.person
                and mention.name != speaker
                and not (aside is not None and aside[0] <= mention.start < aside[1])
                and not _inside_quote(context, mention.start)
                and not _after_a_preposition(
                    context.text[max(0, mention.start - 30) : mention.start]
                )
                and not (mention.start >= sentence_start and _complement(context.text, mention))
                and _fits(context, mention.name, wanted)
            ):
                return None
        return speaker
    return None


def _opens_on(line: str, wanted: Gender) -> bool:
    """Whether a paragraph opens on the pronoun of that gender ("Il fait valoir que …")."""
    pronoun = re.match(r"\s*(?:(?:Mais|Et|Puis|Enfin|Ensuite|Or),?\s+)?(Il|Elle|He|She)\s", line)
    return pronoun is not None and _PRONOUNS[pronoun.group(1).lower()] is wanted


def _resolve_description(
    context: _Context, description: str, span: _Span, position: int | None = None
) -> str | None:
    """ "le procureur": the person the article gave that role, else the last person who fits.

    A description that is not of a person ("l'adresse", "le rapport") names nobody; one that
    holds a name ("le général Padilla") is that person.
    """
    if position is not None:
        for mention in context.mentions:
            if position <= mention.start < position + len(description) and mention.person:
                return mention.name
    words = [w for w in re.split(r"[\s'’]+", description.lower()) if w]
    if not words:
        return None
    role = _role_in(description)
    if role is None or role.start() > 40:
        return None
    wanted: Gender | None = None
    if words[0] in {"la", "cette"} or (
        words[0] in {"l", "l'"} and len(words) > 1 and words[1].endswith(("e", "rice"))
    ):
        wanted = Gender.FEMININE
    elif words[0] in {"le", "ce", "cet"}:
        wanted = Gender.MASCULINE
    noun = role.group().lower().split()[-1]
    content = {
        w
        for w in re.findall(r"\w[\w-]+", description[role.start() :].lower())
        if w not in _PREPOSITIONS and w not in _NOT_VERB and len(w) > 2
    }
    scored: list[tuple[int, int, str]] = []
    for name, roles in _roles(context).items():
        if not _fits(context, name, wanted):
            continue
        for given, at in roles:
            if noun in given.lower().split():
                overlap = len(content & set(re.findall(r"\w[\w-]+", given.lower())))
                scored.append((overlap, at if at < span.start else -at, name))
    if scored:
        return max(scored)[2]
    # "Prié de dire si Armstrong …, le Belge a répondu": not someone its own sentence names before
    aside = (_lead_start(context.text, position), position) if position is not None else None
    speaker = _previous_speaker(context, span, wanted, aside)
    return speaker if speaker is not None else _last_person(context, span, wanted, aside)


def _body_named(
    context: _Context, description: str, span: _Span, position: int | None = None
) -> str | None:
    """ "la fédération": the organisation the article names by that noun ("Fédération bancaire
    française"), the last one before the quotation, else the first after; none when several
    different ones are named before it."""
    words = re.split(r"[\s'’]+", description.strip())
    if len(words) < 2 or words[0].lower() not in _DEFINITE | {"l"} or not words[1][:1].islower():
        return None
    noun = words[1].casefold()
    named = [
        m
        for m in context.mentions
        if not m.person and m.name.split()[0].casefold() == noun and len(m.name.split()) > 1
    ]
    before = [m for m in named if m.start < span.start]
    if len({m.name for m in before}) > 1:
        return None
    if before:
        return before[-1].name
    if named:
        return named[0].name
    if noun in _BODY_KINDS or noun in _BODY_HEADS:
        # "selon l'Afub : « … »", then "L'association évoque « … »"
        return _previous_body(context, span, span.start if position is None else position)
    return None


def _previous_body(context: _Context, span: _Span, position: int) -> str | None:
    """The last quotation's speaker when it is an organisation and no other one was named between
    it and the description at ``position`` (a person cannot be "la banque")."""
    for last_span, speaker in reversed(context.previous):
        if last_span.end > span.start:
            continue
        between = context.text[last_span.end : span.start]
        if speaker is None or len(between) > 700 or between.count("\n") > 1:
            return None
        if speaker not in context.organisations:
            return None
        if any(
            last_span.end <= m.start < position and not m.person and m.name != speaker
            for m in context.mentions
        ):
            return None
        return speaker
    return None


def _roles(context: _Context) -> dict[str, list[tuple[str, int]]]:
    """The roles the text gives each person: "la ministre X" / "X, porte-parole du parti,"."""
    if context.roles is not None:
        return context.roles
    roles: dict[str, list[tuple[str, int]]] = {}
    text = context.text
    for mention in context.mentions:
        if not mention.person:
            continue
        before = text[max(0, mention.start - 70) : mention.start]
        line = before.rsplit("\n", 1)[-1]
        found = re.search(
            r"(?:^|[\s,(])(?:[Ll]e|[Ll]a|[Ll]['’]|[Tt]he|[Uu]n|[Uu]ne|[Ss]on|[Ss]a)?\s*"
            r"(?P<r>[^,.;:!?«»()\n]{0,25}?\b(?:"
            + _ROLE.pattern
            + "|"
            + _DEMONYMS
            + r")[^,.;:!?«»()\n]{0,50}?)\s*,?\s*$",
            line,
        )
        if found:
            roles.setdefault(mention.name, []).append((found.group("r").strip(), mention.start))
        after = re.match(
            r"\s*,\s*(?:[Ll]e |[Ll]a |[Ll]['’]|[Uu]n |[Uu]ne |[Ss]on |[Ss]a |the |an? )?"
            r"(?P<r>[^,.;:!?«»()\n]{0,60})",
            text[mention.end : mention.end + 90],
        )
        if after and _role_in(after.group("r")[:30]):
            roles.setdefault(mention.name, []).append((after.group("r").strip(), mention.start))
    context.roles = roles
    return roles


# Endings of verbs (infinitives, participles, imperfects): a name after one is its object.
_VERB_ENDINGS = ("er", "ir", "re", "é", "ée", "és", "ées", "ant", "ait", "aient", "it", "ent")


def _complement(text: str, mention: _Mention) -> bool:
    """A name right after a common noun is its complement: "la loi Leonetti", "les titres Allianz"."""
    window = text[max(0, mention.start - 40) : mention.start]
    before = re.search(r"(?:^|[\s'’])([\w-]+) $", window)
    if before is None:
        return False
    word = before.group(1)
    ahead = window[: before.start(1)]
    if word in {"et", "ou", "and", "or"}:  # "des parlementaires UMP et PS": as the first one is
        first = re.search(r"([A-ZÀ-Ý][\w'’-]*)\s+$", ahead)
        at = mention.start - len(window) + first.start(1) if first else -1
        return first is not None and _complement(text, _Mention(at, at, "", False))
    if word[:1].islower() and re.search(r"(?:^|[,.;:!?\n])\s*$", ahead):
        return False  # "Or, relève Etienne Tête, …": a verb, then its subject
    if re.search(
        r"(?:^|\s)(?:[Dd]es|[Ll]es|[Cc]es|[Pp]lusieurs|[Cc]ertains|[Cc]ertaines)\s+$", ahead
    ) and (word[:1].islower() and word.endswith(("s", "x"))):
        return True  # "des parlementaires UMP", "les députés PS": a group, not the body
    return (
        word[:1].islower()
        and not word.endswith(_VERB_ENDINGS)
        and not _ROLE.fullmatch(word)
        and not _DEMONYM.fullmatch(word.capitalize())  # "le barreur français Nicolas X"
        and word.lower() not in _BODY_KINDS  # "le groupe Caisse d'Epargne"
        and word.lower() not in _NOT_VERB | _PREPOSITIONS
        and word.lower() not in _TIME_WORDS
        and not _SPEECH.match(word)
    )


def _last_person(
    context: _Context, span: _Span, wanted: Gender | None, aside: tuple[int, int] | None = None
) -> str | None:
    """The last person before the quotation whose gender fits: its speaker first, else a subject
    (none named in ``aside``)."""
    for mention in reversed(context.mentions):
        if mention.start >= span.start or not mention.person:
            continue
        if aside is not None and aside[0] <= mention.start < aside[1]:
            continue
        if _inside_quote(context, mention.start) or _complement(context.text, mention):
            continue
        if not _fits(context, mention.name, wanted):
            continue
        before = context.text[max(0, mention.start - 6) : mention.start].lower().split()
        if before and before[-1].strip("'’") in {"à", "au", "aux", "avec", "par", "contre"}:
            continue
        return mention.name
    return None


def _fits(context: _Context, name: str, wanted: Gender | None) -> bool:
    if wanted is None:
        return True
    if name not in context.genders:
        context.genders[name] = gender(name, context.text)
    known = context.genders[name]
    return known is None or known is wanted


def _mention_at(context: _Context, position: int) -> _Mention | None:
    for mention in context.mentions:
        if mention.start == position:
            return mention
        if mention.start > position:
            break
    return None


def _inside_quote(context: _Context, position: int) -> bool:
    return any(s.inner_start <= position < s.inner_start + len(s.inner) for s in context.spans)


def _clause_end(text: str, start: int) -> int:
    """The end of the sentence that goes on after a quotation (at most 200 characters)."""
    match = _CLAUSE_END.search(text, start)
    end = match.start() if match else len(text)
    return min(end, start + 200)


def _lead_start(text: str, position: int) -> int:
    line_start = text.rfind("\n", 0, position) + 1
    start = max(line_start, position - 300)
    for match in _SENTENCE_END.finditer(text, start, position):
        start = match.end()
    return start


def _sentence_around(text: str, start: int, end: int) -> str:
    left = _lead_start(text, start)
    right_match = _SENTENCE_STOP.search(text, end)
    right = right_match.end() if right_match else len(text)
    return text[left:right].strip()


def speakers_of(quotes: Iterable[Quote]) -> list[str]:
    """The named speakers of some quotations, first quoted first."""
    return list(dict.fromkeys(q.speaker for q in quotes if q.speaker))
