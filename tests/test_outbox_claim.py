"""Several workstations deliver one shared outbox: every answer reaches the portal once, a
workstation killed mid-send is taken over after its lease, and one stuck answer holds back
none of the others. Real PostgreSQL (and SQLite), the demo portal over real HTTP, separate
engines per workstation, threads and separate processes."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tests.conftest import _fresh_postgres
from workbench.services.inbox import InboxQueries, ListView
from workbench.services.outbox import CLAIM_LEASE, MISSING_BYTES_ATTEMPTS, OutboxSender
from workbench.services.portal_client import PortalClient, RetryPolicy
from workbench.services.replies import LOCAL_PREFIX, ReplyService
from workbench.services.sync import SyncService
from workbench.services.triage import Actor
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    Attachment,
    AuthorKind,
    ConsultStatus,
    Direction,
    EConsult,
    Message,
    OutboxItem,
    OutboxState,
    Practitioner,
    Role,
)

WORKSTATIONS = ("Balie", "Spreekkamer 1", "Spreekkamer 2")


def pulled_store(url: str, portal, blobs: BlobStore):
    engine = database.make_engine(url, workstation=WORKSTATIONS[0])
    database.upgrade(engine)
    SyncService(PortalClient(portal.base_url), engine, blobs).run()
    return engine


def queue_answers(engine, count: int, gp_portal_id: str) -> list[str]:
    """`count` answers in the outbox, in the shape ReplyService.send leaves them (a message of
    ours, pending, and its reply item), spread over the inbox; their identifiers."""
    now = datetime.now(timezone.utc)
    identifiers = []
    with Session(engine) as session, session.begin():
        consults = session.scalars(select(EConsult).order_by(EConsult.id)).all()
        messages = []
        for number in range(count):
            consult = consults[number % len(consults)]
            token = str(uuid.uuid4())
            message = Message(econsult_id=consult.id, portal_id=f"{LOCAL_PREFIX}{token}",
                              portal_version="0", direction=Direction.OUT,
                              author_kind=AuthorKind.PRACTITIONER, author_portal_id=gp_portal_id,
                              text=f"Antwoord {number}", sent_at=now,
                              in_response_to=consult.portal_id, identifier=f"urn:uuid:{token}",
                              delivery="pending")
            messages.append((consult, message))
            identifiers.append(message.identifier)
        session.add_all(m for _c, m in messages)
        session.flush()
        session.add_all(OutboxItem(kind="reply", econsult_id=consult.id,
                                   identifier=message.identifier, created_at=now,
                                   payload={"message_id": message.id,
                                            "recipient": f"Patient/{consult.patient.portal_id}"})
                        for consult, message in messages)
    return identifiers


def gp_of(engine):
    return next(p for p in InboxQueries(engine).practitioners() if p.role is Role.GP)


def gp_portal_id(engine) -> str:
    with engine.connect() as connection:
        return connection.scalar(select(Practitioner.portal_id).where(
            Practitioner.id == gp_of(engine).id))


def outbox_states(engine) -> dict[str, tuple[OutboxState, str | None]]:
    with Session(engine) as session:
        return {item.identifier: (item.state, item.last_error)
                for item in session.scalars(select(OutboxItem))}


def a_sender(portal, url: str, workstation: str, blobs: BlobStore | None = None, **kwargs):
    engine = database.make_engine(url, workstation=workstation)
    client = PortalClient(portal.base_url, retry=RetryPolicy(attempts=1))
    return engine, OutboxSender(client, engine, blobs, workstation=workstation, **kwargs)


def deliver_together(senders) -> list:
    """Each sender delivers in its own thread, all starting at once."""
    start = threading.Barrier(len(senders))
    results: list = [None] * len(senders)
    failures: list[BaseException] = []

    def run(index, sender):
        try:
            start.wait()
            results[index] = sender.deliver()
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)
    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not failures, failures
    return results


@pytest.fixture
def portal_without_conditional_create(start_portal):
    """A portal that ignores If-None-Exist: every POST is a new message to the patient."""
    portal = start_portal(seed=23, consults=30, photo_share=0.0, conditional_create=False)
    capabilities = PortalClient(portal.base_url).capabilities()
    communication = next(r for r in capabilities["rest"][0]["resource"]
                         if r["type"] == "Communication")
    assert communication["conditionalCreate"] is False
    return portal


def test_a_thousand_answers_from_three_workstations_reach_the_patient_once_each(
        portal_without_conditional_create, tmp_path):
    portal = portal_without_conditional_create
    url = _fresh_postgres()
    engine = pulled_store(url, portal, BlobStore(tmp_path / "a"))
    # A few through the real answering service, the rest in the same shape.
    replies = ReplyService(engine, BlobStore(tmp_path / "a"))
    gp = Actor(gp_of(engine).id)
    inbox = [r.id for r in InboxQueries(engine).page(ListView(ConsultStatus.INBOX), 0, 500)
             if not (r.urgent or r.has_advice or r.via)][:3]
    # Only the answers sent here: a thread may already hold an answer the portal brought.
    sent_ids = [replies.send(econsult_id, gp, "Graag een afspraak maken.")
                for econsult_id in inbox]
    identifiers = queue_answers(engine, 1000 - len(inbox), gp_portal_id(engine))
    with Session(engine) as session:
        identifiers += session.scalars(select(Message.identifier).where(
            Message.id.in_(sent_ids))).all()
    assert len(set(identifiers)) == 1000

    made = [a_sender(portal, url, name) for name in WORKSTATIONS]
    results = deliver_together([sender for _engine, sender in made])

    created = portal.created_identifiers()
    assert {value: created[value] for value in identifiers} == {v: 1 for v in identifiers}, \
        "every answer posted exactly once"
    # The three answers through the service closed their e-consults: three status changes.
    assert sum(r.sent for r in results) == 1003
    assert all(r.failed == 0 and r.pending == 0 for r in results)
    assert portal.communication_posts == 1000
    states = outbox_states(engine)
    assert {state for state, _error in states.values()} == {OutboxState.SENT}
    with Session(engine) as session:
        ours = session.scalars(select(Message).where(Message.identifier.in_(identifiers))).all()
        assert {m.delivery for m in ours} == {"sent"}
        assert not any(m.portal_id.startswith(LOCAL_PREFIX) for m in ours)
        assert not session.scalar(select(OutboxItem.id).where(
            OutboxItem.claimed_by.is_not(None))), "no claim left behind"

    # Delivering again sends nothing twice.
    assert made[0][1].deliver().sent == 0
    assert portal.communication_posts == 1000
    for other, _sender in made:
        other.dispose()
    engine.dispose()


_PROCESS_SENDER = """
import json, sys
from workbench.services.outbox import OutboxSender
from workbench.services.portal_client import PortalClient, RetryPolicy
from workbench.store import database
url, portal, name = sys.argv[1:4]
engine = database.make_engine(url, workstation=name)
sys.stdin.readline()  # all started: deliver together
result = OutboxSender(PortalClient(portal, retry=RetryPolicy(attempts=1)), engine,
                      workstation=name).deliver()
