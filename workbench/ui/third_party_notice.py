"""The notice shown when someone else wrote for the patient: age rules and consent."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from workbench.services.replies import (
    ThirdPartyRule,
)
from workbench.ui import colours


class ThirdPartyNotice(QFrame):
    """Who may receive the answer when someone other than the patient wrote (WGBO ages).

    Signals:
        consent_confirmed(): the user confirms the 12-to-15-year-old agreed.
    """

    consent_confirmed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thirdPartyNotice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._label = QLabel()
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        self._label.setWordWrap(True)
        self.confirm_button = QPushButton(self.tr("Consent confirmed"))
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.clicked.connect(lambda _checked=False: self.consent_confirmed.emit())
        layout = QHBoxLayout(self)
        layout.addWidget(self._label, 1)
        layout.addWidget(self.confirm_button)
        self.rule: ThirdPartyRule | None = None
        self.show_rule(None)

    def text(self) -> str:
        return self._label.text()

    def show_rule(self, rule: ThirdPartyRule | None, confirmed: bool = False) -> None:
        self.rule = rule
        self.setVisible(rule is not None)
        self.confirm_button.setVisible(rule is not None and rule.rule == "child_consent_needed"
                                       and not confirmed)
        if rule is None:
            return
        sender = rule.sender_name
        if rule.relation:
            sender = f"{rule.sender_name} ({rule.relation})"
        warning = rule.rule == "young_adult_consent"
        # The text colour too: a dark palette's light text is unreadable on the yellow.
        self.setStyleSheet(f"#thirdPartyNotice {{ background-color: {colours.WARNING_BACKGROUND};"
                           f" }} #thirdPartyNotice QLabel {{ color: {colours.TEXT}; }}"
                           if warning else "")
        # The header already says who wrote; this says what that means (WGBO ages).
        if rule.subject_age is None:
            text = self.tr("The patient's age is not known: check whether {sender} may "
                           "receive the answer.").format(sender=sender)
        elif rule.rule == "parent_decides":
            text = self.tr("The patient is under 12: the parent decides, and the answer goes "
                           "to {sender}.").format(sender=sender)
        elif rule.rule == "child_consent_needed":
            text = self.tr("The child's consent is needed (12 to 15 years).")
            if confirmed:
                text += " " + self.tr("Consent is recorded.")
        else:
            text = self.tr("A parent has no access without the young person's consent "
                           "(16 years and older). Sending asks you to confirm it.")
        self._label.setText(text)
