"""Route and close dialogs: what they offer and what they return."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QRadioButton

from workbench.services.inbox import PractitionerInfo
from workbench.services.triage import CloseReason
from workbench.store.models import Role, Urgency
from workbench.ui.close_dialog import CloseDialog
from workbench.ui.route_dialog import RouteDialog

# The offscreen platform says so once, when the first window is shown.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

PEOPLE = [
    PractitionerInfo(1, "A. de Vries", Role.ASSISTANT),
    PractitionerInfo(2, "J. Bakker", Role.GP),
    PractitionerInfo(3, "M. Visser", Role.POH),
    PractitionerInfo(4, "S. Jansen", Role.GP),
]


def test_route_dialog_lists_clinicians_only_and_returns_the_choice(qtbot):
    dialog = RouteDialog(PEOPLE)
    qtbot.addWidget(dialog)
    combo = dialog.findChild(QComboBox)
    names = [combo.itemText(i) for i in range(combo.count())]
    assert names == ["J. Bakker (GP)", "M. Visser (POH)", "S. Jansen (GP)"]

    combo.setCurrentIndex(1)
    next(b for b in dialog.findChildren(QRadioButton) if b.text() == "Urgent").setChecked(True)
    dialog.findChild(QPlainTextEdit).setPlainText("  Graag vandaag terugbellen\n")
    assert dialog.result_values() == (3, Urgency.URGENT, "Graag vandaag terugbellen")


def test_route_dialog_accepts_with_enter_and_defaults_to_normal(qtbot):
    dialog = RouteDialog(PEOPLE)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.findChild(QComboBox), Qt.Key.Key_Return)
    assert dialog.result_values() == (2, Urgency.NORMAL, "")


def test_close_dialog_preselects_no_reason_and_returns_the_chosen_one(qtbot):
    dialog = CloseDialog()
    qtbot.addWidget(dialog)
    buttons = dialog.findChildren(QRadioButton)
    assert [b.text() for b in buttons] == ["Answered", "Referred", "Handled by phone",
                                           "Duplicate", "No action needed"]
    assert dialog.reason() is None  # the person must choose
    buttons[2].setChecked(True)
    assert dialog.reason() is CloseReason.BY_PHONE
