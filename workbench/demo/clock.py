"""The demo's clock: instants as the portal writes them, and when a practice's e-consults were
sent (mostly in the last working days; a few past the answer target)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

DAY_MS = 86_400_000
HOUR_MS = 3_600_000

_day_cache: dict[int, str] = {}


def _day(ms: int) -> tuple[str, int]:
    day, rest = divmod(ms, DAY_MS)
    text = _day_cache.get(day)
    if text is None:
        text = datetime.fromtimestamp(day * 86400, UTC).strftime("%Y-%m-%d")
        _day_cache[day] = text
    return text, rest


def fmt_instant(ms: int) -> str:
    """Milliseconds since the epoch -> FHIR instant with millisecond precision, UTC 'Z'."""
    day, rest = _day(ms)
    secs, milli = divmod(rest, 1000)
    h, rem = divmod(secs, 3600)
    m, sec = divmod(rem, 60)
    return f"{day}T{h:02d}:{m:02d}:{sec:02d}.{milli:03d}Z"


def fmt_datetime(ms: int) -> str:
    """Milliseconds -> FHIR dateTime with seconds and '+00:00'."""
    day, rest = _day(ms)
    secs = rest // 1000
    h, rem = divmod(secs, 3600)
    m, sec = divmod(rem, 60)
    return f"{day}T{h:02d}:{m:02d}:{sec:02d}+00:00"


def now_ms() -> int:
    return int(datetime.now(UTC).timestamp() * 1000)


def seed_for_times(seed: int) -> int:
    """The seed of the stream that draws times (apart, so the words do not depend on "now")."""
    return (seed * 2_654_435_761 + 97) % (1 << 32)


def _working_start(end_ms: int, amount_ms: int) -> int:
    """The latest moment from which the weekday time (UTC) up to ``end_ms`` is ``amount_ms``:
    how services.inbox counts the answer target."""
    moment, remaining = end_ms, amount_ms
    while True:
        day_start = moment // DAY_MS * DAY_MS
        if day_start == moment:
            day_start -= DAY_MS
        if (day_start // DAY_MS + 3) % 7 < 5:  # 1970-01-01 was a Thursday: 0..4 is Mon..Fri
            if moment - day_start >= remaining:
                return moment - remaining
            remaining -= moment - day_start
        moment = day_start


class InboxTimes:
    """When e-consults were sent, as a practice finds them in the morning: most in the last two
    working days, a few past the answer target, the urgent ones in the last hours."""

    TARGET_MS = 2 * DAY_MS  # the default answer target: two working days

    def __init__(self, now: int, rng: random.Random) -> None:
        self.now, self.rng = now, rng
        # open ones: mostly inside the first three quarters of the target, some in the last
        self.recent = (_working_start(now, self.TARGET_MS * 7 // 10), now - 10 * 60_000)
        self.near = (_working_start(now, self.TARGET_MS - HOUR_MS),
                     _working_start(now, self.TARGET_MS * 3 // 4))
        self.urgent = (now - 5 * HOUR_MS, now - 5 * 60_000)
        # answered on the portal, after the overdue ones came in: never the oldest
        self.answered = (_working_start(now, self.TARGET_MS * 9 // 10),
                         _working_start(now, 7 * HOUR_MS))
        self.latest = (now - 3 * HOUR_MS, now - 10 * 60_000)
        self.overdue = (_working_start(now, 5 * DAY_MS),
                        _working_start(now, self.TARGET_MS) - HOUR_MS)

    def root(self, *, urgent: bool, answered: bool, overdue: bool, latest: bool = False) -> int:
        if urgent or latest:
            lo, hi = self.urgent if urgent else self.latest
            return lo + int(self.rng.random() * (hi - lo)) // 1000 * 1000
        if overdue:
            lo, hi = self.overdue
        elif answered:
            lo, hi = self.answered
        else:
            lo, hi = self.near if self.rng.random() < 0.12 else self.recent
        t = hi
        for _ in range(8):  # mostly written by day (UTC 06:00-22:00), the newest more often
            t = hi - int((hi - lo) * self.rng.random() ** 1.3)
            if 6 <= (t % DAY_MS) // HOUR_MS < 22:
                break
        return t // 1000 * 1000
