"""Writing a page's rows fast, on SQLite and on PostgreSQL.

SQLAlchemy's per-row parameter handling costs more than the database's own work on a page of
hundreds of rows, so new rows go in with the values SQLAlchemy would send (each column type's
bind processor, the columns' scalar defaults) through the driver's fastest path: multi-row
INSERT ... RETURNING on SQLite, COPY on PostgreSQL (one statement streamed, formatted by
psycopg's C code, where executemany pays Python work per row on both sides of the driver)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Column, Connection, Table, any_, bindparam, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.sqlite.base import DATETIME as SQLITE_DATETIME

# SQLite's default limit on parameters per statement is 32,766.
_SQLITE_PARAMETERS = 32_000
_IDS_PER_READ = 500


def bound_values(connection: Connection, table: Table, rows: list[dict[str, Any]]
                 ) -> tuple[list[str], list[tuple[Any, ...]]]:
    """(column names, row tuples) as SQLAlchemy would bind them, scalar defaults added."""
    names = list(rows[0])
    defaults = []
    for column in table.c:
        if column.name in rows[0] or column.default is None:
            continue
        if not column.default.is_scalar:
            # A default made per row (a function, a sequence) is SQLAlchemy's to compute.
            raise ValueError(f"{table.name}.{column.name}: only scalar defaults")
        defaults.append((column.name, column.default.arg))
    dialect = connection.dialect

    def processor(name: str):
        return bind_processor(table.c[name].type, dialect)

    columns = [[row[name] for row in rows] for name in names]
    for position, name in enumerate(names):
        process = processor(name)
        if process is not None:
            columns[position] = [process(value) for value in columns[position]]
    for name, value in defaults:
        process = processor(name)
        names.append(name)
        columns.append([process(value) if process else value] * len(rows))
    return names, list(zip(*columns))


def bind_processor(type_: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """The type's bind processor on this dialect; for SQLite's DATETIME in its default storage
    format a faster one giving the same strings (SQLAlchemy's builds a dict and formats it
    with %, a sixth of a page's work)."""
    impl = type_.dialect_impl(dialect)
    process = impl.bind_processor(dialect)
    if process is None or type(impl) is not SQLITE_DATETIME \
            or impl._storage_format != SQLITE_DATETIME._storage_format:
        return process
    fallback = process

    def sqlite_datetime(value: Any) -> Any:
        # The default format is isoformat's with microseconds, the offset left off; other
        # values (None, a date, a datetime subclass or other zone) go the original way.
        if type(value) is datetime and (value.tzinfo is None or value.tzinfo is timezone.utc):
            return value.isoformat(" ", "microseconds")[:26]
        return fallback(value)

    return sqlite_datetime


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]
                ) -> dict[str, int]:
    """Insert new rows keyed by a unique portal_id; returns portal_id -> new row id."""
    if not rows:
        return {}
    if connection.dialect.name != "postgresql":
        return dict(_sqlite_insert(connection, table, rows, returning=True))
    # COPY returns nothing: the ids are taken from the table's sequence first, in one
    # statement, and written with the rows.
    ids = [row_id for (row_id,) in connection.execute(text(
        "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
        {"table": table.name, "n": len(rows)})]
    _postgres_copy(connection, table, [dict(row, id=row_id) for row, row_id in zip(rows, ids)])
    return {row["portal_id"]: row_id for row, row_id in zip(rows, ids)}


def among(connection: Connection, column: Column, values: Any):
    """`column IN values`; on PostgreSQL `= ANY(array)`: one parameter, so the statement is
    the same for every list (compiled and planned once) where IN has one per value."""
    values = list(values)
    if connection.dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=postgresql.ARRAY(column.type)))
    return column.in_(values)


def rows_by_portal_id(connection: Connection, table: Table, portal_ids: list[str],
                      *columns) -> list[Any]:
    """(portal_id, id, *columns) of the rows with these portal ids, a read per few hundred
    on SQLite (its limit on parameters), one on PostgreSQL."""
    step = (len(portal_ids) or 1) if connection.dialect.name == "postgresql" else _IDS_PER_READ
    found: list[Any] = []
    for start in range(0, len(portal_ids), step):
        found += connection.execute(select(table.c.portal_id, table.c.id, *columns).where(
            among(connection, table.c.portal_id, portal_ids[start:start + step]))).all()
    return found


def insert_many(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows whose new ids nobody needs."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        _postgres_copy(connection, table, rows)
    else:
        _sqlite_insert(connection, table, rows, returning=False)


def dialect_insert(connection: Connection, table: Table):
    """The dialect's INSERT, which knows ON CONFLICT."""
    return (postgresql.insert if connection.dialect.name == "postgresql"
            else sqlite.insert)(table)


def upsert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]
                ) -> dict[str, int]:
    """Insert rows by portal_id, or update those whose portal version changed; returns
    portal_id -> row id of every row. One read of what is there, then the new rows by the
    fast path above: cheaper than an INSERT ... ON CONFLICT per row, and the ids come along.
    `rows` hold each portal_id once; one pull writes at a time (the pull lock)."""
    if not rows:
        return {}
    have = {row.portal_id: (row.id, row.portal_version) for row in rows_by_portal_id(
        connection, table, [row["portal_id"] for row in rows], table.c.portal_version)}
    changed = [row for row in rows
               if row["portal_id"] in have and have[row["portal_id"]][1] != row["portal_version"]]
    if changed:
        names = [name for name in rows[0] if name != "portal_id"]
        connection.execute(
            update(table).where(table.c.portal_id == bindparam("_portal_id"))
            .values({name: bindparam(f"_{name}") for name in names}),
            [{f"_{name}": value for name, value in row.items()} for row in changed])
    ids = {pid: row_id for pid, (row_id, _version) in have.items()}
    ids.update(insert_rows(connection, table, [row for row in rows
                                               if row["portal_id"] not in have]))
    return ids


def _postgres_copy(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    names, values = bound_values(connection, table, rows)
    quote = connection.dialect.identifier_preparer.quote
    statement = (f"COPY {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
                 "FROM STDIN")
    # The driver's own connection, inside the transaction SQLAlchemy began on it.
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in values:
            copy.write_row(row)


def _sqlite_insert(connection: Connection, table: Table, rows: list[dict[str, Any]], *,
                   returning: bool) -> list[Any]:
    """Multi-row INSERT statements of our own; (portal_id, id) pairs when `returning`."""
    names, values = bound_values(connection, table, rows)
    quote = connection.dialect.identifier_preparer.quote
    head = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
            "VALUES ")
    one = "(" + ", ".join("?" * len(names)) + ")"
    if not returning:
        connection.exec_driver_sql(head + one, values)
        return []
    out: list[Any] = []
    per_statement = max(1, _SQLITE_PARAMETERS // len(names))
    for start in range(0, len(values), per_statement):
        chunk = values[start:start + per_statement]
        sql = head + ", ".join([one] * len(chunk)) + " RETURNING portal_id, id"
        out += connection.exec_driver_sql(
            sql, tuple(value for row in chunk for value in row)).all()
    return out
