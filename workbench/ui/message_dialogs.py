"""Dialogs that ask for the words an action carries before it is done: the message to the
patient with an invitation to the surgery, the note to the assistants with a send-back."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.services.templates import find_unresolved

INVITE_TEMPLATE_KEY = "afspraak.kom_spreekuur"


class TextActionDialog(QDialog):
    """A text field (plain text only) and a confirm button. `required`: OK only with text,
    and never with a variable still to fill in.

    Signals: QDialog's (accepted when the text may go).
    """

    def __init__(self, title: str, explanation: str, confirm: str, *, required: bool,
                 text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._required = required
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(explanation)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlainText(text)
        self.text_edit.setTabChangesFocus(True)  # Tab reaches the buttons, keyboard first
        self.text_edit.setAccessibleName(title)
        label.setBuddy(self.text_edit)
        layout.addWidget(self.text_edit, 1)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(confirm)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.text_edit.textChanged.connect(self._update)
        self.resize(560, 380 if text else 240)
        self._update()
        self.text_edit.setFocus()

    def text(self) -> str:
        return self.text_edit.toPlainText().strip()

    def _problem_text(self) -> str:
        unresolved = find_unresolved(self.text_edit.toPlainText())
        if unresolved:
            return self.tr("Fill in %1 first.").replace(
                "%1", ", ".join(f"{{{u.name}}}" for u in unresolved))
        return ""

    def _update(self) -> None:
        problem = self._problem_text()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        ok = not problem and (bool(self.text()) or not self._required)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def accept(self) -> None:
        if self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled():
            super().accept()


class InviteDialog(TextActionDialog):
    """Ctrl+I: the invitation goes with a message to the patient, from the invitation
    template, to change before it goes."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Invite to the surgery"),
            self.tr("The patient gets this message and is asked to make an appointment. "
                    "The e-consult waits in \u201cWaiting\u201d until then."),
            self.tr("Invite and send"), required=True, text=text, parent=parent)


class SendBackDialog(TextActionDialog):
    """Ctrl+B: back to the assistants, with a note for them (may be empty)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Send back to assistants"),
            self.tr("Note for the assistants (optional), e.g. what to tell the patient:"),
            self.tr("Send back"), required=False, parent=parent)
