"""Asks why urgency advice is dismissed: the reason is required and goes into the audit log."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from workbench.services.triage import MAX_URGENCY_REASON
from workbench.ui.reason_dialog import ReasonDialog


class DismissAdviceDialog(ReasonDialog):
    """Why this is not urgent; OK only with a reason."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(MAX_URGENCY_REASON, parent)
        self.set_texts(self.tr("Not urgent"), self.tr(
            "Why is this not urgent? For example: called the patient, no alarm signs; "
            "the words mean something else here."), self.tr("Not urgent"))
