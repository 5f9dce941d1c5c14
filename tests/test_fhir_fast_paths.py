"""The fast paths of fhir.py and sync_rows.py against straightforward reference versions (the
code as it was before them) over many generated inputs."""

from __future__ import annotations

import hashlib
import random
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import DateTime, create_engine
from sqlalchemy.dialects.sqlite import DATETIME as SQLITE_DATETIME

from workbench.services import fhir
from workbench.services.fhir import ContractViolation
from workbench.services.sync_rows import bind_processor

# -- reference versions -----------------------------------------------------------------------
_CONTROLS_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_CONTROLS_LINE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def reference_clean_text(value, limit=None, *, multiline=False, shortened="text_shortened"):
    if not isinstance(value, str):
        return "", []
    problems = []
    if multiline:
        text = _CONTROLS_MULTILINE.sub("", value)
    else:
        text = _CONTROLS_LINE.sub(lambda m: " " if m.group() in "\t\n\r" else "", value)
        if _CONTROLS_MULTILINE.search(value):
            problems.append("text_cleaned")
        text = text.strip()
    if multiline and text != value:
        problems.append("text_cleaned")
    if limit is not None and len(text) > limit:
        text = text[:limit - 1].rstrip() + "…"
        problems.append(shortened)
    return text, problems


def reference_parse_instant(value, what):
    if not isinstance(value, str) or not fhir._DATETIME.fullmatch(value):
        raise ContractViolation(f"{what} is not a FHIR dateTime: {fhir._show(value)}")
    text = value.replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text if "T" in text else text + "T00:00:00")
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return parsed.astimezone(timezone.utc)
    except (ValueError, OverflowError) as exc:
        raise ContractViolation(f"{what} is not a valid date and time: "
                                f"{fhir._show(value)}") from exc


def reference_fit_identifier(value, limit):
    if len(value) <= limit and value.isprintable() and value == value.strip() and value:
        return value
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return ("sha256:" + digest)[:limit]


def reference_is_valid_bsn(bsn):
    if not isinstance(bsn, str) or not re.fullmatch(r"\d{9}", bsn, re.ASCII):
        return False
    total = sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1))) - int(bsn[8])
    return total % 11 == 0 and bsn != "000000000"


# -- inputs -----------------------------------------------------------------------------------
_PIECES = (["a", "Z", "0", " ", "  ", "\t", "\n", "\r", "\r\n", "\x00", "\x01", "\x0b", "\x0c",
            "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f", "\xa0", "é", "ë", "€", "\u2028",
            "\u200b", "\u3000", "\ud800", "\udfff", "\udc80", "😀", "\U0010ffff", "…",
            "Hallo, ik heb ", "pijn in mijn buik", "\n\n", " \t "])


