"""Triage actions: each one transaction that writes the new state, an audit event and, where the
portal must know, an outbox item."""

from __future__ import annotations

import enum
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from workbench.services.audit import write_audit_event
from workbench.services.concurrency import (
    CHANGE_OF_EVENT,
    changing_consult,
    check_version,
)
from workbench.services.errors import ActionRefused
from workbench.services.inbox import compute_sort_rank
from workbench.services.rights import Permission, allowed, require
from workbench.services.undo import ConsultState, UndoToken, hold_until
from workbench.store.models import (
    AuditEvent,
    ConsultStatus,
    Direction,
    EConsult,
    EConsultRead,
    Message,
    OutboxItem,
    OutboxState,
    Practitioner,
    Urgency,
)
from workbench.store.timeutil import as_utc

MAX_URGENCY_REASON = 200  # why urgency advice was dismissed (or confirmed), as typed


class CloseReason(str, enum.Enum):
    ANSWERED = "beantwoord"
    REFERRED = "doorverwezen"
    BY_PHONE = "telefonisch"
    DUPLICATE = "dubbel"
    NO_ACTION = "geen_actie"


class CallOutcome(str, enum.Enum):
    """How the phone call about an urgent e-consult ended (recorded before it can close)."""

    HANDLED = "gebeld_afgehandeld"        # Gebeld: afgehandeld
    COMES_IN = "gebeld_spreekuur"         # Gebeld: komt naar spreekuur
    GP_INFORMED = "huisarts_ingelicht"    # Huisarts ingelicht
    NOT_REACHED = "niet_bereikt"          # Niet bereikt: stays on top, call again later


CALL_RETRY_MINUTES = 15  # "Niet bereikt": when to try again


class AuditAction(str, enum.Enum):
    VIEW = "view"
    ROUTE = "route"
    SEND_BACK = "send_back"
    INVITE = "invite_to_surgery"
    CLOSE = "close"
    CALL_OUTCOME = "call_outcome"  # the outcome of the call about an urgent e-consult
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
    ASSIGN = "assign"  # into someone's own worklist (assistants' too), priority unchanged
    UNDO = "undo"  # a route, send back, invite or close put back within its undo time
    PATIENT_LOOKUP = "patient_lookup"  # a search for a patient (kind and hits), or the choice
    ACCESS_REPORT = "access_report"  # a patient's access report was made
    # Accounts (no e-consult or patient): user = the person concerned, responsible = the
    # manager acting where one does.
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    ACCOUNT_LOCKED = "account_locked"
    PIN_UNLOCK = "pin_unlock"
    LOCK = "lock"
    SIGN_OUT = "sign_out"
    USER_ADDED = "user_added"
    USER_DISABLED = "user_disabled"
    USER_ENABLED = "user_enabled"
    PASSWORD_RESET = "password_reset"
    PIN_SET = "pin_set"
    SECOND_FACTOR_SET = "second_factor_set"
    ROLE_CHANGED = "role_changed"


class TriageError(ActionRefused):
    """A triage action that cannot be done: "not_found", "not_a_clinician", "not_assignable"
    (someone who does not triage, or no longer works here), "unknown_user",
    "closed", "call_outcome_required" (an urgent e-consult closes only after the call),
    "changed_since" and "already_sent" (an undo that comes too late)."""


@dataclass(frozen=True)
class Actor:
    """Who acts (the user) and on whose behalf (the responsible user, often the same)."""

    user_id: int
    responsible_id: int | None = None

    @property
    def responsible(self) -> int:
        return self.responsible_id or self.user_id


@dataclass(frozen=True)
class CallState:
    """Where the phone call about an e-consult stands, since the patient's last message."""

    urgent: bool                      # urgent flag, or alarm advice nobody has cleared
    outcome: CallOutcome | None       # the last outcome recorded (None: no call recorded)
    recorded_at: datetime | None
    retry_at: datetime | None         # "Niet bereikt": when to call again
    answered: bool                    # our answer went out after the patient's last message
    phone: str | None = None          # the writer's number (parent or carer) or the patient's

    @property
    def required(self) -> bool:
        """An urgent e-consult whose call has not (successfully) been recorded yet: sending
        an answer keeps it open and closing it is refused."""
        return self.urgent and self.outcome in (None, CallOutcome.NOT_REACHED)


