"""Upgrading: a workstation's SQLite store is backed up, then migrated, when a new version
starts; the shared PostgreSQL database is left to IT; a newer store is refused in words."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from workbench.bootstrap import Store, make_portal_client, make_sync_service, open_store
from workbench.config import load_settings
from workbench.services.errors import DatabaseNotMigrated
from workbench.store import database
from workbench.store.blobs import BlobStore

PREVIOUS_REVISION = "0003"


def _count(path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _revision(path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]


@pytest.fixture
def settings(tmp_path, start_portal):
    portal = start_portal(seed=3, consults=30, photo_size=(120, 90))
    return load_settings({"data_dir": str(tmp_path / "data"), "portal_url": portal.base_url,
                          "auth": "none"})


def test_a_sqlite_store_of_the_previous_version_is_backed_up_then_migrated(settings):
    # The previous version's store, filled by a real pull.
    path = settings.resolved_data_dir() / "workbench.sqlite3"
    engine = database.make_engine(settings.resolved_database_url())
    database.upgrade(engine, PREVIOUS_REVISION)
    engine.dispose()
    previous = Store(database.make_engine(settings.resolved_database_url()),
                     BlobStore(settings.resolved_data_dir() / "attachments"))
    result = make_sync_service(settings, previous, make_portal_client(settings)).run()
    assert result.ok and result.created > 0
    previous.close()
    econsults = _count(path, "econsult")

    store = open_store(settings)
    try:
        assert database.current_revision(store.engine) == database.head_revision()
        with store.engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM econsult")) == econsults
            assert connection.scalar(text("SELECT count(*) FROM declaration")) == 0
    finally:
        store.close()
    [backup] = (path.parent / "backups").glob("*.sqlite3")
    assert PREVIOUS_REVISION in backup.name
    assert _revision(backup) == PREVIOUS_REVISION
    assert _count(backup, "econsult") == econsults

    # Starting again migrates nothing and makes no new backup.
    open_store(settings).close()
    assert len(list((path.parent / "backups").glob("*.sqlite3"))) == 1


def test_a_new_store_is_created_without_a_backup(settings):
    store = open_store(settings)
    store.close()
    path = settings.resolved_data_dir() / "workbench.sqlite3"
    assert _revision(path) == database.head_revision()
    assert not (path.parent / "backups").exists()


def test_a_store_of_a_newer_version_is_refused_and_left_alone(settings):
    open_store(settings).close()
    path = settings.resolved_data_dir() / "workbench.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(DatabaseNotMigrated, match="newer Workbench"):
        open_store(settings)
    assert _revision(path) == "0099"
    assert not (path.parent / "backups").exists()


def test_only_the_newest_backups_are_kept(settings):
    open_store(settings).close()
    engine = database.make_engine(settings.resolved_database_url())
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    made = [database.backup_sqlite(engine, start + timedelta(days=day)) for day in range(5)]
    engine.dispose()
    kept = sorted(made[0].parent.glob("*.sqlite3"))
    assert kept == made[-database.BACKUPS_KEPT:]


@pytest.mark.postgres
def test_the_shared_postgresql_database_is_not_migrated_by_a_workstation(tmp_path):
    from tests.conftest import _fresh_postgres
    url = _fresh_postgres()
    engine = database.make_engine(url)
    database.upgrade(engine, PREVIOUS_REVISION)
    engine.dispose()
    settings = load_settings({"database_url": url, "data_dir": str(tmp_path)})
    with pytest.raises(DatabaseNotMigrated, match=f"at {PREVIOUS_REVISION}"):
        open_store(settings)
    engine = database.make_engine(url)
    assert database.current_revision(engine) == PREVIOUS_REVISION
    engine.dispose()
