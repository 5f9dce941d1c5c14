"""Answering a synced e-consult in the consult pane, end to end: the answer in the thread with its
delivery state, the e-consult closed as answered, a parent's e-consult about a child, the
young-adult confirmation, and the copy to the HIS journal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMessageBox
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.store.models import (
    AuditEvent,
    ConsultStatus,
    Direction,
    EConsult,
    Message,
    OutboxItem,
)
from workbench.ui.template_picker import IcpcPicker

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def show(qtbot, pane, econsult_id):
    editor = pane.reply_editor()
    with qtbot.waitSignals([pane.viewed, editor.loaded], timeout=5000):
        pane.show_consult(econsult_id)


def consult(engine, *conditions):
    with Session(engine) as session:
        return session.scalars(select(EConsult.id).where(
            EConsult.status == ConsultStatus.INBOX, *conditions)
            .order_by(EConsult.id).limit(1)).one()


def by_someone_else(engine, years_old):
    """A parent's or carer's e-consult, the patient made `years_old` today."""
    econsult_id = consult(engine, EConsult.sender_related_person_id.is_not(None))
    today = date.today()
    with Session(engine) as session, session.begin():
        patient = session.get(EConsult, econsult_id).patient
        patient.birth_date = today.replace(year=today.year - years_old) - timedelta(days=30)
    return econsult_id


def visible_text(pane):
    labels = [label.text() for label in pane.findChildren(QLabel) if label.isVisibleTo(pane)]
    return "\n".join(labels)


def visible_boxes(widget):
    return [box for box in widget.findChildren(QMessageBox) if box.isVisible()]


def send(qtbot, pane, text, answers=()):
    """Type the answer, tick the questions, press Ctrl+Return and answer what is asked with the
    given buttons; returns the questions asked."""
    editor = pane.reply_editor()
    editor.text_edit.setFocus()
    qtbot.keyClicks(editor.text_edit, text)
    pane.question_checklist().tick_all()
    asked = []
    with qtbot.waitSignal(pane.changed, timeout=5000):
        qtbot.keyClick(editor.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        for button in answers:
            qtbot.waitUntil(lambda: bool(visible_boxes(editor)))
            box = visible_boxes(editor)[0]
            asked.append(box.text())
            box.button(button).click()
    return asked


def audit(engine, econsult_id, event):
    with Session(engine) as session:
        return session.scalars(select(AuditEvent).where(
            AuditEvent.econsult_id == econsult_id, AuditEvent.event == event)).all()


def test_an_answer_appears_in_the_thread_waiting_and_the_consult_is_closed(
        qtbot, pane, ui_context):
    engine = ui_context.engine
    econsult_id = consult(engine, EConsult.sender_related_person_id.is_(None))
    show(qtbot, pane, econsult_id)
    assert pane.send_action.isEnabled()

    send(qtbot, pane, "Dank voor uw bericht. Neem paracetamol.")

    thread = pane.thread_view().plain_text()
    assert "Dank voor uw bericht. Neem paracetamol." in thread
    assert ui_context.user.name in thread
    qtbot.waitUntil(lambda: "Waiting to be sent" in pane.thread_view().plain_text())
    assert "Closed as: Answered" in visible_text(pane)
    assert pane.reply_editor().text() == ""
    with Session(engine) as session:
        record = session.get(EConsult, econsult_id)
        assert (record.status, record.close_reason) == (ConsultStatus.CLOSED, "beantwoord")
        ours = session.scalars(select(Message).where(
            Message.econsult_id == econsult_id, Message.direction == Direction.OUT)).one()
        assert ours.delivery == "pending"
        ours.delivery = "sent"  # as the outbox sender does after the portal accepted it
        session.commit()
    assert [e.user_id for e in audit(engine, econsult_id, "reply")] == [ui_context.user.id]

    pane.refresh_delivery()
    qtbot.waitUntil(lambda: "Sent" in pane.thread_view().plain_text().split("paracetamol.")[1])
    assert "Waiting to be sent" not in pane.thread_view().plain_text()


def test_an_evaluation_asked_waits_for_the_patient(qtbot, pane, ui_context):
    # One the patient wrote: a relative's asks first who receives the answer.
    econsult_id = consult(ui_context.engine, EConsult.sender_related_person_id.is_(None))
    show(qtbot, pane, econsult_id)
    editor = pane.reply_editor()
    editor.follow_up.setChecked(True)
    editor.follow_up_days.setValue(7)
    send(qtbot, pane, "Laat u over een week weten hoe het gaat?")
    with Session(ui_context.engine) as session:
        record = session.get(EConsult, econsult_id)
        assert record.status is ConsultStatus.WAITING
        assert record.follow_up_at is not None


def test_a_parents_message_about_a_child_is_answered_to_the_parent(qtbot, pane, ui_context):
    engine = ui_context.engine
    econsult_id = by_someone_else(engine, years_old=7)
    with Session(engine) as session:
        record = session.get(EConsult, econsult_id)
        child_id, parent_portal_id = record.patient_id, record.sender_related_person.portal_id
    show(qtbot, pane, econsult_id)
    # Being a parent is not enough: gezag is checked once for this child and this parent.
    assert "Only a parent with parental authority (gezag)" in visible_text(pane)
    notice = pane.reply_editor().third_party_notice
    notice.gezag_button.click()
    qtbot.waitUntil(lambda: "has authority and decides" in visible_text(pane))
    assert [e.detail for e in audit(engine, econsult_id, "third_party_choice")] == [
        {"choice": "gezag_confirmed", "related_person": record.sender_related_person_id}]

    send(qtbot, pane, "Geef uw kind voldoende te drinken.")

    with Session(engine) as session:
        item = session.scalars(select(OutboxItem).where(
            OutboxItem.econsult_id == econsult_id, OutboxItem.kind == "reply")).one()
        assert item.payload["recipient"] == f"RelatedPerson/{parent_portal_id}"
        record = session.get(EConsult, econsult_id)
        assert record.patient_id == child_id  # the record stays the child's
        assert session.get(Message, item.payload["message_id"]).econsult_id == econsult_id
    assert [e.patient_id for e in audit(engine, econsult_id, "reply")] == [child_id]


def test_for_a_young_adult_sending_asks_for_consent_first(qtbot, pane, ui_context):
    engine = ui_context.engine
    econsult_id = by_someone_else(engine, years_old=17)
    show(qtbot, pane, econsult_id)
    assert "The patient is 16 or older and decides" in visible_text(pane)
    editor = pane.reply_editor()

    # Saying no sends nothing.
    qtbot.keyClicks(editor.text_edit, "Uw dochter kan langskomen.")
    editor.send_action.trigger()
    box = visible_boxes(editor)[0]
    assert "16 or older" in box.text()
    box.button(QMessageBox.StandardButton.No).click()
    assert audit(engine, econsult_id, "reply") == []
    editor.text_edit.clear()

    asked = send(qtbot, pane, "Uw dochter kan langskomen.", [QMessageBox.StandardButton.Yes])
    assert "16 or older" in asked[0]
    assert len(audit(engine, econsult_id, "reply")) == 1
    choices = [e.detail["choice"] for e in audit(engine, econsult_id, "third_party_choice")]
    assert choices == ["young_adult_consent_confirmed"]


def test_a_child_of_twelve_to_fifteen_needs_consent_recorded(qtbot, pane, ui_context):
    engine = ui_context.engine
    econsult_id = by_someone_else(engine, years_old=13)
    show(qtbot, pane, econsult_id)
    notice = pane.reply_editor().third_party_notice
    notice.gezag_button.click()
    qtbot.waitUntil(lambda: "The child is 12 to 15" in visible_text(pane))
    assert notice.confirm_button.isVisible()
    # Not yet: sending to the parent is refused until the child's consent is recorded.
    editor = pane.reply_editor()
    editor.text_edit.setPlainText("Uw zoon kan langskomen.")
    editor.send_action.trigger()
    qtbot.waitUntil(lambda: bool(visible_boxes(editor)))
    assert "settle who receives the answer" in visible_boxes(editor)[0].text()
    visible_boxes(editor)[0].close()
    assert audit(engine, econsult_id, "reply") == []
    notice.confirm_button.click()
    assert not notice.confirm_button.isVisible()
    qtbot.waitUntil(lambda: len(audit(engine, econsult_id, "third_party_choice")) == 2)
    assert audit(engine, econsult_id, "third_party_choice")[1].detail == {
        "choice": "child_consent_confirmed"}
    assert "Consent is recorded." in visible_text(pane)

    # Reopened later: read back, not asked again.
    pane.show_consult(None)
    show(qtbot, pane, econsult_id)
    qtbot.waitUntil(lambda: "Consent is recorded." in visible_text(pane))
    assert not notice.confirm_button.isVisible()


def test_the_patient_writing_shows_no_third_party_notice(qtbot, pane, ui_context):
    show(qtbot, pane, consult(ui_context.engine,
                              EConsult.sender_related_person_id.is_(None)))
    assert not pane.reply_editor().third_party_notice.isVisibleTo(pane)


def test_copy_to_his_puts_a_soep_text_on_the_clipboard_and_logs_it(qtbot, pane, ui_context):
    engine = ui_context.engine
    econsult_id = consult(engine, EConsult.sender_related_person_id.is_(None))
    show(qtbot, pane, econsult_id)
    send(qtbot, pane, "Neem twee keer per dag paracetamol.")
    QGuiApplication.clipboard().clear()

    pane.his_copy_action.trigger()
    picker = next(p for p in pane.findChildren(IcpcPicker) if p.isVisible())
    qtbot.keyClicks(picker.search, "R05")
    with qtbot.waitSignal(pane.his_copied, timeout=5000):
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)

    text = QGuiApplication.clipboard().text()
    lines = text.splitlines()
    assert lines[0].startswith("Patiënt: ")  # who it is about heads the text
    assert "R05" in lines[1]
    assert any(line.startswith("S:") for line in lines)
    assert any(line.startswith("P:") for line in lines)
    assert "Neem twee keer per dag paracetamol." in text
    events = audit(engine, econsult_id, "copy_to_his")
    assert [(e.user_id, e.detail) for e in events] == [(ui_context.user.id, {"icpc": "R05"})]


def test_a_new_message_to_a_patient_found_by_birth_date(qtbot, ui_context):
    from workbench.services.replies import ReplyService
    from workbench.ui.new_message_dialog import NewMessageDialog

    engine = ui_context.engine
    with Session(engine) as session:
        patient = session.scalars(select(EConsult).order_by(EConsult.id)).first().patient
        patient_id, name, born = patient.id, patient.name, patient.birth_date
    dialog = NewMessageDialog(ui_context, ReplyService(engine, ui_context.blobs))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    qtbot.keyClicks(dialog.search, born.strftime("%d-%m-%Y"))
    qtbot.waitUntil(lambda: patient_id in [hit.id for hit in dialog.hits()])
    assert dialog.isVisible()  # typing in the search field never closes it
    if dialog.patient() is None:  # a single hit is chosen at once
        assert not dialog.send_button.isEnabled()
        assert dialog.choose_patient(patient_id)
    qtbot.waitUntil(lambda: dialog.patient() is not None and not dialog.editor.is_loading())
    assert dialog.patient().id == patient_id and dialog.send_button.isEnabled()
    assert name in "\n".join(label.text() for label in dialog.findChildren(QLabel))

    dialog.subject.setText("Uitslag bloedonderzoek")
    dialog.editor.text_edit.setPlainText("{aanhef}, uw uitslag is goed.")
    with qtbot.waitSignal(dialog.started, timeout=5000) as blocker:
        qtbot.keyClick(dialog.editor.text_edit, Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier)
    econsult_id = blocker.args[0]
    assert not dialog.isVisible()
    with Session(engine) as session:
        record = session.get(EConsult, econsult_id)
        assert (record.patient_id, record.subject) == (patient_id, "Uitslag bloedonderzoek")
        assert record.status is ConsultStatus.WAITING
        message = session.scalars(select(Message).where(Message.econsult_id == econsult_id)).one()
        assert message.text.startswith("Beste ") and "{aanhef}" not in message.text
        assert message.direction is Direction.OUT and message.delivery == "pending"
    assert len(audit(engine, econsult_id, "start_conversation")) == 1


def test_a_new_message_needs_a_patient_and_a_subject(qtbot, ui_context):
    from workbench.services.replies import ReplyService
    from workbench.ui.new_message_dialog import NewMessageDialog

    dialog = NewMessageDialog(ui_context, ReplyService(ui_context.engine, ui_context.blobs))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.editor.text_edit.setPlainText("Tekst")
    dialog.editor.send()
    assert "Choose the patient first." in [b.text() for b in visible_boxes(dialog)]


def test_a_new_message_can_go_to_a_parent_about_the_child(qtbot, ui_context):
    from workbench.services.replies import ReplyService
    from workbench.store.models import OutboxItem, RelatedPerson
    from workbench.ui.new_message_dialog import NewMessageDialog

    engine = ui_context.engine
    with Session(engine) as session:
        parent = session.scalars(select(RelatedPerson).order_by(RelatedPerson.id)).first()
        child_id, child_name, parent_id = parent.patient.id, parent.patient.name, parent.id
        parent_portal_id = parent.portal_id
    dialog = NewMessageDialog(ui_context, ReplyService(engine, ui_context.blobs))
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.search, child_name)
    qtbot.waitUntil(lambda: child_id in [hit.id for hit in dialog.hits()])
    dialog.choose_patient(child_id)
    qtbot.waitUntil(lambda: dialog.recipient.count() >= 2)
    dialog.recipient.setCurrentIndex(dialog.recipient.findData(parent_id))
    qtbot.waitUntil(lambda: not dialog.editor.is_loading())
    dialog.subject.setText("Controle")
    dialog.editor.text_edit.setPlainText("Beste ouder, graag een afspraak voor de controle.")
    with qtbot.waitSignal(dialog.started, timeout=5000) as blocker:
        dialog.send_button.click()
    with Session(engine) as session:
        record = session.get(EConsult, blocker.args[0])
        assert record.patient_id == child_id  # the record stays the child's
        item = session.scalars(select(OutboxItem).where(
            OutboxItem.econsult_id == record.id)).one()
        assert item.payload["recipient"] == f"RelatedPerson/{parent_portal_id}"
