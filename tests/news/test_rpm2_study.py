"""The RPM2 selection study's leave-one-topic-out folds and its rebuilt shipped score
(``benchmarks/rpm2_selection_study.py``)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest

from tests.support.benchmark_modules import load_benchmark

ARTICLES = [
    [
        "Le gouvernement a annoncé lundi une aide de dix milliards d'euros aux six grandes banques "
        "du pays.",
        "Cette somme doit leur permettre de prêter davantage aux ménages et aux entreprises.",
        "Les banques se sont engagées en retour à revoir les indemnités de départ de leurs "
        "dirigeants.",
        "La Bourse de Paris a salué la nouvelle par une forte hausse dans la matinée.",
        "Le ministre de l'Économie a rappelé que l'État ne deviendrait pas actionnaire des banques.",
    ],
    [
        "Les six grandes banques du pays recevront dix milliards d'euros de l'État, a annoncé le "
        "gouvernement.",
        "Le Crédit agricole recevra la plus grosse part de cette aide publique aux banques.",
        "Les dirigeants des banques assurent pourtant qu'ils n'avaient pas besoin de cet argent.",
        "L'opposition dénonce un cadeau fait aux banques sans contrepartie suffisante pour les "
        "salariés.",
    ],
    [
        "L'aide de l'État aux banques plaît à la Bourse, qui a fini la journée en nette hausse.",
        "Les valeurs bancaires ont gagné près de dix pour cent à la clôture de la séance de lundi.",
        "Les analystes jugent toutefois la situation des banques encore fragile après la crise.",
        "Une nouvelle réunion entre le gouvernement et les banquiers est prévue la semaine "
        "prochaine.",
    ],
]


@pytest.fixture(scope="module")
def study() -> ModuleType:
    return load_benchmark("rpm2_selection_study")


def item(study: ModuleType, name: str) -> Any:
    return study.Item(
        name,
        ARTICLES,
        ["L'État aide les banques", "Dix milliards pour les banques", "La Bourse applaudit"],
        ["Le gouvernement aide six banques avec dix milliards d'euros."],
        "fr",
        {},
    )


def test_folds_keep_the_clusters_of_a_topic_together(study: ModuleType) -> None:
    items = [item(study, n) for n in ("T01_C1", "T01_C2", "T02_C1", "T03_C1", "T03_C2")]
    assert study.topic_folds(items) == [
        ([2, 3, 4], [0, 1]),
        ([0, 1, 3, 4], [2]),
        ([0, 1, 2], [3, 4]),
    ]


@pytest.mark.parametrize("budget", [15, 30, 45, 100])
def test_the_rebuilt_score_and_selection_give_the_shipped_summary(
    study: ModuleType, budget: int
) -> None:
    cluster = item(study, "T01_C1")
    assert study.rescored_summary(cluster, study.Rescore(), budget) == study.ours(cluster, budget)


def test_the_rebuilt_score_is_the_shipped_score(
    study: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    summarise = study.S
    seen: list[Any] = []
    select = summarise._select

    def spy(candidates: list[Any], *args: Any) -> Any:
        seen.extend(candidates)
        return select(candidates, *args)

    monkeypatch.setattr(summarise, "_select", spy)
    cluster = item(study, "T01_C1")
    study.ours(cluster, study.BUDGET)
    shipped = {c.order: c.score for c in seen}
    rebuilt = {s.order: score for score, s in study.rescored(cluster, study.Rescore())}
    assert rebuilt.keys() == shipped.keys()
    assert rebuilt == pytest.approx(shipped)


def test_a_soft_redundancy_penalty_changes_the_choice(study: ModuleType) -> None:
    cluster = item(study, "T01_C1")
    shipped = study.rescored_summary(cluster, study.Rescore())
    assert study.rescored_summary(cluster, study.Rescore(mmr=5.0)) != shipped
