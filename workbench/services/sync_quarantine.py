"""What a pull keeps of a resource it cannot show: the row for "Niet verwerkt", with the raw
resource as any database can store it."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from workbench.services import fhir
from workbench.services.sync_rows import among, dialect_insert
from workbench.store.models import QuarantinedResource, QuarantineState

log = logging.getLogger("workbench.services.sync")

_QUARANTINE = QuarantinedResource.__table__


def quarantine_row(resource: Any, reason: str, *, transient: bool = False) -> dict[str, Any]:
    """A quarantine row for a resource that cannot be shown: raw JSON kept with the reason.
    `transient`: the cause may pass by itself (it is tried again on every pull either way)."""
    resource_type, portal_id, version = fhir.resource_identity(resource)
    # The log gets ids and the kind of problem only; the raw resource may hold medical text.
    log.warning("quarantined %s/%s version %s: %s", resource_type, portal_id, version,
                reason.split(":")[0])
    return {"resource_type": resource_type, "portal_id": portal_id, "portal_version": version,
            "reason": reason.replace("\x00", "")[:1000], "transient": transient,
            "raw": storable_json(resource)}


def storable_json(resource: Any) -> dict[str, Any]:
    """The raw resource as any database can keep it: PostgreSQL text refuses NUL characters,
    and a resource nested absurdly deep or very large is kept as a short note instead."""
    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace("\x00", "")
        if isinstance(value, dict):
            return {clean(str(k)): clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value
    try:
        cleaned = clean(resource)
        if len(json.dumps(cleaned)) > 5_000_000:
            return {"value": "(too large to keep)"}
    except (TypeError, ValueError, RecursionError):
        return {"value": "(not representable)"}
    return cleaned if isinstance(cleaned, dict) else {"value": cleaned}


def unreadable_page_row(since: str | None, offset: int, exc: BaseException) -> dict[str, Any]:
    """A note for "Niet verwerkt" of one resource the portal cannot send readably; its id is
    unknown, so it is named by where it stood in the search."""
    where = f"{since or 'start'}+{offset}"
    return {"resource_type": "Communication", "portal_id": "",
            "portal_version": hashlib.sha1(where.encode()).hexdigest()[:16],
            "reason": f"one e-consult at position {offset} after {since or 'the start'} could "
                      f"not be read: {type(exc).__name__}", "transient": False,
            "raw": {"search_since": since, "offset": offset}}


def write_rows(connection: Connection, rows: list[dict[str, Any]], now: datetime) -> int:
    """Store quarantine rows; returns how many are new. The same version failing again
    counts an attempt on its open row; a new version replaces the older one's open row."""
    added = 0
    for row in rows:
        key = (_QUARANTINE.c.resource_type == row["resource_type"],
               _QUARANTINE.c.portal_id == row["portal_id"])
        same = connection.execute(select(_QUARANTINE.c.id, _QUARANTINE.c.state).where(
            *key, _QUARANTINE.c.portal_version == row["portal_version"])).first()
        if same is not None:
            if same.state == QuarantineState.OPEN.value:
                connection.execute(update(_QUARANTINE).where(_QUARANTINE.c.id == same.id)
                                   .values(reason=row["reason"], transient=row["transient"],
                                           attempts=_QUARANTINE.c.attempts + 1,
                                           last_attempt_at=now))
            continue
        if row["portal_id"]:
            connection.execute(update(_QUARANTINE).where(
                *key, _QUARANTINE.c.state == QuarantineState.OPEN.value).values(
                state=QuarantineState.RESOLVED.value, resolved_at=now))
        connection.execute(dialect_insert(connection, _QUARANTINE).values(
            **row, quarantined_at=now, last_attempt_at=now, attempts=1,
            state=QuarantineState.OPEN.value))
        added += 1
    return added


def resolve_stored(connection: Connection, stored: dict[str, set[str]], now: datetime) -> int:
    """Open quarantine rows of resources now stored (resource type -> portal ids) are
    resolved: they leave "Niet verwerkt". Returns how many."""
    resolved = 0
    for resource_type, ids in stored.items():
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):
            resolved += connection.execute(update(_QUARANTINE).where(
                _QUARANTINE.c.resource_type == resource_type,
                among(connection, _QUARANTINE.c.portal_id, ordered[start:start + 500]),
                _QUARANTINE.c.state == QuarantineState.OPEN.value).values(
                state=QuarantineState.RESOLVED.value, resolved_at=now)).rowcount
    return resolved
