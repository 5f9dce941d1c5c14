"""The screen lock: after idle time (on the injected clock) and on Ctrl+L no patient text is on
screen, the PIN unlocks, "Other user" lets another person sign in without seeing the first
one's draft, and locked time is no working time. The whole window over a store pulled from
the demo portal, signed in through the real AccountService."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QLineEdit
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.ui.conftest import sign_in_as
from workbench.services.accounts import DEMO_PASSWORD, DEMO_PIN
from workbench.services.inbox import ListView, photos_of
from workbench.services.triage import AuditAction
from workbench.store.models import AuditEvent, ConsultStatus, Role

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

_TEXT_PROPERTIES = ("text", "toPlainText", "toolTip", "windowTitle", "placeholderText",
                    "currentText", "accessibleName", "accessibleDescription")


def on_screen() -> str:
    """Every text a person could see now: each visible widget's texts, the rows of every
    visible list or table, the items of every visible combo box, every window's title."""
    texts = []
    for widget in QApplication.allWidgets():
        if not widget.isVisible():
            continue
        for name in _TEXT_PROPERTIES:
            value = getattr(widget, name, None)
            value = value() if callable(value) else value
            if isinstance(value, str):
                texts.append(value)
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model, root = widget.model(), widget.rootIndex()
            try:
                columns = model.columnCount(root)
            except TypeError:  # a list model keeps it private: one column
                columns = 1
            for row in range(model.rowCount(root)):
                for column in range(columns):
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        value = model.data(model.index(row, column, root), role)
                        if value is not None:
                            texts.append(str(value))
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
    return "\n".join(texts)


def item_with_photos(queries) -> int:
    for row in queries.page(ListView(ConsultStatus.INBOX), 0, 500):
        detail = queries.detail(row.id)
        if photos_of(detail) and detail.messages:
            return row.id
    raise AssertionError("the demo has e-consults with photos")


def calm_item(queries) -> int:
    return next(r.id for r in queries.page(ListView(ConsultStatus.INBOX), 0, 500)
                if not (r.urgent or r.has_advice))


def show(qtbot, window, item):
    window.open_econsult(item)
    qtbot.waitUntil(lambda: window.consult.current_id() == item
                    and not window.consult.reply_editor().is_loading(), timeout=10_000)


def patient_words(detail) -> list[str]:
    """The patient's name and the longer words of their message."""
    words = {w for m in detail.messages for w in re.findall(r"[A-Za-zÀ-ÿ]{6,}", m.text or "")}
    return [detail.patient_name, *sorted(words)]


def lock_events(desktop, reason):
    with Session(desktop.store.engine) as session:
        return [e for e in session.scalars(select(AuditEvent).where(
            AuditEvent.event == AuditAction.LOCK.value)) if (e.detail or {}).get("reason")
            == reason]


def unlock_with(qtbot, window, secret):
    field = next(f for f in window.screen_lock.screen.findChildren(QLineEdit)
                 if f.accessibleName() == "PIN or password")
    field.setText(secret)
    qtbot.keyClick(field, Qt.Key.Key_Return)


@pytest.fixture
def window(qtbot, desktop):
    window = sign_in_as(desktop, Role.ASSISTANT)
    qtbot.waitExposed(window)
    return window


def test_idle_time_locks_and_no_patient_text_stays_on_screen(qtbot, desktop, window, clock):
    item = item_with_photos(desktop.queries)
    show(qtbot, window, item)
    detail = desktop.queries.detail(item)
    viewer = window.open_photo(photos_of(detail)[0].id)
    # The message text may be shown a moment after the name: wait for both.
    qtbot.waitUntil(lambda: len([w for w in patient_words(detail) if w in on_screen()]) >= 4,
                    timeout=10_000)
    words = [word for word in patient_words(detail) if word in on_screen()]
    assert detail.patient_name in words and len(words) >= 4

    minutes = desktop.settings.lock_after_minutes
    assert minutes == 5  # the default
    clock.advance(minutes=minutes, seconds=-10)
    window.screen_lock.idle.check()
    assert not window.screen_lock.is_locked  # not yet
    clock.advance(seconds=11)
    window.screen_lock.idle.check()

    assert window.screen_lock.is_locked
    shown = on_screen()
    assert [word for word in words if word in shown] == []
    assert "Workbench is locked" in shown and window._context.user.name in shown
    assert not viewer.isVisible()
    assert detail.patient_name not in window.windowTitle()
    # The menus' patient actions are off, with their shortcuts.
    menus = {a.text(): a for a in window.menuBar().actions()}
    assert not menus["&E-consult"].isEnabled() and not menus["&View"].isEnabled()
    for action in (window.next_action, window.consult.route_action,
                   window.consult.close_action, window.new_message_action,
                   window.search_action, window.undo_action):
        assert not action.isEnabled()
    assert window.lock_action.isEnabled() and window.sign_out_action.isEnabled()
    qtbot.waitUntil(lambda: lock_events(desktop, "idle") != [], timeout=10_000)
    assert lock_events(desktop, "idle")[0].user_id == window._context.user.id

    unlock_with(qtbot, window, DEMO_PIN)
    qtbot.waitUntil(lambda: not window.screen_lock.is_locked, timeout=10_000)
    assert viewer.isVisible()
    assert window.consult.route_action.isEnabled() and menus["&E-consult"].isEnabled()
    assert detail.patient_name in on_screen()


