"""The alarm signs as data: one JSON file per group in `resources/alarm_signs/`, plus the shared
signs, age words and second-contact rule in `resources/urgency_rules.json`.

A group raises advice when one of its concepts is found (except those listed in
`only_in_combination`), or when all concepts of one of its `combinations` are found. A
combination may name the group's own concepts, the shared ones, or another group's as
"group.concept". `risk_factors` are concepts that count even when the writer puts them in the
past ("vorige week geopereerd"); `past_tense_ok` concepts count after a weak past marker
("heeft een batterijtje in zijn mond gehad") but not after a clear one ("vorig jaar");
with `mild_is_routine` a sign the writer plays down ("soms wat", "even", "een beetje") raises
the group only in a combination, with `mild_never_counts` not even there; `unless` names, per concept, the concepts that explain it away
anywhere in the message ("zwarte ontlasting" with "ijzertabletten")."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.resources import RESOURCE_DIR
from workbench.services.urgency.cooccur import CooccurrenceRule

SIGNS_DIR = RESOURCE_DIR / "alarm_signs"
RULES_FILE = RESOURCE_DIR / "urgency_rules.json"
CONTEXT_RULES_FILE = RESOURCE_DIR / "urgency_context_rules.json"
SHARED = "shared"
ACTIONS = ("Bel de patiënt nu", "Bel 112")


class SignFileError(ValueError):
    """A mistake in an alarm-sign or rules file, naming the file (the self-test reports it)."""


@dataclass(frozen=True)
class Combination:
    concepts: tuple[str, ...]  # matcher labels ("group:concept" or "shared:concept")
    min_age_days: int | None = None
    max_age_days: int | None = None


@dataclass(frozen=True)
class AlarmGroup:
    group: str
    label: str
    action: str
    life_threatening: bool
    explanation: str
    alone: frozenset[str]  # matcher labels that raise the group on their own
    combinations: tuple[Combination, ...]
    min_age_days: int | None = None
    max_age_days: int | None = None
    age_required: bool = False  # an unknown age never satisfies the group's age limits
    risk_factors: frozenset[str] = frozenset()  # labels that count in the past tense too
    past_tense_ok: frozenset[str] = frozenset()  # labels a weak past marker does not silence
    mild_is_routine: bool = False  # a played-down sign raises the group only in a combination
    mild_never_counts: bool = False  # ... and not in a combination either
    unless: tuple[tuple[str, tuple[str, ...]], ...] = ()  # label -> labels explaining it away


@dataclass
class SignData:
    groups: list[AlarmGroup]
    terms: dict[str, list[Any]]  # matcher label -> clinlp terms
    matching: dict[str, Any]
    ages: dict[str, Any]
    second_contact: dict[str, Any]
    files: list[Path] = field(default_factory=list)
    cooccurrence: list[CooccurrenceRule] = field(default_factory=list)


def normalize(text: str) -> str:
    """As clinlp's normalizer does to a token's NORM: casefold, accents off."""
    folded = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def _term(raw: Any, where: str) -> Any:
    """A phrasing from a file as a clinlp term: a plain phrase, a dict of Term fields (its
    phrase normalized unless it matches on exact TEXT) or a spaCy token pattern (a list)."""
    if isinstance(raw, str):
        if not raw.strip():
            raise SignFileError(f"{where}: empty phrasing")
        return normalize(raw)
    if isinstance(raw, dict):
        if not isinstance(raw.get("phrase"), str):
            raise SignFileError(f"{where}: a phrasing object needs a 'phrase'")
        term = dict(raw)
        if term.get("attr", "NORM") != "TEXT":
            term["phrase"] = normalize(term["phrase"])
        return term
    if isinstance(raw, list) and raw and all(isinstance(t, dict) for t in raw):
        return raw
    raise SignFileError(f"{where}: a phrasing is a string, an object or a token pattern")


def _terms(raw: Any, where: str) -> list[Any]:
    if not isinstance(raw, list) or not raw:
        raise SignFileError(f"{where}: a concept needs a list of phrasings")
    terms, seen = [], set()
    for n, item in enumerate(raw):
        term = _term(item, f"{where}[{n}]")
        key = json.dumps(term, sort_keys=True)
        if key not in seen:  # the same phrasing twice would only cost matching time
            seen.add(key)
            terms.append(term)
    return terms


def _age(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SignFileError(f"{where}: an age is a whole number of days")
    return value


def _cooccurrence(raw: Any, label: str, word_sets: dict[str, list[str]],
                  where: str) -> list[CooccurrenceRule]:
    """A concept's word-set rules: [{"window": 8, "all": [[words or "@set"], ...]}, ...]."""
    if not isinstance(raw, list):
        raise SignFileError(f"{where}: word-set rules are a list")
    rules = []
    for n, rule in enumerate(raw):
        slots = rule.get("all") if isinstance(rule, dict) else None
        if not isinstance(slots, list) or not slots:
            raise SignFileError(f"{where}[{n}]: a word-set rule needs 'all' with 1+ sets")
        compiled = []
        for slot in slots:
            if isinstance(slot, str):
                slot = [slot]
            words: list[str] = []
            for word in slot:
                if word.startswith("@"):
                    if word[1:] not in word_sets:
                        raise SignFileError(f"{where}[{n}]: unknown word set {word}")
                    words += word_sets[word[1:]]
                else:
                    words.append(word)
            compiled.append(tuple(dict.fromkeys(normalize(w) for w in words)))
        window = rule.get("window", 8)
        if not isinstance(window, int) or window < 1:
            raise SignFileError(f"{where}[{n}]: 'window' is a whole number of tokens, 1 or more")
        rules.append(CooccurrenceRule(label, window, tuple(compiled)))
    return rules


