"""The list of lists on the left: inbox, worklists, waiting for patient, closed, with counts;
"Onbekende afzender" (mail from an address no patient is known by) while it is not empty; and
"Niet verwerkt" (what the portal sent that cannot be shown), in red, while it is not empty."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from workbench.services.inbox import ListView, PractitionerInfo
from workbench.services.rights import Permission, allowed
from workbench.store.models import ConsultStatus, Role
from workbench.ui import colours, labels

_VIEW_ROLE = Qt.ItemDataRole.UserRole
_LABEL_ROLE = Qt.ItemDataRole.UserRole + 1
_SHORT_ROLE = Qt.ItemDataRole.UserRole + 2  # what a collapsed entry shows under its icon
COMPACT_WIDTH = 64  # the navigation collapsed to icons (a 1024x600 screen)
BADGE_PIXELS = 24

QUARANTINE = "quarantine"  # the entries that are not lists of e-consults
UNKNOWN_SENDERS = "unknown_senders"
_RED = QColor(colours.ALARM_TEXT)
_AMBER = QColor(colours.CAUTION_TEXT)


class NavigationList(QListWidget):
    """One entry per list the user can open, each with its live count.

    Signals:
        view_selected(object): the ListView of the entry the user picked (mouse or keyboard).
        quarantine_selected(): the user picked "Not processed".
        unknown_senders_selected(): the user picked "Unknown sender".
    """

    view_selected = Signal(object)
    quarantine_selected = Signal()
    unknown_senders_selected = Signal()

    def __init__(self, user: PractitionerInfo, practitioners: list[PractitionerInfo],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._user = user
        self._unread = 0
        self._quarantine: QListWidgetItem | None = None  # only there while items wait
        self._quarantine_count = 0
        self._unknown: QListWidgetItem | None = None  # only there while mails wait
        self._unknown_count = 0
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAccessibleName(self.tr("Lists"))
        self.setIconSize(QPixmap(BADGE_PIXELS, BADGE_PIXELS).size())
        # A long name is cut with "…" (the tooltip has it whole), never scrolled sideways.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._delegate = _CompactDelegate(self)
        self.setItemDelegate(self._delegate)

        self._inbox = self._add(self.tr("Inbox"), ListView(status=ConsultStatus.INBOX),
                                self.tr("IN", "badge of the inbox"))
        self._own: QListWidgetItem | None = None
        # Everyone who triages has an own worklist ("Aan mij toewijzen"), assistants too.
        if allowed(user.role, Permission.TRIAGE):
            self._own = self._add(self.tr("My worklist"),
                                  ListView(status=ConsultStatus.WORKLIST, assignee_id=user.id),
                                  initials(user.name))
        for practitioner in practitioners:
            if allowed(practitioner.role, Permission.TRIAGE) and practitioner.id != user.id:
                self._add(self.tr("Worklist: {person}").format(
                    person=labels.person_label(practitioner.name, practitioner.role)),
                          ListView(status=ConsultStatus.WORKLIST, assignee_id=practitioner.id),
                          initials(practitioner.name))
        self._add(self.tr("Waiting for patient"), ListView(status=ConsultStatus.WAITING),
                  self.tr("W", "badge of waiting for patient"))
        self._add(self.tr("Closed"), ListView(status=ConsultStatus.CLOSED),
                  self.tr("✓", "badge of closed"))

        self.currentItemChanged.connect(self._on_current_changed)

    def _add(self, label: str, view: ListView, badge: str) -> QListWidgetItem:
        item = QListWidgetItem(label, self)
        item.setData(_VIEW_ROLE, view)
        item.setData(_LABEL_ROLE, label)
        item.setIcon(badge_icon(badge, colours.BADGE_BACKGROUND))
        item.setToolTip(label)
        return item

    def set_compact(self, compact: bool) -> None:
        """Collapsed to icons with their counts (a small screen), the full words in the
        tooltip and for screen readers; or icons and words."""
        if compact == self._delegate.compact:
            return
        self._delegate.compact = compact
        self.setWordWrap(False)
        self.setMinimumWidth(COMPACT_WIDTH if compact else 0)
        self.setMaximumWidth(COMPACT_WIDTH if compact else 16777215)
        self.doItemsLayout()
        self.viewport().update()

    def is_compact(self) -> bool:
        return self._delegate.compact

    def wide_width(self, most: int) -> int:
        """The width that shows every entry whole, at most `most` pixels."""
        return min(most, self.sizeHintForColumn(0) + 2 * self.frameWidth() + 8)

    # -- our API -------------------------------------------------------------------------------
    def views(self) -> list[ListView]:
        return [view for row in range(self.count())
                if isinstance(view := self.item(row).data(_VIEW_ROLE), ListView)]

    def current_view(self) -> ListView | None:
        item = self.currentItem()
        view = item.data(_VIEW_ROLE) if item is not None else None
        return view if isinstance(view, ListView) else None

    def select_default(self) -> None:
        """An assistant starts in the inbox, a GP or practice nurse in their own worklist."""
        clinician = self._user.role in (Role.GP, Role.POH)
        self.setCurrentItem(self._own if clinician and self._own is not None else self._inbox)

    def select_view(self, view: ListView) -> bool:
        """Pick the entry showing `view` (ignoring search and sort); False if there is none."""
        for row in range(self.count()):
            shown = self.item(row).data(_VIEW_ROLE)
            if isinstance(shown, ListView) and \
                    (shown.status, shown.assignee_id) == (view.status, view.assignee_id):
                self.setCurrentRow(row)
                return True
        return False

    def refresh_counts(self, counts: dict[tuple[ConsultStatus, int | None], int],
                       overdue: dict[tuple[ConsultStatus, int | None], int] | None = None
                       ) -> None:
        """Update each label with its count and, when some are past the answer target, how
        many: "Inbox (12) · 3 overdue". `counts` and `overdue` as InboxQueries.counts() and
        overdue_counts() give them."""
        for row in range(self.count()):
            item = self.item(row)
            view = item.data(_VIEW_ROLE)
            if not isinstance(view, ListView):
                continue
            text = self.tr("{label} ({count})").format(label=item.data(_LABEL_ROLE),
                                                       count=_count_in(view, counts))
            late = _count_in(view, overdue or {})
            if late:
                text += " · " + self.tr("%1 overdue").replace("%1", str(late))
            item.setText(text)
            item.setToolTip(text)
            item.setData(_SHORT_ROLE, str(_count_in(view, counts)))

    def set_unread(self, n: int) -> None:
        """Bold inbox, with the number in its tooltip, while there are unread e-consults."""
        self._unread = max(0, n)
        font = self._inbox.font()
        font.setBold(self._unread > 0)
        self._inbox.setFont(font)
        self._inbox.setToolTip(self._inbox.text() + (
            "\n" + self.tr("{count} unread").format(count=self._unread) if self._unread else ""))

    @property
    def unread(self) -> int:
        return self._unread

    def set_quarantine_count(self, n: int) -> None:
        """"Not processed (n)" in red at the bottom while n > 0; no entry at zero (if it was
        the current entry, the default list takes its place)."""
        self._quarantine_count = max(0, n)
        if not self._quarantine_count:
            if self._quarantine is not None:
                was_current = self.currentItem() is self._quarantine
                self.takeItem(self.row(self._quarantine))
                self._quarantine = None
                if was_current:
                    self.select_default()
            return
        if self._quarantine is None:
            self._quarantine = QListWidgetItem(self)
            self._quarantine.setData(_VIEW_ROLE, QUARANTINE)
            self._quarantine.setForeground(_RED)
            font = self._quarantine.font()
            font.setBold(True)
            self._quarantine.setFont(font)
            self._quarantine.setIcon(badge_icon("!", colours.ALARM_TEXT))
        self._quarantine.setText(self.tr("Not processed ({count})").format(
            count=self._quarantine_count))
        self._quarantine.setData(_SHORT_ROLE, str(self._quarantine_count))
        self._quarantine.setToolTip(self._quarantine.text() + "\n" + self.tr(
            "Messages from the portal that Workbench cannot show"))

    @property
    def quarantine_count(self) -> int:
        return self._quarantine_count

    def quarantine_entry(self) -> QListWidgetItem | None:
        return self._quarantine

    def select_quarantine(self) -> bool:
        if self._quarantine is None:
            return False
        self.setCurrentItem(self._quarantine)
        return True

    def quarantine_shown(self) -> bool:
        return self._quarantine is not None and self.currentItem() is self._quarantine

    def set_unknown_senders_count(self, n: int) -> None:
        """"Unknown sender (n)" above "Not processed" while n > 0; no entry at zero (if it was
        the current entry, the default list takes its place)."""
        self._unknown_count = max(0, n)
        if not self._unknown_count:
            if self._unknown is not None:
                was_current = self.currentItem() is self._unknown
                self.takeItem(self.row(self._unknown))
                self._unknown = None
                if was_current:
                    self.select_default()
            return
        if self._unknown is None:
            self._unknown = QListWidgetItem()
            self._unknown.setData(_VIEW_ROLE, UNKNOWN_SENDERS)
            self._unknown.setForeground(_AMBER)
            font = self._unknown.font()
            font.setBold(True)
            self._unknown.setFont(font)
            self._unknown.setIcon(badge_icon("@", colours.CAUTION_TEXT))
            before = self.row(self._quarantine) if self._quarantine is not None else self.count()
            self.insertItem(before, self._unknown)
        self._unknown.setText(self.tr("Unknown sender ({count})").format(
            count=self._unknown_count))
        self._unknown.setData(_SHORT_ROLE, str(self._unknown_count))
        self._unknown.setToolTip(self._unknown.text() + "\n" + self.tr(
            "Mails waiting for a person: from an unknown address, from an address several "
            "patients share, or that could not be read"))

    @property
    def unknown_senders_count(self) -> int:
        return self._unknown_count

    def unknown_senders_entry(self) -> QListWidgetItem | None:
        return self._unknown

    def select_unknown_senders(self) -> bool:
        if self._unknown is None:
            return False
        self.setCurrentItem(self._unknown)
        return True

    def unknown_senders_shown(self) -> bool:
        return self._unknown is not None and self.currentItem() is self._unknown

    def _on_current_changed(self, current: QListWidgetItem | None,
                            _previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        if current.data(_VIEW_ROLE) == QUARANTINE:
            self.quarantine_selected.emit()
        elif current.data(_VIEW_ROLE) == UNKNOWN_SENDERS:
            self.unknown_senders_selected.emit()
        else:
            self.view_selected.emit(current.data(_VIEW_ROLE))


def _count_in(view: ListView, counts: dict[tuple[ConsultStatus, int | None], int]) -> int:
    """The e-consults of one list among counts per (status, assignee)."""
    return sum(value for (status, assignee), value in counts.items()
               if status == view.status
               and (view.assignee_id is None or assignee == view.assignee_id))


def initials(name: str) -> str:
    """"Emma Hendriks" -> "EH", "dr. J. van der Berg" -> "JB": a person's badge."""
    words = [w for w in name.replace(".", " ").split()
             if w[:1].isupper() and w.lower() not in ("dr", "drs", "mr")]
    letters = [words[0][0], words[-1][0]] if len(words) > 1 else [name.strip()[:1] or "?"]
    return "".join(letters).upper()


def badge_icon(text: str, background: str) -> QIcon:
    """A round badge with one to three letters: the lists' icons, drawn (no icon theme is
    needed, and the letters say which list it is)."""
    icon = QIcon()
    for scale in (1, 2):
        size = BADGE_PIXELS * scale
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(background))
        painter.drawEllipse(QRectF(0, 0, size, size))
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * (0.5 if len(text) < 2 else 0.42)))
        painter.setFont(font)
        painter.setPen(QColor(colours.BADGE_TEXT))
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        icon.addPixmap(pixmap)
    return icon


class _CompactDelegate(QStyledItemDelegate):
    """Collapsed: the icon over the count, centred; the item keeps its full text (for the
    tooltip, screen readers and tests), only the drawing is short."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.compact = False

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt override
                        index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        if self.compact:
            option.text = index.data(_SHORT_ROLE) or ""
            option.decorationPosition = QStyleOptionViewItem.Position.Top
            option.displayAlignment = Qt.AlignmentFlag.AlignHCenter
            option.decorationAlignment = Qt.AlignmentFlag.AlignHCenter
