"""The store on a real SQLite file and on real PostgreSQL: migrations, constraints, search."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    AuthorKind,
    ConsultStatus,
    Direction,
    EConsult,
    Message,
    Patient,
)
from workbench.store.search import search_econsult_ids

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def add_consult(session: Session, portal_id: str, texts: list[str], minutes: int = 0) -> int:
    patient = session.query(Patient).filter_by(portal_id="pat-1").one_or_none()
    if patient is None:
        patient = Patient(portal_id="pat-1", name="Anna de Vries", bsn="111222333",
                          birth_date=date(1980, 5, 1))
        session.add(patient)
    sent = T0 + timedelta(minutes=minutes)
    consult = EConsult(portal_id=portal_id, patient=patient, subject="Vraag",
                       portal_status="in-progress", received_at=sent,
                       last_patient_message_at=sent, portal_version="1")
    session.add(consult)
    for n, body in enumerate(texts):
        session.add(Message(econsult=consult, portal_id=f"{portal_id}-{n}", portal_version="1",
                            direction=Direction.IN, author_kind=AuthorKind.PATIENT,
                            author_portal_id="pat-1", text=body, sent_at=sent))
    session.commit()
    return consult.id


def test_migrations_create_every_table_and_report_up_to_date(store_url):
    engine = database.make_engine(store_url)
    assert not database.is_up_to_date(engine)
    database.upgrade(engine)
    assert database.is_up_to_date(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"practice", "practitioner", "patient", "related_person", "econsult", "message",
            "attachment", "quarantined_resource", "sync_cursor"} <= tables
    engine.dispose()


def test_migrations_go_down_and_up_again(store_url):
    engine = database.make_engine(store_url)
    database.upgrade(engine)
    from alembic import command
    command.downgrade(database._alembic_config(engine), "base")
    assert "econsult" not in inspect(engine).get_table_names()
    database.upgrade(engine)
    assert database.is_up_to_date(engine)
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys_enforced(sqlite_url):
    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with Session(engine) as session:
        session.add(Message(econsult_id=999, portal_id="x", portal_version="1",
                            direction=Direction.IN, author_kind=AuthorKind.PATIENT,
                            author_portal_id="p", text="", sent_at=T0))
        with pytest.raises(IntegrityError):
            session.commit()
    engine.dispose()


def test_status_enum_is_stored_as_its_dutch_value(migrated_engine):
    with Session(migrated_engine) as session:
        consult_id = add_consult(session, "ec-1", ["Hallo"])
        session.get(EConsult, consult_id).status = ConsultStatus.WAITING
        session.commit()
    with migrated_engine.connect() as connection:
        assert connection.execute(text("SELECT status FROM econsult")).scalar() == "waiting"


def test_full_text_search_finds_words_prefixes_and_all_terms(migrated_engine):
    with Session(migrated_engine) as session:
        fever = add_consult(session, "ec-1", ["Mijn dochter heeft al drie dagen koorts."], 1)
        rash = add_consult(session, "ec-2", ["Ik heb uitslag op mijn arm, zie foto."], 2)
        both = add_consult(session, "ec-3", ["Koorts en uitslag bij mijn zoon", "Nog steeds"], 3)
        assert set(search_econsult_ids(session, "koorts")) == {fever, both}
        assert set(search_econsult_ids(session, "KOORTS")) == {fever, both}
        assert set(search_econsult_ids(session, "uitsl")) == {rash, both}  # as you type
        assert search_econsult_ids(session, "koorts uitslag") == [both]
        assert search_econsult_ids(session, "verzekering") == []
        assert search_econsult_ids(session, "") == []
        # Newest patient message first; a stop word beside a real word does not hide a match.
        assert search_econsult_ids(session, "koorts") == [both, fever]
        assert search_econsult_ids(session, "mijn koorts") == [both, fever]


def test_search_treats_typed_operators_as_plain_words(migrated_engine):
    with Session(migrated_engine) as session:
        consult = add_consult(session, "ec-1", ['Vraag over "recept" OR iets (NOT) anders*'])
        assert search_econsult_ids(session, '"recept" OR') == [consult]
        assert search_econsult_ids(session, "NOT*)") == [consult]
        assert search_econsult_ids(session, "-:^") == []


def test_search_follows_a_changed_message_text(migrated_engine):
    with Session(migrated_engine) as session:
        consult = add_consult(session, "ec-1", ["Ik wil een herhaalrecept"])
        message = session.query(Message).one()
        message.text = "Graag een verwijzing naar de fysiotherapeut"
        session.commit()
        assert search_econsult_ids(session, "herhaalrecept") == []
        assert search_econsult_ids(session, "verwijzing") == [consult]


def test_sqlite_search_ignores_accents(sqlite_url):
    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    with Session(engine) as session:
        consult = add_consult(session, "ec-1", ["Ik heb een vraag over mijn crème voor eczeem"])
        assert search_econsult_ids(session, "creme") == [consult]
    engine.dispose()


def test_blob_store_is_content_addressed_and_idempotent(tmp_path):
    blobs = BlobStore(tmp_path / "blobs")
    data = b"\xff\xd8\xff photo bytes"
    digest = blobs.put(data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert blobs.read(digest) == data
    assert blobs.put(data) == digest
    assert [p.name for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == [digest]


def test_the_head_revision_constant_matches_the_migrations():
    assert database.head_revision() == database.alembic_head_revision()


def test_upgrading_a_store_with_data_keeps_messages_and_search(sqlite_url):
    engine = database.make_engine(sqlite_url)
    database.upgrade(engine, "0002")
    with engine.begin() as connection:  # rows as the 0002 schema has them (the ORM is newer)
        connection.execute(text("INSERT INTO patient (portal_id, name) VALUES ('p1', 'A')"))
        connection.execute(text(
            "INSERT INTO econsult (portal_id, patient_id, subject, status, portal_status, urgency,"
            " received_at, last_patient_message_at, photo_count, portal_version, unread,"
            " advice_dismissed, sort_rank, invite_to_surgery) VALUES ('ec-1', 1, 'x', 'inbox',"
            " 'in-progress', 'normaal', '2026-11-20', '2026-11-20', 0, '1', 1, 0, 1, 0)"))
        connection.execute(text(
            "INSERT INTO message (econsult_id, portal_id, portal_version, direction, author_kind,"
            " author_portal_id, text, sent_at) VALUES (1, 'm-1', '1', 'in', 'patient', 'p1',"
            " 'Mijn dochter heeft koorts', '2026-11-20')"))
        consult = 1
    database.upgrade(engine)
    assert database.is_up_to_date(engine)
    with Session(engine) as session:
        add_consult(session, "ec-2", ["Ik heb hoofdpijn"], minutes=5)
        assert search_econsult_ids(session, "koorts") == [consult]
        assert len(search_econsult_ids(session, "hoofdpijn")) == 1
    engine.dispose()


def test_messages_inserted_together_are_indexed_once_the_block_ends(migrated_engine):
    from workbench.services.sync_rows import insert_rows
    from workbench.store.search import messages_indexed_together

    with Session(migrated_engine) as session:
        consult = add_consult(session, "ec-1", ["Eerste vraag over een wratje"])
    rows = [{"econsult_id": consult, "portal_id": f"m-{n}", "portal_version": "1",
             "direction": Direction.IN, "author_kind": AuthorKind.PATIENT,
             "author_portal_id": "pat-1", "text": text, "sent_at": T0}
            for n, text in enumerate(["Mijn knie is dik na het sporten",
                                      "Graag een herhaalrecept voor de pil"])]
    with migrated_engine.begin() as connection, messages_indexed_together(connection):
        insert_rows(connection, Message.__table__, rows)
    with Session(migrated_engine) as session:
        assert search_econsult_ids(session, "knie") == [consult]
        assert search_econsult_ids(session, "herhaalrec") == [consult]
        # Outside the block the trigger indexes each row as before.
        session.add(Message(econsult_id=consult, portal_id="m-late", portal_version="1",
                            direction=Direction.IN, author_kind=AuthorKind.PATIENT,
                            author_portal_id="pat-1", text="Nog een vraag over duizeligheid",
                            sent_at=T0))
        session.commit()
        assert search_econsult_ids(session, "duizeligheid") == [consult]
    _assert_sqlite_index_matches_messages(migrated_engine)


def test_a_failed_block_leaves_the_trigger_on_and_what_it_inserted_indexed(sqlite_url):
    from workbench.services.sync_rows import insert_rows
    from workbench.store.search import messages_indexed_together

    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    with Session(engine) as session:
        consult = add_consult(session, "ec-1", ["Vraag"])
    row = {"econsult_id": consult, "portal_id": "m-1", "portal_version": "1",
           "direction": Direction.IN, "author_kind": AuthorKind.PATIENT,
           "author_portal_id": "pat-1", "text": "Oorpijn sinds gisteren", "sent_at": T0}
    with engine.begin() as connection:
        with pytest.raises(RuntimeError), messages_indexed_together(connection):
            insert_rows(connection, Message.__table__, [row])
            raise RuntimeError("the writer failed after its insert")
        # A caller that commits anyway commits an index that is whole.
    with Session(engine) as session:
        assert search_econsult_ids(session, "oorpijn") == [consult]
        session.add(Message(econsult_id=consult, portal_id="m-2", portal_version="1",
                            direction=Direction.IN, author_kind=AuthorKind.PATIENT,
                            author_portal_id="pat-1", text="Ook keelpijn", sent_at=T0))
        session.commit()
        assert search_econsult_ids(session, "keelpijn") == [consult]
    _assert_sqlite_index_matches_messages(engine)
    engine.dispose()


def _assert_sqlite_index_matches_messages(engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO message_fts (message_fts, rank) VALUES ('integrity-check', 1)")
        assert connection.exec_driver_sql("SELECT count(*) FROM message_fts_batch").scalar() == 0
        assert connection.exec_driver_sql("SELECT count(*) FROM message_fts_docsize").scalar() \
            == connection.exec_driver_sql("SELECT count(*) FROM message").scalar()
