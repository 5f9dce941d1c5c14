"""Seeded, realistic Dutch GP practice data for the demo portal, and its in-memory FHIR store.

Everything except timestamps is a pure function of the seed. Photo attachment metadata (size,
hash, inline data) is filled in lazily the first time a Communication is read, because the bytes
are only made on demand (see ``photos.py``).
"""

from __future__ import annotations

import base64
import bisect
import copy
import gc
import hashlib
import itertools
import json
import random
import string
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from workbench.demo import photos
from workbench.resources import RESOURCE_DIR

DEMO_RESOURCES = RESOURCE_DIR / "demo"

ECONSULT_SYSTEM = "urn:oid:2.16.840.1.113883.2.4.4.30.14"
ECONSULT_CODE = "12"
CATEGORY = [{"coding": [{"system": ECONSULT_SYSTEM, "code": ECONSULT_CODE, "display": "E-consult"}]}]
BSN_SYSTEM = "http://fhir.nl/fhir/NamingSystem/bsn"
AGB_SYSTEM = "http://fhir.nl/fhir/NamingSystem/agb-z"
ROLE_SYSTEM = "urn:oid:2.16.840.1.113883.2.4.15.111"
ROLECODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
SNOMED_SYSTEM = "http://snomed.info/sct"
OWN_PREFIX = "http://hl7.org/fhir/StructureDefinition/humanname-own-prefix"
OWN_NAME = "http://hl7.org/fhir/StructureDefinition/humanname-own-name"
INLINE_LIMIT = 64 * 1024
VALID_STATUS = {"preparation", "in-progress", "not-done", "on-hold", "stopped", "completed",
                "entered-in-error", "unknown"}
MALFORMED_KINDS = ("missing-subject", "bad-sent", "no-payload", "unknown-subject",
                   "attachment-without-content", "bad-status", "size-mismatch", "wrong-category")
DAY_MS = 86_400_000
REPEAT_PHOTO_PATIENTS = 2  # patients with photos in two e-consults (the viewer compares them)
TYPES = ("Organization", "Practitioner", "PractitionerRole", "Patient", "RelatedPerson",
         "Communication")


class _Rng(random.Random):
    """random.Random with cheap choice/randint/choices built on random() (fast, seed-stable)."""

    def choice(self, seq):  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:  # type: ignore[override]
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:  # type: ignore[override]
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def choices(self, population, weights=None, *, cum_weights=None, k=1):  # type: ignore[override]
        if weights is None:
            return [self.choice(population) for _ in range(k)]
        key = id(weights)
        cached = self._cum.get(key) if hasattr(self, "_cum") else None
        if cached is None or cached[0] is not weights:
            if not hasattr(self, "_cum"):
                self._cum = {}
            cached = (weights, list(itertools.accumulate(weights)))
            self._cum[key] = cached
        cum = cached[1]
        total = cum[-1]
        return [population[min(bisect.bisect_right(cum, self.random() * total), len(cum) - 1)]
                for _ in range(k)]


_formatter = string.Formatter()
_fields_cache: dict[str, tuple[str, ...]] = {}


def template_fields(template: str) -> tuple[str, ...]:
    fields = _fields_cache.get(template)
    if fields is None:
        fields = tuple(f for _, f, _, _ in _formatter.parse(template) if f)
        _fields_cache[template] = fields
    return fields


def is_econsult(res: dict) -> bool:
    """Does the Communication carry the NHG-Tabel 14 code 12 category?"""
    cats = res.get("category")
    if cats is CATEGORY:
        return True
    if not isinstance(cats, list):
        return False
    return any(isinstance(coding, dict) and coding.get("system") == ECONSULT_SYSTEM
               and coding.get("code") == ECONSULT_CODE
               for cat in cats if isinstance(cat, dict)
               for coding in (cat.get("coding") or []))


def load_json(name: str) -> Any:
    with open(DEMO_RESOURCES / name, encoding="utf-8") as fh:
        return json.load(fh)


_day_cache: dict[int, str] = {}


def _day(ms: int) -> tuple[str, int]:
    day, rest = divmod(ms, DAY_MS)
    text = _day_cache.get(day)
    if text is None:
        text = datetime.fromtimestamp(day * 86400, UTC).strftime("%Y-%m-%d")
        _day_cache[day] = text
    return text, rest


def fmt_instant(ms: int) -> str:
    """Milliseconds since the epoch -> FHIR instant with millisecond precision, UTC 'Z'."""
    day, rest = _day(ms)
    secs, milli = divmod(rest, 1000)
    h, rem = divmod(secs, 3600)
    m, sec = divmod(rem, 60)
    return f"{day}T{h:02d}:{m:02d}:{sec:02d}.{milli:03d}Z"


