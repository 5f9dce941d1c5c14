"""The question checklist keeps its questions and ticks: after answering closes the item,
and when the user goes to another item and back."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.store.models import ConsultStatus, EConsult, Message
from workbench.ui.question_checklist import QuestionChecklist

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

PATIENT_TEXT = ("goedemiddag ik heb sinds vrijdag last van mijn oor het piept en doet pijn kan "
                "ik daar oordruppels voor krijgen en moet ik stoppen met zwemmen\ngr jan")
QUESTIONS = ["kan ik daar oordruppels voor krijgen", "moet ik stoppen met zwemmen"]


def inbox_consults(engine, n=2):
    with Session(engine) as session:
        # Ones the patient wrote: a relative's asks first who receives the answer.
        return session.scalars(select(EConsult.id).where(
            EConsult.status == ConsultStatus.INBOX, EConsult.sender_related_person_id.is_(None))
            .order_by(EConsult.id).limit(n)).all()


def only_this_text(engine, econsult_id, text):
    """The e-consult holds one message from the patient, with this text."""
    with Session(engine) as session, session.begin():
        messages = session.scalars(select(Message).where(Message.econsult_id == econsult_id)
                                   .order_by(Message.sent_at)).all()
        messages[0].text = text
        for message in messages[1:]:
            session.delete(message)


def show(qtbot, pane, econsult_id):
    with qtbot.waitSignals([pane.viewed, pane.reply_editor().loaded], timeout=5000):
        pane.show_consult(econsult_id)


def ticked(checklist):
    return [q for q in checklist.questions() if q not in checklist.unticked()]


def test_the_checklist_keeps_same_text_and_key_ticks(qtbot):
    checklist = QuestionChecklist()
    qtbot.addWidget(checklist)
    checklist.set_text(PATIENT_TEXT, key=1)
    assert checklist.questions() == QUESTIONS
    checklist.set_ticked(QUESTIONS[1])
    checklist.set_text("kan ik morgen werken", key=2)
    assert checklist.unticked() == ["kan ik morgen werken"]
    checklist.set_text(PATIENT_TEXT, key=1)
    assert ticked(checklist) == [QUESTIONS[1]]
    # The same words from another patient start unticked.
    checklist.set_text(PATIENT_TEXT, key=3)
    assert ticked(checklist) == []


def test_answering_closes_the_item_and_keeps_its_questions_and_ticks(qtbot, pane, ui_context):
    econsult_id, other_id = inbox_consults(ui_context.engine)
    only_this_text(ui_context.engine, econsult_id, PATIENT_TEXT)
    show(qtbot, pane, econsult_id)
    checklist = pane.question_checklist()
    assert checklist.questions() == QUESTIONS
    checklist.set_ticked(QUESTIONS[0])

    editor = pane.reply_editor()
    editor.text_edit.setPlainText("U kunt oordruppels ophalen bij de apotheek.")
    with qtbot.waitSignal(pane.changed, timeout=5000):
        editor.send_action.trigger()
        box = next(b for b in editor.findChildren(QMessageBox) if b.isVisible())
        box.button(QMessageBox.StandardButton.Yes).click()  # send with one unticked

    # The pane shows the item again, closed, with our answer as the last message.
    assert ui_context.queries.detail(econsult_id).status is ConsultStatus.CLOSED
    pane.refresh()
    assert checklist.questions() == QUESTIONS
    assert ticked(checklist) == [QUESTIONS[0]]

    show(qtbot, pane, other_id)
    assert checklist.questions() != QUESTIONS
    show(qtbot, pane, econsult_id)
    assert checklist.questions() == QUESTIONS
    assert ticked(checklist) == [QUESTIONS[0]]
