"""Translatable names for the store's codes (status, roles, close reasons, alarm categories)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication

from workbench.services.inbox import age_on
from workbench.services.triage import CloseReason
from workbench.store.models import ConsultStatus, Role, Urgency


def status_label(status: ConsultStatus) -> str:
    return {
        ConsultStatus.INBOX: QCoreApplication.translate("Labels", "Inbox"),
        ConsultStatus.WORKLIST: QCoreApplication.translate("Labels", "Worklist"),
        ConsultStatus.WAITING: QCoreApplication.translate("Labels", "Waiting for patient"),
        ConsultStatus.CLOSED: QCoreApplication.translate("Labels", "Closed"),
    }[status]


def role_label(role: Role | None) -> str:
    return {
        Role.GP: QCoreApplication.translate("Labels", "GP"),
        Role.POH: QCoreApplication.translate("Labels", "Practice nurse"),
        Role.ASSISTANT: QCoreApplication.translate("Labels", "Assistant"),
        None: QCoreApplication.translate("Labels", "Staff"),
    }[role]


def urgency_label(urgency: Urgency) -> str:
    return {Urgency.NORMAL: QCoreApplication.translate("Labels", "Normal"), Urgency.URGENT: QCoreApplication.translate("Labels", "Urgent")}[urgency]


def close_reason_label(reason: CloseReason | str) -> str:
    return {
        CloseReason.ANSWERED: QCoreApplication.translate("Labels", "Answered"),
        CloseReason.REFERRED: QCoreApplication.translate("Labels", "Referred"),
        CloseReason.BY_PHONE: QCoreApplication.translate("Labels", "Handled by phone"),
        CloseReason.DUPLICATE: QCoreApplication.translate("Labels", "Duplicate"),
        CloseReason.NO_ACTION: QCoreApplication.translate("Labels", "No action needed"),
    }[CloseReason(reason)]


def alarm_label(category: str) -> str:
    return {
        "chest_pain": QCoreApplication.translate("Labels", "chest pain"),
        "breathing": QCoreApplication.translate("Labels", "shortness of breath"),
        "neurological": QCoreApplication.translate("Labels", "neurological loss"),
        "bleeding": QCoreApplication.translate("Labels", "severe bleeding"),
        "suicidal": QCoreApplication.translate("Labels", "suicidal thoughts"),
        "severe_pain": QCoreApplication.translate("Labels", "severe pain"),
        "worsening": QCoreApplication.translate("Labels", "rapid worsening"),
        "allergic": QCoreApplication.translate("Labels", "allergic reaction"),
        "baby_fever": QCoreApplication.translate("Labels", "baby under 3 months with fever"),
        "second_contact": QCoreApplication.translate("Labels", "second contact about the same complaint"),
    }.get(category, category)


def age_label(birth_date: date, today: date, short: bool = False) -> str:
    """Years from two on; months below, where a few weeks matter (fever under 3 months)."""
    years = age_on(birth_date, today) or 0
    if years >= 2:
        return str(years) if short else QCoreApplication.translate(
            "Labels", "{years} years").format(years=years)
    months = max(0, (today.year - birth_date.year) * 12 + today.month - birth_date.month
                 - (today.day < birth_date.day))
    if short:
        return QCoreApplication.translate("Labels", "{months} mo").format(months=months)
    if months == 1:
        return QCoreApplication.translate("Labels", "1 month")
    return QCoreApplication.translate("Labels", "{months} months").format(months=months)
