"""The tamper-evident audit trail: every event chained by an HMAC under the practice's key,
`workbench audit verify` naming the first changed, deleted or inserted event (SQLite and
PostgreSQL), the anchor that finds events cut off the end, the PostgreSQL login that can add
audit events but not change them, and views that show nothing when they cannot be audited."""

from __future__ import annotations

import io
import json
import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tests.conftest import POSTGRES_URL, TEST_AUDIT_KEY
from workbench import cli
from workbench.services import secrets
from workbench.services.audit import write_audit_event
from workbench.services.audit_verify import anchor_path, verify_chain, write_anchor
from workbench.services.errors import AuditUnavailable
from workbench.services.triage import Actor, TriageService
from workbench.store import database, roles
from workbench.store.models import (
    AuditChain,
    AuditEvent,
    AuthorKind,
    Direction,
    EConsult,
    Message,
    Patient,
    Practitioner,
    Role,
)

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
QUESTION = "Mijn knie is sinds gisteren dik en warm"


def build_store(url: str) -> tuple[object, dict[str, int]]:
    """A migrated store with two people, a patient and one e-consult with her question."""
    engine = database.make_engine(url)
    database.upgrade(engine)
    with Session(engine) as session, session.begin():
        patient = Patient(portal_id="p1", name="Anna Jansen", bsn="111222333")
        gp = Practitioner(portal_id="gp1", name="Dr. Visser", role=Role.GP)
        assistant = Practitioner(portal_id="as1", name="Sanne de Boer", role=Role.ASSISTANT)
        consult = EConsult(portal_id="e1", patient=patient, subject="Dikke knie",
                           portal_status="in-progress", received_at=NOW,
                           last_patient_message_at=NOW, portal_version="1")
        consult.messages.append(Message(portal_id="m1", portal_version="1",
                                        direction=Direction.IN, author_kind=AuthorKind.PATIENT,
                                        author_portal_id="p1", text=QUESTION, sent_at=NOW))
        session.add_all([patient, gp, assistant, consult])
        session.flush()
        ids = {"patient": patient.id, "gp": gp.id, "assistant": assistant.id,
               "consult": consult.id}
    return engine, ids


