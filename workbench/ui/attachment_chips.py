"""Files attached to an answer, shown as removable chips."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QToolButton,
    QWidget,
)

from workbench.services.replies import (
    OutgoingAttachment,
)


class AttachmentChips(QWidget):
    """The files going with the answer, each a button that removes it.

    Signals:
        removed(int): the chip at this position was clicked away.
    """

    removed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addStretch(1)
        self._chips: list[QToolButton] = []

    def show_attachments(self, attachments: list[OutgoingAttachment]) -> None:
        for chip in self._chips:
            self._layout.removeWidget(chip)
            chip.deleteLater()
        self._chips = []
        for position, attachment in enumerate(attachments):
            chip = QToolButton()
            chip.setText(f"{attachment.title}  \u00d7")
            chip.setToolTip(self.tr("Remove {title}").format(title=attachment.title))
            chip.setAccessibleName(self.tr("Remove {title}").format(title=attachment.title))
            chip.clicked.connect(lambda _checked=False, p=position: self.removed.emit(p))
            self._layout.insertWidget(self._layout.count() - 1, chip)
            self._chips.append(chip)
        self.setVisible(bool(attachments))

    def titles(self) -> list[str]:
        return [chip.text().rsplit("  ", 1)[0] for chip in self._chips]

    def chips(self) -> list[QToolButton]:
        return list(self._chips)
