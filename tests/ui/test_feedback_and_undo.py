"""Every action says what it did, with "Undo" where it can be undone; Ctrl+I and Ctrl+B ask
for their words first; quitting asks while a draft or a pull is in flight."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.inbox import ListView
from workbench.services.triage import CloseReason
from workbench.store.models import AuditEvent, ConsultStatus, EConsult, OutboxItem, Role, Urgency
from workbench.ui.message_dialogs import InviteDialog, SendBackDialog


def calm_item(queries) -> int:
    return next(r.id for r in queries.page(ListView(ConsultStatus.INBOX), 0, 500)
                if not (r.urgent or r.has_advice))


def open_item(qtbot, desktop, role=Role.ASSISTANT):
    desktop.first_pull()
    user = next(p for p in desktop.queries.practitioners() if p.role is role)
    window = desktop.open_window(user)
    qtbot.addWidget(window)
    item = calm_item(desktop.queries)
    window.open_econsult(item)
    qtbot.waitUntil(lambda: window.consult.current_id() == item, timeout=5000)
    return window, item


def consult(desktop, item) -> EConsult:
    with Session(desktop.store.engine) as session:
        found = session.get(EConsult, item)
        session.expunge(found)
        return found


def test_a_route_says_what_it_did_and_undo_puts_it_back(qtbot, desktop):
    window, item = open_item(qtbot, desktop)
    gp = next(p for p in desktop.queries.practitioners() if p.role is Role.GP)
    with qtbot.waitSignal(window.consult.acted, timeout=10_000):
        window.consult.route(gp.id, Urgency.NORMAL, "Graag beoordelen")
    feedback = window.action_feedback
    assert feedback.isVisible() and gp.name in feedback.message_label.text()
    assert feedback.undo_button.isVisible()
    assert consult(desktop, item).status is ConsultStatus.WORKLIST

    qtbot.mouseClick(feedback.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: feedback.message_label.text() == "Undone", timeout=10_000)
    assert consult(desktop, item).status is ConsultStatus.INBOX
    assert not feedback.undo_button.isVisible()
    assert item in desktop.queries.ids(ListView(ConsultStatus.INBOX))
    with Session(desktop.store.engine) as session:
        last = session.scalars(select(AuditEvent).where(AuditEvent.econsult_id == item)
                               .order_by(AuditEvent.id.desc())).first()
        assert (last.event, last.detail["undid"]) == ("undo", "route")


def test_a_close_undone_with_ctrl_z_leaves_nothing_for_the_portal(qtbot, desktop):
    window, item = open_item(qtbot, desktop)
    with qtbot.waitSignal(window.consult.acted, timeout=10_000):
        window.consult.close_consult(CloseReason.NO_ACTION, "Vraag al telefonisch gesteld")
    assert consult(desktop, item).routing_note == "Vraag al telefonisch gesteld"
    window.inbox.table.setFocus()  # not a text field: Ctrl+Z is the action's undo
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: window.action_feedback.message_label.text() == "Undone",
                    timeout=10_000)
    assert consult(desktop, item).status is ConsultStatus.INBOX
    with Session(desktop.store.engine) as session:
        assert session.scalars(select(OutboxItem).where(OutboxItem.econsult_id == item)).all() \
            == []


def test_a_sent_answer_is_said_without_undo(qtbot, desktop):
    window, _item = open_item(qtbot, desktop)
    window.consult.acted.emit("Answer sent", None)  # as the editor reports a sent answer
    assert window.action_feedback.message_label.text() == "Answer sent"
    assert not window.action_feedback.undo_button.isVisible()


def test_ctrl_i_asks_for_the_message_to_the_patient_first(qtbot, desktop):
    window, item = open_item(qtbot, desktop)
    window.consult.invite_action.trigger()
    dialog = window.consult._dialog
    assert isinstance(dialog, InviteDialog)
    assert consult(desktop, item).status is ConsultStatus.INBOX  # nothing done yet
    text = dialog.text_edit.toPlainText()
    assert "afspraak" in text and "{" not in text  # the template, filled in
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    dialog.text_edit.setPlainText("Beste mevrouw, kom op {datum+3}")
    assert not ok.isEnabled() and dialog.problem.isVisible()
    dialog.text_edit.setPlainText(text)
    assert ok.isEnabled()
    with qtbot.waitSignal(window.consult.acted, timeout=10_000):
        ok.click()
    assert consult(desktop, item).status is ConsultStatus.WAITING
    assert window.action_feedback.undo_button.isVisible()


def test_ctrl_b_asks_for_a_note_to_the_assistants_first(qtbot, desktop):
    desktop.first_pull()
    gp = next(p for p in desktop.queries.practitioners() if p.role is Role.GP)
    item = calm_item(desktop.queries)
    from workbench.services.triage import Actor
    desktop.triage.route(item, Actor(gp.id), gp.id, Urgency.NORMAL)
    window = desktop.open_window(gp)
    qtbot.addWidget(window)
    window.open_econsult(item)
    qtbot.waitUntil(lambda: window.consult.send_back_action.isEnabled(), timeout=5000)
    window.consult.send_back_action.trigger()
    dialog = window.consult._dialog
    assert isinstance(dialog, SendBackDialog)
    assert consult(desktop, item).status is ConsultStatus.WORKLIST
    dialog.text_edit.setPlainText("Graag terugbellen voor een afspraak")
    with qtbot.waitSignal(window.consult.acted, timeout=10_000):
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    found = consult(desktop, item)
    assert (found.status, found.routing_note) == (ConsultStatus.INBOX,
                                                  "Graag terugbellen voor een afspraak")


def test_quitting_asks_only_while_something_is_in_flight(qtbot, desktop):
    window, _item = open_item(qtbot, desktop)
    window.show()
    assert window.quit_question() == ""
    window.consult.reply_editor().text_edit.setPlainText("Beste meneer,")
    assert window.quit_question()
    window.close()
    assert window.isVisible()  # still open: the question waits for an answer
    box = window.quit_box
    box.button(box.StandardButton.No).click()
    assert window.isVisible()
    window.close()
    window.quit_box.button(box.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)


def test_quit_and_complete_are_different_words_in_dutch(qapp):
    """"Afsluiten" is quitting the program only; an e-consult is completed ("afgerond")."""
    from PySide6.QtCore import QCoreApplication

    from workbench.ui.app import install_translations
    translators = install_translations(qapp, "nl")
    try:
        def dutch(context: str, text: str) -> str:
            return QCoreApplication.translate(context, text).replace("&", "").rstrip("…")
        assert dutch("MainWindow", "&Quit") == "Afsluiten"
        for context, text in (("ConsultPane", "Close…"), ("CloseDialog", "Close e-consult"),
                              ("CloseDialog", "Why is this e-consult closed?")):
            assert "afsluit" not in dutch(context, text).lower()
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


def test_a_new_message_is_said_in_the_status_bar_without_undo(qtbot, desktop):
    window, _item = open_item(qtbot, desktop)
    dialog = window.open_new_message()
    dialog.started.emit(_item)  # as the dialog reports a started conversation
    assert "patient" in window.action_feedback.message_label.text()
    assert not window.action_feedback.undo_button.isVisible()
