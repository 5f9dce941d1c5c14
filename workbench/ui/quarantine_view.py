"""The "Niet verwerkt" list: what the portal sent that Workbench cannot show, made visible.

Each item says why (temporary, or cannot be read, with the technical reason for IT), who sent
it and when, the subject and, when it can be read, its text as plain text. Every pull tries the
open items again; "Try again now" starts a pull. What stays here is dealt with outside
Workbench (call the patient, ask them to send it again) and then marked handled, with a reason.
"""

from __future__ import annotations

import logging
from datetime import datetime

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from workbench.services import quarantine
from workbench.services.quarantine import QuarantineError, QuarantineItem
from workbench.ui import colours
from workbench.ui.audited_selection import AuditedSelection
from workbench.ui.context import UiContext
from workbench.ui.plain_text import plain_label
from workbench.ui.reason_dialog import ReasonDialog

log = logging.getLogger(__name__)

_ID_ROLE = Qt.ItemDataRole.UserRole
_RED = QColor(colours.ALARM_TEXT)


def _moment(value: datetime | None) -> str:
    return value.astimezone().strftime("%d-%m-%Y %H:%M") if value is not None else ""


def _sent_text(sent: str | None) -> str:
    """The portal's `sent` in local time when it is a date-time; as given otherwise."""
    if not sent:
        return ""
    try:
        moment = datetime.fromisoformat(sent)
    except ValueError:
        return sent
    if len(sent) == 10:  # a date without a time
        return moment.strftime("%d-%m-%Y")
    if moment.tzinfo is None:
        return moment.strftime("%d-%m-%Y %H:%M")
    return _moment(moment)


