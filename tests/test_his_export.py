"""ICPC codes to choose from and the SOEP journal text a GP pastes into the HIS."""

from __future__ import annotations

import json
import re
from datetime import date

from workbench.services.his_export import (
    ICPC_FILE,
    IcpcCode,
    load_icpc_codes,
    search_icpc,
    soep_journal_text,
    strip_salutations,
    suggest_icpc,
)

COUGH = IcpcCode("R05", "Hoesten")


def test_icpc_selection_has_the_common_e_consult_subjects():
    codes = load_icpc_codes()
    assert len(codes) >= 60
    assert all(re.fullmatch(r"[A-Z]\d\d", c.code) and c.title for c in codes)
    assert len({c.code for c in codes}) == len(codes)
    by_code = {c.code: c.title for c in codes}
    for code, title in [("A03", "Koorts"), ("R05", "Hoesten"), ("S03", "Wratten"),
                        ("R74", "Acute infectie bovenste luchtwegen"), ("R21", "Klachten keel"),
                        ("S87", "Eczeem/constitutioneel"), ("L03", "Lage rugpijn zonder "
                         "uitstraling"), ("T90", "Diabetes mellitus"), ("P76", "Depressie"),
                        ("A97", "Geen ziekte"), ("K86", "Hypertensie zonder orgaanschade"),
                        ("A98", "Gezondheidsbevordering/preventie"),
                        ("S06", "Lokale roodheid/erytheem")]:
        assert by_code[code] == title
    data = json.loads(ICPC_FILE.read_text(encoding="utf-8"))
    assert "NHG-Tabel 24" in data["note"]  # marked as a selection of the full table


def test_search_by_code_and_by_title_without_accents():
    assert search_icpc("r05")[0] == COUGH
    assert search_icpc("R0")[0].code.startswith("R0")
    assert [c.code for c in search_icpc("hoest")] == ["R05"]
    assert "T86" in [c.code for c in search_icpc("hypothyreoidie")]
    assert "S72" in [c.code for c in search_icpc("SCABIES")]
    assert [c.code for c in search_icpc("rugpijn uitstraling")] == ["L03", "L86"]
    assert search_icpc("olifant") == []
    assert len(search_icpc("  ")) == len(load_icpc_codes())


def test_code_match_comes_before_title_match():
    codes = [IcpcCode("S03", "Wratten"), IcpcCode("A03", "Koorts"),
             IcpcCode("X99", "Iets met a03 in de titel")]
    assert [c.code for c in search_icpc("a03", codes)] == ["A03", "X99"]


def test_journal_text_lines_in_soep_order():
    text = soep_journal_text(
        question="  Ik hoest al 2 weken.\nMoet ik langskomen?  \n",
        answer="Beste meneer Jansen,\n\nHoesten gaat meestal vanzelf over.\n\nMet vriendelijke groet,"
               "\nDr. Bakker",
        icpc=COUGH, when=date(2026, 11, 26), author_name="Dr. Bakker")
    assert text == (
        "E-consult 26-11-2026 R05 Hoesten (Dr. Bakker)\n"
        "S: Ik hoest al 2 weken.\n"
        "   Moet ik langskomen?\n"
        "O: n.v.t. (e-consult)\n"
        "E: R05 Hoesten\n"
        "P: Beste meneer Jansen,\n"
        "\n"
        "   Hoesten gaat meestal vanzelf over.\n"
        "\n"
        "   Met vriendelijke groet,\n"
        "   Dr. Bakker\n")
    assert [line[:2] for line in text.splitlines() if re.match(r"[SOEP]:", line)] == \
        ["S:", "O:", "E:", "P:"]


def test_journal_text_is_plain_and_keeps_what_the_patient_typed():
    question = "Is <b>dit</b> erg? &amp; <script>alert(1)</script>\r\nNog iets\r\r\n\r\n\r\nPiet"
    text = soep_journal_text(question, "Nee.", IcpcCode("S06", "Lokale roodheid/erytheem"),
                             date(2026, 1, 5), "A. de Wit", contact_kind="E-consult")
    assert "\r" not in text
    assert "S: Is <b>dit</b> erg? &amp; <script>alert(1)</script>\n" in text
    assert "   Nog iets\n\n   Piet\n" in text  # blank lines kept, but one at most
    assert text.splitlines()[0] == "E-consult 05-01-2026 S06 Lokale roodheid/erytheem (A. de Wit)"
    assert "E: S06 Lokale roodheid/erytheem\n" in text and text.endswith("P: Nee.\n")


def test_other_contact_kind_and_empty_answer():
    text = soep_journal_text("Vraag", "", COUGH, date(2026, 2, 3), "", contact_kind="Telefonisch")
    assert text.splitlines() == ["Telefonisch 03-02-2026 R05 Hoesten", "S: Vraag",
                                 "O:", "E: R05 Hoesten", "P:"]


def test_patient_name_and_birth_date_head_the_text():
    text = soep_journal_text("Ik hoest.", "Rust.", COUGH, date(2026, 11, 26), "Dr. Bakker",
                             patient_name="J. Jansen", birth_date=date(1980, 5, 1))
    assert text.splitlines()[:2] == ["Patiënt: J. Jansen, geb. 01-05-1980",
                                     "E-consult 26-11-2026 R05 Hoesten (Dr. Bakker)"]
    partial = soep_journal_text("Vraag", "", COUGH, date(2026, 11, 26), "",
                                patient_name="J. Jansen", birth_date="1980-05")
    assert partial.splitlines()[0] == "Patiënt: J. Jansen, geb. 1980-05"


def test_s_line_leaves_out_greeting_and_closing():
    question = ("Goedemorgen,\n\nIk hoest al 2 weken.\nMoet ik langskomen?\n\nGroetjes,\n"
                "Piet Jansen")
    text = soep_journal_text(question, "Nee.", COUGH, date(2026, 11, 26), "")
    assert "S: Ik hoest al 2 weken.\n   Moet ik langskomen?\nO:" in text
    assert "Goedemorgen" not in text and "Groetjes" not in text and "Piet" not in text
    assert strip_salutations("Beste dokter, ik heb hoofdpijn sinds gisteren. Mvg Jan de Vries") \
        == "Ik heb hoofdpijn sinds gisteren."
    assert strip_salutations("Beste dokter,\nMijn dochter heeft jeuk.\nMet vriendelijke groet,"
                             "\nA. de Wit\n06-12345678") == "Mijn dochter heeft jeuk."
    assert strip_salutations("Dag 3 van de koorts, wat nu?\nMvg") == \
        "Dag 3 van de koorts, wat nu?"
    assert strip_salutations("Hallo\nMijn knie is dik.\nGroet Piet") == "Mijn knie is dik."


def test_a_code_is_suggested_from_the_question_but_only_when_it_fits():
    assert suggest_icpc("Goedemorgen, ik hoest al 2 weken") == COUGH
    assert suggest_icpc("Ik heb sinds gisteren hoofdpijn").code == "N01"
    assert suggest_icpc("Mijn dochter heeft jeuk aan haar hoofd").code == "S02"
    assert suggest_icpc("Pijn in mijn buik").code == "D01"
    assert suggest_icpc("Ik heb pijn") is None  # "pijn" alone says not where
    assert suggest_icpc("Kan ik een afspraak maken?") is None
    assert suggest_icpc("") is None
