"""Parse and validate the FHIR R4 resources of the portal contract into plain dataclasses.

A patient's message always reaches a person: what is about the patient is parsed leniently
(cleaned, shortened with a visible mark and recorded in ``problems``), what is about safety
(identity, who wrote it, for whom, that it is an e-consult) strictly. Whatever a portal sends,
the parse_* functions raise nothing but ContractViolation.
"""

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
GENDERS = frozenset({"male", "female", "other", "unknown"})
_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}", re.ASCII)
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?", re.ASCII)
_BSN_SHAPE = re.compile(r"\d{9}", re.ASCII)
_BIRTH_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)

# Column widths of the store (characters); values are made to fit, never refused for length.
NAME_LIMIT = 200
FAMILY_LIMIT = 120
TOPIC_LIMIT = 300
RELATIONSHIP_CODE_LIMIT = 16
RELATIONSHIP_TEXT_LIMIT = 80
PHONE_LIMIT = 40
BIRTH_TEXT_LIMIT = 10  # Patient.birth_date_text: "1980-05" fits; a longer oddity is cut
AGB_LIMIT = 16
GENDER_LIMIT = 16
TITLE_LIMIT = 255
CONTENT_TYPE_LIMIT = 100
URL_LIMIT = 1000
VERSION_LIMIT = 64
IDENTIFIER_LIMIT = 80
SHORTENED_MARK = "…"

# Problem codes: stored with the record and translated by the UI, so keep these strings.
BSN_INVALID = "bsn_invalid"
BIRTH_DATE_PARTIAL = "birth_date_partial"
BIRTH_DATE_INVALID = "birth_date_invalid"
GENDER_UNKNOWN = "gender_unknown"
NAME_SHORTENED = "name_shortened"
NAME_MISSING = "name_missing"
TEXT_CLEANED = "text_cleaned"
SUBJECT_SHORTENED = "subject_shortened"
STATUS_UNKNOWN = "status_unknown"
SENT_MISSING = "sent_missing"
PAYLOAD_UNREADABLE = "payload_unreadable"
REPLY_TO_ITSELF = "reply_to_itself"

# Practitioner roles from codes, checked in PractitionerRole.code and .specialty before any
# display words. Sources: RoleCodeNL / UZI role codes (Nictiz; the OID and the fhir.nl URI name
# the same list), the Vektis AGB specialism table, SNOMED CT occupations. RoleCodeNL has no
# code for a POH or a doktersassistent (30.000 is any nurse, 99.000 "other care"), so those
# come from SNOMED CT or the words.
SNOMED_SYSTEM = "http://snomed.info/sct"
UZI_ROLE_SYSTEM = "http://fhir.nl/fhir/NamingSystem/uzi-rolcode"
ROLECODE_NL_SYSTEM = "urn:oid:2.16.840.1.113883.2.4.15.111"
VEKTIS_SPECIALISM_SYSTEM = "urn:oid:2.16.840.1.113883.2.4.6.7"
ROLE_CODES: dict[tuple[str, str], str] = {
    (SNOMED_SYSTEM, "62247001"): "huisarts",    # Family medicine specialist (huisarts)
    (SNOMED_SYSTEM, "159002008"): "poh",        # Practice nurse (occupation)
    (SNOMED_SYSTEM, "22515006"): "assistent",   # Medical assistant (occupation)
    (UZI_ROLE_SYSTEM, "01.015"): "huisarts",    # Huisarts
    (UZI_ROLE_SYSTEM, "01.004"): "huisarts",    # Apotheekhoudende huisarts
    (ROLECODE_NL_SYSTEM, "01.015"): "huisarts",
    (ROLECODE_NL_SYSTEM, "01.004"): "huisarts",
    (VEKTIS_SPECIALISM_SYSTEM, "0100"): "huisarts",  # Huisartsen, niet nader gespecificeerd
}


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
    problems: list[str] = field(default_factory=list)
    birth_date_text: str | None = None  # as sent, when it is not a full date
    phone: str | None = None  # to call the patient back (urgent advice is phone first)
    # The e-mail address the portal knows (Patient.telecom): trusted for secure mail.
    email: str | None = None


