"""A bug in the window (an exception no code handled) is logged with its traceback and shown
in a message; the app keeps running."""

from __future__ import annotations

import logging
import sys
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from workbench import logsetup
from workbench.ui.app import install_crash_handler


@pytest.fixture
def log_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    path = logsetup.configure_logging(folder=tmp_path)
    yield path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_workbench", False)]:
        root.removeHandler(handler)
        handler.close()
    monkeypatch.setattr(logsetup, "_configured", None)


def _close_message_boxes(seen: list[str]) -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            seen.append(widget.text())
            widget.done(0)


def _raise_in_a_slot() -> None:
    raise RuntimeError("a bug in a slot")


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_logged_and_shown(qtbot, qapp, log_folder):
    reporter = install_crash_handler(qapp)
    seen: list[str] = []
    closer = QTimer()
    closer.timeout.connect(lambda: _close_message_boxes(seen))
    closer.start(50)
    try:
        QTimer.singleShot(0, _raise_in_a_slot)
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
        # The app keeps running: its event loop still delivers.
        later = []
        QTimer.singleShot(0, lambda: later.append(True))
        qtbot.waitUntil(lambda: bool(later), timeout=2000)
    finally:
        closer.stop()
        reporter.uninstall()
    assert seen[0].startswith("Something went wrong; the details are in the log file.")
    assert str(log_folder) in seen[0]
    logged = log_folder.read_text(encoding="utf-8")
    assert "unexpected error (a bug) in the window" in logged
    assert "Traceback (most recent call last):" in logged
    assert "in _raise_in_a_slot" in logged and "RuntimeError: a bug in a slot" in logged


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_thread_is_shown_on_the_gui_thread(qtbot, qapp, log_folder):
    reporter = install_crash_handler(qapp)
    seen: list[str] = []
    closer = QTimer()
    closer.timeout.connect(lambda: _close_message_boxes(seen))
    closer.start(50)
    try:
        worker = threading.Thread(target=_raise_in_a_slot, name="worker-1")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    finally:
        closer.stop()
        reporter.uninstall()
    logged = log_folder.read_text(encoding="utf-8")
    assert "unexpected error (a bug) in thread worker-1" in logged
    assert "RuntimeError: a bug in a slot" in logged


def test_the_message_is_translated(qapp):
    from PySide6.QtCore import QLocale

    from workbench.ui.app import install_translations
    before = QLocale()
    translators = install_translations(qapp, "nl")
    try:
        assert QApplication.translate(
            "App", "Something went wrong; the details are in the log file.") == \
            "Er ging iets mis; de details staan in het logbestand."
    finally:
        for translator in translators:  # the other tests read the English source texts
            qapp.removeTranslator(translator)
        QLocale.setDefault(before)


@pytest.fixture
def restore_language(qapp):
    """run() installs the Dutch translation on the shared app; the other tests read English."""
    from PySide6.QtCore import QLocale
    before = QLocale()
    yield
    for translator in getattr(qapp, "_translators", []):
        qapp.removeTranslator(translator)
    qapp._translators = []
    QLocale.setDefault(before)


def test_the_window_refuses_values_that_cannot_work_in_dutch(qtbot, qapp, tmp_path, capsys,
                                                             restore_language):
    from workbench.config import load_settings
    from workbench.ui.app import run
    settings = load_settings({"portal_url": "http://127.0.0.1:9/fhir", "data_dir": str(tmp_path),
                              "page_size": 0, "language": "xx"})
    seen: list[str] = []
    closer = QTimer()
    closer.timeout.connect(lambda: _close_message_boxes(seen))
    closer.start(50)
    try:
        status = run(settings)
    finally:
        closer.stop()
    assert status == 2
    [text] = seen
    assert text.startswith("Workbench kan niet starten: de configuratie bevat waarden die niet "
                           "kunnen werken.")
    assert "- page_size is 0: it must be at least 1" in text
    assert "- language 'xx' is not shipped" in text
    assert "Configuration problem: page_size is 0" in capsys.readouterr().err
    assert not (tmp_path / "workbench.sqlite3").exists()  # nothing opened


def test_a_bug_while_the_window_starts_exits_7_with_the_traceback_logged(
        qapp, tmp_path, monkeypatch, log_folder, capsys, restore_language):
    from workbench.config import load_settings
    from workbench.ui import app as app_module

    def broken(settings):
        raise RuntimeError("open_store is broken")
    monkeypatch.setattr(app_module, "open_store", broken)
    settings = load_settings({"portal_url": "http://127.0.0.1:9/fhir",
                              "data_dir": str(tmp_path)})
    assert app_module.run(settings, self_test=True) == 7
    assert "a bug" in capsys.readouterr().err
    assert "RuntimeError: open_store is broken" in log_folder.read_text(encoding="utf-8")
