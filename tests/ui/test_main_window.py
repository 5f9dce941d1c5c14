"""The whole window against the demo portal over loopback: pull, triage, keyboard, menus."""

from __future__ import annotations

from workbench.services.inbox import ListView
from workbench.services.triage import Actor
from workbench.store.models import ConsultStatus, Role, Urgency


def person(desktop, role):
    return next(p for p in desktop.queries.practitioners() if p.role is role)


def test_the_window_opens_and_fills_from_a_pull(qtbot, desktop):
    assert desktop.first_pull() is None  # an empty store: the directory comes first
    window = desktop.open_window(person(desktop, Role.ASSISTANT))
    qtbot.addWidget(window)
    with qtbot.waitSignal(desktop.sync.finished, timeout=30_000):
        window.start()
    assert window.inbox.model.rowCount() > 0
    assert window.inbox.model.view.status is ConsultStatus.INBOX  # an assistant starts here
    assert "Inbox" in window.navigation.item(0).text() or window.navigation.item(0).text()
    assert not window.pull_status.progress.isVisible()
    assert window.pull_status.pull_button.isEnabled()


def test_routing_moves_an_item_to_the_gps_worklist_and_the_gp_sends_it_back(qtbot, desktop):
    desktop.first_pull()
    assistant, gp = person(desktop, Role.ASSISTANT), person(desktop, Role.GP)
    window = desktop.open_window(assistant)  # replaced below, when the GP signs in
    window.inbox.table.setFocus()
    window.inbox.select_next()
    item = window.inbox.current_econsult_id()
    assert item is not None
    qtbot.waitUntil(lambda: window.consult.current_id() == item)

    with qtbot.waitSignal(window.consult.changed, timeout=10_000):
        window.consult.route(gp.id, Urgency.NORMAL, "Graag beoordelen")
    qtbot.waitUntil(lambda: item not in desktop.queries.ids(ListView(ConsultStatus.INBOX)))
    assert item in desktop.queries.ids(ListView(ConsultStatus.WORKLIST, gp.id))

    # The GP signs in at the consult room: the item waits in their own worklist.
    gp_window = desktop.open_window(gp)
    assert gp_window.inbox.model.view == ListView(ConsultStatus.WORKLIST, gp.id)
    row = gp_window.inbox.model.row_of(item)
    assert row is not None
    gp_window.inbox.table.selectRow(row)
    qtbot.waitUntil(lambda: gp_window.consult.current_id() == item)
    with qtbot.waitSignal(gp_window.consult.changed, timeout=10_000):
        gp_window.consult.send_back()
    assert item in desktop.queries.ids(ListView(ConsultStatus.INBOX))
    assert gp_window.inbox.model.row_of(item) is None


def test_every_action_has_a_shortcut_listed_in_the_menus(qtbot, desktop):
    desktop.first_pull()
    window = desktop.open_window(person(desktop, Role.ASSISTANT))
    qtbot.addWidget(window)
    menu_actions = [a for menu in window.menuBar().actions() for a in menu.menu().actions()]
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString() for a in menu_actions
                 if not a.isSeparator()}
    for wanted in (window.next_action, window.previous_action, window.pull_action,
                   window.search_action, window.consult.route_action,
                   window.consult.close_action):
        assert wanted in menu_actions
        assert not wanted.shortcut().isEmpty(), wanted.text()
    assert len(set(shortcuts.values()) - {""}) == len([s for s in shortcuts.values() if s])


def test_keyboard_search_and_next_item(qtbot, desktop):
    desktop.first_pull()
    window = desktop.open_window(person(desktop, Role.ASSISTANT))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    window.search_action.trigger()
    qtbot.waitUntil(window.inbox.search_field.hasFocus)
    window.next_action.trigger()
    first = window.inbox.current_econsult_id()
    window.next_action.trigger()
    assert window.inbox.current_econsult_id() not in (None, first)
    window.previous_action.trigger()
    assert window.inbox.current_econsult_id() == first


def test_a_failing_portal_is_reported_in_words_and_the_window_keeps_running(
        qtbot, desktop, demo_portal):
    desktop.first_pull()
    window = desktop.open_window(person(desktop, Role.ASSISTANT))
    qtbot.addWidget(window)
    demo_portal.stop()
    desktop.settings = desktop.settings.replace(retries=1)
    with qtbot.waitSignal(desktop.sync.failed, timeout=30_000):
        window.pull_action.trigger()
    assert "cannot be reached" in window.pull_status.message_label.text()
    assert window.pull_status.pull_button.isEnabled()
    assert window.inbox.model.rowCount() > 0


