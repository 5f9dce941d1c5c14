"""Pulls in the background: on the practice's schedule and on demand, never on the GUI thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.services.errors import ErrorKind, classify
from workbench.services.schedule import PullSchedule
from workbench.services.undo import UNDO_SECONDS
from workbench.ui.tasks import TaskRunner

if TYPE_CHECKING:  # the sync stack loads on the first pull, not at start-up
    from workbench.services.outbox import OutboxResult, OutboxSender
    from workbench.services.sync import SyncResult, SyncService

log = logging.getLogger(__name__)

PUSH_DELAY_MS = 1500
# While another workstation pulls into the shared database, how often to ask whether it is done.
HOLDER_POLL_MS = 3000


@dataclass(frozen=True)
class PullOutcome:
    result: SyncResult
    outbox: OutboxResult
    new_econsults: int  # by the portal and by mail
    # The mail channel's pull (a MailSyncResult), None where no mail account is configured;
    # `mail_failure`: what stopped it before it could say anything (a bug, a setting).
    mail: Any = None
    mail_failure: BaseException | None = None


class SyncController(QObject):
    """Runs a pull (sync, then the outbox) on the task runner's I/O pool.

    Signals:
        started(): a pull began.
        progress(object): a SyncProgress, on the GUI thread.
        finished(object): a PullOutcome.
        failed(object): the exception that ended the pull (portal down, credentials, ...).
        schedule_changed(object, object): last and next pull (datetime or None).
        pushed(object): an OutboxResult after delivering the outbox between pulls.
        pulling_elsewhere(str): another workstation pulls into the shared database (its name;
            "" when unnamed): emitted after a pull skipped for it and when who pulls changes
            while this one waits. When that pull ends, this one pulls (and so refreshes).
    """

    started = Signal()
    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    schedule_changed = Signal(object, object)
    pushed = Signal(object)
    pulling_elsewhere = Signal(str)

    def __init__(self, tasks: TaskRunner, make_sync: Callable[[], tuple[SyncService,
                                                                         OutboxSender]],
                 schedule: PullSchedule, clock: Callable[[], datetime],
                 parent: QObject | None = None,
                 after_pull: Callable[[], object] | None = None,
                 holder: Callable[[], str | None] | None = None,
                 make_mail_sync: Callable[[], Any] | None = None) -> None:
        super().__init__(parent)
        # The mail channel's pull (None: no mail account), run beside the portal's: one
        # failing never stops the other.
        self._make_mail_sync = make_mail_sync
        # Who pulls into the shared database now (services.pull_lock.pull_holder); without it a
        # skipped pull is simply tried again (a skip costs as little as asking).
        self._holder = holder
        self._waiting_for: str | None = None
        self._after_pull = after_pull  # store upkeep after each pull (due follow-ups)
        self._tasks = tasks
        self._make_sync = make_sync
        self._schedule = schedule
        self._clock = clock
        self._running = False
        self._stopping = False
        self._failures = 0  # pulls failed in a row
        self.last_pull: datetime | None = None
        self.next_pull: datetime | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.pull_now)
        self._push_timer = QTimer(self)
        self._push_timer.setSingleShot(True)
        self._push_timer.setInterval(PUSH_DELAY_MS)  # several quick actions go out together
        self._push_timer.timeout.connect(self._push)
        self._holder_timer = QTimer(self)
        self._holder_timer.setSingleShot(True)
        self._holder_timer.setInterval(HOLDER_POLL_MS)
        self._holder_timer.timeout.connect(self._ask_holder)
        # Answers go out whatever the pull does, also while one runs; one delivery at a time.
        self._deliver_lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._running

    @property
    def waiting_for(self) -> str | None:
        """The workstation whose pull this one waits for ("" unnamed; None: not waiting)."""
        return self._waiting_for

    def start_schedule(self) -> None:
        self._plan_next()

    def stop(self) -> None:
        self._stopping = True
        self._timer.stop()
        self._push_timer.stop()
        self._holder_timer.stop()

    def pull_now(self) -> None:
        if self._running or self._stopping:
            return
        self._running = True
        self._timer.stop()
        self._holder_timer.stop()
        self._waiting_for = None
        self.started.emit()
        self._tasks.run_io(self._pull, self._done, self._failed)

    def push_now(self) -> None:
        """Deliver the outbox soon after an action, without waiting for the next pull (and
        while a pull runs: a slow or failing portal inbox never holds an answer back)."""
        if self._stopping:
            return
        self._push_timer.start(PUSH_DELAY_MS)

    def _push(self) -> None:
        if self._stopping:
            return

        def deliver():
            _sync, outbox = self._make_sync()
            return self._deliver(outbox)

        self._tasks.run_io(deliver, self._pushed, self._push_failed)

    def _pushed(self, result: OutboxResult) -> None:
        if getattr(result, "held", 0) and not self._stopping:
            # Held for their undo time: go again once that has passed.
            self._push_timer.start(UNDO_SECONDS * 1000 + 500)
        self.pushed.emit(result)

    def _deliver(self, outbox: OutboxSender) -> OutboxResult:
        with self._deliver_lock:
            return outbox.deliver()

    def _push_failed(self, exc: BaseException) -> None:
        # Nothing is lost: the items stay in the outbox for the next pull.
        log.info("outbox push failed: %s", type(exc).__name__)

    def _pull(self) -> PullOutcome:
        sync, outbox = self._make_sync()
        try:
            # Emitted from the worker thread: Qt queues it to the GUI thread's receivers.
            result = sync.run(progress=self.progress.emit, should_stop=lambda: self._stopping)
        except BaseException:
            # The pull failed: the mail still comes in, what people answered still goes out,
            # then the failure shows.
            self._pull_mail()
            try:
                self.pushed.emit(self._deliver(outbox))
            except Exception as exc:  # noqa: BLE001 - the pull's own failure is what we report
                log.info("outbox after a failed pull: %s", type(exc).__name__)
            raise
        mail, mail_failure = self._pull_mail()
        delivered = self._deliver(outbox)
        if self._after_pull is not None:
            self._after_pull()
        return PullOutcome(result, delivered, result.econsults_created + (
            getattr(mail, "econsults_created", 0) or 0), mail, mail_failure)

    def _pull_mail(self) -> tuple[Any, BaseException | None]:
        if self._make_mail_sync is None:
            return None, None
        try:
            service = self._make_mail_sync()
            if service is None:
                return None, None
            return service.run(should_stop=lambda: self._stopping), None
        except Exception as exc:  # noqa: BLE001 - shown beside the portal's outcome
            log.warning("mail pull failed: %s", type(exc).__name__,
                        exc_info=classify(exc) is ErrorKind.UNEXPECTED)
            return None, exc

    def _done(self, outcome: PullOutcome) -> None:
        self._running = False
        self._failures = 0
        self.last_pull = self._clock()
        if getattr(outcome.outbox, "held", 0) and not self._stopping:
            self._push_timer.start(UNDO_SECONDS * 1000 + 500)
        self.finished.emit(outcome)
        if getattr(outcome.result, "skipped", False):
            self._wait_for(getattr(outcome.result, "pulling_elsewhere", None) or "")
        self._plan_next()

    # -- another workstation pulls ------------------------------------------------------------
    def _wait_for(self, workstation: str) -> None:
        """Show who pulls, and pull (which refreshes the lists) once that pull has ended."""
        if self._stopping:
            return
        self._waiting_for = workstation
        self.pulling_elsewhere.emit(workstation)
        self._holder_timer.start()

    def _ask_holder(self) -> None:
        if self._stopping or self._running or self._waiting_for is None:
            return
        if self._holder is None:
            self.pull_now()
            return
        self._tasks.run_io(self._holder, self._holder_answered, self._holder_unknown)

    def _holder_answered(self, workstation: str | None) -> None:
        if self._stopping or self._running or self._waiting_for is None:
            return
        if workstation is None:
            log.info("the other workstation's pull ended: pulling")
            self.pull_now()
            return
        if workstation != self._waiting_for:
            self._waiting_for = workstation
            self.pulling_elsewhere.emit(workstation)
        self._holder_timer.start()

    def _holder_unknown(self, exc: BaseException) -> None:
        # The database did not answer: the pull says why.
        log.info("asking who pulls failed: %s", type(exc).__name__)
        if not self._stopping and not self._running and self._waiting_for is not None:
            self.pull_now()

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        log.warning("pull failed: %s", type(exc).__name__)
        self._failures += 1
        self.failed.emit(exc)
        self._plan_next()

    def _plan_next(self) -> None:
        if self._stopping:
            return
        now = self._clock().astimezone()
        self.next_pull = self._schedule.next_pull(self.last_pull and self.last_pull.astimezone(),
                                                  now)
        if self._failures:
            # A portal that is down is asked again after 1, 2, 4, ... minutes, at most the
            # pull interval, instead of at once and without end.
            backoff = min(timedelta(minutes=2 ** (self._failures - 1)), self._schedule.interval)
            self.next_pull = max(self.next_pull, now + backoff)
        wait_ms = max(0, int((self.next_pull - now).total_seconds() * 1000))
        self._timer.start(min(wait_ms, 2**31 - 1))
        self.schedule_changed.emit(self.last_pull, self.next_pull)

