"""Every shipped answer about a complaint has its safety-net: what to watch for, when to call at
once, and whom (the practice in office hours, the huisartsenpost in the evening, at night and at
weekends, 112 when life is in danger). Administrative answers say why they need none. The texts
the review named carry its fixes, in plain B1 Dutch."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.templates import (
    SAFETY_NET_PARTS,
    RenderContext,
    TemplateNotAllowed,
    TemplateService,
    check_answer_age,
    find_unresolved,
    fold,
    load_shipped,
    render,
    safety_net_gaps,
)
from workbench.store.models import AnswerTemplate

PRAKTIJK = "030 123 45 67"
HAP = "0900 765 43 21"
CONTEXT = RenderContext(
    patient_name="Anna Jansen", patient_given="Anna", patient_family="Jansen",
    patient_gender="female", author_name="Sanne de Vries", author_role="assistent",
    practice_name="Huisartsenpraktijk De Linde", practice_phone=PRAKTIJK,
    today=date(2026, 11, 26), out_of_hours_phone=HAP)

# The decision per template, kept here as well so a clinical template cannot quietly be
# relabelled administrative to get out of the rule.
ADMINISTRATIVE = {
    "admin.adreswijziging", "admin.verklaring", "admin.inzage_dossier", "admin.reisvaccinatie",
    "afspraak.griepprik", "recept.herhaal_klaar", "recept.controle_nodig",
}
ENTRIES = {entry["key"]: entry for entry in load_shipped()}
CLINICAL = sorted(key for key in ENTRIES if key not in ADMINISTRATIVE)


def body(key: str) -> str:
    return ENTRIES[key]["body"]


def paragraph_with(key: str, words: str) -> str:
    """The paragraph (or bullet) of a template's text holding `words`."""
    found = [p for p in re.split(r"\n+", body(key)) if fold(words) in fold(p)]
    assert found, (key, words)
    return found[0]


# -- the decision per template -----------------------------------------------------------------
def test_every_template_says_whether_it_is_about_a_complaint():
    assert len(ENTRIES) >= 25 and len(CLINICAL) >= 20
    for key, entry in ENTRIES.items():
        net = entry["safety_net"]
        assert isinstance(net, dict), key
        if key in ADMINISTRATIVE:
            assert net["kind"] == "administrative", key
            assert len(net["reason"].strip()) >= 20, key  # why no alarm signs apply
            assert "watch_for" not in net, key
        else:
            assert net["kind"] == "clinical", key
            assert net["watch_for"] and all(s.strip() for s in net["watch_for"]), key


@pytest.mark.parametrize("key", CLINICAL)
def test_every_answer_about_a_complaint_has_the_whole_safety_net(key):
    assert safety_net_gaps(body(key), ENTRIES[key]["safety_net"]["watch_for"]) == []
    text = render(body(key), CONTEXT)
    assert find_unresolved(text) == []
    for number in (PRAKTIJK, HAP, "112"):
        assert number in text


@pytest.mark.parametrize("key", CLINICAL)
def test_without_the_huisartsenpost_number_the_answer_waits_for_it(key):
    text = render(body(key), RenderContext(**{**CONTEXT.__dict__, "out_of_hours_phone": None}))
    assert [u.name for u in find_unresolved(text)] == ["huisartsenpost_telefoon"]


# -- the check itself finds each missing part --------------------------------------------------
COUGH_SIGNS = ["bloed op", "kortademig", "pijn bij het ademen"]


