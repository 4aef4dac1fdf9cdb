from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.errors import InvalidInput, NotFound
from bot.i18n import Catalog
from bot.registration.models import ReviewDecision, RosterField
from bot.registration.problems import FileRejected
from bot.registration.service import RegistrationService
from bot.storage.audit import AuditRepository
from bot.storage.database import Database
from tests.registration.conftest import DATA, roster_bytes, signups_bytes

ROSTER = (DATA / "roster.csv").read_bytes()
SIGNUPS = (DATA / "signups.csv").read_bytes()


async def _loaded(service: RegistrationService) -> None:
    await service.import_roster(ROSTER, "roster.csv", "cli", apply=True)
    await service.import_signups(SIGNUPS, "signups.csv", "cli")


async def test_a_dry_run_shows_the_diff_and_writes_nothing(service: RegistrationService) -> None:
    diff = await service.import_roster(ROSTER, "roster.csv", "cli", apply=False)
    assert (len(diff.added), len(diff.changed), len(diff.removed), diff.applied) == (
        40,
        0,
        0,
        False,
    )
    assert (await service.progress()).counts.total == 0


async def test_reimporting_the_same_roster_changes_nothing(service: RegistrationService) -> None:
    await service.import_roster(ROSTER, "roster.csv", "cli", apply=True)
    diff = await service.import_roster(ROSTER, "roster.csv", "cli", apply=True)
    assert diff.is_empty
    assert diff.unchanged == 40


async def test_a_changed_roster_shows_added_changed_and_removed(
    service: RegistrationService,
) -> None:
    await service.import_roster(
        roster_bytes("R1;Anne;Le Goff;56;;", "R2;Luc;Roy;29;;"), "r.csv", "cli", apply=True
    )
    new = roster_bytes("R1;Anne;Le Goff;22;;", "R3;Léa;Morin;75;;")
    diff = await service.import_roster(new, "r.csv", "cli", apply=False)
    assert [e.officer.key for e in diff.added] == ["R3"]
    assert [
        (e.officer.key, [(c.field, c.old, c.new) for c in e.changes]) for e in diff.changed
    ] == [("R1", [(RosterField.DEPARTMENT, "56", "22")])]
    assert [e.officer.key for e in diff.removed] == ["R2"]
    applied = await service.import_roster(new, "r.csv", "discord:7", apply=True)
    assert applied.applied
    assert (await service.progress()).counts.total == 2


async def test_a_refused_roster_writes_nothing(service: RegistrationService, db: Database) -> None:
    with pytest.raises(FileRejected):
        await service.import_roster(
            roster_bytes("R1;Anne;Le Goff;56;;", "R2;Luc;Roy;999;;"), "r.csv", "cli", apply=True
        )
    assert (await service.progress()).counts.total == 0
    assert await AuditRepository(db).recent() == []


async def test_signups_import_reconciles_and_records_who(
    service: RegistrationService, db: Database
) -> None:
    await service.import_roster(ROSTER, "roster.csv", "cli", apply=True)
    report = await service.import_signups(SIGNUPS, "signups.csv", "discord:42")
    assert (report.rows, report.new, report.updated) == (334, 334, 0)
    assert (report.counts.registered, report.counts.total) == (24, 40)
    assert len(report.changes) == 24
    details = await service.status_officer("RDJ-0015")
    officer = details.officer
    assert (officer.status, officer.status_source, officer.status_actor) == (
        "registered",
        "signups",
        "discord:42",
    )
    assert details.evidence is not None
    assert (details.evidence.signup.key, details.evidence.reason) == ("S000013", "name_compound")
    assert officer.status_since == datetime(2010, 2, 12, 6, 5, tzinfo=UTC)
    actions = [e.action for e in await AuditRepository(db).recent()]
    assert actions == ["signups.import", "roster.import"]


async def test_reimporting_signups_changes_nothing(service: RegistrationService) -> None:
    await _loaded(service)
    report = await service.import_signups(SIGNUPS, "signups.csv", "cli")
    assert (report.new, report.updated, report.unchanged, report.changes) == (0, 0, 334, [])


async def test_status_department_lists_its_officers(service: RegistrationService) -> None:
    await _loaded(service)
    status = await service.status_department("Cantal")
    assert status.department.label == "15 – Cantal"
    assert [(o.officer.key, o.officer.status) for o in status.officers] == [
        ("RDJ-0015", "registered")
    ]


async def test_unknown_department_and_officer_are_not_found(service: RegistrationService) -> None:
    with pytest.raises(NotFound) as dep:
        await service.status_department("Atlantide")
    with pytest.raises(NotFound) as officer:
        await service.status_officer("Personne Inconnue")
    assert (dep.value.key, officer.value.key) == (
        "registration.department.unknown",
        "registration.officer.not_found",
    )


