"""Answering on a real store against the demo portal: drafts, sending exactly once through
faults, practice-started messages, follow-ups and answers to a parent about a child."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.inbox import InboxQueries, ListView
from workbench.services.outbox import OutboxSender
from workbench.services.portal_client import PortalClient, RetryPolicy
from workbench.services.replies import ReplyError, ReplyService
from workbench.services.sync import SyncService
from workbench.services.triage import Actor
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    AuditEvent,
    ConsultStatus,
    EConsult,
    Message,
    OutboxItem,
    Role,
)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def portal(start_portal):
    return start_portal(seed=31, consults=80, photo_share=0.0)


@pytest.fixture
def world(portal, store_url, tmp_path):
    engine = database.make_engine(store_url)
    database.upgrade(engine)
    blobs = BlobStore(tmp_path / "attachments")
    client = PortalClient(portal.base_url, retry=RetryPolicy(attempts=2, backoff_s=0.01,
                                                             max_retry_after_s=0.01))
    SyncService(client, engine, blobs).run()
    clock = Clock()
    staff = {p.role: p for p in InboxQueries(engine).practitioners()}
    yield {"engine": engine, "blobs": blobs, "client": client, "clock": clock,
           "replies": ReplyService(engine, blobs, clock=clock), "staff": staff,
           "queries": InboxQueries(engine)}
    engine.dispose()


def inbox_item(world, *, via_parent: bool | None = None) -> int:
    """Not an urgent one: those stay open until the call is recorded (test_urgent_answers).

    Unless a parent's is asked for, one whose answer goes to the patient: the demo's threads
    move with the date, and a later message by a parent makes a third-party rule apply.
    """
    for row in world["queries"].page(ListView(ConsultStatus.INBOX), 0, 500):
        if (via_parent is None or bool(row.via) == via_parent) and \
                not (row.urgent or row.has_advice) and \
                (via_parent or world["replies"].third_party_rule(row.id) is None):
            return row.id
    raise AssertionError("no such e-consult in the demo")


def test_a_draft_survives_and_is_gone_once_sent(world):
    replies, assistant = world["replies"], world["staff"][Role.ASSISTANT]
    item = inbox_item(world)
    replies.save_draft(item, assistant.id, "Beste mevrouw, het recept ligt klaar")
    again = ReplyService(world["engine"], world["blobs"], clock=world["clock"])
    assert again.load_draft(item, assistant.id).text == "Beste mevrouw, het recept ligt klaar"
    assert again.load_draft(item, world["staff"][Role.GP].id) is None  # drafts are personal
    again.send(item, Actor(assistant.id), "Beste mevrouw, het recept ligt klaar")
    assert again.load_draft(item, assistant.id) is None


def test_nothing_unresolved_or_empty_is_sent(world):
    replies, assistant = world["replies"], world["staff"][Role.ASSISTANT]
    item = inbox_item(world)
    with pytest.raises(ReplyError) as info:
        replies.send(item, Actor(assistant.id), "Bel ons op {praktijk_telefoon}, groet")
    assert (info.value.code, info.value.detail) == ("unresolved_variable", "praktijk_telefoon")
    with pytest.raises(ReplyError) as info:
        replies.send(item, Actor(assistant.id), "   ")
    assert info.value.code == "empty"
    with Session(world["engine"]) as session:
        assert session.scalar(select(Message).where(Message.delivery.is_not(None))) is None


def test_an_answer_sent_while_the_portal_fails_arrives_exactly_once(world, portal):
    replies, gp = world["replies"], world["staff"][Role.GP]
    item = inbox_item(world)
    message_id = replies.send(item, Actor(gp.id), "Beste meneer, de uitslag is goed.")
    with Session(world["engine"]) as session:
        consult = session.get(EConsult, item)
        assert (consult.status, consult.close_reason) == (ConsultStatus.CLOSED, "beantwoord")
        root = consult.portal_id

    down = PortalClient("http://127.0.0.1:9/fhir", retry=RetryPolicy(attempts=1))
    assert OutboxSender(down, world["engine"], world["blobs"]).deliver().pending >= 1
    assert replies.delivery_states(item)[message_id].state == "pending"

    portal.options.fault_rate = 0.5  # the portal recovers, but badly
    log_start = len(portal.request_log)
    flaky = PortalClient(portal.base_url, timeout=(1, 1), retry=RetryPolicy(
        attempts=3, backoff_s=0.01, max_retry_after_s=0.01))
    for _ in range(40):
        try:
            OutboxSender(flaky, world["engine"], world["blobs"]).deliver()
        except Exception:  # noqa: BLE001 - a bad moment of the portal; try again
            pass
        with Session(world["engine"]) as session:
            if not session.scalar(select(OutboxItem).where(OutboxItem.state == "pending")):
                break
    portal.options.fault_rate = 0.0
    assert any(status == 0 or status >= 500
               for _m, _p, status in portal.request_log[log_start:]), "faults were injected"
    ours = [c for c in portal.dataset.communications.values()
            if c.get("inResponseTo") == [{"reference": f"Communication/{root}"}]
            and c["sender"]["reference"] == f"Practitioner/{gp_portal_id(world, gp.id)}"]
    assert len(ours) == 1, "conditional create: one message however often it was tried"
    assert ours[0]["payload"][0]["contentString"] == "Beste meneer, de uitslag is goed."
    assert portal.dataset.communications[root]["status"] == "completed"
    assert replies.delivery_states(item)[message_id].state == "sent"

    # The next pull brings our message back from the portal: it is adopted, not doubled.
    SyncService(world["client"], world["engine"], world["blobs"]).run()
    with Session(world["engine"]) as session:
        texts = session.scalars(select(Message.text).where(Message.econsult_id == item)).all()
        assert texts.count("Beste meneer, de uitslag is goed.") == 1


def gp_portal_id(world, practitioner_id: int) -> str:
    with Session(world["engine"]) as session:
        from workbench.store.models import Practitioner
        return session.get(Practitioner, practitioner_id).portal_id


def test_a_parents_econsult_is_answered_to_the_parent_and_kept_on_the_child(world):
    replies, assistant = world["replies"], world["staff"][Role.ASSISTANT]
    item = inbox_item(world, via_parent=True)
    rule = replies.third_party_rule(item)
    assert rule is not None and rule.sender_name and not rule.cleared
    with pytest.raises(ReplyError) as refused:  # who receives it is not settled yet
        replies.send(item, Actor(assistant.id), "Beste ouder, geef paracetamol.")
    assert refused.value.code == "third_party_not_cleared"
    for choice in {"gezag_unconfirmed": ["gezag_confirmed", "child_consent_confirmed"],
                   "child_consent_needed": ["child_consent_confirmed"],
                   "young_adult_consent": ["young_adult_consent_confirmed"],
                   "family_unconfirmed": ["patient_cannot_decide"],
                   "not_representative": ["young_adult_consent_confirmed"]}[rule.rule]:
        if not replies.third_party_rule(item).cleared:
            replies.record_third_party_choice(item, Actor(assistant.id), choice)
    assert replies.third_party_rule(item).cleared
    replies.send(item, Actor(assistant.id), "Beste ouder, geef paracetamol en kijk het aan.")
    with Session(world["engine"]) as session:
        consult = session.get(EConsult, item)
        outbox = session.scalars(select(OutboxItem).where(OutboxItem.kind == "reply")).one()
        assert outbox.payload["recipient"] == \
            f"RelatedPerson/{consult.sender_related_person.portal_id}"
        message = session.get(Message, outbox.payload["message_id"])
        assert message.econsult.patient_id == consult.patient_id  # the child's record
    with Session(world["engine"]) as session:
        events = session.scalars(select(AuditEvent.event).where(
            AuditEvent.econsult_id == item)).all()
        assert events[-1] == "reply" and set(events[:-1]) == {"third_party_choice"}


def test_a_follow_up_comes_back_when_due_without_a_reply(world):
    replies, gp = world["replies"], world["staff"][Role.GP]
    item = inbox_item(world)
    replies.send(item, Actor(gp.id), "Laat u over twee weken weten hoe het gaat?",
                 follow_up_days=14)
    assert replies.bring_back_due_follow_ups() == 0
    assert item in world["queries"].ids(ListView(ConsultStatus.WAITING))
    world["clock"].now += timedelta(days=14, minutes=1)
    assert replies.bring_back_due_follow_ups() == 1
    assert item in world["queries"].ids(ListView(ConsultStatus.WORKLIST, gp.id))


def test_the_practice_starts_a_conversation(world, portal):
    replies, assistant = world["replies"], world["staff"][Role.ASSISTANT]
    [hit] = replies.find_patients(world["queries"].detail(inbox_item(world)).patient_name,
                                  Actor(assistant.id))[:1]
    by_bsn = replies.find_patients(world["queries"].detail(inbox_item(world)).patient_bsn,
                                   Actor(assistant.id))
    assert by_bsn and "•" in by_bsn[0].bsn_masked
    consult_id = replies.start_conversation(hit.id, Actor(assistant.id), "Uitslag",
                                            "Beste meneer, uw uitslag is goed.")
    assert consult_id in world["queries"].ids(ListView(ConsultStatus.WAITING))
    OutboxSender(world["client"], world["engine"], world["blobs"]).deliver()
    with Session(world["engine"]) as session:
        consult = session.get(EConsult, consult_id)
        assert not consult.portal_id.startswith("local:")
        created = portal.dataset.communications[consult.portal_id]
        assert "inResponseTo" not in created
    SyncService(world["client"], world["engine"], world["blobs"]).run()
    with Session(world["engine"]) as session:
        assert session.scalar(select(EConsult).where(
            EConsult.subject == "Uitslag", EConsult.id != consult_id)) is None


def test_only_photos_and_pdfs_are_attached(world, tmp_path):
    from PIL import Image
    replies = world["replies"]
    photo = tmp_path / "wond.jpg"
    Image.new("RGB", (40, 30), (200, 120, 110)).save(photo)
    attached = replies.attach_file(photo)
    assert attached.content_type == "image/jpeg" and world["blobs"].has(attached.sha256)
    disguised = tmp_path / "virus.jpg"
    disguised.write_bytes(b"MZ\x90\x00 not a photo")
    with pytest.raises(ReplyError) as info:
        replies.attach_file(disguised)
    assert info.value.code == "unsupported_file"