@pytest.mark.parametrize("change, watch_for, missing", [
    (lambda t: t.replace("kortademig", "moe"), COUGH_SIGNS, ["watch_for"]),
    (lambda t: t, [], ["watch_for", "call_at_once"]),
    (lambda t: t.replace("Bel dan direct:", "Bel dan later:"), COUGH_SIGNS, ["call_at_once"]),
    (lambda t: t.replace("Op werkdagen overdag", "Op werkdagen"), COUGH_SIGNS,
     ["office_hours"]),
    (lambda t: t.replace("{praktijk_telefoon}", "ons nummer"), COUGH_SIGNS, ["office_hours"]),
    (lambda t: t.replace(" en in het weekend", ""), COUGH_SIGNS, ["out_of_hours"]),
    (lambda t: t.replace("{huisartsenpost_telefoon}", "de post"), COUGH_SIGNS,
     ["out_of_hours"]),
    (lambda t: t.replace("levensgevaarlijk", "ernstig"), COUGH_SIGNS, ["life_threatening"]),
    (lambda t: t.replace("Bel dan 112", "Bel dan de dokter"), COUGH_SIGNS,
     ["life_threatening"]),
    (lambda t: "{aanhef},\n\nHoest u bloed op? Neem contact op.", COUGH_SIGNS,
     ["watch_for", "call_at_once", "office_hours", "out_of_hours", "life_threatening"]),
])
def test_a_safety_net_missing_a_part_is_found(change, watch_for, missing):
    assert safety_net_gaps(body("klacht.hoesten"), COUGH_SIGNS) == []
    gaps = safety_net_gaps(change(body("klacht.hoesten")), watch_for)
    assert gaps == missing
    assert set(gaps) <= set(SAFETY_NET_PARTS)


# -- what the review named -------------------------------------------------------------------
def test_back_pain_names_cauda_equina_in_plain_words_and_says_call_at_once():
    line = paragraph_with("klacht.rugpijn", "doof gevoel")
    assert ("een doof gevoel tussen uw benen of rond uw anus, moeite met plassen of poepen, "
            "of minder kracht in uw been") in line
    assert "Bel dan direct" in line
    assert "billen" not in body("klacht.rugpijn")  # the old, wrong place of the numbness


def test_cough_with_blood_breathlessness_or_pain_when_breathing_is_direct():
    line = paragraph_with("klacht.hoesten", "bloed op")
    for sign in ("bloed op", "kortademig", "pijn bij het ademen", "direct"):
        assert sign in line


def test_side_effects_stop_the_drug_at_an_allergic_reaction():
    line = paragraph_with("recept.bijwerking", "allergische reactie")
    assert "Stop dan direct met dit medicijn" in line
    assert "112" in paragraph_with("recept.bijwerking", "tong, lippen of keel")
    assert "Stop niet zelf met uw medicijnen zonder overleg" not in body("recept.bijwerking")


def test_eczema_infected_or_blisters_with_fever_the_same_day():
    line = paragraph_with("klacht.eczeem", "blaasjes en koorts")
    for words in ("ontsteken", "pus", "direct", "dezelfde dag"):
        assert words in line


def test_warts_no_self_treatment_on_the_feet_with_diabetes():
    line = paragraph_with("klacht.wratten", "diabetes")
    for words in ("suikerziekte", "op uw voet dan niet zelf", "afspraak"):
        assert words in line


def test_referral_names_zorgdomein_and_one_next_step():
    text = body("verwijzing.aangemaakt")
    assert "ZorgDomein" in text and "Zorgdomein" not in text
    step = paragraph_with("verwijzing.aangemaakt", "Wat moet u nu doen?")
    assert re.search(r"Bel binnen een week zelf", step)
    assert "niets hoort" not in text  # no second, conflicting instruction


@pytest.mark.parametrize("key", ["afspraak.kom_spreekuur", "afspraak.bevestiging",
                                 "uitslag.bespreken", "uitslag.niet_binnen",
                                 "verwijzing.consult_nodig", "spoed.niet_geschikt"])
def test_appointments_and_results_give_a_time_frame_and_what_if_it_gets_worse(key):
    text = body(key)
    assert re.search(r"binnen (?:een|\d+) (?:week|weken|werkdagen|maand)|"
                     r"vandaag of de volgende werkdag", text), key
    worse = paragraph_with(key, "Worden de klachten erger")
    assert "Bel dan" in worse


def test_a_normal_result_is_not_for_chronic_care_checks():
    entry = ENTRIES["uitslag.goed"]
    assert "niet voor controles bij chronische zorg" in entry["name"]
    assert "controle nodig" not in entry["body"]
    assert "gaan die controles gewoon door" in entry["body"]


