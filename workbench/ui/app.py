"""Starts the desktop app: Qt, translations, store, who is working, the main window."""

from __future__ import annotations

import getpass
import logging
import os
import socket
import sys
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEventLoop,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    QTimer,
    QTranslator,
    Signal,
)
from PySide6.QtGui import QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog

from workbench.config import (
    Settings,
    machine_config_in_use,
    shipped_languages,
    validate,
)
from workbench.logsetup import log_bug, log_file
from workbench.resources import RESOURCE_DIR
from workbench.ui import colours
from workbench.ui.first_paint import (
    BenchAccounts,
    Painted,
    bench_mark,
    bench_sign_in,
    exit_after_first_paint,
)
from workbench.ui.setup_message import configuration_message, display_missing
from workbench.ui.sign_in_dialog import SignInDialog
from workbench.ui.tasks import TaskRunner

# The store, the services and the main window are imported when they are needed: the sign-in
# screen is painted first, and they load beside it (see StoreOpening) while the person types.
if TYPE_CHECKING:
    from workbench.bootstrap import Store
    from workbench.services.accounts import SignedIn
    from workbench.services.inbox import PractitionerInfo
    from workbench.ui.main_window import MainWindow

log = logging.getLogger(__name__)

I18N = RESOURCE_DIR / "i18n"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def install_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Our Dutch translation and Qt's own (buttons, standard dialogs); English needs none."""
    installed = []
    if language == "en":
        return installed
    QLocale.setDefault(QLocale(language))
    for directory, name in ((I18N, f"workbench_{language}"),
                            (QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
                             f"qtbase_{language}")):
        translator = QTranslator(app)
        if translator.load(name, str(directory)):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            log.warning("translation %s not found in %s", name, directory)
    return installed


def create_application(settings: Settings, argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Workbench")
    app.setOrganizationName("Workbench")
    app.setDesktopFileName("workbench")  # ties the windows to workbench.desktop on Linux
    app.setWindowIcon(QIcon(str(RESOURCE_DIR / "icons" / "workbench.svg")))
    app._translators = install_translations(app, settings.language)  # keep them alive
    apply_readable_defaults(app)
    return app


MINIMUM_POINT_SIZE = 10.0  # readable at a front desk; points follow the system's scaling


def readable_font(font: QFont, logical_dpi: float) -> QFont:
    """The platform's font, at least MINIMUM_POINT_SIZE: a larger size (system font scaling)
    is kept. A font given in pixels is measured in points at the screen's logical DPI."""
    readable = QFont(font)
    points = font.pointSizeF()
    if points <= 0 and font.pixelSize() > 0 and logical_dpi > 0:
        points = font.pixelSize() * 72.0 / logical_dpi
    if points < MINIMUM_POINT_SIZE:
        readable.setPointSizeF(MINIMUM_POINT_SIZE)
    return readable


def readable_palette(palette: QPalette) -> QPalette:
    """The platform's palette with placeholders and disabled (grey hint) text readable:
    at least 4.5:1 against the field or window they stand on, in every colour group."""
    readable = QPalette(palette)
    role = QPalette.ColorRole
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive,
                  QPalette.ColorGroup.Disabled):
        base, window = palette.color(group, role.Base), palette.color(group, role.Window)
        hint = colours.hint_colour(palette.color(group, role.Text), base, window)
        for text_role in (role.PlaceholderText, role.Text, role.WindowText):
            worst = min(colours.contrast_ratio(palette.color(group, text_role), background)
                        for background in (base, window))
            # Placeholders always get the hint grey, so they differ from typed text.
            if text_role is role.PlaceholderText or worst < colours.MINIMUM_TEXT_CONTRAST:
                readable.setColor(group, text_role, hint)
    return readable


def apply_readable_defaults(app: QApplication) -> None:
    screen = app.primaryScreen()
    app.setFont(readable_font(app.font(), screen.logicalDotsPerInchY() if screen else 96.0))
    app.setPalette(readable_palette(app.palette()))


