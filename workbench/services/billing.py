"""Time-based consult tariffs: measuring direct time, proposing and recording declarations."""

from __future__ import annotations

import csv
import dataclasses
import enum
import functools
import io
import itertools
import json
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

from workbench.config import Settings, machine_config_in_use
from workbench.resources import RESOURCE_DIR
from workbench.services.audit import write_audit_event
from workbench.services.rights import Permission, require
from workbench.services.spreadsheet import csv_text
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

TARIFF_FOLDER = RESOURCE_DIR / "tariffs"
PRACTICE_TZ = ZoneInfo("Europe/Amsterdam")
DECLARING_ROLES = (Role.GP, Role.POH, Role.ASSISTANT)


class BillingError(Exception):
    """A refused billing action; `code` is stable ("reason_required", "already_declared", ...)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


# -- tariffs ------------------------------------------------------------------------------------

# The NZa's time-based consult codes and their time ranges in whole seconds: every tariff file
# has exactly these (only the amounts change from year to year).
TARIFF_CODE_RANGES: dict[str, tuple[int, int | None]] = {
    "12010": (0, 299), "12011": (300, 1199), "12001": (1200, None)}
MAX_TARIFF_FILE_BYTES = 64 * 1024
MAX_AMOUNT_CENTS = 100_000  # a consult above € 1.000 is a typing error, not a tariff
TARIFFS_LOADED_EVENT = "tariffs_loaded"  # audit event of Beheer > Tarieven
_FILE_FIELDS = {"year", "to_confirm", "source", "decision", "codes"}
_CODE_FIELDS = {"code", "description", "min_seconds", "max_seconds", "amount_cents"}


class TariffOrigin(str, enum.Enum):
    """Where a tariff file comes from; a practice's file overrides IT's, which overrides ours."""

    PRACTICE = "practice"  # loaded under Beheer > Tarieven: in the store (or data folder)
    MACHINE = "machine"    # put by IT in tariffs/ beside the machine-wide configuration
    SHIPPED = "shipped"    # resources/tariffs, part of the release


class TariffFileError(BillingError):
    """A tariff file that is refused (code "bad_tariff_file"). `problem` says what is wrong, in
    a stable word the UI words for people: "unreadable", "too_large", "not_json", "field"
    (`detail` names it), "year_mismatch" (`detail` is the year in the file's name), "codes",
    "range" and "amount" (`detail` is the code)."""

    def __init__(self, problem: str, detail: str = "", message: str = "") -> None:
        super().__init__("bad_tariff_file", message or f"{problem} {detail}".strip())
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class TariffCode:
    code: str
    description: str
    amount_cents: int
    min_seconds: int = 0
    max_seconds: int | None = None


@dataclass(frozen=True)
class TariffTable:
    """One year's amounts. `year` is the year of the file the amounts come from; `for_year`
    the year they are used for (a year without a file of its own takes the nearest earlier
    year's). Amounts are `confirmed` only when the file is not a placeholder (`to_confirm`)
    and is the year's own."""

    year: int
    source: str
    to_confirm: bool
    codes: tuple[TariffCode, ...]
    for_year: int = 0
    origin: TariffOrigin = TariffOrigin.SHIPPED
    decision: str = ""  # the NZa decision (beschikking) the amounts come from, if given
    path: Path | None = None

    @property
    def fallback(self) -> bool:
        """Another year's amounts: the year asked for has no file of its own."""
        return bool(self.for_year) and self.for_year != self.year

    @property
    def confirmed(self) -> bool:
        return not self.to_confirm and not self.fallback

    def notice(self) -> str:
        """Which year's amounts these are and whether they are confirmed, in Dutch as the
        export is: "Bedragen van 2025" or "Bedragen van 2025; nog te bevestigen"."""
        text = f"Bedragen van {self.year}"
        return text if self.confirmed else f"{text}; nog te bevestigen"

    def code_for(self, seconds: float) -> TariffCode:
        """The code for this much direct time: 299 s is under 5 minutes, 300 s is not."""
        whole = max(0, int(seconds))
        for entry in self.codes:
            if entry.min_seconds <= whole and (entry.max_seconds is None
                                               or whole <= entry.max_seconds):
                return entry
        raise BillingError("no_tariff_code", str(whole))

    def by_code(self, code: str) -> TariffCode:
        for entry in self.codes:
            if entry.code == code:
                return entry
        raise BillingError("unknown_code", code)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _field(data: dict[str, Any], name: str, kind: type | tuple[type, ...], where: str,
           *, required: bool = True) -> Any:
    if name not in data:
        if required:
            raise TariffFileError("field", f"{where}{name}", f"{where}{name} is missing")
        return None
    value = data[name]
    if kind is int and not _is_int(value) or not isinstance(value, kind):
        raise TariffFileError("field", f"{where}{name}", f"{where}{name} has the wrong type")
    return value


def parse_tariff_file(text: str, *, name: str = "") -> TariffTable:
    """A tariff file's table, checked strictly (TariffFileError otherwise): only the known
    fields; `year`; the codes 12010, 12011 and 12001 each once with their NZa time ranges,
    descriptions and whole-cent amounts rising with the time; optional `to_confirm`, `source`
    and `decision` (the NZa decision's reference). A file named `<year>.json` must hold that
    year."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise TariffFileError("not_json", message=f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise TariffFileError("not_json", message="not a JSON object")
    unknown = sorted(set(data) - _FILE_FIELDS)
    if unknown:
        raise TariffFileError("field", unknown[0], f"unknown field {unknown[0]}")
    year = _field(data, "year", int, "")
    if not 2000 <= year <= 2100:
        raise TariffFileError("field", "year", f"year {year} is not a tariff year")
    stem = Path(name).stem
    if stem.isdigit() and int(stem) != year:
        raise TariffFileError("year_mismatch", stem, f"{name} holds the year {year}")
    to_confirm = _field(data, "to_confirm", bool, "", required=False) or False
    source = _field(data, "source", str, "", required=False) or ""
    decision = _field(data, "decision", str, "", required=False) or ""
    entries = _field(data, "codes", list, "")
    codes: dict[str, TariffCode] = {}
    for index, entry in enumerate(entries):
        where = f"codes[{index}]."
        if not isinstance(entry, dict):
            raise TariffFileError("field", f"codes[{index}]", f"codes[{index}] is no object")
        unknown = sorted(set(entry) - _CODE_FIELDS)
        if unknown:
            raise TariffFileError("field", where + unknown[0], f"unknown field {unknown[0]}")
        code = _field(entry, "code", str, where)
        if code not in TARIFF_CODE_RANGES or code in codes:
            raise TariffFileError("codes", code, f"code {code} unknown or twice")
        description = _field(entry, "description", str, where).strip()
        if not description or len(description) > 200:
            raise TariffFileError("field", where + "description",
                                  f"{where}description empty or too long")
        low = _field(entry, "min_seconds", int, where)
        if "max_seconds" not in entry:
            raise TariffFileError("field", where + "max_seconds", f"{where}max_seconds missing")
        high = entry["max_seconds"]
        if high is not None and not _is_int(high):
            raise TariffFileError("field", where + "max_seconds",
                                  f"{where}max_seconds has the wrong type")
        if (low, high) != TARIFF_CODE_RANGES[code]:
            raise TariffFileError("range", code, f"{code} has another time range")
        amount = _field(entry, "amount_cents", int, where)
        if not 0 < amount <= MAX_AMOUNT_CENTS:
            raise TariffFileError("amount", code, f"{code}: {amount} cents is not an amount")
        codes[code] = TariffCode(code=code, description=description, amount_cents=amount,
                                 min_seconds=low, max_seconds=high)
    missing = [c for c in TARIFF_CODE_RANGES if c not in codes]
    if missing:
        raise TariffFileError("codes", missing[0], f"code {missing[0]} is missing")
    ordered = tuple(codes[c] for c in TARIFF_CODE_RANGES)  # by time, shortest first
    longer = [b.code for a, b in itertools.pairwise(ordered)
              if a.amount_cents >= b.amount_cents]
    if longer:
        raise TariffFileError("amount", longer[0], f"{longer[0]} is not more than the shorter")
    return TariffTable(year=year, source=source, to_confirm=to_confirm, codes=ordered,
                       decision=decision)


def read_tariff_file(path: Path, origin: TariffOrigin = TariffOrigin.SHIPPED) -> TariffTable:
    """The checked table of one file (TariffFileError when it is refused)."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise TariffFileError("unreadable", message=f"{path}: {exc}") from exc
    return _read_tariff_file(path, stat.st_mtime_ns, stat.st_size, origin)


@functools.lru_cache(maxsize=64)
def _read_tariff_file(path: Path, _mtime_ns: int, size: int,
                      origin: TariffOrigin) -> TariffTable:
    # Keyed on the modification time too: a file loaded again is read again.
    if size > MAX_TARIFF_FILE_BYTES:
        raise TariffFileError("too_large", message=f"{path.name}: {size} bytes")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TariffFileError("unreadable", message=f"{path}: {exc}") from exc
    table = parse_tariff_file(text, name=path.name)
    return dataclasses.replace(table, origin=origin, path=path)


@dataclass(frozen=True)
class TariffFile:
    """A tariff file found in one of the folders: its table, or why it is refused."""

    year: int
    origin: TariffOrigin
    path: Path
    table: TariffTable | None
    problem: TariffFileError | None
    in_use: bool  # the file this year's amounts come from


def machine_tariff_folder() -> Path:
    """tariffs/ beside the machine-wide configuration file (set by IT)."""
    return machine_config_in_use().parent / "tariffs"


def practice_tariff_folder(data_dir: Path | None = None) -> Path:
    """tariffs/ in the data folder, where Beheer > Tarieven puts the practice's files."""
    if data_dir is None:
        data_dir = Settings().resolved_data_dir()
    return Path(data_dir) / "tariffs"


class TariffBook:
    """The tariff files of every year: the practice's (`practice`), IT's (`machine`) and the
    shipped ones (`shipped`), in that order of precedence. A refused file is passed over
    (and listed with its problem by `files()`), never half used."""

    def __init__(self, shipped: Path = TARIFF_FOLDER, *, machine: Path | None = None,
                 practice: Path | None = None, engine: Engine | None = None) -> None:
        self.shipped = shipped
        self.machine = machine
        self.practice = practice
        # The files the practice loaded, in the store: every workstation of a shared
        # database declares with them (they come before the data folder's).
        self.engine = engine

    @classmethod
    def default(cls, data_dir: Path | None = None, engine: Engine | None = None) -> TariffBook:
        return cls(machine=machine_tariff_folder(), practice=practice_tariff_folder(data_dir),
                   engine=engine)

    def _stored(self) -> list[TariffFile]:
        if self.engine is None:
            return []
        with Session(self.engine) as session:
            rows = session.execute(select(TariffFileRow.year, TariffFileRow.content)
                                   .order_by(TariffFileRow.year)).all()
        stored = []
        for year, content in rows:
            path = Path("store") / f"{year}.json"  # a name for the dialog, not on disk
            try:
                table, problem = dataclasses.replace(
                    parse_tariff_file(content, name=path.name),
                    origin=TariffOrigin.PRACTICE, path=path), None
            except TariffFileError as exc:
                table, problem = None, exc
            stored.append(TariffFile(year, TariffOrigin.PRACTICE, path, table, problem, False))
        return stored

    def _folders(self) -> list[tuple[TariffOrigin, Path]]:
        folders = [(TariffOrigin.PRACTICE, self.practice), (TariffOrigin.MACHINE, self.machine),
                   (TariffOrigin.SHIPPED, self.shipped)]
        return [(origin, folder) for origin, folder in folders if folder is not None]

    def files(self) -> list[TariffFile]:
        """Every `<year>.json` found, newest year first, in order of precedence per year."""
        stored = self._stored()
        found: list[tuple[int, TariffOrigin, Path]] = []
        for rank, (origin, folder) in enumerate(self._folders()):
            for year in available_tariff_years(folder):
                found.append((year, origin, folder / f"{year}.json"))
        order = {origin: rank for rank, (origin, _folder) in enumerate(self._folders())}
        found.sort(key=lambda item: (-item[0], order[item[1]]))
        result: list[TariffFile] = []
        used: set[int] = set()
        for file in stored:
            in_use = file.table is not None and file.year not in used
            if in_use:
                used.add(file.year)
            result.append(dataclasses.replace(file, in_use=in_use))
        for year, origin, path in found:
            try:
                table, problem = read_tariff_file(path, origin), None
            except TariffFileError as exc:
                table, problem = None, exc
            in_use = table is not None and year not in used
            if in_use:
                used.add(year)
            result.append(TariffFile(year, origin, path, table, problem, in_use))
        result.sort(key=lambda file: -file.year)  # stable: precedence kept per year
        return result

    def years(self) -> list[int]:
        return sorted({f.year for f in self.files() if f.table is not None})

    def for_year(self, year: int) -> TariffTable:
        """The amounts for `year`: its own file, or the nearest earlier year's (then the table
        says so: `fallback`, not `confirmed`). BillingError "no_tariff_table" when none."""
        usable = [f for f in self.files() if f.in_use and f.year <= year]
        if not usable:
            raise BillingError("no_tariff_table", str(year))
        best = max(usable, key=lambda f: f.year)
        assert best.table is not None
        return dataclasses.replace(best.table, for_year=year)

    def check(self, source: Path) -> tuple[TariffTable, bytes]:
        """The table of the file `source` (any name; a `<year>.json` must hold that year) and
        its bytes, or TariffFileError."""
        try:
            size = source.stat().st_size
            if size > MAX_TARIFF_FILE_BYTES:
                raise TariffFileError("too_large", message=f"{source.name}: {size} bytes")
            raw = source.read_bytes()
            text = raw.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise TariffFileError("unreadable", message=f"{source}: {exc}") from exc
        return parse_tariff_file(text, name=source.name), raw

    def install(self, table: TariffTable, raw: bytes) -> TariffTable:
        """Puts a checked file (`check`) in the practice folder as `<year>.json`, replacing
        an earlier one of that year."""
        if self.practice is None:
            raise BillingError("no_practice_tariff_folder")
        self.practice.mkdir(parents=True, exist_ok=True)
        target = self.practice / f"{table.year}.json"
        partial = target.with_suffix(".json.part")
        partial.write_bytes(raw)
        partial.replace(target)  # atomic: a reader sees the old file or the new one
        return read_tariff_file(target, TariffOrigin.PRACTICE)


def available_tariff_years(folder: Path = TARIFF_FOLDER) -> list[int]:
    return sorted(int(p.stem) for p in folder.glob("*.json") if p.stem.isdigit())


def load_tariffs(year: int, folder: Path = TARIFF_FOLDER) -> TariffTable:
    """The shipped table of `year`, or of the newest year before it (then `fallback`)."""
    return TariffBook(folder).for_year(year)


# -- measuring ----------------------------------------------------------------------------------

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
