"""Attachments in the shared PostgreSQL store: two workstations in one process (two engines on
the same database, two cache folders) against the demo portal over real HTTP."""

from __future__ import annotations

import base64
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from workbench.bootstrap import Store, make_store, make_sync_service, open_store
from workbench.config import Settings
from workbench.services.images import PhotoPipeline
from workbench.services.inbox import InboxQueries, ListView
from workbench.services.outbox import OutboxSender
from workbench.services.portal_client import PortalClient, RetryPolicy
from workbench.services.replies import ReplyService
from workbench.services.sync import SyncService
from workbench.services.triage import Actor
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    Attachment,
    Blob,
    BlobPreview,
    ConsultStatus,
    Message,
    Role,
)
from workbench.store.shared_blobs import SharedBlobStore


class Workstation:
    """One workstation: its own engine on the shared database and its own data folder."""

    def __init__(self, url: str, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.engine = database.make_engine(url)
        self.store: Store = make_store(self.engine, data_dir)
        self.photos = PhotoPipeline(self.store.blobs, data_dir / "cache",
                                    shared=self.store.previews)

    def forget_cache(self) -> None:
        """What IT may do at any time: delete the workstation's local copies."""
        shutil.rmtree(self.data_dir / "attachments", ignore_errors=True)
        shutil.rmtree(self.data_dir / "cache", ignore_errors=True)

    def cached_blobs(self) -> int:
        folder = self.data_dir / "attachments"
        return sum(1 for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else 0


@pytest.fixture
def shared_url():
    from tests.conftest import _fresh_postgres
    url = _fresh_postgres()
    engine = database.make_engine(url)
    database.upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def workstations(shared_url, tmp_path):
    made = [Workstation(shared_url, tmp_path / name) for name in ("a", "b")]
    yield made
    for workstation in made:
        workstation.engine.dispose()


@pytest.fixture
def portal(start_portal):
    # Photos above the portal's inline limit: fetched by URL, so they can be fetched again.
    return start_portal(seed=47, consults=40, photo_share=0.5, photo_size=(1200, 900))


def client_for(portal) -> PortalClient:
    return PortalClient(portal.base_url, timeout=(2.0, 5.0),
                        retry=RetryPolicy(attempts=2, backoff_s=0.01, max_retry_after_s=0.01))


def pull(portal, workstation: Workstation, blobs: BlobStore | None = None):
    return SyncService(client_for(portal), workstation.engine, blobs or workstation.store.blobs,
                       workers=4).run()


def photo_shas(engine) -> list[str]:
    with engine.connect() as connection:
        return sorted(set(connection.scalars(select(Attachment.sha256).where(
            Attachment.sha256.is_not(None), Attachment.content_type.like("image/%")))))


def shown(workstation: Workstation, shas: list[str]) -> int:
    """How many of the photos this workstation shows, as the photo strip does: a thumbnail."""
    return sum(1 for sha in shas if workstation.photos.thumbnail(sha) is not None)


def count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model))


def test_photos_pulled_by_one_workstation_are_shown_by_the_other(portal, workstations):
    a, b = workstations
    assert isinstance(a.store.blobs, SharedBlobStore)
    pulled = pull(portal, a)
    assert pulled.ok and pulled.attachments > 5
    shas = photo_shas(b.engine)
    assert set(shas) <= portal.dataset.expected_attachment_sha256() and len(shas) > 5
    assert b.cached_blobs() == 0

    assert shown(b, shas) == len(shas)  # was 0: the photos lived only on A's disk
    preview = b.photos.preview(shas[0])
    assert preview is not None and max(preview.width, preview.height) > 240
    assert max(b.photos.full(shas[0]).width, b.photos.full(shas[0]).height) == 1200

    b.forget_cache()
    assert shown(b, shas) == len(shas)
    assert b.photos.full(shas[-1]).width in (900, 1200)
    with Session(b.engine) as session:
        assert b.store.blobs.read(shas[0]) == session.get(Blob, shas[0]).data


def test_previews_made_on_one_workstation_are_not_made_again_on_the_other(portal, workstations):
    a, b = workstations
    pull(portal, a)
    shas = photo_shas(a.engine)
    assert a.photos.prepare_pending(a.engine) == len(shas)
    assert count(a.engine, BlobPreview) == 2 * len(shas)

    # B takes A's thumbnails and previews as they are: it never needs the photos themselves.
    assert b.photos.prepare_pending(b.engine) == len(shas)
    assert shown(b, shas) == len(shas)
    assert b.photos.preview(shas[0]) == a.photos.preview(shas[0])
    assert b.cached_blobs() == 0


