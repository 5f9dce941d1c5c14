"""Help > About Workbench: the version, GPL-3.0-or-later, the warranty disclaimer and the
third-party licenses in a scrollable text."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from workbench import __version__
from workbench.bootstrap import open_store
from workbench.config import load_settings
from workbench.store.models import Role
from workbench.ui.about_dialog import AboutDialog
from workbench.ui.app import DesktopApp


@pytest.fixture
def window(qtbot, demo_portal, tmp_path):
    settings = load_settings({"portal_url": demo_portal.base_url, "data_dir": str(tmp_path),
                              "auth": "none"})
    store = open_store(settings)
    desktop = DesktopApp(settings, store)
    assert desktop.first_pull() is None
    user = next(p for p in desktop.queries.practitioners() if p.role is Role.ASSISTANT)
    window = desktop.open_window(user)
    qtbot.addWidget(window)
    yield window
    desktop.sync.stop()
    window.close()
    desktop.tasks.wait_for_done()
    store.close()


def _about_action(window):
    help_menu = next(action.menu() for action in window.menuBar().actions()
                     if action.text().replace("&", "") == "Help")
    return next(action for action in help_menu.actions()
                if action.text().replace("&", "") == "About Workbench")


def test_help_about_shows_the_license_and_the_third_party_licenses(qtbot, window):
    _about_action(window).trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert __version__ in dialog.findChild(QLabel, "about_title").text()
    assert "GPL-3.0-or-later" in dialog.findChild(QLabel, "about_license").text()
    assert "NO WARRANTY" in dialog.findChild(QLabel, "about_warranty").text()

    third_party = dialog.findChild(QPlainTextEdit, "third_party_text")
    assert third_party.isReadOnly()
    listing = third_party.toPlainText()
    for name in ("clinlp", "spacy", "PySide6_Essentials", "SQLAlchemy", "numpy"):
        assert f"\n{name} " in listing
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in listing  # Qt's, which ships no file itself
    assert third_party.verticalScrollBar().maximum() > 0  # long: it scrolls
    gpl = dialog.findChild(QPlainTextEdit, "license_text").toPlainText()
    assert gpl.lstrip().startswith("GNU GENERAL PUBLIC LICENSE")
    dialog.reject()


def test_a_missing_license_file_is_said_not_fatal(qtbot, tmp_path):
    dialog = AboutDialog(third_party_file=tmp_path / "absent.txt",
                         license_files=(tmp_path / "LICENSE",))
    qtbot.addWidget(dialog)
    assert "missing" in dialog.third_party_text.toPlainText()
    assert "gnu.org/licenses/gpl-3.0" in dialog.license_text.toPlainText()
