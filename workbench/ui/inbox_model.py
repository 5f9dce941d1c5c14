"""The e-consult list as a lazily loaded table model over the store's list queries."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from workbench.services.inbox import (
    ConsultRow,
    InboxQueries,
    ListView,
    WaitState,
    waiting_state,
)
from workbench.store.models import ConsultStatus
from workbench.ui import colours, labels
from workbench.ui.plain_text import reveal_hidden

log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex

# Column numbers, in display order. LIST says which list a search hit is in.
URGENCY, RECEIVED, WAITING, PATIENT, VIA, SUBJECT, PHOTOS, STATUS, ASSIGNEE, LIST = range(10)
COLUMN_COUNT = 10

# The ListView sort key behind each column; None leaves the order alone.
SORT_KEYS: dict[int, str | None] = {
    URGENCY: "urgency", RECEIVED: "received", WAITING: "waiting", PATIENT: "patient", VIA: None,
    SUBJECT: "subject", PHOTOS: "photos", STATUS: "status", ASSIGNEE: "assignee", LIST: "list",
}

_URGENT_COLOUR = QColor(colours.URGENT_MARK)
_ADVICE_COLOUR = QColor(colours.ADVICE_MARK)  # dark amber: 4.5:1 on the list's white
_NEAR_COLOUR = QColor(colours.WAIT_NEAR_BACKGROUND)
_LATE_COLOUR = QColor(colours.WAIT_LATE_BACKGROUND)


class InboxModel(QAbstractTableModel):
    """One row per e-consult of the current ListView. Counts the view and loads the first page
    on `set_view`; further pages arrive through `fetchMore` as the user scrolls. `data()` only
    reads cached rows, never the database.

    Signals:
        (only QAbstractTableModel's own: modelReset, rowsInserted, ...)
    """

    def __init__(self, queries: InboxQueries, clock: Callable[[], datetime],
                 answer_target_days: int = 2, page_size: int = 200,
                 parent: QObject | None = None, reader_id: int | None = None) -> None:
        super().__init__(parent)
        self._queries = queries
        self._clock = clock
        self._reader_id = reader_id  # whose unread rows are bold
        self._answer_target_days = answer_target_days
        self._page_size = max(1, page_size)
        self._view = ListView()
        self._rows: list[ConsultRow] = []
        self._row_by_id: dict[int, int] = {}
        self._total: int | None = 0
        self._fetching = False
        self._bold = QFont()
        self._bold.setBold(True)

    # -- our API -------------------------------------------------------------------------------
    @property
    def view(self) -> ListView:
        return self._view

    @property
    def total(self) -> int:
        """How many e-consults the current view holds (loaded or not). For a search, which is
        not counted ahead (counting every match would slow down typing), the rows found so far
        until the last page is in."""
        return len(self._rows) if self._total is None else self._total

    def set_view(self, view: ListView) -> None:
        """Show another list: a count and the first page."""
        self._load(view, self._page_size)

    def reload(self) -> None:
        """Re-run the current view (after a pull or an action), keeping as many rows loaded."""
        self._load(self._view, max(self._page_size, len(self._rows)))

    def econsult_id(self, row: int) -> int | None:
        if 0 <= row < len(self._rows):
            return self._rows[row].id
        return None

    def row_of(self, econsult_id: int | None) -> int | None:
        """The row of an e-consult among the loaded rows."""
        if econsult_id is None:
            return None
        return self._row_by_id.get(econsult_id)

    def consult_row(self, row: int) -> ConsultRow | None:
        if 0 <= row < len(self._rows):
            return self._rows[row]
        return None

    def any_assigned(self) -> bool:
        """Whether a loaded row has someone assigned."""
        return any(row.assignee_name for row in self._rows)

    @staticmethod
    def sort_key(column: int) -> str | None:
        return SORT_KEYS.get(column)

    def _load(self, view: ListView, wanted: int) -> None:
        self.beginResetModel()
        try:
            self._view = view
            if view.search.strip():
                # No count for a search: one row more than wanted tells whether more exist.
                rows = self._page(view, 0, wanted + 1)
                self._total = None if len(rows) > wanted else len(rows)
                self._rows = rows[:wanted]
            else:
                self._total = self._queries.count(view)
                self._rows = self._page(view, 0, min(wanted, self._total)) \
                    if self._total else []
            self._row_by_id = {row.id: n for n, row in enumerate(self._rows)}
        finally:
            self.endResetModel()

    def _page(self, view: ListView, offset: int, limit: int) -> list[ConsultRow]:
        return self._queries.page(view, offset, limit, for_user=self._reader_id)

    # -- Qt overrides: shape and lazy loading --------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and (self._total is None or len(self._rows) < self._total)

    def fetchMore(self, parent: _Index) -> None:
        if parent.isValid() or self._fetching or not self.canFetchMore(parent):
            return
        self._fetching = True
        try:
            first = len(self._rows)
            wanted = self._page_size if self._total is None \
                else min(self._page_size, self._total - first)
            page = self._page(self._view, first, wanted + 1)
            if self._total is None and len(page) <= wanted:
                self._total = first + len(page)  # the search's last page
            page = page[:wanted]
            # The store may have changed since the count: skip rows we already show.
            fresh = [row for row in page if row.id not in self._row_by_id]
            if not fresh:
                # Fewer rows than counted (or only repeats): stop asking until a reload.
                self._total = first
                return
            if self._total is not None and self._total < first + len(fresh):
                self._total = first + len(fresh)
            last = first + len(fresh) - 1
            self.beginInsertRows(QModelIndex(), first, last)
            for n, row in enumerate(fresh, start=first):
                self._rows.append(row)
                self._row_by_id[row.id] = n
            self.endInsertRows()
        finally:
            self._fetching = False

    # -- Qt overrides: headers and cells -------------------------------------------------------
    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._header_text(section)
        if role == Qt.ItemDataRole.ToolTipRole and section == URGENCY:
            return self.tr("Urgent or possible emergency")
        return None

    def _header_text(self, section: int) -> str:
        return {
            URGENCY: self.tr("!"),
            RECEIVED: self.tr("Received"),
            WAITING: self.tr("Waiting"),
            PATIENT: self.tr("Patient"),
            VIA: self.tr("Via"),
            SUBJECT: self.tr("Subject"),
            PHOTOS: self.tr("Photos"),
            STATUS: self.tr("Status"),
            ASSIGNEE: self.tr("Assigned to"),
            LIST: self.tr("List"),
        }[section]

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | \
            Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if row.unread or column == URGENCY else None
        if role == Qt.ItemDataRole.ForegroundRole and column == URGENCY:
            if row.urgent:
                return QBrush(_URGENT_COLOUR)
            if row.has_advice:
                return QBrush(_ADVICE_COLOUR)
            return None
        if role == Qt.ItemDataRole.BackgroundRole and column == WAITING:
            state = waiting_state(row.waiting_since, self._clock(), self._answer_target_days)
            if state is WaitState.LATE:
                return QBrush(_LATE_COLOUR)
            if state is WaitState.NEAR:
                return QBrush(_NEAR_COLOUR)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == URGENCY:
            # A screen reader says the words, not "exclamation mark".
            return self._tooltip(row, column) or ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == URGENCY:
                return Qt.AlignmentFlag.AlignCenter
            if column in (WAITING, PHOTOS):
                return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            return None
        return None

    def _display(self, row: ConsultRow, column: int) -> str:
        if column == URGENCY:
            return "!" if row.urgent or row.has_advice else ""
        if column == RECEIVED:
            return row.received_at.astimezone().strftime("%d-%m %H:%M")
        if column == WAITING:
            if row.waiting_since is None:
                return ""
            return self._elapsed_text(self._clock() - row.waiting_since)
        if column == PATIENT:
            name = reveal_hidden(row.patient_name)  # no hidden direction or zero-width tricks
            if row.patient_birth_date is None:
                return name
            age = labels.age_label(row.patient_birth_date, self._clock().astimezone().date(),
                                   short=True)
            return self.tr("{name} ({age})").format(name=name, age=age)
        if column == VIA:  # the parent's or carer's name
            return reveal_hidden(row.via or "")
        if column == SUBJECT:
            return row.subject
        if column == PHOTOS:
            return str(row.photo_count) if row.photo_count else ""
        if column == STATUS:
            status = labels.status_label(row.status)
            if row.invite_to_surgery:
                return self.tr("{status} – invited").format(status=status)
            return status
        if column == ASSIGNEE:
            return row.assignee_name or ""
        if column == LIST:
            return self._list_name(row)
        return ""

    def _list_name(self, row: ConsultRow) -> str:
        if row.status is ConsultStatus.WORKLIST and row.assignee_name:
            return self.tr("Worklist: {name}").format(name=row.assignee_name)
        return labels.status_label(row.status)

    def _elapsed_text(self, elapsed: timedelta) -> str:
        minutes = max(0, int(elapsed.total_seconds() // 60))
        days, minutes = divmod(minutes, 24 * 60)
        hours, minutes = divmod(minutes, 60)
        if days:
            return self.tr("{days} d {hours} h").format(days=days, hours=hours)
        if hours:
            return self.tr("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
        return self.tr("{minutes} min").format(minutes=minutes)

    def _tooltip(self, row: ConsultRow, column: int) -> str | None:
        if column == URGENCY:
            if row.urgent:
                return self.tr("Urgent")
            if row.has_advice:
                return self.tr("Possible emergency: alarm words in the text")
            return None
        if column == WAITING and row.waiting_since is not None:
            target = self.tr("Answer target: {days} working days").format(
                days=self._answer_target_days)
            state = waiting_state(row.waiting_since, self._clock(), self._answer_target_days)
            if state is WaitState.LATE:
                return self.tr("{target}. Past the target.").format(target=target)
            if state is WaitState.NEAR:
                return self.tr("{target}. Almost at the target.").format(target=target)
            return target
        return None

    # -- Qt overrides: sorting -----------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Column -1 is the default triage order (urgent, then longest waiting)."""
        if column < 0:
            key: str | None = "default"
        else:
            key = SORT_KEYS.get(column)
            if key is None:
                return
        descending = key != "default" and order == Qt.SortOrder.DescendingOrder
        view = dataclasses.replace(self._view, sort=key, descending=descending)
        if view != self._view:
            self.set_view(view)
