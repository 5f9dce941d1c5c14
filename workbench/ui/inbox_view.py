"""The e-consult list pane: a search field over a lazily loaded table."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.services.inbox import ListView
from workbench.store.models import ConsultStatus
from workbench.ui import inbox_model as columns
from workbench.ui.context import UiContext
from workbench.ui.inbox_model import InboxModel

SEARCH_DELAY_MS = 150
NARROW_LIST_WIDTH = 620  # pixels; below it the "Received" column makes way for the subject

# Columns fit their content up to these widths (average characters), so one long name does
# not take the subject's room; the subject column takes what is left.
_MAX_COLUMN_CHARS = {
    columns.PATIENT: 18, columns.VIA: 9, columns.STATUS: 18, columns.ASSIGNEE: 16,
    columns.LIST: 22,
}
_CELL_MARGIN = 12  # pixels around a cell's text


class InboxView(QWidget):
    """Search field and e-consult table for one ListView at a time. Shows nothing until the
    first `show_view`.

    Signals:
        current_changed(object): the selected e-consult id, or None when nothing is selected
            (not when a search leaves the open e-consult out: it stays open).
    """

    current_changed = Signal(object)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._last_emitted: int | None = None
        self._kept_id: int | None = None
        self._kept_row: int | None = None
        self._take_neighbour = False
        self._search_changing = False
        self._live_changing = False  # taking in another workstation's change
        self._sort_section = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

        self.model = InboxModel(context.queries, context.clock,
                                answer_target_days=context.settings.answer_target_working_days,
                                parent=self, reader_id=context.user.id)

        self.search_field = QLineEdit(self)
        self.search_field.setPlaceholderText(self.tr("Search all lists: message or patient…"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setAccessibleName(self.tr("Search messages"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search_field.textChanged.connect(self._search_timer.start)
        self.search_field.installEventFilter(self)

        self.table = _RowsTable(self)
        self.table.setAccessibleName(self.tr("E-consults"))
        self._set_up_table()
        # An empty list or a search without hits says so in the table itself, where the rows
        # would be: a blank table looks like one still loading.
        self.empty_note = QLabel(self.table.viewport())
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.empty_note.hide()
        self.table.viewport().installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_field)
        layout.addWidget(self.table)

        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._show_useful_columns)
        self.model.modelReset.connect(self._fit_columns)
        self.model.modelReset.connect(self._restore_selection)
        self.model.rowsInserted.connect(lambda *_args: self._show_useful_columns())
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

    def _set_up_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

        rows = table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 8)

        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        header.setSectionResizeMode(columns.SUBJECT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(2 * self._char_width() + 8)
        # The channel is an icon: as wide as one, whatever the rows say.
        header.setSectionResizeMode(columns.CHANNEL, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(columns.CHANNEL, max(header.minimumSectionSize(), 16 + 6))
        # The triage order shows no indicator until the user picks a column.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._on_sort_indicator_changed)

    # -- our API -------------------------------------------------------------------------------
    def show_view(self, view: ListView) -> None:
        """Show another list, keeping the search text and the column the user sorted on."""
        self._search_timer.stop()
        current = self.model.view
        self.model.set_view(dataclasses.replace(
            view, search=self.search_field.text().strip(), sort=current.sort,
            descending=current.descending))

    def reload(self) -> None:
        """Refresh after a pull or an action; the selected e-consult stays selected if it is
        still listed, else the row that took its place is selected."""
        self._take_neighbour = True
        try:
            self.model.reload()
        finally:
            self._take_neighbour = False

    def refresh_changed(self, econsult_ids: set[int] | None) -> None:
        """Take in what another workstation changed (None: anything may have), reloading only
        those rows. The selected e-consult stays selected, and the row at the top stays at the
        top (a list scrolled to its start stays there, so new e-consults show). When the
        selected e-consult leaves the list, it stays open in the pane."""
        bar = self.table.verticalScrollBar()
        at_start = bar.value() == bar.minimum()
        top_id = self.model.econsult_id(self.table.rowAt(0))
        self._live_changing = True
        try:
            moved = self.model.refresh_rows(econsult_ids)
        finally:
            self._live_changing = False
        if moved:
            top = self.model.row_of(top_id)
            if at_start:
                bar.setValue(bar.minimum())
            elif top is not None:
                self.table.scrollTo(self.model.index(top, columns.SUBJECT),
                                    QAbstractItemView.ScrollHint.PositionAtTop)
            self._show_useful_columns()

    def top_visible_id(self) -> int | None:
        """The e-consult in the list's first visible row."""
        return self.model.econsult_id(self.table.rowAt(0))

    def current_econsult_id(self) -> int | None:
        row = self._selected_row()
        return self.model.econsult_id(row) if row is not None else None

    def select_next(self) -> None:
        row = self._selected_row()
        target = 0 if row is None else row + 1
        if target >= self.model.rowCount() and self.model.canFetchMore(self.table.rootIndex()):
            self.model.fetchMore(self.table.rootIndex())
        self._select_row(min(target, self.model.rowCount() - 1))

    def select_previous(self) -> None:
        row = self._selected_row()
        self._select_row(0 if row is None else max(0, row - 1))

    def select_econsult(self, econsult_id: int) -> bool:
        """Select an e-consult among the loaded rows; False if it is not there."""
        row = self.model.row_of(econsult_id)
        if row is None:
            return False
        self._select_row(row)
        return True

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    # -- Qt overrides ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Escape in a filled search field clears it (an empty field lets Escape through)."""
        if watched is self.search_field and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape \
                and self.search_field.text():
            self._clear_search()
            return True
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.empty_note.setGeometry(self.table.viewport().rect())
        return super().eventFilter(watched, event)

    # -- internals -----------------------------------------------------------------------------
    def _selected_row(self) -> int | None:
        selected = self.table.selectionModel().selectedRows()
        return selected[0].row() if selected else None

    def _select_row(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            return
        index = self.model.index(row, columns.SUBJECT)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def _apply_search(self) -> None:
        text = self.search_field.text().strip()
        if text != self.model.view.search:
            self._search_changing = True
            try:
                self.model.set_view(dataclasses.replace(self.model.view, search=text))
            finally:
                self._search_changing = False

    def _clear_search(self) -> None:
        self.search_field.clear()
        self._search_timer.stop()
        self._apply_search()

    def _searching(self) -> bool:
        return bool(self.model.view.search)

    def _show_useful_columns(self) -> None:
        """Hide columns that would say the same, or nothing, on every row, so the subject has
        room. While searching, the list column says where each hit is (and whose worklist)."""
        view, searching = self.model.view, self._searching()
        self.table.setColumnHidden(columns.LIST, not searching)
        # Portal or secure mail: only while the list holds mail (a practice without mail
        # keeps the room for the subject).
        self.table.setColumnHidden(columns.CHANNEL, not self.model.any_mail())
        self.table.setColumnHidden(columns.STATUS, searching or view.status in (
            ConsultStatus.INBOX, ConsultStatus.WORKLIST, ConsultStatus.CLOSED))
        self.table.setColumnHidden(columns.ASSIGNEE, searching or view.assignee_id is not None
                                   or not self.model.any_assigned())
        self.empty_note.setText(self.tr("No results") if searching
                                else self.tr("No e-consults in this list"))
        self.empty_note.setVisible(self.model.rowCount() == 0)
        # A narrow list (a 1024x600 screen): the waiting time says enough, the subject needs
        # the room more than the time received.
        self.table.setColumnHidden(columns.RECEIVED, self._narrow())

    def _narrow(self) -> bool:
        return self.width() < NARROW_LIST_WIDTH

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.table.isColumnHidden(columns.RECEIVED) != self._narrow():
            self._show_useful_columns()
            self._fit_columns()

    def _char_width(self) -> int:
        # Unread rows are bold: measure with the bold font so nothing is cut off.
        bold = QFont(self.table.font())
        bold.setBold(True)
        return max(1, QFontMetrics(bold).averageCharWidth())

    def _fit_columns(self) -> None:
        """Each shown column as wide as its title and the rows in view need, within its limit.
        (Not the header's own size hint: that keeps room for a sort arrow on every column.)
        The rows' text is measured here rather than by the view's size hints, which ask the
        model for every role of every cell: a search refits at each letter typed."""
        header = self.table.horizontalHeader()
        char = self._char_width()
        title_metrics = header.fontMetrics()
        normal = QFontMetrics(self.table.font())
        bold_font = QFont(self.table.font())
        bold_font.setBold(True)
        bold = QFontMetrics(bold_font)
        first, last = self._rows_in_view()
        for column in range(self.model.columnCount()):
            if column in (columns.SUBJECT, columns.CHANNEL) or self.table.isColumnHidden(column):
                continue
            title = self.model.headerData(column, Qt.Orientation.Horizontal)
            texts = self.model.cell_texts(column, first, last)
            cells = max(((bold if is_bold else normal).horizontalAdvance(text)
                         for text, is_bold in texts), default=0)
            width = max(cells, title_metrics.horizontalAdvance(title)) + _CELL_MARGIN
            limit = _MAX_COLUMN_CHARS.get(column)
            if limit is not None:
                width = min(width, limit * char + _CELL_MARGIN)
            header.resizeSection(column, width)

    def _rows_in_view(self) -> tuple[int, int]:
        """The first and last row the table shows (every loaded row while it is hidden)."""
        rows = self.model.rowCount()
        if not self.table.isVisible():
            return 0, rows - 1
        first = max(0, self.table.rowAt(0))
        last = self.table.rowAt(self.table.viewport().height() - 1)
        return first, rows - 1 if last < 0 else last

    def _remember_selection(self) -> None:
        self._kept_row = self._selected_row()
        # The open e-consult, also when a search left it out of the rows (it stays open).
        self._kept_id = self._last_emitted

    def _restore_selection(self) -> None:
        row = self.model.row_of(self._kept_id)
        if row is None and self._take_neighbour and self._kept_row is not None \
                and self.model.rowCount():
            row = min(self._kept_row, self.model.rowCount() - 1)
        if row is not None:
            self._select_row(row)
        elif self._searching() or self._search_changing:
            return  # a search never closes the open e-consult: the pane keeps it
        self._emit_if_changed()

    def _on_selection_changed(self, _selected: QItemSelection,
                              _deselected: QItemSelection) -> None:
        if self._live_changing:
            return  # a colleague's change moves rows: the open e-consult stays open
        self._emit_if_changed()

    def _emit_if_changed(self) -> None:
        econsult_id = self.current_econsult_id()
        if econsult_id != self._last_emitted:
            self._last_emitted = econsult_id
            self.current_changed.emit(econsult_id)

    def _on_sort_indicator_changed(self, section: int, order: Qt.SortOrder) -> None:
        if section >= 0 and self.model.sort_key(section) is None:
            # A column the store cannot sort on: put the indicator back.
            header = self.table.horizontalHeader()
            blocked = header.blockSignals(True)
            header.setSortIndicator(self._sort_section, self._sort_order)
            header.blockSignals(blocked)
            return
        self._sort_section, self._sort_order = section, order


class _RowsTable(QTableView):
    """A list of whole rows: Home and End go to the first and the last row loaded, as in a
    mail client. Qt's table moves along the row's columns there, which shows nothing when
    whole rows are selected; more rows load as the end is reached, so End again goes on."""

    def moveCursor(self, action: QAbstractItemView.CursorAction,  # noqa: N802 - Qt's name
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        if action in (QAbstractItemView.CursorAction.MoveHome,
                      QAbstractItemView.CursorAction.MoveEnd):
            modifiers |= Qt.KeyboardModifier.ControlModifier
        return super().moveCursor(action, modifiers)
