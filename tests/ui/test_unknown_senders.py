""""Onbekende afzender" in the window: waiting mails listed with their text as plain text, a
sender linked to a patient by keyboard, a choice among patients sharing an address, fixed
replies and refusals in words. A small store written by hand (real SQLite, migrated), with
real raw mails in the blob store."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPlainTextEdit
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workbench.config import load_settings
from workbench.services import mail_senders
from workbench.services.inbox import InboxQueries, ListView, PractitionerInfo
from workbench.services.outbox import OutboxResult
from workbench.services.schedule import PullSchedule
from workbench.services.triage import TriageService
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    AuditEvent,
    ConsultStatus,
    EConsult,
    MailAddress,
    MailAddressSource,
    MailItem,
    MailState,
    Patient,
    Practitioner,
    Role,
)

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
HTML = "<b>vet</b> <a href='http://x'>klik</a> &amp; <img src=x>\nIk heb al drie dagen koorts."
SHARED = "fam.jansen@example.nl"
SHIFT_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def raw_mail(sender: str, subject: str, text: str, message_id: str) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "praktijk@example.nl"
    mail["Subject"] = subject
    mail["Message-ID"] = message_id
    mail["Date"] = "Mon, 02 Mar 2026 08:00:00 +0100"
    mail.set_content(text)
    return mail.as_bytes()


def add_mail(engine, blobs: BlobStore, *, address: str | None, name: str, subject: str,
             text: str, state: MailState, at: datetime) -> int:
    key = f"<{hashlib.sha256(subject.encode()).hexdigest()[:12]}@example.nl>"
    raw = raw_mail(f"{name} <{address}>" if address else name, subject, text, key)
    with Session(engine) as session, session.begin():
        item = MailItem(message_key=key, account="praktijk@imap.example.nl/INBOX",
                        uidvalidity=1, uid=at.minute, raw_sha256=blobs.put(raw),
                        raw_size=len(raw), from_address=address, from_name=name,
                        subject=subject, text=text, sent_at=at, received_at=at, state=state)
        session.add(item)
        session.flush()
        return item.id


@pytest.fixture
def store(tmp_path):
    engine = database.make_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    database.upgrade(engine)
    with Session(engine) as session, session.begin():
        session.add(Practitioner(portal_id="pr-1", name="Eva Smits", role=Role.ASSISTANT))
        anna = Patient(portal_id="p-1", name="Anna de Vries", bsn="999999990",
                       birth_date=date(1980, 4, 1))
        jan = Patient(portal_id="p-2", name="Jan Jansen", birth_date=date(1975, 1, 2))
        piet = Patient(portal_id="p-3", name="Piet Jansen", birth_date=date(2008, 6, 7))
        session.add_all([anna, jan, piet])
        session.flush()
        for patient in (jan, piet):
            session.add(MailAddress(address=SHARED, patient_id=patient.id,
                                    source=MailAddressSource.PORTAL))
    yield engine
    engine.dispose()


@pytest.fixture
def blobs(tmp_path):
    return BlobStore(tmp_path / "attachments")


@pytest.fixture
def mails(store, blobs):
    """An unknown sender (oldest), a shared address, and an unreadable mail (newest)."""
    return SimpleNamespace(
        unknown=add_mail(store, blobs, address="a.devries@example.nl", name="Anna de Vries",
                         subject="Koorts", text=HTML, state=MailState.UNKNOWN_SENDER, at=NOW),
        shared=add_mail(store, blobs, address=SHARED, name="Fam. Jansen",
                        subject="Herhaalrecept", text="Graag het herhaalrecept.",
                        state=MailState.AMBIGUOUS, at=NOW + timedelta(minutes=5)),
        unreadable=add_mail(store, blobs, address=None, name="?", subject="",
                            text="", state=MailState.UNREADABLE, at=NOW + timedelta(minutes=9)))


@pytest.fixture
def context(qtbot, store, blobs, tmp_path):
    from workbench.ui.context import UiContext
    from workbench.ui.tasks import TaskRunner
    queries = InboxQueries(store)
    user = next(p for p in queries.practitioners() if p.role is Role.ASSISTANT)
    tasks = TaskRunner()
    yield UiContext(settings=load_settings({"data_dir": str(tmp_path),
                                            "mail_address": "praktijk@delinde.example"}),
                    engine=store,
                    blobs=blobs, queries=queries, triage=TriageService(store, workstation="test"),
                    tasks=tasks, user=user, clock=lambda: NOW)
    tasks.wait_for_done()


@pytest.fixture
def view(qtbot, context):
    from workbench.ui.unknown_senders_view import UnknownSendersView
    widget = UnknownSendersView(context)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def audit_events(engine, event):
    with Session(engine) as session:
        return session.scalars(select(AuditEvent).where(AuditEvent.event == event)).all()


def mail_state(engine, item_id) -> MailState:
    with Session(engine) as session:
        return session.get(MailItem, item_id).state


def econsults_of(engine, name):
    with Session(engine) as session:
        return session.scalars(select(EConsult).join(Patient).where(Patient.name == name)).all()


def show(qtbot, view, item_id):
    """Select a mail and wait until its view is in the audit trail (its text is shown then)."""
    view.reload()
    if view.current_item_id() == item_id and view._recorded_id == item_id:
        return
    with qtbot.waitSignal(view.viewed, timeout=5000,
                          check_params_cb=lambda shown: shown == item_id):
        view.select_item(item_id)


def test_the_list_shows_waiting_mails_and_the_text_literally(qtbot, view, store, mails):
    with qtbot.waitSignal(view.viewed, timeout=5000) as viewed:
        view.reload()
    assert view.count() == 3
    assert viewed.args == [mails.unreadable]  # newest first, and shown
    rows = [[view.table.item(r, c).text() for c in range(1, 4)] for r in range(3)]
    assert rows == [["?", "", "Cannot be read"],
                    [f"Fam. Jansen <{SHARED}>", "Herhaalrecept", "Shared address"],
                    ["Anna de Vries <a.devries@example.nl>", "Koorts", "Unknown sender"]]
    assert view.summary_label.text() == "This mail could not be read"
    assert not view.link_action.isEnabled() and not view.call_reply_action.isEnabled()
    assert view.handle_action.isEnabled()

    show(qtbot, view, mails.unknown)
    assert view.summary_label.text() == "Unknown sender"
    assert "check with the patient" in view.explanation_label.text()
    assert view.sender_label.text() == "Anna de Vries <a.devries@example.nl>"
    # The sender's words as plain text: the markup is shown, not interpreted.
    assert isinstance(view.text_view, QPlainTextEdit)
    assert view.text_view.toPlainText() == HTML
    for label in view.findChildren(QLabel):
        if "<" in label.text():
            assert label.textFormat() is Qt.TextFormat.PlainText
    assert view.link_action.isEnabled() and not view.choose_action.isEnabled()
    assert view.call_reply_action.isEnabled() and view.portal_reply_action.isEnabled()
    assert not view.candidates.isVisibleTo(view)
    qtbot.waitUntil(lambda: view.attachments_label.text() == "none", timeout=5000)
    viewed_events = audit_events(store, mail_senders.MAIL_VIEWED)
    assert sorted(e.detail["mail_item_id"] for e in viewed_events) == \
        sorted([mails.unreadable, mails.unknown])


def test_the_text_is_not_shown_when_the_view_cannot_be_recorded(qtbot, view, store, mails,
                                                                 no_audit_key):
    """Fail-closed, as the consult pane: no audit key, no sender's text on screen."""
    view.reload()
    view.select_item(mails.unknown)
    qtbot.waitUntil(lambda: "cannot be recorded" in view.text_view.placeholderText(),
                    timeout=5000)
    assert view.text_view.toPlainText() == ""
    assert audit_events(store, mail_senders.MAIL_VIEWED) == []


