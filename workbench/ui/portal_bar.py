"""A bar over the lists while the portal cannot be reached (since when, and that nothing is lost),
or while another workstation pulls into the shared database (who)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from workbench.services.errors import ErrorKind, classify
from workbench.ui import colours

_OUTAGE_STYLE = (f"#portalBar {{ background: {colours.PORTAL_BACKGROUND};"
                 f" border-bottom: 1px solid {colours.PORTAL_BORDER}; }}"
                 f" #portalBar QLabel {{ color: {colours.PORTAL_TEXT}; font-weight: bold; }}")
# Another workstation pulling is news, not a problem: no alarm colours.
_ELSEWHERE_STYLE = (f"#portalBar {{ background: {colours.ALTERNATE_BASE};"
                    f" border-bottom: 1px solid {colours.HINT_TEXT}; }}"
                    f" #portalBar QLabel {{ color: {colours.TEXT}; }}")


class PortalBar(QWidget):
    """Hidden while pulls succeed. The first pull that cannot reach the portal shows it with
    that time; it keeps that time while pulls keep failing and hides on the next success.
    A pull skipped because another workstation pulls shows who ("Pull by %1") until a pull of
    this workstation's own ends; an outage shown stays shown meanwhile (the skip says nothing
    about whether this workstation reaches the portal).

    Connect `on_failed` to SyncController.failed, `on_finished` to its finished signal and
    `on_pulling_elsewhere` to its pulling_elsewhere signal (for a change of who pulls while
    this workstation waits).
    """

    def __init__(self, clock: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._since: datetime | None = None
        self._elsewhere: str | None = None
        self.setObjectName("portalBar")
        self.setAutoFillBackground(True)
        self.setStyleSheet(_OUTAGE_STYLE)
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

    @property
    def pulling_elsewhere(self) -> str | None:
        """The workstation shown as pulling ("" when unnamed; None: none shown)."""
        return self._elsewhere

    def on_failed(self, exc: BaseException) -> None:
        # Only an unreachable portal: other failures (login, certificate) have their own texts
        # in the status bar and neither start nor end an outage.
        if classify(exc) is not ErrorKind.PORTAL_UNREACHABLE:
            return
        self._elsewhere = None  # this workstation pulled (and failed) itself
        if self._since is None:
            self._since = self._clock()
        self._render()

    def on_finished(self, outcome: object = None) -> None:
        result = getattr(outcome, "result", None)
        if getattr(result, "skipped", False):
            self.on_pulling_elsewhere(getattr(result, "pulling_elsewhere", None) or "")
            return
        self._since = None
        self._elsewhere = None
        self._render()

    def on_pulling_elsewhere(self, workstation: str) -> None:
        self._elsewhere = workstation
        self._render()

    def _render(self) -> None:
        if self._since is not None:
            self.setStyleSheet(_OUTAGE_STYLE)
            self.label.setText(
                self.tr("Portal not reachable since %1; new messages come in later")
                .replace("%1", self._since.astimezone().strftime("%H:%M")))
            self.show()
        elif self._elsewhere is not None:
            self.setStyleSheet(_ELSEWHERE_STYLE)
            self.label.setText(
                self.tr("Pull by %1").replace("%1", self._elsewhere) if self._elsewhere
                else self.tr("Another workstation is pulling"))
            self.show()
        else:
            self.label.clear()
            self.hide()
