"""Engines, sessions and migrations for the SQLite (embedded) and PostgreSQL (shared) store."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration; a test keeps it equal to Alembic's head. Knowing it without importing
# Alembic keeps the window's start-up light (Alembic loads only to migrate).
HEAD_REVISION = "0004"


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
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache for sync and search
    cursor.close()


def make_engine(url: str, **kwargs) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
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


def backup_sqlite(engine: Engine, now: datetime | None = None) -> Path:
    """A consistent copy of a SQLite store (SQLite's online backup, so the WAL is included) in
    `backups/` beside it, named after its revision and the time; the oldest beyond
    BACKUPS_KEPT are removed, since each holds patient data."""
    source_path = sqlite_path(engine.url)
    if source_path is None:
        raise ValueError("only a SQLite file store can be backed up this way")
    folder = source_path.parent / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{source_path.stem}-{current_revision(engine) or 'empty'}-{stamp}.sqlite3"
    source, copy = sqlite3.connect(source_path), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    for old in sorted(folder.glob(f"{source_path.stem}-*.sqlite3"),
                      key=lambda path: path.stat().st_mtime)[:-BACKUPS_KEPT]:
        old.unlink()
    log.info("backed up the store to %s", target)
    return target
