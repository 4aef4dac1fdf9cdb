"""The ``/progress`` chart: registrations over time against the straight line to the deadline and
the forecast at the current pace, completion per department below it, and the map of the
departments (:mod:`bot.registration.map`) beside both.

Drawn with Pillow (:mod:`bot.charts`), in pixels: each text is rasterised once and kept, the
slanted lines are drawn at twice the size and reduced, the map is drawn once per colouring, and
a picture after a change draws again only where it changed (pixel for pixel the whole drawing). A
picture after a change costs a few milliseconds of drawing and its PNG encoding; matplotlib took
more than ten times as long, most of it laying out and rasterising the texts. Each picture is its
own image: two can be drawn at once in worker threads.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from bot.charts import (
    RGB,
    Drawing,
    Kept,
    Point,
    Smooth,
    blend,
    encode_parts,
    font,
    line_height,
    pixels,
    rgb,
    text_width,
)
from bot.i18n import Catalog, Locale, format_date, format_number, format_percent
from bot.registration import map as department_map
from bot.registration.formats import decimal
from bot.registration.models import CurvePoint, DepartmentProgress, Progress
from bot.registration.progress import behind_first

EDGE = 8  # departments shown at each end when there are too many to show all
BLUE, GREY, RED, ORANGE = rgb("#2a6fdb"), rgb("#8a8f98"), rgb("#d64545"), rgb("#e8a33d")
INK, AXIS, GRID = rgb("#26292e"), rgb("#4a4e55"), rgb("#e4e6e9")
FILL = (*BLUE, 31)  # the area under the curve: the curve's blue at 12 %, the grid showing through
TODAY_LINE, DEADLINE_LINE = blend(GREY, 0.6), blend(RED, 0.7)
# Pixels. The curve and the bars on the left, the map on the right.
CURVE_WIDTH, MAP_WIDTH = 990, 572
MIN_HEIGHT, CURVE_HEIGHT, ROW = 726, 462, 31  # the height: the curve's part, then a row per bar
PAD, TICK = 8, 5
TITLE_SIZE, LABEL_SIZE, TICK_SIZE, LEGEND_SIZE, SMALL_SIZE = 20, 15, 14, 14, 12
CURVE_LINE, TARGET_LINE, GOAL_LINE = 3.4, 2.4, 1.5  # line widths
TARGET_DASH, FORECAST_DASH, GOAL_DASH = (9.0, 4.0), (2.4, 3.6), (1.5, 2.5)
Box = tuple[int, int, int, int]  # left, top, right, bottom


def progress_chart(catalog: Catalog, progress: Progress, locale: Locale = "fr") -> bytes:
    """A PNG of the curve (top left), the per-department completion (bottom left) and the map
    (right).

    Drawn in parts, each kept by what it shows (:class:`~bot.charts.Kept`): the title, the curve
    with its axes, the bars with theirs, the map. A change of the figures draws again the parts
    it changes (the title, and the curve from the day that changed and the forecast's name,
    after one more registration; the bars when a department shown changes; the map when a
    department changes class), and the encoder deflates again the rows that differ only."""
    t = catalog.t
    shown = _departments_shown(progress.departments)
    rows = max(len(shown), 4)
    height = _height(rows)
    title = t(
        "registration.chart.title",
        locale,
        registered=progress.counts.registered,
        total=progress.counts.total,
        percent=decimal(progress.counts.percent, locale),
    )
    if progress.region:
        title = f"{title} – {progress.region}"
    title_rows = _TITLES.get(title, lambda: _title(title))
    title_bottom = title_rows.shape[0]

    y_ticks = _value_ticks(progress.counts.total, locale)
    bars = tuple(_bar_text(catalog, item, locale) for item in shown)
    label, ticks = line_height(LABEL_SIZE), line_height(TICK_SIZE)
    # The two panels share a left edge, after the wider of their labels.
    curve_labels = label + 2 * PAD + TICK + max(text_width(text, TICK_SIZE) for _, text in y_ticks)
    bar_labels = TICK + max((text_width(name, SMALL_SIZE) for name, _ in bars), default=0)
    left, right = 2 * PAD + max(curve_labels, bar_labels), CURVE_WIDTH - 3 * PAD
    under_axes = TICK + 4 + ticks  # tick marks and their labels
    fixed = title_bottom + 2 * PAD + under_axes + 3 * PAD + label + PAD  # down to the bars
    fixed += under_axes + PAD + label + PAD  # under the bars
    free = height - fixed
    curve_top = title_bottom + 2 * PAD
    curve_box = (left, curve_top, right, curve_top + round(free * 4.2 / (4.2 + 0.28 * rows)))
    split = curve_box[3] + under_axes + PAD  # the rows of the curve above, of the bars below

    rows_drawn = (title_bottom, split)
    curve_key, curve_rows = _curve_part(catalog, progress, curve_box, rows_drawn, y_ticks, locale)

    heading_top = curve_box[3] + under_axes + 3 * PAD
    key = (
        "registration.chart.departments_all"
        if len(progress.departments) <= 2 * EDGE
        else "registration.chart.departments_edges"
    )
    heading = t(key, locale, count=len(progress.departments), edge=EDGE)
    bars_box = (left, heading_top + label + PAD, right, height - (under_axes + PAD + label + PAD))

    def bar_rows() -> np.ndarray:
        part = Drawing(CURVE_WIDTH, height - split, top=split)
        part.text((left, heading_top), heading, LABEL_SIZE, INK, "lt")
        _bars(catalog, part, shown, bars, bars_box, locale)
        return pixels(part)

    shares = tuple(None if item is None else item.counts.percent for item in shown)
    bars_key = ("bars", catalog, locale, shares, bars, heading, bars_box, split, height)
    bars_rows = _BARS.get(bars_key, bar_rows)

    by_code = department_map.shares(progress.departments)
    drawn = department_map.map_part(catalog, by_code, locale, MAP_WIDTH, height)
    left_column = [(("title", title), title_rows), (curve_key, curve_rows), (bars_key, bars_rows)]
    return encode_parts([left_column, [drawn]])


PictureKey = tuple[object, ...]


def picture_key(progress: Progress) -> PictureKey:
    """What the picture of ``progress`` shows (all that :func:`progress_chart` reads): the
    region, the officers registered out of all, the day, deadline, pace and forecast, the curve,
    and each department's registered out of all. Not in it, as not in the picture: the officers
    who declared themselves registered or match probably (counted as not registered yet), the
    departments furthest behind, how many are hidden, the days left. Figures with the same key
    have the same picture (a declaration changes the figures, not the picture)."""
    counts = progress.counts
    return (
        progress.region,
        counts.total,
        counts.registered,
        progress.today,
        progress.deadline,
        progress.pace_per_day,
        progress.forecast,
        tuple(progress.curve),
        tuple((d.department, d.counts.total, d.counts.registered) for d in progress.departments),
    )


PARTS_KEPT = 8  # of each part: the last few pictures' (a change, then back, or a second language)
_TITLES: Kept[str, np.ndarray] = Kept(PARTS_KEPT)
_CURVES: Kept[tuple[object, ...], np.ndarray] = Kept(PARTS_KEPT)
_BARS: Kept[tuple[object, ...], np.ndarray] = Kept(PARTS_KEPT)
# The last curve drawn on each frame (axes, scales, lines to the deadline): its moving parts and
# pixels, from which the next curve on that frame is drawn again where it moved only.
_LAST_CURVES: Kept[tuple[object, ...], tuple[_Moving, np.ndarray]] = Kept(PARTS_KEPT)
Window = tuple[int, int, int, int]  # left, top, right, bottom, in the picture's pixels


@dataclass(frozen=True)
class _Moving:
    """What of the curve moves from one registration to the next: the daily figures, and where
    the pace leads (the forecast's line and its legend's name)."""

    curve: tuple[CurvePoint, ...]
    forecast: tuple[tuple[date, float], tuple[date, float]] | None
    pace: str


def _curve_part(
    catalog: Catalog,
    progress: Progress,
    box: Box,
    rows: tuple[int, int],
    y_ticks: tuple[tuple[int, str], ...],
    locale: Locale,
) -> tuple[tuple[object, ...], np.ndarray]:
    """The rows ``rows`` (first, end) of the picture: the curve, its axes and legend, and a key
    that says everything they are made of. Drawn
    again where it moved only when the last curve on the same frame is at hand (pixel for
    pixel the curve drawn whole: each window is drawn whole, everything in it)."""
    forecast = forecast_line(progress)
    moving = _Moving(tuple(progress.curve), forecast, decimal(progress.pace_per_day, locale))
    frame = (
        catalog,
        locale,
        progress.curve[0].day,
        len(progress.curve),
        progress.counts.total,
        progress.today,
        progress.deadline,
        forecast is None,
        y_ticks,
        box,
        rows,
    )

    def drawn(window: Window) -> np.ndarray:
        left, top, right, bottom = window
        part = Drawing(right - left, bottom - top, top=top, left=left)
        _curve(catalog, part, progress, box, y_ticks, locale)
        return pixels(part)

    def draw() -> np.ndarray:
        whole = (0, rows[0], CURVE_WIDTH, rows[1])
        last = _LAST_CURVES.find(frame)
        if last is None:
            return drawn(whole)
        windows = _moved(catalog, last[0], moving, progress, box, whole, locale)
        result = last[1].copy()
        for left, top, right, bottom in windows:
            result[top - rows[0] : bottom - rows[0], left:right] = drawn((left, top, right, bottom))
        result.flags.writeable = False
        return result

    key = ("curve", frame, moving)
    result = _CURVES.get(key, draw)
    _LAST_CURVES.keep(frame, (moving, result))
    return key, result


def _moved(
    catalog: Catalog,
    before: _Moving,
    after: _Moving,
    progress: Progress,
    box: Box,
    whole: Window,
    locale: Locale,
) -> list[Window]:
    """Where the curve's pixels may differ between ``before`` and ``after`` on the same frame:
    from the first day whose figure changed (or today, where the forecast starts) to the right
    edge, and the forecast's name in the legend."""
    x0, y0, x1, _ = box
    first, end = progress.curve[0].day, _end(progress)
    x = _scale(first.toordinal(), (end + timedelta(days=1)).toordinal(), x0, x1)
    days = [b.day for a, b in zip(before.curve, after.curve, strict=True) if a != b]
    if before.forecast != after.forecast:
        days.append(progress.today)
    windows = []
    if days:
        # The lines' width and their smoothing, either side.
        left = max(math.floor(x(min(days).toordinal())) - 2 * PAD, whole[0])
        windows.append((left, whole[1], whole[2], whole[3]))
    if before.pace != after.pace and after.forecast is not None:
        label = catalog.t("registration.chart.forecast_line", locale, pace=before.pace)
        now = catalog.t("registration.chart.forecast_line", locale, pace=after.pace)
        row = round(LEGEND_SIZE * 1.5)
        middle = y0 + PAD + row * (_legend_rows(progress) - 1) + row / 2
        start = x0 + 2 * PAD + 42
        wide = max(text_width(label, LEGEND_SIZE), text_width(now, LEGEND_SIZE))
        windows.append(
            (start - PAD, math.floor(middle - row), start + wide + PAD, math.ceil(middle + row))
        )
    return windows


