"""Delivers the outbox to the portal: retried until accepted, never applied twice.

Several workstations may deliver from one shared database. Each item is claimed before it is
sent: a compare-and-set that gives the item to one workstation for `CLAIM_LEASE`, committed
before the request goes out, so only that workstation sends it. A workstation killed mid-send
leaves its claim behind; once the lease ran out another takes the item over. Whether the dead
one's request reached the portal cannot be known, so the reply goes out as a conditional create
on its identifier: with a portal that supports that, the patient still gets it once.

Every item is delivered on its own: one that fails (missing attachment bytes, a portal that
keeps refusing that one) keeps its error and never holds back the others."""

from __future__ import annotations

import base64
import hashlib
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.orm import Session

from workbench.logsetup import log_bug
from workbench.services.fhir import ECONSULT_CODE, ECONSULT_SYSTEM
from workbench.services.mail_outbox import KINDS as MAIL_KINDS
from workbench.services.mail_outbox import (
    MailReplySender,
    mark_confirm,
    reopen_after_failed_reply,
)
from workbench.services.portal_client import (
    CredentialsRejected,
    PortalClient,
    PortalError,
    PortalProtocolError,
    PreconditionFailed,
    ResourceNotFound,
)
from workbench.services.replies import IDENTIFIER_SYSTEM, LOCAL_PREFIX
from workbench.services.undo import held
from workbench.store.blobs import BlobStore
from workbench.store.models import EConsult, Message, OutboxItem, OutboxState
from workbench.store.timeutil import as_utc

log = logging.getLogger(__name__)

MAX_PRECONDITION_RETRIES = 3
# How long a claim keeps an item from the other workstations: as long as one request may take
# (the portal client's deadline), so a slow send is not taken over while it still runs.
CLAIM_LEASE = timedelta(minutes=5)
# An attachment whose bytes no store here has may still arrive (another workstation uploads
# what it holds on its next start); after this many attempts the answer fails for good.
MISSING_BYTES_ATTEMPTS = 10

_OUTBOX = OutboxItem.__table__
_MESSAGE = Message.__table__
_ECONSULT = EConsult.__table__


def this_workstation() -> str:
    return socket.gethostname()[:100] or "workstation"


@dataclass
class OutboxResult:
    sent: int = 0
    failed: int = 0    # refused for good (shown to the user)
    pending: int = 0   # still waiting (portal down, bytes missing): tried again next time
    held: int = 0      # inside their undo time: sent by a later push
    busy_elsewhere: int = 0  # claimed by another workstation, which sends them
    confirm: int = 0   # answers by mail that may have gone out: a person decides


class AttachmentMissing(Exception):
    """The bytes of an answer's attachment are in no store this workstation can read."""


@dataclass(frozen=True)
class _Claim:
    item_id: int
    until: datetime  # with the workstation's name, what tells our claim from a later one


@dataclass(frozen=True)
class _Reply:
    """What a reply item sends, read from the store before the request goes out."""

    message_id: int
    econsult_id: int
    consult_is_local: bool
    resource: dict[str, Any]
    identifier: str


