"""Sending the answer a ReplyEditor holds: the checks and questions before it goes, storing it
for the outbox, and what a refusal, a child too young for a template, or a colleague's change
meanwhile says."""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox

from workbench.services.concurrency import ConsultChanged
from workbench.services.replies import ReplyError, ThirdPartyRule, TooYoungError
from workbench.services.templates import TemplateNotAllowed, find_unresolved
from workbench.ui.answer_conflict import (
    ChangedChoice,
    changed_meanwhile_box,
    choice_of,
    follow_up_confirmation,
)

log = logging.getLogger(__name__)


class ReplySending:
    """Mixed into ReplyEditor, whose state it reads and sets: `_context`, `_replies`, `_detail`,
    `_conversation`, `_rule`, `_checklist`, `_attachments`, `_template_keys`, `_generation`,
    `_based_on`, the `_sending` and `_dirty` flags, the draft `_timer`, `_status`, `_dialogs`
    and the follow-up fields. It uses the editor's helpers (`filled_text()`, `clear()`,
    `save_now()`, `_warn()`, `_select_variable()`, `_dialog_closed()`, `_record_choice()`) and
    signals. Texts keep the "ReplyEditor" translation context: they were translated there."""

    # -- before it goes ----------------------------------------------------------------------
    def send(self) -> None:
        """Check the answer, ask what needs asking, then store it for sending."""
        if not self.send_action.isEnabled():
            return
        text = self.validated_text()
        if text is None:
            return
        if self._conversation:
            self.send_requested.emit(text)
            return
        questions: list[tuple[str, Callable[[], None] | None]] = []
        rule = self._rule
        if rule is not None and not rule.cleared and rule.rule not in (
                "young_adult_consent", "not_representative", "family_unconfirmed"):
            self._warn(QCoreApplication.translate(
                "ReplyEditor", "First settle who receives the answer: see the notice above the "
                "answer."))
            return
        if rule is not None and not rule.cleared:
            questions.append((self._consent_question(rule),
                              lambda: self._record_choice("young_adult_consent_confirmed")))
        if self._checklist is not None and self._checklist.unticked():
            questions.append((QCoreApplication.translate(
                "ReplyEditor", "Not every question is ticked as answered. Send anyway?"), None))
        self._ask(questions, lambda: self._store_reply(text))

    def _consent_question(self, rule: ThirdPartyRule) -> str:
        """The patient's consent, asked at send, in words that fit who wrote and the age."""
        names = {"sender": rule.sender_name, "patient": self._detail.patient_name}
        translate = QCoreApplication.translate  # literal texts, so lupdate finds them
        if rule.rule != "young_adult_consent":
            return translate("ReplyEditor", "{sender} is not {patient}'s legal representative. "
                             "Has {patient} agreed that the answer goes to {sender}?").format(
                **names)
        if rule.subject_age is None:
            return translate("ReplyEditor", "{sender} wrote on behalf of {patient}, whose age is "
                             "not known. Has {patient} agreed that the answer goes to "
                             "{sender}?").format(**names)
        return translate("ReplyEditor", "{sender} wrote on behalf of {patient}, who is 16 or "
                         "older. A parent has no access without the young person's consent. "
                         "Has {patient} agreed that the answer goes to {sender}?").format(**names)

    def validated_text(self) -> str | None:
        """The text to send, or None after telling the user what is missing (an empty answer,
        or a variable left to fill, which is then selected)."""
        if not self.text().strip() and not self._attachments:
            self._warn(QCoreApplication.translate("ReplyEditor", "Write an answer first."))
            return None
        filled = self.filled_text()
        unresolved = find_unresolved(filled)
        if unresolved:
            self._select_variable(unresolved[0].name)
            self._warn_unresolved(QCoreApplication.translate(
                "ReplyEditor", "Fill in {variable} first: replace it with the right text (it is "
                "selected).").format(variable="{" + unresolved[0].name + "}"))
            return None
        return filled

    def _ask(self, questions: list[tuple[str, Callable[[], None] | None]],
             then: Callable[[], None]) -> None:
        """Ask each question in turn (window-modal, not blocking); 'Yes' to all goes on."""
        if not questions:
            then()
            return
        text, on_yes = questions[0]
        box = QMessageBox(QMessageBox.Icon.Question,
                          QCoreApplication.translate("ReplyEditor", "Send the answer"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def answered(_result: int) -> None:
            yes = box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
            self._dialog_closed(box)
            if not yes or not shiboken6.isValid(self):
                return
            if on_yes is not None:
                on_yes()
            self._ask(questions[1:], then)

        box.finished.connect(answered)
        self._dialogs.append(box)
        box.open()

    # -- storing it --------------------------------------------------------------------------
    def _store_reply(self, text: str, despite_change: bool = False) -> None:
        if self._detail is None or self._sending:
            return
        self._timer.stop()
        self._dirty = False
        self._sending = True
        self._update_actions()
        econsult_id, actor, replies = self._detail.id, self._context.actor, self._replies
        attachments = list(self._attachments)
        days = self.follow_up_days.value() if self.follow_up.isChecked() else None
        generation = self._generation
        keys = list(self._template_keys)
        seen = self._based_on
        self._context.tasks.run_db(
            lambda: replies.send(econsult_id, actor, text, attachments, close=True,
                                 follow_up_days=days, template_keys=keys,
                                 expected_version=seen, despite_change=despite_change),
            lambda _message_id: self._stored(generation, econsult_id),
            lambda exc: self._store_failed(econsult_id, exc, text))

    def _stored(self, generation: int, econsult_id: int) -> None:
        if not shiboken6.isValid(self):
            return
        self._sending = False
        if generation == self._generation:
            self.clear()
            self._status.setText(QCoreApplication.translate(
                "ReplyEditor", "Answer saved; it goes to the portal with the next push."))
        self._update_actions()
        self.sent.emit(econsult_id)
        self.refresh_delivery()

    def _store_failed(self, econsult_id: int, exc: BaseException, text: str = "") -> None:
        if not shiboken6.isValid(self):
            return
        self._sending = False
        self._update_actions()
        if isinstance(exc, ConsultChanged):
            log.warning("answer to e-consult %s stopped: changed meanwhile", econsult_id)
            self._dirty = True  # keep what was typed
            self.save_now()
            self._changed_meanwhile(econsult_id, exc, text)
            return
        if isinstance(exc, TooYoungError):
            log.warning("answer to e-consult %s refused: %s", econsult_id, exc.code)
            self._dirty = True  # keep what was typed
            self.save_now()
            self._too_young(exc)
            return
        if not isinstance(exc, ReplyError):
            log.error("sending the answer to e-consult %s failed:\n%s", econsult_id,
                      getattr(exc, "__traceback_text__", type(exc).__name__))
            self._context.tasks.unexpected_error.emit(exc)
            return
        log.warning("answer to e-consult %s refused: %s", econsult_id, exc.code)
        self._dirty = True  # keep what was typed
        self.save_now()
        if exc.code == "unresolved_variable":
            self._select_variable(exc.detail)
            self._warn_unresolved(self.error_text(exc))
        else:
            self._warn(self.error_text(exc))

    def error_text(self, exc: ReplyError) -> str:
        translate = QCoreApplication.translate  # literal texts, so lupdate finds them
        texts = {
            "empty": translate("ReplyEditor", "Write an answer first."),
            "unresolved_variable": translate("ReplyEditor", "Fill in {variable} first.").format(
                variable="{" + exc.detail + "}"),
            "not_found": translate("ReplyEditor", "This e-consult no longer exists. It may have "
                                   "been removed from the portal."),
            "unknown_user": translate("ReplyEditor", "Your name is not (or no longer) among the "
                                      "practice's staff. Choose who is working again, or ask "
                                      "IT."),
            "unknown_patient": translate("ReplyEditor", "This patient is not (or no longer) in "
                                         "the practice's list."),
            "too_young": self.too_young_text(exc),
            "third_party_not_cleared": translate("ReplyEditor", "First settle who receives the "
                                                 "answer: see the notice above the answer."),
            "address_not_verified": translate(
                "ReplyEditor",
                "This mail came from an address the practice has not verified for this "
                "patient: a medical answer cannot go there. Call the patient, or link the "
                "address after checking it."),
            "no_mail_address": translate("ReplyEditor",
                                         "There is no mail from the patient to answer to."),
            "mail_not_configured": translate("ReplyEditor", "Answers by mail are not set up on "
                                             "this workstation (mail_address): ask IT."),
        }
        return texts.get(exc.code, translate("ReplyEditor",
                                             "The answer could not be saved for sending."))

    def too_young_text(self, _exc: TemplateNotAllowed | ReplyError | None = None) -> str:
        return QCoreApplication.translate(
            "ReplyEditor", "This child is younger than 3 months. A child under 3 months with "
            "fever must be seen by a GP today: this template cannot be sent. Call the parent and "
            "route the e-consult to a GP.")

    # -- changed meanwhile, too young --------------------------------------------------------
    def _changed_meanwhile(self, econsult_id: int, exc: ConsultChanged, text: str) -> None:
        """Someone answered, routed or closed it (or the patient wrote) since it was opened:
        show who and what, then discard, keep as draft, or send anyway after one more yes."""
        self.changed_meanwhile.emit(econsult_id)  # the pane shows the fresh state
        box = changed_meanwhile_box(exc.change, self)
        self._status.setText(box.text().split("\n")[0])

        def answered(_result: int) -> None:
            choice = choice_of(box)
            self._dialog_closed(box, refocus=choice is not ChangedChoice.DISCARD)
            if not shiboken6.isValid(self) or self._detail is None \
                    or self._detail.id != econsult_id:
                return
            self.acknowledge_version()  # they have seen the change now
            if choice is ChangedChoice.DISCARD:
                self.clear()
                self._replies.discard_draft(econsult_id, self._context.actor.user_id)
                self._status.setText(QCoreApplication.translate("ReplyEditor",
                                                                "Your answer was discarded."))
            elif choice is ChangedChoice.SEND_ANYWAY:
                self._confirm_follow_up(text, exc.version)

        box.finished.connect(answered)
        self._dialogs.append(box)
        box.open()

    def _confirm_follow_up(self, text: str, version: int) -> None:
        box = follow_up_confirmation(self)

        def answered(_result: int) -> None:
            yes = box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
            self._dialog_closed(box, refocus=True)
            if yes and shiboken6.isValid(self):
                self._based_on = version
                self._store_reply(text, despite_change=True)

        box.finished.connect(answered)
        self._dialogs.append(box)
        box.open()

    def _too_young(self, exc: TemplateNotAllowed | TooYoungError) -> None:
        """Tells why the template cannot go to this child; offers routing to a GP."""
        text = self.too_young_text(exc)
        self._status.setText(text)
        box = QMessageBox(QMessageBox.Icon.Warning,
                          QCoreApplication.translate("ReplyEditor", "Workbench"), text,
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("tooYoungBox")
        box.setTextFormat(Qt.TextFormat.PlainText)
        route = None
        if not self._conversation and self._detail is not None:
            route = box.addButton(QCoreApplication.translate("ReplyEditor", "Route to a GP…"),
                                  QMessageBox.ButtonRole.AcceptRole)
            box.setDefaultButton(route)

        def answered(_result: int) -> None:
            chosen = box.clickedButton()
            self._dialog_closed(box, refocus=chosen is not route)
            if route is not None and chosen is route and shiboken6.isValid(self):
                self.route_to_gp_requested.emit()

        box.finished.connect(answered)
        self._dialogs.append(box)
        box.open()
