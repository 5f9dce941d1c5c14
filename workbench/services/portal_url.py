"""Which portal addresses Workbench talks to: https, or plain http on this computer only.

Apart from the portal client (requests, keyring) so that checking the configuration at start-up
does not load them; portal_client re-exports everything here."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


class PortalError(Exception):
    """Base of every portal failure; `str()` is technical detail for the log, not for users."""


class InsecurePortalUrl(PortalError):
    """The portal address is not https (plain http is only allowed on loopback)."""


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_portal_url(url: str) -> str:
    """The base URL without a trailing slash; refuses http except on loopback."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url.rstrip("/")
    if parts.scheme == "http" and is_loopback_host(parts.hostname):
        return url.rstrip("/")
    raise InsecurePortalUrl(f"portal URL must be https (http only on loopback): {url!r}")
