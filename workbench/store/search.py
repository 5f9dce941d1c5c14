"""Search over message text (SQLite FTS5 or PostgreSQL Dutch full text) and patient names."""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    and_,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from workbench.store.models import ConsultStatus, EConsult, Message, Patient

_WORD = re.compile(r"\w+", re.UNICODE)
MIN_QUERY_LENGTH = 2

_FTS = table("message_fts", column("rowid"))


@contextmanager
def messages_indexed_together(connection: Connection) -> Iterator[None]:
    """For a writer inserting many messages in its transaction: on SQLite their full-text
    entries are made by one statement when the block ends, not by the insert trigger row by
    row (FTS5 writes its in-memory index out at every savepoint a trigger opens: about five
    times the cost). Only inserts may happen inside the block. The flag row that tells the
    trigger exists only inside this transaction, which holds SQLite's one write lock, so no
    other writer sees it (migration 0015). PostgreSQL's tsvector column needs nothing."""
    if connection.dialect.name != "sqlite":
        yield
        return
    # SQLite gives a new row an id above the largest: those above it are this block's.
    before = connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM message").scalar()
    connection.exec_driver_sql("INSERT INTO message_fts_batch (pending) VALUES (1)")
    try:
        yield
    finally:
        # Also when the block failed: whatever it inserted is indexed, should the caller
        # commit it anyway.
        connection.exec_driver_sql("DELETE FROM message_fts_batch")
        connection.exec_driver_sql(
            "INSERT INTO message_fts (rowid, text) SELECT id, text FROM message WHERE id > ?",
            (before,))


def query_terms(query: str) -> list[str]:
    """The words of a typed query; punctuation and search-syntax characters are dropped.
    A single letter is no search yet (it would match nearly everything, slowly)."""
    terms = _WORD.findall(query.lower())
    return terms if sum(len(t) for t in terms) >= MIN_QUERY_LENGTH else []


@dataclass(frozen=True)
class SearchMatch:
    """Conditions on EConsult for one query. `matches`: a message, or the patient's name, has
    every word, whole or as the start of a word (so it works while typing). `whole_words`:
    every word is there as a whole word; those hits are listed first ("rug" before
    "rugpijn")."""

    matches: ColumnElement[bool]
    whole_words: ColumnElement[bool]


def search_econsults(dialect: str, query: str) -> SearchMatch | None:
    """The conditions for `query`; None when it has no words. They filter the list's own
    query, so it keeps its paging."""
    terms = query_terms(query)
    if not terms:
        return None
    return SearchMatch(
        matches=or_(EConsult.id.in_(_text_matches(dialect, terms, whole=False)),
                    EConsult.patient_id.in_(_name_matches(dialect, terms, whole=False))),
        whole_words=or_(EConsult.id.in_(_text_matches(dialect, terms, whole=True)),
                        EConsult.patient_id.in_(_name_matches(dialect, terms, whole=True))))


def _text_matches(dialect: str, terms: list[str], whole: bool):
    """Ids of e-consults with a message holding every term."""
    if dialect == "sqlite":
        match = _fts_query(terms, whole)
        rows = select(_FTS.c.rowid).where(literal_column("message_fts").op("MATCH")(match))
        return select(Message.econsult_id).where(Message.id.in_(rows))
    prefix = "" if whole else ":*"
    tsquery = " & ".join(f"{term}{prefix}" for term in terms)
    return select(Message.econsult_id).where(
        literal_column("message.text_search").op("@@")(func.to_tsquery("dutch", tsquery)))


def _fts_query(terms: list[str], whole: bool) -> str:
    """An FTS5 query for every term, as a whole word or as a word's start. Every term is
    quoted, so FTS5 operators typed by a user are plain words."""
    star = "" if whole else "*"
    return " ".join(f'"{term}"{star}' for term in terms)


def _name_patterns(term: str, whole: bool) -> list[str]:
    """LIKE patterns for a term as a word (or a word's start) of a name: at the start, after
    a space or after a hyphen."""
    starts, ends = ("", "% ", "%-"), (("", " %", "-%") if whole else ("%",))
    escaped = _like_escaped(term)
    return [f"{start}{escaped}{end}" for start in starts for end in ends]


