"""Beheer: only the praktijkmanager sees the menu; in Gebruikers they add, disable and enable
accounts, reset a password and set up a second factor, each then holding at sign-in; the
access report opens from the same menu."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy.orm import Session

from tests.ui.conftest import sign_in_as
from workbench.services.accounts import DEMO_TOTP_SECRET, AuthError
from workbench.store.models import Practitioner, Role
from workbench.ui.access_report_dialog import AccessReportDialog
from workbench.ui.users_dialog import AddAccountDialog, UsersDialog

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

PASSWORD = "paard-batterij-nietje"


def menu_titles(window):
    return [a.text() for a in window.menuBar().actions() if a.menu() is not None]


def open_users(qtbot, window) -> UsersDialog:
    window.admin.users_action.trigger()
    dialog = window.admin.dialog
    assert isinstance(dialog, UsersDialog)
    qtbot.waitUntil(lambda: dialog.rows() != [], timeout=10_000)
    return dialog


def save(qtbot, users: UsersDialog, form) -> None:
    """Save the form and wait for the list to show the change."""
    with qtbot.waitSignal(users.loaded, timeout=10_000):
        qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Save),
                         Qt.MouseButton.LeftButton)


def fill_account(form: AddAccountDialog, name, username, password=PASSWORD, again=None):
    form.name.setText(name)
    form.username.setText(username)
    form.passwords.password.setText(password)
    form.passwords.again.setText(password if again is None else again)


def row_of(users: UsersDialog, username):
    return next(r for r in users.rows() if r[1] == username)


def wrong_code(secret, now):
    """A six-digit code the app does not show now (nor one step either side)."""
    totp = pyotp.TOTP(secret)
    valid = {totp.at(now + timedelta(seconds=30 * step)) for step in (-1, 0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(1000)) if c not in valid)


@pytest.mark.parametrize("role", [Role.ASSISTANT, Role.GP])
def test_the_admin_menu_is_not_there_for_the_care_team(desktop, role):
    window = sign_in_as(desktop, role)
    assert window.admin.menu is None
    assert "&Admin" not in menu_titles(window)


def test_the_practice_manager_has_the_admin_menu_before_help(desktop):
    window = sign_in_as(desktop, Role.MANAGER)
    titles = menu_titles(window)
    assert titles[-2:] == ["&Admin", "&Help"]
    assert [a.text() for a in window.admin.menu.actions()] == ["&Users…", "&Access report…",
                                                                "&Tariffs…"]


def test_the_access_report_opens_from_the_admin_menu(qtbot, desktop):
    window = sign_in_as(desktop, Role.MANAGER)
    window.admin.access_report_action.trigger()
    dialog = window.admin.dialog
    assert isinstance(dialog, AccessReportDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=5000)


def test_users_lists_the_accounts_without_secrets(qtbot, desktop):
    window = sign_in_as(desktop, Role.MANAGER)
    users = open_users(qtbot, window)
    names = {a.username for a in desktop.accounts.accounts()}
    assert {row[1] for row in users.rows()} == names
    manager = row_of(users, "beheer")
    assert manager == ["Demo Beheer", "beheer", "practice manager", "yes", "", "yes", "set up",
                       "not linked"]
    text = " ".join(" ".join(row) for row in users.rows())
    assert DEMO_TOTP_SECRET not in text and "argon2" not in text


def test_adding_an_assistant_who_then_signs_in(qtbot, desktop):
    window = sign_in_as(desktop, Role.MANAGER)
    users = open_users(qtbot, window)
    form = users.add()
    qtbot.waitUntil(form.isVisible, timeout=5000)
    assert not form.second_factor.isVisibleTo(form)  # an assistant has no second factor
    fill_account(form, "Sanne de Vries", "sanne", again="iets-anders-dan-dat")
    qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    assert form.message() == "The two passwords differ."
    assert desktop.accounts.find("sanne") is None

    form.passwords.again.setText(PASSWORD)
    form.passwords.password.setText("kort")
    form.passwords.again.setText("kort")
    qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "at least" in form.message(), timeout=10_000)
    assert form.isVisible()

    fill_account(form, "Sanne de Vries", "sanne")
    save(qtbot, users, form)
    assert row_of(users, "sanne")[:4] == ["Sanne de Vries", "sanne", "doctor's assistant",
                                          "yes"]
    signed = desktop.accounts.sign_in("sanne", PASSWORD)
    assert signed.role is Role.ASSISTANT and signed.name == "Sanne de Vries"


def test_disabling_enabling_and_a_new_password(qtbot, desktop):
    window = sign_in_as(desktop, Role.MANAGER)
    users = open_users(qtbot, window)
    assistant = next(a for a in desktop.accounts.accounts() if a.role is Role.ASSISTANT)

    assert users.select(assistant.username)
    assert users.active_button.text() == "&Disable"
    with qtbot.waitSignal(users.loaded, timeout=10_000):
        qtbot.mouseClick(users.active_button, Qt.MouseButton.LeftButton)
    assert row_of(users, assistant.username)[3] == "no"
    assert users.active_button.text() == "&Enable"
    with pytest.raises(AuthError) as refused:
        desktop.accounts.sign_in(assistant.username, "demo")
    assert refused.value.code == "disabled"

    with qtbot.waitSignal(users.loaded, timeout=10_000):
        qtbot.mouseClick(users.active_button, Qt.MouseButton.LeftButton)
    assert row_of(users, assistant.username)[3] == "yes"

    form = users.reset_password()
    qtbot.waitUntil(form.isVisible, timeout=5000)
    form.passwords.password.setText(PASSWORD)
    form.passwords.again.setText(PASSWORD)
    save(qtbot, users, form)
    assert desktop.accounts.sign_in(assistant.username, PASSWORD).user_id == assistant.id
    with pytest.raises(AuthError) as refused:
        desktop.accounts.sign_in(assistant.username, "demo")
    assert refused.value.code == "wrong"


def test_the_last_practice_manager_cannot_be_disabled(qtbot, desktop):
    window = sign_in_as(desktop, Role.MANAGER)
    users = open_users(qtbot, window)
    users.select("beheer")
    qtbot.mouseClick(users.active_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: users.message() != "", timeout=10_000)
    assert users.message() == "The last active practice manager cannot be disabled."
    assert row_of(users, "beheer")[3] == "yes"


def test_a_new_practice_manager_needs_a_right_authenticator_code(qtbot, desktop):
    window = sign_in_as(desktop, Role.MANAGER)
    users = open_users(qtbot, window)
    form = users.add()
    qtbot.waitUntil(form.isVisible, timeout=5000)
    fill_account(form, "Karin Bos", "karin")
    form.role.setCurrentIndex(form.role.findText("practice manager"))
    assert form.second_factor.isVisibleTo(form)
    secret = form.second_factor.secret
    assert secret.replace(" ", "") in form.second_factor.key_label.text().replace(" ", "")
    assert form.second_factor.uri().startswith("otpauth://totp/")
    assert "karin" in form.second_factor.uri() and f"secret={secret}" in form.second_factor.uri()

    qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    assert form.message() == "Enter the code the authenticator app shows."
    form.second_factor.code.setText(wrong_code(secret, desktop.clock()))
    qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "wrong" in form.message(), timeout=10_000)
    assert form.message() == "The code from the authenticator app is wrong or has expired."
    assert desktop.accounts.find("karin") is None

    form.second_factor.code.setText(pyotp.TOTP(secret).at(desktop.clock()))
    save(qtbot, users, form)
    assert row_of(users, "karin")[2] == "practice manager"
    assert row_of(users, "karin")[6] == "set up"
    with pytest.raises(AuthError) as refused:
        desktop.accounts.sign_in("karin", PASSWORD)
    assert refused.value.code == "second_factor_needed"
    signed = desktop.accounts.sign_in("karin", PASSWORD, pyotp.TOTP(secret).at(desktop.clock()))
    assert signed.role is Role.MANAGER


def test_a_new_second_factor_for_a_lost_phone(qtbot, desktop):
    window = sign_in_as(desktop, Role.MANAGER)
    users = open_users(qtbot, window)
    users.select("beheer")
    form = users.set_up_second_factor()
    qtbot.waitUntil(form.isVisible, timeout=5000)
    secret = form.second_factor.secret
    assert secret != DEMO_TOTP_SECRET and "beheer" in form.second_factor.uri()
    form.second_factor.code.setText(pyotp.TOTP(secret).at(desktop.clock()))
    save(qtbot, users, form)
    now = desktop.clock()
    with pytest.raises(AuthError) as refused:
        desktop.accounts.sign_in("beheer", "demo", pyotp.TOTP(DEMO_TOTP_SECRET).at(now))
    assert refused.value.code == "second_factor_wrong"
    assert desktop.accounts.sign_in("beheer", "demo", pyotp.TOTP(secret).at(now)).role \
        is Role.MANAGER


def test_the_second_factor_button_is_for_accounts_that_need_one(qtbot, desktop):
    window = sign_in_as(desktop, Role.MANAGER)
    users = open_users(qtbot, window)
    assistant = next(a for a in desktop.accounts.accounts() if a.role is Role.ASSISTANT)
    users.select(assistant.username)
    assert not users.second_factor_button.isEnabled()
    assert users.password_button.isEnabled()


def test_an_account_for_a_portal_practitioner_is_linked(qtbot, desktop):
    window = sign_in_as(desktop, Role.MANAGER)
    with Session(desktop.store.engine) as session, session.begin():
        session.add(Practitioner(portal_id="nieuw-1", name="Dr. Anna Nieuw", role=Role.GP))
    users = open_users(qtbot, window)
    form = users.add()
    qtbot.waitUntil(lambda: form.portal.count() > 1, timeout=10_000)
    form.portal.setCurrentIndex(form.portal.findText("Dr. Anna Nieuw (GP)"))
    assert form.name.text() == "Dr. Anna Nieuw" and form.chosen_role() is Role.GP
    form.username.setText("anna")
    form.passwords.password.setText(PASSWORD)
    form.passwords.again.setText(PASSWORD)
    save(qtbot, users, form)
    assert row_of(users, "anna")[2:] == ["GP", "yes", "", "no", "not asked", "linked"]
    assert desktop.accounts.sign_in("anna", PASSWORD).role is Role.GP


def test_the_practice_manager_sees_no_e_consults(qtbot, desktop):
    """No clinical work, so no patient in sight: no lists, no pane, no e-consult actions; the
    service refuses a view in that name as well."""
    from PySide6.QtWidgets import QAbstractItemView, QLabel

    from workbench.services.inbox import ListView
    from workbench.services.rights import NotAllowed
    from workbench.services.triage import Actor
    from workbench.store.models import ConsultStatus
    window = sign_in_as(desktop, Role.MANAGER)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.no_clinical_work.isVisible() and not window.splitter.isVisible()
    assert window.inbox.model.rowCount() == 0  # not even loaded
    assert not window.consult.route_action.isVisible()
    assert not window.consult_menu.menuAction().isVisible()
    assert window.windowTitle() == f"Workbench – {window._context.user.name}"  # no count
    assert not window.new_message_action.isEnabled()
    shown = [w for w in window.findChildren(QAbstractItemView) if w.isVisible()]
    assert shown == []
    first = desktop.queries.ids(ListView(ConsultStatus.INBOX))[0]
    patient = desktop.queries.detail(first).patient_name
    texts = " ".join(label.text() for label in window.findChildren(QLabel) if label.isVisible())
    assert patient not in texts
    with pytest.raises(NotAllowed):
        desktop.triage.record_view(first, Actor(window._context.user.id))


def test_an_assistant_can_be_asked_for_an_authenticator_code_too(qtbot, desktop):
    """The second factor is required for the praktijkmanager and may be required per user."""
    window = sign_in_as(desktop, Role.MANAGER)
    users = open_users(qtbot, window)
    form = users.add()
    qtbot.waitUntil(form.isVisible, timeout=5000)
    fill_account(form, "Joris Mulder", "joris")
    assert form.require_code.isEnabled() and not form.second_factor.isVisibleTo(form)
    form.require_code.setChecked(True)
    assert form.second_factor.isVisibleTo(form)
    secret = form.second_factor.secret
    form.second_factor.code.setText(pyotp.TOTP(secret).at(desktop.clock()))
    save(qtbot, users, form)
    with pytest.raises(AuthError) as refused:
        desktop.accounts.sign_in("joris", PASSWORD)
    assert refused.value.code == "second_factor_needed"
    signed = desktop.accounts.sign_in("joris", PASSWORD, pyotp.TOTP(secret).at(desktop.clock()))
    assert signed.role is Role.ASSISTANT
    # For a praktijkmanager it is not a choice.
    form = users.add()
    qtbot.waitUntil(form.isVisible, timeout=5000)
    form.role.setCurrentIndex(form.role.findText("practice manager"))
    assert form.require_code.isChecked() and not form.require_code.isEnabled()


def test_a_role_is_changed_in_the_users_dialog(qtbot, desktop):
    """An assistant becomes POH (and may then receive routed work); becoming praktijkmanager
    needs the authenticator app set up."""
    window = sign_in_as(desktop, Role.MANAGER)
    users = open_users(qtbot, window)
    assistant = next(a for a in users.accounts() if a.role is Role.ASSISTANT)
    assert users.select(assistant.username)
    form = users.change_role()
    qtbot.waitUntil(form.isVisible, timeout=5000)
    form.role.setCurrentIndex(form.role.findText("POH"))
    assert not form.second_factor.isVisibleTo(form)
    save(qtbot, users, form)
    assert row_of(users, assistant.username)[2] == "POH"
    assert users.select(assistant.username)
    form = users.change_role()
    qtbot.waitUntil(form.isVisible, timeout=5000)
    form.role.setCurrentIndex(form.role.findText("practice manager"))
    assert form.second_factor.isVisibleTo(form)
    qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    assert form.message() == "Enter the code the authenticator app shows."
    form.second_factor.code.setText(pyotp.TOTP(form.second_factor.secret).at(desktop.clock()))
    save(qtbot, users, form)
    assert row_of(users, assistant.username)[2] == "practice manager"
    assert row_of(users, assistant.username)[6] == "set up"
