"""The tone of an article (negative, neutral, positive) and the phrases that justify it.

A small French and English lexicon of word stems and set phrases, each with a weight; a negation
just before a word ("ne séduit pas", "loin du succès", "not a success") turns it around. The label
compares the negative and positive weights: one side must be well ahead, with two cues, or with
one where cues are dense (a short article with one clear judgement). A negative word that is being
remedied within its clause ("fix the problems", "a corrigé la plupart des pannes", "les pannes ont
toutes été réglées") counts for nothing; a cue in a clause that concedes a point ("Malgré quelques
critiques, …", "Despite early glitches, …") counts half, the judgement being in the main clause.
The evidence is each hit with the words around it inside its clause (cut at punctuation,
conjunctions and relative pronouns), never starting or ending on a function word, strongest first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.news.models import Tone, ToneLabel

# Stems: a trailing "*" matches any ending. Weight > 0 positive, < 0 negative.
_WORDS: dict[str, float] = {}
for _weight, _stems in (
    (
        -2.0,
        "flop fiasco ratage raté ratée désastre* catastroph* échec* bide scandale* humili* "
        "abject* failure* disaster* debacle fiasco shambles scandal* amateurisme consternant* "
        "pagaille cafouill* désaveu* blunder* dismal farce botch* disarray chaos fiasco "
        "désastreu* calamit* naufrage* débâcle* déroute* humiliat* turmoil chaotic",
    ),
    (
        -1.0,
        "mauvais* mauvaise* pire crise* critiqu* polémique* colère inquiét* déception* décevant* "
        "déçu* nerveu* ultimatum sanction* menac* démis grogne couac boud* désert* faible* "
        "recul* chute* baisse* perte* dénon* condamn* accus* ridicule* moqu* plainte* problème* "
        "panne* bug* dysfonction* piratage faille* fuite* lent* "
        "poor worst crisis critici* anger angry worr* disappoint* slow* declin* loss* losses "
        "threat* glitch* outage* weak* concern* backlash mock* fail* problem* trouble* "
        "struggl* sluggish erreur* affaibli* déconvenue* sifflet* boycott* clumsy hollow embarrass* "
        "mess divided misguid* incompet* awful terrible walkout "
        "faute* inutile* gâchis querelle* désol* tension* houleu* fronde* échou* divisé* "
        "difficil* chaotique* slump* lowest losing warn* infighting setback* shortfall* bitter*",
    ),
    (
        1.0,
        "succès réussi* réussite* séduit séduisant* enthousias* satisf* salu* progrès progress* "
        "record prometteu* encourag* innov* efficace* populaire* félicit* fier* fière* atout* "
        "dynamique* croissance engouement essor plébiscit* bienvenu* "
        "success* strong* growth gain* boost* improv* welcom* prais* popular enthusias* "
        "impressive promising win wins won best thriv* upbeat comble applaudi* réjou* convaincant* "
        "solide* avantage* inédit* rassur* amélior* excellent* brilliant remarkable triumph* "
        "exceptionnel* remarquabl* thank*",
    ),
):
    for _stem in _stems.split():
        _WORDS[_stem] = _weight

# Set phrases and their weights. Each starts a word: the \b is written once before them all in
# _ALL_PHRASES (one test at each position of a sentence rather than one per phrase).
_PHRASES: tuple[tuple[str, float], ...] = (
    (r"fait un flop\b", -2.0),
    (r"loin du succès\w*(?: escompté\w*)?", -2.0),
    (
        r"ne (?:séduit|convainc|décolle|marche|fonctionne|prend) (?:pas|guère|plus)\b"
        r"(?: grand monde| du tout)?",
        -2.0,
    ),
    (r"trop peu\b", -1.0),
    (r"voit rouge\b", -1.0),
    (r"mal vécue?s?\b", -1.0),
    (r"mauvais démarrage\b", -2.0),
    (r"bon démarrage\b|beau succès\b|franc succès\b", 2.0),
    (r"slow start\b|fell short\b|falls short\b", -2.0),
    (r"well received\b|strong start\b", 2.0),
    (
        r"dépass\w* (?:largement )?(?:les |l'|l’|ses |leurs |nos )?"
        r"(?:attentes|objectifs?|prévisions)\b",
        2.0,
    ),
    (
        r"(?:exceeded|beat|surpassed) (?:all |its |their |our )?(?:expectations|targets?)\b",
        2.0,
    ),
    (r"ahead of (?:plan|schedule|target)\b|above expectations\b", 2.0),
    (r"guerre des chefs\b|coûter(?:a|ont)? cher\b", -1.0),
)
# All the phrases in one pass: group p<i> is phrase i.
_ALL_PHRASES = re.compile(
    r"\b(?:" + "|".join(f"(?P<p{i}>{pattern})" for i, (pattern, _) in enumerate(_PHRASES)) + ")",
    re.IGNORECASE,
)
_NEGATORS = frozenset(
    """
    ne n' n’ pas plus guère jamais point aucun aucune sans loin peu not no never without
    hardly n't
    """.split()  # noqa: SIM905
)
_TOKEN = re.compile(r"[\w’'-]+")
_CLAUSE = re.compile(r"[.;:!?«»“”\"()]|,\s|\s[-–—]\s")
# Words that open a new clause: the evidence stops at them.
_BOUNDARIES = frozenset(
    """
    et ou mais car donc puis qui que qu' qu’ dont lorsque quand tandis alors
    and or but because while whereas which who whom that when although though
    """.split()  # noqa: SIM905
)
# Words an evidence phrase must not start on, and, with articles and the like, not end on.
_LEADING = _BOUNDARIES | frozenset(
    """
    de d' d’ du des à au aux en dans sur sous par pour avec sans vers chez avant après depuis
    pendant entre contre selon y se s' s’ ne n' n’
    of to in on at by for with from into as since before after during against
    """.split()  # noqa: SIM905
)
_TRAILING = _LEADING | frozenset(
    """
    le la les l' l’ un une son sa ses leur leurs ce cet cette ces très plus
    a an the its their his her our this these those is are was were be been very more
    """.split()  # noqa: SIM905
)
# Determiners kept when the window would cut them from their noun ("Le lancement est un fiasco").
_DETERMINERS = frozenset(
    """
    le la les l' l’ un une ce cet cette ces son sa ses leur leurs notre nos votre vos
    the a an this these those its their his her our your
    """.split()  # noqa: SIM905
)
# A negative word after one of these is being fixed, not deplored ("fix the problems").
_REMEDIES = (
    "fix",
    "solv",
    "resolv",
    "address",
    "tackl",
    "repair",
    "corrig",
    "résou",
    "résol",
    "régl",
    "remédi",
    "répar",
)
_AROUND = 3  # words kept on each side of the cue, inside its clause
_EVIDENCE = 5


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    weight: float
    sentence: str


@lru_cache(maxsize=65536)
def _stem_weight(word: str) -> float:
    word = word.lower().replace("’", "'").split("'")[-1]
    if word in _WORDS:
        return _WORDS[word]
    for size in range(len(word), 2, -1):
        weight = _WORDS.get(word[:size] + "*")
        if weight is not None:
            return weight
    return 0.0


def tone(sentences: Sequence[str], title: str = "") -> Tone:
    hits: list[_Hit] = []
    words = 0
    for sentence in ([title] if title else []) + list(sentences):
        found = _TOKEN.findall(sentence)
        words += len(found)
        hits.extend(_hits(sentence, found))
    negative = -sum(h.weight for h in hits if h.weight < 0)
    positive = sum(h.weight for h in hits if h.weight > 0)
    score = (positive - negative) * 100 / max(words, 1)
    label = ToneLabel.NEUTRAL
    if _leans(negative, positive, -score):
        label = ToneLabel.NEGATIVE
    elif _leans(positive, negative, score):
        label = ToneLabel.POSITIVE
    negative_side = label is ToneLabel.NEGATIVE
    side = (
        [h for h in hits if (h.weight < 0) == negative_side] if label != ToneLabel.NEUTRAL else []
    )
    side.sort(key=lambda h: h.weight if negative_side else -h.weight)
    evidence: list[str] = []
    for hit in side:
        phrase = _phrase(hit)
        if phrase and not any(phrase in e or e in phrase for e in evidence):
            evidence.append(phrase)
        if len(evidence) == _EVIDENCE:
            break
    return Tone(label, round(score, 2), tuple(evidence))


# One side's weight at least SIDE_WEIGHT (two cues), or at least 1 (one cue) where the cues are
# dense (a short article with one clear judgement); always well ahead of the other side.
SIDE_WEIGHT = 2.0
DENSE = 3.0
# A clause that concedes a point ("Malgré quelques critiques, …", "Despite early glitches, …")
# is not where the article's judgement lies: its cues count half.
_CONCESSION = re.compile(
    r"\b(?:malgré|en dépit d[eu']?|bien que|même si|despite|in spite of|although|even though)"
    r"\b[^,;:.!?]*",
    re.IGNORECASE,
)
CONCEDED = 0.5


def _leans(side: float, other: float, density: float) -> bool:
    """Whether the weights lean to ``side`` (``density``: its lead per 100 words)."""
    if side <= 1.5 * other:
        return False
    return (side >= SIDE_WEIGHT and density >= 0.5) or (side >= 1 and density >= DENSE)


def _hits(sentence: str, words: Sequence[str]) -> list[_Hit]:
    """The cues of ``sentence``, whose tokens are ``words`` (``_TOKEN.findall``)."""
    hits: list[_Hit] = []
    covered: list[tuple[int, int]] = []
    for match in _ALL_PHRASES.finditer(sentence):
        weight = _PHRASES[int((match.lastgroup or "p0")[1:])][1]
        hits.append(_Hit(match.start(), match.end(), weight, sentence))
        covered.append((match.start(), match.end()))
    weights = list(map(_stem_weight, words))
    if not any(weights):
        return hits  # most sentences: no word of the lexicon, nothing more to read
    conceded = [m.span() for m in _CONCESSION.finditer(sentence)]
    tokens = list(_TOKEN.finditer(sentence))
    for index, token in enumerate(tokens):
        weight = weights[index]
        if not weight or (covered and any(s <= token.start() < e for s, e in covered)):
            continue
        before = [t.group().lower() for t in tokens[max(0, index - 3) : index]]
        after = [t.group().lower() for t in tokens[index + 1 : index + 2]]
        if weight < 0 and _remedied(sentence, tokens, index):
            continue
        start = token.start()
        if any(b in _NEGATORS or b.endswith("n't") for b in before) or (
            before[-1:] in (["ne"], ["n'"]) and after[:1] in (["pas"], ["plus"])
        ):
            weight = -weight if weight > 0 else -weight / 2
            negator = next(
                t
                for t in tokens[max(0, index - 3) : index]
                if t.group().lower() in _NEGATORS or t.group().lower().endswith("n't")
            )
            start = negator.start()
        if any(s <= token.start() < e for s, e in conceded):
            weight *= CONCEDED
        hits.append(_Hit(start, token.end(), weight, sentence))
    return hits


def _remedied(sentence: str, tokens: Sequence[re.Match[str]], index: int) -> bool:
    """A problem being fixed: "a corrigé la plupart des pannes", "glitches have been fixed"."""
    left = max((m.end() for m in _CLAUSE.finditer(sentence, 0, tokens[index].start())), default=0)
    right_match = _CLAUSE.search(sentence, tokens[index].end())
    right = right_match.start() if right_match else len(sentence)
    before = [t.group().lower() for t in tokens[max(0, index - 8) : index] if t.start() >= left]
    after = [t.group().lower() for t in tokens[index + 1 : index + 9] if t.end() <= right]
    return any(w.startswith(_REMEDIES) for w in before + after)


def _phrase(hit: _Hit) -> str:
    """The hit with up to three words on each side inside its clause, trimmed of function words."""
    sentence = hit.sentence
    left = max((m.end() for m in _CLAUSE.finditer(sentence, 0, hit.start)), default=0)
    right_match = _CLAUSE.search(sentence, hit.end)
    right = right_match.start() if right_match else len(sentence)
    before = [m.group() for m in _TOKEN.finditer(sentence, left, hit.start)]
    after = [m.group() for m in _TOKEN.finditer(sentence, hit.end, right)]
    for index in range(len(before) - 1, -1, -1):
        if _key(before[index]) in _BOUNDARIES:
            before = before[index + 1 :]
            break
    for index, word in enumerate(after):
        if _key(word) in _BOUNDARIES:
            after = after[:index]
            break
    cut = len(before) - _AROUND
    before = (
        before[cut - 1 :]
        if cut > 0 and _key(before[cut - 1]) in _DETERMINERS
        else before[-_AROUND:]
    )
    after = after[:_AROUND]
    while before and _key(before[0]) in _LEADING:
        before.pop(0)
    while after and _key(after[-1]) in _TRAILING:
        after.pop()
    cue = " ".join(sentence[hit.start : hit.end].split())
    return " ".join([*before, cue, *after]).strip(" ,")


def _key(word: str) -> str:
    return word.lower()


def tone_strength(value: Tone) -> float:
    return math.copysign(min(abs(value.score), 10.0), value.score)
