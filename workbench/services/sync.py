"""Incremental, idempotent pull of the e-consult inbox from the portal into the store.

A patient's message always reaches a person: what is about the patient is imported and
flagged; what cannot be shown at all is quarantined with its reason, shown in "Niet verwerkt"
and tried again on every pull; one bad resource never stops a pull, and every pull ends."""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, func, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from workbench.services import fhir
from workbench.services import sync_pages as pages
from workbench.services.advice import AdviceService, AdviceWorker
from workbench.services.collector import collector_paused
from workbench.services.fhir import ContractViolation, ParsedCommunication
from workbench.services.portal_client import (
    PortalAnswer,
    PortalClient,
    PortalError,
    RequestDeadlineExceeded,
    ResponseTooLarge,
    ResponseUnreadable,
    next_link,
)
from workbench.services.pull_lock import PULL_LOCK_KEY, pull_holder
from workbench.services.sync_attachments import AttachmentFetcher
from workbench.services.sync_directory import pull_directory
from workbench.services.sync_pages import PageTracker, ShiftWatch
from workbench.services.sync_quarantine import (
    quarantine_row,
    resolve_stored,
    unreadable_page_row,
    write_rows,
)
from workbench.services.sync_reader import PULL_ENDING, Page, PortalReader
from workbench.services.sync_references import References
from workbench.services.sync_rows import (
    among,
    dialect_insert,
)
from workbench.services.sync_writer import PageWriter
from workbench.services.urgency import UrgencyAdvisor, default_advisor
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    Message,
    QuarantinedResource,
    QuarantineState,
    SyncCursor,
)

log = logging.getLogger(__name__)

ECONSULT_CATEGORY = f"{fhir.ECONSULT_SYSTEM}|{fhir.ECONSULT_CODE}"
INCLUDES = ("Communication:subject", "Communication:sender", "Communication:recipient")
MAX_THREAD_DEPTH = 20
# Each pull reads again a little before its cursor: resources committed on the portal just
# before the last pull ended, with an earlier lastUpdated, still come in (idempotence makes it
# free).
CURSOR_OVERLAP = timedelta(minutes=5)
# Clocks a little apart are not "the future"; beyond this a resource's lastUpdated is.
CLOCK_TOLERANCE = timedelta(minutes=5)
# Pages asked at once where the portal pages by `_offset` (see sync_pages.OffsetPaging): with
# 50 ms to the portal, eight keep the pull busy on small pages.
PAGES_IN_FLIGHT = 8
# ... and no more resources than this in pages asked ahead: each page thread parses a whole
# JSON body at once, and large pages on many threads grow the C heap with the pull (per-thread
# arenas) though Python's own objects stay flat. 2,000 keeps eight pages of 20 (the latency
# case) but four of 500 (the bulk pull), which fetch as fast as eight there.
RESOURCES_IN_FLIGHT = 2000
# Pages that are already here when the one before is to be stored are stored with it, in one
# transaction, up to this many e-consult messages: a page's writing costs a fixed 10-20 ms
# besides its rows, which on small pages (a portal that gives 20 at a time) is most of the
# pull. Never more than this, so a failed batch stored one by one stays short.
STORE_TOGETHER = 500
RETRIES_PER_PULL = 200  # quarantined messages read again per pull, oldest attempt first

_MESSAGE = Message.__table__
_QUARANTINE = QuarantinedResource.__table__
_CURSOR = SyncCursor.__table__


@dataclass
class SyncResult:
    """What one run did; `errors` hold ids and kinds of failure, never medical content."""

    fetched: int = 0
    created: int = 0
    updated: int = 0
    econsults_created: int = 0
    attachments: int = 0
    quarantined: int = 0  # newly put in quarantine by this pull
    resolved: int = 0  # quarantined earlier, stored by this pull
    quarantined_open: int = 0  # waiting in "Niet verwerkt" after this pull
    future_dated: int = 0  # stored, but dated after the portal's own time
    advised: int = 0  # patient messages the urgency advice looked at
    pages: int = 0
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    # Why the pull stopped before the end ("page_cap", "loop", "deadline"); the rest comes
    # with the next pull.
    incomplete: list[str] = field(default_factory=list)
    seconds: float = 0.0
    seconds_messages: float = 0.0
    seconds_attachments: float = 0.0
    # From the end of the messages to the last message advised (the advice runs beside).
    seconds_advice_after_messages: float = 0.0
    seconds_advising: float = 0.0  # spent in the advice (reading, the pipeline, writing)
    skipped: bool = False  # another workstation was pulling into the shared database
    # The workstation that was pulling then ("" when its connection did not say; None when
    # this run pulled itself).
    pulling_elsewhere: str | None = None

    @property
    def ok(self) -> bool:
        """Nothing failed, nothing is left for later and nothing waits in quarantine."""
        return not self.errors and not self.incomplete and not self.quarantined_open

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"ok": self.ok}


