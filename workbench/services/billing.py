"""Time-based consult tariffs: measuring direct time, proposing and recording declarations."""

from __future__ import annotations

import csv
import dataclasses
import enum
import io
import math
import socket
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workbench.services.audit import write_audit_event
from workbench.services.rights import Permission, require
from workbench.services.spreadsheet import csv_text
from workbench.services.tariffs import (
    TARIFF_FOLDER,
    TARIFFS_LOADED_EVENT,
    BillingError,
    TariffBook,
    TariffOrigin,
    TariffTable,
    machine_tariff_folder,
    practice_tariff_folder,
)
from workbench.services.triage import Actor, AuditAction, record_audit
from workbench.store.models import (
    Declaration,
    DeclaredSegment,
    EConsult,
    Patient,
    Practitioner,
    Role,
    TimeSegment,
)
from workbench.store.models import TariffFile as TariffFileRow
from workbench.store.private_files import open_owner_only
from workbench.store.timeutil import as_utc

PRACTICE_TZ = ZoneInfo("Europe/Amsterdam")
DECLARING_ROLES = (Role.GP, Role.POH, Role.ASSISTANT)


@dataclass(frozen=True)
class SegmentDraft:
    """One finished run of direct time, not yet stored."""

    econsult_id: int | None
    patient_id: int
    started_at: datetime
    ended_at: datetime

    @property
    def duration(self) -> timedelta:
        return self.ended_at - self.started_at


class TimerState(str, enum.Enum):
    IDLE = "idle"          # nothing open
    RUNNING = "running"    # counting
    PAUSED = "paused"      # paused by hand
    UNFOCUSED = "unfocused"
    AWAY = "away"          # no input for longer than the idle limit, or the app did not run
    HELD = "held"          # another timer counts, a dialog is open, or the item is declared