def write_events(engine, ids, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        with Session(engine) as session, session.begin():
            write_audit_event(session, event="view", occurred_at=NOW + timedelta(minutes=n),
                              user_id=ids["assistant"], responsible_id=ids["gp"],
                              econsult_id=ids["consult"], patient_id=ids["patient"],
                              workstation="balie-1", detail={"n": n, "why": "test"})


def event_ids(engine) -> list[int]:
    with engine.connect() as connection:
        return list(connection.scalars(select(AuditEvent.id).order_by(AuditEvent.chain_seq)))


@pytest.fixture
def store(store_url):
    engine, ids = build_store(store_url)
    write_events(engine, ids, 6)
    yield engine, ids
    engine.dispose()


# -- the chain and its verification ----------------------------------------------------------
def test_an_untouched_store_verifies_with_every_event_counted(store):
    engine, ids = store
    TriageService(engine, clock=lambda: NOW + timedelta(hours=1), workstation="spreekkamer") \
        .record_view(ids["consult"], Actor(ids["gp"]))
    report = verify_chain(engine)
    assert report.ok, report.problem
    assert report.count == 7
    with engine.connect() as connection:
        seqs = connection.scalars(select(AuditEvent.chain_seq).order_by(AuditEvent.id)).all()
        head = connection.execute(select(AuditChain.seq, AuditChain.mac)).one()
        last_mac = connection.scalar(select(AuditEvent.mac).where(AuditEvent.chain_seq == 7))
    assert seqs == list(range(1, 8))
    assert tuple(head) == (7, last_mac)


@pytest.mark.parametrize("change", [
    {"user_id": "gp"},                          # someone else's name on the view
    {"occurred_at": NOW - timedelta(days=1)},   # another time
    {"detail": {"n": 99, "why": "test"}},
    {"patient_bsn": "999888777"},
])
def test_an_updated_field_names_the_changed_event(store, change):
    engine, ids = store
    changed = event_ids(engine)[2]
    values = {name: ids[value] if name == "user_id" else value for name, value in change.items()}
    with engine.begin() as connection:
        connection.execute(update(AuditEvent.__table__).where(
            AuditEvent.__table__.c.id == changed).values(**values))
    report = verify_chain(engine)
    assert (report.problem.kind, report.problem.event_id) == ("changed", changed)
    assert f"Audit event {changed} (place 3)" in report.problem.text


def test_a_deleted_event_in_the_middle_names_the_event_after_the_gap(store):
    engine, _ids = store
    events = event_ids(engine)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": events[3]})
    problem = verify_chain(engine).problem
    assert (problem.kind, problem.event_id) == ("missing", events[4])
    assert "Place 4 of the audit chain is empty" in problem.text


def test_a_deleted_last_event_is_found_by_the_head_and_then_by_the_anchor(store, tmp_path):
    engine, _ids = store
    anchor = anchor_path(tmp_path)
    assert write_anchor(engine, anchor).seq == 6
    events = event_ids(engine)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": events[-1]})
    problem = verify_chain(engine).problem
    assert problem.kind == "head" and "events 6 to 6 were cut off the end" in problem.text
    # Set the head back to the event now last: the chain is whole in itself...
    with engine.begin() as connection:
        mac = connection.scalar(select(AuditEvent.mac).where(AuditEvent.id == events[-2]))
        connection.execute(update(AuditChain.__table__).values(seq=5, mac=mac))
    assert verify_chain(engine).ok
    # ...but shorter than this workstation saw; and a pull does not overwrite that evidence.
    problem = verify_chain(engine, anchor_file=anchor).problem
    assert problem.kind == "shorter_than_anchor" and "events 6 to 6" in problem.text
    assert write_anchor(engine, anchor) is None
    assert verify_chain(engine, anchor_file=anchor).problem.kind == "shorter_than_anchor"


def test_a_chain_grown_beyond_the_anchor_is_fine(store, tmp_path):
    engine, ids = store
    anchor = anchor_path(tmp_path)
    write_anchor(engine, anchor)
    write_events(engine, ids, 3, start=6)  # written by another workstation meanwhile
    assert verify_chain(engine, anchor_file=anchor).ok
    assert write_anchor(engine, anchor).seq == 9


def test_an_event_inserted_in_the_middle_is_named(store):
    engine, ids = store
    events = event_ids(engine)
    # With the following events moved up one place, and a made-up MAC (no key).
    with engine.begin() as connection:
        for event_id in reversed(events[3:]):
            connection.execute(update(AuditEvent.__table__).where(
                AuditEvent.__table__.c.id == event_id).values(
                    chain_seq=AuditEvent.__table__.c.chain_seq + 1))
        inserted = connection.execute(AuditEvent.__table__.insert().values(
            occurred_at=NOW, event="view", user_id=ids["gp"], responsible_id=ids["gp"],
            workstation="x", chain_seq=4, mac="0" * 64)).inserted_primary_key[0]
        connection.execute(update(AuditChain.__table__).values(seq=7))
    problem = verify_chain(engine).problem
    assert (problem.kind, problem.event_id) == ("changed", inserted)


def test_an_event_inserted_outside_the_chain_is_named(store):
    engine, ids = store
    with engine.begin() as connection:
        inserted = connection.execute(AuditEvent.__table__.insert().values(
            occurred_at=NOW, event="view", user_id=ids["gp"], responsible_id=ids["gp"],
            workstation="x")).inserted_primary_key[0]
    problem = verify_chain(engine).problem
    assert (problem.kind, problem.event_id) == ("unchained", inserted)


def test_events_from_before_the_chain_are_sealed_in_id_order_when_it_begins(sqlite_url):
    engine, ids = build_store(sqlite_url)
    with Session(engine) as session, session.begin():  # as an older Workbench wrote them
        for n in range(3):
            session.add(AuditEvent(occurred_at=NOW + timedelta(minutes=n), event="view",
                                   user_id=ids["gp"], responsible_id=ids["gp"],
                                   patient_id=ids["patient"], workstation="oud"))
    report = verify_chain(engine)
    assert report.ok and (report.count, report.unsealed) == (0, 3)
    write_events(engine, ids, 1, start=10)
    report = verify_chain(engine)
    assert report.ok and (report.count, report.unsealed) == (4, 0)
    with engine.connect() as connection:
        assert connection.scalars(select(AuditEvent.chain_seq).order_by(AuditEvent.id)) \
            .all() == [1, 2, 3, 4]
    engine.dispose()


def test_without_the_audit_key_nothing_is_written(sqlite_url, no_audit_key):
    engine, ids = build_store(sqlite_url)
    with pytest.raises(AuditUnavailable):
        TriageService(engine, clock=lambda: NOW).record_view(ids["consult"], Actor(ids["gp"]))
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(AuditEvent)) == 0
    engine.dispose()