def _legend_rows(progress: Progress) -> int:
    """The lines named in the curve's legend: the curve, the goal, the line to the deadline and
    the forecast (when drawn)."""
    return 2 + (progress.deadline is not None) + (forecast_line(progress) is not None)


def _end(progress: Progress) -> date:
    """The last day of the curve's axis: today, or the deadline if it is later."""
    return progress.today if progress.deadline is None else max(progress.today, progress.deadline)


def _title(title: str) -> np.ndarray:
    """The rows of the title, down to the bottom of its letters."""
    part = Drawing(CURVE_WIDTH, 2 * (PAD + line_height(TITLE_SIZE, bold=True)))
    bottom = part.text((CURVE_WIDTH / 2, PAD), title, TITLE_SIZE, INK, "mt", bold=True)[3]
    return pixels(part)[:bottom]


def _height(rows: int) -> int:
    """The picture's height with ``rows`` bars (at least 4)."""
    return max(CURVE_HEIGHT + ROW * rows, MIN_HEIGHT)


def warm_up(catalog: Catalog, departments: int, locale: Locale = "fr") -> None:
    """Make ahead what the first picture after a start makes whatever its figures, for a
    picture of ``departments`` departments: the language's number formats loaded (Babel), the
    fonts opened, the map's outlines rasterised for the picture's height and its own texts
    drawn, the axes' texts rasterised. The first picture then costs about half as much more
    than a later one (its own texts and rows are still new)."""
    rows = max(min(departments, 2 * EDGE + 1), 4)
    department_map.map_pixels(catalog, {}, locale, MAP_WIDTH, _height(rows))
    t, scratch = catalog.t, Drawing(CURVE_WIDTH, MIN_HEIGHT)
    scratch.text((0, 0), t("registration.chart.officers", locale), LABEL_SIZE, INK, vertical=True)
    for key, size, anchor in (
        ("registration.chart.completion", LABEL_SIZE, "mt"),
        ("registration.chart.registered", LEGEND_SIZE, "lm"),
        ("registration.chart.target_line", LEGEND_SIZE, "lm"),
        ("registration.chart.deadline", LEGEND_SIZE, "rt"),
        ("registration.chart.today", SMALL_SIZE, "ld"),
    ):
        scratch.text((0, 0), t(key, locale), size, INK, anchor)
    for value in range(0, 101, 25):
        scratch.text((0, 0), format_number(value, locale, 0), TICK_SIZE, INK, "mt")
    font(TITLE_SIZE, bold=True)