class TimerClock:
    """Pure state machine of the consult timer, driven by the UI, with an injected clock.

    The UI calls `open()`/`close()` when an item is shown, `focus()` when the window gains or
    loses focus, `activity()` on keyboard or mouse input, `tick()` about once a second, and
    hands `take_segments()` to `BillingService.record_segments()` after each tick.

    Counting stops at the last input once the idle limit has passed (the idle time itself is
    never counted). A running period is cut into a finished segment every `checkpoint_every`,
    up to the last input, so a killed app loses at most the last few seconds (the checkpoint
    interval plus the time since the last input). A gap of more than `max_gap` between two
    calls (the app hung, was suspended or did not run) is never counted."""

    def __init__(self, clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc), *,
                 idle_limit: timedelta = timedelta(seconds=60),
                 checkpoint_every: timedelta = timedelta(seconds=15),
                 max_gap: timedelta = timedelta(seconds=10),
                 tz: tzinfo = PRACTICE_TZ) -> None:
        self._clock = clock
        self.idle_limit = idle_limit
        self.checkpoint_every = checkpoint_every
        self.max_gap = max_gap
        self._tz = tz
        self._item: tuple[int | None, int] | None = None  # (econsult_id, patient_id)
        self._focused = True
        self._paused = False
        self._run_start: datetime | None = None
        self._last_activity: datetime | None = None
        self._last_seen: datetime | None = None
        self._finished: list[SegmentDraft] = []
        self._holds: set[str] = set()  # reasons counting is held (not the person's pause)
        self._done: dict[tuple[date, int | None, int], timedelta] = defaultdict(timedelta)

    # -- state --------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._run_start is not None

    @property
    def state(self) -> TimerState:
        if self._item is None:
            return TimerState.IDLE
        if self._paused:
            return TimerState.PAUSED
        if self._holds:
            return TimerState.HELD
        if not self._focused:
            return TimerState.UNFOCUSED
        return TimerState.RUNNING if self.running else TimerState.AWAY

    @property
    def item(self) -> tuple[int | None, int] | None:
        return self._item

    def elapsed_today(self, econsult_id: int | None, patient_id: int | None = None
                      ) -> timedelta:
        """Time this timer counted today on the item (finished runs plus the current run);
        time stored by an earlier session comes from `BillingService.direct_seconds`."""
        now = self._clock()
        today = now.astimezone(self._tz).date()
        total = sum((v for (day, eid, pid), v in self._done.items()
                     if day == today and eid == econsult_id
                     and (patient_id is None or pid == patient_id)), timedelta())
        if self._run_start is not None and self._item is not None \
                and self._item[0] == econsult_id \
                and (patient_id is None or self._item[1] == patient_id):
            total += max(timedelta(), now - self._run_start)
        return total

    def counted_today(self, econsult_id: int | None, patient_id: int | None = None
                      ) -> timedelta:
        """As `elapsed_today`, but the current run only up to the last input: what would be
        stored if the idle limit passed now. It never goes down, so a display stays steady."""
        now = self._clock()
        total = self.elapsed_today(econsult_id, patient_id)
        if self._run_start is not None and self._item is not None \
                and self._item[0] == econsult_id \
                and (patient_id is None or self._item[1] == patient_id) \
                and self._last_activity is not None and self._last_activity < now:
            total -= now - max(self._last_activity, self._run_start)
        return total

    @property
    def holds(self) -> frozenset[str]:
        return frozenset(self._holds)

    def hold(self, reason: str) -> None:
        """Stop counting until `release(reason)` (another timer counts, a dialog is open)."""
        now = self._observe()
        self._stop(now)
        self._holds.add(reason)

    def release(self, reason: str) -> None:
        if reason not in self._holds:
            return
        now = self._observe()
        self._holds.discard(reason)
        if not self._holds:
            self._last_activity = now
            self._start(now)

    def unstored(self) -> timedelta:
        """Counted but not yet handed out by `take_segments()` (finished runs waiting plus the
        current run): add this to the stored `direct_seconds` for a display without counting
        anything twice."""
        now = self._clock()
        total = sum((d.duration for d in self._finished), timedelta())
        if self._run_start is not None:
            total += max(timedelta(), now - self._run_start)
        return total

    # -- events from the UI -------------------------------------------------------------------
    def open(self, econsult_id: int | None, patient_id: int) -> None:
        """An e-consult (or a practice-started message, econsult_id None) is shown."""
        now = self._observe()
        if self._item == (econsult_id, patient_id):
            self._last_activity = now
            self._start(now)
            return
        self._stop(now)
        self._item = (econsult_id, patient_id)
        self._paused = False  # a hand pause belongs to the item it was made on
        self._last_activity = now
        self._start(now)

    def close(self) -> None:
        now = self._observe()
        self._stop(now)
        self._item = None
        self._paused = False

    def focus(self, focused: bool) -> None:
        now = self._observe()
        self._focused = focused
        if focused:
            self._last_activity = now
            self._start(now)
        else:
            self._stop(now)

    def activity(self) -> None:
        """Keyboard or mouse input: resumes counting after idle."""
        now = self._observe()
        self._last_activity = now
        self._start(now)

    def pause(self) -> None:
        now = self._observe()
        self._stop(now)
        self._paused = True

    def resume(self) -> None:
        now = self._observe()
        self._paused = False
        self._last_activity = now
        self._start(now)

    def tick(self) -> None:
        """Called about once a second: idle detection and checkpoints."""
        now = self._observe()
        if self._run_start is None or self._last_activity is None:
            return
        if now - self._run_start >= self.checkpoint_every \
                and self._last_activity > self._run_start:
            self._cut(self._last_activity)
            self._run_start = self._last_activity

    def take_segments(self) -> list[SegmentDraft]:
        """The finished runs since the last call, to be stored."""
        taken, self._finished = self._finished, []
        return taken

    # -- internals ----------------------------------------------------------------------------
    def _observe(self) -> datetime:
        """Applies what happened since the previous call: a gap, then the idle limit."""
        now = self._clock()
        if self._run_start is not None and self._last_activity is not None:
            seen = self._last_seen or now
            if now - seen > self.max_gap:
                # The app did not run (or hung) between `seen` and now: count up to `seen`,
                # or up to the last input if the idle limit had passed by then.
                idle_by_then = seen - self._last_activity > self.idle_limit
                self._stop(self._last_activity if idle_by_then else seen)
            elif now - self._last_activity > self.idle_limit:
                self._stop(self._last_activity)
        self._last_seen = now
        return now

    def _start(self, now: datetime) -> None:
        if self._run_start is None and self._item is not None and self._focused \
                and not self._paused and not self._holds:
            self._run_start = now

    def _stop(self, end: datetime) -> None:
        if self._run_start is not None:
            self._cut(end)
        self._run_start = None

    def _cut(self, end: datetime) -> None:
        assert self._run_start is not None and self._item is not None
        if end <= self._run_start:
            return
        draft = SegmentDraft(self._item[0], self._item[1], self._run_start, end)
        self._finished.append(draft)
        day = self._run_start.astimezone(self._tz).date()
        self._done[(day, self._item[0], self._item[1])] += draft.duration