def _strings(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = ["", " ", "\t", "\n", " \n\t ", "a", "\x00", "\ud800", "x" * 1000, "é" * 301]
    for _ in range(count):
        size = rng.choice((1, 2, 3, 5, 10, 40, 120))
        out.append("".join(rng.choice(_PIECES) for _ in range(size)))
        # mostly clean strings too: the fast path itself
        out.append("".join(rng.choice(_PIECES[:3] + _PIECES[-4:-2] + ["é", " "])
                           for _ in range(size)))
    return out


# -- clean_text -------------------------------------------------------------------------------
@pytest.mark.parametrize("multiline", [False, True])
def test_clean_text_matches_the_reference(multiline):
    rng = random.Random(7)
    for value in _strings(4000, 1 + multiline):
        for limit in (None, rng.choice((1, 2, 3, 5, 10, 40, 200, 300))):
            got = fhir.clean_text(value, limit, multiline=multiline, shortened="cut")
            assert got == reference_clean_text(value, limit, multiline=multiline,
                                               shortened="cut"), (value, limit)


def test_clean_text_matches_the_reference_for_every_character():
    for code in [*range(0, 0x3100), *range(0xd7f0, 0xe010), *range(0xfff0, 0x10040),
                 0x10ffff]:
        char = chr(code)
        for value in (char, f"a{char}b", f" {char}", char * 3):
            for multiline in (False, True):
                assert fhir.clean_text(value, 2, multiline=multiline) \
                    == reference_clean_text(value, 2, multiline=multiline), (hex(code), value)
                assert fhir.clean_text(value, multiline=multiline) \
                    == reference_clean_text(value, multiline=multiline), hex(code)


def test_clean_text_not_a_string():
    for value in (None, 1, b"abc", ["a"], {"a": 1}):
        assert fhir.clean_text(value, 3) == ("", [])


def test_control_detection_matches_the_regexes_for_every_code_point():
    for code in range(0x110000):
        char = chr(code)
        assert fhir._has_controls(char, fhir._KEEP_IN_TEXT) \
            == bool(_CONTROLS_MULTILINE.search(char)), hex(code)
        assert fhir._has_controls(char, fhir._KEEP_IN_LINE) \
            == bool(_CONTROLS_LINE.search(char)), hex(code)


def test_clean_text_returns_a_fresh_problem_list():
    text, problems = fhir.clean_text("plain")
    problems.append("x")
    assert fhir.clean_text("plain") == ("plain", [])


# -- parse_instant ----------------------------------------------------------------------------
def _instants(count: int) -> list[str]:
    rng = random.Random(3)
    digits = "0123456789"

    def number(width):
        if rng.random() < 0.7:
            return "".join(rng.choice(digits) for _ in range(width))
        return rng.choice(("0" * width, "9" * width, "1".zfill(width), "12".zfill(width)))

    out = ["2026-11-24T07:06:58+00:00", "2026-11-24T07:07:00.289Z", "2020-01-01",
           "0001-01-01", "0001-01-01T00:30+01:00", "9999-12-31T23:59:59-01:00",
           "9999-12-31T23:59:59.999999Z", "2020-02-29T10:00Z", "2021-02-29", "2020-01-01T24:00",
           "2020-01-01T10:00:00.1234567Z", "2020-01-01T10:00:00+24:00", "2020-01-01Z",
           "2020-01-01T10", "2020-01-01 10:00:00", "", "Z", "２０２０-01-01", "2020-01-01T10:00Z ",
           None, 20200101, ["2020-01-01"]]
    for _ in range(count):
        value = f"{number(4)}-{rng.choice(['01', '12', '13', '00', number(2)])}-{number(2)}"
        if rng.random() < 0.8:
            value += f"T{number(2)}:{number(2)}"
            if rng.random() < 0.7:
                value += f":{number(2)}"
                if rng.random() < 0.5:
                    value += "." + number(rng.randint(1, 9))
            value += rng.choice(("", "Z", f"+{number(2)}:{number(2)}", "-00:00", "+01:00",
                                 "-12:30", "z", "+0100"))
        out.append(value)
    return out


def _outcome(function, value):
    try:
        result = function(value, "sent")
    except ContractViolation as exc:
        return "error", str(exc)
    return "ok", result, result.tzinfo, result.utcoffset()


def test_parse_instant_matches_the_reference():
    outcomes = set()
    for value in _instants(20_000):
        got = _outcome(fhir.parse_instant, value)
        assert got == _outcome(reference_parse_instant, value), value
        outcomes.add(got[0])
    assert outcomes == {"ok", "error"}


# -- small helpers ----------------------------------------------------------------------------
def test_fit_identifier_matches_the_reference():
    values = _strings(2000, 5) + [chr(code) + "x" + chr(code) for code in range(0x3100)]
    values += [" x", "x ", "\u3000x", "x\xa0", "x" * 64, "x" * 65]
    for value in values:
        if not value:
            continue  # callers never pass an empty key to fit
        for limit in (3, 64, 80):
            assert fhir.fit_identifier(value, limit) == reference_fit_identifier(value, limit), \
                value


def test_is_valid_bsn_matches_the_reference():
    rng = random.Random(11)
    values = ["000000000", "999964240", "１１１２２２３３３", "12345678", "1234567890", None, 123]
    values += ["".join(rng.choice("0123456789") for _ in range(9)) for _ in range(20_000)]
    for value in values:
        assert fhir.is_valid_bsn(value) == reference_is_valid_bsn(value), value


def test_email_whitespace_anywhere_leaves_the_address_out():
    whitespace = [chr(code) for code in range(0x110000) if chr(code).isspace()]
    for char in whitespace:
        resource = {"telecom": [{"system": "email", "value": f"a{char}b@example.nl"}]}
        assert fhir._email(resource) is None, hex(ord(char))
    assert fhir._email({"telecom": [{"system": "email", "value": " A.b@Example.nl "}]}) \
        == "a.b@example.nl"


def test_add_keeps_order_and_leaves_out_doubles():
    problems = ["a"]
    fhir._add(problems, [])
    fhir._add(problems, ["b", "a", "c"])
    assert problems == ["a", "b", "c"]


def test_version_and_identity_match_the_loop():
    def reference_version(meta, default):
        for key in ("versionId", "lastUpdated"):
            value = meta.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            if isinstance(value, str) and value:
                return reference_fit_identifier(value, 64)
        return default
    values = [None, "", "1", " 1", "x" * 70, 3, True, 2.5, "\x00", "2026-01-01T00:00:00Z"]
    for version_id in values:
        for last_updated in values:
            meta = {"versionId": version_id, "lastUpdated": last_updated}
            assert fhir._version(meta, "0") == reference_version(meta, "0"), meta
            resource = {"resourceType": "Patient", "id": "p-1", "meta": meta}
            assert fhir.resource_identity(resource) == (
                "Patient", "p-1", reference_version(meta, ""))
    assert fhir.resource_identity({"resourceType": "Patient", "id": "p", "meta": []}) \
        == ("Patient", "p", "")


# -- SQLite DATETIME binding ------------------------------------------------------------------
def _sqlite():
    return create_engine("sqlite://").dialect


def _datetimes() -> list:
    rng = random.Random(5)
    out = [datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59, 59, 999999), datetime(999, 5, 6),
           datetime(12, 1, 2, 3, 4, 5, 6), datetime(2026, 1, 1, tzinfo=timezone.utc),
           datetime(2026, 1, 1, 10, tzinfo=timezone(timedelta(hours=2))),
           datetime(2026, 1, 1, 10, 0, 0, 10, tzinfo=timezone(timedelta(hours=-5)))]
    for _ in range(20_000):
        value = datetime(rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28),
                         rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
                         rng.choice((0, 0, rng.randint(0, 999_999))))
        choice = rng.random()
        if choice < 0.5:
            value = value.replace(tzinfo=timezone.utc)
        elif choice < 0.6:
            value = value.replace(tzinfo=timezone(timedelta(minutes=rng.randint(-1439, 1439))))
        elif choice < 0.65:
            value = value.replace(fold=1)
        out.append(value)
    return out


