"""The ``/progression`` map: each department filled by its share of officers registered,
metropolitan France with the overseas departments and a zoom on Paris as insets below it.

The outlines are package data (``bot/data/geo/departements.json``, simplified from IGN Admin
Express, Licence Ouverte; see the README beside it), read with the standard library. The map is
drawn with Pillow (:mod:`bot.charts`) and NumPy: for each size, the departments' polygons are
rasterised once at twice the size as department numbers, and the texts once per language; a
colouring is then a look-up of each pixel's colour (the mean of four subpixels along the edges,
which smooths them), kept per colouring (:func:`map_pixels`): a write that moves no department
into another class of the legend costs nothing here, one that does about a millisecond.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
from PIL import Image, ImageDraw

from bot.charts import SUPERSAMPLE, Drawing, encode_png, line_height, rgb
from bot.i18n import Catalog, Locale
from bot.registration.models import DepartmentProgress
from bot.resources import reference

GEO_FILE = reference("geo", "departements.json")
METRO_LATITUDE = 46.5  # the parallel of the metropolitan projection (equirectangular)
PARIS = ("75", "92", "93", "94")  # the zoom inset: Paris and its inner ring
INSETS: tuple[tuple[str, ...], ...] = (("971",), ("972",), ("973",), ("974",), ("976",), PARIS)
GAP = 0.25  # between the insets, and between them and metropolitan France (map units)
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
EDGE, INSET_FRAME, TEXT = rgb("#ffffff"), rgb("#b9bcc4"), rgb("#3c4048")
# Pixels: the texts' sizes, the margin around the map, the legend's rows and squares.
TITLE_SIZE, LABEL_SIZE, LEGEND_SIZE, SOURCE_SIZE = 15, 11, 12, 11
MARGIN, LEGEND_ROW, LEGEND_SQUARE, LEGEND_COLUMNS = 10, 21, 13, 3
NAMES_HEIGHT = 2 * round(LABEL_SIZE * 1.2) + 6  # under the insets: "Paris et / petite couronne"
ALONE = (620, 770)  # width and height of the map drawn alone


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


def legend_entries(catalog: Catalog, locale: Locale) -> list[tuple[str, str]]:
    """(label, colour) of each class, then of "no figures"."""
    t = catalog.t
    entries = []
    for index, (low, c) in enumerate(CLASSES):
        if low == 100:
            label = t("registration.map.class_all", locale)
        elif low == 0:
            label = t("registration.map.class_below", locale, high=CLASSES[1][0])
        else:
            label = t("registration.map.class", locale, low=low, high=CLASSES[index + 1][0])
        entries.append((label, c))
    entries.append((t("registration.map.no_figures", locale), NO_FIGURES))
    return entries


def map_pixels(
    catalog: Catalog, by_code: Mapping[str, float], locale: Locale, width: int, height: int
) -> np.ndarray:
    """The map with its title, legend and attribution, as RGB pixels of ``width`` ×
    ``height`` (read only): drawn once for each colouring of the departments (their classes, not
    their exact shares) and size, then kept."""
    return _drawn(catalog, _classes(by_code), locale, width, height)


def map_part(
    catalog: Catalog, by_code: Mapping[str, float], locale: Locale, width: int, height: int
) -> tuple[tuple[object, ...], np.ndarray]:
    """:func:`map_pixels`, with a key that says everything they are made of (to be put
    together with other parts: :func:`bot.charts.encode_parts`)."""
    classes = _classes(by_code)
    return ("map", catalog, classes, locale, width, height), _drawn(
        catalog, classes, locale, width, height
    )


def _classes(by_code: Mapping[str, float]) -> tuple[tuple[str, int | None], ...]:
    return tuple(sorted((code, class_of(share)) for code, share in by_code.items()))


@dataclass(frozen=True)
class Placement:
    """Where the map's outlines fall in a panel: map units to pixels, and the pixel row under
    the map (the insets' names, the legend and the attribution go below it)."""

    left: float
    top: float
    scale: float
    bottom: int

    def pixel(self, x: float, y: float) -> tuple[float, float]:
        """The pixel (from the panel's top left) of the point ``x``, ``y`` in map units."""
        bx0, _, _, by1 = outlines().bounds
        return self.left + (x - bx0) * self.scale, self.top + (by1 - y) * self.scale


def placement(width: int, height: int) -> Placement:
    """The outlines scaled to the panel's width, or to the height left by the title above and
    the names, legend and attribution below, centred."""
    bx0, by0, bx1, by1 = outlines().bounds
    rows = math.ceil((len(CLASSES) + 1) / LEGEND_COLUMNS)
    below = NAMES_HEIGHT + rows * LEGEND_ROW + line_height(SOURCE_SIZE) + 3 * MARGIN
    top = MARGIN + line_height(TITLE_SIZE) + MARGIN
    scale = min((width - 2 * MARGIN) / (bx1 - bx0), (height - top - below) / (by1 - by0))
    left = (width - (bx1 - bx0) * scale) / 2
    return Placement(left, top, scale, math.ceil(top + (by1 - by0) * scale))


@lru_cache(maxsize=8)
def _drawn(
    catalog: Catalog,
    classes: tuple[tuple[str, int | None], ...],
    locale: Locale,
    width: int,
    height: int,
) -> np.ndarray:
    fills = {code: rgb(CLASSES[c][1]) for code, c in classes if c is not None}
    pixels = _base(catalog, locale, width, height).copy()
    shapes = _shapes(width, height)
    palette = np.empty((len(shapes.codes) + 2, 3), dtype=np.uint16)
    palette[0], palette[1] = EDGE, INSET_FRAME
    no_figures = rgb(NO_FIGURES)
    for index, code in enumerate(shapes.codes, start=2):
        palette[index] = fills.get(code, no_figures)
    # Each pixel inside one department: its colour; across an edge: the mean of its four
    # subpixels' colours, rounded as Pillow reduces a drawing.
    region = np.take(palette.astype(np.uint8), shapes.pure, axis=0)
    mixed = (np.take(palette, shapes.parts, axis=0).sum(axis=1) + 2) // 4
    region.reshape(-1, 3)[shapes.mixed] = mixed
    pixels[shapes.top : shapes.top + region.shape[0]] = region
    pixels.flags.writeable = False
    return pixels


@dataclass(frozen=True)
class _Shapes:
    """The outlines rasterised once for a panel's size, as indices (0: the white between
    departments, 1: an inset's frame, then the departments in ``codes`` order), from a drawing at
    twice the size: ``pure`` for each pixel whose four subpixels are one index, ``parts`` the four
    of each pixel across an edge, at ``mixed``. Colouring the map is looking the indices up."""

    codes: tuple[str, ...]
    top: int
    pure: np.ndarray  # rows × width
    mixed: np.ndarray  # where the pixels across an edge are (flat indices)
    parts: np.ndarray  # their subpixels' indices, 4 each


@lru_cache(maxsize=4)
def _shapes(width: int, height: int) -> _Shapes:
    geo = outlines()
    where = placement(width, height)
    top, k = round(where.top), SUPERSAMPLE
    bx0, _, _, by1 = geo.bounds
    rows = where.bottom - top + 2
    index = Image.new("L", (width * k, rows * k), 0)
    draw = ImageDraw.Draw(index)
    codes = tuple(geo.rings)
    for number, code in enumerate(codes, start=2):
        for ring in geo.rings[code]:
            xy = np.empty_like(ring)
            xy[:, 0] = (where.left + (ring[:, 0] - bx0) * where.scale) * k
            xy[:, 1] = ((by1 - ring[:, 1]) * where.scale) * k
            draw.polygon(xy.ravel().tolist(), fill=number, outline=0)
    for _, (x0, y0, x1, y1) in geo.boxes:  # the frames, one pixel wide once reduced
        (px0, py0), (px1, py1) = where.pixel(x0, y1), where.pixel(x1, y0)
        box = (
            round(px0) * k,
            (round(py0) - top) * k,
            round(px1) * k + k - 1,
            (round(py1) - top) * k + k - 1,
        )
        draw.rectangle(box, outline=1, width=k)
    subpixels = np.asarray(index).reshape(rows, k, width, k).transpose(0, 2, 1, 3)
    blocks = subpixels.reshape(rows, width, k * k)
    pure = blocks[:, :, 0].astype(np.intp)
    across = (blocks != blocks[:, :, :1]).any(axis=2)
    mixed = np.flatnonzero(across)
    parts = blocks.reshape(-1, k * k)[mixed].astype(np.intp)
    return _Shapes(codes, top, pure, mixed, parts)


@lru_cache(maxsize=8)
def _base(catalog: Catalog, locale: Locale, width: int, height: int) -> np.ndarray:
    """The map panel without its outlines: title on top, the insets' names under their frames,
    the legend in rows of three, the attribution."""
    t = catalog.t
    geo = outlines()
    picture = Drawing(width, height)
    picture.text((width / 2, MARGIN), t("registration.map.title", locale), TITLE_SIZE, TEXT, "mt")
    legend = legend_entries(catalog, locale)
    rows = math.ceil(len(legend) / LEGEND_COLUMNS)
    where = placement(width, height)
    for codes, (x0, y0, x1, _) in geo.boxes:
        (px0, _), (px1, py1) = where.pixel(x0, y0), where.pixel(x1, y0)
        name = t("registration.map.paris", locale) if len(codes) > 1 else geo.names[codes[0]]
        picture.text(((px0 + px1) / 2, round(py1) + 4), name, LABEL_SIZE, TEXT, "mt")
    y = where.bottom + NAMES_HEIGHT
    column = (width - 2 * MARGIN) / LEGEND_COLUMNS
    for index, (label, fill_hex) in enumerate(legend):
        x = MARGIN + (index % LEGEND_COLUMNS) * column + 0.1 * column
        row_y = y + (index // LEGEND_COLUMNS) * LEGEND_ROW
        picture.rectangle((x, row_y, x + LEGEND_SQUARE, row_y + LEGEND_SQUARE), rgb(fill_hex))
        picture.text(
            (x + LEGEND_SQUARE + 6, row_y + LEGEND_SQUARE / 2), label, LEGEND_SIZE, TEXT, "lm"
        )
    source = t("registration.map.attribution", locale, source="IGN Admin Express")
    picture.text(
        (width - MARGIN, y + rows * LEGEND_ROW + MARGIN // 2), source, SOURCE_SIZE, TEXT, "rt"
    )
    return np.asarray(picture.image)


def department_map(
    catalog: Catalog, departments: list[DepartmentProgress], locale: Locale = "fr"
) -> bytes:
    """A PNG of the map alone (the chart pastes the same drawing beside the curve)."""
    return encode_png(map_pixels(catalog, shares(departments), locale, *ALONE))
