"""How a pull pages through the portal's answers: which pages it has seen (every pull ends),
where the cursor may move (never past the portal's own time), and the bundle's entries."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from workbench.services import fhir
from workbench.services.fhir import ContractViolation


class PageTracker:
    """Every pull ends: a request or a page seen before in this pull means the portal loops
    (a next link to itself, an `_offset` it ignores); a cap bounds the pages of one pull."""

    def __init__(self, max_pages: int) -> None:
        self._max_pages = max_pages
        self._requests: set[str] = set()
        self._pages: set[str] = set()

    def request_seen(self, url: str, params: Any) -> bool:
        key = json.dumps([url, [list(p) for p in params] if params else None], default=str)
        if key in self._requests:
            return True
        self._requests.add(key)
        return False

    def page_seen(self, resources: list[Any]) -> bool:
        if not resources:
            return False
        key = hashlib.sha256(json.dumps(
            [fhir.resource_identity(r) for r in resources]).encode()).hexdigest()
        if key in self._pages:
            return True
        self._pages.add(key)
        return False

    def at_cap(self, pages: int) -> bool:
        return pages >= self._max_pages


def entries(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    entries = bundle.get("entry") or []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("resource"), dict)]


def mode(entry: dict[str, Any]) -> str:
    search = entry.get("search")
    return search.get("mode", "match") if isinstance(search, dict) else "match"


def last_updated(resource: Any) -> tuple[str, datetime] | None:
    """The resource's meta.lastUpdated as sent (the cursor is echoed back verbatim) and parsed."""
    meta = resource.get("meta") if isinstance(resource, dict) else None
    value = meta.get("lastUpdated") if isinstance(meta, dict) else None
    try:
        return value, fhir.parse_instant(value, "lastUpdated")
    except ContractViolation:
        return None


def instant(value: str) -> datetime:
    return fhir.parse_instant(value, "cursor")


def minus(cursor: str | None, delta: timedelta) -> str | None:
    if cursor is None:
        return None
    return (instant(cursor) - delta).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def page_cursor(matches: list[Any], horizon: datetime) -> tuple[str | None, set[str]]:
    """The page's newest lastUpdated not after `horizon` (as sent: the cursor is echoed back
    verbatim), and the ids of resources dated after it."""
    cursor, newest, future = None, None, set()
    for resource in matches:
        stamp = last_updated(resource)
        if stamp is None:
            continue
        if stamp[1] > horizon:
            future.add(fhir.resource_identity(resource)[1])
        elif newest is None or stamp[1] > newest:
            cursor, newest = stamp
    return cursor, future
