"""The demo's people: BSNs from the range set aside for testing, Dutch names as FHIR writes
them, who writes for a patient and how they name them, made-up addresses and phone numbers."""

from __future__ import annotations

import hashlib
import random
import unicodedata
from typing import Any

from workbench.demo import vocabulary as vocab

OWN_PREFIX = "http://hl7.org/fhir/StructureDefinition/humanname-own-prefix"
OWN_NAME = "http://hl7.org/fhir/StructureDefinition/humanname-own-name"


def bsn_valid(bsn: str) -> bool:
    """The elfproef for a 9-digit BSN."""
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1))) - int(bsn[8])
    return total % 11 == 0 and bsn != "000000000"


def test_range_bsns() -> list[str]:
    """Every BSN of the 9999xxxxx range that passes the elfproef: numbers set aside for testing,
    never given to a person (about 9,000 of them)."""
    global _test_range
    if _test_range is None:
        found = []
        for n in range(10_000):
            digits = [9, 9, 9, 9] + [int(c) for c in f"{n:04d}"]
            check = sum(d * w for d, w in zip(digits, range(9, 1, -1))) % 11
            if check < 10:
                found.append("".join(map(str, digits)) + str(check))
        _test_range = found
    return list(_test_range)


_test_range: list[str] | None = None
MAX_PATIENTS = 9_000  # the test range holds about 9,000 BSNs; a large demo shares its patients


def make_bsn(rng: random.Random) -> str:
    """One BSN from the test range."""
    return rng.choice(test_range_bsns())


_name_cache: dict[tuple[str, str], dict] = {}


def shared_name(given: str, family: str) -> dict:
    """human_name(), shared between resources (the store never mutates resources in place)."""
    name = _name_cache.get((given, family))
    if name is None:
        name = _name_cache[(given, family)] = human_name(given, family)
    return name


def human_name(given: str, family: str, use: str = "official") -> dict:
    name: dict[str, Any] = {"use": use, "text": f"{given} {family}", "family": family}
    parts = family.split(" ")
    if len(parts) > 1 and parts[0] in ("van", "de", "der", "den", "ter", "op", "'t", "te", "el", "van'"):
        own = parts[-1]
        prefix = " ".join(parts[:-1])
        name["_family"] = {"extension": [{"url": OWN_PREFIX, "valueString": prefix},
                                         {"url": OWN_NAME, "valueString": own}]}
    name["given"] = [given]
    return name


class Patient:
    """A demo patient and who writes for them."""

    __slots__ = ("age_days", "age_years", "family", "female", "given", "pid", "relation", "rp_id",
                 "writer", "writer_family", "writer_given")

    def __init__(self, pid: str, given: str, family: str, age_days: int, female: bool) -> None:
        self.pid, self.given, self.family = pid, given, family
        self.age_days, self.age_years, self.female = age_days, age_days / 365.25, female
        self.writer = vocab.SELF
        self.relation: tuple[str, str, str] | None = None  # RoleCode, display, Dutch text
        self.rp_id: str | None = None
        self.writer_given = given
        self.writer_family = family

    @property
    def signature(self) -> str:
        if self.relation is not None and self.relation[0] == "GUARD":
            return f"{self.writer_given} {self.writer_family}, {self.relation[2]}"
        return self.writer_given


def about(pat: Patient) -> dict[str, str]:
    """How the writer names the patient: "mijn zoon Daan", "mijn cliënte mevrouw de Vries",
    "mijn moeder"; with pronouns, and capitalised forms to start a sentence with."""
    female = pat.female
    code = pat.relation[0] if pat.relation else None
    if pat.writer == vocab.PARENT:
        who = "mijn dochter" if female else "mijn zoon"
        name = pat.given
        who_name = f"{who} {name}"
    elif code == "GUARD":
        who = "mijn cliënte" if female else "mijn cliënt"
        name = f"{'mevrouw' if female else 'meneer'} {pat.family}"
        who_name = f"{who} {name}"
    elif code == "SPS":
        who = name = who_name = "mijn vrouw" if female else "mijn man"
    elif code is not None:  # a daughter or son, also as gemachtigde
        who = name = who_name = "mijn moeder" if female else "mijn vader"
    else:
        who, name, who_name = pat.given, pat.given, pat.given
    values = {"wie": who, "naam": name, "wie_naam": who_name,
              "hij": "ze" if female else "hij", "zijn": "haar" if female else "zijn",
              "hem": "haar" if female else "hem"}
    for key in list(values):
        values[key[:1].upper() + key[1:]] = values[key][:1].upper() + values[key][1:]
    return values


def demo_email(given: str, family: str, number: int) -> str:
    """A made-up address for the demo (example.nl is reserved for examples), from the name and
    the patient's number, not from the seeded random stream."""
    def plain(text: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return "".join(c for c in ascii_text.lower() if c.isalnum())
    return f"{plain(given)}.{plain(family)}.{number}@example.nl"


def demo_phone(resource_id: str) -> str:
    """A made-up mobile number for the demo, derived from the id (not from the seeded random
    stream, so the rest of the demo data stays as it was)."""
    digits = int(hashlib.sha1(resource_id.encode()).hexdigest(), 16) % 1000
    return f"06-12345{digits:03d}"
