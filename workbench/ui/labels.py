"""Translatable names for the store's codes (status, roles, close reasons, alarm categories)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from workbench.services.triage import CloseReason
from workbench.store.models import ConsultStatus, Role, Urgency


def _tr(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def status_label(status: ConsultStatus) -> str:
    return {
        ConsultStatus.INBOX: _tr("Inbox"),
        ConsultStatus.WORKLIST: _tr("Worklist"),
        ConsultStatus.WAITING: _tr("Waiting for patient"),
        ConsultStatus.CLOSED: _tr("Closed"),
    }[status]


def role_label(role: Role | None) -> str:
    return {
        Role.GP: _tr("GP"),
        Role.POH: _tr("Practice nurse"),
        Role.ASSISTANT: _tr("Assistant"),
        None: _tr("Staff"),
    }[role]


def urgency_label(urgency: Urgency) -> str:
    return {Urgency.NORMAL: _tr("Normal"), Urgency.URGENT: _tr("Urgent")}[urgency]


def close_reason_label(reason: CloseReason | str) -> str:
    return {
        CloseReason.ANSWERED: _tr("Answered"),
        CloseReason.REFERRED: _tr("Referred"),
        CloseReason.BY_PHONE: _tr("Handled by phone"),
        CloseReason.DUPLICATE: _tr("Duplicate"),
        CloseReason.NO_ACTION: _tr("No action needed"),
    }[CloseReason(reason)]


def alarm_label(category: str) -> str:
    return {
        "chest_pain": _tr("chest pain"),
        "breathing": _tr("shortness of breath"),
        "neurological": _tr("neurological loss"),
        "bleeding": _tr("severe bleeding"),
        "suicidal": _tr("suicidal thoughts"),
        "severe_pain": _tr("severe pain"),
        "worsening": _tr("rapid worsening"),
        "allergic": _tr("allergic reaction"),
        "baby_fever": _tr("baby under 3 months with fever"),
        "second_contact": _tr("second contact about the same complaint"),
    }.get(category, category)
