"""several workstations on one database: attachment bytes and previews in the shared store,
outbox claims, a version on every e-consult, presence, and (PostgreSQL) change notifications

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# One notification per statement, naming the changed e-consults ("e:1,2,3"; "p:..." for
# presence; "*" when the list would not fit a notification's 8000 bytes).
_NOTIFY_FUNCTION = """
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
_TRIGGERS = (
    ("econsult", "e", "id", ("INSERT", "UPDATE")),
    ("presence", "p", "econsult_id", ("INSERT", "UPDATE", "DELETE")),
)


def upgrade() -> None:
    with op.batch_alter_table('econsult', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                      server_default='1'))
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True),
                                      nullable=True))
    op.create_table('blob',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_blob'))
    )
    op.create_table('blob_preview',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('variant', sa.String(length=40), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', 'variant', name=op.f('pk_blob_preview'))
    )
    op.create_table('presence',
    sa.Column('econsult_id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=False),
    sa.Column('workstation', sa.String(length=100), nullable=False),
    sa.Column('activity', sa.String(length=20), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['econsult_id'], ['econsult.id'],
                            name=op.f('fk_presence_econsult_id_econsult'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['practitioner_id'], ['practitioner.id'],
                            name=op.f('fk_presence_practitioner_id_practitioner')),
    sa.PrimaryKeyConstraint('econsult_id', 'practitioner_id', 'workstation',
                            name=op.f('pk_presence'))
    )
    op.create_index(op.f('ix_presence_expires_at'), 'presence', ['expires_at'], unique=False)
    op.create_index('ix_outbox_claim', 'outbox', ['state', 'claimed_until'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        for table, prefix, column, events in _TRIGGERS:
            op.execute(_NOTIFY_FUNCTION.format(name=table, column=column, prefix=prefix))
            for event in events:
                transition = 'OLD' if event == 'DELETE' else 'NEW'
                op.execute(f"CREATE TRIGGER {table}_notify_{event.lower()} AFTER {event} ON "
                           f"{table} REFERENCING {transition} TABLE AS changed FOR EACH "
                           f"STATEMENT EXECUTE FUNCTION workbench_notify_{table}()")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for table, _prefix, _column, events in _TRIGGERS:
            for event in events:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_notify_{event.lower()} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS workbench_notify_{table}()")
    op.drop_index('ix_outbox_claim', table_name='outbox')
    op.drop_index(op.f('ix_presence_expires_at'), table_name='presence')
    op.drop_table('presence')
    op.drop_table('blob_preview')
    op.drop_table('blob')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claimed_by')
    with op.batch_alter_table('econsult', schema=None) as batch_op:
        batch_op.drop_column('version')
