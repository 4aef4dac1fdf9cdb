"""One article's analysis: summary, figures, quotes, people and organisations, tone."""

from __future__ import annotations

from bot.errors import InvalidInput
from bot.news import entities as entity_rules
from bot.news.entities import find_entities, first_name_gender
from bot.news.figures import find_figures
from bot.news.grouping import Signature, signature
from bot.news.language import Language
from bot.news.models import Analysis, Document, Entities
from bot.news.quotes import quotes_and_names
from bot.news.sentences import split_sentences
from bot.news.summarise import load_word_tables, summarise
from bot.news.tone import tone

ARTICLE_WORDS = 60
MIN_WORDS = 5
MAX_WORDS_LIMIT = 1000


def check_max_words(max_words: int) -> int:
    """A summary's word budget as asked for, refused outside [5, 1000]."""
    if not MIN_WORDS <= max_words <= MAX_WORDS_LIMIT:
        raise InvalidInput("news.max_words.range", low=MIN_WORDS, high=MAX_WORDS_LIMIT)
    return max_words


def analyse(
    document: Document, max_words: int = ARTICLE_WORDS, *, use_model: bool = True
) -> Analysis:
    """The article's analysis; spaCy's French model helps name speakers in French articles."""
    sentences = split_sentences(document.text)
    rules = find_entities(document.text, document.author)
    found = quotes_and_names(
        document.text,
        rules.people,
        rules.organisations,
        use_model=use_model and document.language is Language.FR,
    )
    entities = Entities(tuple(found.people), tuple(found.organisations))
    return Analysis(
        language=document.language,
        sentences=tuple(sentences),
        summary=tuple(summarise(sentences, document.language, max_words, document.title)),
        figures=tuple(find_figures(sentences, document.language)),
        quotes=tuple(found.quotes),
        entities=entities,
        tone=tone(sentences, document.title),
    )


def prepare(*, use_model: bool = True) -> bool:
    """What the analysis reads on first use, loaded now: the named-entity model (unless
    ``use_model`` is false; whether it is installed is returned), the stop words and word
    frequencies of both languages, the first names' table. The bot calls it once at start, in a
    thread, so that the first article after a start waits for none of them."""
    for language in Language:
        load_word_tables(language)
    first_name_gender("")
    return use_model and entity_rules.model_available()


def analyse_with_signature(document: Document) -> tuple[Analysis, Signature]:
    """What an article is stored with: its analysis, and the signature that finds its copies."""
    return analyse(document), signature(document.text)
