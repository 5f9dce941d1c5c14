"""Search over message text (SQLite FTS5 or PostgreSQL Dutch full text) and patient names."""

from __future__ import annotations

import re
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
)
from sqlalchemy.orm import Session

from workbench.store.models import EConsult, Message, Patient

_WORD = re.compile(r"\w+", re.UNICODE)
MIN_QUERY_LENGTH = 2

_FTS = table("message_fts", column("rowid"))


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
        # Every term quoted, so FTS5 operators typed by a user are plain words.
        star = "" if whole else "*"
        match = " ".join(f'"{term}"{star}' for term in terms)
        rows = select(_FTS.c.rowid).where(literal_column("message_fts").op("MATCH")(match))
        return select(Message.econsult_id).where(Message.id.in_(rows))
    prefix = "" if whole else ":*"
    tsquery = " & ".join(f"{term}{prefix}" for term in terms)
    return select(Message.econsult_id).where(
        literal_column("message.text_search").op("@@")(func.to_tsquery("dutch", tsquery)))


def _name_matches(dialect: str, terms: list[str], whole: bool):
    """Ids of patients whose name has every term as a word (or a word's start): at the start,
    after a space or after a hyphen ("de" in "Jansen-de Vries"). Plain LIKE patterns, which
    SQLite matches case-blind for ASCII (as its lower() would) and PostgreSQL with ILIKE,
    several times faster than normalising every name first."""
    name = Patient.name
    starts, ends = ("", "% ", "%-"), (("", " %", "-%") if whole else ("%",))

    def has(term: str) -> ColumnElement[bool]:
        escaped = _like_escaped(term)
        patterns = [f"{start}{escaped}{end}" for start in starts for end in ends]
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
