"""The screen lock: after idle time or Ctrl+L every patient detail goes behind a lock screen
that names who is signed in and unlocks with their PIN or password."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.ui import billing_timer, labels
from workbench.ui.context import UiContext
from workbench.ui.errors import describe_error
from workbench.ui.idle_watch import IdleWatch
from workbench.ui.sign_in_dialog import (
    auth_message,
    code_field,
    error_line,
    is_auth_error,
)

if TYPE_CHECKING:
    from workbench.services.accounts import SignedIn

log = logging.getLogger(__name__)

# What the unlock field takes as a PIN rather than a password (the issue: 4-6 digits).
_PIN = re.compile(r"\d{4,6}")


class LockScreen(QWidget):
    """Stands in for the whole window while locked: the signed-in name, one field for the
    PIN or the password (4-6 digits count as the PIN), the authenticator's code when the
    password unlock asks for it, "Unlock" (Enter) and "Other user". The check runs on the
    database lane.

    Signals:
        unlocked(object): the SignedIn the PIN or password proved.
        other_user_requested(): someone else wants to sign in here.
    """

    unlocked = Signal(object)
    other_user_requested = Signal()

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._busy = False
        title = QLabel(self.tr("Workbench is locked"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self._who = QLabel(self.tr("Signed in: %1").replace(
            "%1", labels.person_label(context.user.name, context.user.role)))
        self._who.setTextFormat(Qt.TextFormat.PlainText)
        self._secret = QLineEdit()
        self._secret.setEchoMode(QLineEdit.EchoMode.Password)
        self._secret.setAccessibleName(self.tr("PIN or password"))
        self._secret.setPlaceholderText(self.tr("PIN (4-6 digits) or password"))
        self._secret.setMinimumWidth(  # the hint fits whole, also in Dutch
            self._secret.fontMetrics().horizontalAdvance(self._secret.placeholderText()) + 40)
        self._secret.returnPressed.connect(self.unlock)
        self._code = code_field()
        self._code.returnPressed.connect(self.unlock)
        self._error = error_line()

        form = QFormLayout()
        secret_label = QLabel(self.tr("&PIN or password:"))
        secret_label.setBuddy(self._secret)
        code_label = QLabel(self.tr("&Code:"))
        code_label.setBuddy(self._code)
        form.addRow(secret_label, self._secret)
        form.addRow(code_label, self._code)
        form.setRowVisible(self._code, False)
        self._form = form

        box = QDialogButtonBox()
        self.unlock_button = QPushButton(self.tr("&Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock)
        self.other_button = QPushButton(self.tr("&Other user"))
        self.other_button.clicked.connect(self.other_user_requested.emit)
        box.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)

        column = QWidget()
        column.setMaximumWidth(460)
        inner = QVBoxLayout(column)
        inner.addWidget(title)
        inner.addWidget(self._who)
        inner.addLayout(form)
        inner.addWidget(self._error)
        inner.addWidget(box)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(column, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def reset(self) -> None:
        """A fresh lock: empty fields, no message, the cursor in the PIN field."""
        self._secret.clear()
        self._code.clear()
        self._form.setRowVisible(self._code, False)
        self._error.hide()
        self._secret.setFocus()

    def message(self) -> str:
        return self._error.text() if not self._error.isHidden() else ""

    def unlock(self) -> None:
        """Check the PIN or password (and code) off the GUI thread."""
        if self._busy:
            return
        secret = self._secret.text()
        if not secret:
            return
        accounts, user_id = self._context.accounts, self._context.user.id
        is_pin = _PIN.fullmatch(secret) is not None
        code = self._code.text().replace(" ", "") or None
        if is_pin:
            def work():
                return accounts.unlock_with_pin(user_id, secret)
        else:
            def work():
                return accounts.unlock_with_password(user_id, secret, code)
        self._set_busy(True)
        self._context.tasks.run_db(work, self._succeeded,
                                   lambda exc: self._failed(exc, is_pin))

    def _succeeded(self, signed: SignedIn) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        self.reset()
        self.unlocked.emit(signed)

    def _failed(self, exc: BaseException, is_pin: bool) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        if not is_auth_error(exc):
            log.error("unlocking failed:\n%s", getattr(exc, "__traceback_text__", exc))
            self._say(describe_error(exc))
            return
        self._say(auth_message(exc, self._context.clock(), pin=is_pin))
        if exc.code in ("second_factor_needed", "second_factor_wrong"):
            self._form.setRowVisible(self._code, True)
            self._code.clear()
            self._code.setFocus()
        else:
            self._secret.clear()
            self._secret.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy  # fields read-only meanwhile (disabled ones would lose the focus)
        for field in (self._secret, self._code):
            field.setReadOnly(busy)
        self.other_button.setEnabled(not busy)

    def _say(self, text: str) -> None:
        self._error.setText(text)
        self._error.show()


class ScreenLock(QObject):
    """Locks a main window: the draft being written is saved, the central widget gives way to
    the lock screen, the status bar and every other window of it (the photo viewer, open
    dialogs) are hidden, every action but those in `keep` is hidden (so its shortcut is dead
    and its menu disabled), and no billing timer counts. Locks after `lock_after_minutes`
    without keyboard or mouse (IdleWatch, on the context's clock) and on `lock()`. Audited.

    Signals:
        locked(): the window is locked.
        unlocked(): the signed-in person unlocked it.
        other_user_requested(): "Other user" on the lock screen.
    """

    locked = Signal()
    unlocked = Signal()
    other_user_requested = Signal()

    def __init__(self, window: QMainWindow, context: UiContext, *, keep: Iterable[QAction],
                 before_lock: Callable[[], None] = lambda: None,
                 other_windows: Callable[[], Iterable[QWidget | None]] = tuple) -> None:
        super().__init__(window)
        self._window = window
        self._context = context
        self._keep = set(keep)
        self._before_lock = before_lock
        self._other_windows = other_windows
        self._hidden_actions: list[QAction] = []
        self._disabled_menus: list[QAction] = []
        self._hidden_windows: list[QWidget] = []
        self._status_bar_shown = True
        self._locked = False

        self.screen = LockScreen(context)
        self.screen.unlocked.connect(self._unlocked)
        self.screen.other_user_requested.connect(self.other_user_requested.emit)
        self._page = window.takeCentralWidget()
        self._stack = QStackedWidget()
        self._stack.addWidget(self._page)
        self._stack.addWidget(self.screen)
        window.setCentralWidget(self._stack)

        self.idle = IdleWatch(context.clock,
                              timedelta(minutes=context.settings.lock_after_minutes), self)
        self.idle.idle.connect(lambda: self.lock("idle"))
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._window and event.type() == QEvent.Type.Close:
            # Once it has closed (a close can be refused), the window holds no timer.
            QTimer.singleShot(0, lambda: shiboken6.isValid(self._window)
                              and not self._window.isVisible() and self.release())
        return False

    @property
    def is_locked(self) -> bool:
        return self._locked

    @property
    def user_id(self) -> int:
        return self._context.user.id

    def lock(self, reason: str = "request", *, audited: bool = True) -> None:
        """Hide every patient detail now ("idle" or "request", as the audit says; not
        audited only where nobody signed in: the self-test outside the demo)."""
        if self._locked or self._context.accounts is None:
            return
        self._locked = True
        self._before_lock()
        billing_timer.hold_all(self)  # locked time is not working time
        self._hide_windows()
        self._hide_actions()
        self._status_bar_shown = not self._window.statusBar().isHidden()
        self._window.statusBar().hide()
        self._stack.setCurrentWidget(self.screen)
        self.screen.reset()
        if audited:
            accounts, user_id = self._context.accounts, self._context.user.id
            self._context.tasks.run_db(lambda: accounts.record_lock(user_id, reason))
        log.info("screen locked (%s)", reason)
        self.locked.emit()

    def _unlocked(self, signed: SignedIn) -> None:
        if not self._locked or signed.user_id != self._context.user.id:
            return
        self._locked = False
        self._stack.setCurrentWidget(self._page)
        self._window.statusBar().setVisible(self._status_bar_shown)
        for action in self._disabled_menus:
            action.setEnabled(True)
        for action in self._hidden_actions:
            action.setVisible(True)
        self._disabled_menus, self._hidden_actions = [], []
        for widget in self._hidden_windows:
            if shiboken6.isValid(widget):
                widget.show()
        self._hidden_windows = []
        billing_timer.release_all(self)
        self.idle.reset()
        self.unlocked.emit()

    def release(self) -> None:
        """The window goes (another person signed in): nothing of it holds the timers."""
        billing_timer.release_all(self)
        self.idle.stop()

    def _hide_windows(self) -> None:
        """The window's own dialogs and other windows (the photo viewer) go out of sight;
        they come back as they were on unlocking."""
        owned = [w for w in QApplication.topLevelWidgets()
                 if w is not self._window and self._belongs_to_window(w)]
        extra = [w for w in self._other_windows() if w is not None]
        for widget in dict.fromkeys(owned + extra):
            if shiboken6.isValid(widget) and widget.isVisible():
                widget.hide()
                self._hidden_windows.append(widget)

    def _belongs_to_window(self, widget: QWidget) -> bool:
        parent = widget.parentWidget()
        while parent is not None:
            if parent is self._window:
                return True
            parent = parent.parentWidget()
        return False

    def _hide_actions(self) -> None:
        """A hidden action is disabled too, and stays so when a pane enables it meanwhile;
        showing it again gives back the state the pane last set."""
        menus = [a.menu() for a in self._window.menuBar().actions() if a.menu() is not None]
        actions = list(self._window.actions())
        for menu in menus:
            actions += menu.actions()
        for action in dict.fromkeys(actions):
            if action in self._keep or action.isSeparator() or not action.isVisible():
                continue
            if isinstance(action.menu(), QMenu):
                continue
            action.setVisible(False)
            self._hidden_actions.append(action)
        for menu in menus:
            if menu.menuAction().isEnabled() and not any(
                    a.isVisible() and not a.isSeparator() for a in menu.actions()):
                menu.menuAction().setEnabled(False)
                self._disabled_menus.append(menu.menuAction())
