"""Other workstations' changes and presence, live in the window (PostgreSQL only)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from sqlalchemy import Engine

from workbench.services.live_changes import ChangeListener
from workbench.services.presence import PresenceService
from workbench.ui.presence_tracker import PresenceTracker

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def shared_database(engine: Engine) -> bool:
    """Several workstations can share this store (SQLite serves one)."""
    return engine.dialect.name == "postgresql"


def _merge(first: set[int] | None, second: set[int] | None) -> set[int] | None:
    return None if first is None or second is None else first | second


class LiveRefresh(QObject):
    """Hands the change listener's reports (its own thread) to the GUI thread, merged while
    the GUI thread is busy. On SQLite there is no listener and it never reports.

    Signals:
        changed(object, object, bool): e-consult ids and presence ids (sets; None: anything
            may have changed) that other workstations (or this one) changed, and whether
            secure mail changed; on the GUI thread.
    """

    changed = Signal(object, object, bool)
    _arrived = Signal(object, object, bool)  # emitted on the listener's thread

    def __init__(self, engine: Engine, parent: QObject | None = None, **listener_options
                 ) -> None:
        super().__init__(parent)
        self._pending: tuple[set[int] | None, set[int] | None, bool] | None = None
        self._arrived.connect(self._queue, Qt.ConnectionType.QueuedConnection)
        self.listener: ChangeListener | None = None
        if shared_database(engine):
            self.listener = ChangeListener(engine, self._from_listener, **listener_options)
        self.destroyed.connect(self._stop_listener(self.listener))

    @property
    def enabled(self) -> bool:
        return self.listener is not None

    def start(self) -> bool:
        """Begin listening (False on SQLite: nothing to listen to)."""
        if self.listener is None:
            return False
        self.listener.start()
        return True

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()

    @staticmethod
    def _stop_listener(listener: ChangeListener | None):
        # Not a method of self: it runs while self is being destroyed.
        return lambda *_args: listener.stop(timeout=0) if listener is not None else None

    def _from_listener(self, econsult_ids: set[int] | None,
                       presence_ids: set[int] | None, mail: bool) -> None:
        if shiboken6.isValid(self):
            self._arrived.emit(econsult_ids, presence_ids, mail)

    @Slot(object, object, bool)
    def _queue(self, econsult_ids: set[int] | None, presence_ids: set[int] | None,
               mail: bool) -> None:
        if self._pending is None:
            self._pending = (econsult_ids, presence_ids, mail)
            QTimer.singleShot(0, self._deliver)
        else:
            self._pending = (_merge(self._pending[0], econsult_ids),
                             _merge(self._pending[1], presence_ids), self._pending[2] or mail)

    def _deliver(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            self.changed.emit(*pending)


class WindowLiveRefresh(QObject):
    """The main window's share of several workstations on one database: this user's presence
    (PresenceTracker), and the others' changes and presence taken into the list, the
    navigation's counts and the open e-consult. Does nothing on SQLite."""

    def __init__(self, window: MainWindow, engine: Engine,
                 presence: PresenceService | None = None, **listener_options) -> None:
        super().__init__(window)
        self._window = window
        context = window._context
        self._user_id = context.user.id
        self.live = LiveRefresh(engine, self, **listener_options)
        self.presence: PresenceService | None = None
        self.tracker: PresenceTracker | None = None
        if not self.live.enabled:
            return
        self.presence = presence or PresenceService(engine, clock=context.clock)
        self.tracker = PresenceTracker(self.presence, context.user.id, context.tasks, self,
                                       shown=window.consult.current_id)
        self.tracker.follow(window.consult.reply_editor())
        presence_service, user_id = self.presence, self._user_id
        window.inbox.model.set_presence_source(
            lambda ids: presence_service.active(ids, user_id))
        # Starting to answer what a colleague is answering right now asks first.
        window.consult.reply_editor().set_answering_elsewhere(self.answering_elsewhere)
        window.consult.viewed.connect(self._opened)
        window.inbox.current_changed.connect(self._selection_changed)
        window.screen_lock.locked.connect(self.tracker.suspend)
        window.screen_lock.unlocked.connect(
            lambda: self.tracker.resume(window.consult.current_id()))
        self.live.changed.connect(self.take_in)
        self.live.start()

    @property
    def enabled(self) -> bool:
        return self.live.enabled

    def stop(self) -> None:
        """The window closes: presence cleared, no more listening."""
        if self.tracker is not None:
            self.tracker.stop()
        self.live.stop()

    def take_in(self, econsult_ids: set[int] | None, presence_ids: set[int] | None,
                mail: bool = False) -> None:
        """What changed elsewhere: only those rows of the list reloaded, the counts, and the
        open e-consult when it is among them; on mail, the unknown-sender count and list."""
        window = self._window
        if not shiboken6.isValid(window):
            return
        shown = window.consult.current_id()
        if mail:
            window.mail_changed_elsewhere()
        if econsult_ids is None or econsult_ids:
            window.inbox.refresh_changed(econsult_ids)
            window.refresh_counts()
            if shown is not None and (econsult_ids is None or shown in econsult_ids):
                window.consult.refresh()
        if presence_ids is None or presence_ids:
            window.inbox.model.refresh_presence(presence_ids)
            if shown is not None and (presence_ids is None or shown in presence_ids):
                self._show_pane_presence(shown)

    def _opened(self, econsult_id: int) -> None:
        if self.tracker is not None:
            self.tracker.open(econsult_id)
        self._show_pane_presence(econsult_id)

    def _selection_changed(self, econsult_id: int | None) -> None:
        if econsult_id is None and self.tracker is not None:
            self.tracker.close()

    def answering_elsewhere(self, econsult_id: int) -> list[str]:
        """Colleagues answering `econsult_id` now (read fresh: the question is asked once)."""
        if self.presence is None:
            return []
        try:
            others = self.presence.others(econsult_id, self._user_id)
        except Exception as exc:  # noqa: BLE001 - a courtesy: answering works without it
            log.warning("presence on e-consult %s not read: %s", econsult_id,
                        type(exc).__name__)
            return []
        return list(dict.fromkeys(info.name for info in others if info.answering))

    def _show_pane_presence(self, econsult_id: int) -> None:
        if self.presence is None:
            return
        try:
            others = self.presence.others(econsult_id, self._user_id)
        except Exception as exc:  # noqa: BLE001 - a courtesy: the pane works without it
            log.warning("presence on e-consult %s not read: %s", econsult_id,
                        type(exc).__name__)
            return
        self._window.consult.set_presence(econsult_id, others)
