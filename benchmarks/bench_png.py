"""The ``/progression`` picture's PNG writer (:func:`bot.charts.encode_png`: rows unfiltered,
deflated at zlib level 1 in bands, the bands of earlier pictures reused) against Pillow's own
writer (``Image.save(..., "PNG", compress_level=1..6, optimize=False)``, which chooses a filter
for each row) and against zlib alone on the unfiltered rows (no bands kept), on the same
pictures, in the same run.

The pictures are the demo data's (as ``render_progression.py`` draws them), one more officer
registered in each (the title, a bar and the end of the curve change): each is timed after the
one before, as ``/progression`` after a change. Warm: every picture but the first, all encoders
in turn on each picture (median and 90th percentile, wall clock and the thread's CPU time, which
the other programs of a shared machine disturb less). Cold: the first picture encoded in a fresh
process (the median of three processes, for ``encode_png``, Pillow at levels 1 and 6 and zlib at
level 1). Sizes in kB. Records the ratio of each Pillow level's
warm median to ``encode_png``'s, and the time each adds, through ``_report``.

    python benchmarks/bench_png.py [--pictures 20] [--cold 3]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from benchmarks._report import record  # noqa: E402
from benchmarks.render_progression import demo_progress  # noqa: E402
from bot import charts  # noqa: E402
from bot.charts import encode_png  # noqa: E402
from bot.i18n import Catalog  # noqa: E402
from bot.registration.charts import CURVE_WIDTH, progress_chart  # noqa: E402
from bot.registration.models import Counts, Progress  # noqa: E402

NAME = "bench_png"
Columns = tuple[np.ndarray, np.ndarray]  # the curve's part, the map's


def one_more(progress: Progress, index: int) -> Progress:
    """``progress`` with one more officer registered, in the ``index``-th department that has
    one missing (in turn), and on the curve's last day."""

    def more(counts: Counts) -> Counts:
        return dataclasses.replace(
            counts, registered=counts.registered + 1, unregistered=counts.unregistered - 1
        )

    departments = list(progress.departments)
    missing = [i for i, d in enumerate(departments) if d.counts.unregistered > 0]
    if missing:
        at = missing[index % len(missing)]
        departments[at] = dataclasses.replace(departments[at], counts=more(departments[at].counts))
    curve = list(progress.curve)
    curve[-1] = dataclasses.replace(curve[-1], registered=curve[-1].registered + 1)
    return dataclasses.replace(
        progress, counts=more(progress.counts), departments=departments, curve=curve
    )


def forget_bands() -> None:
    """Nothing deflated before: drawing the pictures encoded them all already."""
    charts._BANDS = charts._Bands(charts.BANDS_KEPT_BYTES)
    charts._mixing.cache_clear()


def pictures(count: int) -> list[Columns]:
    """The pixels of ``count`` pictures, each after one more registration (read back from the
    chart's PNG: the very pixels the chart encodes), split where the map begins; the bands that
    drawing them deflated are forgotten."""
    catalog = Catalog.load()
    progress = asyncio.run(demo_progress())
    drawn: list[Columns] = []
    for index in range(count):
        progress = one_more(progress, index)
        png = progress_chart(catalog, progress, "fr")
        pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
        drawn.append((pixels[:, :CURVE_WIDTH].copy(), pixels[:, CURVE_WIDTH:].copy()))
    forget_bands()
    return drawn


def _pillow(level: int) -> Callable[[Columns], bytes]:
    def encode(columns: Columns) -> bytes:
        # As the chart would: the map pasted beside the curve in one image, then saved.
        curve, drawn = columns
        image = Image.new("RGB", (curve.shape[1] + drawn.shape[1], curve.shape[0]))
        image.paste(Image.fromarray(curve), (0, 0))
        image.paste(Image.fromarray(drawn), (curve.shape[1], 0))
        buffer = io.BytesIO()
        image.save(buffer, "PNG", compress_level=level, optimize=False)
        return buffer.getvalue()

    return encode


def _zlib(level: int) -> Callable[[Columns], bytes]:
    """The unfiltered rows deflated at once (the IDAT's content only, without the chunks)."""

    def encode(columns: Columns) -> bytes:
        pixels = np.concatenate(columns, axis=1)
        rows = np.zeros((pixels.shape[0], pixels.shape[1] * 3 + 1), np.uint8)
        rows[:, 1:] = pixels.reshape(pixels.shape[0], -1)
        return zlib.compress(rows.tobytes(), level)

    return encode


