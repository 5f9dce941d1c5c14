"""Sorts failures into the kinds a user or IT person can act on (texts live in cli and ui)."""

from __future__ import annotations

import enum

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from workbench.config import ConfigError


class ErrorKind(str, enum.Enum):
    CONFIGURATION = "configuration"
    INSECURE_PORTAL_URL = "insecure_portal_url"
    CERTIFICATE = "certificate"
    CREDENTIALS = "credentials"
    PORTAL_UNREACHABLE = "portal_unreachable"
    PORTAL_PROTOCOL = "portal_protocol"
    PORTAL_OTHER = "portal_other"
    KEYRING = "keyring"
    AUDIT_UNAVAILABLE = "audit_unavailable"
    DATABASE_TOO_NEW = "database_too_new"
    DATABASE_NOT_MIGRATED = "database_not_migrated"
    DATABASE_UNREACHABLE = "database_unreachable"
    DATABASE_OTHER = "database_other"
    UNEXPECTED = "unexpected"


class ActionRefused(Exception):
    """A user's action that cannot be done; `code` tells the UI which message to show."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class AuditUnavailable(ActionRefused):
    """An audit event cannot be chained (no audit key on this workstation, or the chain's
    head is gone), so what it would record must not happen: nothing is shown or done."""

    def __init__(self, reason: str = "no_key") -> None:
        super().__init__("audit_unavailable")
        self.reason = reason  # "no_key", "no_keyring" or "no_head"


class DatabaseNotMigrated(Exception):
    """The database exists but its schema is older than this version expects."""


class DatabaseTooNew(DatabaseNotMigrated):
    """The database was migrated by a newer Workbench; this version must not write to it."""


def classify(exc: BaseException) -> ErrorKind:
    from keyring.errors import KeyringError

    from workbench.services.portal_client import (
        CertificateNotTrusted,
        CredentialsRejected,
        InsecurePortalUrl,
        PortalError,
        PortalProtocolError,
        PortalUnreachable,
    )
    ordered = (
        (ConfigError, ErrorKind.CONFIGURATION),
        (InsecurePortalUrl, ErrorKind.INSECURE_PORTAL_URL),
        (CertificateNotTrusted, ErrorKind.CERTIFICATE),
        (CredentialsRejected, ErrorKind.CREDENTIALS),
        (PortalUnreachable, ErrorKind.PORTAL_UNREACHABLE),
        (PortalProtocolError, ErrorKind.PORTAL_PROTOCOL),
        (PortalError, ErrorKind.PORTAL_OTHER),
        (KeyringError, ErrorKind.KEYRING),
        (AuditUnavailable, ErrorKind.AUDIT_UNAVAILABLE),
        (DatabaseTooNew, ErrorKind.DATABASE_TOO_NEW),
        (DatabaseNotMigrated, ErrorKind.DATABASE_NOT_MIGRATED),
        (OperationalError, ErrorKind.DATABASE_UNREACHABLE),
        (SQLAlchemyError, ErrorKind.DATABASE_OTHER),
    )
    return next((kind for cls, kind in ordered if isinstance(exc, cls)), ErrorKind.UNEXPECTED)
