"""The list of lists on the left: inbox, worklists, waiting for patient, closed, with counts;
and "Niet verwerkt" (what the portal sent that cannot be shown), in red, while it is not empty."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from workbench.services.inbox import ListView, PractitionerInfo
from workbench.store.models import ConsultStatus, Role

_VIEW_ROLE = Qt.ItemDataRole.UserRole
_LABEL_ROLE = Qt.ItemDataRole.UserRole + 1

_CLINICIANS = (Role.GP, Role.POH)
QUARANTINE = "quarantine"  # the entry that is not a list of e-consults
_RED = QColor("#b3261e")


class NavigationList(QListWidget):
    """One entry per list the user can open, each with its live count.

    Signals:
        view_selected(object): the ListView of the entry the user picked (mouse or keyboard).
        quarantine_selected(): the user picked "Not processed".
    """

    view_selected = Signal(object)
    quarantine_selected = Signal()

    def __init__(self, user: PractitionerInfo, practitioners: list[PractitionerInfo],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._user = user
        self._unread = 0
        self._quarantine: QListWidgetItem | None = None  # only there while items wait
        self._quarantine_count = 0
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAccessibleName(self.tr("Lists"))

        self._inbox = self._add(self.tr("Inbox"), ListView(status=ConsultStatus.INBOX))
        self._own: QListWidgetItem | None = None
        if user.role in _CLINICIANS:
            self._own = self._add(self.tr("My worklist"),
                                  ListView(status=ConsultStatus.WORKLIST, assignee_id=user.id))
        for practitioner in practitioners:
            if practitioner.role in _CLINICIANS and practitioner.id != user.id:
                self._add(self.tr("Worklist {name}").format(name=practitioner.name),
                          ListView(status=ConsultStatus.WORKLIST, assignee_id=practitioner.id))
        self._add(self.tr("Waiting for patient"), ListView(status=ConsultStatus.WAITING))
        self._add(self.tr("Closed"), ListView(status=ConsultStatus.CLOSED))

        self.currentItemChanged.connect(self._on_current_changed)

    def _add(self, label: str, view: ListView) -> QListWidgetItem:
        item = QListWidgetItem(label, self)
        item.setData(_VIEW_ROLE, view)
        item.setData(_LABEL_ROLE, label)
        return item

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
        self.setCurrentItem(self._own if self._own is not None else self._inbox)

    def select_view(self, view: ListView) -> bool:
        """Pick the entry showing `view` (ignoring search and sort); False if there is none."""
        for row in range(self.count()):
            shown = self.item(row).data(_VIEW_ROLE)
            if isinstance(shown, ListView) and \
                    (shown.status, shown.assignee_id) == (view.status, view.assignee_id):
                self.setCurrentRow(row)
                return True
        return False

    def refresh_counts(self, counts: dict[tuple[ConsultStatus, int | None], int]) -> None:
        """Update each label with its count; `counts` as InboxQueries.counts() gives it."""
        for row in range(self.count()):
            item = self.item(row)
            view = item.data(_VIEW_ROLE)
            if not isinstance(view, ListView):
                continue
            n = sum(value for (status, assignee), value in counts.items()
                    if status == view.status
                    and (view.assignee_id is None or assignee == view.assignee_id))
            item.setText(self.tr("{label} ({count})").format(label=item.data(_LABEL_ROLE),
                                                             count=n))

    def set_unread(self, n: int) -> None:
        """Bold inbox, with the number in its tooltip, while there are unread e-consults."""
        self._unread = max(0, n)
        font = self._inbox.font()
        font.setBold(self._unread > 0)
        self._inbox.setFont(font)
        self._inbox.setToolTip(self.tr("{count} unread").format(count=self._unread)
                               if self._unread else "")

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
            self._quarantine.setToolTip(self.tr(
                "Messages from the portal that Workbench cannot show"))
        self._quarantine.setText(self.tr("Not processed ({count})").format(
            count=self._quarantine_count))

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

    def _on_current_changed(self, current: QListWidgetItem | None,
                            _previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        if current.data(_VIEW_ROLE) == QUARANTINE:
            self.quarantine_selected.emit()
        else:
            self.view_selected.emit(current.data(_VIEW_ROLE))
