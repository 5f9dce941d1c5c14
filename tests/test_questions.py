"""The patient's questions picked out of real-looking Dutch e-consult texts."""

from __future__ import annotations

import pytest

from workbench.services.questions import extract_questions

CASES = [
    # 1. Question marks, greeting and thanks around them.
    ("Hallo dokter,\n\nIk heb sinds een week keelpijn. Moet ik langskomen? Mag ik wel gewoon "
     "sporten?\n\nAlvast bedankt,\nMarieke",
     ["Moet ik langskomen?", "Mag ik wel gewoon sporten?"]),
    # 2. No punctuation at all: lines are sentences.
    ("goedemorgen\nik heb al 3 dagen koorts\nis dat normaal\nkan ik paracetamol nemen\ngroetjes "
     "Kees",
     ["is dat normaal", "kan ik paracetamol nemen"]),
    # 3. Only statements: nothing to answer.
    ("Beste huisarts,\nIk wilde even laten weten dat het goed gaat met de nieuwe pillen. "
     "De hoofdpijn is weg.\nMet vriendelijke groet,\nJ. de Boer",
     []),
    # 4. Question words without question marks.
    ("Ik heb een rode vlek op mijn arm sinds het weekend. Wat kan het zijn. Hoe lang duurt "
     "het voordat het weggaat.",
     ["Wat kan het zijn.", "Hoe lang duurt het voordat het weggaat."]),
    # 5. "Wanneer" opening a clause is not a question.
    ("Wanneer ik slik doet het pijn aan de rechterkant. Wanneer kan ik de uitslag verwachten?",
     ["Wanneer kan ik de uitslag verwachten?"]),
    # 6. Indirect questions.
    ("Beste dokter, ik vraag me af of ik mijn bloeddrukpillen moet blijven slikken nu de "
     "bloeddruk goed is. Ook wil ik graag weten wanneer de volgende controle is.",
     ["ik vraag me af of ik mijn bloeddrukpillen moet blijven slikken nu de bloeddruk goed is.",
      "Ook wil ik graag weten wanneer de volgende controle is."]),
    # 7. Requests to let the patient know.
    ("Is het mogelijk om een verwijzing voor de fysiotherapeut te krijgen. Kunt u mij laten "
     "weten of dat via de mail kan.\nGroet, Ahmed",
     ["Is het mogelijk om een verwijzing voor de fysiotherapeut te krijgen.",
      "Kunt u mij laten weten of dat via de mail kan."]),
    # 8. The same question twice.
    ("Is de uitslag van het bloedonderzoek al binnen? Ik heb nog niets gehoord. "
     "Is de uitslag van het bloedonderzoek al binnen?",
     ["Is de uitslag van het bloedonderzoek al binnen?"]),
    # 9. Greeting on the same line as the question.
    ("Hallo dokter, kunt u mijn herhaalrecept voor omeprazol klaarzetten?",
     ["kunt u mijn herhaalrecept voor omeprazol klaarzetten?"]),
    # 10. Parent about a child, mixed forms.
    ("Goedenavond,\nMijn dochter (4) heeft sinds gisteren 39,5 koorts en wil weinig drinken.\n"
     "Hoeveel paracetamol mag ze hebben?\nMoet ik me zorgen maken\nDank u wel!",
     ["Hoeveel paracetamol mag ze hebben?", "Moet ik me zorgen maken"]),
    # 11. Numbered questions.
    ("Ik heb een paar vragen over mijn nieuwe medicatie:\n1. Mag ik alcohol drinken\n"
     "2. Moet ik de tablet bij het eten innemen?\n3) Wat doe ik als ik een dosis vergeet",
     ["Mag ik alcohol drinken", "Moet ik de tablet bij het eten innemen?",
      "Wat doe ik als ik een dosis vergeet"]),
    # 12. An ellipsis statement is not a question.
    ("Ik heb last van mijn rug. Heb ik al geprobeerd met warmte maar helpt niet. "
     "Weet ik niet meer wat ik moet doen. Zou u een foto willen bekijken?",
     ["Zou u een foto willen bekijken?"]),
    # 13. A question at the end of a long sentence after a comma.
    ("hoi ik heb al twee weken last van een verstopte neus, moet ik een neusspray gebruiken, "
     "groetjes Fatima",
     ["moet ik een neusspray gebruiken"]),
    # 14. Abbreviations do not cut a question in two.
    ("Mag ik bijv. ibuprofen nemen naast mijn bloedverdunners? Dr. Jansen zei eerder van niet.",
     ["Mag ik bijv. ibuprofen nemen naast mijn bloedverdunners?"]),
    # 15. Verb-first questions without question marks.
    ("Klopt het dat de griepprik dit jaar later is\nZijn er nog plekken vrij op het spreekuur "
     "van vrijdag\nIk hoor het graag.",
     ["Klopt het dat de griepprik dit jaar later is",
      "Zijn er nog plekken vrij op het spreekuur van vrijdag"]),
    # 16. Thanks and a signature only.
    ("Bedankt voor de snelle reactie!\nGroet,\nPiet", []),
    # 17. Windows line ends, several question marks and a smiley.
    ("Waarom moet ik nuchter komen voor het bloedprikken??\r\nWelke tijden kan ik terecht? :)",
     ["Waarom moet ik nuchter komen voor het bloedprikken??",
      "Welke tijden kan ik terecht?"]),
    # 18. Text that only looks like a question word inside a statement.
    ("Wat ik ook probeer, de jeuk blijft. Hoe het komt weet ik niet. Graag hoor ik of ik een "
     "zalf kan krijgen.",
     ["Graag hoor ik of ik een zalf kan krijgen."]),
    # 19. Exclamations are not questions; a question after a colon is.
    ("Wat fijn dat het e-consult er is! Ik heb een vraag over mijn medicijnen: mag ik die "
     "samen met ibuprofen nemen",
     ["mag ik die samen met ibuprofen nemen"]),
    # 20. Empty text.
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[str(i + 1) for i in range(len(CASES))])
def test_questions_from_patient_texts(text, expected):
    assert extract_questions(text) == expected


