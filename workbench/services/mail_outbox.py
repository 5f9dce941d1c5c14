"""Answers to mail e-consults out through SMTP, exactly once.

The Message-ID is made when the answer is queued, so every attempt sends the very same mail.
Before an attempt that may repeat an earlier one (one that began sending and did not hear the
server's answer, or a workstation killed mid-send), the Sent folder is searched for that
Message-ID: found, the answer went out. Where the provider files sent mail itself, its copy is
the proof, and an answer not found there is sent again. Otherwise Workbench files the answer in
Sent right after the server accepted it; an answer whose acceptance was lost with the
connection is not sent again until a person confirms that it did not go out (it may have)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from workbench.services.audit import write_audit_event
from workbench.services.mail.connection import MailSettings
from workbench.services.mail.errors import MailError
from workbench.services.mail.imap_pull import MailboxClient
from workbench.services.mail.message import (
    MailAttachment,
    compose_reply,
    make_message_id,
    reply_subject,
)
from workbench.services.mail.smtp_send import SendOutcome, send_message
from workbench.services.undo import hold_until
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    Direction,
    EConsult,
    MailAddress,
    MailItem,
    MailState,
    Message,
    OutboxItem,
    OutboxState,
)
from workbench.store.timeutil import as_utc

log = logging.getLogger(__name__)

KIND = "mail_reply"
FIXED_KIND = "mail_fixed"  # a reply without medical content to a sender we cannot trust
KINDS = (KIND, FIXED_KIND)
# What the patient reads: Dutch, like the shipped answer templates (resources/templates), not
# interface text. No medical content: the sender's address is not known to be the patient's.
FIXED_REPLY_TEXTS = {
    "call_practice": (
        "Beste afzender,\n\n"
        "Wij hebben uw e-mail ontvangen. Wij weten niet zeker dat dit e-mailadres van u is, "
        "en daarom kunnen wij uw vraag niet per e-mail beantwoorden.\n\n"
        "Wilt u de praktijk bellen{phone}? Dan helpen wij u verder.\n\n"
        "Heeft u klachten die niet kunnen wachten? Bel dan direct de praktijk, of 's avonds, "
        "'s nachts en in het weekend de huisartsenpost. Bij levensgevaar belt u 112.\n\n"
        "Met vriendelijke groet,\n{practice}"),
    "use_portal": (
        "Beste afzender,\n\n"
        "Wij hebben uw e-mail ontvangen. Wij weten niet zeker dat dit e-mailadres van u is, "
        "en daarom kunnen wij uw vraag niet per e-mail beantwoorden.\n\n"
        "Wilt u uw vraag stellen via het patiëntenportaal van de praktijk? Daar weten wij "
        "zeker dat wij met u spreken. Lukt dat niet, bel dan de praktijk{phone}.\n\n"
        "Heeft u klachten die niet kunnen wachten? Bel dan direct de praktijk, of 's avonds, "
        "'s nachts en in het weekend de huisartsenpost. Bij levensgevaar belt u 112.\n\n"
        "Met vriendelijke groet,\n{practice}"),
}
_OUTBOX = OutboxItem.__table__
_MESSAGE = Message.__table__


class MailReplyRefused(Exception):
    """Why an answer by mail cannot be queued; `code` picks the UI's sentence:
    mail_not_configured, no_mail_address (nothing to answer to), address_not_verified."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def queue_mail_reply(session: Session, consult: EConsult, message: Message,
                     practice_address: str | None, *, hold: bool = False) -> None:
    """The outbox item of an answer to a mail e-consult, in the caller's transaction: to the
    address the patient's last mail came from, only when the practice trusts that address
    for this patient (medical answers go to verified addresses only)."""
    from workbench.services.replies import ReplyError  # the answer's own refusals
    if not practice_address:
        raise ReplyError("mail_not_configured")
    last = session.execute(select(MailItem).join(Message, Message.id == MailItem.message_id)
                           .where(Message.econsult_id == consult.id,
                                  Message.direction == Direction.IN)
                           .order_by(Message.sent_at.desc(), Message.id.desc())
                           ).scalars().first()
    if last is None or not last.from_address:
        raise ReplyError("no_mail_address")
    trusted = session.scalar(select(MailAddress.id).where(
        MailAddress.address == last.from_address.lower(),
        MailAddress.patient_id == consult.patient_id))
    if trusted is None:
        raise ReplyError("address_not_verified")
    mail_id = make_message_id(practice_address)
    message.mail_message_id = mail_id
    in_reply_to = last.message_key if not last.message_key.startswith("<sha256:") else None
    payload: dict[str, Any] = {
        "message_id": message.id, "to": last.from_address, "to_name": last.from_name or "",
        "subject": reply_subject(consult.subject), "mail_message_id": mail_id,
        "in_reply_to": in_reply_to, "references": list(last.references or [])}
    if hold:
        payload.update(hold_until(message.sent_at))
    session.add(OutboxItem(kind=KIND, econsult_id=consult.id, identifier=message.identifier,
                           created_at=message.sent_at, payload=payload))


