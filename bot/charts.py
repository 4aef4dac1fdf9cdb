"""Charts to PNG bytes.

Two ways of drawing: matplotlib's Agg canvas (:func:`png`), and Pillow directly (:class:`Drawing`),
several times quicker for a picture redrawn after each change. Pillow draws text with the
DejaVu fonts that matplotlib ships (nothing to download), each text rasterised once and kept;
shapes that are not along the axes are drawn at twice the size and reduced, so that their edges
are smoothed as matplotlib's are. :func:`encode_png` writes the pixels as a PNG about four times
quicker than Pillow's encoder, whose filter search for each row costs more than the drawing
(``benchmarks/bench_png.py``).
"""

from __future__ import annotations

import io
import itertools
import math
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

import numpy as np
from PIL import Image, ImageColor, ImageDraw, ImageFont

if TYPE_CHECKING:  # matplotlib is imported by the charts that draw with it, not here
    from matplotlib.backends.backend_agg import FigureCanvasAgg

RGB = tuple[int, int, int]
Point = tuple[float, float]
SUPERSAMPLE = 2  # the scale at which slanted lines and outlines are drawn before reduction
LINE_HEIGHT = 1.2  # of the font size, between the lines of a text
WHITE: RGB = (255, 255, 255)
CUT_MARGIN = 4  # pixels drawn beyond a window's edge where it cuts a smoothed part


def png(canvas: FigureCanvasAgg) -> bytes:
    """Draw ``canvas`` and encode it as PNG (zlib's default level). Every pixel of a chart is
    opaque: RGB instead of RGBA makes a smaller file, quicker to write and send."""
    canvas.draw()  # type: ignore[no-untyped-call]
    rgba = np.asarray(canvas.buffer_rgba())  # type: ignore[no-untyped-call]
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgba[..., :3])).save(buffer, format="png")
    return buffer.getvalue()


def rgb(colour: str) -> RGB:
    """``#2a6fdb`` as (42, 111, 219) (Pillow's colour names and notations)."""
    r, g, b = ImageColor.getrgb(colour)[:3]
    return r, g, b


def blend(colour: RGB, alpha: float, background: RGB = WHITE) -> RGB:
    """``colour`` at ``alpha`` opacity over ``background``, as one opaque colour."""
    r, g, b = (
        round(c * alpha + under * (1 - alpha)) for c, under in zip(colour, background, strict=True)
    )
    return r, g, b


# --- PNG -------------------------------------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(kind))
    return b"".join((struct.pack(">I", len(data)), kind, data, struct.pack(">I", crc)))


BAND_ROWS = 8  # rows deflated together, independently of the others
BANDS_KEPT_BYTES = 24_000_000  # the bands of about five pictures


_ADLER = 65521  # the modulus of zlib's Adler-32


def _adler_join(first: int, second: int, length: int) -> int:
    """The Adler-32 of two byte strings one after the other, from theirs and the second's
    ``length`` (zlib's ``adler32_combine``, which Python does not expose)."""
    rem = length % _ADLER
    low = (first & 0xFFFF) + (second & 0xFFFF) + _ADLER - 1
    high = (rem * (first & 0xFFFF)) % _ADLER + (first >> 16) + (second >> 16) + _ADLER - rem
    return (low % _ADLER) | ((high % _ADLER) << 16)


