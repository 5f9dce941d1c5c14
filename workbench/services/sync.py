"""Incremental, idempotent pull of the e-consult inbox from the portal into the store."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, bindparam, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from workbench.services import fhir
from workbench.services.fhir import ContractViolation, ParsedCommunication
from workbench.services.inbox import compute_sort_rank
from workbench.services.portal_client import (
    AttachmentTooLarge,
    PortalClient,
    PortalError,
    ResourceNotFound,
    next_link,
)
from workbench.services.urgency import UrgencyAdvisor, default_advisor
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    Attachment,
    AuthorKind,
    ConsultStatus,
    Direction,
    EConsult,
    Message,
    Patient,
    Practice,
    Practitioner,
    QuarantinedResource,
    RelatedPerson,
    SyncCursor,
)
from workbench.store.timeutil import as_utc

log = logging.getLogger(__name__)

ECONSULT_CATEGORY = f"{fhir.ECONSULT_SYSTEM}|{fhir.ECONSULT_CODE}"
INCLUDES = ("Communication:subject", "Communication:sender", "Communication:recipient")
MAX_ATTACHMENT_ATTEMPTS = 5
MAX_THREAD_DEPTH = 20
PULL_LOCK_KEY = 0x77_6F_72_6B  # advisory lock id shared by every workstation of a practice

_PATIENT = Patient.__table__
_RELATED = RelatedPerson.__table__
_PRACTITIONER = Practitioner.__table__
_PRACTICE = Practice.__table__
_ECONSULT = EConsult.__table__
_MESSAGE = Message.__table__
_ATTACHMENT = Attachment.__table__
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
    quarantined: int = 0
    pages: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    seconds_messages: float = 0.0
    seconds_attachments: float = 0.0
    skipped: bool = False  # another workstation was pulling into the shared database

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SyncProgress:
    phase: str  # "directory", "messages", "attachments"
    pages: int
    fetched: int
    done: int = 0
    total: int = 0


class SyncService:
    """One pull: the practice directory, then Communications page by page (one transaction
    per page, cursor in the same transaction), then pending attachments in parallel."""

    def __init__(self, client: PortalClient, engine: Engine, blobs: BlobStore, *,
                 page_size: int = 200, workers: int = 4,
                 max_attachment_bytes: int = 50 * 1024 * 1024,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 advisor: UrgencyAdvisor | None = None) -> None:
        self._client = client
        self._advisor = advisor or default_advisor()
        self._engine = engine
        self._blobs = blobs
        self._page_size = page_size
        self._workers = max(1, workers)
        self._max_attachment_bytes = max_attachment_bytes
        self._clock = clock
        self._cursor_name = f"Communication@{client.base_url}"
        self._ids: dict[str, dict[str, int]] = {}

    # -- the run ----------------------------------------------------------------------------
    def run(self, progress: Callable[[SyncProgress], None] | None = None,
            should_stop: Callable[[], bool] = lambda: False) -> SyncResult:
        started = time.perf_counter()
        result = SyncResult()
        report = progress or (lambda _p: None)
        self._ids = {"Patient": {}, "RelatedPerson": {}, "Practitioner": {}}
        self._stored_versions: dict[tuple[str, str], str] = {}
        with self._single_puller() as have_lock:
            if not have_lock:
                # Another workstation is pulling into the shared database right now.
                result.skipped = True
                return result
            with ThreadPoolExecutor(self._workers, thread_name_prefix="portal") as pool:
                self._pool = pool
                report(SyncProgress("directory", 0, 0))
                self._pull_directory(result)
                messages_started = time.perf_counter()
                self._pull_messages(result, report, should_stop)
                attachments_started = time.perf_counter()
                if not should_stop():
                    self._fetch_pending_attachments(result, report)
        self._checkpoint()
        finished = time.perf_counter()
        result.seconds = round(finished - started, 3)
        result.seconds_messages = round(attachments_started - messages_started, 3)
        result.seconds_attachments = round(finished - attachments_started, 3)
        log.info("sync done: %s", {k: v for k, v in result.as_dict().items() if k != "errors"})
        return result

    def _checkpoint(self) -> None:
        """SQLite: fold the write-ahead log back into the database after a pull, so the next
        start does not have to read a large log first."""
        if self._engine.dialect.name == "sqlite":
            with self._engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    @contextmanager
    def _single_puller(self) -> Iterator[bool]:
        """On PostgreSQL, one workstation pulls at a time (a session advisory lock); SQLite
        serialises writers by itself."""
        if self._engine.dialect.name != "postgresql":
            yield True
            return
        with self._engine.connect() as connection:
            key = text("SELECT pg_try_advisory_lock(:key)")
            have_lock = bool(connection.execute(key, {"key": PULL_LOCK_KEY}).scalar())
            connection.commit()
            try:
                yield have_lock
            finally:
                if have_lock:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                       {"key": PULL_LOCK_KEY})
                    connection.commit()

    def _search_params(self, cursor: str | None, offset: int) -> list[tuple[str, Any]]:
        params: list[tuple[str, Any]] = [("category", ECONSULT_CATEGORY)]
        if cursor:
            # ge, not gt: resources sharing the cursor's instant may straddle two pages;
            # what we already have is recognised by id and version.
            params.append(("_lastUpdated", f"ge{cursor}"))
        params += [("_sort", "_lastUpdated"), ("_count", self._page_size)]
        params += [("_include", include) for include in INCLUDES]
        if offset:
            params.append(("_offset", offset))
        return params

    def _pull_messages(self, result: SyncResult, report: Callable[[SyncProgress], None],
                       should_stop: Callable[[], bool]) -> None:
        cursor = self._load_cursor()
        offset = 0
        url: str = "Communication"
        params: list[tuple[str, Any]] | None = self._search_params(cursor, offset)
        prefetched: Future[dict[str, Any]] | None = None
        while not should_stop():
            bundle = prefetched.result() if prefetched else self._client.get_json(url, params)
            prefetched = None
            next_url = next_link(bundle)
            if next_url:
                # Fetch the next page while this one is written: the network and the
                # database then work at the same time.
                prefetched = self._pool.submit(self._client.get_json, next_url)
            matches = [e["resource"] for e in _entries(bundle) if _mode(e) != "include"]
            includes = [e["resource"] for e in _entries(bundle) if _mode(e) == "include"]
            result.fetched += len(matches) + len(includes)
            page_cursor = self._store_page(matches, includes, result)
            result.pages += 1
            report(SyncProgress("messages", result.pages, result.fetched))
            if next_url:
                continue
            # No next link: advance the _lastUpdated cursor ourselves while pages bring news.
            if page_cursor is None:
                break
            progressed = cursor is None or _instant(page_cursor) > _instant(cursor)
            if progressed:
                cursor, offset = page_cursor, 0
            elif len(matches) >= self._page_size:
                offset += len(matches)  # a full page of one instant: step over it
            else:
                break
            url, params = "Communication", self._search_params(cursor, offset)

    # -- one page ---------------------------------------------------------------------------
    def _store_page(self, matches: list[Any], includes: list[Any], result: SyncResult
                    ) -> str | None:
        """Parse, resolve references and write one page in one transaction; returns the page's
        newest lastUpdated (the new cursor), which is written in the same transaction."""
        quarantine: list[dict[str, Any]] = []
        references = _References(self._stored_versions)
        for resource in includes:
            references.add(resource, quarantine)
        parsed: list[ParsedCommunication] = []
        page_cursor: str | None = None
        newest: datetime | None = None
        for resource in matches:
            last_updated = _last_updated(resource)
            if last_updated and (newest is None or last_updated[1] > newest):
                page_cursor, newest = last_updated
            try:
                parsed.append(fhir.parse_communication(resource))
            except ContractViolation as exc:
                quarantine.append(quarantine_row(resource, str(exc)))

        with self._engine.connect() as connection:
            parsed = self._add_missing_parents(connection, parsed, quarantine, result)
            self._fetch_missing_references(connection, parsed, references, quarantine, result)
        parsed = self._drop_unresolvable(parsed, references, quarantine)
        parsed, inline = self._store_inline_attachments(parsed, quarantine)

        with self._engine.begin() as connection:
            self._upsert_references(connection, references)
            self._write_communications(connection, parsed, inline, quarantine, result)
            result.quarantined += self._write_quarantine(connection, quarantine)
            if page_cursor is not None:
                self._save_cursor(connection, page_cursor)
        references.mark_stored()
        return page_cursor

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
                _MESSAGE.c.portal_id.in_(wanted))))
            if not wanted:
                break
            fetched = self._read_many("Communication", sorted(wanted), result)
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
                                  parsed: list[ParsedCommunication], references: _References,
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
                ids -= self._known_ids(connection, resource_type, ids)
                found = self._read_many(resource_type, sorted(ids), result)
                for resource in found.values():
                    references.add(resource, quarantine)
                # Not on the portal (404): messages that point to it go to quarantine.
                references.unavailable.setdefault(resource_type, set()).update(ids - set(found))

    def _drop_unresolvable(self, parsed: list[ParsedCommunication], references: _References,
                           quarantine: list[dict[str, Any]]) -> list[ParsedCommunication]:
        kept = []
        for communication in parsed:
            missing = [str(ref) for ref in (communication.subject, communication.sender)
                       if ref.id in references.unavailable.get(ref.resource_type, ())]
            if missing:
                quarantine.append(quarantine_row(
                    communication.raw,
                    f"referenced {', '.join(missing)} could not be read from the portal"))
            else:
                kept.append(communication)
        return kept

    def _read_many(self, resource_type: str, ids: list[str], result: SyncResult
                   ) -> dict[str, Any]:
        """Resources by id: a standard `_id` search per chunk, then single reads for whatever
        the search did not bring (a server may not support `_id`); 404s are left out."""
        found: dict[str, Any] = {}
        wanted = set(ids)
        chunks = [ids[start:start + 50] for start in range(0, len(ids), 50)]
        searches = [self._pool.submit(self._client.get_json, resource_type,
                                      [("_id", ",".join(chunk)), ("_count", len(chunk))])
                    for chunk in chunks]
        for search in searches:
            for entry in _entries(search.result()):
                resource = entry["resource"]
                if resource.get("resourceType") == resource_type and resource.get("id") in wanted:
                    found[resource["id"]] = resource
        reads = {self._pool.submit(self._client.read, resource_type, rid): rid
                 for rid in ids if rid not in found}
        for future in as_completed(reads):
            try:
                found[reads[future]] = future.result()
            except ResourceNotFound:
                pass
        result.fetched += len(found)
        return found

    def _store_inline_attachments(self, parsed: list[ParsedCommunication],
                                  quarantine: list[dict[str, Any]]
                                  ) -> tuple[list[ParsedCommunication], dict[tuple[str, int],
                                                                             tuple[str, int]]]:
        """Decode, check and store inline attachments on the worker threads; a message whose
        inline data is broken goes to quarantine. Returns the messages kept and
        (message id, position) -> (sha256, size)."""
        jobs = {(c.portal_id, a.position): self._pool.submit(self._store_inline, a)
                for c in parsed for a in c.attachments if a.data_base64 is not None}
        stored: dict[tuple[str, int], tuple[str, int]] = {}
        broken: dict[str, str] = {}
        for key, job in jobs.items():
            try:
                stored[key] = job.result()
            except ContractViolation as exc:
                broken.setdefault(key[0], str(exc))
        kept = []
        for communication in parsed:
            if communication.portal_id in broken:
                quarantine.append(quarantine_row(
                    communication.raw, broken[communication.portal_id]))
            else:
                kept.append(communication)
        return kept, stored

    def _store_inline(self, attachment: fhir.ParsedAttachment) -> tuple[str, int]:
        data = fhir.decode_inline(attachment)
        return self._blobs.put(data), len(data)

    # -- writing ------------------------------------------------------------------------------
    def _insert(self, connection: Connection, table):
        return (postgresql.insert if connection.dialect.name == "postgresql"
                else sqlite.insert)(table)

    def _upsert(self, connection: Connection, table, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        statement = self._insert(connection, table)
        changed = {name: statement.excluded[name] for name in rows[0] if name != "portal_id"}
        statement = statement.on_conflict_do_update(
            index_elements=["portal_id"], set_=changed,
            where=table.c.portal_version != statement.excluded.portal_version)
        connection.execute(statement, rows)

    def _known_ids(self, connection: Connection, resource_type: str, portal_ids: Iterable[str]
                   ) -> set[str]:
        cache = self._ids[resource_type]
        wanted = [pid for pid in portal_ids if pid not in cache]
        if wanted:
            table = {"Patient": _PATIENT, "RelatedPerson": _RELATED,
                     "Practitioner": _PRACTITIONER}[resource_type]
            for start in range(0, len(wanted), 500):
                cache.update(connection.execute(select(table.c.portal_id, table.c.id).where(
                    table.c.portal_id.in_(wanted[start:start + 500]))).all())
        return {pid for pid in portal_ids if pid in cache}

    def _upsert_references(self, connection: Connection, references: _References) -> None:
        self._upsert(connection, _PRACTICE, [
            {"portal_id": o.portal_id, "portal_version": o.version, "name": o.name,
             "agb_code": o.agb_code, "phone": o.phone} for o in references.organizations.values()])
        self._upsert(connection, _PATIENT, [
            {"portal_id": p.portal_id, "portal_version": p.version, "name": p.name,
             "family_name": p.family_name, "bsn": p.bsn, "birth_date": p.birth_date,
             "gender": p.gender} for p in references.patients.values()])
        self._known_ids(connection, "Patient", references.patients.keys())
        patients = self._ids["Patient"]
        self._known_ids(connection, "Patient", [r.patient.id for r in references.related.values()])
        self._upsert(connection, _RELATED, [
            {"portal_id": r.portal_id, "portal_version": r.version,
             "patient_id": patients[r.patient.id], "name": r.name,
             "relationship_code": r.relationship_code, "relationship_text": r.relationship_text}
            for r in references.related.values() if r.patient.id in patients])
        self._upsert(connection, _PRACTITIONER, [
            {"portal_id": p.portal_id, "portal_version": p.version, "name": p.name,
             "agb_code": p.agb_code} for p in references.practitioners.values()])
        for resource_type in ("RelatedPerson", "Practitioner"):
            self._known_ids(connection, resource_type,
                            references.ids(resource_type) - references.unavailable.get(
                                resource_type, set()))

    def _write_communications(self, connection: Connection, parsed: list[ParsedCommunication],
                              inline: dict[tuple[str, int], tuple[str, int]],
                              quarantine: list[dict[str, Any]], result: SyncResult) -> None:
        if not parsed:
            return
        page_ids = [c.portal_id for c in parsed]
        parent_ids = {c.in_response_to for c in parsed if c.in_response_to}
        existing = {row.portal_id: row for row in connection.execute(
            select(_MESSAGE.c.portal_id, _MESSAGE.c.portal_version, _MESSAGE.c.id,
                   _MESSAGE.c.econsult_id).where(
                _MESSAGE.c.portal_id.in_(set(page_ids) | parent_ids))).all()}
        existing.update(self._adopt_our_own_messages(connection, parsed, existing))
        now = self._clock()
        new_roots = [c for c in parsed if c.in_response_to is None and c.portal_id not in existing]
        replies = sorted((c for c in parsed if c.in_response_to and c.portal_id not in existing),
                         key=lambda c: c.sent)
        changed = [c for c in parsed if c.portal_id in existing
                   and existing[c.portal_id].portal_version != c.version]
        # Several versions of one resource in a page: keep the last one only.
        new_roots = list({c.portal_id: c for c in new_roots}.values())
        replies = list({c.portal_id: c for c in replies}.values())

        econsult_of = {pid: row.econsult_id for pid, row in existing.items()}
        if new_roots:
            econsult_of.update(self._insert_rows(
                connection, _ECONSULT, [self._econsult_row(c) for c in new_roots]))
            result.econsults_created += len(new_roots)

        thread_updates: list[dict[str, Any]] = []
        resolved_replies = []
        for reply in replies:
            econsult_id = econsult_of.get(reply.in_response_to)
            if econsult_id is None:
                quarantine.append(quarantine_row(
                    reply.raw,
                    f"inResponseTo Communication/{reply.in_response_to} could not be read"))
                continue
            econsult_of[reply.portal_id] = econsult_id
            resolved_replies.append(reply)
            thread_updates.append({"eid": econsult_id, "sent": reply.sent,
                                   "incoming": self._direction(reply) is Direction.IN,
                                   "photos": _photo_count(reply)})

        new_messages = new_roots + resolved_replies
        if new_messages:
            message_ids = self._insert_rows(connection, _MESSAGE, [
                self._message_row(c, econsult_of[c.portal_id]) for c in new_messages])
            result.attachments += self._insert_attachments(
                connection, [(c, message_ids[c.portal_id]) for c in new_messages], inline, now)
            result.created += len(new_messages)
        self._apply_thread_updates(connection, thread_updates)
        self._advise(connection, [(econsult_of[c.portal_id], c) for c in new_messages
                                  if self._direction(c) is Direction.IN])

        for communication in changed:
            row = existing[communication.portal_id]
            connection.execute(update(_MESSAGE).where(_MESSAGE.c.id == row.id).values(
                portal_version=communication.version, text=communication.text,
                sent_at=communication.sent))
            if communication.in_response_to is None:
                connection.execute(update(_ECONSULT).where(
                    _ECONSULT.c.id == row.econsult_id).values(
                    subject=communication.topic, portal_status=communication.status,
                    portal_version=communication.version))
            result.attachments += self._replace_changed_attachments(
                connection, row.id, communication, inline, now)
            result.updated += 1

    def _adopt_our_own_messages(self, connection: Connection, parsed: list[ParsedCommunication],
                                existing: dict[str, Any]) -> dict[str, Any]:
        """Messages we sent come back from the portal under the id it gave them: recognised by
        the identifier we made, they take that id instead of arriving twice."""
        ours = {c.identifier: c for c in parsed
                if c.identifier and c.portal_id not in existing and
                c.sender.resource_type == "Practitioner"}
        if not ours:
            return {}
        adopted = {}
        for row in connection.execute(select(
                _MESSAGE.c.id, _MESSAGE.c.identifier, _MESSAGE.c.econsult_id,
                _MESSAGE.c.portal_id).where(_MESSAGE.c.identifier.in_(list(ours)))).all():
            communication = ours[row.identifier]
            connection.execute(update(_MESSAGE).where(_MESSAGE.c.id == row.id).values(
                portal_id=communication.portal_id, delivery="sent"))
            connection.execute(update(_ECONSULT).where(
                _ECONSULT.c.id == row.econsult_id,
                _ECONSULT.c.portal_id == row.portal_id).values(portal_id=communication.portal_id))
            # Same version as the portal's: the row is up to date, nothing else to write.
            adopted[communication.portal_id] = _Existing(
                communication.portal_id, communication.version, row.id, row.econsult_id)
        return adopted

    def _econsult_row(self, root: ParsedCommunication) -> dict[str, Any]:
        related = None
        if root.sender.resource_type == "RelatedPerson":
            related = self._ids["RelatedPerson"][root.sender.id]
        # A thread already answered on the portal arrives closed; a patient's reply reopens it.
        status = ConsultStatus.CLOSED if root.status == "completed" else ConsultStatus.INBOX
        return {"portal_id": root.portal_id, "portal_version": root.version,
                "patient_id": self._ids["Patient"][root.subject.id],
                "sender_related_person_id": related, "subject": root.topic,
                "status": status, "portal_status": root.status, "urgency": "normaal",
                "received_at": root.sent, "last_patient_message_at": root.sent,
                "photo_count": _photo_count(root), "unread": status is ConsultStatus.INBOX,
                "waiting_since": root.sent if status is ConsultStatus.INBOX else None,
                "sort_rank": 1 if status is ConsultStatus.INBOX else 3}

    @staticmethod
    def _direction(communication: ParsedCommunication) -> Direction:
        return Direction.OUT if communication.sender.resource_type == "Practitioner" \
            else Direction.IN

    def _message_row(self, communication: ParsedCommunication, econsult_id: int
                     ) -> dict[str, Any]:
        kind = {"Patient": AuthorKind.PATIENT, "RelatedPerson": AuthorKind.RELATED_PERSON,
                "Practitioner": AuthorKind.PRACTITIONER}[communication.sender.resource_type]
        return {"econsult_id": econsult_id, "portal_id": communication.portal_id,
                "portal_version": communication.version,
                "direction": self._direction(communication), "author_kind": kind,
                "author_portal_id": communication.sender.id, "text": communication.text,
                "sent_at": communication.sent, "in_response_to": communication.in_response_to}

    def _apply_thread_updates(self, connection: Connection, updates: list[dict[str, Any]]
                              ) -> None:
        """A reply's effect on its thread: the newest patient message, photos, answered time,
        since when the patient waits, unread; a patient's reply after an answer or closing
        brings the thread back to the inbox. `updates` are in the order the replies were sent."""
        if not updates:
            return
        threads = {row.id: dict(row._mapping) for row in connection.execute(select(
            _ECONSULT.c.id, _ECONSULT.c.status, _ECONSULT.c.assignee_id, _ECONSULT.c.answered_at,
            _ECONSULT.c.last_patient_message_at, _ECONSULT.c.photo_count,
            _ECONSULT.c.waiting_since, _ECONSULT.c.unread, _ECONSULT.c.urgency,
            _ECONSULT.c.urgency_advice, _ECONSULT.c.advice_dismissed,
            _ECONSULT.c.follow_up_at).where(
            _ECONSULT.c.id.in_({change["eid"] for change in updates})))}
        for change in updates:
            thread = threads[change["eid"]]
            thread["photo_count"] += change["photos"]
            sent, answered = change["sent"], as_utc(thread["answered_at"])
            if change["incoming"]:
                if sent > as_utc(thread["last_patient_message_at"]):
                    thread["last_patient_message_at"] = sent
                if answered is None or sent > answered:
                    thread["unread"] = True
                    if thread["waiting_since"] is None:
                        thread["waiting_since"] = sent
                    if thread["status"] in (ConsultStatus.WAITING, ConsultStatus.CLOSED):
                        thread["status"], thread["assignee_id"] = ConsultStatus.INBOX, None
                    thread["follow_up_at"] = None  # the patient answered the follow-up
            elif answered is None or sent > answered:
                thread["answered_at"] = sent
                waiting = as_utc(thread["waiting_since"])
                if waiting is not None and sent >= waiting:
                    thread["waiting_since"] = None
        connection.execute(
            update(_ECONSULT).where(_ECONSULT.c.id == bindparam("eid")).values(
                status=bindparam("new_status"), assignee_id=bindparam("new_assignee"),
                answered_at=bindparam("new_answered"),
                last_patient_message_at=bindparam("new_last"),
                photo_count=bindparam("new_photos"), waiting_since=bindparam("new_waiting"),
                unread=bindparam("new_unread"), sort_rank=bindparam("new_rank"),
                follow_up_at=bindparam("new_follow_up")),
            [{"eid": t["id"], "new_status": t["status"], "new_assignee": t["assignee_id"],
              "new_answered": t["answered_at"], "new_last": t["last_patient_message_at"],
              "new_photos": t["photo_count"], "new_waiting": t["waiting_since"],
              "new_unread": t["unread"], "new_follow_up": t["follow_up_at"],
              "new_rank": compute_sort_rank(t["urgency"], t["urgency_advice"],
                                            t["advice_dismissed"], t["unread"],
                                            t["waiting_since"])} for t in threads.values()])

    def _advise(self, connection: Connection, incoming: list[tuple[int, ParsedCommunication]]
                ) -> None:
        """Urgency advice for new patient messages (alarm phrases, a baby with fever, a second
        contact), merged into the thread's advice; then the list rank of each thread."""
        if not incoming:
            return
        threads = {row.id: row for row in connection.execute(select(
            _ECONSULT.c.id, _ECONSULT.c.patient_id, _ECONSULT.c.received_at,
            _ECONSULT.c.urgency, _ECONSULT.c.urgency_advice, _ECONSULT.c.advice_dismissed,
            _ECONSULT.c.unread, _ECONSULT.c.waiting_since, _ECONSULT.c.sort_rank,
            _PATIENT.c.birth_date).join(
            _PATIENT, _PATIENT.c.id == _ECONSULT.c.patient_id).where(
            _ECONSULT.c.id.in_({eid for eid, _c in incoming}))).all()}
        received_by_patient: dict[int, list[tuple[int, datetime, str]]] = {}
        for eid, patient_id, received, subject in connection.execute(select(
                _ECONSULT.c.id, _ECONSULT.c.patient_id, _ECONSULT.c.received_at,
                _ECONSULT.c.subject).where(
                _ECONSULT.c.patient_id.in_({t.patient_id for t in threads.values()}))).all():
            received_by_patient.setdefault(patient_id, []).append(
                (eid, as_utc(received), subject))
        advice: dict[int, list[dict[str, str]]] = {
            eid: list(t.urgency_advice or []) for eid, t in threads.items()}
        for eid, communication in incoming:
            thread = threads[eid]
            found = [m.as_json() for m in self._advisor.check(
                communication.text, thread.birth_date, communication.sent)]
            if communication.in_response_to is None:
                earlier = [(when, subject) for other, when, subject
                           in received_by_patient.get(thread.patient_id, []) if other != eid]
                if self._advisor.is_second_contact(as_utc(thread.received_at),
                                                   communication.topic, earlier):
                    found.append({"category": self._advisor.second_contact[0], "words": ""})
            known = {a["category"] for a in advice[eid]}
            advice[eid] += [a for a in found if a["category"] not in known]
        changes = []
        for eid, thread in threads.items():
            rank = compute_sort_rank(thread.urgency, advice[eid], thread.advice_dismissed,
                                     thread.unread, thread.waiting_since)
            # Most messages raise no alarm: write only the threads whose advice or rank moved.
            if advice[eid] != list(thread.urgency_advice or []) or rank != thread.sort_rank:
                changes.append({"eid": eid, "new_advice": advice[eid] or None,
                                "new_rank": rank})
        if changes:
            connection.execute(
                update(_ECONSULT).where(_ECONSULT.c.id == bindparam("eid")).values(
                    urgency_advice=bindparam("new_advice"), sort_rank=bindparam("new_rank")),
                changes)

    def _insert_rows(self, connection: Connection, table, rows: list[dict[str, Any]]
                     ) -> dict[str, int]:
        """Insert rows in batches; returns portal_id -> new row id. RETURNING the portal id
        lets SQLAlchemy send multi-row INSERTs without keeping parameter order."""
        inserted = connection.execute(
            self._insert(connection, table).returning(table.c.portal_id, table.c.id), rows)
        return dict(inserted.all())

    def _attachment_rows(self, message_id: int, communication: ParsedCommunication,
                         inline: dict[tuple[str, int], tuple[str, int]], now: datetime
                         ) -> list[dict[str, Any]]:
        rows = []
        for attachment in communication.attachments:
            sha256, size = inline.get((communication.portal_id, attachment.position), (None, None))
            rows.append({
                "message_id": message_id, "position": attachment.position,
                "title": attachment.title, "content_type": attachment.content_type,
                "declared_size": attachment.declared_size,
                "declared_sha1": attachment.declared_sha1,
                "url": attachment.url if sha256 is None else None,
                "size": size,
                "sha256": sha256, "created": attachment.created,
                "stored_at": now if sha256 else None, "attempts": 0})
        return rows

    def _insert_attachments(self, connection: Connection, messages, inline, now) -> int:
        """Insert attachment rows; returns how many arrived inline (stored already)."""
        rows = [row for communication, message_id in messages
                for row in self._attachment_rows(message_id, communication, inline, now)]
        if rows:
            connection.execute(self._insert(connection, _ATTACHMENT), rows)
        return sum(1 for row in rows if row["sha256"])

    def _replace_changed_attachments(self, connection: Connection, message_id: int,
                                     communication: ParsedCommunication, inline, now) -> int:
        current = {(row.position, row.declared_sha1, row.declared_size, row.url) for row in
                   connection.execute(select(_ATTACHMENT).where(
                       _ATTACHMENT.c.message_id == message_id))}
        incoming = {(row["position"], row["declared_sha1"], row["declared_size"], row["url"])
                    for row in self._attachment_rows(message_id, communication, inline, now)}
        if current != incoming or any(row[3] is None and row[1] is None for row in incoming):
            connection.execute(_ATTACHMENT.delete().where(_ATTACHMENT.c.message_id == message_id))
            return self._insert_attachments(connection, [(communication, message_id)], inline, now)
        return 0

    def _write_quarantine(self, connection: Connection, rows: list[dict[str, Any]]) -> int:
        """Store quarantine rows once per resource version; returns how many were new."""
        added = 0
        for row in rows:
            statement = self._insert(connection, _QUARANTINE).values(
                **row, quarantined_at=self._clock()).on_conflict_do_nothing(
                index_elements=["resource_type", "portal_id", "portal_version"])
            added += len(connection.execute(statement.returning(_QUARANTINE.c.id)).all())
        return added

    def _load_cursor(self) -> str | None:
        with self._engine.connect() as connection:
            return connection.scalar(select(_CURSOR.c.last_updated).where(
                _CURSOR.c.name == self._cursor_name))

    def _save_cursor(self, connection: Connection, value: str) -> None:
        statement = self._insert(connection, _CURSOR).values(
            name=self._cursor_name, last_updated=value, updated_at=self._clock())
        connection.execute(statement.on_conflict_do_update(
            index_elements=["name"], set_={"last_updated": value, "updated_at": self._clock()}))

    # -- directory ------------------------------------------------------------------------------
    def _pull_directory(self, result: SyncResult) -> None:
        """The practice and its practitioners with their roles (routing needs the GPs)."""
        references = _References()
        quarantine: list[dict[str, Any]] = []
        roles: dict[str, str | None] = {}
        for bundle in self._client.search_pages("Organization", [("_count", 50)]):
            for entry in _entries(bundle):
                result.fetched += 1
                references.add(entry["resource"], quarantine)
        params = [("_include", "PractitionerRole:practitioner"), ("_count", 100)]
        for bundle in self._client.search_pages("PractitionerRole", params):
            for entry in _entries(bundle):
                result.fetched += 1
                resource = entry["resource"]
                if isinstance(resource, dict) and resource.get("resourceType") == "PractitionerRole":
                    try:
                        role = fhir.parse_practitioner_role(resource)
                        roles[role.practitioner.id] = role.role or roles.get(role.practitioner.id)
                    except ContractViolation as exc:
                        quarantine.append(quarantine_row(resource, str(exc)))
                else:
                    references.add(resource, quarantine)
        missing = sorted(set(roles) - references.ids("Practitioner"))
        for resource in self._read_many("Practitioner", missing, result).values():
            references.add(resource, quarantine)
        with self._engine.begin() as connection:
            self._upsert_references(connection, references)
            for portal_id, role in roles.items():
                if role is not None:
                    connection.execute(update(_PRACTITIONER).where(
                        _PRACTITIONER.c.portal_id == portal_id).values(role=role))
            result.quarantined += self._write_quarantine(connection, quarantine)

    # -- attachments ----------------------------------------------------------------------------
    def _fetch_pending_attachments(self, result: SyncResult,
                                   report: Callable[[SyncProgress], None]) -> None:
        with self._engine.connect() as connection:
            pending = connection.execute(select(
                _ATTACHMENT.c.id, _ATTACHMENT.c.url, _ATTACHMENT.c.position,
                _ATTACHMENT.c.declared_size, _ATTACHMENT.c.declared_sha1, _ATTACHMENT.c.attempts,
                _MESSAGE.c.portal_id.label("message_portal_id")).join(
                _MESSAGE, _MESSAGE.c.id == _ATTACHMENT.c.message_id).where(
                _ATTACHMENT.c.stored_at.is_(None), _ATTACHMENT.c.url.is_not(None),
                _ATTACHMENT.c.attempts < MAX_ATTACHMENT_ATTEMPTS)).all()
        if not pending:
            return
        futures = {self._pool.submit(self._fetch_one_attachment, row): row for row in pending}
        for done, future in enumerate(as_completed(futures), start=1):
            row = futures[future]
            outcome = future.result()
            with self._engine.begin() as connection:
                if isinstance(outcome, _Stored):
                    sha256, size, content_type = outcome
                    values = {"sha256": sha256, "size": size, "stored_at": self._clock(),
                              "error": None, "attempts": row.attempts + 1}
                    if content_type and content_type != "application/octet-stream":
                        values["content_type"] = content_type
                    connection.execute(update(_ATTACHMENT).where(
                        _ATTACHMENT.c.id == row.id).values(**values))
                    result.attachments += 1
                else:
                    reason, final = outcome
                    attempts = MAX_ATTACHMENT_ATTEMPTS if final else row.attempts + 1
                    connection.execute(update(_ATTACHMENT).where(
                        _ATTACHMENT.c.id == row.id).values(error=reason, attempts=attempts))
                    result.errors.append(f"attachment {row.id}: {reason}")
                    if attempts >= MAX_ATTACHMENT_ATTEMPTS:
                        result.quarantined += self._write_quarantine(connection, [quarantine_row(
                            {"resourceType": "Binary", "id": row.url.rsplit("/", 1)[-1],
                             "meta": {"versionId": str(row.id)}, "url": row.url},
                            f"attachment {row.position} of Communication/"
                            f"{row.message_portal_id}: {reason}")])
            report(SyncProgress("attachments", result.pages, result.fetched, done, len(pending)))

    def _fetch_one_attachment(self, row) -> _Stored | tuple[str, bool]:
        """(sha256, size, content type) once stored, or (reason, final) when it failed.
        Bytes that disagree with their declared size or hash are fetched again at once: a
        garbled transfer passes, a wrong declaration persists and is final."""
        problem = ""
        for _try in range(3):
            try:
                content_type, data = self._client.fetch_attachment(row.url,
                                                                   self._max_attachment_bytes)
            except AttachmentTooLarge:
                return f"larger than {self._max_attachment_bytes} bytes", True
            except PortalError as exc:
                return type(exc).__name__, False
            problem = fhir.check_attachment_bytes(data, row.declared_size, row.declared_sha1)
            if not problem:
                return _Stored(self._blobs.put(data), len(data), content_type)
        return problem, True


