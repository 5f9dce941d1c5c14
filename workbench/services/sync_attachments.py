"""The pull's last phase: the attachments whose bytes are not stored yet, fetched from the
portal on the pull's threads, checked against what their message declared, and recorded in
batches (one fsync, then one transaction). A refusal is final and shown on the message; any
other failure is tried again on every pull and listed in "Niet verwerkt" once it keeps failing."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, as_completed
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Connection, Engine, bindparam, func, select, update

from workbench.services import fhir
from workbench.services.portal_client import (
    AttachmentTooLarge,
    PortalClient,
    PortalError,
    RequestDeadlineExceeded,
)
from workbench.services.sync_quarantine import quarantine_row
from workbench.services.sync_writer import ATTEMPTS_FINAL
from workbench.store.blobs import BlobStore
from workbench.store.models import Attachment, Message, QuarantinedResource, QuarantineState

if TYPE_CHECKING:
    from workbench.services.sync import SyncResult

# After this many failed tries an attachment is listed in "Niet verwerkt"; it is still tried
# on every pull while the cause may pass (a portal outage).
ATTEMPTS_SHOWN = 5

_ATTACHMENT = Attachment.__table__
_MESSAGE = Message.__table__
_QUARANTINE = QuarantinedResource.__table__


class AttachmentFetcher:
    """One pull's attachment phase. `too_slow` is the pull's: set once a request ran out of
    its deadline, after which nothing more is asked. `write_quarantine` and `flag_problems`
    are the pull's own ways of listing a failure and marking its e-consult."""

    def __init__(self, engine: Engine, blobs: BlobStore, client: PortalClient, pool: Executor,
                 *, clock: Callable[[], datetime], max_bytes: int, too_slow: threading.Event,
                 write_quarantine: Callable[[Connection, list[dict[str, Any]]], int],
                 flag_problems: Callable[[Connection, list[tuple[int, list[str]]]], None]
                 ) -> None:
        self._engine = engine
        self._blobs = blobs
        self._client = client
        self._pool = pool
        self._clock = clock
        self._max_bytes = max_bytes
        self._too_slow = too_slow
        self._write_quarantine = write_quarantine
        self._flag_problems = flag_problems

    def fetch(self, result: SyncResult, progress: Callable[[int, int], None]) -> None:
        """Fetch what is pending; `progress(done, total)` after each."""
        with self._engine.connect() as connection:
            pending = connection.execute(select(
                _ATTACHMENT.c.id, _ATTACHMENT.c.url, _ATTACHMENT.c.position,
                _ATTACHMENT.c.declared_size, _ATTACHMENT.c.declared_sha1, _ATTACHMENT.c.attempts,
                _ATTACHMENT.c.sha256, _ATTACHMENT.c.size,
                _MESSAGE.c.portal_id.label("message_portal_id"), _MESSAGE.c.econsult_id).join(
                _MESSAGE, _MESSAGE.c.id == _ATTACHMENT.c.message_id).where(
                _ATTACHMENT.c.stored_at.is_(None), _ATTACHMENT.c.url.is_not(None),
                _ATTACHMENT.c.attempts < ATTEMPTS_FINAL)).all()
        if not pending:
            return
        # Outcomes are recorded in batches (up to 64, or what half a second brought): the
        # batch's files are fsynced once, then its rows commit in one transaction. A row thus
        # never names a file a crash could lose, without a flush and a commit per file.
        batch_size, batch_seconds = 64, 0.5

        def record(batch: list[tuple[Any, _Stored | tuple[str, bool]]]) -> None:
            stored = [(row, outcome) for row, outcome in batch if isinstance(outcome, _Stored)]
            self._blobs.sync(outcome.sha256 for _row, outcome in stored)
            with self._engine.begin() as connection:
                if stored:  # one statement for the batch: the pool's threads keep the GIL busy
                    now = self._clock()
                    connection.execute(update(_ATTACHMENT).where(
                        _ATTACHMENT.c.id == bindparam("b_id")).values(
                        sha256=bindparam("b_sha256"), size=bindparam("b_size"), stored_at=now,
                        error=None, attempts=bindparam("b_attempts"),
                        content_type=func.coalesce(bindparam("b_type"),
                                                   _ATTACHMENT.c.content_type)),
                        [{"b_id": row.id, "b_sha256": outcome.sha256, "b_size": outcome.size,
                          "b_attempts": row.attempts + 1,
                          "b_type": outcome.content_type if outcome.content_type
                          not in (None, "", "application/octet-stream") else None}
                         for row, outcome in stored])
                for row, outcome in batch:
                    if isinstance(outcome, _Stored):
                        continue
                    reason, final = outcome
                    # A refusal is final and shown on the message; anything else is tried
                    # again on every pull, and listed in "Niet verwerkt" once it keeps failing.
                    attempts = ATTEMPTS_FINAL if final else row.attempts + 1
                    connection.execute(update(_ATTACHMENT).where(
                        _ATTACHMENT.c.id == row.id).values(error=reason[:500], attempts=attempts))
                    result.errors.append(f"attachment {row.id}: {reason}")
                    if final:
                        self._flag_problems(connection, [(row.econsult_id,
                                                          ["attachment_refused"])])
                    elif attempts >= ATTEMPTS_SHOWN:
                        result.quarantined += self._write_quarantine(connection, [quarantine_row(
                            {"resourceType": "Binary", "id": _url_id(row.url),
                             "meta": {"versionId": str(row.id)}, "url": row.url[:1000]},
                            f"attachment {row.position} of Communication/"
                            f"{row.message_portal_id}: {reason}", transient=True)])
                if stored:
                    result.attachments += len(stored)
                    result.resolved += connection.execute(update(_QUARANTINE).where(
                        _QUARANTINE.c.resource_type == "Binary",
                        _QUARANTINE.c.portal_version.in_([str(row.id) for row, _ in stored]),
                        _QUARANTINE.c.state == QuarantineState.OPEN.value).values(
                        state=QuarantineState.RESOLVED.value, resolved_at=self._clock())).rowcount

        futures = {self._pool.submit(self._fetch_one, row): row for row in pending}
        batch: list[tuple[Any, _Stored | tuple[str, bool]]] = []
        batch_started = 0.0
        try:
            for done, future in enumerate(as_completed(futures), start=1):
                outcome = future.result()
                if outcome is not None:  # None: not asked, the portal was too slow in this pull
                    if not batch:
                        batch_started = time.perf_counter()
                    batch.append((futures[future], outcome))
                if batch and (len(batch) >= batch_size or done == len(pending)
                              or time.perf_counter() - batch_started >= batch_seconds):
                    full, batch = batch, []
                    record(full)
                progress(done, len(pending))
        finally:
            if batch:  # what was stored before a failure is kept all the same
                record(batch)

    def _fetch_one(self, row) -> _Stored | tuple[str, bool] | None:
        """(sha256, size, content type) once stored, (reason, final) when it failed, None
        when not asked because the portal was too slow. Bytes that disagree with their
        declared size or hash are fetched again at once: a garbled transfer passes, a wrong
        declaration persists and is final. The bytes are stored without fsync: the caller
        syncs them per batch before their rows commit."""
        if row.sha256 and row.size is not None and self._blobs.has(row.sha256):
            # Made pending after the upgrade to shared blobs (refetch_missing) while another
            # workstation still held it; that one has shared it since.
            return _Stored(row.sha256, row.size, None)
        problem = ""
        for _try in range(3):
            if self._too_slow.is_set():
                return None
            try:
                content_type, data = self._client.fetch_attachment(row.url,
                                                                   self._max_bytes)
            except AttachmentTooLarge:
                return f"larger than {self._max_bytes} bytes", True
            except RequestDeadlineExceeded as exc:
                self._too_slow.set()
                return type(exc).__name__, False
            except PortalError as exc:
                return type(exc).__name__, False
            problem = fhir.check_attachment_bytes(data, row.declared_size, row.declared_sha1)
            if not problem:
                return _Stored(self._blobs.put(data, durable=False), len(data), content_type)
        return problem, True


class _Stored(NamedTuple):
    sha256: str
    size: int
    content_type: str | None


def _url_id(url: str) -> str:
    tail = url.rstrip("/").rsplit("/", 1)[-1]
    return tail if fhir.resource_identity({"id": tail})[1] == tail and len(tail) <= 64 \
        else hashlib.sha1(url.encode()).hexdigest()
