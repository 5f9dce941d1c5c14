"""Answering: drafts that survive a crash, sending through the outbox, practice-started
conversations, follow-ups, third-party rules and the HIS copy record."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from workbench.services.audit import write_audit_event
from workbench.services.concurrency import changing_consult, check_version, latest_change
from workbench.services.inbox import age_on, compute_sort_rank, mask_bsn
from workbench.services.rights import Permission, require
from workbench.services.third_party import Choice, ThirdPartyRule, rule_for, writer_role
from workbench.services.triage import (
    Actor,
    AuditAction,
    TriageError,
    apply_invite,
    call_state_in,
    queue_status_change,
    record_audit,
)
from workbench.services.undo import UndoToken, hold_until
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    AnswerTemplate,
    Attachment,
    AuditEvent,
    AuthorKind,
    ConsultStatus,
    Direction,
    Draft,
    EConsult,
    Message,
    OutboxItem,
    Patient,
    Practice,
    Practitioner,
    RelatedPerson,
    Role,
)
from workbench.store.timeutil import as_utc

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_REASON = 200  # why an answer may go to a parent anyway (audited)
IDENTIFIER_SYSTEM = "urn:ietf:rfc:3986"
LOCAL_PREFIX = "local:"
_SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"),
               (b"%PDF-", "application/pdf"))


class ReplyError(Exception):
    """Why an answer cannot be sent or saved; `code` picks the UI's sentence."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code if not detail else f"{code}: {detail}")
        self.code = code  # empty, unresolved_variable, not_found, unknown_user,
        self.detail = detail  # unsupported_file, too_large, unknown_patient


class TooYoungError(ReplyError):
    """A template's text that may not go about this patient: code "too_young" (fever under 3
    months: a GP sees that child today). `key` names the template."""

    def __init__(self, key: str, min_age_months: int, age_months: int) -> None:
        super().__init__("too_young", key)
        self.key = key
        self.min_age_months = min_age_months
        self.age_months = age_months


@dataclass(frozen=True)
class OutgoingAttachment:
    sha256: str
    title: str
    content_type: str
    size: int

    def as_json(self) -> dict:
        return {"sha256": self.sha256, "title": self.title, "content_type": self.content_type,
                "size": self.size}


@dataclass(frozen=True)
class DraftView:
    text: str
    attachments: list[OutgoingAttachment]
    updated_at: datetime


@dataclass(frozen=True)
class DeliveryState:
    state: str  # pending, sent, failed
    error: str | None


@dataclass(frozen=True)
class PatientHit:
    id: int
    name: str
    birth_date: date | None
    bsn_masked: str


@dataclass(frozen=True)
class RecipientOption:
    related_person_id: int | None  # None: the patient themselves
    name: str
    relation: str | None


def sniff_content_type(data: bytes) -> str | None:
    """The type by the file's own bytes, never by its name."""
    return next((kind for magic, kind in _SIGNATURES if data.startswith(magic)), None)


