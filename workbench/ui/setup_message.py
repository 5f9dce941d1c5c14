"""What to say when Workbench cannot start on this workstation yet: a configuration IT has
still to set up (a window in the user's language, a line on stderr for IT), or no display."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.config import Settings

PORTAL_EXAMPLE = 'portal_url = "https://portaal.voorbeeldpraktijk.nl/fhir"'


def display_missing(platform: str = sys.platform, environ=os.environ) -> str | None:
    """Why no window can open (Linux without X11 or Wayland and no Qt platform chosen), in
    a sentence for IT; None when a display is there or not needed."""
    if not platform.startswith("linux"):
        return None
    if (
        environ.get("QT_QPA_PLATFORM")
        or environ.get("DISPLAY")
        or environ.get("WAYLAND_DISPLAY")
    ):
        return None
    return (
        "Workbench is a desktop program and found no display (neither DISPLAY nor "
        "WAYLAND_DISPLAY is set). Start it in a desktop session; for a test without a "
        "screen, set QT_QPA_PLATFORM=offscreen (e.g. with --self-test)."
    )


def configuration_message(
    settings: Settings,
    problems: list[str],
    config_file: Path,
    parent: QWidget | None = None,
) -> QMessageBox:
    """The window for someone who started the app from the menu (no terminal to read): what
    is missing or wrong, which file IT edits, and what goes in it."""
    if not settings.portal_url and len(problems) == 1:
        text = QCoreApplication.translate(
            "SetupMessage",
            "Workbench is not set up on this computer yet: the address of the "
            "practice's patient portal is missing.",
        )
        how = QCoreApplication.translate(
            "SetupMessage",
            "For IT: put the portal address in the file\n%1\nfor example:\n%2\n\nThen "
            "store the portal's credentials with \u201cworkbench credentials set\u201d "
            "and check everything with \u201cworkbench check\u201d. The README explains "
            "every option under \u201cConfiguration for IT\u201d.",
        )
    else:
        text = QCoreApplication.translate(
            "SetupMessage",
            "Workbench cannot start: the configuration has values that cannot work.",
        )
        how = QCoreApplication.translate(
            "SetupMessage",
            "%3\n\nFor IT: these options are set in the file\n%1\n(e.g. %2). Check the "
            "result with \u201cworkbench check\u201d; the README explains every option "
            "under \u201cConfiguration for IT\u201d.",
        ).replace("%3", "\n".join(f"- {words}" for words in problems))
    how = how.replace("%1", str(config_file)).replace("%2", PORTAL_EXAMPLE)
    # One plain-text label (an informative text would be read as rich text).
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("SetupMessage", "Workbench is not set up yet"),
        f"{text}\n\n{how}",
        QMessageBox.StandardButton.Close,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return box
