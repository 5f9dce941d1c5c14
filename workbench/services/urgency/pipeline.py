"""The clinlp pipeline: normalizer, sentencizer, rule-based entity matcher with the alarm-sign
phrasings, and the context algorithm with our own rules for lay Dutch."""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import types
from collections.abc import Callable
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
from spacy.matcher import Matcher
from spacy.matcher.levenshtein import levenshtein_compare
from spacy.tokens import Doc, Span

from workbench.services.urgency import cooccur as _cooccur  # noqa: F401 - registers the factory
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


_ATTRS = ("NORM", "TEXT")


def _compile_token(spec: dict):
    """One token of a pattern as (attribute, test, optional), or None when it is more than this
    matcher reads (it then stays with spaCy's): a word, a list of words, a regular expression or
    a fuzzy word on NORM or TEXT, or any token; optional with "OP": "?". A fuzzy word is tested
    as spaCy's Matcher tests it: the same word, or within its edit distance by spaCy's own
    comparison."""
    spec = dict(spec)
    op = spec.pop("OP", None)
    if op not in (None, "?") or len(spec) > 1:
        return None
    if not spec:
        return (None, None, op == "?")
    (attr, value), = spec.items()
    if attr not in _ATTRS:
        return None
    if isinstance(value, str):
        return (attr, value.__eq__, op == "?")
    if isinstance(value, dict) and len(value) == 1:
        (kind, arg), = value.items()
        if kind == "IN":
            return (attr, frozenset(arg).__contains__, op == "?")
        if kind == "REGEX":
            return (attr, lambda text, search=re.compile(arg).search: search(text) is not None,
                    op == "?")
        if kind in _FUZZY and isinstance(arg, str):
            return (attr, lambda text, word=arg, edits=_FUZZY[kind]: text == word or
                    levenshtein_compare(text, word, edits), op == "?")
    return None


_STARTS_CACHED = 50_000  # token values whose tested pattern starts are remembered
# spaCy's fuzzy operators and the edit distance each allows (-1: spaCy's own default)
_FUZZY = {"FUZZY": -1, **{f"FUZZY{n}": n for n in range(1, 10)}}


