"""The consult pane over a store synced from the demo portal: what the user sees and what the
actions write."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QToolBar, QToolButton
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.services.inbox import ListView, mask_bsn
from workbench.services.triage import CallOutcome, CloseReason
from workbench.services.urgency import default_advisor
from workbench.store.models import (
    Attachment,
    AuditEvent,
    ConsultStatus,
    EConsult,
    Message,
    OutboxItem,
    OutboxState,
    Patient,
    Role,
    Urgency,
)
from workbench.ui.close_dialog import CloseDialog
from workbench.ui.route_dialog import RouteDialog

# The offscreen platform says so once, when the first window is shown.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def show(qtbot, pane, econsult_id):
    with qtbot.waitSignal(pane.viewed, timeout=5000) as blocker:
        pane.show_consult(econsult_id)
    assert blocker.args == [econsult_id]


def act(qtbot, pane, call, *args):
    with qtbot.waitSignal(pane.changed, timeout=5000):
        call(*args)


def visible_text(pane):
    labels = [label.text() for label in pane.findChildren(QLabel) if label.isVisibleTo(pane)]
    return "\n".join(labels) + "\n" + pane.thread_view().plain_text()


def first_consult(engine, *conditions):
    with Session(engine) as session:
        return session.scalar(select(EConsult.id).join(Patient, Patient.id == EConsult.patient_id)
                              .where(EConsult.status == ConsultStatus.INBOX, *conditions)
                              .order_by(EConsult.id).limit(1))


def set_first_text(engine, econsult_id, text, advice=None):
    with Session(engine) as session, session.begin():
        message = session.scalars(select(Message).where(Message.econsult_id == econsult_id)
                                  .order_by(Message.sent_at)).first()
        message.text = text
        consult = session.get(EConsult, econsult_id)
        consult.urgency_advice = advice
        consult.urgency = Urgency.NORMAL
        consult.advice_dismissed = False


def advice_for(text):
    return [finding.as_json() for finding in default_advisor().advise(text)] or None


def test_empty_state_disables_every_action(pane):
    assert "Select an e-consult" in visible_text(pane)
    assert pane.current_id() is None
    for action in (pane.route_action, pane.send_back_action, pane.invite_action,
                   pane.close_action):
        assert not action.isEnabled()


def test_shows_patient_with_masked_bsn_and_the_thread_oldest_first(qtbot, pane, ui_context):
    engine = ui_context.engine
    with Session(engine) as session:
        econsult_id, patient_id = session.execute(
            select(Message.econsult_id, EConsult.patient_id)
            .join(EConsult, EConsult.id == Message.econsult_id)
            .join(Patient, Patient.id == EConsult.patient_id)
            .where(Patient.bsn.is_not(None), EConsult.status == ConsultStatus.INBOX)
            .group_by(Message.econsult_id, EConsult.patient_id)
            .having(func.count() >= 2).limit(1)).one()
        patient = session.get(Patient, patient_id)
        name, bsn = patient.name, patient.bsn
        messages = session.scalars(select(Message).where(Message.econsult_id == econsult_id)
                                   .order_by(Message.sent_at)).all()
        for position, message in enumerate(messages):
            message.text = f"bericht nummer {position}"
        session.commit()

    show(qtbot, pane, econsult_id)

    text = visible_text(pane)
    assert pane.current_id() == econsult_id
    assert name in text
    assert mask_bsn(bsn) in text
    assert bsn not in text
    thread = pane.thread_view().plain_text()
    positions = [thread.index(f"bericht nummer {n}") for n in range(len(messages))]
    assert positions == sorted(positions)


def test_html_in_a_message_is_shown_literally(qtbot, pane, ui_context):
    econsult_id = first_consult(ui_context.engine)
    set_first_text(ui_context.engine, econsult_id, "<b>vet</b> <script>alert(1)</script>")

    show(qtbot, pane, econsult_id)

    thread = pane.thread_view()
    assert "<b>vet</b> <script>alert(1)</script>" in thread.plain_text()
    found = thread.document().find("vet</b>")
    assert not found.isNull()
    assert found.charFormat().fontWeight() == QFont.Weight.Normal


def test_https_links_become_links_http_ones_do_not(qtbot, pane, ui_context):
    econsult_id = first_consult(ui_context.engine)
    set_first_text(ui_context.engine, econsult_id,
                   "Lees https://www.thuisarts.nl/hoofdpijn. Of http://example.nl/nep en "
                   "javascript:alert(1)")

    show(qtbot, pane, econsult_id)

    markup = pane.thread_view().toHtml()
    assert 'href="https://www.thuisarts.nl/hoofdpijn"' in markup
    assert 'href="http://' not in markup
    assert 'href="javascript' not in markup
    cursor = pane.thread_view().document().find("http://example.nl/nep")
    assert not cursor.charFormat().isAnchor()
    link = pane.thread_view().document().find("thuisarts.nl/hoofdpijn")
    assert link.charFormat().isAnchor()


def test_urgency_banner_for_an_alarm_text_not_for_a_routine_one(qtbot, pane, ui_context):
    engine = ui_context.engine
    alarm_text = "Sinds vanmorgen pijn op de borst"
    advice = advice_for(alarm_text)
    assert advice
    routine_id = first_consult(engine)
    alarm_id = first_consult(engine, EConsult.id != routine_id)
    set_first_text(engine, routine_id, "Graag een herhaalrecept voor mijn zalf", None)
    set_first_text(engine, alarm_id, alarm_text, advice)

    show(qtbot, pane, routine_id)
    assert not pane.banner_visible()

    show(qtbot, pane, alarm_id)
    assert pane.banner_visible()
    text = visible_text(pane)
    # The group, the words that raised it and the action, from the advice itself.
    assert "Possible emergency" in text and "Bel 112" in text
    assert "Mogelijk hartprobleem" in text and "pijn op de borst" in text

    mark = next(b for b in pane.findChildren(QPushButton) if b.text() == "Mark urgent")
    with qtbot.waitSignal(pane.changed):
        mark.click()
    assert "Marked urgent" in visible_text(pane)
    with Session(engine) as session:
        assert session.get(EConsult, alarm_id).urgency is Urgency.URGENT

    act(qtbot, pane, pane.set_urgent, False, "gebeld, geen alarmsignalen")
    assert not pane.banner_visible()
    with Session(engine) as session:
        consult = session.get(EConsult, alarm_id)
        assert consult.urgency is Urgency.NORMAL and consult.advice_dismissed


def test_viewing_writes_an_audit_event(qtbot, pane, ui_context):
    econsult_id = first_consult(ui_context.engine)
    show(qtbot, pane, econsult_id)
    with Session(ui_context.engine) as session:
        consult = session.get(EConsult, econsult_id)
        events = session.scalars(select(AuditEvent).where(
            AuditEvent.event == "view", AuditEvent.econsult_id == econsult_id)).all()
        assert [(e.patient_id, e.user_id) for e in events] == [
            (consult.patient_id, ui_context.user.id)]
    read = {r.id: r.unread for r in ui_context.queries.page(
        ListView(status=consult.status), 0, 1000, for_user=ui_context.user.id)}
    assert read[econsult_id] is False


def test_actions_change_the_store_and_write_audit_events(qtbot, answering_pane,
                                                        answering_context):
    pane, ui_context = answering_pane, answering_context
    engine = ui_context.engine
    econsult_id = first_consult(engine)
    gp = next(p for p in ui_context.queries.practitioners() if p.role is Role.GP)
    show(qtbot, pane, econsult_id)
    assert pane.route_action.isEnabled() and not pane.send_back_action.isEnabled()

    with qtbot.waitSignal(pane.changed) as blocker:
        pane.route(gp.id, Urgency.URGENT, "Bellen <vandaag>")
    assert blocker.args == [econsult_id]
    text = visible_text(pane)
    assert gp.name in text and "Bellen <vandaag>" in text and "Worklist" in text
    assert pane.send_back_action.isEnabled()
    with Session(engine) as session:
        consult = session.get(EConsult, econsult_id)
        assert (consult.status, consult.assignee_id) == (ConsultStatus.WORKLIST, gp.id)

    act(qtbot, pane, pane.send_back)
    with Session(engine) as session:
        consult = session.get(EConsult, econsult_id)
        assert (consult.status, consult.assignee_id) == (ConsultStatus.INBOX, None)

    act(qtbot, pane, pane.invite, "Wilt u een afspraak maken op het spreekuur?")
    assert "Invited to the surgery" in visible_text(pane)
    assert not pane.invite_action.isEnabled()

    # Routed as urgent: it closes only once the call's outcome is recorded.
    act(qtbot, pane, pane.record_call, CallOutcome.HANDLED)
    act(qtbot, pane, pane.close_consult, CloseReason.BY_PHONE)
    assert "Closed as: Handled by phone" in visible_text(pane)
    assert not pane.close_action.isEnabled() and not pane.route_action.isEnabled()
    with Session(engine) as session:
        consult = session.get(EConsult, econsult_id)
        assert consult.status is ConsultStatus.CLOSED
        assert consult.close_reason == CloseReason.BY_PHONE.value
        events = session.scalars(select(AuditEvent.event).where(
            AuditEvent.econsult_id == econsult_id).order_by(AuditEvent.id)).all()
        assert events == ["view", "route", "send_back", "invite_to_surgery", "call_outcome",
                          "close"]
        outbox = session.scalars(select(OutboxItem).where(
            OutboxItem.econsult_id == econsult_id).order_by(OutboxItem.id)).all()
        assert outbox[-1].payload["status"] == "completed"
        assert outbox[-1].state is OutboxState.PENDING


def test_routing_to_an_assistant_is_refused_with_a_clear_message(qtbot, pane, ui_context):
    econsult_id = first_consult(ui_context.engine)
    assistant = next(p for p in ui_context.queries.practitioners() if p.role is Role.ASSISTANT)
    show(qtbot, pane, econsult_id)

    pane.route(assistant.id, Urgency.NORMAL, "")
    qtbot.waitUntil(lambda: pane.findChild(QMessageBox) is not None
                    and pane.findChild(QMessageBox).isVisible())
    assert "GP or a practice nurse" in pane.findChild(QMessageBox).text()
    assert pane.route_action.isEnabled()
    with Session(ui_context.engine) as session:
        assert session.get(EConsult, econsult_id).status is ConsultStatus.INBOX


def test_a_baby_is_shown_in_months(qtbot, pane, ui_context):
    econsult_id = first_consult(ui_context.engine)
    ui_context.clock = lambda: datetime(2024, 3, 20, 12, 0, tzinfo=UTC)
    with Session(ui_context.engine) as session, session.begin():
        session.get(EConsult, econsult_id).patient.birth_date = date(2024, 1, 5)
    show(qtbot, pane, econsult_id)
    assert "2 months" in visible_text(pane)
    assert "born 05-01-2024" in visible_text(pane)


def test_a_carer_writing_shows_on_behalf_of(qtbot, pane, ui_context):
    econsult_id = first_consult(ui_context.engine,
                                EConsult.sender_related_person_id.is_not(None))
    show(qtbot, pane, econsult_id)
    detail = ui_context.queries.detail(econsult_id)
    assert f"Sent by {detail.sender_name}" in visible_text(pane)
    assert f"on behalf of {detail.patient_name}" in visible_text(pane)


def test_photo_thumbnails_appear_and_open_on_click(qtbot, pane, ui_context):
    with Session(ui_context.engine) as session:
        econsult_id, count = session.execute(
            select(Message.econsult_id, func.count(Attachment.id))
            .join(Attachment, Attachment.message_id == Message.id)
            .where(Attachment.sha256.is_not(None))
            .group_by(Message.econsult_id).limit(1)).one()
    show(qtbot, pane, econsult_id)

    qtbot.waitUntil(lambda: pane.thumbnail_count() == count)
    button = next(b for b in pane.findChildren(QToolButton)
                  if not b.icon().isNull() and not isinstance(b.parent(), QToolBar))
    assert button.iconSize().width() <= 120 and button.iconSize().height() <= 120
    with qtbot.waitSignal(pane.photo_clicked) as blocker:
        button.click()
    assert isinstance(blocker.args[0], int)


def test_pending_and_refused_photos_are_named(qtbot, pane, ui_context):
    with Session(ui_context.engine) as session, session.begin():
        attachments = session.scalars(select(Attachment).join(Message)
                                      .where(Message.econsult_id == select(Message.econsult_id)
                                             .join(Attachment).limit(1).scalar_subquery())).all()
        econsult_id = attachments[0].message.econsult_id
        for attachment in attachments:
            attachment.sha256 = None
        attachments[0].error = "hash_mismatch"
    show(qtbot, pane, econsult_id)
    text = visible_text(pane)
    assert "Photo refused: hash_mismatch" in text
    if len(attachments) > 1:
        assert "Photo not yet received" in text
    assert pane.thumbnail_count() == 0


def test_route_and_close_through_their_dialogs(qtbot, pane, ui_context):
    econsult_id = first_consult(ui_context.engine)
    show(qtbot, pane, econsult_id)

    pane.route_action.trigger()
    dialog = pane.findChild(RouteDialog)
    assert dialog is not None and dialog.isVisible()
    chosen, _priority, _note = dialog.result_values()
    with qtbot.waitSignal(pane.changed):
        dialog.accept()
    assert ui_context.queries.detail(econsult_id).assignee_id == chosen

    pane.close_action.trigger()
    dialog = next(d for d in pane.findChildren(CloseDialog) if d.isVisible())
    dialog.set_reason(CloseReason.DUPLICATE)
    with qtbot.waitSignal(pane.changed):
        dialog.accept()
    detail = ui_context.queries.detail(econsult_id)
    assert (detail.status, detail.close_reason) == (ConsultStatus.CLOSED, "dubbel")
