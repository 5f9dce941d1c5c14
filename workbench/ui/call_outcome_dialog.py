"""Dialog recording how the phone call about an (urgent) e-consult ended."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workbench.services.triage import CallOutcome, CallState

MAX_NOTE = 500


def call_outcome_label(outcome: CallOutcome | str) -> str:
    return {
        CallOutcome.HANDLED: QCoreApplication.translate("CallOutcome", "Called: handled"),
        CallOutcome.COMES_IN: QCoreApplication.translate("CallOutcome",
                                                         "Called: coming to the surgery"),
        CallOutcome.GP_INFORMED: QCoreApplication.translate("CallOutcome", "GP informed"),
        CallOutcome.NOT_REACHED: QCoreApplication.translate("CallOutcome", "Not reached"),
    }[CallOutcome(outcome)]


class CallOutcomeDialog(QDialog):
    """The four outcomes, the first preselected: arrow keys or 1 to 4 choose (Alt+1 to Alt+4
    from the note), Tab reaches the note and the close box, Enter records.

    "Close the e-consult" is ticked when our answer already went out; it does not apply to
    "Not reached" (the e-consult stays on top, to call again).

    Signals: QDialog's (accepted, rejected, finished).
    """

    def __init__(self, state: CallState | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callOutcomeDialog")
        self.setWindowTitle(self.tr("Record call"))
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("How did the call end?")))
        if state is not None and state.phone:
            number = QLabel(self.tr("Number to call: {phone}").format(phone=state.phone))
            number.setTextFormat(Qt.TextFormat.PlainText)
            number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(number)
        self._group = QButtonGroup(self)
        self._buttons: dict[CallOutcome, QRadioButton] = {}
        for number, outcome in enumerate(CallOutcome, start=1):
            button = QRadioButton(f"&{number}  {call_outcome_label(outcome)}")
            button.setAccessibleName(call_outcome_label(outcome))
            self._group.addButton(button, number)
            self._buttons[outcome] = button
            layout.addWidget(button)

        self._note = QLineEdit()
        self._note.setMaxLength(MAX_NOTE)
        self._note.setPlaceholderText(self.tr("Note for the doctor (optional)"))
        self._note.setAccessibleName(self.tr("Note about the call"))
        layout.addWidget(self._note)
        self._close = QCheckBox(self.tr("Close the e-consult"))
        self._close.setChecked(bool(state is not None and state.answered))
        layout.addWidget(self._close)
        self._group.idToggled.connect(lambda _id, _on: self._outcome_changed())

        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        ok = box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Record"))
        ok.setDefault(True)
        layout.addWidget(box)

        first = self._buttons[CallOutcome.HANDLED]
        first.setChecked(True)
        first.setFocus()
        self._outcome_changed()

    # -- results -----------------------------------------------------------------------------
    def outcome(self) -> CallOutcome:
        return next((o for o, b in self._buttons.items() if b.isChecked()), CallOutcome.HANDLED)

    def set_outcome(self, outcome: CallOutcome) -> None:
        self._buttons[CallOutcome(outcome)].setChecked(True)

    def note(self) -> str | None:
        return self._note.text().strip() or None

    def close_requested(self) -> bool:
        return self._close.isEnabled() and self._close.isChecked()

    def outcome_button(self, outcome: CallOutcome) -> QRadioButton:
        return self._buttons[CallOutcome(outcome)]

    def note_field(self) -> QLineEdit:
        return self._note

    def close_box(self) -> QCheckBox:
        return self._close

    # -- keyboard ----------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """1 to 4 pick an outcome (typing in the note keeps its digits)."""
        key = event.key()
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                      Qt.KeyboardModifier.KeypadModifier)
        digit = int(key) - int(Qt.Key.Key_0)
        if 1 <= digit <= len(self._buttons) and plain and not self._note.hasFocus():
            button = self._group.button(digit)
            button.setChecked(True)
            button.setFocus()
            return
        super().keyPressEvent(event)

    def _outcome_changed(self) -> None:
        self._close.setEnabled(self.outcome() is not CallOutcome.NOT_REACHED)
