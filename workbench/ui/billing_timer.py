"""The consult pane's time bar: direct time on the open e-consult, pause, resume and correct."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.services.billing import BillingService, TimerClock, TimerState
from workbench.ui.context import UiContext
from workbench.ui.errors import describe_error

log = logging.getLogger(__name__)

# Events that show someone is working at this workstation.
_ACTIVITY_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
})
# Finished segments go to the store every few ticks (seconds).
_RECORD_EVERY_TICKS = 5


# Exactly one timer counts at a time: the one claimed last (the consult pane's, or a "New
# message" dialog's over it), and none while a declare dialog is open.
_claimed: list[BillingTimer] = []
_dialog_holds: list[QObject] = []
_OTHER_TIMER = "other_timer"
_DIALOG = "dialog"
_CLOSED = "closed_declared"


def _coordinate() -> None:
    _claimed[:] = [t for t in _claimed if shiboken6.isValid(t)]
    _dialog_holds[:] = [d for d in _dialog_holds if shiboken6.isValid(d)]
    top = _claimed[-1] if _claimed else None
    for timer in _claimed:
        timer._apply_hold(_OTHER_TIMER, timer is not top)
        timer._apply_hold(_DIALOG, bool(_dialog_holds))


def hold_all(owner: QObject) -> None:
    """No timer counts while `owner` (a declare dialog) is open; `release_all` ends that."""
    if owner not in _dialog_holds:
        _dialog_holds.append(owner)
    _coordinate()


def release_all(owner: QObject) -> None:
    if owner in _dialog_holds:
        _dialog_holds.remove(owner)
    _coordinate()


def running_timers() -> list[BillingTimer]:
    """The timers counting right now (for checks: never more than one)."""
    return [t for t in _claimed if shiboken6.isValid(t) and t.clock_machine.running]


def format_duration(seconds: float) -> str:
    """03:12 below an hour, 1:03:12 from an hour; negative with a minus sign."""
    total = round(seconds)
    sign = "-" if total < 0 else ""
    total = abs(total)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes:02d}:{secs:02d}"


class _ActivityFilter(QObject):
    """The one application-wide event filter that tells who listens (the billing timers, the
    screen lock's idle watch) that someone used keyboard or mouse. One, not one per listener:
    Qt calls into Python for every event of every widget, and the first event of each kind of
    widget makes PySide create its Python classes. Installed only while someone listens and
    not held (`hold_activity_watch`, while the main window is built and first painted).

    Signals: none.
    """

    def __init__(self, app: QObject) -> None:
        super().__init__(app)
        self._listeners: list[tuple[QObject, Callable[[], None]]] = []
        self._holds = 0
        self._installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _ACTIVITY_EVENTS:
            for owner, on_activity in tuple(self._listeners):
                if shiboken6.isValid(owner):
                    on_activity()
        return False

    def add(self, owner: QObject, on_activity: Callable[[], None]) -> None:
        self._listeners.append((owner, on_activity))
        owner.destroyed.connect(lambda *_: self.remove(owner))
        self._update()

    def remove(self, owner: QObject) -> None:
        if not shiboken6.isValid(self):  # the application went first
            return
        self._listeners = [(o, f) for o, f in self._listeners if o is not owner]
        self._update()

    def hold(self, held: bool) -> None:
        self._holds += 1 if held else -1
        self._update()

    def _update(self) -> None:
        wanted = bool(self._listeners) and self._holds <= 0
        if wanted != self._installed:
            app = self.parent()
            if wanted:
                app.installEventFilter(self)
            else:
                app.removeEventFilter(self)
            self._installed = wanted


def _activity_filter() -> _ActivityFilter | None:
    app = QApplication.instance()
    if app is None:
        return None
    shared = getattr(app, "_workbench_activity", None)
    if shared is None or not shiboken6.isValid(shared):
        shared = _ActivityFilter(app)
        app._workbench_activity = shared  # lives and goes with the application
    return shared


def watch_activity(owner: QObject, on_activity: Callable[[], None]) -> None:
    """Call `on_activity` on every key press and mouse use anywhere in the application, until
    `owner` is destroyed or `unwatch_activity(owner)`."""
    shared = _activity_filter()
    if shared is not None:
        shared.add(owner, on_activity)


def unwatch_activity(owner: QObject) -> None:
    shared = _activity_filter()
    if shared is not None:
        shared.remove(owner)


def hold_activity_watch(held: bool = True) -> None:
    """While held (for each hold a release: `held=False`), no event reaches Python for
    activity: the main window's many events while it is built and first painted. Input
    then is not counted; the idle limits are a minute and more."""
    shared = _activity_filter()
    if shared is not None:
        shared.hold(held)


class CorrectionDialog(QDialog):
    """Minutes to add (or, negative, to remove) and the reason, which is required.

    Signals: QDialog's (accepted, rejected, finished).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Correct time"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Add or remove minutes of direct time on this "
                                        "e-consult. The measured time stays as it was.")))
        form = QFormLayout()
        self._minutes = QSpinBox()
        self._minutes.setRange(-240, 240)
        self._minutes.setSuffix(self.tr(" min"))
        self._minutes.setAccessibleName(self.tr("Minutes"))
        self._reason = QLineEdit()
        self._reason.setMaxLength(300)
        self._reason.setPlaceholderText(self.tr("Required: why the measured time is wrong"))
        self._reason.setAccessibleName(self.tr("Reason"))
        minutes_label = QLabel(self.tr("&Minutes (+/-):"))
        minutes_label.setBuddy(self._minutes)
        reason_label = QLabel(self.tr("&Reason:"))
        reason_label.setBuddy(self._reason)
        form.addRow(minutes_label, self._minutes)
        form.addRow(reason_label, self._reason)
        layout.addLayout(form)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        self._ok = box.button(QDialogButtonBox.StandardButton.Ok)
        self._ok.setText(self.tr("Correct"))
        layout.addWidget(box)
        self._minutes.valueChanged.connect(self._update_ok)
        self._reason.textChanged.connect(self._update_ok)
        self._update_ok()

    def set_values(self, minutes: int, reason: str) -> None:
        self._minutes.setValue(minutes)
        self._reason.setText(reason)

    def values(self) -> tuple[int, str]:
        """(seconds, reason): whole minutes in seconds, the reason stripped."""
        return self._minutes.value() * 60, self._reason.text().strip()

    def accept(self) -> None:
        if self._ok.isEnabled():
            super().accept()

    def _update_ok(self) -> None:
        self._ok.setEnabled(self._minutes.value() != 0 and bool(self._reason.text().strip()))


