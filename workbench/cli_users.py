"""`workbench users ...`: IT and the praktijkmanager keep the practice's accounts from the
command line. Every command but the very first praktijkmanager's `add` runs after a
praktijkmanager signs in on the terminal; passwords and PINs are only ever asked, hidden."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from sqlalchemy import Engine

from workbench.bootstrap import open_store
from workbench.cli_auth import refusal_in_words, terminal_sign_in
from workbench.config import Settings
from workbench.services.accounts import (
    AccountInfo,
    AccountService,
    check_password,
    check_pin,
    new_totp_secret,
    second_factor_role,
    totp_code_ok,
    totp_uri,
)
from workbench.services.errors import ActionRefused
from workbench.services.rights import NotAllowed, Permission, allowed
from workbench.services.triage import Actor
from workbench.store.models import Role

EXIT_OK = 0
ROLE_WORDS = {"huisarts": Role.GP, "poh": Role.POH, "doktersassistent": Role.ASSISTANT,
              "assistent": Role.ASSISTANT, "praktijkmanager": Role.MANAGER}
ROLE_NAMES = {Role.GP: "huisarts", Role.POH: "POH", Role.ASSISTANT: "doktersassistent",
              Role.MANAGER: "praktijkmanager"}
CREDENTIAL_CODES = ("wrong", "locked", "disabled", "slow_down", "second_factor_needed",
                    "second_factor_wrong", "not_allowed")
CODE_TRIES = 3


class Refusal(Exception):
    """Said on stderr by workbench.cli; `credentials`: a sign-in or right refused (exit
    status 4), else a mistake on the command line (2)."""

    def __init__(self, message: str, *, credentials: bool = False) -> None:
        super().__init__(message)
        self.credentials = credentials


def refusal(exc: ActionRefused) -> Refusal:
    return Refusal(refusal_in_words(exc), credentials=exc.code in CREDENTIAL_CODES)


# Asked at call time, so a test's monkeypatched input and getpass are the ones used. The
# prompt goes to stderr (as getpass's does): standard output may be the exported CSV.
def _ask(prompt: str) -> str:
    print(prompt, end="", file=sys.stderr, flush=True)
    return input()


def _ask_secret(prompt: str) -> str:
    return getpass.getpass(prompt)


def run_users(args: argparse.Namespace, settings: Settings) -> int:
    """`workbench users ACTION`; the first account may make a new SQLite store."""
    store = open_store(settings, migrate_sqlite=args.users_command == "add")
    try:
        accounts = AccountService(store.engine)
        return COMMANDS[args.users_command](args, accounts, store.engine)
    except ActionRefused as exc:
        raise refusal(exc) from exc
    finally:
        store.close()


def signed_in_actor(engine: Engine, permission: Permission) -> Actor:
    """A person signs in on the terminal; refused (before anything is shown or written)
    unless their role gives `permission`."""
    try:
        signed = terminal_sign_in(engine, ask=_ask, ask_secret=_ask_secret)
        if not allowed(signed.role, permission):
            raise NotAllowed(permission)
    except ActionRefused as exc:
        raise refusal(exc) from exc
    return signed.actor


def _manager(engine: Engine) -> Actor:
    print("Sign in as praktijkmanager.")
    return signed_in_actor(engine, Permission.MANAGE_USERS)


def _account(accounts: AccountService, username: str) -> AccountInfo:
    found = accounts.find(username)
    if found is None:
        raise Refusal(f"No account with the user name {username!r} (see `workbench users "
                      "list`).")
    return found


def _new_secret(prompt: str, again: str, check: Callable[[str], None]) -> str:
    value = _ask_secret(prompt)
    check(value)
    if _ask_secret(again) != value:
        raise Refusal("The two entries differ; nothing changed.")
    return value


def _confirmed_totp_secret(username: str) -> str:
    """A new TOTP secret, returned once the person's app shows a right code for it."""
    secret = new_totp_secret()
    print("This account signs in with a code from an authenticator app too. Add it to the "
          "person's app (this address as a QR code, or the key typed in):")
    print(f"  {totp_uri(secret, username)}")
    print(f"  key: {secret}")
    for _ in range(CODE_TRIES):
        if totp_code_ok(secret, _ask("Code uit de authenticator-app: ")):
            return secret
        print("That code is not right (is the phone's clock right?).")
    raise Refusal("The authenticator app's code did not match; nothing changed. Try again.")


