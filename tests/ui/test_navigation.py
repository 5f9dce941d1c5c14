"""NavigationList: entries per role, live counts, picking a list."""

from __future__ import annotations

from PySide6.QtCore import Qt

from workbench.services.inbox import ListView, PractitionerInfo
from workbench.store.models import ConsultStatus, Role
from workbench.ui.navigation import NavigationList

ASSISTANT = PractitionerInfo(5, "Eva Smits", Role.ASSISTANT)
GP = PractitionerInfo(2, "Joost Post", Role.GP)
POH = PractitionerInfo(4, "Iris Timmermans", Role.POH)
OTHER_GP = PractitionerInfo(1, "Rob Hendriks", Role.GP)
TEAM = [ASSISTANT, POH, GP, OTHER_GP]

COUNTS = {
    (ConsultStatus.INBOX, None): 12,
    (ConsultStatus.WORKLIST, 2): 3,
    (ConsultStatus.WORKLIST, 1): 5,
    (ConsultStatus.WAITING, 2): 1,
    (ConsultStatus.WAITING, None): 2,
    (ConsultStatus.CLOSED, None): 40,
}


def _texts(navigation: NavigationList) -> list[str]:
    return [navigation.item(row).text() for row in range(navigation.count())]


def _make(qtbot, user) -> NavigationList:
    navigation = NavigationList(user, TEAM)
    qtbot.addWidget(navigation)
    return navigation


def test_assistant_sees_inbox_and_every_clinicians_worklist(qtbot):
    navigation = _make(qtbot, ASSISTANT)
    assert _texts(navigation) == ["Inbox", "Worklist Iris Timmermans", "Worklist Joost Post",
                                  "Worklist Rob Hendriks", "Waiting for patient", "Closed"]
    navigation.refresh_counts(COUNTS)
    assert _texts(navigation) == [
        "Inbox (12)", "Worklist Iris Timmermans (0)", "Worklist Joost Post (3)",
        "Worklist Rob Hendriks (5)", "Waiting for patient (3)", "Closed (40)"]


def test_gp_sees_own_worklist_first_and_not_twice(qtbot):
    navigation = _make(qtbot, GP)
    navigation.refresh_counts(COUNTS)
    assert _texts(navigation) == [
        "Inbox (12)", "My worklist (3)", "Worklist Iris Timmermans (0)",
        "Worklist Rob Hendriks (5)", "Waiting for patient (3)", "Closed (40)"]
    assert navigation.views()[1] == ListView(status=ConsultStatus.WORKLIST, assignee_id=GP.id)


def test_counts_update_when_refreshed_again(qtbot):
    navigation = _make(qtbot, ASSISTANT)
    navigation.refresh_counts(COUNTS)
    navigation.refresh_counts({(ConsultStatus.INBOX, None): 11})
    assert _texts(navigation)[0] == "Inbox (11)"
    assert _texts(navigation)[-1] == "Closed (0)"


def test_unread_inbox_is_bold(qtbot):
    navigation = _make(qtbot, ASSISTANT)
    navigation.set_unread(4)
    inbox = navigation.item(0)
    assert inbox.font().bold()
    assert inbox.toolTip() == "4 unread"
    navigation.set_unread(0)
    assert not inbox.font().bold()
    assert not navigation.item(1).font().bold()


def test_default_selection_per_role(qtbot):
    assistant = _make(qtbot, ASSISTANT)
    with qtbot.waitSignal(assistant.view_selected) as blocker:
        assistant.select_default()
    assert blocker.args == [ListView(status=ConsultStatus.INBOX)]
    assert assistant.current_view() == ListView(status=ConsultStatus.INBOX)

    for clinician in (GP, POH):
        navigation = _make(qtbot, clinician)
        navigation.select_default()
        assert navigation.current_view() == ListView(status=ConsultStatus.WORKLIST,
                                                     assignee_id=clinician.id)


def test_clicking_an_entry_emits_its_view(qtbot):
    navigation = _make(qtbot, ASSISTANT)
    navigation.show()
    navigation.select_default()
    closed = navigation.item(navigation.count() - 1)
    rect = navigation.visualItemRect(closed)
    with qtbot.waitSignal(navigation.view_selected) as blocker:
        qtbot.mouseClick(navigation.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    assert blocker.args == [ListView(status=ConsultStatus.CLOSED)]


def test_arrow_keys_emit_the_next_view(qtbot):
    navigation = _make(qtbot, ASSISTANT)
    navigation.show()
    navigation.select_default()
    navigation.setFocus()
    with qtbot.waitSignal(navigation.view_selected) as blocker:
        qtbot.keyClick(navigation, Qt.Key.Key_Down)
    assert blocker.args == [ListView(status=ConsultStatus.WORKLIST, assignee_id=POH.id)]


def test_select_view_picks_the_matching_entry(qtbot):
    navigation = _make(qtbot, ASSISTANT)
    assert navigation.select_view(ListView(status=ConsultStatus.WAITING, search="x"))
    assert navigation.current_view() == ListView(status=ConsultStatus.WAITING)
    assert not navigation.select_view(ListView(status=None))
