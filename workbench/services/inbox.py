"""Read side of triage: list pages, counts per view, one e-consult in full, waiting times."""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, bindparam, case, exists, func, select
from sqlalchemy.orm import Session, aliased

from workbench.store.models import (
    AuthorKind,
    ConsultStatus,
    Direction,
    EConsult,
    EConsultRead,
    MailAddress,
    MailItem,
    Message,
    Patient,
    Practitioner,
    RelatedPerson,
    Role,
    Urgency,
)
from workbench.store.search import (
    SQLITE_RANKED_SEARCH,
    SearchMatch,
    SqliteRankedSearch,
    search_econsults,
)
from workbench.store.timeutil import as_utc


def compute_sort_rank(urgency: Urgency | str, advice: list | None, advice_dismissed: bool,
                      waiting_since: datetime | None) -> int:
    """The list's first sort key: 0 urgent (flag, or alarm advice nobody has cleared),
    2 waiting for an answer, 3 the rest; within a rank, whoever waited longest comes first.
    Reading changes nothing here: unread is per person and only shows as bold. Kept in a
    column so the default order is an index."""
    if urgency in (Urgency.URGENT, Urgency.URGENT.value) or (advice and not advice_dismissed):
        return 0
    return 2 if waiting_since is not None else 3


class WaitState(str, enum.Enum):
    NONE = "none"      # nothing to answer
    OK = "ok"
    NEAR = "near"      # three quarters of the answer target used
    LATE = "late"      # past the answer target


def working_time(start: datetime, end: datetime) -> timedelta:
    """Time between two moments that falls on weekdays (Saturday and Sunday do not count)."""
    total = timedelta(0)
    moment = start
    while moment < end:
        next_midnight = (moment + timedelta(days=1)).replace(hour=0, minute=0, second=0,
                                                             microsecond=0)
        step_end = min(next_midnight, end)
        if moment.isoweekday() <= 5:
            total += step_end - moment
        moment = step_end
    return total


def working_time_start(end: datetime, amount: timedelta) -> datetime:
    """The latest start from which `working_time(start, end)` reaches `amount`."""
    moment, remaining = end, amount
    while True:
        day_start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        if day_start == moment:
            day_start -= timedelta(days=1)
        if day_start.isoweekday() <= 5:
            if moment - day_start >= remaining:
                return moment - remaining
            remaining -= moment - day_start
        moment = day_start


def overdue_since(now: datetime, target_working_days: int) -> datetime:
    """Waiting since this moment or earlier is past the answer target (WaitState.LATE)."""
    return working_time_start(now, timedelta(days=target_working_days))


def waiting_state(since: datetime | None, now: datetime, target_working_days: int) -> WaitState:
    """Where an e-consult stands against the answer target: amber in the last quarter of the
    target's working time, red past it."""
    if since is None:
        return WaitState.NONE
    elapsed = working_time(as_utc(since), now)
    target = timedelta(days=target_working_days)
    if elapsed >= target:
        return WaitState.LATE
    if elapsed >= target * 0.75:
        return WaitState.NEAR
    return WaitState.OK


def age_on(birth_date: date | None, today: date) -> int | None:
    if birth_date is None:
        return None
    return today.year - birth_date.year - ((today.month, today.day) <
                                           (birth_date.month, birth_date.day))


def mask_bsn(bsn: str | None) -> str:
    """All but the last three digits hidden, as on screens others may see."""
    if not bsn:
        return ""
    return "•" * (len(bsn) - 3) + bsn[-3:]


# Dutch name prefixes (tussenvoegsels), which a list sorted by name passes over: "van der Berg"
# sorts under B, as in a Dutch telephone directory.
NAME_PREFIXES = (
    "van der", "van den", "van de", "van het", "van 't", "van", "von", "de", "den", "der",
    "het", "'t", "ter", "ten", "te", "in de", "in den", "in het", "in 't", "op de", "op den",
    "op het", "op 't", "uit de", "uit den", "uit het", "aan de", "aan den", "aan het", "bij de",
    "la", "le", "du", "da", "di", "del", "della", "d'", "l'",
)
# How each prefix starts a name, longest first ("van der " must win over "van ").
_PREFIX_STARTS = sorted((p if p.endswith("'") else p + " " for p in NAME_PREFIXES),
                        key=len, reverse=True)


