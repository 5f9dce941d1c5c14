"""One redaction for everything that support or IT gets to see (`workbench check`, the log files,
"Diagnose kopiëren"): a password in a database or portal address never shows.

Addresses are recognised by their form (`scheme://user:password@host`, `password=...` in a
query or connection string), so also in a library's message or an old log line; the settings'
own passwords are also blotted out wherever they stand alone."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from workbench.config import Settings

MASK = "***"
_USERINFO = re.compile(r"(?P<start>\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^:/?#\s]*):[^@\s]*@")
_KEY_VALUE = re.compile(r"(?i)(?P<key>\b(?:password|passwd|pwd)\s*=\s*)[^\s&;,'\")]+")
_SHORTEST_SECRET = 3  # shorter "passwords" would blot out ordinary words and digits


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every password in an address, and every one of `secrets`, replaced by ***."""
    text = _USERINFO.sub(lambda found: f"{found.group('start')}:{MASK}@", text)
    text = _KEY_VALUE.sub(lambda found: f"{found.group('key')}{MASK}", text)
    for secret in sorted({s for s in secrets if len(s) >= _SHORTEST_SECRET}, key=len,
                         reverse=True):
        text = text.replace(secret, MASK)
    return text


def url_passwords(url: str) -> list[str]:
    """The password in an address, as written and decoded (%40 is @); none if it has none."""
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    found = re.findall(r"(?i)\b(?:password|passwd|pwd)\s*=\s*([^\s&;,'\")]+)", url)
    if password:
        found.append(password)
    return sorted({variant for value in found for variant in (value, unquote(value))})


def settings_secrets(settings: Settings) -> list[str]:
    """The passwords in the settings' database and portal addresses."""
    return url_passwords(settings.database_url) + url_passwords(settings.portal_url)


def redact_for(settings: Settings, text: str) -> str:
    return redact(text, settings_secrets(settings))
