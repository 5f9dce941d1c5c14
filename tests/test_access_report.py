"""A patient's access report: exactly that patient's audit events in the period, in Dutch, with
names only where the practice chose so; making it is audited and needs the right to."""

from __future__ import annotations

import csv
import io
import os
import stat
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench import cli
from workbench.services.access_report import (
    ACTION_WORDS,
    AccessReportError,
    AccessReportService,
)
from workbench.services.accounts import AccountService, new_totp_secret
from workbench.services.audit import write_audit_event
from workbench.services.rights import NotAllowed
from workbench.services.triage import Actor, AuditAction
from workbench.store.models import AuditEvent, Patient, Practitioner, Role

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
BSN, OTHER_BSN, OLD_BSN = "111222333", "444555666", "999888777"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=timezone.utc)


@pytest.fixture
def store(migrated_engine):
    """Three people, two patients, and events about each; Anna's BSN was corrected on the
    10th (her earlier events kept the old one) and she was renamed afterwards."""
    engine = migrated_engine
    with Session(engine) as session, session.begin():
        people = {role: Practitioner(name=name, role=role) for role, name in [
            (Role.GP, "dr. Anouk de Vries"), (Role.ASSISTANT, "Sanne Bakker"),
            (Role.MANAGER, "Petra Manager")]}
        anna = Patient(portal_id="p-anna", bsn=OLD_BSN, name="Anna Jansen")
        bert = Patient(portal_id="p-bert", bsn=OTHER_BSN, name="Bert Smit")
        session.add_all([*people.values(), anna, bert])
        session.flush()
        ids = {role: p.id for role, p in people.items()}
        ids.update(anna=anna.id, bert=bert.id)

    def event(when, action, who, patient, detail=None, workstation="balie-1"):
        with Session(engine) as session, session.begin():
            write_audit_event(session, event=action, occurred_at=when, user_id=ids[who],
                              responsible_id=ids[who], patient_id=ids[patient],
                              workstation=workstation, detail=detail)

    event(at(1, 8), AuditAction.VIEW.value, Role.ASSISTANT, "anna")          # before the period
    event(at(3, 8, 30), AuditAction.VIEW.value, Role.ASSISTANT, "anna")
    event(at(3, 8, 40), AuditAction.ROUTE.value, Role.ASSISTANT, "anna", {"to": ids[Role.GP]})
    event(at(3, 9), AuditAction.VIEW.value, Role.ASSISTANT, "bert")          # another patient
    with Session(engine) as session, session.begin():
        session.get(Patient, ids["anna"]).bsn = BSN  # the BSN corrected
    event(at(12, 14), AuditAction.VIEW.value, Role.GP, "anna", workstation="spreekkamer-2")
    event(at(12, 14, 5), AuditAction.REPLY.value, Role.GP, "anna", workstation="spreekkamer-2")
    event(at(12, 14, 6), AuditAction.CALL_OUTCOME.value, Role.GP, "anna",
          {"outcome": "gebeld_spreekuur"})
    event(at(13, 9), "something_new", Role.ASSISTANT, "anna")
    event(at(25, 10), AuditAction.SAVE_PHOTO.value, Role.GP, "anna")         # after the period
    with Session(engine) as session, session.begin():
        session.get(Patient, ids["anna"]).name = "Anna de Boer-Jansen"  # renamed
    return engine, ids


def service(engine, names=False):
    return AccessReportService(engine, names=names, practice="Huisartsen Centrum",
                               clock=lambda: NOW, workstation="beheer", tz=AMSTERDAM)


