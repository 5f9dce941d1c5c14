"""Answers to mail e-consults go out by SMTP exactly once, to verified addresses only, threaded
under the patient's mail; an answer whose acceptance was lost waits for a person (issue 18).
Real servers: the demo portal, Dovecot and aiosmtpd."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from sqlalchemy import delete, select

from workbench.services.inbox import InboxQueries
from workbench.services.mail_outbox import (
    MailReplySender,
    confirm_delivery,
    waiting_for_confirmation,
)
from workbench.services.mail_sync import MailSyncService
from workbench.services.outbox import OutboxSender
from workbench.services.portal_client import PortalClient
from workbench.services.replies import ReplyError, ReplyService
from workbench.services.sync import SyncService
from workbench.services.triage import Actor
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    AuditEvent,
    EConsult,
    MailAddress,
    Message,
    OutboxItem,
    OutboxState,
    Role,
)

pytest.register_assert_rewrite("tests.mail_servers")
pytest_plugins = ["tests.mail_servers"]
from tests.mail_servers import make_mail  # noqa: E402

QUESTION_ID = "<vraag-42@patient.example>"


@pytest.fixture
def world(start_portal, sqlite_url, tmp_path, mail_account, smtp_server):
    """A store pulled from the demo portal, and one mail e-consult from a patient whose
    address the portal gives (so it is trusted)."""
    portal = start_portal(seed=7, consults=30, photo_share=0.0)
    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    blobs = BlobStore(tmp_path / "blobs")
    SyncService(PortalClient(portal.base_url), engine, blobs).run()
    with engine.connect() as connection:
        address, patient_id = connection.execute(
            select(MailAddress.address, MailAddress.patient_id)).first()
    mail_account.deliver(make_mail("Uitslag bloedprikken",
                                   "Beste dokter, is mijn uitslag al binnen? Groet",
                                   sender=f"Patient <{address}>", message_id=QUESTION_ID))
    settings = replace(mail_account.settings, smtp_port=smtp_server.port)
    assert MailSyncService(settings, engine, blobs, password=mail_account.password).run().ok
    with engine.connect() as connection:
        consult_id = connection.scalar(select(EConsult.id).where(EConsult.channel == "mail"))
    assert consult_id is not None
    staff = {p.role: p for p in InboxQueries(engine).practitioners()}
    yield {"engine": engine, "blobs": blobs, "settings": settings, "consult": consult_id,
           "patient": patient_id, "address": address, "actor": Actor(staff[Role.ASSISTANT].id),
           "portal": PortalClient(portal.base_url),
           "replies": ReplyService(engine, blobs, mail_address=mail_account.account)}
    engine.dispose()


def _outbox(world, password, **changes) -> OutboxSender:
    settings = replace(world["settings"], **changes)
    return OutboxSender(world["portal"], world["engine"], world["blobs"],
                        clock=lambda: datetime(2099, 1, 1, tzinfo=timezone.utc),
                        mail=MailReplySender(settings, world["blobs"], password=password))


def _delivery(world) -> str | None:
    with world["engine"].connect() as connection:
        return connection.scalar(select(Message.delivery).where(
            Message.econsult_id == world["consult"], Message.delivery.is_not(None)))


def test_an_answer_goes_out_once_threaded_under_the_patients_mail(world, mail_account):
    world["replies"].send(world["consult"], world["actor"], "De uitslag is goed. Groet, De Linde")
    first = _outbox(world, mail_account.password).deliver()
    again = _outbox(world, mail_account.password).deliver()
    assert (first.sent, again.sent) == (1, 0)
    answers = [email.message_from_bytes(raw) for raw in mail_account.messages()
               if b"De uitslag is goed" in raw]
    assert len(answers) == 1
    answer = answers[0]
    assert world["address"] in answer["To"]
    assert mail_account.account in answer["From"]
    assert answer["In-Reply-To"] == QUESTION_ID and QUESTION_ID in answer["References"]
    assert answer["Subject"] == "Re: Uitslag bloedprikken"
    assert _delivery(world) == "sent"
    # Filed in Sent by Workbench (the provider does not): the proof for any later retry.
    assert any(b"De uitslag is goed" in raw for raw in mail_account.messages("Sent"))


def test_no_medical_answer_to_an_address_nobody_verified(world):
    with world["engine"].begin() as connection:
        connection.execute(delete(MailAddress).where(
            MailAddress.patient_id == world["patient"]))
    with pytest.raises(ReplyError) as refused:
        world["replies"].send(world["consult"], world["actor"], "De uitslag is goed.")
    assert refused.value.code == "address_not_verified"
    with world["engine"].connect() as connection:
        assert connection.scalar(select(OutboxItem.id)) is None


def test_lost_acceptance_with_a_provider_that_files_sent_mail_is_found_there(
        world, mail_account, smtp_server):
    smtp_server.fault = "drop_after_data"
    smtp_server.deliver = lambda raw: mail_account.deliver(raw, folder="Sent")
    world["replies"].send(world["consult"], world["actor"], "De uitslag is goed.")
    result = _outbox(world, mail_account.password, provider_files_sent=True).deliver()
    assert result.sent == 1
    smtp_server.fault = None
    assert _outbox(world, mail_account.password, provider_files_sent=True).deliver().sent == 0
    assert len(smtp_server.accepted) == 1  # sent once
    assert _delivery(world) == "sent"


def test_lost_acceptance_without_the_providers_copy_waits_for_a_person(
        world, mail_account, smtp_server):
    smtp_server.fault = "drop_after_data"
    world["replies"].send(world["consult"], world["actor"], "De uitslag is goed.")
    result = _outbox(world, mail_account.password).deliver()
    assert (result.sent, result.confirm) == (0, 1)
    smtp_server.fault = None
    assert _outbox(world, mail_account.password).deliver().sent == 0  # not on its own
    assert len(smtp_server.accepted) == 1
    [(item_id, _message)] = waiting_for_confirmation(world["engine"], world["consult"])

    # The assistant called the patient: it did not arrive. Sent again, once, and audited.
    confirm_delivery(world["engine"], item_id, went_out=False,
                     user_id=world["actor"].user_id, responsible_id=world["actor"].user_id)
    assert _outbox(world, mail_account.password).deliver().sent == 1
    assert len(smtp_server.accepted) == 2
    with world["engine"].connect() as connection:
        assert connection.scalar(select(OutboxItem.state).where(
            OutboxItem.id == item_id)) is OutboxState.SENT
        assert connection.scalar(select(AuditEvent.detail).where(
            AuditEvent.event == "mail_answer_confirmed")) == {"outbox": item_id,
                                                              "went_out": False}


def _fixed_reply_to_a_stranger(world, mail_account, kind: str, raw: bytes) -> int:
    """A stranger's mail pulled into "Onbekende afzender" and answered with a fixed reply
    (queued, not sent yet); returns the mail's id."""
    from workbench.services import mail_senders
    from workbench.store.models import MailItem, MailState
    mail_account.deliver(raw)
    assert MailSyncService(world["settings"], world["engine"], world["blobs"],
                           password=mail_account.password).run().ok
    with world["engine"].connect() as connection:
        item_id = connection.scalar(select(MailItem.id).where(
            MailItem.state == MailState.UNKNOWN_SENDER))
    mail_senders.fixed_reply(world["engine"], item_id, kind, world["actor"],
                             lambda: datetime(2026, 11, 30, 10, tzinfo=timezone.utc),
                             practice_address=mail_account.account,
                             practice_name="Huisartsenpraktijk De Linde")
    return item_id


