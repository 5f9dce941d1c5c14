"""A role has one name everywhere it is shown: "doctor's assistant", "GP", "POH" (Dutch:
doktersassistent, huisarts, POH), through labels.role_label and labels.person_label."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from workbench.services.inbox import PractitionerInfo
from workbench.store.models import Role
from workbench.ui import labels
from workbench.ui.navigation import NavigationList
from workbench.ui.route_dialog import RouteDialog

ASSISTANT = PractitionerInfo(5, "Eva Smits", Role.ASSISTANT)
GP = PractitionerInfo(2, "dr. Jansen", Role.GP)
POH = PractitionerInfo(4, "Iris Timmermans", Role.POH)
TEAM = [ASSISTANT, GP, POH]


def test_each_role_has_one_name():
    assert [labels.role_label(role) for role in (Role.ASSISTANT, Role.GP, Role.POH)] == [
        "doctor's assistant", "GP", "POH"]
    assert labels.person_label("dr. Jansen", Role.GP) == "dr. Jansen (GP)"


def test_the_route_dialog_names_the_clinicians_with_their_role(qtbot):
    dialog = RouteDialog(TEAM)
    qtbot.addWidget(dialog)
    box = dialog.findChild(QComboBox)
    assert [box.itemText(row) for row in range(box.count())] == [
        "dr. Jansen (GP)", "Iris Timmermans (POH)"]


def test_worklists_show_whose_and_their_role(qtbot):
    navigation = NavigationList(ASSISTANT, TEAM)
    qtbot.addWidget(navigation)
    texts = [navigation.item(row).text() for row in range(navigation.count())]
    assert "Worklist: dr. Jansen (GP)" in texts
    assert "Worklist: Iris Timmermans (POH)" in texts
