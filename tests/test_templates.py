"""Standard answers: variables, shipped templates, search, editing, import and export."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from workbench.services.templates import (
    SHIPPED_FOLDER,
    RenderContext,
    TemplateError,
    TemplateService,
    UnresolvedVariable,
    find_unresolved,
    grouped,
    load_shipped,
    render,
)
from workbench.store.models import Practitioner, Role, TemplateScope

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)

JANSEN = RenderContext(
    patient_name="Anna Jansen", patient_given="Anna", patient_family="Jansen",
    patient_gender="female", author_name="Sanne de Vries", author_role="assistent",
    practice_name="Huisartsenpraktijk De Linde", practice_phone="030 123 45 67",
    today=date(2026, 11, 26), out_of_hours_phone="0900 123 45 67")


def _context(**changes) -> RenderContext:
    values = {**JANSEN.__dict__, **changes}
    return RenderContext(**values)


# -- rendering ---------------------------------------------------------------------------------
def test_salutation_follows_gender_and_family_name():
    assert render("{aanhef},", JANSEN) == "Beste mevrouw Jansen,"
    assert render("{aanhef},", _context(patient_gender="male", patient_name="Piet Jansen",
                                         patient_given="Piet")) == "Beste meneer Jansen,"
    assert render("{aanhef},", _context(patient_gender="unknown")) == "Beste Anna Jansen,"
    assert render("{aanhef},", _context(patient_gender=None)) == "Beste Anna Jansen,"
    assert render("{aanhef}", _context(patient_family="van der Berg",
                                       patient_name="Els van der Berg")) == \
        "Beste mevrouw Van der Berg"


def test_every_variable_is_filled():
    body = ("{aanhef}, {patient} ({voornaam}) - {medewerker}, {functie}, {praktijk}, "
            "{praktijk_telefoon}, {datum}, {datum+7}, {datum+14}")
    assert render(body, JANSEN) == (
        "Beste mevrouw Jansen, Anna Jansen (Anna) - Sanne de Vries, doktersassistent, "
        "Huisartsenpraktijk De Linde, 030 123 45 67, 26 november 2026, 3 december 2026, "
        "10 december 2026")


def test_role_titles_in_dutch():
    assert render("{functie}", _context(author_role="huisarts")) == "huisarts"
    assert render("{functie}", _context(author_role=Role.POH)) == "praktijkondersteuner"
    assert render("{functie}", _context(author_role="assistent")) == "doktersassistent"


def test_date_ahead_crosses_month_and_year():
    assert render("{datum+14}", _context(today=date(2026, 12, 25))) == "8 januari 2027"


def test_missing_value_stays_visible_and_is_found_for_the_editor():
    text = render("Bel ons op {praktijk_telefoon}. Groet, {medewerker}",
                  _context(practice_phone=None, author_name=" "))
    assert text == "Bel ons op {praktijk_telefoon}. Groet, {medewerker}"
    unresolved = find_unresolved(text)
    assert unresolved == [UnresolvedVariable("praktijk_telefoon", 11, 30),
                          UnresolvedVariable("medewerker", 39, 51)]
    assert [text[u.start:u.end] for u in unresolved] == ["{praktijk_telefoon}", "{medewerker}"]


def test_fallback_used_only_when_the_value_is_missing():
    nobody = _context(patient_name=None, patient_given=None, patient_family=None)
    assert render("{aanhef|Beste}, hallo", nobody) == "Beste, hallo"
    assert render("{aanhef|Beste}, hallo", JANSEN) == "Beste mevrouw Jansen, hallo"
    assert find_unresolved(render("{aanhef|Beste}", nobody)) == []


def test_unknown_variable_is_an_error():
    with pytest.raises(TemplateError) as error:
        render("{aanhef}, uw {huisarts} belt", JANSEN)
    assert error.value.code == "unknown_variable"


def test_typed_braces_are_not_variables():
    text = 'Zie { } en {"dosis": 2} en {2 keer} of {a b}'
    assert render(text, JANSEN) == text
    assert find_unresolved(text) == []
    assert [u.name for u in find_unresolved("{datum+3} en {onbekend}")] == ["datum+3", "onbekend"]


# -- shipped templates -------------------------------------------------------------------------
SERVICE_CONTEXT = JANSEN


def test_shipped_templates_are_complete_and_render_without_leftovers():
    entries = load_shipped()
    assert len(entries) >= 25
    assert len({e["key"] for e in entries}) == len(entries)
    for entry in entries:
        body = entry["body"]
        assert body.startswith("{aanhef},"), entry["key"]
        assert "Met vriendelijke groet,\n{medewerker}\n{functie}, {praktijk}" in body
        assert find_unresolved(render(body, JANSEN)) == [], entry["key"]
    bodies = "\n".join(e["body"] for e in entries)
    for link in ("https://www.thuisarts.nl/verkoudheid", "https://www.thuisarts.nl/hoesten",
                 "https://www.thuisarts.nl/keelpijn", "https://www.thuisarts.nl/wratten",
                 "https://www.thuisarts.nl/koorts-bij-kinderen",
                 "https://www.thuisarts.nl/lage-rugpijn"):
        assert link in bodies
    assert "{datum+14}" in bodies and "112" in bodies and "GGD" in bodies


def test_ensure_shipped_adds_once_and_keeps_local_changes(migrated_engine):
    service = TemplateService(migrated_engine, clock=lambda: NOW)
    count = service.ensure_shipped()
    assert count == len(load_shipped()) >= 25
    cold = next(t for t in service.search("verkoudheid", None) if t.key == "klacht.verkoudheid")
    service.update(cold.id, body="{aanhef},\n\nOnze eigen tekst.")
    assert service.ensure_shipped() == 0
    assert service.get(cold.id).body == "{aanhef},\n\nOnze eigen tekst."


def test_ensure_shipped_restores_only_missing_keys(migrated_engine, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "test.json").write_text(json.dumps({"category": "Test", "templates": [
        {"key": "t.een", "name": "Een", "keywords": ["a"], "body": "{aanhef}, een"},
        {"key": "t.twee", "name": "Twee", "keywords": "b", "body": "{aanhef}, twee"},
    ]}), encoding="utf-8")
    service = TemplateService(migrated_engine, clock=lambda: NOW)
    assert service.ensure_shipped(folder) == 2
    service.delete(next(t.id for t in service.search("", None) if t.key == "t.een"))
    assert service.ensure_shipped(folder) == 1
    assert sorted(t.key for t in service.search("", None)) == ["t.een", "t.twee"]


# -- search ------------------------------------------------------------------------------------
def _people(engine) -> tuple[int, int]:
    with Session(engine) as session, session.begin():
        gp = Practitioner(portal_id="p-1", name="Dr. Bakker", role=Role.GP)
        poh = Practitioner(portal_id="p-2", name="Inge Smit", role=Role.POH)
        session.add_all([gp, poh])
        session.flush()
        return gp.id, poh.id


@pytest.fixture
def service(migrated_engine):
    service = TemplateService(migrated_engine, clock=lambda: NOW)
    service.ensure_shipped()
    return service


def test_search_folds_case_and_accents(service, migrated_engine):
    gp, _ = _people(migrated_engine)
    service.create(TemplateScope.PERSONAL, gp, "Huid", "Crème bij droge huid", "zalf",
                   "{aanhef},\n\nGebruik een vette crème.")
    assert any(t.key == "uitslag.goed" for t in service.search("uitslag", gp))
    assert [t.key for t in service.search("UITSLAG ecg", gp)] == ["uitslag.ecg_goed"]
    assert [t.name for t in service.search("creme bij droge", gp)][0] == "Crème bij droge huid"
    assert service.search("Crème", gp) == service.search("CREME", gp)
    assert "Eczeem" in [t.name for t in service.search("creme", gp)]


def test_every_word_must_match(service):
    names = [t.name for t in service.search("herhaalrecept controle", None)]
    assert names == ["Herhaalrecept niet mogelijk zonder controle"]
    assert service.search("herhaalrecept olifant", None) == []


def test_personal_templates_only_for_their_owner(service, migrated_engine):
    gp, poh = _people(migrated_engine)
    mine = service.create(TemplateScope.PERSONAL, gp, "Eigen", "Mijn inhalatietekst",
                          ["inhalator"], "{aanhef},\n\nZo gebruikt u de inhalator.")
    assert mine.scope is TemplateScope.PERSONAL and mine.owner_id == gp
    assert [t.id for t in service.search("inhalatietekst", gp)] == [mine.id]
    assert service.search("inhalatietekst", poh) == []
    assert service.search("inhalatietekst", None) == []
    assert mine.id not in [t.id for t in service.search("", poh, limit=1000)]


def test_name_and_keyword_hits_rank_above_body_hits(service, migrated_engine):
    gp, _ = _people(migrated_engine)
    in_body = service.create(TemplateScope.PRACTICE, None, "Test", "Zomaar iets", "",
                             "{aanhef}, denk aan uw zonnebrand.")
    in_name = service.create(TemplateScope.PRACTICE, None, "Test", "Zonnebrand", "",
                             "{aanhef}, tekst.")
    in_keywords = service.create(TemplateScope.PRACTICE, None, "Test", "Zon", "zonnebrand",
                                 "{aanhef}, tekst.")
    for _ in range(5):
        service.record_use(in_body.id)
    service.record_use(in_keywords.id)
    ids = [t.id for t in service.search("zonnebrand", gp)]
    assert ids == [in_keywords.id, in_name.id, in_body.id]


def test_empty_query_lists_all_most_used_first(service):
    everything = service.search("", None, limit=1000)
    assert len(everything) == len(load_shipped())
    favourite = next(t for t in everything if t.key == "klacht.keelpijn")
    service.record_use(favourite.id)
    service.record_use(favourite.id)
    again = service.search("", None)
    assert again[0].id == favourite.id and again[0].use_count == 2
    assert len(service.search("", None, limit=3)) == 3


def test_results_grouped_by_category_in_order_of_best_hit(service):
    results = service.search("bel", None)
    groups = grouped(results)
    assert [name for name, _ in groups] == list(dict.fromkeys(t.category for t in results))
    assert sum(len(items) for _, items in groups) == len(results)
    assert all(t.category == name for name, items in groups for t in items)


# -- editing -----------------------------------------------------------------------------------
def test_create_update_delete(service, migrated_engine):
    gp, _ = _people(migrated_engine)
    created = service.create(TemplateScope.PERSONAL, gp, "Eigen", "Test", "a, b",
                             "{aanhef}, test")
    assert service.get(created.id) == created and created.use_count == 0
    changed = service.update(created.id, name="Nieuw", body="{aanhef}, nieuw")
    assert (changed.name, changed.body, changed.key) == ("Nieuw", "{aanhef}, nieuw", created.key)
    service.delete(created.id)
    with pytest.raises(TemplateError) as error:
        service.get(created.id)
    assert error.value.code == "not_found"


def test_editing_refuses_what_cannot_work(service, migrated_engine):
    gp, _ = _people(migrated_engine)
    cases = [
        (lambda: service.create(TemplateScope.PERSONAL, None, "X", "X", "", "{aanhef}"),
         "owner_required"),
        (lambda: service.create(TemplateScope.PRACTICE, None, "X", "X", "", "{aanhefje}"),
         "unknown_variable"),
        (lambda: service.create(TemplateScope.PRACTICE, None, "X", " ", "", "tekst"),
         "invalid_field"),
        (lambda: service.update(999999, name="X"), "not_found"),
        (lambda: service.record_use(999999), "not_found"),
    ]
    for action, code in cases:
        with pytest.raises(TemplateError) as error:
            action()
        assert error.value.code == code
    mine = service.create(TemplateScope.PERSONAL, gp, "X", "X", "", "{aanhef}")
    with pytest.raises(TemplateError) as error:
        service.update(mine.id, body="{ praktijk } {functie2}")
    assert error.value.code == "unknown_variable"
    assert service.get(mine.id).body == "{aanhef}"


# -- import and export -------------------------------------------------------------------------
def test_export_then_import_elsewhere(service, migrated_engine, tmp_path):
    gp, poh = _people(migrated_engine)
    mine = service.create(TemplateScope.PERSONAL, gp, "Eigen", "Crème-advies", "zalf",
                          "{aanhef},\n\nSmeer de crème 2× per dag.")
    path = tmp_path / "export.json"
    service.export_templates(path, [mine.id])
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == [{"key": mine.key, "category": "Eigen", "name": "Crème-advies",
                     "keywords": "zalf", "body": "{aanhef},\n\nSmeer de crème 2× per dag.",
                     "scope": "personal"}]
    assert "Crème" in path.read_text(encoding="utf-8")  # UTF-8, not \u escapes

    assert service.import_templates(path, TemplateScope.PERSONAL, poh) == 1
    copies = service.search("creme advies", poh)
    assert len(copies) == 1 and copies[0].key != mine.key  # key clash: a new key
    assert copies[0].owner_id == poh and copies[0].body == mine.body


def test_export_all_practice_templates(service, tmp_path):
    path = tmp_path / "alles.json"
    assert service.export_templates(path) == len(load_shipped())
    keys = {entry["key"] for entry in json.loads(path.read_text(encoding="utf-8"))}
    assert keys == {entry["key"] for entry in load_shipped()}


@pytest.mark.parametrize("content", [
    "niet eens json",
    '{"key": "x"}',
    '[{"key": "x", "name": "Zonder tekst", "category": "A"}]',
    '[{"key": "x", "name": "Goed", "category": "A", "body": "{aanhef}"}, 42]',
    '[{"key": "x", "name": "Goed", "category": "A", "body": "{aanhef}", "keywords": 5}]',
])
def test_malformed_file_imports_nothing(service, tmp_path, content):
    path = tmp_path / "kapot.json"
    path.write_text(content, encoding="utf-8")
    before = len(service.search("", None, limit=1000))
    with pytest.raises(TemplateError) as error:
        service.import_templates(path, TemplateScope.PRACTICE)
    assert error.value.code == "invalid_file"
    assert len(service.search("", None, limit=1000)) == before


def test_import_is_all_or_nothing(service, tmp_path):
    path = tmp_path / "half.json"
    path.write_text(json.dumps([
        {"key": "a", "name": "Goed", "category": "A", "body": "{aanhef}, goed"},
        {"key": "b", "name": "Fout", "category": "A", "body": "{aanhef}, {onbekend}"},
    ]), encoding="utf-8")
    with pytest.raises(TemplateError) as error:
        service.import_templates(path, TemplateScope.PRACTICE)
    assert error.value.code == "unknown_variable"
    assert "a" not in {t.key for t in service.search("", None, limit=1000)}


def test_import_missing_file_is_invalid(service, tmp_path):
    with pytest.raises(TemplateError) as error:
        service.import_templates(tmp_path / "bestaat-niet.json", TemplateScope.PRACTICE)
    assert error.value.code == "invalid_file"


def test_shipped_folder_is_inside_the_repository():
    assert SHIPPED_FOLDER == Path(__file__).resolve().parents[1] / "resources" / "templates"
    assert re.fullmatch(r"[a-z]+\.json", sorted(p.name for p in SHIPPED_FOLDER.glob("*"))[0])


def test_a_deleted_shipped_template_stays_deleted(migrated_engine):
    service = TemplateService(migrated_engine)
    service.ensure_shipped()
    first = service.visible(None)[0]
    service.delete(first.id)
    assert service.ensure_shipped() == 0
    assert first.id not in [t.id for t in service.visible(None)]
