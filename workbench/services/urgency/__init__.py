"""Urgency advice on a Dutch clinical-text pipeline (clinlp): alarm signs as data in
`resources/alarm_signs/`, context (negation, past, hypothetical, family history) from
`resources/urgency_context_rules.json`, ages from the record and the text."""

from workbench.services.urgency.advisor import (
    WRITERS,
    AlarmFinding,
    UrgencyAdvisor,
    advise_request,
    default_advisor,
    default_advisor_ready,
)

AlarmMatch = AlarmFinding  # the old name, for code not yet moved to `advise`

__all__ = ["WRITERS", "AlarmFinding", "AlarmMatch", "UrgencyAdvisor", "advise_request",
           "default_advisor", "default_advisor_ready"]