print(json.dumps(result.__dict__), flush=True)
"""


def test_workstations_in_separate_processes_post_each_answer_once(
        portal_without_conditional_create, tmp_path):
    portal = portal_without_conditional_create
    url = _fresh_postgres()
    engine = pulled_store(url, portal, BlobStore(tmp_path / "a"))
    identifiers = queue_answers(engine, 150, gp_portal_id(engine))
    root = Path(__file__).resolve().parents[1]
    processes = [subprocess.Popen([sys.executable, "-c", _PROCESS_SENDER, url, portal.base_url,
                                   name], cwd=root, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True) for name in WORKSTATIONS]
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        out, _err = process.communicate(timeout=300)
        assert process.returncode == 0
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert sum(r["sent"] for r in results) == 150
    created = portal.created_identifiers()
    assert [created[value] for value in identifiers] == [1] * 150
    assert portal.communication_posts == 150
    assert {state for state, _e in outbox_states(engine).values()} == {OutboxState.SENT}
    engine.dispose()


def test_an_answer_claimed_by_a_killed_workstation_goes_out_after_its_lease(
        portal_without_conditional_create, store_url, tmp_path):
    portal = portal_without_conditional_create
    engine = pulled_store(store_url, portal, BlobStore(tmp_path / "a"))
    dead, busy, free = queue_answers(engine, 3, gp_portal_id(engine))
    now = datetime.now(timezone.utc)
    with engine.begin() as connection:
        # Spreekkamer 1 claimed one and was killed: its lease ran out a second ago.
        connection.execute(update(OutboxItem).where(OutboxItem.identifier == dead).values(
            claimed_by="Spreekkamer 1", claimed_until=now - timedelta(seconds=1)))
        # Spreekkamer 2 is sending one right now.
        connection.execute(update(OutboxItem).where(OutboxItem.identifier == busy).values(
            claimed_by="Spreekkamer 2", claimed_until=now + CLAIM_LEASE))
    other, sender = a_sender(portal, store_url, "Balie")

    result = sender.deliver()
    assert (result.sent, result.busy_elsewhere) == (2, 1)
    created = portal.created_identifiers()
    assert (created[dead], created[free], created[busy]) == (1, 1, 0)
    assert outbox_states(engine)[busy][0] is OutboxState.PENDING

    # Spreekkamer 2 never finished either: once its lease ran out, Balie sends that one too.
    _engine, later_sender = a_sender(
        portal, store_url, "Balie", clock=lambda: now + CLAIM_LEASE + timedelta(seconds=1))
    assert later_sender.deliver().sent == 1
    assert portal.created_identifiers()[busy] == 1
    assert {state for state, _e in outbox_states(engine).values()} == {OutboxState.SENT}
    for made in (other, _engine, engine):
        made.dispose()


def test_a_take_over_after_a_kill_mid_send_is_caught_by_the_conditional_create(
        start_portal, tmp_path):
    """A workstation killed after its request reached the portal, before it wrote that down:
    the answer is pending with a stale claim, and the portal already has it. The workstation
    that takes it over sends it again; the portal's conditional create keeps it once."""
    portal = start_portal(seed=23, consults=30, photo_share=0.0)  # with conditional create
    url = _fresh_postgres()
    engine = pulled_store(url, portal, BlobStore(tmp_path / "a"))
    (answer,) = queue_answers(engine, 1, gp_portal_id(engine))
    killed_engine, killed = a_sender(portal, url, "Spreekkamer 1")
    assert killed.deliver().sent == 1
    with engine.begin() as connection:  # what the kill left: the store never heard of it
        connection.execute(update(OutboxItem).where(OutboxItem.identifier == answer).values(
            state=OutboxState.PENDING, sent_at=None, claimed_by="Spreekkamer 1",
            claimed_until=datetime.now(timezone.utc) - timedelta(seconds=1)))
    taker_engine, taker = a_sender(portal, url, "Balie")
    assert taker.deliver().sent == 1
    assert portal.communication_posts == 2  # it was sent twice ...
    assert portal.created_identifiers()[answer] == 1  # ... and the patient has it once
    for made in (killed_engine, taker_engine, engine):
        made.dispose()


