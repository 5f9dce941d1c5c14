"""An urgent e-consult from the keyboard: Ctrl+E is refused in words before the call, an answer
keeps it open and the pane asks how the call went, Ctrl+G records "Niet bereikt" (on top, a
time to call again) and then "Gebeld: afgehandeld", which closes it. And the fever template
for a baby under 3 months: refused in the editor, with routing to a GP offered."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.templates import TemplateService
from workbench.services.triage import CALL_RETRY_MINUTES, CallOutcome
from workbench.store.models import AuditEvent, ConsultStatus, EConsult, Role, Urgency
from workbench.ui.call_outcome_dialog import CallOutcomeDialog
from workbench.ui.close_dialog import CloseDialog
from workbench.ui.route_dialog import RouteDialog

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

CTRL = Qt.KeyboardModifier.ControlModifier


def inbox_consult(engine, *conditions) -> int:
    """The first e-consult in the inbox that the patient wrote: one a relative or carer wrote
    first asks who receives the answer (tests of its own). Which e-consult comes first
    depends on the time of day the demo practice is made."""
    with Session(engine) as session:
        return session.scalars(select(EConsult.id).where(
            EConsult.status == ConsultStatus.INBOX,
            EConsult.sender_related_person_id.is_(None), *conditions)
            .order_by(EConsult.id).limit(1)).one()


def make_urgent(engine, econsult_id: int) -> None:
    with Session(engine) as session, session.begin():
        consult = session.get(EConsult, econsult_id)
        consult.urgency = Urgency.NORMAL
        consult.urgency_advice = [{"category": "chest_pain", "words": "pijn op de borst"}]
        consult.advice_dismissed = False
        consult.sort_rank = 0


def show(qtbot, pane, econsult_id):
    with qtbot.waitSignals([pane.viewed, pane.reply_editor().loaded], timeout=5000):
        pane.show_consult(econsult_id)


def focus(qtbot, widget):
    """The keyboard focus on `widget`, its window active (as after a click into it)."""
    widget.window().activateWindow()
    widget.setFocus()
    qtbot.waitUntil(lambda: widget.hasFocus() and
                    QApplication.activeWindow() is widget.window(), timeout=5000)


def key(qtbot, keys, modifier=Qt.KeyboardModifier.NoModifier):
    """A key press where the keyboard focus is, as a person would type it."""
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, keys, modifier)


def visible(widget, kind):
    return [w for w in widget.findChildren(kind) if w.isVisible()]


def wait_for(qtbot, widget, kind):
    qtbot.waitUntil(lambda: bool(visible(widget, kind)), timeout=5000)
    found = visible(widget, kind)[0]
    found.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and
                    (QApplication.focusWidget() is found or
                     found.isAncestorOf(QApplication.focusWidget())), timeout=5000)
    return found


def consult_row(engine, econsult_id):
    with Session(engine) as session:
        consult = session.get(EConsult, econsult_id)
        session.expunge(consult)
        return consult


def audit(engine, econsult_id):
    with Session(engine) as session:
        return session.execute(select(AuditEvent.event, AuditEvent.detail).where(
            AuditEvent.econsult_id == econsult_id).order_by(AuditEvent.id)).all()


def test_an_urgent_consult_closes_only_after_the_call_all_by_keyboard(qtbot, pane, ui_context):
    engine = ui_context.engine
    econsult_id = inbox_consult(engine)
    make_urgent(engine, econsult_id)
    show(qtbot, pane, econsult_id)
    editor = pane.reply_editor()
    assert pane.call_action.shortcut().toString() == "Ctrl+G"
    assert "record how the call went (Ctrl+G)" in pane.call_line_text()

    # Ctrl+E before the call: refused in words, no close dialog.
    focus(qtbot, editor.text_edit)
    key(qtbot, Qt.Key.Key_E, CTRL)
    box = wait_for(qtbot, pane, QMessageBox)
    assert "cannot be closed before the patient has been called" in box.text()
    assert "Ctrl+G" in box.text()
    assert visible(pane, CloseDialog) == []
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not box.isVisible())

    # An answer goes out, but the e-consult stays open and the pane asks for the call.
    focus(qtbot, editor.text_edit)
    qtbot.keyClicks(editor.text_edit, "Wij bellen u zo meteen op.")
    pane.question_checklist().tick_all()
    with qtbot.waitSignal(pane.changed, timeout=5000):
        qtbot.keyClick(editor.text_edit, Qt.Key.Key_Return, CTRL)
    consult = consult_row(engine, econsult_id)
    assert consult.status is ConsultStatus.INBOX and consult.closed_at is None
    assert consult.answered_at is not None
    assert "Answer sent. This urgent e-consult stays open" in pane.call_line_text()
    dialog = wait_for(qtbot, pane, CallOutcomeDialog)
    assert dialog.outcome() is CallOutcome.HANDLED and dialog.close_box().isChecked()

    # "4": not reached. Enter records it; it stays open, on top, with a time to call again.
    key(qtbot, Qt.Key.Key_4)
    assert dialog.outcome() is CallOutcome.NOT_REACHED
    assert not dialog.close_box().isEnabled()
    with qtbot.waitSignal(pane.changed, timeout=5000):
        key(qtbot, Qt.Key.Key_Return)
    consult = consult_row(engine, econsult_id)
    assert (consult.status, consult.sort_rank) == (ConsultStatus.INBOX, 0)
    state = pane.call_state()
    assert state.retry_at - state.recorded_at == timedelta(minutes=CALL_RETRY_MINUTES)
    retry = state.retry_at.astimezone().strftime("%H:%M")
    assert f"Call again at {retry}." in pane.call_line_text()
    assert "Not reached at" in pane.call_line_text()

    # Still no closing.
    focus(qtbot, editor.text_edit)
    key(qtbot, Qt.Key.Key_E, CTRL)
    box = wait_for(qtbot, pane, QMessageBox)
    assert "cannot be closed" in box.text()
    key(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not box.isVisible())

    # Ctrl+G again: arrow keys reach every outcome; "1" and Enter: handled, and closed.
    focus(qtbot, editor.text_edit)
    key(qtbot, Qt.Key.Key_G, CTRL)
    dialog = wait_for(qtbot, pane, CallOutcomeDialog)
    seen = [dialog.outcome()]
    for _ in range(3):
        key(qtbot, Qt.Key.Key_Down)
        seen.append(dialog.outcome())
    assert seen == list(CallOutcome)
    key(qtbot, Qt.Key.Key_1)
    assert dialog.outcome() is CallOutcome.HANDLED
    key(qtbot, Qt.Key.Key_Tab)
    assert dialog.note_field().hasFocus()
    qtbot.keyClicks(dialog.note_field(), "Klachten 3 uur")  # digits in the note stay text
    assert dialog.note() == "Klachten 3 uur" and dialog.outcome() is CallOutcome.HANDLED
    with qtbot.waitSignal(pane.changed, timeout=5000):
        key(qtbot, Qt.Key.Key_Return)
    consult = consult_row(engine, econsult_id)
    assert (consult.status, consult.close_reason) == (ConsultStatus.CLOSED, "beantwoord")
    assert "Klachten 3 uur" in consult.routing_note
    assert "Call recorded at" in pane.call_line_text()
    assert "Called: handled" in pane.call_line_text()
    assert not pane.call_action.isEnabled() and not pane.close_action.isEnabled()

    events = audit(engine, econsult_id)
    assert [event for event, _detail in events] == \
        ["view", "reply", "call_outcome", "call_outcome", "close"]
    assert [d["outcome"] for e, d in events if e == "call_outcome"] == \
        ["niet_bereikt", "gebeld_afgehandeld"]
    assert events[1][1]["awaiting_call"] is True


def test_outcomes_by_their_number_and_alt_mnemonic(qtbot, pane, ui_context):
    engine = ui_context.engine
    econsult_id = inbox_consult(engine)
    make_urgent(engine, econsult_id)
    show(qtbot, pane, econsult_id)
    focus(qtbot, pane.reply_editor().text_edit)
    key(qtbot, Qt.Key.Key_G, CTRL)
    dialog = wait_for(qtbot, pane, CallOutcomeDialog)
    assert not dialog.close_box().isChecked()  # nothing answered yet: the call may close it
    for number, outcome in zip((Qt.Key.Key_2, Qt.Key.Key_3), (CallOutcome.COMES_IN,
                                                              CallOutcome.GP_INFORMED)):
        key(qtbot, number)
        assert dialog.outcome() is outcome
    key(qtbot, Qt.Key.Key_Tab)  # into the note: Alt+2 still picks an outcome
    assert dialog.note_field().hasFocus()
    key(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.outcome() is CallOutcome.COMES_IN, timeout=2000)
    with qtbot.waitSignal(pane.changed, timeout=5000):
        dialog.accept()
    consult = consult_row(engine, econsult_id)
    assert consult.status is ConsultStatus.INBOX  # recorded, not closed (box not ticked)
    assert "Called: coming to the surgery" in pane.call_line_text()
    # Now Ctrl+E opens the close dialog.
    focus(qtbot, pane.reply_editor().text_edit)
    key(qtbot, Qt.Key.Key_E, CTRL)
    wait_for(qtbot, pane, CloseDialog)
    key(qtbot, Qt.Key.Key_Space)  # no reason is preselected: choose the focused one
    with qtbot.waitSignal(pane.changed, timeout=5000):
        key(qtbot, Qt.Key.Key_Return)
    assert consult_row(engine, econsult_id).status is ConsultStatus.CLOSED


def test_the_fever_template_for_a_baby_is_refused_and_routing_to_a_gp_offered(
        qtbot, pane, ui_context):
    engine = ui_context.engine
    templates = TemplateService(engine)
    templates.ensure_shipped()
    econsult_id = inbox_consult(engine)
    with Session(engine) as session, session.begin():
        consult = session.get(EConsult, econsult_id)
        consult.patient.birth_date = date.today() - timedelta(days=40)
    show(qtbot, pane, econsult_id)
    editor = pane.reply_editor()
    fever = next(t for t in templates.search("koorts", None) if t.key == "klacht.koorts_kind")
    editor.insert_template(fever)
    box = wait_for(qtbot, editor, QMessageBox)
    assert "must be seen by a GP today" in box.text()
    assert editor.text() == ""  # not inserted
    assert "must be seen by a GP today" in editor.status_text()
    key(qtbot, Qt.Key.Key_Return)  # the default button: route to a GP
    route = wait_for(qtbot, pane, RouteDialog)
    gp_ids = {p.id for p in ui_context.queries.practitioners() if p.role is Role.GP}
    chosen, priority, _note = route.result_values()
    assert chosen in gp_ids and priority is Urgency.URGENT
    with qtbot.waitSignal(pane.changed, timeout=5000):
        route.accept()
    detail = ui_context.queries.detail(econsult_id)
    assert (detail.status, detail.assignee_id) == (ConsultStatus.WORKLIST, chosen)

    # Typed in by hand (or from a restored draft): the service refuses it at sending.
    body = editor.filled_text() or ""
    editor.text_edit.setPlainText(body + fever.body.split("\n\n")[1])
    pane.question_checklist().tick_all()
    # Routed to a GP, it is someone else's now: starting to answer asks first.
    editor.text_edit.window().activateWindow()
    editor.text_edit.setFocus()
    asked = wait_for(qtbot, editor, QMessageBox)
    assert "assigned to" in asked.text()
    asked.button(QMessageBox.StandardButton.Yes).click()
    focus(qtbot, editor.text_edit)
    qtbot.keyClick(editor.text_edit, Qt.Key.Key_Return, CTRL)
    box = wait_for(qtbot, editor, QMessageBox)
    assert "must be seen by a GP today" in box.text()
    key(qtbot, Qt.Key.Key_Escape)
    assert consult_row(engine, econsult_id).answered_at is None
