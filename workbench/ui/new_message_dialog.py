"""The practice writes first: a new message to a patient (a result, an invitation, information)."""

from __future__ import annotations

import logging
from datetime import timedelta

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.services.errors import ErrorKind, classify
from workbench.services.patient_history import patient_phones
from workbench.services.replies import PatientHit, ReplyError, ReplyService
from workbench.ui.billing_timer import BillingTimer
from workbench.ui.context import UiContext
from workbench.ui.declare_flow import DeclareFlow
from workbench.ui.errors import describe_error
from workbench.ui.patient_history import phone_label, phone_text
from workbench.ui.plain_text import reveal_hidden
from workbench.ui.reply_editor import ReplyEditor

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 250
_HIT = Qt.ItemDataRole.UserRole


class NewMessageDialog(QDialog):
    """Find the patient (name, birth date dd-mm-jjjj or BSN), write a subject and the message
    (templates and attachments as in an answer) and send it as a new conversation.

    Signals:
        started(int): the new e-consult is in the store (and its message in the outbox).
    """

    started = Signal(int)

    def __init__(self, context: UiContext, replies: ReplyService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._replies = replies
        self._generation = 0
        self._query = ""  # the look-up the hits shown came from
        self._sending = False
        self._patient: PatientHit | None = None
        self._box: QMessageBox | None = None
        self.setWindowTitle(self.tr("New message"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_now)
        self._build()

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Name, birth date (dd-mm-yyyy) or BSN"))
        self.search.setAccessibleName(self.tr("Find the patient"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.results = QListWidget()
        self.results.setAccessibleName(self.tr("Patients found"))
        self.results.currentItemChanged.connect(lambda item, _previous: self._choose(item))
        self._found = QLabel()
        self._found.setEnabled(False)
        self._chosen = QLabel(self.tr("No patient chosen"))
        self._chosen.setTextFormat(Qt.TextFormat.PlainText)
        # Whoever writes may rather call: the patient's numbers and those of parents or carers.
        self.phones = phone_label()
        # The patient, or a parent or carer the portal knows (the record stays the patient's).
        self.recipient = QComboBox()
        self.recipient.setAccessibleName(self.tr("Send to"))
        self.subject = QLineEdit()
        self.subject.setMaxLength(300)
        self.subject.setAccessibleName(self.tr("Subject"))
        self.editor = ReplyEditor(self._context, self, replies=self._replies, conversation=True)
        self.editor.text_edit.setPlaceholderText(self.tr(
            "Write your message here. Type :: or press Ctrl+T for a template."))
        self.editor.send_requested.connect(self._send)

        form = QFormLayout()
        form.addRow(self.tr("&Patient"), self.search)
        form.addRow("", self.results)
        form.addRow("", self._found)
        form.addRow(self.tr("About"), self._chosen)
        form.addRow(self.tr("Phone"), self.phones)
        form.addRow(self.tr("&To"), self.recipient)
        form.addRow(self.tr("&Subject"), self.subject)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setToolTip(self.tr("Send (Ctrl+Return)"))
        self.send_button.setAutoDefault(False)
        self.send_button.clicked.connect(lambda _checked=False: self.editor.send())
        self.buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        for button in self.buttons.buttons():
            button.setAutoDefault(False)  # Enter in the search field must not close the dialog
        self.search.returnPressed.connect(self.search_now)

        # Writing to a patient is direct time too: measured here, declared after sending.
        self.timer: BillingTimer | None = None
        self._declare: DeclareFlow | None = None
        context = self._context
        if context.billing is not None:
            self.timer = BillingTimer(context, context.billing, idle_limit=timedelta(
                seconds=context.settings.billing_idle_seconds))
            # The proposal opens over the main window: this dialog closes when sent.
            self._declare = DeclareFlow(context, context.billing, self.timer,
                                        self.parentWidget() or self)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.editor, 1)
        if self.timer is not None:
            layout.addWidget(self.timer)
            # This dialog's timer counts, the pane's waits; closing hands back.
            self.finished.connect(lambda _result: self.timer.unclaim())
        layout.addWidget(self.buttons)
        self.results.setMaximumHeight(140)
        self.resize(720, 640)
        self._update()
        self.search.setFocus()  # Ctrl+N: first find the patient

    # -- public API --------------------------------------------------------------------------
    def patient(self) -> PatientHit | None:
        return self._patient

    def search_now(self) -> None:
        """Look the typed text up (off the GUI thread; audited, so on the store's thread);
        older answers are dropped."""
        self._search_timer.stop()
        self._generation += 1
        generation, query, replies = self._generation, self.search.text(), self._replies
        actor = self._context.actor
        self._context.tasks.run_db(lambda: replies.find_patients(query, actor),
                                   lambda hits: self._show_hits(generation, query, hits),
                                   self._lookup_failed)

    def hits(self) -> list[PatientHit]:
        return [self.results.item(row).data(_HIT) for row in range(self.results.count())]

    def choose_patient(self, patient_id: int) -> bool:
        for row in range(self.results.count()):
            if self.results.item(row).data(_HIT).id == patient_id:
                self.results.setCurrentRow(row)
                return True
        return False

    # -- internals ---------------------------------------------------------------------------
    def _show_hits(self, generation: int, query: str, hits: list[PatientHit]) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._query = query
        self.results.blockSignals(True)
        self.results.clear()
        for hit in hits:
            parts = [reveal_hidden(hit.name)]
            if hit.birth_date is not None:
                parts.append(self.tr("born {date}").format(
                    date=hit.birth_date.strftime("%d-%m-%Y")))
            if hit.bsn_masked:
                parts.append(self.tr("BSN {bsn}").format(bsn=hit.bsn_masked))
            item = QListWidgetItem(" \u00b7 ".join(parts))
            item.setData(_HIT, hit)
            self.results.addItem(item)
        self.results.blockSignals(False)
        if len(self.search.text().strip()) < 2:
            self._found.setText("")
        elif hits:
            self._found.setText(self.tr("{count} found").format(count=len(hits)))
        else:
            self._found.setText(self.tr("No patient found"))
        if len(hits) == 1:
            self.results.setCurrentRow(0)

    def _choose(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        hit: PatientHit = item.data(_HIT)
        self._patient = hit
        self._chosen.setText(item.text())
        self.editor.set_patient(hit.id)
        if self.timer is not None:
            self.timer.set_consult(None, hit.id)
        self.recipient.clear()
        self.phones.clear()
        # The choice is audited with the patient; their contacts show once it is recorded.
        replies, actor, query = self._replies, self._context.actor, self._query
        self._context.tasks.run_db(lambda: replies.record_patient_choice(hit.id, actor, query),
                                   lambda _done: self._load_contacts(hit.id),
                                   self._lookup_failed)
        self._update()

    def _load_contacts(self, patient_id: int) -> None:
        if not shiboken6.isValid(self) or self._patient is None or self._patient.id != patient_id:
            return
        replies, engine = self._replies, self._context.engine
        self._context.tasks.run_io(lambda: replies.recipients(patient_id),
                                   lambda options: self._show_recipients(patient_id, options))
        self._context.tasks.run_io(lambda: patient_phones(engine, patient_id),
                                   lambda numbers: self._show_phones(patient_id, numbers))

    def _lookup_failed(self, exc: BaseException) -> None:
        """A look-up or choice that could not be done (or not audited): nothing is shown."""
        if not shiboken6.isValid(self):
            return
        if isinstance(exc, ReplyError):
            self._warn(self.editor.error_text(exc))
        elif classify(exc) is not ErrorKind.UNEXPECTED:
            self._warn(describe_error(exc))
        else:
            self._context.tasks.unexpected_error.emit(exc)

    def _show_phones(self, patient_id: int, numbers) -> None:
        if not shiboken6.isValid(self) or self._patient is None or self._patient.id != patient_id:
            return  # another patient was chosen meanwhile
        self.phones.setText(reveal_hidden(phone_text(numbers, prefix=False)))

    def _show_recipients(self, patient_id: int, options) -> None:
        if not shiboken6.isValid(self) or self._patient is None or self._patient.id != patient_id:
            return
        self.recipient.clear()
        for option in options:
            label = option.name if option.related_person_id is None else \
                self.tr("{name} ({relation}) for the patient").format(
                    name=option.name, relation=option.relation or self.tr("contact"))
            self.recipient.addItem(reveal_hidden(label), option.related_person_id)

    def _update(self) -> None:
        self.send_button.setEnabled(self._patient is not None and not self._sending)

    def _send(self, text: str) -> None:
        if self._sending:
            return
        if self._patient is None:
            self._warn(self.tr("Choose the patient first."))
            self.search.setFocus()
            return
        subject = self.subject.text().strip()
        if not subject:
            self._warn(self.tr("Write a subject first."))
            self.subject.setFocus()
            return
        self._sending = True
        self._update()
        patient_id, actor, replies = self._patient.id, self._context.actor, self._replies
        attachments = self.editor.attachments()
        related_id = self.recipient.currentData() if self.recipient.count() else None
        self._context.tasks.run_db(
            lambda: replies.start_conversation(patient_id, actor, subject, text, attachments,
                                               to_related_person_id=related_id),
            self._started, self._failed)

    def _started(self, econsult_id: int) -> None:
        if not shiboken6.isValid(self):
            return
        self._sending = False
        self.editor.clear()
        self.started.emit(econsult_id)
        if self.timer is not None:
            # Information the practice starts is not proposed for declaring; its time is
            # stored (Declare… on the time bar declares it by hand, with a reason).
            self.timer.flush()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._sending = False
        self._update()
        if not isinstance(exc, ReplyError):
            log.error("starting a conversation failed:\n%s",
                      getattr(exc, "__traceback_text__", type(exc).__name__))
            self._context.tasks.unexpected_error.emit(exc)
            return
        log.warning("new message refused: %s", exc.code)
        self._warn(self.editor.error_text(exc))

    def _warn(self, text: str) -> None:
        if self._box is not None and shiboken6.isValid(self._box):
            self._box.deleteLater()
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("New message"), text,
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
        self._box = box
