"""SQLAlchemy 2 typed ORM models of the local store."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names so Alembic migrations behave the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _enum(cls: type[enum.Enum]) -> Enum:
    # Store the enum's value (e.g. "huisarts"), as a plain string column on both databases.
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e],
                validate_strings=True)


class Role(str, enum.Enum):
    GP = "huisarts"
    POH = "poh"
    ASSISTANT = "assistent"
    MANAGER = "praktijkmanager"  # manages users, exports declarations and audit reports


class ConsultStatus(str, enum.Enum):
    INBOX = "inbox"            # waiting for triage by the assistants
    WORKLIST = "worklist"      # routed to a practitioner's worklist
    WAITING = "waiting"        # waiting for the patient
    CLOSED = "closed"


class Urgency(str, enum.Enum):
    NORMAL = "normaal"
    URGENT = "urgent"


class Direction(str, enum.Enum):
    IN = "in"    # from the patient or carer
    OUT = "out"  # from the practice


class AuthorKind(str, enum.Enum):
    PATIENT = "patient"
    RELATED_PERSON = "related_person"
    PRACTITIONER = "practitioner"


class Practice(Base):
    __tablename__ = "practice"

    id: Mapped[int] = mapped_column(primary_key=True)
    portal_id: Mapped[str] = mapped_column(String(64), unique=True)
    agb_code: Mapped[str | None] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    portal_version: Mapped[str | None] = mapped_column(String(64))


class Practitioner(Base):
    """A person of the practice: from the portal's Practitioner (portal_id) and/or a user
    account the practice keeps (a password to sign in with). Secrets are hashes only."""

    __tablename__ = "practitioner"

    id: Mapped[int] = mapped_column(primary_key=True)
    portal_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role | None] = mapped_column(_enum(Role))
    agb_code: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    portal_version: Mapped[str | None] = mapped_column(String(64))
    # -- the account (NEN 7510: identification and authentication) --
    username: Mapped[str | None] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))  # Argon2id
    pin_hash: Mapped[str | None] = mapped_column(String(255))       # Argon2id, 4-6 digits
    totp_secret: Mapped[str | None] = mapped_column(String(64))     # a second factor
    totp_required: Mapped[bool] = mapped_column(default=False)
    os_account: Mapped[str | None] = mapped_column(String(200))     # single sign-on
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Patient(Base):
    __tablename__ = "patient"

    id: Mapped[int] = mapped_column(primary_key=True)
    portal_id: Mapped[str] = mapped_column(String(64), unique=True)
    bsn: Mapped[str | None] = mapped_column(String(9), index=True)
    name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str | None] = mapped_column(String(120), index=True)
    birth_date: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(16))
    portal_version: Mapped[str | None] = mapped_column(String(64))
    # A birth date the portal gave only in part ("1980" or "1980-05"), as sent.
    birth_date_text: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(40))
    # What was wrong with the portal's data, imported anyway: codes such as "bsn_invalid",
    # "birth_date_partial", "name_shortened" (see services/data_problems.py).
    data_problems: Mapped[list | None] = mapped_column(JSON)


class RelatedPerson(Base):
    """A parent or carer who writes on behalf of a patient."""

    __tablename__ = "related_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    portal_id: Mapped[str] = mapped_column(String(64), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    relationship_code: Mapped[str | None] = mapped_column(String(16))
    relationship_text: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(40))
    portal_version: Mapped[str | None] = mapped_column(String(64))

    patient: Mapped[Patient] = relationship()


class EConsult(Base):
    """A thread about one subject patient: the root Communication and everything in response."""

    __tablename__ = "econsult"
    __table_args__ = (
        Index("ix_econsult_status_waiting", "status", "last_patient_message_at"),
        Index("ix_econsult_assignee_status", "assignee_id", "status"),
        # The list's default order within a view (urgent, then longest waiting), for views
        # by status alone and by status and assignee.
        Index("ix_econsult_list_order", "status", "sort_rank", "waiting_since", "id"),
        Index("ix_econsult_worklist_order", "status", "assignee_id", "sort_rank",
              "waiting_since", "id"),
        Index("ix_econsult_status_unread", "status", "unread"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    portal_id: Mapped[str] = mapped_column(String(64), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    sender_related_person_id: Mapped[int | None] = mapped_column(ForeignKey("related_person.id"))
    subject: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[ConsultStatus] = mapped_column(_enum(ConsultStatus), default=ConsultStatus.INBOX)
    portal_status: Mapped[str] = mapped_column(String(20))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"))
    urgency: Mapped[Urgency] = mapped_column(_enum(Urgency), default=Urgency.NORMAL)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_patient_message_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    photo_count: Mapped[int] = mapped_column(Integer, default=0)
    portal_version: Mapped[str] = mapped_column(String(64))
    # Since when the patient waits for the practice (None: nothing unanswered).
    waiting_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Superseded by EConsultRead (unread is per person): still written, no longer read.
    unread: Mapped[bool] = mapped_column(default=True, server_default="1")
    # Alarm phrases found in the patient's text: advice only, until a person decides.
    urgency_advice: Mapped[list | None] = mapped_column(JSON)
    advice_dismissed: Mapped[bool] = mapped_column(default=False, server_default="0")
    # 0 urgent (flag or undismissed advice), 2 waiting, 3 the rest: the list's order (1 was
    # "unread" until unread became per person; migration 0007 moved those rows to 2 or 3).
    sort_rank: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    routing_note: Mapped[str | None] = mapped_column(Text)
    invite_to_surgery: Mapped[bool] = mapped_column(default=False, server_default="0")
    close_reason: Mapped[str | None] = mapped_column(String(40))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # "Vraag om evaluatie over N dagen": back in this person's worklist when due unanswered.
    follow_up_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    follow_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"))
    # What was wrong with the thread's messages, imported anyway ("subject_shortened", ...).
    data_problems: Mapped[list | None] = mapped_column(JSON)
    # Raised by every change (the ORM compares and sets it on each UPDATE; the pull's own
    # UPDATE statements raise it too): an action based on an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # The newest change, said when a stale action is refused: an audited action's name (or
    # "patient_wrote" from the pull), by whom (None: the patient) and when.
    change_kind: Mapped[str | None] = mapped_column(String(30))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"))
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # How the patient wrote: "portal" or "mail" (secure mail, see MailItem).
    channel: Mapped[str] = mapped_column(String(10), default="portal", server_default="portal")

    __mapper_args__ = {"version_id_col": version}

    patient: Mapped[Patient] = relationship()
    sender_related_person: Mapped[RelatedPerson | None] = relationship()
    assignee: Mapped[Practitioner | None] = relationship(foreign_keys=[assignee_id])
    messages: Mapped[list[Message]] = relationship(
        back_populates="econsult", order_by="Message.sent_at")


class EConsultRead(Base):
    """When a person last opened an e-consult, and the patient's last message they saw then.
    It is unread for them once a newer patient message arrives (see InboxQueries)."""

    __tablename__ = "econsult_read"

    econsult_id: Mapped[int] = mapped_column(ForeignKey("econsult.id"), primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # EConsult.last_patient_message_at when it was opened: compared with the portal's own
    # times, so neither clock differences nor times in whole seconds hide a new reply.
    read_up_to: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Message(Base):
    __tablename__ = "message"
    __table_args__ = (Index("ix_message_advised", "advised", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    econsult_id: Mapped[int] = mapped_column(ForeignKey("econsult.id"), index=True)
    portal_id: Mapped[str] = mapped_column(String(64), unique=True)
    portal_version: Mapped[str] = mapped_column(String(64))
    direction: Mapped[Direction] = mapped_column(_enum(Direction))
    author_kind: Mapped[AuthorKind] = mapped_column(_enum(AuthorKind))
    author_portal_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    in_response_to: Mapped[str | None] = mapped_column(String(64))
    # Our own messages: the identifier made at send time (conditional create on the portal)
    # and how far delivery is; None for messages that came from the portal.
    identifier: Mapped[str | None] = mapped_column(String(80), index=True, unique=True)
    delivery: Mapped[str | None] = mapped_column(String(20))
    # Urgency advice has looked at this message (it runs beside the pull, newest first).
    advised: Mapped[bool] = mapped_column(default=True, server_default="1")
    # Secure mail: the mail's Message-ID (a patient's mail, or our answer by mail), by which
    # replies thread onto their e-consult (In-Reply-To, References).
    mail_message_id: Mapped[str | None] = mapped_column(String(300), index=True)

    econsult: Mapped[EConsult] = relationship(back_populates="messages")
    attachments: Mapped[list[Attachment]] = relationship(back_populates="message",
                                                         order_by="Attachment.position")


class Attachment(Base):
    """Metadata of one attachment; the bytes live content-addressed on disk (BlobStore)."""

    __tablename__ = "attachment"
    __table_args__ = (UniqueConstraint("message_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    declared_size: Mapped[int | None] = mapped_column(BigInteger)
    declared_sha1: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str | None] = mapped_column(String(1000))
    size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    created: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    stored_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(500))

    message: Mapped[Message] = relationship(back_populates="attachments")


class QuarantineState(str, enum.Enum):
    OPEN = "open"  # not shown in the inbox yet: retried on every pull, listed in "Niet verwerkt"
    RESOLVED = "resolved"  # a later pull stored it after all
    HANDLED = "handled"  # a person dealt with it outside Workbench (reason recorded, audited)


class QuarantinedResource(Base):
    """A portal resource that could not be shown at all, kept with its reason; retried on every
    pull until it is stored or a person marks it handled."""

    __tablename__ = "quarantined_resource"
    __table_args__ = (UniqueConstraint("resource_type", "portal_id", "portal_version"),
                      Index("ix_quarantined_resource_state", "state", "quarantined_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_type: Mapped[str] = mapped_column(String(40))
    portal_id: Mapped[str] = mapped_column(String(64))
    portal_version: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(1000))
    raw: Mapped[dict] = mapped_column(JSON)
    quarantined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[QuarantineState] = mapped_column(
        _enum(QuarantineState), default=QuarantineState.OPEN, server_default="open")
    # The cause may pass by itself (a 404 on a referenced resource, 5xx, a time-out).
    transient: Mapped[bool] = mapped_column(default=False, server_default="0")
    attempts: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"))
    handled_reason: Mapped[str | None] = mapped_column(String(500))


class MailAddressSource(str, enum.Enum):
    PORTAL = "portal"  # the portal's Patient.telecom e-mail
    VERIFIED = "verified"  # a person checked it and linked it in Workbench (audited)


class MailAddress(Base):
    """An e-mail address the practice trusts for a patient. A From address can be forged:
    mail from an address not here lands in "Onbekende afzender", and medical answers go only
    to addresses here. One address may belong to several patients (a family)."""

    __tablename__ = "mail_address"
    __table_args__ = (UniqueConstraint("address", "patient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(254), index=True)  # lower case
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    source: Mapped[MailAddressSource] = mapped_column(_enum(MailAddressSource))
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MailState(str, enum.Enum):
    IMPORTED = "imported"  # an e-consult's message now (see econsult_id, message_id)
    UNKNOWN_SENDER = "unknown_sender"  # no patient has this From address: a person links it
    AMBIGUOUS = "ambiguous"  # several patients share the address: a person chooses
    FIXED_REPLY = "fixed_reply"  # answered without medical content, not imported
    UNREADABLE = "unreadable"  # could not be parsed at all; the raw mail is kept


class MailItem(Base):
    """Every mail pulled from the practice's secure-mail folder, once (by its Message-ID, or
    a hash of the mail where it has none), with where it went. The raw mail is kept in the
    blob store, so a mail that waits for a person loses nothing."""

    __tablename__ = "mail_item"
    __table_args__ = (Index("ix_mail_item_state", "state", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_key: Mapped[str] = mapped_column(String(300), unique=True)
    account: Mapped[str] = mapped_column(String(300))  # account@host/folder it came from
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    raw_sha256: Mapped[str] = mapped_column(String(64))
    raw_size: Mapped[int] = mapped_column(BigInteger)
    from_address: Mapped[str | None] = mapped_column(String(254), index=True)
    from_name: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    in_reply_to: Mapped[str | None] = mapped_column(String(300))
    references: Mapped[list | None] = mapped_column(JSON)
    other_recipients: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Codes of what was refused or wrong (an attachment bomb, no date), never content.
    problems: Mapped[list | None] = mapped_column(JSON)
    # Alarm signs in a mail that waits for a person (as EConsult.urgency_advice): an urgent
    # mail from an unknown sender must not wait unseen.
    urgency_advice: Mapped[list | None] = mapped_column(JSON)
    state: Mapped[MailState] = mapped_column(_enum(MailState))
    econsult_id: Mapped[int | None] = mapped_column(ForeignKey("econsult.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"))
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"))
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SyncCursor(Base):
    """How far the incremental pull has come, per portal and resource kind."""

    __tablename__ = "sync_cursor"

    name: Mapped[str] = mapped_column(String(300), primary_key=True)
    last_updated: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """One NEN 7513 log line: which event, when, which patient, which user, on whose behalf.
    `detail` holds ids and codes only, never medical text."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    event: Mapped[str] = mapped_column(String(40))
    econsult_id: Mapped[int | None] = mapped_column(ForeignKey("econsult.id"), index=True)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patient.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"))
    responsible_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"))
    workstation: Mapped[str] = mapped_column(String(100), default="")
    detail: Mapped[dict | None] = mapped_column(JSON)
    # As they were at the time, so an access report survives renames and role changes.
    patient_bsn: Mapped[str | None] = mapped_column(String(9))
    user_role: Mapped[str | None] = mapped_column(String(20))
    # The tamper-evident chain: position and HMAC over the fields and the previous MAC.
    chain_seq: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    mac: Mapped[str | None] = mapped_column(String(64))


