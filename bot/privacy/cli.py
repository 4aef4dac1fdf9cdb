"""The privacy commands of ``python -m bot``: ``privacy-export`` and ``privacy-erase``, through
the same service as ``/confidentialite``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.i18n import Catalog, Locale
from bot.privacy.service import PrivacyService

ACTOR = "cli"


class PrivacyCli:
    def __init__(self, service: PrivacyService, catalog: Catalog, locale: Locale) -> None:
        self.service = service
        self.catalog = catalog
        self.locale = locale

    def _t(self, key: str, /, **params: Any) -> str:
        return self.catalog.t(key, self.locale, **params)

    async def export(self, officer: str, output: str | None) -> str:
        """The officer's data as JSON: the text itself, or a line saying where it was written."""
        found = await self.service.export_officer(officer, ACTOR)
        if output is None:
            return found.content.decode("utf-8")
        Path(output).write_bytes(found.content)
        return self._t("privacy.cli.exported", name=found.person.full_name, path=output)

    async def erase(
        self, officer: str, *, yes: bool, ask: Callable[[str], str] | None = None
    ) -> str:
        """Erase the officer after a typed confirmation (none with ``yes``)."""
        person = await self.service.officer(officer)
        if not yes:
            answer = (ask or input)(
                self._t("privacy.cli.erase_question", name=person.full_name, key=person.key)
            )
            if answer.strip().casefold() != self._t("privacy.cli.erase_answer").casefold():
                return self._t("privacy.cli.erase_kept")
        erased = await self.service.erase(person.key, ACTOR)
        return self._t(
            "privacy.cli.erased", name=person.full_name, rows=erased.total, backups=erased.backups
        )
