"""Patient context in the consult pane: the same patient's earlier and open e-consults (with the
recorded call outcome of each) and the numbers to call, in a small section that starts folded."""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.services.patient_history import (
    HistoryItem,
    PhoneNumber,
    patient_history,
    patient_phones,
)
from workbench.ui import labels
from workbench.ui.call_outcome_dialog import call_outcome_label
from workbench.ui.context import UiContext
from workbench.ui.plain_text import plain_label

VISIBLE_ROWS = (
    4  # more scroll: the answer and its send button stay on a 1366x768 screen
)
_ID = Qt.ItemDataRole.UserRole


def phone_text(numbers: Iterable[PhoneNumber], prefix: bool = True) -> str:
    """ "Phone 06-12345678 (Jan Jansen) · 06-87654321 (Priya Peters, moeder)" (without "Phone"
    where a form label says it), or that none is known. Plain text: the portal's data."""
    parts = []
    for phone in numbers:
        who = (
            QCoreApplication.translate("PatientHistory", "{name}, {relation}").format(
                name=phone.name, relation=phone.relation
            )
            if phone.relation
            else phone.name
        )
        parts.append(
            QCoreApplication.translate("PatientHistory", "{number} ({who})").format(
                number=phone.number, who=who
            )
        )
    if not parts:
        return QCoreApplication.translate(
            "PatientHistory", "No phone number known: see the HIS"
        )
    joined = " \u00b7 ".join(parts)
    return (
        QCoreApplication.translate("PatientHistory", "Phone {numbers}").format(
            numbers=joined
        )
        if prefix
        else joined
    )


def phone_label() -> QLabel:
    """A plain-text line of numbers to call, selectable and copyable."""
    label = plain_label()
    label.setObjectName("patientPhones")
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setAccessibleName(
        QCoreApplication.translate("PatientHistory", "Phone numbers")
    )
    return label


def history_line(item: HistoryItem) -> str:
    """One row: date, subject, where it stands (open ones say so) and the last call's outcome."""
    parts = [
        item.received_at.astimezone().strftime("%d-%m-%Y"),
        item.subject or QCoreApplication.translate("PatientHistory", "(no subject)"),
        labels.status_label(item.status),
    ]
    if item.assignee_name and item.open:
        parts[-1] = QCoreApplication.translate(
            "PatientHistory", "{status}: {name}"
        ).format(status=parts[-1], name=item.assignee_name)
    if item.open:
        parts.append(QCoreApplication.translate("PatientHistory", "open"))
    if item.call_outcome is not None:
        parts.append(
            QCoreApplication.translate("PatientHistory", "call: {outcome}").format(
                outcome=call_outcome_label(item.call_outcome)
            )
        )
    return " \u00b7 ".join(parts)


class EarlierContactLine(QWidget):
    """A second-contact finding in the urgency banner: names the earlier e-consult (its date and
    subject, as plain text) with a button that opens it."""

    open_requested = Signal(int)

    def __init__(
        self,
        headline: str,
        earlier: HistoryItem | None,
        earlier_at: datetime | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        when = earlier.received_at if earlier is not None else earlier_at
        day = when.astimezone().strftime("%d-%m") if when is not None else ""
        if earlier is not None:
            text = QCoreApplication.translate(
                "PatientHistory",
                "{headline}: earlier e-consult of {date} \u201c{subject}\u201d",
            ).format(
                headline=headline,
                date=day,
                subject=earlier.subject
                or QCoreApplication.translate("PatientHistory", "(no subject)"),
            )
        elif day:
            text = QCoreApplication.translate(
                "PatientHistory", "{headline}: earlier e-consult of {date}"
            ).format(headline=headline, date=day)
        else:
            text = headline
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = plain_label()
        self.label.setObjectName("adviceFinding")
        self.label.setText(text)
        layout.addWidget(self.label, 1)
        self.open_button = QPushButton(
            QCoreApplication.translate("PatientHistory", "Open")
        )
        self.open_button.setAccessibleName(
            QCoreApplication.translate("PatientHistory", "Open the earlier e-consult")
        )
        self.open_button.setToolTip(
            QCoreApplication.translate("PatientHistory", "Open the earlier e-consult")
        )
        self.open_button.setVisible(
            earlier is not None
        )  # gone from the store: nothing to open
        if earlier is not None:
            earlier_id = earlier.id
            self.open_button.clicked.connect(
                lambda _checked=False: self.open_requested.emit(earlier_id)
            )
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)

    def text(self) -> str:
        return self.label.text()


