"""user accounts on practitioners (sign-in), the audit trail's chain and what it records as it
was (the patient's BSN and the user's role)

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        # An account the practice keeps need not be on the portal.
        batch_op.alter_column('portal_id', existing_type=sa.String(length=64), nullable=True)
        batch_op.add_column(sa.Column('username', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('password_hash', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('pin_hash', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_required', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('os_account', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('failed_attempts', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('password_signed_in_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_practitioner_username'), ['username'])
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('patient_bsn', sa.String(length=9), nullable=True))
        batch_op.add_column(sa.Column('user_role', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('chain_seq', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('mac', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_chain_seq'), ['chain_seq'])
    # What the earlier events were about, as far as the store still knows it.
    op.execute("UPDATE audit_event SET patient_bsn = (SELECT bsn FROM patient WHERE "
               "patient.id = audit_event.patient_id) WHERE patient_id IS NOT NULL")
    op.execute("UPDATE audit_event SET user_role = (SELECT role FROM practitioner WHERE "
               "practitioner.id = audit_event.user_id)")
    op.create_table('audit_chain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('mac', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain'))
    )
    op.execute("INSERT INTO audit_chain (id, seq, mac) VALUES (1, 0, '')")


def downgrade() -> None:
    op.drop_table('audit_chain')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_event_chain_seq'), type_='unique')
        batch_op.drop_column('mac')
        batch_op.drop_column('chain_seq')
        batch_op.drop_column('user_role')
        batch_op.drop_column('patient_bsn')
    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_practitioner_username'), type_='unique')
        for column in ('password_signed_in_at', 'locked_until', 'failed_attempts', 'os_account',
                       'totp_required', 'totp_secret', 'pin_hash', 'password_hash', 'username'):
            batch_op.drop_column(column)
        batch_op.alter_column('portal_id', existing_type=sa.String(length=64), nullable=False)