class ReplyService:
    def __init__(self, engine: Engine, blobs: BlobStore, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 mail_address: str | None = None) -> None:
        self._engine = engine
        self._blobs = blobs
        self._clock = clock
        self._mail_address = mail_address  # the practice's, for answers to mail e-consults

    # -- templates' context ------------------------------------------------------------------
    def render_context(self, econsult_id: int | None, patient_id: int | None, author_id: int,
                       *, out_of_hours_phone: str | None = None,
                       practice_phone: str | None = None):
        """What the templates' variables are filled with. The phone numbers are the
        practice's settings (huisartsenpost_telefoon, praktijk_telefoon); an empty
        practice_phone falls back to the number the portal gives. When a parent or carer
        wrote, {aanhef} greets them, not the patient."""
        from workbench.services.templates import RenderContext
        writer = None
        with Session(self._engine) as session:
            if econsult_id is not None:
                consult = session.get(EConsult, econsult_id)
                patient = consult.patient if consult else None
                writer = _writer(session, consult) if consult else None
            else:
                patient = session.get(Patient, patient_id) if patient_id else None
            author = session.get(Practitioner, author_id)
            practice = session.scalars(select(Practice).order_by(Practice.id)).first()
            given = patient.name.removesuffix(patient.family_name or "").strip().split(" ")[0] \
                if patient and patient.name else None
            return RenderContext(
                patient_name=patient.name if patient else None, patient_given=given or None,
                patient_family=patient.family_name if patient else None,
                patient_gender=patient.gender if patient else None,
                author_name=author.name if author else None,
                author_role=author.role.value if author and author.role else None,
                practice_name=practice.name if practice else None,
                practice_phone=(practice_phone or "").strip() or (
                    practice.phone if practice else None),
                today=self._clock().astimezone().date(),
                out_of_hours_phone=(out_of_hours_phone or "").strip() or None,
                patient_birth_date=patient.birth_date if patient else None,
                writer_name=writer.name if writer is not None else None)

    # -- drafts ------------------------------------------------------------------------------
    def save_draft(self, econsult_id: int, author_id: int, text: str,
                   attachments: list[OutgoingAttachment] = ()) -> None:
        with Session(self._engine) as session, session.begin():
            draft = session.scalars(select(Draft).where(
                Draft.econsult_id == econsult_id, Draft.author_id == author_id)).first()
            if not text.strip() and not attachments:
                if draft is not None:
                    session.delete(draft)
                return
            if draft is None:
                draft = Draft(econsult_id=econsult_id, author_id=author_id)
                session.add(draft)
            draft.text = text
            draft.attachments = [a.as_json() for a in attachments] or None
            draft.updated_at = self._clock()

    def load_draft(self, econsult_id: int, author_id: int) -> DraftView | None:
        with Session(self._engine) as session:
            draft = session.scalars(select(Draft).where(
                Draft.econsult_id == econsult_id, Draft.author_id == author_id)).first()
            if draft is None:
                return None
            return DraftView(draft.text, [OutgoingAttachment(**a) for a in draft.attachments or []],
                             as_utc(draft.updated_at))

    def discard_draft(self, econsult_id: int, author_id: int) -> None:
        self.save_draft(econsult_id, author_id, "", [])

    # -- attachments -------------------------------------------------------------------------
    def attach_file(self, path: Path) -> OutgoingAttachment:
        path = Path(path)
        if path.stat().st_size > MAX_ATTACHMENT_BYTES:
            raise ReplyError("too_large")
        data = path.read_bytes()
        content_type = sniff_content_type(data)
        if content_type is None:
            raise ReplyError("unsupported_file")
        return OutgoingAttachment(self._blobs.put(data), path.name[:200], content_type,
                                  len(data))

    # -- sending -----------------------------------------------------------------------------
    def send(self, econsult_id: int, actor: Actor, text: str,
             attachments: list[OutgoingAttachment] = (), *, close: bool = True,
             follow_up_days: int | None = None, template_keys: Iterable[str] = (),
             expected_version: int | None = None, despite_change: bool = False) -> int:
        """Our answer into the outbox and the e-consult answered, in one transaction.

        An urgent e-consult (urgent flag, or alarm advice nobody cleared) whose call is not
        recorded stays open: the answer goes out, the e-consult is neither closed nor set
        waiting until the call's outcome is recorded (TriageService.record_call); an
        evaluation asked for is kept for then. A template with a minimum age (fever under 3
        months), named in `template_keys` or recognised in the text, about a younger patient
        raises TooYoungError (age on today's date; unknown age does not block).

        `expected_version` is the version the writer opened: when someone answered, routed or
        closed it since (or the patient wrote again), ConsultChanged says who and what, and
        nothing is sent. `despite_change`: the writer saw that change (`expected_version` is
        then the version it made) and sends anyway, as a follow-up; audited with the change."""
        _check_sendable(text, attachments)
        now = self._clock()
        with changing_consult(self._engine, econsult_id) as session:
            author, consult = _author_and_consult(session, actor, econsult_id)
            check_version(session, consult, expected_version)
            overridden = latest_change(session, consult).kind.value if despite_change else None
            _check_age(session, text, template_keys, consult.patient.birth_date, now)
            awaiting_call = call_state_in(session, consult).required
            recipient = self._recipient(session, consult)
            if recipient.startswith("RelatedPerson/"):
                # WGBO: the answer goes to someone else only when that is settled.
                rule = _third_party_rule(session, consult, now)
                if rule is not None and rule.to_patient:
                    recipient = f"Patient/{consult.patient.portal_id}"
                elif rule is not None and not rule.cleared:
                    raise ReplyError("third_party_not_cleared", rule.rule)
            message = self._add_message(session, consult, author, text, attachments, now,
                                        in_response_to=consult.portal_id)
            session.flush()
            self._queue_reply(session, consult, message, recipient)
            consult.answered_at = now
            consult.waiting_since = None
            consult.unread = False
            if awaiting_call:
                # Urgent: the call decides; the e-consult stays where it is, open.
                if follow_up_days:
                    consult.follow_up_at = now + timedelta(days=follow_up_days)
                    consult.follow_up_by_id = actor.user_id
            elif follow_up_days:
                consult.status = ConsultStatus.WAITING
                consult.follow_up_at = now + timedelta(days=follow_up_days)
                consult.follow_up_by_id = actor.user_id
            elif close:
                consult.status = ConsultStatus.CLOSED
                consult.close_reason = "beantwoord"
                consult.closed_at = now
                queue_status_change(session, consult, "completed", now)
            consult.sort_rank = compute_sort_rank(consult.urgency, consult.urgency_advice,
                                                  consult.advice_dismissed,
                                                  consult.waiting_since)
            detail = {"message": message.id, "follow_up_days": follow_up_days}
            if awaiting_call:
                detail["awaiting_call"] = True
            if overridden is not None:
                detail["despite_change"] = overridden
            record_audit(session, consult, actor, AuditAction.REPLY, now, detail)
            session.execute(Draft.__table__.delete().where(
                Draft.econsult_id == econsult_id, Draft.author_id == actor.user_id))
            return message.id

    def start_conversation(self, patient_id: int, actor: Actor, subject: str, text: str,
                           attachments: list[OutgoingAttachment] = (), *,
                           to_related_person_id: int | None = None) -> int:
        """The practice writes first (a result, an invitation, information): a new e-consult
        thread that waits for the patient. A template's text with a minimum age (fever under
        3 months) about a younger patient raises TooYoungError."""
        _check_sendable(text, attachments)
        now = self._clock()
        with Session(self._engine) as session, session.begin():
            require(session, actor.user_id, Permission.ANSWER)
            author = _practitioner(session, actor)
            patient = session.get(Patient, patient_id)
            if patient is None:
                raise ReplyError("unknown_patient")
            _check_age(session, text, (), patient.birth_date, now)
            recipient = f"Patient/{patient.portal_id}"
            related = None
            if to_related_person_id is not None:
                related = session.get(RelatedPerson, to_related_person_id)
                if related is None or related.patient_id != patient.id:
                    raise ReplyError("unknown_patient")
                recipient = f"RelatedPerson/{related.portal_id}"
            consult = EConsult(
                portal_id=f"{LOCAL_PREFIX}{uuid.uuid4()}", patient_id=patient.id,
                sender_related_person_id=related.id if related else None,
                subject=subject.strip()[:300], status=ConsultStatus.WAITING,
                portal_status="completed", received_at=now, last_patient_message_at=now,
                answered_at=now, portal_version="0", unread=False, sort_rank=3)
            session.add(consult)
            session.flush()
            message = self._add_message(session, consult, author, text, attachments, now,
                                        in_response_to=None)
            session.flush()
            self._queue_reply(session, consult, message, recipient)
            record_audit(session, consult, actor, AuditAction.START_CONVERSATION, now,
                         {"message": message.id})
            return consult.id

    def invite(self, econsult_id: int, actor: Actor, text: str, *,
               expected_version: int | None = None) -> UndoToken:
        """Invite to the surgery with a message to the patient (how to make the appointment),
        in one transaction. Message and status wait the undo time in the outbox, so an undo
        within it reaches the patient and the portal as nothing."""
        _check_sendable(text, ())
        now = self._clock()
        with changing_consult(self._engine, econsult_id) as session:
            author, consult = _author_and_consult(session, actor, econsult_id)
            check_version(session, consult, expected_version)
            if consult.status is ConsultStatus.CLOSED:
                raise TriageError("closed")
            recipient = self._recipient(session, consult)
            message = self._add_message(session, consult, author, text, (), now,
                                        in_response_to=consult.portal_id)
            session.flush()
            self._queue_reply(session, consult, message, recipient, hold=True)
            return apply_invite(session, consult, actor, now, messages=(message.id,))

    def _add_message(self, session: Session, consult: EConsult, author: Practitioner,
                     text: str, attachments, now: datetime, in_response_to: str | None
                     ) -> Message:
        token = str(uuid.uuid4())
        message = Message(econsult_id=consult.id, portal_id=f"{LOCAL_PREFIX}{token}",
                          portal_version="0", direction=Direction.OUT,
                          author_kind=AuthorKind.PRACTITIONER, author_portal_id=author.portal_id,
                          text=text.strip(), sent_at=now, in_response_to=in_response_to,
                          identifier=f"urn:uuid:{token}", delivery="pending")
        session.add(message)
        session.flush()
        for position, attachment in enumerate(attachments, start=1):
            session.add(Attachment(message_id=message.id, position=position,
                                   title=attachment.title, content_type=attachment.content_type,
                                   declared_size=attachment.size, size=attachment.size,
                                   sha256=attachment.sha256, stored_at=now))
        return message

    @staticmethod
    def _recipient(session: Session, consult: EConsult) -> str:
        """The answer goes to whoever wrote last: the patient, or the parent or carer."""
        last = session.scalars(select(Message).where(
            Message.econsult_id == consult.id, Message.direction == Direction.IN)
            .order_by(Message.sent_at.desc())).first()
        if last is not None and last.author_kind is AuthorKind.RELATED_PERSON:
            return f"RelatedPerson/{last.author_portal_id}"
        if last is not None and last.author_kind is AuthorKind.PATIENT:
            return f"Patient/{last.author_portal_id}"
        if consult.sender_related_person is not None:
            return f"RelatedPerson/{consult.sender_related_person.portal_id}"
        return f"Patient/{consult.patient.portal_id}"

    def _queue_reply(self, session: Session, consult: EConsult, message: Message,
                     recipient: str, *, hold: bool = False) -> None:
        if consult.channel == "mail":
            from workbench.services.mail_outbox import queue_mail_reply
            queue_mail_reply(session, consult, message, self._mail_address, hold=hold)
            return
        payload = {"message_id": message.id, "recipient": recipient}
        if hold:
            payload.update(hold_until(message.sent_at))
        session.add(OutboxItem(kind="reply", econsult_id=consult.id,
                               identifier=message.identifier, created_at=message.sent_at,
                               payload=payload))

    def delivery_states(self, econsult_id: int) -> dict[int, DeliveryState]:
        with Session(self._engine) as session:
            rows = session.execute(select(Message.id, Message.delivery, OutboxItem.last_error)
                                   .outerjoin(OutboxItem, OutboxItem.identifier ==
                                              Message.identifier)
                                   .where(Message.econsult_id == econsult_id,
                                          Message.delivery.is_not(None)))
            return {mid: DeliveryState(state, error) for mid, state, error in rows}

    # -- follow-ups ----------------------------------------------------------------------------
    def set_follow_up(self, econsult_id: int, actor: Actor, days: int) -> None:
        now = self._clock()
        with Session(self._engine) as session, session.begin():
            _practitioner(session, actor)
            consult = session.get(EConsult, econsult_id, with_for_update=True)
            if consult is None:
                raise ReplyError("not_found")
            consult.follow_up_at = now + timedelta(days=days)
            consult.follow_up_by_id = actor.user_id
            consult.status = ConsultStatus.WAITING
            record_audit(session, consult, actor, AuditAction.FOLLOW_UP, now, {"days": days})

    def bring_back_due_follow_ups(self) -> int:
        """Follow-ups due without a reply come back to whoever asked: a GP's or POH's own
        worklist, an assistant's inbox. (A patient's reply reopens the thread by itself.)"""
        now = self._clock()
        with Session(self._engine) as session, session.begin():
            due = session.scalars(select(EConsult).where(
                EConsult.follow_up_at.is_not(None), EConsult.follow_up_at <= now,
                EConsult.status == ConsultStatus.WAITING)).all()
            for consult in due:
                asker = session.get(Practitioner, consult.follow_up_by_id)
                if asker is not None and asker.role in (Role.GP, Role.POH):
                    consult.status, consult.assignee_id = ConsultStatus.WORKLIST, asker.id
                else:
                    consult.status, consult.assignee_id = ConsultStatus.INBOX, None
                consult.follow_up_at = None
                consult.unread = True
                consult.waiting_since = now
                consult.sort_rank = compute_sort_rank(consult.urgency, consult.urgency_advice,
                                                      consult.advice_dismissed, now)
                who = Actor(asker.id) if asker else None
                if who is not None:
                    record_audit(session, consult, who, AuditAction.FOLLOW_UP_DUE, now)
            return len(due)

    # -- patients, third parties, HIS ----------------------------------------------------------
    def find_patients(self, query: str, actor: Actor, limit: int = 20) -> list[PatientHit]:
        """Patients by name, birth date (dd-mm-jjjj) or BSN. A look-up is audited (NEN 7513:
        who searched the practice's patients): the kind of query and the number of hits,
        never the text typed, and no patient until one is chosen (record_patient_choice)."""
        query = query.strip()
        if len(query) < 2:
            return []
        kind = query_kind(query)
        conditions = [func.lower(Patient.name).contains(query.lower(), autoescape=True)]
        if kind == "bsn":
            conditions.append(Patient.bsn == re.sub(r"\D", "", query))
        elif kind == "birth_date":
            conditions.append(Patient.birth_date == _parse_dutch_date(query))
        with Session(self._engine) as session, session.begin():
            _practitioner(session, actor)
            rows = session.execute(select(Patient.id, Patient.name, Patient.birth_date,
                                          Patient.bsn).where(or_(*conditions))
                                   .order_by(Patient.name).limit(limit))
            hits = [PatientHit(pid, name, birth_date, mask_bsn(bsn))
                    for pid, name, birth_date, bsn in rows]
            self._audit_lookup(session, actor, None, {"kind": kind, "hits": len(hits)})
            return hits

    def record_patient_choice(self, patient_id: int, actor: Actor, query: str) -> None:
        """The patient chosen from a look-up's hits: audited with that patient."""
        with Session(self._engine) as session, session.begin():
            _practitioner(session, actor)
            if session.get(Patient, patient_id) is None:
                raise ReplyError("not_found")
            self._audit_lookup(session, actor, patient_id, {"kind": query_kind(query),
                                                            "chosen": True})

    def _audit_lookup(self, session: Session, actor: Actor, patient_id: int | None,
                      detail: dict) -> None:
        write_audit_event(session, event=AuditAction.PATIENT_LOOKUP.value,
                          occurred_at=self._clock(), user_id=actor.user_id,
                          responsible_id=actor.responsible, patient_id=patient_id,
                          detail=detail)

    def recipients(self, patient_id: int) -> list[RecipientOption]:
        """Who a new message about this patient can go to: the patient, or a parent or carer
        the portal knows."""
        with Session(self._engine) as session:
            patient = session.get(Patient, patient_id)
            if patient is None:
                return []
            related = session.scalars(select(RelatedPerson).where(
                RelatedPerson.patient_id == patient_id).order_by(RelatedPerson.name)).all()
            return [RecipientOption(None, patient.name, None)] + [
                RecipientOption(r.id, r.name, r.relationship_text) for r in related]

    def third_party_rule(self, econsult_id: int) -> ThirdPartyRule | None:
        """Who may receive the answer when the parent, carer or someone else wrote last (None:
        the patient wrote, or nobody else did), with what was recorded before."""
        with Session(self._engine) as session:
            consult = session.get(EConsult, econsult_id)
            if consult is None:
                return None
            return _third_party_rule(session, consult, self._clock())

    def record_third_party_choice(self, econsult_id: int, actor: Actor, choice: str,
                                  reason: str | None = None) -> None:
        """A Choice recorded (audited): a parent's gezag for this child and writer, the
        child's or patient's consent, the reason an answer may go anyway, or that the answer
        goes to the patient instead. Read back by third_party_rule."""
        choice = Choice(choice).value
        with Session(self._engine) as session, session.begin():
            _practitioner(session, actor)
            consult = session.get(EConsult, econsult_id)
            if consult is None:
                raise ReplyError("not_found")
            detail: dict = {"choice": choice}
            writer = _writer(session, consult)
            if choice == Choice.GEZAG.value and writer is not None:
                detail["related_person"] = writer.id
            if choice == Choice.REASON.value:
                detail["reason"] = (reason or "").strip()[:MAX_REASON] or None
                if detail["reason"] is None:
                    raise ReplyError("reason_needed")
            record_audit(session, consult, actor, AuditAction.THIRD_PARTY_CHOICE,
                         self._clock(), detail)

    def record_his_copy(self, econsult_id: int, actor: Actor, icpc_code: str) -> None:
        self._record(econsult_id, actor, AuditAction.COPY_TO_HIS, {"icpc": icpc_code})

    def _record(self, econsult_id: int, actor: Actor, action: AuditAction, detail: dict) -> None:
        with Session(self._engine) as session, session.begin():
            _practitioner(session, actor)
            consult = session.get(EConsult, econsult_id)
            if consult is None:
                raise ReplyError("not_found")
            record_audit(session, consult, actor, action, self._clock(), detail)