class CrashReporter(QObject):
    """Unexpected exceptions (bugs) anywhere in the window: the traceback goes to the log, the
    person working sees one message, and the app keeps running. Other threads hand over to the
    GUI thread through a queued signal (a message box belongs to the GUI thread)."""

    crashed = Signal()

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.moveToThread(app.thread())
        self._showing = False
        self.crashed.connect(self.show_message)
        self._previous = (sys.excepthook, threading.excepthook)

    def excepthook(self, kind, exc, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous[0](kind, exc, tb)
            return
        log_bug(exc.with_traceback(tb) if exc is not None else kind(), "the window")
        self.crashed.emit()

    def thread_excepthook(self, hook_args) -> None:
        if hook_args.exc_type is SystemExit:
            return
        exc = hook_args.exc_value or hook_args.exc_type()
        log_bug(exc.with_traceback(hook_args.exc_traceback), f"thread {hook_args.thread.name}"
                if hook_args.thread else "a thread")
        self.crashed.emit()

    def show_message(self) -> None:
        if self._showing:  # one message at a time; every traceback is in the log all the same
            return
        self._showing = True
        try:
            QMessageBox.critical(QApplication.activeWindow(), "Workbench", QApplication.translate(
                "App", "Something went wrong; the details are in the log file.")
                + f"\n\n{log_file()}")
        finally:
            self._showing = False

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous


def install_crash_handler(app: QApplication) -> CrashReporter:
    """From here on an exception no code handled shows a message instead of passing silently
    (a slot's exception would otherwise only reach stderr, which the windowed app lacks)."""
    reporter = CrashReporter(app)
    sys.excepthook = reporter.excepthook
    threading.excepthook = reporter.thread_excepthook
    app._crash_reporter = reporter  # kept alive with the app
    return reporter


class Workstation:
    """What this workstation remembers between sessions: the username signed in last (it
    is only preselected on the sign-in screen)."""

    def __init__(self, settings: Settings) -> None:
        path = settings.resolved_data_dir() / "workstation.ini"
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    def remembered_user(self) -> str | None:
        value = self._settings.value("user/username")
        return str(value) if value else None

    def remember_user(self, username: str) -> None:
        self._settings.setValue("user/username", username)
        self._settings.sync()


def open_store(settings: Settings) -> Store:
    """The configured store (bootstrap.open_store, imported when first needed)."""
    from workbench.bootstrap import open_store as open_configured
    return open_configured(settings)


def _import_services() -> None:
    """What DesktopApp builds on (SQLAlchemy, the models, the services), to be imported off
    the GUI thread while the sign-in screen is up."""
    from sqlalchemy.orm import configure_mappers

    import workbench.services.accounts
    import workbench.services.billing
    import workbench.services.images
    import workbench.services.inbox
    import workbench.services.replies
    import workbench.services.templates
    import workbench.ui.sync_controller  # noqa: F401
    configure_mappers()  # else done by the first query, on the GUI thread


def _import_window() -> None:
    """What the main window is built from, imported ahead while someone signs in."""
    try:
        import workbench.ui.main_window  # noqa: F401
    except Exception:  # noqa: BLE001 - imported again, and reported, where it is used
        log.debug("importing the window ahead failed", exc_info=True)


def _forget_sources() -> None:
    """PySide reads the source of every module imported after it (looking for its own name)
    through linecache, which keeps it: some 10 MB for SQLAlchemy and ours. A traceback reads
    what it needs again. Only while no other thread imports (linecache has no lock)."""
    import linecache
    linecache.clearcache()


class StoreOpening(QObject):
    """Opens the store on a thread of its own (the first use of SQLAlchemy, the models and the
    services costs several hundred milliseconds) while the GUI thread keeps the sign-in screen
    responding; `wait()` runs the event loop until it is done, then gives the store or raises
    what opening it raised. With `after_paint_of`, the thread starts once that widget has been
    painted: the imports hold Python's lock, which painting from Python needs too."""

    done = Signal()
    PAINT_WAIT_MS = 1000  # a screen that is not painted (minimised) does not hold it back

    def __init__(self, settings: Settings, after_paint_of=None) -> None:
        super().__init__()
        self._settings = settings
        self._outcome: tuple[Any, BaseException | None] = (None, None)
        self._finished = threading.Event()
        self._thread = threading.Thread(target=self._open, name="store-opening", daemon=True)
        if after_paint_of is None:
            self._thread.start()
        else:
            self._painted = Painted(after_paint_of, self._start_once)
            QTimer.singleShot(self.PAINT_WAIT_MS, self._start_once)

    def _start_once(self) -> None:
        if self._thread.ident is None:
            self._thread.start()

    def _open(self) -> None:
        try:
            store = open_store(self._settings)
            try:
                _import_services()
            except BaseException:
                store.close()
                raise
            self._outcome = (store, None)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread as it is
            self._outcome = (None, exc)
        self._finished.set()
        self.done.emit()  # queued to the GUI thread

    def wait(self) -> Store:
        if not self._finished.is_set():
            loop = QEventLoop()
            self.done.connect(loop.quit)
            if not self._finished.is_set():
                loop.exec()
        self._thread.join()
        _forget_sources()  # the GUI thread is the only one of ours running now
        store, error = self._outcome
        if error is not None:
            raise error
        return store


def load_qt_classes() -> None:
    """Create PySide's Python classes (and their enums) for all of QtCore, QtGui and
    QtWidgets. PySide makes them on first use; the application-wide event filters (activity,
    idle) make it resolve most of them at once, some 50 ms, on the first event of a widget's
    private parts, which would fall while the main window is built."""
    from PySide6 import QtCore, QtGui, QtWidgets
    for module in (QtCore, QtGui, QtWidgets):
        for name in dir(module):
            getattr(module, name)


def prepare_window() -> None:
    """While someone signs in (a person takes seconds to type), the GUI thread makes ready
    what the main window needs, in two steps with the events handled between them: Qt's
    classes, then the window's modules. On this thread, as PySide makes its classes without
    a lock of its own."""
    QTimer.singleShot(0, load_qt_classes)
    QTimer.singleShot(0, _import_window)


class DesktopApp:
    """Owns the long-lived parts and (re)builds the main window for the person working."""

    def __init__(self, settings: Settings, store: Store, *, demo: bool = False,
                 os_user: Callable[[], str] = getpass.getuser,
                 clock: Callable[[], datetime] = utc_now,
                 tasks: TaskRunner | None = None) -> None:
        from workbench.services.accounts import AccountService
        from workbench.services.billing import BillingService
        from workbench.services.images import PhotoPipeline
        from workbench.services.inbox import InboxQueries
        from workbench.services.pull_lock import pull_holder
        from workbench.services.replies import ReplyService
        from workbench.services.schedule import PullSchedule
        from workbench.services.tariffs import TariffBook
        from workbench.services.templates import TemplateService
        from workbench.services.triage import TriageService
        from workbench.ui.sync_controller import SyncController
        self.settings = settings
        self.store = store
        self.demo = demo  # the demo's sign-in screen gives its password, PIN and code
        self._os_user = os_user
        self.clock = clock  # the window's and the accounts' (tests move it: idle, lock-out)
        self.tasks = tasks or TaskRunner()
        self.accounts = AccountService.from_settings(
            store.engine, settings, clock=clock, workstation=socket.gethostname()[:100])
        self.signed_in: SignedIn | None = None
        self.sign_in_dialog: SignInDialog | None = None
        self.queries = InboxQueries(store.engine)
        self.triage = TriageService(store.engine, clock=utc_now)
        self.replies = ReplyService(store.engine, store.blobs, clock=utc_now,
                                    mail_address=settings.mail_address or None)
        self.templates = TemplateService(store.engine, clock=utc_now)
        # The shipped standard answers, once per store (on the write lane, not at start-up).
        self.tasks.run_db(self.templates.ensure_shipped)
        self.photos = PhotoPipeline(store.blobs, settings.resolved_data_dir() / "cache",
                                    shared=store.previews)
        self.billing = BillingService(store.engine, utc_now,
                                      per_patient_day=settings.billing_per_patient_day,
                                      tariffs=TariffBook.default(settings.resolved_data_dir(),
                                                                    engine=store.engine))
        self.sync = SyncController(self.tasks, self._make_sync,
                                   PullSchedule.from_settings(settings), utc_now,
                                   after_pull=self._after_pull,
                                   holder=lambda: pull_holder(store.engine),
                                   make_mail_sync=self._make_mail_sync)
        self.window: MainWindow | None = None

    def _after_pull(self) -> None:
        """Store upkeep on the pull's worker thread: follow-ups that are due come back, and
        new photos get their thumbnail and screen-size preview ahead of opening."""
        from workbench.services.audit_verify import write_anchor_quietly
        self.replies.bring_back_due_follow_ups()
        self.photos.prepare_pending(self.store.engine)
        write_anchor_quietly(self.store.engine, self.settings.resolved_data_dir())

    def warm_up_advice(self) -> None:
        from workbench.services.urgency import default_advisor
        self.tasks.run_io(default_advisor, None, lambda exc: log.warning(
            "urgency advice not available: %s", type(exc).__name__))

    def _make_mail_sync(self):
        from workbench.bootstrap import make_mail_sync_service
        return make_mail_sync_service(self.settings, self.store)

    def _make_sync(self):
        from workbench.bootstrap import (
            make_mail_reply_sender,
            make_portal_client,
            make_sync_service,
        )
        from workbench.services.outbox import OutboxSender
        client = make_portal_client(self.settings)
        return (make_sync_service(self.settings, self.store, client),
                OutboxSender(client, self.store.engine, self.store.blobs, clock=utc_now,
                             mail=make_mail_reply_sender(self.settings, self.store)))

    def first_pull(self) -> BaseException | None:
        """A store without a practice directory needs one pull before anyone can sign in;
        the progress dialog keeps the event loop (and so the screen) alive meanwhile."""
        dialog = QProgressDialog(QApplication.translate("App", "Fetching the inbox from the "
                                                        "portal…"), "", 0, 0)
        dialog.setCancelButton(None)
        dialog.setMinimumDuration(300)
        loop = QEventLoop()
        outcome: list[BaseException | None] = []

        def finished(_outcome) -> None:
            outcome.append(None)
            loop.quit()

        def failed(exc: BaseException) -> None:
            outcome.append(exc)
            loop.quit()

        self.sync.finished.connect(finished)
        self.sync.failed.connect(failed)
        try:
            self.sync.pull_now()
            if not outcome:
                loop.exec()
        finally:
            self.sync.finished.disconnect(finished)
            self.sync.failed.disconnect(failed)
            dialog.close()
        return outcome[0]

    def prepare_demo_accounts(self) -> None:
        """The demo's accounts, once its practitioners came with the first pull."""
        if self.demo:
            from workbench.services.accounts import ensure_demo_accounts
            ensure_demo_accounts(self.store.engine)

    def single_sign_on(self) -> PractitionerInfo | None:
        """The person this OS account belongs to, where IT allows it (else None)."""
        try:
            os_user = self._os_user()
        except (OSError, KeyError, ImportError):  # getpass finds no name: no single sign-on
            return None
        signed = self.accounts.sign_in_os_account(os_user)
        return self.became(signed) if signed is not None else None

    def became(self, signed: SignedIn) -> PractitionerInfo:
        """The one who proved who they are is the window's user (and the audit's actor)."""
        from workbench.services.inbox import PractitionerInfo
        self.signed_in = signed
        Workstation(self.settings).remember_user(signed.username)
        return PractitionerInfo(signed.user_id, signed.name, signed.role)

    def make_sign_in_dialog(self, *, other_person: bool = False) -> SignInDialog:
        """For someone else than who worked here (switching), nobody is preselected."""
        remembered = None if other_person else Workstation(self.settings).remembered_user()
        usernames = self.accounts.usernames()
        self.sign_in_dialog = SignInDialog(
            self.accounts, self.tasks, usernames=usernames if self.demo else [],
            remembered=remembered, no_accounts=not usernames, demo=self.demo, clock=self.clock)
        return self.sign_in_dialog

    def sign_in(self, dialog: SignInDialog | None = None) -> PractitionerInfo | None:
        """At start: single sign-on where allowed, else the sign-in dialog (None: cancelled);
        `dialog`: the one already on the screen since the app started (no single sign-on)."""
        if dialog is None:
            user = self.single_sign_on()
            if user is not None:
                return user
            dialog = self.make_sign_in_dialog()
            if os.environ.get("WORKBENCH_BENCH_FIRST_PAINT"):
                bench_sign_in(dialog)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.signed_in() is None:
            return None
        return self.became(dialog.signed_in())

    def start_session(self, dialog: SignInDialog | None = None) -> MainWindow | None:
        """Who is working, then their window (None: nobody signed in)."""
        user = self.sign_in(dialog)
        return self.open_window(user) if user is not None else None

    def open_window(self, user: PractitionerInfo) -> MainWindow:
        from workbench.ui.context import UiContext
        from workbench.ui.main_window import MainWindow
        context = UiContext(settings=self.settings, engine=self.store.engine,
                            blobs=self.store.blobs, queries=self.queries, triage=self.triage,
                            tasks=self.tasks, user=user, clock=self.clock,
                            replies=self.replies, templates=self.templates,
                            photos=self.photos, billing=self.billing, accounts=self.accounts)
        previous = self.window
        if previous is not None:
            previous.screen_lock.release()
            previous.consult.flush_time()
            previous.live.stop()  # its listener and presence go with it
        from workbench.ui.billing_timer import hold_activity_watch
        hold_activity_watch()  # released by _watch_activity_once_painted
        try:
            self.window = MainWindow(context, self.sync)
        except BaseException:
            hold_activity_watch(False)
            raise
        _watch_activity_once_painted(self.window)
        self.window.switch_user_requested.connect(self._switch_user)
        self.window.sign_out_requested.connect(lambda: self._switch_user(signing_out=True))
        if previous is not None:
            previous.hide()
            previous.deleteLater()
        _fit_to_screen(self.window)
        return self.window

    def _switch_user(self, signing_out: bool = False) -> SignInDialog | None:
        """"Other user", "Switch user…" and "Sign out": the window locks (its draft saved),
        its person is signed out (audited), and the sign-in dialog asks who comes next; that
        person gets a window of their own. Cancelled: a switch leaves the window locked, a
        sign-out closes it."""
        import shiboken6
        window = self.window
        if window is None:
            return None
        asking = self.sign_in_dialog
        if asking is not None and shiboken6.isValid(asking) and asking.isVisible():
            asking.raise_()  # asked twice: the one dialog already open
            return asking
        window.screen_lock.lock("request")
        accounts, user_id = self.accounts, window.screen_lock.user_id
        self.tasks.run_db(lambda: accounts.sign_out(user_id))
        self.signed_in = None
        dialog = self.make_sign_in_dialog(other_person=True)

        def accepted() -> None:
            if dialog.signed_in() is not None:
                self.open_window(self.became(dialog.signed_in()))

        def rejected() -> None:
            if signing_out and self.window is window:
                window._quit_confirmed = True  # signed out: nothing left to ask about
                window.close()

        dialog.accepted.connect(accepted)
        dialog.rejected.connect(rejected)
        dialog.open()
        return dialog


def _watch_activity_once_painted(window: MainWindow) -> None:
    """Lets the activity filter (billing timers, idle lock) in once the inbox's list has
    painted its first frame, or after a second if it is not painted (a minimised or locked
    window): not for the thousands of events of building and first painting the window. At the paint
    itself, not after it, so that input right after the window is shown counts."""
    from workbench.ui.billing_timer import hold_activity_watch
    released = []

    def release() -> None:
        if not released:  # once, whichever comes first (the window may be gone by then)
            released.append(True)
            hold_activity_watch(False)

    window._activity_after_paint = Painted(window.inbox.table.viewport(), release,
                                            at_once=True)
    QTimer.singleShot(1000, release)


def _fit_to_screen(window: MainWindow) -> None:
    """Open within the screen's free area: a front-desk 1366x768 screen opens maximised, a
    large consult-room screen at a comfortable size."""
    available = window.screen().availableGeometry()
    width = min(1600, available.width())
    height = min(1000, available.height())
    window.resize(width, height)
    window.move(available.topLeft())
    if available.width() <= 1440 or available.height() <= 900:
        window.showMaximized()
    else:
        window.show()


def run(settings: Settings, argv: list[str] | None = None, *, self_test: bool = False,
        demo: bool = False) -> int:
    """The desktop app; returns the process exit status. `self_test` opens the window, waits
    for one pull in it, and exits 0 (or non-zero with the reason on stderr): the smoke test of
    an installed or frozen app (in the demo signed in as its first assistant with the demo
    password; elsewhere nobody signed in, so the window stays locked). `demo`: the store is
    the demo's, whose accounts and secrets the sign-in screen shows."""
    problems = validate(settings)
    no_display = display_missing()
    if no_display is not None:
        print(no_display, file=sys.stderr)
        return 2
    # A language that is not shipped must not keep the message about it from being read.
    app = create_application(settings if settings.language in shipped_languages()
                             else settings.replace(language="nl"), argv)
    if problems:
        _refuse_configuration(settings, problems, self_test)
        return 2
    try:
        return _run_window(app, settings, self_test, demo)
    except Exception as exc:  # noqa: BLE001 - a bug at start-up: logged and said, exit 7
        from workbench.services.errors import ErrorKind, classify
        if classify(exc) is not ErrorKind.UNEXPECTED:
            raise
        path = log_bug(exc, "the window's start")
        print(f"Workbench hit an unexpected error (a bug); the details are in the log file "
              f"{path}.", file=sys.stderr)
        if not self_test:
            CrashReporter(app).show_message()
        return 7  # workbench.cli.EXIT_BUG


def _refuse_configuration(settings: Settings, problems: list[str], self_test: bool) -> None:
    """Every value that cannot work, in a sentence each: on stderr for IT, and in a message
    for someone who started the app from the menu (no terminal to read)."""
    for words in problems:
        print(f"Configuration problem: {words}.", file=sys.stderr)
    print(f"IT sets options in the machine-wide file {machine_config_in_use()}.", file=sys.stderr)
    if self_test:
        return
    configuration_message(settings, problems, machine_config_in_use()).exec()


def _run_window(app: QApplication, settings: Settings, self_test: bool, demo: bool = False
                ) -> int:
    if not self_test:
        install_crash_handler(app)
    bench = bool(os.environ.get("WORKBENCH_BENCH_FIRST_PAINT"))
    # Without single sign-on the sign-in screen comes first: it is painted at once, and the
    # store opens beside it while the person types. Not on a first start (the demo's too),
    # where a pull must bring the practice's people before anyone can sign in.
    tasks, early, cancelled = None, None, []
    if not (self_test or demo or settings.single_sign_on or _first_start(settings)):
        tasks = TaskRunner()
        early = SignInDialog(None, tasks, remembered=Workstation(settings).remembered_user(),
                             demo=demo)
        early.rejected.connect(lambda: cancelled.append(True))
        if bench:
            bench_sign_in(early)
        early.show()
    try:
        store = StoreOpening(settings, after_paint_of=early).wait()
    except Exception as exc:  # noqa: BLE001 - shown in words, then the app stops
        from workbench.services.errors import ErrorKind, classify
        if early is not None:
            early.hide()
        if classify(exc) is ErrorKind.UNEXPECTED:
            raise
        from workbench.ui.errors import describe_error
        _report(describe_error(exc), self_test)
        return 6
    if bench:
        bench_mark("store-open")
    desktop = DesktopApp(settings, store, demo=demo, tasks=tasks)
    try:
        if cancelled:  # the sign-in screen was closed before the store was open
            return 0
        if not desktop.queries.practitioners():
            if early is not None:
                early.hide()
            problem = desktop.first_pull()
            if problem is not None and not desktop.queries.practitioners():
                from workbench.ui.errors import describe_error
                _report(describe_error(problem), self_test)
                return 3
            if early is not None:
                early.show()
        desktop.prepare_demo_accounts()
        if self_test:
            return _self_test(app, desktop, _self_test_window(desktop))
        if early is not None:
            usernames = desktop.accounts.usernames()
            early.attach_accounts(BenchAccounts(desktop.accounts) if bench
                                  else desktop.accounts,
                                  usernames=usernames if demo else [],
                                  no_accounts=not usernames)
            desktop.sign_in_dialog = early
            prepare_window()
        window = desktop.start_session(early)
        if window is None:
            return 0
        if bench:
            return exit_after_first_paint(app, window)
        window.start()
        # The urgency pipeline takes seconds to build: once, on a worker, after the first paint.
        QTimer.singleShot(1000, desktop.warm_up_advice)
        return app.exec()
    finally:
        from workbench.services.audit_verify import write_anchor_quietly
        desktop.sync.stop()
        desktop.tasks.wait_for_done(10_000)
        write_anchor_quietly(store.engine, settings.resolved_data_dir())  # audit chain's head
        store.close()


def _first_start(settings: Settings) -> bool:
    """This workstation's own store (SQLite in the data folder) is not there yet."""
    if settings.database_url:  # a configured database: opening it tells
        return False
    return not Path(settings.resolved_database_url().removeprefix("sqlite:///")).exists()


def _report(message: str, self_test: bool) -> None:
    print(message, file=sys.stderr)
    if not self_test:
        QMessageBox.critical(None, "Workbench", message)


def shipped_data_problems(app: QApplication, language: str) -> list[str]:
    """What a bundle may have left out: translations, answer templates, tariffs, ICPC codes and
    alarm signs (each read from `resources/`, which the installer must carry)."""
    from workbench.services.his_export import load_icpc_codes
    from workbench.services.tariffs import available_tariff_years
    from workbench.services.templates import load_shipped
    from workbench.services.urgency import default_advisor
    problems = []
    expected = 0 if language == "en" else 2  # ours and Qt's own
    if len(getattr(app, "_translators", [])) < expected:
        problems.append(f"translations for '{language}' missing in {I18N}")
    checks = (("answer templates", load_shipped), ("tariff tables", available_tariff_years),
              ("ICPC codes", load_icpc_codes), ("alarm signs", lambda: [default_advisor()]))
    for name, load in checks:
        try:
            if not load():
                problems.append(f"no {name} in {RESOURCE_DIR}")
        except (OSError, ValueError) as exc:
            problems.append(f"{name} cannot be read: {exc}")
    return problems


# The urgency advice (clinlp's spaCy pipeline, which a bundle must carry with its data and
# registered components) on one alarm message and one that denies the alarm sign.
ADVICE_CHECKS = (
    ("Ik heb sinds een uur hevige pijn op de borst en zweet heel erg", True),
    ("Ik heb geen pijn op de borst, alleen een vraag over mijn recept", False),
)


def advice_problems() -> list[str]:
    """What is wrong with the urgency advice: it must flag the urgent message and not the
    negated one."""
    try:
        from workbench.services.urgency import advise_request
        problems = []
        for text, urgent in ADVICE_CHECKS:
            advice = advise_request({"text": text, "subject": ""})
            if bool(advice["urgent"]) is not urgent:
                problems.append(f"urgency advice says urgent={advice['urgent']} (expected "
                                f"{urgent}, groups {advice.get('groups')}) for {text!r}")
        return problems
    except Exception as exc:  # noqa: BLE001 - any failure of the pipeline is the finding
        return [f"urgency advice does not work: {type(exc).__name__}: {exc}"]


def _self_test_window(desktop: DesktopApp) -> MainWindow:
    """The demo's first assistant signs in with the demo password (the sign-in itself is
    tested); elsewhere nobody can, so the first assistant's window opens locked and no one's
    name is on a sign-in or audit event."""
    from workbench.store.models import Role
    if desktop.demo:
        from workbench.services.accounts import DEMO_PASSWORD
        username = next(a.username for a in desktop.accounts.accounts()
                        if a.role is Role.ASSISTANT and a.active)
        return desktop.open_window(desktop.became(desktop.accounts.sign_in(username,
                                                                           DEMO_PASSWORD)))
    user = next(p for p in desktop.queries.practitioners() if p.role is Role.ASSISTANT)
    window = desktop.open_window(user)
    window.screen_lock.lock("self-test", audited=False)
    return window


def _self_test(app: QApplication, desktop: DesktopApp, window: MainWindow) -> int:
    status: list[int] = []
    problems = shipped_data_problems(app, desktop.settings.language)
    advice = advice_problems()
    if not advice:
        print("self-test: urgency advice flags the alarm message, not the negated one")
    problems += advice
    for problem in problems:
        print(f"self-test: {problem}", file=sys.stderr)

    def finished(outcome) -> None:
        rows = window.inbox.model.rowCount()
        print(f"self-test: window open, pull done ({outcome.result.fetched} resources, "
              f"{rows} rows in the list)")
        status.append(0 if rows > 0 and outcome.result.ok and not problems else 1)
        app.exit(status[-1])

    def failed(exc: BaseException) -> None:
        from workbench.ui.errors import describe_error
        print(f"self-test: pull failed: {describe_error(exc)}", file=sys.stderr)
        status.append(3)
        app.exit(3)

    desktop.sync.finished.connect(finished)
    desktop.sync.failed.connect(failed)
    QTimer.singleShot(120_000, lambda: (print("self-test: timed out", file=sys.stderr),
                                        app.exit(4)))
    window.start()
    return app.exec()
