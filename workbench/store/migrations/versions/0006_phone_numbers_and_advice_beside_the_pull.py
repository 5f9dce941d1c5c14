"""phone numbers of patients and writers; urgency advice beside the pull

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

from workbench.store import sqlite_rebuild

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=True))
    with op.batch_alter_table('related_person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=True))
    with op.batch_alter_table('message', schema=None) as batch_op:
        # Messages already stored were advised when they came in.
        batch_op.add_column(sa.Column('advised', sa.Boolean(), server_default='1',
                                      nullable=False))
        batch_op.create_index('ix_message_advised', ['advised', 'id'], unique=False)


def downgrade() -> None:
    with sqlite_rebuild.keeping_triggers(op, 'message'), \
            op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_advised')
        batch_op.drop_column('advised')
    with op.batch_alter_table('related_person', schema=None) as batch_op:
        batch_op.drop_column('phone')
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_column('phone')
