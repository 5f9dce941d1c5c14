"""The main window: composes navigation, list, consult pane, menus and the pull status."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QMainWindow,
    QMessageBox,
    QSplitter,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from workbench.services.inbox import photos_of
from workbench.services.quarantine import count_open
from workbench.ui.about_dialog import AboutDialog
from workbench.ui.consult_pane import ConsultPane
from workbench.ui.context import UiContext
from workbench.ui.declarations_view import DeclarationsView
from workbench.ui.errors import describe_error
from workbench.ui.inbox_view import InboxView
from workbench.ui.navigation import NavigationList
from workbench.ui.new_message_dialog import NewMessageDialog
from workbench.ui.photo_viewer import PhotoViewer
from workbench.ui.portal_bar import PortalBar
from workbench.ui.quarantine_view import QuarantineView
from workbench.ui.status_panel import PullStatus
from workbench.ui.sync_controller import PullOutcome, SyncController

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Composition root of the desktop app; the panes know nothing of each other.

    Signals:
        switch_user_requested(): the person at the workstation wants to change user.
    """

    switch_user_requested = Signal()

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
        self.pull_status = PullStatus()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.inbox)
        splitter.addWidget(self.consult)
        splitter.addWidget(self.quarantine)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 3)
        splitter.setStretchFactor(3, 6)
        splitter.setSizes([200, 680, 486, 1166])
        splitter.setChildrenCollapsible(False)
        # The portal bar over the lists while the portal cannot be reached.
        self.portal_bar = PortalBar(context.clock)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.portal_bar)
        central_layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.statusBar().addPermanentWidget(self.pull_status, 1)
        self.statusBar().showMessage(self.tr("Signed in as %1").replace("%1", context.user.name))

        self._build_menus()
        self._tray = self._make_tray()
        self._connect()
        self.pull_status.on_schedule(sync.last_pull, sync.next_pull)
        self.navigation.select_default()
        self.refresh_counts()

    # -- composition ------------------------------------------------------------------------
    def _connect(self) -> None:
        self.navigation.view_selected.connect(self.inbox.show_view)
        self.navigation.view_selected.connect(lambda _view: self._show_lists())
        self.navigation.quarantine_selected.connect(self._show_quarantine)
        self.quarantine.retry_requested.connect(self._sync.pull_now)
        self.quarantine.handled.connect(lambda _id: self._after_quarantine_handled())
        self._sync.started.connect(lambda: self.quarantine.set_pulling(True))
        self.inbox.current_changed.connect(self.consult.show_consult)
        self.consult.changed.connect(self._after_change)
        self.consult.viewed.connect(lambda _id: self.refresh_counts())
        self.consult.photo_clicked.connect(self.open_photo)
        self.pull_status.pull_button.clicked.connect(self._sync.pull_now)
        self._sync.started.connect(self.pull_status.on_started)
        self._sync.progress.connect(self.pull_status.on_progress)
        self._sync.finished.connect(self._after_pull)
        self._sync.failed.connect(self._pull_failed)
        self._sync.finished.connect(self.portal_bar.on_finished)
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
        file_menu.addAction(self._action(self.tr("&Switch user…"), None,
                                         self.switch_user_requested.emit))
        file_menu.addSeparator()
        file_menu.addAction(self._action(self.tr("&Quit"), QKeySequence.StandardKey.Quit,
                                         self.close))

        consult_menu = menu.addMenu(self.tr("&E-consult"))
        self.next_action = self._action(self.tr("&Next item"), QKeySequence("Ctrl+Down"),
                                        self.inbox.select_next)
        self.previous_action = self._action(self.tr("&Previous item"), QKeySequence("Ctrl+Up"),
                                            self.inbox.select_previous)
        consult_menu.addAction(self.next_action)
        consult_menu.addAction(self.previous_action)
        consult_menu.addSeparator()
        for action in (self.consult.route_action, self.consult.send_back_action,
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

        view_menu = menu.addMenu(self.tr("&View"))
        self.search_action = self._action(self.tr("&Search messages"), QKeySequence.StandardKey.Find,
                                          self.inbox.focus_search)
        view_menu.addAction(self.search_action)
        self.inbox_action = self._action(self.tr("Go to &inbox"), QKeySequence("Ctrl+1"),
                                         self._go_to_inbox)
        view_menu.addAction(self.inbox_action)
        self.quarantine_action = self._action(self.tr("Go to &not processed"),
                                              QKeySequence("Ctrl+9"), self.show_quarantine)
        view_menu.addAction(self.quarantine_action)
        self.declarations_action = self._action(self.tr("&Declarations…"), None,
                                                self.open_declarations)
        view_menu.addAction(self.declarations_action)

        help_menu = menu.addMenu(self.tr("&Help"))
        help_menu.addAction(self._action(self.tr("Copy &diagnostics"), None,
                                         self.copy_diagnostics))
        help_menu.addAction(self._action(self.tr("&About Workbench"), None, self._about))

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
        self.navigation.refresh_counts(self._context.queries.counts())
        self.navigation.set_quarantine_count(count_open(self._context.engine))
        unread = self._context.queries.unread_count()
        self.navigation.set_unread(unread)
        self.setWindowTitle(self._title(unread))

    def _after_change(self, _econsult_id: int) -> None:
        self.inbox.reload()
        self.refresh_counts()
        self._sync.push_now()

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

    def _show_quarantine(self) -> None:
        self.consult.show_consult(None)  # no time is measured on an e-consult meanwhile
        self.inbox.hide()
        self.consult.hide()
        self.quarantine.show()
        self.quarantine.reload()
        self.quarantine.focus_list()

    def _show_lists(self) -> None:
        if self.quarantine.isHidden():
            return
        self.quarantine.hide()
        self.inbox.show()
        self.consult.show()
        current = self.inbox.current_econsult_id()
        if current is not None and self.consult.current_id() is None:
            self.consult.show_consult(current)

    def _after_quarantine_handled(self) -> None:
        self.refresh_counts()
        self.pull_status.set_not_processed(self.navigation.quarantine_count)

    def _unexpected_error(self, exc: BaseException) -> None:
        QMessageBox.critical(self, self.tr("Something went wrong"), self.tr(
            "An unexpected error occurred. Your work is saved; the details are in the log.")
            + f"\n\n{type(exc).__name__}")

    def open_new_message(self) -> NewMessageDialog | None:
        """The practice writes first: pick a patient, write, send."""
        if self._context.replies is None:
            return None
        dialog = NewMessageDialog(self._context, self._context.replies, self)
        dialog.started.connect(lambda _econsult_id: self._after_change(_econsult_id))
        dialog.open()
        return dialog

    def open_photo(self, attachment_id: int) -> PhotoViewer | None:
        """The photo viewer, in its own window (a second monitor), on the clicked photo."""
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

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.consult.save_draft_now()  # the last keystrokes too
        self.consult.flush_time()  # and the last seconds of measured time
        self._sync.stop()
        if self._photo_viewer is not None:
            self._photo_viewer.close()
        self._context.tasks.wait_for_done(10_000)
        if self._tray is not None:
            self._tray.hide()
        super().closeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(1340, 720)

