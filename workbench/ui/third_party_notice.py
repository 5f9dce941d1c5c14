"""The notice shown when someone other than the patient wrote: who that is to the patient in
law (WGBO), what must be settled before the answer may go to them, and the buttons that
settle it. What was recorded before is read back, not asked again."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.services.third_party import Choice, Role, Rule, ThirdPartyRule
from workbench.ui import colours


class ThirdPartyNotice(QFrame):
    """Signals:
        choice_made(str, object): a Choice value, with the reason (str) for "reason_stated".
        consent_confirmed(): the 12-to-15-year-old's consent (also sent as choice_made).
    """

    choice_made = Signal(str, object)
    consent_confirmed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thirdPartyNotice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._label = QLabel()
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        self._label.setWordWrap(True)

        def button(text: str, choice: Choice) -> QPushButton:
            made = QPushButton(text)
            made.setAutoDefault(False)
            made.clicked.connect(lambda _checked=False: self._choose(choice))
            return made

        self.gezag_button = button(self.tr("Parent has authority (gezag)"), Choice.GEZAG)
        self.confirm_button = button(self.tr("Consent confirmed"), Choice.CHILD_CONSENT)
        self.reason_button = button(self.tr("State a reason…"), Choice.REASON)
        self.cannot_decide_button = button(self.tr("Patient cannot decide"),
                                           Choice.CANNOT_DECIDE)
        self.patient_agreed_button = button(self.tr("Patient agreed"), Choice.PATIENT_CONSENT)
        self.to_patient_button = button(self.tr("Answer the patient instead"),
                                        Choice.ANSWER_PATIENT)
        buttons = QHBoxLayout()
        for made in (self.gezag_button, self.confirm_button, self.reason_button,
                     self.cannot_decide_button, self.patient_agreed_button,
                     self.to_patient_button):
            buttons.addWidget(made)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self._label)
        layout.addLayout(buttons)
        self.rule: ThirdPartyRule | None = None
        self.show_rule(None)

    def text(self) -> str:
        return self._label.text()

    def show_rule(self, rule: ThirdPartyRule | None, confirmed: bool = False) -> None:
        """`confirmed`: the child's consent was just recorded (before the rule is read
        again)."""
        self.rule = rule
        self.setVisible(rule is not None)
        if rule is None:
            return
        recorded = set(rule.recorded) | ({Choice.CHILD_CONSENT.value} if confirmed else set())
        kind = Rule(rule.rule)
        cleared = rule.cleared or (kind is Rule.CHILD_CONSENT_NEEDED and confirmed)
        self._label.setText(self._describe(rule, kind, recorded, cleared))
        open_ = not cleared
        self.gezag_button.setVisible(kind is Rule.GEZAG_UNCONFIRMED)
        self.confirm_button.setVisible(open_ and kind is Rule.CHILD_CONSENT_NEEDED)
        self.reason_button.setVisible(open_ and kind is Rule.CHILD_CONSENT_NEEDED)
        self.cannot_decide_button.setVisible(open_ and kind is Rule.FAMILY_UNCONFIRMED)
        self.patient_agreed_button.setVisible(open_ and kind in (
            Rule.FAMILY_UNCONFIRMED, Rule.NOT_REPRESENTATIVE))
        self.to_patient_button.setVisible(open_ and kind in (
            Rule.GEZAG_UNCONFIRMED, Rule.CHILD_CONSENT_NEEDED, Rule.FAMILY_UNCONFIRMED,
            Rule.NOT_REPRESENTATIVE, Rule.YOUNG_ADULT_CONSENT))
        warning = open_ and kind is not Rule.PARENT_DECIDES
        # The text colour too: a dark palette's light text is unreadable on the yellow.
        self.setStyleSheet(f"#thirdPartyNotice {{ background-color: {colours.WARNING_BACKGROUND};"
                           f" }} #thirdPartyNotice QLabel {{ color: {colours.TEXT}; }}"
                           if warning else "")

    def _describe(self, rule: ThirdPartyRule, kind: Rule, recorded: set[str],
                  cleared: bool) -> str:
        sender = f"{rule.sender_name} ({rule.relation})" if rule.relation else rule.sender_name
        role = Role(rule.writer_role)
        if kind is Rule.PARENT_DECIDES:
            text = self.tr("The patient is under 12: {sender} has authority and decides; the "
                           "answer goes to them.")
        elif kind is Rule.GEZAG_UNCONFIRMED:
            text = self.tr("{sender} is a parent. Only a parent with parental authority (gezag) "
                           "or a guardian may receive the answer about a child. Check it once "
                           "for this child, or answer the patient.")
        elif kind is Rule.CHILD_CONSENT_NEEDED:
            text = self.tr("The child is 12 to 15: the answer goes to {sender} only with the "
                           "child's consent, or a reason you state.")
        elif kind is Rule.YOUNG_ADULT_CONSENT and rule.subject_age is None:
            text = self.tr("The patient's age is not known: the answer goes to {sender} only "
                           "with the patient's consent. Sending asks you to confirm it.")
        elif kind is Rule.YOUNG_ADULT_CONSENT:
            text = self.tr("The patient is 16 or older and decides: the answer goes to "
                           "{sender} only with the patient's consent. Sending asks you to "
                           "confirm it.")
        elif kind is Rule.ADULT_REPRESENTATIVE and role is Role.AUTHORISED:
            text = self.tr("{sender} is the patient's authorised representative (gemachtigde); "
                           "the answer goes to them.")
        elif kind is Rule.ADULT_REPRESENTATIVE:
            text = self.tr("{sender} is the patient's mentor or curator; the answer goes to "
                           "them.")
        elif kind is Rule.FAMILY_UNCONFIRMED:
            text = self.tr("{sender} represents the patient only when the patient cannot "
                           "decide. Confirm that, or that the patient agreed, or answer the "
                           "patient.")
        else:
            text = self.tr("{sender} is not the patient's legal representative: answer the "
                           "patient, or ask the patient's consent.")
        text = text.format(sender=sender)
        if Choice.ANSWER_PATIENT.value in recorded:
            text += " " + self.tr("The answer goes to the patient.")
        elif cleared and recorded & {Choice.CHILD_CONSENT.value, Choice.PATIENT_CONSENT.value}:
            text += " " + self.tr("Consent is recorded.")
        elif cleared and Choice.REASON.value in recorded:
            text += " " + self.tr("A reason is recorded.")
        elif cleared and Choice.CANNOT_DECIDE.value in recorded:
            text += " " + self.tr("Recorded: the patient cannot decide.")
        return text

    def _choose(self, choice: Choice) -> None:
        if choice is Choice.REASON:
            self.ask_reason()
            return
        self.choice_made.emit(choice.value, None)
        if choice is Choice.CHILD_CONSENT:
            self.consent_confirmed.emit()

    def ask_reason(self) -> QInputDialog:
        """Why the answer may go to the parent without the child's consent (window-modal,
        not blocking); an empty reason records nothing."""
        dialog = QInputDialog(self)
        dialog.setObjectName("thirdPartyReason")
        dialog.setWindowTitle(self.tr("Reason"))
        dialog.setLabelText(self.tr("Why may the answer go to the parent without the child's "
                                    "consent?"))

        def chosen(text: str) -> None:
            if text.strip():
                self.choice_made.emit(Choice.REASON.value, text.strip())

        dialog.textValueSelected.connect(chosen)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog
