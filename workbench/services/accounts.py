"""User accounts (NEN 7510: identification and authentication): signing in with a password and,
where required, a TOTP code; a PIN to unlock the same day; single sign-on by a person's own OS
account; slowing down and locking out wrong attempts; and the praktijkmanager's management of
the accounts. Every sign-in, failure, lock-out and change is an audit event; the store keeps
Argon2id hashes only."""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from workbench.services.audit import write_audit_event
from workbench.services.billing import PRACTICE_TZ
from workbench.services.errors import ActionRefused
from workbench.services.rights import NotAllowed, Permission, require
from workbench.services.triage import Actor, AuditAction
from workbench.store.models import Practitioner, Role
from workbench.store.timeutil import as_utc

# The demo store only (workbench --demo): shown on the demo's sign-in screen.
DEMO_PASSWORD = "demo"
DEMO_PIN = "1234"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPWORKBENCHDEMO234"  # fixed, so the demo can show the code
DEMO_MANAGER_USERNAME = "beheer"

MIN_PASSWORD_LENGTH = 10
PIN_PATTERN = re.compile(r"[0-9]{4,6}")
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")
SLOW_DOWN_FROM = 3           # wrong attempts in a row before each next one must wait
MAX_WAIT_SECONDS = 60
LOCK_AFTER = 10              # wrong attempts in a row that lock the account
LOCK_MINUTES = 15
TOTP_ISSUER = "Workbench"

_HASHER = PasswordHasher()  # Argon2id with argon2-cffi's current recommended parameters


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class AuthError(ActionRefused):
    """A sign-in or account change refused; `code` is one of "wrong" (unknown name or wrong
    password/PIN alike), "locked" (`until`), "disabled", "second_factor_needed",
    "second_factor_wrong", "no_pin", "password_needed" (PIN only after a password sign-in the
    same day), "slow_down" (`wait_seconds`), "weak_password", "bad_pin". After a wrong attempt
    `wait_seconds` says how long the next one must wait (0: not at all)."""

    def __init__(self, code: str, *, until: datetime | None = None,
                 wait_seconds: int = 0) -> None:
        super().__init__(code)
        self.until = until
        self.wait_seconds = wait_seconds


class AccountError(ActionRefused):
    """A management action refused: "bad_username", "username_taken", "bad_name",
    "not_found", "already_an_account" (that portal practitioner has one),
    "first_must_be_manager" (the first account is the praktijkmanager's), "last_manager"
    (the last active praktijkmanager cannot be disabled)."""


@dataclass(frozen=True)
class SignedIn:
    user_id: int
    username: str
    name: str
    role: Role

    @property
    def actor(self) -> Actor:
        return Actor(self.user_id)


@dataclass(frozen=True)
class AccountInfo:
    id: int
    username: str
    name: str
    role: Role | None
    active: bool
    has_pin: bool
    totp_required: bool          # a TOTP code is asked (per user, or the praktijkmanager's)
    locked_until: datetime | None  # locked out until then (None: not locked)
    portal_linked: bool
    agb_code: str | None = None
    os_account: str | None = None
    totp_enrolled: bool = False


@dataclass
class _Attempts:
    """Wrong attempts for a name that has no account, kept in memory only: such a name is
    slowed down and locked like a real one, so the answers do not tell the two apart."""

    failed_attempts: int = 0
    locked_until: datetime | None = None


_UNKNOWN_NAMES: dict[str, _Attempts] = {}
_UNKNOWN_LOCK = threading.Lock()
_UNKNOWN_KEPT = 1000


def normalise_username(username: str) -> str:
    return unicodedata.normalize("NFKC", username or "").strip().lower()


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AuthError("weak_password")


def check_pin(pin: str) -> None:
    if not PIN_PATTERN.fullmatch(pin or ""):
        raise AuthError("bad_pin")


def hash_secret(secret: str) -> str:
    return _HASHER.hash(secret)


def _verify(stored: str | None, given: str) -> bool:
    """Whether `given` matches the hash; with no hash a dummy one is checked, so an unknown
    name takes as long as a known one."""
    try:
        return _HASHER.verify(stored or _dummy_hash(), given or "") and stored is not None
    except (VerificationError, InvalidHashError):
        return False


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(_HASHER.hash("no account has this password"))
    return _DUMMY[0]


