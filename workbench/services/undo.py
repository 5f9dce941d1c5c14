"""Undo for triage actions: what an action changed, so it can be put back as it was.

A status change for the portal waits `UNDO_SECONDS` in the outbox: an undo within that time
removes it before the portal ever sees it. Later, the undo sends the earlier status instead."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from workbench.store.models import ConsultStatus, EConsult, OutboxItem, Urgency
from workbench.store.timeutil import as_utc

UNDO_SECONDS = 10
HOLD_KEY = "not_before"  # in an outbox item's payload: not delivered before this moment


@dataclass(frozen=True)
class ConsultState:
    """The fields a triage action changes."""

    status: ConsultStatus
    assignee_id: int | None
    urgency: Urgency
    routing_note: str | None
    invite_to_surgery: bool
    close_reason: str | None
    closed_at: datetime | None
    waiting_since: datetime | None
    answered_at: datetime | None

    @classmethod
    def of(cls, consult: EConsult) -> ConsultState:
        def moment(value: datetime | None) -> datetime | None:
            return as_utc(value) if value else None
        return cls(ConsultStatus(consult.status), consult.assignee_id, Urgency(consult.urgency),
                   consult.routing_note, bool(consult.invite_to_surgery), consult.close_reason,
                   moment(consult.closed_at), moment(consult.waiting_since),
                   moment(consult.answered_at))

    def apply_to(self, consult: EConsult) -> None:
        for field in fields(self):
            setattr(consult, field.name, getattr(self, field.name))

    @property
    def portal_status(self) -> str:
        """The portal's status for this state (what an undo sends once the change went out)."""
        if self.status is ConsultStatus.CLOSED:
            return "completed"
        if self.status is ConsultStatus.WAITING and self.invite_to_surgery:
            return "on-hold"
        return "in-progress"


@dataclass(frozen=True)
class UndoToken:
    """What one action did to one e-consult. `outbox` are the identifiers of the status
    changes it queued; `messages` the ids of messages it queued with it (an invitation)."""

    econsult_id: int
    action: str
    before: ConsultState
    after: ConsultState
    made_at: datetime
    outbox: tuple[str, ...] = ()
    messages: tuple[int, ...] = ()


def hold_until(now: datetime) -> dict[str, str]:
    """The payload entry that keeps an outbox item back for the undo time."""
    return {HOLD_KEY: (now + timedelta(seconds=UNDO_SECONDS)).isoformat()}


def held(item: OutboxItem, now: datetime) -> bool:
    """Still inside its undo time: the sender leaves it for a later push."""
    value = (item.payload or {}).get(HOLD_KEY)
    if not value:
        return False
    try:
        return as_utc(datetime.fromisoformat(value)) > now
    except (TypeError, ValueError):
        return False  # unreadable: deliver rather than keep it back for ever
