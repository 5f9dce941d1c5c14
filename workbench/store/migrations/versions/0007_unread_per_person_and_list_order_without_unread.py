"""unread per person (econsult_read); the list order no longer puts unread first

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('econsult_read',
    sa.Column('econsult_id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_up_to', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['econsult_id'], ['econsult.id'],
                            name=op.f('fk_econsult_read_econsult_id_econsult')),
    sa.ForeignKeyConstraint(['practitioner_id'], ['practitioner.id'],
                            name=op.f('fk_econsult_read_practitioner_id_practitioner')),
    sa.PrimaryKeyConstraint('econsult_id', 'practitioner_id', name=op.f('pk_econsult_read'))
    )
    # Who has read what is known from the audit log: each opening is a "view" event. What
    # they saw then was at most what had been sent by that moment.
    op.execute(
        "INSERT INTO econsult_read (econsult_id, practitioner_id, read_at, read_up_to) "
        "SELECT econsult_id, user_id, MAX(occurred_at), MAX(occurred_at) FROM audit_event "
        "WHERE event = 'view' AND econsult_id IS NOT NULL GROUP BY econsult_id, user_id")
    # Rank 1 was "unread": it becomes "waiting" (2) or "the rest" (3).
    op.execute("UPDATE econsult SET sort_rank = CASE WHEN waiting_since IS NULL THEN 3 ELSE 2 "
               "END WHERE sort_rank = 1")
    with op.batch_alter_table('econsult', schema=None) as batch_op:
        batch_op.alter_column('sort_rank', existing_type=sa.Integer(), existing_nullable=False,
                              server_default='2')


def downgrade() -> None:
    # The ranks 2 and 3 mean the same before this revision; who read what is lost.
    with op.batch_alter_table('econsult', schema=None) as batch_op:
        batch_op.alter_column('sort_rank', existing_type=sa.Integer(), existing_nullable=False,
                              server_default='1')
    op.drop_table('econsult_read')
