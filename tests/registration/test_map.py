"""The /progression map: the shipped outlines (every department, Corsica in place, the overseas
departments and Paris in their insets), the colour classes, the legend and attribution, and the
map drawn once per colouring."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from bot.i18n import Catalog
from bot.registration import map as department_map
from bot.registration.departments import departments
from bot.registration.map import CLASSES, NO_FIGURES, class_of, colour, outlines
from bot.registration.models import Counts, DepartmentProgress
from bot.resources import reference


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _progress(code: str, registered: int, total: int) -> DepartmentProgress:
    department = departments().by_code(code)
    assert department is not None
    counts = Counts(total=total, registered=registered, unregistered=total - registered)
    return DepartmentProgress(department, counts)


def test_every_department_has_an_outline() -> None:
    geo = outlines()
    assert sorted(geo.rings) == sorted(d.code for d in departments().all())
    assert all(len(r) >= 3 for rings in geo.rings.values() for r in rings)
    assert all(geo.rings.values())


def test_the_shipped_file_is_small_and_names_its_source() -> None:
    raw = reference("geo", "departements.json").read_bytes()
    data = json.loads(raw)
    assert len(raw) < 200_000
    assert "IGN Admin Express" in data["source"]
    assert "Licence Ouverte" in data["licence"]
    readme = reference("geo", "README.md").read_text("utf-8")
    assert "Licence Ouverte" in readme and "IGN Admin Express" in readme


def test_corsica_is_south_east_of_the_mainland() -> None:
    geo = outlines()
    corsica = np.concatenate(geo.rings["2A"] + geo.rings["2B"])
    var = np.concatenate(geo.rings["83"])
    assert corsica[:, 0].min() > var[:, 0].max() - 0.5
    assert corsica[:, 1].max() < var[:, 1].min() + 0.5


@pytest.mark.parametrize("codes", [("971",), ("972",), ("973",), ("974",), ("976",), ("75", "92")])
def test_the_insets_sit_in_their_boxes(codes: tuple[str, ...]) -> None:
    geo = outlines()
    ((x0, y0, x1, y1),) = [box for inset, box in geo.boxes if set(codes) <= set(inset)]
    for code in codes:
        points = np.concatenate(geo.rings[code])
        assert points[:, 0].min() >= x0 and points[:, 0].max() <= x1
        assert points[:, 1].min() >= y0 and points[:, 1].max() <= y1


def test_the_insets_are_below_metropolitan_france() -> None:
    geo = outlines()
    mainland = min(float(np.concatenate(geo.rings[c])[:, 1].min()) for c in ("2A", "66", "64"))
    assert all(box[3] < mainland for _, box in geo.boxes)


@pytest.mark.parametrize(
    ("share", "expected"),
    [(0, 0), (24.9, 0), (25, 1), (49.9, 1), (50, 2), (79.9, 2), (80, 3), (99.9, 3), (100, 4)],
)
def test_share_classes(share: float, expected: int) -> None:
    assert class_of(share) == expected
    assert colour(share) == CLASSES[expected][1]


def test_no_figures_has_its_own_colour() -> None:
    assert (class_of(None), colour(None)) == (None, NO_FIGURES)


def test_shares_leave_out_departments_without_officers() -> None:
    shown = [_progress("56", 1, 4), _progress("29", 0, 0)]
    assert department_map.shares(shown) == {"56": 25.0}


@pytest.mark.parametrize(
    ("locale", "labels"),
    [
        (
            "fr",
            [
                "moins de 25\u00a0%",
                "de 25 à 50\u00a0%",
                "de 50 à 80\u00a0%",
                "de 80 à 100\u00a0%",
                "tous inscrits",
                "aucun chiffre affiché",
            ],
        ),
        (
            "en",
            [
                "under 25%",
                "25% to 50%",
                "50% to 80%",
                "80% to 100%",
                "all registered",
                "no figures shown",
            ],
        ),
    ],
)
def test_legend(catalog: Catalog, locale: str, labels: list[str]) -> None:
    entries = department_map.legend_entries(catalog, locale)  # type: ignore[arg-type]
    assert [label for label, _ in entries] == labels
    assert [c for _, c in entries] == [c for _, c in CLASSES] + [NO_FIGURES]


def _colour_count(png: bytes, hex_colour: str) -> int:
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    return int((pixels == np.array(_rgb(hex_colour))).all(axis=2).sum())


def test_the_map_is_filled_by_share(catalog: Catalog) -> None:
    """Brittany all registered: the map has the full class's green over a department's area
    (the legend's square alone is about 10 by 10 pixels); nobody: none of that green but the
    legend's."""
    brittany = [_progress(code, 3, 3) for code in ("22", "29", "35", "56")]
    filled = department_map.department_map(catalog, brittany, "fr")
    empty = department_map.department_map(catalog, [], "fr")
    assert filled.startswith(b"\x89PNG\r\n\x1a\n")
    green = CLASSES[-1][1]
    assert _colour_count(filled, green) > 2_000
    assert _colour_count(empty, green) < 300
    assert _colour_count(empty, NO_FIGURES) > _colour_count(filled, NO_FIGURES)


def test_the_map_is_drawn_once_per_colouring(catalog: Catalog) -> None:
    first = department_map.map_pixels(catalog, {"56": 30.0, "29": 90.0}, "fr", 400, 500)
    same_classes = department_map.map_pixels(catalog, {"56": 40.0, "29": 85.0}, "fr", 400, 500)
    other_class = department_map.map_pixels(catalog, {"56": 60.0, "29": 85.0}, "fr", 400, 500)
    assert first is same_classes
    assert other_class is not first
    assert first.shape == (500, 400, 3)
    assert not first.flags.writeable