# -- service ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Proposal:
    """What would be declared: one person's undeclared direct time for a patient on a day."""

    patient_id: int
    practitioner_id: int
    econsult_id: int | None
    day: date
    seconds: int
    code: str
    description: str
    amount_cents: int
    segment_ids: tuple[int, ...]
    econsult_ids: tuple[int, ...] = ()
    tariff_year: int = 0
    tariff_to_confirm: bool = False
    patient_name: str = ""  # whose time it is: the declare dialog names this patient


@dataclass(frozen=True)
class ReportRow:
    day: date
    practitioner_id: int
    practitioner_name: str
    code: str
    count: int
    seconds: int
    amount_cents: int


@dataclass(frozen=True)
class CodeTotal:
    code: str
    count: int
    seconds: int
    amount_cents: int


CSV_HEADER = ["datum", "AGB zorgverlener", "zorgverlener", "BSN", "patiënt", "geboortedatum",
              "prestatiecode", "omschrijving", "minuten", "bedrag", "e-consult", "tarieven"]


@dataclass(frozen=True)
class _AuditSubject:
    """What record_audit reads of an e-consult; also for time without one."""

    id: int | None
    patient_id: int


def _segment_seconds(segment: TimeSegment) -> float:
    if segment.correction_seconds is not None:
        return float(segment.correction_seconds)
    return (as_utc(segment.ended_at) - as_utc(segment.started_at)).total_seconds()


def _tariff_note(table: TariffTable, declaration: Declaration) -> str:
    """The export's word on the amount: which year's amounts, and whether confirmed. An amount
    declared before the practice confirmed the year's tariffs says what the tariff is now."""
    note = table.notice()
    try:
        now = table.by_code(declaration.code).amount_cents
    except BillingError:
        return note
    if now != declaration.amount_cents:
        note += f"; gedeclareerd vóór bevestiging, nu {_euro(now)}"
    return note


def _euro(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d}"


