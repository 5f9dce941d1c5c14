"""One pulled mail into the store as an e-consult message: a reply threaded onto its e-consult,
a "Re:" onto one of the patient's open mail e-consults, or a new e-consult.

Only ever for the one patient the caller names (the sender's address is trusted for that
patient, or a person linked it): a mail is never attached to another patient's thread.
Plain Python, no Qt; ids and codes in the log, never addresses, subjects or text."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from workbench.services.inbox import compute_sort_rank
from workbench.services.mail.message import ParsedMail
from workbench.services.thread_change import thread_change
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    Attachment,
    AuthorKind,
    ConsultStatus,
    Direction,
    EConsult,
    MailItem,
    MailState,
    Message,
    Patient,
    Urgency,
)
from workbench.store.timeutil import as_utc

log = logging.getLogger(__name__)

CHANNEL = "mail"
PORTAL_VERSION = "mail"       # e-consults and messages that came by mail have no portal version
SUBJECT_MAX = 300
MESSAGE_ID_MAX = 300
# A mail dated this far after the pull is dated by a wrong clock: the pull's time is used.
CLOCK_TOLERANCE = timedelta(minutes=5)
OPEN_STATUSES = (ConsultStatus.INBOX, ConsultStatus.WORKLIST, ConsultStatus.WAITING)
# "Re:", "Antw:", "AW:", "SV:", "VS:", "Ref:", repeated, with a counter ("Re[2]:") or not.
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|antw|aw|sv|vs|ref)\s*(?:\[\d+\])?\s*:\s*)+",
                           re.IGNORECASE)
_SPACE = re.compile(r"\s+")

# data_problems / MailItem.problems codes (the UI has words for them; never content).
OTHER_RECIPIENTS = "other_recipients"      # others received the same mail
SENT_MISSING = "sent_missing"              # no readable Date: the time of the pull is shown
FUTURE_DATED = "future_dated"              # dated after the pull: the time of the pull is shown
SUBJECT_SHORTENED = "subject_shortened"
TEXT_SHORTENED = "mail_text_shortened"     # the text was cut at the parser's limit
HTML_CONVERTED = "mail_html_only"          # an HTML-only mail, shown as plain text
ATTACHMENT_REFUSED = "attachment_refused"  # with one "mail_part_<reason>" per kind of refusal
PART_PREFIX = "mail_part_"


@dataclass(frozen=True)
class ImportOutcome:
    econsult_id: int
    message_id: int
    created: bool        # a new e-consult
    threaded_by: str     # "reply" (In-Reply-To/References), "subject", or "" (new)
    attachments: int     # stored
    photos: int          # of those, images by their declared type


def mail_portal_id(message_key: str) -> str:
    """The portal_id of a mail's e-consult and message: stable per mail, within String(64)."""
    return "mail:" + hashlib.sha256(message_key.encode("utf-8")).hexdigest()[:40]


def message_key(parsed: ParsedMail) -> str:
    """Whom the store knows a mail by: its Message-ID, or a hash (of the id when it is too
    long for the column; parse_mail hashes the bytes of a mail that has none)."""
    if len(parsed.message_id) <= MESSAGE_ID_MAX:
        return parsed.message_id
    return f"<sha256-id:{hashlib.sha256(parsed.message_id.encode('utf-8')).hexdigest()}>"


def base_subject(subject: str) -> str:
    """A subject without its reply prefixes, spaces folded, case-folded: "Re: RE:  Vraag" and
    "vraag" are the same thread's subject."""
    return _SPACE.sub(" ", _REPLY_PREFIX.sub("", subject or "")).strip().casefold()


def is_reply_subject(subject: str) -> bool:
    return bool(_REPLY_PREFIX.match(subject or ""))


def other_recipient_count(parsed: ParsedMail, practice_address: str) -> int:
    practice = (practice_address or "").strip().lower()
    return len({r.address.lower() for r in (*parsed.to, *parsed.cc)} - {practice})


def effective_sent(parsed: ParsedMail, pulled_at: datetime) -> datetime:
    """When the patient wrote, as far as we can trust it: the mail's Date, or the pull's time
    when it has none or one in the future."""
    if parsed.date is None or parsed.date > pulled_at + CLOCK_TOLERANCE:
        return pulled_at
    return parsed.date


