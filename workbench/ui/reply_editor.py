"""Writing the answer: plain-text editor with templates, attachments, preview, drafts and send."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QHideEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.services.inbox import ConsultDetail
from workbench.services.replies import (
    OutgoingAttachment,
    ReplyError,
    ReplyService,
    ThirdPartyRule,
)
from workbench.services.templates import (
    RenderContext,
    TemplateError,
    TemplateInfo,
    TemplateNotAllowed,
    TemplateService,
    check_age,
    find_unresolved,
    render,
)
from workbench.ui import file_dialogs, labels
from workbench.ui.answer_conflict import before_answering_text
from workbench.ui.attachment_chips import AttachmentChips
from workbench.ui.context import UiContext
from workbench.ui.question_checklist import QuestionChecklist
from workbench.ui.reply_sending import ReplySending
from workbench.ui.template_picker import TemplatePicker
from workbench.ui.third_party_notice import ThirdPartyNotice

log = logging.getLogger(__name__)

DRAFT_DELAY_MS = 2000
DEFAULT_FOLLOW_UP_DAYS = 14


class ReplyEditor(ReplySending, QWidget):
    """The answer to one e-consult (or, with `conversation=True`, the first message of a new
    one): plain text only, templates, photo or PDF attachments, a preview, follow-up, and a
    draft saved as you type. Sending it, with its checks, is in ReplySending.

    Actions (`template_action` Ctrl+T, `attach_action`, `preview_action`, `send_action`
    Ctrl+Return) carry shortcuts, so a window can put them in its menus.

    Signals:
        loaded(int): the draft and context of this e-consult are in; typing may begin.
        draft_saved(int): the draft of this e-consult is in the store.
        sent(int): the answer to this e-consult is in the store (and the outbox).
        send_requested(str): conversation mode: the checked text is ready to be sent.
        delivery_changed(int, object): delivery states {message id: DeliveryState} read.
        attachments_changed(): a file was added or removed.
        route_to_gp_requested(): a template is not for this patient (fever under 3 months):
            the user wants the e-consult routed to a GP.
    """

    loaded = Signal(int)
    draft_saved = Signal(int)
    sent = Signal(int)
    send_requested = Signal(str)
    delivery_changed = Signal(int, object)
    attachments_changed = Signal()
    route_to_gp_requested = Signal()
    changed_meanwhile = Signal(int)   # an answer stopped: the e-consult changed since opened
    answer_declined = Signal()        # "No" to answering what someone else answers or has

    def __init__(self, context: UiContext, parent: QWidget | None = None, *,
                 replies: ReplyService | None = None, templates: TemplateService | None = None,
                 conversation: bool = False) -> None:
        super().__init__(parent)
        self._context = context
        self._replies = replies or ReplyService(context.engine, context.blobs,
                                                clock=context.clock)
        self._templates = templates or TemplateService(context.engine, clock=context.clock)
        self._conversation = conversation
        self._detail: ConsultDetail | None = None
        self._patient_id: int | None = None
        self._generation = 0
        self._loading = False
        self._sending = False
        self._dirty = False
        self._quiet = False           # text set by us, not typed: no draft, no '::'
        self._attachments: list[OutgoingAttachment] = []
        self._template_keys: list[str] = []  # templates put in this answer (age rules)
        self._render_context: RenderContext | None = None
        self._rule: ThirdPartyRule | None = None
        self._checklist: QuestionChecklist | None = None
        self._unresolved_warning: str | None = None  # the status while a variable is open
        self._dialogs: list[QWidget] = []
        # The version of the e-consult this answer is written against: what was opened, or
        # acknowledged since (own actions, a change shown and kept as draft).
        self._based_on: int | None = None
        self._asked_before_answering: int | None = None  # the e-consult asked about
        self._answering_elsewhere: Callable[[int], list[str]] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DRAFT_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        self.third_party_notice = ThirdPartyNotice()
        self.third_party_notice.choice_made.connect(self._record_choice)
        self._make_actions()
        self._build()
        self._update_actions()

    # -- construction ------------------------------------------------------------------------
    def _make_actions(self) -> None:
        def action(text: str, keys: str | None, slot: Callable[[], None]) -> QAction:
            made = QAction(text, self)
            if keys:
                made.setShortcut(QKeySequence(keys))
                native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
                made.setToolTip(f"{text} ({native})")
            made.triggered.connect(lambda _checked=False: slot())
            return made

        self.template_action = action(self.tr("Template…"), "Ctrl+T", self.open_template_picker)
        self.attach_action = action(self.tr("Attach…"), None, self.choose_attachment)
        self.preview_action = action(self.tr("Preview"), None, self.open_preview)
        self.send_action = action(self.tr("Send"), "Ctrl+Return", self.send)

    def _build(self) -> None:
        self.text_edit = QPlainTextEdit()
        self.text_edit.setAccessibleName(self.tr("Your answer"))
        self.text_edit.setPlaceholderText(self.tr("Write your answer here. Type :: or press "
                                                  "Ctrl+T for a template."))
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.textChanged.connect(self._typed)
        self.text_edit.installEventFilter(self)
        self.text_edit.textChanged.connect(self._clear_resolved_warning)
        self.text_edit.document().contentsChange.connect(self._contents_changed)

        self._chips = AttachmentChips()
        self._chips.removed.connect(self.remove_attachment)
        self._chips.show_attachments([])

        user = self._context.user
        self._signature = QLabel(self.tr("Signed: {name}, {role}").format(
            name=user.name, role=labels.role_label(user.role)))
        self._signature.setTextFormat(Qt.TextFormat.PlainText)
        self._signature.setEnabled(False)

        self.follow_up = QCheckBox(self.tr("Ask for an evaluation in"))
        self.follow_up_days = QSpinBox()
        self.follow_up_days.setRange(1, 365)
        self.follow_up_days.setValue(DEFAULT_FOLLOW_UP_DAYS)
        self.follow_up_days.setSuffix(self.tr(" days"))
        self.follow_up_days.setAccessibleName(self.tr("Days until the evaluation"))
        self.follow_up_days.setEnabled(False)
        self.follow_up.toggled.connect(self.follow_up_days.setEnabled)

        self._status = QLabel()
        self._status.setTextFormat(Qt.TextFormat.PlainText)
        self._status.setWordWrap(True)

        tools = QToolBar()  # folds into a » menu when the pane is narrow
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.template_action, self.attach_action, self.preview_action):
            tools.addAction(action)
        buttons = QHBoxLayout()
        buttons.addWidget(tools, 1)
        follow = QWidget()
        follow_layout = QHBoxLayout(follow)
        follow_layout.setContentsMargins(0, 0, 0, 0)
        follow_layout.addWidget(self.follow_up)
        follow_layout.addWidget(self.follow_up_days)
        follow_layout.addStretch(1)
        follow.setVisible(not self._conversation)
        self.send_button = QToolButton()
        self.send_button.setDefaultAction(self.send_action)
        self.send_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.send_button.setVisible(not self._conversation)
        if self._conversation:
            self.addAction(self.send_action)  # Ctrl+Return still asks the dialog to send
        buttons.addWidget(self.send_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self._chips)
        layout.addWidget(self._signature)
        layout.addWidget(follow)
        layout.addLayout(buttons)
        layout.addWidget(self._status)

    # -- public API --------------------------------------------------------------------------
    @property
    def replies(self) -> ReplyService:
        return self._replies

    def set_checklist(self, checklist: QuestionChecklist | None) -> None:
        """The questions that must be ticked before sending without a question."""
        self._checklist = checklist

    def current_id(self) -> int | None:
        return self._detail.id if self._detail is not None else None

    def text(self) -> str:
        return self.text_edit.toPlainText()

    def attachments(self) -> list[OutgoingAttachment]:
        return list(self._attachments)

    def third_party_rule(self) -> ThirdPartyRule | None:
        return self._rule

    def is_loading(self) -> bool:
        return self._loading

    def set_consult(self, detail: ConsultDetail | None) -> None:
        """Answer this e-consult: the draft of the one before is saved first, this one's
        draft is read back. The same e-consult again (after a refresh) keeps the text."""
        if detail is not None and self._detail is not None and detail.id == self._detail.id:
            self._detail = detail
            self._update_actions()
            return
        self.save_now()
        self._detail = detail
        self._based_on = detail.version if detail is not None else None
        self._asked_before_answering = None
        self._start_loading(detail.id if detail is not None else None,
                            detail.patient_id if detail is not None else None)

    def acknowledge_version(self) -> None:
        """The e-consult as shown now is what the answer is based on (after the user's own
        action, or after a change was shown to them)."""
        if self._detail is not None:
            self._based_on = self._detail.version

    def set_answering_elsewhere(self, names: Callable[[int], list[str]]) -> None:
        """Who else is answering an e-consult now (presence), asked before one starts."""
        self._answering_elsewhere = names

    def set_patient(self, patient_id: int | None) -> None:
        """Conversation mode: the templates' variables come from this patient."""
        self._patient_id = patient_id
        self._start_loading(None, patient_id)

    def save_now(self) -> None:
        """Store the draft now (on switching, hiding, closing), not waiting for the timer."""
        self._timer.stop()
        if self._conversation or not self._dirty or self._detail is None or self._loading:
            return
        self._dirty = False
        econsult_id, user_id = self._detail.id, self._context.user.id
        text, attachments, replies = self.text(), list(self._attachments), self._replies
        self._context.tasks.run_db(
            lambda: replies.save_draft(econsult_id, user_id, text, attachments),
            lambda _none: self._emit_if_alive("draft_saved", econsult_id))

    def refresh_delivery(self) -> None:
        """Read again whether our messages reached the portal (after a pull or push)."""
        if self._detail is None:
            return
        econsult_id, replies = self._detail.id, self._replies
        self._context.tasks.run_db(lambda: replies.delivery_states(econsult_id),
                                   lambda states: self._emit_if_alive(
                                       "delivery_changed", econsult_id, states))

    def filled_text(self) -> str:
        """The exact text that will be sent: variables filled where possible."""
        return self._fill(self.text())

    def insert_template(self, template: TemplateInfo) -> None:
        """Add a template's text at the cursor, filled for this patient, and count the use.
        A template not for this patient's age (fever under 3 months) is not added: the
        user is told why and offered to route the e-consult to a GP."""
        context = self._render_context
        try:
            check_age(template.key, context.patient_birth_date if context else None,
                      self._context.clock().astimezone().date())
        except TemplateNotAllowed as exc:
            self._too_young(exc)
            return
        if template.key not in self._template_keys:
            self._template_keys.append(template.key)
        body = self._fill(template.body)
        cursor = self.text_edit.textCursor()
        before = self.text()[:cursor.position()]
        prefix = "" if not before or before.endswith("\n") else "\n\n"
        cursor.insertText(prefix + body)
        self.text_edit.setTextCursor(cursor)
        self.text_edit.setFocus()
        templates, template_id = self._templates, template.id
        self._context.tasks.run_db(lambda: templates.record_use(template_id),
                                   on_error=lambda exc: log.warning(
                                       "use of template %s not counted: %s", template_id,
                                       type(exc).__name__))

    def open_template_picker(self) -> TemplatePicker | None:
        if not self.template_action.isEnabled():
            return None
        picker = TemplatePicker(self._templates, self._context.user.id, self,
                                tasks=self._context.tasks)
        picker.accepted.connect(lambda: self._picked(picker))
        picker.finished.connect(lambda _result: self._dialog_closed(picker))
        self._dialogs.append(picker)
        picker.open()
        return picker

    def choose_attachment(self) -> None:
        if not self.attach_action.isEnabled():
            return
        dialog = QFileDialog(self, self.tr("Attach a photo or PDF"), "",
                             self.tr("Photos and PDF files (*.jpg *.jpeg *.png *.pdf)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        file_dialogs.set_labels(dialog)
        dialog.fileSelected.connect(self.attach_path)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self._dialogs.append(dialog)
        dialog.open()

    def attach_path(self, path: str) -> None:
        """Add a file (checked by its bytes: JPEG, PNG or PDF) to the answer."""
        replies, generation = self._replies, self._generation
        self._context.tasks.run_io(lambda: replies.attach_file(path),
                                   lambda attachment: self._attached(generation, attachment),
                                   self._attach_failed)

    def remove_attachment(self, position: int) -> None:
        if 0 <= position < len(self._attachments):
            del self._attachments[position]
            self._attachments_edited()

    def open_preview(self) -> QDialog | None:
        if not self.preview_action.isEnabled():
            return None
        dialog = QDialog(self)
        dialog.setObjectName("replyPreview")
        dialog.setWindowTitle(self.tr("Preview of the answer"))
        view = QPlainTextEdit()
        view.setReadOnly(True)
        view.setAccessibleName(self.tr("Text that will be sent"))
        view.setPlainText(self.filled_text())
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel(self.tr("This is exactly what the patient will read:")))
        layout.addWidget(view, 1)
        if self._attachments:
            files = QLabel(self.tr("Attached: {files}").format(
                files=", ".join(a.title for a in self._attachments)))
            files.setTextFormat(Qt.TextFormat.PlainText)
            files.setWordWrap(True)
            layout.addWidget(files)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(dialog.reject)
        layout.addWidget(close)
        dialog.resize(560, 420)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self._dialogs.append(dialog)
        dialog.open()
        return dialog

    def clear(self) -> None:
        """Empty text and attachments (after sending), without a draft save."""
        self._timer.stop()
        self._set_text_quietly("")
        self._attachments = []
        self._template_keys = []
        self._chips.show_attachments([])
        self.follow_up.setChecked(False)
        self.follow_up_days.setValue(DEFAULT_FOLLOW_UP_DAYS)
        self._dirty = False

    def set_status(self, text: str) -> None:
        self._status.setText(text)

    def status_text(self) -> str:
        return self._status.text()

    def attachment_chips(self) -> list[QToolButton]:
        """The removable buttons for the attached files, in order."""
        return self._chips.chips()

    # -- loading -----------------------------------------------------------------------------
    def _start_loading(self, econsult_id: int | None, patient_id: int | None) -> None:
        self._generation += 1
        generation = self._generation
        self._timer.stop()
        if not self._conversation:  # a new message keeps its text when the patient changes
            self._set_text_quietly("")
            self._attachments = []
            self._template_keys = []
            self._chips.show_attachments([])
        self._dirty = False
        self._render_context = None
        self._rule = None
        self.third_party_notice.show_rule(None)
        self.follow_up.setChecked(False)
        self.follow_up_days.setValue(DEFAULT_FOLLOW_UP_DAYS)
        self._status.clear()
        if econsult_id is None and not self._conversation:
            self._loading = False
            self._update_actions()
            return
        self._loading = True
        self._update_actions()
        replies, user_id = self._replies, self._context.user.id
        settings = self._context.settings
        phones = {"out_of_hours_phone": settings.huisartsenpost_telefoon,
                  "practice_phone": settings.praktijk_telefoon}

        def load():
            context = replies.render_context(econsult_id, patient_id, user_id, **phones)
            if econsult_id is None:
                return None, context, None, {}
            return (replies.load_draft(econsult_id, user_id), context,
                    replies.third_party_rule(econsult_id), replies.delivery_states(econsult_id))

        self._context.tasks.run_db(
            load, lambda result: self._loaded(generation, econsult_id, result),
            lambda exc: self._load_failed(generation, exc))

    def _loaded(self, generation: int, econsult_id: int | None, result) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        draft, render_context, rule, states = result
        self._loading = False
        self._render_context = render_context
        self._rule = rule
        self.third_party_notice.show_rule(rule)
        if draft is not None:
            self._set_text_quietly(draft.text)
            self._attachments = list(draft.attachments)
            self._chips.show_attachments(self._attachments)
            self._status.setText(self.tr("Draft from {when} restored.").format(
                when=draft.updated_at.astimezone().strftime("%d-%m-%Y %H:%M")))
        self._update_actions()
        if econsult_id is not None:
            self.delivery_changed.emit(econsult_id, states)
            self.loaded.emit(econsult_id)
        else:
            self.loaded.emit(-1)

    def _load_failed(self, generation: int, exc: BaseException) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._loading = False
        self._update_actions()
        log.error("loading the draft failed:\n%s",
                  getattr(exc, "__traceback_text__", type(exc).__name__))
        self._context.tasks.unexpected_error.emit(exc)

    # -- typing ------------------------------------------------------------------------------
    def _set_text_quietly(self, text: str) -> None:
        self._quiet = True
        try:
            self.text_edit.setPlainText(text)
            self.text_edit.moveCursor(QTextCursor.MoveOperation.End)
        finally:
            self._quiet = False

    def _typed(self) -> None:
        if self._quiet or self._conversation or self._detail is None or self._loading:
            return
        self._dirty = True
        self._timer.start()

    def _contents_changed(self, position: int, removed: int, added: int) -> None:
        if self._quiet or added != 1 or removed != 0 or position < 1:
            return
        document = self.text_edit.document()
        if document.characterAt(position) == ":" and document.characterAt(position - 1) == ":":
            # Not while the document is changing: remove the colons right after.
            QTimer.singleShot(0, lambda: self._colons_typed(position - 1))

    def _colons_typed(self, start: int) -> None:
        if not shiboken6.isValid(self):
            return
        document = self.text_edit.document()
        if document.characterAt(start) != ":" or document.characterAt(start + 1) != ":":
            return
        cursor = QTextCursor(document)
        cursor.setPosition(start)
        cursor.setPosition(start + 2, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self.text_edit.setTextCursor(cursor)
        self.open_template_picker()

    def _fill(self, text: str) -> str:
        context = self._render_context or RenderContext(
            author_name=self._context.user.name,
            author_role=self._context.user.role.value if self._context.user.role else None,
            today=self._context.clock().astimezone().date())
        try:
            return render(text, context)
        except TemplateError:
            return text  # an unknown {name}: left as written, find_unresolved names it

    def _select_variable(self, name: str) -> None:
        markers = find_unresolved(self.text())
        marker = next((m for m in markers if m.name == name), markers[0] if markers else None)
        if marker is None:
            return
        cursor = self.text_edit.textCursor()
        cursor.setPosition(marker.start)
        cursor.setPosition(marker.end, QTextCursor.MoveMode.KeepAnchor)
        self.text_edit.setTextCursor(cursor)
        self.text_edit.setFocus()

    def _picked(self, picker: TemplatePicker) -> None:
        template = picker.chosen()
        if template is not None and shiboken6.isValid(self):
            self.insert_template(template)

    # -- attachments -------------------------------------------------------------------------
    def _attached(self, generation: int, attachment: OutgoingAttachment) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._attachments.append(attachment)
        self._attachments_edited()

    def _attachments_edited(self) -> None:
        self._chips.show_attachments(self._attachments)
        if not self._conversation and self._detail is not None and not self._loading:
            self._dirty = True
            self._timer.start()
        self.attachments_changed.emit()

    def _attach_failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        if isinstance(exc, ReplyError) and exc.code == "unsupported_file":
            self._warn(self.tr("Only photos (JPEG or PNG) and PDF files can be attached."))
        elif isinstance(exc, ReplyError) and exc.code == "too_large":
            self._warn(self.tr("This file is too large to send."))
        elif isinstance(exc, OSError):
            self._warn(self.tr("The file could not be read."))
        else:
            log.error("attaching failed:\n%s",
                      getattr(exc, "__traceback_text__", type(exc).__name__))
            self._context.tasks.unexpected_error.emit(exc)

    # -- before answering, who receives it ---------------------------------------------------
    def _ask_before_answering(self) -> None:
        """Starting to answer what a colleague is answering, or what is assigned to someone
        else, asks first (once per opened e-consult); "No" leaves the answer alone."""
        detail = self._detail
        if detail is None or self._conversation or self._asked_before_answering == detail.id:
            return
        self._asked_before_answering = detail.id
        answering = self._answering_elsewhere(detail.id) if self._answering_elsewhere else []
        assignee = detail.assignee_name if detail.assignee_id not in (
            None, self._context.actor.user_id) else None
        question = before_answering_text(answering, assignee)
        if question is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Answer"), question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("beforeAnsweringBox")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def answered(_result: int) -> None:
            yes = box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
            self._dialog_closed(box, refocus=yes)
            if not yes and shiboken6.isValid(self):
                self.text_edit.clearFocus()
                self.answer_declined.emit()

        box.finished.connect(answered)
        self._dialogs.append(box)
        box.open()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if watched is self.text_edit and event.type() == QEvent.Type.FocusIn \
                and not self._quiet and not self._loading:
            QTimer.singleShot(0, self._ask_before_answering)
        return super().eventFilter(watched, event)

    def _record_choice(self, choice: str, reason: str | None = None) -> None:
        """Record a third-party choice (audited), then read the rule back: a confirmed gezag
        can change it, and the notice shows what is settled now."""
        if self._detail is None:
            return
        econsult_id, actor, replies = self._detail.id, self._context.actor, self._replies
        if self._rule is not None:
            # At once, before the store answers: a send right after sees it settled.
            self._rule = replace(self._rule, recorded=self._rule.recorded | {choice})
            self.third_party_notice.show_rule(self._rule)

        def record() -> ThirdPartyRule | None:
            replies.record_third_party_choice(econsult_id, actor, choice, reason)
            return replies.third_party_rule(econsult_id)

        self._context.tasks.run_db(record, lambda rule: self._rule_read(econsult_id, rule))

    def _rule_read(self, econsult_id: int, rule: ThirdPartyRule | None) -> None:
        if shiboken6.isValid(self) and self._detail is not None \
                and self._detail.id == econsult_id:
            self._rule = rule
            self.third_party_notice.show_rule(rule)

    # -- helpers -----------------------------------------------------------------------------
    def _update_actions(self) -> None:
        ready = (self._detail is not None or self._conversation) and not self._loading \
            and not self._sending
        for action in (self.template_action, self.attach_action, self.preview_action,
                       self.send_action):
            action.setEnabled(ready)
        self.text_edit.setReadOnly(not ready)
        self.follow_up.setEnabled(ready)

    def _warn(self, text: str) -> None:
        self._status.setText(text)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Workbench"), text,
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.finished.connect(lambda _result: self._dialog_closed(box, refocus=True))
        self._dialogs.append(box)
        box.open()

    def _warn_unresolved(self, text: str) -> None:
        """The warning about a variable left to fill, which goes once none is left."""
        self._warn(text)
        self._unresolved_warning = text

    def _clear_resolved_warning(self) -> None:
        if self._unresolved_warning is None or find_unresolved(self.filled_text()):
            return
        if self._status.text() == self._unresolved_warning:  # not if something else says more
            self._status.clear()
        self._unresolved_warning = None

    def _dialog_closed(self, dialog: QWidget, refocus: bool = False) -> None:
        if dialog in self._dialogs:
            self._dialogs.remove(dialog)
        dialog.deleteLater()
        if refocus and shiboken6.isValid(self):
            self.text_edit.setFocus()

    def _emit_if_alive(self, signal_name: str, *args) -> None:
        if shiboken6.isValid(self):
            getattr(self, signal_name).emit(*args)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self.save_now()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_now()
        super().closeEvent(event)
