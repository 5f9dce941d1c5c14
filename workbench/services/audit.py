"""The one place an audit event (NEN 7513) is written: what happened, when, to which patient,
by whom (and their role then), on whose behalf, from which workstation. Ids and codes only."""

from __future__ import annotations

import socket
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.store.models import AuditEvent, Patient, Practitioner


def write_audit_event(session: Session, *, event: str, occurred_at: datetime,
                      user_id: int, responsible_id: int, econsult_id: int | None = None,
                      patient_id: int | None = None, workstation: str | None = None,
                      detail: dict[str, Any] | None = None) -> AuditEvent:
    """Adds the event in the caller's transaction. The patient's BSN and the user's role are
    kept as they are now, so a later access report still says who looked and at whom."""
    bsn = session.scalar(select(Patient.bsn).where(Patient.id == patient_id)) \
        if patient_id is not None else None
    role = session.scalar(select(Practitioner.role).where(Practitioner.id == user_id))
    row = AuditEvent(occurred_at=occurred_at, event=event, econsult_id=econsult_id,
                     patient_id=patient_id, user_id=user_id, responsible_id=responsible_id,
                     workstation=(workstation or socket.gethostname())[:100], detail=detail,
                     patient_bsn=bsn, user_role=role.value if role is not None else None)
    session.add(row)
    return row
