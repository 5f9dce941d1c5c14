"""Urgency advice on real Dutch patient texts: alarm signs found, routine questions left alone."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from workbench.services.urgency import UrgencyAdvisor


@pytest.fixture(scope="module")
def advisor():
    return UrgencyAdvisor()


@pytest.mark.parametrize("text, category", [
    ("Sinds vanochtend heb ik pijn op de borst die uitstraalt naar mijn linkerarm", "chest_pain"),
    ("Ik heb een drukkend gevoel op mijn borst en zweet erg", "chest_pain"),
    ("Mijn vader is erg benauwd en kan bijna niet ademen", "breathing"),
    ("Ik ben sinds gisteren kortademig bij het traplopen", "breathing"),
    ("Mijn moeder heeft opeens een scheve mond en kan niet goed praten", "neurological"),
    ("Sinds een uur krachtsverlies in mijn rechterarm", "neurological"),
    ("De wond blijft bloeden, er komt veel bloed uit", "bleeding"),
    ("Ik wil eigenlijk niet meer leven, ik zie het niet meer zitten", "suicidal"),
    ("Ik denk soms aan zelfmoord", "suicidal"),
    ("Hevige pijn in mijn buik, het wordt steeds erger", "severe_pain"),
    ("Het gaat snel achteruit met hem sinds vanmiddag", "worsening"),
])
def test_alarm_texts_are_flagged(advisor, text, category):
    assert category in {m.category for m in advisor.check(text)}


@pytest.mark.parametrize("text", [
    "Mag ik een herhaalrecept voor mijn bloeddrukpillen?",
    "Is de uitslag van mijn bloedonderzoek al binnen?",
    "Ik heb al twee weken last van mijn rug bij het tillen",
    "Kunt u een verwijzing voor de fysiotherapeut maken?",
    "Mijn zoon van 8 heeft een beetje koorts, moet ik me zorgen maken?",
    "Ik ben verhuisd, hoe geef ik mijn nieuwe adres door?",
])
def test_routine_texts_are_not_flagged(advisor, text):
    assert advisor.check(text, birth_date=date(2018, 1, 1), sent=datetime(2026, 11, 26)) == []


def test_fever_is_an_alarm_only_in_a_baby_under_three_months(advisor):
    sent = datetime(2026, 11, 26, 9, 0)
    text = "Onze dochter heeft 38,6 graden koorts en drinkt slecht"
    baby = date(2026, 10, 10)
    toddler = date(2024, 5, 1)
    assert [m.category for m in advisor.check(text, baby, sent)] == ["baby_fever"]
    assert advisor.check(text, toddler, sent) == []


def test_second_contact_about_the_same_complaint_within_two_weeks(advisor):
    now = datetime(2026, 11, 26, 9, 0)
    assert advisor.is_second_contact(now, "Koorts Niels",
                                     [(now - timedelta(days=3), "Zoon heeft koorts")])
    assert not advisor.is_second_contact(now, "Koorts Niels",
                                         [(now - timedelta(days=30), "Koorts")])
    assert not advisor.is_second_contact(now, "Oorpijn", [(now - timedelta(days=2), "Rugpijn")])
    assert not advisor.is_second_contact(now, "Vraag over recept",
                                         [(now - timedelta(days=2), "Vraag over uitslag")])
    assert not advisor.is_second_contact(now, "Koorts", [])


def test_the_patients_own_words_are_reported(advisor):
    [match] = advisor.check("Ik heb PIJN OP DE BORST")
    assert match.words == "PIJN OP DE BORST"
