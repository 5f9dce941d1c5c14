"""Picks the patient's questions out of a Dutch message, so the answer can cover each one."""

from __future__ import annotations

import re
import unicodedata

QUESTION_WORDS = frozenset({
    "wat", "wanneer", "waarom", "hoe", "hoeveel", "hoelang", "wie", "welke", "welk", "waar",
    "waarmee", "waarvoor", "waardoor", "waarop", "hoezo",
})

QUESTION_VERBS = frozenset({
    "kan", "kun", "kunt", "kunnen", "mag", "mogen", "moet", "moeten", "zal", "zullen", "zou",
    "zouden", "zijn", "is", "heb", "hebt", "heeft", "hebben", "wilt", "wil", "willen", "weet",
    "weten", "klopt", "doe", "doet", "gaat", "ga", "gaan", "ben", "bent", "helpt", "werkt",
})

# What follows a verb that opens a question: a subject.
SUBJECTS = frozenset({
    "ik", "u", "je", "jij", "jullie", "het", "dit", "dat", "er", "we", "wij", "ze", "zij", "hij",
    "mijn", "m'n", "mn", "onze", "ons", "uw", "de", "deze", "die", "een", "zo'n", "hier",
    "daar", "dokter", "iemand", "iets",
})

# A question word followed by one of these opens a clause, not a question ("Wanneer ik slik...").
CLAUSE_SUBJECTS = frozenset({"ik", "je", "jij", "u", "hij", "zij", "ze", "we", "wij", "het",
                             "jullie", "mijn", "m'n"})

PHRASES = re.compile(
    r"\b(?:vraag (?:ik )?(?:me|mij) af|vroeg (?:ik )?(?:me|mij) af|vragen (?:we |wij )?ons af"
    r"|graag (?:weten|horen)|(?:weten|horen) graag"
    r"|(?:graag hoor ik|hoor (?:ik )?graag) (?:of|wanneer|hoe|wat|waarom|welke|hoeveel)"
    r"|wil(?:de|len)? (?:ik |we |wij )?(?:graag |even )?weten"
    r"|is het mogelijk|zou het mogelijk zijn|mijn vraag is"
    r"|(?:kunt|kan|wilt|zou|zoudt) u\b.*\blaten weten)\b")

GREETING = re.compile(
    r"^(?:hallo|hoi|beste|geachte|goedemorgen|goedemiddag|goedenavond|dag|hey|hi)\b"
    r"(?:\s+[\w.'-]+){0,3}\s*,\s*",
    re.IGNORECASE)
CLOSING = re.compile(r"^(?:groet|groetjes|gr\b|mvg|met vriendelijke|vriendelijke groet|"
                     r"alvast bedankt|bedankt|dank|dankjewel|dankuwel)", re.IGNORECASE)

# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = ("bijv", "bv", "o.a", "d.w.z", "evt", "ca", "dr", "mw", "mevr", "dhr", "nr",
                 "enz", "i.v.m", "m.b.t", "z.s.m", "etc", "incl", "excl", "t/m", "ong", "max",
                 "min")
_ABBREVIATION_END = re.compile(
    r"(?:^|[\s(])(?:" + "|".join(re.escape(a) for a in ABBREVIATIONS) + r")\.$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…]+[)\"'»]*(?=\s|$)")
_BULLET = re.compile(r"^(?:[-*•·>]+\s*|\(?\d{1,2}[.)]\s+|vraag\s*\d*\s*:\s*)", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9']+")


def extract_questions(text: str) -> list[str]:
    """The questions in a patient's message, in order, trimmed, each once."""
    found: list[str] = []
    seen: set[str] = set()
    for sentence in _sentences(text):
        question = _question_in(sentence)
        if question is None:
            continue
        identity = " ".join(_WORD.findall(_fold(question)))
        if identity and identity not in seen:
            seen.add(identity)
            found.append(question)
    return found


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _sentences(text: str) -> list[str]:
    """Lines, each split after . ! ? where a space or the line's end follows."""
    sentences: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        start = 0
        for match in _SENTENCE_END.finditer(line):
            piece = line[start:match.end()]
            if match.group(0) == "." and _ABBREVIATION_END.search(piece.rstrip()):
                continue
            sentences.append(piece)
            start = match.end()
        sentences.append(line[start:])
    return [s for s in (_tidy(s) for s in sentences) if s]


def _tidy(sentence: str) -> str:
    sentence = _BULLET.sub("", sentence.strip()).strip()
    rest = GREETING.sub("", sentence, count=1).strip()
    return rest if rest and rest != sentence else sentence


def _question_in(sentence: str) -> str | None:
    """The sentence, or its trailing clause, when it asks something; None otherwise."""
    if CLOSING.match(sentence):
        return None
    if sentence.rstrip(" )(:;-").endswith("?"):
        return _drop_closing(sentence)
    if sentence.rstrip(" )(:;-").endswith("!"):  # "Wat fijn dat het kan!" exclaims
        return sentence if PHRASES.search(_fold(sentence)) else None
    if _asks(sentence):
        return _drop_closing(sentence)
    # "ik heb al dagen keelpijn, moet ik langskomen": the question is the clause after a comma.
    for match in re.finditer(r"[,:;]\s*", sentence):
        clause = sentence[match.end():]
        if clause and _opens_question(_words(clause)):
            return _drop_closing(clause)
    return None


def _drop_closing(clause: str) -> str:
    parts = re.split(r",\s*", clause)
    while len(parts) > 1 and CLOSING.match(parts[-1]):
        parts.pop()
    return ", ".join(parts).strip()


def _words(sentence: str) -> list[str]:
    return _WORD.findall(_fold(sentence))


def _asks(sentence: str) -> bool:
    folded = _fold(sentence)
    return _opens_question(_words(sentence)) or PHRASES.search(folded) is not None


def _opens_question(words: list[str]) -> bool:
    if len(words) < 2:
        return False
    first, second = words[0], words[1]
    if first in QUESTION_WORDS:
        return second not in CLAUSE_SUBJECTS
    if first in QUESTION_VERBS and second in SUBJECTS:
        # "Heb ik al geprobeerd." and "Weet ik niet." are a statement without its subject, not a question.
        return not (first in ("heb", "ben", "weet", "doe") and second == "ik" and
                    len(words) > 2 and
                    words[2] in ("al", "ook", "niet", "gisteren", "vandaag", "nooit", "eerder"))
    return False
