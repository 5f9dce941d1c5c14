"""Files with patient data (the SQLite store, its backups, exports, reports, saved photos) are
readable by their owner only.

On POSIX that is mode 0o600, set when the file is created (never a moment world-readable) and
again on a file that was already there. On Windows a file gets the ACL it inherits from its
folder (the user's profile is the user's own; a shared folder's ACL is IT's to set), and
os.chmod there only toggles the read-only flag, so the default ACL is left as it is."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO, Any

OWNER_ONLY = 0o600
OWNER_ONLY_FOLDER = 0o700


def make_owner_only(path: str | Path) -> None:
    """Tighten an existing file to owner-only (POSIX); no-op on Windows."""
    if os.name != "nt":
        os.chmod(path, OWNER_ONLY)


def create_owner_only(path: str | Path) -> None:
    """Create `path` empty and owner-only unless it exists (SQLite then opens it as a new
    database; its -wal and -shm files take the database file's mode)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, OWNER_ONLY)
    os.close(descriptor)
    make_owner_only(path)


def open_owner_only(path: str | Path, mode: str = "w", **kwargs: Any) -> IO[Any]:
    """open() for writing a new or replaced file that is owner-only from its first byte."""
    if not any(flag in mode for flag in "wax"):
        raise ValueError("open_owner_only is for writing")
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
    flags |= os.O_APPEND if "a" in mode else os.O_EXCL if "x" in mode else os.O_TRUNC
    descriptor = os.open(path, flags, OWNER_ONLY)
    try:
        if os.name != "nt":
            os.fchmod(descriptor, OWNER_ONLY)  # a file that was there keeps its old mode
        return os.fdopen(descriptor, mode.replace("x", "w"), **kwargs)
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(descriptor)
        raise
