"""Parsing the portal contract's resources: what is accepted and why the rest is quarantined."""

from __future__ import annotations

import base64
import copy
import hashlib
from datetime import datetime, timezone

import pytest

from workbench.services import fhir
from workbench.services.fhir import ContractViolation

PHOTO = b"\xff\xd8\xff\xe0 not really a jpeg"
ROOT = {
    "resourceType": "Communication", "id": "ec-000001",
    "meta": {"versionId": "2", "lastUpdated": "2026-11-24T09:13:05.120Z"},
    "status": "in-progress",
    "category": [{"coding": [{"system": fhir.ECONSULT_SYSTEM, "code": "12"}]}],
    "subject": {"reference": "Patient/pat-00001"},
    "sender": {"reference": "RelatedPerson/rp-00001"},
    "recipient": [{"reference": "Organization/org-1"}],
    "sent": "2026-11-24T10:13:00+01:00",
    "topic": {"text": "Koorts"},
    "payload": [
        {"contentString": "Mijn zoon heeft koorts."},
        {"contentString": "Moet ik langskomen?"},
        {"contentAttachment": {"contentType": "image/jpeg", "size": len(PHOTO),
                               "hash": base64.b64encode(hashlib.sha1(PHOTO).digest()).decode(),
                               "data": base64.b64encode(PHOTO).decode(), "title": "a.jpg"}},
        {"contentAttachment": {"contentType": "image/jpeg", "url": "Binary/bin-1",
                               "size": 12}},
    ],
}


def broken(**changes):
    resource = copy.deepcopy(ROOT)
    for key, value in changes.items():
        if value is None:
            resource.pop(key, None)
        else:
            resource[key] = value
    return resource


def test_a_valid_communication_is_parsed_completely():
    parsed = fhir.parse_communication(ROOT)
    assert parsed.portal_id == "ec-000001" and parsed.version == "2"
    assert parsed.subject == fhir.Reference("Patient", "pat-00001")
    assert parsed.sender == fhir.Reference("RelatedPerson", "rp-00001")
    assert parsed.sent == datetime(2026, 11, 24, 9, 13, tzinfo=timezone.utc)
    assert parsed.text == "Mijn zoon heeft koorts.\n\nMoet ik langskomen?"
    assert parsed.topic == "Koorts" and parsed.in_response_to is None
    inline, linked = parsed.attachments
    assert fhir.decode_inline(inline) == PHOTO
    assert inline.declared_sha1 == hashlib.sha1(PHOTO).hexdigest()
    assert linked.url == "Binary/bin-1" and linked.data_base64 is None and linked.position == 3


def test_a_reply_knows_its_thread():
    reply = broken(inResponseTo=[{"reference": "Communication/ec-000001"}], id="ec-000001-2")
    assert fhir.parse_communication(reply).in_response_to == "ec-000001"


@pytest.mark.parametrize("changes, reason", [
    ({"subject": None}, "subject is missing"),
    ({"subject": {"reference": "Group/1"}}, "subject must reference"),
    ({"sender": None}, "sender is missing"),
    ({"sent": "gisteren", "meta": {"versionId": "1"}}, "neither sent nor meta.lastUpdated"),
    ({"sent": None, "meta": {"lastUpdated": "2026-13-45T10:00:00Z"}},
     "neither sent nor meta.lastUpdated"),
    ({"payload": None}, "payload is missing"),
    ({"payload": []}, "payload is missing"),
    ({"payload": [{"contentReference": {"reference": "DocumentReference/1"}}]},
     "payload is missing"),
    ({"category": [{"coding": [{"system": fhir.ECONSULT_SYSTEM, "code": "11"}]}]},
     "not e-consult"),
    ({"category": 5}, "not e-consult"),
    ({"id": "bad id with spaces"}, "no valid id"),
    ({"resourceType": "Patient"}, "expected a Communication"),
])
def test_contract_violations_give_a_reason(changes, reason):
    with pytest.raises(ContractViolation, match=reason):
        fhir.parse_communication(broken(**changes))


@pytest.mark.parametrize("attachment, reason", [
    ({"data": base64.b64encode(PHOTO).decode(), "size": 3}, "size"),
    ({"data": "%%%not base64"}, "not base64"),
    ({"data": base64.b64encode(PHOTO).decode(),
      "hash": base64.b64encode(b"x" * 20).decode()}, "hash does not match"),
])
def test_inline_data_that_disagrees_with_its_declaration_is_a_violation(attachment, reason):
    parsed = fhir.parse_communication(broken(payload=[{"contentAttachment": attachment}]))
    with pytest.raises(ContractViolation, match=reason):
        fhir.decode_inline(parsed.attachments[0])


