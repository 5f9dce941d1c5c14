"""The main window: composes navigation, list, consult pane, menus and the pull status."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from workbench.services.errors import ActionRefused
from workbench.services.mail_senders import count_waiting
from workbench.services.quarantine import count_open
from workbench.services.rights import Permission, allowed
from workbench.services.undo import UndoToken
from workbench.ui import labels
from workbench.ui.action_feedback import ActionFeedback
from workbench.ui.admin_menu import AdminMenu
from workbench.ui.consult_pane import ConsultPane
from workbench.ui.context import UiContext
from workbench.ui.errors import describe_error
from workbench.ui.inbox_view import InboxView
from workbench.ui.live_refresh import WindowLiveRefresh
from workbench.ui.lock_screen import ScreenLock
from workbench.ui.navigation import COMPACT_WIDTH, NavigationList
from workbench.ui.portal_bar import PortalBar
from workbench.ui.quarantine_view import QuarantineView
from workbench.ui.status_panel import PullStatus
from workbench.ui.sync_controller import PullOutcome, SyncController
from workbench.ui.unknown_senders_view import UnknownSendersView

# Dialogs and the photo viewer are imported when first opened: the window's first paint does
# not need them.
if TYPE_CHECKING:
    from workbench.ui.about_dialog import AboutDialog
    from workbench.ui.declarations_view import DeclarationsView
    from workbench.ui.new_message_dialog import NewMessageDialog
    from workbench.ui.photo_viewer import PhotoViewer

log = logging.getLogger(__name__)

COMPACT_BELOW = 1200   # window width (pixels) under which the navigation shows icons only
NAVIGATION_WIDTH = 240  # at most; as wide as the longest list name needs (tooltip: whole)
PANE_SHARE = 0.42      # of the width beside the navigation, for the e-consult pane


class MainWindow(QMainWindow):
    """Composition root of the desktop app; the panes know nothing of each other.

    Signals:
        switch_user_requested(): the person at the workstation wants to change user.
        sign_out_requested(): the person signs out ("Afmelden").
    """

    switch_user_requested = Signal()
    sign_out_requested = Signal()

    def __init__(self, context: UiContext, sync: SyncController) -> None:
        super().__init__()
        self._context = context
        self._sync = sync
        self._photo_viewer: PhotoViewer | None = None
        self.setWindowTitle(self._title(0))

        self.navigation = NavigationList(context.user, context.queries.practitioners())
        self.inbox = InboxView(context)
        self.consult = ConsultPane(context, replies=context.replies,
                                   templates=context.templates)
        # "Niet verwerkt" takes the place of list and pane while it is picked.
        self.quarantine = QuarantineView(context)
        self.quarantine.hide()
        # So does "Onbekende afzender" (mail waiting for a person).
        self.unknown_senders = UnknownSendersView(context)
        self.unknown_senders.hide()
        self.pull_status = PullStatus()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.inbox)
        splitter.addWidget(self.consult)
        splitter.addWidget(self.quarantine)
        splitter.addWidget(self.unknown_senders)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 3)
        splitter.setStretchFactor(3, 6)
        splitter.setStretchFactor(4, 6)
        splitter.setSizes([200, 680, 486, 1166, 1166])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        self._shared_for: bool | None = None  # compact or not, when the panes were shared out
        # The portal bar over the lists while the portal cannot be reached.
        self.portal_bar = PortalBar(context.clock)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.portal_bar)
        central_layout.addWidget(splitter, 1)
        # A role without clinical work (the praktijkmanager) sees no e-consults at all.
        self.clinical = allowed(context.user.role, Permission.TRIAGE)
        self.no_clinical_work = QLabel(self.tr(
            "As practice manager you see no e-consults. The Admin menu has the users and "
            "the patients' access reports; View, Declarations has the declarations."))
        self.no_clinical_work.setWordWrap(True)
        self.no_clinical_work.setAlignment(Qt.AlignmentFlag.AlignCenter)
        central_layout.addWidget(self.no_clinical_work, 1)
        splitter.setVisible(self.clinical)
        self.no_clinical_work.setVisible(not self.clinical)
        self.setCentralWidget(central)
        self.action_feedback = ActionFeedback()
        self.statusBar().addWidget(self.action_feedback)
        self.statusBar().addPermanentWidget(self.pull_status, 1)
        self._quit_confirmed = False
        self._pending: object = self._NOTHING_PENDING  # a selection made while locked
        self.statusBar().showMessage(self.tr("Signed in as %1").replace(
            "%1", labels.person_label(context.user.name, context.user.role)))

        self._build_menus()
        self.screen_lock = ScreenLock(
            self, context, keep=(self.pull_action, self.lock_action, self.switch_user_action,
                                 self.sign_out_action, self.quit_action),
            before_lock=self.consult.save_draft_now,  # a draft survives the lock and a switch
            other_windows=lambda: (self._photo_viewer,))
        self.screen_lock.other_user_requested.connect(self.switch_user_requested.emit)
        self._tray = self._make_tray()
        self._connect()
        # Several workstations on one database: colleagues' changes and presence, live.
        self.live = WindowLiveRefresh(self, context.engine)
        self.pull_status.on_schedule(sync.last_pull, sync.next_pull)
        if self.clinical:
            self.navigation.select_default()
        else:
            for action in self._clinical_actions():
                action.setEnabled(False)
                action.setVisible(False)
            self.consult_menu.menuAction().setVisible(False)
        self.refresh_counts()

    _NOTHING_PENDING = object()

    def _current_changed(self, econsult_id: int | None) -> None:
        """The list's selection moved (also by a pull while the screen is locked: then nobody
        looks, so nothing is shown, and no view is recorded, until someone unlocks)."""
        if self.screen_lock.is_locked:
            self._pending = econsult_id
            return
        self.consult.show_consult(econsult_id)

    def _show_pending(self) -> None:
        pending, self._pending = self._pending, self._NOTHING_PENDING
        if pending is not self._NOTHING_PENDING and pending != self.consult.current_id():
            self.consult.show_consult(pending)

    def _clinical_actions(self) -> list[QAction]:
        return [self.consult.assign_to_me_action, self.consult.assign_action,
                self.consult.route_action, self.consult.send_back_action,
                self.consult.invite_action, self.consult.call_action, self.consult.close_action,
                self.consult.template_action, self.consult.send_action,
                self.consult.his_copy_action, self.new_message_action, self.next_action,
                self.previous_action, self.search_action, self.inbox_action,
                self.quarantine_action, self.unknown_senders_action, self.undo_action]

    # -- composition ------------------------------------------------------------------------
    def _connect(self) -> None:
        self.navigation.view_selected.connect(self.inbox.show_view)
        self.navigation.view_selected.connect(lambda _view: self._show_lists())
        self.navigation.quarantine_selected.connect(self._show_quarantine)
        self.quarantine.retry_requested.connect(self._sync.pull_now)
        self.quarantine.handled.connect(lambda _id: self._after_quarantine_handled())
        self.navigation.unknown_senders_selected.connect(self._show_unknown_senders)
        self.unknown_senders.handled.connect(lambda _id: self._after_mail_handled())
        self._sync.started.connect(lambda: self.quarantine.set_pulling(True))
        self.inbox.current_changed.connect(self._current_changed)
        self.screen_lock.unlocked.connect(self._show_pending)
        self.consult.changed.connect(self._after_change)
        self.consult.acted.connect(self._acted)
        self.action_feedback.undo_requested.connect(self.undo)
        self.consult.viewed.connect(lambda _id: self.refresh_counts())
        self.consult.photo_clicked.connect(self.open_photo)
        self.consult.open_econsult_requested.connect(self.open_econsult)
        self.pull_status.pull_button.clicked.connect(self._sync.pull_now)
        self._sync.started.connect(self.pull_status.on_started)
        self._sync.progress.connect(self.pull_status.on_progress)
        self._sync.finished.connect(self._after_pull)
        self._sync.failed.connect(self._pull_failed)
        self._sync.finished.connect(self.portal_bar.on_finished)
        self._sync.pulling_elsewhere.connect(self.portal_bar.on_pulling_elsewhere)
        self._sync.failed.connect(self.portal_bar.on_failed)
        self._sync.schedule_changed.connect(self.pull_status.on_schedule)
        self._sync.pushed.connect(lambda _result: self.consult.refresh_delivery())
        self._context.tasks.unexpected_error.connect(self._unexpected_error)

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&File"))
        self.pull_action = self._action(self.tr("&Pull now"), QKeySequence(Qt.Key.Key_F5),
                                        self._sync.pull_now)
        file_menu.addAction(self.pull_action)
        self.lock_action = self._action(self.tr("&Lock screen"), QKeySequence("Ctrl+L"),
                                        lambda: self.screen_lock.lock("request"))
        file_menu.addAction(self.lock_action)
        self.switch_user_action = self._action(self.tr("&Switch user…"), None,
                                               self.switch_user_requested.emit)
        file_menu.addAction(self.switch_user_action)
        self.sign_out_action = self._action(self.tr("Sign &out"), None,
                                            self.sign_out_requested.emit)
        file_menu.addAction(self.sign_out_action)
        file_menu.addSeparator()
        self.quit_action = self._action(self.tr("&Quit"), QKeySequence.StandardKey.Quit,
                                        self.close)
        file_menu.addAction(self.quit_action)

        consult_menu = menu.addMenu(self.tr("&E-consult"))
        self.consult_menu = consult_menu
        self.next_action = self._action(self.tr("&Next item"), QKeySequence("Ctrl+Down"),
                                        self.inbox.select_next)
        self.previous_action = self._action(self.tr("&Previous item"), QKeySequence("Ctrl+Up"),
                                            self.inbox.select_previous)
        consult_menu.addAction(self.next_action)
        consult_menu.addAction(self.previous_action)
        consult_menu.addSeparator()
        for action in (self.consult.assign_to_me_action, self.consult.assign_action,
                       self.consult.route_action, self.consult.send_back_action,
                       self.consult.invite_action, self.consult.call_action,
                       self.consult.close_action):
            consult_menu.addAction(action)
            self.addAction(action)  # shortcuts work wherever the focus is
        consult_menu.addSeparator()
        for action in (self.consult.template_action, self.consult.send_action,
                       self.consult.his_copy_action):
            consult_menu.addAction(action)
            self.addAction(action)
        self.new_message_action = self._action(self.tr("&New message…"),
                                               QKeySequence.StandardKey.New,
                                               self.open_new_message)
        consult_menu.addAction(self.new_message_action)
        consult_menu.addSeparator()
        # A text field's own Ctrl+Z (typing) goes first: Qt lets the focused editor claim it.
        self.undo_action = self._action(self.tr("&Undo last action"), QKeySequence.StandardKey.Undo,
                                        self.action_feedback.undo)
        consult_menu.addAction(self.undo_action)

        view_menu = menu.addMenu(self.tr("&View"))
        self.search_action = self._action(self.tr("&Search messages"),
                                          QKeySequence.StandardKey.Find, self.inbox.focus_search)
        view_menu.addAction(self.search_action)
        self.inbox_action = self._action(self.tr("Go to &inbox"), QKeySequence("Ctrl+1"),
                                         self._go_to_inbox)
        view_menu.addAction(self.inbox_action)
        self.quarantine_action = self._action(self.tr("Go to &not processed"),
                                              QKeySequence("Ctrl+9"), self.show_quarantine)
        view_menu.addAction(self.quarantine_action)
        self.unknown_senders_action = self._action(self.tr("Go to &unknown sender"),
                                                   QKeySequence("Ctrl+8"),
                                                   self.show_unknown_senders)
        view_menu.addAction(self.unknown_senders_action)
        self.declarations_action = self._action(self.tr("&Declarations…"), None,
                                                self.open_declarations)
        view_menu.addAction(self.declarations_action)

        help_menu = menu.addMenu(self.tr("&Help"))
        help_menu.addAction(self._action(self.tr("Copy &diagnostics"), None,
                                         self.copy_diagnostics))
        help_menu.addAction(self._action(self.tr("&About Workbench"), None, self._about))
        self.admin = AdminMenu(self, self._context)  # Beheer, before Help, for its roles only

    def _action(self, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _make_tray(self) -> QSystemTrayIcon | None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return None
        tray = QSystemTrayIcon(self.windowIcon(), self)
        tray.setToolTip("Workbench")
        tray.activated.connect(lambda _reason: (self.showNormal(), self.activateWindow()))
        tray.show()
        return tray

    # -- reactions ------------------------------------------------------------------------------
    def refresh_counts(self) -> None:
        queries = self._context.queries
        self.navigation.refresh_counts(queries.counts(), queries.overdue_counts(
            self._context.clock(), self._context.settings.answer_target_working_days))
        self.navigation.set_quarantine_count(count_open(self._context.engine))
        self.navigation.set_unknown_senders_count(count_waiting(self._context.engine))
        # No unread count for a role that sees no e-consults.
        unread = queries.unread_count(self._context.user.id) if self.clinical else 0
        self.navigation.set_unread(unread)
        self.setWindowTitle(self._title(unread))

    def _after_change(self, _econsult_id: int) -> None:
        self.inbox.reload()
        self.refresh_counts()
        self._sync.push_now()

    def _acted(self, text: str, token: UndoToken | None) -> None:
        self.statusBar().clearMessage()  # a passing message would hide the feedback
        self.action_feedback.show_action(text, token)

    def undo(self, token: UndoToken) -> None:
        """Put an action back; the undo is audited, and a portal change still held in the
        outbox never reaches the portal."""
        triage, actor = self._context.triage, self._context.actor
        self._context.tasks.run_db(lambda: triage.undo(token, actor),
                                   lambda _result: self._undone(token),
                                   lambda exc: self._undo_failed(token, exc))

    def _undone(self, token: UndoToken) -> None:
        self._acted(self.tr("Undone"), None)
        if self.consult.current_id() == token.econsult_id:
            self.consult.refresh_after_own_change()
        self._after_change(token.econsult_id)

    def _undo_failed(self, token: UndoToken, exc: BaseException) -> None:
        if not isinstance(exc, ActionRefused):
            self._context.tasks.unexpected_error.emit(exc)
            return
        log.info("undo on e-consult %s refused: %s", token.econsult_id, exc.code)
        texts = {
            "changed_since": self.tr("Could not be undone: the e-consult was changed "
                                     "meanwhile."),
            "already_sent": self.tr("Could not be undone: the message has already gone to "
                                    "the patient."),
        }
        self._acted(texts.get(exc.code, self.tr("Could not be undone.")), None)

    def _after_pull(self, outcome: PullOutcome) -> None:
        self.quarantine.set_pulling(False)
        # The store's count when the result does not carry it: never "up to date" while
        # anything waits in "Not processed".
        not_processed = getattr(outcome.result, "quarantined_open", None)
        if not_processed is None:
            not_processed = count_open(self._context.engine)
        self.pull_status.on_finished(outcome, not_processed)
        self.inbox.reload()
        self.consult.refresh_delivery()
        self.refresh_counts()
        if not self.quarantine.isHidden():
            self.quarantine.reload()
        if not self.unknown_senders.isHidden():
            self.unknown_senders.reload()
        if outcome.new_econsults and self._tray is not None:
            # Counts only: a notification may be seen by anyone passing the screen.
            self._tray.showMessage(
                "Workbench", self.tr("%1 new e-consults").replace(
                    "%1", str(outcome.new_econsults)), QSystemTrayIcon.MessageIcon.Information)

    def _pull_failed(self, exc: BaseException) -> None:
        self.quarantine.set_pulling(False)
        self.pull_status.on_failed(describe_error(exc))

    def show_quarantine(self) -> bool:
        """Open "Not processed" (False when nothing waits there)."""
        if self.navigation.select_quarantine():
            return True
        self.statusBar().showMessage(self.tr("Nothing waits in Not processed"), 5000)
        return False

    def show_unknown_senders(self) -> bool:
        """Open "Unknown sender" (False when no mail waits there)."""
        if self.navigation.select_unknown_senders():
            return True
        self.statusBar().showMessage(self.tr("No mail waits in Unknown sender"), 5000)
        return False

    def _show_quarantine(self) -> None:
        self._show_instead_of_lists(self.quarantine)

    def _show_unknown_senders(self) -> None:
        self._show_instead_of_lists(self.unknown_senders)

    def _show_instead_of_lists(self, view: QuarantineView | UnknownSendersView) -> None:
        self.consult.show_consult(None)  # no time is measured on an e-consult meanwhile
        self.inbox.hide()
        self.consult.hide()
        for other in (self.quarantine, self.unknown_senders):
            if other is not view:
                other.hide()
        view.show()
        view.reload()
        view.focus_list()

    def _show_lists(self) -> None:
        if self.quarantine.isHidden() and self.unknown_senders.isHidden():
            return
        self.quarantine.hide()
        self.unknown_senders.hide()
        self.inbox.show()
        self.consult.show()
        current = self.inbox.current_econsult_id()
        if current is not None and self.consult.current_id() is None:
            self.consult.show_consult(current)

    def _after_quarantine_handled(self) -> None:
        self.refresh_counts()
        self.pull_status.set_not_processed(self.navigation.quarantine_count)

    def mail_changed_elsewhere(self) -> None:
        """Another workstation pulled or handled secure mail: the unknown-sender count, and
        the list when it is shown."""
        self.navigation.set_unknown_senders_count(count_waiting(self._context.engine))
        if not self.unknown_senders.isHidden():
            self.unknown_senders.reload()

    def _after_mail_handled(self) -> None:
        """A waiting mail was linked, imported or answered: it may be in the inbox now."""
        self.inbox.reload()
        self.refresh_counts()

    def _unexpected_error(self, exc: BaseException) -> None:
        QMessageBox.critical(self, self.tr("Something went wrong"), self.tr(
            "An unexpected error occurred. Your work is saved; the details are in the log.")
            + f"\n\n{type(exc).__name__}")

    def open_new_message(self) -> NewMessageDialog | None:
        """The practice writes first: pick a patient, write, send."""
        if self._context.replies is None:
            return None
        from workbench.ui.new_message_dialog import NewMessageDialog
        dialog = NewMessageDialog(self._context, self._context.replies, self)
        dialog.started.connect(lambda _econsult_id: self._after_change(_econsult_id))
        dialog.started.connect(lambda _econsult_id: self._acted(
            self.tr("Message sent to the patient (a sent message cannot be undone)"), None))
        dialog.open()
        return dialog

    def open_econsult(self, econsult_id: int) -> None:
        """Another e-consult of the shown patient: selected in the list when it is there (list
        and pane agree), shown in the pane either way; the pane logs the view."""
        self.inbox.select_econsult(econsult_id)
        self.consult.show_consult(econsult_id)  # only refreshes when the list already showed it

    def open_photo(self, attachment_id: int) -> PhotoViewer | None:
        """The photo viewer, in its own window (a second monitor), on the clicked photo."""
        from workbench.services.inbox import photos_of
        from workbench.ui.photo_viewer import PhotoViewer
        econsult_id = self.consult.current_id()
        detail = self._context.queries.detail(econsult_id) if econsult_id else None
        if detail is None or self._context.photos is None:
            return None
        photos = photos_of(detail)
        index = next((n for n, p in enumerate(photos) if p.id == attachment_id), None)
        if index is None:
            return None
        if self._photo_viewer is None:
            self._photo_viewer = PhotoViewer(self._context)
        received = detail.messages[0].sent_at if detail.messages else self._context.clock()
        self._photo_viewer.show_photos(
            photos, index, detail.patient_name, received,
            self._context.queries.earlier_photos(detail.patient_id, detail.id))
        self._photo_viewer.show()
        self._photo_viewer.raise_()
        self._photo_viewer.activateWindow()
        return self._photo_viewer

    def open_declarations(self) -> DeclarationsView | None:
        """Declarations per day and person, with the time chart and the CSV for the HIS."""
        if self._context.billing is None:
            return None
        from workbench.ui.declarations_view import DeclarationsView
        view = DeclarationsView(self._context, self._context.billing, self)
        view.open()
        return view

    def copy_diagnostics(self) -> str:
        """Version, configuration (no secrets) and the last log lines, for IT support."""
        from PySide6.QtCore import qVersion
        from PySide6.QtGui import QGuiApplication

        from workbench.logsetup import last_lines
        from workbench.services.diagnostics import diagnostics_text
        text = diagnostics_text(self._context.settings, last_lines(), qVersion())
        QGuiApplication.clipboard().setText(text)
        self.statusBar().showMessage(self.tr("Diagnostics copied to the clipboard"), 5000)
        return text

    def _go_to_inbox(self) -> None:
        self.navigation.setCurrentRow(0)

    def _about(self) -> AboutDialog:
        """Version, license (GPL-3.0-or-later) and the third-party licenses."""
        from workbench.ui.about_dialog import AboutDialog
        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _title(self, unread: int) -> str:
        title = self.tr("Workbench – %1").replace("%1", self._context.user.name)
        return f"({unread}) {title}" if unread else title

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> None:
        """Show the window and begin pulling (now, then on the schedule)."""
        self._sync.start_schedule()
        QTimer.singleShot(0, self._sync.pull_now)
        from workbench.ui.audit_warning import check_audit_trail_for_manager
        check_audit_trail_for_manager(self, self._context)  # the praktijkmanager only

    def quit_question(self) -> str:
        """Why quitting now needs a yes ("" when it does not): a draft being written, or a
        pull on its way."""
        reasons = []
        if self.consult.reply_editor().text().strip():
            reasons.append(self.tr("An answer is being written; it is kept as a draft."))
        if self._sync.running:
            reasons.append(self.tr("New e-consults are being pulled; the pull stops."))
        return "\n".join(reasons)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        question = "" if self._quit_confirmed else self.quit_question()
        if question:
            event.ignore()
            self._ask_to_quit(question)
            return
        self.consult.save_draft_now()  # the last keystrokes too
        self.consult.flush_time()  # and the last seconds of measured time
        self._sync.stop()
        self.live.stop()  # this user's presence cleared (written before the wait below)
        if self._photo_viewer is not None:
            self._photo_viewer.close()
        self._context.tasks.wait_for_done(10_000)
        if self._tray is not None:
            self._tray.hide()
        super().closeEvent(event)

    def _ask_to_quit(self, question: str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Quit Workbench?"),
                          question + "\n\n" + self.tr("Quit Workbench anyway?"),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("&Quit"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("&Keep working"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button) -> None:
            if box.standardButton(button) is QMessageBox.StandardButton.Yes:
                self._quit_confirmed = True
                self.close()

        box.buttonClicked.connect(answered)
        box.open()
        self.quit_box = box
        return box

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        # Once the splitter has its new width too (it is laid out after this event).
        QTimer.singleShot(0, self._fit_panes)

    def _fit_panes(self) -> None:
        """Below `COMPACT_BELOW` pixels wide the navigation collapses to icons; the list and
        the pane share what is left (the pane never below what it needs, so nothing in it is
        cut off). Shared out again only when that changes: a dragged splitter stays."""
        compact = self.width() < COMPACT_BELOW
        self.navigation.set_compact(compact)
        if self._shared_for == compact:
            return
        self._shared_for = compact
        navigation = COMPACT_WIDTH if compact else self.navigation.wide_width(NAVIGATION_WIDTH)
        rest = max(0, self.splitter.width() - navigation - 3 * self.splitter.handleWidth())
        pane = max(self.consult.minimumSizeHint().width(), int(rest * PANE_SHARE))
        self.splitter.setSizes([navigation, max(0, rest - pane), pane, rest, rest])

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(1340, 720)

