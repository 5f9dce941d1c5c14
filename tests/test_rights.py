"""Rights per role, refused in the service layer whatever the window shows."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.billing import BillingService, SegmentDraft
from workbench.services.rights import NotAllowed, Permission, allowed, require
from workbench.services.triage import Actor, TriageError, TriageService
from workbench.store.models import (
    AuditEvent,
    ConsultStatus,
    EConsult,
    Patient,
    Practitioner,
    Role,
    Urgency,
)

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
DAY = date(2026, 11, 26)


def test_each_role_has_exactly_its_rights():
    clinical = {Permission.RECEIVE_ROUTED_WORK, Permission.TRIAGE, Permission.ANSWER}
    managing = {Permission.MANAGE_USERS, Permission.EXPORT_DECLARATIONS,
                Permission.AUDIT_REPORT, Permission.VERIFY_AUDIT}
    expected = {Role.GP: clinical, Role.POH: clinical,
                Role.ASSISTANT: {Permission.TRIAGE, Permission.ANSWER},
                Role.MANAGER: managing}
    for role, rights in expected.items():
        assert {p for p in Permission if allowed(role, p)} == rights, role
    assert not any(allowed(None, p) for p in Permission)
    assert allowed("huisarts", Permission.RECEIVE_ROUTED_WORK)
    assert not allowed("tandarts", Permission.TRIAGE)


@pytest.fixture
def world(migrated_engine):
    with Session(migrated_engine) as session, session.begin():
        people = {role: Practitioner(portal_id=None if role is Role.MANAGER else f"p-{role.value}",
                                     name=f"Mw. {role.value}", role=role, username=role.value)
                  for role in Role}
        patient = Patient(portal_id="pat-1", bsn="123456782", name="Sam Bakker")
        consult = EConsult(portal_id="c-1", patient=patient, subject="vraag",
                           portal_status="in-progress", received_at=NOW,
                           last_patient_message_at=NOW, portal_version="1")
        session.add_all([*people.values(), patient, consult])
        session.flush()
        ids = {role: p.id for role, p in people.items()} | {"consult": consult.id,
                                                           "patient": patient.id}
    return migrated_engine, ids


def test_only_a_gp_or_poh_receives_routed_work(world):
    engine, ids = world
    triage = TriageService(engine, clock=lambda: NOW)
    assistant = Actor(ids[Role.ASSISTANT])
    for target in (Role.ASSISTANT, Role.MANAGER):
        with pytest.raises(TriageError) as info:
            triage.route(ids["consult"], assistant, ids[target], Urgency.NORMAL)
        assert info.value.code == "not_a_clinician"
    triage.route(ids["consult"], assistant, ids[Role.POH], Urgency.NORMAL)
    with Session(engine) as session:
        consult = session.get(EConsult, ids["consult"])
        assert (consult.status, consult.assignee_id) == (ConsultStatus.WORKLIST, ids[Role.POH])


def test_only_the_praktijkmanager_exports_the_declarations(world):
    engine, ids = world
    billing = BillingService(engine, lambda: NOW)
    gp = ids[Role.GP]
    billing.record_segments(gp, [SegmentDraft(ids["consult"], ids["patient"], NOW,
                                              NOW + timedelta(minutes=7))])
    billing.declare(billing.propose(ids["consult"], gp), Actor(gp))
    for role in (Role.GP, Role.POH, Role.ASSISTANT):
        stream = io.StringIO()
        with pytest.raises(NotAllowed):
            billing.export_csv(stream, DAY, DAY, Actor(ids[role]))
        assert stream.getvalue() == ""
    with Session(engine) as session:
        assert session.scalars(select(AuditEvent).where(
            AuditEvent.event == "export_declarations")).all() == []
    assert billing.export_csv(io.StringIO(), DAY, DAY, Actor(ids[Role.MANAGER])) == 1


def test_a_disabled_person_has_no_rights(world):
    engine, ids = world
    with Session(engine) as session, session.begin():
        require(session, ids[Role.MANAGER], Permission.MANAGE_USERS)
        session.get(Practitioner, ids[Role.MANAGER]).active = False
        session.flush()
        with pytest.raises(NotAllowed) as info:
            require(session, ids[Role.MANAGER], Permission.MANAGE_USERS)
        assert info.value.code == "not_allowed"