def test_patient_with_bsn_and_dutch_name():
    patient = fhir.parse_patient({
        "resourceType": "Patient", "id": "pat-1", "meta": {"versionId": "1"},
        "identifier": [{"system": fhir.BSN_SYSTEM, "value": "111222333"}],
        "name": [{"family": "Vries", "prefix": ["de"], "given": ["Anna", "Maria"]}],
        "birthDate": "2012-03-04", "gender": "female"})
    assert patient.name == "de Anna Maria Vries" or patient.name.endswith("Vries")
    assert patient.bsn == "111222333" and patient.birth_date.year == 2012


def test_patient_with_an_invalid_bsn_is_imported_and_flagged():
    patient = fhir.parse_patient({
        "resourceType": "Patient", "id": "pat-1",
        "identifier": [{"system": fhir.BSN_SYSTEM, "value": "123456789"}]})
    # Kept so a person can compare it with the patient's own papers.
    assert patient.bsn == "123456789"
    assert sorted(patient.problems) == ["bsn_invalid", "name_missing"]
    assert patient.name == "Patient pat-1"


def test_patient_with_a_bsn_that_is_not_nine_digits_keeps_none():
    patient = fhir.parse_patient({
        "resourceType": "Patient", "id": "pat-1", "name": [{"text": "Anna"}],
        "identifier": [{"system": fhir.BSN_SYSTEM, "value": "12-34"}]})
    assert patient.bsn is None and patient.problems == ["bsn_invalid"]


@pytest.mark.parametrize("birth, expected, text, problem", [
    ("1980", None, "1980", "birth_date_partial"),
    ("1980-05", None, "1980-05", "birth_date_partial"),
    ("1980-13", None, "1980-13", "birth_date_invalid"),
    ("1980-02-30", None, "1980-02-30", "birth_date_invalid"),
    ("gisteren", None, "gisteren", "birth_date_invalid"),
    (1980, None, None, "birth_date_invalid"),
    ("1980-02-03", datetime(1980, 2, 3).date(), None, None),
])
def test_patient_birth_dates_partial_or_invalid_are_kept_as_text(birth, expected, text, problem):
    patient = fhir.parse_patient({"resourceType": "Patient", "id": "pat-1",
                                  "name": [{"text": "Anna"}], "birthDate": birth})
    assert (patient.birth_date, patient.birth_date_text) == (expected, text)
    assert patient.problems == ([problem] if problem else [])


@pytest.mark.parametrize("bsn, valid", [("111222333", True), ("123456782", True),
                                        ("123456789", False), ("12345678", False),
                                        ("000000000", False)])
def test_bsn_eleven_test(bsn, valid):
    assert fhir.is_valid_bsn(bsn) is valid


def test_related_person_and_role():
    related = fhir.parse_related_person({
        "resourceType": "RelatedPerson", "id": "rp-1", "patient": {"reference": "Patient/pat-1"},
        "relationship": [{"coding": [{"code": "MTH", "display": "mother"}], "text": "moeder"}],
        "name": [{"text": "Sanne Jansen"}]})
    assert (related.patient.id, related.relationship_code, related.relationship_text,
            related.name) == ("pat-1", "MTH", "moeder", "Sanne Jansen")
    role = fhir.parse_practitioner_role({
        "resourceType": "PractitionerRole", "id": "role-4",
        "practitioner": {"reference": "Practitioner/prac-4"},
        "code": [{"text": "praktijkondersteuner"}]})
    assert role.role == "poh" and role.practitioner.id == "prac-4"


@pytest.mark.parametrize("coding, role", [
    ({"system": "http://snomed.info/sct", "code": "62247001"}, "huisarts"),
    ({"system": "http://snomed.info/sct", "code": "159002008"}, "poh"),
    ({"system": "http://snomed.info/sct", "code": "22515006"}, "assistent"),
    ({"system": "http://fhir.nl/fhir/NamingSystem/uzi-rolcode", "code": "01.015"}, "huisarts"),
    ({"system": "urn:oid:2.16.840.1.113883.2.4.15.111", "code": "01.004"}, "huisarts"),
    # A code wins over misleading words; an unknown code leaves the words to decide.
    ({"system": "http://snomed.info/sct", "code": "22515006", "display": "huisarts"},
     "assistent"),
    ({"system": "urn:oid:2.16.840.1.113883.2.4.15.111", "code": "30.000",
      "display": "Praktijkondersteuner"}, "poh"),
    ({"system": "http://example.org/x", "code": "1", "display": "Physician assistant"}, None),
])
def test_practitioner_role_from_codes_first(coding, role):
    parsed = fhir.parse_practitioner_role({
        "resourceType": "PractitionerRole", "id": "role-1",
        "practitioner": {"reference": "Practitioner/prac-1"}, "code": [{"coding": [coding]}]})
    assert parsed.role == role


def test_practitioner_role_from_a_vektis_specialty():
    parsed = fhir.parse_practitioner_role({
        "resourceType": "PractitionerRole", "id": "role-1",
        "practitioner": {"reference": "Practitioner/prac-1"},
        "specialty": [{"coding": [{"system": "urn:oid:2.16.840.1.113883.2.4.6.7",
                                   "code": "0100"}]}]})
    assert parsed.role == "huisarts"
