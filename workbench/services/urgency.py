"""Urgency advice: alarm phrases in a patient's text, a baby with fever, a second contact."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from workbench.resources import RESOURCE_DIR


@dataclass(frozen=True)
class AlarmMatch:
    category: str  # chest_pain, breathing, neurological, ... (the UI names them in Dutch)
    words: str     # the words as the patient wrote them

    def as_json(self) -> dict[str, str]:
        return {"category": self.category, "words": self.words}


class UrgencyAdvisor:
    """Checks texts against the alarm phrases in `resources/alarm_phrases.json`."""

    def __init__(self, rules_file: Path = RESOURCE_DIR / "alarm_phrases.json") -> None:
        data = json.loads(Path(rules_file).read_text(encoding="utf-8"))
        self._rules = [(rule["category"], _compile(rule["patterns"]))
                       for rule in data["rules"]]
        baby = data["baby_fever"]
        self._baby = (baby["category"], baby["max_age_days"], _compile(baby["patterns"]))
        second = data["second_contact"]
        self.second_contact = (second["category"], timedelta(days=second["within_days"]))
        self._ignore_words = frozenset(second["ignore_words"])

    def check(self, text: str, birth_date: date | None = None,
              sent: datetime | None = None) -> list[AlarmMatch]:
        lowered = text.lower()
        rules = list(self._rules)
        category, max_days, pattern = self._baby
        if birth_date is not None and sent is not None and \
                (sent.date() - birth_date).days <= max_days:
            rules.append((category, pattern))
        matches = []
        for category, pattern in rules:
            found = _search_word_start(pattern, lowered)
            if found:
                # The patient's own words, as written, where lowercasing kept the positions.
                words = text[found.start():found.end()] if len(lowered) == len(text) \
                    else found.group(0)
                matches.append(AlarmMatch(category, words))
        return matches

    def is_second_contact(self, received: datetime, subject: str,
                          earlier: list[tuple[datetime, str]]) -> bool:
        """Another e-consult of the same patient shortly before this one, about the same
        complaint (their subjects share a meaningful word)."""
        window = self.second_contact[1]
        words = self._complaint_words(subject)
        return any(timedelta(0) < received - when <= window and
                   words & self._complaint_words(other) for when, other in earlier)

    def _complaint_words(self, subject: str) -> set[str]:
        return {w for w in re.findall(r"\w{4,}", subject.lower()) if w not in self._ignore_words}


def _compile(patterns: list[str]) -> re.Pattern[str]:
    # Matched against lowercased text, without a leading \b: then the regex engine can skip
    # ahead on the alternatives' first letters, several times faster on ordinary messages.
    return re.compile("|".join(f"(?:{p.lower()})" for p in patterns))


def _search_word_start(pattern: re.Pattern[str], lowered: str) -> re.Match[str] | None:
    """The first match that starts at the beginning of a word."""
    for found in pattern.finditer(lowered):
        start = found.start()
        if start == 0 or not lowered[start - 1].isalnum():
            return found
    return None


@lru_cache(maxsize=1)
def default_advisor() -> UrgencyAdvisor:
    return UrgencyAdvisor()
