"""The ``/progress`` chart: registrations over time against the straight line to the deadline and
the forecast at the current pace, completion per department below it, and the map of the
departments (:mod:`bot.registration.map`) beside both. Rendered with matplotlib's Agg backend to PNG bytes (no GUI, no pyplot:
each chart is its own figure, so that two can be drawn at once in worker threads)."""

from __future__ import annotations

from datetime import date, timedelta

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from bot.charts import png
from bot.i18n import Catalog, Locale
from bot.registration import map as department_map
from bot.registration.formats import decimal
from bot.registration.models import DepartmentProgress, Progress
from bot.registration.progress import behind_first

EDGE = 8  # departments shown at each end when there are too many to show all
_BLUE, _GREY, _RED, _ORANGE = "#2a6fdb", "#8a8f98", "#d64545", "#e8a33d"
DPI = 110
CURVE_WIDTH, MAP_WIDTH = 9.0, 5.2  # inches: the curve and bars on the left, the map on the right
PAD = 3 / 72  # inches around and between the parts, as matplotlib's constrained layout leaves


def progress_chart(catalog: Catalog, progress: Progress, locale: Locale = "fr") -> bytes:
    """A PNG of the curve (top left), the per-department completion (bottom left) and the map
    (right)."""
    t = catalog.t
    shown = _departments_shown(progress.departments)
    ratios = (4.2, 0.28 * max(len(shown), 4))
    height = max(sum(ratios), 6.6)  # the map needs about that much
    fig = Figure(figsize=(CURVE_WIDTH + MAP_WIDTH, height), dpi=DPI)
    canvas = FigureCanvasAgg(fig)
    column = CURVE_WIDTH / (CURVE_WIDTH + MAP_WIDTH)
    top = fig.add_axes((0.2 * column, 0.55, 0.75 * column, 0.35))
    bottom = fig.add_axes((0.2 * column, 0.05, 0.75 * column, 0.35))
    title = t(
        "registration.chart.title",
        locale,
        registered=progress.counts.registered,
        total=progress.counts.total,
        percent=decimal(progress.counts.percent, locale),
    )
    if progress.region:
        title = f"{title} – {progress.region}"
    suptitle = fig.suptitle(title, fontsize=13, fontweight="bold")
    _curve(catalog, top, progress, locale)
    _bars(catalog, bottom, shown, len(progress.departments), locale)
    width, height_px = canvas.get_width_height()
    left = round(width * column)
    pixels = department_map.map_pixels(
        catalog, department_map.shares(progress.departments), locale, width - left, height_px
    )
    _layout(fig, canvas, suptitle, top, bottom, ratios, column)
    return png(canvas, compress_level=3, paste=(pixels, left, 0))


def _layout(
    fig: Figure,
    canvas: FigureCanvasAgg,
    suptitle: Text,
    top: Axes,
    bottom: Axes,
    ratios: tuple[float, float],
    column: float,
) -> None:
    """Place the two axes of the left ``column`` (a share of the figure's width) as matplotlib's constrained layout would, in one measuring pass.

    Each axes' decorations (tick labels, axis labels, title, texts) are measured once around a
    first guess; the axes share a left and a right edge, the suptitle sits on top, and the heights
    left follow ``ratios``. The text sizes measured are kept by the renderer for the drawing.
    """
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    height = fig.bbox.height
    width = fig.bbox.width * column
    pad = PAD * fig.dpi
    margins = []  # (left, right, above, below) of each axes, in pixels
    for ax in (top, bottom):
        box = ax.get_window_extent(renderer)
        tight = ax.get_tightbbox(renderer, for_layout_only=True)
        if tight is None:
            tight = box
        margins.append((box.x0 - tight.x0, tight.x1 - box.x1, tight.y1 - box.y1, box.y0 - tight.y0))
    (_, _, above_top, below_top), (_, _, above_bottom, below_bottom) = margins
    left = max(m[0] for m in margins) + pad
    right = max(m[1] for m in margins) + pad
    suptitle.set_y(1 - pad / height)  # its top, a pad below the figure's
    suptitle.set_x(column / 2)  # over the curve: the map has its own title
    top_y1 = height - suptitle.get_window_extent(renderer).height - 3 * pad - above_top
    bottom_y0 = below_bottom + pad
    free = top_y1 - bottom_y0 - (below_top + 2 * pad + above_bottom)
    top_height = free * ratios[0] / sum(ratios)
    x, w = left / fig.bbox.width, (width - left - right) / fig.bbox.width
    top.set_position((x, (top_y1 - top_height) / height, w, top_height / height))
    bottom.set_position((x, bottom_y0 / height, w, (free - top_height) / height))


