"""Patients, related persons, practitioners and organisations met on one page of a pull, and
which of them could not be read."""

from __future__ import annotations

from typing import Any

from workbench.services import fhir
from workbench.services.fhir import ContractViolation
from workbench.services.sync_quarantine import quarantine_row


class References:
    """Patients, related persons, practitioners and organisations met on one page."""

    def __init__(self, stored_versions: dict[tuple[str, str], str] | None = None) -> None:
        # (type, id) -> version written earlier in this run: included again on a later page,
        # such a resource needs neither parsing nor writing.
        self._stored_versions = stored_versions if stored_versions is not None else {}
        self.patients: dict[str, fhir.ParsedPatient] = {}
        self.related: dict[str, fhir.ParsedRelatedPerson] = {}
        self.practitioners: dict[str, fhir.ParsedPractitioner] = {}
        self.organizations: dict[str, fhir.ParsedOrganization] = {}
        # (type, id) -> whether the cause may pass (a 404 now, a portal error)
        self._unavailable: dict[tuple[str, str], bool] = {}

    _PARSERS = {"Patient": (fhir.parse_patient, "patients"),
                "RelatedPerson": (fhir.parse_related_person, "related"),
                "Practitioner": (fhir.parse_practitioner, "practitioners"),
                "Organization": (fhir.parse_organization, "organizations")}

    def add(self, resource: Any, quarantine: list[dict[str, Any]]) -> None:
        resource_type = resource.get("resourceType") if isinstance(resource, dict) else None
        if resource_type not in self._PARSERS:
            return  # OperationOutcome entries and the like carry nothing to store
        parser, attribute = self._PARSERS[resource_type]
        _type, portal_id, version = fhir.resource_identity(resource)
        if version and self._stored_versions.get((resource_type, portal_id)) == version:
            return
        try:
            parsed = parser(resource)
        except ContractViolation as exc:
            self.mark_unavailable(resource_type, portal_id, transient=False)
            quarantine.append(quarantine_row(resource, str(exc)))
            return
        getattr(self, attribute)[parsed.portal_id] = parsed
        self._unavailable.pop((resource_type, parsed.portal_id), None)

    def mark_unavailable(self, resource_type: str, portal_id: str, *, transient: bool) -> None:
        if portal_id not in getattr(self, self._PARSERS[resource_type][1]):
            self._unavailable[(resource_type, portal_id)] = transient

    def is_unavailable(self, resource_type: str, portal_id: str) -> bool:
        return (resource_type, portal_id) in self._unavailable

    def is_transient(self, resource_type: str, portal_id: str) -> bool:
        return self._unavailable.get((resource_type, portal_id), False)

    def unavailable_ids(self, resource_type: str) -> set[str]:
        return {pid for (kind, pid) in self._unavailable if kind == resource_type}

    def mark_stored(self) -> None:
        for resource_type, (_parser, attribute) in self._PARSERS.items():
            for parsed in getattr(self, attribute).values():
                self._stored_versions[(resource_type, parsed.portal_id)] = parsed.version

    def ids(self, resource_type: str) -> set[str]:
        attribute = self._PARSERS[resource_type][1]
        return set(getattr(self, attribute)) | self.unavailable_ids(resource_type)