def family_sort_key(family_name: Any, full_name: Any) -> Any:
    """SQL for sorting patients by family name without its prefix ("van der Berg": "berg"),
    case-insensitive; the full name when the portal gave no family name."""
    family = func.coalesce(family_name, full_name)
    lowered = func.lower(family)
    return func.lower(case(*[(lowered.like(f"{start}%"), func.substr(family, len(start) + 1))
                             for start in _PREFIX_STARTS], else_=family))


# -- views ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ListView:
    """Which e-consults a list shows. `assignee_id` only applies to the worklist status.
    A search covers every list: while `search` has words, status and assignee do not narrow
    (they say which list to return to), and whole-word hits come first."""

    status: ConsultStatus | None = ConsultStatus.INBOX
    assignee_id: int | None = None
    search: str = ""
    # default, received, waiting, patient, subject, photos, status, assignee, list, urgency
    sort: str = "default"
    descending: bool = False


@dataclass(frozen=True)
class ConsultRow:
    id: int
    urgent: bool
    has_advice: bool
    unread: bool             # for the person the page was asked for
    received_at: datetime
    waiting_since: datetime | None
    patient_name: str
    patient_birth_date: date | None
    via: str | None          # the parent or carer who wrote, with the relation
    subject: str
    photo_count: int
    status: ConsultStatus
    assignee_name: str | None
    invite_to_surgery: bool
    channel: str = "portal"  # how it came: "portal" or "mail" (secure mail)


@dataclass(frozen=True)
class PractitionerInfo:
    id: int
    name: str
    role: Role | None


@dataclass(frozen=True)
class AttachmentView:
    id: int
    title: str | None
    content_type: str | None
    sha256: str | None
    size: int | None
    error: str | None
    # Whose photo, and when it was sent (the photo viewer shows them); None: not known.
    sent_at: datetime | None = None
    patient_name: str | None = None
    patient_birth_date: date | None = None


@dataclass(frozen=True)
class MessageView:
    id: int
    direction: Direction
    author: str
    sent_at: datetime
    text: str
    attachments: list[AttachmentView] = field(default_factory=list)


@dataclass(frozen=True)
class ConsultDetail:
    id: int
    portal_id: str
    subject: str
    status: ConsultStatus
    urgency: Urgency
    advice: list[dict[str, str]]
    advice_dismissed: bool
    patient_id: int
    patient_name: str
    patient_birth_date: date | None
    patient_bsn: str | None
    sender_name: str | None
    sender_relation: str | None
    assignee_id: int | None
    assignee_name: str | None
    routing_note: str | None
    invite_to_surgery: bool
    close_reason: str | None
    waiting_since: datetime | None
    messages: list[MessageView]
    # What was wrong with the portal's data, imported anyway (codes; the UI words them).
    patient_problems: list[str] = field(default_factory=list)
    consult_problems: list[str] = field(default_factory=list)
    patient_birth_date_text: str | None = None  # a partial birth date as given: "1980-05"
    # Numbers to call back (urgent advice is phone first): the patient's, and the writer's
    # when a parent or carer wrote. None: not known, see the HIS.
    patient_phone: str | None = None
    sender_phone: str | None = None
    # The version shown: a change based on it is refused once someone changed it since.
    version: int = 0
    # By secure mail: the address the patient's last mail came from, and whether the practice
    # trusts it for this patient (only then can an answer go there).
    channel: str = "portal"
    mail_address: str | None = None
    mail_address_trusted: bool = False


# ListView.sort keys of a column; any other is the default triage order.
_COLUMN_SORTS = frozenset({"received", "waiting", "patient", "subject", "photos", "status",
                           "assignee", "list", "urgency"})
_Assignee = aliased(Practitioner)
_Sender = aliased(RelatedPerson)


