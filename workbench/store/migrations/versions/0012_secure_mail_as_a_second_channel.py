"""secure mail as a second channel: the e-consult's channel, mail addresses trusted for a
patient, every mail pulled

A plain ADD COLUMN on the e-consult table (no table rebuild on SQLite): quick on a large store.

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

from workbench.store import sqlite_rebuild

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mail_address',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('portal', 'verified', name='mailaddresssource', native_enum=False, length=20), nullable=False),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_mail_address_patient_id_patient')),
    sa.ForeignKeyConstraint(['verified_by_id'], ['practitioner.id'], name=op.f('fk_mail_address_verified_by_id_practitioner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_address')),
    sa.UniqueConstraint('address', 'patient_id', name=op.f('uq_mail_address_address'))
    )
    with op.batch_alter_table('mail_address', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_address_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_address_patient_id'), ['patient_id'], unique=False)

    op.create_table('mail_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_key', sa.String(length=300), nullable=False),
    sa.Column('account', sa.String(length=300), nullable=False),
    sa.Column('uidvalidity', sa.BigInteger(), nullable=False),
    sa.Column('uid', sa.BigInteger(), nullable=False),
    sa.Column('raw_sha256', sa.String(length=64), nullable=False),
    sa.Column('raw_size', sa.BigInteger(), nullable=False),
    sa.Column('from_address', sa.String(length=254), nullable=True),
    sa.Column('from_name', sa.String(length=200), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('in_reply_to', sa.String(length=300), nullable=True),
    sa.Column('references', sa.JSON(), nullable=True),
    sa.Column('other_recipients', sa.Integer(), server_default='0', nullable=False),
    sa.Column('problems', sa.JSON(), nullable=True),
    sa.Column('state', sa.Enum('imported', 'unknown_sender', 'ambiguous', 'fixed_reply', 'unreadable', name='mailstate', native_enum=False, length=20), nullable=False),
    sa.Column('econsult_id', sa.Integer(), nullable=True),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['econsult_id'], ['econsult.id'], name=op.f('fk_mail_item_econsult_id_econsult')),
    sa.ForeignKeyConstraint(['handled_by_id'], ['practitioner.id'], name=op.f('fk_mail_item_handled_by_id_practitioner')),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_mail_item_message_id_message')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_item')),
    sa.UniqueConstraint('message_key', name=op.f('uq_mail_item_message_key'))
    )
    with op.batch_alter_table('mail_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_item_econsult_id'), ['econsult_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_item_from_address'), ['from_address'], unique=False)
        batch_op.create_index('ix_mail_item_state', ['state', 'received_at'], unique=False)

    with op.batch_alter_table('econsult', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=10), server_default='portal', nullable=False))

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mail_message_id', sa.String(length=300), nullable=True))
        batch_op.create_index(batch_op.f('ix_message_mail_message_id'), ['mail_message_id'], unique=False)



def downgrade() -> None:
    with sqlite_rebuild.keeping_triggers(op, 'message'), \
            op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_mail_message_id'))
        batch_op.drop_column('mail_message_id')

    with op.batch_alter_table('econsult', schema=None) as batch_op:
        batch_op.drop_column('channel')

    with op.batch_alter_table('mail_item', schema=None) as batch_op:
        batch_op.drop_index('ix_mail_item_state')
        batch_op.drop_index(batch_op.f('ix_mail_item_from_address'))
        batch_op.drop_index(batch_op.f('ix_mail_item_econsult_id'))

    op.drop_table('mail_item')
    with op.batch_alter_table('mail_address', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_address_patient_id'))
        batch_op.drop_index(batch_op.f('ix_mail_address_address'))

    op.drop_table('mail_address')