HAND = "encode_png (bands kept)"
ENCODERS: dict[str, Callable[[Columns], bytes]] = {HAND: lambda columns: encode_png(*columns)}
ENCODERS |= {f"Pillow compress_level={level}": _pillow(level) for level in range(1, 7)}
ENCODERS |= {f"zlib level {level}, one stream, no bands": _zlib(level) for level in (1, 6)}
COLD = (
    HAND,
    "Pillow compress_level=1",
    "Pillow compress_level=6",
    "zlib level 1, one stream, no bands",
)


def cold(name: str, saved: Path) -> tuple[float, int]:
    """The picture ``saved`` encoded by ``name``, first thing in a fresh process: milliseconds
    and bytes."""
    done = subprocess.run(
        [sys.executable, __file__, "--first", name, "--pixels", str(saved)],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return float(found["ms"]), int(found["bytes"])


def first(name: str, saved: Path) -> None:
    with np.load(saved) as kept:
        columns = (kept["curve"], kept["map"])
    start = time.perf_counter()
    png = ENCODERS[name](columns)
    print(json.dumps({"ms": (time.perf_counter() - start) * 1000, "bytes": len(png)}))


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[round(0.9 * (len(ordered) - 1))]


def run(count: int, colds: int) -> None:
    drawn = pictures(count)
    height, width = drawn[0][0].shape[0], sum(c.shape[1] for c in drawn[0])
    print(f"{count} pictures of {width}×{height} pixels")
    expected = np.concatenate(drawn[0], axis=1)
    for name, encode in ENCODERS.items():  # the PNG writers give back the pixels
        if not name.startswith("zlib"):
            back = np.asarray(Image.open(io.BytesIO(encode(drawn[0]))).convert("RGB"))
            assert (back == expected).all(), name
    wall: dict[str, list[float]] = {name: [] for name in ENCODERS}
    cpu: dict[str, list[float]] = {name: [] for name in ENCODERS}
    size: dict[str, list[int]] = {name: [] for name in ENCODERS}
    for index, columns in enumerate(drawn):
        for name, encode in ENCODERS.items():
            start, start_cpu = time.perf_counter(), time.thread_time()
            png = encode(columns)
            if index:  # the first is after the check above: neither cold nor after a change
                wall[name].append((time.perf_counter() - start) * 1000)
                cpu[name].append((time.thread_time() - start_cpu) * 1000)
                size[name].append(len(png))
    print(
        f"{'ms, after a change':<40} {'wall p50':>8} {'p90':>6} {'cpu p50':>8} {'p90':>6} "
        f"{'cold':>6} {'kB':>5}"
    )
    with tempfile.TemporaryDirectory() as folder:
        saved = Path(folder) / "picture.npz"
        np.savez(saved, curve=drawn[1][0], map=drawn[1][1])
        firsts = {name: [cold(name, saved) for _ in range(colds)] for name in COLD}
    cold_ms = {name: statistics.median(ms for ms, _ in firsts[name]) for name in COLD}
    for name in ENCODERS:
        first_ms = f"{cold_ms[name]:6.1f}" if name in COLD else f"{'':6}"
        print(
            f"{name:<40} {statistics.median(wall[name]):8.1f} {p90(wall[name]):6.1f} "
            f"{statistics.median(cpu[name]):8.1f} {p90(cpu[name]):6.1f} {first_ms} "
            f"{statistics.median(size[name]) / 1000:5.0f}"
        )
    hand, hand_cpu = statistics.median(wall[HAND]), statistics.median(cpu[HAND])
    for level in (1, 6):
        name = f"Pillow compress_level={level}"
        pillow, pillow_cpu = statistics.median(wall[name]), statistics.median(cpu[name])
        record(NAME, f"{name} / encode_png, after a change, warm p50 (wall)", pillow / hand)
        record(NAME, f"{name} / encode_png, after a change, warm p50 (CPU)", pillow_cpu / hand_cpu)
        record(NAME, f"{name} − encode_png, after a change, warm p50", pillow - hand, unit=" ms")
        record(NAME, f"{name} / encode_png, cold", cold_ms[name] / cold_ms[HAND])
    record(NAME, "encode_png, after a change, warm p50", hand, unit=" ms")
    record(NAME, "encode_png's file", statistics.median(size[HAND]) / 1000, unit=" kB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=int, default=20)
    parser.add_argument("--cold", type=int, default=3, help="fresh processes per encoder")
    parser.add_argument("--first", help=argparse.SUPPRESS)  # one cold encoding, in a child
    parser.add_argument("--pixels", type=Path, help=argparse.SUPPRESS)  # of that picture
    args = parser.parse_args()
    if args.first:
        first(args.first, args.pixels)
    else:
        run(args.pictures, args.cold)


if __name__ == "__main__":
    main()
