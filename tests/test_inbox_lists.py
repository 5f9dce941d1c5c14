"""Lists and search on a real store (SQLite and PostgreSQL): the order does not change by
reading, unread per person, overdue counts per list, search over every list, sorting by
family name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from workbench.services.inbox import (
    InboxQueries,
    ListView,
    WaitState,
    compute_sort_rank,
    overdue_since,
    waiting_state,
)
from workbench.services.portal_client import PortalClient
from workbench.services.sync import SyncService
from workbench.services.triage import Actor, TriageService
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    AuthorKind,
    ConsultStatus,
    Direction,
    EConsult,
    EConsultRead,
    Message,
    Patient,
    Practitioner,
    Role,
    Urgency,
)
from workbench.store.timeutil import as_utc

# A Wednesday: two working days back is Monday, the same hour.
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
INBOX = ListView(status=ConsultStatus.INBOX)


class Store:
    """A few people, patients and e-consults made by hand."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self._made = 0
        with Session(engine) as session, session.begin():
            session.add_all([
                Practitioner(portal_id="pr-a", name="Eva Smits", role=Role.ASSISTANT),
                Practitioner(portal_id="pr-b", name="Sanne Bos", role=Role.ASSISTANT),
                Practitioner(portal_id="pr-gp", name="Joost Post", role=Role.GP)])
        with Session(engine) as session:
            ids = dict(session.execute(select(Practitioner.portal_id, Practitioner.id)).all())
        self.assistant, self.colleague, self.gp = ids["pr-a"], ids["pr-b"], ids["pr-gp"]

    def consult(self, waiting_since: datetime | None, text: str = "Een vraag",
                name: str = "Anna Jansen", family: str | None = "Jansen",
                status: ConsultStatus = ConsultStatus.INBOX, assignee: int | None = None,
                urgent: bool = False) -> int:
        self._made += 1
        n = self._made
        sent = waiting_since or NOW - timedelta(days=10)
        urgency = Urgency.URGENT if urgent else Urgency.NORMAL
        with Session(self.engine) as session, session.begin():
            patient = Patient(portal_id=f"pat-{n}", name=name, family_name=family)
            consult = EConsult(
                portal_id=f"ec-{n}", patient=patient, subject=f"Vraag {n}", status=status,
                assignee_id=assignee, portal_status="in-progress", received_at=sent,
                last_patient_message_at=sent, portal_version="1", urgency=urgency,
                waiting_since=waiting_since,
                sort_rank=compute_sort_rank(urgency, None, False, waiting_since))
            session.add(Message(econsult=consult, portal_id=f"msg-{n}", portal_version="1",
                                direction=Direction.IN, author_kind=AuthorKind.PATIENT,
                                author_portal_id=f"pat-{n}", text=text, sent_at=sent))
            session.flush()
            return consult.id


@pytest.fixture
def store(migrated_engine) -> Store:
    return Store(migrated_engine)


def _ids(rows) -> list[int]:
    return [row.id for row in rows]


# -- 1. reading does not move an item ---------------------------------------------------------
def test_reading_an_item_keeps_its_place_urgent_then_longest_waiting(store):
    oldest = store.consult(NOW - timedelta(hours=5))
    middle = store.consult(NOW - timedelta(hours=4))
    newest = store.consult(NOW - timedelta(hours=3))
    urgent = store.consult(NOW - timedelta(hours=1), urgent=True)
    queries = InboxQueries(store.engine)
    assert queries.ids(INBOX) == [urgent, oldest, middle, newest]

    triage = TriageService(store.engine, clock=lambda: NOW, workstation="test")
    triage.record_view(oldest, Actor(store.assistant))
    triage.record_view(newest, Actor(store.assistant))

    assert queries.ids(INBOX) == [urgent, oldest, middle, newest]
    rows = queries.page(INBOX, 0, 10, for_user=store.assistant)
    assert _ids(rows) == [urgent, oldest, middle, newest]
    assert [row.unread for row in rows] == [True, False, True, False]  # bold only


# -- 2. unread per person ---------------------------------------------------------------------
def test_unread_is_per_person(store):
    first = store.consult(NOW - timedelta(hours=2))
    second = store.consult(NOW - timedelta(hours=1))
    queries = InboxQueries(store.engine)
    TriageService(store.engine, clock=lambda: NOW).record_view(first, Actor(store.assistant))

    assert queries.unread_count(store.assistant) == 1
    assert queries.unread_count(store.colleague) == 2
    mine = {row.id: row.unread for row in queries.page(INBOX, 0, 10, for_user=store.assistant)}
    theirs = {row.id: row.unread for row in queries.page(INBOX, 0, 10,
                                                           for_user=store.colleague)}
    assert mine == {first: False, second: True}
    assert theirs == {first: True, second: True}
    with Session(store.engine) as session:
        [read] = session.scalars(select(EConsultRead)).all()
        assert (read.econsult_id, read.practitioner_id) == (first, store.assistant)


