"""Billing in the user interface: the time bar, the declare dialog and the Declarations window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.accounts import AccountService, new_totp_secret
from workbench.services.billing import BillingService, SegmentDraft
from workbench.services.inbox import PractitionerInfo
from workbench.services.tariffs import load_tariffs
from workbench.store.models import EConsult, Role, TimeSegment
from workbench.ui.billing_timer import BillingTimer, CorrectionDialog
from workbench.ui.declarations_view import DeclarationsView
from workbench.ui.declare_dialog import DeclareDialog

# The offscreen platform says so once, when the first window is shown.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

START = datetime(2023, 3, 14, 9, 0, tzinfo=UTC)


class FakeClock:
    """Time that moves only when the test says so."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def billing(ui_context, clock):
    return BillingService(ui_context.engine, clock)


@pytest.fixture
def consult(ui_context):
    with Session(ui_context.engine) as session:
        return session.execute(select(EConsult.id, EConsult.patient_id)
                               .order_by(EConsult.id).limit(1)).one()


@pytest.fixture
def timer(qtbot, ui_context, billing, clock):
    widget = BillingTimer(ui_context, billing, clock=clock, idle_limit=timedelta(seconds=60))
    qtbot.addWidget(widget)
    return widget


def work(qtbot, timer, clock, seconds, step=5):
    """Someone busy at the keyboard for `seconds`, the bar ticking meanwhile."""
    for _ in range(int(seconds // step)):
        clock.advance(step)
        timer.clock_machine.activity()
        timer.tick()


def wait_for_store(qtbot, ui_context):
    qtbot.waitUntil(lambda: not ui_context.tasks.busy, timeout=10_000)


def segments(engine, econsult_id):
    with Session(engine) as session:
        return session.scalars(select(TimeSegment).where(TimeSegment.econsult_id == econsult_id)
                               .order_by(TimeSegment.id)).all()


def test_timer_shows_nothing_open_and_then_running_time(qtbot, timer, clock, consult):
    assert "no e-consult open" in timer.label_text()
    assert not any(button.isEnabled() for button in timer.findChildren(QPushButton))

    timer.set_consult(consult.id, consult.patient_id)
    work(qtbot, timer, clock, 190)
    assert timer.label_text() == "Time: 03:10 (running)"


def test_timer_pauses_when_the_application_loses_focus(qtbot, timer, clock, consult):
    timer.set_consult(consult.id, consult.patient_id)
    work(qtbot, timer, clock, 30)
    app = QGuiApplication.instance()
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    assert timer.label_text() == "Time: 00:30 (paused)"
    clock.advance(45)
    timer.tick()
    assert timer.label_text() == "Time: 00:30 (paused)"

    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    work(qtbot, timer, clock, 10)
    assert timer.label_text() == "Time: 00:40 (running)"


def test_timer_stops_counting_when_idle_and_resumes_on_a_key_press(qtbot, timer, clock,
                                                                   consult):
    timer.set_consult(consult.id, consult.patient_id)
    work(qtbot, timer, clock, 20)
    shown = []
    for _ in range(30):  # five minutes without touching anything
        clock.advance(10)
        timer.tick()
        shown.append(timer.label_text())
    # The idle time is not counted, the reason is shown, and the display never went back.
    assert timer.label_text() == "Time: 00:20 (paused: no activity)"
    assert all(text.startswith("Time: 00:20") for text in shown)
    assert any(b.text() == "Resume" for b in timer.findChildren(QPushButton))

    timer.show()
    qtbot.waitExposed(timer)
    qtbot.keyClick(timer, Qt.Key.Key_Shift)  # through the application-wide event filter
    clock.advance(5)
    qtbot.keyClick(timer, Qt.Key.Key_Shift)
    timer.tick()
    # The display counts up to the last input: what would be stored, so it never goes back.
    assert timer.label_text() == "Time: 00:25 (running)"


def test_pause_and_resume_buttons(qtbot, timer, clock, consult):
    timer.set_consult(consult.id, consult.patient_id)
    work(qtbot, timer, clock, 15)
    pause = next(b for b in timer.findChildren(QPushButton) if b.text() == "Pause")
    qtbot.mouseClick(pause, Qt.MouseButton.LeftButton)
    assert pause.text() == "Resume"
    clock.advance(30)
    timer.clock_machine.activity()  # moving the mouse does not end a pause
    timer.tick()
    assert timer.label_text() == "Time: 00:15 (paused)"
    qtbot.mouseClick(pause, Qt.MouseButton.LeftButton)
    work(qtbot, timer, clock, 5)
    assert timer.label_text() == "Time: 00:20 (running)"


def test_time_goes_to_the_store_and_another_item_ends_the_run(qtbot, timer, clock, consult,
                                                               ui_context):
    timer.set_consult(consult.id, consult.patient_id)
    work(qtbot, timer, clock, 40)
    timer.set_consult(None, None)
    wait_for_store(qtbot, ui_context)
    stored = segments(ui_context.engine, consult.id)
    assert sum((s.ended_at - s.started_at).total_seconds() for s in stored) == 40
    assert {s.practitioner_id for s in stored} == {ui_context.user.id}

    timer.set_consult(consult.id, consult.patient_id)
    work(qtbot, timer, clock, 10)
    timer.flush()
    wait_for_store(qtbot, ui_context)
    stored = segments(ui_context.engine, consult.id)
    assert sum((s.ended_at - s.started_at).total_seconds() for s in stored) == 50


def test_timer_includes_time_stored_earlier_today(qtbot, timer, clock, consult, billing,
                                                  ui_context):
    earlier = START - timedelta(hours=1)
    billing.record_segments(ui_context.user.id, [SegmentDraft(
        consult.id, consult.patient_id, earlier, earlier + timedelta(seconds=90))])
    timer.set_consult(consult.id, consult.patient_id)
    qtbot.waitUntil(lambda: timer.label_text() == "Time: 01:30 (running)", timeout=10_000)
    work(qtbot, timer, clock, 10)
    assert timer.label_text() == "Time: 01:40 (running)"


def test_correct_needs_a_reason_and_stores_a_correction(qtbot, timer, clock, consult,
                                                        ui_context):
    timer.set_consult(consult.id, consult.patient_id)
    work(qtbot, timer, clock, 60)
    correct = next(b for b in timer.findChildren(QPushButton) if b.text() == "Correct…")
    qtbot.mouseClick(correct, Qt.MouseButton.LeftButton)
    dialog = timer.findChild(CorrectionDialog)
    assert dialog is not None and dialog.isVisible()
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    dialog.findChild(QSpinBox).setValue(2)
    assert not ok.isEnabled()
    dialog.findChild(QLineEdit).setText("Telefoontje met apotheek niet gemeten")
    assert ok.isEnabled()
    with qtbot.waitSignal(timer.corrected, timeout=10_000):
        ok.click()
    assert timer.label_text() == "Time: 03:00 (running)"
    corrections = [s for s in segments(ui_context.engine, consult.id)
                   if s.correction_seconds is not None]
    assert [(c.correction_seconds, c.reason) for c in corrections] == [
        (120, "Telefoontje met apotheek niet gemeten")]


def declared_proposal(qtbot, ui_context, billing, timer, clock, consult, seconds=400):
    timer.set_consult(consult.id, consult.patient_id)
    work(qtbot, timer, clock, seconds)
    timer.set_consult(None, None)
    wait_for_store(qtbot, ui_context)
    return billing.propose(consult.id, ui_context.user.id)


def test_declare_dialog_confirms_the_proposal_or_needs_a_reason_for_another_code(
        qtbot, ui_context, billing, timer, clock, consult):
    proposal = declared_proposal(qtbot, ui_context, billing, timer, clock, consult)
    assert proposal is not None and proposal.code == "12011"
    dialog = DeclareDialog(proposal, load_tariffs(2023).codes, patient_name="J. Jansen")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    texts += " " + dialog.findChild(QComboBox).currentText()
    # The patient comes from the proposal, not from what the caller shows.
    assert f"{proposal.patient_name}, 14-03-2023" in texts and "J. Jansen" not in texts
    assert "06:40" in texts
    assert "12011 Consult regulier vanaf 5 minuten en korter dan 20 minuten (€ 11,51)" in texts
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and dialog.chosen() == ("12011", None)

    dialog.select_code("12001")
    assert not ok.isEnabled()
    dialog.set_reason("Lang telefonisch overleg met de specialist")
    assert ok.isEnabled()
    assert dialog.chosen() == ("12001", "Lang telefonisch overleg met de specialist")
    with qtbot.waitSignal(dialog.accepted):
        ok.click()


def test_declarations_view_lists_a_declaration_and_exports_it(
        qtbot, ui_context, billing, timer, clock, consult, tmp_path):
    proposal = declared_proposal(qtbot, ui_context, billing, timer, clock, consult)
    billing.declare(proposal, ui_context.actor)
    assistant = ui_context.user

    # The assistant sees the declarations, but a file of BSNs is the praktijkmanager's.
    view = DeclarationsView(ui_context, billing)
    qtbot.addWidget(view)
    assert not view.can_export()
    view.close()
    manager_id = AccountService(ui_context.engine).add(
        None, "beheer", "Petra Beheer", Role.MANAGER, "een-lang-wachtwoord",
        totp_secret=new_totp_secret())
    ui_context.user = PractitionerInfo(manager_id, "Petra Beheer", Role.MANAGER)

    view = DeclarationsView(ui_context, billing)
    qtbot.addWidget(view)
    assert view.can_export()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.set_period(date(2023, 3, 1), date(2023, 3, 31))
    assert view.rows() == [["14-03-2023", f"{assistant.name} (doctor's assistant)",
                            "12011", "1", "06:40", "€ 11,51"]]
    assert view.total_text() == "Total: 1 declared, 06:40 direct time, € 11,51"
    per_day = dict(view.chart.data())
    assert len(per_day) == 31 and per_day[date(2023, 3, 14)] == 400
    assert sum(per_day.values()) == 400

    exported = tmp_path / "declarations.csv"
    with qtbot.waitSignal(view.exported, timeout=10_000):
        view.export_to(exported)
    reference = tmp_path / "reference.csv"
    billing.export_csv(reference, date(2023, 3, 1), date(2023, 3, 31), ui_context.actor)
    assert exported.read_text(encoding="utf-8") == reference.read_text(encoding="utf-8")
    assert "12011" in exported.read_text(encoding="utf-8")
    assert "Exported to declarations.csv" in view.status_text()

    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.set_period(date(2023, 4, 1), date(2023, 4, 30))
    assert view.rows() == []
    assert view.status_text() == "Nothing declared in this period."


def test_one_activity_filter_serves_every_listener_while_it_is_not_held(qtbot):
    """The billing timers and the idle watch share one application-wide filter: key presses
    reach each listener until it goes; while the window is built (held) none reach them."""
    import shiboken6
    from PySide6.QtWidgets import QApplication, QLineEdit

    from workbench.ui.billing_timer import hold_activity_watch, watch_activity
    typing = QLineEdit()
    qtbot.addWidget(typing)
    first, second = QLineEdit(), QLineEdit()  # owners of the two listeners
    heard = {"first": 0, "second": 0}
    watch_activity(first, lambda: heard.__setitem__("first", heard["first"] + 1))
    watch_activity(second, lambda: heard.__setitem__("second", heard["second"] + 1))
    shared = QApplication.instance()._workbench_activity
    qtbot.keyClick(typing, Qt.Key.Key_Shift)
    assert heard == {"first": 1, "second": 1}

    hold_activity_watch()
    qtbot.keyClick(typing, Qt.Key.Key_Shift)
    assert heard == {"first": 1, "second": 1}
    hold_activity_watch(False)
    qtbot.keyClick(typing, Qt.Key.Key_Shift)
    assert heard == {"first": 2, "second": 2}

    # Destroyed at once: a deleteLater() waits for an event loop of the right level.
    shiboken6.delete(second)
    assert [o for o, _f in shared._listeners if o is first or o is second] == [first]
    qtbot.keyClick(typing, Qt.Key.Key_Shift)
    assert heard == {"first": 3, "second": 2}
    shiboken6.delete(first)
    # Listeners of earlier tests' windows may still be waiting for their deletion.
    assert not [o for o, _f in shared._listeners if o is first or o is second]
    assert shared._installed == bool(shared._listeners)
