"""The status bar's word on the last action: what it did, and "Undo" while that can be done."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from workbench.services.undo import UNDO_SECONDS, UndoToken
from workbench.ui.plain_text import plain_label

MESSAGE_SECONDS = 30  # how long the words stay after the undo time


class ActionFeedback(QWidget):
    """A label and an "Undo" button, shown for `UNDO_SECONDS` after an undoable action (the
    time its portal change waits in the outbox).

    Signals:
        undo_requested(object): the UndoToken to put back.
    """

    undo_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._token: UndoToken | None = None
        self.message_label: QLabel = plain_label()
        self.message_label.setWordWrap(False)  # one line: the status bar keeps its height
        self.undo_button = QPushButton(self.tr("&Undo"))
        self.undo_button.setToolTip(self.tr("Undo the last action (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message_label)
        layout.addWidget(self.undo_button)
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.timeout.connect(self._undo_expired)
        self._clear_timer = QTimer(self)
        self._clear_timer.setSingleShot(True)
        self._clear_timer.timeout.connect(self.clear)
        self.clear()

    def show_action(self, text: str, token: UndoToken | None = None) -> None:
        self._token = token
        self.message_label.setText(text)
        self.undo_button.setVisible(token is not None)
        self.setVisible(True)
        if token is not None:
            self._undo_timer.start(UNDO_SECONDS * 1000)
        else:
            self._undo_timer.stop()
        self._clear_timer.start((UNDO_SECONDS + MESSAGE_SECONDS) * 1000)

    def can_undo(self) -> bool:
        return self._token is not None

    def undo(self) -> None:
        token, self._token = self._token, None
        self.undo_button.hide()
        self._undo_timer.stop()
        if token is not None:
            self.undo_requested.emit(token)

    def clear(self) -> None:
        self._token = None
        self.message_label.clear()
        self.undo_button.hide()
        self.setVisible(False)

    def _undo_expired(self) -> None:
        self._token = None
        self.undo_button.hide()