def queue_fixed_reply(session: Session, reply: Any, practice_address: str, *,
                      practice_name: str = "", practice_phone: str = "",
                      when: datetime) -> None:
    """A reply without medical content (services.mail_senders.FixedReply) into the outbox, in
    the caller's transaction: the mail leaves the list only with its reply queued."""
    import uuid
    text = FIXED_REPLY_TEXTS[reply.kind].format(
        phone=f" op {practice_phone}" if practice_phone else "",
        practice=practice_name or "de praktijk")
    session.add(OutboxItem(
        kind=FIXED_KIND, econsult_id=None, identifier=f"urn:uuid:{uuid.uuid4()}",
        created_at=when, payload={
            "mail_item_id": reply.mail_item_id, "to": reply.to_address,
            "to_name": reply.to_name, "subject": reply_subject(reply.subject), "text": text,
            "mail_message_id": make_message_id(practice_address),
            "in_reply_to": reply.in_reply_to, "references": list(reply.references)}))


@dataclass(frozen=True)
class MailDelivery:
    """What one attempt came to: "sent" (accepted, or found in Sent), "pending" (try again
    later, `reason` a code), "failed" (refused for good), "confirm" (it may have gone out: a
    person decides)."""

    state: str
    reason: str | None = None


class MailReplySender:
    """Sends one queued answer; the outbox (services/outbox.py) claims, records and retries."""

    def __init__(self, settings: MailSettings, blobs: BlobStore | None, *,
                 practice_name: str = "", password: str | None = None,
                 keyring_backend: Any = None) -> None:
        self._settings = settings
        self._blobs = blobs
        self._practice_name = practice_name
        self._password = password
        self._backend = keyring_backend

    def deliver(self, engine: Engine, item_id: int, payload: dict[str, Any]) -> MailDelivery:
        if payload.get("confirm"):
            return MailDelivery("confirm", payload.get("confirm"))
        try:
            if payload.get("started") and self._in_sent(payload["mail_message_id"]):
                return MailDelivery("sent", "found_in_sent")
            if payload.get("started") and not self._settings.provider_files_sent:
                # Begun before and not in Sent: without the provider's own copy nobody can
                # tell whether it went out.
                return MailDelivery("confirm", "unknown_after_restart")
            mail = self._compose(engine, payload)
            _set_payload(engine, item_id, started=True)  # committed before a byte goes out
            outcome = send_message(self._settings, mail, self._password, backend=self._backend)
        except MailError as exc:
            return MailDelivery("pending", exc.code)
        if outcome.outcome is SendOutcome.ACCEPTED:
            if not self._settings.provider_files_sent:
                self._file_in_sent(mail)
            return MailDelivery("sent")
        if outcome.outcome is SendOutcome.REFUSED:
            return MailDelivery("failed", f"refused_{outcome.reply_code}")
        if outcome.outcome is SendOutcome.TEMPORARY:
            _set_payload(engine, item_id, started=False)  # nothing of it was handed over
            return MailDelivery("pending", f"temporary_{outcome.stage}")
        # UNKNOWN: the connection broke after the message, before the server's answer.
        if self._settings.provider_files_sent:
            try:
                if self._in_sent(payload["mail_message_id"]):
                    return MailDelivery("sent", "found_in_sent")
            except MailError as exc:
                log.info("mail answer %s: Sent not searched (%s)", item_id, exc.code)
            return MailDelivery("pending", "unknown_outcome")  # searched again before a retry
        return MailDelivery("confirm", "unknown_outcome")

    def _compose(self, engine: Engine, payload: dict[str, Any]):
        if "text" in payload:  # a fixed reply: no message of an e-consult
            return compose_reply(
                practice_address=self._settings.practice_address,
                practice_name=self._practice_name, to_address=payload["to"],
                to_name=payload.get("to_name") or "", subject=payload["subject"],
                body=payload["text"], message_id=payload["mail_message_id"],
                in_reply_to=payload.get("in_reply_to"),
                references=payload.get("references") or [])
        with Session(engine) as session:
            message = session.get(Message, payload["message_id"])
            if message is None:
                raise MailError("message_gone")
            attachments = [MailAttachment(a.title or "bijlage", a.content_type or
                                          "application/octet-stream", self._bytes(a.sha256))
                           for a in message.attachments]
            return compose_reply(
                practice_address=self._settings.practice_address,
                practice_name=self._practice_name, to_address=payload["to"],
                to_name=payload.get("to_name") or "", subject=payload["subject"],
                body=message.text, message_id=payload["mail_message_id"],
                attachments=attachments, date=as_utc(message.sent_at),
                in_reply_to=payload.get("in_reply_to"),
                references=payload.get("references") or [])

    def _bytes(self, sha256: str | None) -> bytes:
        try:
            if self._blobs is not None and sha256:
                return self._blobs.read(sha256)
        except (FileNotFoundError, KeyError):
            pass
        raise MailError("attachment_missing")

    def _in_sent(self, message_id: str) -> bool:
        with MailboxClient.connect(self._settings, self._password,
                                   backend=self._backend) as client:
            return bool(client.find_in_sent(message_id))

    def _file_in_sent(self, mail) -> None:
        """The proof that it went out, for the next attempt's search; the answer itself went
        out already, so a failure here is logged, not a failed answer."""
        try:
            with MailboxClient.connect(self._settings, self._password,
                                       backend=self._backend) as client:
                client.append_to_sent(mail.as_bytes())
        except MailError as exc:
            log.warning("mail answer sent but not filed in Sent: %s", exc.code)