def test_linking_a_sender_by_keyboard_imports_the_mail(qtbot, view, store, mails):
    show(qtbot, view, mails.unknown)
    assert view.link_action.shortcut().toString() == "Ctrl+Shift+L"
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_L, SHIFT_CTRL)
    dialog = view._dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitExposed(dialog)
    assert not dialog.link_button.isEnabled()

    qtbot.keyClicks(dialog.search, "de vries")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # looks up at once; never links
    qtbot.waitUntil(lambda: len(dialog.matches()) == 1, timeout=5000)
    assert dialog.isVisible()
    assert dialog.results.item(0).text() == "Anna de Vries · born 01-04-1980 · BSN ••••••990"
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    assert dialog.results.hasFocus() and dialog.patient_id() is not None
    assert "Anna de Vries" in dialog.confirm.text()
    qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    assert dialog.isVisible()  # not without the check
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Space)
    assert dialog.confirm.isChecked() and dialog.link_button.isEnabled()
    with qtbot.waitSignal(view.handled, timeout=10000) as handled:
        qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    assert handled.args == [mails.unknown]

    [econsult] = econsults_of(store, "Anna de Vries")
    assert econsult.channel == "mail" and econsult.status is ConsultStatus.INBOX
    assert mail_state(store, mails.unknown) is MailState.IMPORTED
    assert view.count() == 2 and mails.unknown not in [i.id for i in view._items]
    assert view.feedback_label.text() == "Imported: the mail is an e-consult in the inbox now."
    assert mail_senders.count_waiting(store) == 2
    [verified] = audit_events(store, mail_senders.MAIL_ADDRESS_VERIFIED)
    assert verified.econsult_id == econsult.id
    assert len(audit_events(store, "patient_lookup")) >= 1


