"""The PNG encoder of the charts: exact pixels back, whatever the size, the same file for the same
pixels whether its rows were deflated before or not."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from bot import charts
from bot.charts import BAND_ROWS, Drawing, encode_png


def _decoded(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.mode) == ("PNG", "RGB")
    return np.asarray(image)


@pytest.mark.parametrize(("height", "width"), [(1, 1), (BAND_ROWS, 3), (3 * BAND_ROWS + 5, 97)])
def test_the_pixels_come_back_exactly(height: int, width: int) -> None:
    pixels = np.random.default_rng(height * width).integers(0, 256, (height, width, 3), np.uint8)
    assert (_decoded(encode_png(pixels)) == pixels).all()


def test_a_picture_changed_in_one_place_comes_back_exactly() -> None:
    """Most of its rows were deflated for the first picture and are reused."""
    first = np.full((10 * BAND_ROWS, 64, 3), 255, np.uint8)
    first[:, 10:20] = (42, 111, 219)
    changed = first.copy()
    changed[3 * BAND_ROWS + 1, 5] = (214, 69, 69)
    encode_png(first)
    assert (_decoded(encode_png(changed)) == changed).all()


def test_the_same_pixels_give_the_same_file() -> None:
    pixels = np.zeros((2 * BAND_ROWS + 1, 16, 3), np.uint8)
    pixels[::2] = 200
    assert encode_png(pixels) == encode_png(pixels.copy())


def test_text_is_written_where_its_anchor_says() -> None:
    drawing = Drawing(200, 60)
    left, top, right, bottom = drawing.text((100, 30), "Relance", 20, (0, 0, 0), "mm")
    assert abs((left + right) / 2 - 100) <= 1 and abs((top + bottom) / 2 - 30) <= 2
    pixels = np.asarray(drawing.image)
    assert (pixels[top:bottom, left:right] < 128).any()  # ink where it says
    assert (pixels[:, :left] == 255).all() and (pixels[:, right:] == 255).all()


def test_bands_with_the_same_digest_are_told_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """A band is reused only if its bytes are those kept, whatever its digest says."""
    digests = charts._digests
    monkeypatch.setattr(charts, "_digests", lambda data, band: [7] * len(digests(data, band)))
    first = np.random.default_rng(1).integers(0, 256, (5 * BAND_ROWS, 30, 3), np.uint8)
    second = first.copy()
    second[2 * BAND_ROWS :] = 0
    for pixels in (first, second, first):
        assert (_decoded(encode_png(pixels)) == pixels).all()


def test_the_bands_kept_stay_within_their_limit_deflated_bytes_counted() -> None:
    kept = charts._Bands(limit=2_000)
    rng = np.random.default_rng(3)
    bands = [rng.integers(0, 256, 300, np.uint8).tobytes() for _ in range(20)]  # deflate to ≥ 300
    for digest, band in enumerate(bands):
        kept.deflated(digest, band, 1)
    held = list(kept._kept.values())
    assert sum(len(band) + len(deflated) for band, deflated, _ in held) <= 2_000
    assert [band for band, _, _ in held] == bands[-len(held) :]  # the newest kept
