"""Lists and search with real widgets over a store filled from the demo portal: reading moves
nothing, unread per person, overdue counts, search over every list, columns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workbench.services.inbox import ListView
from workbench.store.models import (
    ConsultStatus,
    EConsult,
    Message,
    Patient,
    Role,
    Urgency,
)
from workbench.ui.consult_pane import ConsultPane
from workbench.ui.inbox_model import ASSIGNEE, LIST, PATIENT, RECEIVED, STATUS, SUBJECT
from workbench.ui.inbox_view import InboxView
from workbench.ui.navigation import NavigationList

INBOX = ListView(status=ConsultStatus.INBOX)


def _view(qtbot, context, view: ListView = INBOX) -> InboxView:
    widget = InboxView(context)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show_view(view)
    return widget


def _ids(view: InboxView) -> list[int]:
    return [view.model.econsult_id(row) for row in range(view.model.rowCount())]


def _search(qtbot, view: InboxView, text: str) -> None:
    view.search_field.setText(text)
    qtbot.waitUntil(lambda: view.model.view.search == text)


def _bold(view: InboxView, row: int) -> bool:
    font = view.model.index(row, SUBJECT).data(Qt.ItemDataRole.FontRole)
    return font is not None and font.bold()


def _other_assistant(context):
    return next(p for p in context.queries.practitioners()
                if p.role is Role.ASSISTANT and p.id != context.user.id)


def _route_some(context, how_many: int = 2) -> list[int]:
    gp = next(p for p in context.queries.practitioners() if p.role is Role.GP)
    routed = context.queries.ids(INBOX)[-how_many:]
    for econsult_id in routed:
        context.triage.route(econsult_id, context.actor, gp.id, Urgency.NORMAL)
    return routed


# -- 1 and 2: reading keeps the order; unread per person, bold only ---------------------------
def test_reading_an_item_leaves_it_in_place_and_only_unbolds_it_for_the_reader(
        qtbot, ui_context):
    view = _view(qtbot, ui_context)
    before = _ids(view)
    row = 3
    item = before[row]
    assert _bold(view, row)
    ui_context.triage.record_view(item, ui_context.actor)
    view.reload()
    assert _ids(view) == before
    assert not _bold(view, row)
    assert _bold(view, row + 1)

    # A colleague at another workstation still sees it unread.
    colleague = _other_assistant(ui_context)
    ui_context.user = colleague
    theirs = _view(qtbot, ui_context)
    assert _ids(theirs) == before
    assert _bold(theirs, row)


# -- 3: overdue counts in the navigation ------------------------------------------------------
def test_navigation_says_how_many_are_overdue_per_list(qtbot, ui_context):
    navigation = NavigationList(ui_context.user, ui_context.queries.practitioners())
    qtbot.addWidget(navigation)
    queries = ui_context.queries
    counts = queries.counts()
    total = counts[(ConsultStatus.INBOX, None)]

    navigation.refresh_counts(counts, queries.overdue_counts(ui_context.clock(), 100))
    assert navigation.item(0).text() == f"Inbox ({total})"

    # Far in the future every waiting e-consult is past the target.
    later = ui_context.clock() + timedelta(days=60)
    overdue = queries.overdue_counts(later, 2)
    assert overdue[(ConsultStatus.INBOX, None)] == total
    navigation.refresh_counts(counts, overdue)
    assert navigation.item(0).text() == f"Inbox ({total}) · {total} overdue"
    closed = navigation.item(navigation.count() - 1).text()
    assert closed.startswith("Closed (") and "overdue" not in closed




def test_the_main_window_shows_overdue_and_unread_for_the_user_signed_in(qtbot, desktop):
    desktop.first_pull()
    assistant = next(p for p in desktop.queries.practitioners() if p.role is Role.ASSISTANT)
    window = desktop.open_window(assistant)
    qtbot.addWidget(window)
    late = desktop.queries.overdue_counts(
        datetime.now(UTC), desktop.settings.answer_target_working_days)
    late_in_inbox = late.get((ConsultStatus.INBOX, None), 0)
    assert late_in_inbox, "the demo has e-consults waiting for days"
    assert window.navigation.item(0).text().endswith(f" · {late_in_inbox} overdue")
    unread = desktop.queries.unread_count(assistant.id)
    assert window.windowTitle().startswith(f"({unread})")


# -- 4: search --------------------------------------------------------------------------------
def _word_in_a_closed_consult(context) -> str:
    with Session(context.engine) as session, session.begin():
        closed = session.scalar(select(EConsult.id).where(
            EConsult.status == ConsultStatus.CLOSED).limit(1))
        assert closed is not None, "the demo has threads answered on the portal"
        session.execute(update(Message).where(Message.econsult_id == closed).values(
            text="Mijn knie is dik sinds het voetballen, en nu ook mijn enkel."))
    return closed


def test_search_covers_every_list_and_says_which_list_each_hit_is_in(qtbot, ui_context):
    closed = _word_in_a_closed_consult(ui_context)
    routed = _route_some(ui_context)
    with Session(ui_context.engine) as session, session.begin():
        session.execute(update(Message).where(Message.econsult_id == routed[0]).values(
            text="Sinds gisteren pijn in de knie bij het traplopen."))
    view = _view(qtbot, ui_context)
    assert view.table.isColumnHidden(LIST)
    _search(qtbot, view, "knie")
    assert {closed, routed[0]} <= set(_ids(view))
    assert not view.table.isColumnHidden(LIST)
    assert view.model.headerData(LIST, Qt.Orientation.Horizontal) == "List"
    lists = {view.model.econsult_id(r): view.model.index(r, LIST).data()
             for r in range(view.model.rowCount())}
    gp = next(p for p in ui_context.queries.practitioners() if p.role is Role.GP)
    assert lists[closed] == "Closed"
    assert lists[routed[0]] == f"Worklist: {gp.name}"
    # The list says it: no status or assignee columns beside it.
    assert view.table.isColumnHidden(STATUS) and view.table.isColumnHidden(ASSIGNEE)

    view.search_field.clear()
    qtbot.waitUntil(lambda: view.model.view.search == "")
    assert view.table.isColumnHidden(LIST)
    assert closed not in _ids(view)


def test_a_search_without_hits_says_empty_note_in_the_table(qtbot, ui_context):
    view = _view(qtbot, ui_context)
    view.show()
    qtbot.waitExposed(view)
    assert view.empty_note.isHidden()
    _search(qtbot, view, "xylofoonles")
    assert view.model.rowCount() == 0
    assert view.empty_note.isVisible() and view.empty_note.text() == "No results"
    assert view.empty_note.parent() is view.table.viewport()
    assert view.empty_note.geometry() == view.table.viewport().rect()
    _search(qtbot, view, "koorts")
    assert view.model.rowCount() > 0 and view.empty_note.isHidden()


def test_an_empty_list_says_so_in_the_table(qtbot, ui_context):
    view = _view(qtbot, ui_context)
    view.show()
    qtbot.waitExposed(view)
    assert view.model.rowCount() > 0 and view.empty_note.isHidden()
    view.show_view(ListView(status=ConsultStatus.WAITING))  # nobody waits in the demo's start
    assert view.model.rowCount() == 0
    assert view.empty_note.isVisible() and view.empty_note.text() == "No e-consults in this list"


def test_a_search_keeps_the_open_econsult_open(qtbot, ui_context):
    view = _view(qtbot, ui_context)
    pane = ConsultPane(ui_context)
    qtbot.addWidget(pane)
    view.current_changed.connect(pane.show_consult)
    emitted = []
    view.current_changed.connect(emitted.append)
    view.select_next()
    item = view.current_econsult_id()
    qtbot.waitUntil(lambda: pane.current_id() == item)

    _search(qtbot, view, "xylofoonles")
    assert view.model.rowCount() == 0
    _search(qtbot, view, "koorts")
    assert item not in _ids(view) or view.current_econsult_id() == item
    assert None not in emitted
    assert pane.current_id() == item

    # Back to the list: the open e-consult is selected again.
    view.search_field.clear()
    qtbot.waitUntil(lambda: view.model.view.search == "")
    assert view.current_econsult_id() == item
    assert emitted == [item] and pane.current_id() == item


def test_the_search_stays_when_another_list_is_picked(qtbot, ui_context):
    closed = _word_in_a_closed_consult(ui_context)
    view = _view(qtbot, ui_context)
    navigation = NavigationList(ui_context.user, ui_context.queries.practitioners())
    qtbot.addWidget(navigation)
    navigation.view_selected.connect(view.show_view)
    navigation.select_default()
    _search(qtbot, view, "knie")
    hits = _ids(view)
    assert closed in hits

    navigation.select_view(ListView(status=ConsultStatus.WAITING))
    assert view.search_field.text() == "knie"
    assert view.model.view == ListView(status=ConsultStatus.WAITING, search="knie")
    assert _ids(view) == hits
    assert not view.table.isColumnHidden(LIST)


def test_whole_word_hits_come_before_prefix_hits(qtbot, ui_context):
    view = _view(qtbot, ui_context)
    ids = _ids(view)
    prefix_only, whole_word = ids[0], ids[-1]   # the first waited longest
    with Session(ui_context.engine) as session, session.begin():
        session.execute(update(Message).where(Message.econsult_id == prefix_only).values(
            text="Al weken last van rugpijn."))
        session.execute(update(Message).where(Message.econsult_id == whole_word).values(
            text="Ik heb last van mijn rug."))
    _search(qtbot, view, "rug")
    hits = _ids(view)
    assert hits.index(whole_word) < hits.index(prefix_only)


def test_search_finds_the_patient_by_name(qtbot, ui_context):
    view = _view(qtbot, ui_context)
    item = _ids(view)[5]
    with Session(ui_context.engine) as session, session.begin():
        patient = session.get(EConsult, item).patient
        patient.name, patient.family_name = "Wieteke Zwanenburg", "Zwanenburg"
    _search(qtbot, view, "zwanenb")
    assert item in _ids(view)


# -- 5: columns -------------------------------------------------------------------------------
def test_assigned_to_shows_only_when_a_row_has_someone_assigned(qtbot, ui_context):
    view = _view(qtbot, ui_context, ListView(status=None))
    view.show()
    qtbot.waitExposed(view)
    assert view.table.isColumnHidden(ASSIGNEE)   # nobody assigned yet: no empty column
    subject_alone = view.table.horizontalHeader().sectionSize(SUBJECT)
    _route_some(ui_context)
    view.reload()
    assert not view.table.isColumnHidden(ASSIGNEE)
    assert view.table.horizontalHeader().sectionSize(SUBJECT) < subject_alone
    view.show_view(INBOX)
    assert view.table.isColumnHidden(ASSIGNEE)


def test_columns_fit_their_content(qtbot, ui_context):
    view = _view(qtbot, ui_context)
    header = view.table.horizontalHeader()
    bold = QFont(view.table.font())
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    received = [view.model.index(r, RECEIVED).data() for r in range(view.model.rowCount())]
    assert all(metrics.horizontalAdvance(text) < header.sectionSize(RECEIVED)
               for text in received)
    short_names = header.sectionSize(PATIENT)

    item = _ids(view)[0]
    with Session(ui_context.engine) as session, session.begin():
        patient = session.get(Patient, session.get(EConsult, item).patient_id)
        patient.name = "Jo Li"
        session.execute(update(Patient).where(Patient.id != patient.id).values(name="Jo Li"))
    view.reload()
    assert header.sectionSize(PATIENT) < short_names


def test_sorting_by_patient_sorts_by_family_name(qtbot, ui_context):
    view = _view(qtbot, ui_context)
    view.table.horizontalHeader().setSortIndicator(PATIENT, Qt.SortOrder.AscendingOrder)
    rows = [view.model.consult_row(r) for r in range(view.model.rowCount())]
    names = [row.patient_name for row in rows]
    assert any(" van " in name or " de " in name for name in names), "prefixes in the demo"
    # The demo's family name without its prefix is the name's last word.
    assert names == sorted(names, key=lambda name: (name.split()[-1].lower(), name))
