"""What the analysis reads on first use is loaded by ``prepare``, which the bot calls at start."""

from __future__ import annotations

from bot.news import entities, summarise
from bot.news.analysis import analyse, prepare
from bot.news.language import Language
from bot.news.models import Document

FRENCH = Document(
    "Le parti lance son réseau",
    "Le parti lance son réseau social. « Nous sommes prêts », a déclaré Jean Dupont mardi.\n"
    "Deux mille adhérents se sont inscrits la première semaine.",
    Language.FR,
)
ENGLISH = Document(
    "The party launches its network",
    'The party launched its network. "We are ready," said John Smith on Tuesday.\n'
    "Two thousand members joined in the first week.",
    Language.EN,
)


def test_after_prepare_no_article_loads_a_word_table() -> None:
    summarise._rarity.cache_clear()
    summarise._stopwords.cache_clear()
    prepare(use_model=False)
    loaded = (summarise._rarity.cache_info().misses, summarise._stopwords.cache_info().misses)
    analyse(FRENCH, use_model=False)
    analyse(ENGLISH, use_model=False)
    summarise.summarise(["Une phrase assez longue pour un résumé, en français."], "fr", 60)
    after = (summarise._rarity.cache_info().misses, summarise._stopwords.cache_info().misses)
    assert after == loaded == (2, 2)  # one table per language, given as text or as enum


def test_prepare_says_whether_the_model_is_installed() -> None:
    assert prepare() is entities.model_available()
    assert prepare(use_model=False) is False