def test_an_answered_thread_is_not_unread(store):
    answered = store.consult(None, status=ConsultStatus.WAITING)
    queries = InboxQueries(store.engine)
    [row] = queries.page(ListView(status=ConsultStatus.WAITING), 0, 10,
                         for_user=store.colleague)
    assert (row.id, row.unread) == (answered, False)


def test_a_patients_new_reply_makes_it_unread_again(start_portal, sqlite_url, tmp_path):
    portal = start_portal(seed=7, consults=30, photo_share=0.0)
    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)

    def pull():
        SyncService(PortalClient(portal.base_url), engine, BlobStore(tmp_path / "a")).run()

    pull()
    queries = InboxQueries(engine)
    [reader, other] = [p.id for p in queries.practitioners()][:2]
    item = queries.ids(INBOX)[0]
    unread_before = queries.unread_count(reader)
    TriageService(engine).record_view(item, Actor(reader))
    assert queries.unread_count(reader) == unread_before - 1
    assert queries.unread_count(other) == unread_before

    with Session(engine) as session:
        portal_id = session.get(EConsult, item).portal_id
    portal.add_patient_reply(portal_id, "Het is erger geworden.")
    pull()
    assert queries.unread_count(reader) == unread_before
    row = next(r for r in queries.page(INBOX, 0, 500, for_user=reader) if r.id == item)
    assert row.unread
    engine.dispose()


def test_migration_carries_who_read_what_over_from_the_audit_log(store_url):
    engine = database.make_engine(store_url)
    database.upgrade(engine, "0006")
    # The store as revision 0006 had it: written with SQL, as today's models have more columns.
    with engine.begin() as connection:
        def insert(sql: str, **values) -> int:
            connection.execute(text(sql), values)
            return connection.scalar(text("SELECT MAX(id) FROM " + sql.split()[2]))
        reader_id = insert("INSERT INTO practitioner (portal_id, name, role, active) VALUES "
                           "('pr-a', 'Eva Smits', 'assistent', :yes)", yes=True)
        patient_id = insert("INSERT INTO patient (portal_id, name) VALUES ('pat-1', 'Anna')")
        consult = ("INSERT INTO econsult (portal_id, patient_id, subject, status, portal_status, "
                   "urgency, received_at, last_patient_message_at, photo_count, portal_version, "
                   "waiting_since, unread, sort_rank, advice_dismissed, invite_to_surgery) "
                   "VALUES (:portal_id, :patient, 'Vraag', 'inbox', 'in-progress', 'normaal', "
                   ":now, :now, 0, '1', :waiting, :unread, 1, :no, :no)")
        waiting_id = insert(consult, portal_id="ec-1", patient=patient_id, now=NOW,
                            waiting=NOW, unread=False, no=False)
        untouched_id = insert(consult, portal_id="ec-2", patient=patient_id, now=NOW,
                              waiting=None, unread=True, no=False)
        for minutes in (1, 5):
            connection.execute(text(
                "INSERT INTO audit_event (occurred_at, event, econsult_id, patient_id, user_id, "
                "responsible_id, workstation) VALUES (:at, 'view', :econsult, :patient, :user, "
                ":user, 'test')"), {"at": NOW + timedelta(minutes=minutes),
                                    "econsult": waiting_id, "patient": patient_id,
                                    "user": reader_id})
        ids = (reader_id, waiting_id, untouched_id)
    database.upgrade(engine)
    reader_id, waiting_id, untouched_id = ids
    with Session(engine) as session:
        assert [(r.econsult_id, r.practitioner_id, as_utc(r.read_at), as_utc(r.read_up_to))
                for r in session.scalars(select(EConsultRead))] == [
            (waiting_id, reader_id, NOW + timedelta(minutes=5), NOW + timedelta(minutes=5))]
        ranks = dict(session.execute(select(EConsult.id, EConsult.sort_rank)).all())
        assert ranks == {waiting_id: 2, untouched_id: 3}
    assert InboxQueries(engine).unread_count(reader_id) == 0
    with engine.connect() as connection:  # new rows wait unless told otherwise
        connection.execute(text(
            "INSERT INTO econsult (portal_id, patient_id, subject, status, portal_status, "
            "urgency, received_at, last_patient_message_at, photo_count, portal_version) "
            "SELECT 'ec-3', patient_id, 'x', 'inbox', 'in-progress', 'normaal', "
            "received_at, received_at, 0, '1' FROM econsult WHERE portal_id = 'ec-1'"))
        assert connection.scalar(text(
            "SELECT sort_rank FROM econsult WHERE portal_id = 'ec-3'")) == 2
        connection.rollback()
    engine.dispose()


