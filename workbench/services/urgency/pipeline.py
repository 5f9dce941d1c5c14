"""The clinlp pipeline: normalizer, sentencizer, rule-based entity matcher with the alarm-sign
phrasings, and the context algorithm with our own rules for lay Dutch."""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from dataclasses import dataclass
from pathlib import Path


class _ImportedOnUse(types.ModuleType):
    """Stands in for a module until something uses it, then imports the real one. clinlp
    imports pandas (about 40 MB of memory) only to read term lists from CSV, which we never
    do. (importlib's LazyLoader does not help: the import statement itself touches the
    module.) Where pandas is not installed at all (a slimmer bundle), using it raises
    ModuleNotFoundError then, not at clinlp's import."""

    def __getattr__(self, attribute: str):
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        real = importlib.import_module(name)
        return getattr(real, attribute)


def _import_on_use(name: str) -> None:
    if name not in sys.modules:
        stand_in = _ImportedOnUse(name)
        stand_in.__spec__ = None  # read by the import statement; must not trigger the import
        sys.modules[name] = stand_in


_import_on_use("pandas")  # before clinlp is imported

import clinlp  # noqa: F401 - registers the "clinlp" language and its components
import spacy
from clinlp.ie import Term
from clinlp.ie.qualifier.qualifier import get_qualifiers
from spacy.language import Language
from spacy.tokens import Doc

from workbench.services.urgency.signs import CONTEXT_RULES_FILE, SignData

SPANS_KEY = "ents"
MAX_CHARS = 50_000  # a longer message is cut: beyond this it is an attachment, not a question


@dataclass(frozen=True)
class Sign:
    label: str      # "group:concept" or "shared:concept"
    start: int      # character offsets in the text as written
    end: int
    words: str      # text[start:end]
    qualifiers: frozenset[str]  # clinlp qualifiers, e.g. "Presence.Absent"
    in_subject: bool = False


@Language.component("workbench_urgency_tidy")
def _tidy(doc: Doc) -> Doc:
    """One entity per label and place, none across a sentence end: a proximity gap must not
    join the end of one sentence to the start of the next."""
    seen, kept = set(), []
    for ent in doc.spans[SPANS_KEY]:
        key = (ent.label_, ent.start, ent.end)
        if key in seen:
            continue
        seen.add(key)
        if any(doc[i].is_sent_start for i in range(ent.start + 1, ent.end)):
            continue
        kept.append(ent)
    doc.spans[SPANS_KEY] = kept
    return doc


def build_pipeline(data: SignData, context_rules: Path = CONTEXT_RULES_FILE) -> Language:
    nlp = spacy.blank("clinlp")
    nlp.add_pipe("clinlp_normalizer")
    nlp.add_pipe("clinlp_sentencizer")
    matching = {k: v for k, v in data.matching.items() if not k.startswith("_")}
    matcher = nlp.add_pipe("clinlp_rule_based_entity_matcher", config=matching)
    for label, terms in data.terms.items():
        # clinlp honours `pseudo` only on Term objects, not on dicts: convert them here.
        matcher.add_terms(label, [Term(**t) if isinstance(t, dict) else t for t in terms])
    nlp.add_pipe("workbench_urgency_tidy")
    nlp.add_pipe("clinlp_context_algorithm",
                 config={"phrase_matcher_attr": "NORM", "rules": str(context_rules)})
    return nlp


def find_signs(nlp: Language, text: str, subject: str = "") -> list[Sign]:
    """The signs in a message's subject and text, in one pass: the subject goes first as a
    line of its own (a line ends a sentence, so no sign or context crosses into the text)."""
    text, subject = (text or "")[:MAX_CHARS], (subject or "")[:1000]
    if not text.strip() and not subject.strip():
        return []
    head = f"{subject}\n\n" if subject.strip() else ""
    doc = nlp(head + text)
    signs = []
    for ent in doc.spans.get(SPANS_KEY, []):
        in_subject = ent.start_char < len(head)
        offset = 0 if in_subject else len(head)
        signs.append(Sign(ent.label_, ent.start_char - offset, ent.end_char - offset,
                          doc.text[ent.start_char:ent.end_char],
                          frozenset(f"{q.name}.{q.value}" for q in get_qualifiers(ent) or ()),
                          in_subject))
    return signs
