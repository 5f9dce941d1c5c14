"""tariff files the practice loads (Beheer > Tarieven) kept in the store, so every workstation
of a shared database declares with them

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tariff_file',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('loaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['loaded_by_id'], ['practitioner.id'],
                            name=op.f('fk_tariff_file_loaded_by_id_practitioner')),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_tariff_file'))
    )


def downgrade() -> None:
    op.drop_table('tariff_file')
