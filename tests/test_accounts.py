"""Accounts: signing in with password, TOTP code and PIN, slowing down and locking out wrong
attempts, single sign-on, managing accounts, and the audit events all of it leaves."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.accounts import (
    DEMO_PASSWORD,
    DEMO_PIN,
    DEMO_TOTP_SECRET,
    LOCK_AFTER,
    LOCK_MINUTES,
    AccountError,
    AccountService,
    AuthError,
    ensure_demo_accounts,
)
from workbench.services.rights import NotAllowed
from workbench.services.triage import Actor
from workbench.store import database
from workbench.store.models import AuditEvent, Practitioner, Role

START = datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)  # 09:00 in Amsterdam
MANAGER_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "correct horse battery"


class Clock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def engine(sqlite_url):
    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def practice(engine, clock):
    """A praktijkmanager (with TOTP) and a doktersassistent, made as at install."""
    accounts = AccountService(engine, clock=clock, workstation="balie-1")
    manager = accounts.add(None, "Beheer", "Mia Beheer", Role.MANAGER, "manager-wachtwoord",
                           totp_secret=MANAGER_SECRET)
    assistant = accounts.add(Actor(manager), "anna", "Anna de Wit", "assistent", PASSWORD)
    return accounts, manager, assistant


def events(engine, *names):
    with Session(engine) as session:
        return session.scalars(select(AuditEvent).where(AuditEvent.event.in_(names))
                               .order_by(AuditEvent.id)).all()


def refused(call, *args, **kwargs) -> AuthError:
    with pytest.raises(AuthError) as info:
        call(*args, **kwargs)
    return info.value


def test_the_right_password_signs_in_and_a_wrong_one_or_unknown_name_is_the_same_no(
        engine, practice):
    accounts, _manager, assistant = practice
    signed = accounts.sign_in(" Anna ", PASSWORD)
    assert (signed.user_id, signed.username, signed.name, signed.role) == \
        (assistant, "anna", "Anna de Wit", Role.ASSISTANT)
    assert refused(accounts.sign_in, "anna", "wrong password!").code == "wrong"
    assert refused(accounts.sign_in, "nobody", PASSWORD).code == "wrong"

    [sign_in] = events(engine, "sign_in")
    assert (sign_in.user_id, sign_in.responsible_id, sign_in.workstation) == \
        (assistant, assistant, "balie-1")
    assert sign_in.econsult_id is None and sign_in.patient_id is None
    assert sign_in.user_role == "assistent"
    # A failure is audited for a known person only: there is nobody to name for "nobody".
    [failed] = events(engine, "sign_in_failed")
    assert (failed.user_id, failed.detail["attempt"]) == (assistant, 1)


def test_wrong_attempts_slow_down_and_a_right_one_resets_the_count(engine, practice, clock):
    accounts = practice[0]
    for attempt in (1, 2):
        assert refused(accounts.sign_in, "anna", "nope nope nope").wait_seconds == 0
    third = refused(accounts.sign_in, "anna", "nope nope nope")
    assert (third.code, third.wait_seconds) == ("wrong", 2)
    # Too soon: refused without even looking at the password, and not counted.
    early = refused(accounts.sign_in, "anna", PASSWORD)
    assert (early.code, early.wait_seconds) == ("slow_down", 2)
    clock.advance(2)
    assert refused(accounts.sign_in, "anna", "nope nope nope").wait_seconds == 4
    clock.advance(4)
    accounts.sign_in("anna", PASSWORD)
    assert refused(accounts.sign_in, "anna", "nope nope nope").wait_seconds == 0


def test_ten_wrong_attempts_lock_the_account_for_a_while_audited(engine, practice, clock):
    accounts, _manager, assistant = practice
    for attempt in range(1, LOCK_AFTER + 1):
        error = refused(accounts.sign_in, "anna", "nope nope nope")
        clock.advance(error.wait_seconds)
    assert error.code == "locked" and error.until == START + timedelta(
        minutes=LOCK_MINUTES) + timedelta(seconds=sum(
            min(60, 2 ** (n - 2)) for n in range(3, LOCK_AFTER)))
    [locked] = events(engine, "account_locked")
    assert locked.user_id == assistant
    assert datetime.fromisoformat(locked.detail["until"]) == error.until
    [info] = [a for a in accounts.accounts() if a.username == "anna"]
    assert info.locked_until == error.until

    # The right password does not get in while locked; nor does anything else.
    assert refused(accounts.sign_in, "anna", PASSWORD).code == "locked"
    clock.now = error.until - timedelta(seconds=1)
    assert refused(accounts.sign_in, "anna", PASSWORD).code == "locked"
    clock.now = error.until
    assert accounts.sign_in("anna", PASSWORD).user_id == assistant
    assert [a.locked_until for a in accounts.accounts() if a.username == "anna"] == [None]
    # After the lock the count starts anew.
    assert refused(accounts.sign_in, "anna", "nope nope nope").code == "wrong"


def test_unknown_names_slow_down_and_lock_like_real_ones(engine, practice, clock):
    accounts = practice[0]
    answers = []
    for _ in range(LOCK_AFTER):
        error = refused(accounts.sign_in, "nobody.here", "whatever it is")
        answers.append((error.code, error.wait_seconds))
        clock.advance(error.wait_seconds)
    assert answers[:3] == [("wrong", 0), ("wrong", 0), ("wrong", 2)]
    assert answers[-1][0] == "locked"
    assert refused(accounts.sign_in, "nobody.here", "whatever it is").code == "locked"
    assert events(engine, "sign_in_failed") == []


def test_the_praktijkmanager_needs_the_authenticator_code(engine, practice, clock):
    accounts, manager, _assistant = practice
    assert accounts.needs_second_factor("beheer") and not accounts.needs_second_factor("anna")
    assert not accounts.needs_second_factor("nobody")
    assert refused(accounts.sign_in, "beheer", "manager-wachtwoord").code == \
        "second_factor_needed"
    assert refused(accounts.sign_in, "beheer", "manager-wachtwoord", "000000").code == \
        "second_factor_wrong"
    code = pyotp.TOTP(MANAGER_SECRET).at(clock())
    assert refused(accounts.sign_in, "beheer", "wrong password!", code).code == "wrong"
    signed = accounts.sign_in("beheer", "manager-wachtwoord", code)
    assert signed.user_id == manager and signed.role is Role.MANAGER
    assert events(engine, "sign_in")[-1].detail["second_factor"] is True


def test_the_pin_unlocks_only_after_a_password_sign_in_that_day(engine, practice, clock):
    accounts, _manager, assistant = practice
    assert refused(accounts.unlock_with_pin, assistant, "1234").code == "no_pin"
    assert refused(accounts.set_pin, assistant, "12a4").code == "bad_pin"
    assert refused(accounts.set_pin, assistant, "123").code == "bad_pin"
    accounts.set_pin(assistant, "2468")
    assert refused(accounts.unlock_with_pin, assistant, "2468").code == "password_needed"

    accounts.sign_in("anna", PASSWORD)
    clock.now = datetime(2026, 11, 30, 22, 30, tzinfo=timezone.utc)  # 23:30 the same day
    assert accounts.unlock_with_pin(assistant, "2468").user_id == assistant
    assert refused(accounts.unlock_with_pin, assistant, "1357").code == "wrong"
    [unlock] = events(engine, "pin_unlock")
    assert unlock.user_id == assistant
    clock.now = datetime(2026, 11, 30, 23, 0, tzinfo=timezone.utc)  # midnight in Amsterdam
    assert refused(accounts.unlock_with_pin, assistant, "2468").code == "password_needed"
    accounts.unlock_with_password(assistant, PASSWORD)
    assert accounts.unlock_with_pin(assistant, "2468").user_id == assistant


def test_a_lock_out_by_pin_needs_the_password_again(engine, practice, clock):
    accounts, _manager, assistant = practice
    accounts.set_pin(assistant, "2468")
    accounts.sign_in("anna", PASSWORD)
    for _ in range(LOCK_AFTER):
        error = refused(accounts.unlock_with_pin, assistant, "0000")
        clock.advance(error.wait_seconds)
    assert error.code == "locked"
    clock.now = error.until
    assert refused(accounts.unlock_with_pin, assistant, "2468").code == "password_needed"


def test_passwords_are_long_enough_and_kept_as_argon2id_hashes(engine, practice):
    accounts, manager, assistant = practice
    assert refused(accounts.add, Actor(manager), "bob", "Bob", Role.GP, "short").code == \
        "weak_password"
    assert refused(accounts.reset_password, Actor(manager), assistant, "123456789").code == \
        "weak_password"
    with Session(engine) as session:
        person = session.get(Practitioner, assistant)
        assert person.password_hash.startswith("$argon2id$") and PASSWORD not in \
            person.password_hash


def test_single_sign_on_only_for_ones_own_os_account(engine, practice, clock):
    accounts, manager, assistant = practice
    gp = accounts.add(Actor(manager), "dr.visser", "Dr. Visser", Role.GP, PASSWORD,
                      os_account="PRAKTIJK\\jvisser")
    accounts.add(Actor(manager), "poh", "Petra Ohm", Role.POH, PASSWORD, os_account="balie")
    accounts.add(Actor(manager), "anna2", "Anna Twee", Role.ASSISTANT, PASSWORD,
                 os_account="balie")
    off = AccountService(engine, clock=clock)
    assert off.sign_in_os_account("praktijk\\JVISSER") is None  # IT did not switch it on
    sso = AccountService(engine, clock=clock, single_sign_on=True,
                         shared_os_accounts=("receptie",))
    signed = sso.sign_in_os_account("praktijk\\JVISSER")
    assert signed is not None and signed.user_id == gp
    assert events(engine, "sign_in")[-1].detail == {"method": "os_account"}
    assert sso.sign_in_os_account("balie") is None  # two people on one OS account
    assert sso.sign_in_os_account("") is None
    with Session(engine) as session, session.begin():
        session.get(Practitioner, assistant).os_account = "receptie"
        session.get(Practitioner, manager).os_account = "mbeheer"
    assert sso.sign_in_os_account("Receptie") is None  # listed as shared by IT
    assert sso.sign_in_os_account("mbeheer") is None   # needs the second factor
    accounts.disable(Actor(manager), gp)
    assert sso.sign_in_os_account("praktijk\\jvisser") is None


def test_the_first_account_is_the_praktijkmanager_and_then_only_they_manage(engine, clock):
    accounts = AccountService(engine, clock=clock)
    assert not accounts.has_manager()
    with pytest.raises(AccountError) as info:
        accounts.add(None, "anna", "Anna", Role.ASSISTANT, PASSWORD)
    assert info.value.code == "first_must_be_manager"
    manager = accounts.add(None, "beheer", "Mia Beheer", Role.MANAGER, PASSWORD,
                           totp_secret=MANAGER_SECRET)
    with pytest.raises(NotAllowed):
        accounts.add(None, "tweede", "Tweede Beheer", Role.MANAGER, PASSWORD)
    assistant = accounts.add(Actor(manager), "anna", "Anna", "assistent", PASSWORD)
    with pytest.raises(NotAllowed):
        accounts.add(Actor(assistant), "bob", "Bob", Role.GP, PASSWORD)
    with pytest.raises(NotAllowed):
        accounts.disable(Actor(assistant), manager)
    with pytest.raises(AccountError) as info:
        accounts.add(Actor(manager), "ANNA", "Anna Ander", Role.GP, PASSWORD)
    assert info.value.code == "username_taken"
    with pytest.raises(AccountError) as info:
        accounts.disable(Actor(manager), manager)
    assert info.value.code == "last_manager"

    [added, *_] = events(engine, "user_added")
    assert (added.user_id, added.responsible_id) == (manager, manager)
    assert events(engine, "user_added")[1].responsible_id == manager


def test_disable_enable_and_reset_password_are_audited_in_the_managers_name(
        engine, practice, clock):
    accounts, manager, assistant = practice
    accounts.set_pin(assistant, "2468")
    accounts.disable(Actor(manager), assistant)
    assert refused(accounts.sign_in, "anna", PASSWORD).code == "disabled"
    assert refused(accounts.sign_in, "anna", "nope nope nope").code == "wrong"
    assert "anna" not in accounts.usernames() and "beheer" in accounts.usernames()
    for _ in range(LOCK_AFTER):
        clock.advance(refused(accounts.sign_in, "anna", "nope nope nope").wait_seconds)
    accounts.enable(Actor(manager), assistant)  # enabling lifts the lock-out too
    accounts.sign_in("anna", PASSWORD)
    accounts.reset_password(Actor(manager), assistant, "a new long password")
    assert refused(accounts.sign_in, "anna", PASSWORD).code == "wrong"
    # The PIN waits for a sign-in with the new password.
    assert refused(accounts.unlock_with_pin, assistant, "2468").code == "password_needed"
    accounts.sign_in("anna", "a new long password")
    for name in ("user_disabled", "user_enabled", "password_reset"):
        [event] = events(engine, name)
        assert (event.user_id, event.responsible_id) == (assistant, manager), name
    [info] = [a for a in accounts.accounts() if a.username == "anna"]
    assert (info.active, info.has_pin, info.role, info.portal_linked) == \
        (True, True, Role.ASSISTANT, False)


def test_an_account_for_a_portal_practitioner_keeps_its_row(engine, practice):
    accounts, manager, _assistant = practice
    with Session(engine) as session, session.begin():
        session.add(Practitioner(portal_id="prac-7", name="Dr. J. Visser", role=Role.GP))
    gp = accounts.add(Actor(manager), "jvisser", "Dr. J. Visser", Role.GP, PASSWORD,
                      agb_code="01012345", portal_practitioner_id="prac-7")
    with Session(engine) as session:
        person = session.get(Practitioner, gp)
        assert (person.portal_id, person.username, person.agb_code) == \
            ("prac-7", "jvisser", "01012345")
    with pytest.raises(AccountError) as info:
        accounts.add(Actor(manager), "visser2", "Visser", Role.GP, PASSWORD,
                     portal_practitioner_id="prac-7")
    assert info.value.code == "already_an_account"
    assert accounts.portal_practitioners_without_account() == []


def test_lock_and_sign_out_are_audited(engine, practice):
    accounts, _manager, assistant = practice
    accounts.record_lock(assistant, "idle")
    accounts.sign_out(assistant)
    [lock] = events(engine, "lock")
    [out] = events(engine, "sign_out")
    assert lock.detail == {"reason": "idle"} and lock.user_id == out.user_id == assistant


def test_the_demo_accounts(engine, clock):
    with Session(engine) as session, session.begin():
        session.add_all([
            Practitioner(portal_id="prac-1", name="Anna de Vries", role=Role.GP),
            Practitioner(portal_id="prac-2", name="Anna Bakker", role=Role.ASSISTANT),
            Practitioner(portal_id="prac-3", name="Ömer Yılmaz", role=Role.POH)])
    ensure_demo_accounts(engine)
    ensure_demo_accounts(engine)  # once only
    accounts = AccountService(engine, clock=clock)
    assert accounts.usernames() == ["anna.bakker", "anna.vries", "beheer", "omer"]
    assert accounts.sign_in("omer", DEMO_PASSWORD).role is Role.POH
    omer = accounts.find("omer").id
    assert accounts.unlock_with_pin(omer, DEMO_PIN).user_id == omer
    code = pyotp.TOTP(DEMO_TOTP_SECRET).at(clock())
    assert accounts.sign_in("beheer", DEMO_PASSWORD, code).role is Role.MANAGER


def test_sign_in_and_lock_out_on_each_database(migrated_engine, clock):
    """The count is kept with the account, so every workstation of the practice sees it."""
    accounts = AccountService(migrated_engine, clock=clock)
    manager = accounts.add(None, "beheer", "Mia Beheer", Role.MANAGER, PASSWORD,
                           totp_secret=MANAGER_SECRET)
    assistant = accounts.add(Actor(manager), "anna", "Anna", Role.ASSISTANT, PASSWORD)
    other_workstation = AccountService(migrated_engine, clock=clock)
    for attempt in range(LOCK_AFTER):
        service = accounts if attempt % 2 else other_workstation
        error = refused(service.sign_in, "anna", "nope nope nope")
        clock.advance(error.wait_seconds)
    assert error.code == "locked"
    assert refused(other_workstation.sign_in, "anna", PASSWORD).code == "locked"
    clock.now = error.until
    assert other_workstation.sign_in("anna", PASSWORD).user_id == assistant
    assert len(events(migrated_engine, "sign_in_failed")) == LOCK_AFTER
