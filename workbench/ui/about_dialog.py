"""Help > About Workbench: the version, the license (GPL-3.0-or-later, no warranty) and the
licenses of the third-party software the app carries."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench import __version__
from workbench.resources import RESOURCE_DIR

LICENSE_SPDX = "GPL-3.0-or-later"
LICENSES_DIR = RESOURCE_DIR / "licenses"
THIRD_PARTY_FILE = LICENSES_DIR / "THIRD-PARTY-LICENSES.txt"
# A bundle carries the GPL in resources/licenses/; a source tree has it at the top.
LICENSE_FILES = (LICENSES_DIR / "LICENSE", RESOURCE_DIR.parent / "LICENSE")


class AboutDialog(QDialog):
    """Version, license and warranty disclaimer, and two read-only texts: the third-party
    licenses (tools/third_party_licenses.py writes them) and the GNU GPL itself."""

    def __init__(self, parent: QWidget | None = None, *,
                 third_party_file: Path = THIRD_PARTY_FILE,
                 license_files: tuple[Path, ...] = LICENSE_FILES) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(self.tr("About Workbench"))
        layout = QVBoxLayout(self)

        title = QLabel(self.tr("<b>Workbench %1</b>: e-consult triage for GP practices.")
                       .replace("%1", __version__))
        title.setObjectName("about_title")
        license_label = QLabel(self.tr(
            "Workbench is free software: you can redistribute it and/or modify it under the "
            "terms of the GNU General Public License, version 3 or (at your option) any later "
            "version (%1).").replace("%1", LICENSE_SPDX))
        license_label.setObjectName("about_license")
        warranty = QLabel(self.tr(
            "Workbench comes with ABSOLUTELY NO WARRANTY, to the extent permitted by law; "
            "see the license for details. Its urgency advice supports, and never replaces, "
            "the judgement of the practice."))
        warranty.setObjectName("about_warranty")
        for label in (title, license_label, warranty):
            label.setWordWrap(True)
            layout.addWidget(label)

        self.tabs = QTabWidget()
        self.third_party_text = self._text_view("third_party_text",
                                                _read(third_party_file, self.tr(
                                                    "The list of third-party licenses is "
                                                    "missing: %1")))
        self.license_text = self._text_view("license_text", _read_first(license_files, self.tr(
            "The license text is missing: %1. See https://www.gnu.org/licenses/gpl-3.0.html")))
        self.tabs.addTab(self.third_party_text, self.tr("Third-party software"))
        self.tabs.addTab(self.license_text, self.tr("License (GNU GPL)"))
        layout.addWidget(self.tabs, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 560)

    @staticmethod
    def _text_view(name: str, text: str) -> QPlainTextEdit:
        view = QPlainTextEdit()
        view.setObjectName(name)
        view.setReadOnly(True)
        view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)  # tables stay tables
        view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        view.setPlainText(text)
        return view


def _read(path: Path, missing: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return missing.replace("%1", str(path))


def _read_first(paths: tuple[Path, ...], missing: str) -> str:
    for path in paths:
        if path.is_file():
            return _read(path, missing)
    return missing.replace("%1", str(paths[0]))
