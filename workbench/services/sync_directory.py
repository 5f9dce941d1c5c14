"""The first step of a pull: the practice and its practitioners with their roles, from the
portal's directory (Organization, PractitionerRole with its Practitioner). Routing to a GP
needs them; a looping or unreadable directory is reported and does not keep the e-consults
from coming in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, update

from workbench.services import fhir
from workbench.services import sync_pages as pages
from workbench.services.fhir import ContractViolation
from workbench.services.portal_client import (
    PortalClient,
    RequestDeadlineExceeded,
    ResponseTooLarge,
    ResponseUnreadable,
    next_link,
)
from workbench.services.sync_pages import PageTracker
from workbench.services.sync_quarantine import quarantine_row
from workbench.services.sync_references import References
from workbench.services.sync_writer import PageWriter
from workbench.store.models import Practitioner

if TYPE_CHECKING:
    from workbench.services.sync import SyncResult

_PRACTITIONER = Practitioner.__table__


def pull_directory(client: PortalClient, engine: Engine, writer: PageWriter, result: SyncResult,
                   *, read_many: Callable[[str, list[str], SyncResult], dict[str, Any]],
                   write_quarantine: Callable[[Connection, list[dict[str, Any]]], int]) -> None:
    """The practice and its practitioners with their roles (routing needs the GPs).
    `read_many` reads resources by id as the pull does; `write_quarantine` is the pull's."""
    references = References()
    quarantine: list[dict[str, Any]] = []
    roles: dict[str, str | None] = {}
    for bundle in _directory_pages(client, "Organization", [("_count", 50)], result):
        for entry in pages.entries(bundle):
            result.fetched += 1
            references.add(entry["resource"], quarantine)
    params = [("_include", "PractitionerRole:practitioner"), ("_count", 100)]
    for bundle in _directory_pages(client, "PractitionerRole", params, result):
        for entry in pages.entries(bundle):
            result.fetched += 1
            resource = entry["resource"]
            if isinstance(resource, dict) \
                    and resource.get("resourceType") == "PractitionerRole":
                try:
                    role = fhir.parse_practitioner_role(resource)
                    roles[role.practitioner.id] = role.role or roles.get(role.practitioner.id)
                except ContractViolation as exc:
                    quarantine.append(quarantine_row(resource, str(exc)))
            else:
                references.add(resource, quarantine)
    missing = sorted(set(roles) - references.ids("Practitioner"))
    for resource in read_many("Practitioner", missing, result).values():
        references.add(resource, quarantine)
    with engine.begin() as connection:
        writer.upsert_references(connection, references)
        for portal_id, role in roles.items():
            if role is not None:  # an account's role (its rights) is the practice's choice
                connection.execute(update(_PRACTITIONER).where(
                    _PRACTITIONER.c.portal_id == portal_id,
                    _PRACTITIONER.c.username.is_(None)).values(role=role))
        result.quarantined += write_quarantine(connection, quarantine)

def _directory_pages(client: PortalClient, resource_type: str, params: list[tuple[str, Any]],
                     result: SyncResult) -> Iterator[dict[str, Any]]:
    """The pages of a directory search; a looping or unreadable directory is reported and
    left for the next pull, and does not keep the e-consults from coming in."""
    tracker = PageTracker(max_pages=50)
    request: tuple[str, Any] = (resource_type, params)
    while True:
        if tracker.at_cap(result.pages) or tracker.request_seen(*request):
            result.incomplete.append(f"directory_{resource_type}")
            return
        try:
            bundle = client.get_json(*request)
        except (ResponseTooLarge, ResponseUnreadable, RequestDeadlineExceeded) as exc:
            result.errors.append(f"directory {resource_type}: {type(exc).__name__}")
            return
        yield bundle
        url = next_link(bundle)
        if url is None:
            return
        request = (url, None)
