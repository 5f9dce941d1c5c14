"""One pull at a time into a shared database, and the others know who pulls: real PostgreSQL,
the other workstation in a separate process (and in this one, on its own engine)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import _fresh_postgres
from workbench.services.portal_client import PortalClient
from workbench.services.pull_lock import PULL_LOCK_KEY, pull_holder
from workbench.services.sync import SyncService
from workbench.store import database
from workbench.store.blobs import BlobStore

_HOLD_THE_PULL_LOCK = """
import sys
from sqlalchemy import text
from workbench.services.pull_lock import PULL_LOCK_KEY
from workbench.store import database
engine = database.make_engine(sys.argv[1], workstation=sys.argv[2])
with engine.connect() as connection:
    assert connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": PULL_LOCK_KEY}).scalar()
    connection.commit()
    print("pulling", flush=True)
    sys.stdin.readline()  # until told the pull is over
"""


@pytest.fixture
def shared_database():
    url = _fresh_postgres()
    engine = database.make_engine(url, workstation="Balie")
    database.upgrade(engine)
    yield url, engine
    engine.dispose()


def test_a_pull_skipped_for_another_workstation_names_it_then_pulls_when_it_ended(
        shared_database, start_portal, tmp_path):
    url, engine = shared_database
    portal = start_portal(seed=19, consults=20, photo_share=0.0)
    other = subprocess.Popen([sys.executable, "-c", _HOLD_THE_PULL_LOCK, url, "Spreekkamer 2"],
                             cwd=Path(__file__).resolve().parents[1], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "pulling"
        assert pull_holder(engine) == "Spreekkamer 2"
        skipped = SyncService(PortalClient(portal.base_url), engine,
                              BlobStore(tmp_path / "a")).run()
        assert skipped.skipped and skipped.created == 0
        assert skipped.pulling_elsewhere == "Spreekkamer 2"
    finally:
        other.communicate("done\n", timeout=60)
    assert pull_holder(engine) is None
    pulled = SyncService(PortalClient(portal.base_url), engine, BlobStore(tmp_path / "a")).run()
    assert not pulled.skipped and pulled.pulling_elsewhere is None
    assert pulled.created == len(portal.dataset.valid_message_ids)


def test_a_workstation_killed_while_pulling_frees_the_pull_at_once(shared_database):
    url, engine = shared_database
    other = subprocess.Popen([sys.executable, "-c", _HOLD_THE_PULL_LOCK, url, "Spreekkamer 3"],
                             cwd=Path(__file__).resolve().parents[1], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    assert other.stdout.readline().strip() == "pulling"
    assert pull_holder(engine) == "Spreekkamer 3"
    other.kill()
    other.wait(timeout=30)
    # The server ends a dead client's session, and with it the lock.
    for _ in range(100):
        if pull_holder(engine) is None:
            break
        time.sleep(0.1)
    assert pull_holder(engine) is None


def test_a_holder_that_does_not_name_itself_is_unnamed_and_the_name_is_this_host_by_default(
        shared_database):
    url, engine = shared_database
    default = database.make_engine(url)
    with default.connect() as connection:
        assert connection.scalar(text("SELECT current_setting('application_name')")) == \
            database.application_name(socket.gethostname())
    default.dispose()
    assert database.application_name("x" * 200).startswith("Workbench x")
    assert len(database.application_name("é" * 200).encode()) <= 63
    plain = create_engine(database.normalise_url(url) + "?application_name=psql")
    with plain.connect() as tool:
        tool.execute(text("SELECT pg_advisory_lock(:k)"), {"k": PULL_LOCK_KEY})
        tool.commit()
        assert pull_holder(engine) == ""
        tool.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PULL_LOCK_KEY})
        tool.commit()
    plain.dispose()
    assert pull_holder(engine) is None


def test_on_sqlite_nobody_else_pulls(sqlite_url):
    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    assert pull_holder(engine) is None
    engine.dispose()