def test_a_stuck_answer_never_holds_back_the_others(start_portal, tmp_path):
    """One answer's photo bytes are missing, the portal keeps failing on another: both wait
    with their reason, every other answer goes out, and every delivery run ends."""
    url = _fresh_postgres()
    portal = start_portal(seed=23, consults=30, photo_share=0.0, conditional_create=False)
    blobs = BlobStore(tmp_path / "a")
    engine = pulled_store(url, portal, blobs)
    identifiers = queue_answers(engine, 30, gp_portal_id(engine))
    no_bytes, refused = identifiers[0], identifiers[1]
    with Session(engine) as session, session.begin():
        message = session.scalar(select(Message).where(Message.identifier == no_bytes))
        session.add(Attachment(message_id=message.id, position=1, title="foto.jpg",
                               content_type="image/jpeg", declared_size=10, size=10,
                               sha256="ab" * 32, stored_at=datetime.now(timezone.utc)))
    portal.options.failing_identifiers = (refused,)
    made = [a_sender(portal, url, name, blobs) for name in WORKSTATIONS]

    results = deliver_together([sender for _engine, sender in made])
    assert sum(r.sent for r in results) == 28
    # The two wait; a sender may meet the failing one after another released it (each try
    # counts), never more often than there are senders.
    assert 2 <= sum(r.pending for r in results) <= 2 * len(made)
    created = portal.created_identifiers()
    assert [created[v] for v in identifiers[2:]] == [1] * 28
    assert created[no_bytes] == 0 and created[refused] == 0
    states = outbox_states(engine)
    assert states[no_bytes] == (OutboxState.PENDING, "AttachmentMissing")
    assert states[refused] == (OutboxState.PENDING, "PortalUnreachable")
    # What the answer's writer sees under it: still waiting, with why.
    with Session(engine) as session:
        econsult_id = session.scalar(select(Message.econsult_id).where(
            Message.identifier == no_bytes))
    state = ReplyService(engine, blobs).delivery_states(econsult_id)
    assert any(s.state == "pending" and s.error == "AttachmentMissing" for s in state.values())

    # The photo stays missing: after a bounded number of tries it fails for good (shown as
    # not sent); the portal's trouble stays a wait.
    sender = made[0][1]
    for _try in range(MISSING_BYTES_ATTEMPTS):
        sender.deliver()
    states = outbox_states(engine)
    assert states[no_bytes] == (OutboxState.FAILED, "AttachmentMissing")
    assert states[refused][0] is OutboxState.PENDING
    with Session(engine) as session:
        assert session.scalar(select(Message.delivery).where(
            Message.identifier == no_bytes)) == "failed"
    assert portal.created_identifiers()[refused] == 0
    for other, _sender in made:
        other.dispose()
    engine.dispose()
