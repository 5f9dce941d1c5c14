"""Patient context in the consult pane: the patient's earlier and open e-consults (folded, with a
count; openable by double-click or Enter, the view logged), the second contact naming and
opening the earlier e-consult, phone numbers and call outcomes wherever a person calls from, and
demo patients whose photos can be compared."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QPushButton
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.services.triage import CallOutcome
from workbench.store.models import (
    AuditEvent,
    AuthorKind,
    ConsultStatus,
    Direction,
    EConsult,
    Message,
    Patient,
    RelatedPerson,
)
from workbench.ui.patient_history import PatientHistory

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def add_consult(session, patient, subject, received, status=ConsultStatus.CLOSED,
                advice=None):
    consult = EConsult(portal_id=f"test:{subject}:{received.isoformat()}",
                       patient_id=patient.id, subject=subject, status=status,
                       portal_status="in-progress", received_at=received,
                       last_patient_message_at=received, portal_version="1",
                       urgency_advice=advice)
    session.add(consult)
    session.flush()
    session.add(Message(econsult_id=consult.id, portal_id=f"m-{consult.portal_id}",
                        portal_version="1", direction=Direction.IN,
                        author_kind=AuthorKind.PATIENT, author_portal_id=patient.portal_id,
                        text=f"{subject}, graag advies.", sent_at=received))
    session.flush()
    return consult.id


def make_patient(engine, *, earlier=6, phone="06-44440000"):
    """A new patient with `earlier` e-consults before the shown one (the second one still
    open), a later closed one, and the shown one last in time but one; returns their ids."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    with Session(engine) as session, session.begin():
        patient = Patient(portal_id="test-pat-history", name="Lotte Smit", phone=phone)
        session.add(patient)
        session.flush()
        session.add(RelatedPerson(portal_id="test-rp-history", patient_id=patient.id,
                                  name="Ruud Smit", relationship_text="vader",
                                  phone="06-55550000"))
        ids = [add_consult(session, patient, f"Klacht {n}", now - timedelta(days=n + 2),
                           ConsultStatus.WORKLIST if n == 1 else ConsultStatus.CLOSED)
               for n in range(earlier)]
        shown = add_consult(session, patient, "Hoesten", now - timedelta(days=1),
                            ConsultStatus.INBOX)
        later = add_consult(session, patient, "Later gesloten", now - timedelta(hours=2))
        return patient.id, shown, ids, later


def show(qtbot, pane, econsult_id):
    with qtbot.waitSignal(pane.viewed, timeout=5000):
        pane.show_consult(econsult_id)


def history(pane) -> PatientHistory:
    return pane.findChild(PatientHistory)


def views(engine, econsult_id):
    with Session(engine) as session:
        return session.scalars(select(AuditEvent).where(
            AuditEvent.econsult_id == econsult_id, AuditEvent.event == "view")).all()


# -- 1. the patient's earlier and open e-consults --------------------------------------------------
def test_the_pane_lists_earlier_and_open_consults_folded_with_a_count(qtbot, pane, ui_context):
    _patient, shown, earlier, later = make_patient(ui_context.engine)

    show(qtbot, pane, shown)

    section = history(pane)
    assert section.isVisibleTo(pane)
    assert section.title() == "Earlier e-consults (6, 1 open)"
    assert not section.is_expanded() and not section.list.isVisibleTo(pane)  # folded at first
    assert [item.id for item in section.items()] == earlier  # newest first, not shown or later
    assert later not in [item.id for item in section.items()]
    section.toggle.click()
    assert section.is_expanded() and section.list.isVisibleTo(pane)
    rows = section.row_texts()
    today = datetime.now(timezone.utc)
    first_day = (today - timedelta(days=2)).astimezone().strftime("%d-%m-%Y")
    assert rows[0].startswith(f"{first_day} \u00b7 Klacht 0 \u00b7 Closed")
    assert "Klacht 1 \u00b7 Worklist \u00b7 open" in rows[1]
    assert not any("open" in row for n, row in enumerate(rows) if n != 1)
    # At most four rows tall: the rest scroll.
    row_height = section.list.sizeHintForRow(0)
    assert section.list.height() <= 4 * row_height + 2 * section.list.frameWidth() + 2
    assert section.list.verticalScrollBar().maximum() > 0

    # Open while the patient stays the same; a patient with no others hides it; the next
    # patient starts folded again.
    with Session(ui_context.engine) as session:
        lonely = session.scalars(select(EConsult.id).where(
            EConsult.patient_id.not_in(select(EConsult.patient_id).group_by(
                EConsult.patient_id).having(func.count() > 1))).limit(1)).one()
    pane.open_econsult_requested.connect(pane.show_consult)  # as the main window does
    section.list.setCurrentItem(section.list.topLevelItem(1))
    qtbot.keyClick(section.list, Qt.Key.Key_Return)
    assert pane.current_id() == earlier[1] and history(pane).is_expanded()
    assert shown in [item.id for item in history(pane).items()]  # the way back
    show(qtbot, pane, lonely)
    assert not history(pane).isVisibleTo(pane)
    show(qtbot, pane, shown)
    assert not history(pane).is_expanded()


