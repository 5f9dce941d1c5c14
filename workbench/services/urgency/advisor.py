"""Urgency advice: alarm signs in an e-consult's subject and text, with age rules and the
second-contact rule. Advice only: the assistant decides."""

from __future__ import annotations

import gc
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from workbench.services.urgency.age import subject_ages
from workbench.services.urgency.pipeline import Sign, build_pipeline, find_signs
from workbench.services.urgency.signs import (
    CONTEXT_RULES_FILE,
    RULES_FILE,
    SIGNS_DIR,
    AlarmGroup,
    load_sign_data,
)

WRITERS = ("patient", "parent", "partner", "other")


@dataclass(frozen=True)
class AlarmFinding:
    category: str            # group id, e.g. "chest_pain"
    label: str               # "Mogelijk hartprobleem"
    action: str              # "Bel de patiënt nu" | "Bel 112"
    explanation: str
    life_threatening: bool
    words: tuple[str, ...]   # the writer's words that raised it, exactly as written

    def as_json(self) -> dict[str, Any]:
        return {"category": self.category, "label": self.label, "action": self.action,
                "explanation": self.explanation, "life_threatening": self.life_threatening,
                "words": " · ".join(self.words), "terms": list(self.words)}


STRICT, PAST_OK, HISTORY_OK = "strict", "past_ok", "history_ok"


def _counts(sign: Sign, *, mode: str = STRICT, writer: str = "patient") -> bool:
    """Whether a found sign is about the patient now. Negated or hypothetical signs never
    count. Family history ('in de familie', 'mijn zus had') does not count unless a recent
    time ('vannacht', 'net') sits beside it, and neither does a sign put in the past ('vorig
    jaar'; a weak marker like 'gehad' only without a recent time). A family word alone
    ('mijn dochter', 'mijn man') never silences: a parent or partner describes the patient.
    Uncertain signs ('misschien') count: a worried writer hedges. `mode` relaxes the past:
    PAST_OK ignores weak past markers, HISTORY_OK every past marker (risk factors)."""
    q = sign.qualifiers
    if q & {"Presence.Absent", "Temporality.Future", "Hypothetical.Yes", "Figurative.Yes"}:
        return False
    # Someone else ('een kind in de klas', 'een collega'): unless the writer is that someone
    # else's carer, neighbour or colleague writing about the patient.
    if "Experiencer.Other" in q and writer != "other":
        return False
    recent = "Recency.Recent" in q
    if "Experiencer.Family" in q and not recent:
        return False
    if mode == HISTORY_OK:
        return True
    if "Temporality.Historical" in q:
        return False
    return mode == PAST_OK or not ("PastEvent.Yes" in q and not recent)


def _found(in_subject: list[Sign], in_text: list[Sign], *, mode: str, writer: str,
           sure: bool = False) -> dict[str, list[Sign]]:
    """The signs that count, by label. A subject is a topic line: its word counts unless the
    text speaks of the same sign and puts every mention aside ('[koortsstuip] ... vorige
    maand een stuip'). `sure` leaves out uncertain mentions too, for the signs that explain
    another away ('misschien door ijzertabletten' explains nothing)."""
    def counts(sign: Sign) -> bool:
        return _counts(sign, mode=mode, writer=writer) and not (
            sure and "Presence.Uncertain" in sign.qualifiers)

    found: dict[str, list[Sign]] = {}
    silenced: set[str] = set()
    for sign in in_text:
        if counts(sign):
            found.setdefault(sign.label, []).append(sign)
        else:
            silenced.add(sign.label)
    for sign in in_subject:
        if counts(sign) and (sign.label in found or sign.label not in silenced):
            found.setdefault(sign.label, []).insert(0, sign)
    return found


def _age_fits(ages: tuple[int, ...], low: int | None, high: int | None, *, required: bool) -> bool:
    if low is None and high is None:
        return True
    if not ages:
        return not required
    return any((low is None or age >= low) and (high is None or age <= high) for age in ages)