def _scale(low: float, high: float, start: float, end: float) -> Callable[[float], float]:
    """Data from ``low`` to ``high`` as pixels from ``start`` to ``end``."""
    factor = (end - start) / (high - low) if high != low else 0.0
    return lambda value: start + (value - low) * factor


@lru_cache(maxsize=64)
def _value_ticks(total: int, locale: Locale) -> tuple[tuple[int, str], ...]:
    """Whole numbers of officers, from 0 to the top of the curve's axis, 5 to 8 of them: steps
    of 1, 2 or 5 times a power of ten (or 25 times)."""
    top = max(total, 1) * 1.08
    wanted = top / 7
    power = 10 ** math.floor(math.log10(wanted)) if wanted >= 1 else 1
    step = next(
        s * power
        for s in (1, 2, 2.5, 5, 10)
        if s * power >= wanted and float(s * power).is_integer()
    )
    step = max(int(step), 1)
    return tuple((v, format_number(v, locale, 0)) for v in range(0, math.floor(top) + 1, step))


@lru_cache(maxsize=64)
def date_ticks(first: date, last: date, locale: Locale) -> tuple[tuple[date, str], ...]:
    """The days marked on the curve's axis between ``first`` and ``last``, about four to eight:
    every day or every other day for a short campaign, then the 1st, 8th, 15th and 22nd, the 1st
    and 15th, the first of each month or of each quarter; labelled as people write them."""
    span = (last - first).days
    pattern = "dd/MM" if locale == "fr" else "MMM d"
    days = [first + timedelta(days=n) for n in range(span + 1)]
    if span <= 8:
        chosen = days
    elif span <= 16:
        chosen = days[::2]
    elif span <= 35:
        chosen = [d for d in days if d.day in (1, 8, 15, 22)]
    elif span <= 70:
        chosen = [d for d in days if d.day in (1, 15)]
    elif span <= 240:
        chosen = [d for d in days if d.day == 1]
    else:
        chosen = [d for d in days if d.day == 1 and d.month in (1, 4, 7, 10)]
        pattern = "MM/yyyy" if locale == "fr" else "MMM yyyy"
    return tuple((d, format_date(d, locale, pattern)) for d in chosen)


