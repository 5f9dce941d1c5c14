"""The thread with, under each of our own messages, whether the portal has it yet."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import (
    QWidget,
)

from workbench.services.inbox import MessageView
from workbench.services.replies import (
    DeliveryState,
)
from workbench.ui import colours
from workbench.ui.thread_view import ThreadView


class DeliveryThreadView(ThreadView):
    """The thread, with under each of our own messages whether the portal has it yet.

    Signals: none of its own.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._states: dict[int, DeliveryState] = {}

    def set_delivery(self, states: dict[int, DeliveryState]) -> None:
        if states == self._states:
            return
        self._states = dict(states)
        position = self.verticalScrollBar().value()
        self._render()
        self.verticalScrollBar().setValue(position)

    def _add_message(self, cursor: QTextCursor, message: MessageView) -> None:
        super()._add_message(cursor, message)
        state = self._states.get(message.id)
        if state is None:
            return
        colour = {"sent": colours.SUCCESS_TEXT, "failed": colours.ALARM_TEXT}.get(
            state.state, colours.CAUTION_TEXT)
        self._add_line(cursor, delivery_label(state), QColor(colour))


def delivery_label(state: DeliveryState) -> str:
    if state.state == "sent":
        return QCoreApplication.translate("ReplyEditor", "Sent")
    if state.state == "failed":
        # The outbox keeps the kind of failure (an error class name), never a sentence.
        reason = {
            "ResourceNotFound": QCoreApplication.translate(
                "ReplyEditor", "the portal no longer knows this conversation"),
            "PortalProtocolError": QCoreApplication.translate(
                "ReplyEditor", "refused by the portal"),
            "AttachmentMissing": QCoreApplication.translate(
                "ReplyEditor", "an attached file is missing"),
        }.get(state.error or "", QCoreApplication.translate("ReplyEditor",
                                                            "refused by the portal"))
        if (state.error or "").startswith("refused_"):  # by SMTP: the server's reply code
            reason = QCoreApplication.translate("ReplyEditor", "refused by the mail server")
        return QCoreApplication.translate("ReplyEditor", "Not sent: {reason}").format(
            reason=reason)
    if state.error in ("unknown_outcome", "unknown_after_restart"):
        return QCoreApplication.translate(
            "ReplyEditor", "Perhaps sent by mail: the connection broke before the mail server "
            "confirmed it. Check with the patient, then say so above the answer")
    if state.error and state.error.startswith(("refused_", "temporary_")) or state.error in (
            "unreachable", "tls", "credentials", "protocol", "mail_not_configured"):
        return QCoreApplication.translate(
            "ReplyEditor", "Waiting to be sent (the mail server cannot be reached or refused "
            "it for now; trying again)")
    if state.error == "AttachmentMissing":
        return QCoreApplication.translate(
            "ReplyEditor", "Waiting to be sent (an attached file is not in the store yet; "
            "trying again)")
    if state.error:
        return QCoreApplication.translate(
            "ReplyEditor", "Waiting to be sent (the portal cannot be reached; trying again)")
    return QCoreApplication.translate("ReplyEditor", "Waiting to be sent")
