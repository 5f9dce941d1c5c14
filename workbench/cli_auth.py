"""Signing in on the terminal: a command that exports patient data or manages accounts runs in
the name of a person who proved who they are, as the window does."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine

from workbench.services.accounts import AccountService, AuthError, SignedIn, utc_now
from workbench.services.errors import ActionRefused
from workbench.services.triage import Actor

PROMPT_USERNAME = "Gebruikersnaam: "
PROMPT_PASSWORD = "Wachtwoord: "
PROMPT_CODE = "Code uit de authenticator-app: "


def terminal_sign_in(engine: Engine, *, ask: Callable[[str], str] = input,
                     ask_secret: Callable[[str], str] = getpass.getpass,
                     clock: Callable[[], datetime] = utc_now,
                     workstation: str | None = None, username: str | None = None) -> SignedIn:
    """Name (unless given), password, and the TOTP code only once the password was right;
    raises AuthError as the service does."""
    accounts = AccountService(engine, clock=clock, workstation=workstation)
    username = username if username is not None else ask(PROMPT_USERNAME).strip()
    password = ask_secret(PROMPT_PASSWORD)
    try:
        return accounts.sign_in(username, password)
    except AuthError as exc:
        if exc.code != "second_factor_needed":
            raise
    return accounts.sign_in(username, password, ask(PROMPT_CODE).strip())


def sign_in_on_terminal(engine: Engine, *, ask: Callable[[str], str] = input,
                        ask_secret: Callable[[str], str] = getpass.getpass,
                        clock: Callable[[], datetime] = utc_now,
                        workstation: str | None = None) -> Actor:
    return terminal_sign_in(engine, ask=ask, ask_secret=ask_secret, clock=clock,
                            workstation=workstation).actor


def refusal_in_words(exc: ActionRefused) -> str:
    """A refused sign-in or action, for the person at the terminal (IT reads these too)."""
    code = exc.code
    if code == "locked" and getattr(exc, "until", None) is not None:
        return (f"This account is locked after too many wrong attempts, until "
                f"{exc.until.astimezone():%H:%M}. A praktijkmanager can lift the lock with "
                "`workbench users enable`.")
    if code in ("wrong", "second_factor_wrong") and getattr(exc, "wait_seconds", 0):
        return f"{WORDS[code]} Wait {exc.wait_seconds} seconds before the next attempt."
    if code == "slow_down":
        return f"Too many wrong attempts: wait {exc.wait_seconds} seconds and try again."
    return WORDS.get(code, f"Refused ({code}).")


WORDS = {
    "wrong": "Wrong user name or password.",
    "disabled": "This account is disabled; a praktijkmanager can enable it.",
    "second_factor_needed": "This account needs the code from the authenticator app.",
    "second_factor_wrong": "The authenticator code is wrong.",
    "no_pin": "This account has no PIN; set one with `workbench users set-pin`.",
    "password_needed": "Sign in with the password first today.",
    "weak_password": "The password is too short: at least 10 characters.",
    "bad_pin": "A PIN is 4 to 6 digits.",
    "not_allowed": "Your role does not allow this.",
    "bad_username": "A user name is 2 to 80 characters: lowercase letters, digits, '.', '_' "
                    "and '-', beginning with a letter or digit.",
    "username_taken": "That user name is taken.",
    "bad_name": "Give the person's name.",
    "not_found": "No such account (or portal practitioner).",
    "already_an_account": "That portal practitioner already has an account.",
    "first_must_be_manager": "The first account must be the praktijkmanager's "
                             "(--role praktijkmanager).",
    "last_manager": "This is the last active praktijkmanager: add another one first.",
}