@dataclass
class ParsedRelatedPerson:
    portal_id: str
    version: str
    patient: Reference
    name: str
    relationship_code: str | None
    relationship_text: str | None
    problems: list[str] = field(default_factory=list)
    phone: str | None = None  # the writer's number, for a parent or carer


@dataclass
class ParsedPractitioner:
    portal_id: str
    version: str
    name: str
    agb_code: str | None
    problems: list[str] = field(default_factory=list)


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
    problems: list[str] = field(default_factory=list)


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
    # Why this attachment is refused (the message itself is still imported); when set,
    # url and data_base64 are None so nothing is fetched or decoded.
    error: str | None = None


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
    problems: list[str] = field(default_factory=list)


# -- cleaning ---------------------------------------------------------------------------------
# PostgreSQL text cannot hold NUL and UTF-8 cannot hold lone surrogates; other C0 controls
# are invisible noise. Message text keeps its line breaks and tabs.
_CONTROLS_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_CONTROLS_LINE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
# The same sets as UTF-8 bytes to keep: bytes.translate scans several times faster than the
# regex engine, and a control is one byte below 0x80 in UTF-8 (a surrogate fails to encode).
_LINE_CONTROL_BYTES = bytes(range(0x20)) + b"\x7f"
_KEEP_IN_LINE = bytes(b for b in range(256) if b not in _LINE_CONTROL_BYTES)
_KEEP_IN_TEXT = _KEEP_IN_LINE + b"\t\n\r"


def _has_controls(value: str, keep: bytes) -> bool:
    """Whether `value` holds a character of _CONTROLS_MULTILINE (keep=_KEEP_IN_TEXT) or of
    _CONTROLS_LINE (keep=_KEEP_IN_LINE)."""
    try:
        return bool(value.encode("utf-8").translate(None, keep))
    except UnicodeEncodeError:  # a lone surrogate
        return True


def clean_text(value: Any, limit: int | None = None, *, multiline: bool = False,
               shortened: str = "text_shortened") -> tuple[str, list[str]]:
    """(text, problems): control characters removed ("text_cleaned"; single-line fields also
    lose line breaks, which become spaces) and, past `limit` characters, cut with a visible
    "…" at the end (the `shortened` problem). Not a string gives ("", [])."""
    if not isinstance(value, str):
        return "", []
    # Fast path, the common case: nothing to remove (one scan in C, no per-match callback).
    if multiline:
        if not _has_controls(value, _KEEP_IN_TEXT):
            if limit is None or len(value) <= limit:
                return value, []
    elif value.isprintable() or not _has_controls(value, _KEEP_IN_LINE):
        # isprintable() is False for every control and surrogate, so True means none here.
        text = value.strip()
        if limit is None or len(text) <= limit:
            return text, []
    problems: list[str] = []
    if multiline:
        text = _CONTROLS_MULTILINE.sub("", value)
    else:
        text = _CONTROLS_LINE.sub(lambda m: " " if m.group() in "\t\n\r" else "", value)
        if _CONTROLS_MULTILINE.search(value):
            problems.append(TEXT_CLEANED)
        text = text.strip()
    if multiline and text != value:
        problems.append(TEXT_CLEANED)
    if limit is not None and len(text) > limit:
        text = text[:limit - len(SHORTENED_MARK)].rstrip() + SHORTENED_MARK
        problems.append(shortened)
    return text, problems


def fit_identifier(value: str, limit: int) -> str:
    """A key that fits its column: as sent when it is short and plain, else a stable digest
    ("sha256:" + hex) so the same value always gives the same key."""
    # A printable string holds no whitespace but " ", so only its ends need a look.
    if value and len(value) <= limit and value.isprintable() and value[0] != " " \
            and value[-1] != " ":
        return value
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return ("sha256:" + digest)[:limit]


