"""One background task runner: work runs on a thread pool, results come back on the GUI thread."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread. The worker emits; because the receiving slots belong to this
    object, Qt queues the calls to the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done: Callable[[Any], None], on_error: Callable[[Any], None]) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self.succeeded.connect(self._deliver_success)
        self.failed.connect(self._deliver_failure)

    @Slot(object)
    def _deliver_success(self, value: Any) -> None:
        self._on_done(value)

    @Slot(object)
    def _deliver_failure(self, exc: Any) -> None:
        self._on_error(exc)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:  # noqa: D401 - Qt override
        try:
            value = self._work()
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, never swallowed
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(value)


class TaskRunner(QObject):
    """Runs callables off the GUI thread. `db` is the single lane for store writes (one
    thread, so writes never contend); `io` is a small pool for portal HTTP and decoding.

    Signals:
        busy_changed(bool): whether any task is running.
        unexpected_error(object): an exception no caller handled (a bug): shown with the log.
    """

    busy_changed = Signal(bool)
    unexpected_error = Signal(object)

    def __init__(self, parent: QObject | None = None, io_threads: int = 3) -> None:
        super().__init__(parent)
        self._db = QThreadPool(self)
        self._db.setMaxThreadCount(1)
        self._io = QThreadPool(self)
        self._io.setMaxThreadCount(io_threads)
        self._relays: set[_Relay] = set()

    def run_db(self, work: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> None:
        self._start(self._db, work, on_done, on_error)

    def run_io(self, work: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> None:
        self._start(self._io, work, on_done, on_error)

    def _start(self, pool: QThreadPool, work, on_done, on_error) -> None:
        def done(value: Any) -> None:
            self._finish(relay)
            if on_done is not None:
                on_done(value)

        def failed(exc: BaseException) -> None:
            self._finish(relay)
            if on_error is not None:
                on_error(exc)
            else:
                log.error("background task failed:\n%s", getattr(exc, "__traceback_text__", exc))
                self.unexpected_error.emit(exc)

        relay = _Relay(done, failed)
        was_idle = not self._relays
        self._relays.add(relay)
        if was_idle:
            self.busy_changed.emit(True)
        pool.start(_Job(work, relay))

    def _finish(self, relay: _Relay) -> None:
        self._relays.discard(relay)
        relay.deleteLater()
        if not self._relays:
            self.busy_changed.emit(False)

    @property
    def busy(self) -> bool:
        return bool(self._relays)

    def wait_for_done(self, msecs: int = 30_000) -> bool:
        """Shutdown: wait for running tasks (results are no longer delivered)."""
        return self._db.waitForDone(msecs) and self._io.waitForDone(msecs)
