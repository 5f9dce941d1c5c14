"""The channel in the inbox list: an icon for portal or secure mail, with words for the tooltip
and for screen readers; sorting and searching do not change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workbench.services.inbox import ListView
from workbench.store.models import ConsultStatus, EConsult
from workbench.ui.channel_icon import MAIL, PORTAL, channel_icon, channel_tooltip
from workbench.ui.inbox_model import CHANNEL, SORT_KEYS, SUBJECT, InboxModel

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _make_mail(engine) -> int:
    """One inbox e-consult as if it came by secure mail."""
    with Session(engine) as session, session.begin():
        econsult_id = session.scalars(select(EConsult.id).where(
            EConsult.status == ConsultStatus.INBOX).order_by(EConsult.id)).first()
        session.execute(update(EConsult).where(EConsult.id == econsult_id)
                        .values(channel="mail"))
    return econsult_id


def _image(icon):
    return icon.pixmap(16, 16).toImage()


def test_the_two_icons_are_drawn_and_differ(qapp):
    mail, portal = channel_icon(MAIL), channel_icon(PORTAL)
    assert not mail.isNull() and not portal.isNull()
    assert _image(mail) != _image(portal)
    assert channel_icon(None).cacheKey() == portal.cacheKey()  # before there was mail
    assert channel_tooltip(MAIL) == "Secure mail"
    assert channel_tooltip(PORTAL) == "Portal"


def test_a_mail_econsults_row_shows_the_mail_icon_and_tooltip(qtmodeltester, ui_context):
    mail_id = _make_mail(ui_context.engine)
    model = InboxModel(ui_context.queries, ui_context.clock)
    model.set_view(ListView(status=ConsultStatus.INBOX))
    qtmodeltester.check(model)
    row = model.row_of(mail_id)
    assert row is not None
    cell = model.index(row, CHANNEL)
    assert model.consult_row(row).channel == "mail"
    assert cell.data(Qt.ItemDataRole.DecorationRole).cacheKey() == channel_icon(MAIL).cacheKey()
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == "Secure mail"
    assert cell.data(Qt.ItemDataRole.AccessibleTextRole) == "Secure mail"
    assert cell.data(Qt.ItemDataRole.DisplayRole) == ""  # an icon, no text to sort or search

    portal_row = next(n for n in range(model.rowCount()) if n != row)
    portal = model.index(portal_row, CHANNEL)
    assert portal.data(Qt.ItemDataRole.ToolTipRole) == "Portal"
    assert portal.data(Qt.ItemDataRole.DecorationRole).cacheKey() == \
        channel_icon(PORTAL).cacheKey()
    assert model.headerData(CHANNEL, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)


def test_the_channel_column_does_not_sort_and_the_order_stays(qtbot, ui_context):
    from workbench.ui.inbox_view import InboxView
    _make_mail(ui_context.engine)
    assert SORT_KEYS[CHANNEL] is None
    view = InboxView(ui_context)
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    view.show_view(ListView(status=ConsultStatus.INBOX))
    before = [view.model.econsult_id(n) for n in range(view.model.rowCount())]
    sort = view.model.view.sort
    view.table.horizontalHeader().setSortIndicator(CHANNEL, Qt.SortOrder.DescendingOrder)
    after = [view.model.econsult_id(n) for n in range(view.model.rowCount())]
    assert after == before
    assert view.model.view.sort == sort
    assert view.table.horizontalHeader().sortIndicatorSection() != CHANNEL  # put back
    # Narrow, but the icon fits.
    width = view.table.columnWidth(CHANNEL)
    assert 16 <= width < view.table.columnWidth(SUBJECT)
    assert not view.table.isColumnHidden(CHANNEL)
