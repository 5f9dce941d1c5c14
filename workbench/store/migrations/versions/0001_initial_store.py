"""initial store

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('patient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('portal_id', sa.String(length=64), nullable=False),
    sa.Column('bsn', sa.String(length=9), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('family_name', sa.String(length=120), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('gender', sa.String(length=16), nullable=True),
    sa.Column('portal_version', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patient')),
    sa.UniqueConstraint('portal_id', name=op.f('uq_patient_portal_id'))
    )
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patient_bsn'), ['bsn'], unique=False)
        batch_op.create_index(batch_op.f('ix_patient_family_name'), ['family_name'], unique=False)

    op.create_table('practice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('portal_id', sa.String(length=64), nullable=False),
    sa.Column('agb_code', sa.String(length=16), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('portal_version', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice')),
    sa.UniqueConstraint('portal_id', name=op.f('uq_practice_portal_id'))
    )
    op.create_table('practitioner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('portal_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('huisarts', 'poh', 'assistent', name='role', native_enum=False, length=20), nullable=True),
    sa.Column('agb_code', sa.String(length=16), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('portal_version', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practitioner')),
    sa.UniqueConstraint('portal_id', name=op.f('uq_practitioner_portal_id'))
    )
    op.create_table('quarantined_resource',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_type', sa.String(length=40), nullable=False),
    sa.Column('portal_id', sa.String(length=64), nullable=False),
    sa.Column('portal_version', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('raw', sa.JSON(), nullable=False),
    sa.Column('quarantined_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quarantined_resource')),
    sa.UniqueConstraint('resource_type', 'portal_id', 'portal_version', name=op.f('uq_quarantined_resource_resource_type'))
    )
    op.create_table('sync_cursor',
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('last_updated', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_sync_cursor'))
    )
    op.create_table('related_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('portal_id', sa.String(length=64), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('relationship_code', sa.String(length=16), nullable=True),
    sa.Column('relationship_text', sa.String(length=80), nullable=True),
    sa.Column('portal_version', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_related_person_patient_id_patient')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_related_person')),
    sa.UniqueConstraint('portal_id', name=op.f('uq_related_person_portal_id'))
    )
    with op.batch_alter_table('related_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_related_person_patient_id'), ['patient_id'], unique=False)

    op.create_table('econsult',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('portal_id', sa.String(length=64), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('sender_related_person_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('inbox', 'worklist', 'waiting', 'closed', name='consultstatus', native_enum=False, length=20), nullable=False),
    sa.Column('portal_status', sa.String(length=20), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('urgency', sa.Enum('normaal', 'urgent', name='urgency', native_enum=False, length=20), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_patient_message_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('photo_count', sa.Integer(), nullable=False),
    sa.Column('portal_version', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['practitioner.id'], name=op.f('fk_econsult_assignee_id_practitioner')),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_econsult_patient_id_patient')),
    sa.ForeignKeyConstraint(['sender_related_person_id'], ['related_person.id'], name=op.f('fk_econsult_sender_related_person_id_related_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_econsult')),
    sa.UniqueConstraint('portal_id', name=op.f('uq_econsult_portal_id'))
    )
    with op.batch_alter_table('econsult', schema=None) as batch_op:
        batch_op.create_index('ix_econsult_assignee_status', ['assignee_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_econsult_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index('ix_econsult_status_waiting', ['status', 'last_patient_message_at'], unique=False)

    op.create_table('message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('econsult_id', sa.Integer(), nullable=False),
    sa.Column('portal_id', sa.String(length=64), nullable=False),
    sa.Column('portal_version', sa.String(length=64), nullable=False),
    sa.Column('direction', sa.Enum('in', 'out', name='direction', native_enum=False, length=20), nullable=False),
    sa.Column('author_kind', sa.Enum('patient', 'related_person', 'practitioner', name='authorkind', native_enum=False, length=20), nullable=False),
    sa.Column('author_portal_id', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('in_response_to', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['econsult_id'], ['econsult.id'], name=op.f('fk_message_econsult_id_econsult')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message')),
    sa.UniqueConstraint('portal_id', name=op.f('uq_message_portal_id'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_econsult_id'), ['econsult_id'], unique=False)

    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=True),
    sa.Column('content_type', sa.String(length=100), nullable=True),
    sa.Column('declared_size', sa.BigInteger(), nullable=True),
    sa.Column('declared_sha1', sa.String(length=64), nullable=True),
    sa.Column('url', sa.String(length=1000), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('created', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_attachment_message_id_message')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    sa.UniqueConstraint('message_id', 'position', name=op.f('uq_attachment_message_id'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_sha256'), ['sha256'], unique=False)


    _create_full_text_search()

def downgrade() -> None:
    _drop_full_text_search()
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachment_message_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_econsult_id'))

    op.drop_table('message')
    with op.batch_alter_table('econsult', schema=None) as batch_op:
        batch_op.drop_index('ix_econsult_status_waiting')
        batch_op.drop_index(batch_op.f('ix_econsult_patient_id'))
        batch_op.drop_index('ix_econsult_assignee_status')

    op.drop_table('econsult')
    with op.batch_alter_table('related_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_related_person_patient_id'))

    op.drop_table('related_person')
    op.drop_table('sync_cursor')
    op.drop_table('quarantined_resource')
    op.drop_table('practitioner')
    op.drop_table('practice')
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patient_family_name'))
        batch_op.drop_index(batch_op.f('ix_patient_bsn'))

    op.drop_table('patient')


# Full-text search over message text, one implementation per dialect behind
# workbench.store.search. SQLite: an FTS5 index kept in step by triggers, accents folded.
# PostgreSQL: a generated tsvector column with the Dutch configuration and a GIN index.
_SQLITE_FTS = [
    # prefix='2 3 4': prefix indexes, so search-as-you-type on short prefixes stays fast.
    "CREATE VIRTUAL TABLE message_fts USING fts5(text, content='message', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')",
    "CREATE TRIGGER message_fts_insert AFTER INSERT ON message BEGIN "
    "INSERT INTO message_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER message_fts_delete AFTER DELETE ON message BEGIN "
    "INSERT INTO message_fts(message_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER message_fts_update AFTER UPDATE OF text ON message BEGIN "
    "INSERT INTO message_fts(message_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO message_fts(rowid, text) VALUES (new.id, new.text); END",
]
_POSTGRES_FTS = [
    "ALTER TABLE message ADD COLUMN text_search tsvector "
    "GENERATED ALWAYS AS (to_tsvector('dutch', coalesce(text, ''))) STORED",
    "CREATE INDEX ix_message_text_search ON message USING gin (text_search)",
]


def _create_full_text_search() -> None:
    dialect = op.get_bind().dialect.name
    for statement in _SQLITE_FTS if dialect == "sqlite" else _POSTGRES_FTS:
        op.execute(statement)


def _drop_full_text_search() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("message_fts_insert", "message_fts_delete", "message_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS message_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_message_text_search")
        op.execute("ALTER TABLE message DROP COLUMN IF EXISTS text_search")