class TriageService:
    def __init__(self, engine: Engine, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 workstation: str | None = None) -> None:
        self._engine = engine
        self._clock = clock
        self._workstation = (workstation or socket.gethostname())[:100]

    # -- actions -------------------------------------------------------------------------------
    def record_view(self, econsult_id: int, actor: Actor) -> None:
        """Opening an e-consult: logged, and no longer unread for this user (until the
        patient writes again). The list order stays as it was."""
        with Session(self._engine) as session, session.begin():
            consult = self._load(session, econsult_id, actor)
            session.merge(EConsultRead(econsult_id=consult.id, practitioner_id=actor.user_id,
                                       read_at=self._clock(),
                                       read_up_to=consult.last_patient_message_at))
            self._audit(session, consult, actor, AuditAction.VIEW)

    def route(self, econsult_id: int, actor: Actor, practitioner_id: int, priority: Urgency,
              note: str | None = None, *, expected_version: int | None = None) -> UndoToken:
        with changing_consult(self._engine, econsult_id) as session:
            consult = self._load(session, econsult_id, actor, expected_version)
            before = ConsultState.of(consult)
            target = session.get(Practitioner, practitioner_id)
            if target is None or not allowed(target.role, Permission.RECEIVE_ROUTED_WORK):
                raise TriageError("not_a_clinician")
            consult.status = ConsultStatus.WORKLIST
            consult.assignee_id = target.id
            consult.urgency = priority
            consult.routing_note = (note or "").strip() or None
            self._rerank(consult)
            self._audit(session, consult, actor, AuditAction.ROUTE,
                        {"to": target.id, "priority": priority.value})
            return self._token(consult, AuditAction.ROUTE, before)

    def assign(self, econsult_id: int, actor: Actor, practitioner_id: int, *,
               expected_version: int | None = None) -> UndoToken:
        """Into `practitioner_id`'s own worklist ("Aan mij toewijzen", or to a colleague):
        anyone who triages may take work, assistants included. An e-consult waiting for the
        patient keeps waiting, now with its assignee. Refused for a closed one."""
        with changing_consult(self._engine, econsult_id) as session:
            consult = self._load(session, econsult_id, actor, expected_version)
            if consult.status is ConsultStatus.CLOSED:
                raise TriageError("closed")
            target = session.get(Practitioner, practitioner_id)
            if target is None or not target.active or not allowed(target.role,
                                                                    Permission.TRIAGE):
                raise TriageError("not_assignable")
            before = ConsultState.of(consult)
            if consult.status is ConsultStatus.INBOX:
                consult.status = ConsultStatus.WORKLIST
            consult.assignee_id = target.id
            self._rerank(consult)
            self._audit(session, consult, actor, AuditAction.ASSIGN, {"to": target.id})
            return self._token(consult, AuditAction.ASSIGN, before)

    def send_back(self, econsult_id: int, actor: Actor, note: str | None = None, *,
                  expected_version: int | None = None) -> UndoToken:
        with changing_consult(self._engine, econsult_id) as session:
            consult = self._load(session, econsult_id, actor, expected_version)
            before = ConsultState.of(consult)
            previous = consult.assignee_id
            consult.status = ConsultStatus.INBOX
            consult.assignee_id = None
            if note and note.strip():
                consult.routing_note = note.strip()
            self._rerank(consult)
            self._audit(session, consult, actor, AuditAction.SEND_BACK, {"from": previous})
            return self._token(consult, AuditAction.SEND_BACK, before)

    def invite_to_surgery(self, econsult_id: int, actor: Actor, *,
                          expected_version: int | None = None) -> UndoToken:
        """Needs a physical consult: waits for the patient to make the appointment. The
        portal hears of it after the undo time (ReplyService.invite adds the message)."""
        with changing_consult(self._engine, econsult_id) as session:
            consult = self._load(session, econsult_id, actor, expected_version)
            return apply_invite(session, consult, actor, self._clock(), self._workstation)

    def close(self, econsult_id: int, actor: Actor, reason: CloseReason,
              note: str | None = None, *, expected_version: int | None = None) -> UndoToken:
        """Refused ("call_outcome_required") for an urgent e-consult whose call is not
        recorded: urgent advice is answered by phone, not by a closed item. A note is added
        to the e-consult's note, never to the audit line."""
        note = (note or "").strip() or None
        with changing_consult(self._engine, econsult_id) as session:
            consult = self._load(session, econsult_id, actor, expected_version)
            if call_state_in(session, consult).required:
                raise TriageError("call_outcome_required")
            before = ConsultState.of(consult)
            consult.status = ConsultStatus.CLOSED
            consult.close_reason = reason.value
            consult.closed_at = self._clock()
            consult.waiting_since = None
            if note:
                consult.routing_note = f"{consult.routing_note}\n{note}" \
                    if consult.routing_note else note
            self._rerank(consult)
            self._audit(session, consult, actor, AuditAction.CLOSE,
                        {"reason": reason.value, "note": note is not None})
            identifier = queue_status_change(session, consult, "completed", self._clock(),
                                             hold=True)
            return self._token(consult, AuditAction.CLOSE, before, (identifier,))

    def undo(self, token: UndoToken, actor: Actor) -> None:
        """Put the e-consult back as it was before `token`'s action. Refused ("changed_since")
        when someone changed it meanwhile, and ("already_sent") when a message queued with
        the action has gone out. A status change still held in the outbox is removed; one
        already delivered is followed by the earlier status. Audited as an undo."""
        now = self._clock()
        with changing_consult(self._engine, token.econsult_id) as session:
            consult = self._load(session, token.econsult_id, actor)
            if ConsultState.of(consult) != token.after:
                raise TriageError("changed_since")
            items = {item.identifier: item for item in session.scalars(select(OutboxItem).where(
                OutboxItem.identifier.in_(token.outbox + tuple(
                    m.identifier for m in session.scalars(select(Message).where(
                        Message.id.in_(token.messages))))))).all()}
            messages = session.scalars(select(Message).where(
                Message.id.in_(token.messages))).all()
            def on_its_way(item: OutboxItem) -> bool:
                # Sent, or claimed by a workstation sending it right now.
                return item.state is not OutboxState.PENDING or (
                    item.claimed_until is not None and as_utc(item.claimed_until) > now)

            if any(items.get(m.identifier) is None or on_its_way(items[m.identifier])
                   for m in messages):
                raise TriageError("already_sent")
            for message in messages:
                session.delete(items.pop(message.identifier))
                session.delete(message)
            status_went_out = False
            for identifier in token.outbox:
                item = items.get(identifier)
                if item is not None and not on_its_way(item):
                    session.delete(item)
                elif item is not None:
                    status_went_out = True
            token.before.apply_to(consult)
            self._rerank(consult)
            if status_went_out:
                queue_status_change(session, consult, token.before.portal_status, now)
            self._audit(session, consult, actor, AuditAction.UNDO,
                        {"undid": token.action, "portal": status_went_out})

    def _token(self, consult: EConsult, action: AuditAction, before: ConsultState,
               outbox: tuple[str | None, ...] = ()) -> UndoToken:
        return UndoToken(consult.id, action.value, before, ConsultState.of(consult),
                         self._clock(), tuple(i for i in outbox if i))

    def set_urgent(self, econsult_id: int, actor: Actor, urgent: bool,
                   reason: str | None = None, *, expected_version: int | None = None) -> None:
        """The person decides on the advice: flag as urgent, or clear flag and advice. The
        reason the person gives (the UI asks one to dismiss advice) goes into the audit line,
        cut to `MAX_URGENCY_REASON` characters."""
        reason = (reason or "").strip()[:MAX_URGENCY_REASON] or None
        with changing_consult(self._engine, econsult_id) as session:
            consult = self._load(session, econsult_id, actor, expected_version)
            consult.urgency = Urgency.URGENT if urgent else Urgency.NORMAL
            if not urgent:
                consult.advice_dismissed = True
            self._rerank(consult)
            detail: dict[str, Any] = {"advice": [a.get("category") for a in
                                                 consult.urgency_advice or []
                                                 if isinstance(a, dict)]}
            if reason is not None:
                detail["reason"] = reason
            self._audit(session, consult, actor,
                        AuditAction.SET_URGENT if urgent else AuditAction.CLEAR_URGENT, detail)

    def record_call(self, econsult_id: int, actor: Actor, outcome: CallOutcome | str,
                    note: str | None = None, *, close: bool = False,
                    expected_version: int | None = None) -> CallState:
        """The outcome of the call about this e-consult, audited, in one transaction.

        "Niet bereikt" keeps it open and on top (an urgent one keeps sort rank 0) with a time
        to call again (`CALL_RETRY_MINUTES` on). Any other outcome satisfies the urgent close
        rule; `close` then closes it too (as answered when our answer went out, else as
        handled by phone), or sets it waiting when an evaluation was asked with the answer.
        A note is added to the e-consult's note for the doctor, never to the audit line."""
        outcome = CallOutcome(outcome)
        note = (note or "").strip() or None
        now = self._clock()
        with changing_consult(self._engine, econsult_id) as session:
            consult = self._load(session, econsult_id, actor, expected_version)
            if consult.status is ConsultStatus.CLOSED:
                raise TriageError("closed")
            retry_at = now + timedelta(minutes=CALL_RETRY_MINUTES) \
                if outcome is CallOutcome.NOT_REACHED else None
            if note:
                consult.routing_note = f"{consult.routing_note}\n{note}" \
                    if consult.routing_note else note
            if outcome is CallOutcome.NOT_REACHED and consult.status is ConsultStatus.WAITING:
                # Back where someone sees it: the assignee's worklist or the inbox.
                consult.status = ConsultStatus.WORKLIST if consult.assignee_id is not None \
                    else ConsultStatus.INBOX
            record_audit(session, consult, actor, AuditAction.CALL_OUTCOME, now,
                         {"outcome": outcome.value,
                          "retry_at": retry_at.isoformat() if retry_at else None,
                          "note": note is not None}, self._workstation)
            session.flush()
            if close and outcome is not CallOutcome.NOT_REACHED:
                state = call_state_in(session, consult)
                if consult.follow_up_at is not None and as_utc(consult.follow_up_at) > now:
                    consult.status = ConsultStatus.WAITING
                else:
                    reason = CloseReason.ANSWERED if state.answered else CloseReason.BY_PHONE
                    consult.status = ConsultStatus.CLOSED
                    consult.close_reason = reason.value
                    consult.closed_at = now
                    consult.waiting_since = None
                    self._audit(session, consult, actor, AuditAction.CLOSE,
                                {"reason": reason.value})
                    self._outbox_status(session, consult, "completed")
            self._rerank(consult)
            return call_state_in(session, consult)

    def call_state(self, econsult_id: int) -> CallState:
        """Whether this e-consult still needs its call, and how the last one went."""
        with Session(self._engine) as session:
            consult = session.get(EConsult, econsult_id)
            if consult is None:
                raise TriageError("not_found")
            return call_state_in(session, consult)

    # -- helpers -------------------------------------------------------------------------------
    def _load(self, session: Session, econsult_id: int, actor: Actor,
              expected_version: int | None = None) -> EConsult:
        for practitioner_id in {actor.user_id, actor.responsible}:
            if session.get(Practitioner, practitioner_id) is None:
                raise TriageError("unknown_user")
        # Seeing and handling e-consults is clinical work: not the praktijkmanager's.
        require(session, actor.user_id, Permission.TRIAGE)
        # The row lock makes a concurrent change wait on PostgreSQL; the version check then
        # refuses the change that came second.
        consult = session.get(EConsult, econsult_id, with_for_update=True)
        if consult is None:
            raise TriageError("not_found")
        check_version(session, consult, expected_version)
        return consult

    @staticmethod
    def _rerank(consult: EConsult) -> None:
        consult.sort_rank = compute_sort_rank(consult.urgency, consult.urgency_advice,
                                              consult.advice_dismissed, consult.waiting_since)

    def _audit(self, session: Session, consult: EConsult, actor: Actor, action: AuditAction,
               detail: dict[str, Any] | None = None) -> None:
        record_audit(session, consult, actor, action, self._clock(), detail, self._workstation)

    def _outbox_status(self, session: Session, consult: EConsult, status: str) -> None:
        queue_status_change(session, consult, status, self._clock())


