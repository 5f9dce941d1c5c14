"""Beheer > Inzageverzoek: the access report dialog makes the report for a BSN and period,
shows it as plain text, names people only per the practice's setting, and saves it."""

from __future__ import annotations

import csv
import io
import os
import stat

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.access_report import AccessReportService
from workbench.services.inbox import ListView, PractitionerInfo
from workbench.store.models import AuditEvent, EConsult, Patient, Practitioner, Role
from workbench.ui.access_report_dialog import AccessReportDialog

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def viewed(ui_context):
    """An e-consult the assistant opened, and a praktijkmanager signed in."""
    engine = ui_context.engine
    item = ui_context.queries.ids(ListView())[0]
    assistant = ui_context.user
    ui_context.triage.record_view(item, ui_context.actor)
    with Session(engine) as session, session.begin():
        patient = session.get(EConsult, item).patient
        if not patient.bsn:
            patient.bsn = "111222333"
        bsn = patient.bsn
        manager = Practitioner(name="Petra Manager", role=Role.MANAGER)
        session.add(manager)
        session.flush()
        ui_context.user = PractitionerInfo(manager.id, manager.name, Role.MANAGER)
    return bsn, assistant


def open_dialog(qtbot, context, names=False):
    dialog = AccessReportDialog(context, AccessReportService(context.engine, names=names,
                                                             workstation="beheer"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def make(qtbot, dialog, bsn, days_back=7):
    dialog.bsn.setText(bsn)
    dialog.day_from.setDate(dialog.day_to.date().addDays(-days_back))
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.make_button.isEnabled() and bool(dialog.status.text()),
                    timeout=10000)


def test_the_report_shows_the_view_by_role_and_is_audited(qtbot, ui_context, viewed):
    bsn, assistant = viewed
    dialog = open_dialog(qtbot, ui_context)
    assert dialog.names.isChecked() is False and not dialog.names.isEnabled()
    assert not dialog.save_button.isEnabled()
    make(qtbot, dialog, bsn)
    text = dialog.preview.toPlainText()
    assert f"BSN: {bsn}" in text and "doktersassistent" in text and "Bekeken" in text
    assert assistant.name not in text
    assert dialog.save_button.isEnabled()
    with Session(ui_context.engine) as session:
        made = session.scalars(select(AuditEvent).where(
            AuditEvent.event == "access_report")).all()
        assert [e.user_id for e in made] == [ui_context.user.id]
        assert session.scalar(select(Patient.bsn).where(Patient.id == made[0].patient_id)) \
            == bsn
    # Another BSN typed: the report shown no longer belongs to it, so it cannot be saved.
    dialog.bsn.setText("999999999")
    assert dialog.preview.toPlainText() == "" and not dialog.save_button.isEnabled()


def test_names_follow_the_practice_setting(qtbot, ui_context, viewed):
    bsn, assistant = viewed
    dialog = open_dialog(qtbot, ui_context, names=True)
    assert dialog.names.isChecked() and not dialog.names.isEnabled()
    make(qtbot, dialog, bsn)
    assert assistant.name in dialog.preview.toPlainText()


def test_saved_through_the_file_dialog_as_csv_for_the_owner_only(qtbot, ui_context, viewed,
                                                                 tmp_path):
    bsn, _assistant = viewed
    dialog = open_dialog(qtbot, ui_context)
    make(qtbot, dialog, bsn)
    dialog.choose_file()
    chooser = next(d for d in dialog.findChildren(QFileDialog) if d.isVisible())
    assert chooser.labelText(QFileDialog.DialogLabel.Accept)  # our own labels are set
    target = tmp_path / "inzage.csv"
    with qtbot.waitSignal(dialog.saved, timeout=10000) as saved:
        chooser.selectFile(str(target))
        chooser.accept()
    assert saved.args == [str(target)]
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig")),
                               delimiter=";"))
    assert [row["handeling"] for row in rows] == ["Bekeken"]
    if os.name != "nt":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert str(target) in dialog.status.text()


def test_refused_without_the_right_and_for_a_wrong_bsn(qtbot, ui_context, viewed):
    bsn, assistant = viewed
    ui_context.user = assistant
    dialog = open_dialog(qtbot, ui_context)
    make(qtbot, dialog, bsn)
    assert dialog.preview.toPlainText() == ""
    assert dialog.status.text() == "Only the practice manager may make access reports."
    make(qtbot, dialog, "12-34")
    assert dialog.status.text() == "A BSN has 9 digits."
    make(qtbot, dialog, bsn, days_back=-1)
    assert dialog.status.text() == "The period ends before it starts."
