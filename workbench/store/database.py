"""Engines, sessions and migrations for the SQLite (embedded) and PostgreSQL (shared) store."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from workbench.store.private_files import (
    OWNER_ONLY_FOLDER,
    create_owner_only,
    make_owner_only,
)

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration; a test keeps it equal to Alembic's head. Knowing it without importing
# Alembic keeps the window's start-up light (Alembic loads only to migrate).
HEAD_REVISION = "0015"


def normalise_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and file paths; use the psycopg 3 driver."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser()}"
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the GUI read while the sync writes; NORMAL sync is safe with WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # SQLite's own 2 MiB a connection: 64 MiB bought no pull speed (50,000 e-consults: 464 s
    # vs 482 s at 2 MiB, within noise) and cost 89 MB of peak memory, since every pooled
    # connection keeps its cache; the operating system caches the file for all of them.
    cursor.execute("PRAGMA cache_size=-2000")
    cursor.close()


# PostgreSQL's application_name of a workstation's connections: "Workbench <workstation>", so
# the others can say who holds a lock (the pull's) and the administrator sees who is connected.
APPLICATION_PREFIX = "Workbench "
APPLICATION_NAME_MAX = 63  # PostgreSQL keeps at most 63 bytes of it


def application_name(workstation: str | None = None) -> str:
    """The application_name of this workstation's connections (cut to PostgreSQL's limit)."""
    name = APPLICATION_PREFIX + (workstation or socket.gethostname() or "workstation")
    encoded = name.encode("utf-8")[:APPLICATION_NAME_MAX]
    return encoded.decode("utf-8", errors="ignore")


def workstation_of(application: str | None) -> str | None:
    """The workstation named in a connection's application_name; None for a connection that
    is not a Workbench's (another tool, or no name)."""
    if not application or not application.startswith(APPLICATION_PREFIX):
        return None
    return application[len(APPLICATION_PREFIX):] or None


def make_engine(url: str, *, workstation: str | None = None, **kwargs) -> Engine:
    """An engine for the store. On PostgreSQL its connections carry this workstation's name
    (`workstation`, by default the host name) as their application_name, unless the URL sets
    one."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if "application_name" not in make_url(url).query:
        connect_args = dict(kwargs.pop("connect_args", None) or {})
        connect_args.setdefault("application_name", application_name(workstation))
        kwargs["connect_args"] = connect_args
    return create_engine(url, pool_pre_ping=True, **kwargs)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def _alembic_config(engine: Engine) -> Config:
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to `revision`."""
    from alembic import command
    command.upgrade(_alembic_config(engine), revision)


def head_revision() -> str:
    return HEAD_REVISION


def alembic_head_revision() -> str | None:
    from alembic.script import ScriptDirectory
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.scalar(text("SELECT version_num FROM alembic_version"))


def is_up_to_date(engine: Engine) -> bool:
    return current_revision(engine) == HEAD_REVISION


def is_newer_than_this_version(revision: str | None) -> bool:
    """A revision made by a newer Workbench (our revisions are zero-padded numbers)."""
    return revision is not None and revision > HEAD_REVISION


def sqlite_path(url: str | URL) -> Path | None:
    """The file of a SQLite store; None for another database or an in-memory one."""
    parsed = make_url(normalise_url(url) if isinstance(url, str) else url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


BACKUPS_KEPT = 3
_COMPANIONS = ("-wal", "-shm", "-journal")  # SQLite's files beside a database file


def ensure_sqlite_store(path: Path) -> None:
    """Create the SQLite store at `path` unless it is there (a half-created one from an older
    Workbench counts as not there); tidy what a creation killed after its rename left."""
    if path.exists() and not remove_half_created_sqlite(path):
        with contextlib.suppress(OSError):
            _creation_lock(path).unlink(missing_ok=True)  # see create_sqlite_store
        # A store an older Workbench made may be readable by others: it holds patient data.
        for part in (path, *_companions(path)):
            with contextlib.suppress(OSError):  # absent, or not ours to change
                make_owner_only(part)
        return
    create_sqlite_store(path)


def _creation_lock(path: Path) -> Path:
    return path.with_name(path.name + ".creating.lock")


def create_sqlite_store(path: Path) -> None:
    """Create a new SQLite store at `path`, migrated to this version, so that a kill at any
    moment leaves either no store or a complete one: it is built in `<name>.creating` beside
    it, made one self-contained file (WAL checkpointed away) and only then renamed into place.
    An OS lock, released by the OS if the process dies, keeps two first starts from building
    over each other; the next creator removes what a killed one left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + ".creating")
    lock = _creation_lock(path)
    with _exclusive_lock(lock):
        if path.exists():
            return  # another process created it while we waited
        # Leftovers of a killed creation, and journals of a deleted store (SQLite would apply
        # a stale -wal or -journal to the new file of that name).
        for leftover in (building, *_companions(building), *_companions(path)):
            leftover.unlink(missing_ok=True)
        create_owner_only(building)  # patient data: the owner's only, from the first byte
        engine = make_engine(f"sqlite:///{building}")
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        _make_self_contained(building)
        os.replace(building, path)
        _fsync_folder(path.parent)
    with contextlib.suppress(OSError):  # safe: whoever waits on it re-checks path.exists()
        lock.unlink(missing_ok=True)
    log.info("created the store %s", path)


def remove_half_created_sqlite(path: Path) -> bool:
    """Remove a store that an older Workbench began to create and was killed in (its DDL
    committed statement by statement): Alembic's table without a revision, every table empty.
    It holds nothing; True if removed, so that it is created anew."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=rw", uri=True)) as db:
            if db.execute("SELECT version_num FROM alembic_version").fetchone():
                return False
            tables = [name for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'message_fts%'")]
            if any(db.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone() for name in tables):
                return False
    except sqlite3.Error:
        return False  # no Alembic table, or not a database: opening it reports what it is
    log.warning("removing the half-created, empty store %s to create it anew", path)
    for leftover in (path, *_companions(path)):
        leftover.unlink(missing_ok=True)
    return True


def _companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in _COMPANIONS]


