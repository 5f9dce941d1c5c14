"""The Declarations window: declared consults per day and person, totals, time chart, CSV."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QRectF, QStandardPaths, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.services.billing import PRACTICE_TZ, BillingService
from workbench.services.rights import Permission, allowed
from workbench.services.tariffs import TariffTable
from workbench.store.models import Role
from workbench.ui import colours, file_dialogs, labels
from workbench.ui.billing_timer import format_duration
from workbench.ui.context import UiContext
from workbench.ui.declare_dialog import format_day, format_euro
from workbench.ui.errors import describe_error

log = logging.getLogger(__name__)


class TimeChart(QWidget):
    """Bars of direct time (minutes) per day, drawn with QPainter.

    Signals: none.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data: list[tuple[date, int]] = []
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("Time per day"))

    def set_data(self, data: Sequence[tuple[date, float]]) -> None:
        self._data = sorted((day, int(seconds)) for day, seconds in data)
        total = sum(seconds for _day, seconds in self._data)
        self.setToolTip(self.tr("{days} days, {time} in total").format(
            days=len(self._data), time=format_duration(total)))
        self.update()

    def data(self) -> list[tuple[date, int]]:
        return list(self._data)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.base())
        text_height = self.fontMetrics().height()
        area = QRectF(self.rect()).adjusted(8, 8 + text_height, -8, -8 - text_height)
        peak = max((seconds for _day, seconds in self._data), default=0)
        if peak <= 0 or area.width() <= 0 or area.height() <= 0:
            painter.setPen(palette.text().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             self.tr("No time recorded in this period"))
            return
        painter.setPen(palette.text().color())
        painter.drawText(QRectF(8, 4, area.width(), text_height), Qt.AlignmentFlag.AlignLeft,
                         self.tr("max {minutes} min/day").format(minutes=round(peak / 60)))
        slot = area.width() / len(self._data)
        bar_width = max(1.0, slot * 0.7)
        painter.setPen(QPen(palette.mid().color()))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        colour = QColor(colours.CHART_BAR)
        label_every = max(1, int(len(self._data) / max(1.0, area.width() / 48)))
        for index, (day, seconds) in enumerate(self._data):
            height = area.height() * max(0, seconds) / peak
            left = area.left() + index * slot + (slot - bar_width) / 2
            painter.fillRect(QRectF(left, area.bottom() - height, bar_width, height), colour)
            if index % label_every == 0:
                painter.setPen(palette.text().color())
                painter.drawText(QRectF(max(0.0, area.left() + index * slot - 12), area.bottom() + 2,
                                        slot + 24, text_height),
                                 Qt.AlignmentFlag.AlignHCenter, f"{day:%d-%m}")
        painter.end()


