"""The thread with, under each of our own messages, whether the portal has it yet."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QWidget,
)

from workbench.services.inbox import MessageView
from workbench.services.replies import (
    DeliveryState,
)
from workbench.ui.thread_view import ThreadView


class DeliveryThreadView(ThreadView):
    """The thread, with under each of our own messages whether the portal has it yet.

    Signals: none of its own.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._messages: list[MessageView] = []
        self._states: dict[int, DeliveryState] = {}

    def show_messages(self, messages: list[MessageView]) -> None:
        self._messages = list(messages)
        super().show_messages(messages)

    def set_delivery(self, states: dict[int, DeliveryState]) -> None:
        if states == self._states:
            return
        self._states = dict(states)
        position = self.verticalScrollBar().value()
        super().show_messages(self._messages)
        self.verticalScrollBar().setValue(position)

    def _message_html(self, message: MessageView) -> str:
        block = super()._message_html(message)
        state = self._states.get(message.id)
        if state is None:
            return block
        colour = {"sent": "#2e6b30", "failed": "#b3261e"}.get(state.state, "#8a5a00")
        return block + (f'<p style="margin-top:0px; margin-bottom:8px; color:{colour};">'
                        f'{html.escape(delivery_label(state))}</p>')


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
        }.get(state.error or "", QCoreApplication.translate("ReplyEditor",
                                                            "refused by the portal"))
        return QCoreApplication.translate("ReplyEditor", "Not sent: {reason}").format(
            reason=reason)
    if state.error:
        return QCoreApplication.translate(
            "ReplyEditor", "Waiting to be sent (the portal cannot be reached; trying again)")
    return QCoreApplication.translate("ReplyEditor", "Waiting to be sent")
