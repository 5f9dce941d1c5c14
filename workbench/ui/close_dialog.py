"""Dialog asking why an e-consult is closed."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workbench.services.triage import CloseReason
from workbench.ui import labels


class CloseDialog(QDialog):
    """One of the close reasons, none preselected: the person chooses (arrow keys or a click),
    then Enter accepts; a note in free text goes along with it.

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
        self._group.buttonToggled.connect(lambda _button, _checked: self._update())
        first = self._buttons[next(iter(CloseReason))]
        first.setFocus()  # focus only: the arrow keys choose, nothing is chosen yet
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(500)
        self.note_edit.setAccessibleName(self.tr("Note"))
        self.note_edit.setPlaceholderText(self.tr("Note (optional)"))
        note_label = QLabel(self.tr("&Note"))
        note_label.setBuddy(self.note_edit)
        layout.addWidget(note_label)
        layout.addWidget(self.note_edit)

        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        ok = box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Close e-consult"))
        ok.setDefault(True)
        self._ok = ok
        layout.addWidget(box)
        self._update()

    def _update(self) -> None:
        self._ok.setEnabled(self._group.checkedButton() is not None)

    def accept(self) -> None:
        if self._group.checkedButton() is None:  # Enter before a reason is chosen
            return
        super().accept()

    def set_reason(self, reason: CloseReason) -> None:
        self._buttons[reason].setChecked(True)

    def reason(self) -> CloseReason | None:
        """The chosen reason; None while none is chosen (the dialog cannot be accepted then)."""
        for reason, button in self._buttons.items():
            if button.isChecked():
                return reason
        return None

    def note(self) -> str | None:
        """The note typed with the reason, trimmed; None when empty."""
        return self.note_edit.text().strip() or None
