"""An address in the patient's text: shown as the plain text it is, opened in the browser only
after a question that shows the whole address, No being the default."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import QMessageBox

from workbench.services.inbox import MessageView
from workbench.store.models import Direction
from workbench.ui.thread_view import ThreadView

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ADDRESS = "https://www.thuisarts.nl/hoofdpijn"
TEXT = f"ik vond dit op internet {ADDRESS} klopt dat\nen <a href='https://nep.example'>hier</a>"


class Browser(QObject):
    """Stands in for the browser: records every https address handed to it."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def browser():
    handler = Browser()
    QDesktopServices.setUrlHandler("https", handler, "open")
    yield handler
    QDesktopServices.unsetUrlHandler("https")


@pytest.fixture
def thread(qtbot):
    view = ThreadView()
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.show_messages([MessageView(1, Direction.IN, "Jan", datetime(2024, 5, 1, 9, tzinfo=UTC),
                                    TEXT)])
    view.show()
    qtbot.waitExposed(view)
    return view


def click_on(qtbot, view, words):
    cursor = view.document().find(words)
    assert not cursor.isNull()
    cursor.setPosition(cursor.selectionStart() + 3)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.cursorRect(cursor).center())


def question(view):
    return next((box for box in view.findChildren(QMessageBox) if box.isVisible()), None)


def test_the_address_looks_like_the_rest_of_the_text_and_points_to_itself(thread):
    found = thread.document().find(ADDRESS)
    link = found.charFormat()
    plain = thread.document().find("ik vond dit").charFormat()
    assert link.isAnchor() and link.anchorHref() == ADDRESS  # nothing hidden behind it
    assert not link.fontUnderline()
    assert link.foreground().color() == plain.foreground().color()
    assert link.foreground().color() != thread.palette().color(QPalette.ColorRole.Link)
    # HTML from the patient stays text: no second link.
    assert "<a href='https://nep.example'>hier</a>" in thread.plain_text()
    assert not thread.document().find("hier").charFormat().isAnchor()


def test_clicking_asks_first_showing_the_address_and_no_opens_nothing(qtbot, thread, browser):
    click_on(qtbot, thread, ADDRESS)
    qtbot.waitUntil(lambda: question(thread) is not None)
    box = question(thread)
    assert box.text().startswith("Open this address from the patient in your browser?")
    assert ADDRESS in box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter takes the default: No
    qtbot.waitUntil(lambda: question(thread) is None)
    assert browser.opened == []


def test_yes_opens_the_address_in_the_browser(qtbot, thread, browser):
    click_on(qtbot, thread, ADDRESS)
    qtbot.waitUntil(lambda: question(thread) is not None)
    question(thread).button(QMessageBox.StandardButton.Yes).click()
    assert browser.opened == [ADDRESS]


def test_an_address_with_look_alike_letters_shows_what_the_browser_gets(qtbot, thread, browser):
    box = thread.confirm_open(QUrl("https://www.rаbobank.nl/inloggen"))  # a Cyrillic "а"
    assert "xn--" in box.text()
    box.button(QMessageBox.StandardButton.No).click()
    assert browser.opened == []


def test_other_addresses_are_never_opened(thread, browser):
    assert thread.confirm_open(QUrl("http://example.nl")) is None
    assert thread.confirm_open(QUrl("javascript:alert(1)")) is None
    assert browser.opened == []
