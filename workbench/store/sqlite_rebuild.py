"""Dropping a column on SQLite: Alembic's batch mode copies the table into a new one, which
loses the triggers on it (the message table's full-text triggers). Used by the migrations
whose downgrade drops a column of such a table."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def keeping_triggers(op: Any, table: str) -> Iterator[None]:
    """Make the table's triggers again, as they were, after the block rebuilt it (alembic's
    `op`; nothing to do on PostgreSQL, which alters tables in place)."""
    bind = op.get_bind()
    triggers = [sql for (sql,) in bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,))] \
        if bind.dialect.name == "sqlite" else []
    yield
    for sql in triggers:
        op.execute(f"DROP TRIGGER IF EXISTS {sql.split()[2]}")
        op.execute(sql)
