"""The smaller holes of the security review: spreadsheet formulas in the declarations CSV,
files with patient data readable by their owner only, passwords in addresses never shown to
support, and patient look-ups in the audit trail."""

from __future__ import annotations

import io
import logging
import os
import stat
from datetime import date, datetime, timedelta, timezone

import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench import cli
from workbench.config import load_settings
from workbench.logsetup import LOG_FILE_NAME, configure_logging, last_lines
from workbench.services.billing import BillingService, TimerClock, read_export
from workbench.services.diagnostics import diagnostics_text
from workbench.services.images import save_for_his
from workbench.services.inbox import InboxQueries, ListView
from workbench.services.replies import ReplyService
from workbench.services.triage import Actor, AuditAction
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import AuditEvent, EConsult, Patient, Practitioner, Role

POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes; Windows keeps the "
                                                        "folder's ACL")
START = datetime(2026, 11, 26, 8, 0, tzinfo=timezone.utc)
DAY = date(2026, 11, 26)
NAMES = ['=HYPERLINK("https://evil.example","Klik")', "+31 6 1234", "-2+3", "@SUM(A1)",
         "\tTab", "\rReturn", "Gewoon Jansen"]


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def declared(migrated_engine):
    """A declaration for each patient, whose names a spreadsheet would take for formulas."""
    engine, clock = migrated_engine, Clock()
    with Session(engine) as session, session.begin():
        gp = Practitioner(portal_id="p-gp", name="@dr. Formule", role=Role.GP, agb_code="0101")
        manager = Practitioner(name="Petra", role=Role.MANAGER)
        patients = [Patient(portal_id=f"pat-{i}", bsn=f"12345678{i}", name=name)
                    for i, name in enumerate(NAMES)]
        session.add_all([gp, manager, *patients])
        session.flush()
        consults = [EConsult(portal_id=f"c-{p.id}", patient_id=p.id, subject="vraag",
                             portal_status="in-progress", received_at=START,
                             last_patient_message_at=START, portal_version="1")
                    for p in patients]
        session.add_all(consults)
        session.flush()
        work = [(c.id, p.id) for c, p in zip(consults, patients)]
        gp_id, manager_id = gp.id, manager.id
    billing = BillingService(engine, clock)
    for econsult_id, patient_id in work:
        timer = TimerClock(clock)
        timer.open(econsult_id, patient_id)
        for _ in range(60):
            clock.now += timedelta(seconds=1)
            timer.activity()
            timer.tick()
        timer.close()
        billing.record_segments(gp_id, timer.take_segments())
        billing.declare(billing.propose(econsult_id, gp_id), Actor(gp_id))
    return billing, Actor(manager_id)


@POSIX_ONLY
def test_the_declarations_csv_has_no_formulas_and_is_the_owners_only(declared, tmp_path):
    billing, manager = declared
    target = tmp_path / "declaraties.csv"
    assert billing.export_csv(target, DAY, DAY, manager) == len(NAMES)
    assert mode(target) == 0o600
    rows = read_export(target.read_bytes().decode("utf-8-sig"))  # a \r as it is
    assert sorted(row["patiënt"] for row in rows) == sorted(
        "'" + name if name[0] in "=+-@\t\r" else name for name in NAMES)
    assert {row["zorgverlener"] for row in rows} == {"'@dr. Formule"}
    # An existing file keeps no wider mode either.
    target.chmod(0o644)
    billing.export_csv(target, DAY, DAY, manager)
    assert mode(target) == 0o600


@POSIX_ONLY
def test_the_store_and_its_backups_are_the_owners_only(tmp_path):
    path = tmp_path / "data" / "workbench.sqlite3"
    umask = os.umask(0o022)  # files would be readable for all by default
    try:
        database.ensure_sqlite_store(path)
    finally:
        os.umask(umask)
    assert mode(path) == 0o600
    engine = database.make_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:  # the WAL and shared memory files, too
            connection.exec_driver_sql("CREATE TABLE scratch (x)")
            for companion in (path.with_name(path.name + "-wal"),
                              path.with_name(path.name + "-shm")):
                assert mode(companion) == 0o600
        backup = database.backup_sqlite(engine, datetime(2026, 11, 30, tzinfo=timezone.utc))
    finally:
        engine.dispose()
    assert mode(backup) == 0o600 and mode(backup.parent) == 0o700
    # A store an older Workbench made readable for all is tightened when it is opened.
    path.chmod(0o644)
    database.ensure_sqlite_store(path)
    assert mode(path) == 0o600