@dataclass(frozen=True)
class SyncProgress:
    phase: str  # "directory", "messages", "retries", "attachments"
    pages: int
    fetched: int
    done: int = 0
    total: int = 0


class SyncService:
    """One pull: the practice directory, then Communications page by page (one transaction
    per page, cursor in the same transaction), then what waits in quarantine, then pending
    attachments in parallel."""

    def __init__(self, client: PortalClient, engine: Engine, blobs: BlobStore, *,
                 page_size: int = 200, workers: int = 4,
                 max_attachment_bytes: int = 50 * 1024 * 1024, max_pages: int = 500,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 advisor: UrgencyAdvisor | None = None,
                 advisor_factory: Callable[[], UrgencyAdvisor] | None = None,
                 pages_in_flight: int = PAGES_IN_FLIGHT) -> None:
        self._client = client
        # Built on the advice worker when first needed: the pull does not wait for it.
        self._advisor_factory: Callable[[], UrgencyAdvisor] = advisor_factory or (
            (lambda: advisor) if advisor is not None else default_advisor)
        self._write_lock = threading.Lock()
        self._engine = engine
        self._blobs = blobs
        self._page_size = max(1, page_size)
        self._max_pages = max(1, max_pages)
        self._workers = max(1, workers)
        self._pages_in_flight = max(1, pages_in_flight)
        self._max_attachment_bytes = max_attachment_bytes
        self._clock = clock
        self._cursor_name = f"Communication@{client.base_url}"
        self._writer = PageWriter(clock)
        self._reader = PortalReader(client, engine)
        # Set once a request ran out of its deadline: a portal that slow gets no more requests
        # in this pull (each would wait as long), and the pull says it did not finish.
        self._too_slow = self._reader.too_slow
        self._may_resolve = True  # see run()

    # -- the run ----------------------------------------------------------------------------
    def run(self, progress: Callable[[SyncProgress], None] | None = None,
            should_stop: Callable[[], bool] = lambda: False) -> SyncResult:
        started = time.perf_counter()
        result = SyncResult()
        report = progress or (lambda _p: None)
        self._reset_caches()
        self._too_slow.clear()
        # Nothing of these kinds waits in quarantine: no page needs to look for it (three
        # statements a page saved). Set again as soon as this pull quarantines something.
        self._may_resolve = self._count_open_quarantine(
            ("Communication", "Patient", "RelatedPerson")) > 0
        with self._single_puller() as have_lock:
            if not have_lock:
                # Another workstation is pulling into the shared database right now.
                result.skipped = True
                result.pulling_elsewhere = self._pulling_elsewhere
                result.quarantined_open = self._count_open_quarantine()
                return result
            with ThreadPoolExecutor(self._workers, thread_name_prefix="portal") as pool:
                self._pool = self._reader.pool = pool
                report(SyncProgress("directory", 0, 0))
                pull_directory(self._client, self._engine, self._writer, result,
                               read_many=self._reader.read_many,
                               write_quarantine=self._write_quarantine)
                messages_started = time.perf_counter()
                self._advice = AdviceWorker(AdviceService(
                    self._engine, self._advisor_factory, self._write_lock), should_stop).start()
                try:
                    self._pull_messages(result, report, should_stop)
                    if not should_stop() and not self._too_slow.is_set():
                        report(SyncProgress("retries", result.pages, result.fetched))
                        self._retry_quarantined(result)
                finally:
                    self._advice.finishing()  # it advises the rest while photos come in
                attachments_started = time.perf_counter()
                if not should_stop() and not self._too_slow.is_set():
                    AttachmentFetcher(
                        self._engine, self._blobs, self._client, pool, clock=self._clock,
                        max_bytes=self._max_attachment_bytes, too_slow=self._too_slow,
                        write_quarantine=self._write_quarantine,
                        flag_problems=self._writer.flag_problems,
                    ).fetch(result, lambda done, total: report(SyncProgress(
                        "attachments", result.pages, result.fetched, done, total)))
                attachments_done = time.perf_counter()
                self._finish_advice(result, report, attachments_started)
        if self._too_slow.is_set() and "deadline" not in result.incomplete:
            result.incomplete.append("deadline")
        self._checkpoint()
        result.quarantined_open = self._count_open_quarantine()
        finished = time.perf_counter()
        result.seconds = round(finished - started, 3)
        result.seconds_messages = round(attachments_started - messages_started, 3)
        result.seconds_attachments = round(attachments_done - attachments_started, 3)
        log.info("sync done: %s", {k: v for k, v in result.as_dict().items() if k != "errors"})
        return result

    def _finish_advice(self, result: SyncResult, report: Callable[[SyncProgress], None],
                       messages_done: float) -> None:
        report(SyncProgress("advice", result.pages, result.fetched))
        self._advice.join()
        result.advised = self._advice.advised
        result.seconds_advising = round(self._advice.seconds_advising, 3)
        if self._advice.done_at is not None:
            result.seconds_advice_after_messages = round(
                max(0.0, self._advice.done_at - messages_done), 3)
        if self._advice.failure is not None:
            # The messages stay marked unadvised: the next pull advises them.
            result.errors.append(f"urgency advice: {type(self._advice.failure).__name__}")

    def _reset_caches(self) -> None:
        self._writer.reset()

    def _count_open_quarantine(self, kinds: tuple[str, ...] | None = None) -> int:
        with self._engine.connect() as connection:
            query = select(func.count()).select_from(_QUARANTINE).where(
                _QUARANTINE.c.state == QuarantineState.OPEN.value)
            if kinds is not None:
                query = query.where(_QUARANTINE.c.resource_type.in_(kinds))
            return connection.scalar(query) or 0

    def _checkpoint(self) -> None:
        """SQLite: fold the write-ahead log back into the database after a pull, so the next
        start does not have to read a large log first."""
        if self._engine.dialect.name == "sqlite":
            with self._engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    @contextmanager
    def _single_puller(self) -> Iterator[bool]:
        """On PostgreSQL, one workstation pulls at a time (a session advisory lock); SQLite
        serialises writers by itself. Without the lock, `_pulling_elsewhere` names who has it."""
        self._pulling_elsewhere: str | None = None
        if self._engine.dialect.name != "postgresql":
            yield True
            return
        with self._engine.connect() as connection:
            key = text("SELECT pg_try_advisory_lock(:key)")
            have_lock = False
            for _try in range(2):
                have_lock = bool(connection.execute(key, {"key": PULL_LOCK_KEY}).scalar())
                if not have_lock:
                    self._pulling_elsewhere = pull_holder(connection)
                connection.commit()
                if have_lock or self._pulling_elsewhere is not None:
                    break
                # Nobody holds it any more: that pull ended just now, so try once more.
            try:
                yield have_lock
            finally:
                if have_lock:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                       {"key": PULL_LOCK_KEY})
                    connection.commit()

    def _search_params(self, since: str | None, offset: int, count: int
                       ) -> list[tuple[str, Any]]:
        params: list[tuple[str, Any]] = [("category", ECONSULT_CATEGORY)]
        if since:
            # ge, not gt: resources sharing the cursor's instant may straddle two pages;
            # what we already have is recognised by id and version.
            params.append(("_lastUpdated", f"ge{since}"))
        params += [("_sort", "_lastUpdated"), ("_count", count)]
        params += [("_include", include) for include in INCLUDES]
        if offset:
            params.append(("_offset", offset))
        return params

    def _pull_messages(self, result: SyncResult, report: Callable[[SyncProgress], None],
                       should_stop: Callable[[], bool]) -> None:
        """Pages of e-consults, by the portal's next links where it gives them, otherwise by
        our own `_lastUpdated` cursor. Every pull ends (see _PageTracker); a page too large or
        unreadable is asked again in smaller pages, down to a single resource. Where the
        portal pages by `_offset`, several pages are asked at once; they are stored, and the
        cursor moved, strictly in order, so it never passes a page not yet committed."""
        cursor = self._load_cursor()
        since = pages.minus(cursor, CURSOR_OVERLAP)  # what our own requests ask from
        offset, count = 0, self._page_size
        follow_links = True
        tracker = PageTracker(self._max_pages)
        request: tuple[str, Any] = ("Communication", self._search_params(since, offset, count))
        # Next-link pages asked already, in page order: the first is the next link's own page,
        # the others were asked ahead by offset.
        ahead: deque[tuple[str, Future[Page]]] = deque()

        # Pages read and not yet stored: stored together once the next is not here yet.
        held: list[_HeldPage] = []
        # Whether the list moved under the walk by links; then it is read again by time, once.
        watch, walk_from, read_again = ShiftWatch(), since, False

        def drop_ahead() -> None:
            for _link, future in ahead:
                future.cancel()
            ahead.clear()

        def store_held() -> str | None:
            nonlocal cursor
            page_cursor = self._store_held(held, result, report)
            if page_cursor is not None and (
                    cursor is None or pages.instant(page_cursor) > pages.instant(cursor)):
                cursor = page_cursor
            return page_cursor

        page_pool = ThreadPoolExecutor(self._pages_in_flight, thread_name_prefix="pages")
        try:
            while not should_stop():
                if self._too_slow.is_set():
                    break  # a read of this pull ran out of time: the rest comes next pull
                if tracker.at_cap(result.pages):
                    result.incomplete.append("page_cap")
                    break
                url, params = request
                prefetched = ahead.popleft()[1] if ahead and params is None \
                    and ahead[0][0] == url else None
                if prefetched is None:
                    drop_ahead()
                    if tracker.request_seen(url, params):
                        result.incomplete.append("loop")
                        break
                try:
                    result.requests += 1
                    waiting = prefetched is None or not prefetched.done()
                    self._advice.waiting_for_portal(waiting)
                    try:
                        page = prefetched.result() if prefetched else Page(
                            self._client.get_answer(url, params), None)
                    finally:
                        self._advice.waiting_for_portal(False)
                except (ResponseTooLarge, ResponseUnreadable) as exc:
                    drop_ahead()
                    store_held()  # the cursor asked from below is past them
                    result.pages += 1  # a page read, if not stored: it counts toward the cap
                    if url != "Communication":
                        # A next link: go on from our own cursor, paging ourselves from here on.
                        since, offset, follow_links = cursor, 0, False
                    if count > 1:
                        # Ask again from our own cursor in smaller pages.
                        count = max(1, count // 2)
                    else:
                        # One resource alone cannot be read: note it where people see it, go on.
                        result.quarantined += self._quarantine_now(
                            unreadable_page_row(since, offset, exc), transient=False)
                        offset += 1
                    request = ("Communication", self._search_params(since, offset, count))
                    continue
                except RequestDeadlineExceeded:
                    self._too_slow.set()
                    break
                answer = page.answer
                bundle = answer.body
                entries = pages.entries(bundle)
                matches = [e["resource"] for e in entries if pages.mode(e) != "include"]
                includes = [e["resource"] for e in entries if pages.mode(e) == "include"]
                if tracker.page_seen(matches):
                    # The same resources again: by a next link or past an offset the portal
                    # loops or ignores `_offset`; by our own moved cursor it has nothing newer,
                    # unless the page is full of one instant (then the offset steps below).
                    if url != "Communication" or offset:
                        result.incomplete.append("loop")
                        break
                    if len(matches) < count:
                        break
                next_url = next_link(bundle) if follow_links else None
                if next_url and not (ahead and pages.same_request(ahead[0][0], next_url)):
                    # Not the page asked ahead (or none was): follow the portal's own link.
                    drop_ahead()
                    if tracker.request_seen(next_url, None):
                        result.incomplete.append("loop")
                        break
                    # Fetched while this page is written: network and database work at once.
                    ahead.append((next_url, page_pool.submit(self._reader.fetch_page,
                                                             next_url)))
                elif not next_url:
                    drop_ahead()
                if ahead:
                    self._ask_ahead(page_pool, ahead, url, params, ahead[0][0], len(matches),
                                    bundle.get("total"), self._max_pages - result.pages - 1)
                result.fetched += len(matches) + len(includes)
                result.pages += 1
                horizon = self._horizon(bundle, answer)
                if follow_links:
                    watch.page(matches, horizon - CLOCK_TOLERANCE, bundle.get("total"),
                               by_link=url != "Communication")
                held.append(_HeldPage(page, matches, includes, horizon))
                asked, count = count, min(self._page_size, count * 2)  # back to full pages
                if next_url:
                    request = (ahead[0][0], None)
                    following = ahead[0][1]
                    if following.done() and following.exception() is None and \
                            sum(len(h.matches) for h in held) < STORE_TOGETHER:
                        continue  # the next page is here, and whole: stored with this one
                    store_held()  # while the next page is on its way
                    continue
                # No next link: advance our own cursor while pages bring news.
                page_cursor = store_held()
                if follow_links and not read_again and watch.may_have_skipped():
                    # What moved up across a page's edge was not read: read the list again by
                    # time from where this pull began (what is stored already costs no write).
                    log.info("the portal's list changed during the pull: read again by time")
                    read_again, follow_links = True, False
                    since, offset = walk_from, 0
                    tracker = PageTracker(self._max_pages)  # the same requests, not a loop
                    request = ("Communication", self._search_params(since, offset, count))
                    continue
                if page_cursor is None:
                    break
                if since is None or pages.instant(page_cursor) > pages.instant(since):
                    since, offset = page_cursor, 0
                elif len(matches) >= asked:
                    offset += len(matches)  # a full page of one instant: step over it
                else:
                    break
                request = ("Communication", self._search_params(since, offset, count))
            store_held()  # pages read before the pull ended here
        finally:
            drop_ahead()
            page_pool.shutdown(wait=False, cancel_futures=True)
            self._reader.forget_pages()

    def _store_held(self, held: list[_HeldPage], result: SyncResult,
                    report: Callable[[SyncProgress], None]) -> str | None:
        """Store the pages read and not yet stored, as one batch (emptying `held`); returns
        their cursor."""
        if not held:
            return None
        matches = [resource for page in held for resource in page.matches]
        includes = [resource for page in held for resource in page.includes]
        self._reader.pages_at_hand = [page.page for page in held]
        try:
            # The newest page's horizon: the portal's clock only moved on between them.
            page_cursor = self._store_page(matches, includes, result, held[-1].horizon)
        finally:
            self._reader.pages_at_hand = []
            held.clear()
            self._reader.stored(matches)
        report(SyncProgress("messages", result.pages, result.fetched))
        return page_cursor

    def _ask_ahead(self, pool: ThreadPoolExecutor,
                   ahead: deque[tuple[str, Future[Page]]], url: str, params: Any,
                   next_url: str, matches: int, total: Any, room: int) -> None:
        """Keep up to `pages_in_flight` pages (and RESOURCES_IN_FLIGHT resources) in flight
        where the portal pages by offset (its next link steps over exactly this page); `room`
        is what the page cap still allows."""
        paging = pages.OffsetPaging.detect(url, params, next_url, matches, total)
        by_size = max(1, RESOURCES_IN_FLIGHT // max(1, matches))
        wanted = min(self._pages_in_flight, by_size, room) - len(ahead)
        if paging is None or wanted <= 0:
            return
        known = len(ahead) - 1  # pages asked already after the next link's own page
        for link in paging.after(known + wanted)[known:]:
            ahead.append((link, pool.submit(self._reader.fetch_page, link)))

    def _horizon(self, bundle: dict[str, Any], answer: PortalAnswer) -> datetime:
        """The latest time the cursor may take: when the portal says it answered (the Bundle's
        meta.lastUpdated, else its Date header), and never past our own clock by more than
        the tolerance. A resource dated after this is stored but not used as cursor."""
        portal_time = pages.last_updated(bundle)
        when = portal_time[1] if portal_time else answer.server_time
        now = self._clock()
        if when is None or when > now + CLOCK_TOLERANCE:
            when = now
        return when + CLOCK_TOLERANCE

    # -- one page ---------------------------------------------------------------------------
    def _store_page(self, matches: list[Any], includes: list[Any], result: SyncResult,
                    horizon: datetime | None = None, *, move_cursor: bool = True) -> str | None:
        """Write one page as a batch, with the new cursor in the same transaction; when the
        batch fails, each resource is written on its own, stored or quarantined by itself, so
        the rest of the page lands and the cursor moves. Returns the page's cursor: its newest
        lastUpdated that is not in the future."""
        page_cursor, future = pages.page_cursor(matches, horizon or self._clock() + CLOCK_TOLERANCE)
        if not move_cursor:
            page_cursor = None
        before = _Counts.of(result)
        try:
            self._store_batch(matches, includes, result, future, page_cursor)
            return page_cursor
        except PULL_ENDING:
            raise
        except Exception as exc:  # noqa: BLE001 - one bad resource never stops a pull
            before.restore(result)
            self._reset_caches()
            log.warning("page of %d resources not stored as a batch (%s); storing one by one",
                        len(matches), _kind(exc))
        for resource in matches:
            before = _Counts.of(result)
            try:
                self._store_batch([resource], includes, result, future, None)
            except PULL_ENDING:
                raise
            except Exception as exc:  # noqa: BLE001
                before.restore(result)
                self._reset_caches()
                _log_store_failure(resource, exc)
                result.quarantined += self._quarantine_now(quarantine_row(
                    resource, f"could not be stored: {_kind(exc)}"), transient=False)
        if page_cursor is not None:
            with self._engine.begin() as connection:
                self._save_cursor(connection, page_cursor)
        return page_cursor

    def _store_batch(self, matches: list[Any], includes: list[Any], result: SyncResult,
                     future: set[str], page_cursor: str | None) -> None:
        """Parse, resolve references and write resources in one transaction."""
        # The page's parsed resources and rows live until it is written: collections would
        # only walk them again and again.
        with collector_paused():
            self._parse_and_write(matches, includes, result, future, page_cursor)

    def _parse_and_write(self, matches: list[Any], includes: list[Any], result: SyncResult,
                         future: set[str], page_cursor: str | None) -> None:
        quarantine: list[dict[str, Any]] = []
        references = References(self._writer.stored_versions)
        for resource in includes:
            references.add(resource, quarantine)
        parsed: list[ParsedCommunication] = []
        for resource in matches:
            try:
                parsed.append(fhir.parse_communication(resource))
            except ContractViolation as exc:
                quarantine.append(quarantine_row(resource, str(exc)))
        parsed = list({c.portal_id: c for c in parsed}.values())  # one version per id
        with self._engine.connect() as connection:
            parsed = self._add_missing_parents(connection, parsed, quarantine, result)
            self._fetch_missing_references(connection, parsed, references, quarantine, result)
        parsed = self._drop_unresolvable(parsed, references, quarantine)
        inline, refused = self._store_inline_attachments(parsed)
        # Written without a flush each: one flush for the page's files, before any row that
        # names them commits.
        self._blobs.sync(sha256 for sha256, _size in inline.values())
        for communication in parsed:
            if communication.portal_id in future:
                result.future_dated += 1
                log.warning("Communication/%s is dated after the portal's own time",
                            communication.portal_id)

        with self._write_lock, self._engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # A page's commit need not wait for the disk: the portal keeps the page and
                # the cursor is in the same transaction, so a page a server crash loses is
                # simply pulled again; whatever a person then does commits durably, which
                # flushes the pages before it too.
                connection.exec_driver_sql("SET LOCAL synchronous_commit = off")
            self._writer.upsert_references(connection, references)
            stored = self._writer.write_communications(connection, parsed, inline, refused,
                                                       future, quarantine, result)
            result.quarantined += self._write_quarantine(connection, quarantine)
            result.resolved += self._resolve_quarantine(connection, references, stored)
            if page_cursor is not None:
                self._save_cursor(connection, page_cursor)
        references.mark_stored()

    def _add_missing_parents(self, connection: Connection, parsed: list[ParsedCommunication],
                             quarantine: list[dict[str, Any]], result: SyncResult
                             ) -> list[ParsedCommunication]:
        """Fetch the Communications that replies answer but that we have not seen yet."""
        known = {c.portal_id for c in parsed}
        for _depth in range(MAX_THREAD_DEPTH):
            wanted = {c.in_response_to for c in parsed
                      if c.in_response_to and c.in_response_to not in known}
            if not wanted:
                break
            known |= wanted
            wanted -= set(connection.scalars(select(_MESSAGE.c.portal_id).where(
                among(connection, _MESSAGE.c.portal_id, wanted))))
            if not wanted:
                break
            # In a page asked ahead, or read beside the pages already (see fetch_page); the
            # rest now.
            fetched = self._reader.parents_at_hand(wanted)
            result.fetched += len(fetched)
            fetched |= self._reader.read_many("Communication", sorted(wanted - set(fetched)),
                                              result)
            for portal_id in sorted(wanted):
                resource = fetched.get(portal_id)
                if resource is None:
                    continue
                try:
                    parsed.append(fhir.parse_communication(resource))
                except ContractViolation as exc:
                    quarantine.append(quarantine_row(resource, str(exc)))
        return parsed

    def _fetch_missing_references(self, connection: Connection,
                                  parsed: list[ParsedCommunication], references: References,
                                  quarantine: list[dict[str, Any]], result: SyncResult) -> None:
        """Read by id what the server did not include (it may ignore _include)."""
        for _round in range(2):  # a RelatedPerson may bring its Patient
            needed: dict[str, set[str]] = {"Patient": set(), "RelatedPerson": set(),
                                           "Practitioner": set()}
            for communication in parsed:
                for ref in (communication.subject, communication.sender):
                    needed[ref.resource_type].add(ref.id)
            for related in references.related.values():
                needed["Patient"].add(related.patient.id)
            for resource_type, ids in needed.items():
                ids -= references.ids(resource_type)
                ids -= self._writer.known_ids(connection, resource_type, ids)
                found = self._reader.read_many(resource_type, sorted(ids), result)
                for resource in found.values():
                    references.add(resource, quarantine)
                # Not on the portal now (a 404, an error): the messages that point to it are
                # quarantined and tried again on the next pull (replica lag passes).
                for missing in ids - set(found):
                    references.mark_unavailable(resource_type, missing, transient=True)

    def _drop_unresolvable(self, parsed: list[ParsedCommunication], references: References,
                           quarantine: list[dict[str, Any]]) -> list[ParsedCommunication]:
        """Messages whose patient or writing patient/parent cannot be read are quarantined.
        A practitioner who wrote need not be in the portal's directory: the message is
        stored with the practitioner's id alone."""
        kept = []
        for communication in parsed:
            missing = [ref for ref in (communication.subject, communication.sender)
                       if ref.resource_type != "Practitioner"
                       and references.is_unavailable(ref.resource_type, ref.id)]
            if missing:
                quarantine.append(quarantine_row(
                    communication.raw,
                    f"referenced {', '.join(map(str, missing))} could not be read from the "
                    "portal", transient=any(references.is_transient(ref.resource_type, ref.id)
                                            for ref in missing)))
            else:
                kept.append(communication)
        return kept

    def _store_inline_attachments(self, parsed: list[ParsedCommunication]
                                  ) -> tuple[dict[tuple[str, int], tuple[str, int]],
                                             dict[tuple[str, int], str]]:
        """Decode, check and store inline attachments on the worker threads. An attachment
        that is broken or too large is refused on its own; its message is stored. Returns
        (message id, position) -> (sha256, size), and -> reason for the refused ones."""
        stored: dict[tuple[str, int], tuple[str, int]] = {}
        refused: dict[tuple[str, int], str] = {}
        jobs = {}
        for communication in parsed:
            for attachment in communication.attachments:
                key = (communication.portal_id, attachment.position)
                problem = getattr(attachment, "error", None)
                if problem:
                    refused[key] = problem
                elif attachment.data_base64 is not None:
                    # base64 is 4 characters per 3 bytes: too large is known before decoding.
                    if len(attachment.data_base64) * 3 // 4 > self._max_attachment_bytes + 2:
                        refused[key] = f"larger than {self._max_attachment_bytes} bytes"
                    else:
                        jobs[key] = self._pool.submit(self._store_inline, attachment)
        for key, job in jobs.items():
            try:
                stored[key] = job.result()
            except ContractViolation as exc:
                refused[key] = str(exc)
        return stored, refused

    def _store_inline(self, attachment: fhir.ParsedAttachment) -> tuple[str, int]:
        data = fhir.decode_inline(attachment)
        return self._blobs.put(data, durable=False), len(data)  # synced per page by the caller

    def _write_quarantine(self, connection: Connection, rows: list[dict[str, Any]]) -> int:
        """Store quarantine rows (see sync_quarantine.write_rows); returns how many are new."""
        if rows:
            self._may_resolve = True
        return write_rows(connection, rows, self._clock())

    def _quarantine_now(self, row: dict[str, Any], *, transient: bool) -> int:
        """A quarantine row in its own transaction (when the page's own failed)."""
        row["transient"] = row.get("transient") or transient
        with self._engine.begin() as connection:
            return self._write_quarantine(connection, [row])

    def _resolve_quarantine(self, connection: Connection, references: References,
                            stored_messages: set[str]) -> int:
        """Quarantined resources that this pull stored after all leave "Niet verwerkt"."""
        if not self._may_resolve:
            return 0
        return resolve_stored(connection, {"Communication": stored_messages,
                                           "Patient": set(references.patients),
                                           "RelatedPerson": set(references.related)},
                              self._clock())

    def _retry_quarantined(self, result: SyncResult) -> None:
        """Quarantined messages are read again on every pull, until they are stored or a
        person marks them handled: a patient that answered 404 once may be readable now, a
        resource fixed on the portal comes in."""
        with self._engine.connect() as connection:
            rows = connection.execute(select(_QUARANTINE.c.id, _QUARANTINE.c.portal_id).where(
                _QUARANTINE.c.state == QuarantineState.OPEN.value,
                _QUARANTINE.c.resource_type == "Communication",
                _QUARANTINE.c.portal_id != "").order_by(
                _QUARANTINE.c.last_attempt_at).limit(RETRIES_PER_PULL)).all()
        if not rows:
            return
        ids = sorted({row.portal_id for row in rows})
        found = self._reader.read_many("Communication", ids, result)
        for start in range(0, len(ids), self._page_size):
            chunk = [found[pid] for pid in ids[start:start + self._page_size] if pid in found]
            if chunk:
                self._store_page(chunk, [], result, move_cursor=False)
        gone = [row.id for row in rows if row.portal_id not in found]
        if gone:
            # Not readable now: counted as an attempt, tried again next pull.
            with self._engine.begin() as connection:
                connection.execute(update(_QUARANTINE).where(_QUARANTINE.c.id.in_(gone)).values(
                    attempts=_QUARANTINE.c.attempts + 1, last_attempt_at=self._clock()))

    def _load_cursor(self) -> str | None:
        with self._engine.connect() as connection:
            return connection.scalar(select(_CURSOR.c.last_updated).where(
                _CURSOR.c.name == self._cursor_name))

    def _save_cursor(self, connection: Connection, value: str) -> None:
        statement = dialect_insert(connection, _CURSOR).values(
            name=self._cursor_name, last_updated=value, updated_at=self._clock())
        connection.execute(statement.on_conflict_do_update(
            index_elements=["name"], set_={"last_updated": value, "updated_at": self._clock()}))

class _HeldPage(NamedTuple):
    """A page read and not yet stored."""

    page: Page
    matches: list[Any]
    includes: list[Any]
    horizon: datetime


class _Counts(NamedTuple):
    """A result's counters, restored when a batch's transaction rolls back."""

    values: tuple[int, ...]
    errors: int

    _FIELDS = ("fetched", "created", "updated", "econsults_created", "attachments",
               "quarantined", "resolved", "future_dated")

    @classmethod
    def of(cls, result: SyncResult) -> _Counts:
        return cls(tuple(getattr(result, name) for name in cls._FIELDS), len(result.errors))

    def restore(self, result: SyncResult) -> None:
        for name, value in zip(self._FIELDS, self.values):
            setattr(result, name, value)
        del result.errors[self.errors:]


def _kind(exc: BaseException) -> str:
    """The kind of a failure for reasons and logs: its type, and the driver's for database
    errors; never the message, which may quote patient text."""
    orig = getattr(exc, "orig", None)
    return f"{type(exc).__name__} ({type(orig).__name__})" if orig is not None \
        else type(exc).__name__


def _log_store_failure(resource: Any, exc: BaseException) -> None:
    resource_type, portal_id, version = fhir.resource_identity(resource)
    if isinstance(exc, (SQLAlchemyError, PortalError)):
        log.warning("%s/%s version %s not stored: %s", resource_type, portal_id, version,
                    _kind(exc))
    else:
        # A bug: its traceback goes to the log (frames only, the message may quote data).
        log.error("%s/%s version %s not stored (a bug): %s\n%s", resource_type, portal_id,
                  version, _kind(exc), "".join(traceback.format_tb(exc.__traceback__)))
