"""Standard answers: variables filled from the patient and practice, search, import and export."""

from __future__ import annotations

import json
import os
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workbench.resources import RESOURCE_DIR
from workbench.store.models import AnswerTemplate, TemplateScope

SHIPPED_FOLDER = RESOURCE_DIR / "templates"

KNOWN_VARIABLES = frozenset({
    "aanhef", "patient", "voornaam", "medewerker", "functie", "praktijk", "praktijk_telefoon",
    "huisartsenpost_telefoon", "datum",
})

# {name}, {name|fallback} and {datum+N}; anything else between braces is plain text.
VARIABLE = re.compile(r"\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<days>\+\d{1,4})?"
                      r"(?:\|(?P<fallback>[^{}|\n]*))?\}")

ROLE_TITLES = {"huisarts": "huisarts", "poh": "praktijkondersteuner",
               "assistent": "doktersassistent"}

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")

_LIMITS = {"key": 80, "category": 80, "name": 200, "keywords": 500}
_EDITABLE = ("scope", "owner_id", "category", "name", "keywords", "body")


class TemplateError(Exception):
    """A template action that cannot be done; `code` tells the UI which message to show."""

    def __init__(self, code: str, detail: str | None = None) -> None:
        super().__init__(code if detail is None else f"{code}: {detail}")
        # "unknown_variable", "not_found", "owner_required", "invalid_field", "invalid_file"
        self.code = code
        self.detail = detail  # the variable or field concerned, if any


class TemplateNotAllowed(TemplateError):
    """This template may not be sent about this patient: code "too_young" (a child younger
    than the template's minimum age, such as fever under 3 months: a GP sees that child
    today)."""

    def __init__(self, key: str, min_age_months: int, age_months: int) -> None:
        super().__init__("too_young", key)
        self.key = key
        self.min_age_months = min_age_months
        self.age_months = age_months


@dataclass(frozen=True)
class RenderContext:
    patient_name: str | None = None
    patient_given: str | None = None
    patient_family: str | None = None
    patient_gender: str | None = None  # "male", "female", other or None
    author_name: str | None = None
    author_role: str | None = None     # store Role value: "huisarts", "poh", "assistent"
    practice_name: str | None = None
    practice_phone: str | None = None
    today: date = field(default_factory=date.today)  # callers pass their clock's date
    out_of_hours_phone: str | None = None  # the huisartsenpost (evening, night, weekend)
    patient_birth_date: date | None = None
    # A parent or carer who wrote on the patient's behalf: the greeting is to them.
    writer_name: str | None = None


@dataclass(frozen=True)
class UnresolvedVariable:
    name: str   # as written, e.g. "praktijk_telefoon" or "datum+7"
    start: int  # position in the text of the opening brace
    end: int    # position just after the closing brace


@dataclass(frozen=True)
class TemplateInfo:
    id: int
    key: str
    scope: TemplateScope
    owner_id: int | None
    category: str
    name: str
    keywords: str
    body: str
    use_count: int


# -- variables ---------------------------------------------------------------------------------
def dutch_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def variables_in(body: str) -> list[str]:
    """The variable names a body uses, in order (datum+N as "datum")."""
    return [m.group("name") for m in VARIABLE.finditer(body)]


def check_variables(body: str) -> None:
    """Raises TemplateError("unknown_variable") for a variable name this version cannot fill."""
    for match in VARIABLE.finditer(body):
        name = match.group("name")
        if name not in KNOWN_VARIABLES or (match.group("days") and name != "datum"):
            raise TemplateError("unknown_variable", match.group(0))


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _capitalise_family(family: str) -> str:
    # "van der Berg" after "mevrouw" is written "Van der Berg".
    return family[:1].upper() + family[1:]


def _full_name(context: RenderContext) -> str | None:
    name = _clean(context.patient_name)
    if name:
        return name
    parts = [p for p in (_clean(context.patient_given), _clean(context.patient_family)) if p]
    return " ".join(parts) or None


def _salutation(context: RenderContext) -> str | None:
    writer = _clean(context.writer_name)
    if writer:
        return f"Beste {writer}"
    gender = (context.patient_gender or "").strip().lower()
    family = _clean(context.patient_family)
    if family and gender in ("male", "female"):
        title = "meneer" if gender == "male" else "mevrouw"
        return f"Beste {title} {_capitalise_family(family)}"
    full = _full_name(context)
    return f"Beste {full}" if full else None