def _curve(
    catalog: Catalog,
    picture: Drawing,
    progress: Progress,
    box: Box,
    y_ticks: tuple[tuple[int, str], ...],
    locale: Locale,
) -> None:
    t = catalog.t
    x0, y0, x1, y1 = box
    first, end = progress.curve[0].day, _end(progress)
    x = _scale(first.toordinal(), (end + timedelta(days=1)).toordinal(), x0, x1)
    y = _scale(0, max(progress.counts.total, 1) * 1.08, y1, y0)

    def at(day: date, value: float) -> Point:
        return x(day.toordinal()), y(value)

    total = progress.counts.total
    legend: list[tuple[str, RGB, float, tuple[float, float] | None]] = [
        (t("registration.chart.registered", locale), BLUE, CURVE_LINE, None),
        (t("registration.chart.goal", locale, total=total), GREY, GOAL_LINE, GOAL_DASH),
    ]
    with picture.smooth((x0, y0 - 4, x1 + 4, y1)) as smooth:
        for value, _ in y_ticks[1:]:
            smooth.hline(y(value), x0, x1, GRID)
        steps = _steps([at(p.day, p.registered) for p in progress.curve])
        smooth.polygon([(steps[0][0], y1), *steps, (steps[-1][0], y1)], FILL)
        smooth.line([(x0, y(total)), (x1, y(total))], GREY, GOAL_LINE, GOAL_DASH)
        if progress.deadline is not None:
            start = min(first, progress.deadline - timedelta(days=1))
            target = [at(start, 0), at(progress.deadline, total)]
            smooth.line(target, ORANGE, TARGET_LINE, TARGET_DASH)
            legend.append(
                (t("registration.chart.target_line", locale), ORANGE, TARGET_LINE, TARGET_DASH)
            )
        forecast = forecast_line(progress)
        if forecast is not None:
            smooth.line([at(*forecast[0]), at(*forecast[1])], BLUE, TARGET_LINE, FORECAST_DASH)
            pace = decimal(progress.pace_per_day, locale)
            label = t("registration.chart.forecast_line", locale, pace=pace)
            legend.append((label, BLUE, TARGET_LINE, FORECAST_DASH))
        smooth.line(steps, BLUE, CURVE_LINE)
        names = _legend(smooth, legend, x0 + 2 * PAD, y0 + PAD)
    for where, name in names:
        picture.text(where, name, LEGEND_SIZE, INK, "lm")
    today_x = x(progress.today.toordinal())
    picture.vline(today_x, y0, y1, TODAY_LINE)
    picture.text(
        (today_x + 4, y1 - 4), t("registration.chart.today", locale), SMALL_SIZE, GREY, "ld"
    )
    if progress.deadline is not None:
        deadline_x = x(progress.deadline.toordinal())
        picture.vline(deadline_x, y0, y1, DEADLINE_LINE)
        where = (deadline_x - 6, y(total) + 6)
        picture.text(where, t("registration.chart.deadline", locale), LEGEND_SIZE, RED, "rt")
    _axes(picture, box)
    widest = 0
    for value, text in y_ticks:
        picture.hline(y(value), x0 - TICK, x0, AXIS)
        written = picture.text((x0 - TICK - 4, y(value)), text, TICK_SIZE, INK, "rm")
        widest = max(widest, written[2] - written[0])
    for day, text in date_ticks(first, end, locale):
        picture.vline(x(day.toordinal()), y1, y1 + TICK, AXIS)
        picture.text((x(day.toordinal()), y1 + TICK + 4), text, TICK_SIZE, INK, "mt")
    ylabel = t("registration.chart.officers", locale)
    beside = x0 - TICK - 4 - widest - PAD - line_height(LABEL_SIZE) / 2
    picture.text((beside, (y0 + y1) / 2), ylabel, LABEL_SIZE, INK, vertical=True)


