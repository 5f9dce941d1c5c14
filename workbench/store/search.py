"""Full-text search over message text: SQLite FTS5 or PostgreSQL Dutch full text, one function."""

from __future__ import annotations

import re

from sqlalchemy import Select, column, func, literal_column, select, table
from sqlalchemy.orm import Session

from workbench.store.models import EConsult, Message

_WORD = re.compile(r"\w+", re.UNICODE)
MIN_QUERY_LENGTH = 2

_FTS = table("message_fts", column("rowid"))


def query_terms(query: str) -> list[str]:
    """The words of a typed query; punctuation and search-syntax characters are dropped.
    A single letter is no search yet (it would match nearly everything, slowly)."""
    terms = _WORD.findall(query.lower())
    return terms if sum(len(t) for t in terms) >= MIN_QUERY_LENGTH else []


def matching_econsults(dialect: str, query: str) -> Select | None:
    """A subquery of the ids of e-consults whose messages contain every word of `query` (the
    last as a prefix, so it works while typing); None when the query has no words. Used as
    `EConsult.id.in_(...)`, so the list keeps its own order and paging."""
    terms = query_terms(query)
    if not terms:
        return None
    if dialect == "sqlite":
        # Every term quoted, so FTS5 operators typed by a user are plain words.
        match = " ".join(f'"{term}"*' for term in terms)
        rows = select(_FTS.c.rowid).where(literal_column("message_fts").op("MATCH")(match))
        return select(Message.econsult_id).where(Message.id.in_(rows))
    tsquery = " & ".join(f"{term}:*" for term in terms)
    return select(Message.econsult_id).where(
        literal_column("message.text_search").op("@@")(func.to_tsquery("dutch", tsquery)))


def search_econsult_ids(session: Session, query: str, limit: int = 500) -> list[int]:
    """E-consults matching `query`, most recent patient message first."""
    matching = matching_econsults(session.get_bind().dialect.name, query)
    if matching is None:
        return []
    return list(session.scalars(select(EConsult.id).where(EConsult.id.in_(matching))
                                .order_by(EConsult.last_patient_message_at.desc()).limit(limit)))

