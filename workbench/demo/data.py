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
from datetime import UTC, datetime
from typing import Any

from workbench.demo import photos
from workbench.demo.clock import (
    fmt_datetime,
    fmt_instant,
    now_ms,
)
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
INLINE_LIMIT = 64 * 1024
VALID_STATUS = {"preparation", "in-progress", "not-done", "on-hold", "stopped", "completed",
                "entered-in-error", "unknown"}
MALFORMED_KINDS = ("missing-subject", "bad-sent", "no-payload", "unknown-subject",
                   "attachment-without-content", "bad-status", "size-mismatch", "wrong-category")
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


class _Attachment:
    __slots__ = ("binary_id", "content_type", "meta", "sha256", "size_delta", "spec")

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
        # root e-consult id -> its topic key (workbench.demo.vocabulary.TOPICS)
        self.topics: dict[str, str] = {}
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
            # The generation lives in its own module (it needs this one's store primitives).
            from workbench.demo.practice import build_practice
            build_practice(self, _Rng(seed), max(0, int(consults)),
                           float(photo_size and photo_share), max(0, int(malformed)))
        finally:
            if gc_was_enabled:
                gc.enable()

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