def fmt_datetime(ms: int) -> str:
    """Milliseconds -> FHIR dateTime with seconds and '+00:00'."""
    day, rest = _day(ms)
    secs = rest // 1000
    h, rem = divmod(secs, 3600)
    m, sec = divmod(rem, 60)
    return f"{day}T{h:02d}:{m:02d}:{sec:02d}+00:00"


def now_ms() -> int:
    return int(datetime.now(UTC).timestamp() * 1000)


def bsn_valid(bsn: str) -> bool:
    """The elfproef for a 9-digit BSN."""
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1))) - int(bsn[8])
    return total % 11 == 0 and bsn != "000000000"


def make_bsn(rng: random.Random) -> str:
    while True:
        n = 10_000_000 + int(rng.random() * 60_000_000)
        digits = [int(c) for c in str(n)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1))) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


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


class _Attachment:
    __slots__ = ("binary_id", "content_type", "spec", "meta", "sha256", "size_delta")

    def __init__(self, binary_id: str, spec: photos.PhotoSpec, size_delta: int = 0) -> None:
        self.binary_id = binary_id
        self.content_type = "image/jpeg"
        self.spec = spec
        self.meta: tuple[int, str] | None = None  # size, base64 SHA-1
        self.sha256: str | None = None
        self.size_delta = size_delta

    def produce(self) -> bytes:
        return photos.photo_bytes(self.spec)


class CommunicationMap(Mapping):
    """``dataset.communications``: id -> current resource dict, attachments resolved on access."""

    def __init__(self, dataset: Dataset) -> None:
        self._ds = dataset

    def __getitem__(self, key: str) -> dict:
        return self._ds.resolve(key)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._ds.store["Communication"]))

    def __len__(self) -> int:
        return len(self._ds.store["Communication"])

    def __contains__(self, key: object) -> bool:
        return key in self._ds.store["Communication"]


