"""Answering an e-consult that a colleague (or the patient) changed since it was opened, or
that someone else is answering or has taken: the questions asked before anything is sent."""

from __future__ import annotations

import enum

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.services.concurrency import ChangeSummary
from workbench.ui.change_text import change_text


class ChangedChoice(enum.Enum):
    DISCARD = "discard"
    KEEP_DRAFT = "keep_draft"
    SEND_ANYWAY = "send_anyway"


def changed_meanwhile_box(change: ChangeSummary, parent: QWidget) -> QMessageBox:
    """What changed and who did it; the answer was not sent. The buttons carry their choice
    (`choice_of`); Escape keeps the draft, the safe way out."""
    text = change_text(change) + "\n\n" + QCoreApplication.translate(
        "AnswerConflict", "Your answer has not been sent. Read what changed first.")
    title = QCoreApplication.translate("AnswerConflict", "Changed meanwhile")
    box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("changedMeanwhileBox")
    box.setTextFormat(Qt.TextFormat.PlainText)
    keep = box.addButton(QCoreApplication.translate("AnswerConflict", "&Keep as draft"),
                         QMessageBox.ButtonRole.RejectRole)
    keep.setProperty("choice", ChangedChoice.KEEP_DRAFT.value)
    discard = box.addButton(QCoreApplication.translate("AnswerConflict", "&Discard my answer"),
                            QMessageBox.ButtonRole.DestructiveRole)
    discard.setProperty("choice", ChangedChoice.DISCARD.value)
    anyway = box.addButton(QCoreApplication.translate(
        "AnswerConflict", "&Send anyway as a follow-up…"), QMessageBox.ButtonRole.AcceptRole)
    anyway.setProperty("choice", ChangedChoice.SEND_ANYWAY.value)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    return box


def choice_of(box: QMessageBox) -> ChangedChoice:
    clicked = box.clickedButton()
    value = clicked.property("choice") if clicked is not None else None
    return ChangedChoice(value) if value else ChangedChoice.KEEP_DRAFT


def follow_up_confirmation(parent: QWidget) -> QMessageBox:
    """The one more confirmation before an answer goes out after all."""
    box = QMessageBox(QMessageBox.Icon.Question,
                      QCoreApplication.translate("AnswerConflict", "Send anyway"),
                      QCoreApplication.translate(
                          "AnswerConflict", "The patient will receive your answer in addition "
                          "to what was done meanwhile. Send it anyway?"),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setObjectName("sendAnywayBox")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box


def before_answering_text(answering: list[str], assignee: str | None) -> str | None:
    """Why to ask before writing an answer: colleagues writing one now, or the e-consult taken
    by someone else. None: nothing to ask."""
    reasons = []
    if answering:
        reasons.append(QCoreApplication.translate(
            "AnswerConflict", "%1 is answering this e-consult right now.").replace(
            "%1", ", ".join(answering)))
    if assignee:
        reasons.append(QCoreApplication.translate(
            "AnswerConflict", "This e-consult is assigned to %1.").replace("%1", assignee))
    if not reasons:
        return None
    return " ".join(reasons) + "\n\n" + QCoreApplication.translate(
        "AnswerConflict", "Write an answer yourself anyway?")