class DeclarationsView(QDialog):
    """Declarations in a period (default the last four weeks): per day and person, per code
    the count, time and amount, a grand total, time per day as bars, and CSV export.

    Signals:
        loaded(): the table and chart show the chosen period.
        exported(str): the CSV file was written (its path).
        failed(str): loading or exporting failed; the text says so in words.
    """

    loaded = Signal()
    exported = Signal(str)
    failed = Signal(str)

    COLUMNS = 6

    def __init__(self, context: UiContext, billing: BillingService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._billing = billing
        self._generation = 0
        self.setWindowTitle(self.tr("Declarations"))
        self.resize(760, 560)

        # The practice's day, as declarations are dated (not this computer's time zone).
        today = context.clock().astimezone(PRACTICE_TZ).date()
        self._from = QDateEdit(QDate(today - timedelta(days=27)))
        self._to = QDateEdit(QDate(today))
        for edit in (self._from, self._to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd-MM-yyyy")
        from_label = QLabel(self.tr("&From:"))
        from_label.setBuddy(self._from)
        to_label = QLabel(self.tr("&To:"))
        to_label.setBuddy(self._to)
        self._export = QPushButton(self.tr("Export CSV…"))
        self._export.clicked.connect(self.choose_export_file)
        # A file of BSNs leaves the store: only for a role with that right (the service
        # refuses everyone else too).
        if not allowed(context.user.role, Permission.EXPORT_DECLARATIONS):
            self._export.hide()
        period = QHBoxLayout()
        period.addWidget(from_label)
        period.addWidget(self._from)
        period.addWidget(to_label)
        period.addWidget(self._to)
        period.addStretch(1)
        period.addWidget(self._export)

        self._table = QTableWidget(0, self.COLUMNS)
        self._table.setHorizontalHeaderLabels([
            self.tr("Day"), self.tr("Person"), self.tr("Code"), self.tr("Count"),
            self.tr("Time"), self.tr("Amount")])
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.verticalHeader().setVisible(False)
        self._table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        self._total = QLabel()
        # Amounts that are not the year's confirmed NZa tariffs are never shown silently.
        self._tariffs = QLabel()
        self._tariffs.setWordWrap(True)
        self._tariffs.setStyleSheet(f"color: {colours.CAUTION_TEXT};")
        self._tariffs.hide()
        self._status = QLabel()
        self._status.setWordWrap(True)
        self.chart = TimeChart()

        layout = QVBoxLayout(self)
        layout.addLayout(period)
        layout.addWidget(self._table, 1)
        layout.addWidget(self._total)
        layout.addWidget(self._tariffs)
        layout.addWidget(QLabel(self.tr("Direct time per day:")))
        layout.addWidget(self.chart)
        layout.addWidget(self._status)

        self._from.dateChanged.connect(self.reload)
        self._to.dateChanged.connect(self.reload)
        self.reload()

    # -- period ------------------------------------------------------------------------------
    def period(self) -> tuple[date, date]:
        return self._from.date().toPython(), self._to.date().toPython()

    def set_period(self, day_from: date, day_to: date) -> None:
        for edit, day in ((self._from, day_from), (self._to, day_to)):
            edit.blockSignals(True)
            edit.setDate(QDate(day))
            edit.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        day_from, day_to = self.period()
        if day_to < day_from:
            self._status.setText(self.tr("The period ends before it starts."))
            return
        self._generation += 1
        generation = self._generation
        billing, queries = self._billing, self._context.queries
        self._status.setText(self.tr("Loading…"))

        def work() -> tuple[list[Any], list[tuple[date, float]], dict[int, Role | None],
                            list[TariffTable]]:
            report = billing.report(day_from, day_to)
            return (report, billing.time_per_day(day_from, day_to),
                    {person.id: person.role for person in queries.practitioners()},
                    billing.unconfirmed_tariffs(row.day for row in report))

        def done(result: tuple[list[Any], list[tuple[date, float]],
                               dict[int, Role | None], list[TariffTable]]) -> None:
            if generation == self._generation:
                self._show(*result)

        self._context.tasks.run_db(work, done, self._on_error)

    # -- table contents, for tests and screen readers ----------------------------------------
    def rows(self) -> list[list[str]]:
        return [[self._table.item(row, column).text() for column in range(self.COLUMNS)]
                for row in range(self._table.rowCount())]

    def total_text(self) -> str:
        return self._total.text()

    def status_text(self) -> str:
        return self._status.text()

    def tariff_text(self) -> str:
        """The warning about unconfirmed amounts in the period; "" when there is none."""
        return "" if self._tariffs.isHidden() else self._tariffs.text()

    # -- export ------------------------------------------------------------------------------
    def choose_export_file(self) -> None:
        day_from, day_to = self.period()
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder) / f"declarations_{day_from:%Y%m%d}_{day_to:%Y%m%d}.csv")
        dialog = QFileDialog(self, self.tr("Export declarations"), suggested,
                             self.tr("CSV files (*.csv)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        file_dialogs.set_labels(dialog)  # Qt's Dutch lacks "Look in:" and the like
        dialog.fileSelected.connect(lambda path: self.export_to(path) if path else None)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def can_export(self) -> bool:
        return not self._export.isHidden()

    def export_to(self, path: str | Path) -> None:
        day_from, day_to = self.period()
        billing, target = self._billing, Path(path)

        def done(_result: object) -> None:
            self._status.setText(self.tr("Exported to {file}").format(file=target.name))
            self.exported.emit(str(target))

        actor = self._context.actor
        self._context.tasks.run_db(lambda: billing.export_csv(target, day_from, day_to, actor),
                                   done, self._on_error)

    # -- inside ------------------------------------------------------------------------------
    def _show(self, report: list[Any], per_day: list[tuple[date, float]],
              roles: dict[int, Role | None], unconfirmed: list[TariffTable]) -> None:
        rows = sorted(report, key=lambda r: (r.day, r.practitioner_name, r.code))
        self._table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            person = (labels.person_label(row.practitioner_name, roles[row.practitioner_id])
                      if row.practitioner_id in roles else row.practitioner_name)
            cells = [format_day(row.day), person, row.code, str(row.count),
                     format_duration(row.seconds), format_euro(row.amount_cents)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self._table.setItem(index, column, item)
        self._table.resizeColumnsToContents()
        count = sum(r.count for r in rows)
        self._total.setText(self.tr("Total: {count} declared, {time} direct time, {amount}")
                            .format(count=count,
                                    time=format_duration(sum(r.seconds for r in rows)),
                                    amount=format_euro(sum(r.amount_cents for r in rows))))
        self._tariffs.setText(" ".join(
            self.tr("Declarations of {day_year}: amounts of {year}; to be confirmed.").format(
                day_year=table.for_year or table.year, year=table.year)
            for table in unconfirmed))
        self._tariffs.setVisible(bool(unconfirmed))
        self.chart.set_data(per_day)
        self._status.setText("" if rows else self.tr("Nothing declared in this period."))
        self.loaded.emit()

    def _on_error(self, exc: BaseException) -> None:
        log.error("declarations: %s", getattr(exc, "__traceback_text__", exc))
        text = describe_error(exc)
        self._status.setText(text)
        self.failed.emit(text)
