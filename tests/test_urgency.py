"""Urgency advice on Dutch patient texts: the clinlp pipeline, its context rules for lay
writing, ages, combinations, the `advise_request` contract and the `workbench advise` command.
Quality on a whole set is measured by benchmarks/bench_urgency.py, never asserted here."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from workbench.resources import RESOURCE_DIR
from workbench.services.urgency import (
    AlarmFinding,
    UrgencyAdvisor,
    advise_request,
    default_advisor,
)
from workbench.services.urgency.age import ages_in_text
from workbench.services.urgency.signs import load_sign_data

GROUPS = {"chest_pain", "pulmonary_embolism", "breathing", "stroke", "unconscious", "bleeding",
          "anaphylaxis", "suicidality", "infant_fever", "ill_child", "meningitis", "sepsis",
          "acute_abdomen", "testicular_torsion", "cauda_equina", "eye", "pregnancy", "ingestion",
          "glucose", "burns", "limb_ischaemia", "confusion_elderly"}


@pytest.fixture(scope="module")
def advisor() -> UrgencyAdvisor:
    return default_advisor()


def groups(advisor, text, **kwargs) -> list[str]:
    return [f.category for f in advisor.advise(text, **kwargs)]


# -- the data -------------------------------------------------------------------------------------
def test_every_group_has_its_file_and_the_files_are_valid():
    data = load_sign_data()
    assert {g.group for g in data.groups} == GROUPS
    for group in data.groups:
        assert group.action in ("Bel de patiënt nu", "Bel 112")
        assert group.alone or group.combinations, group.group


def test_a_mistake_in_a_sign_file_names_the_file(tmp_path):
    (tmp_path / "eye.json").write_text(json.dumps({
        "group": "eye", "label": "Oog", "action": "Bel maar eens", "life_threatening": False,
        "explanation": "x", "concepts": {"red": ["rood oog"]}}), encoding="utf-8")
    with pytest.raises(ValueError, match="eye.json"):
        load_sign_data(tmp_path, RESOURCE_DIR / "urgency_rules.json")


def test_the_old_phrase_file_is_gone():
    assert not (RESOURCE_DIR / "alarm_phrases.json").exists()


# -- context: negation, history, hypothetical, family history -------------------------------------
@pytest.mark.parametrize("text", [
    "Ik heb geen pijn op de borst, alleen een vraag over mijn recept",
    "Ik ben niet benauwd en heb geen koorts",
    "Ik heb vorig jaar een hartinfarct gehad, mag ik weer sporten?",
    "In 2019 ben ik flauwgevallen bij het bloedprikken",
    "Ik heb een hartinfarct gehad en wil mijn medicijnen herhalen",
    "Wat moet ik doen als ik pijn op de borst krijg?",
    "Stel dat mijn zoon door een wesp wordt gestoken, hij is allergisch, moet de epipen dan meteen?",
    "Mijn vader had vroeger astma, moet ik mij ook laten testen?",
    "In de familie komen veel hartinfarcten voor, moet ik mijn cholesterol laten prikken?",
    "Mijn moeder is overleden aan een herseninfarct, heb ik daar meer kans op?",
    "Mijn zus had zwangerschapsvergiftiging, wat betekent dat voor mij?",
])
def test_negated_past_hypothetical_and_family_history_signs_stay_silent(advisor, text):
    assert advisor.advise(text) == []


@pytest.mark.parametrize("text, writer, group", [
    ("Mijn dochter van 2 ademt heel snel en is suf", "parent", "ill_child"),
    ("Mijn man is grauw en zweterig met druk op de borst", "partner", "chest_pain"),
    ("Mijn moeder heeft sinds vanochtend een scheve mond en praat onduidelijk", "other", "stroke"),
    ("Mijn zoon had vannacht een koortsstuip, nu slaapt hij", "parent", "unconscious"),
])
def test_a_parent_partner_or_carer_about_the_patient_now_raises_advice(advisor, text, writer,
                                                                          group):
    assert group in groups(advisor, text, writer=writer)


def test_a_recent_time_outweighs_a_weak_past_marker(advisor):
    assert "unconscious" in groups(advisor, "Ik ben vanochtend flauwgevallen in de douche")
    assert groups(advisor, "Ik ben ooit flauwgevallen in de douche") == []


def test_someone_else_is_not_the_patient(advisor):
    text = "Een kind in de klas van mijn zoon heeft een batterijtje ingeslikt. Hoe voorkom ik dat?"
    assert advisor.advise(text, writer="parent") == []
    assert "ingestion" in groups(advisor, "Mijn zoon heeft een batterijtje ingeslikt!")


# -- phrasings: typos, proximity, subject, buried --------------------------------------------------
@pytest.mark.parametrize("text, group", [
    ("Ik ben erg benaud sinds vanochtend", "breathing"),
    ("ik heb pijn op mn borst", "chest_pain"),
    ("ze heeft pijn op haar borst", "chest_pain"),
    ("hij is bewusteloss", "unconscious"),
    ("De pijn straalt uit naar mijn linkerarm en kaak", "chest_pain"),
    ("Mijn vrouw wil niet meer leven", "suicidality"),
    ("Ik wil er een eind aan maken", "suicidality"),
    ("zijn buik is hard als een plank", "acute_abdomen"),
    ("Er zitten vlekjes op zijn benen die niet wegdrukken", "meningitis"),
])
def test_lay_phrasings_and_typos(advisor, text, group):
    assert group in groups(advisor, text)


def test_a_subject_alone_raises_advice(advisor):
    assert "breathing" in groups(advisor, "graag bellen", subject="Erg benauwd")


def test_a_topic_word_in_the_subject_is_silenced_by_a_text_that_puts_it_in_the_past(advisor):
    text = "Mijn dochter had vorige maand een stuip. Nu gaat alles goed. Moet ze terugkomen?"
    assert advisor.advise(text, subject="koortsstuip", writer="parent") == []


def test_a_sign_buried_in_a_repeat_prescription_request(advisor):
    text = ("Beste dokter, graag herhaling van mijn metoprolol 50 mg en mijn pantoprazol. Ik "
            "heb trouwens sinds vanochtend een drukkend gevoel op mijn borst dat naar mijn kaak "
            "trekt. Kan het recept naar de apotheek aan de Dorpsstraat? Met vriendelijke groet")
    [finding] = advisor.advise(text)
    assert finding.category == "chest_pain" and finding.action == "Bel 112"


@pytest.mark.parametrize("text", [
    "Mag ik een herhaalrecept voor mijn bloeddrukpillen?",
    "Is de uitslag van mijn bloedonderzoek al binnen?",
    "Ik heb pijn aan mijn borst bij het kolven, welke maat trechter past?",
    "Mijn ontlasting is zwart sinds ik ijzertabletten slik, is dat normaal?",
    "Ik zie het niet meer zitten met de administratie van mijn verzekering",
    "Koude handen en voeten de hele winter, mijn vingers worden wit bij kou",
    "Kunt u mijn epipen opnieuw voorschrijven? Hij verloopt volgende maand.",
])
def test_routine_messages_that_look_alike_stay_silent(advisor, text):
    assert advisor.advise(text) == []


# -- families of indirect wordings ----------------------------------------------------------------
@pytest.mark.parametrize("subject, text, writer, days, group", [
    # stroke described without the textbook words
    ("", "Mijn opa laat sinds vanmiddag telkens zijn vork vallen en praat raar", "other", 80 * 365,
     "stroke"),
    ("", "mn man loopt met z'n linkerbeen te slepen sinds het ontbijt", "partner", 70 * 365,
     "stroke"),
    ("", "Ze praat opeens net of ze te veel op heeft, maar ze drinkt nooit", "partner", 66 * 365,
     "stroke"),
    ("", "Oma's gezicht is aan een kant ingezakt en haar glimlach staat scheef", "other",
     85 * 365, "stroke"),
    ("", "Gisteren zag ik even niks met mijn rechteroog, net een gordijn. Nu weer goed.",
     "patient", 66 * 365, "stroke"),
    # suicidality told indirectly
    ("", "Hij zei: jullie zijn binnenkort van me af. Hij is al maanden somber.", "parent",
     20 * 365, "suicidality"),
    ("", "Mijn vriendin heeft een afscheidsbriefje op tafel gelegd en is weg", "partner",
     30 * 365, "suicidality"),
    ("", "Mijn broer geeft zijn spullen weg en is erg depressief", "other", 28 * 365,
     "suicidality"),
    # arterial bleeding, a long nosebleed on blood thinners
    ("", "Met de bosmaaier in zijn been, het bloed pompt eruit", "partner", 50 * 365,
     "bleeding"),
    ("bloedneus", "Mijn vader (80) heeft al ruim een uur een bloedneus, hij slikt xarelto",
     "other", 80 * 365, "bleeding"),
    # a first food, then a swollen face or a hoarse voice
    ("", "Onze dochter at een cashewnootje en heeft nu opgezwollen oogleden", "parent", 3 * 365,
     "anaphylaxis"),
    ("", "Baby kreeg voor het eerst ei en klinkt nu schor", "parent", 300, "anaphylaxis"),
    # the complaint only in the subject
    ("krijg nauwelijks lucht", "help", "patient", 40 * 365, "breathing"),
    ("zoontje 3 jr heel ziek, drinkt haast niets, amper geplast", "graag bellen", "parent",
     3 * 365, "ill_child"),
    # a caustic splash in the eye
    ("", "Tijdens het schoonmaken spatte er ovenreiniger in mijn oog", "patient", 40 * 365, "eye"),
    # acute confusion in an elderly person, inside an admin request
    ("baxter", "Graag de rol van mijn moeder (82) aanpassen. Sinds twee dagen valt ze midden in "
     "een gesprek in slaap, dat kennen we niet van haar.", "other", 82 * 365,
     "confusion_elderly"),
    # a scrotum described by a parent
    ("buikpijn", "Zoon van 12 heeft buikpijn en gaf over, zijn balzakje is rood en opgezet",
     "parent", 12 * 365, "testicular_torsion"),
])
def test_indirect_wordings_of_an_alarm_sign(advisor, subject, text, writer, days, group):
    assert group in groups(advisor, text, subject=subject, writer=writer, patient_age_days=days)


@pytest.mark.parametrize("text, writer", [
    # someone who is fine now: a professional already judged it, or the choking resolved
    ("Zoon (1) heeft aan een vaatwastablet gelikt, de huisartsenpost zei dat het geen kwaad "
     "kan. Ter info.", "parent"),
    ("Mijn buurman viel gisteren flauw bij de bakker, de ambulance kwam en alles bleek in "
     "orde. Kan de POH eens langs?", "other"),
    ("Onze dochter verslikte zich in een snoepje en kreeg even geen adem, na klappen op haar "
     "rug schoot het los. Ze is nu helemaal prima.", "parent"),
    # family history and a relative's diagnosis
    ("Mijn opa en vader zijn allebei jong aan een hartaanval gestorven. Graag cholesterol meten.",
     "patient"),
    ("Mn broer kreeg net te horen dat hij trombose heeft. Ik gebruik de pil, loop ik risico?",
     "patient"),
    # a past event told with 'toen', a hypothetical with 'ooit'
    ("In 2017 heb ik een beroerte gehad, toen kon ik niet goed praten. Moet ik een keuring?",
     "patient"),
    ("Mijn man heeft stents. Als hij ooit nog eens pijn op de borst heeft, wat dan?", "partner"),
    # look-alikes of the new phrasings
    ("Naar aanleiding van mijn laatste bericht: de zalf helpt niet.", "patient"),
    ("De neusspray spuit er niet goed uit, kan ik een ander merk krijgen?", "patient"),
    ("Ik heb al een uur gewacht bij het bloed prikken, kan de uitslag per mail?", "patient"),
    ("Ik kan slecht ademhalen door mijn neus sinds mijn neusbreuk, graag een verwijzing.",
     "patient"),
])
def test_fine_now_family_history_past_and_hypothetical_stay_silent(advisor, text, writer):
    assert advisor.advise(text, writer=writer) == []


def test_the_writers_words_are_reported_as_written(advisor):
    text = "Ik heb PIJN OP DE BORST en ik Zweet"
    [finding] = advisor.advise(text)
    assert finding.words == ("PIJN OP DE BORST",)
    assert all(word in text for word in finding.words)


# -- ages and combinations -----------------------------------------------------------------------
def test_combinations_one_sign_alone_is_routine_two_together_are_not(advisor):
    assert advisor.advise("Ik zweet de laatste tijd veel") == []
    assert advisor.advise("Ik heb maagpijn na het eten") == []
    assert "chest_pain" in groups(advisor, "Ik heb maagpijn en zweet heel erg, ik ben grauw")
    assert advisor.advise("Hoofdpijn sinds gisteren, kan ik paracetamol nemen?") == []
    assert "meningitis" in groups(advisor, "Hoofdpijn en een stijve nek, ik kan mijn kin niet "
                                           "op mijn borst krijgen")
    assert "ill_child" in groups(advisor, "Mijn zoon heeft koorts en is heel suf", writer="parent")


def test_fever_needs_an_infant_under_three_months_by_record_or_by_text(advisor):
    text = "Onze dochter heeft 38,6 graden en drinkt slecht"
    assert "infant_fever" in groups(advisor, text, patient_age_days=40, writer="parent")
    assert "infant_fever" not in groups(advisor, text, patient_age_days=800, writer="parent")
    # A parent writing from their own account: the text gives the age.
    assert "infant_fever" in groups(advisor, "baby van 7 weken heeft 38,4",
                                    patient_age_days=12000, writer="patient")
    assert "infant_fever" not in groups(advisor, "Mijn zoon van 8 heeft een beetje koorts")
    assert "infant_fever" not in groups(advisor, "Ik heb 38,4 koorts", patient_age_days=12000)


@pytest.mark.parametrize("text, days", [
    ("baby van 8 weken", 56), ("mijn zoon van 2 heeft koorts", 730),
    ("onze dochter van 5 maanden", 152), ("kindje 3 weken, temp 38,1", 21),
    ("Mijn vader (82) is verward", 29950), ("Ik ben 35 weken zwanger", None),
    ("al 2 weken koorts", None),
])
def test_ages_in_the_text(text, days):
    assert ages_in_text(text) == ([] if days is None else [days])


def test_an_elderly_only_group_needs_an_old_patient(advisor):
    text = "Hij is sinds vanochtend ineens heel verward en plukt aan de dekens"
    assert "confusion_elderly" in groups(advisor, text, patient_age_days=80 * 365)
    assert "confusion_elderly" not in groups(advisor, text, patient_age_days=30 * 365)


# -- the API and the contract ---------------------------------------------------------------------
def test_a_finding_as_json():
    finding = AlarmFinding("chest_pain", "Mogelijk hartprobleem", "Bel 112", "Uitleg", True,
                           ("pijn op de borst", "zweet"))
    assert finding.as_json() == {
        "category": "chest_pain", "label": "Mogelijk hartprobleem", "action": "Bel 112",
        "explanation": "Uitleg", "life_threatening": True,
        "words": "pijn op de borst · zweet", "terms": ["pijn op de borst", "zweet"]}


def test_advise_request_contract():
    answer = advise_request({"text": "Ik heb pijn op de borst", "subject": "hart",
                             "patient_age_days": 20000, "writer": "patient"})
    assert answer == {"urgent": True, "groups": ["chest_pain"], "words": ["pijn op de borst"]}
    assert advise_request({"text": "Graag een herhaalrecept"}) == {
        "urgent": False, "groups": [], "words": []}
    assert advise_request({"text": "", "subject": None, "writer": None})["urgent"] is False


@pytest.mark.parametrize("request_", [
    None, [], "text", {}, {"text": 3}, {"text": "x", "subject": 4},
    {"text": "x", "patient_age_days": "12"}, {"text": "x", "patient_age_days": -1},
    {"text": "x", "patient_age_days": True}, {"text": "x", "writer": "neighbour"},
])
def test_a_bad_request_gets_an_error_not_an_exception(request_):
    answer = advise_request(request_)
    assert set(answer) == {"error"} and answer["error"]


def test_the_words_can_be_found_in_text_or_subject():
    request = {"text": "Sinds een uur is mijn arm slap en mijn mond hangt scheef",
               "subject": "Benauwd"}
    answer = advise_request(request)
    assert answer["urgent"] and answer["words"]
    assert all(w in request["text"] or w in request["subject"] for w in answer["words"])


def test_the_advisor_is_built_once_per_process():
    assert default_advisor() is default_advisor()


def test_an_infant_with_fever_by_the_age_in_the_record(advisor):
    # A parent writes "onze dochter" without an age: the record's birth date (47 days) counts.
    found = advisor.advise("Onze dochter heeft 38,6 graden koorts", patient_age_days=47)
    assert [f.category for f in found] == ["infant_fever"]
    assert found[0].as_json()["category"] == "infant_fever"
    assert not advisor.advise("Onze dochter heeft 38,6 graden koorts", patient_age_days=400)


def test_second_contact_about_the_same_complaint_within_two_weeks(advisor):
    now = datetime(2026, 11, 26, 9, 0)
    assert advisor.second_contact == ("second_contact", timedelta(days=14))
    assert advisor.is_second_contact(now, "Koorts Niels",
                                     [(now - timedelta(days=3), "Zoon heeft koorts")])
    assert not advisor.is_second_contact(now, "Koorts Niels",
                                         [(now - timedelta(days=30), "Koorts")])
    assert not advisor.is_second_contact(now, "Oorpijn", [(now - timedelta(days=2), "Rugpijn")])
    assert not advisor.is_second_contact(now, "Vraag over recept",
                                         [(now - timedelta(days=2), "Vraag over uitslag")])


# -- the command ---------------------------------------------------------------------------------
def test_workbench_advise_reads_json_lines_and_answers_each(tmp_path):
    lines = [json.dumps({"text": "Ik ben erg benauwd en mijn lippen worden blauw"}),
             "dit is geen json", "",
             json.dumps({"text": "Graag een herhaalrecept", "writer": "patient"}),
             json.dumps({"text": 12})]
    done = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "advise"], input="\n".join(lines).encode(),
        capture_output=True, timeout=120, cwd=Path(__file__).resolve().parents[1], check=False)
    assert done.returncode == 0, done.stderr.decode()
    answers = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(answers) == 4
    assert answers[0]["urgent"] and "breathing" in answers[0]["groups"]
    assert set(answers[1]) == {"error"}
    assert answers[2] == {"urgent": False, "groups": [], "words": []}
    assert set(answers[3]) == {"error"}


# -- word-set rules: key ideas near each other, not fixed phrases -----------------------------------
@pytest.mark.parametrize("subject, text, writer, days, group", [
    ("", "zijn kuit is sinds vanmiddag steenkoud en krijtwit geworden", "partner", None,
     "limb_ischaemia"),
    ("", "haar linkerhand voelt dood aan, ze is lijkbleek en het doet zeer", "other", None,
     "limb_ischaemia"),
    ("", "hij lag een tijd te schokken en reageert nu nog steeds niet", "parent", 3000,
     "unconscious"),
    ("", "er zitten donkerpaarse stipjes op haar buik, met een glaasje erop blijven ze zichtbaar",
     "parent", 2000, "meningitis"),
    ("", "really heavy pressure op mijn chest sinds een uur", "patient", None, "chest_pain"),
    ("", "na de garnalen is zijn onderlip helemaal swollen en hij kan moeilijk slikken", "partner",
     None, "anaphylaxis"),
    ("", "ons kind heeft een paar magneetkogeltjes doorgeslikt", "parent", 1200, "ingestion"),
    ("", "het voelt alsof er een donker rolgordijn over mijn rechteroog zakt", "patient", None,
     "eye"),
    ("", "ze kreeg een stroomstoot van het kapotte snoer", "partner", None, "burns"),
    ("", "ze braakt al de hele middag groen spul", "parent", 4000, "acute_abdomen"),
    ("", "pijn in zijn balzak sinds hij wakker werd, het is rood", "parent", 4500,
     "testicular_torsion"),
    ("dorst", "ik heb altijd dorst en moet de hele dag plassen en ik ben zo suf", "patient", 6000,
     "glucose"),
    ("zoon 3 wil niks drinken sinds gisteren en is suf", "", "parent", None, "ill_child"),
    ("", "het leven heeft voor mij geen zin meer en ik heb mijn spullen al weggegeven", "patient",
     None, "suicidality"),
    ("", "opa (91) denkt ineens dat het 1950 is en zoekt zijn moeder", "other", None,
     "confusion_elderly"),
])
def test_word_set_rules_find_new_wordings(advisor, subject, text, writer, days, group):
    assert group in groups(advisor, text, subject=subject, writer=writer, patient_age_days=days)


@pytest.mark.parametrize("text", [
    "mijn tenen zijn in de winter altijd koud, is dat normaal?",
    "een blauwe plek op mijn been van het hockeyen, doet wat pijn",
    "kleine rode vlekjes op zijn arm, met een glas erop verdwijnen ze",
    "geen chest pain, alleen een beetje hoesten",
    "no chest pain and no shortness of breath, vraag over mijn bloeddruk",
    "die verbouwing bij de buren bezorgt me nog een hartinfarct",
    "ik schrok me bijna een hartaanval toen de deurbel ging",
    "ik krijg er een beroerte van, dat wachten op de brief van het ziekenhuis",
    "mag ik nog een doosje temazepam, de vorige is op",
    "is de uitslag van het hartfilmpje al binnen? ik had toen pijn op de borst",
    "in oktober lag ik op de ic met een longembolie, nu heb ik een vraag over de verzekering",
    "ik heb een brief geschreven aan de gemeente over de kinderopvang",
    "mijn zoon vindt magneten heel leuk, is dat gevaarlijk?",
])
def test_word_set_rules_and_general_exclusions_stay_silent(advisor, text):
    assert groups(advisor, text) == []


def test_a_word_set_rule_for_an_unknown_concept_names_the_file(tmp_path):
    (tmp_path / "eye.json").write_text(json.dumps({
        "group": "eye", "label": "Oog", "action": "Bel de patiënt nu", "life_threatening": False,
        "explanation": "x", "concepts": {"red": ["rood oog"]},
        "cooccurrence": {"blind": [{"window": 4, "all": [["oog"], ["blind"]]}]}}),
        encoding="utf-8")
    with pytest.raises(ValueError, match="eye.json"):
        load_sign_data(tmp_path, RESOURCE_DIR / "urgency_rules.json")


@pytest.mark.parametrize("remembered", [50_000, 2])  # the look-up of words met before, and
def test_the_fast_matcher_finds_what_spacys_matcher_finds(monkeypatch, remembered):  # cleared
    """Patterns that start with a regular expression or a fuzzy word, or hold a fuzzy word
    later, are matched by the pipeline's own matcher: exactly the matches of spaCy's Matcher,
    typos included (the pipeline's whole sign set is compared likewise on thousands of
    messages when this changes)."""
    import spacy
    from spacy.matcher import Matcher

    from workbench.services.urgency import pipeline
    from workbench.services.urgency.pipeline import _FirstWordMatcher

    monkeypatch.setattr(pipeline, "_STARTS_CACHED", remembered)
    nlp = spacy.blank("nl")
    patterns = {
        "temp": [{"NORM": {"REGEX": r"^(3[89]|4[0-2])[.,]\d$"}},
                 {"NORM": {"IN": ["graden", "°c"]}, "OP": "?"}],
        "benauwd": [{"NORM": {"FUZZY1": "benauwd"}}],
        "zweterig": [{"NORM": {"FUZZY": "zweterig"}}, {"NORM": "en", "OP": "?"},
                     {"NORM": {"FUZZY2": "klam"}}],
        "pijn": [{"NORM": "pijn"}, {"NORM": "op"}, {"NORM": {"FUZZY1": "borst"}}],
    }
    spacy_matcher = Matcher(nlp.vocab)
    for key, pattern in patterns.items():
        spacy_matcher.add(key, [pattern])
    ours = _FirstWordMatcher()
    ours.build(nlp, {}, {key: [pattern] for key, pattern in patterns.items()})
    assert len(ours._rest) == 0  # none of these was left to spaCy's Matcher
    texts = ["ik ben benouwd en zwetrig en klam", "koorts 39,5 graden en benauw",
             "pijn op de borst", "pijn op borts sinds vanochtend", "40,1 °c", "38,2",
             "bnauwd, zweterig klamm", "BENAUWD", "niets aan de hand"]
    for text in texts + texts[::-1]:  # the second time from what the matcher remembers
        doc = nlp(text)
        expected = {(nlp.vocab.strings[m], start, end) for m, start, end in spacy_matcher(doc)}
        found = {(span.label_, span.start, span.end)
                 for span in ours(doc).spans.get("ents", [])}
        assert found == expected, text