def _name_matches(dialect: str, terms: list[str], whole: bool):
    """Ids of patients whose name has every term as a word (or a word's start): at the start,
    after a space or after a hyphen ("de" in "Jansen-de Vries"). Plain LIKE patterns, which
    SQLite matches case-blind for ASCII (as its lower() would) and PostgreSQL with ILIKE,
    several times faster than normalising every name first."""
    name = Patient.name

    def has(term: str) -> ColumnElement[bool]:
        patterns = _name_patterns(term, whole)
        if dialect == "sqlite":
            return or_(*(name.like(p, escape="\\") for p in patterns))
        return or_(*(name.ilike(p, escape="\\") for p in patterns))

    return select(Patient.id).where(and_(*(has(term) for term in terms)))


def _like_escaped(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_econsult_ids(session: Session, query: str, limit: int = 500) -> list[int]:
    """E-consults matching `query`, most recent patient message first."""
    match = search_econsults(session.get_bind().dialect.name, query)
    if match is None:
        return []
    return list(session.scalars(select(EConsult.id).where(match.matches)
                                .order_by(EConsult.last_patient_message_at.desc()).limit(limit)))


# -- SQLite: one page of hits in the list's default order ----------------------------------------
# The walk below needs the plan SQLite picks for it: MATERIALIZED common table expressions.
SQLITE_RANKED_SEARCH = sqlite3.sqlite_version_info >= (3, 35, 0)
_PROBE_CAP = 20_000  # hits counted at most: enough to choose a plan for millions of e-consults


class SqliteRankedSearch:
    """One page of the e-consults matching a query (as `search_econsults` does) on SQLite:
    whole-word hits first, then in the list's default order (sort_rank, waiting_since, id),
    the order of the generic query.

    SQLite's planner cannot know how many rows a MATCH gives, so this chooses: a bounded count
    of the hits first; a few hits are read and sorted; many (a common word, or the first
    letters of any word) are found by walking each list's ix_econsult_list_order index until
    the page is full, which stops early because hits are dense. Whole-word and other hits
    are chosen for apart ("rug" is rare where "rug*" is common). While a word is typed on,
    its hits only get fewer: once they were few, the count is not asked again. (That memory
    only steers the plan; either plan gives the same rows.)"""

    def __init__(self) -> None:
        # The last counted query: its terms, its hits (at most _PROBE_CAP) and the rows.
        self._counted: tuple[list[str], int, int] | None = None

    def page(self, connection: Connection, query: str, offset: int, limit: int
             ) -> list[int] | None:
        """Ids of the page's e-consults, in order; None when the query has no words."""
        terms = query_terms(query)
        if not terms:
            return None
        if limit <= 0:
            return []
        wanted = offset + limit
        params: dict[str, object] = {"prefix": _fts_query(terms, whole=False),
                                     "whole": _fts_query(terms, whole=True)}
        # Names once, here: the few ids go into the statements below as numbers.
        names = connection.execute(text(_sqlite_name_hits(terms, params)), params).all()
        name_ids = ",".join(str(int(i)) for i, _whole in names)
        whole_name_ids = ",".join(str(int(i)) for i, whole in names if whole)
        fewer_than = self._known_fewer(terms)
        if fewer_than is not None and fewer_than < _walk_threshold(wanted, self._counted[2]):
            walk_whole = walk_rest = False
        else:
            rows, hits, whole_hits = connection.execute(text(f"""
                SELECT (SELECT max(id) FROM econsult),
                       (SELECT count(*) FROM (SELECT 1 FROM message_fts
                                              WHERE message_fts MATCH :prefix LIMIT :cap))
                       + (SELECT count(*) FROM (SELECT 1 FROM econsult
                                                WHERE patient_id IN ({name_ids}) LIMIT :cap)),
                       (SELECT count(*) FROM (SELECT 1 FROM message_fts
                                              WHERE message_fts MATCH :whole LIMIT :cap))
                       + (SELECT count(*) FROM (SELECT 1 FROM econsult
                                                WHERE patient_id IN ({whole_name_ids})
                                                LIMIT :cap))"""),
                dict(params, cap=_PROBE_CAP)).one()
            if not rows:
                return []
            self._counted = (terms, hits, rows)
            threshold = _walk_threshold(wanted, rows)
            walk_whole, walk_rest = whole_hits >= threshold, hits >= threshold
        statuses = [status.value for status in ConsultStatus]
        params.update({f"status{n}": status for n, status in enumerate(statuses)}, k=wanted)

        def branches(rank: int, condition: str, walk: bool) -> list[str]:
            columns = f"id, {rank} AS w, sort_rank, waiting_since"
            if not walk:
                # NOT INDEXED: from the hits by rowid, then sorted, never down an index.
                return [f"""SELECT * FROM (SELECT {columns} FROM econsult NOT INDEXED
                            WHERE {condition} ORDER BY sort_rank, waiting_since, id
                            LIMIT :k)"""]
            return [f"""SELECT * FROM (SELECT {columns} FROM econsult
                        INDEXED BY ix_econsult_list_order
                        WHERE status = :status{n} AND {condition}
                        ORDER BY sort_rank, waiting_since, id LIMIT :k)"""
                    for n in range(len(statuses))]

        def page(parts: list[str], page_offset: int, page_limit: int) -> list[int]:
            statement = f"""WITH
                hit(id) AS MATERIALIZED (
                    SELECT econsult_id FROM message WHERE id IN
                        (SELECT rowid FROM message_fts WHERE message_fts MATCH :prefix)
                    UNION ALL
                    SELECT id FROM econsult WHERE patient_id IN ({name_ids})),
                whole(id) AS MATERIALIZED (
                    SELECT econsult_id FROM message WHERE id IN
                        (SELECT rowid FROM message_fts WHERE message_fts MATCH :whole)
                    UNION ALL
                    SELECT id FROM econsult WHERE patient_id IN ({whole_name_ids}))
                SELECT id FROM ({" UNION ALL ".join(parts)})
                ORDER BY w, sort_rank, waiting_since, id LIMIT :limit OFFSET :offset"""
            values = dict(params, offset=page_offset, limit=page_limit)
            return list(connection.execute(text(statement), values).scalars())

        whole_parts = branches(0, "id IN whole", walk_whole)
        if walk_whole:
            # Many whole-word hits: the page is likely all theirs, and then the other hits,
            # however many, need not be looked for.
            first = page(whole_parts, 0, wanted)
            if len(first) >= wanted:
                return first[offset:]
        return page(whole_parts + branches(1, "id IN hit AND id NOT IN whole", walk_rest),
                    offset, limit)

    def _known_fewer(self, terms: list[str]) -> int | None:
        """An upper bound of the hits of `terms` from the last count, when `terms` only
        narrow that query (each word typed on, or words added); else None."""
        if self._counted is None:
            return None
        counted, hits, _rows = self._counted
        narrower = len(terms) >= len(counted) and all(
            new.startswith(old) for new, old in zip(terms, counted, strict=False))
        return hits if narrower else None


def _walk_threshold(wanted: int, rows: int) -> int:
    """From how many hits walking the list-order index beats reading and sorting them.
    Sorting costs about the number of hits; the walk reads about wanted * rows / hits index
    entries (and still collects the hits to test them): measured, it wins from about 3/4 of
    the root of wanted * rows."""
    return min(_PROBE_CAP, max(wanted, math.isqrt(wanted * rows) * 3 // 4))


def _sqlite_name_hits(terms: list[str], params: dict[str, object]) -> str:
    """A query for patients whose name has every term as (the start of) a word: (id, whether
    as whole words). One pass over the names, cheapest test first: the term anywhere in the
    name. Adds its LIKE patterns to `params`."""
    anywhere, starts, wholes = [], [], []
    for n, term in enumerate(terms):
        params[f"name{n}"] = f"%{_like_escaped(term)}%"
        anywhere.append(f"name LIKE :name{n} ESCAPE '\\'")
        for kind, tests, whole in (("start", starts, False), ("whole", wholes, True)):
            names = []
            for m, pattern in enumerate(_name_patterns(term, whole)):
                params[f"name{n}{kind}{m}"] = pattern
                names.append(f"name LIKE :name{n}{kind}{m} ESCAPE '\\'")
            tests.append(f"({' OR '.join(names)})")
    return f"""SELECT id, {' AND '.join(wholes)} FROM patient
               WHERE {' AND '.join(anywhere)} AND {' AND '.join(starts)}"""
