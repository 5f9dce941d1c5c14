"""The "Onbekende afzender" list: secure mail that waits for a person before it can be imported.

A From address can be forged, so mail is imported only from an address the practice trusts for
a patient. What waits here came from an address no patient is known by, from an address
several patients share, or could not be read at all. A person links the sender to a patient
(after checking the address), chooses one of the patients who share it, or sends a fixed reply
without medical content ("call the practice", "use the portal").
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
    QListWidget,
    QListWidgetItem,
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

from workbench.services import mail_senders
from workbench.services.errors import ActionRefused
from workbench.services.mail_senders import FixedReply, LinkOutcome, PatientMatch, WaitingMail
from workbench.store.models import MailState
from workbench.ui import colours
from workbench.ui.audited_selection import AuditedSelection
from workbench.ui.context import UiContext
from workbench.ui.link_patient_dialog import LinkPatientDialog
from workbench.ui.plain_text import plain_label, reveal_hidden

log = logging.getLogger(__name__)

_ID_ROLE = Qt.ItemDataRole.UserRole
_CANDIDATE_ROLE = Qt.ItemDataRole.UserRole
_AMBER = QColor(colours.CAUTION_TEXT)
_RED = QColor(colours.ALARM_TEXT)
CALL_PRACTICE = "call_practice"
USE_PORTAL = "use_portal"


def _moment(value: datetime | None) -> str:
    return value.astimezone().strftime("%d-%m-%Y %H:%M") if value is not None else ""


def _state(item: WaitingMail) -> MailState | None:
    try:
        return MailState(item.state)
    except ValueError:
        return None


def _sender_text(item: WaitingMail) -> str:
    """"Name <address>" with hidden characters made visible; what the mail says, unchecked."""
    address = reveal_hidden(item.from_address or "")
    name = reveal_hidden(item.from_name or "")
    if name and address:
        return f"{name} <{address}>"
    return name or address


class UnknownSendersView(AuditedSelection, QWidget):
    """The waiting mails in a table, the selected one in full beside it, with its actions.

    Signals:
        handled(int): a mail left the list (linked, imported or answered); counts need a
            refresh and, when it was imported, the inbox too.
        viewed(int): showing a mail's content was written to the audit log.
    """

    handled = Signal(int)
    viewed = Signal(int)

    COLUMNS = 4

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._items: list[WaitingMail] = []
        self._attachments: dict[int, int | None] = {}  # counted from the kept raw mail
        self._shown_id: int | None = None
        self._recorded_id: int | None = None  # the mail whose view is in the audit trail
        self._candidates_for: int | None = None  # the mail whose candidates are listed
        self._busy = False
        self._dialog: LinkPatientDialog | None = None
        self._box: QMessageBox | None = None
        self.setAccessibleName(self.tr("Unknown sender"))
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

        self.link_action = action(self.tr("&Link to patient…"), "Ctrl+Shift+L",
                                  self.open_link_dialog)
        self.choose_action = action(self.tr("&Import for the chosen patient…"), "Ctrl+Shift+K",
                                    self.ask_choose_patient)
        self.call_reply_action = action(self.tr("Reply: &call the practice…"), "Ctrl+Shift+T",
                                        lambda: self.ask_fixed_reply(CALL_PRACTICE))
        self.portal_reply_action = action(self.tr("Reply: use the &portal…"), "Ctrl+Shift+P",
                                          lambda: self.ask_fixed_reply(USE_PORTAL))
        self.handle_action = action(self.tr("&Mark as handled…"), "Ctrl+Shift+H",
                                    self.ask_mark_handled)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        title = QLabel(self.tr("Unknown sender"))
        font = QFont(title.font())
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.25)
        title.setFont(font)
        layout.addWidget(title)
        intro = QLabel(self.tr(
            "Secure mail that Workbench does not import by itself: the sender's address is "
            "not known for a patient, several patients share it, or the mail could not be "
            "read. Link the sender to a patient after checking the address, or send a reply "
            "without medical content."))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        tools = QToolBar()
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for made in (self.link_action, self.choose_action, self.call_reply_action,
                     self.portal_reply_action, self.handle_action):
            tools.addAction(made)
        layout.addWidget(tools)
        # What the last action did, in words (it may take the mail out of sight).
        self.feedback_label = plain_label()
        self.feedback_label.setStyleSheet(f"color: {colours.SUCCESS_TEXT};")
        self.feedback_label.hide()
        layout.addWidget(self.feedback_label)

        self._stack = QStackedWidget()
        layout.addWidget(self._stack, 1)
        self._empty = QLabel(self.tr("Nothing waiting: every mail has been imported or "
                                     "answered."))
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._stack.addWidget(self._empty)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        self._stack.addWidget(splitter)

        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels([
            self.tr("Received"), self.tr("From"), self.tr("Subject"), self.tr("Why")])
        self.table.setAccessibleName(self.tr("Mails waiting"))
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
        for column, width in ((0, 120), (1, 190), (3, 130)):
            self.table.setColumnWidth(column, width)
        self.table.currentCellChanged.connect(lambda *_args: self._current_changed())
        splitter.addWidget(self.table)
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 440])

    def _build_detail(self) -> QWidget:
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(box)
        self.summary_label = plain_label()
        bold = QFont(self.summary_label.font())
        bold.setBold(True)
        self.summary_label.setFont(bold)
        layout.addWidget(self.summary_label)
        # Alarm signs in the mail: the sender is not known, so nobody is called by itself.
        self.alarm_label = plain_label()
        self.alarm_label.setStyleSheet(
            f"background: {colours.BANNER_BACKGROUND}; color: {colours.BANNER_TEXT};"
            " font-weight: bold; padding: 6px;")
        self.alarm_label.hide()
        layout.addWidget(self.alarm_label)
        self.explanation_label = plain_label()
        layout.addWidget(self.explanation_label)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.sender_label = plain_label()
        self.received_label = plain_label()
        self.subject_label = plain_label()
        self.attachments_label = plain_label()
        for text, label in ((self.tr("From:"), self.sender_label),
                            (self.tr("Received:"), self.received_label),
                            (self.tr("Subject:"), self.subject_label),
                            (self.tr("Attachments:"), self.attachments_label)):
            form.addRow(text, label)
        layout.addLayout(form)
        self.notes_label = plain_label()  # others received it too, HTML shown as text
        self.notes_label.setStyleSheet(f"color: {colours.CAUTION_TEXT};")
        layout.addWidget(self.notes_label)
        # Several patients share the address: whose mail is it? (AMBIGUOUS only)
        self.candidates_label = QLabel(self.tr("Patients with this &address:"))
        self.candidates = QListWidget()
        self.candidates.setAccessibleName(self.tr("Patients with this address"))
        self.candidates.setMaximumHeight(96)
        self.candidates_label.setBuddy(self.candidates)
        self.candidates.currentItemChanged.connect(lambda *_args: self._update_actions())
        layout.addWidget(self.candidates_label)
        layout.addWidget(self.candidates)
        self.text_view = QPlainTextEdit()  # plain text only: the sender's words, literally
        self.text_view.setReadOnly(True)
        self.text_view.setAccessibleName(self.tr("Mail text"))
        self.text_view.setTabChangesFocus(True)
        layout.addWidget(self.text_view, 1)
        return box

    # -- public API --------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the waiting mails again (after a pull or an action), keeping the selection."""
        keep = self.current_item_id()
        # Without the blob store: counting attachments parses each kept mail, so that is
        # done for the shown mail only, off the GUI thread.
        self._items = mail_senders.list_waiting(self._context.engine)
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(len(self._items))
            for row, item in enumerate(self._items):
                why = self._short_state(_state(item))
                if item.urgency_advice:
                    why = self.tr("Possibly urgent") + " \u00b7 " + why
                cells = [_moment(item.received_at), _sender_text(item),
                         reveal_hidden(item.subject or ""), why]
                for column, text in enumerate(cells):
                    cell = QTableWidgetItem(text)
                    cell.setData(_ID_ROLE, item.id)
                    if column == 3:
                        cell.setForeground(_RED if _state(item) is MailState.UNREADABLE
                                           or item.urgency_advice else _AMBER)
                    self.table.setItem(row, column, cell)
        finally:
            self.table.blockSignals(False)
        self._stack.setCurrentIndex(1 if self._items else 0)
        rows = [n for n, item in enumerate(self._items) if item.id == keep]
        if rows:
            self.table.setCurrentCell(rows[0], 0)
        elif self._items:
            self.table.setCurrentCell(min(max(0, self.table.currentRow()),
                                          len(self._items) - 1), 0)
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

    def open_link_dialog(self) -> LinkPatientDialog | None:
        """Find the patient the unknown sender is, and link the address (after a check)."""
        item = self._current_item()
        if item is None or not self.link_action.isEnabled():
            return None
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            self._dialog.deleteLater()
        dialog = LinkPatientDialog(self._context, item.from_address, item.from_name, self)
        item_id = item.id
        dialog.accepted.connect(lambda: self.link_sender(item_id, dialog.patient_id()))
        dialog.finished.connect(dialog.deleteLater)
        self._dialog = dialog
        dialog.open()
        return dialog

    def ask_choose_patient(self) -> QMessageBox | None:
        """Several patients share the address: import for the one chosen in the list."""
        item, candidate = self._current_item(), self._chosen_candidate()
        if item is None or candidate is None or not self.choose_action.isEnabled():
            return None
        item_id, patient_id = item.id, candidate.id
        text = self.tr("Import this mail as an e-consult of {patient}?").format(
            patient=self._candidate_text(candidate))
        return self._ask(self.tr("Import for this patient"), text, self.tr("&Import"),
                         lambda: self.choose_patient(item_id, patient_id))

    def ask_fixed_reply(self, kind: str) -> QMessageBox | None:
        """A reply without medical content, after a yes; the mail then leaves the list."""
        item = self._current_item()
        made = self.call_reply_action if kind == CALL_PRACTICE else self.portal_reply_action
        if item is None or not made.isEnabled():
            return None
        item_id = item.id
        address = reveal_hidden(item.from_address or "")
        if kind == CALL_PRACTICE:
            text = self.tr("Send {address} the standard reply \"Please call the practice\"? "
                           "It contains nothing medical. The mail is then handled and not "
                           "imported.").format(address=address)
        else:
            text = self.tr("Send {address} the standard reply \"Please use the patient "
                           "portal\"? It contains nothing medical. The mail is then handled "
                           "and not imported.").format(address=address)
        return self._ask(self.tr("Send a standard reply"), text, self.tr("&Send reply"),
                         lambda: self.fixed_reply(item_id, kind))

    def ask_mark_handled(self) -> QMessageBox | None:
        """Dealt with outside Workbench (a mail that cannot be read, mostly), after a yes."""
        item = self._current_item()
        if item is None or not self.handle_action.isEnabled():
            return None
        item_id = item.id
        return self._ask(self.tr("Mark as handled"), self.tr(
            "Has this mail been dealt with outside Workbench (for example, you called the "
            "sender)? It then leaves this list without being imported; the mail itself is "
            "kept."), self.tr("&Mark as handled"), lambda: self.mark_handled(item_id))

    # -- the actions, on the database lane ---------------------------------------------------
    def link_sender(self, item_id: int, patient_id: int | None) -> None:
        if patient_id is None:
            return
        context = self._context
        engine, actor, clock, blobs = context.engine, context.actor, context.clock, context.blobs
        self._run(lambda: mail_senders.link_sender(engine, item_id, patient_id, actor, clock,
                                                   blobs), item_id)

    def choose_patient(self, item_id: int, patient_id: int) -> None:
        context = self._context
        engine, actor, clock, blobs = context.engine, context.actor, context.clock, context.blobs
        self._run(lambda: mail_senders.choose_patient(engine, item_id, patient_id, actor, clock,
                                                      blobs), item_id)

    def fixed_reply(self, item_id: int, kind: str) -> None:
        engine, actor, clock = self._context.engine, self._context.actor, self._context.clock
        settings = self._context.settings
        self._run(lambda: mail_senders.fixed_reply(
            engine, item_id, kind, actor, clock, practice_address=settings.mail_address,
            practice_name=settings.practice_name, practice_phone=settings.praktijk_telefoon),
            item_id)

    def mark_handled(self, item_id: int) -> None:
        engine, actor, clock = self._context.engine, self._context.actor, self._context.clock
        self._run(lambda: mail_senders.mark_handled(engine, item_id, actor, clock), item_id)

    def _run(self, work, item_id: int) -> None:
        self._busy = True
        self._update_actions()
        self.feedback_label.hide()
        self._context.tasks.run_db(work, lambda result: self._done(item_id, result),
                                   self._failed)

    # -- reactions -----------------------------------------------------------------------------
    def _done(self, item_id: int, result: object) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy = False
        self.feedback_label.setText(self._feedback(result))
        self.feedback_label.show()
        self.reload()
        self.handled.emit(item_id)

    def _feedback(self, result: object) -> str:
        if isinstance(result, LinkOutcome):
            text = self.tr("Imported: the mail is an e-consult in the inbox now.")
            if result.others_waiting:
                text += " " + self.tr("{count} more mails from this address wait here; "
                                      "link each of them as well.").format(
                    count=result.others_waiting)
            return text
        if isinstance(result, FixedReply):
            return self.tr("Standard reply to {address}; the mail is handled.").format(
                address=reveal_hidden(result.to_address))
        return self.tr("Marked as handled.")

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy = False
        self.reload()
        if not isinstance(exc, ActionRefused):
            log.error("unknown-sender action failed:\n%s",
                      getattr(exc, "__traceback_text__", type(exc).__name__))
            self._context.tasks.unexpected_error.emit(exc)
            return
        log.warning("unknown-sender action refused: %s", exc.code)
        self._show_box(QMessageBox(
            QMessageBox.Icon.Warning, self.tr("Workbench"), self.refusal_text(exc.code),
            QMessageBox.StandardButton.Ok, self))

    def refusal_text(self, code: str) -> str:
        """A refusal from the service, in words."""
        texts = {
            "not_found": self.tr("This mail no longer exists."),
            "not_waiting": self.tr("This mail was already imported or answered, perhaps at "
                                   "another workstation."),
            "patient_not_found": self.tr("This patient no longer exists."),
            "not_a_candidate": self.tr("This patient does not share this address (any "
                                       "more). Look again."),
            "no_address": self.tr("This mail has no sender address to reply to."),
            "mail_not_configured": self.tr("Replies by mail are not set up on this "
                                           "workstation (mail_address): ask IT."),
            "unreadable": self.tr("This mail could not be read, so it cannot be imported. "
                                  "Send a standard reply, or deal with it outside "
                                  "Workbench."),
            "raw_missing": self.tr("The kept copy of this mail cannot be found, so it cannot "
                                   "be imported. Ask IT to check the attachments folder."),
            "unknown_user": self.tr("Your name is not (or no longer) among the practice's "
                                    "staff. Choose who is working again, or ask IT."),
        }
        return texts.get(code, self.tr("This action could not be done."))

    def _ask(self, title: str, text: str, yes: str, then) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self)
        box.button(QMessageBox.StandardButton.Yes).setText(yes)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)

        def answered(button) -> None:
            if box.standardButton(button) is QMessageBox.StandardButton.Yes:
                then()

        box.buttonClicked.connect(answered)
        self._show_box(box)
        return box

    def _show_box(self, box: QMessageBox) -> None:
        if self._box is not None and shiboken6.isValid(self._box):
            self._box.close()
            self._box.deleteLater()
        box.setTextFormat(Qt.TextFormat.PlainText)  # addresses and names are not markup
        box.finished.connect(box.deleteLater)
        self._box = box
        box.open()

    def _record_view_call(self, item_id: int):
        engine, actor, clock = self._context.engine, self._context.actor, self._context.clock
        return lambda: mail_senders.record_view(engine, item_id, actor, clock)

    def _unrecorded_text(self) -> str:
        return self.tr("This mail cannot be shown: viewing it cannot be recorded.")

    # -- showing -----------------------------------------------------------------------------
    def _short_state(self, state: MailState) -> str:
        return {
            MailState.UNKNOWN_SENDER: self.tr("Unknown sender"),
            MailState.AMBIGUOUS: self.tr("Shared address"),
            MailState.UNREADABLE: self.tr("Cannot be read"),
        }.get(state, "")

    def _explanation(self, state: MailState) -> tuple[str, str]:
        if state is MailState.AMBIGUOUS:
            return (self.tr("Several patients share this address"), self.tr(
                "The address is known for more than one patient (a family, for example). "
                "Choose whose mail this is: it is then imported as that patient's "
                "e-consult."))
        if state is MailState.UNREADABLE:
            return (self.tr("This mail could not be read"), self.tr(
                "Workbench could not read this mail, so it cannot be imported. The mail "
                "itself is kept. Ask the sender to call the practice or to use the "
                "portal."))
        return (self.tr("Unknown sender"), self.tr(
            "No patient is known by this address. Anyone can put any address above a mail, "
            "so check with the patient (by phone, for example) that the address is theirs "
            "before you link it. Or send a reply without medical content."))

    def _show(self, item: WaitingMail | None) -> None:
        if item is None or item.id != self._candidates_for:
            self.candidates.blockSignals(True)
            self.candidates.clear()
            self.candidates.blockSignals(False)
            self._candidates_for = None
        if item is None:
            for label in (self.summary_label, self.explanation_label, self.sender_label,
                          self.received_label, self.subject_label, self.attachments_label,
                          self.notes_label):
                label.clear()
            self.candidates_label.hide()
            self.candidates.hide()
            self.text_view.clear()
            self.text_view.setPlaceholderText("")
            return
        summary, explanation = self._explanation(_state(item))
        self.alarm_label.setText(self._alarm_text(item))
        self.alarm_label.setVisible(bool(item.urgency_advice))
        self.summary_label.setText(summary)
        self.summary_label.setStyleSheet(
            f"color: {(_RED if _state(item) is MailState.UNREADABLE else _AMBER).name()};")
        self.explanation_label.setText(explanation)
        self.sender_label.setText(_sender_text(item) or self.tr("unknown"))
        self.received_label.setText(_moment(item.received_at) or self.tr("unknown"))
        self.subject_label.setText(reveal_hidden(item.subject or "") or self.tr("(no subject)"))
        self.attachments_label.setText(self._attachments_text(item.id))
        self.notes_label.setText("\n".join(self._notes(item)))
        self.notes_label.setVisible(bool(self.notes_label.text()))
        ambiguous = _state(item) is MailState.AMBIGUOUS
        self.candidates_label.setVisible(ambiguous)
        self.candidates.setVisible(ambiguous)
        if ambiguous and self._candidates_for != item.id:
            self._candidates_for = item.id
            self.candidates.blockSignals(True)
            for candidate in item.candidates or ():
                entry = QListWidgetItem(self._candidate_text(candidate))
                entry.setData(_CANDIDATE_ROLE, candidate)
                self.candidates.addItem(entry)
            self.candidates.blockSignals(False)
        # Fail-closed: the sender's text only once this view is in the audit trail.
        if item.id == self._recorded_id:
            self.text_view.setPlainText(item.text or "")
            self.text_view.setPlaceholderText(self.tr("The mail has no text."))
        else:
            self.text_view.clear()
            self.text_view.setPlaceholderText("")

    def _alarm_text(self, item: WaitingMail) -> str:
        if not item.urgency_advice:
            return ""
        signs = " · ".join(dict.fromkeys(str(entry.get("label") or entry.get("category"))
                                         for entry in item.urgency_advice))
        return self.tr(
            "Possibly urgent: {signs}. Nobody is linked to this address: find out who wrote "
            "(the name, the text) and call them, or reply at once with \"call the "
            "practice\".").format(signs=signs)

    def _notes(self, item: WaitingMail) -> list[str]:
        notes = []
        if item.other_recipients:
            notes.append(self.tr("This mail also went to {count} other addresses.").format(
                count=item.other_recipients))
        if "mail_html_only" in item.problems:
            notes.append(self.tr("Sent as HTML only: shown here as plain text."))
        if "fixed_reply_refused" in item.problems:
            notes.append(self.tr("The standard reply was refused by the mail server: the "
                                 "sender has not heard from the practice. Try the other "
                                 "reply, or call if you know who it is."))
        return notes

    def _attachments_text(self, item_id: int) -> str:
        if item_id not in self._attachments:
            self._count_attachments(item_id)
            return "…"
        count = self._attachments[item_id]
        if count is None:
            return self.tr("unknown")
        return str(count) if count else self.tr("none")

    def _count_attachments(self, item_id: int) -> None:
        """Counted from the kept raw mail (parsed: off the GUI thread), once per mail."""
        self._attachments[item_id] = None
        engine, blobs = self._context.engine, self._context.blobs

        def count() -> int | None:
            found = mail_senders.get_waiting(engine, item_id, blobs)
            return found.attachment_count if found is not None else None

        def done(value: int | None) -> None:
            if not shiboken6.isValid(self):
                return
            self._attachments[item_id] = value
            if self.current_item_id() == item_id:
                self.attachments_label.setText(self._attachments_text(item_id))

        def failed(exc: BaseException) -> None:
            log.warning("attachments of mail %s not counted: %s", item_id,
                        type(exc).__name__)

        self._context.tasks.run_io(count, done, failed)

    def _candidate_text(self, candidate: PatientMatch) -> str:
        parts = [reveal_hidden(candidate.name)]
        if candidate.birth_date is not None:
            parts.append(self.tr("born {date}").format(
                date=candidate.birth_date.strftime("%d-%m-%Y")))
        if candidate.bsn_masked:
            parts.append(self.tr("BSN {bsn}").format(bsn=candidate.bsn_masked))
        return " \u00b7 ".join(parts)

    def _chosen_candidate(self) -> PatientMatch | None:
        entry = self.candidates.currentItem()
        return entry.data(_CANDIDATE_ROLE) if entry is not None else None

    def _update_actions(self) -> None:
        item = self._current_item()
        idle = item is not None and not self._busy
        self.link_action.setEnabled(idle and _state(item) is MailState.UNKNOWN_SENDER)
        self.choose_action.setEnabled(idle and _state(item) is MailState.AMBIGUOUS
                                      and self._chosen_candidate() is not None)
        can_reply = idle and bool(item.from_address)
        self.call_reply_action.setEnabled(can_reply)
        self.portal_reply_action.setEnabled(can_reply)
        self.handle_action.setEnabled(idle)

    def _current_item(self) -> WaitingMail | None:
        row = self.table.currentRow()
        if 0 <= row < len(self._items) and self._stack.currentIndex() == 1:
            return self._items[row]
        return None