class HandledDialog(ReasonDialog):
    """Asks why an item needs nothing more from Workbench; the reason is required."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(quarantine.MAX_REASON, parent)
        self.set_texts(self.tr("Mark as handled"), self.tr(
            "It will no longer be tried again or listed. How was it dealt with? "
            "For example: patient called, asked to send it again."), self.tr("Mark as handled"))


class QuarantineView(AuditedSelection, QWidget):
    """The open quarantine items in a table, the selected one in full beside it.

    Signals:
        retry_requested(): the user wants a pull now (every pull retries the open items).
        handled(int): an item was marked handled (its id); counts need a refresh.
        viewed(int): showing an item's content was written to the audit log.
    """

    retry_requested = Signal()
    handled = Signal(int)
    viewed = Signal(int)

    COLUMNS = 5

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._items: list[QuarantineItem] = []
        self._shown_id: int | None = None
        self._recorded_id: int | None = None  # the item whose view is in the audit trail
        self._pulling = False
        self._busy = False
        self._dialog: HandledDialog | None = None
        self._error_box: QMessageBox | None = None
        self.setAccessibleName(self.tr("Not processed"))
        self._make_actions()
        self._build()

    # -- construction ------------------------------------------------------------------------
    def _make_actions(self) -> None:
        def action(text: str, keys: str, slot) -> QAction:
            made = QAction(text, self)
            made.setShortcut(QKeySequence(keys))
            made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            made.setToolTip(f"{text.replace('&', '')} "
                            f"({QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)})")
            made.triggered.connect(lambda _checked=False: slot())
            self.addAction(made)
            return made

        self.retry_action = action(self.tr("&Try again now"), "Ctrl+Shift+R",
                                   self.retry_requested.emit)
        self.handle_action = action(self.tr("&Mark as handled…"), "Ctrl+Shift+H",
                                    self.open_handled_dialog)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        title = QLabel(self.tr("Not processed"))
        font = QFont(title.font())
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.25)
        title.setFont(font)
        layout.addWidget(title)
        intro = QLabel(self.tr(
            "Messages from the portal that Workbench cannot show. They are tried again at "
            "every pull. Deal with what stays here outside Workbench (for example, call the "
            "patient), then mark it as handled."))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        tools = QToolBar()
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tools.addAction(self.retry_action)
        tools.addAction(self.handle_action)
        layout.addWidget(tools)

        self._stack = QStackedWidget()
        layout.addWidget(self._stack, 1)
        self._empty = QLabel(self.tr("Nothing waiting: everything the portal sent has been "
                                     "processed."))
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._stack.addWidget(self._empty)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        self._stack.addWidget(splitter)

        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels([
            self.tr("Date"), self.tr("From"), self.tr("Subject"), self.tr("Problem"),
            self.tr("Attempts")])
        self.table.setAccessibleName(self.tr("Messages not processed"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 120), (1, 140), (3, 175), (4, 70)):
            self.table.setColumnWidth(column, width)
        self.table.currentCellChanged.connect(lambda *_args: self._current_changed())
        splitter.addWidget(self.table)
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([620, 420])

    def _build_detail(self) -> QWidget:
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(box)
        self.summary_label = plain_label()
        bold = QFont(self.summary_label.font())
        bold.setBold(True)
        self.summary_label.setFont(bold)
        layout.addWidget(self.summary_label)
        self.reason_label = plain_label()
        layout.addWidget(self.reason_label)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.sender_label = plain_label()
        self.patient_label = plain_label()
        self.sent_label = plain_label()
        self.subject_label = plain_label()
        self.attempts_label = plain_label()
        self.portal_label = plain_label()
        for text, label in ((self.tr("From:"), self.sender_label),
                            (self.tr("About:"), self.patient_label),
                            (self.tr("Sent:"), self.sent_label),
                            (self.tr("Subject:"), self.subject_label),
                            (self.tr("Attempts:"), self.attempts_label),
                            (self.tr("Portal:"), self.portal_label)):
            form.addRow(text, label)
        layout.addLayout(form)
        self.text_view = QPlainTextEdit()  # plain text only: the patient's words, literally
        self.text_view.setReadOnly(True)
        self.text_view.setAccessibleName(self.tr("Message text"))
        self.text_view.setTabChangesFocus(True)
        layout.addWidget(self.text_view, 1)
        return box

    # -- public API --------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the open items again (after a pull or an action), keeping the selection."""
        keep = self.current_item_id()
        self._items = quarantine.list_open(self._context.engine)
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(len(self._items))
            for row, item in enumerate(self._items):
                cells = [_sent_text(item.sent) or _moment(item.quarantined_at),
                         item.sender or "", item.subject or "", self._short_problem(item),
                         str(item.attempts)]
                for column, text in enumerate(cells):
                    cell = QTableWidgetItem(text)
                    cell.setData(_ID_ROLE, item.id)
                    cell.setToolTip("")
                    if column == 3 and not item.transient:
                        cell.setForeground(_RED)
                    self.table.setItem(row, column, cell)
        finally:
            self.table.blockSignals(False)
        self._stack.setCurrentIndex(1 if self._items else 0)
        rows = [n for n, item in enumerate(self._items) if item.id == keep]
        if rows:
            self.table.setCurrentCell(rows[0], 0)
        elif self._items:
            self.table.setCurrentCell(min(self._last_row(), len(self._items) - 1), 0)
        self._current_changed()

    def count(self) -> int:
        return len(self._items)

    def current_item_id(self) -> int | None:
        item = self._current_item()
        return item.id if item is not None else None

    def select_item(self, item_id: int) -> bool:
        for row, item in enumerate(self._items):
            if item.id == item_id:
                self.table.setCurrentCell(row, 0)
                return True
        return False

    def focus_list(self) -> None:
        (self.table if self._items else self._empty).setFocus()

    def set_pulling(self, pulling: bool) -> None:
        self._pulling = pulling
        self._update_actions()

    def open_handled_dialog(self) -> HandledDialog | None:
        if self._current_item() is None or not self.handle_action.isEnabled():
            return None
        item_id = self.current_item_id()
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            self._dialog.deleteLater()
        dialog = HandledDialog(self)
        dialog.accepted.connect(lambda: self.mark_handled(item_id, dialog.reason()))
        dialog.finished.connect(dialog.deleteLater)
        self._dialog = dialog
        dialog.open()
        return dialog

    def mark_handled(self, item_id: int, reason: str) -> None:
        engine, actor, clock = self._context.engine, self._context.actor, self._context.clock
        self._busy = True
        self._update_actions()
        self._context.tasks.run_db(
            lambda: quarantine.mark_handled(engine, item_id, actor, reason, clock),
            lambda _none: self._handled(item_id), self._failed)

    # -- reactions -----------------------------------------------------------------------------
    def _handled(self, item_id: int) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy = False
        self.reload()
        self.handled.emit(item_id)

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy = False
        self.reload()
        if not isinstance(exc, QuarantineError):
            log.error("quarantine action failed:\n%s",
                      getattr(exc, "__traceback_text__", type(exc).__name__))
            self._context.tasks.unexpected_error.emit(exc)
            return
        log.warning("quarantine action refused: %s", exc.code)
        texts = {
            "not_found": self.tr("This item no longer exists."),
            "not_open": self.tr("This item was already processed or marked as handled."),
            "reason_required": self.tr("Give a reason."),
            "unknown_user": self.tr("Your name is not (or no longer) among the practice's "
                                    "staff. Choose who is working again, or ask IT."),
        }
        if self._error_box is not None and shiboken6.isValid(self._error_box):
            self._error_box.close()
            self._error_box.deleteLater()
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Workbench"),
                          texts.get(exc.code, self.tr("This action could not be done.")),
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
        self._error_box = box

    def _record_view_call(self, item_id: int):
        engine, actor, clock = self._context.engine, self._context.actor, self._context.clock
        return lambda: quarantine.record_view(engine, item_id, actor, clock)

    def _unrecorded_text(self) -> str:
        return self.tr("This message cannot be shown: viewing it cannot be recorded.")

    # -- showing -----------------------------------------------------------------------------
    def _short_problem(self, item: QuarantineItem) -> str:
        return self.tr("Temporary") if item.transient else self.tr("Cannot be read")

    def _show(self, item: QuarantineItem | None) -> None:
        if item is None:
            for label in (self.summary_label, self.reason_label, self.sender_label,
                          self.patient_label, self.sent_label, self.subject_label,
                          self.attempts_label, self.portal_label):
                label.clear()
            self.text_view.clear()
            self.text_view.setPlaceholderText("")
            return
        self.summary_label.setText(
            self.tr("Temporary problem, tried again at every pull") if item.transient
            else self.tr("Cannot be read"))
        self.summary_label.setStyleSheet("" if item.transient else f"color: {_RED.name()};")
        self.reason_label.setText(self.tr("Technical reason: {reason}").format(
            reason=item.reason or "?"))
        self.sender_label.setText(item.sender or self.tr("unknown"))
        self.patient_label.setText(item.patient_name or self.tr("unknown"))
        self.sent_label.setText(_sent_text(item.sent) or self.tr("unknown"))
        self.subject_label.setText(item.subject or self.tr("(no subject)"))
        attempts = self.tr("{count} times").format(count=item.attempts)
        if item.last_attempt_at is not None:
            attempts += " \u00b7 " + self.tr("last {moment}").format(
                moment=_moment(item.last_attempt_at))
        attempts += " \u00b7 " + self.tr("in this list since {moment}").format(
            moment=_moment(item.quarantined_at))
        self.attempts_label.setText(attempts)
        self.portal_label.setText(f"{item.resource_type}/{item.portal_id}")
        # Fail-closed: the patient's text only once this view is in the audit trail.
        if item.id == self._recorded_id:
            self.text_view.setPlainText(item.text or "")
            self.text_view.setPlaceholderText(self.tr("The text cannot be read."))
        else:
            self.text_view.clear()
            self.text_view.setPlaceholderText("")

    def _update_actions(self) -> None:
        self.retry_action.setEnabled(not self._pulling)
        self.handle_action.setEnabled(self._current_item() is not None and not self._busy)

    def _current_item(self) -> QuarantineItem | None:
        row = self.table.currentRow()
        if 0 <= row < len(self._items) and self._stack.currentIndex() == 1:
            return self._items[row]
        return None

    def _last_row(self) -> int:
        return max(0, self.table.currentRow())
