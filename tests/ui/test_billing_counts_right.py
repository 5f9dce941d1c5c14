"""Billing counts right: the declare dialog names the declared patient, one timer at a time,
no overlapping time, only medical answers and calls proposed, a steady display."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.billing import BillingService, TimerState
from workbench.services.templates import TemplateService
from workbench.store.models import EConsult, Patient, TimeSegment
from workbench.store.timeutil import as_utc
from workbench.ui import billing_timer as billing_timer_module
from workbench.ui.billing_timer import BillingTimer, running_timers
from workbench.ui.declare_dialog import DeclareDialog
from workbench.ui.declare_flow import DeclareFlow

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

START = datetime(2023, 3, 14, 9, 0, tzinfo=UTC)


class FakeClock:
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
def consults(ui_context):
    """E-consults of two different patients (and their names)."""
    with Session(ui_context.engine) as session:
        rows = session.execute(select(EConsult.id, EConsult.patient_id, Patient.name)
                               .join(Patient, Patient.id == EConsult.patient_id)
                               .order_by(EConsult.id)).all()
    first = rows[0]
    second = next(r for r in rows if r.patient_id != first.patient_id)
    return first, second


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def make_timer(qtbot, ui_context, billing, clock, parent=None):
    timer = BillingTimer(ui_context, billing, clock=clock, idle_limit=timedelta(seconds=60),
                         parent=parent)
    if parent is None:
        qtbot.addWidget(timer)
    return timer


def work(timer, clock, seconds, step=5):
    for _ in range(int(seconds // step)):
        clock.advance(step)
        timer.clock_machine.activity()
        timer.tick()


def wait_for_store(qtbot, ui_context):
    qtbot.waitUntil(lambda: not ui_context.tasks.busy, timeout=10_000)


def all_segments(engine):
    with Session(engine) as session:
        return session.scalars(select(TimeSegment).where(
            TimeSegment.correction_seconds.is_(None)).order_by(TimeSegment.id)).all()


# -- 1. the dialog names the patient it declares ------------------------------------------------

def test_declare_dialog_shows_the_declared_items_patient_after_moving_on(
        qtbot, ui_context, billing, clock, consults, parent):
    first, second = consults
    timer = make_timer(qtbot, ui_context, billing, clock)
    flow = DeclareFlow(ui_context, billing, timer, parent)
    timer.set_consult(first.id, first.patient_id)
    work(timer, clock, 400)
    # Answered and closed: the pane moves on to the next item before the proposal is back.
    timer.set_consult(second.id, second.patient_id)
    work(timer, clock, 30)
    flow.offer(first.id, second.name)  # the pane's current patient: must not be shown
    qtbot.waitUntil(lambda: flow.dialog() is not None, timeout=10_000)
    dialog = flow.dialog()
    assert isinstance(dialog, DeclareDialog)
    assert dialog.patient_text() == f"{first.name}, 14-03-2023"
    assert dialog.econsult_text() == f"#{first.id}"
    assert dialog.proposal().seconds == 400 and dialog.proposal().econsult_id == first.id
    dialog.reject()


# -- 2. one timer at a time, no overlapping time ------------------------------------------------

def test_declare_dialog_holds_every_timer_and_a_declared_closed_item_stays_still(
        qtbot, ui_context, billing, clock, consults, parent):
    first, second = consults
    timer = make_timer(qtbot, ui_context, billing, clock)
    flow = DeclareFlow(ui_context, billing, timer, parent)
    timer.set_consult(first.id, first.patient_id)
    work(timer, clock, 100)
    timer.set_consult(second.id, second.patient_id)
    flow.offer(first.id)
    qtbot.waitUntil(lambda: flow.dialog() is not None, timeout=10_000)
    assert not timer.clock_machine.running  # time in the dialog is on no item
    work(timer, clock, 30)
    with qtbot.waitSignal(flow.declared, timeout=10_000):
        flow.dialog().accept()
    assert timer.clock_machine.running
    # Back to the first item, closed and declared: it does not count.
    timer.set_consult(first.id, first.patient_id, closed=True)
    wait_for_store(qtbot, ui_context)
    work(timer, clock, 30)
    assert not timer.clock_machine.running
    assert timer.clock_machine.state is TimerState.HELD
    # Reopened: it counts again.
    timer.set_consult(first.id, first.patient_id, closed=False)
    work(timer, clock, 10)
    assert timer.clock_machine.running
    timer.flush()
    wait_for_store(qtbot, ui_context)
    on_second = [s for s in all_segments(ui_context.engine) if s.econsult_id == second.id]
    assert on_second == []  # the 30 s in the dialog were not booked on the next item


def test_new_message_timer_holds_the_pane_timer(qtbot, ui_context, billing, clock, consults):
    first, second = consults
    pane_timer = make_timer(qtbot, ui_context, billing, clock)
    pane_timer.set_consult(first.id, first.patient_id)
    work(pane_timer, clock, 20)
    message_timer = make_timer(qtbot, ui_context, billing, clock)  # "Nieuw bericht" opens
    message_timer.set_consult(None, second.patient_id)
    work(message_timer, clock, 20)
    assert running_timers() == [message_timer]
    message_timer.unclaim()  # the dialog closed
    work(pane_timer, clock, 10)
    assert running_timers() == [pane_timer]


@pytest.mark.parametrize("seed", range(12))
def test_random_sequences_never_overlap_and_never_run_two_timers(
        qtbot, ui_context, billing, clock, consults, parent, seed):
    rng = random.Random(seed)
    first, second = consults
    items = [(first.id, first.patient_id), (second.id, second.patient_id)]
    pane_timer = make_timer(qtbot, ui_context, billing, clock)
    flow = DeclareFlow(ui_context, billing, pane_timer, parent)
    app = QGuiApplication.instance()
    message_timer: BillingTimer | None = None
    closed: set[int] = set()
    shown: dict[BillingTimer, tuple[object, str]] = {}

    def check() -> None:
        assert len(running_timers()) <= 1
        for timer in (pane_timer, message_timer):
            if timer is None:
                continue
            machine = timer.clock_machine
            item = machine.item
            if item is not None and item[0] in closed and item[0] in timer._declared:
                assert not machine.running  # a declared, closed e-consult stays still
            # the display never goes down on the same item
            text = timer.label_text().split(" (")[0]
            before = shown.get(timer)
            if before is not None and before[0] == item and item is not None:
                assert _seconds(text) >= _seconds(before[1])
            shown[timer] = (item, text)

    for _step in range(60):
        action = rng.choice(["open", "open", "work", "work", "idle", "focus", "message",
                             "declare", "close", "reopen", "tick"])
        if action == "open":
            econsult_id, patient_id = rng.choice(items)
            pane_timer.set_consult(econsult_id, patient_id, closed=econsult_id in closed)
        elif action == "work":
            active = running_timers() or [pane_timer]
            work(active[0], clock, rng.choice([5, 10, 20]))
        elif action == "idle":
            for _ in range(rng.randint(1, 12)):
                clock.advance(10)
                pane_timer.tick()
                if message_timer is not None:
                    message_timer.tick()
        elif action == "focus":
            app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
            clock.advance(rng.randint(1, 30))
            app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
        elif action == "message":
            if message_timer is None:
                message_timer = make_timer(qtbot, ui_context, billing, clock, parent=parent)
                message_timer.set_consult(None, rng.choice(items)[1])
            else:
                message_timer.flush()
                message_timer.unclaim()
                message_timer.deleteLater()
                shown.pop(message_timer, None)
                message_timer = None
        elif action == "declare":
            econsult_id = rng.choice(items)[0]
            flow.offer(econsult_id)
            wait_for_store(qtbot, ui_context)
            dialog = flow.dialog()
            if dialog is not None and dialog.isVisible():
                check()
                assert running_timers() == []  # nothing counts behind the dialog
                clock.advance(rng.randint(1, 20))
                pane_timer.tick()
                if rng.random() < 0.5:
                    dialog.accept()
                else:
                    dialog.reject()
                wait_for_store(qtbot, ui_context)
        elif action == "close":
            item = pane_timer.clock_machine.item
            if item is not None and item[0] is not None:
                closed.add(item[0])
                pane_timer.set_consult(item[0], item[1], closed=True)
                wait_for_store(qtbot, ui_context)
        elif action == "reopen":
            item = pane_timer.clock_machine.item
            if item is not None and item[0] in closed:
                closed.discard(item[0])
                pane_timer.set_consult(item[0], item[1], closed=False)
        else:
            clock.advance(rng.randint(1, 5))
            pane_timer.tick()
        check()

    if message_timer is not None:
        message_timer.flush()
        message_timer.unclaim()
    pane_timer.flush()
    wait_for_store(qtbot, ui_context)
    per_person: dict[int, list[tuple[datetime, datetime]]] = {}
    for segment in all_segments(ui_context.engine):
        per_person.setdefault(segment.practitioner_id, []).append(
            (as_utc(segment.started_at), as_utc(segment.ended_at)))
    for runs in per_person.values():
        runs.sort()
        for (_, end), (start, _) in itertools.pairwise(runs):
            assert start >= end, "overlapping segments"


def _seconds(text: str) -> int:
    value = text.removeprefix("Time: ")
    parts = [int(p) for p in value.split(":")]
    total = 0
    for part in parts:
        total = total * 60 + part
    return total


# -- 3. only medical answers and calls are proposed ---------------------------------------------

def test_an_administrative_answer_is_not_proposed_but_can_be_declared_by_hand(
        qtbot, ui_context, billing, clock, consults, parent):
    first, _second = consults
    templates = TemplateService(ui_context.engine, clock=clock)
    templates.ensure_shipped()
    admin = next(t for t in templates.visible(ui_context.user.id)
                 if t.category == "Administratief")
    timer = make_timer(qtbot, ui_context, billing, clock)
    flow = DeclareFlow(ui_context, billing, timer, parent)
    timer.set_consult(first.id, first.patient_id)
    work(timer, clock, 120)
    flow.offer(first.id, template_keys=[admin.key])
    wait_for_store(qtbot, ui_context)
    qtbot.wait(50)
    assert flow.dialog() is None  # not proposed; the time is stored
    assert billing.direct_seconds(first.patient_id, billing.today(),
                                  econsult_id=first.id) == 120

    timer.request_declaration()  # Declare… on the time bar
    qtbot.waitUntil(lambda: flow.dialog() is not None, timeout=10_000)
    dialog = flow.dialog()
    assert dialog.by_hand() and not dialog.can_accept()
    dialog.set_reason("Uitgebreid medisch advies gegeven in het administratieve antwoord")
    assert dialog.can_accept()
    with qtbot.waitSignal(flow.declared, timeout=10_000):
        dialog.accept()


def test_only_answers_and_calls_offer_a_declaration(qtbot, ui_context, monkeypatch):
    from workbench.services.triage import CloseReason
    from workbench.ui.consult_pane import ConsultPane
    offered: list[int] = []
    pane = ConsultPane(ui_context)
    qtbot.addWidget(pane)
    calls: list[object] = []
    monkeypatch.setattr(pane, "_run_action",
                        lambda work, after=None, said="": calls.append(after))
    for reason in CloseReason:
        calls.clear()
        pane.close_consult(reason)
        after = calls[0]
        if after is not None:
            offered.append(reason)
    assert offered == [CloseReason.ANSWERED, CloseReason.BY_PHONE]


# -- 4. idle: the reason shown, the display steady ----------------------------------------------

def test_idle_shows_the_reason_and_the_display_never_goes_back(
        qtbot, ui_context, billing, clock, consults):
    first, _second = consults
    timer = make_timer(qtbot, ui_context, billing, clock)
    timer.set_consult(first.id, first.patient_id)
    work(timer, clock, 30)
    seen = []
    for _ in range(12):
        clock.advance(10)
        timer.tick()
        seen.append(_seconds(timer.label_text().split(" (")[0]))
    assert seen == sorted(seen)
    assert timer.label_text() == "Time: 00:30 (paused: no activity)"
    assert timer.clock_machine.state is TimerState.AWAY
    pause = next(b for b in timer.findChildren(billing_timer_module.QPushButton)
                 if b.text() in ("Resume", "Pause"))
    assert pause.text() == "Resume"
    pause.click()
    assert timer.clock_machine.running
