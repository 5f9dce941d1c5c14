"""Triage actions: each one transaction that writes the new state, an audit event and, where the
portal must know, an outbox item."""

from __future__ import annotations

import enum
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from workbench.services.errors import ActionRefused
from workbench.services.inbox import compute_sort_rank
from workbench.store.models import (
    AuditEvent,
    ConsultStatus,
    EConsult,
    OutboxItem,
    Practitioner,
    Role,
    Urgency,
)


class CloseReason(str, enum.Enum):
    ANSWERED = "beantwoord"
    REFERRED = "doorverwezen"
    BY_PHONE = "telefonisch"
    DUPLICATE = "dubbel"
    NO_ACTION = "geen_actie"


class AuditAction(str, enum.Enum):
    VIEW = "view"
    ROUTE = "route"
    SEND_BACK = "send_back"
    INVITE = "invite_to_surgery"
    CLOSE = "close"
    SET_URGENT = "set_urgent"
    CLEAR_URGENT = "clear_urgent"
    REPLY = "reply"
    START_CONVERSATION = "start_conversation"
    FOLLOW_UP = "follow_up"
    FOLLOW_UP_DUE = "follow_up_due"
    THIRD_PARTY_CHOICE = "third_party_choice"
    COPY_TO_HIS = "copy_to_his"
    SAVE_PHOTO = "save_photo"
    TIME_CORRECTION = "time_correction"
    DECLARE = "declare"
    DECLARE_OVERRIDE = "declare_override"
    EXPORT_DECLARATIONS = "export_declarations"
    QUARANTINE_VIEWED = "quarantine_viewed"  # a "Niet verwerkt" item's content was shown
    QUARANTINE_HANDLED = "quarantine_handled"  # dealt with outside Workbench, reason recorded


class TriageError(ActionRefused):
    """A triage action that cannot be done: "not_found", "not_a_clinician", "unknown_user",
    "closed"."""


@dataclass(frozen=True)
class Actor:
    """Who acts (the user) and on whose behalf (the responsible user, often the same)."""

    user_id: int
    responsible_id: int | None = None

    @property
    def responsible(self) -> int:
        return self.responsible_id or self.user_id


class TriageService:
    def __init__(self, engine: Engine, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 workstation: str | None = None) -> None:
        self._engine = engine
        self._clock = clock
        self._workstation = (workstation or socket.gethostname())[:100]

    # -- actions -------------------------------------------------------------------------------
    def record_view(self, econsult_id: int, actor: Actor) -> None:
        """Opening an e-consult: logged, and it is no longer unread."""
        with Session(self._engine) as session, session.begin():
            consult = self._load(session, econsult_id, actor)
            consult.unread = False
            self._rerank(consult)
            self._audit(session, consult, actor, AuditAction.VIEW)

    def route(self, econsult_id: int, actor: Actor, practitioner_id: int, priority: Urgency,
              note: str | None = None) -> None:
        with Session(self._engine) as session, session.begin():
            consult = self._load(session, econsult_id, actor)
            target = session.get(Practitioner, practitioner_id)
            if target is None or target.role not in (Role.GP, Role.POH):
                raise TriageError("not_a_clinician")
            consult.status = ConsultStatus.WORKLIST
            consult.assignee_id = target.id
            consult.urgency = priority
            consult.routing_note = (note or "").strip() or None
            self._rerank(consult)
            self._audit(session, consult, actor, AuditAction.ROUTE,
                        {"to": target.id, "priority": priority.value})

    def send_back(self, econsult_id: int, actor: Actor, note: str | None = None) -> None:
        with Session(self._engine) as session, session.begin():
            consult = self._load(session, econsult_id, actor)
            previous = consult.assignee_id
            consult.status = ConsultStatus.INBOX
            consult.assignee_id = None
            if note and note.strip():
                consult.routing_note = note.strip()
            self._rerank(consult)
            self._audit(session, consult, actor, AuditAction.SEND_BACK, {"from": previous})

    def invite_to_surgery(self, econsult_id: int, actor: Actor) -> None:
        """Needs a physical consult: waits for the patient to make the appointment."""
        with Session(self._engine) as session, session.begin():
            consult = self._load(session, econsult_id, actor)
            consult.status = ConsultStatus.WAITING
            consult.invite_to_surgery = True
            self._rerank(consult)
            self._audit(session, consult, actor, AuditAction.INVITE)
            self._outbox_status(session, consult, "on-hold")

    def close(self, econsult_id: int, actor: Actor, reason: CloseReason) -> None:
        with Session(self._engine) as session, session.begin():
            consult = self._load(session, econsult_id, actor)
            consult.status = ConsultStatus.CLOSED
            consult.close_reason = reason.value
            consult.closed_at = self._clock()
            consult.waiting_since = None
            self._rerank(consult)
            self._audit(session, consult, actor, AuditAction.CLOSE, {"reason": reason.value})
            self._outbox_status(session, consult, "completed")

    def set_urgent(self, econsult_id: int, actor: Actor, urgent: bool) -> None:
        """The person decides on the advice: flag as urgent, or clear flag and advice."""
        with Session(self._engine) as session, session.begin():
            consult = self._load(session, econsult_id, actor)
            consult.urgency = Urgency.URGENT if urgent else Urgency.NORMAL
            if not urgent:
                consult.advice_dismissed = True
            self._rerank(consult)
            self._audit(session, consult, actor,
                        AuditAction.SET_URGENT if urgent else AuditAction.CLEAR_URGENT,
                        {"advice": [a["category"] for a in consult.urgency_advice or []]})

    # -- helpers -------------------------------------------------------------------------------
    def _load(self, session: Session, econsult_id: int, actor: Actor) -> EConsult:
        for practitioner_id in {actor.user_id, actor.responsible}:
            if session.get(Practitioner, practitioner_id) is None:
                raise TriageError("unknown_user")
        consult = session.get(EConsult, econsult_id, with_for_update=True)
        if consult is None:
            raise TriageError("not_found")
        return consult

    @staticmethod
    def _rerank(consult: EConsult) -> None:
        consult.sort_rank = compute_sort_rank(consult.urgency, consult.urgency_advice,
                                              consult.advice_dismissed, consult.unread,
                                              consult.waiting_since)

    def _audit(self, session: Session, consult: EConsult, actor: Actor, action: AuditAction,
               detail: dict[str, Any] | None = None) -> None:
        record_audit(session, consult, actor, action, self._clock(), detail, self._workstation)

    def _outbox_status(self, session: Session, consult: EConsult, status: str) -> None:
        queue_status_change(session, consult, status, self._clock())


def record_audit(session: Session, consult: EConsult, actor: Actor, action: AuditAction,
                 when: datetime, detail: dict[str, Any] | None = None,
                 workstation: str | None = None) -> None:
    """One NEN 7513 line in the caller's transaction: ids and codes only in `detail`."""
    session.add(AuditEvent(occurred_at=when, event=action.value, econsult_id=consult.id,
                           patient_id=consult.patient_id, user_id=actor.user_id,
                           responsible_id=actor.responsible,
                           workstation=(workstation or socket.gethostname())[:100],
                           detail=detail))


def queue_status_change(session: Session, consult: EConsult, status: str,
                        when: datetime) -> None:
    """The portal learns a status change through the outbox, in the caller's transaction."""
    if consult.portal_id.startswith("local:"):
        return  # a conversation the portal does not know yet; its own message carries it
    session.add(OutboxItem(kind="status", econsult_id=consult.id,
                           identifier=f"urn:uuid:{uuid.uuid4()}", created_at=when,
                           payload={"communication": consult.portal_id, "status": status}))
