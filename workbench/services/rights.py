"""Rights per role (NEN 7510 access control): what each role may do, checked in the service
layer so a hidden button is never the only guard."""

from __future__ import annotations

import enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.errors import ActionRefused
from workbench.store.models import Practitioner, Role


class Permission(enum.Enum):
    RECEIVE_ROUTED_WORK = "receive_routed_work"  # be the target of a routed e-consult
    TRIAGE = "triage"                            # route, close, flag urgent, record calls
    ANSWER = "answer"                            # write to patients
    MANAGE_USERS = "manage_users"
    EXPORT_DECLARATIONS = "export_declarations"  # a file of BSNs leaves the store
    AUDIT_REPORT = "audit_report"                # a patient's access report
    VERIFY_AUDIT = "verify_audit"


_CLINICIAN = frozenset({Permission.RECEIVE_ROUTED_WORK, Permission.TRIAGE, Permission.ANSWER})

# The praktijkmanager manages and accounts for the practice, and sees nothing clinical.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.GP: _CLINICIAN,
    Role.POH: _CLINICIAN,
    Role.ASSISTANT: frozenset({Permission.TRIAGE, Permission.ANSWER}),
    Role.MANAGER: frozenset({Permission.MANAGE_USERS, Permission.EXPORT_DECLARATIONS,
                             Permission.AUDIT_REPORT, Permission.VERIFY_AUDIT}),
}


class NotAllowed(ActionRefused):
    """The person's role does not give this right (code "not_allowed")."""

    def __init__(self, permission: Permission) -> None:
        super().__init__("not_allowed")
        self.permission = permission


def allowed(role: Role | str | None, permission: Permission) -> bool:
    """Whether `role` gives `permission`; a person without a (known) role has no rights."""
    try:
        role = Role(role) if role is not None else None
    except ValueError:
        return False
    return role is not None and permission in ROLE_PERMISSIONS.get(role, frozenset())


def require(session: Session, user_id: int, permission: Permission) -> None:
    """Refuses (NotAllowed, code "not_allowed") unless `user_id` is an active person whose
    role gives `permission`, as the store says now."""
    role = session.scalar(select(Practitioner.role).where(Practitioner.id == user_id,
                                                          Practitioner.active))
    if not allowed(role, permission):
        raise NotAllowed(permission)