def test_an_answer_with_a_photo_written_on_one_workstation_is_sent_by_the_other(
        portal, workstations, tmp_path):
    a, b = workstations
    pull(portal, a)
    queries = InboxQueries(a.engine)
    gp = next(p for p in queries.practitioners() if p.role == Role.GP)
    replies = ReplyService(a.engine, a.store.blobs,
                           clock=lambda: datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    # Written by the patient: an answer to a parent or a mentor waits for the third-party
    # rule (tested on its own), and which items those are depends on the demo's draw.
    consult_id = next(row.id for row in queries.page(ListView(ConsultStatus.INBOX), 0, 500)
                      if not (row.urgent or row.has_advice)
                      and replies.third_party_rule(row.id) is None)
    photo = tmp_path / "wond.jpg"
    Image.new("RGB", (64, 48), (190, 110, 100)).save(photo)
    attached = replies.attach_file(photo)
    message_id = replies.send(consult_id, Actor(gp.id), "Beste mevrouw, zie de foto.",
                              [attached])

    delivered = OutboxSender(client_for(portal), b.engine, b.store.blobs).deliver()
    assert delivered.failed == 0 and delivered.pending == 0 and delivered.sent >= 1
    with Session(b.engine) as session:
        message = session.get(Message, message_id)
        assert message.delivery == "sent"
        posted = portal.dataset.communications[message.portal_id]
    [sent] = [part["contentAttachment"] for part in posted["payload"]
              if "contentAttachment" in part]
    data = base64.b64decode(sent["data"]) if "data" in sent \
        else portal.dataset.attachment_bytes(sent["url"].rstrip("/").rsplit("/", 1)[-1])
    assert data == photo.read_bytes()
    assert b.cached_blobs() == 1  # the bytes came from the database into B's cache


def test_after_the_upgrade_held_blobs_are_uploaded_and_the_rest_fetched_again(
        portal, shared_url, tmp_path):
    """Before the upgrade each workstation kept what it pulled on its own disk. On its next
    start A uploads what it holds; a photo nobody holds comes again from the portal; a photo
    only B holds is uploaded by B, even when the portal no longer has it."""
    a_dir, b_dir = tmp_path / "a", tmp_path / "b"
    old = Workstation(shared_url, a_dir)
    pull(portal, old, BlobStore(a_dir / "attachments"))  # as the version before the upgrade
    shas = photo_shas(old.engine)
    old.engine.dispose()
    assert count(database.make_engine(shared_url), Blob) == 0
    held_by_nobody, held_by_b = shas[0], shas[1]
    a_disk = BlobStore(a_dir / "attachments")
    BlobStore(b_dir / "attachments").put(a_disk.read(held_by_b))
    a_disk.location(held_by_nobody).unlink()
    a_disk.location(held_by_b).unlink()

    def settings(data_dir: Path) -> Settings:
        return Settings(database_url=shared_url, data_dir=str(data_dir),
                        portal_url=portal.base_url, auth="none", retries=2)

    a = open_store(settings(a_dir))
    b = open_store(settings(b_dir))
    try:
        sync_a = make_sync_service(settings(a_dir), a, client_for(portal))  # A starts
        with Session(a.engine) as session:
            assert set(session.scalars(select(Blob.sha256))) == set(shas) - {held_by_nobody,
                                                                           held_by_b}
            waiting = session.scalars(select(Attachment).where(
                Attachment.stored_at.is_(None))).all()
            assert {row.sha256 for row in waiting} == {held_by_nobody, held_by_b}
            # The portal no longer has the one B holds: only B can bring it back.
            session.execute(update(Attachment).where(Attachment.sha256 == held_by_b).values(
                url=f"{portal.base_url}/Binary/gone-after-retention"))
            session.commit()
        make_sync_service(settings(b_dir), b, client_for(portal))  # B starts

        result = sync_a.run()
        assert result.ok and result.attachments == 2
        viewer = PhotoPipeline(b.blobs, b_dir / "cache", shared=b.previews)
        shutil.rmtree(b_dir / "attachments")
        assert all(viewer.thumbnail(sha) is not None for sha in shas)
        with Session(a.engine) as session:
            assert session.scalar(select(func.count()).select_from(Attachment).where(
                Attachment.stored_at.is_(None))) == 0
            assert set(session.scalars(select(Blob.sha256))) >= set(shas)
    finally:
        a.close()
        b.close()


def test_a_sqlite_store_keeps_its_attachments_on_this_disk(tmp_path):
    settings = Settings(data_dir=str(tmp_path / "data"))
    store = open_store(settings)
    try:
        assert type(store.blobs) is BlobStore and store.previews is None
        sha = store.blobs.put(b"\xff\xd8\xff photo bytes")
        assert store.blobs.path(sha).is_relative_to(tmp_path / "data" / "attachments")
    finally:
        store.close()


def test_bytes_neither_cached_nor_shared_are_missing_and_documents_have_no_preview(
        workstations):
    a, b = workstations
    with pytest.raises(FileNotFoundError):
        b.store.blobs.read("0" * 64)
    assert not b.store.blobs.has("0" * 64)
    sha = a.store.blobs.put(b"%PDF-1.4 a letter from the hospital")
    assert b.store.blobs.has(sha) and b.photos.preview(sha) is None
    assert a.photos.preview(sha) is None


def test_several_photos_open_at_once_on_an_empty_cache(portal, workstations):
    """The strip loads thumbnails on worker threads while the viewer opens the full photo:
    each blob comes from the database once and whole, whoever asks first."""
    from concurrent.futures import ThreadPoolExecutor
    a, b = workstations
    pull(portal, a)
    shas = photo_shas(b.engine)
    with ThreadPoolExecutor(8) as pool:
        fulls = list(pool.map(b.photos.full, shas * 3))
        reads = list(pool.map(b.store.blobs.read, shas * 2))
    assert all(max(image.width, image.height) == 1200 for image in fulls)
    assert all(data == a.store.blobs.read(sha) for sha, data in zip(shas * 2, reads))
    assert b.cached_blobs() == len(shas)