def _steps(points: Sequence[Point]) -> list[Point]:
    """The curve as steps: each value held until the next day's."""
    steps = [points[0]]
    for xb, yb in points[1:]:
        steps += [(xb, steps[-1][1]), (xb, yb)]
    return steps


def _legend(
    smooth: Smooth,
    entries: list[tuple[str, RGB, float, tuple[float, float] | None]],
    left: float,
    top: float,
) -> list[tuple[Point, str]]:
    """The lines' samples, one per row, in the upper left corner of the curve; returns where
    their names go (written once the lines are smoothed)."""
    row = round(LEGEND_SIZE * 1.5)
    names = []
    for index, (label, colour, width, dash) in enumerate(entries):
        middle = top + row * index + row / 2
        smooth.line([(left, middle), (left + 32, middle)], colour, width, dash)
        names.append(((left + 42, middle), label))
    return names


def _axes(picture: Drawing, box: Box) -> None:
    """The left and bottom edges of a panel."""
    x0, y0, x1, y1 = box
    picture.vline(x0, y0, y1 + 1, AXIS)
    picture.hline(y1, x0, x1, AXIS)


def forecast_line(progress: Progress) -> tuple[tuple[date, float], tuple[date, float]] | None:
    """Where the current pace leads, from today's figure to the deadline (or to the day everyone
    is registered, if that comes first); ``None`` without a deadline ahead or when done."""
    deadline, today = progress.deadline, progress.today
    registered, total = progress.counts.registered, progress.counts.total
    if deadline is None or deadline <= today or registered >= total:
        return None
    pace = progress.pace_per_day
    end = deadline
    if pace > 0 and progress.forecast is not None and progress.forecast < deadline:
        end = progress.forecast
    value = min(float(total), registered + pace * (end - today).days)
    return (today, float(registered)), (end, value)