def test_an_earlier_consult_opens_by_enter_or_double_click(qtbot, pane, ui_context):
    _patient, shown, earlier, _later = make_patient(ui_context.engine)
    show(qtbot, pane, shown)
    section = history(pane)
    section.set_expanded(True)
    tree = section.list

    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(1))
    with qtbot.waitSignal(pane.open_econsult_requested, timeout=2000) as by_enter:
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert by_enter.args == [earlier[1]]

    rect = tree.visualItemRect(tree.topLevelItem(2))
    # As a real double-click arrives: a press first (the view opens what was pressed).
    qtbot.mousePress(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(pane.open_econsult_requested, timeout=2000) as by_mouse:
        qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert by_mouse.args == [earlier[2]]




def test_the_main_window_shows_an_earlier_consult_and_logs_the_view(qtbot, desktop):
    from workbench.store.models import Role
    desktop.first_pull()
    assistant = next(p for p in desktop.queries.practitioners() if p.role is Role.ASSISTANT)
    window = desktop.open_window(assistant)
    qtbot.addWidget(window)
    engine = desktop.store.engine
    _patient, shown, earlier, _later = make_patient(engine)
    window.consult.show_consult(shown)
    qtbot.waitUntil(lambda: len(views(engine, shown)) == 1, timeout=5000)
    assert views(engine, earlier[3]) == []

    history(window.consult).open_requested.emit(earlier[3])  # as a double-click does

    assert window.consult.current_id() == earlier[3]
    qtbot.waitUntil(lambda: len(views(engine, earlier[3])) == 1, timeout=5000)
    event = views(engine, earlier[3])[0]
    assert event.user_id == assistant.id and event.patient_id == _patient
    # And back: the shown one is in the earlier one's list too (it is still open).
    assert shown in [item.id for item in history(window.consult).items()]


# -- 2. the second contact names the earlier e-consult ---------------------------------------------
def banner_lines(pane):
    return [label.text() for label in pane._banner.findChildren(QLabel)
            if label.isVisibleTo(pane)]


def test_second_contact_names_and_opens_the_earlier_consult(qtbot, pane, ui_context):
    engine = ui_context.engine
    now = datetime.now(timezone.utc).replace(microsecond=0)
    with Session(engine) as session, session.begin():
        patient = Patient(portal_id="test-pat-second", name="Daan Mulder")
        session.add(patient)
        session.flush()
        first = add_consult(session, patient, "Hoesten <b>al</b> week", now - timedelta(days=4))
        first_at = session.get(EConsult, first).received_at
        second = add_consult(session, patient, "Hoesten en koorts", now, ConsultStatus.INBOX,
                             advice=[{"category": "second_contact", "words": "",
                                      "earlier_id": first,
                                      "earlier_at": first_at.isoformat()}])

    show(qtbot, pane, second)

    assert pane.banner_visible()
    day = (now - timedelta(days=4)).astimezone().strftime("%d-%m")
    expected = ("Call the patient now \u00b7 second contact about the same complaint: earlier "
                f"e-consult of {day} \u201cHoesten <b>al</b> week\u201d")
    assert expected in banner_lines(pane)
    label = next(label for label in pane._banner.findChildren(QLabel)
                 if label.text() == expected)
    assert label.textFormat() == Qt.TextFormat.PlainText  # the subject is the patient's
    button = next(b for b in pane._banner.findChildren(QPushButton)
                  if b.text() == "Open" and b.isVisibleTo(pane))
    with qtbot.waitSignal(pane.open_econsult_requested, timeout=2000) as opened:
        button.click()
    assert opened.args == [first]


def test_second_contact_without_the_earlier_consult_still_reads_well(qtbot, pane, ui_context):
    engine = ui_context.engine
    now = datetime.now(timezone.utc).replace(microsecond=0)
    with Session(engine) as session, session.begin():
        patient = Patient(portal_id="test-pat-old", name="Mila de Jong")
        session.add(patient)
        session.flush()
        old_style = add_consult(session, patient, "Buikpijn", now, ConsultStatus.INBOX,
                                advice=[{"category": "second_contact", "words": ""}])
        gone = add_consult(session, patient, "Buikpijn weer", now, ConsultStatus.INBOX,
                           advice=[{"category": "second_contact", "words": "",
                                    "earlier_id": 987654,
                                    "earlier_at": "2026-11-12T08:30:00+00:00"}])

    show(qtbot, pane, old_style)
    assert ("Call the patient now \u00b7 second contact about the same complaint"
            in banner_lines(pane))
    assert not any(b.text() == "Open" and b.isVisibleTo(pane)
                   for b in pane._banner.findChildren(QPushButton))

    show(qtbot, pane, gone)  # the earlier one is no longer in the store: its date only
    day = datetime(2026, 11, 12, 8, 30, tzinfo=timezone.utc).astimezone().strftime("%d-%m")
    assert ("Call the patient now \u00b7 second contact about the same complaint: earlier "
            f"e-consult of {day}" in banner_lines(pane))
    assert not any(b.text() == "Open" and b.isVisibleTo(pane)
                   for b in pane._banner.findChildren(QPushButton))


# -- 3. phone numbers and call outcomes where a person calls from ----------------------------------
def test_earlier_consults_show_the_phone_and_each_call_outcome(qtbot, pane, ui_context):
    _patient, shown, earlier, _later = make_patient(ui_context.engine)
    ui_context.triage.record_call(earlier[1], ui_context.actor, CallOutcome.GP_INFORMED)

    show(qtbot, pane, shown)
    section = history(pane)
    section.set_expanded(True)

    assert section.phones.isVisibleTo(pane)
    assert section.phones.text() == ("Phone 06-44440000 (Lotte Smit) \u00b7 "
                                     "06-55550000 (Ruud Smit, vader)")
    rows = section.row_texts()
    assert rows[1].endswith("call: GP informed")
    assert not any("call:" in row for n, row in enumerate(rows) if n != 1)


def test_new_message_shows_the_chosen_patients_phone_numbers(qtbot, ui_context):
    from workbench.services.replies import ReplyService
    from workbench.ui.new_message_dialog import NewMessageDialog

    engine = ui_context.engine
    patient_id, _shown, _earlier, _later = make_patient(engine, earlier=1)
    with Session(engine) as session, session.begin():
        nameless = Patient(portal_id="test-pat-nophone", name="Lotte Smitsen")
        session.add(nameless)
        session.flush()
        nameless_id = nameless.id
    dialog = NewMessageDialog(ui_context, ReplyService(engine, ui_context.blobs))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.phones.text() == ""

    qtbot.keyClicks(dialog.search, "Lotte Smit")
    qtbot.waitUntil(lambda: {patient_id, nameless_id} <= {hit.id for hit in dialog.hits()})
    assert dialog.choose_patient(patient_id)
    qtbot.waitUntil(lambda: "06-44440000" in dialog.phones.text())
    assert dialog.phones.text() == "06-44440000 (Lotte Smit) \u00b7 06-55550000 (Ruud Smit, vader)"
    assert dialog.phones.textFormat() == Qt.TextFormat.PlainText

    assert dialog.choose_patient(nameless_id)
    qtbot.waitUntil(lambda: dialog.phones.text() == "No phone number known: see the HIS")
    qtbot.waitUntil(lambda: not dialog.editor.is_loading())


# -- fits a front-desk screen ------------------------------------------------------------------
def test_folded_it_keeps_the_send_button_on_a_1366x768_screen(qtbot, pane, ui_context):
    _patient, shown, _earlier, _later = make_patient(ui_context.engine, earlier=12)
    pane.resize(486, 640)  # the pane's share of a maximised window on 1366x768
    show(qtbot, pane, shown)
    qtbot.wait(50)

    section = history(pane)
    assert section.isVisibleTo(pane) and not section.is_expanded()
    assert section.height() <= section.toggle.sizeHint().height() + 4  # one line
    send = pane.reply_editor().send_button
    bottom = send.mapTo(pane, QPoint(0, send.height()))
    assert send.isVisibleTo(pane)
    assert 0 <= bottom.y() <= pane.height()


# -- 4. the demo: photos to compare ------------------------------------------------------------
def test_the_demo_has_two_patients_with_earlier_photos_to_compare(ui_context):
    queries = ui_context.queries
    with Session(ui_context.engine) as session:
        photo_consults = session.execute(select(EConsult.id, EConsult.patient_id).where(
            EConsult.photo_count > 0)).all()
    comparable = {patient for eid, patient in photo_consults
                  if queries.earlier_photos(patient, eid)}
    assert len(comparable) >= 2
