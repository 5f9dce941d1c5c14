"""Beheer > Gebruikers: the praktijkmanager keeps the practice's accounts (add, disable and
enable, a new password, a new second factor for a lost phone). No secret is ever listed; the
service checks the right to manage users itself, the window only hides what is not yours."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.services.accounts import (
    MIN_PASSWORD_LENGTH,
    AccountInfo,
    AccountService,
    AuthError,
    new_totp_secret,
    totp_code_ok,
    totp_uri,
)
from workbench.services.errors import ActionRefused, ErrorKind, classify
from workbench.store.models import Role
from workbench.ui import labels
from workbench.ui.context import UiContext
from workbench.ui.errors import describe_error
from workbench.ui.plain_text import plain_label, reveal_hidden
from workbench.ui.sign_in_dialog import code_field, error_line

log = logging.getLogger(__name__)

ROLES = (Role.GP, Role.POH, Role.ASSISTANT, Role.MANAGER)


def _accounts(context: UiContext) -> AccountService:
    if (
        context.accounts is None
    ):  # only a window without sign-in (never the app) lacks it
        raise RuntimeError("no account service in this window")
    return context.accounts


class _Form(QDialog):
    """A small form that saves through the account service off the GUI thread: OK runs
    `work()` (built by the subclass), a refusal is said in the form, success closes it."""

    def __init__(self, context: UiContext, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._context = context
        self._busy = False
        self.error = error_line()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def message(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""

    def save(self) -> None:
        if self._busy:
            return
        problem = self.problem()
        if problem:
            self._say(problem)
            return
        self._busy = True
        self.buttons.setEnabled(False)
        self._context.tasks.run_db(self.work(), self._saved, self._failed)

    # -- for subclasses ------------------------------------------------------------------------
    def problem(self) -> str:
        """What is missing before saving, in words ("" when nothing)."""
        return ""

    def work(self) -> Callable[[], Any]:
        raise NotImplementedError

    # -- inside ----------------------------------------------------------------------------------
    def _saved(self, _result: object) -> None:
        if shiboken6.isValid(self):
            self._busy = False
            self.accept()

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy = False
        self.buttons.setEnabled(True)
        text = refusal_text(exc)
        if text is None:
            self._context.tasks.unexpected_error.emit(exc)
            return
        self._say(text)

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


def refusal_text(exc: BaseException) -> str | None:
    """A refused account change in words; None for an unexpected error (reported as such)."""
    if isinstance(exc, ActionRefused):
        known = {
            "weak_password": QCoreApplication.translate(
                "UsersDialog", "A password has at least {n} characters."
            ).format(n=MIN_PASSWORD_LENGTH),
            "second_factor_wrong": QCoreApplication.translate(
                "UsersDialog",
                "The code from the authenticator app is wrong or has expired.",
            ),
            "second_factor_needed": QCoreApplication.translate(
                "UsersDialog", "Enter the code the authenticator app shows."
            ),
            "bad_username": QCoreApplication.translate(
                "UsersDialog",
                "A username has 2 to 80 characters: lower-case letters, "
                "digits, dot, hyphen or underscore, starting with a letter or "
                "digit.",
            ),
            "username_taken": QCoreApplication.translate(
                "UsersDialog", "This username is taken."
            ),
            "bad_name": QCoreApplication.translate("UsersDialog", "Fill in the name."),
            "not_found": QCoreApplication.translate(
                "UsersDialog", "This account or portal practitioner no longer exists."
            ),
            "already_an_account": QCoreApplication.translate(
                "UsersDialog", "This portal practitioner already has an account."
            ),
            "first_must_be_manager": QCoreApplication.translate(
                "UsersDialog", "The first account must be the practice manager's."
            ),
            "last_manager": QCoreApplication.translate(
                "UsersDialog", "The last active practice manager cannot be disabled."
            ),
            "not_allowed": QCoreApplication.translate(
                "UsersDialog", "Only the practice manager may manage users."
            ),
        }
        if exc.code in known:
            return known[exc.code]
    if classify(exc) is not ErrorKind.UNEXPECTED:
        return describe_error(exc)
    return None


class PasswordPair(QWidget):
    """A new password, typed twice (hidden)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.password = QLineEdit()
        self.again = QLineEdit()
        for field in (self.password, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("New password"))
        self.password.setPlaceholderText(
            self.tr("at least {n} characters").format(n=MIN_PASSWORD_LENGTH)
        )
        self.again.setAccessibleName(self.tr("New password again"))

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow(self.tr("Password &again:"), self.again)

    def value(self) -> str:
        return self.password.text()

    def problem(self) -> str:
        if not self.password.text():
            return self.tr("Type the new password twice.")
        if self.password.text() != self.again.text():
            return self.tr("The two passwords differ.")
        return ""