def test_keyboard_or_mouse_use_keeps_the_screen_open(qtbot, desktop, window, clock):
    clock.advance(minutes=4)
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_Shift)  # someone is working
    clock.advance(minutes=4)
    window.screen_lock.idle.check()
    assert not window.screen_lock.is_locked


def test_ctrl_l_locks(qtbot, desktop, window):
    show(qtbot, window, calm_item(desktop.queries))
    assert window.lock_action.shortcut() == QKeySequence("Ctrl+L")
    file_menu = window.menuBar().actions()[0].menu()
    assert window.lock_action in file_menu.actions()
    assert window.sign_out_action in file_menu.actions()

    window.activateWindow()
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    if not window.screen_lock.is_locked:  # no active window on this platform: the menu item
        window.lock_action.trigger()

    assert window.screen_lock.is_locked
    qtbot.waitUntil(lambda: lock_events(desktop, "request") != [], timeout=10_000)


def test_the_pin_unlocks_and_a_wrong_one_does_not(qtbot, desktop, window):
    item = calm_item(desktop.queries)
    show(qtbot, window, item)
    window.lock_action.trigger()

    unlock_with(qtbot, window, "9999")
    qtbot.waitUntil(lambda: window.screen_lock.screen.message() != "", timeout=10_000)
    assert window.screen_lock.screen.message() == "PIN incorrect"
    assert window.screen_lock.is_locked
    assert desktop.queries.detail(item).patient_name not in on_screen()

    unlock_with(qtbot, window, DEMO_PIN)
    qtbot.waitUntil(lambda: not window.screen_lock.is_locked, timeout=10_000)
    assert window.consult.current_id() == item
    assert desktop.queries.detail(item).patient_name in on_screen()


def test_the_password_unlocks_too(qtbot, desktop, window):
    window.lock_action.trigger()
    unlock_with(qtbot, window, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: not window.screen_lock.is_locked, timeout=10_000)


def sign_in_in(qtbot, desktop, role):
    """The sign-in dialog the switch opened: `role`'s demo account signs in (Enter)."""
    dialog = desktop.sign_in_dialog
    qtbot.waitUntil(lambda: dialog.isVisible(), timeout=5_000)
    username = next(a.username for a in desktop.accounts.accounts()
                    if a.role is role and a.active)
    dialog.findChild(QComboBox).setCurrentText(username)
    password = next(f for f in dialog.findChildren(QLineEdit)
                    if f.echoMode() is QLineEdit.EchoMode.Password)
    password.setText(DEMO_PASSWORD)
    before = desktop.window
    qtbot.keyClick(password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desktop.window is not before, timeout=10_000)
    window = desktop.window
    qtbot.waitExposed(window)
    return window


def test_another_user_does_not_see_the_first_ones_draft_which_comes_back_for_them(
        qtbot, desktop, window):
    assistant = window._context.user
    item = calm_item(desktop.queries)
    show(qtbot, window, item)
    draft = "Beste mevrouw, ik bel u vanmiddag terug over de uitslag"
    editor = window.consult.reply_editor()
    editor.text_edit.setFocus()
    qtbot.keyClicks(editor.text_edit, draft)

    window.lock_action.trigger()
    qtbot.waitUntil(lambda: (desktop.replies.load_draft(item, assistant.id) or None) is not None
                    and desktop.replies.load_draft(item, assistant.id).text == draft,
                    timeout=10_000)
    assert draft not in on_screen()

    window.screen_lock.screen.other_button.click()
    assert desktop.sign_in_dialog.username() == ""  # nobody preselected for the next person
    gp_window = sign_in_in(qtbot, desktop, Role.GP)
    assert gp_window._context.user.role is Role.GP
    show(qtbot, gp_window, item)
    assert gp_window.consult.reply_editor().text() == ""
    assert draft not in on_screen()
    with Session(desktop.store.engine) as session:
        signed_out = session.scalars(select(AuditEvent.user_id).where(
            AuditEvent.event == AuditAction.SIGN_OUT.value)).all()
    assert signed_out == [assistant.id]

    gp_window.switch_user_action.trigger()  # the GP's window locks and the assistant returns
    assert gp_window.screen_lock.is_locked
    again = sign_in_in(qtbot, desktop, Role.ASSISTANT)
    show(qtbot, again, item)
    assert again.consult.reply_editor().text() == draft


