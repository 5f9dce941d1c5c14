"""NavigationList: entries per role, live counts, picking a list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

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


def test_assistant_sees_inbox_her_own_worklist_and_every_colleagues(qtbot):
    navigation = _make(qtbot, ASSISTANT)
    assert _texts(navigation) == [
        "Inbox", "My worklist", "Worklist: Iris Timmermans (POH)", "Worklist: Joost Post (GP)",
        "Worklist: Rob Hendriks (GP)", "Waiting for patient", "Closed"]
    navigation.refresh_counts({**COUNTS, (ConsultStatus.WORKLIST, ASSISTANT.id): 2})
    assert _texts(navigation) == [
        "Inbox (12)", "My worklist (2)", "Worklist: Iris Timmermans (POH) (0)",
        "Worklist: Joost Post (GP) (3)", "Worklist: Rob Hendriks (GP) (5)",
        "Waiting for patient (3)", "Closed (40)"]
    assert navigation.views()[1] == ListView(status=ConsultStatus.WORKLIST,
                                             assignee_id=ASSISTANT.id)


def test_gp_sees_own_worklist_first_and_not_twice(qtbot):
    navigation = _make(qtbot, GP)
    navigation.refresh_counts(COUNTS)
    assert _texts(navigation) == [
        "Inbox (12)", "My worklist (3)", "Worklist: Eva Smits (doctor's assistant) (0)",
        "Worklist: Iris Timmermans (POH) (0)", "Worklist: Rob Hendriks (GP) (5)",
        "Waiting for patient (3)", "Closed (40)"]
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
    assert inbox.toolTip().splitlines() == [inbox.text(), "4 unread"]
    navigation.set_unread(0)
    assert not inbox.font().bold()
    assert inbox.toolTip() == inbox.text()
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
    assert blocker.args == [ListView(status=ConsultStatus.WORKLIST, assignee_id=ASSISTANT.id)]


def test_select_view_picks_the_matching_entry(qtbot):
    navigation = _make(qtbot, ASSISTANT)
    assert navigation.select_view(ListView(status=ConsultStatus.WAITING, search="x"))
    assert navigation.current_view() == ListView(status=ConsultStatus.WAITING)
    assert not navigation.select_view(ListView(status=None))


def test_collapsed_it_keeps_the_words_for_the_tooltip_and_screen_readers(qtbot):
    """On a small screen the navigation shows badges with counts; the entries keep their
    full words (tooltip, accessibility), and widening brings the words back."""
    from workbench.ui.navigation import COMPACT_WIDTH, initials
    navigation = _make(qtbot, ASSISTANT)
    navigation.refresh_counts({(ConsultStatus.INBOX, None): 12})
    navigation.set_compact(True)
    assert navigation.is_compact() and navigation.maximumWidth() == COMPACT_WIDTH
    inbox = navigation.item(0)
    assert inbox.text() == "Inbox (12)" and inbox.toolTip() == "Inbox (12)"
    assert not inbox.icon().isNull()
    # What is drawn: the count under the badge, not the words.
    option = QStyleOptionViewItem()
    navigation.itemDelegate().initStyleOption(option, navigation.indexFromItem(inbox))
    assert option.text == "12"
    navigation.set_compact(False)
    option = QStyleOptionViewItem()
    navigation.itemDelegate().initStyleOption(option, navigation.indexFromItem(inbox))
    assert option.text == "Inbox (12)"
    assert initials("Emma Hendriks") == "EH" and initials("dr. J. van der Berg") == "JB"
