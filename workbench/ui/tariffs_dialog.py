"""Beheer > Tarieven: the consult tariffs of every year, where each year's amounts come from
and whether they are confirmed, and loading the NZa's file of a year without a new release."""

from __future__ import annotations

import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.services.billing import BillingError, BillingService
from workbench.services.tariffs import TariffFile, TariffFileError, TariffOrigin, TariffTable
from workbench.ui import colours, file_dialogs
from workbench.ui.context import UiContext
from workbench.ui.declare_dialog import format_euro
from workbench.ui.errors import describe_error

log = logging.getLogger(__name__)


class TariffsDialog(QDialog):
    """One row per tariff file found (newest year first): year, the three amounts, where the
    file comes from and its state. "Load NZa tariff file…" checks a file strictly and
    installs it as the practice's file of its year (audited); a refused file is named with
    what is wrong in it.

    Signals:
        loaded(int): the practice's file of this year was installed.
        failed(str): a file was refused or could not be installed; the text says why.
    """

    loaded = Signal(int)
    failed = Signal(str)

    COLUMNS = 5

    def __init__(self, context: UiContext, billing: BillingService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._billing = billing
        self._busy = False
        self.setWindowTitle(self.tr("Tariffs"))
        self.resize(760, 380)

        intro = QLabel(self.tr(
            "Consult amounts per year. A year without a file of its own uses the nearest "
            "earlier year's amounts, marked as to be confirmed. Load the NZa's tariffs of a "
            "year here as soon as they are published."))
        intro.setWordWrap(True)
        self._current = QLabel()
        self._current.setWordWrap(True)
        self._table = QTableWidget(0, self.COLUMNS)
        self._table.setHorizontalHeaderLabels([
            self.tr("Year"), self.tr("12010 / 12011 / 12001"), self.tr("File"),
            self.tr("State"), self.tr("NZa decision")])
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.verticalHeader().setVisible(False)
        self._table.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch)
        self._table.setAccessibleName(self.tr("Tariff files"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.load_button = QPushButton(self.tr("&Load NZa tariff file…"))
        self.load_button.clicked.connect(self.choose_file)
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self._current)
        layout.addWidget(self._table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.refresh()

    # -- contents, for tests and screen readers ----------------------------------------------
    def rows(self) -> list[list[str]]:
        return [[self._table.item(row, column).text() for column in range(self.COLUMNS)]
                for row in range(self._table.rowCount())]

    def current_text(self) -> str:
        return self._current.text()

    def refresh(self) -> None:
        """Reads the folders again (a few small local files)."""
        files = self._billing.tariffs.files()
        self._table.setRowCount(len(files))
        for index, found in enumerate(files):
            cells = [str(found.year), self._amounts(found.table), self._origin(found.origin),
                     self._state(found), found.table.decision if found.table else ""]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setToolTip(str(found.path))
                self._table.setItem(index, column, item)
        self._table.resizeColumnsToContents()
        today = self._context.clock().astimezone().date()
        try:
            table = self._billing.tariffs_for(today)
        except BillingError:
            self._current.setText(self.tr("There are no tariffs for {year}.").format(
                year=today.year))
            self._current.setStyleSheet(f"color: {colours.ALARM_TEXT};")
            return
        if table.confirmed:
            self._current.setText(self.tr("This year ({year}): the confirmed amounts of "
                                          "{year}.").format(year=table.for_year))
            self._current.setStyleSheet("")
        else:
            self._current.setText(self.tr("This year ({day_year}): amounts of {year}; to be "
                                          "confirmed.").format(day_year=table.for_year,
                                                               year=table.year))
            self._current.setStyleSheet(f"color: {colours.CAUTION_TEXT};")

    # -- loading -----------------------------------------------------------------------------
    def choose_file(self) -> None:
        dialog = QFileDialog(self, self.tr("Load NZa tariff file"),
                             file_dialogs.documents_folder(),
                             self.tr("Tariff files (*.json)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        file_dialogs.set_labels(dialog)
        dialog.fileSelected.connect(lambda path: self.load_from(path) if path else None)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def load_from(self, path: str | Path) -> None:
        """Checks and installs the file (on the database lane: the loading is audited)."""
        if self._busy:
            return
        self._busy = True
        self.load_button.setEnabled(False)
        self.status.setText(self.tr("Loading…"))
        billing, actor, source = self._billing, self._context.actor, Path(path)
        self._context.tasks.run_db(lambda: billing.load_tariff_file(source, actor),
                                   self._loaded, self._refused)

    def _loaded(self, table: TariffTable) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy = False
        self.load_button.setEnabled(True)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("The tariffs of {year} are loaded and used from now on.")
                            .format(year=table.year))
        self.refresh()
        self.loaded.emit(table.year)

    def _refused(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy = False
        self.load_button.setEnabled(True)
        if isinstance(exc, TariffFileError):
            log.info("tariff file refused: %s", exc.problem)
            text = self.tr("This file was not loaded: {reason}").format(
                reason=self.problem_text(exc))
        else:
            log.error("tariff file: %s", getattr(exc, "__traceback_text__", exc))
            text = describe_error(exc)
        self.status.setStyleSheet(f"color: {colours.ALARM_TEXT};")
        self.status.setText(text)
        self.failed.emit(text)

    # -- words -------------------------------------------------------------------------------
    def problem_text(self, exc: TariffFileError) -> str:
        """What is wrong with a refused file, in words."""
        words = {
            "unreadable": self.tr("the file cannot be read."),
            "too_large": self.tr("the file is too large for a tariff file."),
            "not_json": self.tr("it is not a tariff file (JSON)."),
            "field": self.tr("the field \u201c{detail}\u201d is missing, unknown or of the "
                             "wrong kind."),
            "year_mismatch": self.tr("its name says {detail}, but it holds another year's "
                                     "tariffs."),
            "codes": self.tr("code {detail} is missing, unknown or listed twice."),
            "range": self.tr("code {detail} has other minutes than the NZa consult codes."),
            "amount": self.tr("the amount of code {detail} is wrong (whole cents, more than "
                              "the shorter consult's)."),
        }
        return words.get(exc.problem, str(exc)).format(detail=exc.detail)

    def _origin(self, origin: TariffOrigin) -> str:
        return {TariffOrigin.PRACTICE: self.tr("Loaded by the practice"),
                TariffOrigin.MACHINE: self.tr("Set by IT (machine-wide)"),
                TariffOrigin.SHIPPED: self.tr("Shipped with Workbench")}[origin]

    def _state(self, found: TariffFile) -> str:
        if found.problem is not None:
            return self.tr("Refused: {reason}").format(reason=self.problem_text(found.problem))
        if not found.in_use:
            return self.tr("Not used: another file of this year comes first")
        assert found.table is not None
        if found.table.to_confirm:
            return self.tr("In use; to be confirmed")
        return self.tr("In use; confirmed")

    @staticmethod
    def _amounts(table: TariffTable | None) -> str:
        if table is None:
            return ""
        return " / ".join(format_euro(code.amount_cents) for code in table.codes)