def _show(value: Any) -> str:
    """A short, safe rendering of a portal value for a quarantine reason."""
    if isinstance(value, str):
        text = repr(_CONTROLS_LINE.sub("?", value[:60]))
        return text + ("…" if len(value) > 60 else "")
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)[:40]
    return f"<{type(value).__name__}>"


def _as_list(value: Any) -> list[Any]:
    """A FHIR list, tolerating one element sent bare; anything else is no list at all."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [value]
    return []


def _add(problems: list[str], new: list[str]) -> None:
    if new:  # mostly empty: skip the generator
        problems.extend(p for p in new if p not in problems)


# -- shared parts -----------------------------------------------------------------------------
def resource_identity(resource: Any) -> tuple[str, str, str]:
    """(type, id, version) of whatever came in, for quarantine rows; never raises."""
    try:
        if not isinstance(resource, dict):
            return "unknown", "", ""
        meta = resource.get("meta")
        if not isinstance(meta, dict):
            meta = {}
        resource_type, _ = clean_text(resource.get("resourceType"), 40)
        resource_id = resource.get("id")
        resource_id = fit_identifier(resource_id, 64) if isinstance(resource_id, str) \
            and resource_id else ""
        return resource_type or "unknown", resource_id, _version(meta, "")
    except Exception:  # noqa: BLE001 - a quarantine row must always be writable
        return "unknown", "", ""


def _version(meta: dict[str, Any], default: str) -> str:
    value = meta.get("versionId")
    if type(value) is str and value:  # the common case, without the loop
        return fit_identifier(value, VERSION_LIMIT)
    for key in ("versionId", "lastUpdated"):
        value = meta.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and value:
            return fit_identifier(value, VERSION_LIMIT)
    return default


def parse_instant(value: Any, what: str) -> datetime:
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        raise ContractViolation(f"{what} is not a FHIR dateTime: {_show(value)}")
    try:
        # Python 3.11+ reads "Z" and a date alone (midnight); the regex above keeps it strict.
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        # Years near 1 or 9999 with a far offset fall outside datetime in UTC.
        return parsed.astimezone(timezone.utc)
    except (ValueError, OverflowError) as exc:
        raise ContractViolation(f"{what} is not a valid date and time: {_show(value)}") from exc


def _require_id(resource: Any, expected_type: str) -> tuple[str, str]:
    portal_id, version, _meta = _require_id_meta(resource, expected_type)
    return portal_id, version


def _require_id_meta(resource: Any, expected_type: str) -> tuple[str, str, dict[str, Any]]:
    """(id, version, meta): meta is {} when it is not an object."""
    if not isinstance(resource, dict) or resource.get("resourceType") != expected_type:
        raise ContractViolation(f"expected a {expected_type} resource")
    resource_id = resource.get("id")
    if not isinstance(resource_id, str) or not _ID.fullmatch(resource_id):
        raise ContractViolation(f"{expected_type} has no valid id: {_show(resource_id)}")
    meta = resource.get("meta")
    if not isinstance(meta, dict):
        meta = {}
    return resource_id, _version(meta, "0"), meta


def parse_reference(value: Any, what: str, allowed: tuple[str, ...]) -> Reference:
    if not isinstance(value, dict) or not isinstance(value.get("reference"), str):
        raise ContractViolation(f"{what} is missing")
    parts = value["reference"].split("/")
    # Absolute references end in Type/id (optionally followed by _history/n).
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    if len(parts) < 2 or parts[-2] not in allowed or not _ID.fullmatch(parts[-1]):
        raise ContractViolation(f"{what} must reference one of {', '.join(allowed)}: "
                                f"{_show(value['reference'])}")
    return Reference(parts[-2], parts[-1])


def _strings(value: Any) -> list[str]:
    """The strings of a FHIR string list, tolerating one string sent bare."""
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def human_name(names: Any) -> tuple[str, str | None]:
    """(display name, family name) from a FHIR HumanName list; the 'official' one preferred.
    Never raises; the strings are returned as sent (clean them before storing)."""
    if isinstance(names, str):
        return names.strip(), None
    names = [n for n in _as_list(names) if isinstance(n, dict)]
    if not names:
        return "", None
    chosen = next((n for n in names if n.get("use") == "official"), names[0])
    # DSTU2 portals send family as a list.
    family = " ".join(p.strip() for p in _strings(chosen.get("family")) if p.strip()) or None
    if isinstance(chosen.get("text"), str) and chosen["text"].strip():
        return chosen["text"].strip(), family
    given = " ".join(g.strip() for g in _strings(chosen.get("given")) if g.strip())
    prefix = " ".join(p.strip() for p in _strings(chosen.get("prefix")) if p.strip())
    display = " ".join(part for part in (prefix, given, family) if part)
    return display, family


def _identifier(resource: dict[str, Any], system: str) -> str | None:
    for identifier in _as_list(resource.get("identifier")):
        if isinstance(identifier, dict) and identifier.get("system") == system:
            value = identifier.get("value")
            if isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            return value if isinstance(value, str) else None
    return None


def _short_code(value: str | None, limit: int, problems: list[str]) -> str | None:
    """A code or number shown to people (AGB, phone): cleaned, and cut with a mark to fit."""
    text, found = clean_text(value, limit, shortened=NAME_SHORTENED)
    _add(problems, found)
    return text or None


def is_valid_bsn(bsn: Any) -> bool:
    """The eleven-test (elfproef) of a Dutch citizen service number."""
    if not isinstance(bsn, str) or not _BSN_SHAPE.fullmatch(bsn):
        return False
    total = sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1))) - int(bsn[8])
    return total % 11 == 0 and bsn != "000000000"


def _display_name(resource: dict[str, Any], fallback: str,
                  problems: list[str]) -> tuple[str, str | None]:
    raw_name, raw_family = human_name(resource.get("name"))
    name, found = clean_text(raw_name, NAME_LIMIT, shortened=NAME_SHORTENED)
    _add(problems, found)
    family, found = clean_text(raw_family, FAMILY_LIMIT, shortened=NAME_SHORTENED)
    _add(problems, found)
    if not name:
        problems.append(NAME_MISSING)
        name = fallback
    return name, family or None


# -- resources --------------------------------------------------------------------------------
def parse_patient(resource: Any) -> ParsedPatient:
    portal_id, version = _require_id(resource, "Patient")
    problems: list[str] = []
    name, family = _display_name(resource, f"Patient {portal_id}", problems)
    bsn = _identifier(resource, BSN_SYSTEM)
    if bsn is not None:
        bsn = bsn.strip()
        if not _BSN_SHAPE.fullmatch(bsn):
            bsn = None  # not even the shape of a BSN: nothing a person could check
            problems.append(BSN_INVALID)
        elif not is_valid_bsn(bsn):
            problems.append(BSN_INVALID)
    birth_date, birth_text = _birth_date(resource.get("birthDate"), problems)
    gender = resource.get("gender")
    if gender is not None and not (isinstance(gender, str) and gender in GENDERS):
        problems.append(GENDER_UNKNOWN)
        gender = None
    return ParsedPatient(portal_id, version, name, family, bsn, birth_date, gender,
                         problems, birth_text, _phone(resource, problems), _email(resource))


def _birth_date(value: Any, problems: list[str]) -> tuple[date | None, str | None]:
    """(date, text as sent when it is no full date); FHIR also allows "1980" and "1980-05"."""
    if value is None:
        return None, None
    if not isinstance(value, str):
        problems.append(BIRTH_DATE_INVALID)
        return None, None
    text, found = clean_text(value, BIRTH_TEXT_LIMIT)
    _add(problems, found)
    match = _BIRTH_DATE.fullmatch(text)
    if match and match.group(3):
        try:
            return date.fromisoformat(text), None
        except ValueError:
            pass
    elif match and int(match.group(1)) >= 1 and (
            match.group(2) is None or 1 <= int(match.group(2)) <= 12):
        problems.append(BIRTH_DATE_PARTIAL)
        return None, text
    problems.append(BIRTH_DATE_INVALID)
    return None, text or None


def parse_related_person(resource: Any) -> ParsedRelatedPerson:
    portal_id, version = _require_id(resource, "RelatedPerson")
    patient = parse_reference(resource.get("patient"), "RelatedPerson.patient", ("Patient",))
    problems: list[str] = []
    name, _family = _display_name(resource, f"Contact {portal_id}", problems)
    code = text = None
    relationships = _as_list(resource.get("relationship"))
    if relationships and isinstance(relationships[0], dict):
        concept = relationships[0]
        codings = _as_list(concept.get("coding"))
        if codings and isinstance(codings[0], dict):
            code = codings[0].get("code")
            text = codings[0].get("display")
        if isinstance(concept.get("text"), str) and concept["text"].strip():
            text = concept["text"]
    code = _short_code(code, RELATIONSHIP_CODE_LIMIT, problems)
    text = _short_code(text, RELATIONSHIP_TEXT_LIMIT, problems)
    return ParsedRelatedPerson(portal_id, version, patient, name, code, text, problems,
                               _phone(resource, problems))


def parse_practitioner(resource: Any) -> ParsedPractitioner:
    portal_id, version = _require_id(resource, "Practitioner")
    problems: list[str] = []
    name, _family = _display_name(resource, f"Medewerker {portal_id}", problems)
    agb = _short_code(_identifier(resource, AGB_SYSTEM), AGB_LIMIT, problems)
    return ParsedPractitioner(portal_id, version, name, agb, problems)


# Fallback when no code is recognised; checked in order, first match wins (None: known not
# to be one of our roles, e.g. a physician assistant is no doktersassistent).
_ROLE_WORDS = (("physician assistant", None), ("apothekersassistent", None),
               ("praktijkondersteuner", "poh"), ("poh", "poh"), ("huisarts", "huisarts"),
               ("general practitioner", "huisarts"), ("assistent", "assistent"),
               ("assistant", "assistent"))


def parse_practitioner_role(resource: Any) -> ParsedRole:
    _require_id(resource, "PractitionerRole")
    practitioner = parse_reference(resource.get("practitioner"), "PractitionerRole.practitioner",
                                   ("Practitioner",))
    words: list[str] = []
    for concept in _as_list(resource.get("code")) + _as_list(resource.get("specialty")):
        if not isinstance(concept, dict):
            continue
        for coding in _as_list(concept.get("coding")):
            if not isinstance(coding, dict):
                continue
            system, code = coding.get("system"), coding.get("code")
            if isinstance(system, str) and isinstance(code, str):
                role = ROLE_CODES.get((system.strip(), code.strip()))
                if role:
                    return ParsedRole(practitioner, role)
            if isinstance(coding.get("display"), str):
                words.append(coding["display"])
        if isinstance(concept.get("text"), str):
            words.append(concept["text"])
    text = " ".join(words).lower()
    role = next((role for word, role in _ROLE_WORDS if word in text), None)
    return ParsedRole(practitioner, role)


def parse_organization(resource: Any) -> ParsedOrganization:
    portal_id, version = _require_id(resource, "Organization")
    problems: list[str] = []
    phone = _phone(resource, problems)
    name, found = clean_text(resource.get("name"), NAME_LIMIT, shortened=NAME_SHORTENED)
    _add(problems, found)
    if not name:
        problems.append(NAME_MISSING)
        name = portal_id
    return ParsedOrganization(portal_id, version, name,
                              _short_code(_identifier(resource, AGB_SYSTEM), AGB_LIMIT, problems),
                              phone, problems)


EMAIL_LIMIT = 254  # RFC 5321's longest path


def _email(resource: dict[str, Any]) -> str | None:
    """The patient's e-mail address (home before work), lower case; one that is not an
    address at all is left out: it only ever makes mail from it trusted."""
    emails = [t for t in _as_list(resource.get("telecom")) if isinstance(t, dict)
              and t.get("system") == "email" and isinstance(t.get("value"), str)]
    emails.sort(key=lambda t: t.get("use") != "home")
    for telecom in emails:
        value = telecom["value"].strip().lower()
        local, at, domain = value.rpartition("@")
        # split() == [value]: no whitespace at all, without a Python step per character.
        if at and local and "." in domain and len(value) <= EMAIL_LIMIT \
                and value.split() == [value]:
            return value
    return None


def _phone(resource: dict[str, Any], problems: list[str]) -> str | None:
    """The number to call: a mobile one first (patients answer those), else any phone that is
    not marked old."""
    phones = [t for t in _as_list(resource.get("telecom")) if isinstance(t, dict)
              and t.get("system") == "phone" and isinstance(t.get("value"), str)
              and t["value"].strip() and t.get("use") != "old"]
    phones.sort(key=lambda t: t.get("use") != "mobile")
    return _short_code(phones[0]["value"], PHONE_LIMIT, problems) if phones else None


def _is_econsult(resource: dict[str, Any]) -> bool:
    for concept in _as_list(resource.get("category")):
        for coding in _as_list(concept.get("coding")) if isinstance(concept, dict) else ():
            if isinstance(coding, dict) and coding.get("system") == ECONSULT_SYSTEM \
                    and coding.get("code") == ECONSULT_CODE:
                return True
    return False


def _parse_attachment(position: int, value: Any) -> ParsedAttachment:
    """Never raises: an attachment that breaks the contract is refused on its own (error)."""
    attachment = ParsedAttachment(position, None, None, None, None, None, None, None)
    if not isinstance(value, dict):
        attachment.error = f"payload[{position}].contentAttachment is not an object"
        return attachment
    content_type = value.get("contentType")
    if isinstance(content_type, str) and len(content_type) <= CONTENT_TYPE_LIMIT \
            and content_type.isprintable():
        attachment.content_type = content_type.strip() or None
    title, _problems = clean_text(value.get("title"), TITLE_LIMIT, shortened=NAME_SHORTENED)
    attachment.title = title or None
    if value.get("creation") is not None:
        try:
            attachment.created = parse_instant(value["creation"], "creation")
        except ContractViolation:
            pass  # a date we cannot read is no reason to refuse the photo
    attachment.error = _attachment_error(position, value, attachment)
    if attachment.error is not None:
        attachment.url = attachment.data_base64 = None
    return attachment


def _attachment_error(position: int, value: dict[str, Any],
                      attachment: ParsedAttachment) -> str | None:
    """Fills size, hash, url and data; returns why the attachment is refused, if it is."""
    where = f"payload[{position}] attachment"
    url, data_b64 = value.get("url"), value.get("data")
    if url is not None and url != "":
        if not isinstance(url, str) or len(url) > URL_LIMIT or not url.isprintable():
            return f"{where} url is not usable: {_show(url)}"
        attachment.url = url
    if data_b64 is not None and data_b64 != "":
        if not isinstance(data_b64, str):
            return f"{where} data is not base64"
        attachment.data_base64 = data_b64
    if attachment.url is None and attachment.data_base64 is None:
        return f"{where} has neither data nor url"
    size = value.get("size")
    if size is not None:
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            return f"{where} size is invalid: {_show(size)}"
        attachment.declared_size = size
    if value.get("hash") is not None:
        try:
            sha1 = base64.b64decode(value["hash"], validate=True)
        except (binascii.Error, TypeError, ValueError):
            return f"{where} hash is not base64"
        if len(sha1) != 20:
            return f"{where} hash is not a SHA-1"
        attachment.declared_sha1 = sha1.hex()
    return None


def decode_inline(attachment: ParsedAttachment) -> bytes:
    """The inline bytes, checked against the declared size and hash. Kept apart from parsing
    so that the decoding and hashing of photos can run on worker threads. Raises only
    ContractViolation (the attachment is then refused)."""
    if attachment.error is not None:
        raise ContractViolation(attachment.error)
    if not isinstance(attachment.data_base64, str):
        raise ContractViolation(f"payload[{attachment.position}] attachment has no inline data")
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


def _instant_or_none(value: Any) -> datetime | None:
    try:
        return parse_instant(value, "instant")
    except ContractViolation:
        return None


def parse_communication(resource: Any) -> ParsedCommunication:
    portal_id, version, meta = _require_id_meta(resource, "Communication")
    problems: list[str] = []
    if not _is_econsult(resource):
        raise ContractViolation("category is not e-consult (NHG-Tabel 14 code 12)")
    subject = parse_reference(resource.get("subject"), "subject", ("Patient",))
    sender = parse_reference(resource.get("sender"), "sender",
                             ("Patient", "RelatedPerson", "Practitioner"))
    last_updated = meta.get("lastUpdated")
    updated = _instant_or_none(last_updated)
    sent = _instant_or_none(resource.get("sent"))
    if sent is None:
        if updated is None:
            raise ContractViolation("neither sent nor meta.lastUpdated is a valid FHIR dateTime: "
                                    f"{_show(resource.get('sent'))}, {_show(last_updated)}")
        problems.append(SENT_MISSING)
        sent = updated
    if updated is None:
        last_updated = sent.isoformat()
    status = resource.get("status")
    if not isinstance(status, str) or status not in COMMUNICATION_STATUSES:
        problems.append(STATUS_UNKNOWN)
        status = "in-progress"
    topic_text, found = clean_text(_topic_text(resource.get("topic")), TOPIC_LIMIT,
                                   shortened=SUBJECT_SHORTENED)
    _add(problems, found)
    in_response_to = _in_response_to(resource.get("inResponseTo"))
    if in_response_to == portal_id:
        problems.append(REPLY_TO_ITSELF)
        in_response_to = None
    texts: list[str] = []
    attachments: list[ParsedAttachment] = []
    for position, item in enumerate(_as_list(resource.get("payload"))):
        if isinstance(item, dict) and isinstance(item.get("contentString"), str):
            text, found = clean_text(item["contentString"], multiline=True)
            _add(problems, found)
            if text.strip():
                texts.append(text)
        elif isinstance(item, dict) and item.get("contentAttachment") is not None:
            attachments.append(_parse_attachment(position, item["contentAttachment"]))
        elif not (isinstance(item, dict) and item.get("contentString") == ""):
            _add(problems, [PAYLOAD_UNREADABLE])
    if not texts and not attachments:
        raise ContractViolation("payload is missing: a message needs text or an attachment")
    return ParsedCommunication(portal_id, version, last_updated, status, subject, sender, sent,
                               topic_text, "\n\n".join(texts), in_response_to, attachments,
                               resource, _first_identifier(resource), problems)


def _topic_text(topic: Any) -> Any:
    if isinstance(topic, str):
        return topic
    if not isinstance(topic, dict):
        return None
    if isinstance(topic.get("text"), str) and topic["text"].strip():
        return topic["text"]
    return next((c["display"] for c in _as_list(topic.get("coding"))
                 if isinstance(c, dict) and isinstance(c.get("display"), str)), None)


def _in_response_to(value: Any) -> str | None:
    """The id of the message this one answers. Strict: a wrong thread would show a reply in
    another conversation; one reference sent bare instead of in a list is accepted."""
    if value is None or value == []:
        return None
    replies_to = _as_list(value)
    if not replies_to:
        raise ContractViolation(f"inResponseTo is not a reference: {_show(value)}")
    return parse_reference(replies_to[0], "inResponseTo", ("Communication",)).id


def _first_identifier(resource: dict[str, Any]) -> str | None:
    for identifier in _as_list(resource.get("identifier")):
        if isinstance(identifier, dict) and isinstance(identifier.get("value"), str) \
                and identifier["value"]:
            return fit_identifier(identifier["value"], IDENTIFIER_LIMIT)
    return None
