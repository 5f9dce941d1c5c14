"""Link a mail's unknown sender to a patient: find the patient, confirm the address was checked."""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.services import mail_senders
from workbench.ui.context import UiContext
from workbench.ui.plain_text import plain_label, reveal_hidden

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 250
_MATCH = Qt.ItemDataRole.UserRole


class LinkPatientDialog(QDialog):
    """Find the patient by name, birth date or BSN, pick one (arrow keys), tick that the
    address was checked as this patient's, and link: the address becomes trusted for that
    patient (the service audits it) and the mail is imported as an e-consult.

    Keyboard: type in the search field (Enter there looks up at once, it never links), Down
    goes into the results, Alt+C ticks the confirmation, Enter links.

    Signals: QDialog's (accepted once a patient is chosen and the check confirmed; read
    `patient_id()`).
    """

    def __init__(self, context: UiContext, address: str | None, sender_name: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._generation = 0
        self._checked_for: int | None = None  # the patient the tick was given for
        self.setWindowTitle(self.tr("Link to patient"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_now)
        self._address = reveal_hidden(address or "")
        self._build(reveal_hidden(sender_name or ""))

    def _build(self, sender_name: str) -> None:
        layout = QVBoxLayout(self)
        intro = plain_label()
        sender = f"{sender_name} <{self._address}>" if sender_name else self._address
        intro.setText(self.tr(
            "Mail from {sender}. Find the patient who wrote it: by name, birth date or BSN."
        ).format(sender=sender))
        layout.addWidget(intro)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Name, birth date (dd-mm-yyyy) or BSN"))
        self.search.setAccessibleName(self.tr("Find the patient"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.installEventFilter(self)  # Enter looks up, Down goes into the results
        label = QLabel(self.tr("&Patient:"))
        label.setBuddy(self.search)
        layout.addWidget(label)
        layout.addWidget(self.search)

        self.results = QListWidget()
        self.results.setAccessibleName(self.tr("Patients found"))
        self.results.currentItemChanged.connect(lambda _item, _previous: self._patient_changed())
        layout.addWidget(self.results, 1)
        self.found = QLabel()
        self.found.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.found)

        self.confirm = QCheckBox()
        self.confirm.toggled.connect(lambda _on: self._update())
        layout.addWidget(self.confirm)
        note = plain_label()
        note.setText(self.tr(
            "From then on, mail from {address} is imported for this patient directly, and "
            "answers may go to it. Check it first, for example by phone.").format(
            address=self._address))
        layout.addWidget(note)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.link_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.link_button.setText(self.tr("&Link and import"))
        self.link_button.setDefault(True)  # Enter, once a patient is chosen and ticked
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(520, 460)
        self.search.setFocus()
        self._update()

    # -- public API --------------------------------------------------------------------------
    def search_now(self) -> None:
        """Look the typed text up off the GUI thread; answers to older text are dropped."""
        self._search_timer.stop()
        self._generation += 1
        generation, query = self._generation, self.search.text().strip()
        engine, actor, clock = self._context.engine, self._context.actor, self._context.clock
        if len(query) < 2:
            self._show_matches(generation, query, [])
            return
        # Audited (who searched the practice's patients): on the store's lane.
        self._context.tasks.run_db(lambda: mail_senders.find_patients(engine, query, actor,
                                                                      clock),
                                   lambda found: self._show_matches(generation, query, found),
                                   self._lookup_failed)

    def matches(self) -> list:
        return [self.results.item(row).data(_MATCH) for row in range(self.results.count())]

    def patient_id(self) -> int | None:
        item = self.results.currentItem()
        return item.data(_MATCH).id if item is not None else None

    def choose_patient(self, patient_id: int) -> bool:
        for row in range(self.results.count()):
            if self.results.item(row).data(_MATCH).id == patient_id:
                self.results.setCurrentRow(row)
                return True
        return False

    def accept(self) -> None:
        if self.patient_id() is not None and self.confirm.isChecked():
            super().accept()

    # -- Qt overrides ------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the search field Enter looks up now (and never links a patient chosen before),
        Down goes into the results, on the first one."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.search_now()
                return True
            if event.key() == Qt.Key.Key_Down and self.results.count():
                self.results.setFocus(Qt.FocusReason.TabFocusReason)
                if self.results.currentRow() < 0:
                    self.results.setCurrentRow(0)
                return True
        return super().eventFilter(watched, event)

    # -- internals ---------------------------------------------------------------------------
    def _show_matches(self, generation: int, query: str, found: list) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self.results.blockSignals(True)
        self.results.clear()
        for match in found:
            parts = [reveal_hidden(match.name)]
            if match.birth_date is not None:
                parts.append(self.tr("born {date}").format(
                    date=match.birth_date.strftime("%d-%m-%Y")))
            if match.bsn_masked:
                parts.append(self.tr("BSN {bsn}").format(bsn=match.bsn_masked))
            item = QListWidgetItem(" \u00b7 ".join(parts))
            item.setData(_MATCH, match)
            self.results.addItem(item)
        self.results.blockSignals(False)
        if len(query) < 2:
            self.found.setText("")
        elif found:
            self.found.setText(self.tr("{count} found").format(count=len(found)))
        else:
            self.found.setText(self.tr("No patient found"))
        if len(found) == 1:
            self.results.setCurrentRow(0)
        self._update()

    def _lookup_failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        log.warning("patient look-up failed: %s", getattr(exc, "code", type(exc).__name__))
        self.found.setText(self.tr("The patients could not be searched. Try again."))

    def _patient_changed(self) -> None:
        """The check was for the patient chosen then: another patient, another check."""
        chosen = self.patient_id()
        if chosen != self._checked_for:
            self.confirm.setChecked(False)
        self._checked_for = chosen
        self._update()

    def _update(self) -> None:
        item = self.results.currentItem()
        if item is None:
            self.confirm.setText(self.tr("I have &checked that this address belongs to the "
                                         "patient chosen above"))
        else:
            self.confirm.setText(self.tr(
                "I have &checked that this address belongs to {patient}").format(
                patient=reveal_hidden(item.data(_MATCH).name).replace("&", "&&")))
        self.confirm.setEnabled(item is not None)
        self.link_button.setEnabled(self.patient_id() is not None and self.confirm.isChecked())
