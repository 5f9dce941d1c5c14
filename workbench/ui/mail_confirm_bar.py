"""Under the thread: an answer by mail that may have gone out (the connection broke before the
mail server confirmed it) waits for a person, who checks with the patient and says."""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from workbench.services.errors import ErrorKind, classify
from workbench.ui import colours
from workbench.ui.context import UiContext
from workbench.ui.errors import describe_error

log = logging.getLogger(__name__)

UNSURE = ("unknown_outcome", "unknown_after_restart")  # the outbox's codes for "perhaps sent"


class MailConfirmBar(QWidget):
    """Hidden unless an answer of the shown e-consult waits for confirmation.

    Signals:
        confirmed(int): the e-consult's id, after a person said; the outbox may push.
    """

    confirmed = Signal(int)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._econsult_id: int | None = None
        self._item_id: int | None = None
        self.setObjectName("mailConfirmBar")
        self.setStyleSheet(f"#mailConfirmBar {{ background: {colours.ALTERNATE_BASE}; }}"
                           f" #mailConfirmBar QLabel {{ color: {colours.CAUTION_TEXT}; }}")
        self.setAutoFillBackground(True)
        self.label = QLabel(self._question())
        self.label.setWordWrap(True)
        self.arrived_button = QPushButton(self.tr("It &arrived"))
        self.arrived_button.setToolTip(self.tr("Record the answer as sent; it is not sent "
                                               "again"))
        self.resend_button = QPushButton(self.tr("It did &not arrive: send again"))
        self.arrived_button.clicked.connect(lambda: self._confirm(True))
        self.resend_button.clicked.connect(lambda: self._confirm(False))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.arrived_button)
        layout.addWidget(self.resend_button)
        self.hide()

    def _question(self) -> str:
        return self.tr("An answer by mail may not have arrived: the connection broke before "
                       "the mail server confirmed it. Check with the patient.")

    def set_delivery(self, econsult_id: int, states) -> None:
        """The delivery states of the shown e-consult's messages (ReplyService)."""
        self._econsult_id = econsult_id
        unsure = any(state.state == "pending" and state.error in UNSURE
                     for state in states.values())
        if not unsure:
            self._item_id = None
            self.hide()
            return
        from workbench.services.mail_outbox import waiting_for_confirmation
        engine = self._context.engine
        self._context.tasks.run_db(lambda: waiting_for_confirmation(engine, econsult_id),
                                   lambda items: self._found(econsult_id, items))

    def _found(self, econsult_id: int, items: list[tuple[int, int]]) -> None:
        if not shiboken6.isValid(self) or econsult_id != self._econsult_id:
            return
        self._item_id = items[0][0] if items else None
        self.label.setText(self._question())
        self.setVisible(self._item_id is not None)

    def _confirm(self, went_out: bool) -> None:
        from workbench.services.mail_outbox import confirm_delivery
        if self._item_id is None or self._econsult_id is None:
            return
        item_id, econsult_id, actor = self._item_id, self._econsult_id, self._context.actor
        engine, clock = self._context.engine, self._context.clock
        self.arrived_button.setEnabled(False)
        self.resend_button.setEnabled(False)

        def done(_result: object) -> None:
            if shiboken6.isValid(self):
                self.arrived_button.setEnabled(True)
                self.resend_button.setEnabled(True)
                self.hide()
                self.confirmed.emit(econsult_id)

        def refused(exc: BaseException) -> None:
            from workbench.services.mail_outbox import MailReplyRefused
            if not shiboken6.isValid(self):
                return
            if isinstance(exc, MailReplyRefused):
                # Said already, at another workstation: that word stands; the pane shows it.
                log.info("mail answer confirmed elsewhere first (outbox %s)", item_id)
                done(None)
                return
            self.arrived_button.setEnabled(True)
            self.resend_button.setEnabled(True)
            if classify(exc) is ErrorKind.UNEXPECTED:
                self._context.tasks.unexpected_error.emit(exc)
                return
            # Nothing was recorded: the question stays, with why.
            self.label.setText(self.tr("Not recorded: %1").replace("%1", describe_error(exc))
                               + "\n" + self._question())

        self._context.tasks.run_db(
            lambda: confirm_delivery(engine, item_id, went_out=went_out, user_id=actor.user_id,
                                     responsible_id=actor.responsible, clock=clock),
            done, refused)
