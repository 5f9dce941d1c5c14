"""Tariffs per year, never guessed: every shipped year file, a year without one, a practice's
file from the NZa decision that overrides ours, and a bad file that is refused."""

from __future__ import annotations

import io
import json
import shutil
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.billing import BillingError, BillingService, SegmentDraft, read_export
from workbench.services.rights import NotAllowed
from workbench.services.tariffs import (
    TARIFF_FOLDER,
    TariffBook,
    TariffFileError,
    TariffOrigin,
    available_tariff_years,
    load_tariffs,
    machine_tariff_folder,
    read_tariff_file,
)
from workbench.services.triage import Actor
from workbench.store.models import AuditEvent, EConsult, Patient, Practitioner, Role

CODES = ("12010", "12011", "12001")


def amounts(table):
    return {code.code: code.amount_cents for code in table.codes}


def nza_file(tariff_year, amounts_by_code=None, **changes):
    """A tariff file as a practice would save it from the NZa decision."""
    year = tariff_year
    amounts_by_code = amounts_by_code or {"12010": 640, "12011": 1281, "12001": 2562}
    ranges = {"12010": (0, 299), "12011": (300, 1199), "12001": (1200, None)}
    data = {"year": year, "decision": f"NZa TB/REG-{year % 100}611-01",
            "codes": [{"code": code, "description": f"Consult {code}",
                       "min_seconds": ranges[code][0], "max_seconds": ranges[code][1],
                       "amount_cents": amounts_by_code[code]} for code in CODES]}
    data.update(changes)
    return data


def write(folder, name, data):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


# -- the shipped files --------------------------------------------------------------------------

@pytest.mark.parametrize("year", available_tariff_years())
def test_every_shipped_year_file_passes_the_strict_check_with_the_three_codes(year):
    table = read_tariff_file(TARIFF_FOLDER / f"{year}.json")
    assert table.year == year and [c.code for c in table.codes] == list(CODES)
    assert [table.code_for(s).code for s in (0, 299, 300, 1199, 1200, 7200)] == [
        "12010", "12010", "12011", "12011", "12001", "12001"]
    assert load_tariffs(year).for_year == year and not load_tariffs(year).fallback


def test_the_years_2022_to_2026_are_shipped():
    assert available_tariff_years() == [2022, 2023, 2024, 2025, 2026]


def test_2025_has_the_nza_amounts_and_is_confirmed():
    table = load_tariffs(2025)
    assert amounts(table) == {"12010": 621, "12011": 1243, "12001": 2485}
    assert table.confirmed and table.notice() == "Bedragen van 2025"


def test_2024_has_the_known_12011_and_the_rest_is_to_be_confirmed():
    table = load_tariffs(2024)
    assert table.by_code("12011").amount_cents == 1221
    assert table.to_confirm and not table.confirmed
    assert table.notice() == "Bedragen van 2024; nog te bevestigen"


def test_the_2026_placeholder_takes_the_2025_amounts_and_stays_flagged():
    table = load_tariffs(2026)
    assert amounts(table) == amounts(load_tariffs(2025))
    assert not table.confirmed and "CONFIRM" in table.source


# -- a year without its own file ----------------------------------------------------------------

def test_a_year_without_a_file_says_whose_amounts_and_that_they_are_unconfirmed(tmp_path):
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    shutil.copy(TARIFF_FOLDER / "2025.json", shipped / "2025.json")
    table = TariffBook(shipped).for_year(2026)
    # 2025 itself is confirmed, but not for 2026.
    assert (table.year, table.for_year, table.fallback, table.confirmed) == (
        2025, 2026, True, False)
    assert table.notice() == "Bedragen van 2025; nog te bevestigen"
    assert amounts(table) == {"12010": 621, "12011": 1243, "12001": 2485}
    shipped_2027 = load_tariffs(2027)
    assert (shipped_2027.year, shipped_2027.for_year) == (2026, 2027)
    assert shipped_2027.notice() == "Bedragen van 2026; nog te bevestigen"
    with pytest.raises(BillingError) as err:
        TariffBook(shipped).for_year(2024)
    assert err.value.code == "no_tariff_table"


