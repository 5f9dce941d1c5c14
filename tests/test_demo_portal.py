"""The demo FHIR portal over real HTTP on loopback."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
import requests
from PIL import Image

from workbench.demo.people import bsn_valid
from workbench.demo.server import DemoPortal, PortalOptions

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
CATEGORY = "urn:oid:2.16.840.1.113883.2.4.4.30.14|12"
SMALL = (320, 240)


def make(**kw) -> DemoPortal:
    kw.setdefault("photo_size", SMALL)
    kw.setdefault("now", NOW)
    return DemoPortal(PortalOptions(**kw))


@pytest.fixture(scope="module")
def portal():
    p = make(malformed=8)
    p.start("127.0.0.1", 0)
    yield p
    p.stop()


@pytest.fixture()
def http():
    with requests.Session() as s:
        yield s


def entries(bundle: dict, mode: str = "match") -> list[dict]:
    return [e["resource"] for e in bundle.get("entry", []) if e["search"]["mode"] == mode]


def next_url(bundle: dict) -> str | None:
    return next((link["url"] for link in bundle.get("link", []) if link["relation"] == "next"), None)


def texts(p: DemoPortal) -> dict[str, str]:
    return {cid: json.dumps(p.dataset.store["Communication"][cid].get("payload", [{}])[0])
            for cid in p.dataset.store["Communication"]}


# ------------------------------------------------------------------ data
def test_same_seed_same_data_other_seed_differs():
    a, b, c = make(seed=7), make(seed=7), make(seed=8)
    assert sorted(a.dataset.communications) == sorted(b.dataset.communications)
    assert texts(a) == texts(b)
    assert texts(a) != texts(c)
    # only timestamps depend on "now"
    d = make(seed=7, now=datetime(2027, 3, 1, 8, 30, tzinfo=UTC))
    assert texts(a) == texts(d)


def test_practice_mix_patients_and_consults(portal):
    ds = portal.dataset
    assert len(ds.valid_root_ids) >= 80
    roles = [r["code"][0]["text"] for r in ds.store["PractitionerRole"].values()]
    assert sorted(roles) == sorted(["huisarts"] * 3 + ["praktijkondersteuner"] + ["doktersassistent"] * 3)
    for role in ds.store["PractitionerRole"].values():
        assert role["code"][0]["coding"][0]["system"] == "urn:oid:2.16.840.1.113883.2.4.15.111"
        assert role["practitioner"]["reference"].removeprefix("Practitioner/") in ds.store["Practitioner"]
    patients = list(ds.store["Patient"].values())
    assert len(patients) >= 60
    bsns = [p["identifier"][0]["value"] for p in patients]
    assert all(p["identifier"][0]["system"] == "http://fhir.nl/fhir/NamingSystem/bsn" for p in patients)
    assert all(bsn_valid(b) for b in bsns) and len(set(bsns)) == len(bsns)
    assert not bsn_valid("123456789")
    ages = [(NOW.date() - date.fromisoformat(p["birthDate"])).days for p in patients]
    for lo, hi in ((0, 90), (90, 12 * 365), (12 * 365, 16 * 365), (16 * 365, 18 * 365),
                   (65 * 365, 120 * 365)):  # babies < 3 months, children, 12-15, 16-17, elderly
        assert any(lo <= a < hi for a in ages)
    adults_represented = 0
    for rp in ds.store["RelatedPerson"].values():
        patient = ds.store["Patient"][rp["patient"]["reference"].removeprefix("Patient/")]
        adult = (NOW.date() - date.fromisoformat(patient["birthDate"])).days >= 18 * 365
        code = rp["relationship"][0]["coding"][0]["code"]
        # Parents write for children; an adult's mentor, gemachtigde or family for adults.
        assert code in ({"GUARD", "POWATT", "DAU", "SON", "SPS"} if adult
                        else {"MTH", "FTH", "PRN"})
        adults_represented += adult
    assert adults_represented >= 1
    roots = [ds.communications[c] for c in ds.valid_root_ids]
    assert any(r["sender"]["reference"].startswith("RelatedPerson/") for r in roots)
    assert {r["status"] for r in roots} == {"in-progress", "completed"}
    answers = [m for m in ds.valid_message_ids if m not in set(ds.valid_root_ids)]
    assert answers and all("inResponseTo" in ds.communications[a] for a in answers)


def test_hundred_thousand_texts_vary():
    p = make(consults=3000, photo_share=0.0)
    bodies = {p.dataset.store["Communication"][c]["payload"][0]["contentString"]
              for c in p.dataset.valid_root_ids}
    assert len(bodies) > 2000
    joined = "\n".join(bodies)
    assert "<script>" in joined and "https://" in joined and "borst" in joined


# ------------------------------------------------------------------ search
def test_paging_visits_every_communication_once_in_order(portal, http):
    url = f"{portal.base_url}/Communication?category={CATEGORY}&_sort=_lastUpdated&_count=17"
    seen, stamps = [], []
    while url:
        r = http.get(url)
        assert r.status_code == 200
        assert r.headers["Content-Type"] == "application/fhir+json; charset=utf-8"
        bundle = r.json()
        assert bundle["type"] == "searchset"
        for res in entries(bundle):
            seen.append(res["id"])
            stamps.append(res["meta"]["lastUpdated"])
        url = next_url(bundle)
    expected = set(portal.dataset.valid_message_ids) | set(portal.dataset.malformed_ids)
    assert len(seen) == len(set(seen)) == len(expected)
    assert set(seen) == expected
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert all(s.endswith("Z") and len(s) == 24 for s in stamps)


def test_last_updated_gt_and_summary_count(portal, http):
    ids = portal.dataset.ordered("Communication")
    cut = portal.dataset.store["Communication"][ids[40]]["meta"]["lastUpdated"]
    r = http.get(f"{portal.base_url}/Communication",
                 params={"_lastUpdated": f"gt{cut}", "_count": 1000, "_sort": "_lastUpdated"})
    got = [res["id"] for res in entries(r.json())]
    assert got == ids[41:]
    assert r.json()["total"] == len(ids) - 41
    r = http.get(f"{portal.base_url}/Communication?_lastUpdated=ge{cut}&_lastUpdated=le{cut}")
    assert [res["id"] for res in entries(r.json())] == [ids[40]]
    r = http.get(f"{portal.base_url}/Communication?_summary=count&category={CATEGORY.replace('|', '%7C')}")
    assert r.json()["total"] == len(ids) and "entry" not in r.json()
    r = http.get(f"{portal.base_url}/Communication?_sort=-_lastUpdated&_count=3")
    assert [res["id"] for res in entries(r.json())] == ids[::-1][:3]
    assert http.get(f"{portal.base_url}/Communication?_lastUpdated=gtgisteren").status_code == 400


def test_include_adds_referenced_once(portal, http):
    r = http.get(f"{portal.base_url}/Communication", params=[
        ("category", CATEGORY), ("_count", "1000"), ("_include", "Communication:subject"),
        ("_include", "Communication:sender"), ("_include", "Communication:recipient")])
    bundle = r.json()
    matches, included = entries(bundle), entries(bundle, "include")
    keys = [f"{x['resourceType']}/{x['id']}" for x in included]
    assert len(keys) == len(set(keys))
    refs = set()
    for m in matches:
        for field in ("subject", "sender"):
            if field in m:
                refs.add(m[field]["reference"])
        refs.update(x["reference"] for x in m.get("recipient", []))
    existing = {ref for ref in refs
                if portal.dataset.get(*ref.split("/")) is not None}
    assert set(keys) == existing
    assert "Organization/org-1" in keys


def test_include_ignored_and_no_next_links():
    p = make(honour_include=False, next_links=False)
    p.start()
    try:
        r = requests.get(f"{p.base_url}/Communication?_count=10&_include=Communication:subject")
        bundle = r.json()
        assert len(bundle["entry"]) == 10 and not entries(bundle, "include")
        assert next_url(bundle) is None and bundle["total"] > 10
        r = requests.get(f"{p.base_url}/Communication?_count=10&_offset=10")
        assert len(entries(r.json())) == 10
    finally:
        p.stop()


def test_other_searches_and_reads(portal, http):
    base = portal.base_url
    bundle = http.get(f"{base}/PractitionerRole?_include=PractitionerRole:practitioner").json()
    assert len(entries(bundle)) == 7 and len(entries(bundle, "include")) == 7
    assert http.get(f"{base}/Practitioner").json()["total"] == 7
    assert entries(http.get(f"{base}/Organization").json())[0]["identifier"][0]["system"] == \
        "http://fhir.nl/fhir/NamingSystem/agb-z"
    pats = entries(http.get(f"{base}/Patient?_id=pat-00001,pat-00002,nope").json())
    assert sorted(p["id"] for p in pats) == ["pat-00001", "pat-00002"]
    r = http.get(f"{base}/Patient/pat-00001")
    assert r.status_code == 200 and r.headers["ETag"] == 'W/"1"' and "Last-Modified" in r.headers
    r = http.get(f"{base}/Patient/nope")
    assert r.status_code == 404 and r.json()["resourceType"] == "OperationOutcome"
    assert http.get(f"{base}/metadata").json()["fhirVersion"] == "4.0.1"
    assert http.delete(f"{base}/Patient/pat-00001").status_code == 405
    assert http.get(f"{base}/Communication?_count=abc").status_code == 400


# ------------------------------------------------------------------ attachments
def _attachments(p: DemoPortal, ids) -> list[dict]:
    out = []
    for cid in ids:
        for item in p.dataset.communications[cid].get("payload", []):
            if "contentAttachment" in item:
                out.append(item["contentAttachment"])
    return out


def test_binary_raw_and_json_match_size_and_hash():
    p = make(photo_size=(1024, 768), photo_share=0.4, consults=80)
    p.start()
    try:
        atts = [a for a in _attachments(p, p.dataset.valid_root_ids) if "url" in a][:3]
        assert atts
        for att in atts:
            raw = requests.get(f"{p.base_url}/{att['url']}", headers={"Accept": "image/*"})
            assert raw.status_code == 200 and raw.headers["Content-Type"] == "image/jpeg"
            body = raw.content
            assert len(body) == att["size"]
            assert base64.b64encode(hashlib.sha1(body).digest()).decode() == att["hash"]
            js = requests.get(f"{p.base_url}/{att['url']}", headers={"Accept": "application/fhir+json"})
            assert js.json()["resourceType"] == "Binary"
            assert base64.b64decode(js.json()["data"]) == body
            assert hashlib.sha256(body).hexdigest() in p.dataset.expected_attachment_sha256()
    finally:
        p.stop()


def test_inline_photos_exif_and_gps():
    p = make(photo_share=0.6, consults=80)
    atts = _attachments(p, p.dataset.valid_root_ids)
    assert len(atts) >= 20
    orientations, gps = set(), 0
    for att in atts:
        assert "data" in att and "url" not in att  # 320x240 JPEGs are far below 64 KiB
        data = base64.b64decode(att["data"])
        assert len(data) == att["size"]
        assert base64.b64encode(hashlib.sha1(data).digest()).decode() == att["hash"]
        exif = Image.open(io.BytesIO(data)).getexif()
        orientations.add(exif.get(0x0112))
        gps += bool(exif.get_ifd(0x8825))
        assert exif.get_ifd(0x8769).get(0x9003)  # DateTimeOriginal
    assert 1 in orientations and orientations & {3, 6, 8}
    assert 0 < gps < len(atts)
    assert len({a["hash"] for a in atts}) == len(atts)


def test_default_photo_size_metadata():
    p = make(photo_size=(4032, 3024), photo_share=0.12, consults=80)
    cid = next(c for c in p.dataset.valid_root_ids
               if len(p.dataset.store["Communication"][c]["payload"]) > 1)
    att = p.dataset.communications[cid]["payload"][1]["contentAttachment"]
    assert att["url"].startswith("Binary/") and att["size"] > 64 * 1024
    data = p.dataset.attachment_bytes(att["url"].removeprefix("Binary/"))
    assert len(data) == att["size"] and Image.open(io.BytesIO(data)).size == (4032, 3024)


# ------------------------------------------------------------------ writes
def test_conditional_create_is_idempotent(portal, http):
    body = {"resourceType": "Communication", "status": "completed",
            "identifier": [{"system": "urn:workbench:test", "value": "answer-1"}],
            "category": [{"coding": [{"system": "urn:oid:2.16.840.1.113883.2.4.4.30.14", "code": "12"}]}],
            "inResponseTo": [{"reference": "Communication/ec-000001"}],
            "payload": [{"contentString": "Het recept staat klaar."}]}
    hdr = {"If-None-Exist": "identifier=urn:workbench:test|answer-1"}
    first = http.post(f"{portal.base_url}/Communication", json=body, headers=hdr)
    assert first.status_code == 201
    cid = first.json()["id"]
    assert first.headers["Location"].endswith(f"/Communication/{cid}/_history/1")
    second = http.post(f"{portal.base_url}/Communication", json=body, headers=hdr)
    assert second.status_code == 200 and second.json()["id"] == cid
    found = http.get(f"{portal.base_url}/Communication?identifier=urn:workbench:test|answer-1").json()
    assert [r["id"] for r in entries(found)] == [cid]
    assert http.post(f"{portal.base_url}/Communication", json={"resourceType": "Patient"}).status_code == 400
    latest = entries(http.get(f"{portal.base_url}/Communication?_sort=-_lastUpdated&_count=1").json())
    assert latest[0]["id"] == cid


def test_put_needs_current_version(portal, http):
    url = f"{portal.base_url}/Communication/ec-000002"
    r = http.get(url)
    res, etag = r.json(), r.headers["ETag"]
    res["status"] = "completed"
    assert http.put(url, json=res).status_code == 428
    ok = http.put(url, json=res, headers={"If-Match": etag})
    assert ok.status_code == 200
    assert ok.json()["meta"]["versionId"] == str(int(etag.strip('W/"')) + 1)
    assert ok.headers["ETag"] == f'W/"{ok.json()["meta"]["versionId"]}"'
    assert http.put(url, json=res, headers={"If-Match": etag}).status_code == 412


def test_new_version_and_patient_reply_are_latest(portal, http):
    old = portal.dataset.communications["ec-000003"]["meta"]
    new = portal.new_version("ec-000003", text="aangepast")
    assert int(new["meta"]["versionId"]) == int(old["versionId"]) + 1
    rid = portal.add_patient_reply("ec-000003", "Nog een vraag")
    r = http.get(f"{portal.base_url}/Communication?_lastUpdated=gt{old['lastUpdated']}&_count=1000")
    got = [x["id"] for x in entries(r.json())]
    assert got[-2:] == ["ec-000003", rid]
    reply = portal.dataset.communications[rid]
    assert reply["inResponseTo"] == [{"reference": "Communication/ec-000003"}]


# ------------------------------------------------------------------ auth, malformed, faults
def test_bearer_token_enforced():
    p = make(token="s3cret")
    p.start()
    try:
        assert requests.get(f"{p.base_url}/Patient").status_code == 401
        assert requests.get(f"{p.base_url}/Patient", headers={"Authorization": "Bearer nope"}).status_code == 401
        ok = requests.get(f"{p.base_url}/Patient", headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200
    finally:
        p.stop()


def test_malformed_are_served(portal, http):
    ds = portal.dataset
    assert len(ds.malformed_ids) == 8
    bundle = http.get(f"{portal.base_url}/Communication?category={CATEGORY}&_count=1000").json()
    ids = {r["id"] for r in entries(bundle)}
    assert set(ds.malformed_ids) <= ids
    bad = {cid: ds.communications[cid] for cid in ds.malformed_ids}
    assert "subject" not in bad["bad-0001"]
    assert bad["bad-0002"]["sent"] == "gisteren"
    assert "payload" not in bad["bad-0003"]
    missing = bad["bad-0004"]["subject"]["reference"]
    assert http.get(f"{portal.base_url}/{missing}").status_code == 404
    assert bad["bad-0006"]["status"] == "gelezen"
    att = bad["bad-0007"]["payload"][1]["contentAttachment"]
    assert len(ds.attachment_bytes(att["url"].removeprefix("Binary/"))) != att["size"]
    assert bad["bad-0008"]["category"][0]["coding"][0]["code"] != "12"


def test_every_request_faults_at_rate_one():
    p = make(fault_rate=1.0, fault_hang_s=0.5)
    p.start()
    outcomes = set()
    try:
        for _ in range(25):
            try:
                r = requests.get(f"{p.base_url}/Communication?_count=5", timeout=0.25)
            except requests.RequestException as exc:
                outcomes.add(type(exc).__name__)
                continue
            if r.status_code >= 500:
                outcomes.add(r.status_code)
                if r.status_code == 503:
                    assert r.headers["Retry-After"] == "1"
                continue
            with pytest.raises(ValueError):
                json.loads(r.text)
            outcomes.add("bad-json")
        assert len(outcomes) >= 4
        # a POST that faults stores nothing
        before = len(p.dataset.communications)
        for _ in range(5):
            try:
                requests.post(f"{p.base_url}/Communication", timeout=0.25, json={
                    "resourceType": "Communication", "status": "completed",
                    "payload": [{"contentString": "x"}]})
            except requests.RequestException:
                pass
        assert len(p.dataset.communications) == before
    finally:
        p.stop()


def test_main_prints_listening_line():
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "workbench.demo.server", "--port", "0", "--consults", "80"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("listening on http://127.0.0.1:") and line.endswith("/fhir")
        url = line.removeprefix("listening on ")
        assert requests.get(f"{url}/metadata", timeout=5).status_code == 200
        proc.terminate()
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_stop_ends_keep_alive_connections():
    p = make()
    p.start()
    with requests.Session() as s:
        assert s.get(f"{p.base_url}/metadata").status_code == 200
        p.stop()
        with pytest.raises(requests.ConnectionError):
            s.get(f"{p.base_url}/metadata", timeout=2)


def test_timezone_offsets_and_other_categories(portal, http):
    ids = portal.dataset.ordered("Communication")
    cut = portal.dataset.store["Communication"][ids[10]]["meta"]["lastUpdated"]
    moment = datetime.fromisoformat(cut.replace("Z", "+00:00")).astimezone(
        datetime.now().astimezone().tzinfo)
    local = moment.isoformat(timespec="milliseconds")  # e.g. ...T13:41:54.123+01:00
    for value in (local, local.replace("+", "%2B")):
        r = http.get(f"{portal.base_url}/Communication?_lastUpdated=gt{value}&_summary=count")
        assert r.json()["total"] == len(ids) - 11
    r = http.get(f"{portal.base_url}/Communication?category=urn:oid:2.16.840.1.113883.2.4.4.30.14|1")
    assert [x["id"] for x in entries(r.json())] == ["bad-0008"]


def test_vread_of_an_older_version(portal, http):
    before = portal.dataset.communications["ec-000004"]["meta"]["versionId"]
    portal.new_version("ec-000004", text="tweede versie")
    old = http.get(f"{portal.base_url}/Communication/ec-000004/_history/{before}")
    assert old.status_code == 200 and old.headers["ETag"] == f'W/"{before}"'
    assert old.json()["meta"]["versionId"] == before
    assert "tweede versie" not in old.text
    cur = http.get(f"{portal.base_url}/Communication/ec-000004")
    assert cur.json()["payload"][0]["contentString"] == "tweede versie"
    assert http.get(f"{portal.base_url}/Communication/ec-000004/_history/99").status_code == 404
