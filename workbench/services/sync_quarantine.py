"""What a pull keeps of a resource it cannot show: the row for "Niet verwerkt", with the raw
resource as any database can store it."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from workbench.services import fhir

log = logging.getLogger("workbench.services.sync")


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
