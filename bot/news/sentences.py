"""Sentence splitting for French and English press text.

blingfire does the segmentation (it handles abbreviations and French punctuation well); before it,
sentences glued by a lost paragraph break (``domestique.Consternant``) are separated, and after it,
closing quotation marks that blingfire leaves at the start of the next sentence are moved back.
"""

from __future__ import annotations

import re

import blingfire

# "domestique.Consternant", "Borrell.L'exécutif", "précise-t-il.Colonies", "en 1945.Pas",
# "(FN).Sur", "Français".Alors", "bureau.HOLLANDE" but not "M.Dupont", "U.S.A", "www.site.fr",
# "3.5" or "Ph.D" (the next sentence must start with a capital and a lower-case letter, a quotation
# mark, a dash or a word in capitals).
# Each pattern matches the mark that ends the first sentence, then looks behind it: a search
# that starts on a mark is much faster than looking behind every character.
_GLUED = re.compile(
    r"[.!?](?:(?<=[a-zà-ÿ]{2}[.!?])|(?<=[0-9)%\"”»][.!?]))"
    r"(?=[A-ZÀ-Ý][a-zà-ÿ'’]|[A-ZÀ-Ý]{2}|- |[\"“«] ?[A-ZÀ-Ý])"
)
# "mères""La France", "tenir"François": a closing quotation mark glued to the next sentence.
_GLUED_QUOTE = re.compile(r"[\"”»](?<=[a-zà-ÿ.!?…][\"”»])(?=[\"“«]?[A-ZÀ-Ý][a-zà-ÿ'’])")
_CLOSERS = ("»", "”", '"', ")")
_WORD = re.compile(r"\w+")


def unglue(text: str) -> str:
    """Mark with a newline the break lost between two sentences: ``domestique.Consternant``."""
    text = _GLUED.sub("\\g<0>\n", text)  # the mark kept, a newline after it
    return _GLUED_QUOTE.sub("\\g<0>\n", text)


def split_paragraph(paragraph: str) -> list[str]:
    paragraph = unglue(" ".join(paragraph.split()))
    if not paragraph:
        return []
    raw = [
        s.strip()
        for piece in paragraph.split("\n")
        for s in blingfire.text_to_sentences(piece).split("\n")
        if s.strip()
    ]
    merged: list[str] = []
    for sentence in raw:
        # A closing mark blingfire put at the start of this sentence belongs to the previous one.
        while merged and sentence[:1] in _CLOSERS and _is_closing(" ".join(merged), sentence[0]):
            merged[-1] += " " + sentence[0] if sentence[0] == "»" else sentence[0]
            sentence = sentence[1:].lstrip()
        if not sentence:
            continue
        # A fragment with no letters (a lone "…", "»") joins the previous sentence.
        if merged and not _WORD.search(sentence):
            merged[-1] += " " + sentence
            continue
        merged.append(sentence)
    return merged


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences; paragraphs (blank-line or newline separated) never merge."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        sentences.extend(split_paragraph(paragraph))
    return sentences


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _is_closing(previous: str, mark: str) -> bool:
    """Whether ``mark`` closes a quotation left open in ``previous``."""
    if mark == "»":
        return previous.count("«") > previous.count("»")
    if mark == "”":
        return previous.count("“") > previous.count("”")
    if mark == ")":
        return previous.count("(") > previous.count(")")
    return previous.count('"') % 2 == 1
