"""Attachment bytes and their previews in the practice's shared PostgreSQL database.

With several workstations on one database every one of them must show every photo, so the
bytes live in table `blob` (content-addressed by SHA-256) and the previews made from them in
`blob_preview`. Each workstation keeps a disk cache of what it used: it may be deleted at any
time and fills again from the database. On SQLite (one workstation) BlobStore alone is used.

After the upgrade that brought these tables, each workstation uploads the blobs it holds
(`upload_local_blobs`), and attachments held by nobody are fetched again from the portal
(`refetch_missing`)."""

from __future__ import annotations

import errno
import hashlib
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine, exists, select, update
from sqlalchemy.dialects.postgresql import insert

from workbench.store.blobs import BlobStore
from workbench.store.models import Attachment, Blob, BlobPreview, Draft

log = logging.getLogger(__name__)

_BLOB = Blob.__table__
_PREVIEW = BlobPreview.__table__
_ATTACHMENT = Attachment.__table__
_LOCK_STRIPES = 32  # one download of a blob at a time per stripe, not one per process
_UPDATE_CHUNK = 500


def _now() -> datetime:
    return datetime.now(UTC)


class SharedBlobStore(BlobStore):
    """BlobStore's interface over table `blob`, with `root` as this workstation's cache.

    `put` keeps the bytes in the cache and in the database; `has` is true when either holds
    them; `path` and `read` fill the cache from the database when needed (atomically) and raise
    FileNotFoundError only when neither holds them. Thread-safe: every call uses a short
    connection of its own from the engine's pool."""

    def __init__(self, engine: Engine, cache_root: Path, *,
                 clock: Callable[[], datetime] = _now) -> None:
        super().__init__(cache_root)
        self._engine = engine
        self._clock = clock
        self._locks = [threading.Lock() for _ in range(_LOCK_STRIPES)]

    def path(self, sha256: str) -> Path:
        local = self.location(sha256)
        if not local.is_file():
            self._fill_cache(sha256)
        return local

    def has(self, sha256: str) -> bool:
        if super().has(sha256):
            return True
        with self._engine.connect() as connection:
            return bool(connection.scalar(select(exists().where(_BLOB.c.sha256 == sha256))))

    def read(self, sha256: str) -> bytes:
        try:
            return super().read(sha256)
        except (FileNotFoundError, NotADirectoryError):
            return self._fill_cache(sha256)

    def put(self, data: bytes, *, durable: bool = True) -> str:
        digest = super().put(data, durable=durable)
        store_blob(self._engine, digest, data, self._clock())  # durable once committed
        return digest

    def sync(self, digests: Iterable[str]) -> None:
        """The database holds the bytes durably: only cached copies present here are flushed
        (a blob that `has` found in the database need not be on this disk)."""
        super().sync(digest for digest in digests if self.location(digest).is_file())

    def _fill_cache(self, sha256: str) -> bytes:
        """The bytes from the database, kept in the cache; one download per blob at a time."""
        with self._locks[hash(sha256) % _LOCK_STRIPES]:
            local = self.location(sha256)
            if local.is_file():  # another thread fetched it meanwhile
                return local.read_bytes()
            with self._engine.connect() as connection:
                data = connection.scalar(select(_BLOB.c.data).where(_BLOB.c.sha256 == sha256))
            if data is None:
                raise FileNotFoundError(errno.ENOENT, "attachment bytes are neither cached nor "
                                        "in the shared database", str(local))
            data = bytes(data)
            self._write(sha256, data)
            return data


def store_blob(engine: Engine, sha256: str, data: bytes, when: datetime) -> bool:
    """Insert the bytes unless the database holds them already; True when inserted."""
    with engine.begin() as connection:
        inserted = connection.execute(insert(_BLOB).values(
            sha256=sha256, size=len(data), data=data, stored_at=when
        ).on_conflict_do_nothing(index_elements=[_BLOB.c.sha256]))
        return bool(inserted.rowcount)


class PreviewStore(Protocol):
    """Where previews made from a blob are shared between workstations (by sha256 and a
    variant name such as "thumb-240x240"); see images.PhotoPipeline."""

    def get(self, sha256: str, variants: Iterable[str]) -> dict[str, bytes]: ...

    def put(self, sha256: str, previews: Mapping[str, bytes]) -> None: ...


