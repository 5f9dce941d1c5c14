"""Search on SQLite chooses its plan by the number of hits (read and sort a few, walk the
list-order index for many): whichever it chooses, the rows and their order are those of the
general query (whole-word hits first, then urgent, then longest waiting), page by page. And a
list's first page comes with its count in one query."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from workbench.services.inbox import InboxQueries, ListView, compute_sort_rank
from workbench.store import database
from workbench.store.models import (
    AuthorKind,
    ConsultStatus,
    Direction,
    EConsult,
    Message,
    Patient,
    Urgency,
)
from workbench.store.search import SqliteRankedSearch

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
STATUSES = list(ConsultStatus)


class _General(InboxQueries):
    """The general query for every search: what the chosen plans must agree with."""

    def _ranked_search(self, session, view, offset, limit):
        return None


def _fill(engine, consults: int, first: int = 0) -> None:
    """E-consults over every list, urgent and not, some waiting, with words of every
    frequency: "koorts" in every third, "koortslip" in every seventh (a prefix hit of
    "koorts"), "zeldzaam" in 7 of 600; some patients named after a word ("Koortsen")."""
    patients, consults_rows, messages = [], [], []
    for n in range(first, first + consults):
        words = ["Vraag"]
        if n % 3 == 0:
            words.append("koorts")
        if n % 7 == 0:
            words.append("koortslip")
        if n % 97 == 5:
            words.append("zeldzaam")
        if n % 11 == 0:
            words.append("rug pijn")
        waiting = NOW - timedelta(hours=n % 50) if n % 4 else None
        urgency = Urgency.URGENT if n % 13 == 0 else Urgency.NORMAL
        name = "Kees Koortsen" if n % 29 == 0 else f"Anna de Vries-{n}"
        patients.append({"id": n + 1, "portal_id": f"pat-{n}", "name": name,
                         "family_name": name.split(" ", 1)[1]})
        status = STATUSES[n % len(STATUSES)]
        consults_rows.append({
            "id": n + 1, "portal_id": f"ec-{n}", "patient_id": n + 1, "subject": f"Vraag {n}",
            "status": status, "portal_status": "in-progress", "received_at": NOW,
            "last_patient_message_at": NOW, "portal_version": "1", "urgency": urgency,
            "waiting_since": waiting,
            "sort_rank": compute_sort_rank(urgency, None, False, waiting)})
        messages.append({"id": n + 1, "econsult_id": n + 1, "portal_id": f"msg-{n}",
                         "portal_version": "1", "direction": Direction.IN,
                         "author_kind": AuthorKind.PATIENT, "author_portal_id": f"pat-{n}",
                         "text": " ".join(words), "sent_at": NOW})
    with Session(engine) as session, session.begin():
        session.execute(insert(Patient), patients)
        session.execute(insert(EConsult), consults_rows)
        session.execute(insert(Message), messages)


@pytest.fixture
def engine(sqlite_url):
    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    _fill(engine, 600)
    yield engine
    engine.dispose()


def _statements(engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_rest: seen.append(statement))
    return seen


@pytest.mark.parametrize("query", ["ko", "koo", "koorts", "koortsl", "zeldzaam", "zeld",
                                   "rug", "rug pijn", "ru pi", "koortsen", "vries", "xylofoon"])
def test_every_plan_gives_the_rows_of_the_general_query_page_by_page(engine, query):
    fast, general = InboxQueries(engine), _General(engine)
    view = ListView(search=query)
    everything = general.ids(view)
    assert fast.ids(view) == everything
    for offset, limit in ((0, 10), (10, 10), (35, 25), (len(everything) - 3, 10)):
        offset = max(0, offset)
        assert [r.id for r in fast.page(view, offset, limit)] == everything[offset:offset + limit]


def test_common_words_walk_the_list_order_and_rare_words_are_sorted(engine):
    seen = _statements(engine)
    ranked = SqliteRankedSearch()
    with engine.connect() as connection:
        ranked.page(connection, "koorts", 0, 10)     # 200 of 600: dense
        assert any("INDEXED BY ix_econsult_list_order" in s for s in seen)
        seen.clear()
        ranked.page(connection, "zeldzaam", 0, 10)   # 7 of 600
        assert not any("INDEXED BY" in s for s in seen)
        assert any("NOT INDEXED" in s for s in seen)


def test_typing_on_does_not_count_again_once_the_hits_were_few(engine):
    seen = _statements(engine)
    ranked = SqliteRankedSearch()
    with engine.connect() as connection:
        ranked.page(connection, "zeld", 0, 10)
        assert any("count(*)" in s for s in seen)
        seen.clear()
        assert len(ranked.page(connection, "zeldza", 0, 10)) == 7
        assert not any("count(*)" in s for s in seen)
        seen.clear()
        ranked.page(connection, "koorts", 0, 10)   # another word: counted again
        assert any("count(*)" in s for s in seen)


def test_a_remembered_count_only_steers_the_plan_never_the_rows(engine):
    queries = InboxQueries(engine)
    assert len(queries.ids(ListView(search="zeld"))) == 7
    _fill(engine, 600, first=600)   # the store grew between two letters
    assert queries.ids(ListView(search="zeldz")) == _General(engine).ids(
        ListView(search="zeldz"))
    assert len(queries.ids(ListView(search="zeldz"))) == 13


def test_whole_words_come_first_also_when_walking(engine):
    ids = InboxQueries(engine).ids(ListView(search="koorts"))
    with Session(engine) as session:
        texts = {m.econsult_id: m.text for m in session.query(Message)}
    whole = ["koorts" in texts[i].split() for i in ids]   # else "koortslip" or "Koortsen"
    assert whole == sorted(whole, reverse=True) and True in whole and False in whole


def test_the_first_page_comes_with_the_count_in_one_query(engine):
    queries = InboxQueries(engine)
    seen = _statements(engine)
    for view in (ListView(status=ConsultStatus.INBOX), ListView(status=ConsultStatus.CLOSED),
                 ListView(status=ConsultStatus.WORKLIST, assignee_id=99),
                 ListView(status=None, sort="patient")):
        seen.clear()
        total, rows = queries.first_page(view, 20)
        assert len(seen) == 1
        assert total == queries.count(view)
        assert [r.id for r in rows] == [r.id for r in queries.page(view, 0, 20)]
    assert queries.first_page(ListView(status=ConsultStatus.INBOX), 0) == (150, [])


def test_many_whole_word_messages_in_few_econsults_still_list_the_other_hits(engine):
    # 90 messages say "griep", all in 3 e-consults: counted by message, the whole-word hits
    # look like a full page; the prefix hits ("griepprik") must follow them all the same.
    with Session(engine) as session, session.begin():
        session.execute(insert(Message), [
            {"econsult_id": 1 + n % 3, "portal_id": f"griep-{n}", "portal_version": "1",
             "direction": Direction.IN, "author_kind": AuthorKind.PATIENT,
             "author_portal_id": "pat-0", "text": "griep", "sent_at": NOW}
            for n in range(90)] + [
            {"econsult_id": 10 + n, "portal_id": f"prik-{n}", "portal_version": "1",
             "direction": Direction.IN, "author_kind": AuthorKind.PATIENT,
             "author_portal_id": "pat-0", "text": "griepprik", "sent_at": NOW}
            for n in range(40)])
    seen = _statements(engine)
    view = ListView(search="griep")
    ids = InboxQueries(engine).page(view, 0, 10)
    assert any("INDEXED BY ix_econsult_list_order" in s for s in seen)
    assert [r.id for r in ids] == [r.id for r in _General(engine).page(view, 0, 10)]
    assert {r.id for r in ids[:3]} == {1, 2, 3}
