"""Content-addressed storage of attachment bytes on disk, keyed by SHA-256.

On PostgreSQL the bytes live in the shared database and this folder is each workstation's
cache of them (see shared_blobs.SharedBlobStore, which keeps this interface)."""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


@functools.cache
def _load_syncfs() -> Callable[[int], int] | None:
    """syncfs(2) from the C library on Linux (imported when first needed: not at start-up)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).syncfs  # glibc 2.14 and later, musl
    except (OSError, AttributeError):
        return None
    function.argtypes, function.restype = [ctypes.c_int], ctypes.c_int
    return function


def _syncfs(folder: Path) -> bool:
    """Flush the whole file system that holds `folder` (data, names and folders alike) and
    wait for it; False where syncfs(2) is not available. Linux reports write-back errors
    through it since 5.8."""
    syncfs = _load_syncfs()
    if syncfs is None:
        return False
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        if syncfs(descriptor) != 0:
            import ctypes

            number = ctypes.get_errno()
            raise OSError(number, f"syncfs: {os.strerror(number)}", str(folder))
    finally:
        os.close(descriptor)
    return True


def _fsync_path(path: Path) -> None:
    """Flush a file's bytes, or a folder's names, to the disk."""
    if os.name == "nt" and path.is_dir():
        return  # Windows cannot open a folder; NTFS journals renames itself
    # Windows commits only handles open for writing; POSIX fsyncs any descriptor.
    flags = os.O_RDONLY if os.name != "nt" else os.O_RDWR | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _holds(target: Path, data: bytes) -> bool:
    """True when `target` holds exactly `data`. A blob written without fsync by a process that
    then crashed may be empty or short under its final name: such a file is written again."""
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError):
        return False


class BlobStore:
    """Files under `root/ab/cd/<sha256>`; writes are atomic, so a killed process leaves no
    half-written blob under its final name.

    `put(data)` is durable when it returns (the file and the folders that name it are
    fsynced). A batch of downloads instead puts with `durable=False` and calls `sync` with
    their digests once, before committing the rows that point to them: one flush per batch
    rather than one per file, and a row still never names a file a crash could lose."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def location(self, sha256: str) -> Path:
        """Where the file of `sha256` is or would be kept under `root` (nothing is checked)."""
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def path(self, sha256: str) -> Path:
        return self.location(sha256)

    def has(self, sha256: str) -> bool:
        return self.location(sha256).is_file()

    def read(self, sha256: str) -> bytes:
        return self.location(sha256).read_bytes()

    def put(self, data: bytes, *, durable: bool = True) -> str:
        """Keep `data`; returns its SHA-256. With `durable=False` the bytes may still be in the
        operating system's cache: call `sync` with the digest before anything refers to it."""
        digest = hashlib.sha256(data).hexdigest()
        self._write(digest, data, durable=durable)
        return digest

    def sync(self, digests: Iterable[str]) -> None:
        """Make the blobs of `digests` durable, with the folders that name them; digests not
        stored here are skipped. On Linux one `syncfs` of the blob folder's file system does
        it: one call per batch, so the caller's thread gives up the GIL once rather than once
        per file and folder while the download threads keep it busy. Elsewhere each file and
        folder is fsynced."""
        digests = list(dict.fromkeys(digests))
        if not digests or _syncfs(self.root):
            return
        files = [self.location(digest) for digest in digests]
        folders = {self.root} | {folder for target in files
                                 for folder in (target.parent, target.parent.parent)}
        for path in files + sorted(folders, key=lambda path: len(path.parts), reverse=True):
            try:
                _fsync_path(path)
            except FileNotFoundError:
                continue

    def _write(self, digest: str, data: bytes, *, durable: bool = True) -> None:
        """Keep `data` (whose SHA-256 is `digest`) under its name, unless it is there already."""
        target = self.location(digest)
        if _holds(target, data):
            if durable:
                self.sync([digest])  # it may be one a batch has not synced yet
            return
        new_folder = not target.parent.is_dir()
        if new_folder:
            target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
            try:
                os.replace(tmp, target)
            except PermissionError:
                # Windows: another thread or process holds the same blob open; it has the
                # same bytes, so ours are not needed.
                if not target.is_file():
                    raise
                Path(tmp).unlink(missing_ok=True)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        if durable:  # the new name, and any folders made for it, reach the disk too
            _fsync_path(target.parent)
            if new_folder:
                _fsync_path(target.parent.parent)
                _fsync_path(self.root)
