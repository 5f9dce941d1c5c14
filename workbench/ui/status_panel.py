"""The status bar's pull area: last and next pull, a pull-now button, progress while pulling."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

if TYPE_CHECKING:
    from workbench.services.sync import SyncProgress
    from workbench.ui.sync_controller import PullOutcome


class PullStatus(QWidget):
    """Shows what the SyncController does; its button asks for a pull now."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.last_label = QLabel(self.tr("Last pull: never"))
        self.next_label = QLabel()
        self.message_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.pull_button = QPushButton(self.tr("Pull now"))
        self.pull_button.setToolTip(self.tr("Fetch new e-consults from the portal (F5)"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.message_label, self.progress):
            layout.addWidget(widget)
        layout.addStretch(1)
        for widget in (self.last_label, self.next_label, self.pull_button):
            layout.addWidget(widget)

    def on_started(self) -> None:
        self.pull_button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first figures arrive
        self.progress.show()
        self.message_label.setText(self.tr("Pulling…"))

    def on_progress(self, progress: SyncProgress) -> None:
        if progress.phase == "attachments" and progress.total:
            self.progress.setRange(0, progress.total)
            self.progress.setValue(progress.done)
            self.message_label.setText(self.tr("Fetching photos %1 of %2")
                                       .replace("%1", str(progress.done))
                                       .replace("%2", str(progress.total)))
        elif progress.phase == "messages":
            self.message_label.setText(self.tr("Pulling… %1 received")
                                       .replace("%1", str(progress.fetched)))

    def on_finished(self, outcome: PullOutcome) -> None:
        self._idle()
        result = outcome.result
        if result.skipped:
            self.message_label.setText(self.tr("Another workstation is pulling"))
        elif result.errors:
            self.message_label.setText(self.tr("Pulled, with %1 problems (see the log)")
                                       .replace("%1", str(len(result.errors))))
        elif outcome.new_econsults:
            self.message_label.setText(self.tr("%1 new e-consults")
                                       .replace("%1", str(outcome.new_econsults)))
        else:
            self.message_label.setText(self.tr("Up to date"))

    def on_failed(self, message: str) -> None:
        self._idle()
        self.message_label.setText(message)

    def on_schedule(self, last: datetime | None, upcoming: datetime | None) -> None:
        if last is not None:
            self.last_label.setText(self.tr("Last pull: %1")
                                    .replace("%1", last.astimezone().strftime("%H:%M")))
        if upcoming is not None:
            local = upcoming.astimezone()
            shown = local.strftime("%H:%M") if local.date() == datetime.now().date() \
                else local.strftime("%d-%m %H:%M")
            self.next_label.setText(self.tr("Next: %1").replace("%1", shown))

    def _idle(self) -> None:
        self.pull_button.setEnabled(True)
        self.progress.hide()