# -- the practice's own files -------------------------------------------------------------------

def test_a_practice_file_overrides_it_and_it_overrides_ours(tmp_path):
    machine, practice = tmp_path / "machine", tmp_path / "practice"
    book = TariffBook(machine=machine, practice=practice)
    write(machine, "2026.json", nza_file(2026, {"12010": 630, "12011": 1260, "12001": 2520}))
    table = book.for_year(2026)
    assert table.confirmed and table.origin is TariffOrigin.MACHINE
    assert amounts(table) == {"12010": 630, "12011": 1260, "12001": 2520}
    assert table.decision == "NZa TB/REG-26611-01"

    write(practice, "2026.json", nza_file(2026))
    table = book.for_year(2026)
    assert table.origin is TariffOrigin.PRACTICE and amounts(table)["12011"] == 1281
    listed = [(f.origin, f.in_use) for f in book.files() if f.year == 2026]
    assert listed == [(TariffOrigin.PRACTICE, True), (TariffOrigin.MACHINE, False),
                      (TariffOrigin.SHIPPED, False)]
    # 2027 has no file: the practice's 2026 amounts, still to be confirmed for 2027.
    later = book.for_year(2027)
    assert (later.year, later.origin, later.confirmed) == (2026, TariffOrigin.PRACTICE, False)
    # Years before stay the shipped ones.
    assert amounts(book.for_year(2025))["12011"] == 1243