def second_factor_role(role: Role | None) -> bool:
    """The praktijkmanager always signs in with a TOTP code too."""
    return role is Role.MANAGER


def second_factor_required(person: Practitioner) -> bool:
    return bool(person.totp_required) or second_factor_role(person.role)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, username: str) -> str:
    """The otpauth:// address an authenticator app takes (as a QR code, or typed in)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def totp_code_ok(secret: str, code: str, now: datetime | None = None) -> bool:
    """Whether the app shows `code` now: to check a new secret before it is stored."""
    return _totp_ok(secret, code, now or utc_now())


def _totp_ok(secret: str | None, code: str | None, now: datetime) -> bool:
    code = (code or "").replace(" ", "")
    # One step either side: a phone's clock a little off still works.
    return bool(secret) and code.isdigit() and pyotp.TOTP(secret).verify(
        code, for_time=now, valid_window=1)


def _gate(state: Practitioner | _Attempts, now: datetime) -> None:
    """Refuses an attempt while locked or while the last wrong one's wait runs; a lock that
    has ended starts the count anew."""
    until = as_utc(state.locked_until)
    if until is not None and until > now:
        if state.failed_attempts >= LOCK_AFTER:
            raise AuthError("locked", until=until)
        raise AuthError("slow_down", wait_seconds=max(1, math.ceil((until - now)
                                                                   .total_seconds())))
    if state.failed_attempts >= LOCK_AFTER:
        state.failed_attempts = 0
        state.locked_until = None


def _count_failure(state: Practitioner | _Attempts, now: datetime) -> AuthError | None:
    """One more wrong attempt: the next must wait 2, 4, 8 ... s from the third on, and the
    tenth in a row locks for `LOCK_MINUTES`. Returns the lock's error, or None."""
    state.failed_attempts = (state.failed_attempts or 0) + 1
    if state.failed_attempts >= LOCK_AFTER:
        state.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        return AuthError("locked", until=state.locked_until)
    state.locked_until = now + timedelta(seconds=wait_after(state.failed_attempts)) \
        if state.failed_attempts >= SLOW_DOWN_FROM else None
    return None


def wait_after(failed_attempts: int) -> int:
    """Seconds the next attempt must wait after this many wrong ones in a row."""
    if failed_attempts < SLOW_DOWN_FROM:
        return 0
    return min(MAX_WAIT_SECONDS, 2 ** (failed_attempts - SLOW_DOWN_FROM + 1))


def _lock_active(person: Practitioner, now: datetime) -> datetime | None:
    until = as_utc(person.locked_until)
    return until if person.failed_attempts >= LOCK_AFTER and until is not None \
        and until > now else None


