"""A colleague's change at another workstation, seen where this user acts: a refused action
says who did what and shows the fresh state; an answer stops and offers discard, keep as
draft, or send anyway as a follow-up; taking work ("Aan mij toewijzen") and answering what
is someone else's asks first."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.replies import ReplyService
from workbench.services.triage import Actor, TriageService
from workbench.store.blobs import BlobStore
from workbench.store.models import AuditEvent, ConsultStatus, EConsult, Role, Urgency
from workbench.ui.reply_editor import ReplyEditor

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def calm_inbox_item(engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(EConsult.id).where(
            EConsult.status == ConsultStatus.INBOX, EConsult.sort_rank != 0,
            EConsult.urgency == Urgency.NORMAL,
            # One the patient wrote: a relative's asks first who receives the answer.
            EConsult.sender_related_person_id.is_(None)).order_by(EConsult.id).limit(1))


def colleague(context, role=Role.GP):
    return next(p for p in context.queries.practitioners()
                if p.role is role and p.id != context.actor.user_id)


def other_workstation(context, tmp_path):
    """What a colleague at the next PC does: its own services on the same store."""
    return (TriageService(context.engine, workstation="spreekkamer-2"),
            ReplyService(context.engine, BlobStore(tmp_path / "spreekkamer-2")))


def open_with_answer(qtbot, pane, context, text):
    """A calm inbox e-consult opened in the pane, an answer typed: (its id, the editor)."""
    econsult_id = calm_inbox_item(context.engine)
    show(qtbot, pane, econsult_id)
    editor = pane.findChild(ReplyEditor)
    editor.text_edit.setPlainText(text)
    return econsult_id, editor


def show(qtbot, pane, econsult_id):
    with qtbot.waitSignal(pane.viewed, timeout=5000):
        pane.show_consult(econsult_id)


def visible_boxes(widget):
    return [box for box in widget.findChildren(QMessageBox) if box.isVisible()]


def send_answering_yes(qtbot, editor, stop_at: str | None = None):
    """Send, saying yes to the usual questions (unticked questions, consent) until the answer
    is stored or a box named `stop_at` shows."""
    editor.send()
    for _ in range(5):
        boxes = visible_boxes(editor)
        if stop_at and any(b.objectName() == stop_at for b in boxes):
            return next(b for b in boxes if b.objectName() == stop_at)
        asking = [b for b in boxes if b.windowTitle() == "Send the answer"]
        if asking:
            asking[0].button(QMessageBox.StandardButton.Yes).click()
        qtbot.wait(100)
    if stop_at:
        qtbot.waitUntil(lambda: any(b.objectName() == stop_at for b in visible_boxes(editor)))
        return next(b for b in visible_boxes(editor) if b.objectName() == stop_at)
    return None


def test_a_routing_based_on_an_old_view_is_refused_with_the_colleagues_name(
        qtbot, pane, ui_context, tmp_path):
    econsult_id = calm_inbox_item(ui_context.engine)
    show(qtbot, pane, econsult_id)
    gp = colleague(ui_context)
    triage_b, _ = other_workstation(ui_context, tmp_path)
    triage_b.route(econsult_id, Actor(gp.id), gp.id, Urgency.URGENT, "Ik bel zelf")

    # This assistant still sees the inbox version and marks it not urgent: refused.
    with qtbot.waitSignal(pane.changed, timeout=5000):
        pane.route(gp.id, Urgency.NORMAL)
    qtbot.waitUntil(lambda: bool(visible_boxes(pane)))
    text = visible_boxes(pane)[0].text()
    assert f"{gp.name} routed this e-consult at" in text
    assert "not carried out" in text
    detail = ui_context.queries.detail(econsult_id)
    assert detail.urgency is Urgency.URGENT  # the colleague's choice stands
    assert pane._detail.version == detail.version  # the fresh state is shown


def test_an_answer_stops_when_a_colleague_answered_and_can_be_kept_as_draft(
        qtbot, answering_pane, answering_context, tmp_path):
    context, pane = answering_context, answering_pane
    econsult_id, editor = open_with_answer(qtbot, pane, context,
                                           "Neem twee keer per dag paracetamol.")
    gp = colleague(context)
    _, replies_b = other_workstation(context, tmp_path)
    replies_b.send(econsult_id, Actor(gp.id), "Kom morgen langs op het spreekuur.")

    box = send_answering_yes(qtbot, editor, "changedMeanwhileBox")
    assert f"{gp.name} answered at" in box.text()
    assert "has not been sent" in box.text()
    box.reject()  # Escape: keep as draft
    qtbot.waitUntil(lambda: not visible_boxes(editor))
    assert editor.text() == "Neem twee keer per dag paracetamol."
    texts = [m.text for m in context.queries.detail(econsult_id).messages]
    assert texts.count("Kom morgen langs op het spreekuur.") == 1
    assert "Neem twee keer per dag paracetamol." not in texts
    assert context.replies.load_draft(econsult_id, context.actor.user_id).text == \
        "Neem twee keer per dag paracetamol."


def test_sending_anyway_asks_once_more_and_goes_as_a_follow_up(
        qtbot, answering_pane, answering_context, tmp_path):
    context, pane = answering_context, answering_pane
    econsult_id, editor = open_with_answer(qtbot, pane, context, "Aanvulling: drink voldoende.")
    gp = colleague(context)
    triage_b, _ = other_workstation(context, tmp_path)
    triage_b.assign(econsult_id, Actor(gp.id), gp.id)

    box = send_answering_yes(qtbot, editor, "changedMeanwhileBox")
    assert f"{gp.name} assigned this e-consult at" in box.text()
    send_anyway = next(b for b in box.buttons() if b.property("choice") == "send_anyway")
    send_anyway.click()
    qtbot.waitUntil(lambda: any(b.objectName() == "sendAnywayBox"
                                for b in visible_boxes(editor)))
    confirm = next(b for b in visible_boxes(editor) if b.objectName() == "sendAnywayBox")
    with qtbot.waitSignal(editor.sent, timeout=5000):
        confirm.button(QMessageBox.StandardButton.Yes).click()
    texts = [m.text for m in context.queries.detail(econsult_id).messages]
    assert "Aanvulling: drink voldoende." in texts
    with Session(context.engine) as session:
        detail = session.scalars(select(AuditEvent.detail).where(
            AuditEvent.econsult_id == econsult_id, AuditEvent.event == "reply")).one()
    assert detail["despite_change"] == "assign"


def test_own_actions_do_not_stop_ones_own_answer(qtbot, answering_pane, answering_context):
    context, pane = answering_context, answering_pane
    econsult_id, editor = open_with_answer(qtbot, pane, context, "U kunt ibuprofen nemen.")
    with qtbot.waitSignal(pane.changed, timeout=5000):
        pane.assign_to_me_action.trigger()
    assert context.queries.detail(econsult_id).assignee_id == context.actor.user_id
    with qtbot.waitSignal(editor.sent, timeout=5000):
        send_answering_yes(qtbot, editor)
    assert not any(b.objectName() == "changedMeanwhileBox" for b in visible_boxes(editor))


def test_answering_what_is_assigned_to_someone_else_asks_first(
        qtbot, answering_pane, answering_context, tmp_path):
    context, pane = answering_context, answering_pane
    econsult_id = calm_inbox_item(context.engine)
    gp = colleague(context)
    triage_b, _ = other_workstation(context, tmp_path)
    triage_b.assign(econsult_id, Actor(gp.id), gp.id)
    show(qtbot, pane, econsult_id)
    editor = pane.findChild(ReplyEditor)
    editor.text_edit.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: any(b.objectName() == "beforeAnsweringBox"
                                for b in visible_boxes(editor)))
    box = next(b for b in visible_boxes(editor) if b.objectName() == "beforeAnsweringBox")
    assert f"assigned to {gp.name}" in box.text()
    with qtbot.waitSignal(editor.answer_declined, timeout=2000):
        box.button(QMessageBox.StandardButton.No).click()
    # Asked once per opened e-consult: focusing again does not ask again.
    editor.text_edit.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.wait(50)
    assert not any(b.objectName() == "beforeAnsweringBox" for b in visible_boxes(editor))


def test_answering_what_a_colleague_is_answering_asks_first(
        qtbot, answering_pane, answering_context):
    context, pane = answering_context, answering_pane
    econsult_id = calm_inbox_item(context.engine)
    pane.findChild(ReplyEditor).set_answering_elsewhere(
        lambda eid: ["Anna de Vries"] if eid == econsult_id else [])
    show(qtbot, pane, econsult_id)
    editor = pane.findChild(ReplyEditor)
    editor.text_edit.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: any(b.objectName() == "beforeAnsweringBox"
                                for b in visible_boxes(editor)))
    box = next(b for b in visible_boxes(editor) if b.objectName() == "beforeAnsweringBox")
    assert "Anna de Vries is answering this e-consult right now." in box.text()


def test_assign_to_colleague_through_the_dialog_and_to_me_by_keyboard(
        qtbot, pane, ui_context):
    from workbench.ui.assign_dialog import AssignDialog
    econsult_id = calm_inbox_item(ui_context.engine)
    show(qtbot, pane, econsult_id)
    with qtbot.waitSignal(pane.changed, timeout=5000):
        pane.assign_to_me_action.trigger()
    detail = ui_context.queries.detail(econsult_id)
    assert (detail.status, detail.assignee_id) == (ConsultStatus.WORKLIST,
                                                   ui_context.actor.user_id)
    assert not pane.assign_to_me_action.isEnabled()  # already mine

    assistant = colleague(ui_context, Role.ASSISTANT)
    dialog = pane.open_assign_dialog()
    assert isinstance(dialog, AssignDialog)
    index = dialog._person.findData(assistant.id)
    assert index >= 0  # assistants can be given work too
    dialog._person.setCurrentIndex(index)
    with qtbot.waitSignal(pane.changed, timeout=5000):
        dialog.accept()
    assert ui_context.queries.detail(econsult_id).assignee_name == assistant.name