class OutboxSender:
    def __init__(self, client: PortalClient, engine: Engine, blobs: BlobStore | None = None, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 workstation: str | None = None, mail: MailReplySender | None = None) -> None:
        self._client = client
        self._mail = mail  # answers to mail e-consults (None: no mail account configured)
        self._engine = engine
        self._blobs = blobs
        self._clock = clock
        self.workstation = (workstation or this_workstation())[:100]

    def deliver(self) -> OutboxResult:
        """One round over the pending items, each claimed, sent and recorded on its own; only
        a refusal of our credentials ends the round (it would refuse every item)."""
        result = OutboxResult()
        now = self._now()
        with Session(self._engine) as session:
            pending = session.scalars(select(OutboxItem).where(
                OutboxItem.state == OutboxState.PENDING).order_by(OutboxItem.id)).all()
        for item in pending:
            if held(item, now):
                result.held += 1  # inside its undo time: a later push sends it
            elif item.claimed_until is not None and as_utc(item.claimed_until) > now:
                result.busy_elsewhere += 1  # another workstation is sending it
            else:
                self._deliver_item(item.id, result)
        return result

    # -- one item ---------------------------------------------------------------------------
    def _deliver_item(self, item_id: int, result: OutboxResult) -> None:
        claim = self._claim(item_id)
        if claim is None:
            result.busy_elsewhere += 1  # another workstation was quicker
            return
        try:
            self._send_claimed(claim, result)
        except BaseException:
            # Credentials refused (ends the whole delivery) or the process stops: the item
            # is free again at once rather than after the lease.
            self._release(claim, None)
            raise

    def _send_claimed(self, claim: _Claim, result: OutboxResult) -> None:
        kind, payload, attempts = "", {}, 0
        try:
            with Session(self._engine) as session:
                item = session.get(OutboxItem, claim.item_id)
                if item is None or item.state is not OutboxState.PENDING:
                    return  # undone or delivered meanwhile
                kind, payload, attempts = item.kind, dict(item.payload or {}), item.attempts
                reply = self._prepare_reply(session, payload) if kind == "reply" else None
            # No transaction stays open while the request runs.
            if kind in MAIL_KINDS:
                self._deliver_mail(claim, payload, result)
                return
            if kind == "status":
                self._deliver_status(claim.item_id, payload)
                self._record_sent(claim, None, None)
            elif reply is not None:
                self._record_sent(claim, reply, self._send_reply(reply))
            else:
                raise PortalProtocolError(f"unknown outbox kind {kind}")
        except CredentialsRejected:
            raise
        except AttachmentMissing as exc:
            if attempts >= MISSING_BYTES_ATTEMPTS:
                self._fail(claim, exc, kind, payload)
                result.failed += 1
            else:
                log.warning("outbox item %s: attachment bytes missing (attempt %s)",
                            claim.item_id, attempts)
                self._release(claim, type(exc).__name__)
                result.pending += 1
        except (ResourceNotFound, PortalProtocolError) as exc:
            self._fail(claim, exc, kind, payload)
            result.failed += 1
        except PortalError as exc:
            # Portal unreachable, or failing on this one: keep it; the next push tries again.
            self._release(claim, type(exc).__name__)
            result.pending += 1
        except Exception as exc:  # noqa: BLE001 - one item's bug never stops the others
            log_bug(exc, f"outbox item {claim.item_id}")
            self._release(claim, type(exc).__name__)
            result.pending += 1
        else:
            result.sent += 1

    def _deliver_mail(self, claim: _Claim, payload: dict, result: OutboxResult) -> None:
        if self._mail is None:
            self._release(claim, "mail_not_configured")
            result.pending += 1
            return
        outcome = self._mail.deliver(self._engine, claim.item_id, payload)
        if outcome.state == "sent":
            self._record_sent(claim, None, None, message_id=payload.get("message_id"))
            result.sent += 1
        elif outcome.state == "failed":
            with self._engine.begin() as connection:
                if connection.execute(update(_OUTBOX).where(*self._mine(claim)).values(
                        state=OutboxState.FAILED, last_error=outcome.reason, claimed_by=None,
                        claimed_until=None)).rowcount:
                    connection.execute(update(_MESSAGE).where(
                        _MESSAGE.c.id == payload.get("message_id")).values(delivery="failed"))
                    if payload.get("mail_item_id") is not None:
                        reopen_after_failed_reply(connection, payload["mail_item_id"])
            result.failed += 1
        elif outcome.state == "confirm":
            mark_confirm(self._engine, claim.item_id, outcome.reason or "unknown_outcome")
            self._release(claim, outcome.reason)
            result.confirm += 1
        else:
            self._release(claim, outcome.reason)
            result.pending += 1
        log.info("outbox item %s by mail: %s %s", claim.item_id, outcome.state,
                 outcome.reason or "")

    # -- claims -----------------------------------------------------------------------------
    def _claim(self, item_id: int) -> _Claim | None:
        """Take the item for CLAIM_LEASE, committed before anything is sent; None when another
        workstation holds an unexpired claim (or the item is gone or delivered)."""
        now = self._now()
        until = now + CLAIM_LEASE
        with self._engine.begin() as connection:
            taken = connection.execute(update(_OUTBOX).where(
                _OUTBOX.c.id == item_id, _OUTBOX.c.state == OutboxState.PENDING,
                or_(_OUTBOX.c.claimed_until.is_(None), _OUTBOX.c.claimed_until <= now),
            ).values(claimed_by=self.workstation, claimed_until=until,
                     attempts=_OUTBOX.c.attempts + 1)).rowcount
        return _Claim(item_id, until) if taken == 1 else None

    def _mine(self, claim: _Claim):
        """Still our claim: not taken over after our lease ran out."""
        return (_OUTBOX.c.id == claim.item_id, _OUTBOX.c.state == OutboxState.PENDING,
                _OUTBOX.c.claimed_by == self.workstation, _OUTBOX.c.claimed_until == claim.until)

    def _release(self, claim: _Claim, error: str | None) -> None:
        """Left pending for a later push (by any workstation), with why when known."""
        values: dict[str, Any] = {"claimed_by": None, "claimed_until": None}
        if error is not None:
            values["last_error"] = error
        with self._engine.begin() as connection:
            connection.execute(update(_OUTBOX).where(*self._mine(claim)).values(**values))

    def _fail(self, claim: _Claim, exc: Exception, kind: str, payload: dict) -> None:
        with self._engine.begin() as connection:
            done = connection.execute(update(_OUTBOX).where(*self._mine(claim)).values(
                state=OutboxState.FAILED, last_error=type(exc).__name__, claimed_by=None,
                claimed_until=None)).rowcount
            if done and kind == "reply":
                connection.execute(update(_MESSAGE).where(
                    _MESSAGE.c.id == payload.get("message_id")).values(delivery="failed"))
        log.info("outbox item %s refused for good: %s", claim.item_id, type(exc).__name__)

    def _record_sent(self, claim: _Claim, reply: _Reply | None,
                     created: tuple[str, str] | None, *, message_id: int | None = None) -> None:
        """Sent. Recorded also when our lease ran out meanwhile: the portal has it now, and
        whoever took the item over finds it delivered (its own request, if one went out, was a
        conditional create on the same identifier)."""
        with self._engine.begin() as connection:
            done = connection.execute(update(_OUTBOX).where(
                _OUTBOX.c.id == claim.item_id, _OUTBOX.c.state == OutboxState.PENDING,
            ).values(state=OutboxState.SENT, sent_at=self._now(), last_error=None,
                     claimed_by=None, claimed_until=None)).rowcount
            if done and message_id is not None:  # by mail: no portal id to take over
                connection.execute(update(_MESSAGE).where(_MESSAGE.c.id == message_id)
                                   .values(delivery="sent"))
            if not done or reply is None or created is None:
                return
            portal_id, version = created
            connection.execute(update(_MESSAGE).where(_MESSAGE.c.id == reply.message_id).values(
                portal_id=portal_id, portal_version=version, delivery="sent"))
            if reply.consult_is_local:
                # The conversation we started now has the portal's id (a change to the
                # e-consult: its version moves on).
                connection.execute(update(_ECONSULT).where(
                    _ECONSULT.c.id == reply.econsult_id,
                    _ECONSULT.c.portal_id.startswith(LOCAL_PREFIX),
                ).values(portal_id=portal_id, portal_version=version,
                         version=_ECONSULT.c.version + 1))

    def _now(self) -> datetime:
        # UTC: SQLite keeps the moment's fields without the zone, compared as text.
        return as_utc(self._clock())

    # -- the requests -------------------------------------------------------------------------
    def _deliver_status(self, item_id: int, payload: dict) -> None:
        communication_id = payload["communication"]
        for _attempt in range(MAX_PRECONDITION_RETRIES):
            # Read the current version, change only the status, write with If-Match: a
            # change made meanwhile on the portal is never overwritten blindly.
            current = self._client.read("Communication", communication_id)
            if current.get("status") == payload["status"]:
                return  # already so (an earlier attempt arrived): nothing to do twice
            current["status"] = payload["status"]
            version = (current.get("meta") or {}).get("versionId", "")
            try:
                self._client.update(current, version)
                return
            except PreconditionFailed:
                log.info("outbox item %s: version changed on the portal, reading again", item_id)
        raise PortalProtocolError("the portal kept changing the resource")

    def _send_reply(self, reply: _Reply) -> tuple[str, str]:
        """Conditional create on the identifier made at send time: however often this is
        retried, the portal holds the message once."""
        created = self._client.create_conditional(reply.resource,
                                                  (IDENTIFIER_SYSTEM, reply.identifier))
        if not created.get("id"):
            raise PortalProtocolError("the portal did not say which id it gave the message")
        return created["id"], str((created.get("meta") or {}).get("versionId") or "1")

    def _prepare_reply(self, session: Session, payload: dict) -> _Reply:
        message = session.get(Message, payload["message_id"])
        if message is None:
            raise PortalProtocolError("the message of this reply is gone")
        consult = message.econsult
        return _Reply(message.id, consult.id, consult.portal_id.startswith(LOCAL_PREFIX),
                      self._reply_resource(message, consult, payload["recipient"]),
                      message.identifier)

    def _attachment_bytes(self, sha256: str) -> bytes:
        try:
            data = self._blobs.read(sha256) if self._blobs else None
        except (FileNotFoundError, NotADirectoryError, KeyError) as exc:
            raise AttachmentMissing(sha256) from exc
        if data is None:
            raise AttachmentMissing(sha256)
        return data

    def _reply_resource(self, message: Message, consult: EConsult, recipient: str) -> dict:
        payload: list[dict] = [{"contentString": message.text}] if message.text else []
        for attachment in message.attachments:
            data = self._attachment_bytes(attachment.sha256)
            payload.append({"contentAttachment": {
                "contentType": attachment.content_type, "title": attachment.title,
                "size": len(data), "data": base64.b64encode(data).decode("ascii"),
                "hash": base64.b64encode(hashlib.sha1(data).digest()).decode("ascii")}})
        resource = {
            "resourceType": "Communication",
            "identifier": [{"system": IDENTIFIER_SYSTEM, "value": message.identifier}],
            "status": "completed",
            "category": [{"coding": [{"system": ECONSULT_SYSTEM, "code": ECONSULT_CODE,
                                      "display": "E-consult"}]}],
            "subject": {"reference": f"Patient/{consult.patient.portal_id}"},
            "sender": {"reference": f"Practitioner/{message.author_portal_id}"},
            "recipient": [{"reference": recipient}],
            "sent": as_utc(message.sent_at).isoformat(),
            "topic": {"text": consult.subject},
            "payload": payload,
        }
        if message.in_response_to and not message.in_response_to.startswith(LOCAL_PREFIX):
            resource["inResponseTo"] = [{"reference": f"Communication/{message.in_response_to}"}]
        return resource
