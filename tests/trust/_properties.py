"""What the property suites share: small reproducible settings and the "clear refusal" check."""

import re

from hypothesis import HealthCheck, settings

from bot.errors import UserError, render_user_error
from bot.i18n import Catalog

CATALOG = Catalog.load()
# What Discord would read in a refusal: a masked link, a mention, a ping (never escaped there).
_MARKUP = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(|(?<!\\)<[@#]|@(?:everyone|here)", re.IGNORECASE)


def quick(max_examples: int) -> settings:
    """Small and reproducible: the same examples on every run, no timing-based failure."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


def clear(error: UserError) -> None:
    """A refusal the user can read: a catalog sentence in both languages, which names what was
    given (a typed value, a file's name or cell) as text: no link, no mention, no ping."""
    assert CATALOG.has(error.key), error.key
    for locale in ("fr", "en"):
        shown = render_user_error(CATALOG, error, locale)
        assert shown.strip()
        assert _MARKUP.search(shown) is None, shown