class _Bands:
    """Rows already deflated, with their Adler-32, found by a digest of their bytes (and checked
    against them): a picture that differs from one drawn before in a few places (after a change:
    the title, a bar, the end of the curve) deflates those bands only. Shared by threads; the
    oldest bands are dropped past :data:`BANDS_KEPT_BYTES` (their bytes and the deflated)."""

    def __init__(self, limit: int) -> None:
        self._kept: OrderedDict[int, tuple[bytes, bytes, int]] = OrderedDict()
        self._size, self._limit = 0, limit
        self._lock = threading.Lock()

    def deflated(self, digest: int, band: bytes, level: int) -> tuple[bytes, int]:
        with self._lock:
            found = self._kept.get(digest)
            if found is not None and found[0] == band:
                self._kept.move_to_end(digest)
                return found[1], found[2]
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)  # raw: the blocks alone
        # A full flush ends the band on a byte boundary with nothing pointing back into it:
        # bands deflated apart join into one valid stream.
        deflated = packer.compress(band) + packer.flush(zlib.Z_FULL_FLUSH)
        adler = zlib.adler32(band)
        with self._lock:
            old = self._kept.pop(digest, None)
            if old is not None:
                self._size -= len(old[0]) + len(old[1])
            self._kept[digest] = (band, deflated, adler)
            self._size += len(band) + len(deflated)
            while self._size > self._limit:
                _, (dropped, packed, _) = self._kept.popitem(last=False)
                self._size -= len(dropped) + len(packed)
        return deflated, adler


_BANDS = _Bands(BANDS_KEPT_BYTES)


@lru_cache(maxsize=8)
def _mixing(words: int) -> np.ndarray:
    """Odd 64-bit multipliers, one per 8 bytes of a band: a band's digest is the sum of its
    words times these (modulo 2**64), in one pass over the whole picture."""
    drawn = np.random.default_rng(words).integers(0, 2**63, size=words, dtype=np.uint64)
    return drawn * np.uint64(2) + np.uint64(1)


