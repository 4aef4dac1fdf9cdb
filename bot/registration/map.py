"""The ``/progression`` map: each department filled by its share of officers registered,
metropolitan France with the overseas departments and a zoom on Paris as insets below it.

The outlines are package data (``bot/data/geo/departements.json``, simplified from IGN Admin
Express, Licence Ouverte; see the README beside it), read with the standard library. Every
department is one polygon list of a single matplotlib ``PolyCollection`` in one axes, the insets
being the same outlines moved and scaled. The chart pastes the map as pixels drawn once per
colouring (:func:`map_pixels`): a write that moves no department into another class of the legend
does not draw the map again.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from bot.charts import png
from bot.i18n import Catalog, Locale
from bot.registration.models import DepartmentProgress
from bot.resources import reference

GEO_FILE = reference("geo", "departements.json")
DPI = 110
METRO_LATITUDE = 46.5  # the parallel of the metropolitan projection (equirectangular)
PARIS = ("75", "92", "93", "94")  # the zoom inset: Paris and its inner ring
INSETS: tuple[tuple[str, ...], ...] = (("971",), ("972",), ("973",), ("974",), ("976",), PARIS)
GAP = 0.25  # between the insets, and between them and metropolitan France (map units)
EDGE_COLOUR, EDGE_WIDTH = "white", 0.35
# Share registered (%), lowest bound of each class, and its colour: the bars' red, orange and
# green (below 50 %, below 80 %, from 80 %), each split once.
CLASSES: tuple[tuple[float, str], ...] = (
    (0, "#b2282f"),
    (25, "#e0643c"),
    (50, "#e8a33d"),
    (80, "#8cc97a"),
    (100, "#2e9e5b"),
)
NO_FIGURES = "#d9dbe0"  # no officer, or hidden from a public answer
_INSET_FRAME, _TEXT = "#b9bcc4", "#3c4048"


@dataclass(frozen=True)
class Outlines:
    """Every department's rings in map units (metropolitan France in place, the insets moved
    into their boxes below it), the boxes, and what the data says about itself."""

    rings: dict[str, list[np.ndarray]]
    names: dict[str, str]
    boxes: list[tuple[tuple[str, ...], tuple[float, float, float, float]]]  # codes, x0 y0 x1 y1
    bounds: tuple[float, float, float, float]
    source: str
    licence: str


def _project(flat: list[int], latitude: float) -> np.ndarray:
    """A ring of thousandths of a degree as (x, y) in degrees of latitude, equirectangular."""
    points = np.asarray(flat, dtype=float).reshape(-1, 2) / 1000
    points[:, 0] *= math.cos(math.radians(latitude))
    return points


@cache
def outlines() -> Outlines:
    """The shipped outlines, projected and laid out (read once)."""
    data = json.loads(GEO_FILE.read_text("utf-8"))
    departments = data["departments"]
    names = {code: d["name"] for code, d in departments.items()}
    rings: dict[str, list[np.ndarray]] = {}
    for code, d in departments.items():
        if len(code) == 2:
            rings[code] = [_project(r, METRO_LATITUDE) for r in d["rings"]]
    every = np.concatenate([r for rs in rings.values() for r in rs])
    (x0, y0), (x1, _) = every.min(axis=0), every.max(axis=0)
    top = float(every[:, 1].max())
    side = (x1 - x0 - GAP * (len(INSETS) - 1)) / len(INSETS)
    boxes = []
    for index, codes in enumerate(INSETS):
        bx0 = x0 + index * (side + GAP)
        box = (float(bx0), float(y0 - GAP - side), float(bx0 + side), float(y0 - GAP))
        boxes.append((codes, box))
        latitude = sum(_mean_latitude(departments[c]["rings"]) for c in codes) / len(codes)
        own = {c: [_project(r, latitude) for r in departments[c]["rings"]] for c in codes}
        points = np.concatenate([r for rs in own.values() for r in rs])
        low, high = points.min(axis=0), points.max(axis=0)
        scale = 0.88 * side / float((high - low).max())
        centre = (low + high) / 2
        middle = np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])
        for code, parts in own.items():
            rings[code] = [(r - centre) * scale + middle for r in parts]
    bounds = (float(x0), float(y0 - GAP - side), float(x1), top)
    return Outlines(rings, names, boxes, bounds, data["source"], data["licence"])


def _mean_latitude(flat_rings: list[list[int]]) -> float:
    return float(np.mean([np.mean(r[1::2]) for r in flat_rings])) / 1000


def colour(share: float | None) -> str:
    """The fill of a department registered at ``share`` percent (``None``: no figures)."""
    index = class_of(share)
    return NO_FIGURES if index is None else CLASSES[index][1]


def class_of(share: float | None) -> int | None:
    """The index in :data:`CLASSES` of ``share`` percent (``None``: no figures)."""
    if share is None:
        return None
    found = 0
    for index, (low, _) in enumerate(CLASSES):
        if share >= low:
            found = index
    return found


def shares(departments: list[DepartmentProgress]) -> dict[str, float]:
    """Each department's share registered (%), by code, for those with officers."""
    return {d.department.code: d.counts.percent for d in departments if d.counts.total}