def test_another_key_cannot_rewrite_the_chain(store):
    engine, _ids = store
    problem = verify_chain(engine, key=b"k" * 32).problem
    assert problem.kind == "changed" and problem.seq == 1


# -- the command line ------------------------------------------------------------------------
def run(capsys, *argv) -> tuple[int, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_audit_verify_exit_status_and_the_named_event(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    engine, ids = build_store(url)
    write_events(engine, ids, 4)
    common = ["--database", url, "--data-dir", str(tmp_path)]
    assert run(capsys, "audit", "verify", *common) == (
        0, "Audit trail OK: 4 events, the chain is unbroken.\n")
    changed = event_ids(engine)[1]
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_event SET workstation = 'elders' WHERE id = :id"),
                           {"id": changed})
    engine.dispose()
    status, out = run(capsys, "audit", "verify", *common)
    assert status == 1
    assert out.startswith(f"Audit trail NOT OK: Audit event {changed} (place 2) does not "
                          "match its MAC")
    status, out = run(capsys, "check", *common)
    assert "PROBLEM audit trail" in out and f"Audit event {changed} (place 2)" in out

    secrets.delete_audit_key()
    status, out = run(capsys, "audit", "verify", *common)
    assert status == cli.EXIT_CONFIG and "no audit key" in out and "audit key set" in out


def test_a_pull_writes_the_anchor_of_the_chain(capsys, tmp_path, start_portal):
    portal = start_portal(seed=3, consults=4, photo_share=0.0)
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    engine, ids = build_store(url)
    write_events(engine, ids, 3)
    status, out = run(capsys, "sync", "--once", "--database", url, "--data-dir", str(tmp_path),
                      "--portal", portal.base_url)
    assert status == 0, out
    with engine.connect() as connection:
        head = connection.execute(select(AuditChain.seq, AuditChain.mac)).one()
    anchored = json.loads(anchor_path(tmp_path).read_text(encoding="utf-8"))
    assert (anchored["seq"], anchored["mac"]) == tuple(head) and head[0] >= 3
    engine.dispose()


def test_check_reports_the_audit_trail(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    engine, ids = build_store(url)
    write_events(engine, ids, 2)
    engine.dispose()
    _status, out = run(capsys, "check", "--database", url, "--data-dir", str(tmp_path))
    fingerprint = secrets.audit_key_fingerprint(TEST_AUDIT_KEY)
    assert f"OK      audit trail: 2 events, the chain is unbroken (key {fingerprint})" in out


def test_the_key_is_generated_once_and_set_alike_on_another_workstation(capsys, monkeypatch,
                                                                        tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    common = ["--database", url, "--data-dir", str(tmp_path)]
    secrets.delete_audit_key()
    status, out = run(capsys, "audit", "key", "set", "--generate", *common)
    assert status == 0
    printed_key = out.splitlines()[1]
    key = secrets.get_audit_key()
    assert secrets.parse_audit_key(printed_key) == key and len(key) == 32
    status, out = run(capsys, "audit", "key", "show-fingerprint")
    fingerprint = secrets.audit_key_fingerprint(key)
    assert (status, out) == (0, f"Audit key fingerprint: {fingerprint}\n")
    assert printed_key not in out and key.hex() not in out
    # A second --generate would split the practice in two keys: refused.
    status, out = run(capsys, "audit", "key", "set", "--generate", *common)
    assert status == cli.EXIT_CONFIG and fingerprint in out
    engine, ids = build_store(url)
    write_events(engine, ids, 2)
    engine.dispose()

    # Another workstation: IT pastes the same key (here as hex) and compares fingerprints.
    secrets.delete_audit_key()
    monkeypatch.setattr("sys.stdin", io.StringIO(key.hex() + "\n"))
    status, out = run(capsys, "audit", "key", "set", *common)
    assert status == 0 and fingerprint in out
    assert run(capsys, "audit", "verify", *common)[0] == 0
    # A key that did not write this store's chain is refused, the right one stays.
    monkeypatch.setattr("sys.stdin", io.StringIO("a2V5" * 8 + "\n"))
    status, out = run(capsys, "audit", "key", "set", *common)
    assert status == cli.EXIT_CONFIG and "not the one the audit trail" in out
    assert secrets.get_audit_key() == key


def test_key_set_seals_the_events_of_an_older_store(capsys, monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    engine, ids = build_store(url)
    with Session(engine) as session, session.begin():
        session.add_all([AuditEvent(occurred_at=NOW, event="view", user_id=ids["gp"],
                                    responsible_id=ids["gp"], workstation="oud")
                         for _ in range(2)])
    secrets.delete_audit_key()
    monkeypatch.setattr("sys.stdin", io.StringIO(TEST_AUDIT_KEY.hex() + "\n"))
    status, out = run(capsys, "audit", "key", "set", "--database", url, "--data-dir",
                      str(tmp_path))
    assert status == 0 and "2 audit events from before the chain were sealed" in out
    assert verify_chain(engine).count == 2
    engine.dispose()


# -- PostgreSQL: concurrent writers and the workstations' login -------------------------------
@pytest.fixture
def postgres_store():
    from tests.conftest import _fresh_postgres
    engine, ids = build_store(_fresh_postgres())
    yield engine, ids
    engine.dispose()


def test_concurrent_writers_keep_one_unbroken_chain(postgres_store):
    engine, ids = postgres_store
    failures: list[BaseException] = []

    def writer(start: int) -> None:
        try:
            write_events(engine, ids, 25, start=start)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(n * 100,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    report = verify_chain(engine)
    assert report.ok and report.count == 50


@pytest.fixture
def app_login(postgres_store):
    """The workstations' login, made by `workbench db upgrade --app-role` as the owner."""
    engine, ids = postgres_store
    name = f"wb_app_{uuid.uuid4().hex[:8]}"
    password = uuid.uuid4().hex
    yield engine, ids, name, password
    roles.drop_role(engine, name)


def test_db_upgrade_makes_a_login_that_adds_audit_events_but_cannot_change_them(
        app_login, capsys, monkeypatch):
    owner, ids, name, password = app_login
    with Session(owner) as session, session.begin():  # from before the chain
        session.add(AuditEvent(occurred_at=NOW, event="view", user_id=ids["gp"],
                               responsible_id=ids["gp"], workstation="oud"))
    secrets.delete_audit_key()  # IT's own computer need not have the key
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    status, out = run(capsys, "db", "upgrade", "--app-role", name, "--database", POSTGRES_URL)
    assert status == 0 and f"Workstation login {name} created" in out, out
    secrets.set_audit_key(TEST_AUDIT_KEY)

    app_url = make_url(database.normalise_url(POSTGRES_URL)).set(username=name,
                                                                 password=password)
    app = database.make_engine(app_url.render_as_string(hide_password=False))
    try:
        # A workstation starts without owner rights: the store is at this version, no DDL.
        from workbench.bootstrap import open_store
        from workbench.config import load_settings
        open_store(load_settings({"database_url": app_url.render_as_string(
            hide_password=False)}), migrate_sqlite=False).close()
        # It seals the earlier event and adds its own.
        TriageService(app, clock=lambda: NOW).record_view(ids["consult"], Actor(ids["gp"]))
        write_events(app, ids, 2)
        assert verify_chain(app).count == 4
        for statement in ("UPDATE audit_event SET user_id = user_id",
                          "UPDATE audit_event SET mac = mac",
                          "DELETE FROM audit_event", "TRUNCATE audit_event",
                          "DELETE FROM audit_chain"):
            with pytest.raises(DBAPIError, match="permission denied|cannot be changed"), \
                    app.begin() as connection:
                connection.execute(text(statement))
        # Not even the owner changes a chained event while the trigger is there.
        with pytest.raises(DBAPIError, match="audit events cannot be changed or deleted"), \
                owner.begin() as connection:
            connection.execute(text("UPDATE audit_event SET workstation = 'x'"))
        assert verify_chain(app).ok
    finally:
        app.dispose()
    # Run again (after a later migration): the login exists, only the rights are set.
    status, out = run(capsys, "db", "upgrade", "--app-role", name, "--database", POSTGRES_URL)
    assert status == 0 and f"Workstation login {name} exists" in out


# -- the window --------------------------------------------------------------------------------
def visible_texts(widget) -> list[str]:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
        QWidget,
    )
    texts = []
    for child in [widget, *widget.findChildren(QWidget)]:
        if not child.isVisible():
            continue
        if isinstance(child, (QLabel, QLineEdit, QAbstractButton)):
            texts.append(child.text())
        elif isinstance(child, (QTextEdit, QPlainTextEdit)):
            texts.append(child.toPlainText())
    return texts


@pytest.fixture
def pane_context(qtbot, tmp_path):
    from workbench.config import load_settings
    from workbench.services.inbox import InboxQueries
    from workbench.store.blobs import BlobStore
    from workbench.ui.context import UiContext
    from workbench.ui.tasks import TaskRunner
    engine, ids = build_store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    queries = InboxQueries(engine)
    tasks = TaskRunner()

    def context_for(role: Role) -> UiContext:
        user = next(p for p in queries.practitioners() if p.role is role)
        return UiContext(settings=load_settings({"data_dir": str(tmp_path)}), engine=engine,
                         blobs=BlobStore(tmp_path / "attachments"), queries=queries,
                         triage=TriageService(engine, workstation="test"), tasks=tasks,
                         user=user, clock=lambda: NOW)
    yield context_for, ids, engine
    tasks.wait_for_done()
    engine.dispose()


def shown_pane(qtbot, context):
    from workbench.ui.consult_pane import ConsultPane
    pane = ConsultPane(context)
    qtbot.addWidget(pane)
    pane.resize(1100, 800)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def test_a_view_that_is_audited_shows_the_patients_text(qtbot, pane_context):
    context_for, ids, _engine = pane_context
    pane = shown_pane(qtbot, context_for(Role.ASSISTANT))
    with qtbot.waitSignal(pane.viewed, timeout=5000):
        pane.show_consult(ids["consult"])
    assert any(QUESTION in shown for shown in visible_texts(pane))
    assert any("Anna Jansen" in shown for shown in visible_texts(pane))


def test_a_view_that_cannot_be_audited_shows_nothing_of_the_patient(qtbot, pane_context,
                                                                    no_audit_key):
    context_for, ids, engine = pane_context
    pane = shown_pane(qtbot, context_for(Role.ASSISTANT))
    pane.show_consult(ids["consult"])
    shown = visible_texts(pane)
    assert not any(QUESTION in t or "Anna Jansen" in t or "Dikke knie" in t for t in shown)
    message = "This e-consult cannot be shown: viewing it cannot be recorded."
    qtbot.waitUntil(lambda: message in visible_texts(pane), timeout=5000)
    shown = visible_texts(pane)
    assert not any(QUESTION in t or "Anna Jansen" in t or "Dikke knie" in t for t in shown)
    assert pane.current_id() is None  # nothing to act on either
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_the_praktijkmanager_is_warned_at_start_when_the_trail_is_broken(qtbot, pane_context):
    from PySide6.QtWidgets import QMainWindow

    from workbench.ui.audit_warning import check_audit_trail_for_manager
    context_for, ids, engine = pane_context
    write_events(engine, ids, 3)
    changed = event_ids(engine)[1]
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_event SET user_id = :gp WHERE id = :id"),
                           {"gp": ids["gp"], "id": changed})
    with Session(engine) as session, session.begin():
        session.add(Practitioner(name="Petra de Wit", role=Role.MANAGER, username="petra"))

    for role in (Role.ASSISTANT, Role.MANAGER):
        window = QMainWindow()
        qtbot.addWidget(window)
        window.show()
        context = context_for(role)
        check_audit_trail_for_manager(window, context)
        if role is Role.ASSISTANT:
            context.tasks.wait_for_done()
            qtbot.wait(50)
            assert getattr(window, "audit_warning", None) is None
            continue
        qtbot.waitUntil(lambda w=window: getattr(w, "audit_warning", None) is not None,
                        timeout=5000)
        box = window.audit_warning
        assert box.isVisible() and box.windowTitle() == "The audit trail is not intact"
        assert f"Audit event {changed} has been changed" in box.text()
        assert window.statusBar().currentMessage() == "The audit trail is not intact"
