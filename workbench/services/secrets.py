"""Portal credentials and the practice's audit key in the OS keyring, and nowhere else."""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass, field

import keyring
from keyring.backend import KeyringBackend

SERVICE = "workbench-portal"


@dataclass(frozen=True)
class PortalCredentials:
    """A bearer token, or a user name and password for basic authentication."""

    kind: str  # "bearer" or "basic"
    token: str = field(default="", repr=False)
    username: str = ""
    password: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if self.kind not in ("bearer", "basic"):
            raise ValueError(f"unknown credential kind {self.kind!r}")


class SecretStore:
    """Reads and writes portal credentials through a `keyring` backend (the OS keyring by
    default; tests hand in a file or memory backend)."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend or keyring.get_keyring()

    def get_portal_credentials(self, portal_url: str) -> PortalCredentials | None:
        stored = self._backend.get_password(SERVICE, _key(portal_url))
        if not stored:
            return None
        return PortalCredentials(**json.loads(stored))

    def set_portal_credentials(self, portal_url: str, credentials: PortalCredentials) -> None:
        payload = {"kind": credentials.kind, "token": credentials.token,
                   "username": credentials.username, "password": credentials.password}
        self._backend.set_password(SERVICE, _key(portal_url), json.dumps(payload))

    def delete_portal_credentials(self, portal_url: str) -> None:
        self._backend.delete_password(SERVICE, _key(portal_url))


def _key(portal_url: str) -> str:
    return portal_url.rstrip("/")


# -- the audit key -------------------------------------------------------------------------------
# One secret for the whole practice: every workstation chains audit events with it (services/
# audit.py), so IT puts the same key in each workstation's keyring. Never in the database or
# the configuration: whoever can only reach the database cannot rewrite the chain.
AUDIT_SERVICE = "workbench-audit"
AUDIT_USERNAME = "audit-key"
AUDIT_KEY_BYTES = 32          # what --generate makes
AUDIT_KEY_MIN_BYTES = 16      # shorter keys are refused
_process_audit_key: bytes | None = None  # the demo's throw-away key, never in a keyring


def get_audit_key(backend: KeyringBackend | None = None) -> bytes | None:
    """The practice's audit key, or None when this workstation has none."""
    if _process_audit_key is not None:
        return _process_audit_key
    stored = (backend or keyring.get_keyring()).get_password(AUDIT_SERVICE, AUDIT_USERNAME)
    return base64.b64decode(stored) if stored else None


def set_audit_key(key: bytes, backend: KeyringBackend | None = None) -> None:
    if len(key) < AUDIT_KEY_MIN_BYTES:
        raise ValueError(f"an audit key needs at least {AUDIT_KEY_MIN_BYTES} bytes")
    (backend or keyring.get_keyring()).set_password(AUDIT_SERVICE, AUDIT_USERNAME,
                                                    base64.b64encode(key).decode("ascii"))


def delete_audit_key(backend: KeyringBackend | None = None) -> None:
    from keyring.errors import PasswordDeleteError
    with contextlib.suppress(PasswordDeleteError):
        (backend or keyring.get_keyring()).delete_password(AUDIT_SERVICE, AUDIT_USERNAME)


def use_process_audit_key(key: bytes | None) -> None:
    """A key for this process only (the demo's throw-away store); None ends it."""
    global _process_audit_key
    _process_audit_key = key


def generate_audit_key() -> bytes:
    return os.urandom(AUDIT_KEY_BYTES)


def parse_audit_key(text: str) -> bytes:
    """A key as IT types or pastes it: hex, or base64 (standard or URL-safe)."""
    text = "".join(text.split())
    if re.fullmatch(r"(?:[0-9a-fA-F]{2})+", text):
        key = bytes.fromhex(text)
    else:
        try:
            key = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("the audit key is neither hex nor base64") from None
    if len(key) < AUDIT_KEY_MIN_BYTES:
        raise ValueError(f"the audit key is {len(key)} bytes; at least {AUDIT_KEY_MIN_BYTES} "
                         "are needed")
    return key


def audit_key_fingerprint(key: bytes) -> str:
    """Short enough to read aloud between workstations; says nothing about the key itself
    (an HMAC of a fixed text, not the key or a plain hash of it)."""
    digest = hmac.new(key, b"workbench audit key fingerprint", hashlib.sha256).hexdigest()[:16]
    return "-".join(digest[i:i + 4] for i in range(0, 16, 4))