def _value(name: str, days: int, context: RenderContext) -> str | None:
    if name == "aanhef":
        return _salutation(context)
    if name == "patient":
        return _full_name(context)
    if name == "voornaam":
        return _clean(context.patient_given)
    if name == "medewerker":
        return _clean(context.author_name)
    if name == "functie":
        role = getattr(context.author_role, "value", context.author_role)
        return ROLE_TITLES.get(role) if isinstance(role, str) else None
    if name == "praktijk":
        return _clean(context.practice_name)
    if name == "praktijk_telefoon":
        return _clean(context.practice_phone)
    if name == "huisartsenpost_telefoon":
        return _clean(context.out_of_hours_phone)
    if name == "datum":
        return dutch_date(context.today + timedelta(days=days))
    raise TemplateError("unknown_variable", name)


def render(body: str, context: RenderContext) -> str:
    """Fills the variables; one that cannot be filled and has no fallback stays as written."""
    check_variables(body)

    def fill(match: re.Match[str]) -> str:
        days = int(match.group("days")[1:]) if match.group("days") else 0
        value = _value(match.group("name"), days, context)
        if value is not None:
            return value
        fallback = match.group("fallback")
        return fallback if fallback is not None else match.group(0)

    return VARIABLE.sub(fill, body)


def find_unresolved(text: str) -> list[UnresolvedVariable]:
    """Variables still in a text (sending waits until there are none)."""
    return [UnresolvedVariable(m.group("name") + (m.group("days") or ""), m.start(), m.end())
            for m in VARIABLE.finditer(text)]


# -- safety-netting ----------------------------------------------------------------------------
# The parts of a safety-net every answer about a complaint has, in the order they are checked.
SAFETY_NET_PARTS = ("watch_for", "call_at_once", "office_hours", "out_of_hours",
                    "life_threatening")
_AT_ONCE = re.compile(r"\b(?:direct|meteen)\b")
_CALL = re.compile(r"\bbel(?:t|len)?\b")
_EMERGENCY = re.compile(r"(?<!\d)112(?!\d)")


def safety_net_gaps(body: str, watch_for: Sequence[str]) -> list[str]:
    """The safety-net parts (SAFETY_NET_PARTS) an answer's text lacks: the signs to watch for
    (`watch_for`, each literally in the text), a line that names one of those signs and says
    to call at once ("direct", "meteen"), and whom to call: a line with {praktijk_telefoon}
    for daytime on working days ("overdag"), one with {huisartsenpost_telefoon} for the
    evening, night and weekend, and one with 112 when life is in danger ("gevaar")."""
    lines = [" ".join(fold(line).split()) for line in body.splitlines()]
    signs = [" ".join(fold(sign).split()) for sign in watch_for if sign.strip()]
    checks = {
        "watch_for": bool(signs) and all(any(s in line for line in lines) for s in signs),
        "call_at_once": any(any(s in line for s in signs) and _AT_ONCE.search(line)
                            and _CALL.search(line) for line in lines),
        "office_hours": any("{praktijk_telefoon}" in line and "overdag" in line
                            for line in lines),
        "out_of_hours": any("{huisartsenpost_telefoon}" in line and "huisartsenpost" in
                            line.replace("{huisartsenpost_telefoon}", "") and
                            all(w in line for w in ("avond", "nacht", "weekend"))
                            for line in lines),
        "life_threatening": any(_EMERGENCY.search(line) and "gevaar" in line
                                for line in lines),
    }
    return [part for part in SAFETY_NET_PARTS if not checks[part]]


# -- who a template may be sent about ----------------------------------------------------------
def months_old(birth_date: date, today: date) -> int:
    """Whole months of age on `today` (0 in the first month)."""
    return max(0, (today.year - birth_date.year) * 12 + today.month - birth_date.month
               - (today.day < birth_date.day))


@lru_cache(maxsize=4)
def _age_rules(folder: str) -> dict[str, tuple[int, tuple[str, ...]]]:
    """Shipped templates with a minimum age: key -> (months, fingerprints of the text). The
    former shipped texts count too: a draft saved before an update still holds them."""
    return {entry["key"]: (entry["min_age_months"],
                           tuple(dict.fromkeys(print_ for text in
                                               (entry["body"], *entry["previous_bodies"])
                                               for print_ in _fingerprints(text))))
            for entry in load_shipped(Path(folder)) if entry.get("min_age_months")}