def _check_sendable(text: str, attachments) -> None:
    from workbench.services.templates import find_unresolved
    if not text.strip() and not attachments:
        raise ReplyError("empty")
    unresolved = find_unresolved(text)
    if unresolved:
        raise ReplyError("unresolved_variable", unresolved[0].name)


def _check_age(session: Session, text: str, template_keys: Iterable[str],
               birth_date: date | None, now: datetime) -> None:
    """The templates' age rules on the day of sending, with the practice's own versions."""
    from workbench.services.templates import (
        TemplateNotAllowed,
        age_rule_keys,
        check_answer_age,
    )
    bodies = dict(session.execute(select(AnswerTemplate.key, AnswerTemplate.body).where(
        AnswerTemplate.key.in_(age_rule_keys()))).all())
    try:
        check_answer_age(text, template_keys, birth_date, now.astimezone().date(), bodies)
    except TemplateNotAllowed as exc:
        raise TooYoungError(exc.key, exc.min_age_months, exc.age_months) from exc


def _third_party_rule(session: Session, consult: EConsult, now: datetime
                      ) -> ThirdPartyRule | None:
    writer = _writer(session, consult)
    if writer is None:
        return None
    age = age_on(consult.patient.birth_date, now.astimezone().date())
    role = writer_role(writer.relationship_code, age)
    recorded: set[str] = set()
    gezag = False
    for econsult_id, detail in session.execute(select(
            AuditEvent.econsult_id, AuditEvent.detail).where(
            AuditEvent.patient_id == consult.patient_id,
            AuditEvent.event == AuditAction.THIRD_PARTY_CHOICE.value)).all():
        choice = (detail or {}).get("choice")
        if choice == Choice.GEZAG.value and detail.get("related_person") == writer.id:
            gezag = True  # once per child and writer, whichever e-consult it was on
        elif econsult_id == consult.id and choice:
            recorded.add(choice)
    rule = rule_for(age, role, gezag)
    return ThirdPartyRule(rule.value, age, writer.name, writer.relationship_text, role.value,
                          frozenset(recorded))


