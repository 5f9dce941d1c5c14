"""The window fits a 1366x768 front-desk screen and a 1024x600 one: nothing cut off, the send
button in view without scrolling, the navigation collapsed to icons on the small screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton

from workbench.store.models import Role
from workbench.ui import inbox_model as columns

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def rect_in(widget, ancestor) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("size", [(1366, 768), (1024, 600)])
def test_an_urgent_item_fits_without_cutting_anything_off(qtbot, desktop, size):
    desktop.first_pull()
    assistant = next(p for p in desktop.queries.practitioners() if p.role is Role.ASSISTANT)
    window = desktop.open_window(assistant)
    window.showNormal()
    window.resize(*size)
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.splitter.sizes()[0] > 0)
    qtbot.wait(50)  # the panes are shared out once the splitter has its width
    window.inbox.select_next()  # the top of the inbox: urgency advice, the longest banner
    pane = window.consult
    qtbot.waitUntil(lambda: pane.current_id() is not None and pane.banner_visible(),
                    timeout=10_000)
    qtbot.wait(50)

    assert window.navigation.is_compact() is (size[0] < 1200)
    whole = window.rect()
    # The answer and its send button: in view, not behind a scroll bar.
    send = pane.reply_editor().send_button
    assert send.isVisible() and whole.contains(rect_in(send, window))
    # Every button of the pane lies inside the window; in the scrolling question part, inside
    # its width (it scrolls up and down, never sideways).
    scroller = pane._question_scroller
    for button in pane.findChildren(QAbstractButton):
        if not button.isVisible() or not button.text():
            continue
        if scroller.isAncestorOf(button):
            area = rect_in(button, scroller.viewport())
            assert 0 <= area.left() and area.right() <= scroller.viewport().width(), \
                button.text()
        else:
            assert whole.contains(rect_in(button, window)), button.text()
    # The subject keeps room in the list; the table needs no sideways scrolling to show it.
    table = window.inbox.table
    assert table.columnWidth(columns.SUBJECT) >= 80
    if size[0] < 1200:
        assert table.isColumnHidden(columns.RECEIVED)  # the waiting time says enough
    assert not window.navigation.horizontalScrollBar().isVisible()