def is_urgent(consult: EConsult) -> bool:
    """Urgent flag, or alarm advice nobody has cleared (as the list's sort rank 0)."""
    return consult.urgency in (Urgency.URGENT, Urgency.URGENT.value) or \
        (bool(consult.urgency_advice) and not consult.advice_dismissed)


def call_state_in(session: Session, consult: EConsult) -> CallState:
    """The call state in the caller's session: only calls and answers since the patient's
    last message count (a new message may need a new call)."""
    since = as_utc(consult.last_patient_message_at) if consult.last_patient_message_at else None
    events = session.execute(select(AuditEvent.occurred_at, AuditEvent.detail).where(
        AuditEvent.econsult_id == consult.id, AuditEvent.event == AuditAction.CALL_OUTCOME.value)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())).all()
    last = next(((as_utc(when), detail or {}) for when, detail in events
                 if since is None or as_utc(when) >= since), None)
    outcome = recorded_at = retry_at = None
    if last is not None:
        recorded_at, detail = last
        try:
            outcome = CallOutcome(detail.get("outcome"))
        except ValueError:
            outcome = None
        if outcome is CallOutcome.NOT_REACHED and detail.get("retry_at"):
            retry_at = as_utc(datetime.fromisoformat(detail["retry_at"]))
    answers = session.scalars(select(Message.sent_at).where(
        Message.econsult_id == consult.id, Message.direction == Direction.OUT)).all()
    answered = any(since is None or as_utc(sent) >= since for sent in answers)
    sender = consult.sender_related_person
    phone = (sender.phone if sender is not None else None) or consult.patient.phone or None
    return CallState(is_urgent(consult), outcome, recorded_at, retry_at, answered, phone)