def _squash(text: str) -> str:
    return " ".join(fold(text).split())


def _fingerprints(body: str) -> tuple[str, ...]:
    """Its paragraphs without variables (40 characters or more): how the template's text is
    recognised in an answer, also after a draft was restored (nobody remembers which template
    it was) or when some of it was cut."""
    paragraphs = [p for p in re.split(r"\n\s*\n", body) if not VARIABLE.search(p)]
    return tuple(_squash(p) for p in paragraphs if len(p.strip()) >= 40)


def age_rule_keys(folder: Path = SHIPPED_FOLDER) -> list[str]:
    """Keys of the shipped templates that have a minimum age."""
    return sorted(_age_rules(str(folder)))


def min_age_months(key: str, folder: Path = SHIPPED_FOLDER) -> int | None:
    rule = _age_rules(str(folder)).get(key)
    return rule[0] if rule else None


def check_age(key: str, birth_date: date | None, today: date,
              folder: Path = SHIPPED_FOLDER) -> None:
    """Raises TemplateNotAllowed when the patient is younger than the template allows; an
    unknown birth date does not block."""
    minimum = min_age_months(key, folder)
    if minimum is None or birth_date is None:
        return
    age = months_old(birth_date, today)
    if age < minimum:
        raise TemplateNotAllowed(key, minimum, age)


def check_answer_age(text: str, template_keys: Iterable[str], birth_date: date | None,
                     today: date, extra_bodies: dict[str, str] | None = None,
                     folder: Path = SHIPPED_FOLDER) -> None:
    """The age rules for an answer about to be sent: each template it was made from (by key)
    or whose text it contains (the shipped text, or the practice's version in
    `extra_bodies` {key: body}). Raises TemplateNotAllowed."""
    if birth_date is None:
        return
    squashed = _squash(text)
    keys = set(template_keys)
    for key, (_months, prints) in _age_rules(str(folder)).items():
        prints = prints + _fingerprints((extra_bodies or {}).get(key, ""))
        if key in keys or any(p and p in squashed for p in prints):
            check_age(key, birth_date, today, folder)