def test_questions_are_trimmed_and_keep_the_patients_words():
    assert extract_questions("   Is dat normaal   \n\n  ") == ["Is dat normaal"]
    assert extract_questions("Kan ik langskomen?\n- Kan ik langskomen?") == ["Kan ik langskomen?"]


# Written the way patients write: lower case, no punctuation, several questions run together
# with "en" or nothing at all, typos (d/t, "hoelang", "diaree"). Statements that look alike
# ("en is erg moe", "sinds ik de pil gebruik kan ik") must not become questions.
RUN_ON_CASES = [
    ("hoe lang moet ik dit nog innemen en mag ik ook paracetamol",
     ["hoe lang moet ik dit nog innemen", "mag ik ook paracetamol"]),
    ("ik ben 32 weken zwanger en heb last van maagzuur mag ik rennie nemen groetjes anouk",
     ["mag ik rennie nemen"]),
    ("hallo ik gebruik nu 2 weken de amlodipine maar ik krijg er dikke enkels van is dat "
     "normaal en moet ik ermee stoppen",
     ["is dat normaal", "moet ik ermee stoppen"]),
    ("mijn zoontje van 3 heeft al 2 dagen koorts en is erg hangerig en drinkt weinig is dat "
     "erg en wanneer moet ik me zorgen maken",
     ["is dat erg", "wanneer moet ik me zorgen maken"]),
    ("ik heb een uitslag op mijn arm het jeukt heel erg wat kan dat zijn en welke zalf kan ik "
     "het beste gebruiken",
     ["wat kan dat zijn", "welke zalf kan ik het beste gebruiken"]),
    ("ik heb de uitslag gekregen van het bloed onderzoek maar ik snap het niet zo goed wat "
     "betekend een verhoogd cholesterol en moet ik nu medicijnen",
     ["wat betekend een verhoogd cholesterol", "moet ik nu medicijnen"]),
    ("mijn dochter van 8 maanden heeft diaree en spuugt veel\nhoeveel moet ze drinken en "
     "wanneer moet ik bellen",
     ["hoeveel moet ze drinken", "wanneer moet ik bellen"]),
    ("sinds vorige week heb ik pijn bij het plassen ik heb veel water gedronken maar het gaat "
     "niet weg moet ik urine inleveren en hoe laat kan dat",
     ["moet ik urine inleveren", "hoe laat kan dat"]),
    ("beste assistente ik gebruik sinds een maand sertraline en ik voel me nog steeds somber "
     "hoelang duurt het voor het werkt en mag ik de dosis verhogen",
     ["hoelang duurt het voor het werkt", "mag ik de dosis verhogen"]),
    ("ik heb een vraag over mijn vaccinaties voor thailand welke prikken heb ik nodig en kan "
     "dat bij jullie",
     ["welke prikken heb ik nodig", "kan dat bij jullie"]),
    ("hallo mijn recept van de omeprazol is op kunt u die weer voorschrijven naar de apotheek "
     "op het plein dankuwel",
     ["kunt u die weer voorschrijven naar de apotheek op het plein"]),
    ("als de pijn erger wordt moet ik dan bellen of kan ik gewoon langskomen",
     ["moet ik dan bellen of kan ik gewoon langskomen"]),
    ("Beste dokter ik heb steeds hoofdpijn sinds ik de pil gebruik en ik wil weten of dat door "
     "de pil komt en kan ik een andere krijgen",
     ["ik wil weten of dat door de pil komt", "kan ik een andere krijgen"]),
    # Statements only, with the same words and word order nearby.
    ("mijn moeder is gevallen en heeft het benauwd sinds gisteren", []),
    ("mijn oma van 90 eet slecht en is erg moe de laatste tijd", []),
    ("sinds ik de pil gebruik kan ik slecht slapen", []),
    ("als ik ga liggen kan ik slecht ademen en mijn enkels zijn dik", []),
    ("ik heb het gevoel dat de antibiotica niet werkt en ik heb nog steeds koorts", []),
    ("dat kan ik zelf niet meer\nsinds vrijdag kan ik niet meer lopen", []),
]


@pytest.mark.parametrize(("text", "expected"), RUN_ON_CASES,
                         ids=[f"run-on {i + 1}" for i in range(len(RUN_ON_CASES))])
def test_questions_run_together_without_punctuation(text, expected):
    assert extract_questions(text) == expected
