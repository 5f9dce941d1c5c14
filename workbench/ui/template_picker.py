"""Keyboard-first pick lists: answer templates (grouped by category) and ICPC codes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.services.templates import TemplateInfo, TemplateService, grouped
from workbench.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from workbench.services.his_export import IcpcCode

_VALUE = Qt.ItemDataRole.UserRole


class _SearchPicker(QDialog):
    """A search field over a tree of choices: typing filters, the arrow keys move from the field
    into the tree, Enter or a double click picks, Escape cancels.

    Signals: QDialog's (accepted, rejected, finished).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chosen: Any = None
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.currentItemChanged.connect(lambda current, _previous: self._current(current))
        self.search.textChanged.connect(lambda text: self.fill(text))
        self.search.installEventFilter(self)
        self.tree.installEventFilter(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.pick_current)
        self.buttons.rejected.connect(self.reject)
        self._empty = QLabel()  # each picker says "nothing found" in its own words
        self._empty.setEnabled(False)

    # -- to fill in by the concrete pickers ----------------------------------------------------
    def entries(self, query: str) -> list[tuple[str, list[tuple[str, Any]]]]:
        """Groups of (label, value); a group with an empty name shows its entries at the top."""
        raise NotImplementedError

    def _current(self, item: QTreeWidgetItem | None) -> None:
        """The highlighted entry changed (a preview may follow it)."""

    # -- behaviour -------------------------------------------------------------------------------
    def fill(self, query: str = "") -> None:
        self.tree.clear()
        first: QTreeWidgetItem | None = None
        for group, values in self.entries(query):
            parent: QTreeWidget | QTreeWidgetItem = self.tree
            if group:
                header = QTreeWidgetItem([group])
                header.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = header.font(0)
                font.setBold(True)
                header.setFont(0, font)
                self.tree.addTopLevelItem(header)
                header.setExpanded(True)
                parent = header
            for label, value in values:
                item = QTreeWidgetItem([label])
                item.setData(0, _VALUE, value)
                item.setToolTip(0, label)
                if isinstance(parent, QTreeWidgetItem):
                    parent.addChild(item)
                else:
                    parent.addTopLevelItem(item)
                first = first or item
        self.tree.expandAll()
        self._empty.setVisible(first is None)
        if first is not None:
            self.tree.setCurrentItem(first)
        else:
            self._current(None)

    def values(self) -> list[Any]:
        """What the tree offers now, top to bottom."""
        found = []
        for top in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(top)
            if item.data(0, _VALUE) is not None:
                found.append(item.data(0, _VALUE))
            for child in range(item.childCount()):
                found.append(item.child(child).data(0, _VALUE))
        return found

    def groups(self) -> list[tuple[str, list[str]]]:
        """Category headers with the labels under them, as shown."""
        shown = []
        for top in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(top)
            if item.childCount():
                shown.append((item.text(0), [item.child(n).text(0)
                                             for n in range(item.childCount())]))
        return shown

    def chosen(self) -> Any:
        return self._chosen

    def pick_current(self) -> None:
        item = self.tree.currentItem()
        if item is None or item.data(0, _VALUE) is None:
            return
        self._chosen = item.data(0, _VALUE)
        self.accept()

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, _VALUE) is not None:
            self.tree.setCurrentItem(item)
            self.pick_current()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search and key in (Qt.Key.Key_Down, Qt.Key.Key_Up,
                                                  Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self.tree.setFocus()
                self._step(1 if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and watched in (self.search,
                                                                              self.tree):
                self.pick_current()
                return True
            if watched is self.tree and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._step(1 if key == Qt.Key.Key_Down else -1)
                return True
            if watched is self.tree and event.text() and event.text().isprintable() \
                    and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier:
                # Typing in the list goes on in the search field.
                self.search.setFocus()
                self.search.insert(event.text())
                return True
        return super().eventFilter(watched, event)

    def _step(self, direction: int) -> None:
        """Move the highlight to the next pickable entry, skipping category headers."""
        items = self._pickable_items()
        if not items:
            return
        current = self.tree.currentItem()
        position = items.index(current) if current in items else -1
        if position == -1:
            target = items[0] if direction > 0 else items[-1]
        else:
            target = items[max(0, min(len(items) - 1, position + direction))]
        self.tree.setCurrentItem(target)

    def _pickable_items(self) -> list[QTreeWidgetItem]:
        items = []
        for top in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(top)
            if item.data(0, _VALUE) is not None:
                items.append(item)
            items.extend(item.child(n) for n in range(item.childCount()))
        return items


class TemplatePicker(_SearchPicker):
    """Choose an answer template: search as you type (accents and case do not matter), grouped
    by category with the most used first, a preview of the text under the list.

    Signals: QDialog's; `chosen()` holds the template after `accepted`.
    """

    def __init__(self, templates: TemplateService, user_id: int, parent: QWidget | None = None,
                 *, tasks: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self._templates = templates
        self._user_id = user_id
        self._tasks = tasks
        self.setWindowTitle(self.tr("Insert a template"))
        self.search.setPlaceholderText(self.tr("Search templates: name, keyword or text"))
        self._empty.setText(self.tr("No template found"))
        self.search.setAccessibleName(self.tr("Search templates"))
        self.tree.setAccessibleName(self.tr("Templates"))
        self._preview = QPlainTextEdit()
        self._preview.setReadOnly(True)
        self._preview.setAccessibleName(self.tr("Template text"))
        self._preview.setMaximumHeight(140)
        self.manage_button = QPushButton(self.tr("Manage templates…"))
        self.manage_button.setAutoDefault(False)
        self.manage_button.clicked.connect(lambda _checked=False: self.open_editor())
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self._empty)
        layout.addWidget(self._preview)
        row = QHBoxLayout()
        row.addWidget(self.manage_button)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout.addLayout(row)
        self.resize(520, 560)
        self.fill("")
        self.search.setFocus()

    def entries(self, query: str) -> list[tuple[str, list[tuple[str, Any]]]]:
        found = self._templates.search(query.strip(), self._user_id)
        return [(category or self.tr("Other"), [(t.name, t) for t in items])
                for category, items in grouped(found)]

    def _current(self, item: QTreeWidgetItem | None) -> None:
        template = item.data(0, _VALUE) if item is not None else None
        self._preview.setPlainText(template.body if isinstance(template, TemplateInfo) else "")

    def chosen(self) -> TemplateInfo | None:
        return self._chosen

    def open_editor(self) -> None:
        from workbench.ui.template_editor import TemplateEditor
        editor = TemplateEditor(self._templates, self._user_id, self, tasks=self._tasks)
        editor.finished.connect(lambda _result: self.fill(self.search.text()))
        editor.finished.connect(editor.deleteLater)
        editor.open()


class IcpcPicker(_SearchPicker):
    """Choose the ICPC code of the episode a journal entry goes under.

    Signals: QDialog's; `chosen()` holds the IcpcCode after `accepted`.
    """

    def __init__(self, parent: QWidget | None = None,
                 codes: Callable[[], list[IcpcCode]] | None = None, *,
                 suggestion: IcpcCode | None = None) -> None:
        super().__init__(parent)
        from workbench.services import his_export
        self._codes = codes or his_export.load_icpc_codes
        # A code guessed from the question: offered at the top, never chosen unasked.
        self._suggestion = suggestion
        self.suggestion_label = QLabel()
        self.suggestion_label.setTextFormat(Qt.TextFormat.PlainText)
        self.suggestion_label.setWordWrap(True)
        if suggestion is not None:
            self.suggestion_label.setText(self.tr(
                "Suggestion from the question: {code} {title} (not chosen: pick it with the "
                "arrow keys, or search)").format(code=suggestion.code, title=suggestion.title))
        self.suggestion_label.setVisible(suggestion is not None)
        self._search_codes = his_export.search_icpc
        self.setWindowTitle(self.tr("ICPC code for the journal"))
        self.search.setPlaceholderText(self.tr("Search by code or title"))
        self._empty.setText(self.tr("No code found"))
        self.search.setAccessibleName(self.tr("Search ICPC codes"))
        self.tree.setAccessibleName(self.tr("ICPC codes"))
        self.tree.setRootIsDecorated(False)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Under which episode does this go in the journal?")))
        layout.addWidget(self.suggestion_label)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self._empty)
        layout.addWidget(self.buttons)
        self.resize(420, 480)
        self.fill("")
        self.search.setFocus()

    def entries(self, query: str) -> list[tuple[str, list[tuple[str, Any]]]]:
        codes = self._search_codes(query.strip()) if query.strip() else self._codes()
        if query.strip() or self._suggestion is None:
            return [("", [(f"{c.code}  {c.title}", c) for c in codes])]
        suggestion = self._suggestion
        return [(self.tr("Suggestion"), [(f"{suggestion.code}  {suggestion.title}", suggestion)]),
                (self.tr("All codes"), [(f"{c.code}  {c.title}", c) for c in codes])]

    def fill(self, query: str = "") -> None:
        """Without a search nothing is highlighted: Enter then codes nothing (no A01 by
        accident); typing a search highlights the best match, the arrow keys choose."""
        super().fill(query)
        if not query.strip():
            self.tree.setCurrentItem(None)
            self.tree.clearSelection()

    def suggestion(self) -> IcpcCode | None:
        return self._suggestion

    def chosen(self) -> IcpcCode | None:
        return self._chosen
