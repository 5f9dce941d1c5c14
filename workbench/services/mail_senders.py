""""Onbekende afzender": mail waiting for a person, and what a person does with it.

A From address can be forged, so the pull imports a mail only for a patient whose address the
practice trusts (the portal's, or one a person verified here). Everything else waits: an
unknown sender, an address several patients share, a mail that could not be read. A person
reads it (audited), finds the patient by name, birth date or BSN, and links the address (it is
trusted from then on, audited) or chooses among the patients sharing it, or sends a fixed reply
without medical content. Medical answers go only to trusted addresses (`is_trusted`).

Plain Python, no Qt: dataclasses and codes; refusals are MailSenderError with a code. Audit
details carry ids and codes only, never an address, a subject or text."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Literal

from sqlalchemy import Engine, and_, func, or_, select, update
from sqlalchemy.orm import Session

from workbench.services.audit import write_audit_event
from workbench.services.errors import ActionRefused
from workbench.services.inbox import mask_bsn
from workbench.services.mail.errors import MailError
from workbench.services.mail.message import ParsedMail, parse_mail
from workbench.services.mail_import import ImportOutcome, import_mail
from workbench.services.triage import Actor, AuditAction
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    MailAddress,
    MailAddressSource,
    MailItem,
    MailState,
    Patient,
    Practitioner,
)
from workbench.store.timeutil import as_utc

log = logging.getLogger(__name__)

WAITING_STATES = (MailState.UNKNOWN_SENDER, MailState.AMBIGUOUS, MailState.UNREADABLE)
MAX_MATCHES = 50

# Audit events (the access report has words for them; detail: ids and codes only).
MAIL_VIEWED = "mail_viewed"
MAIL_ADDRESS_VERIFIED = "mail_address_verified"
MAIL_PATIENT_CHOSEN = "mail_patient_chosen"
MAIL_FIXED_REPLY = "mail_fixed_reply"
MAIL_HANDLED = "mail_handled"

FixedReplyKind = Literal["call_practice", "use_portal"]
FIXED_REPLY_KINDS = ("call_practice", "use_portal")


class MailSenderError(ActionRefused):
    """An action on a waiting mail that cannot be done: "not_found", "unknown_user",
    "not_waiting" (someone handled it meanwhile, or it is in another state than the action
    needs), "patient_not_found", "not_a_candidate" (a shared address's choice must be one of
    the patients sharing it), "no_address" (the mail has no From to reply to), "unknown_kind",
    "raw_missing" (the kept mail is gone from the blob store), "unreadable"."""


@dataclass(frozen=True)
class PatientMatch:
    id: int
    name: str
    birth_date: date | None
    bsn_masked: str          # the last three digits only; "" when the patient has none


@dataclass(frozen=True)
class WaitingMail:
    id: int
    state: MailState
    from_address: str | None
    from_name: str | None
    subject: str
    received_at: datetime
    sent_at: datetime | None
    text: str                # plain text (an HTML-only mail converted), never rendered
    attachment_count: int | None   # None when the raw mail was not read for it (no blobs)
    problems: tuple[str, ...]
    other_recipients: int
    candidates: tuple[PatientMatch, ...] = ()   # AMBIGUOUS: the patients sharing the address
    # Alarm signs found in it (EConsult.urgency_advice's form): such a mail comes first.
    urgency_advice: tuple[dict, ...] = ()


@dataclass(frozen=True)
class LinkOutcome:
    mail_item_id: int
    patient_id: int
    econsult_id: int
    message_id: int
    threaded: bool
    address_added: bool      # a new VERIFIED address (False: it was trusted already)
    others_waiting: int      # other mails from the same address still waiting


@dataclass(frozen=True)
class FixedReply:
    """What the outbox must send (the Dutch words are the UI's, by `kind`)."""

    mail_item_id: int
    kind: str
    to_address: str
    to_name: str
    subject: str             # the patient's subject; the outbox makes "Re: ..." of it
    in_reply_to: str | None  # None when the mail had no Message-ID of its own
    references: tuple[str, ...]


@dataclass(frozen=True)
class TrustedAddress:
    address: str
    source: MailAddressSource
    verified_by_id: int | None
    verified_at: datetime | None


# -- reading ------------------------------------------------------------------------------------
def list_waiting(engine: Engine, blobs: BlobStore | None = None, limit: int = 1000
                 ) -> list[WaitingMail]:
    """Mail waiting for a person (unknown sender, shared address, unreadable), newest first.
    With `blobs`, each mail's attachments are counted from the kept raw mail."""
    with Session(engine) as session:
        rows = list(session.scalars(select(MailItem).where(
            MailItem.state.in_(WAITING_STATES), MailItem.handled_at.is_(None)).order_by(
            MailItem.received_at.desc(), MailItem.id.desc()).limit(limit)))
        candidates = _candidates(session, [r.from_address for r in rows
                                           if r.state is MailState.AMBIGUOUS])
        waiting = [_waiting(row, candidates, blobs) for row in rows]
    # A mail with alarm signs first; the rest newest first (sorted is stable).
    return sorted(waiting, key=lambda mail: not mail.urgency_advice)


def count_waiting(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(MailItem).where(
            MailItem.state.in_(WAITING_STATES), MailItem.handled_at.is_(None))) or 0


def get_waiting(engine: Engine, item_id: int, blobs: BlobStore | None = None
                ) -> WaitingMail | None:
    """One mail as the waiting list shows it (also once handled: None only when unknown)."""
    with Session(engine) as session:
        row = session.get(MailItem, item_id)
        if row is None:
            return None
        candidates = _candidates(session, [row.from_address]) \
            if row.state is MailState.AMBIGUOUS else {}
        return _waiting(row, candidates, blobs)


def record_view(engine: Engine, item_id: int, actor: Actor, clock: Callable[[], datetime],
                workstation: str | None = None) -> None:
    """The mail's content was shown to the user: one NEN 7513 line (its patient is not known
    yet; for a shared address the candidates are named by id)."""
    with Session(engine) as session, session.begin():
        _check_actor(session, actor)
        row = session.get(MailItem, item_id)
        if row is None:
            raise MailSenderError("not_found")
        detail: dict = {"mail_item_id": row.id, "state": row.state.value}
        if row.state is MailState.AMBIGUOUS and row.from_address:
            detail["candidate_patient_ids"] = sorted(session.scalars(select(
                MailAddress.patient_id).where(MailAddress.address == row.from_address)))
        _audit(session, MAIL_VIEWED, actor, clock(), workstation, detail,
               patient_id=None, econsult_id=row.econsult_id)


def find_patients(engine: Engine, query: str, actor: Actor | None = None,
                  clock: Callable[[], datetime] | None = None, *, limit: int = MAX_MATCHES,
                  workstation: str | None = None) -> list[PatientMatch]:
    """Patients by name (the name or family name contains each word), birth date
    (dd-mm-jjjj or jjjj-mm-dd) or BSN (9 digits, exact), words combined ("jansen 01-02-1980");
    at most 50. With `actor` the look-up is audited like ReplyService.find_patients: the
    kind of query and the number of hits, never the text typed."""
    words = (query or "").split()
    if not words or len("".join(words)) < 2:
        return []
    conditions = []
    kinds = []
    for word in words:
        digits = re.sub(r"\D", "", word)
        day = _parse_date(word)
        if len(digits) == 9 and digits == word:
            conditions.append(Patient.bsn == digits)
            kinds.append("bsn")
        elif day is not None:
            conditions.append(Patient.birth_date == day)
            kinds.append("birth_date")
        else:
            needle = word.lower()
            conditions.append(or_(
                func.lower(Patient.name).contains(needle, autoescape=True),
                func.lower(func.coalesce(Patient.family_name, "")).contains(
                    needle, autoescape=True)))
            kinds.append("name")
    limit = max(1, min(limit, MAX_MATCHES))
    with Session(engine) as session, session.begin():
        rows = session.execute(select(Patient.id, Patient.name, Patient.birth_date,
                                      Patient.bsn).where(and_(*conditions))
                               .order_by(Patient.name, Patient.id).limit(limit)).all()
        matches = [PatientMatch(pid, name, birth, mask_bsn(bsn)) for pid, name, birth, bsn in rows]
        if actor is not None:
            _check_actor(session, actor)
            _audit(session, AuditAction.PATIENT_LOOKUP.value, actor,
                   (clock or _now)(), workstation,
                   {"kind": "+".join(sorted(set(kinds))), "hits": len(matches),
                    "context": "mail"})
        return matches


def trusted_addresses(engine: Engine, patient_id: int) -> list[TrustedAddress]:
    with Session(engine) as session:
        rows = session.scalars(select(MailAddress).where(
            MailAddress.patient_id == patient_id).order_by(MailAddress.address)).all()
        return [TrustedAddress(r.address, r.source, r.verified_by_id, as_utc(r.verified_at))
                for r in rows]


def is_trusted(engine: Engine, patient_id: int, address: str) -> bool:
    """Whether a medical answer may go to `address` for this patient."""
    wanted = (address or "").strip().lower()
    if not wanted:
        return False
    with Session(engine) as session:
        return session.scalar(select(MailAddress.id).where(
            MailAddress.patient_id == patient_id, MailAddress.address == wanted)) is not None


# -- actions (each one transaction with its audit line) -----------------------------------------
def link_sender(engine: Engine, item_id: int, patient_id: int, actor: Actor,
                clock: Callable[[], datetime], blobs: BlobStore, *,
                workstation: str | None = None) -> LinkOutcome:
    """A person checked who wrote: the address becomes trusted for this patient (VERIFIED,
    audited) and the mail is imported for them; later mails from it go straight in."""
    now = clock()
    with Session(engine) as session, session.begin():
        _check_actor(session, actor)
        item = _claim(session, item_id, (MailState.UNKNOWN_SENDER,), actor, now)
        if session.get(Patient, patient_id) is None:
            raise MailSenderError("patient_not_found")
        parsed = _reparse(item, blobs)
        address_id, added = None, False
        if item.from_address:
            existing = session.scalar(select(MailAddress).where(
                MailAddress.address == item.from_address, MailAddress.patient_id == patient_id))
            if existing is None:
                row = MailAddress(address=item.from_address, patient_id=patient_id,
                                  source=MailAddressSource.VERIFIED,
                                  verified_by_id=actor.user_id, verified_at=now)
                session.add(row)
                session.flush()
                address_id, added = row.id, True
            else:
                address_id = existing.id
        outcome = import_mail(session, item, parsed, patient_id=patient_id, blobs=blobs,
                              clock=clock)
        _audit(session, MAIL_ADDRESS_VERIFIED, actor, now, workstation,
               {"mail_item_id": item.id, "address_id": address_id, "new": added,
                "message_id": outcome.message_id},
               patient_id=patient_id, econsult_id=outcome.econsult_id)
        others = _others_waiting(session, item) if item.from_address else 0
        log.info("mail_item=%s linked patient=%s econsult=%s address_added=%s", item.id,
                 patient_id, outcome.econsult_id, added)
        return _link_outcome(item, patient_id, outcome, added, others)


def choose_patient(engine: Engine, item_id: int, patient_id: int, actor: Actor,
                   clock: Callable[[], datetime], blobs: BlobStore, *,
                   workstation: str | None = None) -> LinkOutcome:
    """Several patients share the address: the person says whose mail it is. It is imported
    for that patient; no address is added (it is trusted for each of them already)."""
    now = clock()
    with Session(engine) as session, session.begin():
        _check_actor(session, actor)
        item = _claim(session, item_id, (MailState.AMBIGUOUS,), actor, now)
        sharing = set(session.scalars(select(MailAddress.patient_id).where(
            MailAddress.address == (item.from_address or ""))))
        if patient_id not in sharing:
            raise MailSenderError("not_a_candidate")
        parsed = _reparse(item, blobs)
        outcome = import_mail(session, item, parsed, patient_id=patient_id, blobs=blobs,
                              clock=clock)
        _audit(session, MAIL_PATIENT_CHOSEN, actor, now, workstation,
               {"mail_item_id": item.id, "candidates": len(sharing),
                "message_id": outcome.message_id},
               patient_id=patient_id, econsult_id=outcome.econsult_id)
        others = _others_waiting(session, item)
        return _link_outcome(item, patient_id, outcome, False, others)


def fixed_reply(engine: Engine, item_id: int, kind: FixedReplyKind | str, actor: Actor,
                clock: Callable[[], datetime], *,
                workstation: str | None = None, practice_address: str | None = None,
                practice_name: str = "", practice_phone: str = "") -> FixedReply:
    """Answered without medical content ("bel de praktijk" / "gebruik het portaal"): the mail
    leaves the list (FIXED_REPLY) with its reply queued in the outbox, in one transaction
    (without `practice_address`, refused: "mail_not_configured")."""
    from workbench.services.mail_outbox import queue_fixed_reply
    if kind not in FIXED_REPLY_KINDS:
        raise MailSenderError("unknown_kind")
    if not practice_address:
        raise MailSenderError("mail_not_configured")
    now = clock()
    with Session(engine) as session, session.begin():
        _check_actor(session, actor)
        current = session.get(MailItem, item_id)
        if current is None:
            raise MailSenderError("not_found")
        if not current.from_address:
            raise MailSenderError("no_address")
        item = _claim(session, item_id, WAITING_STATES, actor, now, new_state=MailState.FIXED_REPLY)
        _audit(session, MAIL_FIXED_REPLY, actor, now, workstation,
               {"mail_item_id": item.id, "kind": kind}, patient_id=None, econsult_id=None)
        in_reply_to = None if item.message_key.startswith(("<sha256", "<unread:")) \
            else item.message_key
        references = tuple(item.references or ())
        reply = FixedReply(item.id, kind, item.from_address, item.from_name or "",
                           item.subject or "", in_reply_to, references)
        queue_fixed_reply(session, reply, practice_address, practice_name=practice_name,
                          practice_phone=practice_phone, when=now)
        return reply


def mark_handled(engine: Engine, item_id: int, actor: Actor, clock: Callable[[], datetime],
                 *, workstation: str | None = None) -> None:
    """A person dealt with a waiting mail outside Workbench (an unreadable one, mostly): it
    leaves the list, with who and when (audited); its raw mail stays kept."""
    now = clock()
    with Session(engine) as session, session.begin():
        _check_actor(session, actor)
        if session.get(MailItem, item_id) is None:
            raise MailSenderError("not_found")
        taken = session.execute(update(MailItem).where(
            MailItem.id == item_id, MailItem.state.in_(WAITING_STATES),
            MailItem.handled_at.is_(None)).values(handled_by_id=actor.user_id,
                                                  handled_at=now))
        if taken.rowcount != 1:
            raise MailSenderError("not_waiting")
        state = session.scalar(select(MailItem.state).where(MailItem.id == item_id))
        _audit(session, MAIL_HANDLED, actor, now, workstation,
               {"mail_item_id": item_id, "state": state.value}, patient_id=None,
               econsult_id=None)


# -- helpers ------------------------------------------------------------------------------------
def _now() -> datetime:
    return datetime.now(timezone.utc)


def _check_actor(session: Session, actor: Actor) -> None:
    for practitioner_id in {actor.user_id, actor.responsible}:
        if session.get(Practitioner, practitioner_id) is None:
            raise MailSenderError("unknown_user")


def _claim(session: Session, item_id: int, states: tuple[MailState, ...], actor: Actor,
           now: datetime, *, new_state: MailState | None = None) -> MailItem:
    """Compare-and-set: the mail is still waiting in one of `states` and nobody handled it;
    from here this transaction has it (a second person's action is refused "not_waiting")."""
    values = {"handled_by_id": actor.user_id, "handled_at": now}
    if new_state is not None:
        values["state"] = new_state
    taken = session.execute(update(MailItem).where(
        MailItem.id == item_id, MailItem.state.in_(states),
        MailItem.handled_at.is_(None)).values(**values).execution_options(
        synchronize_session=False))
    if taken.rowcount != 1:
        if session.get(MailItem, item_id) is None:
            raise MailSenderError("not_found")
        raise MailSenderError("not_waiting")
    item = session.get(MailItem, item_id, populate_existing=True)
    assert item is not None
    return item


def _reparse(item: MailItem, blobs: BlobStore) -> ParsedMail:
    """The kept raw mail, parsed again for its attachments and thread ids. Who else received
    it was counted at the pull (item.problems, other_recipients)."""
    if not item.raw_sha256:
        raise MailSenderError("unreadable")
    try:
        raw = blobs.read(item.raw_sha256)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise MailSenderError("raw_missing") from exc
    try:
        return parse_mail(raw, "")
    except MailError as exc:
        raise MailSenderError("unreadable") from exc


def _others_waiting(session: Session, item: MailItem) -> int:
    return session.scalar(select(func.count()).select_from(MailItem).where(
        MailItem.from_address == item.from_address, MailItem.id != item.id,
        MailItem.state.in_(WAITING_STATES), MailItem.handled_at.is_(None))) or 0


def _link_outcome(item: MailItem, patient_id: int, outcome: ImportOutcome, added: bool,
                  others: int) -> LinkOutcome:
    return LinkOutcome(item.id, patient_id, outcome.econsult_id, outcome.message_id,
                       not outcome.created, added, others)


def _candidates(session: Session, addresses: list[str | None]
                ) -> dict[str, tuple[PatientMatch, ...]]:
    wanted = {a for a in addresses if a}
    if not wanted:
        return {}
    found: dict[str, list[PatientMatch]] = {}
    for address, pid, name, birth, bsn in session.execute(select(
            MailAddress.address, Patient.id, Patient.name, Patient.birth_date,
            Patient.bsn).join(Patient, Patient.id == MailAddress.patient_id).where(
            MailAddress.address.in_(wanted)).order_by(Patient.name, Patient.id)):
        found.setdefault(address, []).append(PatientMatch(pid, name, birth, mask_bsn(bsn)))
    return {address: tuple(matches) for address, matches in found.items()}


_ATTACHMENT_COUNTS: dict[str, int] = {}  # by raw sha256: a kept mail never changes


def _attachment_count(item: MailItem, blobs: BlobStore | None) -> int | None:
    if blobs is None or not item.raw_sha256:
        return None if blobs is None else 0
    if item.raw_sha256 not in _ATTACHMENT_COUNTS:
        try:
            parsed = parse_mail(blobs.read(item.raw_sha256), "")
        except (OSError, MailError):
            return None
        if len(_ATTACHMENT_COUNTS) > 2000:
            _ATTACHMENT_COUNTS.clear()
        _ATTACHMENT_COUNTS[item.raw_sha256] = len(parsed.attachments)
    return _ATTACHMENT_COUNTS[item.raw_sha256]


def _waiting(row: MailItem, candidates: dict[str, tuple[PatientMatch, ...]],
             blobs: BlobStore | None) -> WaitingMail:
    return WaitingMail(
        id=row.id, state=row.state, from_address=row.from_address, from_name=row.from_name,
        subject=row.subject or "", received_at=as_utc(row.received_at),
        sent_at=as_utc(row.sent_at), text=row.text or "",
        attachment_count=_attachment_count(row, blobs), problems=tuple(row.problems or ()),
        other_recipients=row.other_recipients or 0,
        candidates=candidates.get(row.from_address or "", ()),
        urgency_advice=tuple(row.urgency_advice or ()))


def _parse_date(word: str) -> date | None:
    found = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", word)
    if found:
        day, month, year = (int(part) for part in found.groups())
    else:
        found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", word)
        if not found:
            return None
        year, month, day = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _audit(session: Session, event: str, actor: Actor, when: datetime,
           workstation: str | None, detail: dict, *, patient_id: int | None = None,
           econsult_id: int | None = None) -> None:
    write_audit_event(session, event=event, occurred_at=when, user_id=actor.user_id,
                      responsible_id=actor.responsible, patient_id=patient_id,
                      econsult_id=econsult_id, workstation=workstation, detail=detail)
