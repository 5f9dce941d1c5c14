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
from PySide6.QtGui import QBrush, QColor, QFont, QIcon

from workbench.services.inbox import (
    ConsultRow,
    InboxQueries,
    ListView,
    WaitState,
    waiting_state,
)
from workbench.services.presence import PresenceInfo
from workbench.store.models import ConsultStatus
from workbench.ui import colours, labels
from workbench.ui.channel_icon import channel_icon, channel_tooltip
from workbench.ui.navigation import badge_icon, initials
from workbench.ui.plain_text import reveal_hidden
from workbench.ui.presence_line import presence_lines

log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex

# Column numbers, in display order. CHANNEL is an icon (portal or secure mail); LIST says
# which list a search hit is in.
URGENCY, CHANNEL, RECEIVED, WAITING, PATIENT, VIA, SUBJECT, PHOTOS, STATUS, ASSIGNEE, LIST = \
    range(11)
COLUMN_COUNT = 11

# The ListView sort key behind each column; None leaves the order alone.
SORT_KEYS: dict[int, str | None] = {
    URGENCY: "urgency", CHANNEL: None, RECEIVED: "received", WAITING: "waiting",
    PATIENT: "patient", VIA: None,
    SUBJECT: "subject", PHOTOS: "photos", STATUS: "status", ASSIGNEE: "assignee", LIST: "list",
}

# Roles and flags looked up once: data() runs for every role of every painted cell, and an
# enum member looked up on its class costs more than the rest of a call.
_DISPLAY = Qt.ItemDataRole.DisplayRole
_USER = Qt.ItemDataRole.UserRole
_DECORATION = Qt.ItemDataRole.DecorationRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ACCESSIBLE_DESCRIPTION = Qt.ItemDataRole.AccessibleDescriptionRole
_ACCESSIBLE_TEXT = Qt.ItemDataRole.AccessibleTextRole
_FONT = Qt.ItemDataRole.FontRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
# The roles data() answers; the delegate also asks for check state and size hints.
_ROLES = frozenset({_DISPLAY, _USER, _DECORATION, _TOOLTIP, _ACCESSIBLE_DESCRIPTION,
                    _ACCESSIBLE_TEXT, _FONT, _FOREGROUND, _BACKGROUND, _ALIGNMENT})
_CENTRED = Qt.AlignmentFlag.AlignCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | \
    Qt.ItemFlag.ItemNeverHasChildren
_NO_FLAGS = Qt.ItemFlag.NoItemFlags

_URGENT_COLOUR = QColor(colours.URGENT_MARK)
_ADVICE_COLOUR = QColor(colours.ADVICE_MARK)  # dark amber: 4.5:1 on the list's white
_NEAR_COLOUR = QColor(colours.WAIT_NEAR_BACKGROUND)
_LATE_COLOUR = QColor(colours.WAIT_LATE_BACKGROUND)

# Who else has rows open (PresenceService.active for a list of e-consult ids).
PresenceSource = Callable[[list[int]], dict[int, list[PresenceInfo]]]
_BADGES: dict[tuple[str, str], QIcon] = {}  # drawn once per initials and colour


