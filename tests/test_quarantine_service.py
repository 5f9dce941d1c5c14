"""The "Niet verwerkt" service on SQLite and PostgreSQL: listing, counting, marking handled
(with its audit line), and reading whatever shape the portal's resource had."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services import quarantine
from workbench.services.quarantine import QuarantineError
from workbench.services.triage import Actor, AuditAction
from workbench.store.models import (
    AuditEvent,
    Patient,
    Practitioner,
    QuarantinedResource,
    QuarantineState,
    Role,
)

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

COMMUNICATION = {
    "resourceType": "Communication", "id": "c-1", "status": "in-progress",
    "subject": {"reference": "Patient/p-1"},
    "sender": {"reference": "Patient/p-1", "display": "Anna de Vries"},
    "sent": "2026-03-02T08:12:00+01:00",
    "topic": {"text": "Uitslag bloedonderzoek"},
    "payload": [{"contentString": "Mag ik de uitslag weten?"},
                {"contentAttachment": {"contentType": "image/jpeg"}},
                {"contentString": "Alvast bedankt."}],
}


def add_row(engine, portal_id: str, raw, *, reason="payload[1] has no data or url",
            transient=False, state=QuarantineState.OPEN, at=NOW, resource_type="Communication"):
    with Session(engine) as session, session.begin():
        row = QuarantinedResource(resource_type=resource_type, portal_id=portal_id,
                                  portal_version="1", reason=reason, raw=raw, quarantined_at=at,
                                  state=state, transient=transient, attempts=3,
                                  last_attempt_at=at + timedelta(hours=1))
        session.add(row)
        session.flush()
        return row.id


@pytest.fixture
def people(migrated_engine):
    with Session(migrated_engine) as session, session.begin():
        assistant = Practitioner(portal_id="pr-1", name="Eva Smits", role=Role.ASSISTANT)
        patient = Patient(portal_id="p-1", name="Anna de Vries", bsn="123456782")
        session.add_all([assistant, patient])
        session.flush()
        return assistant.id, patient.id


def test_open_items_are_listed_oldest_first_and_counted(migrated_engine, people):
    engine = migrated_engine
    second = add_row(engine, "c-2", {"resourceType": "Communication"}, transient=True,
                     reason="Patient/p-9 not found (404)")
    first = add_row(engine, "c-1", COMMUNICATION, at=NOW - timedelta(days=1))
    add_row(engine, "c-3", COMMUNICATION, state=QuarantineState.RESOLVED)
    add_row(engine, "c-4", COMMUNICATION, state=QuarantineState.HANDLED)

    assert quarantine.count_open(engine) == 2
    items = quarantine.list_open(engine)
    assert [i.id for i in items] == [first, second]
    item = items[0]
    assert item.sender == "Anna de Vries"
    assert item.sent == "2026-03-02T08:12:00+01:00"
    assert item.subject == "Uitslag bloedonderzoek"
    assert item.text == "Mag ik de uitslag weten?\n\nAlvast bedankt."
    assert item.patient_id == people[1] and item.patient_name == "Anna de Vries"
    assert item.attempts == 3 and not item.transient
    assert item.quarantined_at == NOW - timedelta(days=1)
    assert item.last_attempt_at == NOW - timedelta(hours=23)
    assert items[1].transient and items[1].reason == "Patient/p-9 not found (404)"
    assert (items[1].sender, items[1].sent, items[1].subject, items[1].text) == (
        None, None, None, None)


@pytest.mark.parametrize("raw", [
    {"value": "not an object"},
    {"value": 42},
    {"sender": "Patient/p-1", "topic": ["x"], "payload": "text", "sent": 20260302},
    {"sender": {"display": ["x"], "reference": 7}, "topic": {"text": None},
     "payload": [None, 3, {"contentString": 5}, {"contentString": "  "}]},
    {"subject": {"reference": "/"}, "sender": {"reference": "https://portal/fhir/"}},
    {"payload": [{"contentString": "a\x00b"}], "subject": {"reference": "Patient"}},
])
def test_odd_raw_shapes_never_raise(migrated_engine, people, raw):
    add_row(migrated_engine, "odd", raw)
    [item] = quarantine.list_open(migrated_engine)
    assert item.portal_id == "odd"
    assert item.sender is None or isinstance(item.sender, str)
    assert item.text in (None, "ab")
    assert item.patient_id is None


def test_a_sender_without_display_is_named_from_the_store_or_by_reference(migrated_engine,
                                                                          people):
    add_row(migrated_engine, "c-1", {"sender": {"reference":
                                                "https://portal/fhir/Patient/p-1/_history/2"}})
    add_row(migrated_engine, "c-2", {"sender": {"reference": "RelatedPerson/rp-7"}})
    first, second = quarantine.list_open(migrated_engine)
    assert first.sender == "Anna de Vries"
    assert second.sender == "RelatedPerson/rp-7"


def test_mark_handled_takes_it_off_the_list_with_one_audit_line(migrated_engine, people):
    engine = migrated_engine
    user_id, patient_id = people
    item_id = add_row(engine, "c-1", COMMUNICATION)
    other = add_row(engine, "c-2", {"value": "x"})

    quarantine.mark_handled(engine, item_id, Actor(user_id), "  Patiënt gebeld  ", lambda: NOW,
                            workstation="balie-1")

    assert [i.id for i in quarantine.list_open(engine)] == [other]
    assert quarantine.count_open(engine) == 1
    with Session(engine) as session:
        row = session.get(QuarantinedResource, item_id)
        assert row.state is QuarantineState.HANDLED
        assert row.handled_by_id == user_id
        assert row.handled_reason == "Patiënt gebeld"
        [event] = session.scalars(select(AuditEvent)).all()
        assert event.event == AuditAction.QUARANTINE_HANDLED.value == "quarantine_handled"
        assert event.econsult_id is None
        assert event.patient_id == patient_id
        assert event.user_id == event.responsible_id == user_id
        assert event.workstation == "balie-1"
        assert event.detail == {"quarantine_id": item_id, "resource_type": "Communication",
                                "portal_id": "c-1"}
        assert "Patiënt gebeld" not in str(event.detail)  # free text stays out of the log


def test_mark_handled_needs_a_reason_an_open_item_and_a_known_user(migrated_engine, people):
    engine = migrated_engine
    user_id, _patient = people
    item_id = add_row(engine, "c-1", {"value": "x"})
    for reason, actor, target, code in [
        ("   ", Actor(user_id), item_id, "reason_required"),
        ("gebeld", Actor(999), item_id, "unknown_user"),
        ("gebeld", Actor(user_id), item_id + 100, "not_found"),
    ]:
        with pytest.raises(QuarantineError) as raised:
            quarantine.mark_handled(engine, target, actor, reason, lambda: NOW)
        assert raised.value.code == code
    quarantine.mark_handled(engine, item_id, Actor(user_id), "gebeld", lambda: NOW)
    with pytest.raises(QuarantineError) as raised:
        quarantine.mark_handled(engine, item_id, Actor(user_id), "nog eens", lambda: NOW)
    assert raised.value.code == "not_open"
    with Session(engine) as session:
        assert len(session.scalars(select(AuditEvent)).all()) == 1  # refusals write nothing


def test_viewing_an_item_is_audited(migrated_engine, people):
    engine = migrated_engine
    user_id, patient_id = people
    item_id = add_row(engine, "c-1", COMMUNICATION)
    unknown = add_row(engine, "c-2", {"subject": {"reference": "Patient/elsewhere"}})
    quarantine.record_view(engine, item_id, Actor(user_id), lambda: NOW)
    quarantine.record_view(engine, unknown, Actor(user_id), lambda: NOW)
    with Session(engine) as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.event for e in events] == ["quarantine_viewed"] * 2
    assert [e.patient_id for e in events] == [patient_id, None]
    assert quarantine.get_item(engine, item_id).subject == "Uitslag bloedonderzoek"
    assert quarantine.get_item(engine, 12345) is None
