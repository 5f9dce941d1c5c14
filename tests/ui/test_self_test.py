"""`workbench --self-test`, the smoke test IT and the installer build run on a finished app."""

from __future__ import annotations

import os
import subprocess
import sys
from types import SimpleNamespace

from PySide6.QtCore import QLocale

from workbench.config import load_settings
from workbench.ui.app import create_application, shipped_data_problems


def _workbench(*args: str, tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_AUTH": "none"}
    return subprocess.run([sys.executable, "-m", "workbench.cli", *args], capture_output=True,
                          text=True, env=env, timeout=240, cwd=tmp_path)


def test_self_test_opens_the_window_and_pulls_the_demo_portal(tmp_path):
    done = _workbench("--demo", "--self-test", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "self-test: window open, pull done" in done.stdout


def test_self_test_fails_with_the_reason_when_the_portal_is_down(tmp_path):
    done = _workbench("--self-test", "--portal", "http://127.0.0.1:9/fhir", "--data-dir",
                      str(tmp_path / "data"), tmp_path=tmp_path)
    assert done.returncode == 3
    assert "portal" in done.stderr.lower()


def test_the_shipped_data_is_found(qapp):
    before = QLocale()
    app = create_application(load_settings())
    try:
        assert len(app._translators) == 2
        assert shipped_data_problems(app, "nl") == []
    finally:  # the other tests read the English source texts
        for translator in app._translators:
            app.removeTranslator(translator)
        app._translators = []
        QLocale.setDefault(before)
    # An app that could not load its translations (as a bundle without them) is reported.
    [problem] = shipped_data_problems(SimpleNamespace(_translators=[]), "nl")
    assert "translations for 'nl' missing" in problem
    assert shipped_data_problems(SimpleNamespace(_translators=[]), "en") == []
