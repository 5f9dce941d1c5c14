"""lenient import (data problems flagged on patients and e-consults) and a visible, retried
quarantine

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('birth_date_text', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('data_problems', sa.JSON(), nullable=True))
    with op.batch_alter_table('econsult', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_problems', sa.JSON(), nullable=True))
    with op.batch_alter_table('quarantined_resource', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.Enum('open', 'resolved', 'handled',
                                                       name='quarantinestate',
                                                       native_enum=False, length=20),
                                      server_default='open', nullable=False))
        batch_op.add_column(sa.Column('transient', sa.Boolean(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='1',
                                      nullable=False))
        batch_op.add_column(sa.Column('last_attempt_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('handled_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('handled_reason', sa.String(length=500), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_quarantined_resource_handled_by_id_practitioner'), 'practitioner',
            ['handled_by_id'], ['id'])
        batch_op.create_index('ix_quarantined_resource_state', ['state', 'quarantined_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('quarantined_resource', schema=None) as batch_op:
        batch_op.drop_index('ix_quarantined_resource_state')
        batch_op.drop_constraint(
            batch_op.f('fk_quarantined_resource_handled_by_id_practitioner'), type_='foreignkey')
        for column in ('handled_reason', 'handled_by_id', 'resolved_at', 'last_attempt_at',
                       'attempts', 'transient', 'state'):
            batch_op.drop_column(column)
    with op.batch_alter_table('econsult', schema=None) as batch_op:
        batch_op.drop_column('data_problems')
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_column('data_problems')
        batch_op.drop_column('birth_date_text')
