"""The Dutch translation is complete, shipped compiled, and used by default."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from workbench.config import load_settings
from workbench.ui.app import I18N, install_translations

ROOT = Path(__file__).resolve().parents[2]


def messages(ts_file: Path) -> dict[tuple[str, str], ET.Element]:
    found = {}
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.find("name").text
        for message in context.iter("message"):
            found[(name, message.find("source").text)] = message.find("translation")
    return found


def test_every_user_interface_string_has_a_dutch_translation(tmp_path):
    fresh = tmp_path / "fresh.ts"
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    subprocess.run([str(lupdate), *map(str, sorted((ROOT / "workbench" / "ui").glob("*.py"))),
                    "-ts", str(fresh)], check=True, capture_output=True)
    in_code = set(messages(fresh))
    shipped = messages(I18N / "workbench_nl.ts")
    assert in_code - set(shipped) == set(), "run lupdate and translate the new strings"
    def translated(element: ET.Element) -> bool:
        # Plural forms ("%n handeling", "%n handelingen") are kept in numerusform elements.
        forms = [form.text for form in element.iter("numerusform")] or [element.text]
        return all((form or "").strip() for form in forms)

    unfinished = [key for key in in_code
                  if shipped[key].get("type") in ("unfinished", "vanished")
                  or not translated(shipped[key])]
    assert unfinished == []


def test_the_shipped_qm_is_compiled_from_the_shipped_ts(tmp_path):
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    compiled = tmp_path / "check.qm"
    subprocess.run([str(lrelease), str(I18N / "workbench_nl.ts"), "-qm", str(compiled)],
                   check=True, capture_output=True)
    assert compiled.read_bytes() == (I18N / "workbench_nl.qm").read_bytes(), \
        "run pyside6-lrelease resources/i18n/workbench_nl.ts"


def test_dutch_is_the_default_and_qt_speaks_dutch_too(qapp):
    assert load_settings().language == "nl"
    translators = install_translations(qapp, "nl")
    try:
        assert len(translators) == 2  # ours and Qt's own
        assert QCoreApplication.translate("MainWindow", "&File") == "&Bestand"
        assert QCoreApplication.translate("ConsultPane", "Possible emergency: call the patient") \
            == "Mogelijk spoed: bel de patiënt"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuleren"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


def test_no_translation_hides_from_lupdate():
    """lupdate sees only literal texts in tr() and QCoreApplication.translate(): a helper that
    passes a variable on would leave its strings untranslated without this test noticing."""
    hidden = re.compile(r"translate\(\s*\"[^\"]+\",\s*[A-Za-z_][A-Za-z_0-9]*\s*[,)]")
    found = [f"{path.name}: {match.group(0)}"
             for path in sorted((ROOT / "workbench" / "ui").glob("*.py"))
             for match in hidden.finditer(path.read_text("utf-8"))]
    assert found == []


def test_the_dutch_menus_have_different_keys(qapp):
    """Alt plus a letter opens one menu: no two Dutch menu titles share their key."""
    translators = install_translations(qapp, "nl")
    try:
        titles = [QCoreApplication.translate(context, text) for context, text in (
            ("MainWindow", "&File"), ("MainWindow", "&E-consult"), ("MainWindow", "&View"),
            ("AdminMenu", "&Admin"), ("MainWindow", "&Help"))]
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
    keys = [title[title.index("&") + 1].lower() for title in titles]
    assert len(set(keys)) == len(keys), titles
