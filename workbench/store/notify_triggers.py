"""PostgreSQL triggers that tell other workstations what changed (services/live_changes.py
listens): one notification per statement on the channel `workbench_change`, naming the
changed rows' ids after a prefix ("e:1,2,3" for e-consults), or "*" when the list would not
fit a notification's 8000 bytes. Used by the migrations that add them."""

from __future__ import annotations

from typing import Any

_FUNCTION = """
CREATE OR REPLACE FUNCTION workbench_notify_{name}() RETURNS trigger AS $$
DECLARE
    ids text;
BEGIN
    SELECT string_agg(DISTINCT {column}::text, ',') INTO ids FROM changed;
    IF ids IS NOT NULL THEN
        IF length(ids) > 7000 THEN
            ids := '*';
        END IF;
        PERFORM pg_notify('workbench_change', '{prefix}:' || ids);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def create(op: Any, table: str, prefix: str, column: str, events: tuple[str, ...]) -> None:
    """A statement-level trigger per event on `table` (PostgreSQL only; alembic's `op`)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_FUNCTION.format(name=table, column=column, prefix=prefix))
    for event in events:
        transition = "OLD" if event == "DELETE" else "NEW"
        op.execute(f"CREATE TRIGGER {table}_notify_{event.lower()} AFTER {event} ON {table} "
                   f"REFERENCING {transition} TABLE AS changed FOR EACH STATEMENT "
                   f"EXECUTE FUNCTION workbench_notify_{table}()")


def drop(op: Any, table: str, events: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for event in events:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_notify_{event.lower()} ON {table}")
    op.execute(f"DROP FUNCTION IF EXISTS workbench_notify_{table}()")
