"""Content-addressed storage of attachment bytes on disk, keyed by SHA-256.

On PostgreSQL the bytes live in the shared database and this folder is each workstation's
cache of them (see shared_blobs.SharedBlobStore, which keeps this interface)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class BlobStore:
    """Files under `root/ab/cd/<sha256>`; writes are atomic, so a killed process leaves no
    half-written blob under its final name."""

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

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        self._write(digest, data)
        return digest

    def _write(self, digest: str, data: bytes) -> None:
        """Keep `data` (whose SHA-256 is `digest`) under its name, unless it is there already."""
        target = self.location(digest)
        if target.is_file():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
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