def test_the_records_request_first_copy_free_within_a_month():
    text = body("admin.inzage_dossier")
    assert "De eerste kopie is gratis" in text and "binnen een maand" in text


def test_the_emergency_templates_keep_their_numbers():
    for key in ("spoed.bel_112", "spoed.bel_vandaag", "spoed.zelfmoordgedachten"):
        text = render(body(key), CONTEXT)
        assert PRAKTIJK in text and HAP in text and "112" in text
    assert "113" in body("spoed.zelfmoordgedachten")


# -- plain B1 Dutch --------------------------------------------------------------------------
JARGON = ("cauda", "equina", "anafyla", "dyspnoe", "hemopto", "mictie", "defecatie",
          "perianaal", "urticaria", "exantheem", "cellulitis", "erysipelas", "contra-indicatie",
          "icpc", "triage", "nao")


@pytest.mark.parametrize("key", sorted(ENTRIES))
def test_plain_language(key):
    text = re.sub(r"https?://\S+", "", body(key))
    words = re.findall(r"[a-zà-ÿ]+", fold(text))
    assert not {"je", "jij", "jou", "jouw"} & set(words), key  # "u" throughout
    assert not [w for w in JARGON if any(word.startswith(w) for word in words)], key
    sentences = [s for s in re.split(r"(?<=[.?!:])\s+|\n", re.sub(r"\{[^}]*\}", "X", text))
                 if s.strip()]
    assert max(len(s.split()) for s in sentences) <= 25, key
    if "diabetes" in words:
        assert "suikerziekte" in words, key
    if "ecg" in words:
        assert "hartfilmpje" in words, key


# -- updating practices that never changed the shipped texts ------------------------------------
NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def test_unedited_former_texts_and_names_are_updated_edited_ones_kept(migrated_engine):
    service = TemplateService(migrated_engine, clock=lambda: NOW)
    service.ensure_shipped()
    changed = {key: e for key, e in ENTRIES.items() if e["previous_bodies"]}
    assert {"klacht.rugpijn", "klacht.hoesten", "recept.bijwerking", "uitslag.goed",
            "admin.inzage_dossier", "verwijzing.aangemaakt"} <= set(changed)
    edited = "klacht.hoesten"
    with Session(migrated_engine) as session, session.begin():
        for row in session.scalars(select(AnswerTemplate).where(
                AnswerTemplate.key.in_(changed))):
            entry = changed[row.key]
            row.body = entry["previous_bodies"][-1]
            row.name = (entry["previous_names"] or [row.name])[-1]
            if row.key == edited:
                row.body = "{aanhef},\n\nOnze eigen hoesttekst."
    assert service.ensure_shipped() == 0
    with Session(migrated_engine) as session:
        rows = {row.key: row for row in session.scalars(select(AnswerTemplate))}
    for key, entry in changed.items():
        expected = "{aanhef},\n\nOnze eigen hoesttekst." if key == edited else entry["body"]
        assert rows[key].body == expected, key
        assert rows[key].name == entry["name"], key
    assert rows["uitslag.goed"].name.startswith("Uitslag goed (niet voor controles")


# -- the fever template's age rule ---------------------------------------------------------------
def test_the_former_fever_text_is_still_refused_for_a_baby():
    baby, today = date(2026, 10, 20), date(2026, 11, 26)
    former = ENTRIES["klacht.koorts_kind"]["previous_bodies"][-1]
    with pytest.raises(TemplateNotAllowed):
        check_answer_age(render(former, CONTEXT), [], baby, today)
    with pytest.raises(TemplateNotAllowed):
        check_answer_age(render(body("klacht.koorts_kind"), CONTEXT), [], baby, today)


@pytest.mark.parametrize("key", sorted(set(ENTRIES) - {"klacht.koorts_kind"}))
def test_other_templates_are_not_mistaken_for_the_fever_text(key):
    check_answer_age(render(body(key), CONTEXT), [key], date(2026, 10, 20), date(2026, 11, 26))
