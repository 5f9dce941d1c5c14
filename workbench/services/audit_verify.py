"""Checks the audit trail's chain (see services/audit.py) and keeps its anchor.

`verify_chain` walks the events in chain order and returns the first problem, naming the
event: one changed (its MAC no longer fits), missing (a place in the chain is empty: deleted),
written without the key (a MAC that does not fit, or no place in the chain at all), or a head
that does not fit the last event (events cut off the end, or added after it).

Cutting events off the end and setting the head back to the last remaining event leaves a
chain that is whole in itself; the anchor finds that. Each workstation writes the head it saw
(place, MAC, time) to `audit-anchor.json` in its data folder after every pull and on quit; a
chain that is shorter than the anchor, or differs at the anchor's place, has lost events. A
chain that has grown beyond the anchor is fine: other workstations write to a shared store."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, func, select

from workbench.services.audit import CHAINED_COLUMNS, HEAD_ID, audit_key, event_mac
from workbench.store.models import AuditChain, AuditEvent

log = logging.getLogger(__name__)

ANCHOR_FILE = "audit-anchor.json"


@dataclass(frozen=True)
class ChainProblem:
    """What is wrong, for IT: `kind` is one of "changed", "missing", "beyond_head",
    "head", "unchained", "shorter_than_anchor", "differs_from_anchor", "anchor_unreadable";
    `event_id` the event named (None when there is none to name), `seq` its place."""

    kind: str
    text: str
    event_id: int | None = None
    seq: int | None = None


@dataclass(frozen=True)
class ChainReport:
    count: int                    # events in the chain, checked
    problem: ChainProblem | None  # the first one found
    unsealed: int = 0             # events from before the chain, waiting for its start

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class Anchor:
    seq: int
    mac: str
    written_at: str


def anchor_path(data_dir: Path) -> Path:
    return Path(data_dir) / ANCHOR_FILE


def read_anchor(path: Path) -> Anchor | None:
    """The anchor this workstation wrote; None if it has written none. ValueError when the
    file is there but not an anchor."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path} cannot be read: {exc}") from exc
    try:
        return Anchor(int(raw["seq"]), str(raw["mac"]), str(raw.get("written_at", "")))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path} is not an audit anchor") from exc


def verify_chain(engine: Engine, *, anchor_file: Path | None = None,
                 key: bytes | None = None) -> ChainReport:
    """Walk the whole chain. Raises AuditUnavailable without the audit key."""
    key = key if key is not None else audit_key()
    try:
        anchor = read_anchor(anchor_file) if anchor_file is not None else None
    except ValueError as exc:
        return ChainReport(0, ChainProblem("anchor_unreadable", f"{exc}. If IT replaced the "
                                           "store, remove the file; the next pull writes it "
                                           "anew."))
    # One statement, so the head and the events are read from one moment even while other
    # workstations write: the head joined to every chained event in order.
    query = (select(AuditChain.seq, AuditChain.mac, AuditEvent.id, AuditEvent.chain_seq,
                    AuditEvent.mac, *CHAINED_COLUMNS)
             .select_from(AuditChain)
             .outerjoin(AuditEvent, AuditEvent.chain_seq.is_not(None))
             .where(AuditChain.id == HEAD_ID).order_by(AuditEvent.chain_seq))
    problem: ChainProblem | None = None
    expected, previous, last_id = 1, "", None
    head: tuple[int, str] | None = None
    with engine.connect() as connection:
        rows = connection.execution_options(yield_per=1000).execute(query)
        for head_seq, head_mac, event_id, seq, mac, *fields in rows:
            head = (head_seq, head_mac)
            if event_id is None:
                break  # no chained event: the head alone
            if seq != expected:
                problem = ChainProblem(
                    "missing", f"Place {expected}{f' to {seq - 1}' if seq - 1 > expected else ''}"
                    f" of the audit chain is empty: deleted just before event {event_id}.",
                    event_id, seq)
                break
            if event_mac(key, seq, fields, previous) != mac:
                problem = ChainProblem(
                    "changed", f"Audit event {event_id} (place {seq}) does not match its MAC: "
                    "it was changed, or written without the practice's audit key.",
                    event_id, seq)
                break
            if anchor is not None and seq == anchor.seq and mac != anchor.mac:
                problem = ChainProblem(
                    "differs_from_anchor", f"Audit event {event_id} (place {seq}) is not the "
                    f"one this workstation saw there ({anchor.written_at}): the end of the "
                    "chain was replaced.", event_id, seq)
                break
            expected, previous, last_id = expected + 1, mac, event_id
        rows.close()
        count = expected - 1
        unchained = connection.execute(
            select(func.min(AuditEvent.id), func.count()).where(AuditEvent.chain_seq.is_(None))
        ).one()
    if problem is None:
        problem = _head_problem(head, count, previous, last_id) \
            or _anchor_problem(anchor, count, last_id)
    if problem is None and unchained[1] and (count or (head and head[0])):
        problem = ChainProblem(
            "unchained", f"Audit event {unchained[0]} is not in the chain: it was added "
            "without the practice's audit key.", unchained[0])
    return ChainReport(count, problem, unsealed=unchained[1] if not count else 0)