class _Existing(NamedTuple):
    portal_id: str
    portal_version: str
    id: int
    econsult_id: int


class _Stored(NamedTuple):
    sha256: str
    size: int
    content_type: str | None


class _References:
    """Patients, related persons, practitioners and organisations met on one page."""

    def __init__(self, stored_versions: dict[tuple[str, str], str] | None = None) -> None:
        # (type, id) -> version written earlier in this run: included again on a later page,
        # such a resource needs neither parsing nor writing.
        self._stored_versions = stored_versions if stored_versions is not None else {}
        self.patients: dict[str, fhir.ParsedPatient] = {}
        self.related: dict[str, fhir.ParsedRelatedPerson] = {}
        self.practitioners: dict[str, fhir.ParsedPractitioner] = {}
        self.organizations: dict[str, fhir.ParsedOrganization] = {}
        self.unavailable: dict[str, set[str]] = {}

    _PARSERS = {"Patient": (fhir.parse_patient, "patients"),
                "RelatedPerson": (fhir.parse_related_person, "related"),
                "Practitioner": (fhir.parse_practitioner, "practitioners"),
                "Organization": (fhir.parse_organization, "organizations")}

    def add(self, resource: Any, quarantine: list[dict[str, Any]]) -> None:
        resource_type = resource.get("resourceType") if isinstance(resource, dict) else None
        if resource_type not in self._PARSERS:
            return  # OperationOutcome entries and the like carry nothing to store
        parser, attribute = self._PARSERS[resource_type]
        _type, portal_id, version = fhir.resource_identity(resource)
        if version and self._stored_versions.get((resource_type, portal_id)) == version:
            return
        try:
            parsed = parser(resource)
        except ContractViolation as exc:
            self.unavailable.setdefault(resource_type, set()).add(portal_id)
            quarantine.append(quarantine_row(resource, str(exc)))
            return
        getattr(self, attribute)[parsed.portal_id] = parsed

    def mark_stored(self) -> None:
        for resource_type, (_parser, attribute) in self._PARSERS.items():
            for parsed in getattr(self, attribute).values():
                self._stored_versions[(resource_type, parsed.portal_id)] = parsed.version

    def ids(self, resource_type: str) -> set[str]:
        attribute = self._PARSERS[resource_type][1]
        return set(getattr(self, attribute)) | self.unavailable.get(resource_type, set())


