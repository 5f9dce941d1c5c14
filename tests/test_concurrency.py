"""No silent overwrites: changes to an e-consult from two workstations on one database.

Each workstation has its own engine (its own connections), as two PCs would; they race in
threads released together by a barrier."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workbench.services.concurrency import ChangeKind, ConsultChanged
from workbench.services.inbox import InboxQueries, ListView
from workbench.services.portal_client import PortalClient
from workbench.services.replies import ReplyService
from workbench.services.sync import SyncService
from workbench.services.triage import Actor, CloseReason, TriageError, TriageService
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

NOW = datetime(2026, 11, 30, 10, 42, tzinfo=timezone.utc)


@pytest.fixture
def portal(start_portal):
    return start_portal(seed=15, consults=40, photo_share=0.0)


@pytest.fixture
def stations(portal, store_url, tmp_path):
    """Two workstations on one store: (engine, triage, replies) each."""
    first = database.make_engine(store_url)
    database.upgrade(first)
    SyncService(PortalClient(portal.base_url), first, BlobStore(tmp_path / "a")).run()
    second = database.make_engine(store_url)
    made = []
    for name, engine in (("balie-1", first), ("spreekkamer-2", second)):
        made.append((engine, TriageService(engine, clock=lambda: NOW, workstation=name),
                     ReplyService(engine, BlobStore(tmp_path / name), clock=lambda: NOW)))
    yield made
    first.dispose()
    second.dispose()


def staff(engine) -> dict[Role, list]:
    by_role: dict[Role, list] = {}
    for person in InboxQueries(engine).practitioners():
        by_role.setdefault(person.role, []).append(person)
    return by_role


def calm_inbox_item(engine, tmp_path) -> int:
    """One that is not urgent (an urgent one closes only after its call), written by the
    patient (an answer to a parent or mentor waits for the third-party rule, and which items
    those are depends on the demo's draw)."""
    replies = ReplyService(engine, BlobStore(tmp_path / "rules"), clock=lambda: NOW)
    return next(row.id for row in InboxQueries(engine).page(ListView(ConsultStatus.INBOX), 0, 200)
                if not (row.urgent or row.has_advice)
                and replies.third_party_rule(row.id) is None)


def version_of(engine, econsult_id: int) -> int:
    return InboxQueries(engine).detail(econsult_id).version


def race(*actions):
    """Run the actions at the same moment; what each returned or raised."""
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def run(index, action):
        barrier.wait()
        try:
            outcomes[index] = action()
        except Exception as exc:  # noqa: BLE001 - the refusal is the outcome looked at
            outcomes[index] = exc
    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_two_routings_racing_one_wins_the_other_is_refused_with_the_winners_name(stations):
    (engine_a, triage_a, _), (engine_b, triage_b, _) = stations
    people = staff(engine_a)
    ilse, anna = people[Role.ASSISTANT][:2]
    gp = people[Role.GP][0]
    lost_urgent = 0
    for econsult_id in [row.id for row in InboxQueries(engine_a).page(
            ListView(ConsultStatus.INBOX), 0, 20)][:10]:
        seen = version_of(engine_a, econsult_id)
        outcomes = race(
            lambda: triage_a.route(econsult_id, Actor(ilse.id), gp.id, Urgency.URGENT,
                                   expected_version=seen),
            lambda: triage_b.route(econsult_id, Actor(anna.id), gp.id, Urgency.NORMAL,
                                   expected_version=seen))
        refused = [o for o in outcomes if isinstance(o, ConsultChanged)]
        assert len(refused) == 1, outcomes
        winner = ilse if isinstance(outcomes[1], ConsultChanged) else anna
        assert refused[0].change.kind is ChangeKind.ROUTED
        assert refused[0].change.by == winner.name
        assert refused[0].version == seen + 1
        urgency = InboxQueries(engine_b).detail(econsult_id).urgency
        # What is stored is what the one who succeeded chose: never silently replaced.
        expected = Urgency.URGENT if winner is ilse else Urgency.NORMAL
        lost_urgent += urgency is not expected
    assert lost_urgent == 0


def test_two_answers_racing_one_reaches_the_patient_the_other_is_refused(stations, tmp_path):
    (engine_a, _, replies_a), (engine_b, _, replies_b) = stations
    gp_a, gp_b = staff(engine_a)[Role.GP][:2]
    econsult_id = calm_inbox_item(engine_a, tmp_path)
    seen = version_of(engine_a, econsult_id)
    outcomes = race(
        lambda: replies_a.send(econsult_id, Actor(gp_a.id), "Neem paracetamol.",
                               expected_version=seen),
        lambda: replies_b.send(econsult_id, Actor(gp_b.id), "Kom maar langs.",
                               expected_version=seen))
    refused = [o for o in outcomes if isinstance(o, ConsultChanged)]
    assert len(refused) == 1, outcomes
    winner = gp_a if isinstance(outcomes[1], ConsultChanged) else gp_b
    assert refused[0].change.kind is ChangeKind.ANSWERED
    assert refused[0].change.by == winner.name
    assert refused[0].change.at == NOW
    with Session(engine_b) as session:
        answers = session.scalars(select(Message.text).where(
            Message.econsult_id == econsult_id, Message.identifier.is_not(None))).all()
        replies_queued = session.scalar(select(OutboxItem.id).where(
            OutboxItem.econsult_id == econsult_id, OutboxItem.kind == "reply"))
    assert len(answers) == 1 and replies_queued is not None


def test_an_answer_to_an_e_consult_closed_since_it_was_opened_is_refused(stations, tmp_path):
    (engine_a, triage_a, _), (engine_b, _, replies_b) = stations
    assistant = staff(engine_a)[Role.ASSISTANT][0]
    gp = staff(engine_a)[Role.GP][0]
    econsult_id = calm_inbox_item(engine_a, tmp_path)
    opened = version_of(engine_b, econsult_id)           # the GP opens it on B
    triage_a.close(econsult_id, Actor(assistant.id), CloseReason.NO_ACTION)  # A closes it
    with pytest.raises(ConsultChanged) as refused:
        replies_b.send(econsult_id, Actor(gp.id), "Toch nog een advies.",
                       expected_version=opened)
    assert refused.value.change.kind is ChangeKind.CLOSED
    assert refused.value.change.by == assistant.name
    detail = InboxQueries(engine_b).detail(econsult_id)
    assert detail.status is ConsultStatus.CLOSED
    assert not [m for m in detail.messages if m.author == gp.name]


def test_sending_anyway_after_seeing_the_change_goes_as_a_follow_up_and_is_audited(stations, tmp_path):
    (engine_a, _, replies_a), (engine_b, _, replies_b) = stations
    gp_a, gp_b = staff(engine_a)[Role.GP][:2]
    econsult_id = calm_inbox_item(engine_a, tmp_path)
    opened = version_of(engine_b, econsult_id)
    replies_a.send(econsult_id, Actor(gp_a.id), "Neem paracetamol.", expected_version=opened)
    with pytest.raises(ConsultChanged) as refused:
        replies_b.send(econsult_id, Actor(gp_b.id), "Aanvulling: drink veel.",
                       expected_version=opened)
    # Sent anyway, based on the version the change was seen at.
    replies_b.send(econsult_id, Actor(gp_b.id), "Aanvulling: drink veel.",
                   expected_version=refused.value.version, despite_change=True)
    with Session(engine_a) as session:
        details = session.scalars(select(AuditEvent.detail).where(
            AuditEvent.econsult_id == econsult_id, AuditEvent.event == "reply",
            AuditEvent.user_id == gp_b.id)).all()
    assert details and details[-1]["despite_change"] == "reply"
    texts = [m.text for m in InboxQueries(engine_a).detail(econsult_id).messages]
    assert "Neem paracetamol." in texts and "Aanvulling: drink veel." in texts


def test_a_change_based_on_the_current_version_goes_through_and_raises_the_version(stations, tmp_path):
    (engine_a, triage_a, _), (engine_b, triage_b, _) = stations
    assistant = staff(engine_a)[Role.ASSISTANT][0]
    econsult_id = calm_inbox_item(engine_a, tmp_path)
    seen = version_of(engine_b, econsult_id)
    triage_b.assign(econsult_id, Actor(assistant.id), assistant.id, expected_version=seen)
    assert version_of(engine_a, econsult_id) == seen + 1
    # The one who saw the older version is refused, the one who saw the new one is not.
    with pytest.raises(ConsultChanged) as refused:
        triage_a.set_urgent(econsult_id, Actor(assistant.id), True, expected_version=seen)
    assert refused.value.change.kind is ChangeKind.ASSIGNED
    triage_a.set_urgent(econsult_id, Actor(assistant.id), True, expected_version=seen + 1)
    assert InboxQueries(engine_b).detail(econsult_id).urgency is Urgency.URGENT


def test_the_patient_writing_again_makes_an_open_answer_stale(stations, tmp_path):
    (engine_a, _, _), (engine_b, _, replies_b) = stations
    gp = staff(engine_a)[Role.GP][0]
    econsult_id = calm_inbox_item(engine_a, tmp_path)
    opened = version_of(engine_b, econsult_id)
    later = NOW + timedelta(minutes=5)
    # What the pull does when the patient's new message arrives (see SyncService).
    with engine_a.begin() as connection:
        connection.execute(update(EConsult.__table__).where(EConsult.id == econsult_id).values(
            last_patient_message_at=later, waiting_since=later,
            version=EConsult.__table__.c.version + 1, change_kind="patient_wrote",
            changed_by_id=None, changed_at=later))
    with pytest.raises(ConsultChanged) as refused:
        replies_b.send(econsult_id, Actor(gp.id), "Neem paracetamol.", expected_version=opened)
    assert refused.value.change.kind is ChangeKind.PATIENT_WROTE
    assert refused.value.change.by is None and refused.value.change.at == later


def test_assigning_to_an_assistant_puts_it_in_her_own_worklist(stations, tmp_path):
    (engine_a, triage_a, _), _ = stations
    people = staff(engine_a)
    ilse, anna = people[Role.ASSISTANT][:2]
    econsult_id = calm_inbox_item(engine_a, tmp_path)
    triage_a.assign(econsult_id, Actor(ilse.id), anna.id)
    own = [row.id for row in InboxQueries(engine_a).page(
        ListView(ConsultStatus.WORKLIST, assignee_id=anna.id), 0, 50)]
    assert econsult_id in own
    detail = InboxQueries(engine_a).detail(econsult_id)
    assert detail.assignee_name == anna.name
    manager = people.get(Role.MANAGER)
    if manager:
        with pytest.raises(TriageError) as refused:
            triage_a.assign(econsult_id, Actor(ilse.id), manager[0].id)
        assert refused.value.code == "not_assignable"