def users_add(args: argparse.Namespace, accounts: AccountService, engine: Engine) -> int:
    role = ROLE_WORDS[args.role.lower()]
    if accounts.has_manager():
        acting: Actor | None = _manager(engine)
    elif role is not Role.MANAGER:
        raise Refusal("The practice has no praktijkmanager yet: the first account must be "
                      "theirs (--role praktijkmanager).")
    else:
        acting = None
        print("No praktijkmanager yet: this account becomes the first.")
    password = _new_secret(f"Wachtwoord voor {args.username}: ", "Nogmaals: ", check_password)
    secret = _confirmed_totp_secret(args.username) \
        if second_factor_role(role) or args.second_factor else None
    accounts.add(acting, args.username, args.name, role, password, agb_code=args.agb,
                 portal_practitioner_id=args.portal_practitioner, os_account=args.os_account,
                 totp_required=args.second_factor, totp_secret=secret)
    print(f"Account {args.username.strip().lower()} ({ROLE_NAMES[role]}) added.")
    return EXIT_OK


def users_list(args: argparse.Namespace, accounts: AccountService, engine: Engine) -> int:
    if not accounts.accounts():
        print("No accounts yet: add the praktijkmanager first with `workbench users add "
              "--role praktijkmanager`.")
        return EXIT_OK
    _manager(engine)
    rows = [("user name", "name", "role", "active", "locked", "PIN", "2FA", "portal")]
    for a in accounts.accounts():
        rows.append((a.username, a.name, ROLE_NAMES.get(a.role, "-"), _yes(a.active),
                     f"until {a.locked_until.astimezone():%H:%M}" if a.locked_until else "no",
                     _yes(a.has_pin),
                     ("yes" if a.totp_enrolled else "not set up") if a.totp_required else "no",
                     _yes(a.portal_linked)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return EXIT_OK


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def users_disable(args: argparse.Namespace, accounts: AccountService, engine: Engine) -> int:
    acting = _manager(engine)
    accounts.disable(acting, _account(accounts, args.username).id)
    print(f"Account {args.username} disabled.")
    return EXIT_OK


def users_enable(args: argparse.Namespace, accounts: AccountService, engine: Engine) -> int:
    acting = _manager(engine)
    accounts.enable(acting, _account(accounts, args.username).id)
    print(f"Account {args.username} enabled (and any lock-out lifted).")
    return EXIT_OK


def users_reset_password(args: argparse.Namespace, accounts: AccountService,
                         engine: Engine) -> int:
    acting = _manager(engine)
    account = _account(accounts, args.username)
    password = _new_secret(f"Nieuw wachtwoord voor {account.username}: ", "Nogmaals: ",
                           check_password)
    accounts.reset_password(acting, account.id, password)
    print(f"Password of {account.username} reset; the PIN works again after a sign-in with it.")
    return EXIT_OK


def users_set_pin(args: argparse.Namespace, accounts: AccountService, engine: Engine) -> int:
    """The person sets their own PIN, after their own password (and code)."""
    account = _account(accounts, args.username)
    print(f"{account.name}: sign in with your password to set your PIN.")
    signed = terminal_sign_in(engine, ask=_ask, ask_secret=_ask_secret,
                              username=account.username)
    pin = _new_secret("Nieuwe pincode (4-6 cijfers): ", "Nogmaals: ", check_pin)
    accounts.set_pin(signed.user_id, pin)
    print(f"PIN of {account.username} set.")
    return EXIT_OK


def users_second_factor(args: argparse.Namespace, accounts: AccountService,
                        engine: Engine) -> int:
    """A new authenticator app for someone (a lost phone), set by a praktijkmanager."""
    acting = _manager(engine)
    account = _account(accounts, args.username)
    secret = _confirmed_totp_secret(account.username)
    accounts.set_totp_secret(acting, account.id, secret)
    print(f"Authenticator app of {account.username} set; the previous one no longer works.")
    return EXIT_OK


def users_set_role(args: argparse.Namespace, accounts: AccountService, engine: Engine) -> int:
    """Another role for someone; becoming praktijkmanager sets up the authenticator app
    first when the person has none."""
    acting = _manager(engine)
    account = _account(accounts, args.username)
    role = ROLE_WORDS[args.role.lower()]
    secret = _confirmed_totp_secret(account.username) \
        if second_factor_role(role) and not account.totp_required else None
    accounts.set_role(acting, account.id, role, totp_secret=secret)
    print(f"Role of {account.username}: {role.value}.")
    return EXIT_OK


COMMANDS = {"add": users_add, "list": users_list, "disable": users_disable,
            "enable": users_enable, "reset-password": users_reset_password,
            "set-pin": users_set_pin, "second-factor": users_second_factor,
            "set-role": users_set_role}
