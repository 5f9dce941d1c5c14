"""One e-consult in full: patient, status, urgency advice, thread, photos and triage actions."""

from __future__ import annotations

import html
import logging
from datetime import timedelta

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from workbench.services.errors import AuditUnavailable
from workbench.services.inbox import ConsultDetail, mask_bsn
from workbench.services.replies import ReplyService
from workbench.services.templates import TemplateService
from workbench.services.triage import CallOutcome, CallState, TriageError
from workbench.store.models import ConsultStatus, Direction, Urgency
from workbench.ui import colours, labels
from workbench.ui.attachment_strip import AttachmentStrip
from workbench.ui.billing_timer import BillingTimer
from workbench.ui.call_outcome_dialog import call_outcome_label
from workbench.ui.context import UiContext
from workbench.ui.declare_flow import DeclareFlow
from workbench.ui.delivery_view import DeliveryThreadView
from workbench.ui.mail_confirm_bar import MailConfirmBar
from workbench.ui.patient_history import PatientHistory
from workbench.ui.plain_text import plain_label, reveal_hidden
from workbench.ui.presence_line import PresenceLine
from workbench.ui.question_checklist import QuestionChecklist
from workbench.ui.reply_editor import ReplyEditor
from workbench.ui.thread_view import HighlightLine, ThreadView
from workbench.ui.triage_actions import TriageActions

log = logging.getLogger(__name__)

QUESTION_SHARE = 0.55  # of the pane's height, above the triage buttons and the answer

