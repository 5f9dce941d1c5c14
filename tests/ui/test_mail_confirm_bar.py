"""An answer by mail that may have gone out waits for a person: the bar under the thread asks,
and what they say is recorded (issue 18)."""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import Qt
from sqlalchemy import select

from workbench.services.replies import DeliveryState
from workbench.store.models import AuditEvent, Message, OutboxItem, OutboxState
from workbench.ui.mail_confirm_bar import MailConfirmBar


def _unsure_answer(engine) -> tuple[int, int, int]:
    """An answer of ours whose mail acceptance was lost: (e-consult, message, outbox item)."""
    with engine.begin() as connection:
        econsult_id, message_id = connection.execute(select(Message.econsult_id, Message.id)
                                                     .limit(1)).first()
        connection.execute(Message.__table__.update().where(Message.id == message_id)
                           .values(delivery="pending"))
        item_id = connection.execute(OutboxItem.__table__.insert().values(
            kind="mail_reply", econsult_id=econsult_id, identifier="urn:uuid:test-mail",
            created_at=datetime(2026, 11, 30, 9, tzinfo=timezone.utc), state="pending",
            attempts=1, last_error="unknown_outcome",
            payload={"message_id": message_id, "confirm": "unknown_outcome",
                     "started": True})).inserted_primary_key[0]
    return econsult_id, message_id, item_id


def _bar_asking(qtbot, ui_context) -> tuple[MailConfirmBar, int, int]:
    """The bar over an unsure answer: hidden while the answer counts as sent, then asking
    once it is pending after a lost acceptance. (bar, outbox item, message)."""
    econsult_id, message_id, item_id = _unsure_answer(ui_context.engine)
    bar = MailConfirmBar(ui_context)
    qtbot.addWidget(bar)
    bar.show()
    bar.set_delivery(econsult_id, {message_id: DeliveryState("sent", None)})
    assert bar.isHidden()
    bar.set_delivery(econsult_id, {message_id: DeliveryState("pending", "unknown_outcome")})
    qtbot.waitUntil(lambda: not bar.isHidden(), timeout=5000)
    return bar, item_id, message_id


def test_the_person_says_it_arrived_and_it_is_recorded_as_sent(qtbot, ui_context):
    bar, item_id, message_id = _bar_asking(qtbot, ui_context)
    with qtbot.waitSignal(bar.confirmed, timeout=5000):
        qtbot.mouseClick(bar.arrived_button, Qt.MouseButton.LeftButton)
    assert bar.isHidden()
    assert _outbox_state(ui_context.engine, item_id) is OutboxState.SENT
    with ui_context.engine.connect() as connection:
        assert connection.scalar(select(Message.delivery).where(
            Message.id == message_id)) == "sent"
        event = connection.execute(select(AuditEvent.user_id, AuditEvent.detail).where(
            AuditEvent.event == "mail_answer_confirmed")).one()
    assert event == (ui_context.user.id, {"outbox": item_id, "went_out": True})


def test_a_confirmation_given_elsewhere_first_stands(qtbot, ui_context):
    bar, item_id, _message_id = _bar_asking(qtbot, ui_context)
    with ui_context.engine.begin() as connection:  # a colleague said it arrived, meanwhile
        connection.execute(OutboxItem.__table__.update().where(OutboxItem.id == item_id)
                           .values(state="sent"))
    with qtbot.waitSignal(bar.confirmed, timeout=5000):
        qtbot.mouseClick(bar.resend_button, Qt.MouseButton.LeftButton)
    assert bar.isHidden()
    assert _outbox_state(ui_context.engine, item_id) is OutboxState.SENT


def test_a_confirmation_the_database_refused_keeps_the_question_and_says_why(qtbot, ui_context):
    bar, item_id, _message_id = _bar_asking(qtbot, ui_context)
    with ui_context.engine.begin() as connection:  # the audit trail cannot be written now
        connection.exec_driver_sql(
            "CREATE TRIGGER audit_refused BEFORE INSERT ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    qtbot.mouseClick(bar.arrived_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.label.text().startswith("Not recorded: "), timeout=5000)
    assert "The database reported a problem" in bar.label.text()
    assert not bar.isHidden() and bar.arrived_button.isEnabled()
    assert _outbox_state(ui_context.engine, item_id) is OutboxState.PENDING
    with ui_context.engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER audit_refused")
    with qtbot.waitSignal(bar.confirmed, timeout=5000):
        qtbot.mouseClick(bar.arrived_button, Qt.MouseButton.LeftButton)
    assert _outbox_state(ui_context.engine, item_id) is OutboxState.SENT


def _outbox_state(engine, item_id: int) -> OutboxState:
    with engine.connect() as connection:
        return connection.scalar(select(OutboxItem.state).where(OutboxItem.id == item_id))
