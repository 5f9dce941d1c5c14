"""InboxView: search as you type, keyboard navigation, selection kept across reloads."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from workbench.services.inbox import ListView
from workbench.store.models import ConsultStatus, EConsult
from workbench.ui.inbox_model import ASSIGNEE, PATIENT, STATUS, SUBJECT, VIA
from workbench.ui.inbox_view import InboxView

INBOX = ListView(status=ConsultStatus.INBOX)


def _view(qtbot, context) -> InboxView:
    view = InboxView(context)
    qtbot.addWidget(view)
    view.resize(1100, 600)
    # Not shown: the offscreen platform warns about size hints on top-level windows.
    view.show_view(INBOX)
    return view


def test_typing_a_word_narrows_the_list(qtbot, ui_context):
    view = _view(qtbot, ui_context)
    everything = view.model.rowCount()
    expected = ui_context.queries.count(ListView(status=ConsultStatus.INBOX, search="koorts"))
    assert 0 < expected < everything
    assert view.search_field.placeholderText() == "Search all lists: message or patient…"

    qtbot.keyClicks(view.search_field, "koorts")
    assert view.model.rowCount() == everything    # not before the debounce
    qtbot.waitUntil(lambda: view.model.rowCount() == expected)
    assert view.model.view.search == "koorts"

    qtbot.keyClick(view.search_field, Qt.Key.Key_Escape)
    assert view.search_field.text() == ""
    assert view.model.rowCount() == everything


def test_search_is_kept_when_another_list_is_shown(qtbot, ui_context):
    view = _view(qtbot, ui_context)
    view.search_field.setText("koorts")
    view.show_view(ListView(status=ConsultStatus.CLOSED))
    assert view.model.view == ListView(status=ConsultStatus.CLOSED, search="koorts")
    assert view.model.rowCount() == ui_context.queries.count(view.model.view)


def test_select_next_and_previous_move_the_selection(qtbot, ui_context):
    view = _view(qtbot, ui_context)
    assert view.current_econsult_id() is None
    first, second = view.model.econsult_id(0), view.model.econsult_id(1)

    with qtbot.waitSignal(view.current_changed) as blocker:
        view.select_next()
    assert blocker.args == [first]
    with qtbot.waitSignal(view.current_changed) as blocker:
        view.select_next()
    assert blocker.args == [second]
    assert view.current_econsult_id() == second
    assert [i.row() for i in view.table.selectionModel().selectedRows()] == [1]

    with qtbot.waitSignal(view.current_changed) as blocker:
        view.select_previous()
    assert blocker.args == [first]
    with qtbot.assertNotEmitted(view.current_changed):
        view.select_previous()            # already at the top
    assert view.current_econsult_id() == first


def test_select_next_loads_more_at_the_end_of_a_page(qtbot, ui_context):
    view = _view(qtbot, ui_context)
    view.model._page_size = 5
    view.model.set_view(INBOX)
    assert view.model.rowCount() == 5
    for _ in range(6):
        view.select_next()
    assert view.model.rowCount() == 10
    assert view.current_econsult_id() == view.model.econsult_id(5)


def test_home_and_end_go_to_the_first_and_the_last_row(qtbot, ui_context):
    view = _view(qtbot, ui_context)
    view.model._page_size = 5
    view.model.set_view(INBOX)
    view.select_next()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_End)
    last = view.model.rowCount() - 1
    assert last >= 4
    assert view.current_econsult_id() == view.model.econsult_id(last)
    assert [i.row() for i in view.table.selectionModel().selectedRows()] == [last]
    qtbot.keyClick(view.table, Qt.Key.Key_Home)
    assert view.current_econsult_id() == view.model.econsult_id(0)
    assert [i.row() for i in view.table.selectionModel().selectedRows()] == [0]


def test_reload_keeps_the_selection(qtbot, ui_context):
    with Session(ui_context.engine) as session, session.begin():
        # No alarm advice: every e-consult in order of waiting time.
        session.execute(update(EConsult).values(advice_dismissed=True, sort_rank=2))
    view = _view(qtbot, ui_context)
    view.select_next()
    view.select_next()
    view.select_next()
    chosen = view.current_econsult_id()
    # Another e-consult jumps to the top; the chosen one moves down but stays selected.
    ui_context.triage.set_urgent(view.model.econsult_id(view.model.rowCount() - 1),
                                 ui_context.actor, True)
    with qtbot.assertNotEmitted(view.current_changed):
        view.reload()
    assert view.current_econsult_id() == chosen
    assert view.model.row_of(chosen) == 3


def test_reload_selects_the_row_that_took_the_place_of_a_closed_one(qtbot, ui_context):
    view = _view(qtbot, ui_context)
    view.select_next()
    view.select_next()
    chosen = view.current_econsult_id()
    following = view.model.econsult_id(2)
    ui_context.triage.invite_to_surgery(chosen, ui_context.actor)   # leaves the inbox
    with qtbot.waitSignal(view.current_changed) as blocker:
        view.reload()
    assert blocker.args == [following]
    assert view.current_econsult_id() == following


def test_header_click_sorts_and_a_sortless_column_keeps_the_order(qtbot, ui_context):
    view = _view(qtbot, ui_context)
    header = view.table.horizontalHeader()
    assert header.sortIndicatorSection() == -1      # triage order, no indicator
    assert view.model.view.sort == "default"

    header.setSortIndicator(PATIENT, Qt.SortOrder.AscendingOrder)
    assert view.model.view.sort == "patient"
    before = [view.model.econsult_id(r) for r in range(view.model.rowCount())]
    header.setSortIndicator(VIA, Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorSection() == PATIENT
    assert [view.model.econsult_id(r) for r in range(view.model.rowCount())] == before


def test_table_fits_a_small_screen(qtbot, ui_context):
    # On a 1366x768 screen the main window leaves the list about 640 pixels.
    view = _view(qtbot, ui_context)
    header = view.table.horizontalHeader()
    fixed = sum(header.sectionSize(c) for c in range(header.count())
                if c != SUBJECT and not header.isSectionHidden(c))
    assert fixed < 640 - 150              # the subject keeps room to be read
    assert not view.table.verticalHeader().isVisible()


def test_columns_that_say_the_same_on_every_row_are_hidden(qtbot, ui_context):
    view = _view(qtbot, ui_context)
    assert view.table.isColumnHidden(STATUS) and view.table.isColumnHidden(ASSIGNEE)
    with Session(ui_context.engine) as session, session.begin():
        # Waiting for the patient, with the assignee it had in a worklist.
        session.execute(update(EConsult).where(EConsult.id == select(func.min(EConsult.id))
                                               .scalar_subquery()).values(
            status=ConsultStatus.WAITING, assignee_id=ui_context.user.id))
    view.show_view(ListView(status=ConsultStatus.WAITING))
    assert not view.table.isColumnHidden(STATUS)
    assert not view.table.isColumnHidden(ASSIGNEE)   # someone is assigned on a row
    view.show_view(ListView(status=ConsultStatus.WORKLIST, assignee_id=2))
    assert view.table.isColumnHidden(STATUS) and view.table.isColumnHidden(ASSIGNEE)
    assert not view.table.isColumnHidden(SUBJECT)
