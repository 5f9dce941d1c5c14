"""Who may receive an answer when someone other than the patient wrote (WGBO, art. 7:465 BW).

The portal's `RelatedPerson.relationship` says who someone is, not whether they may act for
the patient:
- a child under 16 is represented by a parent with authority (gezag) or a guardian (voogd):
  a parent's gezag the practice confirms once per child and writer; under 12 the
  representative decides, from 12 to 15 the child's consent is needed too;
- from 16 the young person decides alone: the answer goes to someone else only with their
  consent; an unknown age is treated the same way;
- an adult is represented by a mentor or curator, or a gemachtigde; partner or close family
  only when the patient cannot decide, which the practice confirms;
- anyone else (grandparent, sibling of a child, neighbour, friend, an unknown code) is no
  legal representative: answer the patient, or ask the patient's consent.

Choices are recorded as audit events (THIRD_PARTY_CHOICE) and read back: an e-consult
reopened does not ask again, and a parent's confirmed gezag holds for the same child."""

from __future__ import annotations

import enum
from dataclasses import dataclass

PARENT_CODES = frozenset({"MTH", "FTH", "PRN", "NMTH", "NFTH", "STPMTH", "STPFTH",
                          "ADOPTMTH", "ADOPTFTH", "ADOPTP"})
GUARDIAN_CODES = frozenset({"GUARD"})
AUTHORISED_CODES = frozenset({"POWATT", "HPOWATT"})  # gemachtigde (schriftelijk)
# Partner and close family: the adult patient's representative only when the patient cannot
# decide (art. 7:465 lid 3 BW), confirmed by the practice.
CLOSE_FAMILY_CODES = frozenset({
    "SPS", "HUSB", "WIFE", "DOMPART", "SIGOTHR", "FMRSPS",
    "CHILD", "SON", "DAU", "NCHILD", "SONC", "DAUC", "CHLDADOPT", "CHLDINLAW",
    "SIB", "BRO", "SIS", "NSIB", "NBRO", "NSIS", "TWIN",
}) | PARENT_CODES

YOUNGEST_WITH_SAY = 12   # from here the child's consent is needed as well
AGE_OF_DISCRETION = 16   # from here the young person decides alone
ADULT = 18


class Rule(str, enum.Enum):
    PARENT_DECIDES = "parent_decides"              # under 12, writer is the representative
    CHILD_CONSENT_NEEDED = "child_consent_needed"  # 12-15: the child's consent, or a reason
    GEZAG_UNCONFIRMED = "gezag_unconfirmed"        # a parent whose gezag is not confirmed
    YOUNG_ADULT_CONSENT = "young_adult_consent"    # 16+ or age unknown: the patient's consent
    ADULT_REPRESENTATIVE = "adult_representative"  # mentor, curator or gemachtigde
    FAMILY_UNCONFIRMED = "family_unconfirmed"      # adult's family: patient cannot decide?
    NOT_REPRESENTATIVE = "not_representative"      # answer the patient or ask consent


class Choice(str, enum.Enum):
    """What the person answering recorded (audit detail "choice")."""

    CHILD_CONSENT = "child_consent_confirmed"
    REASON = "reason_stated"                       # why the answer may go anyway, with reason
    GEZAG = "gezag_confirmed"                      # per child and writer
    PATIENT_CONSENT = "young_adult_consent_confirmed"  # the patient agreed (16+, unknown age)
    CANNOT_DECIDE = "patient_cannot_decide"        # adult: family represents them
    ANSWER_PATIENT = "answer_to_patient"           # the answer goes to the patient instead


class Role(str, enum.Enum):
    """What the writer is to the patient, as the wording names it."""

    PARENT = "parent"
    GUARDIAN = "guardian"          # voogd of a child, mentor or curator of an adult
    AUTHORISED = "authorised"      # gemachtigde
    FAMILY = "family"
    OTHER = "other"


@dataclass(frozen=True)
class ThirdPartyRule:
    rule: str                      # a Rule value
    subject_age: int | None
    sender_name: str
    relation: str | None
    writer_role: str = Role.OTHER.value
    # What was recorded for this e-consult (and a parent's gezag for this child): read back.
    recorded: frozenset[str] = frozenset()

    @property
    def cleared(self) -> bool:
        """The answer may go to the writer without asking anything more."""
        return _cleared(Rule(self.rule), self.recorded)

    @property
    def to_patient(self) -> bool:
        return Choice.ANSWER_PATIENT.value in self.recorded


def writer_role(code: str | None, age: int | None) -> Role:
    code = (code or "").upper()
    if code in GUARDIAN_CODES:
        return Role.GUARDIAN
    if code in AUTHORISED_CODES:
        return Role.AUTHORISED
    if code in PARENT_CODES and (age is None or age < ADULT):
        return Role.PARENT
    if code in CLOSE_FAMILY_CODES:
        return Role.FAMILY
    return Role.OTHER


def rule_for(age: int | None, role: Role, gezag_confirmed: bool) -> Rule:
    """The rule for a writer in `role` about a patient of `age` (None: not known)."""
    if age is None:
        return Rule.YOUNG_ADULT_CONSENT  # as 16 and older, confirmed at send
    if age < AGE_OF_DISCRETION:
        if role is Role.PARENT and not gezag_confirmed:
            return Rule.GEZAG_UNCONFIRMED
        if role not in (Role.PARENT, Role.GUARDIAN):
            return Rule.NOT_REPRESENTATIVE
        return Rule.PARENT_DECIDES if age < YOUNGEST_WITH_SAY else Rule.CHILD_CONSENT_NEEDED
    if age < ADULT:
        return Rule.YOUNG_ADULT_CONSENT
    if role in (Role.GUARDIAN, Role.AUTHORISED):
        return Rule.ADULT_REPRESENTATIVE
    if role in (Role.FAMILY, Role.PARENT):
        return Rule.FAMILY_UNCONFIRMED
    return Rule.NOT_REPRESENTATIVE


def _cleared(rule: Rule, recorded: frozenset[str]) -> bool:
    if Choice.ANSWER_PATIENT.value in recorded:
        return True
    if rule in (Rule.PARENT_DECIDES, Rule.ADULT_REPRESENTATIVE):
        return True
    if rule is Rule.CHILD_CONSENT_NEEDED:
        return bool({Choice.CHILD_CONSENT.value, Choice.REASON.value} & recorded)
    if rule is Rule.FAMILY_UNCONFIRMED:
        return bool({Choice.CANNOT_DECIDE.value, Choice.PATIENT_CONSENT.value} & recorded)
    if rule in (Rule.YOUNG_ADULT_CONSENT, Rule.NOT_REPRESENTATIVE):
        return Choice.PATIENT_CONSENT.value in recorded
    return False  # GEZAG_UNCONFIRMED: confirm the gezag first