async def test_search_officers_gives_autocomplete_choices(service: RegistrationService) -> None:
    await _loaded(service)
    choices = await service.search_officers("lefeb")
    assert [(c.label, c.value) for c in choices] == [("Jérôme Lefèbvre (01 – Ain)", "RDJ-0001")]
    assert [c.label for c in await service.search_departments("morb")] == ["56 – Morbihan"]


async def test_progress_gives_figures_pace_and_forecast(
    db: Database, clock: FixedClock, catalog: Catalog
) -> None:
    settings = Settings(registration_deadline=date(2010, 3, 31))
    service = RegistrationService(db, clock, settings, catalog)
    names = [
        "Roy",
        "Martin",
        "Dubois",
        "Le Goff",
        "Kerbrat",
        "Morin",
        "Petit",
        "Faure",
        "Garnier",
        "Blanc",
    ]
    await service.import_roster(
        roster_bytes(*(f"R{i};Anne;{name};56;;" for i, name in enumerate(names))),
        "r.csv",
        "cli",
        apply=True,
    )
    rows = [f"S{i},Anne {names[i]},,56000,2010-02-{23 + i:02d} 10:00" for i in range(4)]
    await service.import_signups(signups_bytes(*rows), "s.csv", "cli")
    progress = await service.progress()
    assert (progress.counts.registered, progress.counts.total, progress.counts.percent) == (
        4,
        10,
        40.0,
    )
    assert progress.days_left == 30
    assert progress.pace_per_day == round(4 / 7, 2)
    assert progress.forecast == date(2010, 3, 1) + timedelta(days=11)
    assert [p.registered for p in progress.curve][:5] == [1, 2, 3, 4, 4]
    assert [d.department.code for d in progress.behind] == ["56"]


async def test_progress_filters_by_region(
    db: Database, clock: FixedClock, catalog: Catalog
) -> None:
    service = RegistrationService(db, clock, Settings(public_min_officers=1), catalog)
    await _loaded(service)
    progress = await service.progress("bretagne")
    assert progress.region == "Bretagne"
    assert {d.department.code for d in progress.departments} == {"22", "29", "35"}
    with pytest.raises(NotFound):
        await service.progress("Atlantide")


async def test_declaring_shows_as_self_declared_until_a_signup_confirms(
    service: RegistrationService,
) -> None:
    await service.import_roster(
        roster_bytes("R1;Anne;Le Goff;56;anne@x.fr;123456789012345678"), "r.csv", "cli", apply=True
    )
    declaration = await service.declare_registered(123456789012345678)
    assert (declaration.changed, declaration.officer.officer.status) == (True, "self_declared")
    again = await service.declare_registered(123456789012345678)
    assert again.changed is False
    await service.import_signups(signups_bytes("S1,Anne Le Goff,ANNE@x.fr,56000,"), "s.csv", "cli")
    assert (await service.status_member(123456789012345678)).officer.status == "registered"


async def test_a_declaration_is_not_offered_for_review_and_says_what_confirms_it(
    service: RegistrationService, catalog: Catalog
) -> None:
    await service.import_roster(
        roster_bytes("R1;Anne;Le Goff;56;anne@x.fr;123456789012345678"), "r.csv", "cli", apply=True
    )
    with pytest.raises(InvalidInput) as nothing:
        await service.review_item("R1")
    assert nothing.value.key == "registration.review.not_pending"
    await service.declare_registered(123456789012345678)
    with pytest.raises(InvalidInput) as declared:
        await service.review_item("R1")
    assert declared.value.key == "registration.review.declared"
    assert catalog.has(declared.value.key)


async def test_a_member_not_on_the_roster_is_told_so(service: RegistrationService) -> None:
    with pytest.raises(NotFound) as caught:
        await service.status_member(999999999999999999)
    assert caught.value.key == "registration.member.not_on_roster"


async def test_link_usernames_links_officers_by_their_roster_username(
    service: RegistrationService,
) -> None:
    await service.import_roster(
        roster_bytes("R1;Claire;Le Goff;56;;claire"), "r.csv", "cli", apply=True
    )
    assert await service.link_usernames({"claire": 111111111111111111}, "cli") == ["R1"]
    assert (await service.status_member(111111111111111111)).officer.key == "R1"


async def test_a_roster_username_taken_by_someone_else_is_not_used(
    service: RegistrationService,
) -> None:
    await service.import_roster(
        roster_bytes("R1;Claire;Le Goff;56;;claire"), "r.csv", "cli", apply=True
    )
    await service.link("R1", 111111111111111111, "cli")
    with pytest.raises(NotFound):
        await service.status_member(222222222222222222, "claire")


