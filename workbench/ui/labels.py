"""Translatable names for the store's codes (status, roles, close reasons, alarm categories)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

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
    """The one name of a role, everywhere it is shown (Dutch: huisarts, POH, doktersassistent),
    in lower case as it stands inside a sentence or brackets."""
    return {
        Role.GP: QCoreApplication.translate("Labels", "GP"),
        Role.POH: QCoreApplication.translate("Labels", "POH"),
        Role.ASSISTANT: QCoreApplication.translate("Labels", "doctor's assistant"),
        Role.MANAGER: QCoreApplication.translate("Labels", "practice manager"),
        None: QCoreApplication.translate("Labels", "staff"),
    }[role]


def person_label(name: str, role: Role | None) -> str:
    """A practitioner with their role, as every list of people shows them: "dr. Jansen
    (huisarts)"."""
    return QCoreApplication.translate("Labels", "{name} ({role})").format(
        name=name, role=role_label(role))


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


def data_problem_label(code: str, birth_date_text: str | None = None) -> str:
    """What was wrong with the portal's data, imported anyway: one short warning per code."""
    if code == "birth_date_partial":
        given = (birth_date_text or "").strip()
        if len(given) == 4:
            return QCoreApplication.translate(
                "Labels", "Birth date incomplete: birth year {year}").format(year=given)
        if len(given) == 7 and given[4] == "-":
            return QCoreApplication.translate(
                "Labels", "Birth date incomplete: born {month}-{year}").format(
                month=given[5:7], year=given[:4])
        if given:
            return QCoreApplication.translate(
                "Labels", "Birth date incomplete: {given}").format(given=given)
        return QCoreApplication.translate("Labels", "Birth date incomplete")
    return {
        "bsn_invalid": QCoreApplication.translate(
            "Labels", "BSN invalid: do not use it for the HIS"),
        "birth_date_invalid": QCoreApplication.translate(
            "Labels", "Birth date unreadable: check the age with the patient"),
        "gender_unknown": QCoreApplication.translate("Labels", "Gender unknown"),
        "name_shortened": QCoreApplication.translate("Labels", "Name shortened"),
        "name_missing": QCoreApplication.translate("Labels", "Name missing on the portal"),
        "text_cleaned": QCoreApplication.translate(
            "Labels", "Text cleaned: unreadable characters removed"),
        "subject_shortened": QCoreApplication.translate("Labels", "Subject shortened"),
        "status_unknown": QCoreApplication.translate("Labels", "Unknown status on the portal"),
        "sent_missing": QCoreApplication.translate(
            "Labels", "Send time missing: time of receipt shown"),
        "payload_unreadable": QCoreApplication.translate(
            "Labels", "Part of the message could not be read: check the portal"),
        "reply_to_itself": QCoreApplication.translate(
            "Labels", "Message refers to itself: thread may be incomplete"),
        "attachment_refused": QCoreApplication.translate("Labels", "Attachment refused"),
        "future_dated": QCoreApplication.translate("Labels", "Send time lies in the future"),
        # Secure mail (services/mail_import.py).
        "other_recipients": QCoreApplication.translate(
            "Labels", "This mail also went to others: mind what you answer"),
        "mail_html_only": QCoreApplication.translate(
            "Labels", "Sent as HTML only: shown as plain text"),
        "mail_text_shortened": QCoreApplication.translate(
            "Labels", "Mail text too long: shortened"),
        "mail_part_too_large": QCoreApplication.translate(
            "Labels", "A part of the mail was too large and was left out"),
        "mail_part_too_many_parts": QCoreApplication.translate(
            "Labels", "The mail had too many parts: some were left out"),
        "mail_part_nesting": QCoreApplication.translate(
            "Labels", "Mail nested too deep: parts were left out"),
        "mail_part_too_many_attachments": QCoreApplication.translate(
            "Labels", "Too many attachments: some were left out"),
        "mail_part_total_too_large": QCoreApplication.translate(
            "Labels", "The attachments together were too large: some were left out"),
        "mail_part_undecodable": QCoreApplication.translate(
            "Labels", "A part of the mail could not be decoded and was left out"),
        "reply_from_untrusted_address": QCoreApplication.translate(
            "Labels", "A reply from an address not verified for this patient"),
    }.get(code, QCoreApplication.translate("Labels", "Data problem: {code}").format(code=code))


def data_problem_labels(codes: list[str] | None, birth_date_text: str | None = None
                        ) -> list[str]:
    """The warnings for a list of codes, in order, each once."""
    seen: list[str] = []
    for code in codes or []:
        if isinstance(code, str) and code not in seen:
            seen.append(code)
    return [data_problem_label(code, birth_date_text) for code in seen]


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


# -- urgency advice ------------------------------------------------------------------------------
EMERGENCY_NUMBER_ACTION = "Bel 112"  # the advice's most severe action, as the advice words it


@dataclass(frozen=True)
class AdviceFinding:
    """One entry of an e-consult's urgency advice, ready to show. New entries carry their own
    (Dutch) label, action and explanation; old ones only a category and the words."""

    category: str
    label: str
    words: str
    action: str
    explanation: str
    life_threatening: bool
    terms: tuple[str, ...]
    # A second contact names the earlier e-consult (entries from before that name none).
    earlier_id: int | None = None
    earlier_at: datetime | None = None

    @property
    def severity(self) -> int:
        """0 for a 112 action or a life-threatening finding, 1 for the rest."""
        return 0 if self.life_threatening or self.action.strip().lower().startswith(
            EMERGENCY_NUMBER_ACTION.lower()) else 1


def default_advice_action() -> str:
    """The action of an old advice entry, which names none: as the banner always said."""
    return QCoreApplication.translate("Labels", "Call the patient now")


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _moment(value: object) -> datetime | None:
    """A stored ISO time with its zone, read defensively (anything else: None)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def advice_finding(item: object) -> AdviceFinding | None:
    """An advice entry (a dict from the store, new or old style) read defensively."""
    if not isinstance(item, dict):
        return None
    category = _text(item.get("category"))
    words = _text(item.get("words"))
    terms_given = item.get("terms")
    if isinstance(terms_given, list):
        terms = tuple(t.strip() for t in terms_given if isinstance(t, str) and t.strip())
    else:  # an old entry: the words are the one phrase that raised it
        terms = tuple(t.strip() for t in words.split(" \u00b7 ") if t.strip())
    label = _text(item.get("label")) or alarm_label(category)
    action = _text(item.get("action")) or default_advice_action()
    earlier_id = item.get("earlier_id")
    return AdviceFinding(category=category, label=label, words=words,
                         action=action, explanation=_text(item.get("explanation")),
                         life_threatening=item.get("life_threatening") is True, terms=terms,
                         earlier_id=earlier_id if type(earlier_id) is int else None,
                         earlier_at=_moment(item.get("earlier_at")))


def advice_findings(advice: list | None) -> list[AdviceFinding]:
    """The findings, most severe first (a 112 action before "call the patient now"); within
    a severity in the advice's own order."""
    found = [f for f in (advice_finding(item) for item in advice or []) if f is not None]
    return sorted(found, key=lambda f: f.severity)


def advice_terms(advice: list | None) -> list[str]:
    """The words that raised the advice, each once (case-insensitively), longest first."""
    seen: dict[str, str] = {}
    for finding in advice_findings(advice):
        for term in finding.terms:
            seen.setdefault(term.casefold(), term)
    return sorted(seen.values(), key=len, reverse=True)