class InboxModel(QAbstractTableModel):
    """One row per e-consult of the current ListView. Counts the view and loads the first page
    on `set_view`; further pages arrive through `fetchMore` as the user scrolls. `data()` only
    reads cached rows, never the database. `refresh_rows` takes in what other workstations
    changed, reloading only those rows; with a presence source (several workstations) the
    subject shows the badge of a colleague who has the e-consult open.

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
        self._presence_source: PresenceSource | None = None
        self._presence: dict[int, list[PresenceInfo]] = {}
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
        """Show another list: its count and first page (one query)."""
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

    def any_mail(self) -> bool:
        """Whether a loaded row came by secure mail (else the channel says "portal" on every
        row, and a view may leave the column out)."""
        return any(row.channel == "mail" for row in self._rows)

    @staticmethod
    def sort_key(column: int) -> str | None:
        return SORT_KEYS.get(column)

    # -- live changes from other workstations --------------------------------------------------
    def set_presence_source(self, source: PresenceSource | None) -> None:
        """Where the colleagues' presence comes from (None: one workstation, nothing shown)."""
        self._presence_source = source
        self.refresh_presence(None)

    def presence(self, econsult_id: int) -> list[PresenceInfo]:
        """Who else has this e-consult open, as last read."""
        return list(self._presence.get(econsult_id, []))

    def refresh_presence(self, econsult_ids: set[int] | None) -> None:
        """Read the presence of these loaded rows again (None: of every loaded row)."""
        loaded = [row.id for row in self._rows] if econsult_ids is None \
            else [i for i in econsult_ids if i in self._row_by_id]
        if not loaded:
            return
        found = self._read_presence(loaded)
        changed = [i for i in loaded if self._presence.get(i, []) != found.get(i, [])]
        for econsult_id in changed:
            if found.get(econsult_id):
                self._presence[econsult_id] = found[econsult_id]
            else:
                self._presence.pop(econsult_id, None)
        for econsult_id in changed:
            row = self._row_by_id[econsult_id]
            self.dataChanged.emit(self.index(row, SUBJECT), self.index(row, SUBJECT))

    def _read_presence(self, econsult_ids: list[int]) -> dict[int, list[PresenceInfo]]:
        if self._presence_source is None or not econsult_ids:
            return {}
        try:
            return self._presence_source(econsult_ids)
        except Exception as exc:  # noqa: BLE001 - a courtesy: the list works without it
            log.warning("presence not read: %s", type(exc).__name__)
            return {}

    def refresh_rows(self, econsult_ids: set[int] | None) -> bool:
        """Take in changes made elsewhere to these e-consults (None: anything may have
        changed), reading only the rows that changed. Rows that stay keep their place and
        report dataChanged; rows that left the view are removed, new ones inserted, and a
        changed order is a layout change, so persistent indexes (the selection) follow their
        e-consult. True when membership or order of the loaded rows changed."""
        # A view asks for more rows as rows go: not until the loaded rows are consistent.
        self._fetching = True
        try:
            return self._refresh_rows(econsult_ids)
        finally:
            self._fetching = False

    def _refresh_rows(self, econsult_ids: set[int] | None) -> bool:
        view = self._view
        window = max(len(self._rows), self._page_size)
        listed = self._queries.ids(view, limit=window + 1)
        more, listed = len(listed) > window, listed[:window]
        if view.search.strip():
            total: int | None = None if more else len(listed)
        else:
            total = self._queries.count(view) if more else len(listed)
        old_ids = [row.id for row in self._rows]
        old, new = set(old_ids), set(listed)
        wanted = new if econsult_ids is None else (econsult_ids & old & new) | (new - old)
        fresh = {row.id: row for row in self._page(view, 0, len(wanted), among=wanted)} \
            if wanted else {}
        # A row that changed again between the two reads: the next notification brings it.
        listed = [i for i in listed if i in fresh or (i in old and i not in wanted)]
        kept = set(listed)
        self._total = total
        reordered = self._remove_rows([n for n, i in enumerate(old_ids) if i not in kept])
        entering = [fresh[i] for i in listed if i not in old]
        if entering:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(entering) - 1)
            self._rows.extend(entering)
            self._row_by_id.update({row.id: n for n, row in enumerate(entering, start=first)})
            self.endInsertRows()
        if [row.id for row in self._rows] != listed:
            self._reorder(listed)
            reordered = True
        reordered = reordered or bool(entering)
        for econsult_id, row in fresh.items():
            n = self._row_by_id.get(econsult_id)
            if n is not None and econsult_id in old:
                self._rows[n] = row
                self.dataChanged.emit(self.index(n, 0), self.index(n, COLUMN_COUNT - 1))
        if entering:
            found = self._read_presence([row.id for row in entering])
            self._presence.update({i: found[i] for i in found})
        return reordered

    def _remove_rows(self, rows: list[int]) -> bool:
        """Remove these row numbers, in blocks from the last up."""
        for block in reversed(_blocks(rows)):
            self.beginRemoveRows(QModelIndex(), block[0], block[-1])
            for n in reversed(block):
                self._presence.pop(self._rows[n].id, None)
                del self._rows[n]
            self.endRemoveRows()
        if rows:
            self._row_by_id = {row.id: n for n, row in enumerate(self._rows)}
        return bool(rows)

    def _reorder(self, order: list[int]) -> None:
        self.layoutAboutToBeChanged.emit()
        before = [row.id for row in self._rows]
        by_id = {row.id: row for row in self._rows}
        self._rows = [by_id[i] for i in order]
        self._row_by_id = {row.id: n for n, row in enumerate(self._rows)}
        moved_from, moved_to = [], []
        for index in self.persistentIndexList():
            # The persistent indexes still point at the old rows: map them by id.
            old_row = index.row()
            new_row = self._row_by_id.get(before[old_row]) if 0 <= old_row < len(before) \
                else None
            moved_from.append(index)
            moved_to.append(self.index(new_row, index.column()) if new_row is not None
                            else QModelIndex())
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

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
                # The count and the first rows in one query.
                self._total, self._rows = self._queries.first_page(
                    view, wanted, for_user=self._reader_id)
            self._row_by_id = {row.id: n for n, row in enumerate(self._rows)}
            self._presence = self._read_presence([row.id for row in self._rows])
        finally:
            self.endResetModel()

    def _page(self, view: ListView, offset: int, limit: int,
              among: set[int] | None = None) -> list[ConsultRow]:
        if among is None:
            return self._queries.page(view, offset, limit, for_user=self._reader_id)
        return self._queries.page(view, offset, limit, for_user=self._reader_id, among=among)

    # -- Qt overrides: shape and lazy loading --------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and not self._fetching and \
            (self._total is None or len(self._rows) < self._total)

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
            self._presence.update(self._read_presence([row.id for row in fresh]))
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
        if role == Qt.ItemDataRole.ToolTipRole and section == CHANNEL:
            return self.tr("Came by the portal or by secure mail")
        return None

    def _header_text(self, section: int) -> str:
        return {
            URGENCY: self.tr("!"),
            CHANNEL: "",  # an icon column: the header's tooltip says what it is
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
        return _ROW_FLAGS if index.isValid() else _NO_FLAGS

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if role not in _ROLES or not index.isValid():
            return None
        number = index.row()
        if number >= len(self._rows):
            return None
        row = self._rows[number]
        column = index.column()
        if role == _DISPLAY:
            return self._display(row, column)
        if role == _USER:
            return row.id
        if column == SUBJECT and row.id in self._presence:
            if role == _DECORATION:
                return self._presence_badge(self._presence[row.id])
            if role == _TOOLTIP or role == _ACCESSIBLE_DESCRIPTION:
                return presence_lines(self._presence[row.id])
        if column == CHANNEL:
            if role == _DECORATION:
                return channel_icon(row.channel)
            if role == _TOOLTIP or role == _ACCESSIBLE_TEXT:
                return channel_tooltip(row.channel)  # a screen reader says the words
            if role == _ALIGNMENT:
                return _CENTRED
            return None
        if role == _FONT:
            return self._bold if row.unread or column == URGENCY else None
        if role == _FOREGROUND:
            if column != URGENCY:
                return None
            if row.urgent:
                return QBrush(_URGENT_COLOUR)
            if row.has_advice:
                return QBrush(_ADVICE_COLOUR)
            return None
        if role == _BACKGROUND:
            if column != WAITING:
                return None
            state = waiting_state(row.waiting_since, self._clock(), self._answer_target_days)
            if state is WaitState.LATE:
                return QBrush(_LATE_COLOUR)
            if state is WaitState.NEAR:
                return QBrush(_NEAR_COLOUR)
            return None
        if role == _TOOLTIP:
            return self._tooltip(row, column)
        if role == _ACCESSIBLE_TEXT and column == URGENCY:
            # A screen reader says the words, not "exclamation mark".
            return self._tooltip(row, column) or ""
        if role == _ALIGNMENT:
            if column == URGENCY:
                return _CENTRED
            if column in (WAITING, PHOTOS):
                return _RIGHT
            return None
        return None

    def cell_texts(self, column: int, first: int, last: int) -> list[tuple[str, bool]]:
        """The text of a column in loaded rows first..last, and whether it is shown bold (to
        measure a column without asking data() for every role of every cell)."""
        rows = self._rows[max(0, first):last + 1]
        return [(self._display(row, column), row.unread or column == URGENCY) for row in rows]

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

    @staticmethod
    def _presence_badge(infos: list[PresenceInfo]) -> QIcon:
        """The initials of who has it open: amber while answering, blue while looking."""
        first = infos[0]  # whoever answers comes first
        background = colours.CAUTION_TEXT if first.answering else colours.BADGE_BACKGROUND
        key = (initials(first.name), background)
        icon = _BADGES.get(key)
        if icon is None:
            icon = _BADGES[key] = badge_icon(*key)
        return icon

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


def _blocks(rows: list[int]) -> list[list[int]]:
    """Ascending row numbers in runs of consecutive ones: [1, 2, 5] -> [[1, 2], [5]]."""
    blocks: list[list[int]] = []
    for n in sorted(rows):
        if blocks and blocks[-1][-1] == n - 1:
            blocks[-1].append(n)
        else:
            blocks.append([n])
    return blocks
