"""Triage actions on a real store filled from the demo portal: state, audit log and outbox."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.inbox import InboxQueries, ListView, WaitState, waiting_state
from workbench.services.outbox import OutboxSender
from workbench.services.portal_client import PortalClient, RetryPolicy
from workbench.services.sync import SyncService
from workbench.services.triage import Actor, CloseReason, TriageError, TriageService
from workbench.services.undo import UNDO_SECONDS
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    AuditEvent,
    ConsultStatus,
    EConsult,
    OutboxItem,
    OutboxState,
    Role,
    Urgency,
)

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def portal(start_portal):
    return start_portal(seed=21, consults=80, photo_share=0.0)


@pytest.fixture
def engine(portal, store_url, tmp_path):
    engine = database.make_engine(store_url)
    database.upgrade(engine)
    SyncService(PortalClient(portal.base_url), engine, BlobStore(tmp_path / "a")).run()
    yield engine
    engine.dispose()


def people(engine):
    by_role = {}
    for p in InboxQueries(engine).practitioners():
        by_role.setdefault(p.role, []).append(p)
    return by_role


def not_urgent_in_inbox(engine) -> list[int]:
    """Urgent ones close only after the call (tests/test_urgent_answers.py)."""
    return [r.id for r in InboxQueries(engine).page(ListView(ConsultStatus.INBOX), 0, 500)
            if not (r.urgent or r.has_advice)]


def first_in_inbox(engine) -> int:
    return not_urgent_in_inbox(engine)[0]


def audit(engine, econsult_id):
    with Session(engine) as session:
        return session.scalars(select(AuditEvent).where(AuditEvent.econsult_id == econsult_id)
                               .order_by(AuditEvent.id)).all()


def test_route_moves_an_item_to_the_gps_worklist_with_audit(engine):
    staff = people(engine)
    assistant, gp = staff[Role.ASSISTANT][0], staff[Role.GP][1]
    triage = TriageService(engine, clock=lambda: NOW, workstation="balie-1")
    queries = InboxQueries(engine)
    item = first_in_inbox(engine)
    inbox_before = queries.count(ListView(ConsultStatus.INBOX))

    triage.route(item, Actor(assistant.id), gp.id, Urgency.URGENT, "Graag vandaag bellen")

    assert queries.count(ListView(ConsultStatus.INBOX)) == inbox_before - 1
    worklist = queries.page(ListView(ConsultStatus.WORKLIST, gp.id), 0, 50)
    assert [row.id for row in worklist] == [item]
    assert worklist[0].urgent and worklist[0].assignee_name == gp.name
    event = audit(engine, item)[-1]
    assert (event.event, event.user_id, event.responsible_id, event.workstation) == \
        ("route", assistant.id, assistant.id, "balie-1")
    assert event.patient_id is not None and event.occurred_at is not None
    assert event.detail == {"to": gp.id, "priority": "urgent"}
    detail = queries.detail(item)
    assert detail.routing_note == "Graag vandaag bellen"

    # The GP sends it back to the assistants.
    triage.send_back(item, Actor(gp.id))
    assert queries.count(ListView(ConsultStatus.WORKLIST, gp.id)) == 0
    assert queries.detail(item).status is ConsultStatus.INBOX
    assert audit(engine, item)[-1].event == "send_back"


def test_only_gps_and_practice_nurses_have_a_worklist(engine):
    staff = people(engine)
    triage = TriageService(engine)
    with pytest.raises(TriageError) as info:
        triage.route(first_in_inbox(engine), Actor(staff[Role.ASSISTANT][0].id),
                     staff[Role.ASSISTANT][1].id, Urgency.NORMAL)
    assert info.value.code == "not_a_clinician"
    with pytest.raises(TriageError):
        triage.close(first_in_inbox(engine), Actor(99999), CloseReason.ANSWERED)


def test_close_and_invite_write_status_changes_to_the_outbox(engine):
    assistant = people(engine)[Role.ASSISTANT][0]
    triage = TriageService(engine, clock=lambda: NOW)
    first, second = not_urgent_in_inbox(engine)[:2]
    triage.close(first, Actor(assistant.id), CloseReason.DUPLICATE)
    triage.invite_to_surgery(second, Actor(assistant.id))
    with Session(engine) as session:
        closed, invited = session.get(EConsult, first), session.get(EConsult, second)
        assert (closed.status, closed.close_reason) == (ConsultStatus.CLOSED, "dubbel")
        assert invited.status is ConsultStatus.WAITING and invited.invite_to_surgery
        items = session.scalars(select(OutboxItem).order_by(OutboxItem.id)).all()
        assert [(i.econsult_id, i.payload["status"], i.state) for i in items] == [
            (first, "completed", OutboxState.PENDING), (second, "on-hold", OutboxState.PENDING)]


def test_viewing_is_audited_and_marks_read_for_the_viewer_only(engine):
    assistant, colleague = people(engine)[Role.ASSISTANT][:2]
    triage = TriageService(engine)
    queries = InboxQueries(engine)
    item = first_in_inbox(engine)
    triage.record_view(item, Actor(assistant.id))
    assert [e.event for e in audit(engine, item)] == ["view"]
    unread = {p.id: {r.id: r.unread for r in queries.page(ListView(ConsultStatus.INBOX), 0, 500,
                                                          for_user=p.id)}[item]
              for p in (assistant, colleague)}
    assert unread == {assistant.id: False, colleague.id: True}


def after_undo_time() -> datetime:
    return datetime.now(timezone.utc) + timedelta(seconds=UNDO_SECONDS + 1)


def test_outbox_reaches_the_portal_once_even_through_faults(portal, engine):
    assistant = people(engine)[Role.ASSISTANT][0]
    item = first_in_inbox(engine)
    TriageService(engine).close(item, Actor(assistant.id), CloseReason.ANSWERED)
    with Session(engine) as session:
        root = session.get(EConsult, item).portal_id
    before = portal.dataset.communications[root]["meta"]["versionId"]

    client = PortalClient(portal.base_url, retry=RetryPolicy(attempts=8, backoff_s=0.01,
                                                             max_retry_after_s=0.05))
    # Within the undo time the change waits in the outbox.
    assert OutboxSender(client, engine).deliver().held == 1
    assert portal.dataset.communications[root]["status"] == "in-progress"

    down = PortalClient("http://127.0.0.1:9/fhir", retry=RetryPolicy(attempts=1))
    result = OutboxSender(down, engine, clock=after_undo_time).deliver()
    assert (result.sent, result.pending) == (0, 1)

    assert OutboxSender(client, engine, clock=after_undo_time).deliver().sent == 1
    assert portal.dataset.communications[root]["status"] == "completed"
    assert int(portal.dataset.communications[root]["meta"]["versionId"]) == int(before) + 1
    # Delivered items are not sent again.
    assert OutboxSender(client, engine, clock=after_undo_time).deliver().sent == 0
    assert int(portal.dataset.communications[root]["meta"]["versionId"]) == int(before) + 1


def test_advice_sorts_first_and_clearing_it_is_audited(engine):
    assistant = people(engine)[Role.ASSISTANT][0]
    queries = InboxQueries(engine)
    triage = TriageService(engine)
    rows = queries.page(ListView(ConsultStatus.INBOX), 0, 1000)
    # The demo contains messages that read urgent: those lead the inbox.
    advised = [r for r in rows if r.has_advice]
    assert advised, "the demo has alarm texts"
    assert rows[:len(advised)] == advised
    triage.set_urgent(advised[0].id, Actor(assistant.id), False)
    assert audit(engine, advised[0].id)[-1].event == "clear_urgent"
    rows_after = queries.page(ListView(ConsultStatus.INBOX), 0, 1000)
    assert advised[0].id not in [r.id for r in rows_after[:len(advised) - 1]]


def test_waiting_state_against_the_answer_target_in_working_days():
    friday = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
    assert waiting_state(None, friday, 2) is WaitState.NONE
    assert waiting_state(friday, friday + timedelta(hours=5), 2) is WaitState.OK
    # Two working days after Friday morning is Tuesday morning; the weekend does not count.
    assert waiting_state(friday, datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc), 2) \
        is WaitState.OK
    assert waiting_state(friday, datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc), 2) \
        is WaitState.NEAR
    assert waiting_state(friday, datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc), 2) \
        is WaitState.LATE