@lru_cache(maxsize=2048)
def _bar_text(catalog: Catalog, item: DepartmentProgress | None, locale: Locale) -> tuple[str, str]:
    """A bar's name on the left and its figures on the right (the gap marker: "…" and none)."""
    if item is None:
        return "…", ""
    share = format_percent(item.counts.percent / 100, locale, 0)
    figures = catalog.t(
        "registration.chart.bar",
        locale,
        percent=share,
        registered=item.counts.registered,
        total=item.counts.total,
    )
    return item.department.label, figures


def _bars(
    catalog: Catalog,
    picture: Drawing,
    shown: list[DepartmentProgress | None],
    texts: Sequence[tuple[str, str]],
    box: Box,
    locale: Locale,
) -> None:
    x0, y0, x1, y1 = box
    x = _scale(0, 118, x0, x1)
    grid = (0, 25, 50, 75, 100)
    for value in grid[1:]:
        picture.vline(x(value), y0, y1, GRID)
    row = min((y1 - y0) / max(len(shown), 1), ROW * 1.25)
    for index, (item, (name, figures)) in enumerate(zip(shown, texts, strict=True)):
        middle = y0 + row * (index + 0.5)
        picture.text((x0 - TICK - 4, middle), name, SMALL_SIZE, INK, "rm")
        if item is None:
            continue
        share = item.counts.percent
        colour = rgb(department_map.colour(share))
        picture.rectangle(
            (x0 + 1, middle - 0.35 * row, x(max(share, 0.6)), middle + 0.35 * row), colour
        )
        picture.text((x(min(share, 100) + 1.5), middle), figures, SMALL_SIZE, INK, "lm")
        picture.hline(middle, x0 - TICK, x0, AXIS)
    _axes(picture, box)
    for value in grid:
        picture.vline(x(value), y1, y1 + TICK, AXIS)
        picture.text(
            (x(value), y1 + TICK + 4), format_number(value, locale, 0), TICK_SIZE, INK, "mt"
        )
    below = y1 + TICK + 4 + line_height(TICK_SIZE) + PAD
    xlabel = catalog.t("registration.chart.completion", locale)
    picture.text(((x0 + x1) / 2, below), xlabel, LABEL_SIZE, INK, "mt")


def _departments_shown(departments: list[DepartmentProgress]) -> list[DepartmentProgress | None]:
    """Lowest completion first; the two ends with a gap marker when there are many."""
    ordered = sorted(departments, key=behind_first)
    if len(ordered) <= 2 * EDGE:
        return list(ordered)
    return [*ordered[:EDGE], None, *ordered[-EDGE:]]
