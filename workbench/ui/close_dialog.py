"""Dialog asking why an e-consult is closed."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workbench.services.triage import CloseReason
from workbench.ui import labels


class CloseDialog(QDialog):
    """One of the close reasons, the first preselected; arrow keys choose, Enter accepts.

    Signals: QDialog's (accepted, rejected, finished).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Close e-consult"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Why is this e-consult closed?")))
        self._group = QButtonGroup(self)
        self._buttons: dict[CloseReason, QRadioButton] = {}
        for reason in CloseReason:
            button = QRadioButton(labels.close_reason_label(reason))
            self._group.addButton(button)
            self._buttons[reason] = button
            layout.addWidget(button)
        first = self._buttons[next(iter(CloseReason))]
        first.setChecked(True)
        first.setFocus()

        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        ok = box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Close e-consult"))
        ok.setDefault(True)
        layout.addWidget(box)

    def set_reason(self, reason: CloseReason) -> None:
        self._buttons[reason].setChecked(True)

    def reason(self) -> CloseReason:
        for reason, button in self._buttons.items():
            if button.isChecked():
                return reason
        return next(iter(CloseReason))
