"""Which workstation is pulling into the shared database right now.

One workstation pulls at a time: it holds a PostgreSQL session advisory lock (PULL_LOCK_KEY)
for the whole pull. Its connection names the workstation in its application_name (see
store.database.make_engine), so the others can say who pulls and see when it has finished."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text

from workbench.store.database import workstation_of

PULL_LOCK_KEY = 0x77_6F_72_6B  # advisory lock id shared by every workstation of a practice

# A bigint advisory key shows in pg_locks split in two: its high half as classid, its low half
# as objid, with objsubid 1.
_HOLDER = text("""
    SELECT activity.application_name
    FROM pg_locks AS lock
    JOIN pg_stat_activity AS activity ON activity.pid = lock.pid
    WHERE lock.locktype = 'advisory' AND lock.granted
      AND lock.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND lock.classid = CAST(:high AS oid) AND lock.objid = CAST(:low AS oid)
      AND lock.objsubid = 1
    LIMIT 1
""")


def pull_holder(bind: Engine | Connection) -> str | None:
    """The workstation that holds the pull lock; "" when it is held by a connection that does
    not name one; None when nobody pulls (and always on SQLite, where one workstation works)."""
    if bind.dialect.name != "postgresql":
        return None
    if isinstance(bind, Engine):
        with bind.connect() as connection:
            return pull_holder(connection)
    params = {"high": (PULL_LOCK_KEY >> 32) & 0xFFFF_FFFF, "low": PULL_LOCK_KEY & 0xFFFF_FFFF}
    row = bind.execute(_HOLDER, params).first()
    if row is None:
        return None
    return workstation_of(row[0]) or ""