def test_unread_mark_and_counts_follow_viewing(qtbot, desktop):
    desktop.first_pull()
    assistant = person(desktop, Role.ASSISTANT)
    window = desktop.open_window(assistant)
    qtbot.addWidget(window)
    before = desktop.queries.unread_count(assistant.id)
    assert window.windowTitle().startswith(f"({before})")
    item = window.inbox.model.econsult_id(0)
    desktop.triage.record_view(item, Actor(assistant.id))
    window.refresh_counts()
    assert window.windowTitle().startswith(f"({before - 1})")


def test_main_window_composes_and_fits_a_front_desk_screen(qtbot, desktop):
    desktop.first_pull()
    window = desktop.open_window(person(desktop, Role.ASSISTANT))
    qtbot.addWidget(window)
    window.resize(1366, 740)
    assert window.minimumSizeHint().width() <= 1366
    assert window.navigation.parent() is window.inbox.parent() is window.consult.parent()
    assert window.inbox.table.horizontalHeader().count() >= 9


def test_a_closed_item_reaches_the_portal_soon_after_the_action(qtbot, desktop, demo_portal):
    from workbench.services.triage import Actor, CallOutcome, CloseReason
    desktop.first_pull()
    window = desktop.open_window(person(desktop, Role.ASSISTANT))
    qtbot.addWidget(window)
    item = window.inbox.model.econsult_id(0)
    window.inbox.table.selectRow(0)
    qtbot.waitUntil(lambda: window.consult.current_id() == item)
    root = desktop.queries.detail(item).portal_id
    # The top of the list may be urgent: that closes once the call is recorded.
    desktop.triage.record_call(item, Actor(person(desktop, Role.ASSISTANT).id),
                               CallOutcome.HANDLED)
    window.consult.refresh()  # recorded outside the pane: shown before acting on it
    with qtbot.waitSignal(desktop.sync.pushed, timeout=15_000) as pushed:
        window.consult.close_consult(CloseReason.ANSWERED)
    # First it waits out its undo time in the outbox; then it goes, without a pull.
    assert pushed.args[0].held == 1
    assert demo_portal.dataset.communications[root]["status"] == "in-progress"
    with qtbot.waitSignal(desktop.sync.pushed, timeout=20_000) as pushed:
        pass
    assert pushed.args[0].sent == 1
    assert demo_portal.dataset.communications[root]["status"] == "completed"


def test_a_draft_comes_back_after_the_window_is_closed_and_reopened(qtbot, desktop):
    desktop.first_pull()
    assistant = person(desktop, Role.ASSISTANT)
    window = desktop.open_window(assistant)
    editor = window.consult.reply_editor()
    with qtbot.waitSignal(editor.loaded, timeout=5000):  # its (empty) draft is read first
        window.inbox.select_next()
    item = window.inbox.current_econsult_id()
    editor.text_edit.setPlainText("Beste mevrouw, de uitslag is")
    window.close()  # no time for the typing timer: closing saves the draft itself
    # An answer being written: quitting asks first ("Keep working" is the default).
    assert window.isVisible() or window.quit_box.isVisible()
    assert window.quit_box.defaultButton() is window.quit_box.button(
        window.quit_box.StandardButton.No)
    window.quit_box.button(window.quit_box.StandardButton.Yes).click()
    desktop.tasks.wait_for_done()
    assert desktop.replies.load_draft(item, assistant.id).text == "Beste mevrouw, de uitslag is"

    reopened = desktop.open_window(assistant)
    row = reopened.inbox.model.row_of(item)
    reopened.inbox.table.selectRow(row)
    qtbot.waitUntil(lambda: reopened.consult.reply_editor().text_edit.toPlainText()
                    == "Beste mevrouw, de uitslag is", timeout=5000)


def test_new_message_is_in_the_menu_and_opens_the_dialog(qtbot, desktop):
    desktop.first_pull()
    window = desktop.open_window(person(desktop, Role.ASSISTANT))
    menu_actions = [a for menu in window.menuBar().actions() for a in menu.menu().actions()]
    assert window.new_message_action in menu_actions
    assert window.consult.template_action in menu_actions
    assert window.consult.his_copy_action in menu_actions
    dialog = window.open_new_message()
    assert dialog is not None and dialog.isVisible()
    dialog.close()


def test_clicking_a_photo_opens_the_viewer_on_it(qtbot, desktop):
    desktop.first_pull()
    window = desktop.open_window(person(desktop, Role.ASSISTANT))
    with_photo = next(i for i in desktop.queries.ids(ListView(ConsultStatus.INBOX))
                      if any(a.sha256 for m in desktop.queries.detail(i).messages
                             for a in m.attachments))
    window.inbox.select_econsult(with_photo)
    qtbot.waitUntil(lambda: window.consult.current_id() == with_photo)
    photo = next(a for m in desktop.queries.detail(with_photo).messages
                 for a in m.attachments if a.sha256)
    window.consult.photo_clicked.emit(photo.id)
    viewer = window._photo_viewer
    assert viewer is not None and viewer.isVisible()
    assert viewer.current().id == photo.id
    qtbot.waitUntil(viewer.canvas.has_image)
    viewer.close()


