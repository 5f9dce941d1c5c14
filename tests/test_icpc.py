"""The shipped ICPC-1-NL selection: its shape (code pattern, chapter letter, unique codes), the
codes for what the urgency advice flags, and the codes the answer templates' topics need."""

from __future__ import annotations

import json
import re

import pytest

from workbench.services.his_export import (
    ICPC_FILE,
    ICPC_SYSTEM,
    load_icpc_codes,
    search_icpc,
)

# ICPC-1 chapters: A general, B blood, D digestive, F eye, H ear, K circulation, L musculoskeletal,
# N neurological, P psychological, R respiratory, S skin, T endocrine, U urology,
# W pregnancy, X female genital, Y male genital, Z social.
CHAPTERS = frozenset("ABDFHKLNPRSTUWXYZ")


def icpc_file_problems(data: object) -> list[str]:
    """What is wrong with an ICPC file's content, as short descriptions; [] when none."""
    if not isinstance(data, dict) or set(data) != {"note", "system", "codes"}:
        return ["top level: note, system and codes"]
    problems = []
    if data["system"] != ICPC_SYSTEM:
        problems.append("system")
    codes = data["codes"]
    if not isinstance(codes, list) or not codes:
        return problems + ["codes: a list"]
    seen: set[str] = set()
    for item in codes:
        if not isinstance(item, dict) or set(item) != {"code", "title"}:
            problems.append(f"entry {item!r}: code and title")
            continue
        code, title = item["code"], item["title"]
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]\d\d", code):
            problems.append(f"{code!r}: pattern")
        elif code[0] not in CHAPTERS:
            problems.append(f"{code}: chapter")
        if code in seen:
            problems.append(f"{code}: twice")
        seen.add(code)
        if not isinstance(title, str) or not title.strip() or title != title.strip():
            problems.append(f"{code}: title")
    listed = [item.get("code") for item in codes if isinstance(item, dict)]
    if listed != sorted(listed, key=str):
        problems.append("order")
    return problems


def shipped() -> dict:
    return json.loads(ICPC_FILE.read_text(encoding="utf-8"))


def test_the_shipped_file_has_the_right_shape():
    assert icpc_file_problems(shipped()) == []


@pytest.mark.parametrize("change, problem", [
    (lambda d: d["codes"].append({"code": "A3", "title": "Te kort"}), "'A3': pattern"),
    (lambda d: d["codes"].append({"code": "a99", "title": "Klein"}), "'a99': pattern"),
    (lambda d: d["codes"].append({"code": "Q01", "title": "Bestaat niet"}), "Q01: chapter"),
    (lambda d: d["codes"].append(dict(d["codes"][-1])), "twice"),
    (lambda d: d["codes"][0].update(title=" "), "title"),
    (lambda d: d["codes"][0].pop("title"), "code and title"),
    (lambda d: d.update(system="http://example.org/icpc"), "system"),
    (lambda d: d["codes"].reverse(), "order"),
    (lambda d: d.pop("codes"), "top level"),
])
def test_a_broken_file_is_caught(change, problem):
    data = shipped()
    change(data)
    assert any(problem in p for p in icpc_file_problems(data))


ALARM_CODES = {
    "A11": "Pijn borst NAO",
    "K01": "Pijn toegeschreven aan hart",
    "K02": "Druk/beklemming toegeschreven aan hart",
    "N07": "Convulsies/aanval",
    "A12": "Allergie/allergische reactie NAO",
    "P77": "Suïcide(poging)",
    "Y01": "Pijn penis",
    "Y02": "Pijn testis/scrotum",
    "Y06": "Andere symptomen/klachten prostaat",
}


def test_the_codes_for_what_the_urgency_advice_flags():
    by_code = {c.code: c.title for c in load_icpc_codes()}
    for code, title in ALARM_CODES.items():
        assert by_code.get(code) == title, code
    # Stroke, pulmonary embolism, meningitis, burns, fainting, low blood sugar.
    assert {"K89", "K90", "K93", "N71", "S14", "A06", "T87"} <= set(by_code)


# The codes a GP records under for each answer template's topic.
TEMPLATE_TOPICS = {
    "klacht.verkoudheid": ["R74", "R07"],
    "klacht.hoesten": ["R05", "R24", "R01", "R02"],
    "klacht.keelpijn": ["R21", "R76"],
    "klacht.wratten": ["S03", "S76", "T90"],
    "klacht.eczeem": ["S87", "S88", "S76"],
    "klacht.koorts_kind": ["A03"],
    "klacht.rugpijn": ["L03", "L86"],
    "recept.bijwerking": ["A85", "A12"],
    "spoed.bel_112": ["A11", "K01", "K02", "R02"],
    "spoed.zelfmoordgedachten": ["P77", "P76"],
    "uitslag.ecg_goed": ["K04", "K01", "A11"],
    "admin.reisvaccinatie": ["A98"],
    "afspraak.griepprik": ["A98"],
}


def test_the_codes_the_templates_topics_need():
    from workbench.services.templates import load_shipped
    keys = {entry["key"] for entry in load_shipped()}
    codes = {c.code for c in load_icpc_codes()}
    for key, needed in TEMPLATE_TOPICS.items():
        assert key in keys, key
        assert set(needed) <= codes, (key, set(needed) - codes)


def test_the_new_codes_are_found_by_code_and_by_word():
    assert search_icpc("y02")[0].code == "Y02"
    assert search_icpc("P77")[0].title == "Suïcide(poging)"
    assert "A12" in [c.code for c in search_icpc("allergische reactie")]
    assert [c.code for c in search_icpc("borst")] == ["A11"]
    assert {"K01", "K02"} <= {c.code for c in search_icpc("hart")}
    assert [c.code for c in search_icpc("suicide")] == ["P77"]  # accents folded
