"""billing: time segments and declarations

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('declaration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=False),
    sa.Column('econsult_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('proposed_code', sa.String(length=10), nullable=False),
    sa.Column('override_reason', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['econsult_id'], ['econsult.id'], name=op.f('fk_declaration_econsult_id_econsult')),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_declaration_patient_id_patient')),
    sa.ForeignKeyConstraint(['practitioner_id'], ['practitioner.id'], name=op.f('fk_declaration_practitioner_id_practitioner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declaration'))
    )
    with op.batch_alter_table('declaration', schema=None) as batch_op:
        batch_op.create_index('ix_declaration_day', ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_declaration_patient_id'), ['patient_id'], unique=False)

    op.create_table('time_segment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=False),
    sa.Column('econsult_id', sa.Integer(), nullable=True),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('correction_seconds', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['econsult_id'], ['econsult.id'], name=op.f('fk_time_segment_econsult_id_econsult')),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_time_segment_patient_id_patient')),
    sa.ForeignKeyConstraint(['practitioner_id'], ['practitioner.id'], name=op.f('fk_time_segment_practitioner_id_practitioner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_segment'))
    )
    with op.batch_alter_table('time_segment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_time_segment_econsult_id'), ['econsult_id'], unique=False)
        batch_op.create_index('ix_time_segment_patient_start', ['patient_id', 'started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_time_segment_practitioner_id'), ['practitioner_id'], unique=False)

    op.create_table('declared_segment',
    sa.Column('segment_id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['declaration.id'], name=op.f('fk_declared_segment_declaration_id_declaration')),
    sa.ForeignKeyConstraint(['segment_id'], ['time_segment.id'], name=op.f('fk_declared_segment_segment_id_time_segment')),
    sa.PrimaryKeyConstraint('segment_id', name=op.f('pk_declared_segment'))
    )
    with op.batch_alter_table('declared_segment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declared_segment_declaration_id'), ['declaration_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('declared_segment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declared_segment_declaration_id'))

    op.drop_table('declared_segment')
    with op.batch_alter_table('time_segment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_time_segment_practitioner_id'))
        batch_op.drop_index('ix_time_segment_patient_start')
        batch_op.drop_index(batch_op.f('ix_time_segment_econsult_id'))

    op.drop_table('time_segment')
    with op.batch_alter_table('declaration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declaration_patient_id'))
        batch_op.drop_index('ix_declaration_day')

    op.drop_table('declaration')
