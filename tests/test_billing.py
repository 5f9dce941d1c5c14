"""Billing: the consult timer with an injected clock, tariffs per year, declarations, export."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.billing import (
    CSV_HEADER,
    BillingError,
    BillingService,
    SegmentDraft,
    TimerClock,
    TimerState,
    read_export,
)
from workbench.services.tariffs import load_tariffs
from workbench.services.triage import Actor
from workbench.store.models import (
    AuditEvent,
    Declaration,
    EConsult,
    Patient,
    Practitioner,
    Role,
    TimeSegment,
)

# 09:00 in Amsterdam (winter time).
START = datetime(2026, 11, 26, 8, 0, tzinfo=timezone.utc)
DAY = date(2026, 11, 26)


class FakeClock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def work(timer: TimerClock, clock: FakeClock, seconds: int, *, active: bool = True) -> None:
    """`seconds` one-second steps, with input each second (or none), ticking as the UI does."""
    for _ in range(seconds):
        clock.advance(1)
        if active:
            timer.activity()
        timer.tick()


# -- tariffs ------------------------------------------------------------------------------------

@pytest.mark.parametrize("seconds,code", [(0, "12010"), (4 * 60 + 59, "12010"),
                                          (5 * 60, "12011"), (19 * 60 + 59, "12011"),
                                          (20 * 60, "12001"), (3 * 3600, "12001")])
def test_the_exact_boundaries(seconds, code):
    assert load_tariffs(2023).code_for(seconds).code == code


def test_tables_per_year_with_their_amounts_and_the_newest_earlier_year_as_fallback():
    assert load_tariffs(2022).by_code("12011").amount_cents == 1083
    assert load_tariffs(2023).by_code("12001").amount_cents == 2302
    table = load_tariffs(2027)  # no file of its own: 2026's, and it says so
    assert table.year == 2026 and table.for_year == 2027 and not table.confirmed
    assert table.to_confirm and "CONFIRM" in table.source
    assert load_tariffs(2023).confirmed
    with pytest.raises(BillingError) as err:
        load_tariffs(2019)
    assert err.value.code == "no_tariff_table"


# -- the timer ----------------------------------------------------------------------------------

def test_continuous_work_is_counted_and_checkpointed():
    clock = FakeClock()
    timer = TimerClock(clock)
    timer.open(1, 10)
    work(timer, clock, 100)
    assert timer.running
    assert timer.elapsed_today(1) == timedelta(seconds=100)
    assert timer.unstored() == timedelta(seconds=100)
    stored = timer.take_segments()
    assert timer.unstored() == timedelta(seconds=100) - sum((s.duration for s in stored),
                                                            timedelta())
    assert all(s.duration <= timedelta(seconds=15) for s in stored)
    assert sum((s.duration for s in stored), timedelta()) >= timedelta(seconds=85)
    timer.close()
    total = stored + timer.take_segments()
    assert sum((s.duration for s in total), timedelta()) == timedelta(seconds=100)
    assert not timer.running and timer.state == TimerState.IDLE


def test_idle_time_is_not_counted_at_all():
    clock = FakeClock()
    timer = TimerClock(clock)
    timer.open(1, 10)
    work(timer, clock, 30)
    work(timer, clock, 300, active=False)
    assert not timer.running and timer.state == TimerState.AWAY
    timer.activity()                 # back at the keyboard: counting resumes from here
    work(timer, clock, 30)
    timer.close()
    segments = timer.take_segments()
    assert sum((s.duration for s in segments), timedelta()) == timedelta(seconds=60)


def test_reading_without_input_within_the_idle_limit_counts():
    clock = FakeClock()
    timer = TimerClock(clock)
    timer.open(1, 10)
    work(timer, clock, 50, active=False)
    timer.activity()
    work(timer, clock, 10)
    timer.close()
    assert sum((s.duration for s in timer.take_segments()), timedelta()) == timedelta(seconds=60)


def test_focus_loss_pause_and_another_item_end_the_run():
    clock = FakeClock()
    timer = TimerClock(clock)
    timer.open(1, 10)
    work(timer, clock, 20)
    timer.focus(False)
    work(timer, clock, 120)          # typing in another program: not ours
    timer.focus(True)
    work(timer, clock, 20)
    timer.pause()
    work(timer, clock, 40)
    assert timer.state == TimerState.PAUSED and not timer.running
    timer.resume()
    work(timer, clock, 10)
    timer.open(2, 11)                # another item: the time goes there from now on
    work(timer, clock, 5)
    timer.close()
    segments = timer.take_segments()
    per_item: dict[int | None, timedelta] = {}
    for s in segments:
        per_item[s.econsult_id] = per_item.get(s.econsult_id, timedelta()) + s.duration
    assert per_item == {1: timedelta(seconds=50), 2: timedelta(seconds=5)}
    assert timer.elapsed_today(1) == timedelta(seconds=50)


def test_the_time_the_app_did_not_run_is_never_counted():
    clock = FakeClock()
    timer = TimerClock(clock)
    timer.open(1, 10)
    work(timer, clock, 20)
    clock.advance(2 * 3600)          # suspended or hung: no tick for two hours
    timer.tick()
    assert not timer.running
    timer.activity()                 # back: counting again from now
    work(timer, clock, 10)
    timer.close()
    assert sum((s.duration for s in timer.take_segments()), timedelta()) == timedelta(seconds=30)


def test_a_gap_right_after_input_counts_only_up_to_the_last_tick():
    clock = FakeClock()
    timer = TimerClock(clock)
    timer.open(1, 10)
    work(timer, clock, 5)
    clock.advance(3600)
    timer.activity()                 # the first event after the gap is input
    work(timer, clock, 5)
    timer.close()
    assert sum((s.duration for s in timer.take_segments()), timedelta()) == timedelta(seconds=10)


# -- the store ----------------------------------------------------------------------------------

@pytest.fixture
def world(migrated_engine):
    """Two practitioners, one without a role, two patients (one a child) and five e-consults."""
    with Session(migrated_engine) as session, session.begin():
        gp = Practitioner(portal_id="p-gp", name="Dr. A. de Vries", role=Role.GP,
                          agb_code="01012345")
        poh = Practitioner(portal_id="p-poh", name="B. Jansen", role=Role.POH,
                           agb_code="01054321")
        other = Practitioner(portal_id="p-x", name="C. Extern", role=None)
        manager = Practitioner(name="D. Beheer", role=Role.MANAGER, username="beheer")
        child = Patient(portal_id="pat-1", bsn="123456782", name="Sam Bakker",
                        birth_date=date(2019, 3, 4))
        adult = Patient(portal_id="pat-2", bsn="987654321", name="Eva Smit",
                        birth_date=date(1970, 1, 2))
        session.add_all([gp, poh, other, manager, child, adult])
        session.flush()
        consults = [EConsult(portal_id=f"c-{i}", patient_id=(child if i < 4 else adult).id,
                             subject="vraag", portal_status="in-progress", received_at=START,
                             last_patient_message_at=START, portal_version="1")
                    for i in range(5)]
        session.add_all(consults)
        session.flush()
        ids = {"gp": gp.id, "poh": poh.id, "other": other.id, "manager": manager.id,
               "child": child.id,
               "adult": adult.id, "consults": [c.id for c in consults]}
    return migrated_engine, ids


def measured(engine, clock, practitioner_id, econsult_id, patient_id, seconds, service=None):
    """Measures `seconds` of continuous work through the timer and stores the segments."""
    service = service or BillingService(engine, clock)
    timer = TimerClock(clock)
    timer.open(econsult_id, patient_id)
    for _ in range(seconds):
        clock.advance(1)
        timer.activity()
        timer.tick()
        service.record_segments(practitioner_id, timer.take_segments())
    timer.close()
    service.record_segments(practitioner_id, timer.take_segments())


@pytest.mark.parametrize("seconds,code,amount", [(299, "12010", 575), (300, "12011", 1151),
                                                 (1199, "12011", 1151), (1200, "12001", 2302)])
def test_boundaries_through_the_store(world, seconds, code, amount):
    engine, ids = world
    clock = FakeClock()
    service = BillingService(engine, clock, tariffs_year=2023)
    econsult = ids["consults"][0]
    service.record_segments(ids["gp"], [SegmentDraft(econsult, ids["child"], START,
                                                     START + timedelta(seconds=seconds))])
    proposal = service.propose(econsult, ids["gp"], day=DAY)
    assert (proposal.seconds, proposal.code, proposal.amount_cents) == (seconds, code, amount)


def test_two_people_on_one_econsult_each_get_their_own_time_and_declaration(world):
    engine, ids = world
    clock = FakeClock()
    service = BillingService(engine, clock)
    econsult, child = ids["consults"][0], ids["child"]
    measured(engine, clock, ids["poh"], econsult, child, 120, service)
    measured(engine, clock, ids["gp"], econsult, child, 400, service)
    assert service.direct_seconds(child, DAY, practitioner_id=ids["poh"]) == 120
    assert service.direct_seconds(child, DAY, practitioner_id=ids["gp"]) == 400
    assert service.direct_seconds(child, DAY, econsult_id=econsult) == 520
    poh = service.propose(econsult, ids["poh"])
    gp = service.propose(econsult, ids["gp"])
    assert (poh.seconds, poh.code, gp.seconds, gp.code) == (120, "12010", 400, "12011")
    service.declare(poh, Actor(ids["poh"]))
    service.declare(gp, Actor(ids["gp"]))
    with Session(engine) as session:
        rows = session.scalars(select(Declaration).order_by(Declaration.id)).all()
        assert [(r.practitioner_id, r.patient_id, r.code, r.seconds, r.day) for r in rows] == [
            (ids["poh"], child, "12010", 120, DAY), (ids["gp"], child, "12011", 400, DAY)]
        events = session.scalars(select(AuditEvent.event).order_by(AuditEvent.id)).all()
        assert events == ["declare", "declare"]
    assert service.propose(econsult, ids["gp"]) is None


@pytest.mark.parametrize("per_day,expected", [(True, [("12011", 330)]),
                                              (False, [("12010", 60), ("12010", 90),
                                                       ("12010", 180)])])
def test_per_patient_day_sums_three_short_econsults_into_one_declaration(world, per_day,
                                                                         expected):
    engine, ids = world
    clock = FakeClock()
    service = BillingService(engine, clock, per_patient_day=per_day)
    for econsult, seconds in zip(ids["consults"][:3], (60, 90, 180)):
        measured(engine, clock, ids["gp"], econsult, ids["child"], seconds, service)
        clock.advance(3600)
    # someone else's time, another patient's time and yesterday's time are not in it
    measured(engine, clock, ids["poh"], ids["consults"][0], ids["child"], 50, service)
    measured(engine, clock, ids["gp"], ids["consults"][4], ids["adult"], 50, service)
    service.record_segments(ids["gp"], [SegmentDraft(ids["consults"][0], ids["child"],
                                                     START - timedelta(days=1),
                                                     START - timedelta(days=1, seconds=-600))])
    for econsult in ids["consults"][:3]:
        proposal = service.propose(econsult, ids["gp"])
        if proposal is not None:
            service.declare(proposal, Actor(ids["gp"]))
    with Session(engine) as session:
        rows = session.scalars(select(Declaration).order_by(Declaration.id)).all()
        assert [(r.code, r.seconds) for r in rows] == expected
        if per_day:
            assert rows[0].econsult_id is None


def test_a_killed_app_loses_at_most_the_last_seconds_and_never_counts_its_downtime(world):
    engine, ids = world
    clock = FakeClock()
    service = BillingService(engine, clock)
    econsult, child = ids["consults"][1], ids["child"]
    timer = TimerClock(clock)
    timer.open(econsult, child)
    for _ in range(50):
        clock.advance(1)
        timer.activity()
        timer.tick()
        service.record_segments(ids["gp"], timer.take_segments())
    del timer                        # killed: the current run is lost
    stored = service.direct_seconds(child, DAY, practitioner_id=ids["gp"])
    assert 50 - 15 <= stored <= 50
    clock.advance(2 * 3600)          # the app was not running
    measured(engine, clock, ids["gp"], econsult, child, 10, service)
    assert service.direct_seconds(child, DAY, practitioner_id=ids["gp"]) == stored + 10


def test_corrections_need_a_reason_are_audited_and_count(world):
    engine, ids = world
    clock = FakeClock()
    service = BillingService(engine, clock)
    econsult, child = ids["consults"][0], ids["child"]
    measured(engine, clock, ids["gp"], econsult, child, 280, service)
    with pytest.raises(BillingError) as err:
        service.correct(econsult, child, Actor(ids["gp"]), 60, "  ")
    assert err.value.code == "reason_required"
    with pytest.raises(BillingError) as err:
        service.correct(econsult, ids["adult"], Actor(ids["gp"]), 60, "telefoon")
    assert err.value.code == "patient_mismatch"
    service.correct(econsult, child, Actor(ids["gp"]), 60, "overleg met POH buiten de app")
    assert service.propose(econsult, ids["gp"]).code == "12011"
    service.correct(econsult, child, Actor(ids["gp"]), -100, "timer liep door")
    proposal = service.propose(econsult, ids["gp"])
    assert (proposal.seconds, proposal.code) == (240, "12010")
    with Session(engine) as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.event, e.detail["seconds"]) for e in events] == [
            ("time_correction", 60), ("time_correction", -100)]
        assert all("timer" not in str(e.detail) for e in events)  # reason stays in its row
    # segments are never changed: the service has no way to update one
    assert not any(name.startswith(("update", "edit", "delete")) for name in dir(service))


def test_declaring_the_same_time_twice_fails(world):
    engine, ids = world
    clock = FakeClock()
    service = BillingService(engine, clock)
    econsult, child = ids["consults"][0], ids["child"]
    measured(engine, clock, ids["gp"], econsult, child, 90, service)
    proposal = service.propose(econsult, ids["gp"])
    service.declare(proposal, Actor(ids["gp"]))
    with pytest.raises(BillingError) as err:
        service.declare(proposal, Actor(ids["gp"]))
    assert err.value.code == "already_declared"
    # also in per-patient-day mode, the same segments cannot be counted again
    per_day = BillingService(engine, clock, per_patient_day=True)
    assert per_day.propose(econsult, ids["gp"]) is None
    with Session(engine) as session:
        assert len(session.scalars(select(Declaration)).all()) == 1


def test_overriding_the_code_needs_a_reason_and_only_a_role_may_declare(world):
    engine, ids = world
    clock = FakeClock()
    service = BillingService(engine, clock)
    econsult, child = ids["consults"][0], ids["child"]
    measured(engine, clock, ids["gp"], econsult, child, 200, service)
    proposal = service.propose(econsult, ids["gp"])
    assert proposal.code == "12010"
    with pytest.raises(BillingError) as err:
        service.declare(proposal, Actor(ids["gp"]), code="12011")
    assert err.value.code == "reason_required"
    with pytest.raises(BillingError) as err:
        service.declare(proposal, Actor(ids["gp"]), code="99999", override_reason="x")
    assert err.value.code == "unknown_code"
    declaration_id = service.declare(proposal, Actor(ids["gp"]), code="12011",
                                     override_reason="telefonisch nagebeld")
    with Session(engine) as session:
        row = session.get(Declaration, declaration_id)
        assert (row.code, row.proposed_code, row.amount_cents, row.override_reason) == (
            "12011", "12010", 1243, "telefonisch nagebeld")
        assert session.scalars(select(AuditEvent.event)).all() == ["declare_override"]
    measured(engine, clock, ids["other"], econsult, child, 30, service)
    with pytest.raises(BillingError) as err:
        service.declare(service.propose(econsult, ids["other"]), Actor(ids["other"]))
    assert err.value.code == "not_allowed_to_declare"


def test_report_chart_and_csv_match_the_declarations(world):
    engine, ids = world
    clock = FakeClock()
    service = BillingService(engine, clock)
    consults, child, adult = ids["consults"], ids["child"], ids["adult"]
    measured(engine, clock, ids["gp"], consults[0], child, 100, service)
    measured(engine, clock, ids["gp"], consults[4], adult, 1250, service)
    measured(engine, clock, ids["poh"], consults[1], child, 330, service)
    for econsult, person in ((consults[0], "gp"), (consults[4], "gp"), (consults[1], "poh")):
        service.declare(service.propose(econsult, ids[person]), Actor(ids[person]))
    clock.advance(86400)             # the next day, outside the period
    measured(engine, clock, ids["gp"], consults[2], child, 60, service)
    service.declare(service.propose(consults[2], ids["gp"]), Actor(ids["gp"]))

    rows = service.report(DAY, DAY)
    assert [(r.practitioner_name, r.code, r.count, r.seconds, r.amount_cents) for r in rows] == [
        ("B. Jansen", "12011", 1, 330, 1243),
        ("Dr. A. de Vries", "12001", 1, 1250, 2485),
        ("Dr. A. de Vries", "12010", 1, 100, 621)]
    assert [(t.code, t.count) for t in service.totals_by_code(rows)] == [
        ("12001", 1), ("12010", 1), ("12011", 1)]
    assert service.total_amount_cents(rows) == 621 + 1243 + 2485
    assert service.time_per_day(DAY, DAY + timedelta(days=2)) == [
        (DAY, 1680), (DAY + timedelta(days=1), 60), (DAY + timedelta(days=2), 0)]
    assert service.time_per_day(DAY, DAY, practitioner_id=ids["poh"]) == [(DAY, 330)]

    stream = io.StringIO()
    assert service.export_csv(stream, DAY, DAY, Actor(ids["manager"])) == 3
    text = stream.getvalue()
    assert text.startswith("\ufeff") and text.splitlines()[0].lstrip("\ufeff").split(";") == \
        CSV_HEADER
    lines = read_export(text)
    with Session(engine) as session:
        declared = session.scalars(select(Declaration).where(Declaration.day == DAY)).all()
        expected = sorted((d.code, str(d.seconds // 60),
                           f"{d.amount_cents // 100},{d.amount_cents % 100:02d}",
                           str(d.econsult_id)) for d in declared)
    assert sorted((r["prestatiecode"], r["minuten"], r["bedrag"], r["e-consult"])
                  for r in lines) == expected
    adult_line = next(r for r in lines if r["BSN"] == "987654321")
    assert adult_line == {"datum": "26-11-2026", "AGB zorgverlener": "01012345",
                          "zorgverlener": "Dr. A. de Vries", "BSN": "987654321",
                          "patiënt": "Eva Smit", "geboortedatum": "02-01-1970",
                          "prestatiecode": "12001",
                          "omschrijving": "Consult regulier 20 minuten en langer",
                          "minuten": "20", "bedrag": "24,85",
                          "e-consult": str(consults[4]),
                          # 2026's amounts are the shipped placeholder: the file says so.
                          "tarieven": "Bedragen van 2026; nog te bevestigen"}
    # The file names patients with their BSN: each one's disclosure is in the audit log.
    with Session(engine) as session:
        exports = session.scalars(select(AuditEvent).where(
            AuditEvent.event == "export_declarations")).all()
        assert sorted(e.patient_id for e in exports) == sorted({adult, child})
        assert {e.user_id for e in exports} == {ids["manager"]}
        assert sum(len(e.detail["declarations"]) for e in exports) == 3
        assert all(e.detail["from"] == e.detail["to"] == DAY.isoformat() for e in exports)


def test_csv_to_a_file_has_a_bom_and_the_day_is_local(world, tmp_path):
    engine, ids = world
    # 23:30 UTC on the 26th is 00:30 on the 27th in Amsterdam.
    clock = FakeClock(datetime(2026, 11, 26, 23, 30, tzinfo=timezone.utc))
    service = BillingService(engine, clock)
    measured(engine, clock, ids["gp"], ids["consults"][0], ids["child"], 30, service)
    proposal = service.propose(ids["consults"][0], ids["gp"])
    assert proposal.day == date(2026, 11, 27)
    service.declare(proposal, Actor(ids["gp"]))
    target = tmp_path / "declaraties.csv"
    assert service.export_csv(target, date(2026, 11, 27), date(2026, 11, 27),
                              Actor(ids["manager"])) == 1
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert read_export(raw.decode("utf-8"))[0]["datum"] == "27-11-2026"
    assert service.export_csv(io.StringIO(), DAY, DAY, Actor(ids["manager"])) == 0


def test_an_export_that_cannot_be_written_is_not_logged_as_a_disclosure(world, tmp_path):
    engine, ids = world
    clock = FakeClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))
    service = BillingService(engine, clock)
    measured(engine, clock, ids["gp"], ids["consults"][0], ids["child"], 400, service)
    service.declare(service.propose(ids["consults"][0], ids["gp"]), Actor(ids["gp"]))
    with pytest.raises(OSError):
        service.export_csv(tmp_path / "no-such-folder" / "declaraties.csv", DAY, DAY,
                           Actor(ids["manager"]))
    with Session(engine) as session:
        assert session.scalars(select(AuditEvent).where(
            AuditEvent.event == "export_declarations")).all() == []


def test_records_are_stored_unchanged_and_zero_length_is_dropped(world):
    engine, ids = world
    service = BillingService(engine, FakeClock())
    assert service.record_segments(ids["gp"], [SegmentDraft(1, ids["child"], START, START)]) == []
    [segment_id] = service.record_segments(ids["gp"], [SegmentDraft(
        ids["consults"][0], ids["child"], START, START + timedelta(seconds=12.5))])
    with Session(engine) as session:
        row = session.get(TimeSegment, segment_id)
        assert row.correction_seconds is None and row.reason is None
    assert service.direct_seconds(ids["child"], DAY) == 12
