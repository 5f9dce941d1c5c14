"""After an answer or a close: the measured time becomes a proposed declaration to confirm."""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.services.billing import BillingError, BillingService, Proposal
from workbench.services.templates import TemplateService
from workbench.ui.billing_timer import BillingTimer, hold_all, release_all
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
        timer.declare_requested.connect(self.offer_by_hand)

    def offer(self, econsult_id: int | None, patient_name: str | None = None,
              patient_id: int | None = None, *, template_keys=()) -> None:
        """After a medical answer or a call: propose the time for declaring. `econsult_id`
        None: the time of a practice-started message for `patient_id`. An answer made with
        an administrative template ("Administratief") is not proposed (its time stays
        stored; Declare… on the time bar declares it by hand). The dialog names the
        patient of the proposal itself, not `patient_name` (the pane may show another)."""
        self._timer.flush()  # the last seconds too; run_db keeps the order of writes
        billing, user_id = self._billing, self._context.user.id
        keys = tuple(template_keys)
        engine, clock = self._context.engine, self._context.clock

        def work() -> Proposal | None:
            if keys and _administrative(engine, clock, user_id, keys):
                return None
            return billing.propose(econsult_id, user_id, patient_id=patient_id)

        self._context.tasks.run_db(work, lambda proposal: self._show(proposal), self._failed)

    def offer_by_hand(self, econsult_id: int | None, patient_id: int | None) -> None:
        """Declare… by hand (no proposal came, e.g. "Geen actie nodig"): a reason is needed."""
        self._timer.flush()
        billing, user_id = self._billing, self._context.user.id
        self._context.tasks.run_db(
            lambda: billing.propose(econsult_id, user_id, patient_id=patient_id),
            lambda proposal: self._show(proposal, by_hand=True), self._failed)

    def dialog(self) -> DeclareDialog | None:
        return self._dialog

    def _show(self, proposal, patient_name: str | None = None, *, by_hand: bool = False
              ) -> None:
        if not shiboken6.isValid(self._parent):
            return
        if proposal is None:
            if by_hand:
                QMessageBox.information(self._parent, self.tr("Declaration"), self.tr(
                    "There is no undeclared time on this item."))
            return  # no undeclared time (declared per patient-day already, or none measured)
        codes = self._billing.tariffs_for(proposal.day).codes
        dialog = DeclareDialog(proposal, codes, self._parent, patient_name=patient_name,
                               to_confirm=proposal.tariff_to_confirm, by_hand=by_hand)
        dialog.accepted.connect(lambda: self._declare(proposal, *dialog.chosen(),
                                                      by_hand=by_hand))
        # No timer counts while the dialog is open: that time is on no item.
        hold_all(dialog)
        dialog.finished.connect(lambda _result: release_all(dialog))
        self._dialog = dialog
        dialog.open()

    def _declare(self, proposal, code: str, reason: str | None, *, by_hand: bool = False
                 ) -> None:
        billing, actor = self._billing, self._context.actor
        self._context.tasks.run_db(
            lambda: billing.declare(proposal, actor, code=code, override_reason=reason,
                                    by_hand=by_hand),
            lambda declaration_id: self._declared(proposal, declaration_id), self._failed)

    def _declared(self, proposal, declaration_id: int) -> None:
        if shiboken6.isValid(self._timer):
            self._timer.mark_declared((*proposal.econsult_ids, proposal.econsult_id))
        self.declared.emit(declaration_id)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, BillingError):
            self._context.tasks.unexpected_error.emit(exc)
            return
        log.info("declaration not made: %s", exc.code)
        if exc.code == "already_declared" and shiboken6.isValid(self._parent):
            QMessageBox.information(self._parent, self.tr("Declaration"), self.tr(
                "This time has already been declared."))


ADMINISTRATIVE_CATEGORY = "Administratief"


def _administrative(engine, clock, user_id: int, keys: tuple[str, ...]) -> bool:
    """Whether the answer used a template of the category "Administratief"."""
    templates = TemplateService(engine, clock=clock)
    return any(info.key in keys and info.category.strip().casefold()
               == ADMINISTRATIVE_CATEGORY.casefold() for info in templates.visible(user_id))
