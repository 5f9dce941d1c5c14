"""Patient context beside one e-consult: the same patient's other e-consults (with how the last
call about each went) and the numbers to call the patient on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from workbench.services.triage import AuditAction, CallOutcome
from workbench.store.models import (
    AuditEvent,
    ConsultStatus,
    EConsult,
    Patient,
    Practitioner,
    RelatedPerson,
)
from workbench.store.timeutil import as_utc

HISTORY_LIMIT = 50  # a patient with more than this many e-consults is rare; the HIS has the rest


@dataclass(frozen=True)
class HistoryItem:
    """One other e-consult of the patient, as the pane lists it."""

    id: int
    received_at: datetime
    subject: str
    status: ConsultStatus
    assignee_name: str | None
    photo_count: int
    call_outcome: CallOutcome | None = None  # the last call recorded about it (None: none)
    call_at: datetime | None = None

    @property
    def open(self) -> bool:
        return self.status is not ConsultStatus.CLOSED


@dataclass(frozen=True)
class PhoneNumber:
    """A number to call about the patient: the patient's own, or a parent's or carer's."""

    number: str
    name: str
    relation: str | None = None      # "moeder"; None for the patient
    related_person: bool = False


def patient_history(engine: Engine, patient_id: int, econsult_id: int | None = None,
                    limit: int = HISTORY_LIMIT) -> list[HistoryItem]:
    """The patient's other e-consults that came before `econsult_id` or are still open (a later
    closed one is not context for this one), newest first. Without `econsult_id`: all."""
    with Session(engine) as session:
        conditions = [EConsult.patient_id == patient_id]
        shown = session.get(EConsult, econsult_id) if econsult_id is not None else None
        if econsult_id is not None:
            conditions.append(EConsult.id != econsult_id)
        if shown is not None:
            conditions.append(or_(EConsult.received_at <= shown.received_at,
                                  EConsult.status != ConsultStatus.CLOSED))
        rows = session.execute(
            select(EConsult.id, EConsult.received_at, EConsult.subject, EConsult.status,
                   Practitioner.name, EConsult.photo_count)
            .outerjoin(Practitioner, Practitioner.id == EConsult.assignee_id)
            .where(*conditions)
            .order_by(EConsult.received_at.desc(), EConsult.id.desc()).limit(limit)).all()
        calls = _last_calls(session, [row[0] for row in rows])
    items = []
    for eid, received, subject, status, assignee, photos in rows:
        outcome, when = calls.get(eid, (None, None))
        items.append(HistoryItem(eid, as_utc(received), subject or "", status, assignee,
                                 photos or 0, outcome, when))
    return items


def _last_calls(session: Session, econsult_ids: list[int]
                ) -> dict[int, tuple[CallOutcome, datetime]]:
    """The last recorded call outcome per e-consult (the audit line is where calls live)."""
    if not econsult_ids:
        return {}
    found: dict[int, tuple[CallOutcome, datetime]] = {}
    for eid, when, detail in session.execute(
            select(AuditEvent.econsult_id, AuditEvent.occurred_at, AuditEvent.detail).where(
                AuditEvent.econsult_id.in_(econsult_ids),
                AuditEvent.event == AuditAction.CALL_OUTCOME.value)
            .order_by(AuditEvent.occurred_at, AuditEvent.id)):
        try:
            outcome = CallOutcome((detail or {}).get("outcome"))
        except ValueError:
            continue  # an outcome this version does not know: shown as no call
        found[eid] = (outcome, as_utc(when))  # later lines replace earlier ones
    return found


def patient_phones(engine: Engine, patient_id: int) -> list[PhoneNumber]:
    """The patient's number first, then those of parents and carers the portal knows; each
    number once."""
    with Session(engine) as session:
        patient = session.get(Patient, patient_id)
        if patient is None:
            return []
        found: list[PhoneNumber] = []
        if patient.phone:
            found.append(PhoneNumber(patient.phone, patient.name))
        for person in session.scalars(select(RelatedPerson).where(
                RelatedPerson.patient_id == patient_id).order_by(RelatedPerson.name,
                                                                 RelatedPerson.id)):
            if person.phone and person.phone not in [p.number for p in found]:
                found.append(PhoneNumber(person.phone, person.name,
                                         person.relationship_text, related_person=True))
        return found
