"""Against a misbehaving portal, every readable e-consult reaches the inbox, nothing unreadable
is hidden, and no pull runs for ever or reports success while something was lost."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.misbehaving_portal import (
    MisbehavingPortal,
    communication,
    inline_attachment,
    patient,
)
from workbench.services.portal_client import PortalClient, RetryPolicy
from workbench.services.sync import SyncService
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    Attachment,
    EConsult,
    Message,
    Patient,
    QuarantinedResource,
    QuarantineState,
    SyncCursor,
)

NOW = datetime.now(timezone.utc)
MB = 1024 * 1024


@pytest.fixture
def portal():
    server = MisbehavingPortal()
    yield server
    server.close()


def pull(portal: MisbehavingPortal, engine, tmp_path, *, page_size=10, max_pages=500,
         max_response_bytes=8 * MB, deadline_s=30.0, attempts=2,
         max_attachment_bytes=5 * MB):
    client = PortalClient(portal.base_url, timeout=(2.0, 5.0),
                          retry=RetryPolicy(attempts=attempts, backoff_s=0.01,
                                            max_retry_after_s=0.1),
                          max_response_bytes=max_response_bytes, deadline_s=deadline_s)
    return SyncService(client, engine, BlobStore(tmp_path / "attachments"), page_size=page_size,
                       max_pages=max_pages, max_attachment_bytes=max_attachment_bytes,
                       workers=2).run()


def inbox(engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.scalars(select(Message.portal_id)))


def open_quarantine(engine) -> dict[str, QuarantinedResource]:
    with Session(engine) as session:
        return {q.portal_id: q for q in session.scalars(select(QuarantinedResource).where(
            QuarantinedResource.state == QuarantineState.OPEN))}


def ago(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


def test_a_future_dated_record_is_stored_and_never_blinds_the_pull(portal, migrated_engine,
                                                                   tmp_path):
    portal.add(communication("first", last_updated=ago(60)))
    portal.add(communication("skewed", last_updated=datetime(2099, 1, 1, tzinfo=timezone.utc)))
    result = pull(portal, migrated_engine, tmp_path)
    assert inbox(migrated_engine) == {"first", "skewed"}
    assert result.future_dated == 1
    with migrated_engine.connect() as connection:
        cursor = connection.scalar(select(SyncCursor.last_updated))
        flagged = connection.scalar(select(EConsult.data_problems).where(
            EConsult.portal_id == "skewed"))
    assert not cursor.startswith("2099")
    assert "future_dated" in flagged

    # Later e-consults still come in, also one committed late with an earlier lastUpdated.
    portal.add(communication("later", last_updated=ago(1)))
    portal.add(communication("late-commit", last_updated=ago(62)))
    second = pull(portal, migrated_engine, tmp_path)
    assert {"later", "late-commit"} <= inbox(migrated_engine)
    assert second.created == 2


def test_a_patient_answering_404_for_a_while_comes_in_when_readable(portal, migrated_engine,
                                                                    tmp_path):
    portal.patients["p2"] = patient("p2", bsn="999990020")
    portal.add(communication("good", last_updated=ago(30)))
    portal.add(communication("lagging", patient_id="p2", last_updated=ago(20),
                             text="Pijn op de borst sinds vanochtend."))
    portal.patient_404["p2"] = 1000  # replica lag: every read answers 404 for now
    first = pull(portal, migrated_engine, tmp_path)
    assert inbox(migrated_engine) == {"good"}
    assert first.quarantined == 1 and first.quarantined_open == 1 and not first.ok
    waiting = open_quarantine(migrated_engine)["lagging"]
    assert waiting.transient and "Patient/p2" in waiting.reason

    second = pull(portal, migrated_engine, tmp_path)  # still lagging: tried again, still shown
    assert open_quarantine(migrated_engine)["lagging"].attempts >= 2 and not second.ok

    portal.patient_404.clear()
    third = pull(portal, migrated_engine, tmp_path)
    assert "lagging" in inbox(migrated_engine)
    assert third.resolved >= 1 and third.quarantined_open == 0 and third.ok
    assert open_quarantine(migrated_engine) == {}


def test_a_photo_failing_for_many_pulls_is_fetched_once_the_portal_recovers(
        portal, migrated_engine, tmp_path):
    photo = portal.add_photo("b1")
    portal.add(communication("with-photo", last_updated=ago(10),
                             payload=[{"contentString": "Zie foto"}, photo]))
    portal.binary_503["b1"] = 10_000  # a long outage of the file store
    for number in range(1, 7):
        result = pull(portal, migrated_engine, tmp_path, attempts=1)
        assert not result.ok and result.errors
        shown = open_quarantine(migrated_engine)
        assert ("b1" in shown) == (number >= 5)  # listed once it keeps failing
    assert "with-photo" in inbox(migrated_engine)  # the message itself was never held back

    portal.binary_503.clear()
    result = pull(portal, migrated_engine, tmp_path)
    assert result.attachments == 1 and result.ok, result
    with migrated_engine.connect() as connection:
        stored = connection.execute(select(Attachment.sha256, Attachment.error)).one()
    assert stored.sha256 and stored.error is None
    assert open_quarantine(migrated_engine) == {}


def test_malformed_records_never_stop_a_pull(portal, migrated_engine, tmp_path):
    """Each bad record sits between good ones; the good ones all arrive and the pull ends."""
    portal.patients["p-given"] = patient("p-given", name=[{"family": "Bakker", "given": 5}])
    portal.patients["p-ident"] = patient("p-ident", identifier=3)
    portal.patients["p-family"] = patient("p-family", name=[{"family": ["van", "Dijk"]}])
    portal.patients["p-nul"] = patient("p-nul", name=[{"text": "Jan\x00 de Vries" + "e" * 300}])
    portal.patients["p-liar"] = patient("p-someone-else")  # reads answer another patient
    portal.binaries["b-typed"] = {"resourceType": "Binary", "contentType": "image/png",
                                  "data": 123}
    bad = [
        communication("bad-category", last_updated=ago(100), category=5),
        communication("reply-object", last_updated=ago(99),
                      inResponseTo={"reference": "Communication/good-0"}),
        communication("given-5", patient_id="p-given", last_updated=ago(98)),
        communication("identifier-3", patient_id="p-ident", last_updated=ago(97), identifier=3),
        communication("read-liar", patient_id="p-liar", last_updated=ago(96)),
        communication("deep", last_updated=ago(95), extension="__DEEP__"),
        communication("year-9999", last_updated=ago(94)),
        communication("binary-123", last_updated=ago(93), payload=[
            {"contentString": "foto"},
            {"contentAttachment": {"contentType": "image/png",
                                   "url": f"{portal.base_url}/Binary/b-typed"}}]),
        communication("dup-1", last_updated=ago(92)),
        communication("dup-1", last_updated=ago(92),
                      inResponseTo=[{"reference": "Communication/good-0"}]),
        communication("family-list", patient_id="p-family", last_updated=ago(91)),
        communication("nul-text", patient_id="p-nul", last_updated=ago(90),
                      text="Hallo\x00 dokter", topic="Lang " + "onderwerp " * 60,
                      meta={"versionId": "v" * 100, "lastUpdated": _ts(ago(90))}),
        communication("self-reply", last_updated=ago(89),
                      inResponseTo=[{"reference": "Communication/self-reply"}]),
    ]
    bad[6]["meta"]["lastUpdated"] = "9999-12-31T23:59:59.999-14:00"
    good = []
    for index, resource in enumerate(bad):
        good_one = communication(f"good-{index}", last_updated=ago(100.5 - index))
        good.append(good_one["id"])
        portal.add(good_one)
        if resource["id"] == "dup-1" and "dup-1" in portal.communications:
            portal.communications["dup-1b"] = resource  # the same id twice in one page
        else:
            portal.add(resource)

    result = pull(portal, migrated_engine, tmp_path, page_size=6)
    stored = inbox(migrated_engine)
    assert set(good) <= stored, set(good) - stored
    # Readable despite the odd values: imported (flagged where needed), not hidden.
    assert {"reply-object", "given-5", "identifier-3", "year-9999", "binary-123", "dup-1",
            "family-list", "nul-text", "self-reply"} <= stored
    shown = open_quarantine(migrated_engine)
    assert "bad-category" in shown and "read-liar" in shown
    assert "position" in shown[""].reason, "the too-deep one is named in Niet verwerkt"
    assert result.pages >= 4 and not result.ok
    with Session(migrated_engine) as session:
        nul = session.scalars(select(EConsult).where(EConsult.portal_id == "nul-text")).one()
        assert "\x00" not in nul.messages[0].text and "Hallo" in nul.messages[0].text
        assert nul.subject.endswith("…") and "subject_shortened" in nul.data_problems
        named = session.scalars(select(Patient).where(Patient.portal_id == "p-nul")).one()
        assert "\x00" not in named.name and len(named.name) <= 200
        cursor = session.scalar(select(SyncCursor.last_updated))
    assert cursor and not cursor.startswith("9999")

    again = pull(portal, migrated_engine, tmp_path, page_size=6)
    assert again.created == 0 and not again.incomplete


def test_a_portal_that_ignores_offset_does_not_loop(portal, migrated_engine, tmp_path):
    for index in range(30):  # one instant for all: only _offset can page through them
        portal.add(communication(f"same-{index:02d}", last_updated=ago(5)))
    portal.next_links = False
    portal.ignore_offset = True
    result = pull(portal, migrated_engine, tmp_path, page_size=10)
    assert result.incomplete == ["loop"]
    assert len(portal.communication_requests()) <= 4
    assert len(inbox(migrated_engine)) == 10  # what it could give is in the inbox


def test_a_next_link_to_itself_does_not_loop(portal, migrated_engine, tmp_path):
    for index in range(5):
        portal.add(communication(f"m-{index}", last_updated=ago(10 - index)))
    portal.self_next_link = True
    result = pull(portal, migrated_engine, tmp_path, page_size=10)
    assert result.incomplete == ["loop"] and not result.ok
    assert len(portal.communication_requests()) <= 3
    assert len(inbox(migrated_engine)) == 5


def test_the_page_cap_ends_a_pull_and_the_next_pull_goes_on(portal, migrated_engine, tmp_path):
    for index in range(45):
        portal.add(communication(f"m-{index:02d}", last_updated=ago(100 - index)))
    first = pull(portal, migrated_engine, tmp_path, page_size=10, max_pages=2)
    assert first.incomplete == ["page_cap"] and not first.ok
    assert len(inbox(migrated_engine)) == 20
    for _ in range(3):
        last = pull(portal, migrated_engine, tmp_path, page_size=10, max_pages=2)
    assert len(inbox(migrated_engine)) == 45 and last.ok


def test_a_page_over_the_byte_cap_is_asked_again_smaller_down_to_one(portal, migrated_engine,
                                                                      tmp_path):
    for index in range(8):
        portal.add(communication(f"m-{index}", last_updated=ago(50 - index)))
    portal.add(communication("huge", last_updated=ago(45.5), text="x" * (3 * MB)))
    result = pull(portal, migrated_engine, tmp_path, page_size=8, max_response_bytes=1 * MB)
    assert inbox(migrated_engine) == {f"m-{index}" for index in range(8)}
    shown = open_quarantine(migrated_engine)
    assert len(shown) == 1 and "could not be read" in next(iter(shown.values())).reason
    assert not result.ok
    counts = [int(path.split("_count=")[1].split("&")[0])
              for path in portal.communication_requests()]
    assert min(counts) == 1 and max(counts) == 8


def test_an_endless_page_is_cut_at_the_byte_cap(portal, migrated_engine, tmp_path):
    portal.page_override = lambda handler, _query: portal.endless_page(handler, 64 * MB) or True
    result = pull(portal, migrated_engine, tmp_path, page_size=4, max_pages=6,
                  max_response_bytes=1 * MB)
    assert "page_cap" in result.incomplete and not result.ok
    requests = len(portal.communication_requests())
    assert requests <= 6
    # Each answer is dropped soon after the cap: far less than the 64 MB it would send.
    assert portal.bytes_sent < requests * 16 * MB


def test_a_gzip_bomb_is_cut_after_decompression(portal, migrated_engine, tmp_path):
    portal.add(communication("after-the-bomb", last_updated=ago(5)))
    bombs = []

    def bomb_once(handler, _query):
        if bombs:
            return False
        bombs.append(1)
        portal.gzip_bomb(handler, 200 * MB)
        return True
    portal.page_override = bomb_once
    result = pull(portal, migrated_engine, tmp_path, max_response_bytes=2 * MB)
    assert bombs and "after-the-bomb" in inbox(migrated_engine)
    assert result.pages >= 2


def test_a_dripping_portal_is_cut_at_the_deadline(portal, migrated_engine, tmp_path):
    portal.page_override = lambda handler, _query: portal.drip(handler, 0.1, 20) or True
    result = pull(portal, migrated_engine, tmp_path, deadline_s=1.0)
    assert result.incomplete == ["deadline"] and not result.ok
    assert len(portal.communication_requests()) == 1
    assert portal.bytes_sent < 1000  # a second's drip and the directory, not 20 seconds'


def test_a_portal_too_slow_for_photos_is_asked_no_longer_than_one_deadline(
        portal, migrated_engine, tmp_path):
    photos = [portal.add_photo(f"b{index}") for index in range(6)]
    portal.add(communication("photos", last_updated=ago(5),
                             payload=[{"contentString": "Zes foto's"}, *photos]))
    portal.binary_drip = True
    result = pull(portal, migrated_engine, tmp_path, deadline_s=1.0)
    assert "photos" in inbox(migrated_engine)
    assert result.incomplete == ["deadline"] and not result.ok
    binary_reads = [path for path in portal.requests if path.startswith("/fhir/Binary/")]
    assert len(binary_reads) <= 2  # the two workers' first reads; nothing after the deadline
    with migrated_engine.connect() as connection:
        pending = connection.scalars(select(Attachment.stored_at)).all()
    assert pending == [None] * 6  # all still to fetch on the next pull


def test_an_inline_attachment_over_the_limit_is_refused_alone(portal, migrated_engine,
                                                              tmp_path):
    portal.add(communication("big-inline", last_updated=ago(5), payload=[
        {"contentString": "Hierbij de scan"}, inline_attachment(b"\x89PNG" + b"0" * 300_000)]))
    result = pull(portal, migrated_engine, tmp_path, max_attachment_bytes=100_000)
    assert "big-inline" in inbox(migrated_engine)
    with migrated_engine.connect() as connection:
        refused = connection.execute(select(Attachment.sha256, Attachment.error)).one()
    assert refused.sha256 is None and "larger than 100000 bytes" in refused.error
    assert any("big-inline" in error for error in result.errors)


def test_a_bad_bsn_or_a_partial_birth_date_never_hides_the_patient(portal, migrated_engine,
                                                                   tmp_path):
    portal.patients["p-bsn"] = patient("p-bsn", bsn="123456789", birth="1975")
    portal.patients["p-odd"] = patient("p-odd", birth="ergens in de zomer van 1975")
    portal.add(communication("flagged", patient_id="p-bsn", last_updated=ago(5)))
    portal.add(communication("odd-birth", patient_id="p-odd", last_updated=ago(4)))
    result = pull(portal, migrated_engine, tmp_path)
    assert result.ok and {"flagged", "odd-birth"} <= inbox(migrated_engine)
    with Session(migrated_engine) as session:
        flagged = session.scalars(select(Patient).where(Patient.portal_id == "p-bsn")).one()
    assert {"bsn_invalid", "birth_date_partial"} <= set(flagged.data_problems)
    assert flagged.birth_date is None and flagged.birth_date_text == "1975"


def test_staff_outside_the_portal_directory_do_not_hold_back_a_thread(portal, migrated_engine,
                                                                      tmp_path):
    portal.add(communication("question", last_updated=ago(30)))
    answer = communication("answer", last_updated=ago(20),
                           inResponseTo=[{"reference": "Communication/question"}])
    answer.update(status="completed", sender={"reference": "Practitioner/locum-7"},
                  recipient=[{"reference": "Patient/p1"}])
    portal.add(answer)
    result = pull(portal, migrated_engine, tmp_path)
    assert result.ok, result
    assert inbox(migrated_engine) == {"question", "answer"}


def _ts(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def test_a_page_that_fails_as_a_batch_is_stored_one_by_one(portal, migrated_engine, tmp_path):
    """A row the database refuses (here a trigger stands in for any constraint) fails the
    page's batch; each resource is then stored on its own, the refused one is quarantined,
    the rest lands and the cursor moves."""
    from sqlalchemy import text
    with migrated_engine.begin() as connection:
        if migrated_engine.dialect.name == "sqlite":
            connection.execute(text(
                "CREATE TRIGGER refuse_poison BEFORE INSERT ON message "
                "WHEN NEW.portal_id = 'poison' BEGIN SELECT RAISE(ABORT, 'refused'); END"))
        else:
            connection.execute(text(
                "CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN "
                "IF NEW.portal_id = 'poison' THEN RAISE EXCEPTION 'refused'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"))
            connection.execute(text(
                "CREATE TRIGGER refuse_poison BEFORE INSERT ON message "
                "FOR EACH ROW EXECUTE FUNCTION refuse_poison()"))
    for name, minutes in (("before", 30), ("poison", 29), ("after", 28)):
        portal.add(communication(name, last_updated=ago(minutes)))
    result = pull(portal, migrated_engine, tmp_path)
    assert inbox(migrated_engine) == {"before", "after"}
    shown = open_quarantine(migrated_engine)
    assert list(shown) == ["poison"] and "could not be stored" in shown["poison"].reason
    assert result.created == 2 and result.quarantined == 1 and not result.ok
    with migrated_engine.connect() as connection:
        cursor = connection.scalar(select(SyncCursor.last_updated))
    assert cursor == portal.communications["after"]["meta"]["lastUpdated"]
    again = pull(portal, migrated_engine, tmp_path)
    assert again.created == 0 and again.quarantined_open == 1
    assert open_quarantine(migrated_engine)["poison"].attempts >= 2
