"""Optimistic concurrency on e-consults: an action says which version it was based on, and a
change made meanwhile (by a colleague at another workstation, or by the pull) refuses it with
who changed what, when, instead of being silently overwritten."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from workbench.services.errors import ActionRefused
from workbench.store.models import EConsult, Practitioner
from workbench.store.timeutil import as_utc


class ChangeKind(str, enum.Enum):
    """What changed an e-consult; the UI words it ("Anna de Vries heeft om 10:42 geantwoord")."""

    ANSWERED = "reply"
    ROUTED = "route"
    SENT_BACK = "send_back"
    INVITED = "invite_to_surgery"
    CLOSED = "close"
    URGENCY = "urgency"
    CALL = "call_outcome"
    ASSIGNED = "assign"
    UNDONE = "undo"
    PATIENT_WROTE = "patient_wrote"
    OTHER = "other"


# Audit events that change an e-consult, and the change each one is (record_audit keeps the
# newest on the e-consult); the pull's own kinds after them.
CHANGE_OF_EVENT = {
    "reply": ChangeKind.ANSWERED, "route": ChangeKind.ROUTED,
    "send_back": ChangeKind.SENT_BACK, "invite_to_surgery": ChangeKind.INVITED,
    "close": ChangeKind.CLOSED, "set_urgent": ChangeKind.URGENCY,
    "clear_urgent": ChangeKind.URGENCY, "call_outcome": ChangeKind.CALL,
    "assign": ChangeKind.ASSIGNED, "undo": ChangeKind.UNDONE,
    "follow_up_due": ChangeKind.OTHER,
}
_CHANGE_OF_PULL = {"patient_wrote": ChangeKind.PATIENT_WROTE, "portal": ChangeKind.OTHER}


@dataclass(frozen=True)
class ChangeSummary:
    kind: ChangeKind
    by: str | None            # the person's name; None for the patient or not known
    at: datetime | None


class ConsultChanged(ActionRefused):
    """The e-consult changed since the version the action was based on. `change` says the
    newest change (who, what, when); `version` is the current one, to show the fresh state."""

    def __init__(self, change: ChangeSummary, version: int) -> None:
        super().__init__("changed_by_other")
        self.change = change
        self.version = version


def check_version(session: Session, consult: EConsult, expected_version: int | None) -> None:
    """Refuse (ConsultChanged) when `consult` is no longer at `expected_version`; None: the
    caller did not base the action on a version it showed (the command line, the pull)."""
    if expected_version is not None and consult.version != expected_version:
        raise ConsultChanged(latest_change(session, consult), consult.version)


def latest_change(session: Session, consult: EConsult) -> ChangeSummary:
    """The newest change to `consult`, as kept on it: by whom and when (the patient's new
    message from the pull has no person)."""
    kind = {**CHANGE_OF_EVENT, **_CHANGE_OF_PULL}.get(consult.change_kind or "",
                                                       ChangeKind.OTHER)
    by = session.get(Practitioner, consult.changed_by_id) if consult.changed_by_id else None
    at = as_utc(consult.changed_at) if consult.changed_at is not None else None
    return ChangeSummary(kind, by.name if by is not None else None, at)


@contextmanager
def changing_consult(engine: Engine, econsult_id: int) -> Iterator[Session]:
    """A session whose transaction changes e-consult `econsult_id`; a concurrent change caught
    by the version's compare-and-set at flush (SQLite takes no row lock when reading) refuses
    it like a stale version."""
    with Session(engine) as session:
        try:
            with session.begin():
                yield session
        except StaleDataError as exc:
            session.rollback()
            consult = session.get(EConsult, econsult_id)
            if consult is None:
                raise ConsultChanged(ChangeSummary(ChangeKind.OTHER, None, None), 0) from exc
            raise ConsultChanged(latest_change(session, consult), consult.version) from exc
