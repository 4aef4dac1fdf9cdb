"""A picture encoded from parts: the same file as the whole picture encoded, whatever was
encoded before, and the pixels back exactly after a part changed."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from bot import charts
from bot.charts import BAND_ROWS, encode_parts, encode_png


def _decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _rows(seed: int, height: int, width: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rows = np.full((height, width, 3), 255, np.uint8)
    rows[:, : width // 2] = rng.integers(0, 256, (height, width // 2, 3), np.uint8)
    return rows


def test_parts_give_the_file_of_the_whole_picture() -> None:
    top, middle, bottom = _rows(1, 5, 40), _rows(2, 2 * BAND_ROWS + 3, 40), _rows(3, 11, 40)
    right = _rows(4, 5 + 2 * BAND_ROWS + 3 + 11, 24)
    whole = encode_png(np.concatenate((top, middle, bottom)), right)
    parts = encode_parts([[("t", top), ("m", middle), ("b", bottom)], [("r", right)]])
    assert parts == whole


def test_a_changed_part_comes_back_exactly_and_the_others_are_reused() -> None:
    top, bottom = _rows(5, 3 * BAND_ROWS + 2, 32), _rows(6, 2 * BAND_ROWS, 32)
    right = _rows(7, 5 * BAND_ROWS + 2, 16)
    encode_parts([[("top", top), ("bottom", bottom)], [("right", right)]])
    changed = top.copy()
    changed[BAND_ROWS + 1, 3] = (1, 2, 3)  # one pixel of one band
    png = encode_parts([[("top 2", changed), ("bottom", bottom)], [("right", right)]])
    assert (_decoded(png) == np.concatenate((np.concatenate((changed, bottom)), right), 1)).all()


def test_a_part_drawn_again_puts_together_only_the_bands_it_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A part under a new key replacing one of the last picture (same place and size): its
    bands whose pixels are the same are taken as they were, not put together and read again."""
    top, bottom = _rows(8, 4 * BAND_ROWS, 32), _rows(9, 2 * BAND_ROWS + 3, 32)
    right = _rows(10, 6 * BAND_ROWS + 3, 16)
    encode_parts([[("top, first", top), ("bottom, first", bottom)], [("right, first", right)]])
    changed = top.copy()
    changed[2 * BAND_ROWS + 1, 5] = (9, 9, 9)  # one pixel of the third band
    assembled: list[bytes] = []
    deflated = charts._BANDS.deflated

    def counted(digest: int, band: bytes, level: int) -> tuple[bytes, int]:
        assembled.append(band)
        return deflated(digest, band, level)

    monkeypatch.setattr(charts._BANDS, "deflated", counted)
    png = encode_parts(
        [[("top, again", changed), ("bottom, first", bottom)], [("right, first", right)]]
    )
    assert len(assembled) == 1
    assert png == encode_png(np.concatenate((changed, bottom)), right)