def draw_map(
    catalog: Catalog, ax: Axes, by_code: Mapping[str, float], locale: Locale, *, legend: bool = True
) -> None:
    """Draw the map of ``by_code`` (share registered by department code) into ``ax``: outlines,
    inset frames and names, the legend of the classes and the outlines' attribution below."""
    t = catalog.t
    geo = outlines()
    polygons, fills = [], []
    for code, parts in geo.rings.items():
        for ring in parts:
            polygons.append(ring)
            fills.append(colour(by_code.get(code)))
    frames = []
    for _, (x0, y0, x1, y1) in geo.boxes:
        frames.append(np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)]))
    ax.add_collection(
        PolyCollection(frames, facecolors="none", edgecolors=_INSET_FRAME, linewidths=0.6)
    )
    ax.add_collection(
        PolyCollection(polygons, facecolors=fills, edgecolors=EDGE_COLOUR, linewidths=EDGE_WIDTH)
    )
    for codes, (x0, y0, x1, _) in geo.boxes:
        name = t("registration.map.paris", locale) if len(codes) > 1 else geo.names[codes[0]]
        ax.text((x0 + x1) / 2, y0 - 0.06, name, ha="center", va="top", fontsize=6.5, color=_TEXT)
    bx0, by0, bx1, by1 = geo.bounds
    bottom = by0 - 0.45
    if legend:
        bottom = _legend(catalog, ax, locale, bx0, bx1, by0 - 0.75)
    ax.text(
        bx1,
        bottom - 0.15,
        t("registration.map.attribution", locale, source="IGN Admin Express"),
        ha="right",
        va="top",
        fontsize=6.5,
        color=_TEXT,
    )
    ax.set_xlim(bx0 - 0.1, bx1 + 0.1)
    ax.set_ylim(bottom - 0.5, by1 + 0.1)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _legend(catalog: Catalog, ax: Axes, locale: Locale, x0: float, x1: float, top: float) -> float:
    """The classes as squares and labels in rows of three from ``top`` (map units), centred
    between ``x0`` and ``x1``: a legend without matplotlib's legend machinery, which costs as much
    as the whole map. Returns the bottom of the last row."""
    entries = legend_entries(catalog, locale)
    columns, row, square = 3, 0.42, 0.26
    width = (x1 - x0) / columns
    squares, fills = [], []
    for index, (label, fill) in enumerate(entries):
        x = x0 + (index % columns) * width + 0.15 * width
        y = top - (index // columns) * row
        squares.append(
            np.array([(x, y), (x + square, y), (x + square, y - square), (x, y - square)])
        )
        fills.append(fill)
        ax.text(x + square + 0.1, y - square / 2, label, va="center", fontsize=7.5, color=_TEXT)
    ax.add_collection(PolyCollection(squares, facecolors=fills, edgecolors="none"))
    return top - math.ceil(len(entries) / columns) * row


def legend_entries(catalog: Catalog, locale: Locale) -> list[tuple[str, str]]:
    """(label, colour) of each class, then of "no figures"."""
    t = catalog.t
    entries = []
    for index, (low, c) in enumerate(CLASSES):
        if low == 100:
            label = t("registration.map.class_all", locale)
        elif low == 0:
            label = t("registration.map.class_below", locale, high=f"{CLASSES[1][0]:.0f}")
        else:
            high = CLASSES[index + 1][0]
            label = t("registration.map.class", locale, low=f"{low:.0f}", high=f"{high:.0f}")
        entries.append((label, c))
    entries.append((t("registration.map.no_figures", locale), NO_FIGURES))
    return entries


def map_pixels(
    catalog: Catalog, by_code: Mapping[str, float], locale: Locale, width: int, height: int
) -> np.ndarray:
    """The map with its title, as RGB pixels of ``width`` × ``height``: drawn once for each
    colouring of the departments (their classes, not their exact shares), then kept."""
    classes = tuple(sorted((code, class_of(share)) for code, share in by_code.items()))
    return _pixels(catalog, classes, locale, width, height)


@lru_cache(maxsize=8)
def _pixels(
    catalog: Catalog,
    classes: tuple[tuple[str, int | None], ...],
    locale: Locale,
    width: int,
    height: int,
) -> np.ndarray:
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    canvas = FigureCanvasAgg(fig)
    title = catalog.t("registration.map.title", locale)
    ax = fig.add_axes((0.01, 0.01, 0.98, 1 - 0.45 / fig.get_figheight()), anchor="N")
    ax.set_title(title, fontsize=10)
    by_code = {code: CLASSES[c][0] for code, c in classes if c is not None}
    draw_map(catalog, ax, by_code, locale)
    canvas.draw()  # type: ignore[no-untyped-call]
    pixels = np.asarray(canvas.buffer_rgba())[..., :3].copy()  # type: ignore[no-untyped-call]
    pixels.flags.writeable = False
    return pixels


def department_map(
    catalog: Catalog, departments: list[DepartmentProgress], locale: Locale = "fr"
) -> bytes:
    """A PNG of the map alone (the chart draws it beside the curve with :func:`draw_map`)."""
    fig = Figure(figsize=(5.6, 7.0), dpi=DPI)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.9))
    ax.set_title(catalog.t("registration.map.title", locale), fontsize=11, fontweight="bold")
    draw_map(catalog, ax, shares(departments), locale)
    return png(canvas, compress_level=3)