class _FirstWordMatcher:
    """The token patterns and the phrasings clinlp turns into token patterns (proximity, fuzzy,
    pseudo), matched as clinlp's entity matcher matches them with spaCy's Matcher, but fast. That
    Matcher tries every pattern at every token, so its time grows with the number of patterns.
    Here a pattern whose first token is a word or a list of words ({"NORM": {"IN": [...]}}) is
    tried only where one of those words occurs; one that starts with a regular expression or a
    fuzzy word is tried where that test holds (one test a token, where spaCy's Matcher keeps
    states for every pattern); the rest (a pattern that starts with an optional token) stays in
    a spaCy Matcher run on every message.
    Every match of a pattern counts, each length an optional token allows ('een TIA', 'een TIA
    gehad'), as with spaCy. A `pseudo` phrasing (a match that is not the sign: 'niet benauwd
    weer') removes the entities of its own concept it overlaps, the plain phrasings' ones too."""

    def __init__(self) -> None:
        self._by_word: dict[tuple[str, str], list[tuple[str, tuple]]] = {}  # -> (key, rest)
        self._tested: list[tuple[str, Callable[[str], bool], str, tuple]] = []
        # (attribute, token value) -> which of `_tested` start there: the tests are pure, and
        # messages reuse their words, so most tokens are one look-up instead of every test.
        self._starts: dict[tuple[str, str], tuple[int, ...]] = {}
        self._rest: Matcher | None = None
        self._labels: dict[str, tuple[str, bool]] = {}  # pattern key -> (label, pseudo)

    def build(self, nlp: Language, term_args: dict, terms: dict[str, list]) -> None:
        self._rest = Matcher(nlp.vocab)
        for label, raw_terms in terms.items():
            for raw in raw_terms:
                pseudo = False
                if isinstance(raw, dict):
                    term = Term(**raw)
                    term.override_non_set_fields(term_args)
                    pseudo = bool(term.pseudo)
                    pattern = term.to_spacy_pattern(nlp)
                else:
                    pattern = raw
                key = f"p{len(self._labels)}"
                self._labels[key] = (label, pseudo)
                first = pattern[0]
                compiled = [_compile_token(spec) for spec in pattern[1:]]
                words = None
                if len(first) == 1 and None not in compiled:
                    (attr, value), = first.items()
                    if attr in _ATTRS:
                        if isinstance(value, str):
                            words = [value]
                        elif isinstance(value, dict) and set(value) == {"IN"}:
                            words = list(dict.fromkeys(value["IN"]))
                if words is None:
                    tested = _compile_token(first) if None not in compiled else None
                    if tested is not None and tested[0] is not None and not tested[2]:
                        self._tested.append((tested[0], tested[1], key, tuple(compiled)))
                    else:
                        self._rest.add(key, [pattern])
                    continue
                for word in words:
                    self._by_word.setdefault((attr, word), []).append((key, tuple(compiled)))

    @staticmethod
    def _ends(rest: tuple, k: int, i: int, values: dict, n: int, out: set) -> None:
        """Every end of a match of rest[k:] from token i."""
        if k == len(rest):
            out.add(i)
            return
        attr, test, optional = rest[k]
        if optional:
            _FirstWordMatcher._ends(rest, k + 1, i, values, n, out)
        if i < n and (test is None or test(values[attr][i])):
            _FirstWordMatcher._ends(rest, k + 1, i + 1, values, n, out)

    def _tested_starts(self, attr: str, value: str) -> tuple[int, ...]:
        starts = self._starts.get((attr, value))
        if starts is None:
            starts = tuple(j for j, (on, test, _key, _rest) in enumerate(self._tested)
                           if on == attr and test(value))
            if len(self._starts) >= _STARTS_CACHED:
                self._starts.clear()  # a bound on memory; the common words come back at once
            self._starts[(attr, value)] = starts
        return starts

    def __call__(self, doc: Doc) -> Doc:
        values = {"NORM": [t.norm_ for t in doc], "TEXT": [t.text for t in doc]}
        n = len(doc)
        found: set[tuple[str, int, int]] = set()
        pseudo: set[tuple[str, int, int]] = set()
        by_word, tested = self._by_word, self._tested
        tested_attrs = {attr for attr, _test, _key, _rest in tested}

        def match_from(i: int, key: str, rest: tuple) -> None:
            ends: set[int] = set()
            self._ends(rest, 0, i + 1, values, n, ends)
            label, is_pseudo = self._labels[key]
            (pseudo if is_pseudo else found).update((label, i, end) for end in ends)

        for i in range(n):
            for attr in _ATTRS:
                for key, rest in by_word.get((attr, values[attr][i]), ()):
                    match_from(i, key, rest)
            for attr in tested_attrs:
                for j in self._tested_starts(attr, values[attr][i]):
                    match_from(i, tested[j][2], tested[j][3])
        if len(self._rest):
            strings = doc.vocab.strings
            for match_id, start, end in self._rest(doc):
                label, is_pseudo = self._labels[strings[match_id]]
                (pseudo if is_pseudo else found).add((label, start, end))
        ents = list(doc.spans.get(SPANS_KEY, []))
        ents += [Span(doc, start, end, label=label) for label, start, end in sorted(
            found, key=lambda m: (m[1], m[2], m[0]))]
        if pseudo:
            ents = [e for e in ents if not any(label == e.label_ and start < e.end and e.start < end
                                               for label, start, end in pseudo)]
        doc.spans[SPANS_KEY] = ents
        return doc


@Language.factory("workbench_urgency_patterns")
def _make_patterns(nlp: Language, name: str) -> _FirstWordMatcher:
    return _FirstWordMatcher()


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
    # Plain phrasings go to clinlp's PhraseMatcher (nearly free, whatever their number); the
    # token patterns and the phrasings with proximity, fuzziness or `pseudo` (clinlp honours
    # those only on Term objects, made from the dicts there) to our own matcher, which tries a
    # pattern only where its first word occurs.
    for label, terms in data.terms.items():
        if plain := [t for t in terms if isinstance(t, str)]:
            matcher.add_terms(label, plain)
    patterns = nlp.add_pipe("workbench_urgency_patterns")
    patterns.build(nlp, matcher.term_args, {label: [t for t in terms if not isinstance(t, str)]
                                           for label, terms in data.terms.items()})
    nlp.add_pipe("workbench_urgency_cooccurrence").build(data.cooccurrence, SPANS_KEY)
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
