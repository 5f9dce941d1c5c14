"""Shared fixtures: hermetic configuration and keyring, real SQLite and PostgreSQL stores,
and the demo portal over real HTTP on loopback."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import text

from workbench.store import database

_SERVER_URL = os.environ.get("WORKBENCH_TEST_POSTGRES_URL")


def _own_database_url(server_url: str | None) -> str | None:
    """A database of this test process's own beside the configured one, so test runs that
    share a server (CI and a developer, or two developers) never drop each other's tables."""
    if not server_url:
        return None
    from sqlalchemy.engine import make_url
    url = make_url(database.normalise_url(server_url))
    return url.set(database=f"{url.database}_{os.getpid()}").render_as_string(
        hide_password=False)


POSTGRES_URL = _own_database_url(_SERVER_URL)
_created: list[str] = []


def _ensure_own_database() -> None:
    """Created on first use and dropped when the process ends."""
    if _created or not POSTGRES_URL:
        return
    import atexit

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    name = make_url(POSTGRES_URL).database
    server = create_engine(database.normalise_url(_SERVER_URL), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        # The module may be imported twice (as conftest and as tests.conftest): make it once.
        if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                             {"name": name}):
            _created.append(name)
            return
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    _created.append(name)

    def drop() -> None:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()
    atexit.register(drop)


@pytest.fixture(autouse=True)
def hermetic_environment(tmp_path, monkeypatch):
    """No test reads the machine's or the user's configuration or keyring."""
    home = tmp_path / "home"
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.setenv("WORKBENCH_CONFIG", str(tmp_path / "machine" / "workbench.toml"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    for name in list(os.environ):
        if name.startswith("WORKBENCH_") and name not in ("WORKBENCH_CONFIG",
                                                          "WORKBENCH_TEST_POSTGRES_URL"):
            monkeypatch.delenv(name)
    import keyring
    from keyrings.alt.file import PlaintextKeyring
    backend = PlaintextKeyring()
    backend.file_path = str(home / "keyring.cfg")
    keyring.set_keyring(backend)
    # The practice's audit key, as IT sets it on every workstation: without one no audit event
    # can be written (tests of that take it away with `no_audit_key`).
    from workbench.services import secrets
    monkeypatch.setattr(secrets, "_process_audit_key", None)
    secrets.set_audit_key(TEST_AUDIT_KEY)
    yield


TEST_AUDIT_KEY = bytes(range(32))


@pytest.fixture
def no_audit_key():
    """A workstation on which IT has not set the audit key."""
    from workbench.services import secrets
    secrets.delete_audit_key()


@pytest.fixture
def keyring_backend():
    import keyring
    return keyring.get_keyring()


def _fresh_postgres() -> str:
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("WORKBENCH_TEST_POSTGRES_URL is not set in CI")
        pytest.skip("no PostgreSQL configured (WORKBENCH_TEST_POSTGRES_URL)")
    _ensure_own_database()
    engine = database.make_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """An empty database of each kind: a SQLite file, and the PostgreSQL test database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / f'store-{uuid.uuid4().hex[:6]}.sqlite3'}"
    return _fresh_postgres()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'store.sqlite3'}"


@pytest.fixture
def migrated_engine(store_url):
    engine = database.make_engine(store_url)
    database.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def start_portal():
    """Starts demo portals on loopback (port 0) and stops them after the test."""
    from workbench.demo.server import DemoPortal, PortalOptions
    portals = []

    def start(**options) -> DemoPortal:
        options.setdefault("photo_size", (800, 600))  # above the inline limit: Binary URLs
        portal = DemoPortal(PortalOptions(**options))
        portal.start("127.0.0.1", 0)
        portals.append(portal)
        return portal
    yield start
    for portal in portals:
        portal.stop()
