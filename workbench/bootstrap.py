"""Builds the store, portal client and sync service from settings (shared by CLI and window)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect

from workbench.config import ConfigError, Settings
from workbench.services.errors import DatabaseNotMigrated, DatabaseTooNew
from workbench.store import database
from workbench.store.blobs import BlobStore

if TYPE_CHECKING:  # imported where used: the window starts without the HTTP stack
    from workbench.services.portal_client import PortalClient
    from workbench.services.secrets import SecretStore
    from workbench.services.sync import SyncService

log = logging.getLogger(__name__)


@dataclass
class Store:
    engine: Engine
    blobs: BlobStore

    def close(self) -> None:
        self.engine.dispose()


def open_store(settings: Settings, *, migrate_sqlite: bool = True) -> Store:
    """Open the configured database at this version's migration. A SQLite store (one per
    workstation) is created, or migrated after a backup if it holds data, here; a kill at any
    moment leaves it usable (see database.create_sqlite_store and migrations/env.py). The
    practice's shared PostgreSQL database is upgraded once by IT (`workbench db upgrade`), not
    by whichever workstation starts first."""
    url = settings.resolved_database_url()
    path = database.sqlite_path(url)
    if path is not None and migrate_sqlite:
        database.ensure_sqlite_store(path)
    elif path is not None and not path.exists():
        raise _not_migrated(None)  # rather than leave an empty file behind
    engine = database.make_engine(url)
    try:
        current = database.current_revision(engine)
        if current != database.head_revision():
            if not (migrate_sqlite and engine.dialect.name == "sqlite"):
                raise _not_migrated(current)
            migrate_with_backup(engine, current)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, BlobStore(settings.resolved_data_dir() / "attachments"))


def migrate_with_backup(engine: Engine, current: str | None) -> Path | None:
    """Bring a store from its `current` revision to this version; a SQLite store with data is
    backed up first (returned; an unchanged store reuses its newest backup, see
    database.backup_sqlite). The migrations run in one transaction, so if one fails the store
    stays at `current`, working, and the error is raised."""
    if database.is_newer_than_this_version(current):
        raise _not_migrated(current)
    backup = None
    if engine.dialect.name == "sqlite" and inspect(engine).get_table_names():
        backup = database.backup_sqlite(engine)
    database.upgrade(engine)
    log.info("store migrated from %s to %s", current or "empty", database.head_revision())
    return backup


def _not_migrated(current: str | None) -> DatabaseNotMigrated:
    if database.is_newer_than_this_version(current):
        return DatabaseTooNew(
            f"database schema is at {current}, made by a newer Workbench than this one "
            f"({database.head_revision()}): install the newer version on this workstation")
    return DatabaseNotMigrated(f"database schema is at {current or 'nothing'}, this version "
                               f"needs {database.head_revision()}")


def make_portal_client(settings: Settings, secrets: SecretStore | None = None,
                       **kwargs) -> PortalClient:
    from workbench.services.portal_client import PortalClient, RetryPolicy
    from workbench.services.secrets import SecretStore
    if not settings.portal_url:
        raise ConfigError("no portal address is configured (option portal_url)")
    credentials = None
    if settings.auth != "none":
        credentials = (secrets or SecretStore()).get_portal_credentials(settings.portal_url)
    cert: tuple[str, str] | str | None = None
    if settings.client_cert:
        cert = (settings.client_cert, settings.client_key) if settings.client_key \
            else settings.client_cert
    for path in filter(None, (settings.ca_bundle, settings.client_cert, settings.client_key)):
        if not Path(path).is_file():
            raise ConfigError(f"certificate file not found: {path}")
    return PortalClient(settings.portal_url, credentials=credentials,
                        ca_bundle=settings.ca_bundle or None, client_cert=cert,
                        timeout=(settings.connect_timeout_s, settings.read_timeout_s),
                        retry=RetryPolicy(attempts=max(1, settings.retries)),
                        max_response_bytes=settings.max_response_mb * 1024 * 1024,
                        deadline_s=settings.request_deadline_s, **kwargs)


def make_sync_service(settings: Settings, store: Store, client: PortalClient) -> SyncService:
    from workbench.services.sync import SyncService
    return SyncService(client, store.engine, store.blobs, page_size=settings.page_size,
                       workers=settings.attachment_workers,
                       max_attachment_bytes=settings.max_attachment_mb * 1024 * 1024,
                       max_pages=settings.max_pages_per_pull)