class SharedPreviewStore:
    """Previews in table `blob_preview`, so that a second workstation does not decode the
    photo again. Thread-safe like SharedBlobStore."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = _now) -> None:
        self._engine = engine
        self._clock = clock

    def get(self, sha256: str, variants: Iterable[str]) -> dict[str, bytes]:
        with self._engine.connect() as connection:
            rows = connection.execute(select(_PREVIEW.c.variant, _PREVIEW.c.data).where(
                _PREVIEW.c.sha256 == sha256, _PREVIEW.c.variant.in_(list(variants))))
            return {variant: bytes(data) for variant, data in rows}

    def put(self, sha256: str, previews: Mapping[str, bytes]) -> None:
        if not previews:
            return
        now = self._clock()
        with self._engine.begin() as connection:
            connection.execute(insert(_PREVIEW).on_conflict_do_nothing(
                index_elements=[_PREVIEW.c.sha256, _PREVIEW.c.variant]),
                [{"sha256": sha256, "variant": variant, "data": data, "stored_at": now}
                 for variant, data in previews.items()])


# -- after the upgrade ------------------------------------------------------------------------

def upload_local_blobs(engine: Engine, cache: BlobStore, *,
                       clock: Callable[[], datetime] = _now) -> int:
    """Upload the blobs this workstation holds on disk that an attachment or a draft refers
    to and the database lacks; returns how many were uploaded. A file whose bytes do not match
    its name (a damaged disk) is left out, so the shared store never holds wrong bytes."""
    uploaded = 0
    for sha256 in sorted(_referenced_but_not_shared(engine)):
        if not cache.has(sha256):
            continue
        try:
            data = cache.read(sha256)
        except FileNotFoundError:  # the cache was emptied meanwhile
            continue
        if hashlib.sha256(data).hexdigest() != sha256:
            log.warning("blob %s on this disk does not match its name: not uploaded", sha256)
            continue
        uploaded += store_blob(engine, sha256, data, clock())
    return uploaded


def refetch_missing(engine: Engine, cache: BlobStore) -> int:
    """Stored attachments whose bytes are neither in the database nor on this disk become
    pending again (their sha256 kept), so the next pull fetches them from the portal; returns
    how many. When a workstation that still holds them uploads them first, the pull takes
    them from the database instead (SyncService checks the blob store before fetching).
    Attachments without a portal address (inline, or our own answers') cannot be fetched
    again: they are counted in the log and wait for the workstation that holds them."""
    not_shared = ~exists().where(_BLOB.c.sha256 == _ATTACHMENT.c.sha256)
    with engine.connect() as connection:
        rows = connection.execute(select(_ATTACHMENT.c.id, _ATTACHMENT.c.sha256,
                                         _ATTACHMENT.c.url).where(
            _ATTACHMENT.c.sha256.is_not(None), _ATTACHMENT.c.stored_at.is_not(None),
            not_shared)).all()
    missing = [row for row in rows if not cache.has(row.sha256)]
    pending = [row.id for row in missing if row.url]
    if len(pending) < len(missing):
        log.warning("%d attachments are held by no workstation yet and have no portal address",
                    len(missing) - len(pending))
    for start in range(0, len(pending), _UPDATE_CHUNK):
        with engine.begin() as connection:
            connection.execute(update(_ATTACHMENT).where(
                _ATTACHMENT.c.id.in_(pending[start:start + _UPDATE_CHUNK]),
                _ATTACHMENT.c.stored_at.is_not(None), not_shared
            ).values(stored_at=None, attempts=0, error=None))
    return len(pending)


def _referenced_but_not_shared(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        wanted = set(connection.scalars(select(_ATTACHMENT.c.sha256).distinct().where(
            _ATTACHMENT.c.sha256.is_not(None))))
        for attachments in connection.scalars(select(Draft.attachments).where(
                Draft.attachments.is_not(None))):
            wanted.update(item.get("sha256") for item in attachments or ()
                          if isinstance(item, dict) and isinstance(item.get("sha256"), str))
        wanted.discard(None)
        shared = set(connection.scalars(select(_BLOB.c.sha256)))
    return wanted - shared
