"""Dialog confirming the proposed consult code for one patient-day, or another with a reason."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.ui import colours
from workbench.ui.billing_timer import format_duration
from workbench.ui.plain_text import plain_label, reveal_hidden


def format_euro(cents: int) -> str:
    """Dutch notation: € 1.234,56 (a minus sign before the amount when negative)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    grouped = f"{euros:,}".replace(",", ".")
    return f"{sign}\u20ac {grouped},{rest:02d}"


def format_day(day: Any) -> str:
    return f"{day:%d-%m-%Y}"


class DeclareDialog(QDialog):
    """The patient-day, its direct time and the proposed code with its description and
    amount. Accepting confirms it; another code may be chosen, but then a reason is required.

    `tariff_codes`: the year's codes (objects with code, description and amount_cents).

    Signals: QDialog's (accepted, rejected, finished).
    """

    def __init__(self, proposal: Any, tariff_codes: Iterable[Any], parent: QWidget | None = None,
                 *, patient_name: str | None = None, to_confirm: bool = False,
                 by_hand: bool = False) -> None:
        super().__init__(parent)
        self._proposal = proposal
        self._by_hand = by_hand  # declared by hand (not proposed): a reason is required
        self._codes = list(tariff_codes)
        self.setWindowTitle(self.tr("Declare consult"))
        layout = QVBoxLayout(self)
        if by_hand:
            note = QLabel(self.tr("No declaration was proposed for this item. Declaring it by "
                                  "hand needs a reason."))
            note.setWordWrap(True)
            layout.addWidget(note)
        self._tariff_notice = ""
        if to_confirm or getattr(proposal, "tariff_to_confirm", False):
            # Never silently: whose amounts these are, and who can set them right.
            self._tariff_notice = self._notice_text(
                getattr(proposal, "tariff_year", 0) or proposal.day.year, proposal.day.year)
            warning = QLabel(self._tariff_notice)
            warning.setWordWrap(True)
            warning.setStyleSheet(f"color: {colours.CAUTION_TEXT};")
            layout.addWidget(warning)

        form = QFormLayout()
        # The patient comes from the proposal itself: the pane may show another item by now.
        name = getattr(proposal, "patient_name", "") or patient_name
        patient = (self.tr("{name}, {day}").format(name=reveal_hidden(name),
                                                   day=format_day(proposal.day))
                   if name else format_day(proposal.day))
        self._patient_label = plain_label()  # the name is the patient's: never markup
        self._patient_label.setText(patient)
        form.addRow(self.tr("Patient-day:"), self._patient_label)
        econsult_ids = tuple(getattr(proposal, "econsult_ids", ()) or ())
        if not econsult_ids and getattr(proposal, "econsult_id", None) is not None:
            econsult_ids = (proposal.econsult_id,)
        self._econsult_label = QLabel(
            ", ".join(f"#{i}" for i in econsult_ids) if econsult_ids
            else self.tr("practice-started message"))
        form.addRow(self.tr("E-consult:"), self._econsult_label)
        form.addRow(self.tr("Direct time:"), QLabel(
            self.tr("{time} (minutes:seconds)").format(time=format_duration(proposal.seconds))))
        form.addRow(self.tr("Proposed:"), QLabel(self._code_text(
            proposal.code, proposal.description, proposal.amount_cents)))

        self._code = QComboBox()
        self._code.setAccessibleName(self.tr("Code to declare"))
        for tariff in self._codes:
            self._code.addItem(self._code_text(tariff.code, tariff.description,
                                               tariff.amount_cents), tariff.code)
        known = [tariff.code for tariff in self._codes]
        if proposal.code not in known:
            self._code.insertItem(0, self._code_text(proposal.code, proposal.description,
                                                     proposal.amount_cents), proposal.code)
        self._code.setCurrentIndex(self._code.findData(proposal.code))
        code_label = QLabel(self.tr("&Declare as:"))
        code_label.setBuddy(self._code)
        form.addRow(code_label, self._code)

        self._reason = QLineEdit()
        self._reason.setMaxLength(300)
        self._reason.setPlaceholderText(
            self.tr("Required: why this is declared by hand") if by_hand
            else self.tr("Required when declaring another code"))
        self._reason.setAccessibleName(self.tr("Reason for another code"))
        self._reason_label = QLabel(self.tr("&Reason:"))
        self._reason_label.setBuddy(self._reason)
        form.addRow(self._reason_label, self._reason)
        layout.addLayout(form)

        self._hint = QLabel(self.tr("Another code than proposed needs a reason."))
        self._hint.setStyleSheet(f"color: {colours.ALARM_TEXT};")
        layout.addWidget(self._hint)

        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        self._ok = box.button(QDialogButtonBox.StandardButton.Ok)
        self._ok.setText(self.tr("Declare"))
        self._ok.setDefault(True)
        layout.addWidget(box)

        self._code.currentIndexChanged.connect(self._update)
        self._reason.textChanged.connect(self._update)
        self._update()

    def tariff_notice(self) -> str:
        """The warning about unconfirmed amounts; "" when the amounts are confirmed."""
        return self._tariff_notice

    def _notice_text(self, amounts_year: int, day_year: int) -> str:
        first = self.tr("Amounts of {year}; to be confirmed.").format(year=amounts_year)
        if amounts_year != day_year:
            why = self.tr("There is no tariff file for {year}.").format(year=day_year)
        else:
            why = self.tr("The amounts of {year} are placeholders.").format(year=amounts_year)
        how = self.tr("The practice manager loads the NZa tariffs under Admin > Tariffs.")
        return f"{first} {why} {how}"

    def patient_text(self) -> str:
        return self._patient_label.text()

    def econsult_text(self) -> str:
        return self._econsult_label.text()

    def proposal(self) -> Any:
        return self._proposal

    def select_code(self, code: str) -> None:
        index = self._code.findData(code)
        if index >= 0:
            self._code.setCurrentIndex(index)

    def set_reason(self, reason: str) -> None:
        self._reason.setText(reason)

    def by_hand(self) -> bool:
        return self._by_hand

    def can_accept(self) -> bool:
        return not self._needs_reason() or bool(self._reason.text().strip())

    def _needs_reason(self) -> bool:
        return self._by_hand or self._overridden()

    def chosen(self) -> tuple[str, str | None]:
        """(code, override reason): the reason is None when the proposed code stands."""
        code = self._code.currentData()
        if code == self._proposal.code and not self._by_hand:
            return code, None
        return code, self._reason.text().strip() or None

    def accept(self) -> None:
        if self.can_accept():
            super().accept()

    def _overridden(self) -> bool:
        return self._code.currentData() != self._proposal.code

    def _update(self) -> None:
        needed = self._needs_reason()
        self._reason.setEnabled(needed)
        self._reason_label.setEnabled(needed)
        self._hint.setText(self.tr("Declaring by hand needs a reason.") if self._by_hand
                           else self.tr("Another code than proposed needs a reason."))
        self._hint.setVisible(needed and not self._reason.text().strip())
        self._ok.setEnabled(self.can_accept())

    def _code_text(self, code: str, description: str, amount_cents: int) -> str:
        return self.tr("{code} {description} ({amount})").format(
            code=code, description=description, amount=format_euro(amount_cents))