def _x(day: date) -> float:
    """A date as matplotlib's axis number."""
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def _curve(catalog: Catalog, ax: Axes, progress: Progress, locale: Locale) -> None:
    t = catalog.t
    dates = [p.day for p in progress.curve]
    days = [_x(d) for d in dates]
    values = [p.registered for p in progress.curve]
    ax.step(
        days,
        values,
        where="post",
        color=_BLUE,
        linewidth=2.2,
        label=t("registration.chart.registered", locale),
    )
    ax.fill_between(days, values, step="post", color=_BLUE, alpha=0.12)
    total = progress.counts.total
    ax.axhline(
        total,
        color=_GREY,
        linewidth=1,
        linestyle=":",
        label=t("registration.chart.goal", locale, total=total),
    )
    end = progress.today
    if progress.deadline is not None:
        start = min(dates[0], progress.deadline - timedelta(days=1))
        ax.plot(
            [_x(start), _x(progress.deadline)],
            [0, total],
            color=_ORANGE,
            linewidth=1.6,
            linestyle="--",
            label=t("registration.chart.target_line", locale),
        )
        _forecast(catalog, ax, progress, locale)
        ax.axvline(_x(progress.deadline), color=_RED, linewidth=1, alpha=0.7)
        ax.annotate(
            t("registration.chart.deadline", locale),
            (_x(progress.deadline), total),
            textcoords="offset points",
            xytext=(-4, -14),
            ha="right",
            color=_RED,
            fontsize=9,
        )
        end = max(end, progress.deadline)
    ax.axvline(_x(progress.today), color=_GREY, linewidth=0.8, alpha=0.6)
    ax.annotate(
        t("registration.chart.today", locale),
        (_x(progress.today), 0),
        textcoords="offset points",
        xytext=(3, 4),
        color=_GREY,
        fontsize=8,
    )
    ax.set_xlim(days[0], _x(end + timedelta(days=1)))
    ax.set_ylim(0, max(total, 1) * 1.08)
    ax.set_ylabel(t("registration.chart.officers", locale))
    locator = mdates.AutoDateLocator(maxticks=8)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d/%m" if locale == "fr" else "%b %d"))  # type: ignore[no-untyped-call]
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", frameon=False, fontsize=9)


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


def _forecast(catalog: Catalog, ax: Axes, progress: Progress, locale: Locale) -> None:
    line = forecast_line(progress)
    if line is None:
        return
    (start, low), (end, high) = line
    ax.plot(
        [_x(start), _x(end)],
        [low, high],
        color=_BLUE,
        linewidth=1.6,
        linestyle=(0, (1, 1.5)),
        label=catalog.t(
            "registration.chart.forecast_line",
            locale,
            pace=decimal(progress.pace_per_day, locale),
        ),
    )


def _bars(
    catalog: Catalog,
    ax: Axes,
    shown: list[DepartmentProgress | None],
    count: int,
    locale: Locale,
) -> None:
    t = catalog.t
    labels, values, colours = [], [], []
    for item in shown:
        if item is None:
            labels.append("…")
            values.append(0.0)
            colours.append("white")
            continue
        labels.append(item.department.label)
        values.append(item.counts.percent)
        colours.append(department_map.colour(item.counts.percent))  # the map's classes
    positions = list(range(len(labels)))[::-1]
    ax.barh(
        positions,
        [max(v, 0.6) if c != "white" else 0 for v, c in zip(values, colours, strict=True)],
        color=colours,
        height=0.7,
    )
    share = "{:.0f} %" if locale == "fr" else "{:.0f}%"
    for y, value, item in zip(positions, values, shown, strict=True):
        if item is not None:
            ax.text(
                min(value, 100) + 1.5,
                y,
                f"{share.format(value)}  ({item.counts.registered}/{item.counts.total})",
                va="center",
                fontsize=8,
            )
    ax.set_yticks(positions, labels, fontsize=8)
    ax.set_xlim(0, 118)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(t("registration.chart.completion", locale))
    key = (
        "registration.chart.departments_all"
        if count <= 2 * EDGE
        else ("registration.chart.departments_edges")
    )
    ax.set_title(t(key, locale, count=count, edge=EDGE), fontsize=10, loc="left")
    ax.grid(axis="x", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)


def _departments_shown(departments: list[DepartmentProgress]) -> list[DepartmentProgress | None]:
    """Lowest completion first; the two ends with a gap marker when there are many."""
    ordered = sorted(departments, key=behind_first)
    if len(ordered) <= 2 * EDGE:
        return list(ordered)
    return [*ordered[:EDGE], None, *ordered[-EDGE:]]
