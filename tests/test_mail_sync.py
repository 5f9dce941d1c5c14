"""Secure mail into the store against a real Dovecot, on SQLite and PostgreSQL: pulled once,
resumed without loss or duplicates, a changed UIDVALIDITY, HTML-only mail, an attachment
bomb, 50 recipients, threading by In-Reply-To and by subject, who wrote, unreadable mail."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from workbench.services import mail_senders
from workbench.services.mail.folder_names import encode_mailbox
from workbench.services.mail.imap_pull import MailboxClient
from workbench.services.mail.message import MessageLimits
from workbench.services.mail_sync import MailSyncService, parse_cursor
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    Attachment,
    ConsultStatus,
    EConsult,
    MailAddress,
    MailAddressSource,
    MailItem,
    MailState,
    Message,
    Patient,
    Practitioner,
    Role,
    SyncCursor,
)

pytest.register_assert_rewrite("tests.mail_servers")
pytest_plugins = ["tests.mail_servers"]
from tests.mail_servers import RecordingRelay, free_port, make_mail  # noqa: E402

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
ANNA = "anna@example.nl"
BOB = "bob@example.nl"
FAMILY = "familie@example.nl"
STRANGER = "onbekend@example.nl"


class Store:
    """A migrated store with a blob folder, an assistant and three patients: Anna and Bob
    with their own portal address, Carla and Dirk sharing one."""

    def __init__(self, engine, blobs: BlobStore) -> None:
        self.engine = engine
        self.blobs = blobs
        with Session(engine) as session, session.begin():
            assistant = Practitioner(portal_id="pr-1", name="Eva Smits", role=Role.ASSISTANT)
            patients = [Patient(portal_id=f"p-{n}", name=name, family_name=family,
                                bsn=bsn, birth_date=born)
                        for n, (name, family, bsn, born) in enumerate([
                            ("Anna de Vries", "Vries", "999911120", datetime(1980, 5, 1)),
                            ("Bob Jansen", "Jansen", "999911132", datetime(1975, 2, 3)),
                            ("Carla Bakker", "Bakker", "999911144", datetime(2001, 7, 8)),
                            ("Dirk Bakker", "Bakker", "999911156", datetime(2003, 9, 10)),
                        ], start=1)]
            for patient in patients:
                patient.birth_date = patient.birth_date.date()
            session.add(assistant)
            session.add_all(patients)
            session.flush()
            self.assistant = assistant.id
            self.anna, self.bob, self.carla, self.dirk = (p.id for p in patients)
            for address, pid in ((ANNA, self.anna), (BOB, self.bob), (FAMILY, self.carla),
                                 (FAMILY, self.dirk)):
                session.add(MailAddress(address=address, patient_id=pid,
                                        source=MailAddressSource.PORTAL))

    def count(self, model) -> int:
        with Session(self.engine) as session:
            return session.scalar(select(func.count()).select_from(model))

    def consults(self, patient_id: int | None = None) -> list[EConsult]:
        with Session(self.engine, expire_on_commit=False) as session:
            query = select(EConsult).order_by(EConsult.id)
            if patient_id is not None:
                query = query.where(EConsult.patient_id == patient_id)
            return list(session.scalars(query))

    def items(self) -> list[MailItem]:
        with Session(self.engine) as session:
            return list(session.scalars(select(MailItem).order_by(MailItem.id)))

    def messages(self, econsult_id: int) -> list[Message]:
        with Session(self.engine) as session:
            return list(session.scalars(select(Message).where(
                Message.econsult_id == econsult_id).order_by(Message.id)))


@pytest.fixture
def store(migrated_engine, tmp_path) -> Store:
    return Store(migrated_engine, BlobStore(tmp_path / "blobs"))


def service(store: Store, mail_account, clock=lambda: NOW, **options) -> MailSyncService:
    settings = options.pop("settings", mail_account.settings)
    return MailSyncService(settings, store.engine, store.blobs, clock=clock,
                           password=mail_account.password, **options)


def practice_mail(account, subject="vraag", text="Hallo dokter, ik heb een vraag.", *,
                  sender=ANNA, **headers) -> bytes:
    return make_mail(subject, text, sender=sender, to=account.account, **headers)


def message_id_of(raw: bytes) -> str:
    from email import message_from_bytes
    return message_from_bytes(raw)["Message-ID"]


# -- pulling -------------------------------------------------------------------------------------
def test_pulling_twice_imports_once(store, mail_account):
    for number in range(3):
        mail_account.deliver(practice_mail(mail_account, f"vraag {number}"))
    first = service(store, mail_account).run()
    assert first.ok, first
    assert (first.fetched, first.imported, first.econsults_created) == (3, 3, 3), first
    again = service(store, mail_account).run()
    assert again.ok and again.fetched == 0 and again.imported == 0
    # Even from scratch (the cursor lost), nothing is imported twice.
    with Session(store.engine) as session, session.begin():
        session.execute(delete(SyncCursor))
    scratch = service(store, mail_account).run()
    assert (scratch.fetched, scratch.duplicates, scratch.imported) == (3, 3, 0)
    assert store.count(EConsult) == 3 and store.count(Message) == 3
    assert store.count(MailItem) == 3
    consult = store.consults(store.anna)[0]
    assert consult.channel == "mail" and consult.portal_id.startswith("mail:")
    assert consult.status is ConsultStatus.INBOX and consult.portal_status == "in-progress"
    assert consult.subject == "vraag 0" and consult.unread and consult.sort_rank == 2
    assert consult.data_problems is None
    message = store.messages(consult.id)[0]
    assert message.text == "Hallo dokter, ik heb een vraag."
    assert message.author_portal_id == "p-1" and not message.advised
    assert message.mail_message_id and message.mail_message_id.startswith("<")
    item = store.items()[0]
    assert item.state is MailState.IMPORTED and item.econsult_id == consult.id
    assert store.blobs.has(item.raw_sha256)  # the raw mail is kept


def test_a_stopped_pull_resumes_without_loss_or_duplicates(store, mail_account):
    for number in range(5):
        mail_account.deliver(practice_mail(mail_account, f"vraag {number}"))
    calls = iter(range(100))
    stopped = service(store, mail_account, client_options={"batch_count": 2}).run(
        should_stop=lambda: next(calls) >= 2)
    assert stopped.incomplete == ["stopped"] and stopped.imported == 2
    with Session(store.engine) as session:
        cursor = parse_cursor(session.scalar(select(SyncCursor.last_updated)))
    assert cursor.last_uid == 2
    mail_account.deliver(practice_mail(mail_account, "erbij gekomen"))
    resumed = service(store, mail_account).run()
    assert resumed.ok and resumed.imported == 4 and resumed.duplicates == 0
    assert store.count(Message) == 6
    assert sorted(c.subject for c in store.consults()) == [
        "erbij gekomen", "vraag 0", "vraag 1", "vraag 2", "vraag 3", "vraag 4"]


def test_the_server_gone_mid_pull_ends_it_and_the_next_pull_goes_on(store, mail_account):
    for number in range(5):
        mail_account.deliver(practice_mail(mail_account, f"vraag {number}"))
    relay = RecordingRelay(mail_account.server.port)
    calls = iter(range(100))

    def cut_after_two() -> bool:
        if next(calls) == 2:
            relay.stop()  # the server goes away; the next batch cannot be fetched
        return False

    try:
        settings = replace(mail_account.settings, imap_port=relay.port, timeout_s=3)
        cut = service(store, mail_account, settings=settings,
                      client_options={"batch_count": 2}).run(should_stop=cut_after_two)
    finally:
        relay.stop()
    assert cut.incomplete == ["unreachable"] and cut.errors == ["unreachable"]
    assert cut.imported == 2 and not cut.ok
    rest = service(store, mail_account).run()
    assert rest.ok and rest.imported == 3 and rest.duplicates == 0
    assert store.count(EConsult) == 5


def test_the_mail_server_down_is_a_result_not_an_exception(store, mail_account):
    settings = replace(mail_account.settings, imap_port=free_port(), timeout_s=2)
    result = service(store, mail_account, settings=settings).run()
    assert result.errors == ["unreachable"] and result.incomplete == ["connect"]
    assert not result.ok and result.fetched == 0
    wrong = MailSyncService(mail_account.settings, store.engine, store.blobs, clock=lambda: NOW,
                            password="not-the-password").run()
    assert wrong.errors == ["credentials"] and wrong.incomplete == ["connect"]


def test_a_changed_uidvalidity_reads_the_folder_again_without_duplicates(store, mail_account):
    first_raw = practice_mail(mail_account, "eerste")
    mail_account.deliver(first_raw, folder="Econsults")
    settings = replace(mail_account.settings, folder="Econsults")
    first = service(store, mail_account, settings=settings).run()
    assert first.imported == 1
    with MailboxClient.connect(settings, mail_account.password) as client:
        client.imap.select("INBOX")
        assert client.imap.delete(encode_mailbox("Econsults"))[0] == "OK"
        assert client.imap.create(encode_mailbox("Econsults"))[0] == "OK"
        client.imap.append(encode_mailbox("Econsults"), None, None, first_raw)
        client.imap.append(encode_mailbox("Econsults"), None, None,
                           practice_mail(mail_account, "tweede"))
    again = service(store, mail_account, settings=settings).run()
    assert again.ok and "uidvalidity_changed" in again.notes
    assert (again.fetched, again.duplicates, again.imported) == (2, 1, 1)
    assert sorted(c.subject for c in store.consults()) == ["eerste", "tweede"]
    assert service(store, mail_account, settings=settings).run().fetched == 0


def test_moved_to_the_processed_folder_after_it_is_stored(store, mail_account):
    settings = replace(mail_account.settings, processed_folder="Verwerkt")
    for number in range(2):
        mail_account.deliver(practice_mail(mail_account, f"vraag {number}"))
    result = service(store, mail_account, settings=settings).run()
    assert result.ok and result.moved == 2 and result.imported == 2
    assert mail_account.messages() == [] and len(mail_account.messages("Verwerkt")) == 2
    assert service(store, mail_account, settings=settings).run().fetched == 0


# -- what a mail holds ----------------------------------------------------------------------------
def _html_only(account) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = ANNA, account.account, "Uitslag"
    message["Date"] = format_datetime(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    message["Message-ID"] = make_msgid(domain="example.nl")
    message.set_content("<html><body><p>Beste dokter,</p><script>alert(1)</script>"
                        "<p>Wat is de <b>uitslag</b>?</p></body></html>", subtype="html")
    return message.as_bytes()


def test_an_html_only_mail_is_stored_as_plain_text(store, mail_account):
    mail_account.deliver(_html_only(mail_account))
    assert service(store, mail_account).run().imported == 1
    consult = store.consults()[0]
    text = store.messages(consult.id)[0].text
    assert "Beste dokter," in text and "uitslag" in text
    assert "<" not in text and "alert" not in text
    assert "mail_html_only" in consult.data_problems


def _bomb(account, attachments: int) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = ANNA, account.account, "Foto's"
    message["Date"] = format_datetime(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    message["Message-ID"] = make_msgid(domain="example.nl")
    message.set_content("Zie de foto's van mijn arm.")
    for number in range(attachments):
        message.add_attachment(b"\xff\xd8\xff\xe0" + bytes([number]) * 100, maintype="image",
                               subtype="jpeg", filename=f"arm-{number}.jpg")
    return message.as_bytes()


def test_an_attachment_bomb_is_refused_part_by_part_and_the_text_kept(store, mail_account):
    mail_account.deliver(_bomb(mail_account, 30))
    result = service(store, mail_account).run()
    assert result.imported == 1 and result.refused_parts == 10 and result.attachments == 20
    consult = store.consults()[0]
    assert {"attachment_refused", "mail_part_too_many_attachments"} <= set(consult.data_problems)
    assert consult.photo_count == 20
    message = store.messages(consult.id)[0]
    assert message.text == "Zie de foto's van mijn arm."
    with Session(store.engine) as session:
        rows = session.scalars(select(Attachment).where(Attachment.message_id == message.id)
                               .order_by(Attachment.position)).all()
        assert [r.position for r in rows] == list(range(20))
        assert rows[0].title == "arm-0.jpg" and rows[0].content_type == "image/jpeg"
        assert all(store.blobs.has(r.sha256) and r.stored_at is not None for r in rows)


def test_fifty_recipients_imported_once_with_a_warning(store, mail_account):
    others = ", ".join(f"buur{n}@example.nl" for n in range(49))
    raw = practice_mail(mail_account, "Rondschrijven", Cc=others)
    mail_account.deliver(raw)
    mail_account.deliver(raw)  # the same mail twice in the folder (To and Cc to the practice)
    result = service(store, mail_account).run()
    assert (result.fetched, result.imported, result.duplicates) == (2, 1, 1)
    consult = store.consults()[0]
    assert "other_recipients" in consult.data_problems
    assert store.items()[0].other_recipients == 49


def test_a_mail_that_cannot_be_read_waits_and_the_pull_goes_on(store, mail_account):
    mail_account.deliver(practice_mail(mail_account, "eerste"))
    mail_account.deliver(practice_mail(mail_account, "te groot", "x" * 20_000))
    mail_account.deliver(practice_mail(mail_account, "nog groter", "y" * 60_000))
    mail_account.deliver(practice_mail(mail_account, "laatste"))
    result = service(store, mail_account, limits=MessageLimits(max_message_bytes=10_000),
                     client_options={"max_message_bytes": 50_000}).run()
    assert result.ok and result.imported == 2 and result.unreadable == 2
    unreadable = [i for i in store.items() if i.state is MailState.UNREADABLE]
    parsed_away, not_downloaded = unreadable
    assert parsed_away.problems == ["too_large"] and store.blobs.has(parsed_away.raw_sha256)
    assert parsed_away.from_address == ANNA and parsed_away.subject == "te groot"
    assert not_downloaded.problems == ["too_large"] and not_downloaded.raw_sha256 == ""
    assert [w.id for w in mail_senders.list_waiting(store.engine)] == [
        not_downloaded.id, parsed_away.id]
    assert sorted(c.subject for c in store.consults()) == ["eerste", "laatste"]
    assert service(store, mail_account, limits=MessageLimits(max_message_bytes=10_000),
                   client_options={"max_message_bytes": 50_000}).run().fetched == 0


def test_no_date_and_a_date_in_the_future_use_the_time_of_the_pull(store, mail_account):
    undated = practice_mail(mail_account, "zonder datum")
    undated = undated.replace(b"Date: ", b"X-Old-Date: ", 1)
    mail_account.deliver(undated)
    future = practice_mail(mail_account, "toekomst").replace(
        b"Date: Mon, 02 Mar 2026", b"Date: Mon, 02 Mar 2027", 1)
    mail_account.deliver(future)
    assert service(store, mail_account).run().imported == 2
    by_subject = {c.subject: c for c in store.consults()}
    assert "sent_missing" in by_subject["zonder datum"].data_problems
    assert "future_dated" in by_subject["toekomst"].data_problems
    for consult in by_subject.values():
        assert consult.received_at.replace(tzinfo=UTC) == NOW


# -- threading and who wrote ----------------------------------------------------------------------
def test_a_reply_is_threaded_by_in_reply_to_and_reopens_the_thread(store, mail_account):
    question = practice_mail(mail_account, "Pijn in mijn knie")
    mail_account.deliver(question)
    assert service(store, mail_account).run().econsults_created == 1
    consult = store.consults()[0]
    with Session(store.engine) as session, session.begin():
        row = session.get(EConsult, consult.id)
        row.status, row.answered_at, row.waiting_since = ConsultStatus.CLOSED, NOW, None
        row.closed_at, row.sort_rank = NOW, 3
    version = store.consults()[0].version
    # Dated 09:30, before our answer at 10:00 (a crossing mail or a wrong clock): new to us
    # all the same, so it reopens the thread as of when it came in.
    reply = practice_mail(mail_account, "Antw: Pijn in mijn knie", "Het is niet beter.",
                          In_Reply_To=message_id_of(question))
    later = NOW + timedelta(hours=2)
    mail_account.deliver(reply)
    result = service(store, mail_account, clock=lambda: later).run()
    assert (result.imported, result.threaded, result.econsults_created) == (1, 1, 0)
    (after,) = store.consults()
    assert after.status is ConsultStatus.INBOX and after.version == version + 1
    assert after.change_kind == "patient_wrote" and after.unread
    assert after.waiting_since.replace(tzinfo=UTC) == later and after.sort_rank == 2
    assert after.last_patient_message_at.replace(tzinfo=UTC) == later
    first, second = store.messages(after.id)
    assert second.in_response_to == first.portal_id and second.text == "Het is niet beter."


def test_a_forged_reply_from_another_address_is_not_threaded(store, mail_account):
    question = practice_mail(mail_account, "Pijn in mijn knie")
    mail_account.deliver(question)
    service(store, mail_account).run()
    (anna_consult,) = store.consults()
    # Bob's trusted address answering Anna's thread, and a stranger doing the same.
    for sender in (BOB, STRANGER):
        mail_account.deliver(practice_mail(mail_account, "Re: Pijn in mijn knie", "nep",
                                           sender=sender, In_Reply_To=message_id_of(question)))
    result = service(store, mail_account).run()
    assert result.imported == 0 and result.unknown_sender == 2
    assert len(store.messages(anna_consult.id)) == 1
    assert len(store.consults()) == 1
    waiting = store.items()[1:]
    assert all(i.state is MailState.UNKNOWN_SENDER for i in waiting)
    assert all("reply_from_untrusted_address" in i.problems for i in waiting)


def test_subject_threading_only_within_the_patients_open_mail_econsults(store, mail_account):
    mail_account.deliver(practice_mail(mail_account, "Vraag over de pil"))
    mail_account.deliver(practice_mail(mail_account, "Vraag over de pil", sender=BOB))
    mail_account.deliver(practice_mail(mail_account, "Herhaalrecept"))
    service(store, mail_account).run()
    anna_pill, anna_recipe = store.consults(store.anna)
    (bob_pill,) = store.consults(store.bob)
    with Session(store.engine) as session, session.begin():
        session.get(EConsult, anna_recipe.id).status = ConsultStatus.CLOSED
    mail_account.deliver(practice_mail(mail_account, "RE: re:  vraag over de PIL", "En nog iets."))
    mail_account.deliver(practice_mail(mail_account, "Re: Herhaalrecept", "Gesloten draad."))
    mail_account.deliver(practice_mail(mail_account, "Vraag over de pil", "Geen Re:."))
    result = service(store, mail_account).run()
    assert (result.threaded, result.econsults_created) == (1, 2)
    assert [m.text for m in store.messages(anna_pill.id)] == [
        "Hallo dokter, ik heb een vraag.", "En nog iets."]
    assert len(store.messages(bob_pill.id)) == 1
    assert len(store.messages(anna_recipe.id)) == 1
    assert len(store.consults(store.anna)) == 4


def test_unknown_sender_and_a_shared_address_wait_for_a_person(store, mail_account):
    mail_account.deliver(practice_mail(mail_account, "Wie ben ik", sender=STRANGER))
    mail_account.deliver(practice_mail(mail_account, "Voor wie", sender=FAMILY))
    result = service(store, mail_account).run()
    assert result.ok and (result.unknown_sender, result.ambiguous, result.imported) == (1, 1, 0)
    assert store.count(EConsult) == 0
    waiting = mail_senders.list_waiting(store.engine, store.blobs)
    # Newest first (the same pull time here: the later id first).
    assert [w.state for w in waiting] == [MailState.AMBIGUOUS, MailState.UNKNOWN_SENDER]
    by_state = {w.state: w for w in waiting}
    unknown = by_state[MailState.UNKNOWN_SENDER]
    assert unknown.from_address == STRANGER and unknown.subject == "Wie ben ik"
    assert unknown.text == "Hallo dokter, ik heb een vraag." and unknown.attachment_count == 0
    shared = by_state[MailState.AMBIGUOUS]
    assert [c.name for c in shared.candidates] == ["Carla Bakker", "Dirk Bakker"]
    assert shared.candidates[0].bsn_masked.endswith("144")
    assert mail_senders.count_waiting(store.engine) == 2