def test_the_machine_folder_is_beside_the_machine_wide_configuration(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_CONFIG", str(tmp_path / "etc" / "workbench.toml"))
    assert machine_tariff_folder() == tmp_path / "etc" / "tariffs"
    write(tmp_path / "etc" / "tariffs", "2026.json", nza_file(2026))
    table = TariffBook.default(tmp_path / "data").for_year(2026)
    assert table.origin is TariffOrigin.MACHINE and table.confirmed


def test_a_file_changed_on_disk_is_read_again(tmp_path):
    practice = tmp_path / "practice"
    book = TariffBook(practice=practice)
    path = write(practice, "2026.json", nza_file(2026))
    assert amounts(book.for_year(2026))["12011"] == 1281
    path.write_text(json.dumps(nza_file(2026, {"12010": 650, "12011": 1300, "12001": 2600})) +
                    "\n" * 5, encoding="utf-8")  # another size, whatever the clock's grain
    assert amounts(book.for_year(2026))["12011"] == 1300


BAD_FILES = [
    ("not JSON at all", "{year: 2026", "not_json", ""),
    ("a list", "[]", "not_json", ""),
    ("an unknown field", nza_file(2026, bedrag=12), "field", "bedrag"),
    ("no year", {k: v for k, v in nza_file(2026).items() if k != "year"}, "field", "year"),
    ("a year as text", nza_file(2026, year="2026"), "field", "year"),
    ("a missing code", nza_file(2026, codes=nza_file(2026)["codes"][:2]), "codes", "12001"),
    ("a code twice", nza_file(2026, codes=nza_file(2026)["codes"] + nza_file(2026)["codes"][:1]),
     "codes", "12010"),
    ("euros instead of cents", nza_file(2026, {"12010": 6.4, "12011": 1281, "12001": 2562}),
     "field", "codes[0].amount_cents"),
    ("an amount as text", nza_file(2026, {"12010": "640", "12011": 1281, "12001": 2562}),
     "field", "codes[0].amount_cents"),
    ("a zero amount", nza_file(2026, {"12010": 0, "12011": 1281, "12001": 2562}), "amount",
     "12010"),
    ("amounts not rising", nza_file(2026, {"12010": 640, "12011": 2562, "12001": 1281}),
     "amount", "12001"),
]


@pytest.mark.parametrize("why,content,problem,detail", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_is_refused_and_not_installed(tmp_path, why, content, problem, detail):
    source = write(tmp_path / "downloads", "nza-tarieven.json", content)
    book = TariffBook(practice=tmp_path / "practice")
    with pytest.raises(TariffFileError) as err:
        book.check(source)
    assert (err.value.code, err.value.problem, err.value.detail) == (
        "bad_tariff_file", problem, detail)
    assert not (tmp_path / "practice").exists()


def test_other_minutes_and_a_name_of_another_year_are_refused(tmp_path):
    codes = nza_file(2026)["codes"]
    codes[0] = dict(codes[0], max_seconds=599)
    with pytest.raises(TariffFileError) as err:
        TariffBook().check(write(tmp_path, "a.json", nza_file(2026, codes=codes)))
    assert (err.value.problem, err.value.detail) == ("range", "12010")
    with pytest.raises(TariffFileError) as err:
        TariffBook().check(write(tmp_path, "2025.json", nza_file(2026)))
    assert (err.value.problem, err.value.detail) == ("year_mismatch", "2025")


def test_a_bad_file_in_a_folder_is_passed_over_and_listed_with_its_problem(tmp_path):
    machine = tmp_path / "machine"
    write(machine, "2026.json", nza_file(2026, {"12010": 640, "12011": 12.81, "12001": 2562}))
    book = TariffBook(machine=machine)
    table = book.for_year(2026)
    assert table.origin is TariffOrigin.SHIPPED and not table.confirmed  # the placeholder
    refused = next(f for f in book.files() if f.origin is TariffOrigin.MACHINE)
    assert refused.table is None and refused.problem.problem == "field" and not refused.in_use


# -- through the billing service ----------------------------------------------------------------

@pytest.fixture
def world(migrated_engine):
    with Session(migrated_engine) as session, session.begin():
        gp = Practitioner(portal_id="p-gp", name="Dr. A. de Vries", role=Role.GP)
        assistant = Practitioner(portal_id="p-da", name="C. Baas", role=Role.ASSISTANT)
        manager = Practitioner(name="D. Beheer", role=Role.MANAGER, username="beheer")
        patient = Patient(portal_id="pat-1", bsn="999990019", name="Eva Smit")
        session.add_all([gp, assistant, manager, patient])
        session.flush()
        consult = EConsult(portal_id="c-1", patient_id=patient.id, subject="vraag",
                           portal_status="in-progress",
                           received_at=datetime(2027, 1, 4, 8, tzinfo=UTC),
                           last_patient_message_at=datetime(2027, 1, 4, 8, tzinfo=UTC),
                           portal_version="1")
        session.add(consult)
        session.flush()
        ids = {"gp": gp.id, "assistant": assistant.id, "manager": manager.id,
               "patient": patient.id, "consult": consult.id}
    return migrated_engine, ids


def declare_seconds(service, ids, start, seconds):
    service.record_segments(ids["gp"], [SegmentDraft(ids["consult"], ids["patient"], start,
                                                     start + timedelta(seconds=seconds))])
    proposal = service.propose(ids["consult"], ids["gp"], day=start.date())
    service.declare(proposal, Actor(ids["gp"]))
    return proposal


def test_a_declaration_in_a_year_without_a_file_is_marked_in_the_export(world, tmp_path):
    engine, ids = world
    start = datetime(2027, 1, 4, 9, tzinfo=UTC)
    book = TariffBook(practice=tmp_path / "practice")
    service = BillingService(engine, lambda: start, tariffs=book)
    proposal = declare_seconds(service, ids, start, 400)
    assert (proposal.code, proposal.amount_cents) == ("12011", 1243)
    assert (proposal.tariff_year, proposal.tariff_to_confirm) == (2026, True)
    assert [t.year for t in service.unconfirmed_tariffs([date(2025, 5, 1), start.date()])] \
        == [2026]

    stream = io.StringIO()
    service.export_csv(stream, start.date(), start.date(), Actor(ids["manager"]))
    [line] = read_export(stream.getvalue())
    assert (line["bedrag"], line["tarieven"]) == ("12,43", "Bedragen van 2026; nog te bevestigen")

    # The practice loads 2027 from the NZa decision: later proposals use it, confirmed, and
    # the export says the earlier declaration carries the unconfirmed amount.
    source = write(tmp_path / "downloads", "NZa 2027.json", nza_file(2027))
    table = service.load_tariff_file(source, Actor(ids["manager"]))
    assert (table.year, table.origin) == (2027, TariffOrigin.PRACTICE)
    assert (tmp_path / "practice" / "2027.json").is_file()
    assert service.unconfirmed_tariffs([start.date()]) == []
    later = start + timedelta(hours=1)
    second = declare_seconds(service, ids, later, 1300)
    assert (second.code, second.amount_cents, second.tariff_to_confirm) == ("12001", 2562, False)
    stream = io.StringIO()
    service.export_csv(stream, start.date(), start.date(), Actor(ids["manager"]))
    notes = sorted(line["tarieven"] for line in read_export(stream.getvalue()))
    assert notes == ["Bedragen van 2027",
                     "Bedragen van 2027; gedeclareerd vóór bevestiging, nu 12,81"]


def test_loading_a_tariff_file_is_the_managers_and_audited(world, tmp_path):
    engine, ids = world
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    service = BillingService(engine, lambda: now, workstation="beheer-pc",
                             tariffs=TariffBook(practice=tmp_path / "practice"))
    source = write(tmp_path / "downloads", "tarieven.json", nza_file(2027))
    with pytest.raises(NotAllowed):
        service.load_tariff_file(source, Actor(ids["assistant"]))
    assert not (tmp_path / "practice").exists()
    bad = write(tmp_path / "downloads", "2027.json", nza_file(2026))
    with pytest.raises(TariffFileError):
        service.load_tariff_file(bad, Actor(ids["manager"]))
    service.load_tariff_file(source, Actor(ids["manager"]))
    with Session(engine) as session:
        events = session.scalars(select(AuditEvent).where(
            AuditEvent.event == "tariffs_loaded")).all()
    assert [(e.user_id, e.workstation, e.detail["year"], e.detail["amounts"]["12011"])
            for e in events] == [(ids["manager"], "beheer-pc", 2027, 1281)]


# -- the command line ---------------------------------------------------------------------------

def test_the_command_line_lists_the_years_and_refuses_a_bad_file(capsys, tmp_path,
                                                                  monkeypatch):
    from workbench import cli
    monkeypatch.setenv("WORKBENCH_CONFIG", str(tmp_path / "etc" / "workbench.toml"))
    write(tmp_path / "etc" / "tariffs", "2027.json", nza_file(2027))
    assert cli.main(["tariffs", "list", "--data-dir", str(tmp_path / "data")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2027  machine   confirmed ")
    assert "12011 12.81" in lines[0]
    assert lines[1].startswith("2026  shipped   to be confirmed ")

    bad = write(tmp_path, "2028.json", nza_file(2027))
    status = cli.main(["tariffs", "load", str(bad), "--data-dir", str(tmp_path / "data")])
    assert status == cli.EXIT_CONFIG
    assert "is not loaded" in capsys.readouterr().err
    assert not (tmp_path / "data" / "tariffs").exists()


def test_a_file_the_practice_loads_is_used_by_every_workstation_of_the_store(world, tmp_path):
    """Loaded at the manager's PC, kept in the store: the consult room's workstation (its own
    data folder, no file on its disk) declares with it too."""
    engine, ids = world
    now = datetime(2027, 1, 4, 9, tzinfo=UTC)
    manager_pc = BillingService(engine, lambda: now, workstation="beheer-pc", tariffs=TariffBook(
        practice=tmp_path / "beheer" / "tariffs", engine=engine))
    consult_room = TariffBook(practice=tmp_path / "spreekkamer" / "tariffs", engine=engine)
    before = consult_room.for_year(2027)
    assert (before.year, before.confirmed) == (2026, False)
    table = manager_pc.load_tariff_file(
        write(tmp_path / "downloads", "NZa 2027.json", nza_file(2027)), Actor(ids["manager"]))
    assert not (tmp_path / "beheer" / "tariffs").exists()  # in the store, not on one disk
    after = consult_room.for_year(2027)
    assert (after.year, after.confirmed, after.origin) == (2027, True, table.origin)
    assert [f.year for f in consult_room.files() if f.in_use][:1] == [2027]