def _set_payload(engine: Engine, item_id: int, **changes: Any) -> None:
    with Session(engine) as session, session.begin():
        item = session.get(OutboxItem, item_id)
        if item is not None:
            item.payload = {**(item.payload or {}), **changes}


FIXED_REPLY_REFUSED = "fixed_reply_refused"  # MailItem.problems: its fixed reply bounced


def reopen_after_failed_reply(connection: Any, mail_item_id: int) -> None:
    """The mail server refused a fixed reply for good: the sender never heard from us, so
    the mail goes back to "Onbekende afzender", saying why (nothing lost in silence)."""
    item = connection.execute(select(MailItem.problems).where(
        MailItem.id == mail_item_id)).first()
    if item is None:
        return
    problems = [code for code in (item.problems or []) if code != FIXED_REPLY_REFUSED]
    connection.execute(update(MailItem).where(MailItem.id == mail_item_id).values(
        state=MailState.UNKNOWN_SENDER, handled_at=None, handled_by_id=None,
        problems=[*problems, FIXED_REPLY_REFUSED]))


def mark_confirm(engine: Engine, item_id: int, reason: str) -> None:
    """The answer may have gone out: it waits until a person says (see confirm_delivery)."""
    _set_payload(engine, item_id, confirm=reason)


def waiting_for_confirmation(engine: Engine, econsult_id: int | None = None
                             ) -> list[tuple[int, int]]:
    """(outbox item id, message id) of answers by mail that may have gone out."""
    with Session(engine) as session:
        rows = session.execute(select(OutboxItem.id, OutboxItem.payload, OutboxItem.econsult_id)
                               .where(OutboxItem.kind.in_(KINDS),
                                      OutboxItem.state == OutboxState.PENDING)).all()
    return [(item_id, payload.get("message_id")) for item_id, payload, eid in rows
            if (payload or {}).get("confirm") and econsult_id in (None, eid)]


def confirm_delivery(engine: Engine, item_id: int, *, went_out: bool, user_id: int,
                     responsible_id: int,
                     clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
                     ) -> None:
    """A person checked with the patient (or the provider): the answer arrived (recorded as
    sent) or it did not (sent again on the next push). Audited."""
    now = clock()
    with Session(engine) as session, session.begin():
        item = session.get(OutboxItem, item_id, with_for_update=True)
        if item is None or item.kind not in KINDS or item.state is not OutboxState.PENDING \
                or not (item.payload or {}).get("confirm"):
            raise MailReplyRefused("not_waiting")
        consult = session.get(EConsult, item.econsult_id) if item.econsult_id else None
        if went_out:
            item.state, item.sent_at = OutboxState.SENT, now
            session.execute(update(_MESSAGE).where(
                _MESSAGE.c.id == item.payload.get("message_id")).values(delivery="sent"))
        else:
            item.payload = {k: v for k, v in item.payload.items()
                            if k not in ("confirm", "started")}
        write_audit_event(session, event="mail_answer_confirmed", occurred_at=now,
                          econsult_id=item.econsult_id,
                          patient_id=consult.patient_id if consult else None,
                          user_id=user_id, responsible_id=responsible_id,
                          detail={"outbox": item_id, "went_out": went_out})