def load_sign_data(signs_dir: Path = SIGNS_DIR, rules_file: Path = RULES_FILE) -> SignData:
    """Read and check every file; a mistake in a file raises ValueError naming it."""
    rules = json.loads(Path(rules_file).read_text(encoding="utf-8"))
    terms: dict[str, list[Any]] = {}
    shared = {name: f"{SHARED}:{name}" for name in rules["shared_concepts"] if name[0] != "_"}
    for name, label in shared.items():
        terms[label] = _terms(rules["shared_concepts"][name], f"{rules_file.name}: {name}")
    word_sets = {k: v for k, v in rules.get("word_sets", {}).items() if k[0] != "_"}
    cooccurrence: list[CooccurrenceRule] = []
    for name, raw in rules.get("shared_cooccurrence", {}).items():
        if name[0] == "_":
            continue
        if name not in shared:
            raise SignFileError(f"{rules_file.name}: shared_cooccurrence names unknown {name}")
        cooccurrence += _cooccurrence(raw, shared[name], word_sets, f"{rules_file.name}: {name}")
    groups = []
    files = sorted(Path(signs_dir).glob("*.json"))
    if not files:
        raise SignFileError(f"no alarm sign files in {signs_dir}")
    for path in files:
        where = path.name
        data = json.loads(path.read_text(encoding="utf-8"))
        group = data.get("group")
        if group != path.stem:
            raise SignFileError(f"{where}: 'group' must be the file's name ({path.stem})")
        for key in ("label", "action", "explanation"):
            if not isinstance(data.get(key), str) or not data[key]:
                raise SignFileError(f"{where}: '{key}' must be a text")
        if data["action"] not in ACTIONS:
            raise SignFileError(f"{where}: 'action' must be one of {ACTIONS}")
        if not isinstance(data.get("life_threatening"), bool):
            raise SignFileError(f"{where}: 'life_threatening' must be true or false")
        concepts = data.get("concepts")
        if not isinstance(concepts, dict) or not concepts:
            raise SignFileError(f"{where}: 'concepts' must name at least one concept")
        local = {name: f"{group}:{name}" for name in concepts}
        for name, label in local.items():
            terms[label] = _terms(concepts[name], f"{where}: {name}")
        for name, raw in data.get("cooccurrence", {}).items():
            if name[0] == "_":
                continue
            if name not in local:
                raise SignFileError(f"{where}: word-set rules for unknown concept '{name}'")
            cooccurrence += _cooccurrence(raw, local[name], word_sets, f"{where}: {name}")

        def resolve(name: str, local: dict[str, str] = local, where: str = where) -> str:
            if name in local:
                return local[name]
            if name in shared:
                return shared[name]
            if "." in name:  # another group's concept: "breathing.cannot_breathe"
                other, concept = name.split(".", 1)
                return f"{other}:{concept}"
            raise SignFileError(f"{where}: unknown concept '{name}' in a combination")

        only = set(data.get("only_in_combination", []))
        if unknown := only - set(local):
            raise SignFileError(f"{where}: only_in_combination names unknown {sorted(unknown)}")
        combinations = []
        for n, combo in enumerate(data.get("combinations", [])):
            names = combo.get("all")
            if not isinstance(names, list) or not names:
                raise SignFileError(f"{where}: combination {n} needs 'all': [concepts]")
            combinations.append(Combination(
                tuple(resolve(name) for name in names),
                _age(combo.get("min_age_days"), where), _age(combo.get("max_age_days"), where)))
        risk = set(data.get("risk_factors", []))
        if unknown := risk - set(local):
            raise SignFileError(f"{where}: risk_factors names unknown {sorted(unknown)}")
        past_ok = set(data.get("past_tense_ok", []))
        if unknown := past_ok - set(local):
            raise SignFileError(f"{where}: past_tense_ok names unknown {sorted(unknown)}")
        unless = data.get("unless", {})
        if not isinstance(unless, dict) or set(unless) - set(local):
            raise SignFileError(f"{where}: 'unless' maps concepts to lists of concepts")
        groups.append(AlarmGroup(
            group=group, label=data["label"], action=data["action"],
            life_threatening=data["life_threatening"], explanation=data["explanation"],
            alone=frozenset(label for name, label in local.items() if name not in only),
            combinations=tuple(combinations),
            min_age_days=_age(data.get("min_age_days"), where),
            max_age_days=_age(data.get("max_age_days"), where),
            age_required=bool(data.get("age_required", False)),
            risk_factors=frozenset(local[name] for name in risk),
            past_tense_ok=frozenset(local[name] for name in past_ok),
            mild_is_routine=bool(data.get("mild_is_routine", False)),
            mild_never_counts=bool(data.get("mild_never_counts", False)),
            unless=tuple((local[name], tuple(resolve(other) for other in others))
                         for name, others in unless.items())))
    known = set(terms)
    for group in groups:
        named = [c for combo in group.combinations for c in combo.concepts] + \
            [c for _label, others in group.unless for c in others]
        if missing := [c for c in named if c not in known]:
            raise SignFileError(f"{group.group}.json: unknown concepts {missing}")
    return SignData(groups=groups, terms=terms, matching=dict(rules["matching"]),
                    ages=rules["ages"], second_contact=rules["second_contact"], files=files,
                    cooccurrence=cooccurrence)
