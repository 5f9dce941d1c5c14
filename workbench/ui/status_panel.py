"""The status bar's pull area: last and next pull, a pull-now button, progress while pulling."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from workbench.ui import colours
from workbench.ui.errors import describe_error

if TYPE_CHECKING:
    from workbench.services.sync import SyncProgress
    from workbench.ui.sync_controller import PullOutcome

_ALARM_STYLE = f"color: {colours.ALARM_TEXT}; font-weight: bold;"


class PullStatus(QWidget):
    """Shows what the SyncController does; its button asks for a pull now."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._outcome: PullOutcome | None = None
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
        self.message_label.setStyleSheet("")
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
        elif progress.phase == "advice":
            self.message_label.setText(self.tr("Checking new messages for alarm signs…"))

    def on_finished(self, outcome: PullOutcome, not_processed: int | None = None) -> None:
        """Says what the pull did, and never "up to date" while anything is missing: a pull
        that did not finish, had errors, or left items in "Not processed" (`not_processed`:
        the open count, from the result or the store; None when unknown)."""
        self._idle()
        result = outcome.result
        open_items = getattr(result, "quarantined_open", None)
        if open_items is None:
            open_items = not_processed
        # At least what this pull itself put aside.
        open_items = max(open_items or 0, getattr(result, "quarantined", 0) or 0)
        self._outcome = outcome
        self._render(outcome, open_items)

    def set_not_processed(self, n: int) -> None:
        """The open count changed after the pull (an item marked handled): say it again."""
        if self._outcome is not None and self.pull_button.isEnabled():
            self._render(self._outcome, n)

    def _render(self, outcome: PullOutcome, open_items: int) -> None:
        result = outcome.result
        incomplete = list(getattr(result, "incomplete", None) or [])
        parts: list[str] = []
        summary_said = True  # the first part is not the plain "new" or "up to date" line
        if result.skipped:
            elsewhere = getattr(result, "pulling_elsewhere", None)
            parts.append(self.tr("Pull by %1").replace("%1", elsewhere) if elsewhere
                         else self.tr("Another workstation is pulling"))
        elif incomplete:
            parts.append(self.tr("Pull not finished: the rest follows in the next round"))
        elif result.errors:
            parts.append(self.tr("Pulled, with %1 problems (see the log)")
                         .replace("%1", str(len(result.errors))))
        elif open_items:
            parts.append(self._not_processed_text(open_items, pulled=True))
        else:
            summary_said = False
            parts.append(self.tr("%1 new e-consults").replace("%1", str(outcome.new_econsults))
                         if outcome.new_econsults else self.tr("Up to date"))
        if open_items and (result.skipped or incomplete or result.errors):
            parts.append(self._not_processed_text(open_items, pulled=False))
        if summary_said and outcome.new_econsults and not result.skipped:
            parts.append(self.tr("%1 new e-consults").replace("%1", str(outcome.new_econsults)))
        mail_problem = self._mail_problem(outcome)
        if mail_problem:
            parts.append(mail_problem)
        self.message_label.setText(" \u00b7 ".join(parts))
        alarm = bool(incomplete or result.errors or open_items or mail_problem)
        self.message_label.setStyleSheet(_ALARM_STYLE if alarm else "")

    def _mail_problem(self, outcome: PullOutcome) -> str | None:
        """What went wrong with the secure-mail channel (None: nothing, or no channel)."""
        failure, mail = getattr(outcome, "mail_failure", None), getattr(outcome, "mail", None)
        if failure is not None:
            return self.tr("Secure mail not pulled: %1").replace("%1", describe_error(failure))
        if mail is None or getattr(mail, "skipped", False) or mail.ok:
            return None
        if any(code in ("connect", "unreachable") for code in mail.incomplete):
            return self.tr("Secure mail not reachable; new mail comes in later")
        if mail.incomplete:
            return self.tr("Secure mail not finished: the rest follows in the next round")
        return self.tr("Secure mail pulled, with %1 problems (see the log)").replace(
            "%1", str(len(mail.errors)))

    def _not_processed_text(self, n: int, pulled: bool) -> str:
        if pulled:
            text = (self.tr("Pulled, but 1 message not processed: see Not processed") if n == 1
                    else self.tr("Pulled, but %1 messages not processed: see Not processed"))
        else:
            text = (self.tr("1 message not processed") if n == 1
                    else self.tr("%1 messages not processed"))
        return text.replace("%1", str(n))

    @property
    def busy(self) -> bool:
        """Whether it shows a pull in progress (button disabled, progress bar running)."""
        return not self.pull_button.isEnabled() or self.progress.isVisibleTo(self)

    def on_failed(self, message: str) -> None:
        """A failed pull: idle again (never "Pulling…" for ever), with why in red."""
        self._idle()
        self.progress.setRange(0, 1)  # no busy indicator left running behind the scenes
        self.progress.reset()
        self.message_label.setText(message)
        self.message_label.setStyleSheet(_ALARM_STYLE)

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