def _make_self_contained(path: Path) -> None:
    """Fold the WAL into the file and leave WAL mode, so the file alone is the whole database
    (it can be renamed or copied; make_engine turns WAL on again when it is opened)."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()
    for companion in _companions(path):
        companion.unlink(missing_ok=True)
    with open(path, "rb+") as file:  # on disk before the rename makes it the store
        os.fsync(file.fileno())


def _fsync_folder(folder: Path) -> None:
    if os.name != "nt":  # Windows cannot open a folder; NTFS journals renames itself
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@contextlib.contextmanager
def _exclusive_lock(path: Path):
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if os.name == "nt":
            import msvcrt
            msvcrt.locking(descriptor, msvcrt.LK_LOCK, 1)  # retries for about 10 s
            try:
                yield
            finally:
                os.lseek(descriptor, 0, os.SEEK_SET)
                msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
    finally:
        os.close(descriptor)


def backup_sqlite(engine: Engine, now: datetime | None = None) -> Path:
    """A consistent copy of a SQLite store (SQLite's online backup, so the WAL is included) in
    `backups/` beside it, named after its revision and the time, and returned.

    Rotation never drops the last good backup:
    - A backup is added only when the store differs from the newest backup; otherwise that
      newest backup is returned. A migration runs in one transaction, so a failed or killed
      attempt leaves the store unchanged: retrying a broken upgrade any number of times adds
      no backup and so removes none.
    - Then the oldest beyond BACKUPS_KEPT are removed (each holds patient data); the newest,
      the copy of the store as it was before the pending migration, is always among those kept.
    - A backup is written under a temporary name and renamed when complete, so a kill never
      leaves a partial copy that counts as a backup."""
    source_path = sqlite_path(engine.url)
    if source_path is None:
        raise ValueError("only a SQLite file store can be backed up this way")
    folder = source_path.parent / "backups"
    folder.mkdir(parents=True, exist_ok=True, mode=OWNER_ONLY_FOLDER)
    pattern = f"{source_path.stem}-*.sqlite3"
    for leftover in folder.glob(f".{pattern}.partial*"):  # of a killed backup
        leftover.unlink(missing_ok=True)
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    name = f"{source_path.stem}-{current_revision(engine) or 'empty'}-{stamp}"
    partial = folder / f".{name}.sqlite3.partial"
    create_owner_only(partial)  # a copy of the patient data: the owner's only
    source, copy = sqlite3.connect(source_path), sqlite3.connect(partial)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # self-contained, opens read-only too
    finally:
        copy.close()
        source.close()
    existing = sorted(folder.glob(pattern), key=lambda path: (path.stat().st_mtime, path.name))
    if existing and _same_database(partial, existing[-1]):
        partial.unlink()
        log.info("the store is unchanged since its backup %s", existing[-1])
        return existing[-1]
    target, number = folder / f"{name}.sqlite3", 1
    while target.exists():  # two backups in one second must not overwrite each other
        number += 1
        target = folder / f"{name}-{number}.sqlite3"
    os.replace(partial, target)
    for old in [*existing, target][:-BACKUPS_KEPT]:
        old.unlink()
    log.info("backed up the store to %s", target)
    return target


def _same_database(first: Path, second: Path, chunk: int = 1 << 20) -> bool:
    """Byte for byte the same database, ignoring the header's change counter (offset 24) and
    SQLite version fields (92, 96), which a copy may set differently for the same content."""
    if first.stat().st_size != second.stat().st_size:
        return False
    with open(first, "rb") as a, open(second, "rb") as b:
        head_a, head_b = bytearray(a.read(100)), bytearray(b.read(100))
        for offset in (24, 92, 96):
            head_a[offset:offset + 4] = head_b[offset:offset + 4] = bytes(4)
        if head_a != head_b:
            return False
        while True:
            block_a, block_b = a.read(chunk), b.read(chunk)
            if block_a != block_b:
                return False
            if not block_a:
                return True
