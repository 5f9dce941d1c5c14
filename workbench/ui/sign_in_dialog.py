"""Signing in: username, password and (when the account needs it) the authenticator's code."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.ui import colours
from workbench.ui.plain_text import plain_label
from workbench.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from workbench.services.accounts import AccountService, AuthError, SignedIn

log = logging.getLogger(__name__)

SECOND_FACTOR_CHECK_MS = (
    250  # after the last keystroke in the name, ask whether a code is needed
)
_CODE_PATTERN = (
    r"[0-9 ]{0,8}"  # authenticator apps show 6 digits, sometimes split by a space
)


def _moment(until: datetime, now: datetime) -> str:
    """A time today as 14:35, another day with its date."""
    local, today = until.astimezone(), now.astimezone()
    return (
        local.strftime("%H:%M")
        if local.date() == today.date()
        else local.strftime("%d-%m-%Y %H:%M")
    )


def auth_message(exc: AuthError, now: datetime, *, pin: bool = False) -> str:
    """The refusal in words for the person at the keyboard (sign-in and lock screen)."""
    code = exc.code
    if code == "wrong":
        return (
            QCoreApplication.translate("SignIn", "PIN incorrect")
            if pin
            else QCoreApplication.translate("SignIn", "Username or password incorrect")
        )
    if code == "locked":
        until = getattr(exc, "until", None)
        if until is None:
            return QCoreApplication.translate(
                "SignIn", "This account is locked for a while after too many attempts."
            )
        return QCoreApplication.translate(
            "SignIn", "This account is locked after too many attempts, until %1."
        ).replace("%1", _moment(until, now))
    if code == "slow_down":
        return QCoreApplication.translate(
            "SignIn", "Too many attempts: wait %1 seconds and try again."
        ).replace("%1", str(getattr(exc, "wait_seconds", 0) or 1))
    if code == "disabled":
        return QCoreApplication.translate(
            "SignIn", "This account is disabled; ask the practice manager."
        )
    if code == "second_factor_needed":
        return QCoreApplication.translate(
            "SignIn", "Enter the code from your authenticator app."
        )
    if code == "second_factor_wrong":
        return QCoreApplication.translate(
            "SignIn", "The code from the authenticator app is wrong or has expired."
        )
    if code == "no_pin":
        return QCoreApplication.translate(
            "SignIn", "You have no PIN: unlock with your password."
        )
    if code == "password_needed":
        return QCoreApplication.translate(
            "SignIn",
            "Sign in with your password first today; after that your PIN works.",
        )
    return QCoreApplication.translate(
        "SignIn", "Signing in did not work (%1)."
    ).replace("%1", code)


def is_auth_error(exc: BaseException) -> bool:
    from workbench.services.accounts import AuthError

    return isinstance(exc, AuthError)


def error_line() -> QLabel:
    """The plain-text line where a refusal is said (read out by screen readers too)."""
    label = plain_label()
    label.setStyleSheet(f"color: {colours.ALARM_TEXT};")
    label.setAccessibleName(QCoreApplication.translate("SignIn", "Message"))
    label.hide()
    return label


def code_field() -> QLineEdit:
    field = QLineEdit()
    field.setValidator(QRegularExpressionValidator(_CODE_PATTERN))
    field.setMaxLength(8)
    field.setAccessibleName(QCoreApplication.translate("SignIn", "Authenticator code"))
    field.setPlaceholderText(
        QCoreApplication.translate("SignIn", "6 digits from your authenticator app")
    )
    return field


def demo_code(now: datetime) -> str:
    """The demo manager's current authenticator code (the demo's secret is public)."""
    import pyotp

    from workbench.services.accounts import DEMO_TOTP_SECRET

    return pyotp.TOTP(DEMO_TOTP_SECRET).at(now)


class SignInDialog(QDialog):
    """Who is working: username (typed; the one remembered on this workstation preselected,
    which never signs in by itself; `usernames` are offered to pick from in the demo only, as
    a list of names would tell anyone who may sign in), password and, for an account that
    needs it, the authenticator's code. Enter signs in; the check (Argon2, deliberately slow)
    runs on the database lane so the window keeps responding. In the demo a line gives the
    demo's password and PIN and the manager's current code.

    `accounts` may be None at first: at start-up the screen is shown while the store opens,
    and `attach_accounts` hands them over (a sign-in asked for meanwhile goes ahead then).

    Signals: QDialog's (accepted once someone signed in; rejected).
    """

    def __init__(
        self,
        accounts: AccountService | None,
        tasks: TaskRunner,
        *,
        usernames: list[str] = (),
        remembered: str | None = None,
        no_accounts: bool = False,
        demo: bool = False,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign in to Workbench"))
        self.setMinimumWidth(380)
        self._accounts = accounts
        self._tasks = tasks
        self._clock = clock
        self._demo = demo
        self._busy = False
        self._waiting_for_accounts = False  # Enter pressed before the store was open
        self._signed_in: SignedIn | None = None
        self._asked_for: str | None = None  # the name whose second factor was looked up

        self._username = QComboBox()
        self._username.setEditable(True)
        self._username.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._username.addItems(list(usernames))
        self._username.setCurrentText(remembered or "")
        self._username.setAccessibleName(self.tr("Username"))
        self._password = QLineEdit()
        self._password.setEchoMode(QLineEdit.EchoMode.Password)
        self._password.setAccessibleName(self.tr("Password"))
        self._code = code_field()
        self._code_label = QLabel(self.tr("&Code:"))
        self._code_label.setBuddy(self._code)
        self._demo_code = QLabel()
        self._error = error_line()

        form = QFormLayout()
        name_label = QLabel(self.tr("&Username:"))
        name_label.setBuddy(self._username)
        password_label = QLabel(self.tr("&Password:"))
        password_label.setBuddy(self._password)
        form.addRow(name_label, self._username)
        form.addRow(password_label, self._password)
        form.addRow(self._code_label, self._code)
        form.addRow("", self._demo_code)
        self._form = form
        self._show_code_row(False)

        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._ok = box.button(QDialogButtonBox.StandardButton.Ok)
        self._ok.setText(self.tr("&Sign in"))
        self._ok.setDefault(True)
        # Enter in any field signs in, also once the code row appeared after a first try
        # (the default button alone was seen not to take it then, under a real X server).
        for field in (self._username.lineEdit(), self._password, self._code):
            field.returnPressed.connect(self.accept)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        self._layout = layout
        if no_accounts:
            self._show_no_accounts()
        if demo:
            demo_line = plain_label()
            from workbench.services.accounts import DEMO_PASSWORD, DEMO_PIN

            demo_line.setText(
                self.tr("Demo: password %1, PIN %2")
                .replace("%1", DEMO_PASSWORD)
                .replace("%2", DEMO_PIN)
            )
            layout.addWidget(demo_line)
            self._code_timer = QTimer(self)
            self._code_timer.setInterval(1000)
            self._code_timer.timeout.connect(self._refresh_demo_code)
            self._code_timer.start()
        layout.addLayout(form)
        layout.addWidget(self._error)
        layout.addWidget(box)

        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(SECOND_FACTOR_CHECK_MS)
        self._check_timer.timeout.connect(self._check_second_factor)
        self._username.currentTextChanged.connect(
            lambda _text: self._check_timer.start()
        )
        self._check_second_factor()
        (self._password if self.username() else self._username).setFocus()

    def _show_no_accounts(self) -> None:
        hint = plain_label()
        hint.setText(
            self.tr(
                "No accounts yet: IT creates the first one with "
                "'workbench users add'."
            )
        )
        self._layout.insertWidget(0, hint)

    def attach_accounts(
        self,
        accounts: AccountService,
        *,
        usernames: list[str] = (),
        no_accounts: bool = False,
    ) -> None:
        """The store is open: from now on names and passwords can be checked."""
        self._accounts = accounts
        if usernames:
            typed = self._username.currentText()
            self._username.addItems(list(usernames))
            self._username.setCurrentText(typed)
        if no_accounts:
            self._show_no_accounts()
        self._check_second_factor()
        if self._waiting_for_accounts:
            self._waiting_for_accounts = False
            self._set_busy(False)
            self.accept()

    # -- what the caller reads ------------------------------------------------------------------
    def signed_in(self) -> SignedIn | None:
        return self._signed_in

    def username(self) -> str:
        return self._username.currentText().strip()

    def message(self) -> str:
        return self._error.text() if not self._error.isHidden() else ""

    def asks_for_code(self) -> bool:
        return not self._code.isHidden()

    # -- signing in -----------------------------------------------------------------------------
    def accept(self) -> None:
        """Enter or "Sign in": check the name and password off the GUI thread."""
        if self._busy:
            return
        username, password = self.username(), self._password.text()
        if not username:
            self._say(self.tr("Enter your username."))
            self._username.setFocus()
            return
        if not password:
            self._say(self.tr("Enter your password."))
            self._password.setFocus()
            return
        code = self._code.text().replace(" ", "") if self.asks_for_code() else ""
        accounts = self._accounts
        self._set_busy(True)
        if accounts is None:  # the store is still opening: checked once it is
            self._waiting_for_accounts = True
            return
        self._tasks.run_db(
            lambda: accounts.sign_in(username, password, code or None),
            self._succeeded,
            self._failed,
        )

    def _succeeded(self, signed: SignedIn) -> None:
        if not shiboken6.isValid(self):  # closed meanwhile
            return
        self._set_busy(False)
        self._signed_in = signed
        self._password.clear()
        self._code.clear()
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        if not is_auth_error(exc):
            from workbench.ui.errors import describe_error

            log.error("signing in failed:\n%s", getattr(exc, "__traceback_text__", exc))
            self._say(describe_error(exc))
            return
        self._say(auth_message(exc, self._clock()))
        if exc.code in ("second_factor_needed", "second_factor_wrong"):
            self._show_code_row(True)
            self._code.clear()
            self._code.setFocus()
        else:
            self._password.clear()
            self._password.setFocus()

    def _set_busy(self, busy: bool) -> None:
        """Read-only while the check runs: disabling would move the focus and take the
        default button's role away, so Enter would no longer sign in."""
        self._busy = busy
        for field in (self._username.lineEdit(), self._password, self._code):
            field.setReadOnly(busy)
        if busy:
            self._error.hide()

    def _say(self, text: str) -> None:
        self._error.setText(text)
        self._error.show()

    # -- the second factor ---------------------------------------------------------------------
    def _check_second_factor(self) -> None:
        """Show the code field for a name that needs it (looked up on the reading pool)."""
        username, accounts = self.username(), self._accounts
        self._asked_for = username
        if not username:
            self._show_code_row(False)
            return
        if accounts is None:  # asked again once the store is open
            return

        def done(needed: bool) -> None:
            if shiboken6.isValid(self) and username == self._asked_for:
                self._show_code_row(bool(needed))

        self._tasks.run_io(
            lambda: accounts.needs_second_factor(username),
            done,
            lambda exc: log.warning(
                "second factor not looked up: %s", type(exc).__name__
            ),
        )

    def _show_code_row(self, shown: bool) -> None:
        self._form.setRowVisible(self._code, shown)
        self._form.setRowVisible(self._demo_code, shown and self._demo)
        if shown:
            self._refresh_demo_code()
        # Fit the rows shown: without this the dialog keeps the code row's height once that
        # row hides again, its fields spread over the gap.
        self.adjustSize()

    def _refresh_demo_code(self) -> None:
        if self._demo and self.asks_for_code():
            self._demo_code.setText(
                self.tr("Demo code: %1").replace("%1", demo_code(self._clock()))
            )
