"""Shared fixtures: hermetic configuration and keyring, real SQLite and PostgreSQL stores,
and the demo portal over real HTTP on loopback."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import text

from workbench.store import database

POSTGRES_URL = os.environ.get("WORKBENCH_TEST_POSTGRES_URL")


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
    yield


@pytest.fixture
def keyring_backend():
    import keyring
    return keyring.get_keyring()


def _fresh_postgres() -> str:
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("WORKBENCH_TEST_POSTGRES_URL is not set in CI")
        pytest.skip("no PostgreSQL configured (WORKBENCH_TEST_POSTGRES_URL)")
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
