"""Dialog to assign an e-consult to a colleague's own worklist (assistants' too)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from workbench.services.inbox import PractitionerInfo
from workbench.services.rights import Permission, allowed
from workbench.ui import labels


def assignable(people: list[PractitionerInfo]) -> list[PractitionerInfo]:
    """Who can take an e-consult into an own worklist: everyone who triages."""
    return [person for person in people if allowed(person.role, Permission.TRIAGE)]


class AssignDialog(QDialog):
    """Choose the colleague; Enter assigns. Signals: QDialog's."""

    def __init__(self, people: list[PractitionerInfo], parent: QWidget | None = None, *,
                 current: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Assign"))
        self.setMinimumWidth(360)
        self._person = QComboBox()
        self._person.setAccessibleName(self.tr("Assign to"))
        for person in assignable(people):
            self._person.addItem(labels.person_label(person.name, person.role), person.id)
        if current is not None and self._person.findData(current) >= 0:
            self._person.setCurrentIndex(self._person.findData(current))
        form = QFormLayout()
        form.addRow(self.tr("&To:"), self._person)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Assign"))
        ok.setDefault(True)
        ok.setEnabled(self._person.count() > 0)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def practitioner_id(self) -> int | None:
        return self._person.currentData()

    def practitioner_name(self) -> str:
        return self._person.currentText()