def test_a_new_patient_choice_needs_a_new_check(qtbot, view, mails):
    show(qtbot, view, mails.unknown)
    dialog = view.open_link_dialog()
    qtbot.keyClicks(dialog.search, "jansen")
    dialog.search_now()
    qtbot.waitUntil(lambda: len(dialog.matches()) == 2, timeout=5000)
    assert not dialog.confirm.isEnabled()  # no patient chosen yet
    dialog.results.setCurrentRow(0)
    dialog.confirm.setChecked(True)
    assert dialog.link_button.isEnabled()
    dialog.results.setCurrentRow(1)
    assert not dialog.confirm.isChecked() and not dialog.link_button.isEnabled()
    dialog.reject()
    assert view.count() == 3


def test_choosing_one_of_the_patients_sharing_an_address(qtbot, view, store, mails):
    show(qtbot, view, mails.shared)
    assert view.summary_label.text() == "Several patients share this address"
    assert view.candidates.isVisibleTo(view)
    assert [view.candidates.item(r).text() for r in range(view.candidates.count())] == [
        "Jan Jansen · born 02-01-1975", "Piet Jansen · born 07-06-2008"]
    assert not view.link_action.isEnabled()
    assert not view.choose_action.isEnabled()  # nobody chosen yet
    view.candidates.setFocus()
    qtbot.keyClick(view.candidates, Qt.Key.Key_Down)
    if view.candidates.currentRow() == 0:
        qtbot.keyClick(view.candidates, Qt.Key.Key_Down)
    assert view.candidates.currentRow() == 1 and view.choose_action.isEnabled()
    qtbot.keyClick(view.candidates, Qt.Key.Key_K, SHIFT_CTRL)
    box = view._box
    assert box is not None and box.isVisible()
    assert "Piet Jansen" in box.text() and box.textFormat() is Qt.TextFormat.PlainText
    with qtbot.waitSignal(view.handled, timeout=10000):
        box.button(QMessageBox.StandardButton.Yes).click()
    [econsult] = econsults_of(store, "Piet Jansen")
    assert econsult.channel == "mail"
    assert econsults_of(store, "Jan Jansen") == []
    assert mail_state(store, mails.shared) is MailState.IMPORTED
    assert [e.patient_id for e in audit_events(store, mail_senders.MAIL_PATIENT_CHOSEN)] == \
        [econsult.patient_id]
    assert view.count() == 2


@pytest.mark.parametrize("key, kind", [(Qt.Key.Key_T, "call_practice"),
                                       (Qt.Key.Key_P, "use_portal")])
def test_a_fixed_reply_after_a_yes_marks_it_handled(qtbot, view, store, mails, key, kind):
    show(qtbot, view, mails.unknown)
    view.focus_list()
    qtbot.keyClick(view.table, key, SHIFT_CTRL)
    box = view._box
    assert "a.devries@example.nl" in box.text() and "nothing medical" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert mail_state(store, mails.unknown) is MailState.UNKNOWN_SENDER

    qtbot.keyClick(view.table, key, SHIFT_CTRL)
    with qtbot.waitSignal(view.handled, timeout=10000):
        view._box.button(QMessageBox.StandardButton.Yes).click()
    assert mail_state(store, mails.unknown) is MailState.FIXED_REPLY
    [event] = audit_events(store, mail_senders.MAIL_FIXED_REPLY)
    assert event.detail["kind"] == kind
    assert view.count() == 2 and econsults_of(store, "Anna de Vries") == []
    assert view.feedback_label.text() == \
        "Standard reply to a.devries@example.nl; the mail is handled."


def test_a_mail_handled_meanwhile_is_refused_in_words(qtbot, view, store, mails):
    show(qtbot, view, mails.unknown)
    with Session(store) as session, session.begin():  # another workstation was quicker
        session.execute(update(MailItem).where(MailItem.id == mails.unknown)
                        .values(state=MailState.FIXED_REPLY, handled_at=NOW))
    view.ask_fixed_reply("call_practice").button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: view._box is not None and "already" in view._box.text(),
                    timeout=10000)
    assert view._box.text() == ("This mail was already imported or answered, perhaps at "
                                "another workstation.")
    assert view.count() == 2  # reloaded: it is gone


