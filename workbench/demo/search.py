"""The demo portal's FHIR search: a searchset Bundle for a resource type and its parameters
(`_lastUpdated`, `_count`, `_offset`, `_sort`, `_summary=count`, `_id`, `_include`, and a
Communication's `category` and `identifier`), paged by offset with next links; and the
OperationOutcome errors the portal answers with."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from workbench.demo.clock import fmt_instant, now_ms
from workbench.demo.data import ECONSULT_CODE, ECONSULT_SYSTEM, Dataset

if TYPE_CHECKING:
    from workbench.demo.server import PortalOptions

INCLUDE_TARGETS = {"Patient", "RelatedPerson", "Organization", "Practitioner", "PractitionerRole"}


class FhirError(Exception):
    """An error the portal answers with an OperationOutcome (status, issue code, diagnostics)."""

    def __init__(self, status: int, code: str, diagnostics: str, headers: dict | None = None) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
        self.headers = headers or {}


def operation_outcome(code: str, diagnostics: str, severity: str = "error") -> str:
    return json.dumps({"resourceType": "OperationOutcome",
                       "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}]},
                      ensure_ascii=False, separators=(",", ":"))


_INSTANT_RE = re.compile(
    r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?"
    r"(Z|[+-]\d{2}:\d{2})?)?)?)?$")


def parse_instant_range(value: str) -> tuple[int, int]:
    """A FHIR date/dateTime/instant search value -> [start, end) in ms, by its precision."""
    m = _INSTANT_RE.match(value.strip())
    if not m:
        raise ValueError(value)
    y, mo, d, hh, mi, ss, frac, tz = m.groups()
    tzinfo = UTC
    if tz and tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        tzinfo = timezone(sign * timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6])))
    start = datetime(int(y), int(mo or 1), int(d or 1), int(hh or 0), int(mi or 0), int(ss or 0),
                     tzinfo=tzinfo)
    start_ms = int(start.timestamp()) * 1000
    if frac:
        digits = frac[:3].ljust(3, "0")
        start_ms += int(digits)
        width = 1 if len(frac) >= 3 else 10 ** (3 - len(frac))
        return start_ms, start_ms + width
    if ss is not None:
        return start_ms, start_ms + 1000
    if mi is not None:
        return start_ms, start_ms + 60_000
    if d is not None:
        return start_ms, start_ms + 86_400_000
    if mo is not None:
        nxt = datetime(int(y) + (int(mo) == 12), int(mo) % 12 + 1, 1, tzinfo=tzinfo)
    else:
        nxt = datetime(int(y) + 1, 1, 1, tzinfo=tzinfo)
    return start_ms, int(nxt.timestamp()) * 1000



def search_bundle(ds: Dataset, opts: PortalOptions, base: str, rtype: str,
                  params: list[tuple[str, str]]) -> str:
    """A search's Bundle as JSON text: the matches of one page, sorted by _lastUpdated, with
    the next link (by _offset), the total, and the _include'd resources."""
    lo: int | None = None
    hi: int | None = None
    count = 50
    offset = 0
    descending = False
    summary_count = False
    ids_filter: set[str] | None = None
    categories: list[tuple[str | None, str]] | None = None
    identifier: list[tuple[str | None, str]] | None = None
    includes: list[str] = []
    for name, value in params:
        if name == "_lastUpdated":
            prefix = value[:2] if value[:2] in ("gt", "ge", "lt", "le", "eq", "ne", "sa", "eb") else "eq"
            raw = (value[2:] if value[:2] == prefix else value).replace(" ", "+")
            if prefix not in ("gt", "ge", "lt", "le", "eq"):
                raise FhirError(400, "not-supported", f"_lastUpdated prefix {prefix} not supported")
            try:
                start, end = parse_instant_range(raw)
            except (ValueError, OverflowError):
                raise FhirError(400, "invalid", f"invalid _lastUpdated value {value!r}") from None
            a, b = {"gt": (end, None), "ge": (start, None), "lt": (None, start),
                    "le": (None, end), "eq": (start, end)}[prefix]
            if a is not None:
                lo = a if lo is None else max(lo, a)
            if b is not None:
                hi = b if hi is None else min(hi, b)
        elif name == "_count":
            count = _whole_number(name, value)
        elif name == "_offset":
            offset = _whole_number(name, value)
        elif name == "_sort":
            value = value.split(",")[0].strip()
            if value == "_lastUpdated":
                descending = False
            elif value == "-_lastUpdated":
                descending = True
            else:
                raise FhirError(400, "not-supported", f"_sort={value} not supported")
        elif name == "_summary":
            if value == "count":
                summary_count = True
            elif value != "false":
                raise FhirError(400, "not-supported", f"_summary={value} not supported")
        elif name == "_id":
            wanted = {v.strip() for v in value.split(",") if v.strip()}
            ids_filter = wanted if ids_filter is None else ids_filter & wanted
        elif name == "_include":
            includes.append(value)
        elif name == "category" and rtype == "Communication":
            categories = (categories or []) + [token(v) for v in value.split(",")]
        elif name == "identifier" and rtype == "Communication":
            identifier = (identifier or []) + [token(v) for v in value.split(",")]
        elif name == "_format":
            continue
        # other parameters are ignored (lenient handling, as most servers do by default)
    count = min(count, opts.page_max)

    if ids_filter is not None and len(ids_filter) < 64:
        with ds.lock:
            found = [(ds._ms[(rtype, i)], i) for i in ids_filter if (rtype, i) in ds._ms]
        found.sort()
        matched = [i for ms, i in found if (lo is None or ms >= lo) and (hi is None or ms < hi)]
    else:
        matched = ds.ordered(rtype, lo, hi)
        if ids_filter is not None:
            matched = [i for i in matched if i in ids_filter]
    if identifier is not None:
        hits = {ds.find_identifier(s, v) for s, v in identifier}
        matched = [i for i in matched if i in hits]
    if categories is not None:
        matched = _filter_category(ds, matched, categories)
    if descending:
        matched.reverse()
    total = len(matched)
    head = ['{"resourceType":"Bundle","meta":{"lastUpdated":"', fmt_instant(now_ms()),
            '"},"type":"searchset"']
    if opts.give_total or summary_count:  # `total` is optional in a searchset
        head += [',"total":', str(total)]
    if summary_count:
        head.append("}")
        return "".join(head)
    page = matched[offset:offset + count]
    links = [{"relation": "self", "url": f"{base}/{rtype}?{urlencode(params)}" if params
              else f"{base}/{rtype}"}]
    if opts.next_links and count > 0 and offset + count < total:
        nxt = [(k, v) for k, v in params if k != "_offset"] + [("_offset", str(offset + count))]
        if not any(k == "_count" for k, _ in nxt):
            nxt.append(("_count", str(count)))
        links.append({"relation": "next", "url": f"{base}/{rtype}?{urlencode(nxt)}"})
    head += [',"link":', json.dumps(links, separators=(",", ":"))]
    entries = []
    prefix = '{"fullUrl":"' + base + "/" + rtype + "/"
    for rid in page:
        text = ds.json_text(rtype, rid)
        if text is None:  # vanished between snapshot and serialization: cannot happen today
            continue
        entries.append(f'{prefix}{rid}","resource":{text},"search":{{"mode":"match"}}}}')
    if includes and opts.honour_include and page:
        entries += _includes(ds, base, rtype, page, includes)
    if entries:
        head += [',"entry":[', ",".join(entries), "]"]
    head.append("}")
    return "".join(head)