def _head_problem(head: tuple[int, str] | None, count: int, last_mac: str,
                  last_id: int | None) -> ChainProblem | None:
    if head is None:
        return ChainProblem("head", "The audit chain's head (table audit_chain) is missing.")
    seq, mac = head
    if seq > count:
        return ChainProblem(
            "head", f"The audit chain ends at place {count}"
            f"{f' (event {last_id})' if last_id else ''} but its head counts {seq}: events "
            f"{count + 1} to {seq} were cut off the end.", last_id, count)
    if seq < count:
        return ChainProblem(
            "beyond_head", f"The audit chain holds events beyond its head ({seq}): added "
            "without the practice's audit key.", None, seq + 1)
    if mac != last_mac:
        return ChainProblem("head", f"The audit chain's head does not match its last event"
                            f"{f' {last_id}' if last_id else ''} (place {count}).", last_id,
                            count)
    return None


def _anchor_problem(anchor: Anchor | None, count: int,
                    last_id: int | None) -> ChainProblem | None:
    if anchor is None or anchor.seq <= count:
        return None  # at the anchor's place the walk compared the MACs already
    return ChainProblem(
        "shorter_than_anchor", f"The audit chain has {count} events, but this workstation saw "
        f"{anchor.seq} ({anchor.written_at}): events {count + 1} to {anchor.seq} were cut off "
        "the end. (If IT restored the store from a backup, this is expected: remove "
        f"{ANCHOR_FILE} after noting it.)", last_id, count)


def write_anchor(engine: Engine, path: Path,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
                 ) -> Anchor | None:
    """Write the chain's head as this workstation sees it now. An anchor the store no longer
    fits (shorter, or a different event at its place) is kept, not overwritten: it is the
    evidence; `verify_chain` reports it. Returns the anchor written (None: none written)."""
    try:
        old = read_anchor(path)
    except ValueError:
        log.warning("audit anchor %s unreadable; kept for audit verify", path)
        return None
    with engine.connect() as connection:
        head = connection.execute(select(AuditChain.seq, AuditChain.mac).where(
            AuditChain.id == HEAD_ID)).first()
        at_old = connection.scalar(select(AuditEvent.mac).where(
            AuditEvent.chain_seq == old.seq)) if old is not None and old.seq else None
    if head is None or (old is not None and (old.seq, old.mac) == tuple(head)):
        return None
    if old is not None and old.seq and (head.seq < old.seq or at_old != old.mac):
        log.warning("the audit chain does not fit this workstation's anchor (place %s); the "
                    "anchor is kept", old.seq)
        return None
    anchor = Anchor(head.seq, head.mac, clock().astimezone(timezone.utc).isoformat(
        timespec="seconds"))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps({"seq": anchor.seq, "mac": anchor.mac,
                                   "written_at": anchor.written_at}) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return anchor


def write_anchor_quietly(engine: Engine, data_dir: Path) -> None:
    """After a pull and on quit: an anchor that cannot be written is logged, never in the way
    of the pull or of quitting."""
    try:
        write_anchor(engine, anchor_path(data_dir))
    except Exception as exc:  # noqa: BLE001 - logged; the next pull tries again
        log.warning("audit anchor not written: %s", type(exc).__name__)
