"""The patient's questions as a checklist, ticked off while the answer is written."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from workbench.services.questions import extract_questions


class QuestionChecklist(QWidget):
    """The questions found in the patient's text, each with a box to tick once answered.

    Signals:
        changed(): a question was ticked or unticked, or the questions changed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text: str | None = None
        self._key: object = None
        # The ticks per e-consult (and text), for this session: going to another item and
        # back, or closing it by answering, keeps what was ticked.
        self._ticks: dict[tuple[object, str], set[str]] = {}
        title = QLabel(self.tr("Questions to answer"))
        title.setWordWrap(True)  # a narrow pane (1024x600) wraps the title, not cuts it
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self._list = QListWidget()
        self._list.setAccessibleName(self.tr("Questions to answer"))
        self._list.setWordWrap(True)
        self._list.itemChanged.connect(self._tick_changed)
        self._empty = QLabel(self.tr("No questions found in the patient's message."))
        self._empty.setWordWrap(True)
        self._empty.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self._list, 1)
        layout.addWidget(self._empty)
        self.set_text("")

    def set_text(self, patient_text: str, key: object = None) -> None:
        """Show the questions of this text; the same text again keeps the ticks, and so does
        the same text under the same `key` (an e-consult id) shown again later."""
        if patient_text == self._text and key == self._key:
            return
        self._text, self._key = patient_text, key
        ticked = self._ticks.get((key, patient_text), set()) if key is not None else set()
        self._list.blockSignals(True)
        self._list.clear()
        for question in extract_questions(patient_text or ""):
            item = QListWidgetItem(question)  # plain text: a list item never renders markup
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                          | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Checked if question in ticked
                               else Qt.CheckState.Unchecked)
            item.setToolTip(self.tr("Tick when your answer covers this question"))
            self._list.addItem(item)
        self._list.blockSignals(False)
        self._empty.setVisible(self._list.count() == 0)
        self._list.setVisible(self._list.count() > 0)
        self.changed.emit()

    def _tick_changed(self, _item: QListWidgetItem) -> None:
        if self._key is not None and self._text is not None:
            self._ticks[(self._key, self._text)] = set(self.questions()) - set(self.unticked())
        self.changed.emit()

    def questions(self) -> list[str]:
        return [self._list.item(row).text() for row in range(self._list.count())]

    def unticked(self) -> list[str]:
        return [self._list.item(row).text() for row in range(self._list.count())
                if self._list.item(row).checkState() is not Qt.CheckState.Checked]

    def set_ticked(self, question: str, ticked: bool = True) -> None:
        for row in range(self._list.count()):
            item = self._list.item(row)
            if item.text() == question:
                item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def tick_all(self) -> None:
        for row in range(self._list.count()):
            self._list.item(row).setCheckState(Qt.CheckState.Checked)
