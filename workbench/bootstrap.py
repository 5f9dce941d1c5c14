"""Builds the store, portal client and sync service from settings (shared by CLI and window)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect

from workbench.config import ConfigError, Settings
from workbench.services.errors import DatabaseNotMigrated, DatabaseTooNew
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.shared_blobs import (
    PreviewStore,
    SharedBlobStore,
    SharedPreviewStore,
    refetch_missing,
    upload_local_blobs,
)

if TYPE_CHECKING:  # imported where used: the window starts without the HTTP stack
    from workbench.services.mail.connection import MailSettings
    from workbench.services.mail_outbox import MailReplySender
    from workbench.services.mail_sync import MailSyncService
    from workbench.services.portal_client import PortalClient
    from workbench.services.secrets import SecretStore
    from workbench.services.sync import SyncService

log = logging.getLogger(__name__)


@dataclass
class Store:
    """The database and the attachment bytes. On PostgreSQL `blobs` is a SharedBlobStore
    (bytes in the database, this workstation's cache on disk) and `previews` shares the
    photos' previews; on SQLite the bytes are files on this disk and `previews` is None."""

    engine: Engine
    blobs: BlobStore
    previews: PreviewStore | None = None
    _blobs_shared: bool = field(default=False, init=False, repr=False)
    _sharing: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def close(self) -> None:
        self.engine.dispose()


def make_store(engine: Engine, data_dir: Path) -> Store:
    """The practice's shared PostgreSQL database keeps attachments and previews itself, so that
    every workstation shows every photo; `data_dir/attachments` is then a cache."""
    folder = Path(data_dir) / "attachments"
    if engine.dialect.name == "postgresql":
        return Store(engine, SharedBlobStore(engine, folder), SharedPreviewStore(engine))
    return Store(engine, BlobStore(folder))


def share_blobs_once(store: Store) -> None:
    """PostgreSQL, once per process, before its first pull (on the pull's worker thread, not
    the GUI's): attachments that no workstation has shared and this one does not hold become
    pending for the pull to fetch from the portal again, then the blobs this workstation holds
    are uploaded. After the upgrade to shared blobs this brings every photo into the database;
    later it finds nothing to do. A caller that comes while it runs goes on without waiting."""
    if store._blobs_shared or not isinstance(store.blobs, SharedBlobStore):
        return
    if not store._sharing.acquire(blocking=False):
        return
    try:
        if store._blobs_shared:
            return
        cache = BlobStore(store.blobs.root)
        pending = refetch_missing(store.engine, cache)
        uploaded = upload_local_blobs(store.engine, cache)
        store._blobs_shared = True
        if pending or uploaded:
            log.info("shared blobs: %d uploaded from this workstation, %d to fetch again from "
                     "the portal", uploaded, pending)
    finally:
        store._sharing.release()


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
    return make_store(engine, settings.resolved_data_dir())


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
    """The pull's service; made where the pull runs (the CLI, the window's worker thread), so
    that is where this workstation first shares its blobs (share_blobs_once)."""
    from workbench.services.sync import SyncService
    share_blobs_once(store)
    return SyncService(client, store.engine, store.blobs, page_size=settings.page_size,
                       workers=settings.attachment_workers,
                       max_attachment_bytes=settings.max_attachment_mb * 1024 * 1024,
                       max_pages=settings.max_pages_per_pull)


def make_mail_settings(settings: Settings) -> MailSettings | None:
    """The mail channel's settings, or None where no mail account is configured."""
    from workbench.services.mail.connection import MailSettings
    if not settings.mail_enabled:
        return None
    if settings.mail_ca_bundle and not Path(settings.mail_ca_bundle).is_file():
        raise ConfigError(f"certificate file not found: {settings.mail_ca_bundle}")
    return MailSettings(
        imap_host=settings.mail_imap_host, smtp_host=settings.mail_smtp_host
        or settings.mail_imap_host, account=settings.mail_account,
        practice_address=settings.mail_address, imap_port=settings.mail_imap_port,
        smtp_port=settings.mail_smtp_port, imap_security=settings.mail_imap_security,
        smtp_security=settings.mail_smtp_security, folder=settings.mail_folder,
        processed_folder=settings.mail_processed_folder or None,
        provider_files_sent=settings.mail_provider_files_sent,
        ca_bundle=settings.mail_ca_bundle or None, timeout_s=settings.read_timeout_s)


def make_mail_sync_service(settings: Settings, store: Store) -> MailSyncService | None:
    """The mail channel's pull, or None where no mail account is configured."""
    from workbench.services.mail_sync import MailSyncService
    mail = make_mail_settings(settings)
    if mail is None:
        return None
    share_blobs_once(store)
    from workbench.services.advice import AdviceService
    return MailSyncService(mail, store.engine, store.blobs,
                           advise=AdviceService(store.engine).advise_all,
                           advise_text=advise_waiting_mail)


def advise_waiting_mail(text: str, subject: str) -> list[dict]:
    """Alarm signs in a mail nobody could link to a patient yet (writer and age unknown)."""
    from workbench.services.urgency import default_advisor
    return [finding.as_json() for finding in default_advisor().advise(text, subject=subject)]


def make_mail_reply_sender(settings: Settings, store: Store) -> MailReplySender | None:
    """Sends answers to mail e-consults from the outbox; None without a mail account."""
    from workbench.services.mail_outbox import MailReplySender
    mail = make_mail_settings(settings)
    if mail is None:
        return None
    return MailReplySender(mail, store.blobs, practice_name=settings.practice_name)
