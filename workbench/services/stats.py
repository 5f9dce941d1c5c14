"""Counts in the store, for `workbench stats` and support."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from workbench.services.sync_writer import ATTEMPTS_FINAL
from workbench.store.models import (
    Attachment,
    ConsultStatus,
    EConsult,
    Message,
    Patient,
    Practitioner,
    QuarantinedResource,
    QuarantineState,
    SyncCursor,
)


def store_stats(engine: Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        def count(*where, model=EConsult) -> int:
            return connection.scalar(select(func.count()).select_from(model).where(*where)) or 0

        by_status = dict(connection.execute(
            select(EConsult.status, func.count()).group_by(EConsult.status)).all())
        cursors = dict(connection.execute(select(SyncCursor.name, SyncCursor.last_updated)).all())
        return {
            "econsults": count(),
            "econsults_by_status": {status.value: by_status.get(status, 0)
                                    for status in ConsultStatus},
            "messages": count(model=Message),
            "patients": count(model=Patient),
            "practitioners": count(model=Practitioner),
            "attachments": count(model=Attachment),
            "attachments_stored": count(Attachment.stored_at.is_not(None), model=Attachment),
            "attachments_pending": count(Attachment.stored_at.is_(None),
                                         Attachment.attempts < ATTEMPTS_FINAL, model=Attachment),
            "attachments_refused": count(Attachment.attempts >= ATTEMPTS_FINAL,
                                         model=Attachment),
            "quarantined": count(model=QuarantinedResource),
            "quarantined_open": count(QuarantinedResource.state == QuarantineState.OPEN,
                                      model=QuarantinedResource),
            "cursors": cursors,
        }
