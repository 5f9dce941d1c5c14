"""Asks why urgency advice is dismissed: the reason is required and goes into the audit log."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.services.triage import MAX_URGENCY_REASON


class DismissAdviceDialog(QDialog):
    """One line: why this is not urgent. OK only with a reason.

    Signals: QDialog's (accepted when a reason was given).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Not urgent"))
        layout = QVBoxLayout(self)
        explanation = QLabel(self.tr(
            "Why is this not urgent? For example: called the patient, no alarm signs; "
            "the words mean something else here."))
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        self.reason_field = QLineEdit()
        self.reason_field.setMaxLength(MAX_URGENCY_REASON)
        self.reason_field.setPlaceholderText(self.tr("Reason (required)"))
        self.reason_field.setAccessibleName(self.tr("Reason"))
        explanation.setBuddy(self.reason_field)
        layout.addWidget(self.reason_field)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Not urgent"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason_field.textChanged.connect(self._update)
        self._update()
        self.resize(460, self.sizeHint().height())

    def reason(self) -> str:
        return self.reason_field.text().strip()

    def accept(self) -> None:
        if self.reason():
            super().accept()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reason()))
