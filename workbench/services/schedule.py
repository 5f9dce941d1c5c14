"""When the next pull is due: every N minutes during practice hours, on practice days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta


@dataclass(frozen=True)
class PullSchedule:
    interval: timedelta = timedelta(minutes=10)
    start: time = time(8, 0)
    end: time = time(17, 0)
    days: frozenset[int] = frozenset({1, 2, 3, 4, 5})  # ISO weekdays, 1 = Monday

    @classmethod
    def from_settings(cls, settings) -> PullSchedule:
        """Raises ConfigError, naming the option, for hours or days no schedule can keep."""
        from workbench.config import ConfigError
        times = []
        for name in ("practice_hours_start", "practice_hours_end"):
            try:
                times.append(time.fromisoformat(getattr(settings, name)))
            except ValueError:
                raise ConfigError(f"{name} {getattr(settings, name)!r} is not a time of day as "
                                  "HH:MM (such as 08:00)") from None
        days = frozenset(settings.practice_days)
        if not days or not days <= set(range(1, 8)):
            raise ConfigError(f"practice_days {list(settings.practice_days)} must name days "
                              "from 1 (Monday) to 7 (Sunday)")
        return cls(timedelta(minutes=max(1, settings.pull_interval_minutes)), *times, days)

    def is_open(self, moment: datetime) -> bool:
        return moment.isoweekday() in self.days and self.start <= moment.time() < self.end

    def next_pull(self, last_pull: datetime | None, now: datetime) -> datetime:
        """The moment of the next scheduled pull (local time of `now`), never in the past.
        Outside practice hours the next pull is at the next opening."""
        candidate = now if last_pull is None else max(now, last_pull + self.interval)
        if self.is_open(candidate):
            return candidate
        day = candidate.replace(hour=self.start.hour, minute=self.start.minute, second=0,
                                microsecond=0)
        if candidate.time() >= self.start:
            day += timedelta(days=1)
        for _ in range(8):
            if day.isoweekday() in self.days:
                return day
            day += timedelta(days=1)
        raise ValueError("the pull schedule has no practice days")
