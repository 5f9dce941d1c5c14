"""Lenient parsing: a patient's message always reaches a person. Wrongly typed, over-long or
dirty values are cleaned and flagged; only what is about safety is refused, and then only
with ContractViolation (never TypeError and friends, which would crash the whole pull)."""

from __future__ import annotations

import base64
import copy
import hashlib
import random
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from workbench.services import fhir
from workbench.services.fhir import ContractViolation

PHOTO = b"\xff\xd8\xff\xe0 a photo"
LONG = "x" * 100_000

PATIENT = {
    "resourceType": "Patient", "id": "pat-1", "meta": {"versionId": "3"},
    "identifier": [{"system": fhir.BSN_SYSTEM, "value": "111222333"}],
    "name": [{"use": "official", "family": "Vries", "prefix": ["de"], "given": ["Anna"],
              "text": "Anna de Vries"}],
    "birthDate": "2012-03-04", "gender": "female",
}
RELATED = {
    "resourceType": "RelatedPerson", "id": "rp-1", "meta": {"versionId": "1"},
    "patient": {"reference": "Patient/pat-1"},
    "relationship": [{"coding": [{"system": "x", "code": "MTH", "display": "mother"}],
                      "text": "moeder"}],
    "name": [{"given": ["Sanne"], "family": "Jansen"}],
}
PRACTITIONER = {
    "resourceType": "Practitioner", "id": "prac-1", "meta": {"versionId": "1"},
    "identifier": [{"system": fhir.AGB_SYSTEM, "value": "01234567"}],
    "name": [{"given": ["Joost"], "family": "Bakker"}],
}
ROLE = {
    "resourceType": "PractitionerRole", "id": "role-1",
    "practitioner": {"reference": "Practitioner/prac-1"},
    "code": [{"coding": [{"system": fhir.SNOMED_SYSTEM, "code": "62247001",
                          "display": "Family medicine specialist"}], "text": "huisarts"}],
    "specialty": [{"coding": [{"system": fhir.VEKTIS_SPECIALISM_SYSTEM, "code": "0100"}]}],
}
ORGANIZATION = {
    "resourceType": "Organization", "id": "org-1", "meta": {"versionId": "1"},
    "identifier": [{"system": fhir.AGB_SYSTEM, "value": "01999999"}],
    "name": "Huisartsenpraktijk De Linde",
    "telecom": [{"system": "phone", "value": "030-1234567"}],
}
COMMUNICATION = {
    "resourceType": "Communication", "id": "ec-2",
    "meta": {"versionId": "2", "lastUpdated": "2026-11-24T09:13:05.120Z"},
    "identifier": [{"system": "urn:workbench", "value": "wb-1"}],
    "status": "in-progress",
    "category": [{"coding": [{"system": fhir.ECONSULT_SYSTEM, "code": "12"}]}],
    "subject": {"reference": "Patient/pat-1"},
    "sender": {"reference": "RelatedPerson/rp-1"},
    "sent": "2026-11-24T10:13:00+01:00",
    "topic": {"text": "Koorts"},
    "inResponseTo": [{"reference": "Communication/ec-1"}],
    "payload": [
        {"contentString": "Mijn zoon heeft koorts."},
        {"contentAttachment": {"contentType": "image/jpeg", "size": len(PHOTO),
                               "hash": base64.b64encode(hashlib.sha1(PHOTO).digest()).decode(),
                               "data": base64.b64encode(PHOTO).decode(), "title": "a.jpg",
                               "creation": "2026-11-24T10:00:00Z"}},
        {"contentAttachment": {"contentType": "image/jpeg", "url": "Binary/bin-1", "size": 12}},
    ],
}
PARSERS = [(PATIENT, fhir.parse_patient), (RELATED, fhir.parse_related_person),
           (PRACTITIONER, fhir.parse_practitioner), (ROLE, fhir.parse_practitioner_role),
           (ORGANIZATION, fhir.parse_organization), (COMMUNICATION, fhir.parse_communication)]


def deep_list(depth: int = 5000) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


BAD_VALUES = [5, -1, 3.5, True, False, None, [], [1, "a", None], {}, {"x": {"y": 1}},
              LONG, "a\x00b\x01c", "", "\ud800", deep_list()]

