"""The one place an audit event (NEN 7513) is written: what happened, when, to which patient,
by whom (and their role then), on whose behalf, from which workstation. Ids and codes only.

Every event is chained: it carries its place in the chain (`chain_seq`) and an HMAC-SHA256,
keyed by the practice's audit key (OS keyring, services/secrets.py), over its own fields and
the previous event's MAC. Whoever can only reach the database cannot change, remove or add an
event without `workbench audit verify` (services/audit_verify.py) finding it.

Without the key nothing is written: `AuditUnavailable` is raised, so whatever the event would
record (showing a patient's text, an action) does not happen either. Events from before the
chain (a store older than migration 0008) are sealed into it, in id order, when the chain
begins: by the first event written with a key, or by `workbench audit key set`."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from workbench.services.errors import AuditUnavailable
from workbench.store.models import AuditChain, AuditEvent, Patient, Practitioner
from workbench.store.timeutil import as_utc

HEAD_ID = 1  # the one row of audit_chain

# The chained fields, in the order the MAC covers them (after chain_seq, before the previous MAC).
CHAINED_COLUMNS = (AuditEvent.occurred_at, AuditEvent.event, AuditEvent.econsult_id,
                   AuditEvent.patient_id, AuditEvent.user_id, AuditEvent.responsible_id,
                   AuditEvent.workstation, AuditEvent.detail, AuditEvent.patient_bsn,
                   AuditEvent.user_role)


def audit_key() -> bytes:
    from keyring.errors import KeyringError

    from workbench.services.secrets import get_audit_key
    try:
        key = get_audit_key()
    except KeyringError as exc:  # no usable keyring on this computer: no key either
        raise AuditUnavailable("no_keyring") from exc
    if key is None:
        raise AuditUnavailable("no_key")
    return key


def write_audit_event(session: Session, *, event: str, occurred_at: datetime,
                      user_id: int, responsible_id: int, econsult_id: int | None = None,
                      patient_id: int | None = None, workstation: str | None = None,
                      detail: dict[str, Any] | None = None) -> AuditEvent:
    """Adds the event in the caller's transaction. The patient's BSN and the user's role are
    kept as they are now, so a later access report still says who looked and at whom."""
    key = audit_key()  # before anything is written
    bsn = session.scalar(select(Patient.bsn).where(Patient.id == patient_id)) \
        if patient_id is not None else None
    role = session.scalar(select(Practitioner.role).where(Practitioner.id == user_id))
    # As the database will hand them back, so the MAC is over what is stored: UTC, and the
    # detail as JSON gives it back.
    row = AuditEvent(occurred_at=as_utc(occurred_at), event=event, econsult_id=econsult_id,
                     patient_id=patient_id, user_id=user_id, responsible_id=responsible_id,
                     workstation=(workstation or socket.gethostname())[:100],
                     detail=json.loads(json.dumps(detail)) if detail is not None else None,
                     patient_bsn=bsn, user_role=role.value if role is not None else None)
    seq, previous = _lock_head(session)
    if seq == 1:
        seq, previous = _seal_unchained(session, key, previous)
    row.chain_seq, row.mac = seq, event_mac(key, seq, _fields_of(row), previous)
    session.add(row)
    _set_head(session, seq, row.mac)
    return row


def seal_unchained_events(engine: Engine) -> int:
    """Chain the events from before the chain, if the chain has not begun: how many."""
    key = audit_key()
    with Session(engine) as session, session.begin():
        seq, previous = _lock_head(session)
        if seq != 1:
            _set_head(session, seq - 1, previous)  # the chain began already: nothing to seal
            return 0
        last, mac = _seal_unchained(session, key, previous)
        _set_head(session, last - 1, mac)
        return last - 1


def _lock_head(session: Session) -> tuple[int, str]:
    """Take the chain's head for this transaction: the next place and the previous MAC.
    The UPDATE comes first so it locks: the head's row on PostgreSQL (a concurrent writer
    waits for this transaction, then counts on from its result), SQLite's one write lock
    (reads before the first write of a transaction do not hold a snapshot there)."""
    taken = session.execute(update(AuditChain.__table__).where(
        AuditChain.__table__.c.id == HEAD_ID).values(seq=AuditChain.__table__.c.seq + 1))
    if taken.rowcount != 1:
        raise AuditUnavailable("no_head")
    seq, mac = session.execute(select(AuditChain.seq, AuditChain.mac).where(
        AuditChain.id == HEAD_ID)).one()
    return seq, mac


def _set_head(session: Session, seq: int, mac: str) -> None:
    session.execute(update(AuditChain.__table__).where(
        AuditChain.__table__.c.id == HEAD_ID).values(seq=seq, mac=mac))


def _seal_unchained(session: Session, key: bytes, previous: str) -> tuple[int, str]:
    """At the chain's start: the events written before it get places 1, 2, ... in id order.
    Returns the place for the next event and the MAC before it."""
    seq = 1
    unchained = session.execute(select(AuditEvent.id, *CHAINED_COLUMNS).where(
        AuditEvent.chain_seq.is_(None)).order_by(AuditEvent.id)).all()
    for event_id, *fields in unchained:
        previous = event_mac(key, seq, fields, previous)
        session.execute(update(AuditEvent.__table__).where(
            AuditEvent.__table__.c.id == event_id).values(chain_seq=seq, mac=previous))
        seq += 1
    return seq, previous


def _fields_of(row: AuditEvent) -> list[Any]:
    return [getattr(row, column.key) for column in CHAINED_COLUMNS]


def event_mac(key: bytes, seq: int, fields: list[Any] | tuple[Any, ...], previous: str) -> str:
    """HMAC-SHA256 (hex) over the event's place, its fields (in CHAINED_COLUMNS' order) and
    the previous event's MAC ("" for the first)."""
    return hmac.new(key, canonical_bytes(seq, fields, previous), hashlib.sha256).hexdigest()


def canonical_bytes(seq: int, fields: list[Any] | tuple[Any, ...], previous: str) -> bytes:
    """One byte string for the same values however they were read back: the time in UTC
    (SQLite hands back naive UTC, PostgreSQL an aware time), JSON with sorted keys."""
    occurred_at, *rest = fields
    moment = as_utc(occurred_at).astimezone(timezone.utc).isoformat(timespec="microseconds")
    return json.dumps([seq, moment, *rest, previous], sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")
