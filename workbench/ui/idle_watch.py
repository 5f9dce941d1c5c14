"""How long nobody has used keyboard or mouse in Workbench: the screen lock's clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal

# The billing timer's notion of activity: the same events keep a person "at work" for both.
from workbench.ui.billing_timer import unwatch_activity, watch_activity
from workbench.ui.system_idle import system_idle_seconds

CHECK_EVERY_MS = 10_000  # how soon after the limit the lock comes, at most


class IdleWatch(QObject):
    """Remembers the last key press or mouse use anywhere in the application (an
    application-wide event filter) and says `idle` once `limit` has passed without any.
    The clock is injected, so a test advances time and calls `check()`.

    Signals:
        idle(): the limit passed without activity (once, until activity or `reset()`).
    """

    idle = Signal()

    def __init__(self, clock: Callable[[], datetime], limit: timedelta,
                 parent: QObject | None = None, *,
                 system_idle: Callable[[], float | None] = system_idle_seconds) -> None:
        super().__init__(parent)
        self._clock = clock
        self._system_idle = system_idle
        self.limit = limit
        self._last = clock()
        self._said = False
        watch_activity(self, self.reset)
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def reset(self) -> None:
        """Someone is working: the idle time starts anew."""
        self._last = self._clock()
        self._said = False

    def idle_for(self) -> timedelta:
        """Without input in Workbench; where the system reports the whole desktop's idle time,
        input in another program (the HIS) counts as being at work too."""
        in_workbench = self._clock() - self._last
        desktop = self._system_idle()
        if desktop is None:
            return in_workbench
        return min(in_workbench, timedelta(seconds=desktop))

    def check(self) -> bool:
        """Whether the limit has passed; says `idle` the first time it has."""
        if self.idle_for() < self.limit:
            return False
        if not self._said:
            self._said = True
            self.idle.emit()
        return True

    def stop(self) -> None:
        self._timer.stop()
        unwatch_activity(self)