# Column widths: what a successful parse hands to the store must fit.
LIMITS = {"name": 200, "family_name": 120, "topic": 300, "version": 64, "portal_id": 64,
          "identifier": 80, "relationship_code": 16, "relationship_text": 80, "phone": 40,
          "agb_code": 16, "gender": 16, "title": 255, "content_type": 100, "url": 1000,
          "birth_date_text": 40}


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path into a JSON value (dict keys and list indices), not into planted deep lists."""
    found = [prefix] if prefix else []
    if len(prefix) > 8:
        return found
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, prefix + (index,))
    return found


def replaced(resource: dict[str, Any], path: tuple, new: Any, *, copy_first: bool = True
             ) -> dict[str, Any]:
    result = copy.deepcopy(resource) if copy_first else resource
    target = result
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return result


def check_fits(parsed: Any, where: str) -> None:
    """No NUL anywhere and no string wider than its column."""
    for f in fields(parsed):
        if f.name in ("raw", "data_base64"):  # never stored; decode_inline() checks it
            continue
        value = getattr(parsed, f.name)
        if isinstance(value, str):
            assert "\x00" not in value, (where, f.name)
            value.encode("utf-8")  # no lone surrogates
            if f.name in LIMITS:
                assert len(value) <= LIMITS[f.name], (where, f.name, len(value))
        elif isinstance(value, list):
            for item in value:
                if is_dataclass(item):
                    check_fits(item, where)
                else:
                    assert isinstance(item, str), (where, f.name)


def parse_safely(parser, resource: Any, where: str) -> None:
    fhir.resource_identity(resource)  # never raises
    if isinstance(resource, dict):
        fhir.human_name(resource.get("name"))  # never raises
    try:
        parsed = parser(resource)
    except ContractViolation as exc:
        assert len(str(exc)) < 500, where  # a readable quarantine reason, not the value
        return
    check_fits(parsed, where)
    for attachment in getattr(parsed, "attachments", ()):
        if attachment.data_base64 is not None or attachment.error is not None:
            try:
                fhir.decode_inline(attachment)
            except ContractViolation:
                pass


@pytest.mark.parametrize("resource, parser", PARSERS, ids=lambda v: getattr(v, "__name__", ""))
def test_every_path_with_every_wrong_type_gives_success_or_contract_violation(resource, parser):
    assert is_dataclass(parser(copy.deepcopy(resource)))  # the base case is valid
    for path in paths(resource):
        for bad in BAD_VALUES:
            parse_safely(parser, replaced(resource, path, bad), f"{path}={type(bad).__name__}")
    for bad in BAD_VALUES:
        parse_safely(parser, bad, f"resource={type(bad).__name__}")


@pytest.mark.parametrize("resource, parser", PARSERS, ids=lambda v: getattr(v, "__name__", ""))
def test_random_combinations_of_wrong_values(resource, parser):
    rng = random.Random(20261124)
    all_paths = paths(resource)
    for _round in range(300):
        mutated = copy.deepcopy(resource)
        for _ in range(rng.randint(1, 4)):
            options = paths(mutated)
            if not options:
                break
            path = rng.choice(options)
            new = rng.choice(BAD_VALUES + [
                rng.choice(["in-progress", "Patient/pat-1", "2026-01-01", "1980", "x" * 65,
                            "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])])
            if not (isinstance(new, list) and len(new) == 1):  # the deep list stays shared
                new = copy.deepcopy(new)  # later rounds must not change BAD_VALUES
            mutated = replaced(mutated, path, new, copy_first=False)
        parse_safely(parser, mutated, f"round {_round}")
    assert all_paths  # the walk saw the resource


# -- the lenient rules, one by one -----------------------------------------------------------
def communication(**changes: Any) -> dict[str, Any]:
    resource = copy.deepcopy(COMMUNICATION)
    for key, value in changes.items():
        if value is None:
            resource.pop(key, None)
        else:
            resource[key] = value
    return resource


def test_in_response_to_as_a_single_object_is_accepted():
    parsed = fhir.parse_communication(
        communication(inResponseTo={"reference": "Communication/ec-1"}))
    assert parsed.in_response_to == "ec-1" and parsed.problems == []


def test_a_reply_to_itself_becomes_a_root():
    parsed = fhir.parse_communication(
        communication(inResponseTo=[{"reference": "Communication/ec-2"}]))
    assert parsed.in_response_to is None and parsed.problems == ["reply_to_itself"]


def test_nul_and_controls_leave_the_text_but_nothing_is_cut():
    body = "Hallo\x00 dokter,\r\n\tik heb\x07 pijn. " + "lang " * 20_000
    parsed = fhir.parse_communication(communication(payload=[{"contentString": body}]))
    assert parsed.text == body.replace("\x00", "").replace("\x07", "")
    assert "\r\n\t" in parsed.text and parsed.problems == ["text_cleaned"]


def test_a_long_topic_is_shortened_with_a_visible_mark():
    parsed = fhir.parse_communication(communication(topic={"text": "Hoofdpijn " * 100}))
    assert len(parsed.topic) == 300 and parsed.topic.endswith("…")
    assert parsed.problems == ["subject_shortened"]


def test_an_unknown_status_is_treated_as_in_progress():
    for status in ("gelezen", 5, ["completed"]):
        parsed = fhir.parse_communication(communication(status=status))
        assert parsed.status == "in-progress" and parsed.problems == ["status_unknown"]


def test_without_a_valid_sent_the_last_update_is_used():
    for sent in (None, "gisteren", "2026-13-45T10:00:00Z", 20261124):
        parsed = fhir.parse_communication(communication(sent=sent))
        assert parsed.sent == datetime(2026, 11, 24, 9, 13, 5, 120000, tzinfo=UTC)
        assert parsed.problems == ["sent_missing"]


def test_without_a_last_update_a_valid_sent_is_enough():
    parsed = fhir.parse_communication(communication(meta={"versionId": "2"}))
    assert parsed.sent == datetime(2026, 11, 24, 9, 13, tzinfo=UTC) and parsed.problems == []
    assert fhir.parse_instant(parsed.last_updated, "x") == parsed.sent


def test_unreadable_payload_items_are_skipped_and_the_message_imported():
    parsed = fhir.parse_communication(communication(payload=[
        5, {"contentReference": {"reference": "DocumentReference/1"}},
        {"contentString": 7}, {"contentString": "Wel leesbaar."}]))
    assert parsed.text == "Wel leesbaar." and parsed.problems == ["payload_unreadable"]


def test_a_bad_attachment_is_refused_on_its_own():
    parsed = fhir.parse_communication(communication(payload=[
        {"contentString": "Zie foto."},
        {"contentAttachment": {"contentType": "image/jpeg"}},
        {"contentAttachment": {"data": "AAAA", "size": -3}},
        {"contentAttachment": {"data": "AAAA", "hash": "bm90IGEgc2hhMQ=="}},
        {"contentAttachment": {"url": "https://x/" + "a" * 2000}},
        {"contentAttachment": "photo.jpg"},
        {"contentAttachment": {"url": "Binary/ok", "creation": "gisteren", "title": "t" * 400}},
    ]))
    errors = [a.error for a in parsed.attachments]
    assert [bool(e) for e in errors] == [True, True, True, True, True, False]
    assert "neither data nor url" in errors[0] and "size" in errors[1]
    assert "SHA-1" in errors[2] and "url" in errors[3] and "not an object" in errors[4]
    for refused in parsed.attachments[:5]:
        assert refused.url is None and refused.data_base64 is None
        with pytest.raises(ContractViolation):
            fhir.decode_inline(refused)
    good = parsed.attachments[5]
    assert good.url == "Binary/ok" and good.created is None and len(good.title) == 255


def test_a_message_with_only_a_refused_attachment_still_reaches_a_person():
    parsed = fhir.parse_communication(communication(payload=[{"contentAttachment": {}}]))
    assert parsed.text == "" and parsed.attachments[0].error


@pytest.mark.parametrize("changes, reason", [
    ({"category": 5}, "not e-consult"),
    ({"category": [{"coding": 5}]}, "not e-consult"),
    ({"category": None}, "not e-consult"),
    ({"subject": {"reference": "RelatedPerson/rp-1"}}, "subject must reference"),
    ({"subject": "Patient/pat-1"}, "subject is missing"),
    ({"sender": {"reference": "Organization/org-1"}}, "sender must reference"),
    ({"sent": None, "meta": {"versionId": "1"}}, "neither sent nor meta.lastUpdated"),
    ({"payload": [{"contentString": ""}]}, "payload is missing"),
    ({"payload": 5}, "payload is missing"),
    ({"inResponseTo": [{"reference": "Patient/pat-1"}]}, "inResponseTo must reference"),
    ({"inResponseTo": 5}, "inResponseTo is not a reference"),
    ({"id": 5}, "no valid id"),
    ({"id": "a" * 65}, "no valid id"),
])
def test_what_is_about_safety_stays_strict(changes, reason):
    with pytest.raises(ContractViolation, match=reason):
        fhir.parse_communication(communication(**changes))


def test_a_long_version_becomes_a_stable_digest():
    long_a, long_b = "v" * 65, "v" * 64 + "w"
    parse = lambda v: fhir.parse_communication(communication(meta={  # noqa: E731
        "versionId": v, "lastUpdated": "2026-11-24T09:13:05Z"})).version
    assert parse(long_a) == parse(long_a) != parse(long_b)
    assert parse(long_a).startswith("sha256:") and len(parse(long_a)) == 64
    assert parse("7") == "7" and parse(7) == "7"
    assert fhir.resource_identity(communication(meta={"versionId": long_a}))[2] == parse(long_a)


def test_a_long_identifier_is_digested_to_fit():
    value = "urn:uuid:" + "f" * 200
    parsed = fhir.parse_communication(communication(identifier=[{"value": value}]))
    assert len(parsed.identifier) <= 80 and parsed.identifier.startswith("sha256:")
    assert fhir.parse_communication(communication(identifier={"value": "wb-7"})).identifier \
        == "wb-7"


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00",
                                   "0000-01-01", "2026-02-30", "2026-01-01T25:00:00Z",
                                   "２０２６-01-01", "2026-01-01\n", 5, None])
def test_parse_instant_refuses_with_contract_violation_only(value):
    with pytest.raises(ContractViolation):
        fhir.parse_instant(value, "sent")


def patient(**changes: Any) -> dict[str, Any]:
    resource = copy.deepcopy(PATIENT)
    resource.update(changes)
    return resource


@pytest.mark.parametrize("changes, expected", [
    ({"name": [{"given": 5, "family": "Vries"}]}, ("Vries", "Vries")),
    ({"name": [{"given": "Anna", "family": ["de", "Vries"]}]}, ("Anna de Vries", "de Vries")),
    ({"name": "Anna de Vries"}, ("Anna de Vries", None)),
    ({"name": {"text": "Anna", "family": 7}}, ("Anna", None)),
    ({"name": [5, {"text": "Anna"}]}, ("Anna", None)),
])
def test_odd_name_shapes_are_coerced(changes, expected):
    parsed = fhir.parse_patient(patient(**changes))
    assert (parsed.name, parsed.family_name) == expected and parsed.problems == []


def test_odd_identifier_and_gender_shapes_are_tolerated():
    parsed = fhir.parse_patient(patient(identifier=3, gender="vrouw"))
    assert parsed.bsn is None and parsed.gender is None and parsed.problems == ["gender_unknown"]
    parsed = fhir.parse_patient(patient(identifier={"system": fhir.BSN_SYSTEM,
                                                    "value": 111222333}, gender=["female"]))
    assert parsed.bsn == "111222333" and parsed.problems == ["gender_unknown"]
    assert fhir.parse_patient(patient(gender="unknown")).gender == "unknown"


def test_names_are_cleaned_and_shortened_visibly():
    parsed = fhir.parse_patient(patient(name=[{"text": "Anna\x00 " + "de Vries " * 40,
                                               "family": "V" * 130}]))
    assert "\x00" not in parsed.name and len(parsed.name) == 200 and parsed.name.endswith("…")
    assert len(parsed.family_name) == 120
    assert parsed.problems == ["text_cleaned", "name_shortened"]


def test_a_missing_name_is_flagged():
    parsed = fhir.parse_patient(patient(name=[{"text": "\x00\x01 "}]))
    assert parsed.name == "Patient pat-1" and "name_missing" in parsed.problems


def test_organization_tolerates_odd_telecom_and_long_fields():
    parsed = fhir.parse_organization(dict(ORGANIZATION, telecom=5, name="P" * 300,
                                          identifier=[{"system": fhir.AGB_SYSTEM,
                                                       "value": "1" * 40}]))
    assert parsed.phone is None and len(parsed.name) == 200 and len(parsed.agb_code) == 16


def test_role_coding_of_a_wrong_type_falls_back_to_words():
    parsed = fhir.parse_practitioner_role(dict(ROLE, code=[{"coding": 5, "text": "POH GGZ"}],
                                               specialty=5))
    assert parsed.role == "poh"


@pytest.mark.parametrize("value, limit, expected, problems", [
    ("Anna", 10, "Anna", []),
    ("  An\x00na\n ", 10, "Anna", ["text_cleaned"]),
    ("Anna\nde Vries", 40, "Anna de Vries", []),
    ("abcdefghijkl", 10, "abcdefghi…", ["text_shortened"]),
    (5, 10, "", []),
    (None, 10, "", []),
])
def test_clean_text(value, limit, expected, problems):
    assert fhir.clean_text(value, limit) == (expected, problems)


def test_clean_text_keeps_line_breaks_in_message_text():
    assert fhir.clean_text("a\r\n\tb\x00\x1b", multiline=True) == ("a\r\n\tb", ["text_cleaned"])


def test_the_demo_portal_roles_are_decided_by_their_codes():
    from workbench.demo.server import DemoPortal, PortalOptions

    portal = DemoPortal(PortalOptions(photo_size=(32, 24),
                                      now=datetime(2026, 11, 24, 12, 0, tzinfo=UTC)))
    roles = []
    for role in portal.dataset.store["PractitionerRole"].values():
        coded_only = copy.deepcopy(role)
        for concept in coded_only["code"]:
            concept.pop("text", None)
            for coding in concept["coding"]:
                coding.pop("display", None)
        roles.append(fhir.parse_practitioner_role(coded_only).role)
    assert sorted(roles) == sorted(["huisarts"] * 3 + ["poh"] + ["assistent"] * 3)
