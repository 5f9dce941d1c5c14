"""Who may receive an answer when someone other than the patient wrote (WGBO, art. 7:465 BW):
every age boundary on the day of answering, every relationship code, an unknown age, and the
choices recorded once and read back."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.portal_client import PortalClient
from workbench.services.replies import ReplyError, ReplyService
from workbench.services.sync import SyncService
from workbench.services.third_party import Choice, Role, Rule, rule_for, writer_role
from workbench.services.triage import Actor
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    AuditEvent,
    ConsultStatus,
    EConsult,
    OutboxItem,
    Patient,
    Practitioner,
    RelatedPerson,
)
from workbench.store.models import Role as StaffRole

PARENTS = ["MTH", "FTH", "PRN", "NMTH", "NFTH", "STPMTH", "STPFTH"]
NOT_REPRESENTING_A_CHILD = ["GRMTH", "GRFTH", "GRPRN", "SIB", "BRO", "SIS", "SPS", "NBOR",
                            "FRND", "ROOM", "XYZ", None, ""]


@pytest.mark.parametrize("code", PARENTS)
@pytest.mark.parametrize("age, unconfirmed, confirmed", [
    (0, Rule.GEZAG_UNCONFIRMED, Rule.PARENT_DECIDES),
    (11, Rule.GEZAG_UNCONFIRMED, Rule.PARENT_DECIDES),
    (12, Rule.GEZAG_UNCONFIRMED, Rule.CHILD_CONSENT_NEEDED),
    (15, Rule.GEZAG_UNCONFIRMED, Rule.CHILD_CONSENT_NEEDED),
    (16, Rule.YOUNG_ADULT_CONSENT, Rule.YOUNG_ADULT_CONSENT),
    (17, Rule.YOUNG_ADULT_CONSENT, Rule.YOUNG_ADULT_CONSENT),
])
def test_a_parent_of_a_child_needs_gezag_and_the_bands_hold(code, age, unconfirmed, confirmed):
    role = writer_role(code, age)
    assert role is Role.PARENT
    assert rule_for(age, role, gezag_confirmed=False) is unconfirmed
    assert rule_for(age, role, gezag_confirmed=True) is confirmed


@pytest.mark.parametrize("age, expected", [(5, Rule.PARENT_DECIDES), (11, Rule.PARENT_DECIDES),
                                           (12, Rule.CHILD_CONSENT_NEEDED),
                                           (15, Rule.CHILD_CONSENT_NEEDED),
                                           (16, Rule.YOUNG_ADULT_CONSENT)])
def test_a_guardian_voogd_represents_a_child_without_a_gezag_check(age, expected):
    assert rule_for(age, writer_role("GUARD", age), gezag_confirmed=False) is expected


@pytest.mark.parametrize("code", NOT_REPRESENTING_A_CHILD)
@pytest.mark.parametrize("age", [3, 11, 12, 15])
def test_grandparents_siblings_neighbours_friends_and_unknown_codes_do_not_represent_a_child(
        code, age):
    assert rule_for(age, writer_role(code, age), gezag_confirmed=True) is \
        Rule.NOT_REPRESENTATIVE


@pytest.mark.parametrize("code, expected", [
    ("GUARD", Rule.ADULT_REPRESENTATIVE), ("POWATT", Rule.ADULT_REPRESENTATIVE),
    ("HPOWATT", Rule.ADULT_REPRESENTATIVE),
    ("SPS", Rule.FAMILY_UNCONFIRMED), ("HUSB", Rule.FAMILY_UNCONFIRMED),
    ("WIFE", Rule.FAMILY_UNCONFIRMED), ("DOMPART", Rule.FAMILY_UNCONFIRMED),
    ("SON", Rule.FAMILY_UNCONFIRMED), ("DAU", Rule.FAMILY_UNCONFIRMED),
    ("CHILD", Rule.FAMILY_UNCONFIRMED), ("SIS", Rule.FAMILY_UNCONFIRMED),
    ("MTH", Rule.FAMILY_UNCONFIRMED), ("FTH", Rule.FAMILY_UNCONFIRMED),
    ("NBOR", Rule.NOT_REPRESENTATIVE), ("FRND", Rule.NOT_REPRESENTATIVE),
    ("GRMTH", Rule.NOT_REPRESENTATIVE), (None, Rule.NOT_REPRESENTATIVE),
])
@pytest.mark.parametrize("age", [18, 84])
def test_an_adult_is_represented_by_mentor_curator_gemachtigde_or_when_unable_family(
        code, expected, age):
    assert rule_for(age, writer_role(code, age), gezag_confirmed=True) is expected


@pytest.mark.parametrize("code", ["MTH", "GUARD", "NBOR", None])
def test_an_unknown_age_behaves_like_sixteen_and_older(code):
    assert rule_for(None, writer_role(code, None), gezag_confirmed=True) is \
        Rule.YOUNG_ADULT_CONSENT


# -- through ReplyService on a real store --------------------------------------------------------
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)


class Clock:
    now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def world(start_portal, sqlite_url, tmp_path):
    portal = start_portal(seed=16, consults=60, photo_share=0.0)
    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    SyncService(PortalClient(portal.base_url), engine, BlobStore(tmp_path / "a")).run()
    clock = Clock()
    replies = ReplyService(engine, BlobStore(tmp_path / "a"), clock=clock)
    with Session(engine) as session:
        gp = session.scalars(select(Practitioner).where(
            Practitioner.role == StaffRole.GP)).first()
    yield {"engine": engine, "replies": replies, "actor": Actor(gp.id), "clock": clock}
    engine.dispose()


def written_by(world, code: str, birth_date: date | None, index: int = 0) -> int:
    """An inbox e-consult whose writer has relationship `code`, about a patient born then."""
    with Session(world["engine"]) as session, session.begin():
        consult = session.scalars(select(EConsult).where(
            EConsult.sender_related_person_id.is_not(None),
            EConsult.status == ConsultStatus.INBOX).order_by(EConsult.id)
            .offset(index)).first()
        consult.sender_related_person.relationship_code = code
        patient = session.get(Patient, consult.patient_id)
        patient.birth_date = birth_date
        return consult.id


def born(years: int, days: int = 0) -> date:
    today = NOW.astimezone().date()
    return today.replace(year=today.year - years) + timedelta(days=days)


def recipient(world, econsult_id: int) -> str:
    with Session(world["engine"]) as session:
        return session.scalars(select(OutboxItem.payload).where(
            OutboxItem.econsult_id == econsult_id, OutboxItem.kind == "reply")).one()[
            "recipient"]


def test_the_day_of_answering_decides_eleven_or_twelve(world):
    replies = world["replies"]
    item = written_by(world, "GUARD", born(12, days=1))  # twelve tomorrow
    assert replies.third_party_rule(item).rule == Rule.PARENT_DECIDES.value
    world["clock"].now = NOW + timedelta(days=1)
    assert replies.third_party_rule(item).rule == Rule.CHILD_CONSENT_NEEDED.value


def test_a_parents_gezag_is_confirmed_once_per_child_and_writer(world):
    replies, actor = world["replies"], world["actor"]
    first = written_by(world, "MTH", born(7))
    with pytest.raises(ReplyError) as refused:
        replies.send(first, actor, "Geef uw kind voldoende te drinken.")
    assert (refused.value.code, refused.value.detail) == ("third_party_not_cleared",
                                                          "gezag_unconfirmed")
    replies.record_third_party_choice(first, actor, Choice.GEZAG.value)
    replies.send(first, actor, "Geef uw kind voldoende te drinken.")
    assert recipient(world, first).startswith("RelatedPerson/")
    # Another e-consult of the same child by the same parent: already confirmed.
    with Session(world["engine"]) as session, session.begin():
        original = session.get(EConsult, first)
        second = EConsult(portal_id="local:second", patient_id=original.patient_id,
                          sender_related_person_id=original.sender_related_person_id,
                          subject="Nog een vraag", portal_status="in-progress",
                          received_at=NOW, last_patient_message_at=NOW, portal_version="1")
        session.add(second)
        session.flush()
        second_id = second.id
    assert replies.third_party_rule(second_id).rule == Rule.PARENT_DECIDES.value
    with Session(world["engine"]) as session:
        gezag = [d for d in session.scalars(select(AuditEvent.detail).where(
            AuditEvent.event == "third_party_choice")) if d["choice"] == "gezag_confirmed"]
    assert len(gezag) == 1


def test_twelve_to_fifteen_needs_the_childs_consent_or_a_stated_reason(world):
    replies, actor = world["replies"], world["actor"]
    with_consent = written_by(world, "GUARD", born(13), index=0)
    with_reason = written_by(world, "GUARD", born(15), index=1)
    for item in (with_consent, with_reason):
        with pytest.raises(ReplyError):
            replies.send(item, actor, "Je kunt langskomen.")
    replies.record_third_party_choice(with_consent, actor, Choice.CHILD_CONSENT.value)
    with pytest.raises(ReplyError) as empty:
        replies.record_third_party_choice(with_reason, actor, Choice.REASON.value, "  ")
    assert empty.value.code == "reason_needed"
    replies.record_third_party_choice(with_reason, actor, Choice.REASON.value,
                                      "Kind zat bij het gesprek en stemde in")
    for item in (with_consent, with_reason):
        assert replies.third_party_rule(item).cleared  # read back, not asked again
        replies.send(item, actor, "Je kunt langskomen.")
        assert recipient(world, item).startswith("RelatedPerson/")


def test_a_neighbour_is_no_representative_the_answer_can_go_to_the_patient(world):
    replies, actor = world["replies"], world["actor"]
    item = written_by(world, "NBOR", born(84))
    rule = replies.third_party_rule(item)
    assert rule.rule == Rule.NOT_REPRESENTATIVE.value and not rule.cleared
    with pytest.raises(ReplyError):
        replies.send(item, actor, "Uw buurvrouw kan langskomen.")
    replies.record_third_party_choice(item, actor, Choice.ANSWER_PATIENT.value)
    replies.send(item, actor, "U kunt langskomen op het spreekuur.")
    with Session(world["engine"]) as session:
        patient = session.get(EConsult, item).patient.portal_id
    assert recipient(world, item) == f"Patient/{patient}"


def test_an_adults_partner_represents_only_when_the_patient_cannot_decide(world):
    replies, actor = world["replies"], world["actor"]
    item = written_by(world, "SPS", born(84))
    rule = replies.third_party_rule(item)
    assert (rule.rule, rule.writer_role) == (Rule.FAMILY_UNCONFIRMED.value, "family")
    replies.record_third_party_choice(item, actor, Choice.CANNOT_DECIDE.value)
    replies.send(item, actor, "Uw man kan langskomen.")
    assert recipient(world, item).startswith("RelatedPerson/")


def test_a_mentor_or_gemachtigde_receives_the_answer_without_more(world):
    replies, actor = world["replies"], world["actor"]
    item = written_by(world, "POWATT", born(84))
    rule = replies.third_party_rule(item)
    assert (rule.rule, rule.writer_role, rule.cleared) == (
        Rule.ADULT_REPRESENTATIVE.value, "authorised", True)
    replies.send(item, actor, "Uw moeder kan langskomen.")


def test_an_unknown_age_needs_the_patients_consent_confirmed_at_send(world):
    replies, actor = world["replies"], world["actor"]
    item = written_by(world, "MTH", None)
    assert replies.third_party_rule(item).rule == Rule.YOUNG_ADULT_CONSENT.value
    with pytest.raises(ReplyError):
        replies.send(item, actor, "U kunt langskomen.")
    replies.record_third_party_choice(item, actor, Choice.PATIENT_CONSENT.value)
    replies.send(item, actor, "U kunt langskomen.")


def test_related_person_rows_keep_their_code_for_the_rule(world):
    item = written_by(world, "GRMTH", born(6))
    with Session(world["engine"]) as session:
        writer = session.get(EConsult, item).sender_related_person
        assert isinstance(writer, RelatedPerson) and writer.relationship_code == "GRMTH"
    assert world["replies"].third_party_rule(item).rule == Rule.NOT_REPRESENTATIVE.value