class AuditChain(Base):
    """The one row that holds the chain's head; writers lock it, so one event at a time is
    appended, also from several workstations on PostgreSQL."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    mac: Mapped[str] = mapped_column(String(64), default="")


class OutboxState(str, enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # refused by the portal for good; shown to the user


class OutboxItem(Base):
    """Something to deliver to the portal, written in the same transaction as the change that
    caused it; delivered (idempotently) by the outbox sender."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state", "state", "id"),
                      Index("ix_outbox_claim", "state", "claimed_until"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "status", "reply", "mail_reply", ...
    # None: a reply by mail to a sender no e-consult belongs to ("mail_fixed").
    econsult_id: Mapped[int | None] = mapped_column(ForeignKey("econsult.id"), index=True)
    identifier: Mapped[str] = mapped_column(String(80), unique=True)
    payload: Mapped[dict] = mapped_column(JSON)
    state: Mapped[OutboxState] = mapped_column(_enum(OutboxState), default=OutboxState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Which workstation is sending it, until when: another sends it only after that lease ran
    # out (the sender was killed mid-send).
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TemplateScope(str, enum.Enum):
    PRACTICE = "practice"
    PERSONAL = "personal"


class AnswerTemplate(Base):
    """A standard answer with variables; shipped ones carry a stable `key`."""

    __tablename__ = "answer_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    scope: Mapped[TemplateScope] = mapped_column(_enum(TemplateScope))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"), index=True)
    category: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    keywords: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text)
    use_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # A deleted shipped template stays as a hidden row, so a new start does not bring it back.
    hidden: Mapped[bool] = mapped_column(default=False, server_default="0")


