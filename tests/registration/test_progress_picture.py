"""The /progression picture as Pillow draws it: a PNG of the expected size, the map's departments
filled by their share registered (pixels sampled inside each outline), the forecast and the
deadline drawn on the curve, nothing in the file but the pixels, and departments under
PUBLIC_MIN_OFFICERS left without figures."""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageColor, ImageDraw

from bot.charts import Kept
from bot.clock import FixedClock
from bot.config import Settings
from bot.i18n import Catalog
from bot.registration import charts as charts_module
from bot.registration import map as department_map
from bot.registration.charts import (
    BLUE,
    CURVE_HEIGHT,
    CURVE_WIDTH,
    DEADLINE_LINE,
    MAP_WIDTH,
    MIN_HEIGHT,
    ROW,
    date_ticks,
    picture_key,
    progress_chart,
)
from bot.registration.departments import departments
from bot.registration.map import CLASSES, NO_FIGURES, outlines, placement
from bot.registration.models import Counts, CurvePoint, DepartmentProgress, Progress
from bot.registration.progress import forecast
from bot.registration.service import RegistrationService
from bot.storage.database import Database
from tests.registration.conftest import roster_bytes, signups_bytes

TODAY = date(2010, 3, 1)


def _department(code: str, registered: int, total: int) -> DepartmentProgress:
    found = departments().by_code(code)
    assert found is not None
    counts = Counts(total=total, registered=registered, unregistered=total - registered)
    return DepartmentProgress(found, counts)


