"""Times from the store: SQLite hands back naive datetimes, and everything stored is UTC."""

from __future__ import annotations

from datetime import datetime, timezone


def as_utc(value: datetime | None) -> datetime | None:
    """The stored moment as an aware UTC datetime (None stays None)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)