def _bound(process, value):
    try:
        return "ok", process(value)
    except Exception as exc:  # noqa: BLE001 - the same error either way
        return type(exc), str(exc)


def test_sqlite_datetime_binding_matches_sqlalchemy():
    dialect = _sqlite()
    for type_ in (DateTime(), DateTime(timezone=True)):
        theirs = type_.dialect_impl(dialect).bind_processor(dialect)
        ours = bind_processor(type_, dialect)
        assert ours is not theirs and ours.__name__ == "sqlite_datetime"  # the fast one
        values = _datetimes() + [None, date(2020, 1, 2), date(1, 1, 1), "2020-01-01", 5]
        for value in values:
            assert _bound(ours, value) == _bound(theirs, value), value


def test_other_storage_formats_keep_sqlalchemys_processor():
    dialect = _sqlite()
    for type_ in (SQLITE_DATETIME(truncate_microseconds=True),
                  SQLITE_DATETIME(storage_format="%(year)04d/%(month)02d/%(day)02d "
                                                 "%(hour)02d:%(minute)02d:%(second)02d",
                                  regexp=r"(\d+)/(\d+)/(\d+) (\d+):(\d+):(\d+)")):
        ours = bind_processor(type_, dialect)
        theirs = type_.dialect_impl(dialect).bind_processor(dialect)
        assert ours.__name__ != "sqlite_datetime"
        for value in _datetimes()[:200]:
            assert ours(value) == theirs(value)
