"""The triage actions on the e-consult a ConsultPane shows: their QActions and shortcuts, the
dialogs that ask what is needed, the store's call on the database thread, and what a refusal
says."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMessageBox

from workbench.services.concurrency import ConsultChanged
from workbench.services.errors import ActionRefused
from workbench.services.replies import ReplyError
from workbench.services.templates import render
from workbench.services.triage import CallOutcome, CloseReason
from workbench.services.undo import UndoToken
from workbench.store.models import ConsultStatus, Direction, Role, Urgency
from workbench.ui import labels
from workbench.ui.call_outcome_dialog import CallOutcomeDialog, call_outcome_label
from workbench.ui.change_text import refused_text

# The dialogs are imported when first opened: the window's first paint does not need them.
if TYPE_CHECKING:
    from workbench.ui.assign_dialog import AssignDialog
    from workbench.ui.close_dialog import CloseDialog
    from workbench.ui.message_dialogs import InviteDialog, SendBackDialog
    from workbench.ui.route_dialog import RouteDialog
    from workbench.ui.template_picker import IcpcPicker
    from workbench.ui.urgency_dialog import DismissAdviceDialog

log = logging.getLogger(__name__)


class TriageActions:
    """Mixed into ConsultPane, which has `_context` (UiContext), `_replies`, `_reply`
    (ReplyEditor), `_detail` (the ConsultDetail shown), `_call_state`, `_mark_urgent` and
    `_not_urgent` (the banner's buttons), `current_id()`, `refresh()`,
    `refresh_after_own_change()`, `_offer_declaration(econsult_id)` and the signals `changed`,
    `acted` and `his_copied`. Texts keep the "ConsultPane" translation context: they were
    translated there."""

    _busy = False  # an action is on its way to the store
    _dialog: RouteDialog | CloseDialog | IcpcPicker | DismissAdviceDialog | None = None
    _error_box: QMessageBox | None = None

    # -- the actions -------------------------------------------------------------------------
    def _make_actions(self) -> None:
        def action(text: str, keys: str, slot: Callable[[], None]) -> QAction:
            made = QAction(text, self)
            made.setShortcut(QKeySequence(keys))
            native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            made.setToolTip(f"{text} ({native})")
            made.triggered.connect(lambda _checked=False: slot())
            return made

        translate = QCoreApplication.translate  # literal texts, so lupdate finds them
        self.route_action = action(translate("ConsultPane", "Route to worklist…"), "Ctrl+R",
                                   self.open_route_dialog)
        self.send_back_action = action(translate("ConsultPane", "Send back to assistants…"),
                                       "Ctrl+B", self.open_send_back_dialog)
        self.invite_action = action(translate("ConsultPane", "Invite to the surgery…"),
                                    "Ctrl+I", self.open_invite_dialog)
        self.assign_to_me_action = action(translate("ConsultPane", "Assign to me"), "Ctrl+M",
                                          self.assign_to_me)
        self.assign_action = action(translate("ConsultPane", "Assign to…"), "Ctrl+Shift+M",
                                    self.open_assign_dialog)
        self.close_action = action(translate("ConsultPane", "Close…"), "Ctrl+E",
                                   self.open_close_dialog)
        self.call_action = action(translate("ConsultPane", "Record call…"), "Ctrl+G",
                                  self.open_call_dialog)
        self.his_copy_action = action(translate("ConsultPane", "Copy to HIS…"), "Ctrl+Shift+C",
                                      self.open_his_copy_dialog)
        self.template_action = self._reply.template_action
        self.send_action = self._reply.send_action

    def _update_actions(self) -> None:
        detail = self._detail
        usable = detail is not None and not self._busy
        open_ = usable and detail.status is not ConsultStatus.CLOSED
        self.route_action.setEnabled(open_)
        self.assign_to_me_action.setEnabled(open_ and detail.assignee_id
                                            != self._context.actor.user_id)
        self.assign_action.setEnabled(open_)
        self.send_back_action.setEnabled(usable and detail.status is ConsultStatus.WORKLIST)
        self.invite_action.setEnabled(open_ and not detail.invite_to_surgery)
        self.close_action.setEnabled(open_)
        self.call_action.setEnabled(open_)
        self.his_copy_action.setEnabled(usable and any(
            m.direction is Direction.IN for m in detail.messages))
        self._mark_urgent.setEnabled(usable)
        self._not_urgent.setEnabled(usable)

    # -- route, assign, send back, invite, urgency, close ------------------------------------
    def route(self, practitioner_id: int, priority: Urgency, note: str | None = None) -> None:
        actor, triage = self._context.actor, self._context.triage
        name = next((p.name for p in self._context.queries.practitioners()
                     if p.id == practitioner_id), "")
        self._run_action(lambda eid, seen: triage.route(
            eid, actor, practitioner_id, priority, note, expected_version=seen),
                         said=QCoreApplication.translate(
                             "ConsultPane", "Routed to the worklist of %1").replace("%1", name))

    def assign(self, practitioner_id: int, name: str) -> None:
        """Into `practitioner_id`'s own worklist (Ctrl+M: into mine)."""
        actor, triage = self._context.actor, self._context.triage
        self._run_action(lambda eid, seen: triage.assign(
            eid, actor, practitioner_id, expected_version=seen),
                         said=QCoreApplication.translate("ConsultPane", "Assigned to %1")
                         .replace("%1", name))

    def assign_to_me(self) -> None:
        if self._detail is None or not self.assign_to_me_action.isEnabled():
            return
        me = self._context.actor.user_id
        name = next((p.name for p in self._context.queries.practitioners() if p.id == me), "")
        self.assign(me, name)

    def open_assign_dialog(self) -> AssignDialog | None:
        if self._detail is None or not self.assign_action.isEnabled():
            return None
        from workbench.ui.assign_dialog import AssignDialog
        dialog = AssignDialog(self._context.queries.practitioners(), self,
                              current=self._detail.assignee_id or self._context.actor.user_id)
        dialog.accepted.connect(lambda: self.assign(dialog.practitioner_id(),
                                                    dialog.practitioner_name()))
        self._open_dialog(dialog)
        return dialog

    def send_back(self, note: str | None = None) -> None:
        actor, triage = self._context.actor, self._context.triage
        self._run_action(lambda eid, seen: triage.send_back(
            eid, actor, note, expected_version=seen),
                         said=QCoreApplication.translate("ConsultPane",
                                                         "Sent back to the assistants"))

    def invite(self, message: str) -> None:
        """Invite to the surgery with `message` to the patient (both held for the undo time)."""
        actor, replies = self._context.actor, self._replies
        if replies is None:
            return
        self._run_action(lambda eid, seen: replies.invite(
            eid, actor, message, expected_version=seen),
                         said=QCoreApplication.translate(
                             "ConsultPane",
                             "Invited to the surgery; the message goes to the patient"))

    def close_consult(self, reason: CloseReason, note: str | None = None) -> None:
        actor, triage = self._context.actor, self._context.triage
        # Only a medical answer or a call is declared; "Geen actie nodig", "Dubbel" and
        # the like keep their time (Declare… on the time bar declares it by hand).
        medical = reason in (CloseReason.ANSWERED, CloseReason.BY_PHONE)
        self._run_action(lambda eid, seen: triage.close(
            eid, actor, reason, note, expected_version=seen),
                         after=self._offer_declaration if medical else None,
                         said=QCoreApplication.translate("ConsultPane", "Completed: %1")
                         .replace("%1", labels.close_reason_label(reason)))

    def open_send_back_dialog(self) -> SendBackDialog | None:
        """Ctrl+B asks for the note to the assistants first."""
        if self._detail is None or not self.send_back_action.isEnabled():
            return None
        from workbench.ui.message_dialogs import SendBackDialog
        dialog = SendBackDialog(self)
        dialog.accepted.connect(lambda: self.send_back(dialog.text() or None))
        self._open_dialog(dialog)
        return dialog

    def open_invite_dialog(self) -> InviteDialog | None:
        """Ctrl+I asks for the message to the patient first, from the invitation template."""
        if self._detail is None or not self.invite_action.isEnabled() or self._replies is None:
            return None
        from workbench.ui.message_dialogs import InviteDialog
        dialog = InviteDialog(self._invitation_text(), self)
        dialog.accepted.connect(lambda: self.invite(dialog.text()))
        self._open_dialog(dialog)
        return dialog

    def _invitation_text(self) -> str:
        from workbench.ui.message_dialogs import INVITE_TEMPLATE_KEY
        templates = self._context.templates
        template = next((t for t in templates.visible(self._context.user.id)
                         if t.key == INVITE_TEMPLATE_KEY), None) if templates else None
        if template is None or self._detail is None:
            return ""
        settings = self._context.settings
        return render(template.body, self._replies.render_context(
            self._detail.id, None, self._context.user.id,
            out_of_hours_phone=settings.huisartsenpost_telefoon,
            practice_phone=settings.praktijk_telefoon))

    def set_urgent(self, urgent: bool, reason: str | None = None) -> None:
        """Confirm the advice (urgent), or dismiss it: dismissing needs a reason, asked for
        when none is given. Both are audited, with the reason."""
        reason = (reason or "").strip() or None
        if not urgent and reason is None:
            self.open_dismiss_dialog()
            return
        actor, triage = self._context.actor, self._context.triage
        self._run_action(lambda eid, seen: triage.set_urgent(
            eid, actor, urgent, reason, expected_version=seen),
                         said=QCoreApplication.translate("ConsultPane", "Marked urgent")
                         if urgent else QCoreApplication.translate("ConsultPane",
                                                                   "Urgency advice cleared"))

    def open_dismiss_dialog(self) -> None:
        if self._detail is None or self._busy:
            return
        from workbench.ui.urgency_dialog import DismissAdviceDialog
        dialog = DismissAdviceDialog(self)
        dialog.accepted.connect(lambda: self.set_urgent(False, dialog.reason()))
        self._open_dialog(dialog)

    def open_route_dialog(self) -> None:
        if self._detail is None or not self.route_action.isEnabled():
            return
        from workbench.ui.route_dialog import RouteDialog
        dialog = RouteDialog(self._context.queries.practitioners(), self,
                             priority=self._detail.urgency)
        if self._detail.assignee_id is not None:
            dialog.select_practitioner(self._detail.assignee_id)
        dialog.accepted.connect(lambda: self.route(*dialog.result_values()))
        self._open_dialog(dialog)

    def open_close_dialog(self) -> None:
        if self._detail is None or not self.close_action.isEnabled():
            return
        if self._call_state is not None and self._call_state.required:
            self._show_error(self._error_text("call_outcome_required"))
            return
        from workbench.ui.close_dialog import CloseDialog
        dialog = CloseDialog(self)
        dialog.accepted.connect(lambda: self.close_consult(dialog.reason(), dialog.note()))
        self._open_dialog(dialog)

    # -- the call about an urgent e-consult --------------------------------------------------
    def open_call_dialog(self) -> CallOutcomeDialog | None:
        """Ctrl+G: how the call ended (four outcomes, by arrow keys or 1 to 4)."""
        if self._detail is None or not self.call_action.isEnabled():
            return None
        dialog = CallOutcomeDialog(self._call_state, self)
        dialog.accepted.connect(lambda: self.record_call(dialog.outcome(), dialog.note(),
                                                         dialog.close_requested()))
        self._open_dialog(dialog)
        return dialog

    def record_call(self, outcome: CallOutcome, note: str | None = None,
                    close: bool = False) -> None:
        actor, triage = self._context.actor, self._context.triage
        closes = close and outcome is not CallOutcome.NOT_REACHED
        self._run_action(lambda eid, seen: triage.record_call(
            eid, actor, outcome, note, close=close, expected_version=seen),
                         said=QCoreApplication.translate("ConsultPane", "Call recorded: %1")
                         .replace("%1", call_outcome_label(outcome)),
                         after=self._offer_declaration if closes else None)

    def open_route_to_gp(self) -> None:
        """Route to a GP today (a baby under 3 months with fever): urgent, a GP chosen."""
        if self._detail is None or not self.route_action.isEnabled():
            return
        people = self._context.queries.practitioners()
        gps = [p.id for p in people if p.role is Role.GP]
        from workbench.ui.route_dialog import RouteDialog
        dialog = RouteDialog(people, self, priority=Urgency.URGENT)
        if gps:
            dialog.select_practitioner(self._detail.assignee_id
                                       if self._detail.assignee_id in gps else gps[0])
        dialog.accepted.connect(lambda: self.route(*dialog.result_values()))
        self._open_dialog(dialog)

    # -- the journal entry for the HIS -------------------------------------------------------
    def open_his_copy_dialog(self) -> None:
        if self._detail is None or not self.his_copy_action.isEnabled():
            return
        from workbench.services.his_export import suggest_icpc
        question = next((m.text for m in sorted(self._detail.messages, key=lambda m: m.sent_at,
                                                reverse=True) if m.direction is Direction.IN), "")
        from workbench.ui.template_picker import IcpcPicker
        dialog = IcpcPicker(self, suggestion=suggest_icpc(question))
        dialog.accepted.connect(lambda: self.copy_to_his(dialog.chosen()))
        self._open_dialog(dialog)

    def copy_to_his(self, icpc) -> None:
        """The journal entry (SOEP) of the last question and answer onto the clipboard, for
        pasting into the HIS; the copy is logged."""
        from workbench.services.his_export import soep_journal_text
        if self._detail is None or icpc is None:
            return
        messages = sorted(self._detail.messages, key=lambda m: m.sent_at)
        question = next((m.text for m in reversed(messages) if m.direction is Direction.IN), "")
        answer = next((m.text for m in reversed(messages) if m.direction is not Direction.IN),
                      "")
        today = self._context.clock().astimezone().date()
        detail = self._detail
        text = soep_journal_text(question, answer, icpc, today, self._context.user.name,
                                 patient_name=detail.patient_name,
                                 birth_date=detail.patient_birth_date
                                 or getattr(detail, "patient_birth_date_text", None))
        QGuiApplication.clipboard().setText(text)
        econsult_id, actor, replies = self._detail.id, self._context.actor, self._reply.replies
        code = getattr(icpc, "code", icpc)
        self._context.tasks.run_db(lambda: replies.record_his_copy(econsult_id, actor, code),
                                   lambda _none: self._his_copied(econsult_id),
                                   lambda exc: self._refused(econsult_id, exc))

    # -- running an action on the store's thread ---------------------------------------------
    def _run_action(self, work: Callable[[int, int], object],
                    after: Callable[[int], None] | None = None, said: str = "") -> None:
        """`work(econsult_id, version shown)` on the store's thread; then the status bar
        hears `said`, with the undo when `work` returned an UndoToken. A colleague's change
        since the version shown refuses it (ConsultChanged): their change is shown instead."""
        if self._detail is None or self._busy:
            return
        econsult_id, seen = self._detail.id, self._detail.version
        self._busy = True
        self._update_actions()

        def done(result) -> None:
            self._action_done(econsult_id)
            if not shiboken6.isValid(self):
                return
            if said:
                self.acted.emit(said, result if isinstance(result, UndoToken) else None)
            if after is not None:
                after(econsult_id)

        self._context.tasks.run_db(lambda: work(econsult_id, seen), done,
                                   lambda exc: self._action_failed(econsult_id, exc))

    def _his_copied(self, econsult_id: int) -> None:
        if shiboken6.isValid(self):
            self.his_copied.emit(econsult_id)

    def _action_done(self, econsult_id: int) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy = False
        if econsult_id == self.current_id():
            self.refresh_after_own_change()
        else:
            self._update_actions()
        self.changed.emit(econsult_id)

    def _action_failed(self, econsult_id: int, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy = False
        self._update_actions()
        self._refused(econsult_id, exc)

    def _refused(self, econsult_id: int, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        if not isinstance(exc, (ActionRefused, ReplyError)):
            log.error("action on e-consult %s failed:\n%s", econsult_id,
                      getattr(exc, "__traceback_text__", type(exc).__name__))
            self._context.tasks.unexpected_error.emit(exc)
            return
        log.warning("action on e-consult %s refused: %s", econsult_id, exc.code)
        if econsult_id == self.current_id():
            self.refresh()
        if isinstance(exc, ConsultChanged):
            self._show_error(refused_text(exc.change))
            self.changed.emit(econsult_id)  # the lists show the fresh state too
            return
        self._show_error(self._error_text(exc.code))

    def _error_text(self, code: str) -> str:
        translate = QCoreApplication.translate  # literal texts, so lupdate finds them
        texts = {
            "not_found": translate("ConsultPane", "This e-consult no longer exists. It may have "
                                   "been removed from the portal."),
            "not_a_clinician": translate("ConsultPane", "An e-consult can only be routed to a GP "
                                         "or a practice nurse. Choose someone else."),
            "unknown_user": translate("ConsultPane", "Your name is not (or no longer) among the "
                                      "practice's staff. Choose who is working again, or ask "
                                      "IT."),
            "closed": translate("ConsultPane", "This e-consult is already closed."),
            "not_assignable": translate("ConsultPane", "An e-consult can only be assigned to a "
                                        "colleague who triages or answers e-consults."),
            "not_allowed": translate("ConsultPane", "Your role does not allow this; ask a "
                                     "colleague whose role does."),
            "call_outcome_required": translate(
                "ConsultPane",
                "This e-consult is urgent: it cannot be closed before the patient has been "
                "called. Record how the call went first (Ctrl+G). Not urgent after all? Choose "
                "\u201cNot urgent\u201d first."),
        }
        return texts.get(code, translate("ConsultPane", "This action could not be done."))

    def _show_error(self, text: str) -> None:
        if self._error_box is not None and shiboken6.isValid(self._error_box):
            self._error_box.close()
            self._error_box.deleteLater()
        box = QMessageBox(QMessageBox.Icon.Warning,
                          QCoreApplication.translate("ConsultPane", "Workbench"), text,
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
        self._error_box = box

    def _open_dialog(self, dialog: RouteDialog | CloseDialog | IcpcPicker | DismissAdviceDialog
                     | AssignDialog) -> None:
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            self._dialog.deleteLater()
        dialog.finished.connect(dialog.deleteLater)
        self._dialog = dialog
        dialog.open()