class Dataset:
    """The demo practice: resources by type, lastUpdated index, attachments, version history."""

    def __init__(self, seed: int = 1, consults: int = 80, photo_size: tuple[int, int] = (4032, 3024),
                 photo_share: float = 0.12, malformed: int = 0, now: datetime | None = None) -> None:
        self.seed = seed
        self.photo_size = (int(photo_size[0]), int(photo_size[1]))
        self.now = (now or datetime.now(UTC)).astimezone(UTC)
        self.lock = threading.RLock()
        self.store: dict[str, dict[str, dict]] = {t: {} for t in TYPES}
        self._keys: dict[str, list[int]] = {t: [] for t in TYPES}  # lastUpdated ms, ascending
        self._ids: dict[str, list[str]] = {t: [] for t in TYPES}
        self._ms: dict[tuple[str, str], int] = {}  # (type,id) -> lastUpdated ms
        self._json: dict[tuple[str, str], tuple[str, str]] = {}  # (type,id) -> (versionId, text)
        self._history: dict[tuple[str, str], dict[str, str]] = {}
        self._pending: dict[str, list[tuple[int, _Attachment]]] = {}
        self._attachments: dict[str, _Attachment] = {}
        self.attachments: dict[str, tuple[str, Callable[[], bytes]]] = {}
        self._att_refs: dict[str, list[str]] = {}  # comm id -> binary ids
        self._identifiers: dict[tuple[str, str], str] = {}
        self._thread_next: dict[str, int] = {}
        self._out_seq = 0
        self._last_ms = 0
        self.valid_root_ids: list[str] = []
        self.valid_message_ids: list[str] = []
        self.malformed_ids: list[str] = []
        self.malformed_kinds: dict[str, str] = {}
        self.created_ids: list[str] = []
        # Communications (other than the seeded malformed ones) without the e-consult category
        self.non_econsult: set[str] = set()
        self.communications = CommunicationMap(self)
        gc_was_enabled = gc.isenabled()
        gc.disable()  # building ~1M small dicts: generational GC passes would dominate the time
        try:
            self._build(_Rng(seed), max(0, int(consults)), float(photo_size and photo_share),
                        max(0, int(malformed)))
        finally:
            if gc_was_enabled:
                gc.enable()

    # ------------------------------------------------------------------ generation
    def _build(self, rng: random.Random, consults: int, photo_share: float, malformed: int) -> None:
        names = load_json("names.json")
        texts = load_json("texts.json")
        now = int(self.now.timestamp() * 1000)
        self._now_ms = now
        base_ms = (now - 20 * DAY_MS) // 1000 * 1000
        self._last_ms = base_ms
        fem, male, fam = names["given_female"], names["given_male"], names["family"]

        def add_static(res: dict) -> None:
            self._last_ms += 1
            res["meta"] = {"versionId": "1", "lastUpdated": fmt_instant(self._last_ms)}
            self._put(res, self._last_ms)

        # Organization
        agb_org = "01" + "".join(str(rng.randint(0, 9)) for _ in range(6))
        add_static({"resourceType": "Organization", "id": "org-1",
                    "identifier": [{"system": AGB_SYSTEM, "value": agb_org}],
                    "active": True, "name": "Huisartsenpraktijk De Linde",
                    "telecom": [{"system": "phone", "value": "030-" + str(rng.randint(2000000, 6999999)),
                                 "use": "work"}],
                    "address": [{"line": ["Lindelaan 12"], "postalCode": "3701 AB", "city": "Zeist",
                                 "country": "NL"}]})
        # Coded roles as portals send them: RoleCodeNL (UZI role codes) first, SNOMED CT
        # occupation second. RoleCodeNL has no POH or doktersassistent, so those carry the
        # nearest RoleCodeNL concept (30.000 nurse, 99.000 other care) and a precise SNOMED code.
        roles = [("huisarts", ("01.015", "Huisarts"),
                  ("62247001", "Family medicine specialist"))] * 3 + \
                [("praktijkondersteuner", ("30.000", "Verpleegkundige"),
                  ("159002008", "Practice nurse"))] + \
                [("doktersassistent", ("99.000", "Zorgverlener andere zorg"),
                  ("22515006", "Medical assistant"))] * 3
        self.practitioner_ids: list[str] = []
        for i, (text, (code, display), (sct_code, sct_display)) in enumerate(roles, start=1):
            female = rng.random() < 0.6
            given = rng.choice(fem if female else male)
            family = rng.choice(fam)
            agb = "01" + "".join(str(rng.randint(0, 9)) for _ in range(6))
            add_static({"resourceType": "Practitioner", "id": f"prac-{i}",
                        "identifier": [{"system": AGB_SYSTEM, "value": agb}], "active": True,
                        "name": [human_name(given, family)],
                        "gender": "female" if female else "male"})
            add_static({"resourceType": "PractitionerRole", "id": f"role-{i}", "active": True,
                        "practitioner": {"reference": f"Practitioner/prac-{i}",
                                         "display": f"{given} {family}"},
                        "organization": {"reference": "Organization/org-1"},
                        "code": [{"coding": [{"system": ROLE_SYSTEM, "code": code, "display": display},
                                             {"system": SNOMED_SYSTEM, "code": sct_code,
                                              "display": sct_display}],
                                  "text": text}]})
            self.practitioner_ids.append(f"prac-{i}")

        # Patients (+ a parent for everyone under 16)
        n_pat = max(60, int(0.4 * consults))
        width = max(5, len(str(n_pat)))
        today = self.now.date()
        birth_cache: dict[int, str] = {}
        rel_kinds, rel_weights = ["MTH", "FTH", "PRN"], [6, 3, 1]
        groups: dict[str, list[int]] = {"adult": [], "child": [], "baby": []}
        pat_info: list[tuple[str, str, str, str | None, int, bool]] = []  # id, given, family, rp, age, female
        seen_bsn: set[str] = set()
        age_bands = [(0, 89, 3), (90, 11 * 365, 14), (12 * 365, 15 * 365 + 300, 6),
                     (16 * 365 + 1, 17 * 365 + 300, 4), (18 * 365, 64 * 365, 51), (65 * 365, 96 * 365, 22)]
        band_weights = [b[2] for b in age_bands]
        n_rp = 0
        for i in range(1, n_pat + 1):
            lo, hi, _ = rng.choices(age_bands, band_weights)[0]
            if i <= 5:  # every age band is present, whatever the size
                lo, hi, _ = age_bands[[0, 1, 2, 3, 5][i - 1]]
            age_days = rng.randint(lo, hi)
            female = rng.random() < 0.52
            given = rng.choice(fem if female else male)
            family = rng.choice(fam)
            bsn = make_bsn(rng)
            while bsn in seen_bsn:
                bsn = make_bsn(rng)
            seen_bsn.add(bsn)
            pid = f"pat-{i:0{width}d}"
            birth = birth_cache.get(age_days)
            if birth is None:
                birth = birth_cache[age_days] = (today - timedelta(days=age_days)).isoformat()
            street = rng.choice(names["streets"])
            city = rng.choice(names["cities"])
            house = rng.randint(1, 180)
            add_static({"resourceType": "Patient", "id": pid,
                        "identifier": [{"system": BSN_SYSTEM, "value": bsn}], "active": True,
                        "name": [shared_name(given, family)],
                        "gender": "female" if female else "male", "birthDate": birth,
                        "address": [{"line": [f"{street} {house}"], "city": city, "country": "NL"}],
                        "telecom": [{"system": "phone", "value": demo_phone(pid), "use": "mobile"}],
                        "managingOrganization": {"reference": "Organization/org-1"}})
            rp_id = None
            if age_days < 16 * 365:
                n_rp += 1
                rp_id = f"rp-{n_rp:0{width}d}"
                kind = rng.choices(rel_kinds, rel_weights)[0]
                rel_text = {"MTH": "moeder", "FTH": "vader", "PRN": "ouder"}[kind]
                p_female = kind == "MTH" or (kind == "PRN" and rng.random() < 0.5)
                p_given = rng.choice(fem if p_female else male)
                p_family = family if rng.random() < 0.8 else rng.choice(fam)
                add_static({"resourceType": "RelatedPerson", "id": rp_id, "active": True,
                            "patient": {"reference": f"Patient/{pid}"},
                            "relationship": [{"coding": [{"system": ROLECODE_SYSTEM, "code": kind,
                                                          "display": {"MTH": "mother", "FTH": "father",
                                                                      "PRN": "parent"}[kind]}],
                                              "text": rel_text}],
                            "name": [shared_name(p_given, p_family)],
                            "gender": "female" if p_female else "male",
                            "telecom": [{"system": "email",
                                         "value": f"{p_given.lower()}{rng.randint(1, 99)}@example.nl"},
                                        {"system": "phone", "value": demo_phone(rp_id),
                                         "use": "mobile"}]})
                groups["baby" if age_days < 90 else "child"].append(i - 1)
            else:
                groups["adult"].append(i - 1)
            pat_info.append((pid, given, family, rp_id, age_days, female))
        for key in groups:  # never empty, so every category can find a subject
            if not groups[key]:
                groups[key] = groups["adult"] or [0]
        groups["any"] = list(range(n_pat))
        static_end = self._last_ms

        # E-consults
        cats = texts["categories"]
        photo_cats = [c for c in cats if c["photo"]]
        plain_cats = [c for c in cats if not c["photo"]]
        photo_w = [c["weight"] for c in photo_cats]
        plain_w = [c["weight"] for c in plain_cats]
        cw = max(6, len(str(consults)))
        events: list[tuple[int, int, str]] = []
        seq = 0
        bin_seq = 0
        bin_w = max(6, len(str(consults * 3)))
        fillers, links, pasted = texts["fillers"], texts["links"], texts["pasted"]
        orientations, orientation_w = [1, 3, 6, 8], [70, 8, 14, 8]
        photo_counts, photo_count_w = [1, 2, 3], [6, 3, 1]
        makes = [("Apple", "iPhone 13"), ("Apple", "iPhone 15 Pro"), ("samsung", "SM-S918B"),
                 ("Google", "Pixel 7"), ("motorola", "moto g54 5G")]

        def fill(template: str, pat: tuple, rrng: random.Random, values: dict) -> str:
            """Fill {placeholders}; ``values`` is shared by the topic and body of one message."""
            fields = template_fields(template)
            if not fields:
                return template
            for f in fields:
                if f in values:
                    continue
                if f == "medicijn":
                    values[f] = rrng.choice(texts["medicijnen"])
                elif f == "dagen":
                    values[f] = rrng.choice(texts["dagen"])
                elif f == "plek":
                    values[f] = rrng.choice(texts["plekken"])
                elif f == "kind":
                    values[f] = pat[1]
                elif f == "leeftijd":
                    age = pat[4]
                    if age < 90:
                        values[f] = f"{max(1, age // 7)} weken"
                    elif age < 730:
                        values[f] = f"{age // 30} maanden"
                    else:
                        values[f] = f"{age // 365} jaar"
                elif f == "relatie":
                    values[f] = "dochter" if pat[5] else "zoon"
                elif f == "straat":
                    values[f] = f"{rrng.choice(names['streets'])} {rrng.randint(1, 200)}"
                elif f == "stad":
                    values[f] = rrng.choice(names["cities"])
                elif f == "tel":
                    values[f] = str(rrng.randint(10000000, 99999999))
            return template.format_map(values)

        def sent_ms(rrng: random.Random) -> int:
            day = rrng.randrange(14)
            secs = rrng.randint(7 * 3600 + 1800, 21 * 3600 + 1800)
            midnight = (now // DAY_MS) * DAY_MS
            t = midnight - day * DAY_MS + secs * 1000
            while t > now - 2 * 3600 * 1000:
                t -= DAY_MS
            return t

        def compose(cat: dict, pat: tuple, writer_given: str, rrng: random.Random) -> tuple[str, str]:
            values: dict[str, str] = {}
            body = rrng.choice(cat["bodies"])
            if isinstance(body, list):  # [topic, text]: a body with its own subject line
                topic_t, body = body
            else:
                topic_t = rrng.choice(cat["topics"])
            body = fill(body, pat, rrng, values)
            topic = fill(topic_t, pat, rrng, values)
            parts = []
            greet = rrng.choice(texts["greetings"])
            if greet:
                parts.append(greet)
            filler = rrng.choice(fillers)
            parts.append(body + (" " + filler if filler else ""))
            r = rrng.random()
            if r < 0.05:
                parts.append(rrng.choice(links))
            elif r < 0.09:
                parts.append(rrng.choice(pasted))
            if rrng.random() < 0.25:  # a typo: two letters swapped
                words = parts[-1].split(" ")
                k = rrng.randrange(len(words))
                w = words[k]
                if len(w) > 3:
                    j = rrng.randrange(len(w) - 1)
                    words[k] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
                parts[-1] = " ".join(words)
            if rrng.random() < 0.15:
                parts[-1] = parts[-1].lower()
            parts.append(f"{rrng.choice(texts['closings'])}\n{writer_given}")
            return topic, "\n\n".join(parts)

        def attachments_for(cid: str, sent: int, rrng: random.Random, count: int,
                            size_delta: int = 0) -> list[dict]:
            nonlocal bin_seq
            out = []
            for _ in range(count):
                bin_seq += 1
                bid = f"bin-{bin_seq:0{bin_w}d}"
                taken = sent - rrng.randint(60, 3 * 3600) * 1000
                gps = None
                if rrng.random() < 0.3:
                    gps = (round(rrng.uniform(51.3, 53.3), 5), round(rrng.uniform(3.6, 7.1), 5))
                orient = rrng.choices(orientations, orientation_w)[0]
                make, model = rrng.choice(makes)
                spec = photos.PhotoSpec(
                    binary_id=bid, size=self.photo_size, variant=rrng.randrange(photos.VARIANTS),
                    orientation=orient, make=make, model=model, gps=gps,
                    taken=datetime.fromtimestamp(taken // 1000, UTC).strftime("%Y:%m:%d %H:%M:%S"))
                att = _Attachment(bid, spec, size_delta)
                self._attachments[bid] = att
                self.attachments[bid] = (att.content_type, att.produce)
                title = rrng.choice([f"IMG_{rrng.randint(1000, 9999)}.jpg", "foto.jpg",
                                     f"PXL_{rrng.randint(10000, 99999)}.jpg", "image.jpeg"])
                placeholder = {"contentAttachment": {"contentType": "image/jpeg", "title": title,
                                                     "creation": fmt_datetime(taken)}}
                # payload[0] is the contentString; the photos follow it
                self._pending.setdefault(cid, []).append((1 + len(out), att))
                self._att_refs.setdefault(cid, []).append(bid)
                out.append(placeholder)
            return out

        def root(cid: str, cat: dict, pat: tuple, sent: int, rrng: random.Random,
                 with_photos: bool) -> dict:
            pid, given, family, rp_id, age, _ = pat
            if rp_id is not None:
                sender = f"RelatedPerson/{rp_id}"
                writer = self.store["RelatedPerson"][rp_id]["name"][0]["given"][0]
            else:
                sender = f"Patient/{pid}"
                writer = given
            topic, text = compose(cat, pat, writer, rrng)
            payload: list[dict] = [{"contentString": text}]
            if with_photos:
                payload += attachments_for(cid, sent, rrng, rrng.choices(photo_counts, photo_count_w)[0])
            return {"resourceType": "Communication", "id": cid,
                    "meta": {"versionId": "1", "lastUpdated": ""},
                    "status": "in-progress", "category": CATEGORY,
                    "subject": {"reference": f"Patient/{pid}"}, "sender": {"reference": sender},
                    "recipient": [{"reference": "Organization/org-1"}],
                    "sent": fmt_datetime(sent), "topic": {"text": topic}, "payload": payload}

        comms: dict[str, dict] = {}
        # Photos to compare with earlier ones: until REPEAT_PHOTO_PATIENTS patients have photos
        # in two e-consults, a photo e-consult goes to an earlier photo patient of the same
        # audience. Only the patient is chosen differently (the random draws stay the same), so
        # the rest of the demo stays as it was.
        photo_patients: dict[str, list[int]] = {}  # audience -> patients with one photo consult
        repeated = 0
        for n in range(1, consults + 1):
            cid = f"ec-{n:0{cw}d}"
            with_photos = rng.random() < photo_share
            if with_photos:
                cat = rng.choices(photo_cats, photo_w)[0]
            else:
                cat = rng.choices(plain_cats, plain_w)[0]
            group = groups[cat["audience"]]
            chosen = group[rng.randrange(len(group))]
            if with_photos:
                waiting = photo_patients.setdefault(cat["audience"], [])
                if repeated < REPEAT_PHOTO_PATIENTS and waiting:
                    chosen = waiting.pop(0)
                    repeated += 1
                elif chosen not in waiting:
                    waiting.append(chosen)
            pat = pat_info[chosen]
            sent = sent_ms(rng)
            res = root(cid, cat, pat, sent, rng, with_photos)
            comms[cid] = res
            self.valid_root_ids.append(cid)
            self.valid_message_ids.append(cid)
            update_at = sent
            if rng.random() < 0.2 and not cat.get("urgent"):
                answer_at = min(sent + rng.randint(1800, 30 * 3600) * 1000, now - 1800 * 1000)
                answer_at = max(answer_at, sent + 60_000)
                prac = self.practitioner_ids[rng.choice([0, 1, 2, 3, 4, 5, 6])]
                aid = f"{cid}-2"
                comms[aid] = {"resourceType": "Communication", "id": aid,
                              "meta": {"versionId": "1", "lastUpdated": ""},
                              "identifier": [{"system": "urn:workbench:demo:answer", "value": aid}],
                              "status": "completed", "category": CATEGORY,
                              "subject": res["subject"], "sender": {"reference": f"Practitioner/{prac}"},
                              "recipient": [dict(res["sender"])],
                              "inResponseTo": [{"reference": f"Communication/{cid}"}],
                              "sent": fmt_datetime(answer_at), "topic": dict(res["topic"]),
                              "payload": [{"contentString": rng.choice(cat.get("answers") or texts["answers"])}]}
                res["status"] = "completed"
                res["meta"]["versionId"] = "2"
                self.valid_message_ids.append(aid)
                seq += 1
                events.append((answer_at + 1500, seq, aid))
                update_at = answer_at + 1000
                self._thread_next[cid] = 3
                if rng.random() < 0.3:
                    fid = f"{cid}-3"
                    fu_at = max(min(answer_at + rng.randint(600, 20 * 3600) * 1000, now - 60_000),
                                answer_at + 30_000)
                    comms[fid] = {"resourceType": "Communication", "id": fid,
                                  "meta": {"versionId": "1", "lastUpdated": ""},
                                  "status": "in-progress", "category": CATEGORY,
                                  "subject": res["subject"], "sender": dict(res["sender"]),
                                  "recipient": [{"reference": "Organization/org-1"}],
                                  "inResponseTo": [{"reference": f"Communication/{cid}"}],
                                  "sent": fmt_datetime(fu_at), "topic": dict(res["topic"]),
                                  "payload": [{"contentString": rng.choice(texts["followups"])}]}
                    self.valid_message_ids.append(fid)
                    seq += 1
                    events.append((fu_at + 2000, seq, fid))
                    self._thread_next[cid] = 4
            seq += 1
            events.append((update_at + 2000, seq, cid))

        # Malformed ones, interleaved in time
        adult = groups["adult"]
        plain_adult = [c for c in plain_cats if c["audience"] == "adult" and not c.get("urgent")]
        for m in range(1, malformed + 1):
            kind = MALFORMED_KINDS[(m - 1) % len(MALFORMED_KINDS)]
            bid_ = f"bad-{m:04d}"
            pat = pat_info[adult[rng.randrange(len(adult))]]
            cat = rng.choice(plain_adult)
            sent = sent_ms(rng)
            res = root(bid_, cat, pat, sent, rng, False)
            if kind == "missing-subject":
                del res["subject"]
            elif kind == "bad-sent":
                res["sent"] = "gisteren"
            elif kind == "no-payload":
                del res["payload"]
            elif kind == "unknown-subject":
                res["subject"] = {"reference": f"Patient/pat-x{m:04d}"}
            elif kind == "attachment-without-content":
                res["payload"].append({"contentAttachment": {"contentType": "image/jpeg",
                                                             "title": "foto.jpg"}})
            elif kind == "bad-status":
                res["status"] = "gelezen"
            elif kind == "size-mismatch":
                res["payload"] += attachments_for(bid_, sent, rng, 1, size_delta=4321)
            elif kind == "wrong-category":
                res["category"] = [{"coding": [{"system": ECONSULT_SYSTEM, "code": "1",
                                                "display": "Consult"}]}]
            comms[bid_] = res
            self.malformed_ids.append(bid_)
            self.malformed_kinds[bid_] = kind
            seq += 1
            events.append((sent + 2000, seq, bid_))

        events.sort()
        last = max(static_end, events[0][0] - 1 if events else static_end)
        store = self.store["Communication"]
        keys = self._keys["Communication"]
        ids = self._ids["Communication"]
        for t, sq, cid in events:
            last = max(last + 1, t + (sq * 7919) % 997)  # millisecond precision, strictly increasing
            res = comms[cid]
            res["meta"]["lastUpdated"] = fmt_instant(last)
            store[cid] = res
            self._ms[("Communication", cid)] = last
            keys.append(last)
            ids.append(cid)
        self._last_ms = last
        self._index_identifiers()

    def _index_identifiers(self) -> None:
        for cid, res in self.store["Communication"].items():
            for ident in res.get("identifier", ()):
                self._identifiers[(ident.get("system", ""), ident.get("value", ""))] = cid

    # ------------------------------------------------------------------ store primitives
    def _put(self, res: dict, ms: int) -> None:
        rtype, rid = res["resourceType"], res["id"]
        table = self.store[rtype]
        keys, ids = self._keys[rtype], self._ids[rtype]
        old = table.get(rid)
        if old is not None:
            old_ms = self._ms[(rtype, rid)]
            i = bisect.bisect_left(keys, old_ms)
            while i < len(ids) and ids[i] != rid:
                i += 1
            if i < len(ids):
                del keys[i]
                del ids[i]
            cached = self._json.get((rtype, rid))
            vid = old["meta"]["versionId"]
            if cached is None or cached[0] != vid:
                cached = (vid, json.dumps(old, ensure_ascii=False, separators=(",", ":")))
            self._history.setdefault((rtype, rid), {})[vid] = cached[1]
        table[rid] = res
        self._ms[(rtype, rid)] = ms
        if rtype == "Communication":
            if is_econsult(res) or rid in self.malformed_kinds:
                self.non_econsult.discard(rid)
            else:
                self.non_econsult.add(rid)
        keys.append(ms)
        ids.append(rid)

    def next_instant(self) -> int:
        """A strictly-latest lastUpdated in ms (call with the lock held)."""
        self._last_ms = max(self._last_ms + 1, now_ms())
        return self._last_ms

    def get(self, rtype: str, rid: str) -> dict | None:
        if rtype == "Communication":
            if rid not in self.store["Communication"]:
                return None
            return self.resolve(rid)
        return self.store.get(rtype, {}).get(rid)

    def json_text(self, rtype: str, rid: str) -> str | None:
        """The resource's JSON text, cached per version."""
        res = self.get(rtype, rid)
        if res is None:
            return None
        vid = res["meta"]["versionId"]
        cached = self._json.get((rtype, rid))
        if cached is not None and cached[0] == vid:
            return cached[1]
        text = json.dumps(res, ensure_ascii=False, separators=(",", ":"))
        self._json[(rtype, rid)] = (vid, text)
        return text

    def version_text(self, rtype: str, rid: str, vid: str) -> str | None:
        res = self.get(rtype, rid)
        if res is None:
            return None
        if res["meta"]["versionId"] == vid:
            return self.json_text(rtype, rid)
        return self._history.get((rtype, rid), {}).get(vid)

    def ordered(self, rtype: str, lo_ms: int | None = None, hi_ms: int | None = None) -> list[str]:
        """Ids of ``rtype`` with lo <= lastUpdated < hi, ascending by lastUpdated (a snapshot)."""
        with self.lock:
            keys, ids = self._keys[rtype], self._ids[rtype]
            a = 0 if lo_ms is None else bisect.bisect_left(keys, lo_ms)
            b = len(keys) if hi_ms is None else bisect.bisect_left(keys, hi_ms)
            return ids[a:b] if b > a else []

    # ------------------------------------------------------------------ attachments
    @staticmethod
    def _meta(att: _Attachment) -> tuple[int, str]:
        """(size, base64 SHA-1) of an attachment's bytes, computed once."""
        meta = att.meta
        if meta is None:
            data = att.produce()
            meta = att.meta = (len(data), base64.b64encode(hashlib.sha1(data).digest()).decode("ascii"))
        return meta

    def resolve(self, cid: str) -> dict:
        """The Communication with its photo attachments' size/hash/data filled in."""
        pend = self._pending.get(cid)
        if not pend:
            return self.store["Communication"][cid]
        # Make the bytes and hashes outside the store lock: rendering a base photo takes a while.
        for _, att in pend:
            self._meta(att)
        with self.lock:
            res = self.store["Communication"][cid]
            if self._pending.get(cid) is not pend:  # resolved or replaced (PUT) meanwhile
                return res
            payload = list(res["payload"])
            for idx, att in pend:
                size, sha1 = self._meta(att)
                old = payload[idx]["contentAttachment"]
                new: dict[str, Any] = {"contentType": att.content_type}
                if size < INLINE_LIMIT and not att.size_delta:
                    new["data"] = base64.b64encode(att.produce()).decode("ascii")
                else:
                    new["url"] = f"Binary/{att.binary_id}"
                new["size"] = size + att.size_delta
                new["hash"] = sha1
                new["title"] = old.get("title")
                new["creation"] = old.get("creation")
                payload[idx] = {"contentAttachment": new}
            res["payload"] = payload
            del self._pending[cid]
            return res

    def attachment_bytes(self, binary_id: str) -> bytes:
        """The exact bytes of one attachment (made on demand; not kept, they are cheap to remake)."""
        return self._attachments[binary_id].produce()

    def attachment_meta(self, binary_id: str) -> tuple[int, str]:
        """(size, base64 SHA-1) of the real bytes (the size a malformed attachment declares may differ)."""
        return self._meta(self._attachments[binary_id])

    def attachment_sha256(self, binary_id: str) -> str:
        att = self._attachments[binary_id]
        if att.sha256 is None:
            att.sha256 = hashlib.sha256(att.produce()).hexdigest()
        return att.sha256

    def expected_attachment_sha256(self) -> set[str]:
        out = set()
        for cid in self.valid_message_ids:
            for bid in self._att_refs.get(cid, ()):
                out.add(self.attachment_sha256(bid))
        return out

    # ------------------------------------------------------------------ mutations
    def new_version(self, rtype: str, rid: str, res: dict | None = None, text: str | None = None) -> dict:
        """Store a new version of an existing resource (``res`` replaces it when given)."""
        with self.lock:
            current = self.get(rtype, rid)
            if current is None:
                raise KeyError(rid)
            new = copy.deepcopy(res if res is not None else current)
            new["resourceType"] = rtype
            new["id"] = rid
            if text is not None:
                payload = new.setdefault("payload", [])
                for item in payload:
                    if "contentString" in item:
                        item["contentString"] = text
                        break
                else:
                    payload.insert(0, {"contentString": text})
            ms = self.next_instant()
            new["meta"] = {**current.get("meta", {}),
                           "versionId": str(int(current["meta"]["versionId"]) + 1),
                           "lastUpdated": fmt_instant(ms)}
            self._pending.pop(rid, None)
            self._put(new, ms)
            self._index_one(new)
            return new

    def _index_one(self, res: dict) -> None:
        for ident in res.get("identifier", ()) or ():
            if isinstance(ident, dict):
                self._identifiers[(ident.get("system", ""), ident.get("value", ""))] = res["id"]

    def find_identifier(self, system: str | None, value: str) -> str | None:
        with self.lock:
            if system is not None:
                return self._identifiers.get((system, value))
            for (_, v), cid in self._identifiers.items():
                if v == value:
                    return cid
            return None

    def create_communication(self, res: dict) -> dict:
        with self.lock:
            self._out_seq += 1
            cid = f"out-{self._out_seq:06d}"
            while cid in self.store["Communication"]:
                self._out_seq += 1
                cid = f"out-{self._out_seq:06d}"
            new = copy.deepcopy(res)
            new["id"] = cid
            ms = self.next_instant()
            new["meta"] = {"versionId": "1", "lastUpdated": fmt_instant(ms)}
            self._put(new, ms)
            self._index_one(new)
            self.created_ids.append(cid)
            return new

    def add_patient_reply(self, root_id: str, text: str) -> str:
        with self.lock:
            root = self.get("Communication", root_id)
            if root is None:
                raise KeyError(root_id)
            n = self._thread_next.get(root_id, 2)
            cid = f"{root_id}-{n}"
            while cid in self.store["Communication"]:
                n += 1
                cid = f"{root_id}-{n}"
            self._thread_next[root_id] = n + 1
            ms = self.next_instant()
            new = {"resourceType": "Communication", "id": cid,
                   "meta": {"versionId": "1", "lastUpdated": fmt_instant(ms)},
                   "status": "in-progress", "category": CATEGORY,
                   "subject": copy.deepcopy(root.get("subject")),
                   "sender": copy.deepcopy(root.get("sender")),
                   "recipient": [{"reference": "Organization/org-1"}],
                   "inResponseTo": [{"reference": f"Communication/{root_id}"}],
                   "sent": fmt_datetime(ms), "topic": copy.deepcopy(root.get("topic", {"text": ""})),
                   "payload": [{"contentString": text}]}
            self._put(new, ms)
            self.valid_message_ids.append(cid)
            return cid


def demo_phone(resource_id: str) -> str:
    """A made-up mobile number for the demo, derived from the id (not from the seeded random
    stream, so the rest of the demo data stays as it was)."""
    digits = int(hashlib.sha1(resource_id.encode()).hexdigest(), 16) % 1000
    return f"06-12345{digits:03d}"
