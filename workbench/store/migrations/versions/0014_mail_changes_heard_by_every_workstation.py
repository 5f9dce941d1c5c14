"""mail changes heard by every workstation: (PostgreSQL) a notification when a mail comes in
or one waiting for a person is handled, so the unknown-sender count is live everywhere

Revision ID: 0014
Revises: 0013
"""
from alembic import op

from workbench.store import notify_triggers

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

_EVENTS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    notify_triggers.create(op, "mail_item", "m", "id", _EVENTS)


def downgrade() -> None:
    notify_triggers.drop(op, "mail_item", _EVENTS)
