"""Builds the store, portal client and sync service from settings (shared by CLI and window)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect

from workbench.config import ConfigError, Settings
from workbench.services.errors import DatabaseNotMigrated
from workbench.store import database
from workbench.store.blobs import BlobStore

if TYPE_CHECKING:  # imported where used: the window starts without the HTTP stack
    from workbench.services.portal_client import PortalClient
    from workbench.services.secrets import SecretStore
    from workbench.services.sync import SyncService


@dataclass
class Store:
    engine: Engine
    blobs: BlobStore

    def close(self) -> None:
        self.engine.dispose()


def open_store(settings: Settings, *, migrate_new_sqlite: bool = True) -> Store:
    """Open the configured database; a brand-new SQLite file is created and migrated, any other
    database must already be at the current migration (`workbench db upgrade`)."""
    url = settings.resolved_database_url()
    engine = database.make_engine(url)
    if not database.is_up_to_date(engine):
        is_new = not inspect(engine).get_table_names()
        if migrate_new_sqlite and is_new and engine.dialect.name == "sqlite":
            database.upgrade(engine)
        else:
            current = database.current_revision(engine)
            engine.dispose()
            raise DatabaseNotMigrated(
                f"database schema is at {current or 'nothing'}, this version needs "
                f"{database.head_revision()}")
    return Store(engine, BlobStore(settings.resolved_data_dir() / "attachments"))


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
                        retry=RetryPolicy(attempts=max(1, settings.retries)), **kwargs)


def make_sync_service(settings: Settings, store: Store, client: PortalClient) -> SyncService:
    from workbench.services.sync import SyncService
    return SyncService(client, store.engine, store.blobs, page_size=settings.page_size,
                       workers=settings.attachment_workers,
                       max_attachment_bytes=settings.max_attachment_mb * 1024 * 1024)
