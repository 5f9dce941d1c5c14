"""How a pull pages through the portal's answers: which pages it has seen (every pull ends),
where the cursor may move (never past the portal's own time), and the bundle's entries."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from workbench.services import fhir
from workbench.services.fhir import ContractViolation


class ShiftWatch:
    """Paging by offset reads a list the portal keeps changing. A message updated (or taken
    away) during the pull leaves its place; those after it move up one, and the one that moves
    across the edge of a page already read is never read, nor in later pulls (it is older than
    the cursor). Such a shift may have happened when, in a walk that followed next links:
    a resource was changed after the first page was answered (a new one, version 1, only adds
    at the end); fewer resources came than the portal's `total` said; or the total dropped by
    more than the new ones read explain (one was taken off the list: deleted, or filed under
    another category, where the walk cannot see it). A portal that gives no total cannot show
    the last two: there a walk of more than one page is always read again."""

    def __init__(self) -> None:
        self.began: datetime | None = None  # the portal's time of the first page
        self.by_links = False
        self._ids: set[str] = set()
        self._first_total: int | None = None
        self._total: int | None = None
        self._new = 0  # created after the first page was answered: they add to the total
        self._changed = False

    def page(self, matches: list[Any], portal_time: datetime, total: Any, *,
             by_link: bool) -> None:
        if self.began is None:
            self.began = portal_time
        self.by_links = self.by_links or by_link
        # Totals of the walk's own list: its first page, and the pages its links led to
        # (a page asked by our cursor after the walk counts another list).
        if isinstance(total, int) and not isinstance(total, bool) and (
                by_link or self._first_total is None):
            if self._first_total is None:
                self._first_total = total
            self._total = total
        for resource in matches:
            rid = resource.get("id")
            # A portal may send an id of another type (a list, an object): not counted.
            seen = isinstance(rid, str) and rid in self._ids
            if isinstance(rid, str):
                self._ids.add(rid)
            stamp = last_updated(resource)
            if stamp is None or stamp[1] <= self.began:
                continue
            if resource["meta"].get("versionId") != "1":
                self._changed = True
            elif not seen:
                self._new += 1

    def may_have_skipped(self) -> bool:
        if not self.by_links:
            return False
        if self._changed:
            return True
        if self._total is None:
            return True  # a walk by links has two pages at least: they may have shifted
        taken_away = self._first_total + self._new > self._total
        return taken_away or len(self._ids) < self._total


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
        key = hashlib.sha256(repr([_identity(r) for r in resources]).encode()).hexdigest()
        if key in self._pages:
            return True
        self._pages.add(key)
        return False

    def at_cap(self, pages: int) -> bool:
        return pages >= self._max_pages


def _identity(resource: Any) -> tuple[Any, Any, Any]:
    """What tells pages apart (type, id, version), as sent: cheaper than cleaning it."""
    if not isinstance(resource, dict):
        return None, None, None
    meta = resource.get("meta")
    return (resource.get("resourceType"), resource.get("id"),
            meta.get("versionId") if isinstance(meta, dict) else None)


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


_OFFSET = re.compile(r"(?:^|&)_offset=(\d+)(?=&|$)")


def offset_of(url: str, params: Any) -> int | None:
    """The `_offset` a request asks for: from our own parameters, or from a link's query;
    0 when it names none, None when it cannot be read."""
    if params is not None:
        values = [value for name, value in params if name == "_offset"]
        try:
            return int(values[-1]) if values else 0
        except (TypeError, ValueError):
            return None
    found = _OFFSET.findall(urlsplit(url).query)
    return int(found[0]) if len(found) == 1 else (0 if not found else None)


class OffsetPaging:
    """A portal whose next link is the same search with `_offset` moved on by exactly the page
    it came with pages by offset: the pages after it can be asked before their links arrive.
    Every page asked ahead is used only when the portal's own next link turns out to name it
    (see `same_request`); otherwise it is dropped and the pull follows the link as usual."""

    def __init__(self, next_url: str, step: int, total: int | None) -> None:
        self._next_url = next_url
        self._step = step
        self._total = total

    @classmethod
    def detect(cls, url: str, params: Any, next_url: str, matches: int, total: Any
               ) -> OffsetPaging | None:
        current, following = offset_of(url, params), offset_of(next_url, None)
        if current is None or following is None or matches <= 0 \
                or following - current != matches or not _OFFSET.search(
                    urlsplit(next_url).query):
            return None
        return cls(next_url, matches, total if isinstance(total, int) else None)

    def after(self, pages: int) -> list[str]:
        """The links of the `pages` pages after the next link's page (fewer past the total)."""
        parts = urlsplit(self._next_url)
        start = int(_OFFSET.findall(parts.query)[0])
        links = []
        for index in range(1, pages + 1):
            offset = start + index * self._step
            if self._total is not None and offset >= self._total:
                break
            # Only the offset's digits change: the rest keeps the portal's own spelling.
            query = _OFFSET.sub(lambda m, o=offset: m.group(0)[:m.start(1) - m.start(0)] + str(o),
                                parts.query, count=1)
            links.append(urlunsplit(parts._replace(query=query)))
        return links


def same_request(a: str, b: str) -> bool:
    """Two links asking the same thing (the query compared as decoded pairs, in order)."""
    if a == b:
        return True
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.netloc.lower(), pa.path) == (pb.scheme, pb.netloc.lower(), pb.path) \
        and parse_qsl(pa.query, keep_blank_values=True) == parse_qsl(pb.query,
                                                                     keep_blank_values=True)
