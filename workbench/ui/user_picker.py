"""Dialog asking who is working at this workstation."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.services.inbox import PractitionerInfo
from workbench.ui import labels


class UserPicker(QDialog):
    """The practice's practitioners with their roles; the remembered one preselected.
    Double-click or Enter accepts.

    Signals: QDialog's (accepted, rejected, finished).
    """

    def __init__(self, practitioners: list[PractitionerInfo], remembered_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Who is working?"))
        self.setMinimumSize(320, 300)
        self._people = list(practitioners)
        self._list = QListWidget()
        self._list.setAccessibleName(self.tr("Practitioners"))
        current = 0
        for row, person in enumerate(practitioners):
            item = QListWidgetItem(labels.person_label(person.name, person.role))
            self._list.addItem(item)
            if person.id == remembered_id:
                current = row
        if practitioners:
            self._list.setCurrentRow(current)
        self._list.itemDoubleClicked.connect(lambda _item: self.accept())

        label = QLabel(self.tr("&Who is working?"))
        label.setBuddy(self._list)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        ok = box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setDefault(True)
        ok.setEnabled(bool(practitioners))

        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self._list, 1)
        layout.addWidget(box)
        self._list.setFocus()

    def chosen(self) -> PractitionerInfo | None:
        row = self._list.currentRow()
        return self._people[row] if 0 <= row < len(self._people) else None
