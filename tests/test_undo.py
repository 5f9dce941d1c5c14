"""Undo: a route, send back, invite or close is put back; within the undo time the portal
never hears of it, later it hears the earlier status again. Real store, real demo portal."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.inbox import InboxQueries, ListView
from workbench.services.outbox import OutboxSender
from workbench.services.portal_client import PortalClient
from workbench.services.replies import ReplyService
from workbench.services.sync import SyncService
from workbench.services.triage import Actor, CloseReason, TriageError, TriageService
from workbench.services.undo import UNDO_SECONDS
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    AuditEvent,
    ConsultStatus,
    EConsult,
    Message,
    OutboxItem,
    Role,
    Urgency,
)


@pytest.fixture
def portal(start_portal):
    return start_portal(seed=21, consults=40, photo_share=0.0)


@pytest.fixture
def world(portal, store_url, tmp_path):
    engine = database.make_engine(store_url)
    database.upgrade(engine)
    blobs = BlobStore(tmp_path / "a")
    SyncService(PortalClient(portal.base_url), engine, blobs).run()
    people = InboxQueries(engine).practitioners()
    yield {
        "engine": engine, "blobs": blobs, "portal": portal,
        "client": PortalClient(portal.base_url),
        "assistant": Actor(next(p.id for p in people if p.role is Role.ASSISTANT)),
        "gp": next(p.id for p in people if p.role is Role.GP),
    }
    engine.dispose()


def later() -> datetime:
    return datetime.now(timezone.utc) + timedelta(seconds=UNDO_SECONDS + 1)


def calm_inbox_item(engine) -> int:
    return next(r.id for r in InboxQueries(engine).page(ListView(ConsultStatus.INBOX), 0, 500)
                if not (r.urgent or r.has_advice))


def portal_status(world, econsult_id: int) -> str:
    with Session(world["engine"]) as session:
        root = session.get(EConsult, econsult_id).portal_id
    return world["portal"].dataset.communications[root]["status"]


def events(engine, econsult_id: int) -> list[tuple[str, dict | None]]:
    with Session(engine) as session:
        return [(e.event, e.detail) for e in session.scalars(select(AuditEvent).where(
            AuditEvent.econsult_id == econsult_id).order_by(AuditEvent.id))]


def test_a_close_undone_within_its_time_never_reaches_the_portal(world):
    engine, actor = world["engine"], world["assistant"]
    triage = TriageService(engine)
    item = calm_inbox_item(engine)
    token = triage.close(item, actor, CloseReason.NO_ACTION)
    assert OutboxSender(world["client"], engine).deliver().held == 1

    triage.undo(token, actor)
    with Session(engine) as session:
        consult = session.get(EConsult, item)
        assert consult.status is ConsultStatus.INBOX and consult.close_reason is None
        assert session.scalars(select(OutboxItem).where(OutboxItem.econsult_id == item)).all() \
            == []
    result = OutboxSender(world["client"], engine, clock=later).deliver()
    assert (result.sent, result.held) == (0, 0)
    assert portal_status(world, item) == "in-progress"
    assert events(engine, item)[-1] == ("undo", {"undid": "close", "portal": False})


def test_an_undo_after_the_change_went_out_sends_the_earlier_status(world):
    engine, actor = world["engine"], world["assistant"]
    triage = TriageService(engine)
    item = calm_inbox_item(engine)
    token = triage.close(item, actor, CloseReason.ANSWERED)
    assert OutboxSender(world["client"], engine, clock=later).deliver().sent == 1
    assert portal_status(world, item) == "completed"

    triage.undo(token, actor)
    assert OutboxSender(world["client"], engine).deliver().sent == 1
    assert portal_status(world, item) == "in-progress"
    assert events(engine, item)[-1] == ("undo", {"undid": "close", "portal": True})


def test_route_and_send_back_are_put_back_with_their_note(world):
    engine, actor = world["engine"], world["assistant"]
    triage = TriageService(engine)
    item = calm_inbox_item(engine)
    token = triage.route(item, actor, world["gp"], Urgency.URGENT, "Graag vandaag bekijken")
    triage.undo(token, actor)
    with Session(engine) as session:
        consult = session.get(EConsult, item)
        assert (consult.status, consult.assignee_id, consult.urgency, consult.routing_note) \
            == (ConsultStatus.INBOX, None, Urgency.NORMAL, None)

    triage.route(item, actor, world["gp"], Urgency.NORMAL, "Graag bekijken")
    token = triage.send_back(item, Actor(world["gp"]), "Patiënt laten bellen")
    triage.undo(token, Actor(world["gp"]))
    with Session(engine) as session:
        consult = session.get(EConsult, item)
        assert (consult.status, consult.assignee_id, consult.routing_note) \
            == (ConsultStatus.WORKLIST, world["gp"], "Graag bekijken")


def test_an_undo_is_refused_when_someone_changed_the_item_since(world):
    engine, actor = world["engine"], world["assistant"]
    triage = TriageService(engine)
    item = calm_inbox_item(engine)
    token = triage.route(item, actor, world["gp"], Urgency.NORMAL)
    triage.send_back(item, Actor(world["gp"]), "Niet voor mij")  # a colleague acted meanwhile
    with pytest.raises(TriageError) as refused:
        triage.undo(token, actor)
    assert refused.value.code == "changed_since"
    with Session(engine) as session:
        assert session.get(EConsult, item).routing_note == "Niet voor mij"


def test_an_invitation_undone_in_time_takes_its_message_back(world):
    engine, actor = world["engine"], world["assistant"]
    replies = ReplyService(engine, world["blobs"])
    triage = TriageService(engine)
    item = calm_inbox_item(engine)
    with Session(engine) as session:
        waiting_since = session.get(EConsult, item).waiting_since
    assert waiting_since is not None
    token = replies.invite(item, actor, "Wilt u een afspraak maken op het spreekuur?")
    with Session(engine) as session:
        consult = session.get(EConsult, item)
        assert consult.status is ConsultStatus.WAITING and consult.invite_to_surgery
        # Answered: the practice no longer keeps the patient waiting (nothing overdue).
        assert consult.waiting_since is None and consult.answered_at is not None
    assert OutboxSender(world["client"], engine, world["blobs"]).deliver().held == 2

    triage.undo(token, actor)
    with Session(engine) as session:
        consult = session.get(EConsult, item)
        assert consult.status is ConsultStatus.INBOX and not consult.invite_to_surgery
        assert consult.waiting_since == waiting_since and consult.answered_at is None
        assert session.get(Message, token.messages[0]) is None
    assert OutboxSender(world["client"], engine, world["blobs"], clock=later).deliver().sent \
        == 0
    assert portal_status(world, item) == "in-progress"


def test_an_invitation_whose_message_went_out_cannot_be_undone(world):
    engine, actor = world["engine"], world["assistant"]
    replies = ReplyService(engine, world["blobs"])
    item = calm_inbox_item(engine)
    token = replies.invite(item, actor, "Wilt u een afspraak maken op het spreekuur?")
    assert OutboxSender(world["client"], engine, world["blobs"], clock=later).deliver().sent \
        == 2
    with pytest.raises(TriageError) as refused:
        TriageService(engine).undo(token, actor)
    assert refused.value.code == "already_sent"
    with Session(engine) as session:
        assert session.get(EConsult, item).status is ConsultStatus.WAITING


def test_an_invitation_whose_message_another_workstation_is_sending_cannot_be_undone(world):
    engine, actor = world["engine"], world["assistant"]
    replies = ReplyService(engine, world["blobs"])
    item = calm_inbox_item(engine)
    token = replies.invite(item, actor, "Wilt u een afspraak maken op het spreekuur?")
    # The spreekkamer's workstation has claimed the message and is posting it right now.
    with Session(engine) as session, session.begin():
        message = session.get(Message, token.messages[0])
        outbox = session.scalars(select(OutboxItem).where(
            OutboxItem.identifier == message.identifier)).one()
        outbox.claimed_by = "spreekkamer-2"
        outbox.claimed_until = datetime.now(timezone.utc) + timedelta(minutes=5)
    with pytest.raises(TriageError) as refused:
        TriageService(engine).undo(token, actor)
    assert refused.value.code == "already_sent"


def test_a_close_note_is_kept_with_the_item_not_in_the_audit_line(world):
    engine, actor = world["engine"], world["assistant"]
    item = calm_inbox_item(engine)
    TriageService(engine).close(item, actor, CloseReason.DUPLICATE, "Zelfde vraag als gisteren")
    with Session(engine) as session:
        assert session.get(EConsult, item).routing_note == "Zelfde vraag als gisteren"
    assert events(engine, item)[-1] == ("close", {"reason": "dubbel", "note": True})
