"""Upgrading: a workstation's SQLite store is backed up, then migrated, when a new version
starts; the shared PostgreSQL database is left to IT; a newer store is refused in words."""

from __future__ import annotations

import shutil
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
    # The previous version's store, filled by a real pull (this version's sync needs this
    # version's schema, so it pulls at head and the store is then migrated down).
    path = settings.resolved_data_dir() / "workbench.sqlite3"
    engine = database.make_engine(settings.resolved_database_url())
    database.upgrade(engine)
    engine.dispose()
    previous = Store(database.make_engine(settings.resolved_database_url()),
                     BlobStore(settings.resolved_data_dir() / "attachments"))
    result = make_sync_service(settings, previous, make_portal_client(settings)).run()
    assert result.ok and result.created > 0
    from alembic import command
    command.downgrade(database._alembic_config(previous.engine), PREVIOUS_REVISION)
    previous.close()
    assert _revision(path) == PREVIOUS_REVISION
    econsults = _count(path, "econsult")

    store = open_store(settings)
    try:
        assert database.current_revision(store.engine) == database.head_revision()
        with store.engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM econsult")) == econsults
            assert connection.scalar(text("SELECT count(*) FROM declaration")) == 0
            # Search keeps following the messages: their full-text triggers survived.
            assert set(connection.scalars(text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'message'"))) == {
                "message_fts_insert", "message_fts_delete", "message_fts_update"}
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


def test_only_the_newest_backups_are_kept_and_an_unchanged_store_adds_none(settings):
    open_store(settings).close()
    engine = database.make_engine(settings.resolved_database_url())
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    made = []
    for day in range(5):
        with engine.begin() as connection:  # the store changes between backups
            connection.execute(text("INSERT INTO patient (portal_id, name) VALUES (:id, 'P')"),
                               {"id": f"pat-{day}"})
        made.append(database.backup_sqlite(engine, start + timedelta(days=day)))
    again = database.backup_sqlite(engine, start + timedelta(days=9))
    engine.dispose()
    kept = sorted(made[0].parent.glob("*.sqlite3"))
    assert kept == made[-database.BACKUPS_KEPT:]
    assert again == made[-1]  # unchanged since: no new copy, none rotated out


BROKEN_MIGRATION = """
import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down}"


def upgrade() -> None:
    op.create_table("broken", sa.Column("id", sa.Integer(), primary_key=True))
    with op.batch_alter_table("patient", recreate="always") as batch_op:  # a table copy
        batch_op.add_column(sa.Column("broken", sa.String(10)))
    op.execute("UPDATE patient SET name = 'overwritten'")
    raise RuntimeError("migration {revision} is broken")
"""


def test_a_broken_upgrade_retried_keeps_the_last_good_backup(tmp_path, monkeypatch):
    settings = load_settings({"data_dir": str(tmp_path / "data"), "auth": "none"})
    path = settings.resolved_data_dir() / "workbench.sqlite3"
    engine = database.make_engine(settings.resolved_database_url())
    database.upgrade(engine, PREVIOUS_REVISION)
    with engine.begin() as connection:
        for n in range(25):
            connection.execute(text("INSERT INTO patient (portal_id, name) VALUES (:id, :name)"),
                               {"id": f"pat-{n}", "name": f"Patiënt {n}"})
    engine.dispose()
    open_store(settings).close()  # a good upgrade, backed up first
    [older] = (path.parent / "backups").glob("*.sqlite3")

    # A next version whose migration fails every time, started again and again.
    migrations = tmp_path / "migrations"
    shutil.copytree(database.MIGRATIONS, migrations,
                    ignore=shutil.ignore_patterns("__pycache__"))
    good = database.head_revision()
    broken = f"{int(good) + 1:04d}"
    (migrations / "versions" / f"{broken}_broken.py").write_text(
        BROKEN_MIGRATION.format(revision=broken, down=good))
    monkeypatch.setattr(database, "MIGRATIONS", migrations)
    monkeypatch.setattr(database, "HEAD_REVISION", broken)
    for _attempt in range(4):
        with pytest.raises(RuntimeError, match=f"{broken} is broken"):
            open_store(settings)
        # Rolled back: the store is as it was, at the last good revision.
        assert _revision(path) == good
        with sqlite3.connect(path) as connection:
            assert connection.execute("SELECT count(*) FROM patient WHERE name LIKE 'Pati%'"
                                      ).fetchone() == (25,)
            assert "broken" not in {row[1] for row in
                                    connection.execute("PRAGMA table_info(patient)")}
            assert not connection.execute("SELECT name FROM sqlite_master WHERE name = "
                                          "'broken' OR name LIKE '%alembic_tmp%'").fetchall()

    # One backup of the store before the broken upgrade, however often it was retried, and
    # the backup before the good upgrade is still there too.
    backups = sorted((path.parent / "backups").glob("*.sqlite3"), key=lambda p: p.stat().st_mtime)
    assert backups[0] == older and len(backups) == 2
    assert _revision(backups[-1]) == good and _count(backups[-1], "patient") == 25
    assert _revision(older) == PREVIOUS_REVISION and _count(older, "patient") == 25

    # The last good backup opens with this version (at its revision, with its data).
    monkeypatch.undo()
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copy(backups[-1], restored / "workbench.sqlite3")
    store = open_store(load_settings({"data_dir": str(restored), "auth": "none"}))
    try:
        assert database.current_revision(store.engine) == database.head_revision() == good
        with store.engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM patient")) == 25
    finally:
        store.close()


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