class BillingTimer(QWidget):
    """A small bar: direct time today on the open item, Pause/Resume and Correct….

    It owns the timer state machine (`clock_machine`); key presses and mouse use anywhere in
    the application count as activity, leaving the application counts as losing focus.
    Finished segments go to the store on the database lane every few seconds and on
    `flush()`.

    Signals:
        corrected(int): a correction (seconds) was stored for the open item.
        failed(str): storing time or a correction failed; the text says so in words.
        declare_requested(object, object): Declare… by hand for (econsult_id, patient_id).
    """

    corrected = Signal(int)
    failed = Signal(str)
    declare_requested = Signal(object, object)  # (econsult_id or None, patient_id)

    def __init__(self, context: UiContext, billing: BillingService, *,
                 clock: Callable[[], datetime] | None = None,
                 idle_limit: timedelta | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._billing = billing
        self._clock = clock or context.clock
        if idle_limit is None:
            self.clock_machine = TimerClock(self._clock)
        else:
            self.clock_machine = TimerClock(self._clock, idle_limit=idle_limit)
        self._econsult_id: int | None = None
        self._patient_id: int | None = None
        self._ticks = 0
        # Per item: today's time in the store that this clock did not count (earlier
        # sessions, other workstations, corrections), so the shown time includes it.
        self._stored: dict[tuple[int | None, int], int] = {}
        self._dialog: CorrectionDialog | None = None
        self._closed = False
        self._declared: set[int] = set()   # e-consults known to be declared
        self._shown: dict[tuple[int | None, int], float] = {}  # the display never goes down

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._label = QLabel()
        self._label.setAccessibleName(self.tr("Direct time"))
        self._pause = QPushButton(self.tr("Pause"))
        self._pause.clicked.connect(self._toggle_pause)
        self._correct = QPushButton(self.tr("Correct…"))
        self._correct.clicked.connect(self.open_correction_dialog)
        layout.addWidget(self._label)
        layout.addStretch(1)
        layout.addWidget(self._pause)
        layout.addWidget(self._correct)
        self._declare = QPushButton(self.tr("Declare…"))
        self._declare.setToolTip(self.tr("Declare this item's time by hand, with a reason"))
        self._declare.clicked.connect(self.request_declaration)
        layout.addWidget(self._declare)

        watch_activity(self, self._on_activity)
        app = QApplication.instance()
        if app is not None:
            QGuiApplication.instance().applicationStateChanged.connect(
                self._on_application_state)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        self.destroyed.connect(lambda *_: QTimer.singleShot(0, _coordinate))
        self.claim()
        self._refresh()

    # -- what the pane calls -----------------------------------------------------------------
    def claim(self) -> None:
        """This timer is the one that counts (the others wait until it `unclaim()`s)."""
        if self in _claimed:
            _claimed.remove(self)
        _claimed.append(self)
        _coordinate()
        self._refresh()

    def unclaim(self) -> None:
        """This timer stops counting for good (its dialog closed); the one below goes on."""
        self.set_consult(None, None)
        if self in _claimed:
            _claimed.remove(self)
        self._apply_hold(_OTHER_TIMER, True)
        _coordinate()

    def mark_declared(self, econsult_ids) -> None:
        """These e-consults were declared: once closed, they do not count on."""
        self._declared.update(i for i in econsult_ids if i is not None)
        if self._closed and self._econsult_id in self._declared:
            self._apply_hold(_CLOSED, True)

    def set_consult(self, econsult_id: int | None, patient_id: int | None, *,
                    closed: bool = False) -> None:
        """Start timing another item (None, None: nothing open). Ends the run on the last.
        A closed e-consult that is declared does not count (until it is reopened)."""
        if (econsult_id, patient_id) == (self._econsult_id, self._patient_id):
            if closed != self._closed:
                self._set_closed(closed)
            return
        if self._patient_id is not None:
            self.clock_machine.close()
        self._econsult_id, self._patient_id = econsult_id, patient_id
        self._set_closed(closed and econsult_id is not None, refresh=False)
        if patient_id is not None:
            self.clock_machine.open(econsult_id, patient_id)
        self._record_finished()
        if patient_id is not None:
            self._load_stored(econsult_id, patient_id)
        self._refresh()

    def _set_closed(self, closed: bool, *, refresh: bool = True) -> None:
        self._closed = closed
        econsult_id = self._econsult_id
        if not closed or econsult_id is None:
            self._apply_hold(_CLOSED, False)
        elif econsult_id in self._declared:
            self._apply_hold(_CLOSED, True)
        else:
            self._apply_hold(_CLOSED, True)  # until the store says it is not declared
            billing = self._billing

            def done(declared: bool) -> None:
                if not shiboken6.isValid(self):
                    return
                if declared:
                    self._declared.add(econsult_id)
                elif self._closed and self._econsult_id == econsult_id:
                    self._apply_hold(_CLOSED, False)

            self._context.tasks.run_db(lambda: billing.is_declared(econsult_id), done,
                                       self._on_error)
        if refresh:
            self._refresh()

    def _apply_hold(self, reason: str, held: bool) -> None:
        if held and reason not in self.clock_machine.holds:
            self.clock_machine.hold(reason)
        elif not held and reason in self.clock_machine.holds:
            self.clock_machine.release(reason)
        else:
            return
        self._refresh()

    def flush(self) -> None:
        """Store all time up to now, the running part too (on closing the window)."""
        if self._patient_id is not None:
            paused = self.clock_machine.state is TimerState.PAUSED
            self.clock_machine.close()
            self._record_finished()
            # Timing goes on if the window stays open after all.
            self.clock_machine.open(self._econsult_id, self._patient_id)
            if paused:
                self.clock_machine.pause()
        else:
            self._record_finished()
        self._refresh()

    def label_text(self) -> str:
        return self._label.text()

    def tick(self) -> None:
        """Once a second (the QTimer): advance the state machine, show, store now and then."""
        if any(not shiboken6.isValid(o) for o in (*_claimed, *_dialog_holds)):
            _coordinate()
        self.clock_machine.tick()
        self._ticks += 1
        if self._ticks % _RECORD_EVERY_TICKS == 0:
            self._record_finished()
        self._refresh()

    def request_declaration(self) -> None:
        if self._patient_id is not None:
            self.declare_requested.emit(self._econsult_id, self._patient_id)

    def open_correction_dialog(self) -> None:
        if self._patient_id is None:
            return
        if self._dialog is not None:
            self._dialog.deleteLater()
        dialog = CorrectionDialog(self)
        self._dialog = dialog
        dialog.accepted.connect(lambda: self.correct(*dialog.values()))
        dialog.open()

    def correct(self, seconds: int, reason: str) -> None:
        """Store a correction for the open item on the database lane."""
        if self._patient_id is None:
            return
        key = (self._econsult_id, self._patient_id)
        billing, actor = self._billing, self._context.actor

        def done(_result: object) -> None:
            self._stored[key] = self._stored.get(key, 0) + seconds
            self._shown.pop(key, None)  # a correction may take time off
            self._refresh()
            self.corrected.emit(seconds)

        self._context.tasks.run_db(
            lambda: billing.correct(key[0], key[1], actor, seconds, reason),
            done, self._on_error)

    # -- inside ------------------------------------------------------------------------------
    def _record_finished(self) -> None:
        drafts = self.clock_machine.take_segments()
        if not drafts:
            return
        billing, practitioner_id = self._billing, self._context.user.id
        self._context.tasks.run_db(lambda: billing.record_segments(practitioner_id, drafts),
                                   None, self._on_error)

    def _load_stored(self, econsult_id: int | None, patient_id: int) -> None:
        """Today's stored time on this e-consult (by this user) less what this clock counted.
        Queued on the database lane after the segments just handed over, so those are in."""
        if econsult_id is None:
            return  # a practice-started message: only this session's time is shown
        key = (econsult_id, patient_id)
        counted = round(self.clock_machine.elapsed_today(econsult_id, patient_id)
                        .total_seconds())
        billing, practitioner_id = self._billing, self._context.user.id

        def work() -> int:
            return billing.direct_seconds(patient_id, billing.today(),
                                          practitioner_id=practitioner_id,
                                          econsult_id=econsult_id)

        def done(stored: int) -> None:
            self._stored[key] = stored - counted
            self._refresh()

        self._context.tasks.run_db(work, done, self._on_error)

    def _on_error(self, exc: BaseException) -> None:
        log.error("billing time not stored:\n%s", getattr(exc, "__traceback_text__", exc))
        self.failed.emit(describe_error(exc))
        self._label.setToolTip(describe_error(exc))

    def _on_activity(self) -> None:
        if self._patient_id is not None:
            was_running = self.clock_machine.running
            self.clock_machine.activity()
            if self.clock_machine.running != was_running:
                self._refresh()

    def _on_application_state(self, state: Qt.ApplicationState) -> None:
        self.clock_machine.focus(state == Qt.ApplicationState.ApplicationActive)
        self._refresh()

    def _toggle_pause(self) -> None:
        if self._patient_id is None:
            return
        if self.clock_machine.state in (TimerState.PAUSED, TimerState.AWAY):
            self.clock_machine.resume()
        else:
            self.clock_machine.pause()
        self._refresh()

    def _refresh(self) -> None:
        has_item = self._patient_id is not None
        self._pause.setEnabled(has_item)
        self._correct.setEnabled(has_item)
        self._declare.setEnabled(has_item)
        if not has_item:
            self._label.setText(self.tr("Time: no e-consult open"))
            self._pause.setText(self.tr("Pause"))
            return
        key = (self._econsult_id, self._patient_id)
        seconds = (self.clock_machine.counted_today(self._econsult_id).total_seconds()
                   + self._stored.get(key, 0))
        seconds = max(seconds, self._shown.get(key, seconds))  # never less than before
        self._shown[key] = seconds
        state = self.clock_machine.state
        if self.clock_machine.running:
            text = self.tr("Time: {time} (running)")
        elif state is TimerState.AWAY:
            text = self.tr("Time: {time} (paused: no activity)")
        elif state is TimerState.HELD and _CLOSED in self.clock_machine.holds:
            text = self.tr("Time: {time} (closed)")
        else:
            text = self.tr("Time: {time} (paused)")
        self._label.setText(text.format(time=format_duration(seconds)))
        holds = self.clock_machine.holds
        held = (self.tr("Closed and declared: reopen it to count on.") if _CLOSED in holds
                else self.tr("Paused while a dialog is open.") if _DIALOG in holds
                else self.tr("Paused while another window counts the time."))
        self._label.setToolTip({
            TimerState.PAUSED: self.tr("Paused by hand: Resume counts on."),
            TimerState.UNFOCUSED: self.tr("Paused while you work in another program."),
            TimerState.AWAY: self.tr("Paused: no keyboard or mouse use for a while."),
            TimerState.HELD: held,
        }.get(state, ""))
        self._pause.setText(self.tr("Resume") if state in (TimerState.PAUSED, TimerState.AWAY)
                            else self.tr("Pause"))
