"""At the start of the window, the praktijkmanager hears when the audit trail is not intact
(see services/audit_verify.py); the others need not, and the check costs a walk of the
chain, so it runs for the manager only, on the store's lane."""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox

from workbench.services.audit_verify import ChainReport, anchor_path, verify_chain
from workbench.store.models import Role
from workbench.ui.context import UiContext
from workbench.ui.errors import describe_error

log = logging.getLogger(__name__)


def check_audit_trail_for_manager(window: QMainWindow, context: UiContext) -> None:
    if context.user.role is not Role.MANAGER:
        return
    engine = context.engine
    anchor = anchor_path(context.settings.resolved_data_dir())
    context.tasks.run_db(lambda: verify_chain(engine, anchor_file=anchor),
                         lambda report: _reported(window, report),
                         lambda exc: _warn(window, describe_error(exc)))


def _reported(window: QMainWindow, report: ChainReport) -> None:
    if report.ok:
        return
    problem = report.problem
    log.warning("audit trail not intact: %s", problem.text)
    _warn(window, problem_text(problem.kind, problem.event_id))


def problem_text(kind: str, event_id: int | None) -> str:
    translate = QCoreApplication.translate  # literal texts, so lupdate finds them
    number = str(event_id) if event_id is not None else "?"
    texts = {
        "changed": translate("AuditWarning", "Audit event %1 has been changed, or was written "
                             "without the practice's audit key."),
        "missing": translate("AuditWarning", "Audit events have been deleted just before "
                             "event %1."),
        "unchained": translate("AuditWarning", "Audit event %1 was added without the "
                               "practice's audit key."),
        "anchor_unreadable": translate("AuditWarning", "This workstation's record of the audit "
                                       "trail (audit-anchor.json) cannot be read."),
    }
    return texts.get(kind, translate(
        "AuditWarning", "Audit events have been removed from the end of the audit trail, or "
        "added without the practice's audit key.")).replace("%1", number)


def _warn(window: QMainWindow, what: str) -> None:
    if not shiboken6.isValid(window):
        return
    title = QCoreApplication.translate("AuditWarning", "The audit trail is not intact")
    window.statusBar().showMessage(title)
    box = QMessageBox(QMessageBox.Icon.Warning, title, what + "\n\n" + QCoreApplication.translate(
        "AuditWarning", "The record of who saw and did what can no longer be relied on. Ask IT "
        "to run \u201cworkbench audit verify\u201d and to find out what happened."),
        QMessageBox.StandardButton.Ok, window)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setObjectName("auditWarning")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    window.audit_warning = box  # for tests, and kept alive while open
