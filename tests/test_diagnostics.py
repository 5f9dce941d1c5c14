"""Support: rotating log files with ids and no medical text, and diagnostics without secrets."""

from __future__ import annotations

import json

from workbench import cli
from workbench.config import load_settings
from workbench.logsetup import LOG_FILE_NAME, last_lines, log_dir
from workbench.services.diagnostics import diagnostics_text


def test_a_pull_is_logged_with_ids_and_without_patient_text(capsys, start_portal, tmp_path):
    portal = start_portal(seed=41, consults=80, malformed=4, photo_share=0.0)
    status = cli.main(["sync", "--once", "--json", "--portal", portal.base_url,
                       "--data-dir", str(tmp_path)])
    # Malformed messages wait in "Niet verwerkt": a pull that leaves them is not a clean one.
    assert status == 1
    assert json.loads(capsys.readouterr().out)["quarantined_open"] > 0
    log = (log_dir() / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "sync done" in log and "quarantined Communication/bad-" in log
    texts = [c["payload"][0].get("contentString", "") for c in
             portal.dataset.communications.values() if c.get("payload")]
    assert not any(text and text[:40] in log for text in texts)


def test_diagnostics_show_settings_and_log_but_no_password(tmp_path):
    settings = load_settings({"database_url": "postgresql://praktijk:geheim@db.local/wb",
                              "portal_url": "https://portaal.example.nl/fhir"})
    text = diagnostics_text(settings, ["2026-11-26 line one", "line two"], "6.11.3")
    assert "geheim" not in text and "praktijk:***@db.local" in text
    assert "portal_url = 'https://portaal.example.nl/fhir'" in text
    assert text.rstrip().endswith("line two") and "Qt 6.11.3" in text


def test_last_lines_of_a_missing_log_is_empty(tmp_path):
    assert last_lines(folder=tmp_path) == []


def test_a_windowed_app_without_stderr_still_logs_to_its_file(monkeypatch, start_portal,
                                                              tmp_path):
    # PyInstaller's windowed Windows app runs with sys.stdout and sys.stderr set to None.
    portal = start_portal(seed=41, consults=20, photo_share=0.0)
    monkeypatch.setattr("sys.stdout", None)
    monkeypatch.setattr("sys.stderr", None)
    status = cli.main(["sync", "--once", "-v", "--portal", portal.base_url,
                       "--data-dir", str(tmp_path)])
    assert status == 0
    assert "sync done" in (log_dir() / LOG_FILE_NAME).read_text(encoding="utf-8")