class InboxQueries:
    """Short read-only sessions over the store, for list models and panes."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._ranked = SqliteRankedSearch()
        self._row_selects: dict[tuple[str, int | None], Any] = {}

    def practitioners(self) -> list[PractitionerInfo]:
        with Session(self._engine) as session:
            rows = session.execute(select(Practitioner.id, Practitioner.name, Practitioner.role)
                                   .where(Practitioner.active).order_by(Practitioner.name))
            return [PractitionerInfo(*row) for row in rows]

    def counts(self) -> dict[tuple[ConsultStatus, int | None], int]:
        """Number of e-consults per (status, assignee)."""
        return self._counts_per_list()

    def overdue_counts(self, now: datetime, target_working_days: int
                       ) -> dict[tuple[ConsultStatus, int | None], int]:
        """Number of e-consults past the answer target per (status, assignee), as counts()."""
        return self._counts_per_list(
            EConsult.waiting_since <= overdue_since(now, target_working_days))

    def _counts_per_list(self, *conditions: Any) -> dict[tuple[ConsultStatus, int | None], int]:
        with Session(self._engine) as session:
            rows = session.execute(select(EConsult.status, EConsult.assignee_id, func.count())
                                   .where(*conditions)
                                   .group_by(EConsult.status, EConsult.assignee_id))
            return {(status, assignee): n for status, assignee, n in rows}

    def unread_count(self, for_user: int | None = None) -> int:
        """Inbox e-consults unread for `for_user` (None: that nobody has read)."""
        with Session(self._engine) as session:
            return session.scalar(select(func.count()).select_from(EConsult).where(
                _unread_for(for_user), EConsult.status == ConsultStatus.INBOX)) or 0

    def _search(self, session: Session, view: ListView) -> SearchMatch | None:
        return search_econsults(session.get_bind().dialect.name, view.search)

    @staticmethod
    def _filters(view: ListView, search: SearchMatch | None) -> list[Any]:
        if search is not None:
            return [search.matches]  # a search covers every list
        filters: list[Any] = []
        if view.status is not None:
            filters.append(EConsult.status == view.status)
        if view.assignee_id is not None:
            filters.append(EConsult.assignee_id == view.assignee_id)
        return filters

    def count(self, view: ListView) -> int:
        with Session(self._engine) as session:
            return session.scalar(select(func.count()).select_from(EConsult).where(
                *self._filters(view, self._search(session, view)))) or 0

    def page(self, view: ListView, offset: int, limit: int, for_user: int | None = None,
             *, among: Collection[int] | None = None) -> list[ConsultRow]:
        """One page of the list; `unread` as it is for `for_user` (None: read by nobody).
        `among`: only these e-consults (the rows a live refresh reloads)."""
        with Session(self._engine) as session:
            ranked = self._ranked_search(session, view, offset, limit) \
                if among is None else None
            if ranked is not None:
                # The page's ids are known, in order: read their rows by id.
                if not ranked:
                    return []
                rows = {row.id: row for row in self._rows(
                    session, self._rows_by_id(for_user), {"ids": ranked})}
                return [rows[i] for i in ranked if i in rows]
            search = self._search(session, view)
            statement = (self._row_select(for_user)
                         .where(*self._filters(view, search))
                         .order_by(*self._order(view, search)).offset(offset).limit(limit))
            if among is not None:
                statement = statement.where(EConsult.id.in_(list(among)))
            return self._rows(session, statement)

    def first_page(self, view: ListView, limit: int, for_user: int | None = None
                   ) -> tuple[int, list[ConsultRow]]:
        """How many e-consults the view holds, and its first page, in one query: the count is
        a subquery SQLite and PostgreSQL run once (over the list-order index), not a window
        over every row, so a list of 100,000 costs what one of 100 does."""
        with Session(self._engine) as session:
            search = self._search(session, view)
            filters = self._filters(view, search)
            total = select(func.count()).select_from(EConsult).where(*filters) \
                .scalar_subquery()
            statement = (self._row_select(for_user).add_columns(total).where(*filters)
                         .order_by(*self._order(view, search)).limit(limit))
            if limit <= 0:
                return session.scalar(select(total)) or 0, []
            result = list(session.connection().execute(statement))
            # No row on the first page: the view is empty.
            return (result[0][-1] if result else 0), [self._row(r) for r in result]

    def _row_select(self, for_user: int | None) -> Any:
        """The list's columns for `for_user`, built once per person: building this select
        costs more than running it for a page of search hits."""
        statement = self._row_selects.get(("all", for_user))
        if statement is None:
            statement = self._row_selects[("all", for_user)] = \
                self._build_row_select(for_user)
        return statement

    def _rows_by_id(self, for_user: int | None) -> Any:
        """The list's columns of the e-consults in the parameter `ids`, built once."""
        statement = self._row_selects.get(("by id", for_user))
        if statement is None:
            statement = self._row_selects[("by id", for_user)] = self._row_select(
                for_user).where(EConsult.id.in_(bindparam("ids", expanding=True)))
        return statement

    @staticmethod
    def _build_row_select(for_user: int | None) -> Any:
        return (
            select(EConsult.id, EConsult.urgency, EConsult.urgency_advice,
                   EConsult.advice_dismissed, _unread_for(for_user), EConsult.received_at,
                   EConsult.waiting_since, Patient.name, Patient.birth_date, _Sender.name,
                   _Sender.relationship_text, EConsult.subject, EConsult.photo_count,
                   EConsult.status, _Assignee.name, EConsult.invite_to_surgery,
                   EConsult.channel)
            .join(Patient, Patient.id == EConsult.patient_id)
            .outerjoin(_Sender, _Sender.id == EConsult.sender_related_person_id)
            .outerjoin(_Assignee, _Assignee.id == EConsult.assignee_id))

    @classmethod
    def _rows(cls, session: Session, statement: Any, parameters: dict | None = None
              ) -> list[ConsultRow]:
        # Plain columns: run on the connection, without the ORM's per-statement bookkeeping.
        return [cls._row(r) for r in session.connection().execute(statement, parameters)]

    @staticmethod
    def _row(r: Any) -> ConsultRow:
        return ConsultRow(
            id=r[0], urgent=r[1] == Urgency.URGENT, has_advice=bool(r[2]) and not r[3],
            unread=bool(r[4]), received_at=as_utc(r[5]), waiting_since=as_utc(r[6]),
            patient_name=r[7], patient_birth_date=r[8],
            via=f"{r[9]} ({r[10]})" if r[9] and r[10] else r[9], subject=r[11],
            photo_count=r[12], status=r[13], assignee_name=r[14], invite_to_surgery=r[15],
            channel=r[16] or "portal")

    def _ranked_search(self, session: Session, view: ListView, offset: int, limit: int
                       ) -> list[int] | None:
        """A search in the default order on SQLite: the ids of one page, by a plan that fits
        the number of hits (see SqliteRankedSearch). None: the general query does it."""
        if not SQLITE_RANKED_SEARCH or not view.search or view.sort in _COLUMN_SORTS \
                or session.get_bind().dialect.name != "sqlite":
            return None
        return self._ranked.page(session.connection(), view.search, offset, limit)

    @staticmethod
    def _order(view: ListView, search: SearchMatch | None) -> list[Any]:
        waiting_last = case((EConsult.waiting_since.is_(None), 1), else_=0)
        keys = {
            "received": [EConsult.received_at],
            "waiting": [waiting_last, EConsult.waiting_since],
            "patient": [family_sort_key(Patient.family_name, Patient.name), Patient.name],
            "subject": [EConsult.subject],
            "photos": [EConsult.photo_count],
            "status": [EConsult.status],
            "assignee": [_Assignee.name],
            "list": [EConsult.status, _Assignee.name],
            "urgency": [EConsult.sort_rank],
        }
        if view.sort not in _COLUMN_SORTS:
            # Urgent first, then whoever has waited longest: the order of the
            # ix_econsult_list_order indexes, so a page of 100,000 costs what a page of 100 does.
            triage_order = [EConsult.sort_rank, EConsult.waiting_since, EConsult.id]
            if search is None:
                return triage_order
            return [case((search.whole_words, 0), else_=1), *triage_order]
        columns = keys[view.sort]
        ordered = [c.desc() if view.descending else c.asc() for c in columns]
        return [*ordered, EConsult.id]

    def detail(self, econsult_id: int) -> ConsultDetail | None:
        with Session(self._engine) as session:
            consult = session.get(EConsult, econsult_id)
            if consult is None:
                return None
            names = self._author_names(session, consult.messages)
            messages = [MessageView(
                m.id, m.direction, names.get((m.author_kind, m.author_portal_id), ""),
                as_utc(m.sent_at), m.text,
                [AttachmentView(a.id, a.title, a.content_type, a.sha256, a.size, a.error,
                                as_utc(m.sent_at), consult.patient.name,
                                consult.patient.birth_date)
                 for a in m.attachments]) for m in consult.messages]
            sender = consult.sender_related_person
            return ConsultDetail(
                id=consult.id, portal_id=consult.portal_id, subject=consult.subject,
                status=consult.status, urgency=consult.urgency,
                advice=list(consult.urgency_advice or []),
                advice_dismissed=consult.advice_dismissed, patient_id=consult.patient_id,
                patient_name=consult.patient.name, patient_birth_date=consult.patient.birth_date,
                patient_bsn=consult.patient.bsn,
                sender_name=sender.name if sender else None,
                sender_relation=sender.relationship_text if sender else None,
                assignee_id=consult.assignee_id,
                assignee_name=consult.assignee.name if consult.assignee else None,
                routing_note=consult.routing_note, invite_to_surgery=consult.invite_to_surgery,
                close_reason=consult.close_reason, waiting_since=as_utc(consult.waiting_since),
                messages=messages,
                patient_problems=_codes(consult.patient.data_problems),
                consult_problems=_codes(consult.data_problems),
                patient_birth_date_text=consult.patient.birth_date_text,
                patient_phone=consult.patient.phone or None,
                sender_phone=(sender.phone or None) if sender else None,
                version=consult.version, channel=consult.channel,
                **self._mail_sender(session, consult))

    @staticmethod
    def _mail_sender(session: Session, consult: EConsult) -> dict[str, Any]:
        if consult.channel != "mail":
            return {}
        address = session.scalar(
            select(MailItem.from_address).join(Message, Message.id == MailItem.message_id)
            .where(Message.econsult_id == consult.id, Message.direction == Direction.IN)
            .order_by(Message.sent_at.desc(), Message.id.desc()).limit(1))
        trusted = address is not None and session.scalar(select(MailAddress.id).where(
            MailAddress.address == address.lower(),
            MailAddress.patient_id == consult.patient_id).limit(1)) is not None
        return {"mail_address": address, "mail_address_trusted": trusted}

    @staticmethod
    def _author_names(session: Session, messages: list[Message]) -> dict[tuple, str]:
        wanted: dict[AuthorKind, set[str]] = {}
        for message in messages:
            wanted.setdefault(message.author_kind, set()).add(message.author_portal_id)
        tables = {AuthorKind.PATIENT: Patient, AuthorKind.RELATED_PERSON: RelatedPerson,
                  AuthorKind.PRACTITIONER: Practitioner}
        names = {}
        for kind, ids in wanted.items():
            model = tables[kind]
            for portal_id, name in session.execute(select(model.portal_id, model.name).where(
                    model.portal_id.in_(ids))):
                names[(kind, portal_id)] = name
        return names

    def earlier_photos(self, patient_id: int, before_econsult_id: int
                       ) -> list[tuple[str, list[AttachmentView]]]:
        """Photos of the same patient's other e-consults, newest first, to compare with:
        (a label of date and subject, the photos)."""
        with Session(self._engine) as session:
            others = session.scalars(select(EConsult.id).where(
                EConsult.patient_id == patient_id, EConsult.id != before_econsult_id,
                EConsult.photo_count > 0).order_by(EConsult.received_at.desc()).limit(20)).all()
        found = []
        for other in others:
            detail = self.detail(other)
            photos = photos_of(detail) if detail else []
            if photos:
                received = detail.messages[0].sent_at if detail.messages else None
                label = f"{received:%d-%m-%Y} {detail.subject}" if received else detail.subject
                found.append((label, photos))
        return found

    def row_position(self, view: ListView, econsult_id: int) -> int | None:
        """Where an e-consult stands in a list (for keeping the selection after a reload)."""
        ids = self.ids(view)
        try:
            return ids.index(econsult_id)
        except ValueError:
            return None

    def ids(self, view: ListView, limit: int = 100_000) -> list[int]:
        with Session(self._engine) as session:
            ranked = self._ranked_search(session, view, 0, limit)
            if ranked is not None:
                return ranked
            search = self._search(session, view)
            return list(session.scalars(
                select(EConsult.id).join(Patient, Patient.id == EConsult.patient_id)
                .outerjoin(_Assignee, _Assignee.id == EConsult.assignee_id)
                .where(*self._filters(view, search)).order_by(*self._order(view, search))
                .limit(limit)))


def _unread_for(practitioner_id: int | None) -> Any:
    """SQL: the e-consult waits for an answer and `practitioner_id` (None: anyone) has not
    opened it since the patient's last message. Answered or practice-started threads have
    nothing new from the patient, so they are not unread."""
    read_since = select(EConsultRead.econsult_id).where(
        EConsultRead.econsult_id == EConsult.id,
        EConsultRead.read_up_to >= EConsult.last_patient_message_at)
    if practitioner_id is not None:
        read_since = read_since.where(EConsultRead.practitioner_id == practitioner_id)
    return and_(EConsult.waiting_since.is_not(None), ~exists(read_since))


def _codes(value: Any) -> list[str]:
    """A stored list of problem codes, read defensively (None, or anything but a list: none)."""
    if not isinstance(value, list):
        return []
    return [code for code in value if isinstance(code, str)]


def photos_of(detail: ConsultDetail) -> list[AttachmentView]:
    """The stored photos of a thread, oldest message first."""
    return [a for m in detail.messages for a in m.attachments
            if a.sha256 and (a.content_type or "image/").startswith("image/")]
