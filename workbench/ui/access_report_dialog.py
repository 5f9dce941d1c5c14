"""Beheer > Inzageverzoek: a patient's access report (who saw or did what with their
e-consults), previewed as the Dutch text it is and saved as text or CSV."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path

import shiboken6
from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.services.access_report import AccessReport, AccessReportService
from workbench.services.errors import ActionRefused, ErrorKind, classify
from workbench.ui import file_dialogs
from workbench.ui.context import UiContext
from workbench.ui.errors import describe_error
from workbench.ui.plain_text import plain_label

log = logging.getLogger(__name__)

DEFAULT_DAYS = 365  # a patient usually asks about the last year


class AccessReportDialog(QDialog):
    """BSN and period in, "Make report" shows the report (and audits it), "Save…" writes it
    as .txt or .csv. Whether people are named follows the practice's setting
    (access_report_names), which is shown but not changed here.

    Signals:
        saved(str): the report was written to this file.
    """

    saved = Signal(str)

    def __init__(self, context: UiContext, service: AccessReportService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._service = service
        self._report: AccessReport | None = None
        self._busy = False
        self.setWindowTitle(self.tr("Access report"))

        self.bsn = QLineEdit()
        self.bsn.setPlaceholderText(self.tr("9 digits"))
        self.bsn.setAccessibleName(self.tr("BSN of the patient"))
        self.bsn.setMaxLength(14)  # room for dots or spaces as people type them
        today = context.clock().astimezone().date()
        self.day_from = self._date_edit(today - timedelta(days=DEFAULT_DAYS))
        self.day_to = self._date_edit(today)
        period = QHBoxLayout()
        period.addWidget(self.day_from)
        period.addWidget(QLabel(self.tr("to")))
        period.addWidget(self.day_to)
        period.addStretch(1)
        self.names = QCheckBox(self.tr("Names of the people (practice setting)"))
        self.names.setChecked(service.names)
        self.names.setEnabled(False)  # IT's machine-wide choice, not the user's
        form = QFormLayout()
        form.addRow(self.tr("&BSN:"), self.bsn)
        form.addRow(self.tr("Period:"), period)
        form.addRow("", self.names)

        self.preview = QPlainTextEdit()  # plain text only: exactly what the file will hold
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName(self.tr("Report"))
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setPlaceholderText(self.tr("Type the BSN and the period, then choose "
                                                "'Make report'."))
        self.status = plain_label()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.make_button = QPushButton(self.tr("&Make report"))
        self.save_button = QPushButton(self.tr("&Save…"))
        self.buttons.addButton(self.make_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.make_button.clicked.connect(lambda _checked=False: self.make())
        self.save_button.clicked.connect(lambda _checked=False: self.choose_file())
        self.make_button.setDefault(True)
        self.bsn.returnPressed.connect(self.make)
        for edit in (self.day_from, self.day_to):
            edit.dateChanged.connect(lambda _date: self._forget())
        self.bsn.textChanged.connect(lambda _text: self._forget())

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(760, 560)
        self._update()
        self.bsn.setFocus()

    # -- public API --------------------------------------------------------------------------
    def period(self) -> tuple[date, date]:
        return self.day_from.date().toPython(), self.day_to.date().toPython()

    def report(self) -> AccessReport | None:
        return self._report

    def make(self) -> None:
        """Make the report off the GUI thread; it shows once it is made and audited."""
        if self._busy:
            return
        day_from, day_to = self.period()
        bsn, actor, service = self.bsn.text(), self._context.actor, self._service
        self._busy = True
        self._forget()
        self.status.setText(self.tr("Making the report…"))
        self._update()
        self._context.tasks.run_db(lambda: service.make(bsn, day_from, day_to, actor),
                                   self._made, self._failed)

    def choose_file(self) -> None:
        if self._report is None:
            return
        name = f"inzage_{self._report.bsn}_{self._report.day_from:%Y%m%d}_" \
               f"{self._report.day_to:%Y%m%d}.txt"
        dialog = QFileDialog(self, self.tr("Save access report"),
                             file_dialogs.in_documents(name),
                             self.tr("Text (*.txt);;CSV for a spreadsheet (*.csv)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("txt")
        file_dialogs.set_labels(dialog)
        dialog.filterSelected.connect(
            lambda chosen: dialog.setDefaultSuffix("csv" if "*.csv" in chosen else "txt"))
        dialog.fileSelected.connect(lambda path: self.save_to(path) if path else None)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def save_to(self, path: str | Path) -> None:
        """Write the report shown: CSV for a .csv name, else text; readable by the owner
        only."""
        report, target = self._report, Path(path)
        if report is None:
            return
        if target.suffix.lower() not in (".txt", ".csv"):
            target = target.with_name(target.name + ".txt")

        def done(_written: object) -> None:
            if shiboken6.isValid(self):
                self.status.setText(self.tr("Saved to {file}").format(file=str(target)))
                self.saved.emit(str(target))

        self._context.tasks.run_io(lambda: AccessReportService.write(report, target), done,
                                   self._failed)

    # -- internals ---------------------------------------------------------------------------
    def _date_edit(self, day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day))
        edit.setDisplayFormat("dd-MM-yyyy")
        edit.setCalendarPopup(True)
        return edit

    def _made(self, report: AccessReport) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy = False
        self._report = report
        self.preview.setPlainText(report.text())
        count = len(report.lines)
        self.status.setText(self.tr("%n event(s) in this period.", "", count))
        self._update()

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy = False
        self._update()
        if isinstance(exc, OSError):
            self.status.setText(self.tr("The report could not be saved: {reason}").format(
                reason=exc.strerror or str(exc)))
        elif isinstance(exc, ActionRefused) and exc.code in self._refusals():
            self.status.setText(self._refusals()[exc.code])
        elif classify(exc) is not ErrorKind.UNEXPECTED:
            self.status.setText(describe_error(exc))
        else:
            self.status.clear()
            self._context.tasks.unexpected_error.emit(exc)

    def _refusals(self) -> dict[str, str]:
        return {
            "bsn_invalid": self.tr("A BSN has 9 digits."),
            "period_invalid": self.tr("The period ends before it starts."),
            "not_allowed": self.tr("Only the practice manager may make access reports."),
        }

    def _forget(self) -> None:
        """A report shown is one of exactly the BSN and period above it."""
        if self._report is not None:
            self._report = None
            self.preview.clear()
            self.status.clear()
        self._update()

    def _update(self) -> None:
        self.make_button.setEnabled(not self._busy)
        self.save_button.setEnabled(self._report is not None and not self._busy)
