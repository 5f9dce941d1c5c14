"""Delivers the outbox to the portal: retried until accepted, never applied twice."""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from workbench.services.fhir import ECONSULT_CODE, ECONSULT_SYSTEM
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


@dataclass
class OutboxResult:
    sent: int = 0
    failed: int = 0    # refused for good (shown to the user)
    pending: int = 0   # still waiting (portal down): tried again next time
    held: int = 0      # inside their undo time: sent by a later push


class OutboxSender:
    def __init__(self, client: PortalClient, engine: Engine, blobs: BlobStore | None = None, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self._client = client
        self._engine = engine
        self._blobs = blobs
        self._clock = clock

    def deliver(self) -> OutboxResult:
        result = OutboxResult()
        with Session(self._engine) as session:
            pending = session.scalars(select(OutboxItem.id).where(
                OutboxItem.state == OutboxState.PENDING).order_by(OutboxItem.id)).all()
        now = self._clock()
        for item_id in pending:
            with Session(self._engine) as session, session.begin():
                item = session.get(OutboxItem, item_id)
                if item is None:
                    continue  # undone meanwhile
                if held(item, now):
                    result.held += 1  # inside its undo time: a later push sends it
                    continue
                item.attempts += 1
                try:
                    self._deliver_one(session, item)
                except CredentialsRejected:
                    raise
                except (ResourceNotFound, PortalProtocolError) as exc:
                    item.state = OutboxState.FAILED
                    item.last_error = type(exc).__name__
                    self._mark_message(session, item, "failed")
                    result.failed += 1
                except PortalError as exc:
                    # Portal unreachable: keep it; the next pull tries again.
                    item.last_error = type(exc).__name__
                    result.pending += 1
                else:
                    item.state = OutboxState.SENT
                    item.sent_at = self._clock()
                    item.last_error = None
                    result.sent += 1
        return result

    def _deliver_one(self, session: Session, item: OutboxItem) -> None:
        if item.kind == "status":
            self._deliver_status(item)
        elif item.kind == "reply":
            self._deliver_reply(session, item)
        else:
            raise PortalProtocolError(f"unknown outbox kind {item.kind}")

    def _deliver_status(self, item: OutboxItem) -> None:
        communication_id = item.payload["communication"]
        for _attempt in range(MAX_PRECONDITION_RETRIES):
            # Read the current version, change only the status, write with If-Match: a
            # change made meanwhile on the portal is never overwritten blindly.
            current = self._client.read("Communication", communication_id)
            if current.get("status") == item.payload["status"]:
                return  # already so (an earlier attempt arrived): nothing to do twice
            current["status"] = item.payload["status"]
            version = (current.get("meta") or {}).get("versionId", "")
            try:
                self._client.update(current, version)
                return
            except PreconditionFailed:
                log.info("outbox item %s: version changed on the portal, reading again", item.id)
        raise PortalProtocolError("the portal kept changing the resource")

    def _deliver_reply(self, session: Session, item: OutboxItem) -> None:
        """Conditional create on the identifier made at send time: however often this is
        retried, the portal holds the message once."""
        message = session.get(Message, item.payload["message_id"])
        consult = message.econsult
        created = self._client.create_conditional(
            self._reply_resource(message, consult, item.payload["recipient"]),
            (IDENTIFIER_SYSTEM, message.identifier))
        if not created.get("id"):
            raise PortalProtocolError("the portal did not say which id it gave the message")
        version = str((created.get("meta") or {}).get("versionId") or "1")
        message.portal_id, message.portal_version = created["id"], version
        message.delivery = "sent"
        if consult.portal_id.startswith(LOCAL_PREFIX):
            consult.portal_id, consult.portal_version = created["id"], version

    def _reply_resource(self, message: Message, consult: EConsult, recipient: str) -> dict:
        payload: list[dict] = [{"contentString": message.text}] if message.text else []
        for attachment in message.attachments:
            data = self._blobs.read(attachment.sha256) if self._blobs else None
            if data is None:
                raise PortalProtocolError("attachment bytes missing")
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

    @staticmethod
    def _mark_message(session: Session, item: OutboxItem, state: str) -> None:
        if item.kind == "reply":
            message = session.get(Message, item.payload["message_id"])
            if message is not None:
                message.delivery = state
