"""Failures in words for the people at the front desk and in the consult room."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from workbench.services.errors import ErrorKind, classify


def _tr(text: str) -> str:
    return QCoreApplication.translate("Errors", text)


def describe_error(exc: BaseException) -> str:
    kind = classify(exc)
    return {
        ErrorKind.CONFIGURATION: _tr("Workbench is not set up completely; ask IT to check "
                                     "the configuration."),
        ErrorKind.INSECURE_PORTAL_URL: _tr("The portal address is not secure (https is "
                                           "required); ask IT."),
        ErrorKind.CERTIFICATE: _tr("The portal's certificate is not trusted; ask IT."),
        ErrorKind.CREDENTIALS: _tr("The portal refused this workstation's login; ask IT."),
        ErrorKind.PORTAL_UNREACHABLE: _tr("The portal cannot be reached; Workbench tries "
                                          "again later."),
        ErrorKind.PORTAL_PROTOCOL: _tr("The portal gave an unreadable answer; Workbench tries "
                                       "again later."),
        ErrorKind.PORTAL_OTHER: _tr("The portal reported a problem; Workbench tries again "
                                    "later."),
        ErrorKind.DATABASE_NOT_MIGRATED: _tr("The database needs an upgrade; ask IT."),
        ErrorKind.DATABASE_UNREACHABLE: _tr("The database cannot be reached; ask IT."),
        ErrorKind.DATABASE_OTHER: _tr("The database reported a problem; ask IT."),
        ErrorKind.UNEXPECTED: _tr("Something unexpected went wrong; the details are in the "
                                  "log."),
    }[kind]
