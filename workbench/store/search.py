"""Full-text search over message text: SQLite FTS5 or PostgreSQL Dutch full text, one function."""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.orm import Session

_WORD = re.compile(r"\w+", re.UNICODE)


MIN_QUERY_LENGTH = 2


def query_terms(query: str) -> list[str]:
    """The words of a typed query; punctuation and search-syntax characters are dropped.
    A single letter is no search yet (it would match nearly everything, slowly)."""
    terms = _WORD.findall(query.lower())
    return terms if sum(len(t) for t in terms) >= MIN_QUERY_LENGTH else []


def search_econsult_ids(session: Session, query: str, limit: int = 500) -> list[int]:
    """E-consults whose messages contain every word of `query` (the last word as a prefix,
    so it works while typing), most recent patient message first."""
    terms = query_terms(query)
    if not terms:
        return []
    if session.get_bind().dialect.name == "sqlite":
        # Every term quoted, so FTS5 operators typed by a user are plain words; prefix match.
        match = " ".join(f'"{term}"*' for term in terms)
        sql = text(
            "SELECT e.id FROM econsult e WHERE e.id IN ("
            " SELECT m.econsult_id FROM message_fts f JOIN message m ON m.id = f.rowid"
            " WHERE message_fts MATCH :match)"
            " ORDER BY e.last_patient_message_at DESC LIMIT :limit")
        params = {"match": match, "limit": limit}
    else:
        tsquery = " & ".join(f"{term}:*" for term in terms)
        sql = text(
            "SELECT e.id FROM econsult e WHERE e.id IN ("
            " SELECT m.econsult_id FROM message m"
            " WHERE m.text_search @@ to_tsquery('dutch', :tsquery))"
            " ORDER BY e.last_patient_message_at DESC LIMIT :limit")
        params = {"tsquery": tsquery, "limit": limit}
    return [row[0] for row in session.execute(sql, params)]
