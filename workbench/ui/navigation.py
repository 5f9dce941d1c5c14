"""The list of lists on the left: inbox, worklists, waiting for patient, closed, with counts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from workbench.services.inbox import ListView, PractitionerInfo
from workbench.store.models import ConsultStatus, Role

_VIEW_ROLE = Qt.ItemDataRole.UserRole
_LABEL_ROLE = Qt.ItemDataRole.UserRole + 1

_CLINICIANS = (Role.GP, Role.POH)


class NavigationList(QListWidget):
    """One entry per list the user can open, each with its live count.

    Signals:
        view_selected(object): the ListView of the entry the user picked (mouse or keyboard).
    """

    view_selected = Signal(object)

    def __init__(self, user: PractitionerInfo, practitioners: list[PractitionerInfo],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._user = user
        self._unread = 0
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
        return [self.item(row).data(_VIEW_ROLE) for row in range(self.count())]

    def current_view(self) -> ListView | None:
        item = self.currentItem()
        return item.data(_VIEW_ROLE) if item is not None else None

    def select_default(self) -> None:
        """An assistant starts in the inbox, a GP or practice nurse in their own worklist."""
        self.setCurrentItem(self._own if self._own is not None else self._inbox)

    def select_view(self, view: ListView) -> bool:
        """Pick the entry showing `view` (ignoring search and sort); False if there is none."""
        for row in range(self.count()):
            shown: ListView = self.item(row).data(_VIEW_ROLE)
            if (shown.status, shown.assignee_id) == (view.status, view.assignee_id):
                self.setCurrentRow(row)
                return True
        return False

    def refresh_counts(self, counts: dict[tuple[ConsultStatus, int | None], int]) -> None:
        """Update each label with its count; `counts` as InboxQueries.counts() gives it."""
        for row in range(self.count()):
            item = self.item(row)
            view: ListView = item.data(_VIEW_ROLE)
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

    def _on_current_changed(self, current: QListWidgetItem | None,
                            _previous: QListWidgetItem | None) -> None:
        if current is not None:
            self.view_selected.emit(current.data(_VIEW_ROLE))