def test_sign_out_cancelled_closes_the_window(qtbot, desktop, window):
    window.sign_out_action.trigger()
    assert window.screen_lock.is_locked
    desktop.sign_in_dialog.reject()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)


def work(qtbot, clock, timer, widget, seconds, step=5):
    """Someone at the keyboard for `seconds` (typing into `widget`), the bar ticking."""
    for _ in range(seconds // step):
        clock.advance(seconds=step)
        qtbot.keyClick(widget, Qt.Key.Key_Shift)
        timer.tick()


def test_the_billing_timer_does_not_count_locked_time(qtbot, desktop, window, clock):
    item = calm_item(desktop.queries)
    show(qtbot, window, item)
    timer = window.consult.billing_timer()
    QApplication.instance().applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    start = timer.clock_machine.counted_today(item).total_seconds()
    work(qtbot, clock, timer, window.inbox.table, 30)
    working = timer.clock_machine.counted_today(item).total_seconds()
    assert working - start >= 25  # counting while working

    window.lock_action.trigger()
    field = next(f for f in window.screen_lock.screen.findChildren(QLineEdit)
                 if f.accessibleName() == "PIN or password")
    work(qtbot, clock, timer, field, 180)  # keys pressed at the lock screen: not working
    assert timer.clock_machine.counted_today(item).total_seconds() == pytest.approx(
        working, abs=1)

    unlock_with(qtbot, window, DEMO_PIN)
    qtbot.waitUntil(lambda: not window.screen_lock.is_locked, timeout=10_000)
    work(qtbot, clock, timer, window.inbox.table, 30)
    assert timer.clock_machine.counted_today(item).total_seconds() - working >= 25


def test_input_elsewhere_on_the_desktop_keeps_the_lock_away(qtbot):
    """Where the system reports the desktop's idle time (Windows), typing in the HIS beside
    Workbench counts as being at the desk; where it does not, Workbench's own input counts."""
    from datetime import datetime, timedelta, timezone

    from workbench.ui.idle_watch import IdleWatch
    now = [datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)]
    desktop_idle: list[float | None] = [20.0]
    watch = IdleWatch(lambda: now[0], timedelta(minutes=5),
                      system_idle=lambda: desktop_idle[0])
    with qtbot.assertNotEmitted(watch.idle):
        now[0] += timedelta(minutes=10)  # nothing typed in Workbench for 10 minutes ...
        assert not watch.check()         # ... but 20 s ago in another program
    desktop_idle[0] = 400.0
    with qtbot.waitSignal(watch.idle, timeout=1000):
        assert watch.check()
    desktop_idle[0] = None  # the system does not say: Workbench's own input decides
    watch.reset()
    now[0] += timedelta(minutes=4)
    assert not watch.check()
    now[0] += timedelta(minutes=2)
    assert watch.check()
    watch.stop()


def test_a_selection_moved_while_locked_is_shown_and_audited_only_after_unlocking(qtbot,
                                                                                  desktop):
    """A pull can move the list's selection while the screen is locked: nobody looks then, so
    no view is shown or written to the audit trail until someone unlocks."""
    window = sign_in_as(desktop, Role.ASSISTANT)
    qtbot.addWidget(window)
    first = calm_item(desktop.queries)
    show(qtbot, window, first)
    window.screen_lock.lock()
    other = next(r.id for r in desktop.queries.page(ListView(ConsultStatus.INBOX), 0, 500)
                 if r.id != first)

    def views_of(item) -> int:
        with Session(desktop.store.engine) as session:
            return len(session.scalars(select(AuditEvent).where(
                AuditEvent.econsult_id == item,
                AuditEvent.event == AuditAction.VIEW.value)).all())

    window.inbox.current_changed.emit(other)  # as the list does when a pull moves it
    desktop.tasks.wait_for_done()
    assert window.consult.current_id() == first and views_of(other) == 0
    window.screen_lock.screen._secret.setText(DEMO_PIN)
    window.screen_lock.screen.unlock()
    qtbot.waitUntil(lambda: not window.screen_lock.is_locked, timeout=10_000)
    qtbot.waitUntil(lambda: window.consult.current_id() == other, timeout=10_000)
    qtbot.waitUntil(lambda: views_of(other) == 1, timeout=10_000)