class Draft(Base):
    """What someone is typing: saved as they type, back after a crash or restart."""

    __tablename__ = "draft"
    __table_args__ = (UniqueConstraint("econsult_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    econsult_id: Mapped[int] = mapped_column(ForeignKey("econsult.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list | None] = mapped_column(JSON)  # [{"sha256", "title", "type"}]
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TimeSegment(Base):
    """Direct time one person spent on one e-consult (or a practice-started message), never
    changed once written; a correction is a segment of its own with a reason."""

    __tablename__ = "time_segment"
    __table_args__ = (Index("ix_time_segment_patient_start", "patient_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"), index=True)
    econsult_id: Mapped[int | None] = mapped_column(ForeignKey("econsult.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Measured time, or a correction by hand (seconds may be negative) with its reason.
    correction_seconds: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Declaration(Base):
    """One declared consult: the subject patient, who declares, the day, code, minutes."""

    __tablename__ = "declaration"
    __table_args__ = (Index("ix_declaration_day", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"))
    econsult_id: Mapped[int | None] = mapped_column(ForeignKey("econsult.id"))
    day: Mapped[date] = mapped_column(Date)
    code: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(String(200))
    seconds: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(Integer)
    proposed_code: Mapped[str] = mapped_column(String(10))
    override_reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DeclaredSegment(Base):
    """A segment that a declaration has counted: the primary key makes declaring twice fail."""

    __tablename__ = "declared_segment"

    segment_id: Mapped[int] = mapped_column(ForeignKey("time_segment.id"), primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)


class Blob(Base):
    """Attachment bytes in the shared (PostgreSQL) store, content-addressed, so that every
    workstation can show every photo; each workstation caches them on disk."""

    __tablename__ = "blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BlobPreview(Base):
    """A preview made from a blob (a size variant), shared like the blob itself."""

    __tablename__ = "blob_preview"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    variant: Mapped[str] = mapped_column(String(40), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Presence(Base):
    """Someone has an e-consult open ("viewing") or is writing an answer ("answering") at a
    workstation, until `expires_at`: renewed by a heartbeat, removed on close, lock and quit."""

    __tablename__ = "presence"

    econsult_id: Mapped[int] = mapped_column(ForeignKey("econsult.id", ondelete="CASCADE"),
                                             primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"),
                                                 primary_key=True)
    workstation: Mapped[str] = mapped_column(String(100), primary_key=True)
    activity: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class TariffFile(Base):
    """A year's NZa tariff file as the practice loaded it (Beheer > Tarieven): in the store, so
    every workstation of a shared database uses it."""

    __tablename__ = "tariff_file"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    content: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    loaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"))
