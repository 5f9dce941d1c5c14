"""Delivers the outbox to the portal: retried until accepted, never applied twice."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from workbench.services.portal_client import (
    CredentialsRejected,
    PortalClient,
    PortalError,
    PortalProtocolError,
    PreconditionFailed,
    ResourceNotFound,
)
from workbench.store.models import OutboxItem, OutboxState

log = logging.getLogger(__name__)

MAX_PRECONDITION_RETRIES = 3


@dataclass
class OutboxResult:
    sent: int = 0
    failed: int = 0    # refused for good (shown to the user)
    pending: int = 0   # still waiting (portal down): tried again next time


class OutboxSender:
    def __init__(self, client: PortalClient, engine: Engine, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self._client = client
        self._engine = engine
        self._clock = clock

    def deliver(self) -> OutboxResult:
        result = OutboxResult()
        with Session(self._engine) as session:
            pending = session.scalars(select(OutboxItem.id).where(
                OutboxItem.state == OutboxState.PENDING).order_by(OutboxItem.id)).all()
        for item_id in pending:
            with Session(self._engine) as session, session.begin():
                item = session.get(OutboxItem, item_id)
                item.attempts += 1
                try:
                    self._deliver_one(item)
                except CredentialsRejected:
                    raise
                except (ResourceNotFound, PortalProtocolError) as exc:
                    item.state = OutboxState.FAILED
                    item.last_error = type(exc).__name__
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

    def _deliver_one(self, item: OutboxItem) -> None:
        if item.kind != "status":
            raise PortalProtocolError(f"unknown outbox kind {item.kind}")
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
