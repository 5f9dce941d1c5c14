"""Signing in at the start: the window opens only for someone who proved who they are (the
real AccountService over a store pulled from the demo portal, its demo accounts)."""

from __future__ import annotations

import pyotp
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QLineEdit
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.accounts import (
    DEMO_MANAGER_USERNAME,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    LOCK_AFTER,
    AuthError,
)
from workbench.services.triage import AuditAction
from workbench.store.models import AuditEvent, Practitioner, Role
from workbench.ui.app import Workstation

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def ready(desktop):
    assert desktop.first_pull() is None
    desktop.prepare_demo_accounts()
    return desktop


def account(desktop, role):
    return next(a for a in desktop.accounts.accounts() if a.role is role and a.active)


def shown_dialog(qtbot, desktop):
    """The sign-in dialog, shown."""
    dialog = desktop.make_sign_in_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fields(dialog):
    password = next(f for f in dialog.findChildren(QLineEdit)
                    if f.echoMode() is QLineEdit.EchoMode.Password)
    code = next(f for f in dialog.findChildren(QLineEdit)
                if f.accessibleName() == "Authenticator code")
    return dialog.findChild(QComboBox), password, code


def type_in(qtbot, dialog, username, password):
    name, secret, _code = fields(dialog)
    name.setCurrentText(username)
    secret.setText(password)
    qtbot.keyClick(secret, Qt.Key.Key_Return)  # keyboard first: Enter signs in


def start_with(qtbot, desktop, steps):
    """`desktop.start_session()` (the sign-in dialog's own event loop) with `steps(dialog)`
    run in it; what the steps saw comes back with the window (or None)."""
    seen = {}

    def run() -> None:
        dialog = desktop.sign_in_dialog
        seen["dialog_shown"] = dialog is not None and dialog.isVisible()
        steps(dialog, seen)

    QTimer.singleShot(0, run)
    return desktop.start_session(), seen


def test_the_right_password_opens_the_window_as_that_person(qtbot, desktop):
    ready(desktop)
    gp = account(desktop, Role.GP)

    window, seen = start_with(qtbot, desktop, lambda dialog, _seen: type_in(
        qtbot, dialog, gp.username, DEMO_PASSWORD))

    assert seen["dialog_shown"]
    assert window is desktop.window and window.isVisible()
    assert gp.name in window.windowTitle()
    assert window._context.user.id == gp.id and window._context.actor.user_id == gp.id
    assert Workstation(desktop.settings).remembered_user() == gp.username
    with Session(desktop.store.engine) as session:
        events = session.scalars(select(AuditEvent).where(
            AuditEvent.event == AuditAction.SIGN_IN.value)).all()
    assert [e.user_id for e in events] == [gp.id]


def test_a_wrong_password_says_so_and_opens_nothing(qtbot, desktop):
    ready(desktop)
    gp = account(desktop, Role.GP)

    def steps(dialog, seen):
        type_in(qtbot, dialog, gp.username, "not the password")
        qtbot.waitUntil(lambda: dialog.message() != "", timeout=10_000)
        seen["message"] = dialog.message()
        seen["password_left"] = fields(dialog)[1].text()
        dialog.reject()

    window, seen = start_with(qtbot, desktop, steps)

    assert window is None and desktop.window is None
    assert seen["message"] == "Username or password incorrect"
    assert seen["password_left"] == ""  # typed again, not kept
    # An unknown name gets the very same words (nobody learns which names exist).
    dialog = shown_dialog(qtbot, desktop)
    type_in(qtbot, dialog, "nobody.here", "whatever it is")
    qtbot.waitUntil(lambda: dialog.message() != "", timeout=10_000)
    assert dialog.message() == "Username or password incorrect"
    assert dialog.signed_in() is None


def test_a_locked_account_says_until_when(qtbot, desktop, clock):
    ready(desktop)
    poh = account(desktop, Role.POH)
    until = None
    for _attempt in range(LOCK_AFTER):
        clock.advance(seconds=61)  # past each slow-down wait
        try:
            desktop.accounts.sign_in(poh.username, "a wrong guess")
        except AuthError as exc:
            until = exc.until
    assert until is not None

    dialog = shown_dialog(qtbot, desktop)
    type_in(qtbot, dialog, poh.username, DEMO_PASSWORD)  # right, but too late
    qtbot.waitUntil(lambda: dialog.message() != "", timeout=10_000)
    assert dialog.message() == ("This account is locked after too many attempts, until "
                                f"{until.astimezone().strftime('%H:%M')}.")
    assert dialog.signed_in() is None