def _entries(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    entries = bundle.get("entry") or []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("resource"), dict)]


def _mode(entry: dict[str, Any]) -> str:
    search = entry.get("search")
    return search.get("mode", "match") if isinstance(search, dict) else "match"


def _last_updated(resource: Any) -> tuple[str, datetime] | None:
    """The resource's meta.lastUpdated as sent (the cursor is echoed back verbatim) and parsed."""
    meta = resource.get("meta") if isinstance(resource, dict) else None
    value = meta.get("lastUpdated") if isinstance(meta, dict) else None
    try:
        return value, fhir.parse_instant(value, "lastUpdated")
    except ContractViolation:
        return None


def _instant(value: str) -> datetime:
    return fhir.parse_instant(value, "cursor")


def _photo_count(communication: ParsedCommunication) -> int:
    return sum(1 for a in communication.attachments
               if (a.content_type or "").startswith("image/"))



def quarantine_row(resource: Any, reason: str) -> dict[str, Any]:
    """A quarantine row for a resource that broke the contract: raw JSON kept with the reason."""
    resource_type, portal_id, version = fhir.resource_identity(resource)
    # The log gets ids and the kind of problem only; the raw resource may hold medical text.
    log.warning("quarantined %s/%s version %s: %s", resource_type, portal_id, version,
                reason.split(":")[0])
    return {"resource_type": resource_type, "portal_id": portal_id, "portal_version": version,
            "reason": reason[:1000],
            "raw": resource if isinstance(resource, dict) else {"value": repr(resource)}}
