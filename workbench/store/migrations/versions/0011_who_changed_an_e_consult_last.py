"""who changed an e-consult last, what and when: the words of a refused, stale action

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('econsult', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_kind', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('changed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('changed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_econsult_changed_by_id_practitioner'),
                                    'practitioner', ['changed_by_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('econsult', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_econsult_changed_by_id_practitioner'),
                                 type_='foreignkey')
        batch_op.drop_column('changed_at')
        batch_op.drop_column('changed_by_id')
        batch_op.drop_column('change_kind')
