"""Patient context, store side: the patient's other e-consults with their call outcomes, the
numbers to call, the second-contact advice naming the earlier e-consult, and demo patients with
photos in two e-consults."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.orm import Session

from workbench.services.patient_history import patient_history, patient_phones
from workbench.services.triage import Actor, CallOutcome, TriageService
from workbench.store import database
from workbench.store.models import (
    AuthorKind,
    ConsultStatus,
    Direction,
    EConsult,
    Message,
    Patient,
    Practitioner,
    RelatedPerson,
    Role,
)

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def engine(sqlite_url):
    made = database.make_engine(sqlite_url)
    database.upgrade(made)
    yield made
    made.dispose()


def add_consult(session, patient, subject, days_ago, status=ConsultStatus.CLOSED, *,
                assignee=None, text="", advised=True):
    received = NOW - timedelta(days=days_ago)
    consult = EConsult(portal_id=f"ec-{subject}-{days_ago}", patient_id=patient.id,
                       subject=subject, status=status, portal_status="in-progress",
                       received_at=received, last_patient_message_at=received,
                       portal_version="1", assignee_id=assignee.id if assignee else None)
    session.add(consult)
    session.flush()
    session.add(Message(econsult_id=consult.id, portal_id=f"m-{consult.portal_id}",
                        portal_version="1", direction=Direction.IN,
                        author_kind=AuthorKind.PATIENT, author_portal_id=patient.portal_id,
                        text=text or subject, sent_at=received, advised=advised))
    session.flush()
    return consult.id


@pytest.fixture
def family(engine):
    """A patient with five e-consults (and another patient's), a parent with a phone, a GP."""
    with Session(engine) as session, session.begin():
        gp = Practitioner(portal_id="prac-1", name="Dr. Anna de Vries", role=Role.GP)
        child = Patient(portal_id="pat-1", name="Noor Bakker", phone="06-11110000")
        other = Patient(portal_id="pat-2", name="Sem Visser", phone="06-22220000")
        session.add_all([gp, child, other])
        session.flush()
        session.add_all([
            RelatedPerson(portal_id="rp-1", patient_id=child.id, name="Eva Bakker",
                          relationship_code="MTH", relationship_text="moeder",
                          phone="06-33330000"),
            # Same number as the patient's: listed once.
            RelatedPerson(portal_id="rp-2", patient_id=child.id, name="Tom Bakker",
                          relationship_code="FTH", relationship_text="vader",
                          phone="06-11110000"),
            RelatedPerson(portal_id="rp-3", patient_id=child.id, name="Oma Bakker",
                          relationship_text="oma"),
        ])
        ids = {
            "old": add_consult(session, child, "Oorpijn", 40),
            "cough": add_consult(session, child, "Hoesten", 6),
            "open": add_consult(session, child, "Uitslag arm", 3, ConsultStatus.WORKLIST,
                                assignee=gp),
            "shown": add_consult(session, child, "Hoesten en koorts", 1, ConsultStatus.INBOX),
            "later_closed": add_consult(session, child, "Vraag recept", 0),
            "later_open": add_consult(session, child, "Wratje", 0, ConsultStatus.INBOX),
            "someone_else": add_consult(session, other, "Rugpijn", 2, ConsultStatus.INBOX),
        }
        assistant = Practitioner(portal_id="prac-2", name="Lisa Jansen", role=Role.ASSISTANT)
        session.add(assistant)
        session.flush()
        ids["assistant"] = assistant.id
        ids["patient"] = child.id
    return ids


def test_history_lists_earlier_and_open_consults_newest_first_with_call_outcomes(
        engine, family):
    triage = TriageService(engine, clock=lambda: NOW, workstation="test")
    actor = Actor(family["assistant"])
    triage.record_call(family["open"], actor, CallOutcome.NOT_REACHED)
    triage.record_call(family["open"], actor, CallOutcome.COMES_IN)  # the last one counts

    items = patient_history(engine, family["patient"], family["shown"])

    # Not the shown one, not another patient's, not a later closed one; open ones always.
    assert [i.id for i in items] == [family["later_open"], family["open"], family["cough"],
                                     family["old"]]
    by_id = {i.id: i for i in items}
    assert by_id[family["open"]].open and by_id[family["later_open"]].open
    assert not by_id[family["cough"]].open and not by_id[family["old"]].open
    assert by_id[family["open"]].assignee_name == "Dr. Anna de Vries"
    assert by_id[family["open"]].status is ConsultStatus.WORKLIST
    assert by_id[family["open"]].subject == "Uitslag arm"
    assert by_id[family["open"]].received_at == NOW - timedelta(days=3)
    assert by_id[family["open"]].call_outcome is CallOutcome.COMES_IN
    assert by_id[family["open"]].call_at == NOW
    assert by_id[family["cough"]].call_outcome is None


def test_history_of_a_patient_with_one_consult_is_empty(engine, family):
    with Session(engine) as session:
        other_id = session.get(EConsult, family["someone_else"]).patient_id
    assert patient_history(engine, other_id, family["someone_else"]) == []


def test_phone_numbers_are_the_patients_then_parents_each_once(engine, family):
    phones = patient_phones(engine, family["patient"])
    assert [(p.number, p.name, p.relation) for p in phones] == [
        ("06-11110000", "Noor Bakker", None), ("06-33330000", "Eva Bakker", "moeder")]
    assert patient_phones(engine, 999_999) == []


# -- second contact names the earlier e-consult ----------------------------------------------------
def test_earlier_contact_is_the_latest_matching_one():
    from workbench.services.urgency import default_advisor
    advisor = default_advisor()
    earlier = [(NOW - timedelta(days=10), "Hoesten"), (NOW - timedelta(days=3), "Hoesten"),
               (NOW - timedelta(days=1), "Rugpijn"), (NOW - timedelta(days=30), "Hoesten")]
    assert advisor.earlier_contact(NOW, "Hoesten en koorts", earlier) == 1
    assert advisor.earlier_contact(NOW, "Oorpijn", earlier) is None
    assert advisor.is_second_contact(NOW, "Hoesten en koorts", earlier)


def test_second_contact_advice_stores_the_earlier_consult(engine):
    from workbench.services.advice import AdviceService
    with Session(engine) as session, session.begin():
        patient = Patient(portal_id="pat-9", name="Fenna de Boer")
        session.add(patient)
        session.flush()
        older = add_consult(session, patient, "Hoesten", 10)
        earlier = add_consult(session, patient, "Hoesten", 3)
        add_consult(session, patient, "Rugpijn", 1)
        second = add_consult(session, patient, "Hoesten en koorts", 0, ConsultStatus.INBOX,
                             text="Ik hoest nog steeds.", advised=False)
        first = add_consult(session, patient, "Oorpijn", 0, ConsultStatus.INBOX,
                            text="Mijn oor doet pijn.", advised=False)

    AdviceService(engine).advise_all()

    with Session(engine) as session:
        advice = session.get(EConsult, second).urgency_advice
        earlier_at = session.get(EConsult, earlier).received_at
        assert [a for a in advice if a["category"] == "second_contact"] == [
            {"category": "second_contact", "words": "", "earlier_id": earlier,
             "earlier_at": earlier_at.replace(tzinfo=timezone.utc).isoformat()}]
        assert older != earlier
        assert not any(a.get("category") == "second_contact"
                       for a in session.get(EConsult, first).urgency_advice or [])


# -- the demo: photos to compare ---------------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_demo_has_two_patients_with_photos_in_two_consults(seed):
    from workbench.demo.data import Dataset
    dataset = Dataset(seed=seed, consults=80, photo_size=(32, 24))
    photo_consults = Counter(
        dataset.store["Communication"][cid]["subject"]["reference"]
        for cid in dataset.valid_root_ids
        if any("contentAttachment" in p for p in dataset.store["Communication"][cid]["payload"]))
    assert len([p for p, n in photo_consults.items() if n >= 2]) >= 2