# -- 3. overdue per list ----------------------------------------------------------------------
def test_overdue_since_agrees_with_the_waiting_state():
    sunday_night = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    for now in (NOW, NOW + timedelta(days=3, hours=7), sunday_night):
        for days in (1, 2, 5):
            cutoff = overdue_since(now, days)
            for step in range(0, 12 * 24 * 60, 37):
                since = now - timedelta(minutes=step)
                late = waiting_state(since, now, days) is WaitState.LATE
                assert late == (since <= cutoff), (now, days, since)
    # Monday morning: two working days back reaches into last Thursday.
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert overdue_since(monday, 2) == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_overdue_counts_per_list(store):
    store.consult(NOW - timedelta(days=3))                                  # inbox, late
    store.consult(NOW - timedelta(days=1))                                  # inbox, in time
    store.consult(NOW - timedelta(days=2, minutes=1), status=ConsultStatus.WORKLIST,
                  assignee=store.gp)                                         # worklist, late
    store.consult(None, status=ConsultStatus.CLOSED)
    queries = InboxQueries(store.engine)
    assert queries.overdue_counts(NOW, 2) == {(ConsultStatus.INBOX, None): 1,
                                              (ConsultStatus.WORKLIST, store.gp): 1}
    assert queries.overdue_counts(NOW, 5) == {}
    assert queries.counts()[(ConsultStatus.INBOX, None)] == 2


# -- 4. search --------------------------------------------------------------------------------
def test_search_covers_every_list_and_puts_whole_words_first(store):
    # The prefix-only hit waited longer, so the triage order alone would put it first.
    prefix_only = store.consult(NOW - timedelta(days=4), "Ik heb al weken rugpijn.")
    whole_word = store.consult(None, "Pijn in mijn rug na het tillen.",
                               status=ConsultStatus.CLOSED)
    in_worklist = store.consult(NOW - timedelta(days=1), "Mijn rug doet zeer",
                                status=ConsultStatus.WORKLIST, assignee=store.gp)
    store.consult(NOW - timedelta(days=2), "Een vraag over een recept")
    queries = InboxQueries(store.engine)
    for shown in (INBOX, ListView(status=ConsultStatus.CLOSED),
                  ListView(status=ConsultStatus.WORKLIST, assignee_id=store.colleague)):
        view = ListView(status=shown.status, assignee_id=shown.assignee_id, search="rug")
        assert queries.ids(view) == [in_worklist, whole_word, prefix_only]
        assert queries.count(view) == 3
        rows = queries.page(view, 0, 10)
        assert [(r.status, r.assignee_name) for r in rows] == [
            (ConsultStatus.WORKLIST, "Joost Post"), (ConsultStatus.CLOSED, None),
            (ConsultStatus.INBOX, None)]


def test_search_matches_the_patients_name(store):
    berg = store.consult(NOW, "Een vraag", name="Anna van der Berg-de Wit",
                         family="van der Berg-de Wit")
    # Waited longer, so without ranking by whole words it would come first.
    mountains = store.consult(NOW - timedelta(days=1), "Blaren na een bergwandeling",
                              name="Kees Dekker", family="Dekker")
    queries = InboxQueries(store.engine)
    # (PostgreSQL's Dutch full text drops "van" and "der" as stop words: it finds both.)
    assert queries.ids(ListView(search="Van der Berg"))[0] == berg
    assert queries.ids(ListView(search="wit")) == [berg]   # after a hyphen too
    assert queries.ids(ListView(search="berg")) == [berg, mountains]
    assert queries.ids(ListView(search="anna_")) == []


# -- 5. sorting by family name ----------------------------------------------------------------
def test_sorting_by_patient_sorts_by_family_name_without_its_prefix(store):
    made = {
        "Wit": store.consult(NOW, name="Bram de Wit", family="de Wit"),
        "Aalders": store.consult(NOW, name="Zoë Aalders", family="Aalders"),
        "Dekker": store.consult(NOW, name="Cor Dekker", family="Dekker"),
        "Berg": store.consult(NOW, name="Anna van der Berg", family="van der Berg"),
        "Hoek": store.consult(NOW, name="Jan in 't Hoek", family="in 't Hoek"),
        "Cate": store.consult(NOW, name="Els ten Cate", family="ten Cate"),
    }
    queries = InboxQueries(store.engine)
    ascending = queries.ids(ListView(sort="patient"))
    assert ascending == [made[n] for n in ("Aalders", "Berg", "Cate", "Dekker", "Hoek", "Wit")]
    assert queries.ids(ListView(sort="patient", descending=True)) == ascending[::-1]


# -- 6. a list's first page and its count in one query ----------------------------------------
def test_the_first_page_and_the_count_agree_with_count_and_page(store):
    for n in range(5):
        store.consult(NOW - timedelta(days=n), urgent=n == 3)
    store.consult(None, status=ConsultStatus.CLOSED)
    queries = InboxQueries(store.engine)
    for view in (INBOX, ListView(status=ConsultStatus.CLOSED), ListView(sort="patient"),
                 ListView(status=ConsultStatus.WORKLIST, assignee_id=store.gp)):
        total, rows = queries.first_page(view, 3, for_user=store.assistant)
        assert total == queries.count(view)
        assert _ids(rows) == _ids(queries.page(view, 0, 3, for_user=store.assistant))
    assert queries.first_page(INBOX, 3)[0] == 5
    assert queries.first_page(ListView(status=ConsultStatus.WORKLIST), 3) == (0, [])