def record_audit(session: Session, consult: EConsult, actor: Actor, action: AuditAction,
                 when: datetime, detail: dict[str, Any] | None = None,
                 workstation: str | None = None) -> None:
    """One NEN 7513 line in the caller's transaction: ids and codes only in `detail`. An
    action that changes the e-consult is also kept on it as its newest change (the words of
    a colleague's refused, stale action)."""
    if action.value in CHANGE_OF_EVENT:
        consult.change_kind, consult.changed_by_id, consult.changed_at = \
            action.value, actor.user_id, when
    write_audit_event(session, event=action.value, occurred_at=when, econsult_id=consult.id,
                      patient_id=consult.patient_id, user_id=actor.user_id,
                      responsible_id=actor.responsible, workstation=workstation, detail=detail)


def queue_status_change(session: Session, consult: EConsult, status: str,
                        when: datetime, *, hold: bool = False) -> str | None:
    """The portal learns a status change through the outbox, in the caller's transaction;
    `hold` keeps it back for the undo time. Returns the outbox item's identifier."""
    if consult.portal_id.startswith("local:"):
        return None  # a conversation the portal does not know yet; its own message carries it
    if consult.channel == "mail":
        return None  # came by mail: the portal has nothing to change
    identifier = f"urn:uuid:{uuid.uuid4()}"
    payload = {"communication": consult.portal_id, "status": status}
    if hold:
        payload.update(hold_until(when))
    session.add(OutboxItem(kind="status", econsult_id=consult.id, identifier=identifier,
                           created_at=when, payload=payload))
    return identifier


def apply_invite(session: Session, consult: EConsult, actor: Actor, now: datetime,
                 workstation: str | None = None,
                 messages: tuple[int, ...] = ()) -> UndoToken:
    """Invite to the surgery in the caller's transaction: waiting for the appointment, the
    portal told after the undo time; `messages` queued with it go into the undo token."""
    before = ConsultState.of(consult)
    consult.status = ConsultStatus.WAITING
    consult.invite_to_surgery = True
    if messages:  # the invitation answers the patient: the practice no longer keeps them waiting
        consult.answered_at = now
        consult.waiting_since = None
    TriageService._rerank(consult)
    record_audit(session, consult, actor, AuditAction.INVITE, now,
                 {"message": list(messages)} if messages else None, workstation)
    identifier = queue_status_change(session, consult, "on-hold", now, hold=True)
    return UndoToken(consult.id, AuditAction.INVITE.value, before, ConsultState.of(consult),
                     now, (identifier,) if identifier else (), messages)