class SecondFactorSetup(QWidget):
    """A new TOTP secret for the person's authenticator app, shown as the key and the
    otpauth address to type in, and the code the app then shows: saved only when it is right,
    so nobody is left with a code they cannot make."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.secret = new_totp_secret()
        self._username = ""
        explanation = plain_label()
        explanation.setText(
            self.tr(
                "Add this key to the authenticator app on the person's "
                "phone (or type in the address), then enter the code the "
                "app shows."
            )
        )
        self.key_label = plain_label()
        self.key_label.setText(
            " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))
        )
        self.key_label.setAccessibleName(self.tr("Key for the authenticator app"))
        self.key_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.uri_label = plain_label()
        self.uri_label.setAccessibleName(self.tr("Address for the authenticator app"))
        self.uri_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.code = code_field()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(explanation)
        form.addRow(self.tr("Key:"), self.key_label)
        form.addRow(self.tr("Address:"), self.uri_label)
        form.addRow(self.tr("&Code from the app:"), self.code)
        self.set_username("")

    def set_username(self, username: str) -> None:
        self._username = username.strip().lower()
        self.uri_label.setText(totp_uri(self.secret, self._username or "…"))

    def uri(self) -> str:
        return self.uri_label.text()

    def problem(self) -> str:
        return (
            ""
            if self.code.text().strip()
            else refusal_text(AuthError("second_factor_needed")) or ""
        )

    def checked_secret(self, now: datetime) -> str:
        """The secret, once the app's code proves the app has it (else AuthError)."""
        if not totp_code_ok(self.secret, self.code.text(), now):
            raise AuthError("second_factor_wrong")
        return self.secret