def test_a_fixed_reply_to_an_unknown_sender_goes_out_without_medical_content(
        world, mail_account):
    stranger = "iemand.anders@example.com"
    _fixed_reply_to_a_stranger(world, mail_account, "call_practice", make_mail(
        "hoi", "ik heb al 3 dagen keelpijn, wat moet ik doen", sender=stranger,
        message_id="<vreemd-1@example.com>"))
    assert _outbox(world, mail_account.password).deliver().sent == 1
    [reply] = [email.message_from_bytes(raw, policy=email.policy.default)
               for raw in mail_account.messages() if b"vreemd-1" in raw and b"Re: hoi" in raw]
    assert stranger in reply["To"] and reply["In-Reply-To"] == "<vreemd-1@example.com>"
    body = reply.get_body(("plain",)).get_content()
    assert "bellen" in body and "keelpijn" not in body
    assert _outbox(world, mail_account.password).deliver().sent == 0  # once


def test_the_pane_knows_where_an_answer_would_go(world):
    detail = InboxQueries(world["engine"]).detail(world["consult"])
    assert (detail.channel, detail.mail_address, detail.mail_address_trusted) == (
        "mail", world["address"], True)
    with world["engine"].begin() as connection:
        connection.execute(delete(MailAddress).where(
            MailAddress.patient_id == world["patient"]))
    assert InboxQueries(world["engine"]).detail(world["consult"]).mail_address_trusted is False


def test_a_fixed_reply_the_server_refuses_puts_the_mail_back_in_the_list(
        world, mail_account, smtp_server):
    from workbench.services import mail_senders
    item_id = _fixed_reply_to_a_stranger(world, mail_account, "use_portal", make_mail(
        "vraag", "wanneer is het spreekuur", sender="iemand@example.com"))
    assert mail_senders.count_waiting(world["engine"]) == 0
    smtp_server.fault = "reject"
    assert _outbox(world, mail_account.password).deliver().failed == 1
    [back] = mail_senders.list_waiting(world["engine"])
    assert back.id == item_id and "fixed_reply_refused" in back.problems