# -- search helpers ----------------------------------------------------------------------------
def fold(text: str) -> str:
    """Case- and accent-insensitive form: "Crème" and "creme" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def grouped(results: Sequence[TemplateInfo]) -> list[tuple[str, list[TemplateInfo]]]:
    """Results by category, categories in the order of their best hit."""
    groups: dict[str, list[TemplateInfo]] = {}
    for info in results:
        groups.setdefault(info.category, []).append(info)
    return list(groups.items())


def _keywords_text(keywords: str | Iterable[str] | None) -> str:
    if keywords is None:
        return ""
    if isinstance(keywords, str):
        return keywords.strip()
    return ", ".join(str(k).strip() for k in keywords if str(k).strip())


def _info(row: AnswerTemplate) -> TemplateInfo:
    return TemplateInfo(row.id, row.key, TemplateScope(row.scope), row.owner_id, row.category,
                        row.name, row.keywords or "", row.body, row.use_count or 0)


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:50] or "sjabloon"


# -- the service -------------------------------------------------------------------------------
class TemplateService:
    def __init__(self, engine: Engine, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self._engine = engine
        self._clock = clock

    # -- shipped templates ---------------------------------------------------------------------
    def ensure_shipped(self, folder: Path = SHIPPED_FOLDER) -> int:
        """Adds the shipped practice templates whose key is not in the store yet."""
        entries = load_shipped(folder)
        for attempt in range(2):
            try:
                with Session(self._engine) as session, session.begin():
                    rows = {row.key: row for row in session.scalars(select(AnswerTemplate))}
                    existing = set(rows)
                    added = 0
                    for entry in entries:
                        if entry["key"] in existing:
                            # A shipped text improved since: replaced where the practice
                            # never changed it (its body is a former shipped one).
                            row = rows.get(entry["key"])
                            if row is not None and row.body in entry["previous_bodies"]:
                                row.body = entry["body"]
                                row.updated_at = self._clock()
                            if row is not None and row.name in entry["previous_names"]:
                                row.name = entry["name"]
                                row.updated_at = self._clock()
                            continue
                        session.add(self._row(entry["key"], TemplateScope.PRACTICE, None,
                                              entry["category"], entry["name"],
                                              entry["keywords"], entry["body"]))
                        existing.add(entry["key"])
                        added += 1
                return added
            except IntegrityError:
                # Another workstation added them at the same moment: look again.
                if attempt:
                    raise
        return 0

    # -- search --------------------------------------------------------------------------------
    def visible(self, user_id: int | None) -> list[TemplateInfo]:
        """Practice templates plus the personal ones of `user_id`."""
        condition = AnswerTemplate.scope == TemplateScope.PRACTICE
        if user_id is not None:
            condition = or_(condition, (AnswerTemplate.scope == TemplateScope.PERSONAL) &
                            (AnswerTemplate.owner_id == user_id))
        with Session(self._engine) as session:
            return [_info(row) for row in session.scalars(
                select(AnswerTemplate).where(condition, AnswerTemplate.hidden.is_(False))
                .order_by(AnswerTemplate.id))]

    def search(self, query: str, user_id: int | None, limit: int = 50) -> list[TemplateInfo]:
        """Every word must occur in name, keywords, category or body; name and keyword hits
        first, then most used."""
        words = fold(query).split()
        ranked: list[tuple[int, int, str, int, TemplateInfo]] = []
        for info in self.visible(user_id):
            head = fold(f"{info.name} {info.keywords} {info.category}")
            body = fold(info.body)
            if not all(word in head or word in body for word in words):
                continue
            tier = 0 if all(word in head for word in words) else 1
            ranked.append((tier, -info.use_count, fold(info.name), info.id, info))
        ranked.sort(key=lambda item: item[:4])
        return [item[4] for item in ranked[:max(limit, 0)]]

    # -- editing -------------------------------------------------------------------------------
    def get(self, template_id: int) -> TemplateInfo:
        with Session(self._engine) as session:
            return _info(self._load(session, template_id))

    def create(self, scope: TemplateScope, owner_id: int | None, category: str, name: str,
               keywords: str | Iterable[str], body: str) -> TemplateInfo:
        scope = TemplateScope(scope)
        fields = self._validated({"scope": scope, "owner_id": owner_id, "category": category,
                                  "name": name, "keywords": keywords, "body": body})
        with Session(self._engine) as session, session.begin():
            key = self._free_key(session, f"{scope.value}-{_slug(fields['name'])}")
            row = self._row(key, **fields)
            session.add(row)
            session.flush()
            return _info(row)

    def update(self, template_id: int, **fields: Any) -> TemplateInfo:
        unknown = set(fields) - set(_EDITABLE)
        if unknown:
            raise TemplateError("invalid_field", min(unknown))
        with Session(self._engine) as session, session.begin():
            row = self._load(session, template_id)
            merged = {name: getattr(row, name) for name in _EDITABLE}
            merged.update(fields)
            merged["scope"] = TemplateScope(merged["scope"])
            for name, value in self._validated(merged).items():
                setattr(row, name, value)
            row.updated_at = self._clock()
            session.flush()
            return _info(row)

    def delete(self, template_id: int) -> None:
        """Removes a template; a shipped one is hidden instead, so it stays gone."""
        shipped = {entry["key"] for entry in load_shipped()}
        with Session(self._engine) as session, session.begin():
            row = self._load(session, template_id)
            if row.key in shipped:
                row.hidden = True
            else:
                session.delete(row)

    def record_use(self, template_id: int) -> None:
        with Session(self._engine) as session, session.begin():
            done = session.execute(update(AnswerTemplate)
                                   .where(AnswerTemplate.id == template_id)
                                   .values(use_count=AnswerTemplate.use_count + 1))
            if done.rowcount == 0:
                raise TemplateError("not_found")

    # -- files ---------------------------------------------------------------------------------
    def export_templates(self, path: Path, ids: list[int] | None = None) -> int:
        """Writes the given templates (default: all practice templates) as a JSON file."""
        with Session(self._engine) as session:
            statement = select(AnswerTemplate).order_by(AnswerTemplate.category,
                                                        AnswerTemplate.name)
            if ids is None:
                statement = statement.where(AnswerTemplate.scope == TemplateScope.PRACTICE)
            else:
                statement = statement.where(AnswerTemplate.id.in_(ids))
            rows = list(session.scalars(statement))
            if ids is not None and len(rows) != len(set(ids)):
                raise TemplateError("not_found")
            data = [{"key": r.key, "category": r.category, "name": r.name,
                     "keywords": r.keywords or "", "body": r.body,
                     "scope": TemplateScope(r.scope).value} for r in rows]
        path = Path(path)
        partial = path.with_name(path.name + ".part")
        partial.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                           encoding="utf-8")
        os.replace(partial, path)
        return len(data)

    def import_templates(self, path: Path, scope: TemplateScope,
                         owner_id: int | None = None) -> int:
        """Adds every template of a file made by export_templates, all or none."""
        scope = TemplateScope(scope)
        entries = _read_template_file(Path(path))
        checked = []
        for entry in entries:
            try:
                checked.append(self._validated({
                    "scope": scope, "owner_id": owner_id, "category": entry["category"],
                    "name": entry["name"], "keywords": entry.get("keywords", ""),
                    "body": entry["body"]}))
            except TemplateError as exc:
                if exc.code in ("owner_required", "unknown_variable"):
                    raise
                raise TemplateError("invalid_file", exc.detail) from exc
        with Session(self._engine) as session, session.begin():
            for entry, fields in zip(entries, checked):
                wanted = entry.get("key") or f"{scope.value}-{_slug(fields['name'])}"
                session.add(self._row(self._free_key(session, wanted), **fields))
                session.flush()
        return len(checked)

    # -- internals -----------------------------------------------------------------------------
    def _row(self, key: str, scope: TemplateScope, owner_id: int | None, category: str,
             name: str, keywords: str | Iterable[str], body: str) -> AnswerTemplate:
        return AnswerTemplate(key=key, scope=scope, owner_id=owner_id, category=category,
                              name=name, keywords=_keywords_text(keywords), body=body,
                              use_count=0, updated_at=self._clock())

    @staticmethod
    def _load(session: Session, template_id: int) -> AnswerTemplate:
        row = session.get(AnswerTemplate, template_id)
        if row is None:
            raise TemplateError("not_found")
        return row

    @staticmethod
    def _free_key(session: Session, wanted: str) -> str:
        wanted = wanted[:_LIMITS["key"]]
        taken = session.scalar(select(AnswerTemplate.id).where(AnswerTemplate.key == wanted))
        if taken is None:
            return wanted
        return f"{wanted[:_LIMITS['key'] - 9]}-{uuid.uuid4().hex[:8]}"

    @staticmethod
    def _validated(fields: dict[str, Any]) -> dict[str, Any]:
        scope = TemplateScope(fields["scope"])
        owner_id = fields.get("owner_id")
        if scope is TemplateScope.PERSONAL and owner_id is None:
            raise TemplateError("owner_required")
        if scope is TemplateScope.PRACTICE:
            owner_id = None
        out: dict[str, Any] = {"scope": scope, "owner_id": owner_id}
        for name in ("category", "name", "body"):
            value = fields.get(name)
            if not isinstance(value, str) or not value.strip():
                raise TemplateError("invalid_field", name)
            out[name] = value.strip() if name != "body" else value
        out["keywords"] = _keywords_text(fields.get("keywords"))
        for name in ("category", "name", "keywords"):
            if len(out[name]) > _LIMITS[name]:
                raise TemplateError("invalid_field", name)
        check_variables(out["body"])
        return out


def _read_template_file(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise TemplateError("invalid_file") from exc
    if not isinstance(data, list):
        raise TemplateError("invalid_file")
    for entry in data:
        if not isinstance(entry, dict) or \
                not all(isinstance(entry.get(f), str) for f in ("category", "name", "body")) or \
                not isinstance(entry.get("key", ""), (str, type(None))) or \
                not isinstance(entry.get("keywords", ""), (str, list)):
            raise TemplateError("invalid_file")
    return data


def load_shipped(folder: Path = SHIPPED_FOLDER) -> list[dict[str, Any]]:
    """The shipped templates: one file per category, {"category", "templates": [...]}."""
    entries: list[dict[str, Any]] = []
    for file in sorted(Path(folder).glob("*.json")):
        data = json.loads(file.read_text(encoding="utf-8"))
        for item in data["templates"]:
            entries.append({"key": item["key"], "category": data["category"],
                            "name": item["name"], "keywords": _keywords_text(item["keywords"]),
                            "body": item["body"],
                            "min_age_months": item.get("min_age_months"),
                            "safety_net": item.get("safety_net"),
                            "previous_names": list(item.get("previous_names", [])),
                            "previous_bodies": list(item.get("previous_bodies", []))})
    return entries