class AddAccountDialog(_Form):
    """A new account: name, username, role, AGB code and link to a portal practitioner
    (both optional), the password twice, and for a praktijkmanager the second factor."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setWindowTitle(self.tr("Add user"))
        self.name = QLineEdit()
        self.username = QLineEdit()
        self.username.setMaxLength(80)
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(
                labels.role_label(role), role.value
            )  # Qt keeps it as text
        self.role.setCurrentIndex(ROLES.index(Role.ASSISTANT))
        self.agb = QLineEdit()
        self.agb.setMaxLength(8)
        self.agb.setPlaceholderText(self.tr("optional"))
        self.portal = QComboBox()
        self.portal.addItem(self.tr("Not linked"), "")
        self._portal_people: dict[str, tuple[str, Role | None]] = {}
        self.passwords = PasswordPair()
        # Required for a praktijkmanager; for anyone else the practice may choose it.
        self.require_code = QCheckBox(self.tr("Also ask a code from an authenticator &app"))
        self.second_factor = SecondFactorSetup()

        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Username:"), self.username)
        form.addRow(self.tr("&Role:"), self.role)
        form.addRow(self.tr("A&GB code:"), self.agb)
        form.addRow(self.tr("Lin&k to portal practitioner:"), self.portal)
        self.passwords.add_rows(form)
        form.addRow("", self.require_code)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.second_factor)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.username.textChanged.connect(self.second_factor.set_username)
        self.role.currentIndexChanged.connect(lambda _index: self._show_second_factor())
        self.require_code.toggled.connect(lambda _checked: self._show_second_factor())
        self.portal.currentIndexChanged.connect(lambda _index: self._portal_chosen())
        self._show_second_factor()
        self.name.setFocus()
        accounts = _accounts(context)
        context.tasks.run_db(
            accounts.portal_practitioners_without_account,
            self._portal_loaded,
            self._failed,
        )

    def chosen_role(self) -> Role:
        return Role(self.role.currentData())

    def needs_second_factor(self) -> bool:
        return self.chosen_role() is Role.MANAGER or self.require_code.isChecked()

    def problem(self) -> str:
        return self.passwords.problem() or (
            self.second_factor.problem() if self.needs_second_factor() else ""
        )

    def work(self) -> Callable[[], int]:
        accounts, actor, clock = (
            _accounts(self._context),
            self._context.actor,
            self._context.clock,
        )
        username, name, role = (
            self.username.text(),
            self.name.text(),
            self.chosen_role(),
        )
        password, agb, portal_id = (
            self.passwords.value(),
            self.agb.text(),
            self.portal_id(),
        )
        setup = self.second_factor if self.needs_second_factor() else None

        def add() -> int:
            secret = setup.checked_secret(clock()) if setup is not None else None
            return accounts.add(
                actor,
                username,
                name,
                role,
                password,
                agb_code=agb or None,
                portal_practitioner_id=portal_id,
                totp_required=secret is not None,
                totp_secret=secret,
            )

        return add

    def _portal_loaded(self, people: list[tuple[str, str, Role | None]]) -> None:
        if not shiboken6.isValid(self):
            return
        for portal_id, name, role in people:
            self._portal_people[portal_id] = (name, role)
            self.portal.addItem(
                reveal_hidden(labels.person_label(name, role)), portal_id
            )

    def _portal_chosen(self) -> None:
        """A portal practitioner brings their name and role, when none is typed yet."""
        chosen = self.portal_id()
        if chosen is None:
            return
        name, role = self._portal_people[chosen]
        if not self.name.text().strip():
            self.name.setText(name)
        if role in ROLES:
            self.role.setCurrentIndex(ROLES.index(role))

    def portal_id(self) -> str | None:
        """The portal id of the practitioner chosen to link (None: not linked)."""
        return self.portal.currentData() or None

    def _show_second_factor(self) -> None:
        manager = self.chosen_role() is Role.MANAGER
        if manager:
            self.require_code.setChecked(True)
        self.require_code.setEnabled(not manager)  # not optional for a praktijkmanager
        self.second_factor.setVisible(self.needs_second_factor())
        self.adjustSize()


class ResetPasswordDialog(_Form):
    """A new password for a person who forgot theirs (a lock-out ends with it)."""

    def __init__(
        self, context: UiContext, account: AccountInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, parent)
        self._account = account
        self.setWindowTitle(
            self.tr("New password for {name}").format(name=reveal_hidden(account.name))
        )
        self.passwords = PasswordPair()
        form = QFormLayout()
        self.passwords.add_rows(form)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.passwords.password.setFocus()

    def problem(self) -> str:
        return self.passwords.problem()

    def work(self) -> Callable[[], None]:
        accounts, actor, user_id, password = (
            _accounts(self._context),
            self._context.actor,
            self._account.id,
            self.passwords.value(),
        )
        return lambda: accounts.reset_password(actor, user_id, password)


class RoleDialog(_Form):
    """Another role for a person (an assistant who becomes POH). Becoming praktijkmanager
    sets up the authenticator app first when the person has none."""

    def __init__(
        self, context: UiContext, account: AccountInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, parent)
        self._account = account
        self.setWindowTitle(
            self.tr("Role of {name}").format(name=reveal_hidden(account.name))
        )
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(labels.role_label(role), role.value)
        self.role.setCurrentIndex(ROLES.index(account.role) if account.role in ROLES else 0)
        self.second_factor = SecondFactorSetup()
        self.second_factor.set_username(account.username)
        form = QFormLayout()
        form.addRow(self.tr("&Role:"), self.role)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.second_factor)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.role.currentIndexChanged.connect(lambda _index: self._show_second_factor())
        self._show_second_factor()
        self.role.setFocus()

    def chosen_role(self) -> Role:
        return Role(self.role.currentData())

    def needs_second_factor(self) -> bool:
        return self.chosen_role() is Role.MANAGER and not self._account.totp_enrolled

    def problem(self) -> str:
        return self.second_factor.problem() if self.needs_second_factor() else ""

    def work(self) -> Callable[[], None]:
        accounts, actor, clock = (
            _accounts(self._context),
            self._context.actor,
            self._context.clock,
        )
        user_id, role = self._account.id, self.chosen_role()
        setup = self.second_factor if self.needs_second_factor() else None

        def change() -> None:
            secret = setup.checked_secret(clock()) if setup is not None else None
            accounts.set_role(actor, user_id, role, totp_secret=secret)

        return change

    def _show_second_factor(self) -> None:
        self.second_factor.setVisible(self.needs_second_factor())
        self.adjustSize()


class SecondFactorDialog(_Form):
    """A new second factor for a person whose phone was lost or replaced: the old code
    stops working once the new one is saved."""

    def __init__(
        self, context: UiContext, account: AccountInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, parent)
        self._account = account
        self.setWindowTitle(
            self.tr("Second factor for {name}").format(name=reveal_hidden(account.name))
        )
        self.second_factor = SecondFactorSetup()
        self.second_factor.set_username(account.username)
        layout = QVBoxLayout(self)
        layout.addWidget(self.second_factor)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.second_factor.code.setFocus()

    def problem(self) -> str:
        return self.second_factor.problem()

    def work(self) -> Callable[[], None]:
        accounts, actor, clock, user_id = (
            _accounts(self._context),
            self._context.actor,
            self._context.clock,
            self._account.id,
        )
        setup = self.second_factor

        def change() -> None:
            accounts.set_totp_secret(actor, user_id, setup.checked_secret(clock()))

        return change


class UsersDialog(QDialog):
    """The practice's accounts in a table, and what the praktijkmanager does with them.

    Signals:
        loaded(): the table shows the accounts as the store has them now.
    """

    loaded = Signal()

    COLUMNS = 8

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._accounts: list[AccountInfo] = []
        self._busy = False
        self.form: QDialog | None = None  # the form open on top, if any
        self.setWindowTitle(self.tr("Users"))

        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Username"),
                self.tr("Role"),
                self.tr("Active"),
                self.tr("Locked until"),
                self.tr("PIN"),
                self.tr("Second factor"),
                self.tr("Portal"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        self.table.setAccessibleName(self.tr("Users"))
        self.error = error_line()

        self.add_button = QPushButton(self.tr("&Add…"))
        self.active_button = QPushButton(self.tr("&Disable"))
        self.password_button = QPushButton(self.tr("&Reset password…"))
        self.second_factor_button = QPushButton(self.tr("Set up &second factor…"))
        self.role_button = QPushButton(self.tr("Change r&ole…"))
        self.role_button.clicked.connect(lambda _checked=False: self.change_role())
        self.add_button.clicked.connect(lambda _checked=False: self.add())
        self.active_button.clicked.connect(lambda _checked=False: self.toggle_active())
        self.password_button.clicked.connect(
            lambda _checked=False: self.reset_password()
        )
        self.second_factor_button.clicked.connect(
            lambda _checked=False: self.set_up_second_factor()
        )
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        # Enter in the table closes nothing: every action has its own key.
        close.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.active_button,
            self.password_button,
            self.role_button,
            self.second_factor_button,
        ):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._update)
        self.resize(860, 420)
        self._update()
        self.table.setFocus()
        self.reload()

    # -- public API ------------------------------------------------------------------------------
    def accounts(self) -> list[AccountInfo]:
        return list(self._accounts)

    def rows(self) -> list[list[str]]:
        return [
            [self.table.item(row, column).text() for column in range(self.COLUMNS)]
            for row in range(self.table.rowCount())
        ]

    def message(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""

    def select(self, username: str) -> bool:
        for row, account in enumerate(self._accounts):
            if account.username == username:
                self.table.selectRow(row)
                return True
        return False

    def selected(self) -> AccountInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self._accounts[rows[0].row()] if rows else None

    def reload(self) -> None:
        accounts = _accounts(self._context)
        self._context.tasks.run_db(accounts.accounts, self._show, self._failed)

    def add(self) -> AddAccountDialog:
        return self._open_form(AddAccountDialog(self._context, self))

    def reset_password(self) -> ResetPasswordDialog | None:
        account = self.selected()
        if account is None:
            return None
        return self._open_form(ResetPasswordDialog(self._context, account, self))

    def change_role(self) -> RoleDialog | None:
        account = self.selected()
        if account is None:
            return None
        return self._open_form(RoleDialog(self._context, account, self))

    def set_up_second_factor(self) -> SecondFactorDialog | None:
        account = self.selected()
        if account is None:
            return None
        return self._open_form(SecondFactorDialog(self._context, account, self))

    def toggle_active(self) -> None:
        """Disable the chosen account, or enable it again (which lifts a lock-out too)."""
        account = self.selected()
        if account is None or self._busy:
            return
        accounts, actor = _accounts(self._context), self._context.actor
        change = accounts.disable if account.active else accounts.enable
        self._busy = True
        self._update()
        self._context.tasks.run_db(
            lambda: change(actor, account.id),
            lambda _result: self._changed(),
            self._failed,
        )

    # -- inside ----------------------------------------------------------------------------------
    def _open_form(self, form: _Form) -> Any:
        self.form = form
        form.accepted.connect(self._changed)
        form.finished.connect(form.deleteLater)
        form.open()
        return form

    def _changed(self) -> None:
        if shiboken6.isValid(self):
            self._busy = False
            self.error.hide()
            self.reload()

    def _show(self, accounts: list[AccountInfo]) -> None:
        if not shiboken6.isValid(self):
            return
        chosen = self.selected()
        self._accounts = accounts
        self.table.setRowCount(len(accounts))
        for row, account in enumerate(accounts):
            for column, text in enumerate(self._cells(account)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if chosen is not None:
            self.select(chosen.username)
        elif accounts:
            self.table.selectRow(0)
        self._update()
        self.loaded.emit()

    def _cells(self, account: AccountInfo) -> list[str]:
        yes, no = self.tr("yes"), self.tr("no")
        if not account.totp_required:
            second = self.tr("not asked")
        else:
            second = (
                self.tr("set up") if account.totp_enrolled else self.tr("not set up")
            )
        locked = (
            account.locked_until.astimezone().strftime("%d-%m-%Y %H:%M")
            if account.locked_until is not None
            else ""
        )
        return [
            reveal_hidden(account.name),
            account.username,
            labels.role_label(account.role),
            yes if account.active else no,
            locked,
            yes if account.has_pin else no,
            second,
            self.tr("linked") if account.portal_linked else self.tr("not linked"),
        ]

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy = False
        self._update()
        text = refusal_text(exc)
        if text is None:
            self._context.tasks.unexpected_error.emit(exc)
            return
        self.error.setText(text)
        self.error.show()

    def _update(self) -> None:
        account = self.selected()
        self.active_button.setText(
            self.tr("&Enable")
            if account is not None and not account.active
            else self.tr("&Disable")
        )
        for button in (self.active_button, self.password_button, self.role_button):
            button.setEnabled(account is not None and not self._busy)
        self.second_factor_button.setEnabled(
            account is not None and account.totp_required and not self._busy
        )