class PatientHistory(QWidget):
    """The shown patient's other e-consults, newest first, under the patient header: folded
    to one line with a count ("Earlier e-consults (3, 1 open)") until the person opens it;
    open, it shows the numbers to call and at most `VISIBLE_ROWS` rows (the rest scroll),
    until another patient is shown.

    Signals:
        open_requested(int): the person wants to see this e-consult (double-click, Enter,
            or the banner's Open on a second contact).
    """

    open_requested = Signal(int)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._items: list[HistoryItem] = []
        self._patient_id: int | None = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.toggle = QToolButton()
        self.toggle.setObjectName("historyToggle")
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.toggled.connect(self.set_expanded)
        layout.addWidget(self.toggle)
        self._body = QWidget()
        body = QVBoxLayout(self._body)
        body.setContentsMargins(14, 0, 0, 0)
        body.setSpacing(2)
        self.phones = phone_label()
        body.addWidget(self.phones)
        # A one-column tree rather than a list: its rows are as wide as the pane and elide,
        # where a list's rows grow a horizontal scroll bar that eats a row.
        self.list = QTreeWidget()
        self.list.setColumnCount(1)
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAccessibleName(
            QCoreApplication.translate("PatientHistory", "Earlier e-consults")
        )
        self.list.setAccessibleDescription(
            QCoreApplication.translate(
                "PatientHistory", "Double-click or press Enter to open"
            )
        )
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        # Enter and double-click both activate (single click where the platform says so).
        self.list.itemActivated.connect(self._activated)
        body.addWidget(self.list)
        layout.addWidget(self._body)
        self._body.hide()
        self.hide()

    # -- public API --------------------------------------------------------------------------
    def show_patient(
        self, patient_id: int | None, econsult_id: int | None = None
    ) -> None:
        """List this patient's other e-consults (none: the section hides). It stays open
        while the patient stays the same (going back and forth between their e-consults) and
        folds for the next patient: opened, it makes the pane scroll on a 1366x768 screen."""
        engine = self._context.engine
        if patient_id != self._patient_id:
            self.set_expanded(False)
        self._patient_id = patient_id
        self._items = (
            patient_history(engine, patient_id, econsult_id)
            if patient_id is not None
            else []
        )
        phones = patient_phones(engine, patient_id) if self._items else []
        self.phones.setText(phone_text(phones))
        self.list.clear()
        bold = QFont(self.list.font())
        bold.setBold(True)
        for item in self._items:
            text = history_line(item)
            row = QTreeWidgetItem([text])  # an item's text is never markup
            row.setData(0, _ID, item.id)
            # The whole line when it is cut off; escaped, a tool tip would read markup.
            row.setToolTip(
                0,
                "<p>{}</p>".format(
                    html.escape(text)
                    + "<br>"
                    + html.escape(
                        QCoreApplication.translate(
                            "PatientHistory", "Double-click or press Enter to open"
                        )
                    )
                ),
            )
            if item.open:
                row.setFont(0, bold)
            self.list.addTopLevelItem(row)
        self._fit_rows()
        self._update_title()
        self.setVisible(bool(self._items))

    def items(self) -> list[HistoryItem]:
        return list(self._items)

    def item(self, econsult_id: int | None) -> HistoryItem | None:
        return next((i for i in self._items if i.id == econsult_id), None)

    def is_expanded(self) -> bool:
        return self.toggle.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        if self.toggle.isChecked() != expanded:
            self.toggle.setChecked(expanded)  # comes back here through toggled
            return
        self.toggle.setArrowType(
            Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow
        )
        self._body.setVisible(expanded)

    def title(self) -> str:
        return self.toggle.text()

    def row_texts(self) -> list[str]:
        return [
            self.list.topLevelItem(n).text(0)
            for n in range(self.list.topLevelItemCount())
        ]

    def advice_line(self, finding: labels.AdviceFinding, headline: str) -> QWidget:
        """The banner's line for one finding: a second contact names (and opens) the earlier
        e-consult; any other finding, or an old entry that names none, is its headline."""
        if finding.earlier_id is None and finding.earlier_at is None:
            line = plain_label()
            line.setObjectName("adviceFinding")
            line.setText(headline)
            return line
        named = EarlierContactLine(
            headline, self.item(finding.earlier_id), finding.earlier_at
        )
        named.open_requested.connect(self.open_requested)
        return named

    # -- internals ---------------------------------------------------------------------------
    def _activated(self, row: QTreeWidgetItem, _column: int = 0) -> None:
        econsult_id = row.data(0, _ID)
        if isinstance(econsult_id, int):
            self.open_requested.emit(econsult_id)

    def _update_title(self) -> None:
        count = len(self._items)
        still_open = sum(1 for item in self._items if item.open)
        if still_open:
            text = QCoreApplication.translate(
                "PatientHistory", "Earlier e-consults ({count}, {open} open)"
            ).format(count=count, open=still_open)
        else:
            text = QCoreApplication.translate(
                "PatientHistory", "Earlier e-consults ({count})"
            ).format(count=count)
        self.toggle.setText(text)

    def _fit_rows(self) -> None:
        rows = min(max(self.list.topLevelItemCount(), 1), VISIBLE_ROWS)
        row_height = self.list.sizeHintForRow(0)
        if row_height <= 0:  # no rows yet
            row_height = self.list.fontMetrics().height() + 4
        self.list.setFixedHeight(rows * row_height + 2 * self.list.frameWidth() + 2)