def test_the_report_lists_exactly_that_patients_events_in_the_period_oldest_first(store):
    engine, ids = store
    report = service(engine).make(BSN, date(2026, 11, 2), date(2026, 11, 20),
                                  Actor(ids[Role.MANAGER]))
    assert [(line.at.strftime("%d-%m %H:%M"), line.role, line.action, line.workstation)
            for line in report.lines] == [
        ("03-11 09:30", "doktersassistent", "Bekeken", "balie-1"),          # local time
        ("03-11 09:40", "doktersassistent", "Doorgestuurd naar werklijst", "balie-1"),
        ("12-11 15:00", "huisarts", "Bekeken", "spreekkamer-2"),
        ("12-11 15:05", "huisarts", "Beantwoord", "spreekkamer-2"),
        ("12-11 15:06", "huisarts", "Gebeld: komt naar spreekuur", "balie-1"),
        ("13-11 10:00", "doktersassistent", "something_new", "balie-1"),    # unknown: raw name
    ]
    text = report.text()
    assert "Bert" not in text and "Periode: 02-11-2026 tot en met 20-11-2026" in text
    assert "Aantal: 6 handelingen" in text
    # By the BSN as it was then, the events from before the correction only.
    earlier = service(engine).make(OLD_BSN, date(2026, 11, 1), date(2026, 11, 30),
                                   Actor(ids[Role.MANAGER]))
    assert [line.at.day for line in earlier.lines] == [1, 3, 3]


def test_names_only_when_the_practice_chose_so(store):
    engine, ids = store
    manager = Actor(ids[Role.MANAGER])
    without = service(engine, names=False).make(BSN, date(2026, 11, 12), date(2026, 11, 12),
                                                manager)
    assert "dr. Anouk de Vries" not in without.text() + without.csv()
    assert "Naam" not in without.text() and "naam" not in without.csv().splitlines()[0]
    named = service(engine, names=True).make(BSN, date(2026, 11, 12), date(2026, 11, 12),
                                             manager)
    assert "dr. Anouk de Vries" in named.text()
    rows = list(csv.DictReader(io.StringIO(named.csv()), delimiter=";"))
    assert rows[0] == {"datum": "12-11-2026", "tijd": "15:00:00", "rol": "huisarts",
                       "naam": "dr. Anouk de Vries", "werkplek": "spreekkamer-2",
                       "handeling": "Bekeken", "e-consult": ""}


def test_making_the_report_is_audited_in_the_makers_name(store):
    engine, ids = store
    manager = Actor(ids[Role.MANAGER])
    service(engine).make("1112.22.333", date(2026, 11, 1), date(2026, 11, 30), manager)
    with Session(engine) as session:
        made = session.scalars(select(AuditEvent).where(
            AuditEvent.event == AuditAction.ACCESS_REPORT.value)).all()
    assert [(e.user_id, e.patient_id, e.patient_bsn, e.user_role, e.workstation)
            for e in made] == [(ids[Role.MANAGER], ids["anna"], BSN, "praktijkmanager",
                                "beheer")]
    assert made[0].detail == {"from": "2026-11-01", "to": "2026-11-30", "events": 8,
                              "names": False}
    later = service(engine).make(BSN, date(2026, 11, 30), date(2026, 11, 30), manager)
    assert [(line.role, line.action) for line in later.lines] == [
        ("praktijkmanager", "Inzageoverzicht gemaakt")]


def test_refused_without_the_right_and_then_nothing_is_written(store):
    engine, ids = store
    for role in (Role.GP, Role.ASSISTANT):
        with pytest.raises(NotAllowed):
            service(engine).make(BSN, date(2026, 11, 1), date(2026, 11, 30), Actor(ids[role]))
    with Session(engine) as session:
        assert not session.scalars(select(AuditEvent).where(
            AuditEvent.event == AuditAction.ACCESS_REPORT.value)).all()
    with pytest.raises(AccessReportError) as refused:
        service(engine).make("12345", date(2026, 11, 1), date(2026, 11, 30),
                             Actor(ids[Role.MANAGER]))
    assert refused.value.code == "bsn_invalid"


