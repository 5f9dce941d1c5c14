"""InboxModel over a store filled from the demo portal."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workbench.services.inbox import ListView
from workbench.services.triage import Actor
from workbench.store.models import ConsultStatus, EConsult, Message
from workbench.ui.inbox_model import (
    PATIENT,
    PHOTOS,
    RECEIVED,
    STATUS,
    URGENCY,
    VIA,
    WAITING,
    InboxModel,
)


def _model(context, **kwargs) -> InboxModel:
    model = InboxModel(context.queries, context.clock, **kwargs)
    model.set_view(ListView(status=ConsultStatus.INBOX))
    return model


def _ids(model: InboxModel) -> list[int]:
    return [model.econsult_id(row) for row in range(model.rowCount())]


def _clear_all_advice(context) -> None:
    with Session(context.engine) as session, session.begin():
        session.execute(update(EConsult).values(advice_dismissed=True, sort_rank=2))


def test_model_passes_the_model_tester(qtmodeltester, ui_context):
    model = _model(ui_context)
    assert model.rowCount() > 0
    qtmodeltester.check(model)


def test_model_with_a_search_passes_the_model_tester(qtmodeltester, ui_context):
    model = InboxModel(ui_context.queries, ui_context.clock)
    model.set_view(ListView(status=None, search="pijn"))
    assert 0 < model.rowCount() < ui_context.queries.count(ListView(status=None))
    qtmodeltester.check(model)


def test_rows_load_page_by_page(qtbot, ui_context):
    total = ui_context.queries.count(ListView(status=ConsultStatus.INBOX))
    assert total > 25
    model = _model(ui_context, page_size=10)
    assert model.rowCount() == 10
    assert model.total == total
    inserted = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))

    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert inserted == [(10, 19)]
    assert model.rowCount() == 20
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == total
    assert inserted[-1] == (inserted[-1][0], total - 1)
    assert all(last - first + 1 <= 10 for first, last in inserted)
    # Every e-consult once, in the same order as a single query would give.
    assert _ids(model) == ui_context.queries.ids(ListView(status=ConsultStatus.INBOX))
    model.fetchMore(QModelIndex())
    assert model.rowCount() == total


def test_default_order_urgent_then_longest_waiting_and_reading_moves_nothing(ui_context):
    _clear_all_advice(ui_context)
    me = Actor(ui_context.user.id)
    model = _model(ui_context, reader_id=me.user_id)
    ids = _ids(model)
    youngest = ids[-1]            # waited the shortest
    ui_context.triage.set_urgent(youngest, me, True)
    for econsult_id in ids[:-3]:
        ui_context.triage.record_view(econsult_id, me)
    model.reload()

    order = _ids(model)
    assert order[0] == youngest
    assert model.index(0, URGENCY).data() == "!"
    assert model.index(0, URGENCY).data(Qt.ItemDataRole.ToolTipRole) == "Urgent"
    # Then whoever waited longest, read or not: unread is only bold.
    assert order[1:] == ids[:-1]
    waits = [model.consult_row(row).waiting_since for row in range(1, model.rowCount())]
    assert waits == sorted(waits)
    assert model.index(1, PATIENT).data(Qt.ItemDataRole.FontRole) is None
    assert model.index(model.rowCount() - 1, PATIENT).data(Qt.ItemDataRole.FontRole).bold()


def test_advice_is_flagged_as_possible_emergency(ui_context):
    model = _model(ui_context)
    rows = [r for r in range(model.rowCount()) if model.consult_row(r).has_advice]
    assert rows, "the demo data has alarm words in some e-consults"
    index = model.index(rows[0], URGENCY)
    assert index.data() == "!"
    assert index.data(Qt.ItemDataRole.ToolTipRole) == \
        "Possible emergency: alarm words in the text"
    assert index.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert index.data(Qt.ItemDataRole.AccessibleTextRole) == \
        "Possible emergency: alarm words in the text"


def test_search_narrows_to_econsults_containing_the_word(ui_context):
    model = InboxModel(ui_context.queries, ui_context.clock)
    model.set_view(ListView(status=None))
    everything = model.total
    model.set_view(ListView(status=None, search="koorts"))
    assert 0 < model.rowCount() < everything
    with Session(ui_context.engine) as session:
        for econsult_id in _ids(model):
            texts = session.scalars(select(Message.text)
                                    .where(Message.econsult_id == econsult_id)).all()
            assert any("koorts" in text.lower() for text in texts)


def test_waiting_time_turns_red_past_the_answer_target(ui_context):
    late = lambda: datetime.now(UTC) + timedelta(days=60)
    model = InboxModel(ui_context.queries, late, answer_target_days=2)
    model.set_view(ListView(status=ConsultStatus.INBOX))
    index = model.index(0, WAITING)
    assert " d " in index.data()
    assert index.data(Qt.ItemDataRole.BackgroundRole).color().red() > 200
    assert "2 working days" in index.data(Qt.ItemDataRole.ToolTipRole)

    fresh_clock = lambda: model.consult_row(0).waiting_since + timedelta(minutes=45)
    fresh = InboxModel(ui_context.queries, fresh_clock)
    fresh.set_view(ListView(status=ConsultStatus.INBOX))
    assert fresh.index(0, WAITING).data() == "45 min"
    assert fresh.index(0, WAITING).data(Qt.ItemDataRole.BackgroundRole) is None


def test_cells_show_what_the_assistant_reads(ui_context):
    model = _model(ui_context)
    row = model.consult_row(0)
    assert model.index(0, PATIENT).data().startswith(f"{row.patient_name} (")
    assert model.index(0, STATUS).data() == "Inbox"
    assert model.index(0, RECEIVED).data() == \
        row.received_at.astimezone().strftime("%d-%m %H:%M")
    assert model.index(0, VIA).data(Qt.ItemDataRole.UserRole) == row.id
    with_photos = [r for r in range(model.rowCount()) if model.consult_row(r).photo_count]
    without = [r for r in range(model.rowCount()) if not model.consult_row(r).photo_count]
    assert model.index(with_photos[0], PHOTOS).data() == \
        str(model.consult_row(with_photos[0]).photo_count)
    assert model.index(without[0], PHOTOS).data() == ""


def test_invited_status_says_so(ui_context):
    model = _model(ui_context)
    econsult_id = model.econsult_id(0)
    ui_context.triage.invite_to_surgery(econsult_id, ui_context.actor)
    model.set_view(ListView(status=ConsultStatus.WAITING))
    assert model.index(model.row_of(econsult_id), STATUS).data() == \
        "Waiting for patient – invited"


def test_sort_by_patient(ui_context):
    model = _model(ui_context)
    model.sort(PATIENT, Qt.SortOrder.AscendingOrder)
    assert model.view.sort == "patient" and not model.view.descending
    # By family name, its prefix passed over: the demo's family name is the last word.
    by_family = lambda name: (name.split()[-1].lower(), name)
    names = [model.consult_row(r).patient_name for r in range(model.rowCount())]
    assert names == sorted(names, key=by_family)
    model.sort(PATIENT, Qt.SortOrder.DescendingOrder)
    names = [model.consult_row(r).patient_name for r in range(model.rowCount())]
    assert names == sorted(names, key=by_family, reverse=True)

    before = _ids(model)
    model.sort(VIA, Qt.SortOrder.AscendingOrder)     # no sort key: order stays
    assert _ids(model) == before
    model.sort(-1, Qt.SortOrder.AscendingOrder)      # back to the triage order
    assert model.view.sort == "default"


def test_reload_keeps_loaded_rows_and_finds_rows(ui_context):
    model = _model(ui_context, page_size=10)
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 30
    third = model.econsult_id(2)
    model.reload()
    assert model.rowCount() == 30
    assert model.row_of(third) == 2
    assert model.row_of(-5) is None
    assert model.econsult_id(30) is None


@pytest.mark.parametrize("role", [Qt.ItemDataRole.WhatsThisRole, Qt.ItemDataRole.SizeHintRole])
def test_returning_none_does_not_leak_references_to_none(ui_context, role):
    # PySide6 6.12.0 on Python 3.11 drops a reference to None for every None an override
    # returns to Qt; the process then aborts (see KNOWN-HAZARDS.md).
    model = _model(ui_context)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    index = proxy.index(0, VIA)
    before = sys.getrefcount(None)
    for _ in range(500):
        assert proxy.data(index, role) is None
    assert sys.getrefcount(None) >= before


class _CountingQueries:
    """The real queries, with a log of what the model asked for."""

    def __init__(self, queries) -> None:
        self._queries = queries
        self.calls: list[tuple] = []

    def count(self, view):
        self.calls.append(("count",))
        return self._queries.count(view)

    def page(self, view, offset, limit, for_user=None):
        self.calls.append(("page", offset, limit))
        return self._queries.page(view, offset, limit, for_user=for_user)

    def first_page(self, view, limit, for_user=None):
        self.calls.append(("first_page", limit))
        return self._queries.first_page(view, limit, for_user=for_user)


def test_opening_a_list_costs_one_query_and_painting_costs_nothing(ui_context):
    queries = _CountingQueries(ui_context.queries)
    model = InboxModel(queries, ui_context.clock, page_size=20)
    model.set_view(ListView(status=ConsultStatus.INBOX))
    assert queries.calls == [("first_page", 20)]  # the count comes with the page
    assert model.total == ui_context.queries.count(ListView(status=ConsultStatus.INBOX)) > 20
    queries.calls.clear()
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole,
                         Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole):
                model.index(row, column).data(role)
    assert queries.calls == []


def test_a_search_pages_without_counting_ahead_and_loads_every_match(ui_context):
    view = ListView(status=None, search="koorts")
    everything = ui_context.queries.count(view)
    assert everything > 3
    model = _model(ui_context, page_size=2)
    model.set_view(view)
    assert model.rowCount() == 2 and model.canFetchMore(QModelIndex())
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == model.total == everything
    assert len(set(_ids(model))) == everything
