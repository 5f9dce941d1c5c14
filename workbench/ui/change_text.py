"""Words for a colleague's change that refused an action ("Anna de Vries heeft om 10:42
geantwoord"), shown where the action was tried."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from workbench.services.concurrency import ChangeKind, ChangeSummary


def _moment(at: datetime, now: datetime | None = None) -> str:
    local = at.astimezone()
    today = (now or datetime.now().astimezone()).astimezone().date()
    if local.date() == today:
        return local.strftime("%H:%M")
    return QCoreApplication.translate("ChangeText", "{date} at {time}").format(
        date=local.strftime("%d-%m"), time=local.strftime("%H:%M"))


def change_text(change: ChangeSummary, now: datetime | None = None) -> str:
    """One sentence: who did what, when."""
    if change.at is None:
        return QCoreApplication.translate(
            "ChangeText", "Someone else changed this e-consult meanwhile.")
    when = _moment(change.at, now)
    if change.kind is ChangeKind.PATIENT_WROTE:
        return QCoreApplication.translate(
            "ChangeText", "The patient wrote again at %1.").replace("%1", when)
    texts = {
        ChangeKind.ANSWERED: QCoreApplication.translate("ChangeText", "%1 answered at %2."),
        ChangeKind.ROUTED: QCoreApplication.translate(
            "ChangeText", "%1 routed this e-consult at %2."),
        ChangeKind.SENT_BACK: QCoreApplication.translate(
            "ChangeText", "%1 sent this e-consult back to the assistants at %2."),
        ChangeKind.INVITED: QCoreApplication.translate(
            "ChangeText", "%1 invited the patient to the surgery at %2."),
        ChangeKind.CLOSED: QCoreApplication.translate(
            "ChangeText", "%1 completed this e-consult at %2."),
        ChangeKind.URGENCY: QCoreApplication.translate(
            "ChangeText", "%1 changed the urgency at %2."),
        ChangeKind.CALL: QCoreApplication.translate(
            "ChangeText", "%1 recorded a call at %2."),
        ChangeKind.ASSIGNED: QCoreApplication.translate(
            "ChangeText", "%1 assigned this e-consult at %2."),
        ChangeKind.UNDONE: QCoreApplication.translate(
            "ChangeText", "%1 undid an action at %2."),
    }
    text = texts.get(change.kind, QCoreApplication.translate(
        "ChangeText", "%1 changed this e-consult at %2."))
    who = change.by or QCoreApplication.translate("ChangeText", "Someone else")
    return text.replace("%1", who).replace("%2", when)


def refused_text(change: ChangeSummary) -> str:
    """The message for a triage action refused because of `change`."""
    return change_text(change) + " " + QCoreApplication.translate(
        "ChangeText", "Your action was not carried out. The e-consult now shows how it is; "
        "decide again.")
