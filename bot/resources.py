"""Reference data shipped inside the package (departments, demo data), read through
:mod:`importlib.resources` so that an installed wheel finds it as a checkout does."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def reference(*parts: str) -> Traversable:
    """A file or folder of ``bot/data``: ``reference("demo", "roster.csv")``."""
    return files("bot").joinpath("data", *parts)