def _digests(data: np.ndarray, band: int) -> list[int]:
    """A digest of each band of ``band`` bytes of ``data`` (the last, shorter one: its hash)."""
    full = data.size // band * band
    words = data[:full].view(np.uint64).reshape(-1, band // 8)
    digests = [int(d) for d in (words * _mixing(band // 8)).sum(axis=1, dtype=np.uint64)]
    if full < data.size:
        digests.append(hash(data[full:].tobytes()))
    return digests


Part = tuple[Hashable, np.ndarray]  # pixels, and a key that says everything they are made of
Cut = tuple[tuple[int, int], ...]  # of a column: the parts' tokens and the band's offset in each
BandKey = tuple[tuple[Cut, ...], int, int]  # the cut of each column, the rows, the level


class _KnownBands:
    """Bands already deflated, found by the parts they are cut from (:func:`encode_parts`): no
    pixel of them is read again. Shared by threads; the oldest dropped past a number of
    deflated bytes."""

    def __init__(self, limit: int) -> None:
        self._kept: OrderedDict[Hashable, tuple[bytes, int]] = OrderedDict()
        self._size, self._limit = 0, limit
        self._lock = threading.Lock()

    def find_all(self, keys: Sequence[Hashable]) -> list[tuple[bytes, int] | None]:
        """What is kept for each of ``keys`` (``None`` where nothing is)."""
        with self._lock:
            kept, found = self._kept, []
            for key in keys:
                band = kept.get(key)
                if band is not None:
                    kept.move_to_end(key)
                found.append(band)
            return found

    def keep(self, key: Hashable, deflated: bytes, adler: int) -> None:
        with self._lock:
            old = self._kept.pop(key, None)
            if old is not None:
                self._size -= len(old[0])
            self._kept[key] = (deflated, adler)
            self._size += len(deflated)
            while self._size > self._limit:
                _, (dropped, _) = self._kept.popitem(last=False)
                self._size -= len(dropped)


_KNOWN_BANDS = _KnownBands(BANDS_KEPT_BYTES // 4)


class _Tokens:
    """A small number for each part's key (a key may be long to hash: a curve's every day), new
    for each key met, so that the bands' keys are quick to hash and compare."""

    def __init__(self, size: int) -> None:
        self._tokens: OrderedDict[Hashable, int] = OrderedDict()
        self._next, self._size = 0, size
        self._lock = threading.Lock()

    def __call__(self, key: Hashable) -> int:
        with self._lock:
            token = self._tokens.get(key)
            if token is None:
                token, self._next = self._next, self._next + 1
                self._tokens[key] = token
                while len(self._tokens) > self._size:
                    self._tokens.popitem(last=False)
            else:
                self._tokens.move_to_end(key)
            return token


_TOKENS = _Tokens(256)


def encode_parts(columns: Sequence[Sequence[Part]], level: int = 1) -> bytes:
    """The PNG of :func:`encode_png` (the same file) for a picture put together from parts:
    ``columns`` side by side, left first, each parts of rows stacked from the top (all columns of
    the same height). A band of rows cut from parts met before is found by their keys and
    where it lies in them, and is neither put together nor read again; a part under a new key
    that replaces one of the last picture (same place and size) is compared with it band by
    band, and its bands found the same are taken as they were: after a change, only the bands
    whose pixels changed are put together and deflated again (a key must say everything its
    pixels are made of)."""
    spans = []  # each column: (token, pixels, first row, end row) of its parts, from the top
    for column in columns:
        at, parts = 0, []
        for key, rows in column:
            parts.append((_TOKENS(key), rows, at, at + rows.shape[0]))
            at += rows.shape[0]
        spans.append(parts)
    height = spans[0][-1][3]
    width = sum(column[0][1].shape[1] for column in columns)
    keys = _band_keys(spans, height, level)
    by_place = {
        (column, first): (token, rows)
        for column, parts in enumerate(spans)
        for token, rows, first, _ in parts
    }
    parts_out, checksum = [b"\x78\x01"], 1  # zlib's header; the Adler-32 of nothing
    for index, (key, found) in enumerate(zip(keys, _KNOWN_BANDS.find_all(keys), strict=True)):
        top = index * BAND_ROWS
        bottom = min(top + BAND_ROWS, height)
        if found is None:
            found = _as_before(by_place, key, top, bottom)
            if found is not None:
                _KNOWN_BANDS.keep(key, *found)
        if found is None:
            band = np.empty((bottom - top, width * 3 + 1), dtype=np.uint8)
            band[:, 0] = 0  # filter type of each row: none
            at = 1
            for parts in spans:
                for _, rows, first, end in parts:
                    low, high = max(top, first), min(bottom, end)
                    if low < high:
                        span = rows.shape[1] * 3
                        piece = rows[low - first : high - first].reshape(high - low, span)
                        band[low - top : high - top, at : at + span] = piece
                at += parts[0][1].shape[1] * 3
            data = band.tobytes()  # a part that changed may have left this band as it was
            found = _BANDS.deflated(hash(data), data, level)
            _KNOWN_BANDS.keep(key, *found)
        parts_out.append(found[0])
        checksum = _adler_join(checksum, found[1], (bottom - top) * (width * 3 + 1))
    _PREVIOUS.keep(by_place)
    return _png(width, height, parts_out, checksum)


class _Previous:
    """The parts of the last picture encoded, by column and first row: a part drawn again
    (a new key) is mostly the same pixels as the one it replaces (the curve after one more
    registration, say), and its bands that are found the same are those bands already
    deflated. Shared by threads; only a hint (pixels are compared)."""

    def __init__(self) -> None:
        self._parts: dict[tuple[int, int], tuple[int, np.ndarray]] = {}
        self._lock = threading.Lock()

    def get(self, column: int, first: int) -> tuple[int, np.ndarray] | None:
        with self._lock:
            return self._parts.get((column, first))

    def keep(self, parts: dict[tuple[int, int], tuple[int, np.ndarray]]) -> None:
        with self._lock:
            self._parts = parts


_PREVIOUS = _Previous()


def _as_before(
    parts: dict[tuple[int, int], tuple[int, np.ndarray]], key: BandKey, top: int, bottom: int
) -> tuple[bytes, int] | None:
    """The band of ``key`` (rows ``top`` to ``bottom``) already deflated, if each part it is cut
    from replaces one of the last picture (same column, first row and size) whose pixels there
    are the same: the band under the old parts' tokens."""
    cuts, rows_count, level = key
    before: list[Cut] = []
    for column, cut in enumerate(cuts):
        replaced: list[tuple[int, int]] = []
        for token, offset in cut:
            first = top - offset
            previous = _PREVIOUS.get(column, first)
            if previous is None:
                return None
            old_token, old_rows = previous
            if old_token != token:
                rows = parts[column, first][1]
                low, high = max(top, first) - first, min(bottom, first + rows.shape[0]) - first
                if old_rows.shape != rows.shape or not np.array_equal(
                    old_rows[low:high], rows[low:high]
                ):
                    return None
            replaced.append((old_token, offset))
        before.append(tuple(replaced))
    return _KNOWN_BANDS.find_all([(tuple(before), rows_count, level)])[0]


def _band_keys(
    spans: list[list[tuple[int, np.ndarray, int, int]]], height: int, level: int
) -> list[BandKey]:
    """The key of each band of :data:`BAND_ROWS` rows: for each column, the parts it is cut
    from and where it starts in each (their tokens and offsets), its rows and the level."""
    keys: list[BandKey] = []
    starts = [0] * len(spans)  # per column, the first part that ends below the band's top
    for top in range(0, height, BAND_ROWS):
        bottom = min(top + BAND_ROWS, height)
        cuts: list[Cut] = []
        for column, parts in enumerate(spans):
            i = starts[column]
            while parts[i][3] <= top:
                i += 1
            starts[column] = i
            token, _, first, end = parts[i]
            if end >= bottom:  # within one part (most bands)
                cuts.append(((token, top - first),))
                continue
            cut: list[tuple[int, int]] = []
            while i < len(parts) and parts[i][2] < bottom:
                if parts[i][3] > parts[i][2]:
                    cut.append((parts[i][0], top - parts[i][2]))
                i += 1
            cuts.append(tuple(cut))
        keys.append((tuple(cuts), bottom - top, level))
    return keys


def encode_png(*columns: np.ndarray, level: int = 1) -> bytes:
    """RGB pixels (height × width × 3, uint8; several ``columns`` of the same height are put
    side by side, left first) as a PNG, rows unfiltered, deflated at zlib ``level`` in bands of
    :data:`BAND_ROWS` rows, each band's deflated bytes kept for the next picture (the same pixels
    always give the same file). For the ``/progression`` picture after a change, about four
    times quicker than Pillow's writer, for a file the size of Pillow's at level 1 and a tenth
    larger than at its default level 6 (``benchmarks/bench_png.py``)."""
    height = columns[0].shape[0]
    width = sum(c.shape[1] for c in columns)
    rows = np.empty((height, width * 3 + 1), dtype=np.uint8)
    rows[:, 0] = 0  # filter type of each row: none
    at = 1
    for column in columns:
        span = column.shape[1] * 3
        rows[:, at : at + span] = column.reshape(height, span)
        at += span
    data = rows.reshape(-1)
    band = BAND_ROWS * rows.shape[1]  # a multiple of 8 bytes
    parts, checksum = [b"\x78\x01"], 1  # zlib's header; the Adler-32 of nothing
    for index, digest in enumerate(_digests(data, band)):
        chunk = data[index * band : (index + 1) * band].tobytes()
        deflated, adler = _BANDS.deflated(digest, chunk, level)
        parts.append(deflated)
        checksum = _adler_join(checksum, adler, len(chunk))
    return _png(width, height, parts, checksum)


def _png(width: int, height: int, deflated: list[bytes], checksum: int) -> bytes:
    """An RGB PNG (8 bits) of the zlib stream ``deflated`` (its header, then bands each closed by
    a full flush), ended here by an empty final block and the Adler-32 ``checksum``."""
    stream = b"".join((*deflated, b"\x03\x00", struct.pack(">I", checksum)))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, RGB
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", stream),
            _chunk(b"IEND", b""),
        )
    )


# --- parts kept --------------------------------------------------------------------------------

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """The last ``size`` values made, by a key that says everything they are made of (the part
    of a picture that a change leaves as it was is not drawn again); shared by threads (two
    making the same value at once both make it, one is kept)."""

    def __init__(self, size: int) -> None:
        self._values: OrderedDict[K, V] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: K, make: Callable[[], V]) -> V:
        found = self.find(key)
        if found is not None:
            return found
        value = make()
        self.keep(key, value)
        return value

    def find(self, key: K) -> V | None:
        """The value kept for ``key``, if any."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        return None

    def keep(self, key: K, value: V) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self._size:
                self._values.popitem(last=False)


def pixels(drawing: Drawing) -> np.ndarray:
    """The drawing's pixels, read only (to be kept and put together with others)."""
    array = np.asarray(drawing.image)
    array.flags.writeable = False
    return array


# --- text ------------------------------------------------------------------------------------


def _font_folder() -> Path:
    spec = find_spec("matplotlib")  # found without importing it
    if spec is None or spec.origin is None:
        raise RuntimeError("matplotlib, whose fonts the charts use, is not installed")
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"


@lru_cache(maxsize=16)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (matplotlib's default font) at ``size`` pixels."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(
        str(_font_folder() / name), size, layout_engine=ImageFont.Layout.BASIC
    )


_FREETYPE = threading.Lock()  # one FreeType face is not to be used by two threads at once


@lru_cache(maxsize=4096)
def _glyphs(
    text: str, size: int, bold: bool, anchor: str, vertical: bool
) -> tuple[Image.Image, int, int]:
    """The coverage of ``text`` (an "L" mask) and where its top left corner lies from the
    anchor point: rasterised once per text, size and anchor."""
    face = font(size, bold)
    with _FREETYPE:
        if vertical:  # drawn horizontally around its centre, then turned a quarter left
            anchor = "mm"
        box = face.getbbox(text, anchor=anchor)
        left, top = math.floor(box[0]), math.floor(box[1])
        right, bottom = math.ceil(box[2]), math.ceil(box[3])
        mask = Image.new("L", (max(right - left, 1), max(bottom - top, 1)), 0)
        ImageDraw.Draw(mask).text((-left, -top), text, font=face, fill=255, anchor=anchor)
    if vertical:
        mask = mask.transpose(Image.Transpose.ROTATE_90)
        return mask, -(mask.width // 2), -(mask.height // 2)
    return mask, left, top


@lru_cache(maxsize=64)
def line_height(size: int, bold: bool = False) -> int:
    """The height of a line of text at ``size``, from the top of its tallest letters to the
    bottom of the lowest (ascent and descent)."""
    face = font(size, bold)
    with _FREETYPE:
        ascent, descent = face.getmetrics()
    return int(ascent + descent)


@lru_cache(maxsize=4096)
def text_width(text: str, size: int, bold: bool = False) -> int:
    """The advance of ``text`` at ``size``: how far the next text would start (measured once
    per text and size)."""
    face = font(size, bold)
    with _FREETYPE:
        return math.ceil(face.getlength(text))


# --- drawing ---------------------------------------------------------------------------------


class Drawing:
    """An RGB picture on which to write text and draw shapes, in pixels from the top left.

    With ``left`` and ``top``, the drawing is a window of a larger picture from that corner, in
    that picture's coordinates: what falls outside is left out, and the pixels drawn are those
    the whole picture would have there (a picture can be drawn in parts kept apart, and a part
    drawn again where it changed only)."""

    def __init__(
        self,
        width: int,
        height: int,
        background: RGB = WHITE,
        *,
        top: int = 0,
        left: int = 0,
    ) -> None:
        self.image = Image.new("RGB", (width, height), background)
        self.draw = ImageDraw.Draw(self.image)
        self.top, self.left = top, left

    def text(
        self,
        xy: Point,
        text: str,
        size: int,
        fill: RGB,
        anchor: str = "la",
        *,
        bold: bool = False,
        vertical: bool = False,
    ) -> tuple[int, int, int, int]:
        """Write ``text`` with Pillow's ``anchor`` at ``xy`` (``vertical``: turned a quarter
        left, centred on ``xy``); lines split at ``\\n`` are centred or aligned as the anchor's
        first letter says. Returns the box written (left, top, right, bottom)."""
        lines = text.split("\n")
        if len(lines) > 1:
            return self._lines(xy, lines, size, fill, anchor, bold)
        mask, dx, dy = _glyphs(text, size, bold, anchor, vertical)
        x, y = round(xy[0]) + dx, round(xy[1]) + dy
        column, row = x - self.left, y - self.top
        self.image.paste(fill, (column, row, column + mask.width, row + mask.height), mask)
        return x, y, x + mask.width, y + mask.height

    def _lines(
        self, xy: Point, lines: list[str], size: int, fill: RGB, anchor: str, bold: bool
    ) -> tuple[int, int, int, int]:
        step = round(size * LINE_HEIGHT)
        first = {"t": 0.0, "m": -(len(lines) - 1) * step / 2}.get(
            anchor[1], -(len(lines) - 1) * step
        )
        boxes = [
            self.text((xy[0], xy[1] + first + i * step), line, size, fill, anchor, bold=bold)
            for i, line in enumerate(lines)
        ]
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )

    def rectangle(self, box: tuple[float, float, float, float], fill: RGB) -> None:
        """Fill the pixels from (left, top) up to, not including, (right, bottom)."""
        x0, y0, x1, y1 = (round(v) for v in box)
        if x1 > x0 and y1 > y0:
            x0, x1, y0, y1 = x0 - self.left, x1 - self.left, y0 - self.top, y1 - self.top
            self.draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=fill)

    def hline(self, y: float, x0: float, x1: float, fill: RGB, width: int = 1) -> None:
        """A horizontal line ``width`` pixels thick, centred on ``y``."""
        top = round(y - width / 2)
        self.rectangle((x0, top, x1, top + width), fill)

    def vline(self, x: float, y0: float, y1: float, fill: RGB, width: int = 1) -> None:
        """A vertical line ``width`` pixels thick, centred on ``x``."""
        left = round(x - width / 2)
        self.rectangle((left, min(y0, y1), left + width, max(y0, y1)), fill)

    @contextmanager
    def smooth(self, box: tuple[int, int, int, int], background: RGB = WHITE) -> Iterator[Smooth]:
        """Draw in ``box`` at :data:`SUPERSAMPLE` times the size, reduced back and pasted over
        the box on leaving: edges of slanted lines and of polygons come out smoothed. The box
        starts filled with ``background`` (what was drawn there before is covered)."""
        width, height = self.image.size
        # The part inside this window, drawn with a margin where the window cuts it (shapes cut
        # at the edge of what is drawn may be rounded a subpixel apart there).
        wx0, wy0, wx1, wy1 = self.left, self.top, self.left + width, self.top + height
        m = CUT_MARGIN
        x0, y0 = max(box[0], wx0 - m), max(box[1], wy0 - m)
        x1, y1 = min(box[2], wx1 + m), min(box[3], wy1 + m)
        k = SUPERSAMPLE
        region = Image.new("RGB", (max(x1 - x0, 0) * k, max(y1 - y0, 0) * k), background)
        yield Smooth(region, x0, y0, k)
        inside = (max(x0, wx0), max(y0, wy0), min(x1, wx1), min(y1, wy1))
        if inside[2] > inside[0] and inside[3] > inside[1]:
            reduced = region.reduce(k).crop(
                (inside[0] - x0, inside[1] - y0, inside[2] - x0, inside[3] - y0)
            )
            self.image.paste(reduced, (inside[0] - self.left, inside[1] - self.top))


class Smooth:
    """A part of a :class:`Drawing` drawn larger (see :meth:`Drawing.smooth`): coordinates are the
    drawing's, widths in the drawing's pixels."""

    def __init__(self, image: Image.Image, left: int, top: int, scale: int) -> None:
        self.image = image
        self.draw = ImageDraw.Draw(image, "RGBA")  # fills with an alpha are blended
        self._left, self._top, self._k = left, top, scale

    def hline(self, y: float, x0: float, x1: float, fill: RGB) -> None:
        """A line one pixel of the drawing thick along the row of ``y``: as sharp as if drawn
        at the drawing's size."""
        k, row = self._k, round(y) - self._top
        left, right = round((x0 - self._left) * k), round((x1 - self._left) * k)
        self.draw.rectangle((left, row * k, right - 1, row * k + k - 1), fill=fill)

    def _xy(self, points: Sequence[Point]) -> list[tuple[float, float]]:
        k = self._k
        return [((x - self._left) * k, (y - self._top) * k) for x, y in points]

    def polygon(
        self,
        points: Sequence[Point],
        fill: RGB | tuple[int, int, int, int],
        outline: RGB | None = None,
        width: float = 1.0,
    ) -> None:
        xy = self._xy(points)
        self.draw.polygon(xy, fill=fill)
        if outline is not None:
            self.draw.line([*xy, xy[0]], fill=outline, width=max(1, round(width * self._k)))

    def line(
        self,
        points: Sequence[Point],
        fill: RGB | tuple[int, int, int, int],
        width: float,
        dash: tuple[float, float] | None = None,
    ) -> None:
        """A polyline ``width`` pixels thick; ``dash``: (on, off) lengths in pixels."""
        (xa, ya), (xb, yb) = points[0], points[-1]
        k = self._k
        if dash is not None and len(points) == 2 and ya == yb and len(fill) == 3:
            thickness, period = max(1, round(width * k)), (round(dash[0] * k), round(dash[1] * k))
            mask = _dashed_mask(round(abs(xb - xa) * k), thickness, *period)
            x = round((min(xa, xb) - self._left) * k)
            y = round((ya - self._top) * k - thickness / 2)
            self.image.paste(fill[:3], (x, y, x + mask.width, y + mask.height), mask)
            return
        pieces = [list(points)] if dash is None else _dashes(points, *dash)
        right, bottom = self._left + self.image.width / k, self._top + self.image.height / k
        for piece in pieces:
            xs, ys = [x for x, _ in piece], [y for _, y in piece]
            if (  # a dash wholly outside the part drawn (see Drawing's windows) is left out
                max(xs) + width < self._left
                or min(xs) - width > right
                or max(ys) + width < self._top
                or min(ys) - width > bottom
            ):
                continue
            self.draw.line(
                self._xy(piece), fill=fill, width=max(1, round(width * k)), joint="curve"
            )


@lru_cache(maxsize=64)
def _dashed_mask(length: int, thickness: int, on: int, off: int) -> Image.Image:
    """A horizontal dashed line as a mask: ``on`` pixels drawn, ``off`` left out."""
    row = (np.arange(max(length, 1)) % max(on + off, 1) < on).astype(np.uint8) * 255
    return Image.fromarray(np.tile(row, (thickness, 1)), "L")


def _dashes(points: Sequence[Point], on: float, off: float) -> list[list[Point]]:
    """The pieces drawn of a dashed polyline: ``on`` pixels drawn, ``off`` left out, along it."""
    pieces: list[list[Point]] = []
    drawing, left = True, on  # in a dash or a gap, and how much of it is left
    current: list[Point] = [points[0]]
    for (xa, ya), (xb, yb) in itertools.pairwise(points):
        length = math.hypot(xb - xa, yb - ya)
        done = 0.0
        while length - done > left:
            done += left
            point = (xa + (xb - xa) * done / length, ya + (yb - ya) * done / length)
            if drawing:
                current.append(point)
                pieces.append(current)
            current = [point]
            drawing = not drawing
            left = on if drawing else off
        left -= length - done
        if drawing:
            current.append((xb, yb))
        else:
            current = [(xb, yb)]
    if drawing and len(current) > 1:
        pieces.append(current)
    return pieces