async def test_review_accept_registers_and_reject_is_remembered(
    service: RegistrationService,
) -> None:
    await service.import_roster(
        roster_bytes("R1;Thomas;Fleury;15;;", "R2;Anne;Roy;56;;"), "r.csv", "cli", apply=True
    )
    await service.import_signups(
        signups_bytes(
            "S1,Thomas Fleuri,tf@x.fr,15000,2010-02-01 10:00", "S2,Anne Ray,ar@x.fr,56000,"
        ),
        "s.csv",
        "cli",
    )
    pending = await service.pending_reviews()
    assert [p.officer.officer.key for p in pending] == ["R1"]
    accepted = (await service.review("R1", ReviewDecision.ACCEPT, "discord:9")).officer
    assert (accepted.status, accepted.status_source, accepted.confirmed_by) == (
        "registered",
        "review",
        "discord:9",
    )
    with pytest.raises(InvalidInput):
        await service.review("R1", ReviewDecision.REJECT, "discord:9")
    await service.import_signups(signups_bytes("S3,Anne Roy,,,"), "s.csv", "cli")
    assert (await service.status_officer("R2")).officer.status == "probable"
    rejected = await service.review("R2", ReviewDecision.REJECT, "discord:9")
    assert rejected.officer.status == "unregistered"
    await service.import_signups(signups_bytes("S3,Anne Roy,,,"), "s.csv", "cli")
    assert (await service.status_officer("R2")).officer.status == "unregistered"
    assert (await service.status_officer("R1")).officer.status == "registered"


async def test_export_neutralises_formulas_and_reimports_unchanged(
    service: RegistrationService,
) -> None:
    await _loaded(service)
    await service.add_officer("cli", "Jean", "Roy", "56", key="R99", phone="+33 6 12")
    exported = await service.export_roster()
    assert exported.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Identifiant", "Prénom", "Nom"]
    added = next(r for r in rows if r[0] == "R99")
    assert (added[1], added[7], added[8]) == ("Jean", "'+33 6 12", "non inscrit")
    diff = await service.import_roster(exported, "export.csv", "cli", apply=False)
    assert diff.is_empty


async def test_add_link_and_remove_are_audited(service: RegistrationService, db: Database) -> None:
    await service.add_officer("discord:1", "Anne", "Le Goff", "Morbihan", key="R1")
    linked = await service.link("R1", 222222222222222222, "discord:1")
    assert linked.officer.discord_user_id == 222222222222222222
    with pytest.raises(InvalidInput) as exists:
        await service.add_officer("discord:1", "Anne", "Le Goff", "56", key="R1")
    removed = await service.remove_officer("R1", "discord:1")
    assert (removed.officer.key, removed.officer.full_name) == ("R1", "Anne Le Goff")
    assert exists.value.key == "registration.officer.exists"
    assert [e.action for e in await AuditRepository(db).recent()] == [
        "roster.remove",
        "roster.link",
        "roster.add",
    ]


async def test_add_officer_refuses_bad_fields_with_problem_lines(
    service: RegistrationService, catalog: Catalog
) -> None:
    with pytest.raises(FileRejected) as caught:
        await service.add_officer("cli", "Anne", "Le Goff", "999", email="nope")
    assert caught.value.lines(catalog, "fr") == [
        "champ «\u00a0Département\u00a0»\u00a0: «\u00a0999\u00a0» n'est pas un département connu",
        "champ «\u00a0E-mail\u00a0»\u00a0: «\u00a0nope\u00a0» n'est pas une adresse e-mail valide",
    ]


async def test_add_officer_refuses_formulas(service: RegistrationService) -> None:
    with pytest.raises(FileRejected) as caught:
        await service.add_officer("cli", "=HYPERLINK(1)", "Roy", "56")
    assert [d.key for d in caught.value.details] == ["registration.problem.formula"]


async def test_the_service_says_who_may_declare_themselves_registered(
    service: RegistrationService,
) -> None:
    await service.import_roster(
        roster_bytes(
            "R1;Anne;Le Goff;56;;111111111111111111",
            "R2;Thomas;Fleury;15;;222222222222222222",
            "R3;Luc;Roy;29;luc@x.fr;333333333333333333",
        ),
        "r.csv",
        "cli",
        apply=True,
    )
    await service.import_signups(
        signups_bytes("S1,Thomas Fleuri,tf@x.fr,15000,", "S2,Luc Roy,luc@x.fr,29000,"),
        "s.csv",
        "cli",
    )
    before = [await service.status_member(n * 111111111111111111) for n in (1, 2, 3)]
    assert [(d.officer.status, d.may_declare) for d in before] == [
        ("unregistered", True),
        ("probable", True),
        ("registered", False),
    ]
    declared = await service.declare_registered(111111111111111111)
    assert (declared.officer.officer.status, declared.officer.may_declare) == (
        "self_declared",
        False,
    )