class AccountService:
    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utc_now,
                 workstation: str | None = None, single_sign_on: bool = False,
                 shared_os_accounts: tuple[str, ...] = ()) -> None:
        self._engine = engine
        self._clock = clock
        self._workstation = workstation
        self._single_sign_on = single_sign_on
        self._shared = {name.strip().casefold() for name in shared_os_accounts}

    @classmethod
    def from_settings(cls, engine: Engine, settings: Any, **kwargs: Any) -> AccountService:
        """With the machine-wide single sign-on settings."""
        return cls(engine, single_sign_on=settings.single_sign_on,
                   shared_os_accounts=settings.shared_os_accounts, **kwargs)

    # -- signing in ----------------------------------------------------------------------------
    def sign_in(self, username: str, password: str, totp: str | None = None) -> SignedIn:
        name = normalise_username(username)
        return self._password_sign_in(Practitioner.username == name, name, password, totp,
                                      unlock=False)

    def unlock_with_password(self, user_id: int, password: str,
                             totp: str | None = None) -> SignedIn:
        return self._password_sign_in(Practitioner.id == user_id, None, password, totp,
                                      unlock=True)

    def _password_sign_in(self, where: Any, name: str | None, password: str,
                          totp: str | None, *, unlock: bool) -> SignedIn:
        now = self._clock()
        error: AuthError | None = None
        with Session(self._engine) as session, session.begin():
            person = session.scalars(select(Practitioner).where(
                where, Practitioner.username.is_not(None),
                Practitioner.password_hash.is_not(None)).with_for_update()).first()
            if person is None:
                error = self._unknown_name_failed(name, password, now)
            else:
                _gate(person, now)
                if not _verify(person.password_hash, password):
                    error = self._failed(session, person, now, "password")
                elif not person.active:
                    error = AuthError("disabled")
                elif second_factor_required(person) and not (totp or "").strip():
                    error = AuthError("second_factor_needed")
                elif second_factor_required(person) and not _totp_ok(person.totp_secret, totp,
                                                                    now):
                    error = self._failed(session, person, now, "second_factor",
                                         "second_factor_wrong")
                else:
                    if _HASHER.check_needs_rehash(person.password_hash):
                        person.password_hash = hash_secret(password)
                    person.password_signed_in_at = now
                    signed = self._succeeded(session, person, now, AuditAction.SIGN_IN,
                                             {"method": "password", "unlock": unlock,
                                              "second_factor": second_factor_required(person)})
        if error is not None:
            raise error
        return signed

    def unlock_with_pin(self, user_id: int, pin: str) -> SignedIn:
        """Quick unlock or switch on a shared PC, once the person signed in with their
        password earlier the same (practice) day."""
        now = self._clock()
        error: AuthError | None = None
        with Session(self._engine) as session, session.begin():
            person = session.scalars(select(Practitioner).where(
                Practitioner.id == user_id, Practitioner.username.is_not(None))
                .with_for_update()).first()
            if person is None:
                raise AuthError("wrong")
            _gate(person, now)
            signed_at = as_utc(person.password_signed_in_at)
            if not person.active:
                error = AuthError("disabled")
            elif not person.pin_hash:
                error = AuthError("no_pin")
            elif signed_at is None or signed_at.astimezone(PRACTICE_TZ).date() != \
                    now.astimezone(PRACTICE_TZ).date():
                error = AuthError("password_needed")
            elif not _verify(person.pin_hash, pin):
                error = self._failed(session, person, now, "pin")
            else:
                signed = self._succeeded(session, person, now, AuditAction.PIN_UNLOCK, None)
        if error is not None:
            raise error
        return signed

    def sign_in_os_account(self, os_user: str) -> SignedIn | None:
        """Single sign-on: only where IT allows it, for an OS account that is not shared and
        belongs to exactly one active account, never past a lock-out or a second factor."""
        key = (os_user or "").strip().casefold()
        if not self._single_sign_on or not key or key in self._shared:
            return None
        now = self._clock()
        with Session(self._engine) as session, session.begin():
            people = [p for p in session.scalars(select(Practitioner).where(
                Practitioner.os_account.is_not(None), Practitioner.username.is_not(None),
                Practitioner.active)) if p.os_account.strip().casefold() == key]
            if len(people) != 1:
                return None
            [person] = people
            if as_utc(person.locked_until) is not None and as_utc(person.locked_until) > now \
                    or second_factor_required(person):
                return None
            return self._succeeded(session, person, now, AuditAction.SIGN_IN,
                                   {"method": "os_account"})

    def needs_second_factor(self, username: str) -> bool:
        with Session(self._engine) as session:
            person = session.scalars(select(Practitioner).where(
                Practitioner.username == normalise_username(username))).first()
            return person is not None and second_factor_required(person)

    def record_lock(self, user_id: int, reason: str) -> None:
        """The screen locked ("idle" or "request")."""
        self._audit_only(user_id, AuditAction.LOCK, {"reason": reason})

    def sign_out(self, user_id: int) -> None:
        self._audit_only(user_id, AuditAction.SIGN_OUT, None)

    # -- the steps -----------------------------------------------------------------------------
    def _succeeded(self, session: Session, person: Practitioner, now: datetime,
                   action: AuditAction, detail: dict[str, Any] | None) -> SignedIn:
        person.failed_attempts = 0
        person.locked_until = None
        self._audit(session, action, person.id, person.id, detail)
        return SignedIn(person.id, person.username, person.name, person.role)

    def _failed(self, session: Session, person: Practitioner, now: datetime, method: str,
                code: str = "wrong") -> AuthError:
        lock = _count_failure(person, now)
        self._audit(session, AuditAction.SIGN_IN_FAILED, person.id, person.id,
                    {"method": method, "attempt": person.failed_attempts})
        if lock is not None:
            person.password_signed_in_at = None  # the PIN needs the password again
            self._audit(session, AuditAction.ACCOUNT_LOCKED, person.id, person.id,
                        {"until": lock.until.isoformat()})
            return lock
        return AuthError(code, wait_seconds=wait_after(person.failed_attempts))

    @staticmethod
    def _unknown_name_failed(name: str | None, password: str, now: datetime) -> AuthError:
        """As a known name with a wrong password: the same gate, time, answer and count."""
        if name is None:
            _verify(None, password)
            return AuthError("wrong")
        with _UNKNOWN_LOCK:
            state = _UNKNOWN_NAMES.setdefault(name, _Attempts())
            while len(_UNKNOWN_NAMES) > _UNKNOWN_KEPT:
                del _UNKNOWN_NAMES[next(iter(_UNKNOWN_NAMES))]
            _gate(state, now)
        _verify(None, password)
        with _UNKNOWN_LOCK:
            lock = _count_failure(state, now)
            return lock or AuthError("wrong", wait_seconds=wait_after(state.failed_attempts))

    def _audit(self, session: Session, action: AuditAction, user_id: int, responsible_id: int,
               detail: dict[str, Any] | None) -> None:
        write_audit_event(session, event=action.value, occurred_at=self._clock(),
                          user_id=user_id, responsible_id=responsible_id,
                          workstation=self._workstation, detail=detail)

    def _audit_only(self, user_id: int, action: AuditAction,
                    detail: dict[str, Any] | None) -> None:
        with Session(self._engine) as session, session.begin():
            self._audit(session, action, user_id, user_id, detail)

    # -- managing accounts ---------------------------------------------------------------------
    def add(self, acting: Actor | None, username: str, name: str, role: Role | str,
            password: str, *, agb_code: str | None = None,
            portal_practitioner_id: str | None = None, os_account: str | None = None,
            totp_required: bool = False, totp_secret: str | None = None) -> int:
        """A new account, or an account for the portal's Practitioner `portal_practitioner_id`
        (its portal id). Needs the right to manage users, except for the first praktijkmanager
        while the practice has none. Returns the person's id. A praktijkmanager (or with
        `totp_required`) signs in with a TOTP code: give `totp_secret` (from `new_totp_secret`,
        once their app showed a right code), or `enroll_totp` afterwards."""
        role = Role(role)
        username = normalise_username(username)
        if not USERNAME_PATTERN.fullmatch(username):
            raise AccountError("bad_username")
        if not (name or "").strip():
            raise AccountError("bad_name")
        check_password(password)
        password_hash = hash_secret(password)
        with Session(self._engine) as session, session.begin():
            responsible = self._authorise_add(session, acting, role)
            if session.scalar(select(Practitioner.id).where(
                    Practitioner.username == username)) is not None:
                raise AccountError("username_taken")
            if portal_practitioner_id:
                person = session.scalars(select(Practitioner).where(
                    Practitioner.portal_id == portal_practitioner_id.strip())).first()
                if person is None:
                    raise AccountError("not_found")
                if person.username is not None:
                    raise AccountError("already_an_account")
            else:
                person = Practitioner(portal_id=None)
                session.add(person)
            person.name = name.strip()
            person.role = role
            person.agb_code = (agb_code or "").strip() or person.agb_code
            person.username = username
            person.password_hash = password_hash
            person.totp_required = totp_required
            person.totp_secret = totp_secret or person.totp_secret
            person.os_account = (os_account or "").strip() or None
            person.active = True
            person.failed_attempts = 0
            session.flush()
            self._audit(session, AuditAction.USER_ADDED, person.id, responsible or person.id,
                        {"role": role.value, "portal_linked": person.portal_id is not None})
            return person.id

    def disable(self, acting: Actor | None, user_id: int) -> None:
        def change(session: Session, person: Practitioner) -> None:
            if person.role is Role.MANAGER and person.active and \
                    self._active_managers(session) <= 1:
                raise AccountError("last_manager")
            person.active = False
        self._manage(acting, user_id, AuditAction.USER_DISABLED, change)

    def set_role(self, acting: Actor | None, user_id: int, role: Role | str, *,
                 totp_secret: str | None = None) -> None:
        """Another role (an assistant who becomes POH). A praktijkmanager signs in with a
        code: give `totp_secret` when the person has no authenticator yet. The last active
        praktijkmanager keeps the role, so the practice can always manage its users."""
        role = Role(role)

        def change(session: Session, person: Practitioner) -> None:
            if person.role is Role.MANAGER and role is not Role.MANAGER and person.active \
                    and self._active_managers(session) <= 1:
                raise AccountError("last_manager")
            if totp_secret:
                person.totp_secret = totp_secret
            if second_factor_role(role):
                if not person.totp_secret:
                    raise AuthError("second_factor_needed")
                person.totp_required = True
            person.role = role
        self._manage(acting, user_id, AuditAction.ROLE_CHANGED, change)

    def enable(self, acting: Actor | None, user_id: int) -> None:
        """Active again, and a lock-out lifted."""
        def change(session: Session, person: Practitioner) -> None:
            person.active = True
            person.failed_attempts = 0
            person.locked_until = None
        self._manage(acting, user_id, AuditAction.USER_ENABLED, change)

    def reset_password(self, acting: Actor | None, user_id: int, new_password: str) -> None:
        """A new password; a lock-out lifted, and the PIN waits for a sign-in with it."""
        check_password(new_password)
        password_hash = hash_secret(new_password)

        def change(session: Session, person: Practitioner) -> None:
            person.password_hash = password_hash
            person.failed_attempts = 0
            person.locked_until = None
            person.password_signed_in_at = None
        self._manage(acting, user_id, AuditAction.PASSWORD_RESET, change)

    def set_pin(self, user_id: int, pin: str) -> None:
        """The person's own PIN (the caller has them prove who they are first)."""
        check_pin(pin)
        pin_hash = hash_secret(pin)
        self._change_own(user_id, AuditAction.PIN_SET, lambda p: setattr(p, "pin_hash", pin_hash))

    def enroll_totp(self, user_id: int) -> tuple[str, str]:
        """A new TOTP secret for the person's authenticator app: (secret, otpauth:// URI to
        show as a QR code or type in). The previous one stops working."""
        secret = new_totp_secret()
        username = self._change_own(user_id, AuditAction.SECOND_FACTOR_SET,
                                    lambda p: setattr(p, "totp_secret", secret))
        return secret, totp_uri(secret, username)

    def set_totp_secret(self, acting: Actor | None, user_id: int, secret: str) -> None:
        """A praktijkmanager sets a new TOTP secret (checked against the person's app)."""
        self._manage(acting, user_id, AuditAction.SECOND_FACTOR_SET,
                     lambda _session, person: setattr(person, "totp_secret", secret))

    def _change_own(self, user_id: int, action: AuditAction,
                    change: Callable[[Practitioner], None]) -> str:
        with Session(self._engine) as session, session.begin():
            person = self._account(session, user_id)
            change(person)
            self._audit(session, action, person.id, person.id, None)
            return person.username

    def _manage(self, acting: Actor | None, user_id: int, action: AuditAction,
                change: Callable[[Session, Practitioner], None]) -> None:
        with Session(self._engine) as session, session.begin():
            manager = self._authorise(session, acting)
            person = self._account(session, user_id)
            change(session, person)
            self._audit(session, action, person.id, manager, None)

    @staticmethod
    def _account(session: Session, user_id: int) -> Practitioner:
        person = session.get(Practitioner, user_id, with_for_update=True)
        if person is None or person.username is None:
            raise AccountError("not_found")
        return person

    @staticmethod
    def _authorise(session: Session, acting: Actor | None) -> int:
        if acting is None:
            raise NotAllowed(Permission.MANAGE_USERS)
        require(session, acting.user_id, Permission.MANAGE_USERS)
        return acting.user_id

    def _authorise_add(self, session: Session, acting: Actor | None, role: Role) -> int | None:
        """The first praktijkmanager may be made by anyone (IT at install); after that only
        a person who may manage users adds accounts."""
        if self._active_managers(session) == 0:
            if role is not Role.MANAGER:
                raise AccountError("first_must_be_manager")
            return acting.user_id if acting is not None else None
        return self._authorise(session, acting)

    @staticmethod
    def _active_managers(session: Session) -> int:
        return session.scalar(select(func.count()).select_from(Practitioner).where(
            Practitioner.role == Role.MANAGER, Practitioner.active,
            Practitioner.username.is_not(None)))

    def has_manager(self) -> bool:
        """Whether an active praktijkmanager account exists (else the first may be made)."""
        with Session(self._engine) as session:
            return self._active_managers(session) > 0

    # -- listing -------------------------------------------------------------------------------
    def accounts(self) -> list[AccountInfo]:
        now = self._clock()
        with Session(self._engine) as session:
            people = session.scalars(select(Practitioner).where(
                Practitioner.username.is_not(None)).order_by(Practitioner.name)).all()
            return [AccountInfo(p.id, p.username, p.name, p.role, p.active,
                                p.pin_hash is not None, second_factor_required(p),
                                _lock_active(p, now), p.portal_id is not None, p.agb_code,
                                p.os_account, p.totp_secret is not None) for p in people]

    def find(self, username: str) -> AccountInfo | None:
        name = normalise_username(username)
        return next((a for a in self.accounts() if a.username == name), None)

    def usernames(self) -> list[str]:
        """Accounts that can sign in (active, with a password), sorted."""
        with Session(self._engine) as session:
            return sorted(session.scalars(select(Practitioner.username).where(
                Practitioner.active, Practitioner.username.is_not(None),
                Practitioner.password_hash.is_not(None))))

    def portal_practitioners_without_account(self) -> list[tuple[str, str, Role | None]]:
        """(portal id, name, role) of the portal's people who have no account yet: to link."""
        with Session(self._engine) as session:
            return [tuple(row) for row in session.execute(select(
                Practitioner.portal_id, Practitioner.name, Practitioner.role).where(
                Practitioner.portal_id.is_not(None), Practitioner.username.is_(None))
                .order_by(Practitioner.name))]


