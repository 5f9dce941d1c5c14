"""Dialog to route an e-consult to a GP's or practice nurse's worklist."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workbench.services.inbox import PractitionerInfo
from workbench.store.models import Role, Urgency
from workbench.ui import labels


class RouteDialog(QDialog):
    """Choose a clinician (GP or practice nurse), a priority and a note for them.

    Keyboard: Tab moves through the fields, Enter accepts (Ctrl+Enter from inside the note).

    Signals: QDialog's (accepted, rejected, finished).
    """

    def __init__(self, practitioners: list[PractitionerInfo], parent: QWidget | None = None, *,
                 priority: Urgency = Urgency.NORMAL) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Route to worklist"))
        self.setMinimumWidth(420)

        self._practitioner = QComboBox()
        for person in practitioners:
            if person.role in (Role.GP, Role.POH):
                self._practitioner.addItem(labels.person_label(person.name, person.role),
                                           person.id)

        self._normal = QRadioButton(labels.urgency_label(Urgency.NORMAL))
        self._urgent = QRadioButton(labels.urgency_label(Urgency.URGENT))
        self._priority = QButtonGroup(self)
        self._priority.addButton(self._normal)
        self._priority.addButton(self._urgent)
        (self._urgent if priority is Urgency.URGENT else self._normal).setChecked(True)
        priority_row = QHBoxLayout()
        priority_row.addWidget(self._normal)
        priority_row.addWidget(self._urgent)
        priority_row.addStretch(1)

        self._note = QPlainTextEdit()
        self._note.setTabChangesFocus(True)
        self._note.setPlaceholderText(self.tr("What should the doctor know or do?"))
        self._note.setAccessibleName(self.tr("Note for the doctor"))

        form = QFormLayout()
        form.addRow(self.tr("&To:"), self._practitioner)
        form.addRow(self.tr("Priority:"), priority_row)
        note_label = QLabel(self.tr("&Note for the doctor:"))
        note_label.setBuddy(self._note)
        form.addRow(note_label, self._note)

        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                         | QDialogButtonBox.StandardButton.Cancel)
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        ok = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Route"))
        ok.setDefault(True)
        ok.setEnabled(self._practitioner.count() > 0)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._accept_if_possible)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._buttons)

        QWidget.setTabOrder(self._practitioner, self._normal)
        QWidget.setTabOrder(self._normal, self._urgent)
        QWidget.setTabOrder(self._urgent, self._note)
        QWidget.setTabOrder(self._note, self._buttons)
        self._practitioner.setFocus()

    def _accept_if_possible(self) -> None:
        if self._practitioner.count() > 0:
            self.accept()

    def select_practitioner(self, practitioner_id: int) -> bool:
        """Preselect someone (e.g. the current assignee); False when not in the list."""
        index = self._practitioner.findData(practitioner_id)
        if index >= 0:
            self._practitioner.setCurrentIndex(index)
        return index >= 0

    def result_values(self) -> tuple[int, Urgency, str]:
        """(practitioner id, priority, note); the note stripped, possibly empty."""
        priority = Urgency.URGENT if self._urgent.isChecked() else Urgency.NORMAL
        return self._practitioner.currentData(), priority, self._note.toPlainText().strip()
