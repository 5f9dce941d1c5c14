"""The consult pane's line naming colleagues who have the e-consult open or are answering it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QWidget

from workbench.services.presence import PresenceInfo
from workbench.ui import colours
from workbench.ui.plain_text import reveal_hidden


def presence_text(info: PresenceInfo) -> str:
    """"Ilse is answering this" / "Ilse has this open" (the list's tooltip says the same)."""
    if info.answering:
        text = QCoreApplication.translate("PresenceLine", "%1 is answering this")
    else:
        text = QCoreApplication.translate("PresenceLine", "%1 has this open")
    return text.replace("%1", reveal_hidden(info.name))


def presence_lines(infos: list[PresenceInfo]) -> str:
    """One line per person (answering first); one person at two workstations is named once."""
    seen: set[int] = set()
    lines = []
    for info in sorted(infos, key=lambda info: not info.answering):
        if info.practitioner_id not in seen:
            seen.add(info.practitioner_id)
            lines.append(presence_text(info))
    return "\n".join(lines)


class PresenceLine(QLabel):
    """Hidden while nobody else has the shown e-consult open; amber while someone answers it
    (answering it too would give the patient two answers)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("presenceLine")
        self.setWordWrap(True)
        self.setAccessibleName(self.tr("Colleagues on this e-consult"))
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._econsult_id: int | None = None
        self._infos: list[PresenceInfo] = []
        self.hide()

    @property
    def econsult_id(self) -> int | None:
        return self._econsult_id

    def infos(self) -> list[PresenceInfo]:
        return list(self._infos)

    def set_presence(self, econsult_id: int | None, infos: list[PresenceInfo]) -> None:
        self._econsult_id = econsult_id
        self._infos = list(infos)
        answering = any(info.answering for info in infos)
        self.setStyleSheet(
            f"#presenceLine {{ background-color: {colours.WARNING_BACKGROUND};"
            f" color: {colours.WARNING_TEXT}; border: 1px solid {colours.WARNING_BORDER};"
            " border-radius: 4px; padding: 3px 6px; font-weight: bold; }" if answering else
            f"#presenceLine {{ color: {colours.PATIENT_AUTHOR}; padding: 3px 6px; }}")
        self.setText(presence_lines(self._infos))
        self.setVisible(bool(self._infos))
