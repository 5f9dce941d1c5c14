"""After an answer or a close: the measured time becomes a proposed declaration to confirm."""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.services.billing import BillingError, BillingService
from workbench.ui.billing_timer import BillingTimer
from workbench.ui.context import UiContext
from workbench.ui.declare_dialog import DeclareDialog

log = logging.getLogger(__name__)


class DeclareFlow(QObject):
    """Stores the running time, asks the billing service for a proposal and, when there is
    time to declare, lets the person confirm or override it.

    Signals:
        declared(int): the id of the declaration made.
    """

    declared = Signal(int)

    def __init__(self, context: UiContext, billing: BillingService, timer: BillingTimer,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self._context = context
        self._billing = billing
        self._timer = timer
        self._parent = parent
        self._dialog: DeclareDialog | None = None

    def offer(self, econsult_id: int | None, patient_name: str | None,
              patient_id: int | None = None) -> None:
        """`econsult_id` None: the time of a practice-started message for `patient_id`."""
        self._timer.flush()  # the last seconds too; run_db keeps the order of writes
        billing, user_id = self._billing, self._context.user.id
        self._context.tasks.run_db(lambda: billing.propose(econsult_id, user_id,
                                                           patient_id=patient_id),
                                   lambda proposal: self._show(proposal, patient_name),
                                   self._failed)

    def _show(self, proposal, patient_name: str | None) -> None:
        if proposal is None or not shiboken6.isValid(self._parent):
            return  # no undeclared time (declared per patient-day already, or none measured)
        codes = self._billing.tariffs_for(proposal.day).codes
        dialog = DeclareDialog(proposal, codes, self._parent, patient_name=patient_name,
                               to_confirm=proposal.tariff_to_confirm)
        dialog.accepted.connect(lambda: self._declare(proposal, *dialog.chosen()))
        self._dialog = dialog
        dialog.open()

    def _declare(self, proposal, code: str, reason: str | None) -> None:
        billing, actor = self._billing, self._context.actor
        self._context.tasks.run_db(
            lambda: billing.declare(proposal, actor, code=code, override_reason=reason),
            self.declared.emit, self._failed)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, BillingError):
            self._context.tasks.unexpected_error.emit(exc)
            return
        log.info("declaration not made: %s", exc.code)
        if exc.code == "already_declared" and shiboken6.isValid(self._parent):
            QMessageBox.information(self._parent, self.tr("Declaration"), self.tr(
                "This time has already been declared."))