def _progress(
    shown: list[DepartmentProgress],
    registered: int = 10,
    total: int = 40,
    deadline: date | None = date(2010, 3, 31),
    pace: float = 1.5,
) -> Progress:
    counts = Counts(total=total, registered=registered, unregistered=total - registered)
    curve = [CurvePoint(TODAY - timedelta(days=9 - n), registered * n // 9) for n in range(10)]
    return Progress(
        region=None,
        counts=counts,
        today=TODAY,
        deadline=deadline,
        days_left=(deadline - TODAY).days if deadline else None,
        pace_per_day=pace,
        forecast=forecast(counts.missing, pace, TODAY),
        behind=[],
        departments=shown,
        curve=curve,
    )


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _inside(code: str, width: int, height: int) -> np.ndarray:
    """A mask of the pixels well inside ``code``'s outlines on a map panel of that size (its
    outline rasterised at the map's placement, then eroded away from the edges)."""
    where = placement(width, height)
    mask = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(mask)
    for ring in outlines().rings[code]:
        draw.polygon([where.pixel(x, y) for x, y in ring], fill=255)
    inner = np.asarray(mask) == 255
    for _ in range(2):  # two pixels away from every edge
        inner = inner & np.roll(inner, 1, 0) & np.roll(inner, -1, 0)
        inner = inner & np.roll(inner, 1, 1) & np.roll(inner, -1, 1)
    return inner


@pytest.mark.parametrize(("count", "rows"), [(2, 4), (16, 16), (20, 17)])
def test_the_picture_is_a_png_of_the_expected_size(catalog: Catalog, count: int, rows: int) -> None:
    """Under 17 departments, one bar each; more, the 8 at each end and a gap; never less than
    the map's height."""
    codes = [d.code for d in departments().all()][:count]
    png = progress_chart(catalog, _progress([_department(c, 1, 5) for c in codes]), "fr")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()
    expected = (CURVE_WIDTH + MAP_WIDTH, max(CURVE_HEIGHT + ROW * rows, MIN_HEIGHT))
    assert (image.format, image.mode, image.size) == ("PNG", "RGB", expected)


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_map_fills_each_department_by_its_share(catalog: Catalog, locale: str) -> None:
    shown = [
        _department("29", 4, 4),  # all registered
        _department("56", 1, 4),  # 25 %: the second class
        _department("13", 3, 5),  # 60 %: the third
        _department("974", 0, 6),  # none: the first (an inset)
        _department("75", 9, 10),  # 90 %: the fourth (the Paris inset)
    ]
    chart = _pixels(progress_chart(catalog, _progress(shown), locale))  # type: ignore[arg-type]
    panel = chart[:, CURVE_WIDTH:]
    expected = {"29": 4, "56": 1, "13": 2, "974": 0, "75": 3}
    for code, index in expected.items():
        assert _filled(panel, code, CLASSES[index][1]), code
        assert not _filled(panel, code, NO_FIGURES), code
    for code in ("35", "2A", "971"):  # no figures
        assert _filled(panel, code, NO_FIGURES), code


def _curve_part(chart: np.ndarray) -> np.ndarray:
    """Right of today on the curve (today is a quarter of the way to the deadline), above the
    bars."""
    return chart[: CURVE_HEIGHT - 100, CURVE_WIDTH // 2 : CURVE_WIDTH - 30]


def _filled(panel: np.ndarray, code: str, hex_colour: str) -> bool:
    """Whether ``code``'s outline on the map ``panel`` is filled with ``hex_colour``: all but a
    few of the pixels well inside it (where two of its rings touch, an edge shows)."""
    inside = panel[_inside(code, panel.shape[1], panel.shape[0])]
    share = (inside == np.array(ImageColor.getrgb(hex_colour))).all(axis=1).mean()
    return len(inside) > 10 and share > 0.97


def _count(part: np.ndarray, colour: tuple[int, int, int]) -> int:
    return int((part == np.array(colour)).all(axis=2).sum())


@pytest.mark.parametrize(
    ("progress", "forecast_drawn", "deadline_drawn"),
    [
        (_progress([]), True, True),
        (_progress([], registered=40), False, True),  # everyone registered: no forecast
        (_progress([], deadline=None), False, False),
    ],
)
def test_the_curve_has_the_forecast_to_the_deadline_and_the_deadline(
    catalog: Catalog, progress: Progress, forecast_drawn: bool, deadline_drawn: bool
) -> None:
    part = _curve_part(_pixels(progress_chart(catalog, progress, "fr")))
    assert (_count(part, BLUE) > 30) is forecast_drawn
    assert (_count(part, DEADLINE_LINE) > 100) is deadline_drawn


def _chunks(png: bytes) -> list[bytes]:
    kinds, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kinds.append(png[at + 4 : at + 8])
        at += 12 + length
    return kinds


def test_the_file_holds_the_pixels_and_nothing_else(catalog: Catalog) -> None:
    png = progress_chart(catalog, _progress([_department("29", 1, 5)]), "fr")
    assert _chunks(png) == [b"IHDR", b"IDAT", b"IEND"]


def test_the_same_figures_give_the_same_file(catalog: Catalog) -> None:
    """Rows deflated for an earlier picture are reused: the file is still the same."""
    shown = [_department("29", 1, 5), _department("56", 3, 5)]
    first = progress_chart(catalog, _progress(shown, registered=11), "fr")
    progress_chart(catalog, _progress(shown, registered=12), "fr")
    assert progress_chart(catalog, _progress(shown, registered=11), "fr") == first


async def _public(db: Database, catalog: Catalog, small_registered: bool) -> Progress:
    """Five officers in Morbihan, two in Finistère (under PUBLIC_MIN_OFFICERS = 5)."""

    clock = FixedClock(datetime(2010, 3, 1, 12, tzinfo=UTC))
    settings = Settings(registration_deadline=date(2010, 3, 31), public_min_officers=5)
    service = RegistrationService(db, clock, settings, catalog)
    rows = [f"M{i};Anne{i};Le Goff;56;m{i}@x.fr;" for i in range(5)]
    rows += [f"F{i};Luc{i};Roy;29;f{i}@x.fr;" for i in range(2)]
    await service.import_roster(roster_bytes(*rows), "r.csv", "cli", apply=True)
    signups = [f"S{i},Anne{i} Le Goff,m{i}@x.fr,56000,2010-02-26 10:00" for i in range(3)]
    if small_registered:
        signups += [f"T{i},Luc{i} Roy,f{i}@x.fr,29000,2010-02-26 10:00" for i in range(2)]
    await service.import_signups(signups_bytes(*signups), "s.csv", "cli")
    return await service.progress()


async def test_a_small_department_shows_no_figures(
    db: Database, catalog: Catalog, tmp_path: Path
) -> None:
    """Finistère's two officers registered or not: its outline is grey and the map is the same
    picture; Morbihan (five officers) is shown."""
    progress = await _public(db, catalog, small_registered=True)
    assert [d.department.code for d in progress.departments] == ["56"]
    chart = _pixels(progress_chart(catalog, progress, "fr"))
    panel = chart[:, CURVE_WIDTH:]
    assert _filled(panel, "29", NO_FIGURES)
    assert _filled(panel, "56", CLASSES[2][1])  # 60 %
    other = await Database.open(tmp_path / "other.sqlite3")
    try:
        unregistered = await _public(other, catalog, small_registered=False)
    finally:
        await other.close()
    assert unregistered.counts.registered == progress.counts.registered - 2
    assert (_pixels(progress_chart(catalog, unregistered, "fr"))[:, CURVE_WIDTH:] == panel).all()


def test_the_map_alone_is_the_map_of_the_picture(catalog: Catalog) -> None:
    shown = [_department("29", 4, 4)]
    chart = _pixels(progress_chart(catalog, _progress(shown), "fr"))
    drawn = department_map.map_pixels(catalog, {"29": 100.0}, "fr", MAP_WIDTH, chart.shape[0])
    assert (chart[:, CURVE_WIDTH:] == drawn).all()


@pytest.mark.parametrize(
    ("first", "last", "locale", "labels"),
    [
        (
            date(2026, 11, 28),
            date(2026, 12, 2),
            "fr",
            ["28/11", "29/11", "30/11", "01/12", "02/12"],
        ),
        (
            date(2026, 11, 20),
            date(2026, 12, 2),
            "fr",
            ["20/11", "22/11", "24/11", "26/11", "28/11", "30/11", "02/12"],
        ),
        (date(2026, 11, 1), date(2026, 11, 30), "fr", ["01/11", "08/11", "15/11", "22/11"]),
        (date(2026, 10, 20), date(2026, 12, 21), "fr", ["01/11", "15/11", "01/12", "15/12"]),
        (date(2026, 10, 20), date(2026, 12, 21), "en", ["Nov 1", "Nov 15", "Dec 1", "Dec 15"]),
        (date(2026, 1, 10), date(2026, 6, 1), "fr", ["01/02", "01/03", "01/04", "01/05", "01/06"]),
    ],
)
def test_date_ticks(first: date, last: date, locale: str, labels: list[str]) -> None:
    ticks = date_ticks(first, last, locale)  # type: ignore[arg-type]
    assert [label for _, label in ticks] == labels
    assert all(first <= day <= last for day, _ in ticks)


@pytest.mark.parametrize(
    "changed",
    [
        lambda shown: _progress(shown, registered=12),  # the title and the curve
        lambda shown: _progress([shown[0], _department("56", 4, 5)], registered=11),  # a bar
        lambda shown: _progress(shown, registered=11, deadline=date(2010, 4, 30)),
        lambda shown: _progress(shown, registered=11, pace=2.5),  # the forecast and its name
        lambda shown: _progress(shown, registered=11, pace=0.0),  # no forecast line any more
    ],
)
def test_a_picture_after_a_change_is_the_one_drawn_from_nothing(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch, changed: Callable[..., Progress]
) -> None:
    """The parts a change leaves as they were are reused, the curve drawn again where it moved
    only: the picture is still the same as one drawn with nothing kept."""
    shown = [_department("29", 1, 5), _department("56", 3, 5)]
    progress_chart(catalog, _progress(shown, registered=11), "fr")
    after = changed(shown)
    reused = _pixels(progress_chart(catalog, after, "fr"))
    for part in ("_TITLES", "_CURVES", "_LAST_CURVES", "_BARS"):
        monkeypatch.setattr(charts_module, part, Kept(8))
    assert (_pixels(progress_chart(catalog, after, "fr")) == reused).all()


def _declared(item: DepartmentProgress, probable: int, declared: int) -> DepartmentProgress:
    counts = item.counts
    unregistered = counts.unregistered - probable - declared
    return DepartmentProgress(
        item.department,
        Counts(counts.total, counts.registered, probable, declared, unregistered),
    )


def test_what_the_picture_does_not_show_leaves_it_the_same(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Officers who declared themselves registered or match probably, the departments furthest
    behind, how many are hidden, the days left: none is in the picture, so figures differing
    only there have the same picture key, and the same file drawn from nothing."""
    shown = [_department("29", 1, 5), _department("56", 3, 5)]
    plain = _progress(shown, registered=11)
    counts = plain.counts
    others = replace(
        plain,
        counts=Counts(counts.total, counts.registered, 2, 3, counts.unregistered - 5),
        departments=[_declared(shown[0], 1, 2), _declared(shown[1], 1, 1)],
        behind=[shown[0]],
        hidden_departments=4,
        public_min=5,
        days_left=None,
    )
    assert others != plain
    assert picture_key(others) == picture_key(plain)
    first = progress_chart(catalog, plain, "fr")
    for part in ("_TITLES", "_CURVES", "_LAST_CURVES", "_BARS"):
        monkeypatch.setattr(charts_module, part, Kept(8))
    assert progress_chart(catalog, others, "fr") == first


@pytest.mark.parametrize(
    "changed",
    [
        lambda p: replace(p, counts=replace(p.counts, registered=12, unregistered=28)),
        lambda p: replace(p, departments=[_department("29", 2, 5), _department("56", 3, 5)]),
        lambda p: replace(p, curve=[*p.curve[:-1], CurvePoint(TODAY, 12)]),
        lambda p: replace(p, pace_per_day=2.0),
        lambda p: replace(p, region="Bretagne"),
    ],
)
def test_what_the_picture_shows_changes_its_key(
    changed: Callable[[Progress], Progress],
) -> None:
    plain = _progress([_department("29", 1, 5), _department("56", 3, 5)], registered=11)
    assert picture_key(changed(plain)) != picture_key(plain)
