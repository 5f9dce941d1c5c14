"""`workbench` on a workstation IT has not set up yet: a Dutch window that says what to set and
where; without a display, one clear sentence instead of Qt's abort."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from workbench.config import load_settings, validate
from workbench.ui.app import install_translations
from workbench.ui.setup_message import configuration_message, display_missing


def test_no_portal_address_opens_a_dutch_window_that_says_what_it_must_set(qapp, tmp_path):
    settings = load_settings({"data_dir": str(tmp_path)})
    problems = validate(settings)
    config_file = tmp_path / "etc" / "workbench.toml"
    translators = install_translations(qapp, "nl")
    try:
        box = configuration_message(settings, problems, config_file)
        text = box.text()
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
    assert "nog niet ingesteld" in text and "portaal" in text
    assert str(config_file) in text and "portal_url" in text  # where, and what
    assert "workbench credentials set" in text and "workbench check" in text
    assert box.windowTitle() == "Workbench is nog niet ingesteld"


def test_a_value_that_cannot_work_is_named_in_the_window(qapp, tmp_path):
    settings = load_settings({"data_dir": str(tmp_path), "portal_url": "http://portaal.nl",
                              "practice_hours_start": "25:99"})
    problems = validate(settings)
    assert problems
    box = configuration_message(settings, problems, tmp_path / "w.toml")
    assert all(words in box.text() for words in problems)


def test_no_display_is_said_in_a_sentence_not_a_qt_abort(tmp_path):
    assert display_missing("linux", {}) is not None
    assert display_missing("linux", {"DISPLAY": ":0"}) is None
    assert display_missing("linux", {"QT_QPA_PLATFORM": "offscreen"}) is None
    assert display_missing("win32", {}) is None
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "WORKBENCH_CONFIG":
           str(tmp_path / "none.toml"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    done = subprocess.run([sys.executable, "-m", "workbench.cli"], env=env, capture_output=True,
                          text=True, timeout=120, cwd=Path(__file__).parents[2])
    assert done.returncode == 2
    assert "QT_QPA_PLATFORM=offscreen" in done.stderr and "Traceback" not in done.stderr