def mail_problems(parsed: ParsedMail, practice_address: str, pulled_at: datetime) -> list[str]:
    """What was wrong with a mail, imported anyway: codes for MailItem.problems and the
    e-consult's data_problems."""
    codes: list[str] = []
    if parsed.has_other_recipients and other_recipient_count(parsed, practice_address):
        codes.append(OTHER_RECIPIENTS)
    if parsed.date is None:
        codes.append(SENT_MISSING)
    elif parsed.date > pulled_at + CLOCK_TOLERANCE:
        codes.append(FUTURE_DATED)
    if len(parsed.subject) > SUBJECT_MAX:
        codes.append(SUBJECT_SHORTENED)
    if parsed.text_truncated:
        codes.append(TEXT_SHORTENED)
    if parsed.text_from_html:
        codes.append(HTML_CONVERTED)
    if parsed.refused_part_count:
        codes.append(ATTACHMENT_REFUSED)
        for reason in dict.fromkeys(part.reason for part in parsed.refused_parts):
            codes.append(PART_PREFIX + reason)
    return codes


def thread_candidates(session: Session, parsed: ParsedMail,
                      patient_ids: Iterable[int] | None = None) -> list[tuple[int, int, str]]:
    """The stored messages this mail answers, nearest first (its In-Reply-To, then its
    References from the newest back): (econsult id, patient id, message portal_id). Limited
    to `patient_ids` when given."""
    wanted = [mid for mid in parsed.thread_ids if len(mid) <= MESSAGE_ID_MAX]
    if not wanted:
        return []
    query = select(Message.mail_message_id, Message.econsult_id, EConsult.patient_id,
                   Message.portal_id, Message.id).join(
        EConsult, EConsult.id == Message.econsult_id).where(
        Message.mail_message_id.in_(wanted))
    if patient_ids is not None:
        query = query.where(EConsult.patient_id.in_(list(patient_ids)))
    rows = session.execute(query).all()
    order = {mid: index for index, mid in enumerate(wanted)}
    rows.sort(key=lambda row: (order[row.mail_message_id], -row.id))
    return [(row.econsult_id, row.patient_id, row.portal_id) for row in rows]


def _subject_thread(session: Session, parsed: ParsedMail, patient_id: int) -> EConsult | None:
    """A "Re: <subject>" onto the patient's open mail e-consult with that subject (the one
    the patient wrote in last, when there are several)."""
    if not is_reply_subject(parsed.subject):
        return None
    wanted = base_subject(parsed.subject)
    if not wanted:
        return None
    candidates = session.scalars(select(EConsult).where(
        EConsult.patient_id == patient_id, EConsult.channel == CHANNEL,
        EConsult.status.in_(OPEN_STATUSES)).order_by(
        EConsult.last_patient_message_at.desc(), EConsult.id.desc())).all()
    chosen = next((c for c in candidates if base_subject(c.subject) == wanted), None)
    if chosen is None:
        return None
    # Locked for this transaction (PostgreSQL), read as it is now: the version it is
    # updated from is the one a person's action left.
    return session.get(EConsult, chosen.id, with_for_update=True, populate_existing=True)