class BillingService:
    """Stores measured time, proposes a consult code from it, records declarations."""

    def __init__(self, engine: Engine,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc), *,
                 per_patient_day: bool = False, tariffs_year: int | None = None,
                 tz: tzinfo = PRACTICE_TZ, workstation: str | None = None,
                 tariff_folder: Path = TARIFF_FOLDER, tariffs: TariffBook | None = None) -> None:
        self._engine = engine
        self._clock = clock
        self.per_patient_day = per_patient_day
        self._tariffs_year = tariffs_year
        self._tz = tz
        self._workstation = (workstation or socket.gethostname())[:100]
        # The practice's own files (Beheer > Tarieven) and IT's come before the shipped ones.
        self.tariffs = tariffs or TariffBook(tariff_folder, machine=machine_tariff_folder(),
                                             practice=practice_tariff_folder())

    def tariffs_for(self, day: date) -> TariffTable:
        """The amounts for `day`; the table says which year's they are and if confirmed."""
        return self.tariffs.for_year(self._tariffs_year or day.year)

    def unconfirmed_tariffs(self, days: Iterable[date]) -> list[TariffTable]:
        """The tables of these days whose amounts are not confirmed, one per year."""
        tables = {year: self.tariffs_for(date(year, 1, 1)) for year in {d.year for d in days}}
        return [tables[year] for year in sorted(tables) if not tables[year].confirmed]

    def load_tariff_file(self, source: Path, actor: Actor) -> TariffTable:
        """Beheer > Tarieven: checks the NZa tariff file `source` strictly (TariffFileError)
        and installs it as the practice's file of its year, audited. Only for a person who
        accounts for the declarations (rights.NotAllowed)."""
        table, raw = self.tariffs.check(Path(source))
        with Session(self._engine) as session, session.begin():
            if self.tariffs.engine is not None:
                # In the store, with its audit event: every workstation uses it from now on.
                session.merge(TariffFileRow(year=table.year, content=raw.decode("utf-8-sig"),
                                            loaded_at=self._clock(),
                                            loaded_by_id=actor.user_id))
            require(session, actor.user_id, Permission.EXPORT_DECLARATIONS)
            write_audit_event(session, event=TARIFFS_LOADED_EVENT, occurred_at=self._clock(),
                              user_id=actor.user_id, responsible_id=actor.responsible,
                              workstation=self._workstation,
                              detail={"year": table.year, "to_confirm": table.to_confirm,
                                      "amounts": {c.code: c.amount_cents
                                                  for c in table.codes}})
            session.flush()  # the event is written before the file; both or neither
            if self.tariffs.engine is not None:
                return dataclasses.replace(table, origin=TariffOrigin.PRACTICE,
                                           path=Path("store") / f"{table.year}.json")
            return self.tariffs.install(table, raw)

    def today(self) -> date:
        return self._clock().astimezone(self._tz).date()

    def _day_bounds(self, day_from: date, day_to: date) -> tuple[datetime, datetime]:
        start = datetime.combine(day_from, time(), self._tz).astimezone(timezone.utc)
        end = datetime.combine(day_to + timedelta(days=1), time(), self._tz)
        return start, end.astimezone(timezone.utc)

    # -- time ---------------------------------------------------------------------------------
    def record_segments(self, practitioner_id: int, drafts: Iterable[SegmentDraft]) -> list[int]:
        """Stores finished runs as unchangeable segments; zero-length ones are dropped."""
        now = as_utc(self._clock())
        rows = [TimeSegment(practitioner_id=practitioner_id, econsult_id=d.econsult_id,
                            patient_id=d.patient_id, started_at=as_utc(d.started_at),
                            ended_at=as_utc(d.ended_at), created_at=now)
                for d in drafts if d.ended_at > d.started_at]
        if not rows:
            return []
        with Session(self._engine) as session, session.begin():
            session.add_all(rows)
            session.flush()
            return [row.id for row in rows]

    def correct(self, econsult_id: int | None, patient_id: int, actor: Actor, seconds: int,
                reason: str, *, practitioner_id: int | None = None) -> int:
        """A correction by hand (seconds may be negative), with its reason, audited. It counts
        on today for the person whose time it is (the acting user unless given)."""
        reason = (reason or "").strip()
        if not reason:
            raise BillingError("reason_required")
        if int(seconds) == 0:
            raise BillingError("zero_correction")
        now = as_utc(self._clock())
        with Session(self._engine) as session, session.begin():
            if econsult_id is not None:
                consult = session.get(EConsult, econsult_id)
                if consult is None:
                    raise BillingError("unknown_econsult", str(econsult_id))
                if consult.patient_id != patient_id:
                    raise BillingError("patient_mismatch", str(econsult_id))
            row = TimeSegment(practitioner_id=practitioner_id or actor.user_id,
                              econsult_id=econsult_id, patient_id=patient_id, started_at=now,
                              ended_at=now, correction_seconds=int(seconds),
                              reason=reason[:300], created_at=now)
            session.add(row)
            session.flush()
            record_audit(session, _AuditSubject(econsult_id, patient_id),  # type: ignore[arg-type]
                         actor, AuditAction.TIME_CORRECTION, now,
                         {"segment_id": row.id, "seconds": int(seconds),
                          "practitioner_id": row.practitioner_id},
                         workstation=self._workstation)
            return row.id

    def _segments(self, session: Session, patient_id: int, day: date, *,
                  practitioner_id: int | None = None, econsult_id: int | None = None,
                  only_without_econsult: bool = False,
                  undeclared_only: bool = False) -> list[TimeSegment]:
        start, end = self._day_bounds(day, day)
        query = select(TimeSegment).where(TimeSegment.patient_id == patient_id,
                                          TimeSegment.started_at >= start,
                                          TimeSegment.started_at < end)
        if practitioner_id is not None:
            query = query.where(TimeSegment.practitioner_id == practitioner_id)
        if econsult_id is not None:
            query = query.where(TimeSegment.econsult_id == econsult_id)
        elif only_without_econsult:
            query = query.where(TimeSegment.econsult_id.is_(None))
        if undeclared_only:
            declared = select(DeclaredSegment.segment_id)
            query = query.where(TimeSegment.id.not_in(declared))
        return list(session.scalars(query.order_by(TimeSegment.id)))

    def direct_seconds(self, patient_id: int, day: date, *, practitioner_id: int | None = None,
                       econsult_id: int | None = None, undeclared_only: bool = False) -> int:
        """Measured time plus corrections of that (local) day, in whole seconds."""
        with Session(self._engine) as session:
            segments = self._segments(session, patient_id, day, practitioner_id=practitioner_id,
                                      econsult_id=econsult_id, undeclared_only=undeclared_only)
            return math.floor(sum(_segment_seconds(s) for s in segments) + 1e-6)

    # -- declaring ----------------------------------------------------------------------------
    def propose(self, econsult_id: int | None, practitioner_id: int, *,
                patient_id: int | None = None, day: date | None = None) -> Proposal | None:
        """The code for this person's undeclared direct time of the day: on this e-consult, or
        (per patient per day) on all that day's e-consults and messages of its patient.
        None when there is nothing (or no time left after corrections) to declare."""
        day = day or self.today()
        with Session(self._engine) as session:
            if econsult_id is not None:
                consult = session.get(EConsult, econsult_id)
                if consult is None:
                    raise BillingError("unknown_econsult", str(econsult_id))
                patient_id = consult.patient_id
            elif patient_id is None:
                raise BillingError("patient_required")
            if self.per_patient_day:
                segments = self._segments(session, patient_id, day,
                                          practitioner_id=practitioner_id, undeclared_only=True)
            else:
                segments = self._segments(session, patient_id, day,
                                          practitioner_id=practitioner_id,
                                          econsult_id=econsult_id,
                                          only_without_econsult=econsult_id is None,
                                          undeclared_only=True)
            patient = session.get(Patient, patient_id)
            name = patient.name if patient is not None else ""
        proposal = self._proposal(segments, patient_id, practitioner_id, econsult_id, day)
        if proposal is None:
            return None
        return dataclasses.replace(proposal, patient_name=name or "")

    def is_declared(self, econsult_id: int) -> bool:
        """Whether any time on this e-consult has been declared (by anyone)."""
        with Session(self._engine) as session:
            declared = select(DeclaredSegment.segment_id)
            return bool(session.scalar(select(func.count()).select_from(TimeSegment).where(
                TimeSegment.econsult_id == econsult_id, TimeSegment.id.in_(declared))))

    def _proposal(self, segments: list[TimeSegment], patient_id: int, practitioner_id: int,
                  econsult_id: int | None, day: date) -> Proposal | None:
        if not segments:
            return None
        seconds = math.floor(sum(_segment_seconds(s) for s in segments) + 1e-6)
        if seconds <= 0:
            return None
        table = self.tariffs_for(day)
        tariff = table.code_for(seconds)
        econsult_ids = tuple(sorted({s.econsult_id for s in segments
                                     if s.econsult_id is not None}))
        if self.per_patient_day:  # one e-consult only when the day had just one
            econsult_id = econsult_ids[0] if len(econsult_ids) == 1 else None
        return Proposal(patient_id=patient_id, practitioner_id=practitioner_id,
                        econsult_id=econsult_id, day=day, seconds=seconds, code=tariff.code,
                        description=tariff.description, amount_cents=tariff.amount_cents,
                        segment_ids=tuple(s.id for s in segments), econsult_ids=econsult_ids,
                        tariff_year=table.year, tariff_to_confirm=not table.confirmed)

    def declare(self, proposal: Proposal, actor: Actor, *, code: str | None = None,
                override_reason: str | None = None, by_hand: bool = False) -> int:
        """Records the declaration and the segments it counts, in one transaction; the time
        is recomputed from the segments. Another code than proposed needs a reason."""
        if not proposal.segment_ids:
            raise BillingError("nothing_to_declare")
        reason = (override_reason or "").strip() or None
        if by_hand and not reason:  # no declaration was proposed: say why it is made
            raise BillingError("reason_required")
        now = as_utc(self._clock())
        try:
            with Session(self._engine) as session, session.begin():
                person = session.get(Practitioner, proposal.practitioner_id)
                if person is None or person.role not in DECLARING_ROLES:
                    raise BillingError("not_allowed_to_declare", str(proposal.practitioner_id))
                segments = list(session.scalars(select(TimeSegment).where(
                    TimeSegment.id.in_(proposal.segment_ids))))
                if len(segments) != len(set(proposal.segment_ids)) or any(
                        s.practitioner_id != proposal.practitioner_id
                        or s.patient_id != proposal.patient_id for s in segments):
                    raise BillingError("segments_mismatch")
                if session.scalar(select(func.count()).select_from(DeclaredSegment).where(
                        DeclaredSegment.segment_id.in_(proposal.segment_ids))):
                    raise BillingError("already_declared")
                seconds = math.floor(sum(_segment_seconds(s) for s in segments) + 1e-6)
                table = self.tariffs_for(proposal.day)
                proposed = table.code_for(seconds)
                chosen = table.by_code(code) if code else proposed
                overridden = chosen.code != proposed.code
                if overridden and not reason:
                    raise BillingError("reason_required")
                row = Declaration(patient_id=proposal.patient_id,
                                  practitioner_id=proposal.practitioner_id,
                                  econsult_id=proposal.econsult_id, day=proposal.day,
                                  code=chosen.code, description=chosen.description,
                                  seconds=seconds, amount_cents=chosen.amount_cents,
                                  proposed_code=proposed.code,
                                  override_reason=(reason[:300] if (overridden or by_hand) and reason
                                                   else None),
                                  created_at=now)
                session.add(row)
                session.flush()
                session.add_all(DeclaredSegment(segment_id=s.id, declaration_id=row.id)
                                for s in segments)
                session.flush()
                detail: dict[str, Any] = {"declaration_id": row.id, "code": chosen.code,
                                          "proposed_code": proposed.code, "seconds": seconds,
                                          "segments": len(segments),
                                          "practitioner_id": proposal.practitioner_id}
                if by_hand:
                    detail["by_hand"] = True
                action = AuditAction.DECLARE_OVERRIDE if overridden else AuditAction.DECLARE
                record_audit(session, _AuditSubject(proposal.econsult_id,  # type: ignore[arg-type]
                                                    proposal.patient_id),
                             actor, action, now, detail, workstation=self._workstation)
                return row.id
        except IntegrityError as exc:  # another workstation declared the same time just now
            raise BillingError("already_declared") from exc

    # -- reporting ----------------------------------------------------------------------------
    def report(self, day_from: date, day_to: date) -> list[ReportRow]:
        """Declarations per day, person and code, with counts, time and amounts."""
        query = (select(Declaration.day, Practitioner.id, Practitioner.name, Declaration.code,
                        func.count(Declaration.id), func.sum(Declaration.seconds),
                        func.sum(Declaration.amount_cents))
                 .join(Practitioner, Practitioner.id == Declaration.practitioner_id)
                 .where(Declaration.day >= day_from, Declaration.day <= day_to)
                 .group_by(Declaration.day, Practitioner.id, Practitioner.name, Declaration.code)
                 .order_by(Declaration.day, Practitioner.name, Declaration.code))
        with Session(self._engine) as session:
            return [ReportRow(day=r[0], practitioner_id=r[1], practitioner_name=r[2],
                              code=r[3], count=int(r[4]), seconds=int(r[5] or 0),
                              amount_cents=int(r[6] or 0))
                    for r in session.execute(query)]

    @staticmethod
    def totals_by_code(rows: Iterable[ReportRow]) -> list[CodeTotal]:
        sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for row in rows:
            entry = sums[row.code]
            entry[0] += row.count
            entry[1] += row.seconds
            entry[2] += row.amount_cents
        return [CodeTotal(code, *values) for code, values in sorted(sums.items())]

    @staticmethod
    def total_amount_cents(rows: Iterable[ReportRow]) -> int:
        return sum(row.amount_cents for row in rows)

    def time_per_day(self, day_from: date, day_to: date,
                     practitioner_id: int | None = None) -> list[tuple[date, int]]:
        """Direct time (measured plus corrections) per local day, every day of the period."""
        start, end = self._day_bounds(day_from, day_to)
        query = select(TimeSegment).where(TimeSegment.started_at >= start,
                                          TimeSegment.started_at < end)
        if practitioner_id is not None:
            query = query.where(TimeSegment.practitioner_id == practitioner_id)
        totals: dict[date, float] = defaultdict(float)
        with Session(self._engine) as session:
            for segment in session.scalars(query):
                totals[as_utc(segment.started_at).astimezone(self._tz).date()] += \
                    _segment_seconds(segment)
        days = (day_to - day_from).days + 1
        return [(d, max(0, math.floor(totals[d] + 1e-6)))
                for d in (day_from + timedelta(days=i) for i in range(max(0, days)))]

    def export_csv(self, target: str | Path | TextIO, day_from: date, day_to: date,
                   actor: Actor) -> int:
        """One line per declaration for entry into the HIS: semicolons, UTF-8 with BOM, Dutch
        header. `tarieven` says which year's amounts apply and whether they are still to be
        confirmed ("Bedragen van 2025; nog te bevestigen" for 2026 without its own file). `minuten` is whole minutes (seconds // 60), as the code is chosen on seconds:
        4:59 is "4" with 12010. The file names patients with their BSN, so each patient in it
        gets an audit event for `actor`, committed only once the file is written; only a
        person with the right to export declarations may (rights.NotAllowed). Returns the
        number of declarations written."""
        query = (select(Declaration, Practitioner, Patient)
                 .join(Practitioner, Practitioner.id == Declaration.practitioner_id)
                 .join(Patient, Patient.id == Declaration.patient_id)
                 .where(Declaration.day >= day_from, Declaration.day <= day_to)
                 .order_by(Declaration.day, Practitioner.name, Declaration.id))
        with Session(self._engine) as session, session.begin():
            require(session, actor.user_id, Permission.EXPORT_DECLARATIONS)
            rows = list(session.execute(query).all())
            econsults: dict[int, list[int]] = defaultdict(list)
            if rows:
                pairs = session.execute(
                    select(DeclaredSegment.declaration_id, TimeSegment.econsult_id)
                    .join(TimeSegment, TimeSegment.id == DeclaredSegment.segment_id)
                    .where(DeclaredSegment.declaration_id.in_([d.id for d, _, _ in rows]),
                           TimeSegment.econsult_id.is_not(None)).distinct())
                for declaration_id, econsult_id in pairs:
                    econsults[declaration_id].append(econsult_id)
            lines: list[list[str]] = []
            per_patient: dict[int, list[int]] = defaultdict(list)
            tables: dict[int, TariffTable] = {}
            for declaration, person, patient in rows:
                year = declaration.day.year
                if year not in tables:
                    tables[year] = self.tariffs_for(declaration.day)
                ids = sorted(econsults.get(declaration.id, [])) or (
                    [declaration.econsult_id] if declaration.econsult_id else [])
                lines.append([
                    declaration.day.strftime("%d-%m-%Y"), person.agb_code or "", person.name,
                    patient.bsn or "", patient.name,
                    patient.birth_date.strftime("%d-%m-%Y") if patient.birth_date else "",
                    declaration.code, declaration.description, str(declaration.seconds // 60),
                    _euro(declaration.amount_cents), ",".join(str(i) for i in ids),
                    _tariff_note(tables[year], declaration)])
                per_patient[patient.id].append(declaration.id)
            now = self._clock()
            for patient_id, declaration_ids in per_patient.items():
                record_audit(session, _AuditSubject(None, patient_id),  # type: ignore[arg-type]
                             actor, AuditAction.EXPORT_DECLARATIONS, now,
                             {"declarations": declaration_ids, "from": day_from.isoformat(),
                              "to": day_to.isoformat()}, workstation=self._workstation)
            text = csv_text(CSV_HEADER, lines)  # a name like "=HYPERLINK(..." stays text
            if isinstance(target, (str, Path)):  # BSNs: readable by its owner only
                with open_owner_only(target, "w", encoding="utf-8-sig", newline="") as handle:
                    handle.write(text)
            else:
                target.write("\ufeff" + text)
        return len(rows)


def read_export(text: str) -> list[dict[str, str]]:
    """Parses an export back (for checks and tests): one dict per declaration."""
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