def _writer(session: Session, consult: EConsult) -> RelatedPerson | None:
    """The parent or carer the answer goes to (see ReplyService._recipient), if any."""
    last = session.scalars(select(Message).where(
        Message.econsult_id == consult.id, Message.direction == Direction.IN)
        .order_by(Message.sent_at.desc())).first()
    if last is not None and last.author_kind is AuthorKind.RELATED_PERSON:
        found = session.scalars(select(RelatedPerson).where(
            RelatedPerson.portal_id == last.author_portal_id)).first()
        return found or consult.sender_related_person
    if last is not None and last.author_kind is AuthorKind.PATIENT:
        return None
    return consult.sender_related_person


def _author_and_consult(session: Session, actor: Actor, econsult_id: int
                        ) -> tuple[Practitioner, EConsult]:
    """Who writes, and the e-consult locked for the change (ReplyError when it is gone)."""
    require(session, actor.user_id, Permission.ANSWER)  # writing to patients is clinical work
    author = _practitioner(session, actor)
    consult = session.get(EConsult, econsult_id, with_for_update=True)
    if consult is None:
        raise ReplyError("not_found")
    return author, consult


def _practitioner(session: Session, actor: Actor) -> Practitioner:
    author = session.get(Practitioner, actor.user_id)
    if author is None or session.get(Practitioner, actor.responsible) is None:
        raise ReplyError("unknown_user")
    return author


def query_kind(query: str) -> str:
    """What a patient look-up searched by, for its audit event: "bsn", "birth_date" or
    "name" (the text itself is not kept)."""
    query = query.strip()
    digits = re.sub(r"\D", "", query)
    if len(digits) == 9 and digits == query.replace(" ", ""):
        return "bsn"
    return "birth_date" if _parse_dutch_date(query) is not None else "name"


def _parse_dutch_date(text: str) -> date | None:
    found = re.fullmatch(r"\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*", text)
    if not found:
        return None
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None
