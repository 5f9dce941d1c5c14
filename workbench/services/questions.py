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

# Patients run questions together without punctuation ("hoe lang moet ik dit nog innemen en
# mag ik ook paracetamol", "ik heb maagzuur mag ik rennie nemen"). Inside a sentence a new
# question starts with one of these verbs and a pronoun ("mag ik", "is dat", "kunt u"), or a
# question word with a verb close after it ("wat kan", "hoe lang duurt", "welke zalf kan").
RUN_ON_VERBS = frozenset({
    "kan", "kun", "kunt", "kunnen", "mag", "mogen", "moet", "moeten", "hoef", "hoeft", "zal",
    "zullen", "zou", "zouden", "wil", "wilt", "is", "zijn", "klopt", "weet", "werkt", "helpt",
})
RUN_ON_SUBJECTS = frozenset({"ik", "u", "je", "jij", "jullie", "we", "wij", "ze", "zij", "hij",
                             "het", "dit", "dat", "er"})
FINITE_VERBS = QUESTION_VERBS | RUN_ON_VERBS | frozenset({
    "duurt", "duren", "komt", "komen", "zit", "zitten", "gebeurt", "kost", "kosten", "hoeven",
    "krijg", "krijgt", "neem", "neemt", "word", "wordt", "worden", "begint", "betekent",
    "zie", "ziet", "vind", "vindt", "bel", "belt", "help", "werken", "helpen", "hoort", "heet",
    "betekend", "gebeurd",  # the d/t slip patients often make
})
# Where a verb and pronoun in mid-sentence are the word order of a statement, not a question:
# after a subject or object ("dat kan ik niet"), or after a time or other fronted word
# ("sinds vrijdag kan ik", "daarom moet ik").
NO_QUESTION_AFTER = frozenset({
    "ik", "u", "je", "jij", "jullie", "we", "wij", "ze", "zij", "hij", "het", "dit", "dat", "er",
    "die", "deze", "wat", "wie", "of", "als", "omdat", "want", "dus", "nu", "toen", "dan",
    "daarna", "daarom", "daardoor", "hierdoor", "sindsdien", "soms", "vaak", "ook", "nog", "al",
    "wel", "niet", "eerst", "verder", "inmiddels", "ineens", "opeens", "meestal", "altijd",
    "nooit", "zo", "hier", "daar", "misschien", "helaas", "gelukkig", "eigenlijk", "echter",
    "ondertussen", "eerder", "later", "gisteren", "gister", "eergisteren", "vandaag", "morgen",
    "vanochtend", "vanmorgen", "vanmiddag", "vanavond", "vannacht", "straks", "avonds",
    "nachts", "ochtends", "morgens", "middags", "dag", "dagen", "week", "weken", "maand",
    "maanden", "jaar", "jaren", "uur", "uren", "minuten", "maandag", "dinsdag", "woensdag",
    "donderdag", "vrijdag", "zaterdag", "zondag", "weekend", "keer", "tijd",
})
# A sentence that opens with one of these puts its main verb before its subject: "sinds ik de
# pil gebruik kan ik slecht slapen" states something.
SUBORDINATORS = frozenset({"sinds", "als", "omdat", "doordat", "nadat", "toen", "zodra",
                           "terwijl", "hoewel", "zodat", "voordat", "wanneer"})
_DETERMINERS = frozenset({"de", "het", "een", "mijn", "m'n", "mn", "onze", "ons", "uw", "die",
                          "deze", "dat", "dit", "zijn", "haar"})
FILLERS = frozenset({"ook", "verder", "dan", "daarnaast", "tevens", "nog", "dus", "even"})

# A question word followed by one of these opens a clause, not a question ("Wanneer ik slik...").
CLAUSE_SUBJECTS = frozenset({"ik", "je", "jij", "u", "hij", "zij", "ze", "we", "wij", "het",
                             "jullie", "mijn", "m'n"})

