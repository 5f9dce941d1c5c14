"""Parse and validate the FHIR R4 resources of the portal contract into plain dataclasses."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

ECONSULT_SYSTEM = "urn:oid:2.16.840.1.113883.2.4.4.30.14"
ECONSULT_CODE = "12"
BSN_SYSTEM = "http://fhir.nl/fhir/NamingSystem/bsn"
AGB_SYSTEM = "http://fhir.nl/fhir/NamingSystem/agb-z"
COMMUNICATION_STATUSES = frozenset({"preparation", "in-progress", "not-done", "on-hold",
                                    "stopped", "completed", "entered-in-error", "unknown"})
_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")


class ContractViolation(ValueError):
    """A resource that breaks the portal contract; the message is the quarantine reason."""


@dataclass(frozen=True)
class Reference:
    resource_type: str
    id: str

    def __str__(self) -> str:
        return f"{self.resource_type}/{self.id}"


@dataclass
class ParsedPatient:
    portal_id: str
    version: str
    name: str
    family_name: str | None
    bsn: str | None
    birth_date: date | None
    gender: str | None


@dataclass
class ParsedRelatedPerson:
    portal_id: str
    version: str
    patient: Reference
    name: str
    relationship_code: str | None
    relationship_text: str | None


@dataclass
class ParsedPractitioner:
    portal_id: str
    version: str
    name: str
    agb_code: str | None


@dataclass
class ParsedRole:
    practitioner: Reference
    role: str | None  # "huisarts", "poh", "assistent" or None when not recognised


@dataclass
class ParsedOrganization:
    portal_id: str
    version: str
    name: str
    agb_code: str | None
    phone: str | None


@dataclass
class ParsedAttachment:
    position: int
    content_type: str | None
    title: str | None
    declared_size: int | None
    declared_sha1: str | None  # hex
    url: str | None
    data_base64: str | None  # inline data, decoded and checked by decode_inline()
    created: datetime | None


@dataclass
class ParsedCommunication:
    portal_id: str
    version: str
    last_updated: str
    status: str
    subject: Reference
    sender: Reference
    sent: datetime
    topic: str
    text: str
    in_response_to: str | None
    attachments: list[ParsedAttachment] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)  # kept for quarantine
    identifier: str | None = None  # ours, when we made the message (conditional create)


def resource_identity(resource: Any) -> tuple[str, str, str]:
    """(type, id, version) of whatever came in, for quarantine rows; never raises."""
    if not isinstance(resource, dict):
        return "unknown", "", ""
    meta = resource.get("meta") if isinstance(resource.get("meta"), dict) else {}
    return (str(resource.get("resourceType") or "unknown")[:40], str(resource.get("id") or "")[:64],
            str(meta.get("versionId") or meta.get("lastUpdated") or "")[:64])


def parse_instant(value: Any, what: str) -> datetime:
    if not isinstance(value, str) or not _DATETIME.match(value):
        raise ContractViolation(f"{what} is not a FHIR dateTime: {value!r}")
    text = value.replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text) if "T" in text else datetime.fromisoformat(
            text + "T00:00:00")
    except ValueError as exc:
        raise ContractViolation(f"{what} is not a valid date and time: {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def _require_id(resource: dict[str, Any], expected_type: str) -> tuple[str, str]:
    if not isinstance(resource, dict) or resource.get("resourceType") != expected_type:
        raise ContractViolation(f"expected a {expected_type} resource")
    resource_id = resource.get("id")
    if not isinstance(resource_id, str) or not _ID.match(resource_id):
        raise ContractViolation(f"{expected_type} has no valid id: {resource_id!r}")
    meta = resource.get("meta") if isinstance(resource.get("meta"), dict) else {}
    version = meta.get("versionId") or meta.get("lastUpdated") or "0"
    return resource_id, str(version)


def parse_reference(value: Any, what: str, allowed: tuple[str, ...]) -> Reference:
    if not isinstance(value, dict) or not isinstance(value.get("reference"), str):
        raise ContractViolation(f"{what} is missing")
    parts = value["reference"].split("/")
    # Absolute references end in Type/id (optionally followed by _history/n).
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    if len(parts) < 2 or parts[-2] not in allowed or not _ID.match(parts[-1]):
        raise ContractViolation(f"{what} must reference one of {', '.join(allowed)}: "
                                f"{value['reference']!r}")
    return Reference(parts[-2], parts[-1])


def human_name(names: Any) -> tuple[str, str | None]:
    """(display name, family name) from a FHIR HumanName list; the 'official' one preferred."""
    if not isinstance(names, list) or not names:
        return "", None
    chosen = next((n for n in names if isinstance(n, dict) and n.get("use") == "official"),
                  names[0])
    if not isinstance(chosen, dict):
        return "", None
    if isinstance(chosen.get("text"), str) and chosen["text"].strip():
        return chosen["text"].strip(), chosen.get("family")
    given = " ".join(g for g in chosen.get("given") or () if isinstance(g, str))
    family = chosen.get("family") if isinstance(chosen.get("family"), str) else None
    prefix = " ".join(p for p in chosen.get("prefix") or () if isinstance(p, str))
    display = " ".join(part for part in (prefix, given, family) if part)
    return display, family


def _identifier(resource: dict[str, Any], system: str) -> str | None:
    for identifier in resource.get("identifier") or ():
        if isinstance(identifier, dict) and identifier.get("system") == system:
            value = identifier.get("value")
            return value if isinstance(value, str) else None
    return None


def is_valid_bsn(bsn: str) -> bool:
    """The eleven-test (elfproef) of a Dutch citizen service number."""
    if not re.fullmatch(r"\d{9}", bsn):
        return False
    total = sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1))) - int(bsn[8])
    return total % 11 == 0 and bsn != "000000000"


def parse_patient(resource: dict[str, Any]) -> ParsedPatient:
    portal_id, version = _require_id(resource, "Patient")
    name, family = human_name(resource.get("name"))
    bsn = _identifier(resource, BSN_SYSTEM)
    if bsn is not None and not is_valid_bsn(bsn):
        raise ContractViolation(f"Patient BSN fails the eleven-test: ends in {bsn[-3:]!r}")
    birth = resource.get("birthDate")
    birth_date = None
    if birth is not None:
        if not isinstance(birth, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", birth):
            raise ContractViolation(f"Patient birthDate is not a full date: {birth!r}")
        try:
            birth_date = date.fromisoformat(birth)
        except ValueError as exc:
            raise ContractViolation(f"Patient birthDate is not a date: {birth!r}") from exc
    gender = resource.get("gender") if isinstance(resource.get("gender"), str) else None
    return ParsedPatient(portal_id, version, name or f"Patient {portal_id}", family, bsn,
                         birth_date, gender)


def parse_related_person(resource: dict[str, Any]) -> ParsedRelatedPerson:
    portal_id, version = _require_id(resource, "RelatedPerson")
    patient = parse_reference(resource.get("patient"), "RelatedPerson.patient", ("Patient",))
    name, _family = human_name(resource.get("name"))
    code = text = None
    relationships = resource.get("relationship") or []
    if relationships and isinstance(relationships[0], dict):
        concept = relationships[0]
        codings = concept.get("coding") or []
        if codings and isinstance(codings[0], dict):
            code = codings[0].get("code")
            text = codings[0].get("display")
        text = concept.get("text") or text
    return ParsedRelatedPerson(portal_id, version, patient, name or f"Contact {portal_id}",
                               code, text)


def parse_practitioner(resource: dict[str, Any]) -> ParsedPractitioner:
    portal_id, version = _require_id(resource, "Practitioner")
    name, _family = human_name(resource.get("name"))
    return ParsedPractitioner(portal_id, version, name or f"Medewerker {portal_id}",
                              _identifier(resource, AGB_SYSTEM))


_ROLE_WORDS = (("praktijkondersteuner", "poh"), ("poh", "poh"), ("huisarts", "huisarts"),
               ("general practitioner", "huisarts"), ("assistent", "assistent"),
               ("assistant", "assistent"))


def parse_practitioner_role(resource: dict[str, Any]) -> ParsedRole:
    _require_id(resource, "PractitionerRole")
    practitioner = parse_reference(resource.get("practitioner"), "PractitionerRole.practitioner",
                                   ("Practitioner",))
    words: list[str] = []
    for concept in resource.get("code") or ():
        if isinstance(concept, dict):
            words.append(str(concept.get("text") or ""))
            words.extend(str(c.get("display") or "") for c in concept.get("coding") or ()
                         if isinstance(c, dict))
    text = " ".join(words).lower()
    role = next((role for word, role in _ROLE_WORDS if word in text), None)
    return ParsedRole(practitioner, role)


def parse_organization(resource: dict[str, Any]) -> ParsedOrganization:
    portal_id, version = _require_id(resource, "Organization")
    phone = next((t.get("value") for t in resource.get("telecom") or ()
                  if isinstance(t, dict) and t.get("system") == "phone"), None)
    return ParsedOrganization(portal_id, version, str(resource.get("name") or portal_id),
                              _identifier(resource, AGB_SYSTEM), phone)


def _is_econsult(resource: dict[str, Any]) -> bool:
    for concept in resource.get("category") or ():
        for coding in (concept.get("coding") or ()) if isinstance(concept, dict) else ():
            if isinstance(coding, dict) and coding.get("system") == ECONSULT_SYSTEM \
                    and coding.get("code") == ECONSULT_CODE:
                return True
    return False


def _parse_attachment(position: int, value: Any) -> ParsedAttachment:
    if not isinstance(value, dict):
        raise ContractViolation(f"payload[{position}].contentAttachment is not an object")
    url, data_b64 = value.get("url"), value.get("data")
    if not url and not data_b64:
        raise ContractViolation(f"payload[{position}] attachment has neither data nor url")
    size = value.get("size")
    if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 0):
        raise ContractViolation(f"payload[{position}] attachment size is invalid: {size!r}")
    sha1_hex = None
    if value.get("hash") is not None:
        try:
            sha1 = base64.b64decode(value["hash"], validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise ContractViolation(f"payload[{position}] attachment hash is not base64") from None
        if len(sha1) != 20:
            raise ContractViolation(f"payload[{position}] attachment hash is not a SHA-1")
        sha1_hex = sha1.hex()
    if data_b64 is not None and not isinstance(data_b64, str):
        raise ContractViolation(f"payload[{position}] attachment data is not base64")
    created = None
    if value.get("creation") is not None:
        created = parse_instant(value["creation"], f"payload[{position}] attachment creation")
    content_type = value.get("contentType") if isinstance(value.get("contentType"), str) else None
    title = value.get("title") if isinstance(value.get("title"), str) else None
    return ParsedAttachment(position, content_type, title, size, sha1_hex,
                            url if isinstance(url, str) else None, data_b64 or None, created)


def decode_inline(attachment: ParsedAttachment) -> bytes:
    """The inline bytes, checked against the declared size and hash. Kept apart from parsing
    so that the decoding and hashing of photos can run on worker threads."""
    assert attachment.data_base64 is not None
    try:
        data = base64.b64decode(attachment.data_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ContractViolation(
            f"payload[{attachment.position}] attachment data is not base64") from None
    problem = check_attachment_bytes(data, attachment.declared_size, attachment.declared_sha1)
    if problem:
        raise ContractViolation(f"payload[{attachment.position}] inline attachment: {problem}")
    return data


def check_attachment_bytes(data: bytes, size: int | None, sha1_hex: str | None) -> str | None:
    """Why these bytes do not match their declared size and hash, or None when they do."""
    if size is not None and len(data) != size:
        return f"size {len(data)} bytes, declared {size}"
    if sha1_hex is not None and hashlib.sha1(data).hexdigest() != sha1_hex:
        return "SHA-1 hash does not match the declared hash"
    return None


def parse_communication(resource: dict[str, Any]) -> ParsedCommunication:
    portal_id, version = _require_id(resource, "Communication")
    meta = resource.get("meta") if isinstance(resource.get("meta"), dict) else {}
    last_updated = meta.get("lastUpdated")
    parse_instant(last_updated, "meta.lastUpdated")
    status = resource.get("status")
    if status not in COMMUNICATION_STATUSES:
        raise ContractViolation(f"status is not a Communication status: {status!r}")
    if not _is_econsult(resource):
        raise ContractViolation("category is not e-consult (NHG-Tabel 14 code 12)")
    subject = parse_reference(resource.get("subject"), "subject", ("Patient",))
    sender = parse_reference(resource.get("sender"), "sender",
                             ("Patient", "RelatedPerson", "Practitioner"))
    sent = parse_instant(resource.get("sent", last_updated), "sent")
    topic = resource.get("topic")
    topic_text = topic.get("text") if isinstance(topic, dict) else None
    if not isinstance(topic_text, str):
        topic_text = ""
    in_response_to = None
    replies_to = resource.get("inResponseTo") or []
    if replies_to:
        in_response_to = parse_reference(replies_to[0], "inResponseTo", ("Communication",)).id
    payload = resource.get("payload")
    if not isinstance(payload, list) or not payload:
        raise ContractViolation("payload is missing: a message needs text or an attachment")
    texts: list[str] = []
    attachments: list[ParsedAttachment] = []
    for position, item in enumerate(payload):
        if not isinstance(item, dict):
            raise ContractViolation(f"payload[{position}] is not an object")
        if isinstance(item.get("contentString"), str):
            texts.append(item["contentString"])
        elif "contentAttachment" in item:
            attachments.append(_parse_attachment(position, item["contentAttachment"]))
        else:
            raise ContractViolation(f"payload[{position}] has no contentString or "
                                    "contentAttachment")
    return ParsedCommunication(portal_id, version, last_updated, status, subject, sender, sent,
                               topic_text.strip()[:300], "\n\n".join(texts), in_response_to,
                               attachments, resource, _first_identifier(resource))


def _first_identifier(resource: dict[str, Any]) -> str | None:
    for identifier in resource.get("identifier") or ():
        if isinstance(identifier, dict) and isinstance(identifier.get("value"), str):
            return identifier["value"][:80]
    return None