def test_a_period_without_events_says_so(store):
    engine, ids = store
    report = service(engine).make(BSN, date(2026, 10, 1), date(2026, 10, 31),
                                  Actor(ids[Role.MANAGER]))
    assert report.lines == ()
    assert "In deze periode heeft niemand uw e-consulten ingezien" in report.text()


def test_every_audit_action_has_dutch_words():
    assert {action.value for action in AuditAction} <= set(ACTION_WORDS)


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_written_as_text_or_csv_for_the_owner_only(store, tmp_path):
    engine, ids = store
    report = service(engine).make(BSN, date(2026, 11, 1), date(2026, 11, 30),
                                  Actor(ids[Role.MANAGER]))
    text_file = AccessReportService.write(report, tmp_path / "inzage.txt")
    csv_file = AccessReportService.write(report, tmp_path / "inzage.CSV")
    for path in (text_file, csv_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert text_file.read_text(encoding="utf-8-sig") == report.text()
    rows = list(csv.DictReader(io.StringIO(csv_file.read_text(encoding="utf-8-sig")),
                               delimiter=";"))
    assert [row["handeling"] for row in rows][:2] == ["Bekeken", "Bekeken"]


def test_the_command_signs_in_and_writes_the_report(store, monkeypatch, capsys, tmp_path):
    engine, _ids = store
    secret = new_totp_secret()
    AccountService(engine).add(None, "petra", "Petra de Manager", Role.MANAGER,
                               "lang-genoeg-wachtwoord", totp_secret=secret)
    answers = iter(["petra", pyotp.TOTP(secret).now()])
    monkeypatch.setattr("builtins.input", lambda _prompt="": next(answers))
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": "lang-genoeg-wachtwoord")
    target = tmp_path / "inzage.csv"
    status = cli.main(["audit", "report", "--patient", BSN, "--from", "2026-11-01",
                       "--to", "2026-11-30", "-o", str(target), "--database",
                       engine.url.render_as_string(hide_password=False)])
    assert status == 0, capsys.readouterr()
    assert "written to" in capsys.readouterr().out
    if os.name != "nt":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig")),
                               delimiter=";"))
    assert len(rows) == 8 and rows[0]["rol"] == "doktersassistent"
    with Session(engine) as session:
        made = session.scalars(select(AuditEvent).where(
            AuditEvent.event == AuditAction.ACCESS_REPORT.value)).one()
        assert session.get(Practitioner, made.user_id).username == "petra"


def test_the_command_refuses_a_person_without_the_right(store, monkeypatch, capsys):
    engine, _ids = store
    AccountService(engine).add(None, "petra", "Petra de Manager", Role.MANAGER,
                               "lang-genoeg-wachtwoord", totp_secret=new_totp_secret())
    manager = Actor(AccountService(engine).find("petra").id)
    AccountService(engine).add(manager, "anouk", "dr. Anouk", Role.GP, "ook-lang-genoeg-1")
    monkeypatch.setattr("builtins.input", lambda _prompt="": "anouk")
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": "ook-lang-genoeg-1")
    status = cli.main(["audit", "report", "--patient", BSN, "--from", "2026-11-01",
                       "--to", "2026-11-30", "--database",
                       engine.url.render_as_string(hide_password=False)])
    captured = capsys.readouterr()
    assert status == cli.EXIT_CREDENTIALS
    assert "Anna" not in captured.out and "Bekeken" not in captured.out


def test_days_are_whole_local_days(store):
    engine, ids = store
    # 03-11 09:30 Amsterdam is 08:30 UTC: a report of the 3rd has it, one of the 2nd not.
    third = service(engine).make(BSN, date(2026, 11, 3), date(2026, 11, 3),
                                 Actor(ids[Role.MANAGER]))
    assert len(third.lines) == 2
    second = service(engine).make(BSN, date(2026, 11, 2), date(2026, 11, 2),
                                  Actor(ids[Role.MANAGER]))
    assert second.lines == ()
    assert third.made_at == NOW and third.made_at.utcoffset() == timedelta(hours=1)