def _whole_number(name: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise FhirError(400, "invalid", f"invalid {name} {value!r}") from None
    if number < 0:
        raise FhirError(400, "invalid", f"{name} must not be negative")
    return number


def _filter_category(ds: Dataset, ids: list[str], tokens: list[tuple[str | None, str]]) -> list[str]:
    standard = all(code == ECONSULT_CODE and system in (None, ECONSULT_SYSTEM) for system, code in tokens)
    if standard:  # the common case: only a few ids (kept up to date by the store) drop out
        with ds.lock:
            drop = set(ds.non_econsult)
        return [i for i in ids if i not in drop] if drop else ids
    out = []
    store = ds.store["Communication"]
    for cid in ids:
        res = store.get(cid)
        if res is None:
            continue
        cats = res.get("category")
        if _matches_category(cats, tokens):
            out.append(cid)
    return out

def _includes(ds: Dataset, base: str, rtype: str, page: list[str], includes: list[str]) -> list[str]:
    fields: list[str] = []
    for inc in includes:
        src, _, field = inc.partition(":")
        field = field.split(":")[0]
        if inc == "*" or (src == rtype and field == "*"):
            fields += ["subject", "sender", "recipient", "practitioner", "organization"]
        elif src == rtype and field:
            fields.append(field)
    seen: set[str] = {f"{rtype}/{rid}" for rid in page}
    out = []
    for rid in page:
        res = ds.get(rtype, rid)
        if res is None:
            continue
        for field in fields:
            refs = res.get(field)
            if refs is None:
                continue
            for ref in refs if isinstance(refs, list) else [refs]:
                target = ref.get("reference") if isinstance(ref, dict) else None
                if not target or target in seen:
                    continue
                ttype, _, tid = target.partition("/")
                if ttype not in INCLUDE_TARGETS:
                    continue
                text = ds.json_text(ttype, tid)
                if text is None:
                    continue
                seen.add(target)
                out.append(f'{{"fullUrl":"{base}/{target}","resource":{text},'
                           f'"search":{{"mode":"include"}}}}')
    return out


def token(value: str) -> tuple[str | None, str]:
    if "|" in value:
        system, _, code = value.partition("|")
        return system, code
    return None, value


def _matches_category(cats: object, tokens: list[tuple[str | None, str]]) -> bool:
    if not isinstance(cats, list):
        return False
    for cat in cats:
        for coding in (cat or {}).get("coding", []) if isinstance(cat, dict) else []:
            for system, code in tokens:
                if coding.get("code") == code and (system is None or coding.get("system", "") == system):
                    return True
    return False

