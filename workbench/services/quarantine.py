"""The "Niet verwerkt" list: portal resources the pull could not show at all, made visible.

Every pull retries the open rows by itself (services/sync.py); a person can only look at an
item (audited) or mark it handled outside Workbench (with a reason, audited). The raw resource
is whatever the portal sent, so everything shown is extracted defensively: a field that is not
there or not the expected shape is None, never an exception.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from workbench.services.audit import write_audit_event
from workbench.services.errors import ActionRefused
from workbench.services.triage import Actor, AuditAction
from workbench.store.models import (
    Patient,
    Practitioner,
    QuarantinedResource,
    QuarantineState,
    RelatedPerson,
)
from workbench.store.timeutil import as_utc

MAX_TEXT = 20_000  # a screenful many times over; a runaway payload is cut, not shown whole
MAX_FIELD = 300
MAX_REASON = 500


class QuarantineError(ActionRefused):
    """An action on a quarantined item that cannot be done: "not_found", "not_open",
    "reason_required", "unknown_user"."""


@dataclass(frozen=True)
class QuarantineItem:
    id: int
    resource_type: str
    portal_id: str
    reason: str                 # technical, English, as the pull wrote it
    transient: bool             # the cause may pass by itself: retried on every pull
    attempts: int
    quarantined_at: datetime
    last_attempt_at: datetime | None
    sender: str | None          # display name, a stored name, or the reference
    sent: str | None            # as the portal wrote it (it may not even be a date)
    subject: str | None
    text: str | None            # the message's own words, when they can be read
    patient_id: int | None = None  # the patient it is about, when that patient is stored
    patient_name: str | None = None


# -- defensive extraction ------------------------------------------------------------------------
def _get(value: Any, *path: str | int) -> Any:
    """value[path[0]][path[1]]..., or None as soon as a step does not fit."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or not -len(value) <= step < len(value):
                return None
        elif not isinstance(value, dict):
            return None
        else:
            if step not in value:
                return None
        value = value[step]
    return value


def _text(value: Any, limit: int = MAX_FIELD) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.replace("\x00", "").strip()
    if not value:
        return None
    return value if len(value) <= limit else value[:limit - 1] + "…"


def reference_parts(reference: Any) -> tuple[str, str] | None:
    """("Patient", "123") from "Patient/123", an absolute URL or one with _history."""
    if not isinstance(reference, str):
        return None
    parts = [p for p in reference.strip().split("/") if p]
    if "_history" in parts:
        parts = parts[:parts.index("_history")]
    if len(parts) < 2 or not parts[-2][:1].isupper():
        return None
    return parts[-2], parts[-1][:64]


def payload_text(raw: Any) -> str | None:
    """The contentString parts of the payload, joined; None when there are none to read."""
    payload = _get(raw, "payload")
    if not isinstance(payload, list):
        return None
    texts = [item["contentString"] for item in payload
             if isinstance(item, dict) and isinstance(item.get("contentString"), str)
             and item["contentString"].strip()]
    if not texts:
        return None
    joined = "\n\n".join(text.replace("\x00", "").strip() for text in texts)
    return joined if len(joined) <= MAX_TEXT else joined[:MAX_TEXT - 1] + "…"


def _names(session: Session, rows: list[QuarantinedResource]) -> tuple[dict, dict]:
    """Stored names of senders and patients that quarantined resources refer to."""
    wanted: dict[str, set[str]] = {"Patient": set(), "RelatedPerson": set(),
                                   "Practitioner": set()}
    for row in rows:
        for field_name in ("sender", "subject"):
            parts = reference_parts(_get(row.raw, field_name, "reference"))
            if parts and parts[0] in wanted:
                wanted[parts[0]].add(parts[1])
    names: dict[tuple[str, str], str] = {}
    patient_ids: dict[str, int] = {}
    for kind, model in (("Patient", Patient), ("RelatedPerson", RelatedPerson),
                        ("Practitioner", Practitioner)):
        if not wanted[kind]:
            continue
        columns = [model.portal_id, model.name, model.id]
        for portal_id, name, row_id in session.execute(
                select(*columns).where(model.portal_id.in_(wanted[kind]))):
            names[(kind, portal_id)] = name
            if kind == "Patient":
                patient_ids[portal_id] = row_id
    return names, patient_ids


