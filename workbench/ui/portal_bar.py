"""A bar over the lists while the portal cannot be reached: since when, and that nothing is lost."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from workbench.services.errors import ErrorKind, classify
from workbench.ui import colours


class PortalBar(QWidget):
    """Hidden while pulls succeed. The first pull that cannot reach the portal shows it with
    that time; it keeps that time while pulls keep failing and hides on the next success.

    Connect `on_failed` to SyncController.failed and `on_finished` to its finished signal.
    """

    def __init__(self, clock: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._since: datetime | None = None
        self.setObjectName("portalBar")
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            f"#portalBar {{ background: {colours.PORTAL_BACKGROUND};"
            f" border-bottom: 1px solid {colours.PORTAL_BORDER}; }}"
            f" #portalBar QLabel {{ color: {colours.PORTAL_TEXT}; font-weight: bold; }}")
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        self.hide()

    @property
    def since(self) -> datetime | None:
        """When the portal was first found unreachable in this run of failures (None: reachable)."""
        return self._since

    def on_failed(self, exc: BaseException) -> None:
        # Only an unreachable portal: other failures (login, certificate) have their own texts
        # in the status bar and neither start nor end an outage.
        if classify(exc) is not ErrorKind.PORTAL_UNREACHABLE:
            return
        if self._since is None:
            self._since = self._clock()
        self.label.setText(self.tr("Portal not reachable since %1; new messages come in later")
                           .replace("%1", self._since.astimezone().strftime("%H:%M")))
        self.show()

    def on_finished(self, _outcome: object = None) -> None:
        self._since = None
        self.label.clear()
        self.hide()
