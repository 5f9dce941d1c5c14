"""several workstations on one database: attachment bytes and previews in the shared store,
outbox claims, a version on every e-consult, presence, and (PostgreSQL) change notifications

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

from workbench.store import notify_triggers

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# Other workstations hear of changes to these (see workbench/store/notify_triggers.py).
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
    for table, prefix, column, events in _TRIGGERS:
        notify_triggers.create(op, table, prefix, column, events)


def downgrade() -> None:
    for table, _prefix, _column, events in _TRIGGERS:
        notify_triggers.drop(op, table, events)
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
