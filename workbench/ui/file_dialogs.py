"""Qt's own file dialog in our words: Qt's Dutch catalogue lacks "Look in:", "Files of type:"
and the like, so every QFileDialog we open gets its labels from our translation; exports start
in the user's documents folder, not the program's folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QFileDialog


def _labels() -> dict[QFileDialog.DialogLabel, str]:
    label = QFileDialog.DialogLabel
    return {
        label.LookIn: QCoreApplication.translate("FileDialog", "Look in:"),
        label.FileName: QCoreApplication.translate("FileDialog", "File name:"),
        label.FileType: QCoreApplication.translate("FileDialog", "Files of type:"),
        label.Reject: QCoreApplication.translate("FileDialog", "Cancel"),
    }


def set_labels(dialog: QFileDialog) -> QFileDialog:
    """The labels of a (non-native) QFileDialog in the user's language; returns the dialog."""
    for which, text in _labels().items():
        dialog.setLabelText(which, text)
    save = dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    dialog.setLabelText(QFileDialog.DialogLabel.Accept,
                        QCoreApplication.translate("FileDialog", "Save") if save
                        else QCoreApplication.translate("FileDialog", "Open"))
    return dialog


def documents_folder() -> str:
    """The user's documents folder (exports go there by default)."""
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) \
        or str(Path.home())


def in_documents(file_name: str) -> str:
    return str(Path(documents_folder()) / file_name)
