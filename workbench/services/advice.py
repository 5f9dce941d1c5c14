"""Urgency advice beside the pull: messages are stored first, then advised on a worker, newest
first, so the clinical text pipeline never slows the pull and the newest alarm shows first."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select, update

from workbench.services.inbox import compute_sort_rank
from workbench.services.urgency import (
    UrgencyAdvisor,
    default_advisor,
    default_advisor_ready,
)
from workbench.store.models import (
    AuthorKind,
    Direction,
    EConsult,
    Message,
    Patient,
    RelatedPerson,
)
from workbench.store.timeutil import as_utc

log = logging.getLogger(__name__)

_ECONSULT = EConsult.__table__
_MESSAGE = Message.__table__
_PATIENT = Patient.__table__
_RELATED = RelatedPerson.__table__
BATCH = 100
# RelatedPerson.relationship codes (HL7 v3 RoleCode) of a partner writing for the patient.
_PARTNER_CODES = frozenset({"HUSB", "WIFE", "SPS", "DOMPART", "FMRSPS", "SIGOTHR"})
_PARENT_CODES = frozenset({"MTH", "FTH", "PRN", "NMTH", "NFTH", "STPMTH", "STPFTH", "GUARD",
                           "ADOPTMTH", "ADOPTFTH", "FTHFOST", "MTHFOST"})


class AdviceService:
    """Advises every stored patient message that has not been advised yet."""

    def __init__(self, engine: Engine,
                 advisor: Callable[[], UrgencyAdvisor] = default_advisor,
                 write_lock: AbstractContextManager[Any] | None = None) -> None:
        self._engine = engine
        self._advisor = advisor
        # Building the pipeline takes seconds of work: beside a running pull, only once built.
        self.ready: Callable[[], bool] = default_advisor_ready \
            if advisor is default_advisor else (lambda: True)
        # Held while writing: the pull's page writes and ours then never interleave on a
        # thread, so neither computes a list rank from advice the other is changing.
        self._write_lock = write_lock or nullcontext()

    def pending(self) -> int:
        with self._engine.connect() as connection:
            return len(connection.execute(select(_MESSAGE.c.id).where(
                _MESSAGE.c.advised.is_(False))).all())

    def advise_pending(self, limit: int = BATCH,
                       keep_going: Callable[[], bool] = lambda: True) -> int:
        """Advise up to `limit` messages, newest first; returns how many were advised. After
        each message `keep_going` may end the batch early: what was advised is written, the
        rest waits for the next batch."""
        with self._engine.connect() as connection:
            rows = connection.execute(select(
                _MESSAGE.c.id, _MESSAGE.c.econsult_id, _MESSAGE.c.text, _MESSAGE.c.sent_at,
                _MESSAGE.c.direction, _MESSAGE.c.author_kind, _MESSAGE.c.author_portal_id,
                _MESSAGE.c.in_response_to).where(_MESSAGE.c.advised.is_(False)).order_by(
                _MESSAGE.c.sent_at.desc(), _MESSAGE.c.id.desc()).limit(limit)).all()
            if not rows:
                return 0
            threads = self._threads(connection, {row.econsult_id for row in rows})
        advisor = self._advisor()
        found: dict[int, list[dict[str, Any]]] = {}
        done = []
        for row in rows:
            if done and not keep_going():
                break
            done.append(row.id)
            thread = threads.get(row.econsult_id)
            if thread is None or row.direction is not Direction.IN:
                continue
            findings = advisor.advise(
                row.text or "", subject=thread["subject"] if row.in_response_to is None else "",
                patient_age_days=_age_days(thread["birth_date"], row.sent_at),
                writer=_writer(row.author_kind, thread["relationship_code"]))
            entries = [finding.as_json() for finding in findings]
            if row.in_response_to is None:
                entries.extend(_second_contact(advisor, thread))
            found.setdefault(row.econsult_id, []).extend(entries)
        with self._write_lock, self._engine.begin() as connection:
            self._merge(connection, found)
            connection.execute(update(_MESSAGE).where(
                _MESSAGE.c.id.in_(done)).values(advised=True))
        return len(done)

    def advise_all(self, should_stop: Callable[[], bool] = lambda: False) -> int:
        done = 0
        while not should_stop():
            count = self.advise_pending()
            if not count:
                break
            done += count
        return done

    @staticmethod
    def _threads(connection: Connection, econsult_ids: set[int]) -> dict[int, dict[str, Any]]:
        threads = {row.id: dict(row._mapping) for row in connection.execute(select(
            _ECONSULT.c.id, _ECONSULT.c.patient_id, _ECONSULT.c.subject,
            _ECONSULT.c.received_at, _PATIENT.c.birth_date,
            _RELATED.c.relationship_code).join(
            _PATIENT, _PATIENT.c.id == _ECONSULT.c.patient_id).outerjoin(
            _RELATED, _RELATED.c.id == _ECONSULT.c.sender_related_person_id).where(
            _ECONSULT.c.id.in_(econsult_ids)))}
        earlier: dict[int, list[tuple[int, datetime, str]]] = {}
        for eid, patient_id, received, subject in connection.execute(select(
                _ECONSULT.c.id, _ECONSULT.c.patient_id, _ECONSULT.c.received_at,
                _ECONSULT.c.subject).where(_ECONSULT.c.patient_id.in_(
                {t["patient_id"] for t in threads.values()}))).all():
            earlier.setdefault(patient_id, []).append((eid, as_utc(received), subject))
        for eid, thread in threads.items():
            thread["earlier"] = [(other, when, subject) for other, when, subject
                                 in earlier.get(thread["patient_id"], []) if other != eid]
        return threads

    @staticmethod
    def _merge(connection: Connection, found: dict[int, list[dict[str, Any]]]) -> None:
        """New findings join the thread's advice (one entry per group), then its list rank."""
        wanted = {eid for eid, entries in found.items() if entries}
        if not wanted:
            return
        changes = []
        for row in connection.execute(select(
                _ECONSULT.c.id, _ECONSULT.c.urgency, _ECONSULT.c.urgency_advice,
                _ECONSULT.c.advice_dismissed, _ECONSULT.c.unread, _ECONSULT.c.waiting_since,
                _ECONSULT.c.sort_rank).where(_ECONSULT.c.id.in_(wanted))).all():
            advice = list(row.urgency_advice or [])
            known = {entry.get("category") for entry in advice}
            for entry in found[row.id]:
                if entry["category"] not in known:
                    advice.append(entry)
                    known.add(entry["category"])
            rank = compute_sort_rank(row.urgency, advice, row.advice_dismissed,
                                     row.waiting_since)
            if advice != list(row.urgency_advice or []) or rank != row.sort_rank:
                changes.append({"eid": row.id, "new_advice": advice or None, "new_rank": rank})
        if changes:
            connection.execute(
                update(_ECONSULT).where(_ECONSULT.c.id == bindparam("eid")).values(
                    urgency_advice=bindparam("new_advice"), sort_rank=bindparam("new_rank")),
                changes)


