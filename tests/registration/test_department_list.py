"""``/status departement``: the list reads only what it shows, and its pages are written one at a
time, the same as all at once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.i18n import Catalog
from bot.registration.cli import RegistrationCli
from bot.registration.models import DepartmentList, OfficerLine, OfficerStatus
from bot.registration.service import RegistrationService
from cogs._ui import Paginator, line_pages
from cogs.registration import _render as render
from tests.registration.conftest import roster_bytes, signups_bytes

# Twenty officers in Morbihan (two pages), five of them signed up; one officer in Finistère.
ROSTER = roster_bytes(
    *(f"M{i:02};Prénom{i};Nom{20 - i:02};56;m{i}@x.fr;" for i in range(1, 21)),
    "F01;Anne;Le Goff;29;anne@x.fr;",
)
SIGNUPS = signups_bytes(
    *(f"S{i},Prénom{i} Nom{20 - i:02},m{i}@x.fr,56000,2010-02-2{i} 10:00" for i in range(1, 6))
)


@pytest.fixture
async def loaded(service: RegistrationService) -> RegistrationService:
    await service.import_roster(ROSTER, "r.csv", "cli", apply=True)
    await service.import_signups(SIGNUPS, "s.csv", "cli")
    return service


def _eager_pages(cat: Catalog, status: DepartmentList) -> list[dict[str, object]]:
    """The pages as written before, every line at once."""
    lines = [render.officer_line(cat, o, "fr") for o in status.officers]
    pages = line_pages(
        cat,
        render.department_title(cat, status, "fr"),
        lines,
        render.LIST_PAGE,
        "fr",
        header=render.counts_line(cat, status.counts, "fr"),
    )
    return [p.to_dict() for p in pages]


async def test_department_list_is_status_department_in_short(loaded: RegistrationService) -> None:
    full = await loaded.status_department("56")
    listed = await loaded.department_list("56")
    assert listed.counts == full.counts
    assert [(o.key, o.full_name, o.status, o.status_since) for o in listed.officers] == [
        (o.officer.key, o.officer.full_name, o.officer.status, o.officer.status_since)
        for o in full.officers
    ]


async def test_department_list_puts_the_unregistered_first(loaded: RegistrationService) -> None:
    listed = await loaded.department_list("Morbihan")
    assert [o.key for o in listed.officers][:3] == ["M20", "M19", "M18"]
    assert [o.key for o in listed.officers][-5:] == ["M05", "M04", "M03", "M02", "M01"]
    assert {o.status for o in listed.officers[-5:]} == {"registered"}


async def test_department_list_reads_no_signup(
    loaded: RegistrationService, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def refused(*args: object, **kwargs: object) -> object:
        raise AssertionError("the list reads no sign-up")

    monkeypatch.setattr(loaded._repo, "signups_by_id", refused)
    monkeypatch.setattr(loaded._repo, "signup", refused)
    assert (await loaded.department_list("56")).counts.registered == 5


async def test_pages_one_at_a_time_are_the_pages_all_at_once(
    loaded: RegistrationService, catalog: Catalog
) -> None:
    listed = await loaded.department_list("56")
    one_at_a_time = [
        render.department_page(catalog, listed, "fr", i)
        for i in range(render.department_page_count(listed))
    ]
    assert [p.to_dict() for p in one_at_a_time] == _eager_pages(catalog, listed)
    assert one_at_a_time[1].footer.text == catalog.t("common.page", "fr", page=2, pages=2)


async def test_a_one_page_department_has_no_page_footer(
    loaded: RegistrationService, catalog: Catalog
) -> None:
    listed = await loaded.department_list("29")
    page = render.department_page(catalog, listed, "fr", 0)
    assert (render.department_page_count(listed), page.footer.text) == (1, None)
    assert page.to_dict() == _eager_pages(catalog, listed)[0]


async def test_an_empty_department_has_one_page_saying_so(
    loaded: RegistrationService, catalog: Catalog
) -> None:
    listed = await loaded.department_list("22")
    page = render.department_page(catalog, listed, "fr", 0)
    assert render.department_page_count(listed) == 1
    assert page.description == catalog.t("reg.ui.empty_department", "fr")


async def test_the_lazy_paginator_builds_a_page_when_first_asked() -> None:
    built: list[int] = []

    def build(index: int) -> render.discord.Embed:
        built.append(index)
        return render.discord.Embed(title=f"page {index}")

    first = render.discord.Embed(title="page 0")
    view = Paginator(1, build, ("<", ">"), count=3, first=first)
    assert built == []
    assert view.page(0) is first
    assert view.page(2).title == "page 2"
    assert view.page(2).title == "page 2"
    assert built == [2]


async def test_the_lazy_paginator_starts_with_only_next_enabled() -> None:
    view = Paginator(1, lambda i: render.discord.Embed(), ("<", ">"), count=3)
    assert (view.previous.disabled, view.next.disabled) == (True, False)
    assert [(b.label, b.custom_id) for b in (view.previous, view.next)] == [
        ("<", "page:previous"),
        (">", "page:next"),
    ]


async def test_the_cli_and_the_list_show_one_order_and_one_percentage(
    service: RegistrationService, catalog: Catalog
) -> None:
    await service.import_roster(
        roster_bytes("R1;Anne;Roy;56;anne@x.fr;", "R2;Luc;Abel;56;;", "R3;Léa;Abel;56;;"),
        "r.csv",
        "cli",
        apply=True,
    )
    await service.import_signups(
        signups_bytes("S1,Anne Roy,anne@x.fr,56000,2010-02-26 10:00"), "s.csv", "cli"
    )
    printed = (await RegistrationCli(service, catalog, "fr").status("56", False)).splitlines()
    listed = await service.department_list("56")
    assert [line.split()[0] for line in printed[1:]] == [o.key for o in listed.officers]
    assert [o.key for o in listed.officers] == ["R2", "R3", "R1"]
    assert "(33,3\u00a0%)" in printed[0]
    assert "(33,3\u00a0%)" in render.department_title(catalog, listed, "fr")


def test_an_officers_line_follows_their_status_name_and_language(catalog: Catalog) -> None:
    """A line written once is written again when what it shows changes (lines are kept)."""
    since = datetime(2010, 2, 20, 10, 0, tzinfo=UTC)
    line = OfficerLine(
        key="M01",
        first_name="Anne",
        last_name="Roy",
        department="56",
        status=OfficerStatus.UNREGISTERED,
        status_since=None,
    )
    first = render.officer_line(catalog, line, "fr")
    assert render.officer_line(catalog, line, "fr") == first
    assert "Anne Roy" in first and "M01" in first
    assert catalog.t("registration.status.unregistered", "fr") in first
    line.status, line.status_since = OfficerStatus.REGISTERED, since
    registered = render.officer_line(catalog, line, "fr")
    assert catalog.t("registration.status.registered", "fr") in registered
    assert catalog.t("registration.status.unregistered", "fr") not in registered
    assert registered == render.officer_line(Catalog.load(), line, "fr")  # written afresh
    assert render.when(since) in registered
    line.first_name = "Anna"
    assert "Anna Roy" in render.officer_line(catalog, line, "fr")
    english = render.officer_line(catalog, line, "en")
    assert catalog.t("registration.status.registered", "en") in english
    assert english != render.officer_line(catalog, line, "fr")
    other = Catalog({**{k: {"fr": "x", "en": "x"} for k in catalog.keys()}})
    assert render.officer_line(other, line, "fr") == "x"