@POSIX_ONLY
def test_a_photo_saved_for_the_his_is_the_owners_only(tmp_path):
    blobs = BlobStore(tmp_path / "attachments")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "JPEG")
    saved = save_for_his(blobs, blobs.put(buffer.getvalue()), tmp_path / "his-import",
                         "Jansen, Anna", datetime(2026, 11, 24, 9, 15))
    assert saved.parent == tmp_path / "his-import" and mode(saved) == 0o600


DB_URL = "postgresql://praktijk:db-geheim-42@127.0.0.1:1/wb"
PORTAL_URL = "https://praktijk:portaal-geheim-42@127.0.0.1:1/fhir"
SECRETS = ("db-geheim-42", "portaal-geheim-42")


def test_workbench_check_never_shows_the_passwords(capsys):
    cli.main(["check", "--database", DB_URL, "--portal", PORTAL_URL])
    out = capsys.readouterr()
    assert "praktijk:***@127.0.0.1" in out.out
    assert not any(secret in out.out + out.err for secret in SECRETS)


def test_a_command_that_fails_never_shows_the_passwords(capsys, tmp_path):
    """An unreachable portal is named in one sentence on stderr, without its password."""
    status = cli.main(["sync", "--once", "--portal", PORTAL_URL, "--data-dir", str(tmp_path)])
    out = capsys.readouterr()
    assert status != 0 and "praktijk:***@127.0.0.1" in out.err
    assert not any(secret in out.out + out.err for secret in SECRETS)


def test_diagnostics_never_show_the_passwords_nor_do_old_log_lines():
    settings = load_settings({"database_url": DB_URL, "portal_url": PORTAL_URL})
    text = diagnostics_text(settings, [f"2026-11-01 ERROR could not reach {PORTAL_URL}",
                                       "2026-11-01 ERROR password was db-geheim-42"])
    assert not any(secret in text for secret in SECRETS)
    assert "portal_url = 'https://praktijk:***@127.0.0.1:1/fhir'" in text


def test_log_lines_never_hold_the_passwords(tmp_path, capsys):
    configure_logging(folder=tmp_path)
    log = logging.getLogger("workbench.test")
    log.warning("connecting to %s", DB_URL)
    try:
        raise ConnectionError(f"cannot reach {PORTAL_URL}")
    except ConnectionError:
        log.exception("pull failed (conninfo host=db password=s3cr3t-pw)")
    logging.shutdown()
    written = (tmp_path / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "praktijk:***@127.0.0.1:1/wb" in written and "password=***" in written
    assert not any(s in written + capsys.readouterr().err
                   for s in (*SECRETS, "s3cr3t-pw"))
    assert last_lines(folder=tmp_path)


@pytest.fixture
def people_and_patients(migrated_engine):
    with Session(migrated_engine) as session, session.begin():
        assistant = Practitioner(name="Sanne", role=Role.ASSISTANT)
        anna = Patient(portal_id="p-anna", bsn="111222333", name="Anna Jansen",
                       birth_date=date(1980, 5, 17))
        session.add_all([assistant, anna,
                         Patient(portal_id="p-jan", bsn="444555666", name="Jan Jansen")])
        session.flush()
        return migrated_engine, Actor(assistant.id), anna.id


def lookups(engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.scalars(select(AuditEvent).where(
            AuditEvent.event == AuditAction.PATIENT_LOOKUP.value).order_by(AuditEvent.id)))


def test_a_patient_look_up_is_audited_without_what_was_typed(people_and_patients, tmp_path):
    engine, assistant, anna = people_and_patients
    replies = ReplyService(engine, BlobStore(tmp_path / "attachments"))
    assert len(replies.find_patients("jansen", assistant)) == 2
    assert len(replies.find_patients("17-05-1980", assistant)) == 1
    assert len(replies.find_patients("111222333", assistant)) == 1
    assert replies.find_patients("j", assistant) == []  # too short: no look-up at all
    replies.record_patient_choice(anna, assistant, "111222333")
    events = lookups(engine)
    assert [(e.detail, e.patient_id, e.patient_bsn, e.user_id) for e in events] == [
        ({"kind": "name", "hits": 2}, None, None, assistant.user_id),
        ({"kind": "birth_date", "hits": 1}, None, None, assistant.user_id),
        ({"kind": "bsn", "hits": 1}, None, None, assistant.user_id),
        ({"kind": "bsn", "chosen": True}, anna, "111222333", assistant.user_id),
    ]


def test_the_inbox_search_is_not_a_patient_look_up(people_and_patients):
    engine, _assistant, _anna = people_and_patients
    InboxQueries(engine).ids(ListView(search="Jansen"))
    assert lookups(engine) == []
