"""How the summary evaluation reads RPM2's hard-wrapped documents (``benchmarks/news_eval_lib``)."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.support.benchmark_modules import load_benchmark


@pytest.fixture(scope="module")
def lib() -> ModuleType:
    return load_benchmark("news_eval_lib")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Sarkozy avait dévoilé les détails du\nplan de sauvetage des banques.",
            "Sarkozy avait dévoilé les détails du plan de sauvetage des banques.",
        ),
        (
            "Il a estimé qu'il y avait\n« un lien » entre les deux.",
            "Il a estimé qu'il y avait « un lien » entre les deux.",
        ),
        (
            "Il ne s'agit pas de «rationnement»,\nmodère-t-il.",
            "Il ne s'agit pas de «rationnement», modère-t-il.",
        ),
    ],
)
def test_a_sentence_cut_by_a_line_break_is_read_whole(
    lib: ModuleType, text: str, expected: str
) -> None:
    assert lib.unwrap(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "La mère a été remise en liberté.\nelle attend le juge.",
        "Suppression d'emplois et augmentation de capital\nAutre conséquence de cette crise.",
        "Le point sur les manifestations :\nle 8 août, à Pékin.",
        "« C'est moi la maman »\n« Je demande à la justice de me le rendre. »",
    ],
)
def test_lines_that_end_a_sentence_or_start_one_stay_apart(lib: ModuleType, text: str) -> None:
    assert lib.unwrap(text) == text


def test_sentences_of_a_wrapped_document(lib: ModuleType) -> None:
    body = "Le sommet prévu lundi à Lyon a été\nreporté sine die.\nLa Chine proteste."
    assert lib.split_sentences(lib.unwrap(body)) == [
        "Le sommet prévu lundi à Lyon a été reporté sine die.",
        "La Chine proteste.",
    ]
