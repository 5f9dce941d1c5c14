"""The e-consult as a SOEP journal text for the HIS, under an ICPC-1-NL code."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from workbench.resources import RESOURCE_DIR

ICPC_FILE = RESOURCE_DIR / "icpc1nl.json"
ICPC_SYSTEM = "http://hl7.org/fhir/sid/icpc-1-nl"
INDENT = "   "  # continuation lines line up under the text after "S: "


@dataclass(frozen=True)
class IcpcCode:
    code: str   # e.g. "R05"
    title: str  # e.g. "Hoesten"

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def load_icpc_codes(path: Path = ICPC_FILE) -> list[IcpcCode]:
    """The shipped selection of ICPC-1-NL codes (the full table is NHG-Tabel 24)."""
    return list(_load(Path(path)))


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[IcpcCode, ...]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(IcpcCode(item["code"], item["title"]) for item in data["codes"])


def search_icpc(query: str, codes: list[IcpcCode] | None = None) -> list[IcpcCode]:
    """Codes whose code or title holds every word of the query; an exact or leading code match
    first, then titles that start with a word, then the rest, each in code order."""
    words = _fold(query).split()
    pool = load_icpc_codes() if codes is None else codes
    if not words:
        return list(pool)
    ranked = []
    for item in pool:
        code, title = _fold(item.code), _fold(item.title)
        if not all(word in code or word in title for word in words):
            continue
        if len(words) == 1 and code == words[0]:
            rank = 0
        elif code.startswith(words[0]):
            rank = 1
        elif all(re.search(rf"(?:^|[\s/(-]){re.escape(w)}", title) for w in words):
            rank = 2
        else:
            rank = 3
        ranked.append((rank, item.code, item))
    ranked.sort(key=lambda entry: entry[:2])
    return [entry[2] for entry in ranked]


# Words in ICPC titles that say nothing about the subject on their own.
_GENERIC_TITLE_WORDS = frozenset({
    "aan", "acuta", "acute", "andere", "ander", "bij", "chronica", "chronisch", "constitutioneel",
    "frequente", "geen", "gegeneraliseerd", "gegeneraliseerde", "infectieus", "klachten",
    "lokale", "meerdere", "met", "nao", "overmatig", "plaatsen", "symptomen", "toegeschreven",
    "vermoedelijk", "verhoogde", "zonder"})
# A title word that alone is too weak to suggest a code ("pijn": where?).
_WEAK_TITLE_WORDS = frozenset({"pijn"})


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _fold(text))


def _word_matches(word: str, title_word: str) -> bool:
    if word == title_word:
        return True
    return min(len(word), len(title_word)) >= 4 and (title_word.startswith(word)
                                                     or word.startswith(title_word))


def suggest_icpc(text: str, codes: list[IcpcCode] | None = None) -> IcpcCode | None:
    """The code whose title words best match the words of the text (the patient's question),
    as a suggestion to offer, never to code with unasked; None when nothing fits well."""
    words = set(_words(text))
    if not words:
        return None
    pool = load_icpc_codes() if codes is None else codes
    best: tuple[int, int, str] | None = None
    found: IcpcCode | None = None
    for item in pool:
        title_words = [w for w in dict.fromkeys(_words(item.title))
                       if len(w) >= 3 and w not in _GENERIC_TITLE_WORDS]
        # A whole title word counts its letters twice; the start of one ("hoofd" of
        # "hoofdpijn") only the letters typed.
        scores = {t: max((2 * len(t) if (w == t or w.startswith(t)) else len(w))
                         for w in words if _word_matches(w, t)) for t in title_words
                  if any(_word_matches(w, t) for w in words)}
        if not scores or all(t in _WEAK_TITLE_WORDS for t in scores):
            continue
        # Best matched first, then the more specific title, then code order.
        key = (-sum(scores.values()), len(title_words), item.code)
        if best is None or key < best:
            best, found = key, item
    return found


_GREETING = re.compile(
    r"^(?:goede(?:morgen|middag|avond|dag|nacht)|beste|geachte|hallo|hoi|hey|dag|lieve|"
    r"l\.s\.|geachte heer/mevrouw)\b", re.IGNORECASE)
_CLOSING = re.compile(
    r"^(?:(?:met\s+)?(?:vriendelijke|hartelijke|lieve|warme)\s+groet(?:en|jes)?|"
    r"groet(?:en|jes)?|gr(?:oet)?\.?|grtjs|m\.?v\.?g\.?|liefs|doei|"
    r"alvast\s+(?:hartelijk\s+)?bedankt(?:\s+voor[^\n]{0,40})?)\b[\s,.!]*", re.IGNORECASE)
_TRAILING_CLOSING = re.compile(
    r"\s+(?:(?:met\s+)?vriendelijke\s+groet(?:en)?|groet(?:en|jes)?|m\.?v\.?g\.?)"
    r"\b[\s,.!]*(?:\S+\s*){0,4}$", re.IGNORECASE)


def strip_salutations(text: str) -> str:
    """The patient's message without the greeting ("Goedemorgen,", "Beste dokter,") and the
    closing and signature ("Groetjes", "Mvg", a name): what goes after "S:" in the journal."""
    lines = _lines(text)
    # The greeting: a line of its own, or the start of the first line up to its comma.
    if lines:
        first = lines[0]
        match = _GREETING.match(first)
        if match:
            rest = first[match.end():]
            # "Beste dokter," or "Goedemorgen dokter Bakker!": up to three words, no digits.
            cut = re.match(r"^(?:\s+[^\W\d_][\w.'-]*){0,3}\s*[,!]\s*", rest)
            if cut is not None:
                remainder = rest[cut.end():].strip()
                lines[0] = remainder[:1].upper() + remainder[1:] if remainder else ""
            elif len(rest.split()) <= 3 and not re.search(r"\d", rest):
                lines[0] = ""
        while lines and not lines[0]:
            lines.pop(0)
    # The closing: a line among the last few with only short lines (a name) after it.
    for index in range(len(lines) - 1, max(-1, len(lines) - 6), -1):
        if _CLOSING.match(lines[index]) and len(lines[index]) <= 60 and all(
                len(line) <= 40 for line in lines[index + 1:]):
            del lines[index:]
            break
    else:
        if lines:
            lines[-1] = _TRAILING_CLOSING.sub("", lines[-1]).rstrip()
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _lines(text: str) -> list[str]:
    """Trimmed lines, without trailing spaces or runs of blank lines."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n")
             .strip().split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return kept