# -- the demo -------------------------------------------------------------------------------------
def _ascii_word(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", plain)


def ensure_demo_accounts(engine: Engine) -> None:
    """The demo store's accounts: each portal practitioner by first name (first.last where
    two share one) with DEMO_PASSWORD and DEMO_PIN, and a praktijkmanager "beheer" whose
    TOTP secret is DEMO_TOTP_SECRET. Short demo secrets are allowed here only."""
    password_hash, pin_hash = hash_secret(DEMO_PASSWORD), hash_secret(DEMO_PIN)
    now = utc_now()
    with Session(engine) as session, session.begin():
        taken = set(session.scalars(select(Practitioner.username).where(
            Practitioner.username.is_not(None))))
        people = session.scalars(select(Practitioner).where(
            Practitioner.username.is_(None), Practitioner.portal_id.is_not(None),
            Practitioner.role.is_not(None)).order_by(Practitioner.id)).all()
        words = [[w for w in map(_ascii_word, p.name.split()) if w] or ["demo"] for p in people]
        firsts = [w[0] for w in words]
        added: list[Practitioner] = []
        for person, name in zip(people, words):
            full = ".".join([name[0], name[-1]]) if len(name) > 1 else name[0]
            candidates = [name[0]] if firsts.count(name[0]) == 1 else []
            candidates += [full] + [f"{full}{n}" for n in range(2, len(people) + 3)]
            username = next(c for c in candidates if c not in taken)
            taken.add(username)
            person.username, person.password_hash, person.pin_hash = \
                username, password_hash, pin_hash
            added.append(person)
        if DEMO_MANAGER_USERNAME not in taken:
            manager = Practitioner(portal_id=None, name="Demo Beheer", role=Role.MANAGER,
                                   username=DEMO_MANAGER_USERNAME, password_hash=password_hash,
                                   pin_hash=pin_hash, totp_secret=DEMO_TOTP_SECRET, active=True,
                                   failed_attempts=0)
            session.add(manager)
            added.append(manager)
        session.flush()
        for person in added:
            write_audit_event(session, event=AuditAction.USER_ADDED.value, occurred_at=now,
                              user_id=person.id, responsible_id=person.id,
                              detail={"role": person.role.value, "demo": True,
                                      "portal_linked": person.portal_id is not None})
