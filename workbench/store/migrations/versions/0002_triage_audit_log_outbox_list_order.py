"""triage: audit log, outbox, list order

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('event', sa.String(length=40), nullable=False),
    sa.Column('econsult_id', sa.Integer(), nullable=True),
    sa.Column('patient_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('responsible_id', sa.Integer(), nullable=False),
    sa.Column('workstation', sa.String(length=100), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['econsult_id'], ['econsult.id'], name=op.f('fk_audit_event_econsult_id_econsult')),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_audit_event_patient_id_patient')),
    sa.ForeignKeyConstraint(['responsible_id'], ['practitioner.id'], name=op.f('fk_audit_event_responsible_id_practitioner')),
    sa.ForeignKeyConstraint(['user_id'], ['practitioner.id'], name=op.f('fk_audit_event_user_id_practitioner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_econsult_id'), ['econsult_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_patient_id'), ['patient_id'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('econsult_id', sa.Integer(), nullable=False),
    sa.Column('identifier', sa.String(length=80), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('state', sa.Enum('pending', 'sent', 'failed', name='outboxstate', native_enum=False, length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['econsult_id'], ['econsult.id'], name=op.f('fk_outbox_econsult_id_econsult')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('identifier', name=op.f('uq_outbox_identifier'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_econsult_id'), ['econsult_id'], unique=False)
        batch_op.create_index('ix_outbox_state', ['state', 'id'], unique=False)

    with op.batch_alter_table('econsult', schema=None) as batch_op:
        batch_op.add_column(sa.Column('waiting_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('unread', sa.Boolean(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('urgency_advice', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('advice_dismissed', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('sort_rank', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('routing_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('invite_to_surgery', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('close_reason', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_econsult_list_order',
                              ['status', 'sort_rank', 'waiting_since', 'id'], unique=False)
        batch_op.create_index('ix_econsult_worklist_order',
                              ['status', 'assignee_id', 'sort_rank', 'waiting_since', 'id'],
                              unique=False)
        batch_op.create_index('ix_econsult_status_unread', ['status', 'unread'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('econsult', schema=None) as batch_op:
        batch_op.drop_index('ix_econsult_status_unread')
        batch_op.drop_index('ix_econsult_worklist_order')
        batch_op.drop_index('ix_econsult_list_order')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('close_reason')
        batch_op.drop_column('invite_to_surgery')
        batch_op.drop_column('routing_note')
        batch_op.drop_column('sort_rank')
        batch_op.drop_column('advice_dismissed')
        batch_op.drop_column('urgency_advice')
        batch_op.drop_column('unread')
        batch_op.drop_column('waiting_since')

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_state')
        batch_op.drop_index(batch_op.f('ix_outbox_econsult_id'))

    op.drop_table('outbox')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_patient_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_econsult_id'))

    op.drop_table('audit_event')
