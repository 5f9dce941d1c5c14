"""message text indexed per batch on SQLite: a writer inserting many messages may leave their
full-text entries to one statement of its own (store/search.py, messages_indexed_together)

FTS5 writes its in-memory index out at every savepoint a trigger opens, so indexing row by row
from the insert trigger costs about five times one INSERT ... SELECT for the batch. While the
flag table holds a row, which only happens inside that writer's own transaction (SQLite has
one writer at a time, so nobody else ever sees it), the trigger leaves the row alone.
PostgreSQL keeps its tsvector as a generated column and needs nothing.

Revision ID: 0015
Revises: 0014
"""
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

_INDEX_ROW = "INSERT INTO message_fts(rowid, text) VALUES (new.id, new.text); END"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE TABLE message_fts_batch (pending INTEGER NOT NULL)")
    op.execute("DROP TRIGGER IF EXISTS message_fts_insert")
    op.execute("CREATE TRIGGER message_fts_insert AFTER INSERT ON message "
               "WHEN NOT EXISTS (SELECT 1 FROM message_fts_batch) BEGIN " + _INDEX_ROW)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER message_fts_insert")
    op.execute("CREATE TRIGGER message_fts_insert AFTER INSERT ON message BEGIN " + _INDEX_ROW)
    op.execute("DROP TABLE message_fts_batch")
