""""Niet verwerkt" made visible: the list and its actions, the red navigation entry, an honest
status bar, and data problems shown in the consult pane. A small store written by hand (real
SQLite, migrated), so these tests do not depend on a pull."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.config import load_settings
from workbench.services.inbox import InboxQueries, PractitionerInfo
from workbench.services.outbox import OutboxResult
from workbench.services.schedule import PullSchedule
from workbench.services.triage import TriageService
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    AuditEvent,
    AuthorKind,
    ConsultStatus,
    Direction,
    EConsult,
    Message,
    Patient,
    Practitioner,
    QuarantinedResource,
    QuarantineState,
    Role,
)

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
HTML = "<b>vet</b> <a href='http://x'>klik</a> &amp; <img src=x>"

UNREADABLE = {
    "resourceType": "Communication", "id": "c-bad",
    "subject": {"reference": "Patient/p-1"},
    "sender": {"reference": "Patient/p-1", "display": "Anna de Vries"},
    "sent": "2026-03-02T08:12:00+01:00", "topic": {"text": "Uitslag bloedonderzoek"},
    "payload": [{"contentString": HTML}, {"contentAttachment": {"contentType": "image/heic"}}],
}
WAITING = {"resourceType": "Communication", "id": "c-wait",
           "sender": {"reference": "RelatedPerson/rp-9"}, "topic": {"text": "Herhaalrecept"},
           "payload": [{"contentString": "Graag mijn herhaalrecept."}]}


def add_quarantined(engine, portal_id, raw, *, transient=False,
                    reason="payload[1] has no data or url", at=NOW):
    with Session(engine) as session, session.begin():
        row = QuarantinedResource(resource_type="Communication", portal_id=portal_id,
                                  portal_version="1", reason=reason, raw=raw, quarantined_at=at,
                                  transient=transient, attempts=2, last_attempt_at=at)
        session.add(row)
        session.flush()
        return row.id


@pytest.fixture
def store(tmp_path):
    engine = database.make_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    database.upgrade(engine)
    with Session(engine) as session, session.begin():
        assistant = Practitioner(portal_id="pr-1", name="Eva Smits", role=Role.ASSISTANT)
        patient = Patient(portal_id="p-1", name="Anna de Vries", bsn="123456789",
                          birth_date=None, birth_date_text="1980",
                          data_problems=["bsn_invalid", "birth_date_partial"])
        session.add_all([assistant, patient])
        session.flush()
        consult = EConsult(portal_id="c-1", patient_id=patient.id, subject="Hoofdpijn",
                           status=ConsultStatus.INBOX, portal_status="in-progress",
                           received_at=NOW, last_patient_message_at=NOW, portal_version="1",
                           data_problems=["subject_shortened"])
        session.add(consult)
        session.flush()
        session.add(Message(econsult_id=consult.id, portal_id="c-1", portal_version="1",
                            direction=Direction.IN, author_kind=AuthorKind.PATIENT,
                            author_portal_id="p-1", text="Al drie dagen hoofdpijn.",
                            sent_at=NOW))
    yield engine
    engine.dispose()


@pytest.fixture
def context(qtbot, store, tmp_path):
    from workbench.ui.context import UiContext
    from workbench.ui.tasks import TaskRunner
    queries = InboxQueries(store)
    user = next(p for p in queries.practitioners() if p.role is Role.ASSISTANT)
    tasks = TaskRunner()
    yield UiContext(settings=load_settings({"data_dir": str(tmp_path)}), engine=store,
                    blobs=BlobStore(tmp_path / "attachments"), queries=queries,
                    triage=TriageService(store, workstation="test"), tasks=tasks, user=user,
                    clock=lambda: NOW)
    tasks.wait_for_done()


@pytest.fixture
def view(qtbot, context):
    from workbench.ui.quarantine_view import QuarantineView
    widget = QuarantineView(context)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def audit_events(engine, event):
    with Session(engine) as session:
        return session.scalars(select(AuditEvent).where(AuditEvent.event == event)).all()


def test_the_list_shows_reason_sender_subject_and_the_text_literally(qtbot, view, store):
    bad = add_quarantined(store, "c-bad", UNREADABLE)
    add_quarantined(store, "c-wait", WAITING, transient=True,
                    reason="RelatedPerson/rp-9 not found (404)", at=NOW + timedelta(minutes=5))
    with qtbot.waitSignal(view.viewed, timeout=5000) as viewed:
        view.reload()
    assert viewed.args == [bad]
    assert view.count() == 2 and view.current_item_id() == bad
    row = [view.table.item(0, c).text() for c in range(view.table.columnCount())]
    assert row[1:] == ["Anna de Vries", "Uitslag bloedonderzoek", "Cannot be read", "2"]
    assert view.summary_label.text() == "Cannot be read"
    assert "payload[1] has no data or url" in view.reason_label.text()
    assert view.sender_label.text() == "Anna de Vries"
    assert view.patient_label.text() == "Anna de Vries"
    assert view.subject_label.text() == "Uitslag bloedonderzoek"
    assert "2 times" in view.attempts_label.text()
    # The patient's words as plain text: the markup is shown, not interpreted.
    assert isinstance(view.text_view, QPlainTextEdit)
    assert view.text_view.toPlainText() == HTML
    for label in view.findChildren(QLabel):
        if HTML[:8] in label.text():
            assert label.textFormat() is Qt.TextFormat.PlainText
    [event] = audit_events(store, "quarantine_viewed")
    assert event.econsult_id is None and event.patient_id is not None

    with qtbot.waitSignal(view.viewed, timeout=5000):
        view.table.setCurrentCell(1, 0)
    assert view.summary_label.text() == "Temporary problem, tried again at every pull"
    assert view.sender_label.text() == "RelatedPerson/rp-9"
    assert view.text_view.toPlainText() == "Graag mijn herhaalrecept."


def test_the_text_is_not_shown_when_the_view_cannot_be_recorded(qtbot, view, store,
                                                                 no_audit_key):
    """Fail-closed, as the consult pane: no audit key, no patient's text on screen."""
    add_quarantined(store, "c-bad", UNREADABLE)
    view.reload()
    qtbot.waitUntil(lambda: "cannot be recorded" in view.text_view.placeholderText(),
                    timeout=5000)
    assert view.text_view.toPlainText() == ""
    assert audit_events(store, "quarantine_viewed") == []


