"""The moment a widget first paints, and the marks the start-up benchmark reads
(benchmarks/bench_window.py sets WORKBENCH_BENCH_FIRST_PAINT)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow
    from workbench.ui.sign_in_dialog import SignInDialog


class Painted(QObject):
    """Calls `then` once `widget` has painted a frame (the first for which `when` holds);
    `at_once`: as it paints."""

    def __init__(self, widget, then: Callable[[], None],
                 when: Callable[[], bool] = lambda: True, *, at_once: bool = False) -> None:
        super().__init__(widget)
        self._then, self._when, self._at_once = then, when, at_once
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and self._when():
            watched.removeEventFilter(self)
            if self._at_once:  # as the widget paints
                self._then()
            else:
                QTimer.singleShot(0, self._then)  # after the whole frame
        return False


def bench_mark(label: str) -> None:
    """For benchmarks (WORKBENCH_BENCH_FIRST_PAINT): `<label> <time> rss_mb <peak>`."""
    print(f"{label} {time.time():.6f} rss_mb {_peak_rss_mb():.1f}", flush=True)


def bench_sign_in(dialog: SignInDialog) -> None:
    """The benchmark's person types at once: the name and password from the environment are
    entered as soon as the sign-in screen is painted."""
    def enter() -> None:
        dialog._username.setCurrentText(os.environ.get("WORKBENCH_BENCH_USER", ""))
        dialog._password.setText(os.environ.get("WORKBENCH_BENCH_PASSWORD", ""))
        dialog.accept()

    Painted(dialog, lambda: (bench_mark("sign-in-painted"), enter()))


class BenchAccounts:
    """The accounts, for benchmarks: the moment a password check succeeds is printed from the
    worker that made it, so whatever delays the GUI thread after it counts as window start."""

    def __init__(self, accounts) -> None:
        self._accounts = accounts

    def __getattr__(self, name: str):
        return getattr(self._accounts, name)

    def sign_in(self, *args, **kwargs):
        signed = self._accounts.sign_in(*args, **kwargs)
        bench_mark("signed-in")
        return signed


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM, which, unlike ru_maxrss, starts anew at exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def exit_after_first_paint(app: QApplication, window: MainWindow) -> int:
    """The inbox's first page painted: printed with its row count, then the app quits."""
    model = window.inbox.model

    def done() -> None:
        print(f"rows {model.rowCount()}", flush=True)
        app.exit(0)

    Painted(window.inbox.table.viewport(), lambda: (bench_mark("inbox-painted"), done()),
             when=lambda: model.rowCount() > 0)
    return app.exec()
