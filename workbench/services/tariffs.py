"""The NZa's time-based consult tariffs per year: the files shipped, put beside the machine-wide
configuration by IT or loaded by the practice into the store, checked strictly, and which one
serves a year."""

from __future__ import annotations

import dataclasses
import enum
import functools
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from workbench.config import Settings, machine_config_in_use
from workbench.resources import RESOURCE_DIR
from workbench.store.models import TariffFile as TariffFileRow

TARIFF_FOLDER = RESOURCE_DIR / "tariffs"


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