def test_try_again_asks_for_a_pull(qtbot, view, store):
    add_quarantined(store, "c-bad", UNREADABLE)
    view.reload()
    assert view.retry_action.shortcut().toString() and view.handle_action.shortcut().toString()
    with qtbot.waitSignal(view.retry_requested, timeout=1000):
        view.retry_action.trigger()
    view.set_pulling(True)
    assert not view.retry_action.isEnabled()
    view.set_pulling(False)
    assert view.retry_action.isEnabled()


def test_mark_handled_asks_a_reason_and_takes_it_off_the_list(qtbot, view, store):
    bad = add_quarantined(store, "c-bad", UNREADABLE)
    other = add_quarantined(store, "c-wait", WAITING, at=NOW + timedelta(minutes=5))
    view.reload()
    dialog = view.open_handled_dialog()
    assert dialog is not None and dialog.isVisible()
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()  # a reason is required
    dialog.reason_field.setText("   ")
    assert not ok.isEnabled()
    dialog.accept()
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.reason_field, "Patient gebeld, stuurt het opnieuw")
    assert ok.isEnabled()
    with qtbot.waitSignal(view.handled, timeout=5000) as handled:
        qtbot.keyClick(dialog.reason_field, Qt.Key.Key_Return)
    assert handled.args == [bad]
    assert view.count() == 1 and view.current_item_id() == other
    with Session(store) as session:
        row = session.get(QuarantinedResource, bad)
        assert row.state is QuarantineState.HANDLED
        assert row.handled_reason == "Patient gebeld, stuurt het opnieuw"
    assert len(audit_events(store, "quarantine_handled")) == 1


def test_the_empty_list_says_so(qtbot, view):
    view.reload()
    assert view.count() == 0
    assert view.open_handled_dialog() is None
    assert not view.handle_action.isEnabled()


def test_navigation_shows_the_count_in_red_only_while_items_wait(qtbot):
    from workbench.ui.navigation import NavigationList
    user = PractitionerInfo(5, "Eva Smits", Role.ASSISTANT)
    navigation = NavigationList(user, [user])
    qtbot.addWidget(navigation)
    rows = navigation.count()
    navigation.set_quarantine_count(0)
    assert navigation.count() == rows and navigation.quarantine_entry() is None
    navigation.set_quarantine_count(2)
    entry = navigation.quarantine_entry()
    assert entry.text() == "Not processed (2)"
    assert entry.foreground().color().name() == "#b3261e"
    assert entry.font().bold()
    assert len(navigation.views()) == rows  # not a list of e-consults
    with qtbot.waitSignal(navigation.quarantine_selected, timeout=1000):
        assert navigation.select_quarantine()
    assert navigation.current_view() is None
    with qtbot.waitSignal(navigation.view_selected, timeout=1000):
        navigation.set_quarantine_count(0)  # the last one handled: back to a list
    assert navigation.quarantine_entry() is None and navigation.current_view() is not None


@pytest.fixture
def window(qtbot, context):
    from workbench.ui.main_window import MainWindow
    from workbench.ui.sync_controller import SyncController

    def no_pull():
        raise AssertionError("these tests drive the pull's signals themselves")

    sync = SyncController(context.tasks, no_pull, PullSchedule(), lambda: NOW)
    made = MainWindow(context, sync)
    qtbot.addWidget(made)
    made.resize(1366, 740)
    made.show()
    qtbot.waitExposed(made)
    yield made
    sync.stop()


def pull_result(**fields):
    """The pull's result as SyncResult has it now; the new fields only when given."""
    values = {"fetched": 3, "created": 1, "updated": 0, "econsults_created": 0,
              "attachments": 0, "quarantined": 0, "pages": 1, "errors": [], "skipped": False}
    values.update(fields)
    return SimpleNamespace(**values)


