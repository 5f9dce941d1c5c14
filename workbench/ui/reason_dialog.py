"""A small dialog that asks why, with the reason required: for dismissing urgency advice, for
marking an unprocessed message handled; the reason goes into the audit trail."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class ReasonDialog(QDialog):
    """One line of text; OK only with a reason. Subclasses give the title and the words.

    Signals: QDialog's (accepted when a reason was given).
    """

    def __init__(self, max_length: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        self.reason_field = QLineEdit()
        self.reason_field.setMaxLength(max_length)
        self.reason_field.setPlaceholderText(self.tr("Reason (required)"))
        self.reason_field.setAccessibleName(self.tr("Reason"))
        self.explanation.setBuddy(self.reason_field)
        layout.addWidget(self.reason_field)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason_field.textChanged.connect(self._update)
        self._update()

    def set_texts(self, title: str, explanation: str, confirm: str) -> None:
        self.setWindowTitle(title)
        self.explanation.setText(explanation)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(confirm)
        self.resize(460, self.sizeHint().height())

    def reason(self) -> str:
        return self.reason_field.text().strip()

    def accept(self) -> None:
        if self.reason():
            super().accept()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reason()))
