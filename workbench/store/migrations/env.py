"""Alembic environment: runs against the engine handed over by workbench.store.database."""

from alembic import context
from sqlalchemy.exc import SQLAlchemyError

from workbench.store.models import Base


def include_object(obj, name, type_, reflected, compare_to):
    # The full-text index tables are made by hand in migration 0001, not by the models.
    return not (type_ == "table" and reflected and name and name.startswith("message_fts"))


def _prepare_sqlite(connection) -> None:
    # Batch mode copies a table and drops the old one; with foreign keys enforced, dropping a
    # table that other rows refer to fails. SQLite's own procedure for altering tables: turn
    # them off (only possible outside a transaction), check them all before committing.
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    # Python's sqlite3 opens a transaction only before INSERT/UPDATE/DELETE, so CREATE, DROP
    # and ALTER (batch mode's table copies too) would each commit on their own. SQLite's DDL
    # is transactional once a transaction is open: open it before anything else.
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    # Scratch tables of batch mode left by a kill under an older Workbench, whose DDL
    # committed statement by statement; they are always the empty pre-copy state.
    for (name,) in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name LIKE '\\_alembic\\_tmp\\_%' ESCAPE '\\'").all():
        connection.exec_driver_sql(f'DROP TABLE "{name}"')


engine = context.config.attributes["engine"]
sqlite = engine.dialect.name == "sqlite"
# All pending migrations run in one transaction (not one per migration): a failure or a kill
# part-way leaves the store at the revision it had, never half-way.
with engine.connect() as connection:
    try:
        if sqlite:
            _prepare_sqlite(connection)
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
            include_object=include_object,
            transaction_per_migration=False,
        )
        context.run_migrations()
        if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").all()):
            raise RuntimeError(f"the migration breaks foreign keys: {broken[:5]}")
        connection.commit()
    finally:
        if sqlite:
            try:
                connection.rollback()  # ends a failed migration; nothing left after a commit
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
            except SQLAlchemyError:
                connection.invalidate()  # never back into the pool with foreign keys off
