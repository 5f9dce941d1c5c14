"""This workstation's presence: which e-consult the user has open or is answering, renewed."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from workbench.services.presence import (
    ANSWERING,
    HEARTBEAT_SECONDS,
    VIEWING,
    PresenceService,
)
from workbench.ui.reply_editor import ReplyEditor
from workbench.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


class PresenceTracker(QObject):
    """Tells the other workstations what the user has open: `open(id)` when an e-consult is
    shown, `answering(True/False)` as an answer is begun or emptied, `close()` when nothing
    is shown; a heartbeat renews the row every HEARTBEAT_SECONDS (and purges rows others
    left behind). `suspend()` on lock and `stop()` on quit clear it; `resume()` after an
    unlock marks the shown e-consult again. Writes go through the store's write lane, in
    order, off the GUI thread. `shown`, when given, is asked at every heartbeat which
    e-consult is on screen, so a way of closing one that did not call `close` is caught."""

    def __init__(self, presence: PresenceService, user_id: int, tasks: TaskRunner,
                 parent: QObject | None = None, *,
                 shown: Callable[[], int | None] | None = None,
                 heartbeat_ms: int = HEARTBEAT_SECONDS * 1000) -> None:
        super().__init__(parent)
        self._presence = presence
        self._shown = shown
        self._user_id = user_id
        self._tasks = tasks
        self._current: int | None = None
        self._answering = False
        self._suspended = False
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setInterval(heartbeat_ms)
        self._timer.timeout.connect(self._beat)
        self._timer.start()

    # -- our API -------------------------------------------------------------------------------
    @property
    def current(self) -> int | None:
        return self._current

    @property
    def activity(self) -> str | None:
        if self._current is None:
            return None
        return ANSWERING if self._answering else VIEWING

    def open(self, econsult_id: int | None) -> None:
        """The user sees `econsult_id` now (None: nothing). The same one again keeps its state."""
        if econsult_id is None:
            self.close()
            return
        if econsult_id == self._current:
            return
        self._current, self._answering = econsult_id, False
        self._write()

    def close(self) -> None:
        if self._current is None:
            return
        self._current, self._answering = None, False
        self._clear()

    def answering(self, answering: bool) -> None:
        """The user began an answer (True) or emptied it or sent it (False)."""
        if self._current is None or answering == self._answering:
            return
        self._answering = answering
        self._write()

    def follow(self, editor: ReplyEditor) -> None:
        """Answering while the answer has typed text: text the editor put there itself (a
        draft read back, the text cleared after sending) leaves the document unmodified."""
        def typed() -> None:
            if editor.current_id() is not None and editor.current_id() == self._current:
                self.answering(editor.text_edit.document().isModified()
                               and bool(editor.text().strip()))
        editor.text_edit.textChanged.connect(typed)

    def suspend(self) -> None:
        """The screen locks: nobody is looking, so nothing is marked until `resume`."""
        self._suspended = True
        self._timer.stop()
        self._clear()

    def resume(self, econsult_id: int | None) -> None:
        """Unlocked, with `econsult_id` shown."""
        if self._stopped:
            return
        self._suspended = False
        self._current, self._answering = None, False
        self._timer.start()
        self.open(econsult_id)

    def stop(self) -> None:
        """Quitting (or the window goes): clear, and write no more."""
        if self._stopped:
            return
        self._timer.stop()
        self._clear()
        self._stopped = True

    # -- internals -----------------------------------------------------------------------------
    def _write(self) -> None:
        if self._suspended or self._stopped or self._current is None:
            return
        presence, user_id = self._presence, self._user_id
        econsult_id, activity = self._current, self.activity
        self._tasks.run_db(lambda: presence.mark(econsult_id, user_id, activity),
                           on_error=lambda exc: self._failed("mark", econsult_id, exc))

    def _clear(self) -> None:
        if self._stopped:
            return
        presence, user_id = self._presence, self._user_id
        self._tasks.run_db(lambda: presence.clear(user_id),
                           on_error=lambda exc: self._failed("clear", None, exc))

    def _beat(self) -> None:
        if self._suspended or self._stopped:
            return
        if self._shown is not None and self._shown() != self._current:
            self.open(self._shown())  # writes (or clears) itself
        else:
            self._write()
        presence = self._presence
        self._tasks.run_db(presence.purge,
                           on_error=lambda exc: self._failed("purge", None, exc))

    @staticmethod
    def _failed(what: str, econsult_id: int | None, exc: BaseException) -> None:
        # Presence is a courtesy: a failed write must not disturb the work (it expires).
        log.warning("presence %s for e-consult %s failed: %s", what, econsult_id,
                    type(exc).__name__)
