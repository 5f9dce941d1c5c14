"""answering: templates, drafts, own messages, follow-up

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

from workbench.store import sqlite_rebuild

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('answer_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('scope', sa.Enum('practice', 'personal', name='templatescope', native_enum=False, length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('keywords', sa.String(length=500), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('use_count', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hidden', sa.Boolean(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['practitioner.id'], name=op.f('fk_answer_template_owner_id_practitioner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_template')),
    sa.UniqueConstraint('key', name=op.f('uq_answer_template_key'))
    )
    op.create_index(op.f('ix_answer_template_owner_id'), 'answer_template', ['owner_id'])

    op.create_table('draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('econsult_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['practitioner.id'], name=op.f('fk_draft_author_id_practitioner')),
    sa.ForeignKeyConstraint(['econsult_id'], ['econsult.id'], name=op.f('fk_draft_econsult_id_econsult')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft')),
    sa.UniqueConstraint('econsult_id', 'author_id', name=op.f('uq_draft_econsult_id'))
    )
    # Plain ADD COLUMN and indexes: on SQLite a table rebuild would drop the message table's
    # full-text triggers and trip over the rows that reference econsult.
    op.add_column('econsult', sa.Column('follow_up_at', sa.DateTime(timezone=True),
                                        nullable=True))
    op.add_column('econsult', sa.Column('follow_up_by_id', sa.Integer(), nullable=True))
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot add a constraint in place
        op.create_foreign_key('fk_econsult_follow_up_by_id_practitioner', 'econsult',
                              'practitioner', ['follow_up_by_id'], ['id'])
    op.create_index('ix_econsult_follow_up_at', 'econsult', ['follow_up_at'])
    op.add_column('message', sa.Column('identifier', sa.String(length=80), nullable=True))
    op.add_column('message', sa.Column('delivery', sa.String(length=20), nullable=True))
    op.create_index('ix_message_identifier', 'message', ['identifier'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_message_identifier', 'message')
    op.drop_index('ix_econsult_follow_up_at', 'econsult')
    with sqlite_rebuild.keeping_triggers(op, 'message'), \
            op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_column('delivery')
        batch_op.drop_column('identifier')
    with op.batch_alter_table('econsult', schema=None) as batch_op:
        batch_op.drop_column('follow_up_by_id')
        batch_op.drop_column('follow_up_at')
    op.drop_table('draft')
    op.drop_index(op.f('ix_answer_template_owner_id'), 'answer_template')
    op.drop_table('answer_template')
