"""Urgency advice runs beside the pull: every patient message is advised, newest first, the
demo's urgent messages raise it and their negated twins do not."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tests.misbehaving_portal import MisbehavingPortal, communication
from workbench.services.advice import AdviceService
from workbench.services.portal_client import PortalClient
from workbench.services.sync import SyncService
from workbench.store.blobs import BlobStore
from workbench.store.models import Direction, EConsult, Message

NOW = datetime.now(timezone.utc)


def pull(base_url: str, engine, tmp_path, **options):
    return SyncService(PortalClient(base_url), engine, BlobStore(tmp_path / "attachments"),
                       **options).run()


def test_every_patient_message_is_advised_and_the_urgent_ones_raise_advice(
        start_portal, migrated_engine, tmp_path):
    portal = start_portal(seed=5, consults=120, photo_share=0.0)
    result = pull(portal.base_url, migrated_engine, tmp_path)
    assert result.ok, result.errors
    with Session(migrated_engine) as session:
        incoming = session.scalar(select(func.count()).select_from(Message).where(
            Message.direction == Direction.IN))
        assert result.advised == incoming > 0
        assert session.scalar(select(func.count()).select_from(Message).where(
            Message.advised.is_(False))) == 0
        threads = session.scalars(select(EConsult)).all()
        texts = {e.portal_id: e.messages[0].text for e in threads}
    advised = {e.portal_id for e in threads if e.urgency_advice}
    urgent_words = ("uitstraalt naar mijn linkerarm", "scheve mond", "niet meer leven",
                    "eind aan te maken", "lippen zien blauwig")
    for portal_id, text in texts.items():
        if any(words in text for words in urgent_words):
            assert portal_id in advised, text[:80]
        if "geen pijn op de borst meer" in text or text.startswith("Vorig jaar heb ik een hart"):
            assert portal_id not in advised, text[:80]
    # Advice brings the thread to the top of the list.
    assert all(e.sort_rank == 0 for e in threads if e.urgency_advice and not e.advice_dismissed)


def test_the_newest_messages_are_advised_first(migrated_engine, tmp_path):
    portal = MisbehavingPortal()
    try:
        for index in range(3):
            portal.add(communication(f"m-{index}", last_updated=NOW - timedelta(hours=3 - index),
                                     text="Ik heb sinds vanochtend hevige pijn op de borst."))
        pull(portal.base_url, migrated_engine, tmp_path)
    finally:
        portal.close()
    with migrated_engine.begin() as connection:  # as if the pull had just stored them
        connection.execute(update(Message).values(advised=False))
        connection.execute(update(EConsult).values(urgency_advice=None))
    assert AdviceService(migrated_engine).advise_pending(limit=1) == 1
    with Session(migrated_engine) as session:
        advised = session.scalars(select(Message.portal_id).where(Message.advised)).all()
    assert advised == ["m-2"]


def test_a_changed_message_is_advised_again(migrated_engine, tmp_path):
    portal = MisbehavingPortal()
    try:
        first = portal.add(communication("q", last_updated=NOW - timedelta(hours=1),
                                         text="Vraagje over mijn herhaalrecept."))
        pull(portal.base_url, migrated_engine, tmp_path)
        first["meta"] = {"versionId": "2", "lastUpdated": (NOW - timedelta(minutes=1))
                         .strftime("%Y-%m-%dT%H:%M:%S.000Z")}
        first["payload"] = [{"contentString": "Sorry, nu ook ineens een scheve mond en mijn "
                                              "arm is slap."}]
        result = pull(portal.base_url, migrated_engine, tmp_path)
    finally:
        portal.close()
    assert result.updated == 1 and result.advised == 1
    with Session(migrated_engine) as session:
        advice = session.scalar(select(EConsult.urgency_advice))
    assert advice and any(entry["category"] == "stroke" for entry in advice)


def test_a_failing_advice_keeps_the_messages_for_the_next_pull(start_portal, migrated_engine,
                                                               tmp_path):
    portal = start_portal(seed=5, consults=80, photo_share=0.0)

    def broken():
        raise OSError("pipeline could not be loaded")
    # The pipeline's resources missing on this workstation, say.
    result = SyncService(PortalClient(portal.base_url), migrated_engine,
                         BlobStore(tmp_path / "a"), advisor_factory=broken).run()
    assert "urgency advice: OSError" in result.errors and not result.ok
    assert result.econsults_created > 0  # the messages themselves are in the inbox
    with migrated_engine.connect() as connection:
        waiting = connection.scalar(select(func.count()).select_from(Message).where(
            Message.advised.is_(False)))
    assert waiting > 0
    again = pull(portal.base_url, migrated_engine, tmp_path)
    assert again.advised == waiting and again.ok