def test_the_manager_is_asked_for_the_authenticator_code(qtbot, desktop, clock):
    ready(desktop)
    dialog = shown_dialog(qtbot, desktop)
    name, password, code = fields(dialog)

    name.setCurrentText(account(desktop, Role.GP).username)
    qtbot.wait(2 * 250 + 100)  # the look-up after typing
    assert not dialog.asks_for_code()

    name.setCurrentText(DEMO_MANAGER_USERNAME)
    qtbot.waitUntil(dialog.asks_for_code, timeout=5_000)
    assert code.isVisible()
    # The demo shows the manager's current code (its secret is the demo's, and public).
    qtbot.waitUntil(lambda: "Demo code: " + pyotp.TOTP(DEMO_TOTP_SECRET).at(clock())
                    in dialog_texts(dialog), timeout=3_000)
    current = pyotp.TOTP(DEMO_TOTP_SECRET).at(clock())
    assert "Demo: password demo, PIN 1234" in dialog_texts(dialog)

    code.setText("000000" if current != "000000" else "111111")
    password.setText(DEMO_PASSWORD)
    qtbot.keyClick(password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message() != "", timeout=10_000)
    assert dialog.message() == "The code from the authenticator app is wrong or has expired."

    code.setText(pyotp.TOTP(DEMO_TOTP_SECRET).at(clock()))
    password.setText(DEMO_PASSWORD)
    qtbot.keyClick(code, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.signed_in() is not None or dialog.message() not in (
        "", "The code from the authenticator app is wrong or has expired."), timeout=10_000)
    assert dialog.message() == "" and dialog.result() == dialog.DialogCode.Accepted
    assert dialog.signed_in().role is Role.MANAGER


def test_the_dialog_fits_its_rows_again_when_the_code_row_goes(qtbot, desktop):
    ready(desktop)
    dialog = shown_dialog(qtbot, desktop)
    name, _password, _code = fields(dialog)
    name.setCurrentText(account(desktop, Role.GP).username)
    qtbot.wait(2 * 250 + 100)
    without_code = dialog.height()
    name.setCurrentText(DEMO_MANAGER_USERNAME)
    qtbot.waitUntil(dialog.asks_for_code, timeout=5_000)
    qtbot.waitUntil(lambda: dialog.height() > without_code, timeout=2_000)
    name.setCurrentText(account(desktop, Role.GP).username)
    qtbot.waitUntil(lambda: not dialog.asks_for_code(), timeout=5_000)
    qtbot.waitUntil(lambda: dialog.height() == without_code, timeout=2_000)


def dialog_texts(dialog) -> str:
    from PySide6.QtWidgets import QLabel
    return "\n".join(label.text() for label in dialog.findChildren(QLabel)
                     if label.isVisible())


def test_the_remembered_user_is_only_preselected(qtbot, desktop):
    ready(desktop)
    gp = account(desktop, Role.GP)
    Workstation(desktop.settings).remember_user(gp.username)

    def steps(dialog, seen):
        name, password, _code = fields(dialog)
        seen["name"], seen["password"] = name.currentText(), password.text()
        seen["focus"] = dialog.focusWidget() is password  # typing goes to the password
        dialog.reject()

    window, seen = start_with(qtbot, desktop, steps)

    assert seen["dialog_shown"]  # asked, although the name is known here
    assert seen == {"dialog_shown": True, "name": gp.username, "password": "",
                    "focus": True}
    assert window is None and desktop.window is None


def link_os_account(desktop, user_id, os_user):
    with Session(desktop.store.engine) as session, session.begin():
        session.get(Practitioner, user_id).os_account = os_user


def test_single_sign_on_skips_the_dialog_only_where_it_is_allowed(qtbot, make_desktop):
    desktop = ready(make_desktop(os_user=lambda: "jdevries", single_sign_on=True))
    gp = account(desktop, Role.GP)
    link_os_account(desktop, gp.id, "jdevries")

    window = desktop.start_session()  # no dialog: no event loop to answer one

    assert desktop.sign_in_dialog is None
    assert window is not None and window._context.user.id == gp.id


@pytest.mark.parametrize("options", [
    {"single_sign_on": False},                                          # IT did not allow it
    {"single_sign_on": True, "shared_os_accounts": ("jdevries",)},      # a shared OS account
])
def test_without_single_sign_on_the_dialog_asks(qtbot, make_desktop, options):
    desktop = ready(make_desktop(os_user=lambda: "jdevries", **options))
    link_os_account(desktop, account(desktop, Role.GP).id, "jdevries")

    window, seen = start_with(qtbot, desktop, lambda dialog, _seen: dialog.reject())

    assert seen["dialog_shown"]
    assert window is None and desktop.window is None


def test_outside_the_demo_no_names_or_secrets_are_offered(qtbot, make_desktop):
    from workbench.services.accounts import ensure_demo_accounts
    desktop = make_desktop(demo=False)
    assert desktop.first_pull() is None
    ensure_demo_accounts(desktop.store.engine)  # accounts exist, but this is no demo
    dialog = shown_dialog(qtbot, desktop)
    assert dialog.findChild(QComboBox).count() == 0  # typed, not picked from a list
    assert "Demo" not in dialog_texts(dialog)
    type_in(qtbot, dialog, account(desktop, Role.GP).username, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: dialog.signed_in() is not None, timeout=10_000)