def test_time_spent_becomes_a_declaration_to_confirm_when_closing(qtbot, desktop):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from workbench.services.triage import Actor, CallOutcome, CloseReason
    from workbench.store.models import Declaration
    from workbench.ui.declare_dialog import DeclareDialog
    desktop.first_pull()
    assistant = person(desktop, Role.ASSISTANT)
    window = desktop.open_window(assistant)
    window.inbox.select_next()
    item = window.inbox.current_econsult_id()
    qtbot.waitUntil(lambda: window.consult.current_id() == item)
    timer = window.consult.billing_timer().clock_machine
    # The item's own loading moves the keyboard focus (the offscreen platform has no active
    # window): once that has settled, say the window has it.
    qtbot.wait(300)
    timer.focus(True)
    timer.activity()
    qtbot.wait(1300)
    timer.activity()
    # The top of the list may be urgent: that closes once the call is recorded.
    desktop.triage.record_call(item, Actor(assistant.id), CallOutcome.HANDLED)
    window.consult.refresh()  # recorded outside the pane: shown before acting on it
    window.consult.close_consult(CloseReason.ANSWERED)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(DeclareDialog)),
                    timeout=10_000)
    dialog = next(d for d in window.findChildren(DeclareDialog) if d.isVisible())
    assert dialog.chosen()[0] == "12010"  # a second or so: under five minutes
    flow_declared = window.consult._declare.declared
    with qtbot.waitSignal(flow_declared, timeout=10_000):
        dialog.accept()
    with Session(desktop.store.engine) as session:
        declaration = session.scalars(select(Declaration)).one()
        assert (declaration.code, declaration.practitioner_id) == ("12010", assistant.id)
        assert declaration.econsult_id == item
    view = window.open_declarations()
    qtbot.waitUntil(lambda: len(view.rows()) == 1, timeout=10_000)
    view.close()


def test_writing_a_new_message_is_timed_and_declared_on_the_patient_by_hand(qtbot, desktop):
    """Practice-started information is timed but not proposed for a declaration; the person
    can declare it by hand, with a reason, on the patient."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from workbench.store.models import Declaration, TimeSegment
    from workbench.ui.declare_dialog import DeclareDialog
    desktop.first_pull()
    window = desktop.open_window(person(desktop, Role.ASSISTANT))
    detail = desktop.queries.detail(window.inbox.model.econsult_id(0))
    dialog = window.open_new_message()
    for letter in detail.patient_name:  # QTest types ASCII only: "ë" as a keyboard inserts it
        if letter.isascii():
            qtbot.keyClicks(dialog.search, letter)
        else:
            dialog.search.insert(letter)
    qtbot.waitUntil(lambda: detail.patient_id in [h.id for h in dialog.hits()])
    dialog.choose_patient(detail.patient_id)
    qtbot.waitUntil(lambda: not dialog.editor.is_loading())
    dialog.timer.clock_machine.focus(True)
    dialog.timer.clock_machine.activity()
    qtbot.wait(1200)
    dialog.timer.clock_machine.activity()
    dialog.timer.request_declaration()  # "Declareren…" on the dialog's time bar
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(DeclareDialog)),
                    timeout=10_000)
    declare = next(d for d in window.findChildren(DeclareDialog) if d.isVisible())
    assert declare.by_hand() and not declare.can_accept()
    declare.set_reason("Telefonisch advies bij de uitslag gegeven")
    declare.accept()
    qtbot.waitUntil(lambda: _declarations(desktop) == 1, timeout=10_000)
    dialog.subject.setText("Uitslag")
    dialog.editor.text_edit.setPlainText("Beste patiënt, uw uitslag is goed.")
    with qtbot.waitSignal(dialog.started, timeout=10_000):
        dialog.send_button.click()
    qtbot.wait(300)
    assert not any(d.isVisible() for d in window.findChildren(DeclareDialog))
    with Session(desktop.store.engine) as session:
        declaration = session.scalars(select(Declaration)).one()
        assert declaration.patient_id == detail.patient_id and declaration.code == "12010"
        assert declaration.override_reason
        assert session.scalars(select(TimeSegment).where(
            TimeSegment.patient_id == detail.patient_id)).first() is not None


def _declarations(desktop) -> int:
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from workbench.store.models import Declaration
    with Session(desktop.store.engine) as session:
        return session.scalar(select(func.count()).select_from(Declaration))


def test_help_copies_diagnostics_to_the_clipboard(qtbot, desktop):
    from PySide6.QtGui import QGuiApplication
    desktop.first_pull()
    window = desktop.open_window(person(desktop, Role.ASSISTANT))
    text = window.copy_diagnostics()
    assert QGuiApplication.clipboard().text() == text
    assert "Workbench" in text and "portal_url" in text
