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
                      author_name: str, contact_kind: str = "E-consult") -> str:
    """Plain text to paste into the HIS journal: a heading line, then S, O, E and P."""
    heading = f"{contact_kind} {when:%d-%m-%Y} {icpc.code} {icpc.title}"
    if author_name.strip():
        heading += f" ({author_name.strip()})"
    lines = [heading]
    lines += _field("S", question)
    # Nothing was examined in a written consult; another kind of contact leaves O open.
    lines.append("O: n.v.t. (e-consult)" if _fold(contact_kind) == "e-consult" else "O:")
    lines.append(f"E: {icpc.code} {icpc.title}")
    lines += _field("P", answer)
    return "\n".join(lines) + "\n"
