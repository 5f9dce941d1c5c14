"""Reads of one pull beside its pages: a page by its link on a page thread (with the parents
its replies answer, read beside it), the Communications of pages asked ahead and not yet
stored, and resources by id. Every read stops once one ran out of its deadline (`too_slow`):
a portal that slow gets no more requests in this pull, and the pull says it did not finish."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import Any, NamedTuple

from sqlalchemy import Engine, select

from workbench.services import fhir
from workbench.services import sync_pages as pages
from workbench.services.fhir import ContractViolation
from workbench.services.portal_client import (
    CertificateNotTrusted,
    CredentialsRejected,
    PortalAnswer,
    PortalClient,
    PortalError,
    RequestDeadlineExceeded,
    ResourceNotFound,
)
from workbench.services.sync_rows import among
from workbench.store.models import Message

log = logging.getLogger(__name__)

_MESSAGE = Message.__table__
# Failures that end the pull: the portal is down or refuses us; nothing per resource helps.
PULL_ENDING = (CredentialsRejected, CertificateNotTrusted)


class Page(NamedTuple):
    answer: PortalAnswer
    # Portal id -> Communication the page's replies answer, being read ahead (see fetch_page).
    parents: Future[dict[str, Any]] | None


class PortalReader:
    """The reads of one pull besides its own page requests (services/sync.py)."""

    def __init__(self, client: PortalClient, engine: Engine) -> None:
        self._client = client
        self._engine = engine
        self.pool: ThreadPoolExecutor | None = None  # the pull's worker threads, per run
        self.too_slow = threading.Event()
        # The pages being stored (their parents read beside them), and the Communications of
        # the pages asked ahead and not stored yet, by id: a reply's parent in a later page
        # needs no read of its own.
        self.pages_at_hand: list[Page] = []
        self._in_flight: dict[str, Any] = {}
        self._in_flight_lock = threading.Lock()

    def stored(self, resources: Iterable[Any]) -> None:
        """These were stored: found in the store from here on."""
        with self._in_flight_lock:
            for resource in resources:
                self._in_flight.pop(resource.get("id"), None)

    def forget_pages(self) -> None:
        with self._in_flight_lock:
            self._in_flight.clear()

    def fetch_page(self, url: str) -> Page:
        """A page by its link, on a page thread, with the parents its replies answer that are
        neither in it nor stored: read here, beside the other pages, so that storing the page
        does not wait a round trip for them. Best effort: what is not read here the page's
        own look-up reads (see SyncService._add_missing_parents)."""
        answer = self._client.get_answer(url)
        with self._in_flight_lock:
            for entry in pages.entries(answer.body):
                resource = entry["resource"]
                if pages.mode(entry) != "include" and isinstance(resource.get("id"), str) \
                        and resource.get("resourceType") == "Communication":
                    self._in_flight[resource["id"]] = resource
        # On the other pool: this thread is free for the next page at once.
        return Page(answer, self.pool.submit(self._read_parents, answer.body))

    def parents_at_hand(self, wanted: set[str]) -> dict[str, Any]:
        """Those of `wanted` that a page asked ahead brought, or that were read beside the
        page being stored; the rest the caller reads."""
        with self._in_flight_lock:
            found = {pid: self._in_flight[pid] for pid in wanted if pid in self._in_flight}
        for page in self.pages_at_hand:
            if len(found) == len(wanted):
                break
            if page.parents is None:
                continue
            try:
                read = page.parents.result()
            except PULL_ENDING:
                raise
            except Exception as exc:  # noqa: BLE001 - the page itself is fine
                log.info("parents of a page not read ahead: %s", type(exc).__name__)
                continue
            found |= {pid: read[pid] for pid in wanted - set(found) if pid in read}
        return found

    def _read_parents(self, bundle: dict[str, Any]) -> dict[str, Any]:
        in_page, wanted = set(), set()
        for entry in pages.entries(bundle):
            resource = entry["resource"]
            if resource.get("resourceType") != "Communication":
                continue
            in_page.add(resource.get("id"))
            try:
                parent = fhir._in_response_to(resource.get("inResponseTo"))
            except ContractViolation:
                continue
            if parent:
                wanted.add(parent)
        wanted -= in_page
        with self._in_flight_lock:  # an earlier page is stored first; a later one has it
            wanted -= self._in_flight.keys()
        if not wanted or self.too_slow.is_set():
            return {}
        with self._engine.connect() as connection:
            wanted -= set(connection.scalars(select(_MESSAGE.c.portal_id).where(
                among(connection, _MESSAGE.c.portal_id, wanted))))
        found: dict[str, Any] = {}
        ids = sorted(wanted)
        for start in range(0, len(ids), 50):
            chunk = ids[start:start + 50]
            for entry in pages.entries(self._client.get_json(
                    "Communication", [("_id", ",".join(chunk)), ("_count", len(chunk))])):
                resource = entry["resource"]
                if resource.get("resourceType") == "Communication" and resource.get("id") in wanted:
                    found[resource["id"]] = resource
        return found

    def read_many(self, resource_type: str, ids: list[str], result: Any
                   ) -> dict[str, Any]:
        """Resources by id: a standard `_id` search per chunk, then single reads for whatever
        the search did not bring (a server may not support `_id`). What cannot be read now
        (404, errors, an answer about another resource) is left out; the caller decides."""
        found: dict[str, Any] = {}
        if self.too_slow.is_set():
            return found
        wanted = set(ids)
        chunks = [ids[start:start + 50] for start in range(0, len(ids), 50)]
        searches = [self.pool.submit(self._client.get_json, resource_type,
                                      [("_id", ",".join(chunk)), ("_count", len(chunk))])
                    for chunk in chunks]
        for search in searches:
            try:
                bundle = search.result()
            except PULL_ENDING:
                raise
            except RequestDeadlineExceeded:
                self.too_slow.set()
                continue
            except PortalError:
                continue  # single reads below
            for entry in pages.entries(bundle):
                resource = entry["resource"]
                rid = resource.get("id")
                if resource.get("resourceType") == resource_type and isinstance(rid, str) \
                        and rid in wanted:
                    found[rid] = resource
        reads = {self.pool.submit(self._read_unless_too_slow, resource_type, rid): rid
                 for rid in ids if rid not in found}
        for future in as_completed(reads):
            rid = reads[future]
            try:
                resource = future.result()
            except PULL_ENDING:
                raise
            except RequestDeadlineExceeded:
                self.too_slow.set()
                continue
            except PortalError as exc:
                if not isinstance(exc, ResourceNotFound):
                    log.info("read %s/%s failed: %s", resource_type, rid, type(exc).__name__)
                continue
            if resource.get("resourceType") == resource_type and resource.get("id") == rid:
                found[rid] = resource
            else:
                log.warning("read %s/%s answered another resource", resource_type, rid)
        result.fetched += len(found)
        return found

    def _read_unless_too_slow(self, resource_type: str, resource_id: str) -> dict[str, Any]:
        if self.too_slow.is_set():
            raise RequestDeadlineExceeded("not asked: the portal was too slow in this pull")
        return self._client.read(resource_type, resource_id)
