"""Beheer > Tarieven lists every year's amounts with where they come from and loads the NZa's
file of a year; the declare dialog and the Declarations window say when amounts are another
year's or still to be confirmed."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtWidgets import QFileDialog, QLabel
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.ui.conftest import sign_in_as
from workbench.services.billing import BillingService, SegmentDraft
from workbench.services.inbox import ListView, PractitionerInfo
from workbench.services.tariffs import TariffBook
from workbench.store.models import AuditEvent, EConsult, Practitioner, Role
from workbench.ui.declarations_view import DeclarationsView
from workbench.ui.declare_dialog import DeclareDialog
from workbench.ui.tariffs_dialog import TariffsDialog

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

JANUARY_2027 = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def nza_file(year, **changes):
    ranges = {"12010": (0, 299), "12011": (300, 1199), "12001": (1200, None)}
    cents = {"12010": 640, "12011": 1281, "12001": 2562}
    data = {"year": year, "decision": "NZa TB/REG-27611-01",
            "codes": [{"code": code, "description": f"Consult {code}",
                       "min_seconds": low, "max_seconds": high, "amount_cents": cents[code]}
                      for code, (low, high) in ranges.items()]}
    data.update(changes)
    return json.dumps(data)


@pytest.fixture
def manager_context(ui_context):
    with Session(ui_context.engine) as session, session.begin():
        manager = Practitioner(name="Petra Beheer", role=Role.MANAGER)
        session.add(manager)
        session.flush()
        ui_context.user = PractitionerInfo(manager.id, manager.name, Role.MANAGER)
    ui_context.clock = lambda: JANUARY_2027
    return ui_context


@pytest.fixture
def billing(ui_context, tmp_path):
    return BillingService(ui_context.engine, lambda: JANUARY_2027, workstation="beheer",
                          tariffs=TariffBook(practice=tmp_path / "practice-tariffs"))


def open_tariffs(qtbot, context, billing):
    dialog = TariffsDialog(context, billing)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_years_their_origin_and_whether_confirmed(qtbot, manager_context, billing):
    dialog = open_tariffs(qtbot, manager_context, billing)
    rows = dialog.rows()
    assert [row[0] for row in rows] == ["2026", "2025", "2024", "2023", "2022"]
    assert rows[0][1:4] == ["€ 6,21 / € 12,43 / € 24,85", "Shipped with Workbench",
                            "In use; to be confirmed"]
    assert rows[1][1:4] == ["€ 6,21 / € 12,43 / € 24,85", "Shipped with Workbench",
                            "In use; confirmed"]
    assert rows[2][3] == "In use; to be confirmed"
    # 2027 has no file: its amounts are 2026's, and the dialog says so.
    assert dialog.current_text() == "This year (2027): amounts of 2026; to be confirmed."


def test_loading_the_nza_file_through_the_file_dialog(qtbot, manager_context, billing,
                                                      tmp_path):
    source = tmp_path / "NZa tarieven 2027.json"
    source.write_text(nza_file(2027), encoding="utf-8")
    dialog = open_tariffs(qtbot, manager_context, billing)
    dialog.load_button.click()
    chooser = dialog.findChild(QFileDialog)
    assert chooser is not None
    with qtbot.waitSignal(dialog.loaded, timeout=10_000) as loaded:
        chooser.selectFile(str(source))
        chooser.accept()
    assert loaded.args == [2027]
    assert dialog.status.text() == "The tariffs of 2027 are loaded and used from now on."
    assert dialog.rows()[0] == ["2027", "€ 6,40 / € 12,81 / € 25,62", "Loaded by the practice",
                                "In use; confirmed", "NZa TB/REG-27611-01"]
    assert dialog.current_text() == "This year (2027): the confirmed amounts of 2027."
    assert billing.tariffs_for(JANUARY_2027.date()).confirmed
    with Session(manager_context.engine) as session:
        events = session.scalars(select(AuditEvent).where(
            AuditEvent.event == "tariffs_loaded")).all()
    assert [(e.user_id, e.detail["year"]) for e in events] == [(manager_context.user.id, 2027)]


def test_a_bad_file_is_refused_with_what_is_wrong(qtbot, manager_context, billing, tmp_path):
    source = tmp_path / "tarieven.json"
    data = json.loads(nza_file(2027))
    data["codes"] = data["codes"][:2]
    source.write_text(json.dumps(data), encoding="utf-8")
    dialog = open_tariffs(qtbot, manager_context, billing)
    with qtbot.waitSignal(dialog.failed, timeout=10_000):
        dialog.load_from(source)
    assert dialog.status.text() == ("This file was not loaded: code 12001 is missing, "
                                    "unknown or listed twice.")
    assert dialog.rows()[0][0] == "2026"
    assert dialog.load_button.isEnabled()
    assert not (tmp_path / "practice-tariffs").exists()


def test_the_practice_manager_opens_tariffs_from_the_admin_menu(qtbot, desktop):
    window = sign_in_as(desktop, Role.MANAGER)
    assert "&Tariffs…" in [a.text() for a in window.admin.menu.actions()]
    window.admin.tariffs_action.trigger()
    dialog = window.admin.dialog
    assert isinstance(dialog, TariffsDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert "2025" in [row[0] for row in dialog.rows()]


def proposal_on(billing, ui_context, day_start):
    consult_id = ui_context.queries.ids(ListView())[0]
    with Session(ui_context.engine) as session:
        patient_id = session.get(EConsult, consult_id).patient_id
    billing.record_segments(ui_context.user.id, [
        SegmentDraft(consult_id, patient_id, day_start, day_start + timedelta(seconds=400))])
    return billing.propose(consult_id, ui_context.user.id, day=day_start.date())


def notice_labels(dialog):
    return [label.text() for label in dialog.findChildren(QLabel)
            if "to be confirmed" in label.text()]


def test_the_declare_dialog_says_whose_amounts_when_the_year_has_no_file(
        qtbot, ui_context, billing):
    proposal = proposal_on(billing, ui_context, JANUARY_2027)
    assert (proposal.code, proposal.amount_cents) == ("12011", 1243)
    dialog = DeclareDialog(proposal, billing.tariffs_for(proposal.day).codes,
                           to_confirm=proposal.tariff_to_confirm)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    expected = ("Amounts of 2026; to be confirmed. There is no tariff file for 2027. The "
                "practice manager loads the NZa tariffs under Admin > Tariffs.")
    assert dialog.tariff_notice() == expected and notice_labels(dialog) == [expected]


def test_the_declare_dialog_names_a_placeholder_and_is_quiet_for_confirmed_amounts(
        qtbot, ui_context, billing):
    placeholder = proposal_on(billing, ui_context, datetime(2026, 11, 30, 9, tzinfo=UTC))
    confirmed = proposal_on(billing, ui_context, datetime(2025, 6, 2, 9, tzinfo=UTC))
    shown = []
    for proposal in (placeholder, confirmed):
        dialog = DeclareDialog(proposal, billing.tariffs_for(proposal.day).codes,
                               to_confirm=proposal.tariff_to_confirm)
        qtbot.addWidget(dialog)
        shown.append((dialog.tariff_notice(), notice_labels(dialog)))
    assert shown[0][0] == ("Amounts of 2026; to be confirmed. The amounts of 2026 are "
                           "placeholders. The practice manager loads the NZa tariffs under "
                           "Admin > Tariffs.")
    assert shown[1] == ("", [])


def test_the_declarations_window_names_unconfirmed_amounts(qtbot, ui_context, billing):
    for start in (datetime(2025, 6, 2, 9, tzinfo=UTC), JANUARY_2027):
        billing.declare(proposal_on(billing, ui_context, start), ui_context.actor)
    view = DeclarationsView(ui_context, billing)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.set_period(date(2025, 6, 1), date(2025, 6, 30))
    assert view.tariff_text() == ""
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.set_period(date(2025, 6, 1), date(2027, 1, 31))
    assert view.tariff_text() == "Declarations of 2027: amounts of 2026; to be confirmed."
