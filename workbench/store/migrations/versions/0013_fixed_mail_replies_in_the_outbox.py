"""fixed mail replies in the outbox: an item without an e-consult (a reply without medical
content to an unknown sender); alarm signs of mail that waits for a person

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('econsult_id', existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table('mail_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('urgency_advice', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('mail_item', schema=None) as batch_op:
        batch_op.drop_column('urgency_advice')
    op.execute("DELETE FROM outbox WHERE econsult_id IS NULL")
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('econsult_id', existing_type=sa.Integer(), nullable=False)
