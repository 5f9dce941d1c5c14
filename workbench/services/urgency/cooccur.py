"""Word-set rules: a sign found as key ideas near each other rather than as one fixed phrase.

A rule names a concept, a window (in tokens) and two or more slots; each slot is a set of word
forms. The rule fires where every slot has a word in one sentence, all of them within the
window ('been' ... 'ijskoud' ... 'pijn'), each slot on its own word. The span from the first
to the last of those words becomes an entity like any phrasing's, so the context algorithm
still decides negation, past, hypothetical and family history for it.

A word form is matched on NORM (lowercase, no accents):

    "wit"        the word itself
    "koud*"      a word starting with it        (koude, koudjes)
    "*voet"      a word ending in it            (rechtervoet)
    "*schok*"    a word containing it           (stroomschok, schokken)
    "komt niet bij"  consecutive words (each may be a pattern as above); one other word may
                 stand between two of them ('komt niet meer bij')

Slots are written once per rule in the group files and shared between rules by name through
`word_sets` in urgency_rules.json ("@limb" names the set "limb")."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span


@dataclass(frozen=True)
class CooccurrenceRule:
    label: str
    window: int
    slots: tuple[tuple[str, ...], ...]


def _compile_word(glob: str) -> tuple[str, str]:
    if len(glob) > 2 and glob[0] == "*" and glob[-1] == "*":
        return ("in", glob[1:-1])
    if len(glob) > 1 and glob[-1] == "*":
        return ("pre", glob[:-1])
    if len(glob) > 1 and glob[0] == "*":
        return ("suf", glob[1:])
    return ("eq", glob)


class CooccurrenceMatcher:
    """Finds every rule's words in a doc and adds a span per fire to doc.spans[key]."""

    def __init__(self, rules: list[CooccurrenceRule] | None = None,
                 spans_key: str = "ents") -> None:
        self.build(rules or [], spans_key)

    def build(self, rules: list[CooccurrenceRule], spans_key: str) -> None:
        self.spans_key = spans_key
        self.rules = rules
        # word pattern -> list of (rule index, slot index, rest of the item's words)
        self._eq: dict[str, list] = {}
        self._pre: dict[str, list] = {}
        self._suf: dict[str, list] = {}
        self._in: dict[str, list] = {}
        self._pre_lens: set[int] = set()
        self._suf_lens: set[int] = set()
        for r, rule in enumerate(rules):
            for s, slot in enumerate(rule.slots):
                for item in slot:
                    words = item.split()
                    if not words:
                        continue
                    kind, key = _compile_word(words[0])
                    rest = tuple(_compile_word(w) for w in words[1:])
                    table = {"eq": self._eq, "pre": self._pre, "suf": self._suf,
                             "in": self._in}[kind]
                    table.setdefault(key, []).append((r, s, rest))
                    if kind == "pre":
                        self._pre_lens.add(len(key))
                    elif kind == "suf":
                        self._suf_lens.add(len(key))
        self._cache: dict[str, tuple] = {}

    @staticmethod
    def _word_fits(kind: str, key: str, word: str) -> bool:
        if kind == "eq":
            return word == key
        if kind == "pre":
            return word.startswith(key)
        if kind == "suf":
            return word.endswith(key)
        return key in word

    def _hits_of(self, word: str) -> tuple:
        hits = self._cache.get(word)
        if hits is not None:
            return hits
        found = list(self._eq.get(word, ()))
        n = len(word)
        for length in self._pre_lens:
            if length <= n and (more := self._pre.get(word[:length])):
                found.extend(more)
        for length in self._suf_lens:
            if length <= n and (more := self._suf.get(word[n - length:])):
                found.extend(more)
        for key, more in self._in.items():
            if key in word:
                found.extend(more)
        hits = tuple(found)
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[word] = hits
        return hits

    def __call__(self, doc: Doc) -> Doc:
        if not self.rules:
            return doc
        norms = [t.norm_ for t in doc]
        n = len(norms)
        sent = []
        current = -1
        for token in doc:
            if token.is_sent_start or current < 0:
                current += 1
            sent.append(current)
        # rule -> slot -> list of (start, end)
        places: dict[int, dict[int, list[tuple[int, int]]]] = {}
        for i, word in enumerate(norms):
            for r, s, rest in self._hits_of(word):
                end = self._rest_end(norms, i + 1, rest, n, sent[i], sent)
                if end is not None:
                    places.setdefault(r, {}).setdefault(s, []).append((i, end))
        new = set()
        for r, slots in places.items():
            rule = self.rules[r]
            if len(slots) < len(rule.slots):
                continue
            for s0, hits in slots.items():
                for start, end in hits:
                    span = self._around(rule, slots, s0, start, end, sent)
                    if span:
                        new.add((rule.label, span[0], span[1]))
        if new:
            ents = list(doc.spans.get(self.spans_key, []))
            ents += [Span(doc, a, b, label=label) for label, a, b in sorted(
                new, key=lambda m: (m[1], m[2], m[0]))]
            doc.spans[self.spans_key] = ents
        return doc

    def _rest_end(self, norms, i, rest, n, sentence, sent):
        for kind, key in rest:
            if i < n and sent[i] == sentence and self._word_fits(kind, key, norms[i]):
                i += 1
            elif i + 1 < n and sent[i + 1] == sentence and self._word_fits(kind, key, norms[i + 1]):
                i += 2
            else:
                return None
        return i

    @staticmethod
    def _around(rule, slots, s0, start, end, sent):
        """The smallest span holding this anchor and, for every other slot, its nearest word
        in the same sentence within the window (each slot on its own words)."""
        low, high = start, end
        used = [(start, end)]
        for s in range(len(rule.slots)):
            if s == s0:
                continue
            best = None
            for a, b in slots[s]:
                if sent[a] != sent[start] or any(a < ub and ua < b for ua, ub in used):
                    continue
                lo, hi = min(low, a), max(high, b)
                if hi - lo > rule.window:
                    continue
                if best is None or hi - lo < best[0]:
                    best = (hi - lo, a, b)
            if best is None:
                return None
            used.append((best[1], best[2]))
            low, high = min(low, best[1]), max(high, best[2])
        return low, high


@Language.factory("workbench_urgency_cooccurrence")
def _make_cooccurrence(nlp: Language, name: str) -> CooccurrenceMatcher:
    return CooccurrenceMatcher()
