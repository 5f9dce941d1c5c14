"""Who the message is about and how old: from the patient record and from the text, so that a
parent writing from their own account about 'onze baby van 7 weken' still gets infant rules."""

from __future__ import annotations

import re

_NUMBER_WORDS = {
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "anderhalf": 1.5, "anderhalve": 1.5, "half": 0.5, "een half": 0.5,
    "een paar": 2, "paar": 2,
}
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30.44, "j": 365.25}
_NUM = r"(\d{1,3}(?:[.,]5)?|een half|een paar|" + "|".join(
    sorted((w for w in _NUMBER_WORDS if " " not in w), key=len, reverse=True)) + ")"
_UNIT = (r"(dagen|dag|dgn|dagjes|weken|week|weekjes|weekies|wkn|wk|w|maanden|maand|maandjes|maandjes|maandies|mnd|mndn|mnden|"
         r"jaren|jaar|jaartje|jr|j)\b")
_WHO = (r"(baby'tje|babytje|babietje|baby|ukkie|kleintje|kleine|zuigeling|zoon|zoontje|dochter|dochtertje|kind|kindje|meisje|meid|jongen|"
        r"jongetje|ventje|mannetje|kleinzoon|kleindochter|broertje|zusje|neefje|nichtje|peuter|"
        r"dreumes|kleuter|tweeling|pleegzoon|pleegdochter|pleegkind|man|vrouw|partner|vader|"
        r"moeder|schoonvader|schoonmoeder|opa|oma|pa|ma|patiënt|patient|cliënt|client|buurman|"
        r"buurvrouw)")
# "dochter van 5 maanden", "zoon van 2", "baby (7 weken)", "vader, 82 jaar", "kind van 2,5 jr".
_NOUN_AGE = re.compile(rf"\b{_WHO}\s*(?:\(|,|van|is|wordt|werd)?\s*(?:pas|net|bijna|ruim|ongeveer)?\s*"
                       rf"{_NUM}\s*(?:-\s*)?(?:{_UNIT})?(?!\s*(?:zwanger|kilo|kg|cm|gram|keer|x|uur|min))",
                       re.IGNORECASE)
# "7 weken oud", "is 6 weken en", "2-jarige", "3 maanden oude baby".
_OLD = re.compile(rf"\b{_NUM}\s*(?:-\s*)?{_UNIT}\s+oud", re.IGNORECASE)
# Not "ik ben 35 weken": that is a pregnancy.
_IS_AGE = re.compile(rf"\b(?:is|wordt)\s+(?:pas|net|nog maar|bijna)?\s*{_NUM}\s*{_UNIT}"
                     r"(?=\s*(?:oud|en\b|[,.;:!?)]|$))", re.IGNORECASE)
_I_AM = re.compile(r"\b(?:ik ben|ben ik|ik word|ben)\s+(\d{1,3})(?:\s*(?:jaar|jr)\b|(?=\s*(?:oud\b|en\b|[,.;:!?)]|$)))",
                   re.IGNORECASE)
_JARIGE = re.compile(rf"\b{_NUM}\s*-?\s*(jarige|jarig|maands|maandse|weekse|weeks)\b", re.IGNORECASE)
_BORN = re.compile(r"\b(?:geboren|bevallen)\s+(?:op\s+|sinds\s+)?(\d{1,2})\s+(dagen|weken|maanden)"
                   r"\s+geleden", re.IGNORECASE)


def _number(text: str) -> float | None:
    text = text.lower()
    if text in _NUMBER_WORDS:
        return _NUMBER_WORDS[text]
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _days(number: str, unit: str | None, default_unit: str = "j") -> int | None:
    value = _number(number)
    if value is None:
        return None
    key = (unit or default_unit).lower()[0]
    if key == "m" and (unit or "").lower().startswith("min"):
        return None
    days = round(value * _UNIT_DAYS.get(key, 365.25))
    return days if 0 <= days <= 120 * 365 else None


def ages_in_text(text: str) -> list[int]:
    """Every age the text states, in days, in order of appearance."""
    found: list[tuple[int, int]] = []
    for match in _NOUN_AGE.finditer(text):
        number, unit = match.group(2), match.group(3)
        value = _number(number)
        if unit is None and (value is None or value > 110 or value != int(value) and value > 20):
            continue
        if days := _days(number, unit):
            found.append((match.start(), days))
    for pattern in (_OLD, _IS_AGE):
        for match in pattern.finditer(text):
            if (days := _days(match.group(1), match.group(2))) is not None:
                found.append((match.start(), days))
    for match in _JARIGE.finditer(text):
        unit = match.group(2).lower()
        if (days := _days(match.group(1), {"j": "jaar", "m": "maand", "w": "week"}[unit[0]])) is not None:
            found.append((match.start(), days))
    for match in _I_AM.finditer(text):
        if (days := _days(match.group(1), "jaar")) is not None:
            found.append((match.start(), days))
    for match in _BORN.finditer(text):
        if (days := _days(match.group(1), match.group(2))) is not None:
            found.append((match.start(), days))
    seen, ages = set(), []
    for _pos, days in sorted(found):
        if days not in seen:
            seen.add(days)
            ages.append(days)
    return ages


def _has_word(text_lower: str, words: list[str]) -> bool:
    return any(re.search(rf"\b{re.escape(w)}\b", text_lower) for w in words)


def subject_ages(text: str, record_age_days: int | None, writer: str,
                 ages_config: dict) -> tuple[int, ...]:
    """The ages that may belong to the person the message is about; empty when unknown.

    The text wins over the record: a parent often writes from their own account. A child
    word without an age ('mijn zoontje') makes an adult record's age unusable."""
    if from_text := ages_in_text(text):
        return tuple(from_text)
    lower = text.lower()
    if _has_word(lower, ages_config["newborn_words"]):
        return (int(ages_config["newborn_age_days"]),)
    adult_record = record_age_days is not None and record_age_days >= 16 * 365
    if adult_record and writer in ("patient", "partner", "other") and \
            _has_word(lower, ages_config["child_words"]):
        return ()
    if record_age_days is not None:
        return (record_age_days,)
    if _has_word(lower, ages_config["elderly_words"]):
        return (int(ages_config["elderly_age_days"]),)
    return ()
