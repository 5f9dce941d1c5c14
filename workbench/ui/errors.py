"""Failures in words for the people at the front desk and in the consult room."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from workbench.services.errors import ErrorKind, classify


def describe_error(exc: BaseException) -> str:
    kind = classify(exc)
    return {
        ErrorKind.CONFIGURATION: QCoreApplication.translate("Errors", "Workbench is not set up completely; ask IT to check "
                                     "the configuration."),
        ErrorKind.INSECURE_PORTAL_URL: QCoreApplication.translate("Errors", "The portal address is not secure (https is "
                                           "required); ask IT."),
        ErrorKind.CERTIFICATE: QCoreApplication.translate("Errors", "The portal's certificate is not trusted; ask IT."),
        ErrorKind.CREDENTIALS: QCoreApplication.translate("Errors", "The portal refused this workstation's login; ask IT."),
        ErrorKind.PORTAL_UNREACHABLE: QCoreApplication.translate("Errors", "The portal cannot be reached; Workbench tries "
                                          "again later."),
        ErrorKind.PORTAL_PROTOCOL: QCoreApplication.translate("Errors", "The portal gave an unreadable answer; Workbench tries "
                                       "again later."),
        ErrorKind.PORTAL_OTHER: QCoreApplication.translate("Errors", "The portal reported a problem; Workbench tries again "
                                    "later."),
        ErrorKind.KEYRING: QCoreApplication.translate("Errors", "This computer has no keyring to keep the portal "
                               "login in; ask IT."),
        ErrorKind.AUDIT_UNAVAILABLE: QCoreApplication.translate(
            "Errors", "This workstation cannot record who sees what (no audit key); ask IT."),
        ErrorKind.DATABASE_TOO_NEW: QCoreApplication.translate("Errors", "The database belongs to a newer version of "
                                        "Workbench; ask IT to install that version here."),
        ErrorKind.DATABASE_NOT_MIGRATED: QCoreApplication.translate("Errors", "The database needs an upgrade; ask IT."),
        ErrorKind.DATABASE_UNREACHABLE: QCoreApplication.translate("Errors", "The database cannot be reached; ask IT."),
        ErrorKind.DATABASE_OTHER: QCoreApplication.translate("Errors", "The database reported a problem; ask IT."),
        ErrorKind.UNEXPECTED: QCoreApplication.translate("Errors", "Something unexpected went wrong; the details are in the "
                                  "log."),
    }[kind]