class ConsultPane(TriageActions, QWidget):
    """Shows one e-consult, offers the triage actions on it (TriageActions), and the answer
    being written.

    Actions (`route_action`, `send_back_action`, `invite_action`, `close_action`,
    `template_action`, `send_action`, `his_copy_action`) carry shortcuts, so the main window
    can put them in its menus as well.

    Signals:
        viewed(int): the view of this e-consult was written to the audit log.
        changed(int): an action changed this e-consult in the store (an answer too).
        photo_clicked(int): the user wants to see a photo (attachment id).
        his_copied(int): the journal text is on the clipboard and the copy is logged.
        acted(str, object): an action was done: what it did, in words for the status bar,
            and its UndoToken (None when it cannot be undone, e.g. a sent answer).
        open_econsult_requested(int): the person wants to see another e-consult of this
            patient (from the earlier e-consults, or the banner's second contact).
    """

    viewed = Signal(int)
    changed = Signal(int)
    photo_clicked = Signal(int)
    his_copied = Signal(int)
    acted = Signal(str, object)
    open_econsult_requested = Signal(int)

    def __init__(self, context: UiContext, parent: QWidget | None = None, *,
                 replies: ReplyService | None = None,
                 templates: TemplateService | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._replies = replies or context.replies
        self._detail: ConsultDetail | None = None
        self._reply = ReplyEditor(context, replies=replies, templates=templates)
        self._timer: BillingTimer | None = None
        self._declare: DeclareFlow | None = None
        if context.billing is not None:
            self._timer = BillingTimer(context, context.billing, idle_limit=timedelta(
                seconds=context.settings.billing_idle_seconds))
            self._declare = DeclareFlow(context, context.billing, self._timer, self)
        self._checklist = QuestionChecklist()
        self._reply.set_checklist(self._checklist)
        self._reply.sent.connect(self._answered)
        self._sent_template_keys: dict[int, list[str]] = {}  # billing: administrative answers
        self._reply.send_action.triggered.connect(self._remember_template_keys)
        self._reply.route_to_gp_requested.connect(self.open_route_to_gp)
        self._reply.changed_meanwhile.connect(self._changed_meanwhile)
        self._call_state: CallState | None = None  # the shown e-consult's call (urgent rule)
        self._reply.delivery_changed.connect(self._delivery_read)
        # Fail-closed: the patient's text shows only once its view is in the audit trail.
        self._view_recorded_for: int | None = None
        self._make_actions()
        self._build()
        self.show_consult(None)

    # -- construction ------------------------------------------------------------------------
    def _build(self) -> None:
        self._stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)

        self._empty = QLabel(self.tr("Select an e-consult"))
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setEnabled(False)
        self._stack.addWidget(self._empty)

        page = QWidget()
        layout = QVBoxLayout(page)
        # What was asked (header, advice, thread, photos) scrolls on a short screen; the
        # triage buttons and the answer below it stay in view, whatever the banner's length.
        scroller = QScrollArea()
        scroller.setWidget(page)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._question_scroller = scroller
        answer_part = QWidget()
        answer_layout = QVBoxLayout(answer_part)
        answer_layout.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(scroller)
        splitter.addWidget(answer_part)
        self._question_split = splitter
        self._split_dragged = False  # once the user drags it, their choice stays
        splitter.splitterMoved.connect(self._split_moved)
        self._stack.addWidget(splitter)

        # The subject is the patient's text: a plain-text line in which the alarm words are
        # highlighted with a character format.
        self._subject = HighlightLine()
        self._subject.setAccessibleName(self.tr("Subject"))
        font = QFont(self._subject.font())
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.25)
        self._subject.setFont(font)
        self._patient = plain_label()
        # Phone first: the numbers to call back, selectable and copyable.
        self._phone = plain_label()
        self._phone.setObjectName("phoneNumbers")
        self._phone.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self._phone.setAccessibleName(self.tr("Phone numbers"))
        self._sender = plain_label()
        self._status = plain_label()
        self._invited = plain_label()
        self._invited.setText(self.tr("Invited to the surgery"))
        self._closed = plain_label()
        # What was wrong with the portal's data (imported anyway): one visible warning line.
        self._problems = plain_label()
        self._problems.setObjectName("dataProblems")
        self._problems.setStyleSheet(
            f"#dataProblems {{ background-color: {colours.WARNING_BACKGROUND};"
            f" color: {colours.WARNING_TEXT}; border: 1px solid {colours.WARNING_BORDER};"
            " border-radius: 4px; padding: 3px 6px; }")
        self._problems.setAccessibleName(self.tr("Data problems"))
        for label in (self._subject, self._patient, self._phone, self._problems, self._sender,
                      self._status, self._invited, self._closed):
            layout.addWidget(label)
        self._presence_line = PresenceLine()  # colleagues with it open (several workstations)
        layout.addWidget(self._presence_line)
        # The patient's other e-consults: one line with a count until opened (1366x768).
        self._history = PatientHistory(self._context)
        self._history.open_requested.connect(self.open_econsult_requested)
        # Urgent advice and the call come first; who may receive the answer after them.
        layout.addWidget(self._build_banner())
        layout.addWidget(self._build_call_line())
        layout.addWidget(self._history)
        layout.addWidget(self._reply.third_party_notice)

        self._note_box = QFrame()
        self._note_box.setFrameShape(QFrame.Shape.StyledPanel)
        note_layout = QVBoxLayout(self._note_box)
        note_title = QLabel(self.tr("Note for the doctor"))
        bold = QFont(note_title.font())
        bold.setBold(True)
        note_title.setFont(bold)
        self._note = plain_label()
        note_layout.addWidget(note_title)
        note_layout.addWidget(self._note)
        layout.addWidget(self._note_box)

        self._thread = DeliveryThreadView()
        self._thread.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._thread.setMinimumHeight(6 * self._thread.fontMetrics().lineSpacing())
        layout.addWidget(self._thread, 1)
        self._mail_confirm = MailConfirmBar(self._context)
        self._mail_confirm.confirmed.connect(self._mail_answer_confirmed)
        layout.addWidget(self._mail_confirm)

        self._attachments = AttachmentStrip(self._context)
        self._attachments.photo_clicked.connect(self.photo_clicked)
        layout.addWidget(self._attachments)

        # A tool bar folds what does not fit into a » menu, so a narrow pane keeps every action.
        buttons = QToolBar()
        buttons.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.assign_to_me_action, self.route_action, self.send_back_action,
                       self.invite_action, self.call_action, self.close_action,
                       self.assign_action, self.his_copy_action):
            buttons.addAction(action)
        answer_layout.addWidget(buttons)
        answer_layout.addWidget(self._build_answer(), 1)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if not self._split_dragged:
            # The question gets the larger share, the answer keeps room for a few lines.
            height = self._question_split.height()
            question = int(height * QUESTION_SHARE)
            self._question_split.setSizes([question, height - question])

    def _split_moved(self, _pos: int, _index: int) -> None:
        self._split_dragged = True

    def _build_answer(self) -> QWidget:
        answer = QSplitter(Qt.Orientation.Horizontal)
        answer.setChildrenCollapsible(False)
        answer.addWidget(self._reply)
        answer.addWidget(self._checklist)
        self._checklist.setMinimumWidth(140)
        answer.setStretchFactor(0, 3)
        answer.setStretchFactor(1, 1)
        if self._timer is None:
            return answer
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._timer)  # the direct time, for the declaration
        layout.addWidget(answer, 1)
        return box

    def _build_banner(self) -> QFrame:
        """Advice only: per finding the group, the words that raised it, the action and why;
        the numbers to call; the person confirms or (with a reason) dismisses."""
        self._banner = QFrame()
        self._banner.setObjectName("urgencyBanner")
        self._banner.setStyleSheet(
            f"#urgencyBanner {{ background-color: {colours.BANNER_BACKGROUND};"
            " border-radius: 4px; }"
            f"#urgencyBanner QLabel {{ color: {colours.BANNER_TEXT}; font-weight: bold; }}"
            "#urgencyBanner QLabel#adviceExplanation { font-weight: normal; }")
        self._banner.setAccessibleName(self.tr("Urgency warning"))
        layout = QHBoxLayout(self._banner)
        layout.setContentsMargins(8, 6, 8, 6)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self._banner_title = plain_label()
        title_font = QFont(self._banner_title.font())
        if title_font.pointSizeF() > 0:
            title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        self._banner_title.setFont(title_font)
        self._banner_phone = plain_label()
        self._banner_phone.setObjectName("bannerPhone")
        self._banner_phone.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self._banner_phone.setAccessibleName(self.tr("Phone numbers"))
        self._banner_findings = QVBoxLayout()  # a headline and an explanation per finding
        self._banner_findings.setSpacing(1)
        self._finding_labels: list[QWidget] = []
        texts.addWidget(self._banner_title)
        texts.addWidget(self._banner_phone)
        texts.addLayout(self._banner_findings)
        layout.addLayout(texts, 1)
        buttons = QVBoxLayout()
        buttons.setSpacing(4)
        self._copy_phone = QPushButton(self.tr("Copy number"))
        self._copy_phone.setToolTip(self.tr("Copy the number to call to the clipboard"))
        self._copy_phone.clicked.connect(lambda _checked=False: self.copy_phone_number())
        self._mark_urgent = QPushButton(self.tr("Mark urgent"))
        self._mark_urgent.setToolTip(self.tr("Confirm the advice: flag this e-consult urgent"))
        self._not_urgent = QPushButton(self.tr("Not urgent"))
        self._not_urgent.setToolTip(self.tr("Dismiss the advice, with a reason"))
        self._mark_urgent.clicked.connect(lambda _checked=False: self.set_urgent(True))
        self._not_urgent.clicked.connect(lambda _checked=False: self.set_urgent(False))
        for button in (self._copy_phone, self._mark_urgent, self._not_urgent):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return self._banner

    # -- public API --------------------------------------------------------------------------
    def set_presence(self, econsult_id: int, others: list) -> None:
        """Who else has `econsult_id` open (PresenceInfo list), shown while it is shown."""
        self._presence_line.set_presence(
            econsult_id, others if econsult_id == self.current_id() else [])

    def presence_line(self) -> PresenceLine:
        return self._presence_line

    def current_id(self) -> int | None:
        return self._detail.id if self._detail is not None else None

    def thread_view(self) -> ThreadView:
        return self._thread

    def reply_editor(self) -> ReplyEditor:
        return self._reply

    def question_checklist(self) -> QuestionChecklist:
        return self._checklist

    def refresh_delivery(self) -> None:
        """After a pull or push: whether our answers have reached the portal."""
        self._reply.refresh_delivery()

    def save_draft_now(self) -> None:
        """Before closing the window: the answer being typed goes to the store."""
        self._reply.save_now()

    def banner_visible(self) -> bool:
        return self._banner.isVisibleTo(self)

    def show_consult(self, econsult_id: int | None) -> None:
        """Show an e-consult (None: the empty state) and log the view. Showing the e-consult
        that is already shown only refreshes it."""
        if econsult_id is not None and econsult_id == self.current_id():
            self.refresh()
            return
        detail = self._context.queries.detail(econsult_id) if econsult_id is not None else None
        self._view_recorded_for = None
        self._render(detail, empty_text=self.tr("Select an e-consult") if econsult_id is None
                     else self.tr("This e-consult no longer exists"))
        if detail is not None:
            self._record_view(detail.id)

    def refresh(self) -> None:
        """Read the shown e-consult again (after a change), without logging another view."""
        if self._detail is None:
            return
        self._render(self._context.queries.detail(self._detail.id),
                     empty_text=self.tr("This e-consult no longer exists"))

    def refresh_after_own_change(self) -> None:
        """Read it again after this user's own action: the answer being written is based on
        the new version (only a colleague's change stops it)."""
        self.refresh()
        self._reply.acknowledge_version()

    def _changed_meanwhile(self, econsult_id: int) -> None:
        if econsult_id == self.current_id():
            self.refresh()
        self.changed.emit(econsult_id)

    def copy_phone_number(self) -> None:
        """The first number to call (the writer's when a parent or carer wrote) onto the
        clipboard."""
        numbers = self._phone_numbers(self._detail) if self._detail is not None else []
        if numbers:
            QGuiApplication.clipboard().setText(numbers[0][0])

    # -- the call about an urgent e-consult --------------------------------------------------
    def call_state(self) -> CallState | None:
        return self._call_state

    def call_line_text(self) -> str:
        return self._call_line.text() if self._call_line.isVisibleTo(self) else ""

    def _build_call_line(self) -> QLabel:
        self._call_line = plain_label()
        self._call_line.setObjectName("callLine")
        self._call_line.setStyleSheet(
            f"#callLine {{ background-color: {colours.CALL_BACKGROUND};"
            f" color: {colours.CALL_TEXT}; border: 1px solid {colours.CALL_BORDER};"
            " border-radius: 4px; padding: 3px 6px; }")
        self._call_line.setAccessibleName(self.tr("Call"))
        self._call_line.hide()
        return self._call_line

    def _render_call(self, detail: ConsultDetail) -> None:
        try:
            state = self._context.triage.call_state(detail.id)
        except TriageError:
            state = None
        self._call_state = state
        text = self._call_text(state, detail) if state is not None else ""
        self._call_line.setText(text)
        self._call_line.setVisible(bool(text))

    def _call_text(self, state: CallState, detail: ConsultDetail) -> str:
        def clock(moment) -> str:
            return moment.astimezone().strftime("%H:%M")

        if state.outcome is CallOutcome.NOT_REACHED:
            return self.tr("Not reached at {time}. Call again at {retry}.").format(
                time=clock(state.recorded_at), retry=clock(state.retry_at))
        if state.outcome is not None:
            return self.tr("Call recorded at {time}: {outcome}.").format(
                time=clock(state.recorded_at), outcome=call_outcome_label(state.outcome))
        if not state.urgent or detail.status is ConsultStatus.CLOSED:
            return ""
        if state.answered:
            return self.tr("Answer sent. This urgent e-consult stays open until you record how "
                           "the call went (Ctrl+G).")
        return self.tr("Urgent: call the patient, then record how the call went (Ctrl+G). "
                       "It cannot be closed before that.")

    # -- showing -----------------------------------------------------------------------------
    def _render(self, detail: ConsultDetail | None, empty_text: str) -> None:
        self._detail = detail
        self._attachments.clear()
        self._reply.set_consult(detail)
        if self._timer is not None:
            self._timer.set_consult(detail.id if detail else None,
                                    detail.patient_id if detail else None,
                                    closed=detail is not None
                                    and detail.status is ConsultStatus.CLOSED)
        if detail is None:
            self._empty.setText(empty_text)
            self._stack.setCurrentWidget(self._empty)
            self._update_actions()
            return
        self._checklist.set_text(self._open_questions_text(detail), key=detail.id)
        # The words that raised the advice, marked in the subject and the patient's messages
        # while the advice stands.
        terms = [] if detail.advice_dismissed else labels.advice_terms(detail.advice)
        self._subject.setText(detail.subject or self.tr("(no subject)"))
        if detail.subject:
            self._subject.set_highlights(terms)
        # Names the portal gave: hidden direction and zero-width characters shown as markers.
        self._patient.setText(reveal_hidden(self._patient_line(detail)))
        self._phone.setText(reveal_hidden(self._phone_line(detail, call=False)))
        self._history.show_patient(detail.patient_id, detail.id)  # before the banner names one
        problems = labels.data_problem_labels(
            [*detail.patient_problems, *detail.consult_problems],
            detail.patient_birth_date_text)
        self._problems.setText("\n".join("\u26a0 " + line for line in problems))
        self._problems.setVisible(bool(problems))
        self._sender.setVisible(bool(detail.sender_name))
        if detail.sender_name and detail.sender_relation:
            self._sender.setText(reveal_hidden(
                self.tr("Sent by {sender} ({relation}) on behalf of {patient}").format(
                    sender=detail.sender_name, relation=detail.sender_relation,
                    patient=detail.patient_name)))
        elif detail.sender_name:
            self._sender.setText(reveal_hidden(self.tr("Sent by {sender} on behalf of {patient}")
                                               .format(sender=detail.sender_name,
                                                       patient=detail.patient_name)))
        status = self.tr("Status: {status}").format(status=labels.status_label(detail.status))
        if detail.assignee_name:
            status += " \u00b7 " + self.tr("Assigned to {name}").format(
                name=detail.assignee_name)
        if detail.channel == "mail":
            status += " \u00b7 " + (self.tr("By secure mail from {address}").format(
                address=detail.mail_address or "?") if detail.mail_address_trusted else
                self.tr("By secure mail from {address}, an address not verified for this "
                        "patient: an answer cannot go there").format(
                    address=detail.mail_address or "?"))
        self._status.setText(status)
        self._note_box.setVisible(bool(detail.routing_note))
        self._note.setText(detail.routing_note or "")
        self._invited.setVisible(detail.invite_to_surgery)
        self._closed.setVisible(detail.status is ConsultStatus.CLOSED)
        self._closed.setText(self.tr("Closed as: {reason}").format(
            reason=self._close_reason_text(detail.close_reason)))
        self._render_banner(detail)
        self._render_call(detail)
        self._thread.show_messages(detail.messages, highlight=terms)
        self._attachments.show_attachments(detail)
        if self._view_recorded_for == detail.id:
            self._stack.setCurrentIndex(1)
        else:  # until the view is recorded (see _view_recorded), nothing of the patient
            self._empty.setText("")
            self._stack.setCurrentWidget(self._empty)
        self._update_actions()

    @staticmethod
    def _open_questions_text(detail: ConsultDetail) -> str:
        """What the patient wrote since our last answer (all of it if we have not answered).
        A closed e-consult keeps the questions its last answer answered."""
        messages = sorted(detail.messages, key=lambda m: m.sent_at)
        end = len(messages)
        if detail.status is ConsultStatus.CLOSED:
            while end and messages[end - 1].direction is not Direction.IN:
                end -= 1
        last_ours = max((n for n, m in enumerate(messages[:end])
                         if m.direction is not Direction.IN), default=-1)
        return "\n\n".join(m.text for m in messages[last_ours + 1:end]
                            if m.direction is Direction.IN and m.text)

    def _patient_line(self, detail: ConsultDetail) -> str:
        parts = [detail.patient_name]
        if detail.patient_birth_date is not None:
            parts.append(labels.age_label(detail.patient_birth_date,
                                          self._context.clock().astimezone().date()))
            parts.append(self.tr("born {date}").format(
                date=detail.patient_birth_date.strftime("%d-%m-%Y")))
        elif detail.patient_birth_date_text:
            given = detail.patient_birth_date_text
            if len(given) == 7 and given[4] == "-":
                given = f"{given[5:]}-{given[:4]}"
            parts.append(self.tr("born {date}").format(date=given))
        if detail.patient_bsn:
            bsn = self.tr("BSN {bsn}").format(bsn=mask_bsn(detail.patient_bsn))
            if "bsn_invalid" in detail.patient_problems:
                bsn = self.tr("{bsn} (invalid)").format(bsn=bsn)
            parts.append(bsn)
        return " \u00b7 ".join(parts)

    @staticmethod
    def _close_reason_text(reason: str | None) -> str:
        if not reason:
            return ""
        try:
            return labels.close_reason_label(reason)
        except ValueError:
            return reason

    @staticmethod
    def _phone_numbers(detail: ConsultDetail) -> list[tuple[str, str]]:
        """(number, whose) to call back: the writer's first when a parent or carer wrote."""
        found: list[tuple[str, str]] = []
        if detail.sender_name and detail.sender_phone:
            who = (f"{detail.sender_name}, {detail.sender_relation}"
                   if detail.sender_relation else detail.sender_name)
            found.append((detail.sender_phone, who))
        if detail.patient_phone and detail.patient_phone not in [n for n, _w in found]:
            found.append((detail.patient_phone, detail.patient_name))
        return found

    def _phone_line(self, detail: ConsultDetail, call: bool) -> str:
        """"Call 06-12345678 (Priya Peters, mother)" (banner, a line each) or "Phone ..."
        (header); says so when no number is known."""
        numbers = self._phone_numbers(detail)
        if not numbers:
            return self.tr("No phone number known: see the HIS")
        parts = [(self.tr("Call {number} ({who})") if call else
                  self.tr("Phone {number} ({who})")).format(number=number, who=who)
                 for number, who in numbers]
        if detail.sender_name and not detail.sender_phone:
            parts.append(self.tr("{who}: no phone number known").format(who=detail.sender_name))
        return ("\n" if call else " \u00b7 ").join(parts)  # in the banner one number a line

    def _render_banner(self, detail: ConsultDetail) -> None:
        urgent = detail.urgency is Urgency.URGENT
        advised = bool(detail.advice) and not detail.advice_dismissed
        self._banner.setVisible(urgent or advised)
        findings = labels.advice_findings(detail.advice) if (urgent or advised) else []
        if urgent:
            title = self.tr("Marked urgent")
        elif findings and findings[0].action != labels.default_advice_action():
            title = self.tr("Possible emergency: {action}").format(action=findings[0].action)
        else:
            title = self.tr("Possible emergency: call the patient")
        self._banner_title.setText("\u26a0 " + title)
        self._banner_phone.setText(reveal_hidden(self._phone_line(detail, call=True)))
        self._copy_phone.setVisible(bool(self._phone_numbers(detail)))
        for label in self._finding_labels:
            self._banner_findings.removeWidget(label)
            label.deleteLater()
        self._finding_labels = []
        for finding in findings:
            if finding.words:
                headline = self.tr("{action} \u00b7 {label}: \u201c{words}\u201d").format(
                    action=finding.action, label=finding.label, words=finding.words)
            else:
                headline = self.tr("{action} \u00b7 {label}").format(
                    action=finding.action, label=finding.label)
            line = self._history.advice_line(finding, headline)  # a second contact names it
            self._finding_labels.append(line)
            if finding.explanation:
                # Escaped: a tool tip would read markup.
                line.setToolTip(f"<p>{html.escape(finding.explanation)}</p>")
                explanation = plain_label()
                explanation.setObjectName("adviceExplanation")
                explanation.setText(finding.explanation)
                explanation.setContentsMargins(14, 0, 0, 2)
                self._finding_labels.append(explanation)
        for label in self._finding_labels:
            self._banner_findings.addWidget(label)
            label.show()  # at once, not on the next turn of the event loop
        self._mark_urgent.setVisible(not urgent)

    def thumbnail_count(self) -> int:
        """Photos whose thumbnail has been decoded and shown."""
        return self._attachments.thumbnail_count()

    # -- background work ---------------------------------------------------------------------
    def _record_view(self, econsult_id: int) -> None:
        actor, triage = self._context.actor, self._context.triage
        self._context.tasks.run_db(
            lambda: triage.record_view(econsult_id, actor),
            lambda _result: self._view_recorded(econsult_id),
            lambda exc: self._view_failed(econsult_id, exc))

    def _view_recorded(self, econsult_id: int) -> None:
        if shiboken6.isValid(self):
            self._view_recorded_for = econsult_id
            if econsult_id == self.current_id():
                self._stack.setCurrentIndex(1)
            self.viewed.emit(econsult_id)

    def _view_failed(self, econsult_id: int, exc: BaseException) -> None:
        """Fail-closed: a view that cannot be audited (no audit key, a database error) shows
        nothing of the patient."""
        if not shiboken6.isValid(self):
            return
        if econsult_id == self.current_id():
            self._render(None, empty_text=self.tr(
                "This e-consult cannot be shown: viewing it cannot be recorded."))
        if isinstance(exc, (AuditUnavailable, SQLAlchemyError)):
            log.error("the view of e-consult %s was not recorded: %s", econsult_id,
                      type(exc).__name__)
        else:
            self._refused(econsult_id, exc)

    def _answered(self, econsult_id: int) -> None:
        if econsult_id == self.current_id():
            self.refresh_after_own_change()
        self.changed.emit(econsult_id)
        self.acted.emit(self.tr("Answer sent (a sent answer cannot be undone)"), None)
        state = self._call_state if econsult_id == self.current_id() else None
        if state is not None and state.required and self._detail is not None and \
                self._detail.status is not ConsultStatus.CLOSED:
            self.open_call_dialog()  # urgent: the call decides; the declaration follows then
            return
        self._offer_declaration(econsult_id)

    def _remember_template_keys(self, *_args) -> None:
        if self._detail is not None:
            self._sent_template_keys[self._detail.id] = list(
                getattr(self._reply, "_template_keys", []))

    def _offer_declaration(self, econsult_id: int) -> None:
        """Answered, called or closed by phone: the time becomes a declaration to confirm.
        The dialog names the proposal's own patient (the pane may show the next item)."""
        if self._declare is not None:
            self._declare.offer(econsult_id,
                                template_keys=self._sent_template_keys.pop(econsult_id, ()))

    def billing_timer(self) -> BillingTimer | None:
        return self._timer

    def flush_time(self) -> None:
        """Before closing the window: the time measured so far goes to the store."""
        if self._timer is not None:
            self._timer.flush()

    def _delivery_read(self, econsult_id: int, states) -> None:
        if econsult_id == self.current_id():
            self._thread.set_delivery(states)
            self._mail_confirm.set_delivery(econsult_id, states)

    def _mail_answer_confirmed(self, econsult_id: int) -> None:
        self.refresh_delivery()
        self.changed.emit(econsult_id)  # the outbox pushes: sent again where it did not arrive