class UrgencyAdvisor:
    """Finds alarm signs with a clinlp pipeline built once; `advise` is thread-safe."""

    def __init__(self, signs_dir: Path = SIGNS_DIR, rules_file: Path = RULES_FILE,
                 context_rules: Path = CONTEXT_RULES_FILE) -> None:
        data = load_sign_data(signs_dir, rules_file)
        self.groups: list[AlarmGroup] = data.groups
        self._ages = data.ages
        self._nlp = build_pipeline(data, context_rules)
        self._lock = threading.Lock()  # a spaCy pipeline is not documented as thread-safe
        second = data.second_contact
        self.second_contact = (second["category"], timedelta(days=second["within_days"]))
        self.second_contact_finding = AlarmFinding(
            second["category"], second["label"], second["action"], second["explanation"],
            False, ())
        self._ignore_words = frozenset(second["ignore_words"])

    # -- advice ----------------------------------------------------------------------------------
    def advise(self, text: str, *, subject: str = "", patient_age_days: int | None = None,
               writer: str = "patient") -> list[AlarmFinding]:
        """The alarm-sign groups the message raises, most severe first (112 before a call)."""
        with self._lock:
            signs = find_signs(self._nlp, text, subject)
        in_subject = [s for s in signs if s.in_subject]
        in_text = [s for s in signs if not s.in_subject]
        if not in_subject and not in_text:
            return []
        # Readings of the same signs: as the writer puts them; with weak past markers
        # ignored (a group's past_tense_ok concepts); with every past marker ignored (risk
        # factors: "vorige week geopereerd"); and without uncertain mentions (for `unless`).
        now = _found(in_subject, in_text, mode=STRICT, writer=writer)
        past = _found(in_subject, in_text, mode=PAST_OK, writer=writer)
        ever = _found(in_subject, in_text, mode=HISTORY_OK, writer=writer)
        sure = _found(in_subject, in_text, mode=STRICT, writer=writer, sure=True)
        if not ever:
            return []
        ages = subject_ages(f"{subject or ''}\n{text or ''}", patient_age_days, writer,
                            self._ages)
        findings = []
        for group in self.groups:
            if not _age_fits(ages, group.min_age_days, group.max_age_days,
                             required=group.age_required):
                continue
            found = dict(now)
            for label in group.past_tense_ok & set(past):
                found[label] = past[label]
            for label in group.risk_factors & set(ever):
                found[label] = ever[label]
            if group.mild_never_counts:
                found = {label: kept for label, signs in found.items() if (kept := [
                    s for s in signs if "Severity.Mild" not in s.qualifiers])}
            for label, others in group.unless:
                if label in found and any(other in sure for other in others):
                    del found[label]
            raising = [label for label in group.alone if label in found and not (
                group.mild_is_routine and all("Severity.Mild" in s.qualifiers
                                              for s in found[label]))]
            for combo in group.combinations:
                if all(label in found for label in combo.concepts) and _age_fits(
                        ages, combo.min_age_days, combo.max_age_days, required=True):
                    raising += combo.concepts
            if raising:
                findings.append(self._finding(group, [s for label in dict.fromkeys(raising)
                                                      for s in found[label]]))
        # Severe first, as the window shows them; a stable order keeps stored advice stable.
        return sorted(findings, key=lambda f: (not f.life_threatening, f.action != "Bel 112"))

    @staticmethod
    def _finding(group: AlarmGroup, signs: list[Sign]) -> AlarmFinding:
        # The writer's words in order, subject first; a phrase inside a longer one found at
        # the same place ("hard als een plank" in "buik is hard als een plank") only once.
        ordered = sorted(signs, key=lambda s: (not s.in_subject, s.start, s.start - s.end))
        kept: list[Sign] = []
        for sign in ordered:
            if not any(k.in_subject == sign.in_subject and k.start <= sign.start
                       and sign.end <= k.end for k in kept):
                kept.append(sign)
        words = tuple(dict.fromkeys(s.words for s in kept))
        return AlarmFinding(group.group, group.label, group.action, group.explanation,
                            group.life_threatening, words)

    # -- second contact --------------------------------------------------------------------------
    def is_second_contact(self, received: datetime, subject: str,
                          earlier: list[tuple[datetime, str]]) -> bool:
        """Another e-consult of the same patient shortly before this one, about the same
        complaint (their subjects share a meaningful word)."""
        return self.earlier_contact(received, subject, earlier) is not None

    def earlier_contact(self, received: datetime, subject: str,
                        earlier: list[tuple[datetime, str]]) -> int | None:
        """Which of `earlier` makes this a second contact: the index of the latest one about
        the same complaint within the window (the advice names it); None when none does."""
        window = self.second_contact[1]
        words = self._complaint_words(subject)
        found = [(when, n) for n, (when, other) in enumerate(earlier)
                 if timedelta(0) < received - when <= window
                 and words & self._complaint_words(other)]
        return max(found)[1] if found else None

    def _complaint_words(self, subject: str) -> set[str]:
        return {w for w in re.findall(r"\w{4,}", subject.lower()) if w not in self._ignore_words}


_default: UrgencyAdvisor | None = None
_default_lock = threading.Lock()


def default_advisor() -> UrgencyAdvisor:
    """The process's one advisor: building the pipeline takes a second or two."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = UrgencyAdvisor()
                # The pipeline's many objects live as long as the process: out of the cyclic
                # collector's reach, a pull's allocations no longer make every collection walk
                # them again (the messages phase went 16 % faster).
                gc.collect()
                gc.freeze()
    return _default


def default_advisor_ready() -> bool:
    """Whether the process's advisor is built (so asking for it costs nothing now)."""
    return _default is not None


def advise_request(request: Any) -> dict[str, Any]:
    """The `workbench advise` contract: {"text", "subject"?, "patient_age_days"?, "writer"?}
    -> {"urgent", "groups", "words"}; a bad request gives {"error": "..."}."""
    if not isinstance(request, dict):
        return {"error": "a request is a JSON object"}
    text = request.get("text")
    if not isinstance(text, str):
        return {"error": "'text' must be a string"}
    subject = request.get("subject", "")
    if subject is None:
        subject = ""
    if not isinstance(subject, str):
        return {"error": "'subject' must be a string"}
    age = request.get("patient_age_days")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or age < 0):
        return {"error": "'patient_age_days' must be a whole number of days, 0 or more"}
    writer = request.get("writer", "patient")
    if writer is None:
        writer = "patient"
    if writer not in WRITERS:
        return {"error": f"'writer' must be one of {', '.join(WRITERS)}"}
    findings = default_advisor().advise(text, subject=subject, patient_age_days=age,
                                        writer=writer)
    words = list(dict.fromkeys(w for f in findings for w in f.words))
    return {"urgent": bool(findings), "groups": [f.category for f in findings], "words": words}
