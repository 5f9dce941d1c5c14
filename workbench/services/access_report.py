"""A patient's access report (NEN 7513, "inzageverzoek"): every audit event about one patient in
a period, in Dutch, for the patient who asks who looked at their file and what was done.

The patient is found both by the BSN the event kept (as it was then) and by the store's id of
whoever has that BSN now, so the report survives renames and a BSN corrected later. The report
is written in Dutch whatever the user interface's language: it is a letter to a Dutch patient.
Making it is itself an audit event, in the name of the person who made it, and only a person
whose role gives the right (Permission.AUDIT_REPORT) may."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from workbench.services.audit import write_audit_event
from workbench.services.errors import ActionRefused
from workbench.services.rights import Permission, require
from workbench.services.spreadsheet import csv_text
from workbench.services.triage import Actor, AuditAction, CallOutcome
from workbench.store.models import AuditEvent, Patient, Practitioner
from workbench.store.private_files import open_owner_only
from workbench.store.timeutil import as_utc

# What was done, in the words of a letter to the patient; an event not named here shows its
# own name, so nothing is ever left out of the report.
ACTION_WORDS: dict[str, str] = {
    # Secure mail (services/mail_senders.py, services/mail_outbox.py).
    "mail_viewed": "E-mail van onbekende afzender bekeken",
    "mail_address_verified": "E-mailadres gecontroleerd en gekoppeld",
    "mail_patient_chosen": "E-mail bij patiënt ingelezen (gedeeld adres)",
    "mail_fixed_reply": "Standaardantwoord per e-mail gestuurd",
    "mail_handled": "E-mail afgehandeld buiten Workbench",
    "mail_answer_confirmed": "Aankomst van antwoord per e-mail vastgelegd",
    AuditAction.VIEW: "Bekeken",
    AuditAction.ROUTE: "Doorgestuurd naar werklijst",
    AuditAction.SEND_BACK: "Teruggestuurd",
    AuditAction.ASSIGN: "Toegewezen",
    AuditAction.INVITE: "Uitgenodigd voor spreekuur",
    AuditAction.CLOSE: "Afgerond",
    AuditAction.CALL_OUTCOME: "Gebeld",
    AuditAction.SET_URGENT: "Als spoed gemarkeerd",
    AuditAction.CLEAR_URGENT: "Spoed opgeheven",
    AuditAction.REPLY: "Beantwoord",
    AuditAction.START_CONVERSATION: "Bericht gestuurd",
    AuditAction.FOLLOW_UP: "Terugkomen op het e-consult ingesteld",
    AuditAction.FOLLOW_UP_DUE: "Teruggekomen op werklijst (termijn verstreken)",
    AuditAction.THIRD_PARTY_CHOICE: "Keuze vastgelegd over bericht van ouder of verzorger",
    AuditAction.COPY_TO_HIS: "Kopie naar HIS",
    AuditAction.SAVE_PHOTO: "Foto opgeslagen",
    AuditAction.TIME_CORRECTION: "Tijd gecorrigeerd",
    AuditAction.DECLARE: "Gedeclareerd",
    AuditAction.DECLARE_OVERRIDE: "Gedeclareerd (andere code)",
    AuditAction.EXPORT_DECLARATIONS: "Declaraties geëxporteerd",
    AuditAction.QUARANTINE_VIEWED: "Niet verwerkt bericht bekeken",
    AuditAction.QUARANTINE_HANDLED: "Niet verwerkt bericht afgehandeld",
    AuditAction.UNDO: "Ongedaan gemaakt",
    AuditAction.PATIENT_LOOKUP: "Opgezocht",
    AuditAction.ACCESS_REPORT: "Inzageoverzicht gemaakt",
    AuditAction.SIGN_IN: "Aangemeld",
    AuditAction.SIGN_IN_FAILED: "Aanmelden mislukt",
    AuditAction.ACCOUNT_LOCKED: "Account geblokkeerd",
    AuditAction.PIN_UNLOCK: "Ontgrendeld met pincode",
    AuditAction.LOCK: "Scherm vergrendeld",
    AuditAction.SIGN_OUT: "Afgemeld",
    AuditAction.USER_ADDED: "Gebruiker toegevoegd",
    AuditAction.USER_DISABLED: "Gebruiker uitgeschakeld",
    AuditAction.USER_ENABLED: "Gebruiker ingeschakeld",
    AuditAction.PASSWORD_RESET: "Wachtwoord opnieuw ingesteld",
    AuditAction.ROLE_CHANGED: "Rol van gebruiker gewijzigd",
    AuditAction.PIN_SET: "Pincode ingesteld",
    AuditAction.SECOND_FACTOR_SET: "Tweede factor ingesteld",
}

CALL_WORDS: dict[str, str] = {
    CallOutcome.HANDLED: "afgehandeld",
    CallOutcome.COMES_IN: "komt naar spreekuur",
    CallOutcome.GP_INFORMED: "huisarts ingelicht",
    CallOutcome.NOT_REACHED: "niet bereikt",
}

ROLE_WORDS: dict[str, str] = {
    "huisarts": "huisarts",
    "poh": "praktijkondersteuner (POH)",
    "assistent": "doktersassistent",
    "praktijkmanager": "praktijkmanager",
}

CSV_HEADER = ("datum", "tijd", "rol", "naam", "werkplek", "handeling", "e-consult")


class AccessReportError(ActionRefused):
    """"bsn_invalid" (not 9 digits), "period_invalid" (from after to); rights.NotAllowed when
    the person may not make access reports."""


@dataclass(frozen=True)
class AccessLine:
    at: datetime              # local time
    role: str                 # in Dutch, as the role was then
    name: str | None          # only when the practice names its people in the report
    workstation: str
    action: str               # in Dutch
    econsult_id: int | None


@dataclass(frozen=True)
class AccessReport:
    bsn: str
    day_from: date
    day_to: date
    made_at: datetime         # local time
    names: bool
    practice: str
    lines: tuple[AccessLine, ...]

    def text(self) -> str:
        """The report as a Dutch plain-text letter appendix, with a table of the accesses."""
        head = [
            "Overzicht van toegang tot uw e-consulten",
            "",
            *([f"Praktijk: {self.practice}"] if self.practice else []),
            f"BSN: {self.bsn}",
            f"Periode: {self.day_from:%d-%m-%Y} tot en met {self.day_to:%d-%m-%Y}",
            f"Gemaakt op: {self.made_at:%d-%m-%Y %H:%M}",
            "",
        ]
        if not self.lines:
            nobody = "In deze periode heeft niemand uw e-consulten ingezien of behandeld."
            return "\n".join([*head, nobody, ""])
        header = self._columns(("Datum", "Tijd", "Rol", "Naam", "Werkplek", "Handeling"))
        rows = [self._columns(self._cells(line)[:6]) for line in self.lines]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

        def aligned(row: list[str]) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()

        count = len(self.lines)
        return "\n".join(head + [aligned(header), aligned(["-" * w for w in widths]),
                                 *(aligned(row) for row in rows), "",
                                 f"Aantal: {count} {'handeling' if count == 1 else 'handelingen'}",
                                 ""])

    def csv(self) -> str:
        """The accesses as CSV (semicolons, for a spreadsheet); without the name column when
        the practice does not name its people."""
        return csv_text(self._columns(CSV_HEADER), (self._columns(self._cells(line))
                                                    for line in self.lines))

    def _cells(self, line: AccessLine) -> tuple[str, ...]:
        return (f"{line.at:%d-%m-%Y}", f"{line.at:%H:%M:%S}", line.role, line.name or "",
                line.workstation, line.action,
                str(line.econsult_id) if line.econsult_id is not None else "")

    def _columns(self, cells: tuple[str, ...]) -> list[str]:
        return [cell for index, cell in enumerate(cells) if self.names or index != 3]


def normalise_bsn(text: str) -> str:
    """A BSN as typed ("1234.56.789", "12 34 56 789", eight digits) as its nine digits."""
    digits = re.sub(r"[\s.\-]", "", text or "")
    if not digits.isdigit() or len(digits) not in (8, 9):
        raise AccessReportError("bsn_invalid")
    return digits.zfill(9)


def action_words(event: str, detail: dict | None) -> str:
    words = ACTION_WORDS.get(event, event)
    detail = detail if isinstance(detail, dict) else {}
    if event == AuditAction.CALL_OUTCOME and detail.get("outcome") in CALL_WORDS:
        words = f"{words}: {CALL_WORDS[detail['outcome']]}"
    elif event == AuditAction.UNDO and detail.get("undid") in ACTION_WORDS:
        words = f"{words}: {ACTION_WORDS[detail['undid']].lower()}"
    return words


def role_words(role: str | None) -> str:
    return ROLE_WORDS.get(role or "", role or "onbekend")


class AccessReportService:
    """`names`: the practice's setting access_report_names (the people's names in the report,
    or their roles only). `tz`: the zone times are shown in (the computer's own by default)."""

    def __init__(self, engine: Engine, *, names: bool = False, practice: str = "",
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 workstation: str | None = None, tz: tzinfo | None = None) -> None:
        self._engine = engine
        self.names = names
        self._practice = practice
        self._clock = clock
        self._workstation = (workstation or socket.gethostname())[:100]
        self._tz = tz

    def make(self, bsn: str, day_from: date, day_to: date, actor: Actor) -> AccessReport:
        """The report for `bsn` from `day_from` to `day_to` (both whole days, local time),
        oldest first. Committed with its own audit event before it is returned: a report that
        cannot be audited is not made."""
        bsn = normalise_bsn(bsn)
        if day_from > day_to:
            raise AccessReportError("period_invalid")
        start, end = self._bounds(day_from), self._bounds(day_to + timedelta(days=1))
        with Session(self._engine) as session, session.begin():
            require(session, actor.user_id, Permission.AUDIT_REPORT)
            patient_ids = set(session.scalars(select(Patient.id).where(Patient.bsn == bsn)))
            about = or_(AuditEvent.patient_bsn == bsn, AuditEvent.patient_id.in_(patient_ids)) \
                if patient_ids else AuditEvent.patient_bsn == bsn
            rows = session.execute(
                select(AuditEvent, Practitioner.name)
                .join(Practitioner, Practitioner.id == AuditEvent.user_id, isouter=True)
                .where(about, AuditEvent.occurred_at >= start, AuditEvent.occurred_at < end)
                .order_by(AuditEvent.occurred_at, AuditEvent.id)).all()
            lines = tuple(AccessLine(
                at=self._local(event.occurred_at), role=role_words(event.user_role),
                name=name if self.names else None, workstation=event.workstation or "",
                action=action_words(event.event, event.detail), econsult_id=event.econsult_id)
                for event, name in rows)
            now = self._clock()
            detail = {"from": day_from.isoformat(), "to": day_to.isoformat(),
                      "events": len(lines), "names": self.names}
            # One event per patient record the report is about (usually one); the BSN itself
            # is kept with it by write_audit_event.
            for patient_id in sorted(patient_ids | {e.patient_id for e, _ in rows
                                                    if e.patient_id is not None}) or [None]:
                write_audit_event(session, event=AuditAction.ACCESS_REPORT.value,
                                  occurred_at=now, user_id=actor.user_id,
                                  responsible_id=actor.responsible, patient_id=patient_id,
                                  workstation=self._workstation, detail=detail)
        return AccessReport(bsn, day_from, day_to, self._local(now), self.names,
                            self._practice, lines)

    @staticmethod
    def write(report: AccessReport, path: str | Path) -> Path:
        """The report to a file, readable by its owner only: CSV for a .csv name, else text.
        UTF-8 with BOM, so Excel and Notepad read the accents right."""
        path = Path(path)
        content = report.csv() if path.suffix.lower() == ".csv" else report.text()
        newline = "" if path.suffix.lower() == ".csv" else None  # CSV carries its own CRLF
        with open_owner_only(path, "w", encoding="utf-8-sig", newline=newline) as handle:
            handle.write(content)
        return path

    def _bounds(self, day: date) -> datetime:
        """Midnight at the start of `day`, local time, in UTC as the store keeps times."""
        midnight = datetime.combine(day, time())
        midnight = midnight.replace(tzinfo=self._tz) if self._tz else midnight.astimezone()
        return midnight.astimezone(timezone.utc)

    def _local(self, moment: datetime) -> datetime:
        return as_utc(moment).astimezone(self._tz)