def finish_pull(window, result, new=0):
    from workbench.ui.sync_controller import PullOutcome
    window._sync.finished.emit(PullOutcome(result, OutboxResult(), new))


def test_the_status_bar_never_says_up_to_date_while_items_are_not_processed(qtbot, window,
                                                                             store):
    finish_pull(window, pull_result())
    assert window.pull_status.message_label.text() == "Up to date"
    assert window.navigation.quarantine_entry() is None

    # This pull put two aside (the result without the new fields: the store is counted).
    add_quarantined(store, "c-bad", UNREADABLE)
    add_quarantined(store, "c-wait", WAITING, transient=True)
    finish_pull(window, pull_result(quarantined=2))
    text = window.pull_status.message_label.text()
    assert "Up to date" not in text
    assert text == "Pulled, but 2 messages not processed: see Not processed"
    assert window.navigation.quarantine_entry().text() == "Not processed (2)"

    # A later pull that put nothing aside still says the items wait.
    finish_pull(window, pull_result())
    assert window.pull_status.message_label.text() == \
        "Pulled, but 2 messages not processed: see Not processed"

    # The result's own count, when it has one, and an unfinished pull.
    finish_pull(window, pull_result(quarantined_open=1, incomplete=["messages"]), new=3)
    text = window.pull_status.message_label.text()
    assert text.startswith("Pull not finished: the rest follows in the next round")
    assert "1 message not processed" in text and "3 new e-consults" in text
    finish_pull(window, pull_result(errors=["Communication/x: timeout"]))
    assert "Pulled, with 1 problems" in window.pull_status.message_label.text()
    assert "Up to date" not in window.pull_status.message_label.text()


def test_the_window_opens_not_processed_and_goes_back_when_all_are_handled(qtbot, window,
                                                                          store):
    first = add_quarantined(store, "c-bad", UNREADABLE)
    finish_pull(window, pull_result(quarantined=1))
    assert window.quarantine_action.shortcut().toString() == "Ctrl+9"
    window.quarantine_action.trigger()
    assert not window.quarantine.isHidden() and window.inbox.isHidden()
    assert window.quarantine.current_item_id() == first
    with qtbot.waitSignal(window.quarantine.handled, timeout=5000):
        window.quarantine.mark_handled(first, "Patiënt gebeld")
    assert window.navigation.quarantine_entry() is None
    assert window.quarantine.isHidden() and not window.inbox.isHidden()
    assert window.pull_status.message_label.text() == "Up to date"
    assert not window.show_quarantine()


def test_try_again_in_the_window_starts_a_pull(qtbot, window, store, monkeypatch):
    add_quarantined(store, "c-bad", UNREADABLE)
    window.refresh_counts()
    asked = []
    monkeypatch.setattr(window._sync, "_tasks", SimpleNamespace(
        run_io=lambda work, done, failed: asked.append(work)))
    window.show_quarantine()
    with qtbot.waitSignal(window._sync.started, timeout=1000):
        window.quarantine.retry_action.trigger()
    assert len(asked) == 1
    assert not window.quarantine.retry_action.isEnabled()


def test_the_consult_pane_shows_data_problems_as_a_warning(qtbot, context, store):
    from workbench.ui.app import install_translations
    from workbench.ui.consult_pane import ConsultPane
    pane = ConsultPane(context)
    qtbot.addWidget(pane)
    pane.resize(900, 700)
    pane.show()
    with Session(store) as session:
        econsult_id = session.scalar(select(EConsult.id))
    with qtbot.waitSignal(pane.viewed, timeout=5000):
        pane.show_consult(econsult_id)
    warning = pane.findChild(QLabel, "dataProblems")
    assert warning.isVisibleTo(pane) and warning.textFormat() is Qt.TextFormat.PlainText
    assert "BSN invalid: do not use it for the HIS" in warning.text()
    assert "birth year 1980" in warning.text()
    assert "Subject shortened" in warning.text()
    patient_line = next(label.text() for label in pane.findChildren(QLabel)
                        if "Anna de Vries" in label.text())
    assert "(invalid)" in patient_line and "born 1980" in patient_line

    translators = install_translations(QApplication.instance(), "nl")
    try:
        assert QCoreApplication.translate("Labels", "BSN invalid: do not use it for the HIS") \
            == "BSN ongeldig: niet gebruiken voor het HIS"
        pane.refresh()
        assert "BSN ongeldig: niet gebruiken voor het HIS" in warning.text()
        assert "geboortejaar 1980" in warning.text()
        assert "Onderwerp ingekort" in warning.text()
    finally:
        for translator in translators:
            QApplication.instance().removeTranslator(translator)

    with Session(store) as session, session.begin():
        session.get(EConsult, econsult_id).patient.data_problems = None
        session.get(EConsult, econsult_id).data_problems = []
    pane.refresh()
    assert not warning.isVisibleTo(pane)