def _field(prefix: str, text: str) -> list[str]:
    lines = _lines(text)
    if not lines:
        return [f"{prefix}:"]
    return [f"{prefix}: {lines[0]}"] + [f"{INDENT}{line}" if line else "" for line in lines[1:]]


def soep_journal_text(question: str, answer: str, icpc: IcpcCode, when: date,
                      author_name: str, contact_kind: str = "E-consult", *,
                      patient_name: str = "", birth_date: date | str | None = None) -> str:
    """Plain text to paste into the HIS journal: the patient (name, birth date) when given, a
    heading line, then S (the question without greeting and closing), O, E and P."""
    lines: list[str] = []
    if patient_name.strip() or birth_date:
        patient = f"Patiënt: {patient_name.strip()}".rstrip()
        if birth_date:
            born = f"{birth_date:%d-%m-%Y}" if isinstance(birth_date, date) else birth_date
            patient += f", geb. {born}" if patient_name.strip() else f" geb. {born}"
        lines.append(patient)
    heading = f"{contact_kind} {when:%d-%m-%Y} {icpc.code} {icpc.title}"
    if author_name.strip():
        heading += f" ({author_name.strip()})"
    lines.append(heading)
    lines += _field("S", strip_salutations(question))
    # Nothing was examined in a written consult; another kind of contact leaves O open.
    lines.append("O: n.v.t. (e-consult)" if _fold(contact_kind) == "e-consult" else "O:")
    lines.append(f"E: {icpc.code} {icpc.title}")
    lines += _field("P", answer)
    return "\n".join(lines) + "\n"