def test_an_unreadable_mail_can_be_marked_handled(qtbot, view, store, mails):
    show(qtbot, view, mails.unreadable)
    box = view.ask_mark_handled()
    with qtbot.waitSignal(view.handled, timeout=10000):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert view.count() == 2
    assert len(audit_events(store, mail_senders.MAIL_HANDLED)) == 1


def test_the_navigation_entry_sits_above_not_processed_only_while_mails_wait(qtbot):
    from workbench.ui.navigation import NavigationList
    user = PractitionerInfo(5, "Eva Smits", Role.ASSISTANT)
    navigation = NavigationList(user, [user])
    qtbot.addWidget(navigation)
    rows = navigation.count()
    navigation.set_unknown_senders_count(0)
    assert navigation.count() == rows and navigation.unknown_senders_entry() is None
    navigation.set_quarantine_count(1)
    navigation.set_unknown_senders_count(2)
    texts = [navigation.item(r).text() for r in range(navigation.count())]
    assert texts[-2:] == ["Unknown sender (2)", "Not processed (1)"]
    entry = navigation.unknown_senders_entry()
    assert entry.font().bold() and "could not be read" in entry.toolTip()
    assert len(navigation.views()) == rows  # not a list of e-consults
    with qtbot.waitSignal(navigation.unknown_senders_selected, timeout=1000):
        assert navigation.select_unknown_senders()
    assert navigation.unknown_senders_shown() and navigation.current_view() is None
    with qtbot.waitSignal(navigation.view_selected, timeout=1000):
        navigation.set_unknown_senders_count(0)  # the last one handled: back to a list
    assert navigation.unknown_senders_entry() is None


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


def test_the_window_opens_unknown_sender_and_the_linked_mail_reaches_the_inbox(
        qtbot, window, store, mails):
    from workbench.ui.sync_controller import PullOutcome
    window._sync.finished.emit(PullOutcome(SimpleNamespace(
        fetched=0, created=0, updated=0, econsults_created=0, attachments=0, quarantined=0,
        pages=1, errors=[], skipped=False), OutboxResult(), 0))
    assert window.navigation.unknown_senders_entry().text() == "Unknown sender (3)"
    assert window.unknown_senders_action.shortcut().toString() == "Ctrl+8"
    window.unknown_senders_action.trigger()
    assert not window.unknown_senders.isHidden() and window.inbox.isHidden()
    assert window.quarantine.isHidden()
    with qtbot.waitSignal(window.unknown_senders.viewed, timeout=5000,
                          check_params_cb=lambda shown: shown == mails.unknown):
        window.unknown_senders.select_item(mails.unknown)
    anna = econsults_of(store, "Anna de Vries")
    assert anna == []
    with Session(store) as session:
        anna_id = session.scalar(select(Patient.id).where(Patient.name == "Anna de Vries"))
    with qtbot.waitSignal(window.unknown_senders.handled, timeout=10000):
        window.unknown_senders.link_sender(mails.unknown, anna_id)
    assert window.navigation.unknown_senders_entry().text() == "Unknown sender (2)"
    [econsult] = econsults_of(store, "Anna de Vries")
    window.navigation.select_view(ListView(status=ConsultStatus.INBOX))
    assert window.unknown_senders.isHidden() and not window.inbox.isHidden()
    assert window.inbox.model.row_of(econsult.id) is not None


def test_a_mail_with_alarm_signs_is_marked_and_says_so_in_red(qtbot, view, store, mails):
    with Session(store) as session, session.begin():
        session.execute(update(MailItem).where(MailItem.id == mails.unknown).values(
            urgency_advice=[{"category": "breathing", "label": "Benauwd",
                             "action": "bel", "words": "slecht adem"}]))
    show(qtbot, view, mails.unknown)
    assert view.alarm_label.isVisibleTo(view)
    assert "Possibly urgent: Benauwd" in view.alarm_label.text()
    # Listed first, marked in the "why" column; the other mails are not.
    assert view._items[0].id == mails.unknown
    marked = [r for r in range(view.table.rowCount())
              if view.table.item(r, 3).text().startswith("Possibly urgent")]
    assert marked == [0]
    show(qtbot, view, mails.unreadable)
    assert not view.alarm_label.isVisibleTo(view)
