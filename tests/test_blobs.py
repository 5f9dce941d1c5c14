"""The blob store's batch writes (bytes first, one sync per batch) and the pull's use of them:
a row never names a file that is not on disk. Real files, the demo portal over real HTTP, a
real `workbench sync --once` process killed in the middle of its attachment phase."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import Attachment


def test_a_batch_is_written_without_fsync_and_synced_once(tmp_path):
    blobs = BlobStore(tmp_path / "blobs")
    digests = [blobs.put(f"photo {number}".encode() * 1000, durable=False)
               for number in range(20)]
    blobs.sync(digests + digests[:3])  # repeated digests are synced once
    for number, digest in enumerate(digests):
        assert blobs.read(digest) == f"photo {number}".encode() * 1000
        assert blobs.path(digest).parent.parent.parent == blobs.root
    assert not list(blobs.root.rglob(".incoming-*"))  # nothing half-written is left


def test_sync_skips_what_is_not_stored_and_an_empty_batch(tmp_path):
    blobs = BlobStore(tmp_path / "blobs")
    blobs.root.mkdir()
    blobs.sync([])
    blobs.sync(["0" * 64])  # never stored: nothing to flush, no error
    assert not blobs.has("0" * 64)


def test_a_short_file_left_by_a_crash_is_written_again(tmp_path):
    """A file written without fsync may be empty or short after a power cut, under its final
    name; the next put of the same bytes must not take it for the blob."""
    blobs = BlobStore(tmp_path / "blobs")
    data = os.urandom(50_000)
    digest = hashlib.sha256(data).hexdigest()
    for durable in (False, True):
        target = blobs.location(digest)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data[:1000] if durable else b"")
        assert blobs.put(data, durable=durable) == digest
        blobs.sync([digest])
        assert blobs.read(digest) == data


def test_the_same_bytes_twice_are_kept_once(tmp_path):
    blobs = BlobStore(tmp_path / "blobs")
    first = blobs.put(b"same bytes", durable=False)
    stamp = blobs.path(first).stat().st_mtime_ns
    assert blobs.put(b"same bytes") == first
    assert blobs.path(first).stat().st_mtime_ns == stamp
    assert len([path for path in blobs.root.rglob("*") if path.is_file()]) == 1


def _stored(engine) -> list[tuple[str, int]]:
    """(sha256, size) of the attachments fetched by URL and marked stored."""
    with engine.connect() as connection:
        return [(sha256, size) for sha256, size in connection.execute(
            select(Attachment.sha256, Attachment.size).where(
                Attachment.stored_at.is_not(None), Attachment.url.is_not(None)))]


def test_a_pull_killed_while_photos_come_in_never_records_a_missing_file(start_portal,
                                                                          tmp_path):
    """Rows are committed per batch, after the batch's files are on disk: killed in the middle
    of the attachment phase, every row marked stored names a file holding its bytes, and the
    next pull fetches the rest."""
    # Photos this large travel by URL (small ones come inline, with their message).
    portal = start_portal(seed=21, consults=60, photo_share=1.0, latency_ms=60,
                          photo_size=(1600, 1200))
    data_dir = tmp_path / "data"
    env = dict(os.environ, WORKBENCH_PAGE_SIZE="100", WORKBENCH_AUTH="none")
    command = [sys.executable, "-m", "workbench.cli", "sync", "--once",
               "--portal", portal.base_url, "--data-dir", str(data_dir)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    store = data_dir / "workbench.sqlite3"
    engine = None
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.02)
            if store.exists():
                engine = engine or database.make_engine(f"sqlite:///{store}")
                try:
                    if _stored(engine):
                        break
                except Exception:  # noqa: BLE001 - tables may not exist yet
                    pass
        assert process.poll() is None, ("the pull should still be running",
                                        process.communicate()[1][-3000:])
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        blobs = BlobStore(data_dir / "attachments")
        stored = _stored(engine)
        with engine.connect() as connection:
            total = connection.scalar(select(func.count()).select_from(Attachment).where(
                Attachment.url.is_not(None)))
        assert 0 < len(stored) < total, "killed in the middle of the attachment phase"
        for sha256, size in stored:
            data = blobs.read(sha256)
            assert len(data) == size and hashlib.sha256(data).hexdigest() == sha256

        finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
        assert finished.returncode == 0, finished.stderr
        stored = _stored(engine)
        assert len(stored) == total
        assert {sha for sha, _size in stored} <= portal.dataset.expected_attachment_sha256()
        assert all(blobs.has(sha) for sha, _size in stored)
    finally:
        if process.poll() is None:
            process.kill()
        if engine is not None:
            engine.dispose()
