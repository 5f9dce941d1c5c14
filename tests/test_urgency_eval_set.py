"""The shape of the independent evaluation set for the urgency advice.

The set is tests/data/urgency_eval.jsonl.

Only the set's form is checked here; how well and how fast the advice does on it is measured by
benchmarks/bench_urgency.py, never asserted.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests" / "data" / "urgency_eval.jsonl"
BENCHMARK = ROOT / "benchmarks" / "bench_urgency.py"

GROUPS = frozenset({
    "chest_pain", "pulmonary_embolism", "breathing", "stroke", "unconscious", "bleeding",
    "anaphylaxis", "suicidality", "infant_fever", "ill_child", "meningitis", "sepsis",
    "acute_abdomen", "testicular_torsion", "cauda_equina", "eye", "pregnancy", "ingestion",
    "glucose", "burns", "limb_ischaemia", "confusion_elderly",
})
COMMON_GROUPS = ("chest_pain", "breathing", "stroke", "ill_child", "suicidality")
WRITERS = frozenset({"patient", "parent", "partner", "other"})
FIELDS = frozenset({"id", "text", "subject", "patient_age_days", "writer", "urgent", "group",
                    "life_threatening", "kind"})
# Routine messages of kind "routine" are plain; every other routine kind (negation, history,
# hypothetical, family_history, idiom, breastfeeding, ...) is hard.
PLAIN_KIND = "routine"
HARD_ROUTINE_KINDS = frozenset({
    "negation", "history", "hypothetical", "family_history", "idiom", "breastfeeding",
    "admin_second_contact",
})


@pytest.fixture(scope="module")
def items() -> list[dict]:
    lines = SET.read_text(encoding="utf-8").splitlines()
    assert all(line.strip() for line in lines), "no blank lines"
    return [json.loads(line) for line in lines]


def test_size_and_ids(items):
    assert len(items) >= 420
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"u\d{3,}", item_id) for item_id in ids)


def test_every_field_valid(items):
    for item in items:
        where = item.get("id")
        assert set(item) == FIELDS, where
        assert isinstance(item["text"], str) and item["text"].strip(), where
        assert isinstance(item["subject"], str), where
        age = item["patient_age_days"]
        assert age is None or (type(age) is int and 0 <= age <= 120 * 366), where
        assert item["writer"] in WRITERS, where
        assert isinstance(item["urgent"], bool), where
        assert isinstance(item["life_threatening"], bool), where
        assert item["group"] is None or item["group"] in GROUPS, where
        assert isinstance(item["kind"], str), where
        assert re.fullmatch(r"[a-z][a-z_]{1,23}", item["kind"]), where
        if item["urgent"]:
            assert item["group"] is not None, f"{where}: an urgent message names its group"
            assert item["kind"] != PLAIN_KIND, where
        else:
            assert not item["life_threatening"], f"{where}: life-threatening yet routine"


def test_messages_distinct(items):
    pairs = Counter((item["subject"], item["text"]) for item in items)
    assert [pair for pair, count in pairs.items() if count > 1] == []


def test_urgent_share_about_half(items):
    share = sum(item["urgent"] for item in items) / len(items)
    assert 0.40 <= share <= 0.60


def test_every_group_has_urgent_messages(items):
    per_group = Counter(item["group"] for item in items if item["urgent"])
    assert {group: per_group[group] for group in GROUPS if per_group[group] < 6} == {}
    for group in COMMON_GROUPS:
        assert per_group[group] >= 12, group


def test_life_threatening_messages_present(items):
    lt = [item for item in items if item["life_threatening"]]
    assert len(lt) >= 60
    # The clearly life-threatening groups carry such messages.
    for group in ("chest_pain", "stroke", "anaphylaxis", "infant_fever", "meningitis", "sepsis"):
        assert any(item["group"] == group for item in lt), group


def test_hard_routine_messages(items):
    routine = [item for item in items if not item["urgent"]]
    hard = [item for item in routine if item["kind"] != PLAIN_KIND]
    assert len(hard) >= 110
    kinds = Counter(item["kind"] for item in hard)
    assert {kind for kind in HARD_ROUTINE_KINDS if kinds[kind] < 5} == set()
    assert sum(item["kind"] == PLAIN_KIND for item in routine) >= 50, "plain routine as well"


def test_realistic_writers_and_forms(items):
    urgent = [item for item in items if item["urgent"]]
    writers = Counter(item["writer"] for item in urgent)
    assert writers["parent"] >= 20 and writers["partner"] >= 10 and writers["other"] >= 10
    kinds = Counter(item["kind"] for item in urgent)
    for kind in ("typo", "dialect", "buried", "subject_only", "combination", "age_in_text"):
        assert kinds[kind] >= 5, kind
    # The complaint only in the subject: the subject is longer than a bare greeting.
    for item in urgent:
        if item["kind"] == "subject_only":
            assert item["subject"].strip(), item["id"]


def test_benchmark_reads_the_set(capsys):
    """The benchmark runs on the set with its keyword stand-in (no figures asserted)."""
    spec = importlib.util.spec_from_file_location("bench_urgency", BENCHMARK)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--fake", "--quiet", "--file", str(SET)]) == 0
    out = capsys.readouterr().out
    for figure in ("recall, life-threatening", "recall, urgent", "false positives, routine",
                   "hard routine", "time per message, median", "memory (RSS increase)"):
        assert figure in out
