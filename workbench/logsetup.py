"""Rotating log files in the user's log folder, for support: ids and codes, no medical text."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

import platformdirs

from workbench.services.redact import redact

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FILE_NAME = "workbench.log"
_configured: Path | None = None  # the file configure_logging set up, for messages about it


class _RedactingFormatter(logging.Formatter):
    """The whole line, traceback included, without passwords in addresses: a library's
    message may quote a database or portal address as it was configured."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir("workbench", appauthor=False))


def configure_logging(verbose: bool = False, folder: Path | None = None) -> Path:
    """Log to a rotating file (1 MB, five kept) and warnings to stderr; returns the file."""
    folder = folder or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "_workbench", False):
            root.removeHandler(handler)
    to_file = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5,
                                                   encoding="utf-8")
    to_file.setFormatter(_RedactingFormatter(LOG_FORMAT))
    to_file._workbench = True  # type: ignore[attr-defined]
    to_screen = logging.StreamHandler(_CurrentStderr())
    to_screen.setLevel(logging.INFO if verbose else logging.WARNING)
    to_screen.setFormatter(_RedactingFormatter(LOG_FORMAT))
    # A bug's traceback is for the file; the screen gets one sentence from the caller.
    to_screen.addFilter(lambda record: not getattr(record, "file_only", False))
    to_screen._workbench = True  # type: ignore[attr-defined]
    root.addHandler(to_file)
    root.addHandler(to_screen)
    global _configured
    _configured = path
    return path


def log_file() -> Path:
    """The log file this process writes to (the default one before logging is configured)."""
    return _configured or log_dir() / LOG_FILE_NAME


def log_bug(exc: BaseException, where: str) -> Path:
    """An unexpected exception (a bug) with its full traceback in the log; returns the file.
    The exception's message may hold data; the frames and types are what support needs."""
    logging.getLogger("workbench").error("unexpected error (a bug) in %s", where,
                                         exc_info=(type(exc), exc, exc.__traceback__),
                                         extra={"file_only": True})
    return log_file()


class _CurrentStderr:
    """Writes to whatever sys.stderr is now (tests and embedders replace it); the windowed
    Windows app has none at all, and then the log file is the only place."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text) if sys.stderr is not None else 0

    def flush(self) -> None:
        if sys.stderr is not None:
            sys.stderr.flush()


def last_lines(count: int = 50, folder: Path | None = None) -> list[str]:
    path = (folder or log_dir()) / LOG_FILE_NAME
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()[-count:]
    except OSError:
        return []
