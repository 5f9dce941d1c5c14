"""Portal credentials in the OS keyring, and nowhere else."""

from __future__ import annotations

import json
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