class AdviceWorker:
    """A thread that advises what the committed pages brought, newest first. While the pull
    goes on it works only when the pull waits for the portal, and stops after the message at
    hand once the pull has work again, so it hardly competes with the pull for the
    interpreter; once the pages are in it works on without pause. The pull waits for it at
    the end."""

    POLITE_BATCH = 10  # a few milliseconds of work each: the pull gets the interpreter back soon

    def __init__(self, service: AdviceService,
                 should_stop: Callable[[], bool] = lambda: False) -> None:
        self._service = service
        self._should_stop = should_stop
        self._finishing = threading.Event()
        self._portal_wait = threading.Event()  # set while the pull waits for the portal
        self._thread = threading.Thread(target=self._run, name="advice", daemon=True)
        self.advised = 0
        self.failure: BaseException | None = None
        self.done_at: float | None = None  # time.perf_counter() when the last one was advised
        self.seconds_advising = 0.0  # time spent in the advice itself, for the benchmark

    def start(self) -> AdviceWorker:
        self._thread.start()
        return self

    def waiting_for_portal(self, waiting: bool) -> None:
        """The pull says when it waits on the network: the time the advice may use."""
        if waiting:
            self._portal_wait.set()
        else:
            self._portal_wait.clear()

    def finishing(self) -> None:
        """No more pages come: advise what is left without pause, then stop."""
        self._finishing.set()
        self._portal_wait.set()

    def join(self) -> None:
        self.finishing()
        self._thread.join()

    def _run(self) -> None:
        try:
            while not self._should_stop():
                self._portal_wait.wait()
                finishing = self._finishing.is_set()
                if not finishing and not self._service.ready():
                    self._finishing.wait(0.05)  # not built yet: that waits for the pull's end
                    continue
                started = time.perf_counter()
                # Beside the pull, a batch ends as soon as the pull has work again: the
                # pipeline's few milliseconds a message then never hold up a page.
                count = self._service.advise_pending(BATCH) if finishing else \
                    self._service.advise_pending(self.POLITE_BATCH, self._portal_wait.is_set)
                self.seconds_advising += time.perf_counter() - started
                self.advised += count
                if not count and finishing:
                    break
                if not count:
                    # Nothing stored yet that needs advice: look again shortly.
                    self._finishing.wait(0.05)
            self.done_at = time.perf_counter()
        except BaseException as exc:  # noqa: BLE001 - reported by the pull, not lost
            self.failure = exc
            log.error("urgency advice failed: %s", type(exc).__name__, exc_info=True)


def _second_contact(advisor: UrgencyAdvisor, thread: dict[str, Any]) -> list[dict[str, Any]]:
    """The second-contact entry, naming the earlier e-consult (id and when it came) so the
    banner can say which one it was and open it."""
    earlier = thread["earlier"]
    found = advisor.earlier_contact(as_utc(thread["received_at"]), thread["subject"],
                                    [(when, subject) for _eid, when, subject in earlier])
    if found is None:
        return []
    earlier_id, earlier_at, _subject = earlier[found]
    return [{"category": advisor.second_contact[0], "words": "", "earlier_id": earlier_id,
             "earlier_at": earlier_at.isoformat()}]


def _age_days(birth: date | None, sent: datetime | None) -> int | None:
    if birth is None or sent is None:
        return None
    return (as_utc(sent).date() - birth).days


def _writer(author_kind: Any, relationship_code: str | None) -> str:
    kind = author_kind.value if isinstance(author_kind, AuthorKind) else author_kind
    if kind == AuthorKind.PATIENT.value:
        return "patient"
    code = (relationship_code or "").upper()
    if code in _PARTNER_CODES:
        return "partner"
    if code in _PARENT_CODES:
        return "parent"
    return "other"