def import_mail(session: Session, item: MailItem, parsed: ParsedMail, *, patient_id: int,
                blobs: BlobStore, clock: Callable[[], datetime]) -> ImportOutcome:
    """Creates or extends the patient's e-consult with this mail, in the caller's
    transaction, and marks `item` IMPORTED. `item.problems` (see mail_problems) go onto the
    e-consult's data_problems; the attachments are kept in `blobs` (refused parts are not)."""
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise LookupError("patient not found")
    now = clock()
    received = as_utc(item.received_at) or now
    sent = effective_sent(parsed, received)
    key = item.message_key
    portal_id = mail_portal_id(key)
    problems = list(item.problems or ())

    consult: EConsult | None = None
    in_response_to: str | None = None
    threaded_by = ""
    hits = thread_candidates(session, parsed, [patient_id])
    if hits:
        econsult_id, _patient, in_response_to = hits[0]
        consult = session.get(EConsult, econsult_id, with_for_update=True)
        threaded_by = "reply"
    if consult is None:
        consult = _subject_thread(session, parsed, patient_id)
        if consult is not None:
            in_response_to = consult.portal_id
            threaded_by = "subject"

    stored = _store_attachments(parsed, blobs)
    photos = sum(1 for attachment, _sha in stored
                 if (attachment.declared_type or "").lower().startswith("image/"))
    created = consult is None
    if consult is None:
        consult = EConsult(
            portal_id=portal_id, portal_version=PORTAL_VERSION, patient_id=patient_id,
            subject=parsed.subject[:SUBJECT_MAX], status=ConsultStatus.INBOX,
            portal_status="in-progress", urgency=Urgency.NORMAL, received_at=sent,
            last_patient_message_at=sent, waiting_since=sent, unread=True,
            photo_count=photos, sort_rank=compute_sort_rank(Urgency.NORMAL, None, False, sent),
            channel=CHANNEL, data_problems=sorted(set(problems)) or None)
        session.add(consult)
        session.flush()
    else:
        _thread_reply(consult, sent, photos, received)
        if problems:
            merged = sorted(set(consult.data_problems or ()) | set(problems))
            if merged != sorted(consult.data_problems or ()):
                consult.data_problems = merged

    message = Message(
        econsult_id=consult.id, portal_id=portal_id, portal_version=PORTAL_VERSION,
        direction=Direction.IN, author_kind=AuthorKind.PATIENT,
        author_portal_id=patient.portal_id, text=parsed.text, sent_at=sent,
        in_response_to=in_response_to, advised=False,
        mail_message_id=None if parsed.message_id_is_hash or len(
            parsed.message_id) > MESSAGE_ID_MAX else parsed.message_id)
    session.add(message)
    session.flush()
    for position, (attachment, sha256) in enumerate(stored):
        session.add(Attachment(
            message_id=message.id, position=position,
            title=(attachment.filename or None) and attachment.filename[:255],
            content_type=(attachment.declared_type or "application/octet-stream")[:100],
            declared_size=len(attachment.data), size=len(attachment.data), sha256=sha256,
            stored_at=now, attempts=0))
    item.state = MailState.IMPORTED
    item.econsult_id = consult.id
    item.message_id = message.id
    session.flush()
    log.info("mail imported mail_item=%s econsult=%s message=%s new=%s threaded=%s "
             "attachments=%s", item.id, consult.id, message.id, created, threaded_by or "-",
             len(stored))
    return ImportOutcome(consult.id, message.id, created, threaded_by, len(stored), photos)


def _store_attachments(parsed: ParsedMail, blobs: BlobStore) -> list[tuple]:
    """Each attachment's bytes, kept before any row names them (put is durable)."""
    return [(attachment, blobs.put(attachment.data)) for attachment in parsed.attachments]


def _thread_reply(consult: EConsult, sent: datetime, photos: int, received: datetime) -> None:
    """A patient's mail onto their e-consult, as a portal reply (thread_change.thread_change): the
    newest patient message, photos, since when the patient waits, unread; a waiting or closed
    thread back to the inbox. The ORM raises the version (compare-and-set)."""
    answered = as_utc(consult.answered_at)
    if answered is not None and sent <= answered:
        # The mail says it was written before our answer (a crossing mail, or a clock that is
        # wrong): it is new to us all the same, so it counts from when it came in.
        sent = max(received, answered + timedelta(microseconds=1))
    thread = {
        "photo_count": consult.photo_count or 0, "answered_at": consult.answered_at,
        "last_patient_message_at": consult.last_patient_message_at,
        "waiting_since": consult.waiting_since, "status": consult.status,
        "assignee_id": consult.assignee_id, "unread": consult.unread,
        "follow_up_at": consult.follow_up_at, "change_kind": consult.change_kind,
        "changed_by_id": consult.changed_by_id, "changed_at": consult.changed_at}
    thread_change(thread, {"sent": sent, "incoming": True, "photos": photos})
    for name, value in thread.items():
        if getattr(consult, name) != value:
            setattr(consult, name, value)
    consult.sort_rank = compute_sort_rank(consult.urgency, consult.urgency_advice,
                                          consult.advice_dismissed, consult.waiting_since)
    # Even when nothing above changed, a new message changes the e-consult: the row is
    # written, so its version rises and an action based on before is stale.
    flag_modified(consult, "change_kind")