def _item(row: QuarantinedResource, names: dict, patient_ids: dict) -> QuarantineItem:
    raw = row.raw
    sender_ref = reference_parts(_get(raw, "sender", "reference"))
    sender = _text(_get(raw, "sender", "display"))
    if sender is None and sender_ref is not None:
        sender = names.get(sender_ref) or f"{sender_ref[0]}/{sender_ref[1]}"
    subject_ref = reference_parts(_get(raw, "subject", "reference"))
    patient_id = patient_name = None
    if subject_ref is not None and subject_ref[0] == "Patient":
        patient_id = patient_ids.get(subject_ref[1])
        patient_name = names.get(subject_ref)
    return QuarantineItem(
        id=row.id, resource_type=row.resource_type, portal_id=row.portal_id,
        reason=row.reason or "", transient=bool(row.transient), attempts=row.attempts or 0,
        quarantined_at=as_utc(row.quarantined_at), last_attempt_at=as_utc(row.last_attempt_at),
        sender=sender, sent=_text(_get(raw, "sent"), 40),
        subject=_text(_get(raw, "topic", "text")), text=payload_text(raw),
        patient_id=patient_id, patient_name=patient_name)


# -- queries ------------------------------------------------------------------------------------
def list_open(engine: Engine, limit: int = 1000) -> list[QuarantineItem]:
    """Open items, oldest first (the longest waiting on top)."""
    with Session(engine) as session:
        rows = list(session.scalars(
            select(QuarantinedResource)
            .where(QuarantinedResource.state == QuarantineState.OPEN)
            .order_by(QuarantinedResource.quarantined_at, QuarantinedResource.id).limit(limit)))
        names, patient_ids = _names(session, rows)
        return [_item(row, names, patient_ids) for row in rows]


def count_open(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(QuarantinedResource).where(
            QuarantinedResource.state == QuarantineState.OPEN)) or 0


def get_item(engine: Engine, item_id: int) -> QuarantineItem | None:
    with Session(engine) as session:
        row = session.get(QuarantinedResource, item_id)
        if row is None:
            return None
        names, patient_ids = _names(session, [row])
        return _item(row, names, patient_ids)


# -- actions (each one transaction with its audit line) -----------------------------------------
def record_view(engine: Engine, item_id: int, actor: Actor, clock: Callable[[], datetime],
                workstation: str | None = None) -> None:
    """The item's content was shown to the user: one NEN 7513 line."""
    with Session(engine) as session, session.begin():
        row = _load(session, item_id, actor)
        _audit(session, row, actor, AuditAction.QUARANTINE_VIEWED, clock(), workstation)


def mark_handled(engine: Engine, item_id: int, actor: Actor, reason: str,
                 clock: Callable[[], datetime], workstation: str | None = None) -> None:
    """A person dealt with it outside Workbench: it leaves the list, with who and why."""
    reason = (reason or "").strip()
    if not reason:
        raise QuarantineError("reason_required")
    with Session(engine) as session, session.begin():
        row = _load(session, item_id, actor, for_update=True)
        if row.state is not QuarantineState.OPEN:
            raise QuarantineError("not_open")
        row.state = QuarantineState.HANDLED
        row.handled_by_id = actor.user_id
        row.handled_reason = reason[:MAX_REASON]
        _audit(session, row, actor, AuditAction.QUARANTINE_HANDLED, clock(), workstation)


def _load(session: Session, item_id: int, actor: Actor,
          for_update: bool = False) -> QuarantinedResource:
    for practitioner_id in {actor.user_id, actor.responsible}:
        if session.get(Practitioner, practitioner_id) is None:
            raise QuarantineError("unknown_user")
    row = session.get(QuarantinedResource, item_id, with_for_update=for_update)
    if row is None:
        raise QuarantineError("not_found")
    return row


def _audit(session: Session, row: QuarantinedResource, actor: Actor, action: AuditAction,
           when: datetime, workstation: str | None) -> None:
    """Like triage.record_audit, without an e-consult (there is none yet): the patient is the
    one the resource is about, when that patient is in the store. Ids and codes only."""
    patient_id = None
    parts = reference_parts(_get(row.raw, "subject", "reference"))
    if parts is not None and parts[0] == "Patient":
        patient_id = session.scalar(select(Patient.id).where(Patient.portal_id == parts[1]))
    elif row.resource_type == "Patient":
        patient_id = session.scalar(select(Patient.id).where(Patient.portal_id == row.portal_id))
    write_audit_event(
        session, event=action.value, occurred_at=when, patient_id=patient_id,
        user_id=actor.user_id, responsible_id=actor.responsible, workstation=workstation,
        detail={"quarantine_id": row.id, "resource_type": row.resource_type[:40],
                "portal_id": row.portal_id})
