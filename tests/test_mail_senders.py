""""Onbekende afzender" on SQLite and PostgreSQL with mail pulled from a real Dovecot: a
person links an unknown sender (audited; the next mail goes straight in), chooses among
patients sharing an address, sends a fixed reply, finds patients, and only trusted addresses
count for medical answers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services import mail_senders
from workbench.services.mail_senders import MailSenderError
from workbench.services.triage import Actor
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    AuditEvent,
    EConsult,
    MailAddress,
    MailAddressSource,
    MailItem,
    MailState,
    Message,
    OutboxItem,
)

pytest.register_assert_rewrite("tests.mail_servers")
pytest_plugins = ["tests.mail_servers"]
from tests.test_mail_sync import (  # noqa: E402
    ANNA,
    FAMILY,
    NOW,
    STRANGER,
    Store,
    message_id_of,
    practice_mail,
    service,
)

LATER = NOW + timedelta(hours=1)


@pytest.fixture
def store(migrated_engine, tmp_path) -> Store:
    return Store(migrated_engine, BlobStore(tmp_path / "blobs"))


def clock():
    return LATER


def events(store: Store, name: str) -> list[AuditEvent]:
    with Session(store.engine) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.event == name)
                                    .order_by(AuditEvent.id)))


def waiting_id(store: Store, state: MailState) -> int:
    with Session(store.engine) as session:
        return session.scalar(select(MailItem.id).where(MailItem.state == state))


def test_an_unknown_sender_linked_is_audited_imported_and_trusted_from_then_on(
        store, mail_account):
    first = practice_mail(mail_account, "Nieuw adres", "Ik heb een nieuw mailadres.",
                          sender=STRANGER)
    mail_account.deliver(first)
    assert service(store, mail_account).run().unknown_sender == 1
    item_id = waiting_id(store, MailState.UNKNOWN_SENDER)
    actor = Actor(store.assistant)

    assert not mail_senders.is_trusted(store.engine, store.bob, STRANGER)
    mail_senders.record_view(store.engine, item_id, actor, clock)
    (viewed,) = events(store, mail_senders.MAIL_VIEWED)
    assert viewed.detail == {"mail_item_id": item_id, "state": "unknown_sender"}
    assert viewed.patient_id is None and viewed.user_id == store.assistant

    outcome = mail_senders.link_sender(store.engine, item_id, store.bob, actor, clock,
                                       store.blobs)
    assert outcome.address_added and not outcome.threaded and outcome.others_waiting == 0
    (linked,) = events(store, mail_senders.MAIL_ADDRESS_VERIFIED)
    assert linked.patient_id == store.bob and linked.econsult_id == outcome.econsult_id
    assert linked.detail["mail_item_id"] == item_id and linked.detail["new"] is True
    assert STRANGER not in str(linked.detail)  # ids and codes only
    assert linked.patient_bsn == "999911132"
    with Session(store.engine) as session:
        address = session.scalar(select(MailAddress).where(MailAddress.address == STRANGER))
        assert address.source is MailAddressSource.VERIFIED
        assert address.verified_by_id == store.assistant and address.patient_id == store.bob
        item = session.get(MailItem, item_id)
        assert item.state is MailState.IMPORTED and item.handled_by_id == store.assistant
        consult = session.get(EConsult, outcome.econsult_id)
        assert consult.patient_id == store.bob and consult.channel == "mail"
        assert session.get(Message, outcome.message_id).text == "Ik heb een nieuw mailadres."
    assert mail_senders.is_trusted(store.engine, store.bob, STRANGER.upper())
    assert [a.source for a in mail_senders.trusted_addresses(store.engine, store.bob)] == [
        MailAddressSource.PORTAL, MailAddressSource.VERIFIED]
    assert mail_senders.count_waiting(store.engine) == 0

    # The next mail from that address goes straight in, threaded onto its e-consult.
    mail_account.deliver(practice_mail(mail_account, "Re: Nieuw adres", "En nog iets.",
                                       sender=STRANGER, In_Reply_To=message_id_of(first)))
    mail_account.deliver(practice_mail(mail_account, "Iets anders", sender=STRANGER))
    result = service(store, mail_account).run()
    assert (result.imported, result.threaded, result.unknown_sender) == (2, 1, 0)
    assert len(store.consults(store.bob)) == 2

    # Linking it again is refused: someone handled it already.
    with pytest.raises(MailSenderError) as refused:
        mail_senders.link_sender(store.engine, item_id, store.anna, actor, clock, store.blobs)
    assert refused.value.code == "not_waiting"


def test_a_shared_address_waits_until_a_person_chooses_the_patient(store, mail_account):
    mail_account.deliver(practice_mail(mail_account, "Voor mijn zoon", sender=FAMILY))
    service(store, mail_account).run()
    item_id = waiting_id(store, MailState.AMBIGUOUS)
    actor = Actor(store.assistant)
    (waiting,) = mail_senders.list_waiting(store.engine)
    assert {c.id for c in waiting.candidates} == {store.carla, store.dirk}
    mail_senders.record_view(store.engine, item_id, actor, clock)
    (viewed,) = events(store, mail_senders.MAIL_VIEWED)
    assert viewed.detail["candidate_patient_ids"] == sorted([store.carla, store.dirk])

    with pytest.raises(MailSenderError) as refused:
        mail_senders.choose_patient(store.engine, item_id, store.anna, actor, clock,
                                    store.blobs)
    assert refused.value.code == "not_a_candidate"
    with pytest.raises(MailSenderError) as refused:
        mail_senders.link_sender(store.engine, item_id, store.dirk, actor, clock, store.blobs)
    assert refused.value.code == "not_waiting"  # a shared address is chosen, not linked

    outcome = mail_senders.choose_patient(store.engine, item_id, store.dirk, actor, clock,
                                          store.blobs)
    assert not outcome.address_added
    (chosen,) = events(store, mail_senders.MAIL_PATIENT_CHOSEN)
    assert chosen.patient_id == store.dirk and chosen.econsult_id == outcome.econsult_id
    assert [c.subject for c in store.consults(store.dirk)] == ["Voor mijn zoon"]
    assert store.consults(store.carla) == []
    with Session(store.engine) as session:
        assert len(session.scalars(select(MailAddress).where(
            MailAddress.address == FAMILY)).all()) == 2  # no address added
    assert mail_senders.list_waiting(store.engine) == []


def test_a_fixed_reply_without_medical_content(store, mail_account):
    raw = practice_mail(mail_account, "Wie ben ik", sender=STRANGER)
    mail_account.deliver(raw)
    service(store, mail_account).run()
    item_id = waiting_id(store, MailState.UNKNOWN_SENDER)
    actor = Actor(store.assistant)
    with pytest.raises(MailSenderError) as refused:
        mail_senders.fixed_reply(store.engine, item_id, "medisch_advies", actor, clock)
    assert refused.value.code == "unknown_kind"
    with pytest.raises(MailSenderError) as refused:  # nowhere to answer from
        mail_senders.fixed_reply(store.engine, item_id, "use_portal", actor, clock)
    assert refused.value.code == "mail_not_configured"
    reply = mail_senders.fixed_reply(store.engine, item_id, "use_portal", actor, clock,
                                     practice_address=mail_account.account,
                                     practice_phone="030-1234567")
    assert reply.to_address == STRANGER and reply.kind == "use_portal"
    with Session(store.engine) as session:  # queued with the state change, in Dutch
        (queued,) = session.scalars(select(OutboxItem)).all()
    assert queued.kind == "mail_fixed" and queued.econsult_id is None
    assert queued.payload["to"] == STRANGER and queued.payload["subject"] == "Re: Wie ben ik"
    assert "patiëntenportaal" in queued.payload["text"] and "030-1234567" in \
        queued.payload["text"]
    assert reply.in_reply_to == message_id_of(raw) and reply.subject == "Wie ben ik"
    (audited,) = events(store, mail_senders.MAIL_FIXED_REPLY)
    assert audited.detail == {"mail_item_id": item_id, "kind": "use_portal"}
    with Session(store.engine) as session:
        item = session.get(MailItem, item_id)
        assert item.state is MailState.FIXED_REPLY and item.handled_at is not None
    assert mail_senders.count_waiting(store.engine) == 0
    assert store.count(EConsult) == 0  # nothing imported
    with pytest.raises(MailSenderError) as refused:
        mail_senders.fixed_reply(store.engine, item_id, "call_practice", actor, clock,
                                 practice_address=mail_account.account)
    assert refused.value.code == "not_waiting"


def test_an_unreadable_mail_is_marked_handled(store, mail_account):
    from workbench.services.mail.message import MessageLimits
    mail_account.deliver(practice_mail(mail_account, "groot", "x" * 20_000))
    service(store, mail_account, limits=MessageLimits(max_message_bytes=5_000)).run()
    item_id = waiting_id(store, MailState.UNREADABLE)
    actor = Actor(store.assistant)
    with pytest.raises(MailSenderError) as refused:
        mail_senders.link_sender(store.engine, item_id, store.anna, actor, clock, store.blobs)
    assert refused.value.code == "not_waiting"
    mail_senders.mark_handled(store.engine, item_id, actor, clock)
    assert mail_senders.count_waiting(store.engine) == 0
    assert events(store, mail_senders.MAIL_HANDLED)[0].detail == {
        "mail_item_id": item_id, "state": "unreadable"}
    with pytest.raises(MailSenderError) as refused:
        mail_senders.mark_handled(store.engine, item_id, actor, clock)
    assert refused.value.code == "not_waiting"


def test_an_unknown_user_or_item_is_refused(store, mail_account):
    with pytest.raises(MailSenderError) as refused:
        mail_senders.record_view(store.engine, 12345, Actor(store.assistant), clock)
    assert refused.value.code == "not_found"
    with pytest.raises(MailSenderError) as refused:
        mail_senders.record_view(store.engine, 1, Actor(999), clock)
    assert refused.value.code == "unknown_user"
    assert mail_senders.get_waiting(store.engine, 12345) is None


def test_find_patients_by_name_birth_date_and_bsn(store):
    engine = store.engine
    assert [p.name for p in mail_senders.find_patients(engine, "bakker")] == [
        "Carla Bakker", "Dirk Bakker"]
    assert [p.id for p in mail_senders.find_patients(engine, "01-05-1980")] == [store.anna]
    assert [p.id for p in mail_senders.find_patients(engine, "1980-05-01")] == [store.anna]
    assert [p.id for p in mail_senders.find_patients(engine, "999911132")] == [store.bob]
    assert mail_senders.find_patients(engine, "99991113") == []  # no partial BSN
    assert [p.id for p in mail_senders.find_patients(engine, "bakker 10-09-2003")] == [
        store.dirk]
    match = mail_senders.find_patients(engine, "anna")[0]
    assert match.birth_date == date(1980, 5, 1) and match.bsn_masked.endswith("120")
    assert "999911" not in match.bsn_masked
    assert mail_senders.find_patients(engine, "x") == []
    # Audited like every patient look-up: the kind and the hits, never the text typed.
    mail_senders.find_patients(engine, "bakker", Actor(store.assistant), clock)
    (lookup,) = events(store, "patient_lookup")
    assert lookup.detail == {"kind": "name", "hits": 2, "context": "mail"}


def test_many_matches_are_cut_at_fifty(store):
    from workbench.store.models import Patient
    with Session(store.engine) as session, session.begin():
        session.add_all(Patient(portal_id=f"x-{n}", name=f"Jan de Boer {n}", family_name="Boer")
                        for n in range(60))
    assert len(mail_senders.find_patients(store.engine, "boer")) == 50


def test_a_waiting_mail_counts_its_attachments(store, mail_account):
    from tests.test_mail_sync import _bomb
    raw = _bomb(mail_account, 3).replace(ANNA.encode(), STRANGER.encode())
    mail_account.deliver(raw)
    service(store, mail_account).run()
    (waiting,) = mail_senders.list_waiting(store.engine, store.blobs)
    assert waiting.attachment_count == 3 and waiting.received_at == NOW
    assert mail_senders.list_waiting(store.engine)[0].attachment_count is None
    assert mail_senders.get_waiting(store.engine, waiting.id, store.blobs).attachment_count == 3

