"""The mail account's password in the OS keyring, and nowhere else.

Kept beside secrets.py (which holds the portal's credentials) under its own service name,
so `workbench credentials set --channel mail` can write it and the mail client read it."""

from __future__ import annotations

import contextlib

import keyring
from keyring.backend import KeyringBackend

MAIL_SERVICE = "workbench-mail"
# The demo's throw-away account: its password lives in this process only, never in the
# keyring (like the demo's audit key).
_process_password: str | None = None


def use_process_mail_password(password: str | None) -> None:
    global _process_password
    _process_password = password


def _key(account: str, imap_host: str) -> str:
    # One password per account on one provider: the same account name at two providers
    # must not share a secret.
    return f"{account}@{imap_host.lower().rstrip('.')}"


def get_mail_password(account: str, imap_host: str,
                      backend: KeyringBackend | None = None) -> str | None:
    if _process_password:
        return _process_password
    stored = (backend or keyring.get_keyring()).get_password(MAIL_SERVICE, _key(account, imap_host))
    return stored or None


def set_mail_password(account: str, imap_host: str, password: str,
                      backend: KeyringBackend | None = None) -> None:
    if not password:
        raise ValueError("an empty mail password cannot be stored")
    (backend or keyring.get_keyring()).set_password(MAIL_SERVICE, _key(account, imap_host),
                                                    password)


def delete_mail_password(account: str, imap_host: str,
                         backend: KeyringBackend | None = None) -> None:
    from keyring.errors import PasswordDeleteError
    with contextlib.suppress(PasswordDeleteError):
        (backend or keyring.get_keyring()).delete_password(MAIL_SERVICE,
                                                           _key(account, imap_host))