PHRASES = re.compile(
    r"\b(?:vraag (?:ik )?(?:me|mij) af|vroeg (?:ik )?(?:me|mij) af|vragen (?:we |wij )?ons af"
    r"|graag (?:weten|horen)|(?:weten|horen) graag"
    r"|(?:graag hoor ik|hoor (?:ik )?graag) (?:of|wanneer|hoe|wat|waarom|welke|hoeveel)"
    r"|wil(?:de|len)? (?:ik |we |wij )?(?:graag |even )?weten"
    r"|(?:wil(?:de|len)?|wou|zou) (?:ik |u |je )?(?:graag |even |nog |u )?(?:iets )?vragen\b"
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
_TRAILING_CLOSING = re.compile(
    r"\s+(?:groetjes|groet|gr|mvg|met vriendelijke groet|vriendelijke groet|alvast bedankt|"
    r"bij voorbaat dank|dank u wel|dankuwel|dankjewel|bedankt)\b(?!.*\?).*$", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def extract_questions(text: str) -> list[str]:
    """The questions in a patient's message, in order, trimmed, each once."""
    found: list[str] = []
    seen: set[str] = set()
    for sentence in _sentences(text):
        for part in _run_on_parts(sentence):
            question = _question_in(part)
            if question is None:
                continue
            identity = " ".join(_WORD.findall(_fold(question)))
            if identity and identity not in seen:
                seen.add(identity)
                found.append(question)
    return found


def _run_on_parts(sentence: str) -> list[str]:
    """A sentence cut where a next question starts: after a comma, colon or semicolon, after
    "en" or "maar", or with no word between at all, as patients write."""
    tokens = list(_TOKEN.finditer(sentence))
    words = [_fold(token.group(0)) for token in tokens]
    parts: list[str] = []
    part_start = 0  # where the current part starts in the sentence
    # A part opening with a question word ("hoe lang moet ik") or a subordinator ("sinds ik
    # ... kan ik") has a verb and subject of its own still to come: not a new question.
    asking = bool(words) and words[0] in QUESTION_WORDS
    subordinate = _subordinate(words)
    for i in range(1, len(tokens)):
        if words[i - 1] in ("en", "maar") or words[i - 1] in FILLERS and i > 1 and \
                words[i - 2] in ("en", "maar"):
            continue  # the decision is taken at the first of these words
        opener = i
        joined = words[i] in ("en", "maar")
        if joined:
            opener += 1
        while opener < len(words) and words[opener] in FILLERS and (joined or opener > i):
            opener += 1
        rest = words[opener:]
        gap = sentence[tokens[i - 1].end():tokens[i].start()]
        if any(mark in gap for mark in ",;:"):
            cut = _opens_question(rest) or _phrase_at(rest)
        elif joined:
            cut = _opens_run_on(rest) or _phrase_at(rest)
        elif asking and words[i] in FINITE_VERBS:
            asking = cut = False
        else:
            cut = words[i - 1] not in NO_QUESTION_AFTER and not words[i - 1].isdigit() \
                and _opens_run_on(rest)
            if cut and subordinate:  # its main clause, a question only with "dan" after it:
                subordinate = False    # "als de pijn erger wordt moet ik dan bellen"
                cut = rest[2:3] == ["dan"]
        if not cut:
            continue
        before = sentence[part_start:tokens[i - 1].end()].strip()
        if before:
            parts.append(before)
        part_start = tokens[opener].start()
        asking, subordinate = words[opener] in QUESTION_WORDS, _subordinate(words[opener:])
    parts.append(sentence[part_start:].strip())
    return [part for part in parts if part]


def _subordinate(words: list[str]) -> bool:
    """Whether words open a subordinate clause: "als de pijn", "sinds ik" (but "sinds de
    operatie" is a time, like "sinds vrijdag")."""
    if len(words) < 2 or words[0] not in SUBORDINATORS:
        return False
    return words[1] in CLAUSE_SUBJECTS or words[0] != "sinds" and words[1] in _DETERMINERS


def _opens_run_on(words: list[str]) -> bool:
    """Whether words inside a sentence start a question of their own."""
    if len(words) < 2:
        return False
    if words[0] in QUESTION_WORDS:
        return words[1] not in CLAUSE_SUBJECTS and any(w in FINITE_VERBS for w in words[1:3])
    return words[0] in RUN_ON_VERBS and words[1] in RUN_ON_SUBJECTS


def _phrase_at(words: list[str]) -> bool:
    """An indirect question starting here, its subject first or not: "ik wil graag weten"."""
    start = 1 if words[:1] and words[0] in ("ik", "we", "wij") else 0
    return PHRASES.match(" ".join(words[start:start + 12])) is not None


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
    clause = ", ".join(parts).strip()
    # "mag ik rennie nemen groetjes anouk": a closing without a comma, in the last words.
    tail = _TRAILING_CLOSING.search(clause)
    if tail and len(_words(clause[tail.start():])) <= 6 and _words(clause[:tail.start()]):
        clause = clause[:tail.start()].strip()
    return clause


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
