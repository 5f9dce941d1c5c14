"""Findings of the front-desk user test: the ICPC picker codes nothing unasked, Qt's own dialogs
in Dutch, focus and wording in the new-message dialog, a close reason the person must choose."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.his_export import IcpcCode
from workbench.store.models import ConsultStatus, EConsult
from workbench.ui.template_picker import IcpcPicker

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

COUGH = IcpcCode("R05", "Hoesten")


def test_icpc_picker_preselects_nothing_and_enter_codes_nothing(qtbot):
    picker = IcpcPicker()
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitExposed(picker)
    assert picker.tree.currentItem() is None
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.isVisible() and picker.chosen() is None  # no A01 by accident
    assert not picker.suggestion_label.isVisible()


def test_icpc_picker_offers_the_suggestion_without_choosing_it(qtbot):
    picker = IcpcPicker(suggestion=COUGH)
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitExposed(picker)
    assert picker.suggestion_label.isVisible() and "R05" in picker.suggestion_label.text()
    assert picker.values()[0] == COUGH and picker.tree.currentItem() is None
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.isVisible() and picker.chosen() is None
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)  # the first entry: the suggestion
    with qtbot.waitSignal(picker.accepted, timeout=2000):
        qtbot.keyClick(picker.tree, Qt.Key.Key_Return)
    assert picker.chosen() == COUGH


def test_ctrl_shift_c_suggests_from_the_question_and_needs_a_choice(qtbot, pane, ui_context):
    with Session(ui_context.engine) as session:
        econsult_id = session.scalars(select(EConsult.id).where(
            EConsult.status == ConsultStatus.INBOX).order_by(EConsult.id).limit(1)).one()
    with qtbot.waitSignals([pane.viewed, pane.reply_editor().loaded], timeout=5000):
        pane.show_consult(econsult_id)
    qtbot.waitUntil(pane.his_copy_action.isEnabled, timeout=5000)
    QGuiApplication.clipboard().clear()
    pane.open_his_copy_dialog()
    picker = next(p for p in pane.findChildren(IcpcPicker) if p.isVisible())
    question = next(m.text for m in sorted(pane._detail.messages, key=lambda m: m.sent_at,
                                           reverse=True) if m.direction.name == "IN")
    from workbench.services.his_export import suggest_icpc
    assert picker.suggestion() == suggest_icpc(question)
    assert picker.tree.currentItem() is None
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.isVisible() and QGuiApplication.clipboard().text() == ""
    picker.reject()


# -- Qt's own dialogs in Dutch; exports to the documents folder; which configuration files ------
def test_file_dialog_labels_come_from_our_translation(qtbot, qapp):
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QFileDialog

    from workbench.ui import file_dialogs
    from workbench.ui.app import install_translations

    translators = install_translations(qapp, "nl")
    try:
        dialog = file_dialogs.set_labels(QFileDialog())
        qtbot.addWidget(dialog)
        label = QFileDialog.DialogLabel
        assert dialog.labelText(label.LookIn) == "Zoeken in:"
        assert dialog.labelText(label.FileType) == "Bestandstype:"
        assert dialog.labelText(label.FileName) == "Bestandsnaam:"
        assert dialog.labelText(label.Accept) == "Openen"
        assert dialog.labelText(label.Reject) == "Annuleren"
        save = QFileDialog()
        qtbot.addWidget(save)
        save.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        assert file_dialogs.set_labels(save).labelText(label.Accept) == "Opslaan"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    assert file_dialogs.in_documents("templates.json").startswith(documents)


def test_every_file_dialog_we_open_gets_our_labels():
    from pathlib import Path

    ui = Path(__file__).resolve().parents[2] / "workbench" / "ui"
    for module in ui.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        opened = text.count("QFileDialog(")
        assert "getSaveFileName" not in text and "getOpenFileName" not in text, module.name
        assert text.count("file_dialogs.set_labels(") >= opened, module.name


def test_check_names_the_machine_file_and_the_user_file():
    import argparse

    from workbench import check, config

    line = check._configuration_sources(argparse.Namespace())
    assert f"machine file {config.machine_config_in_use()} (" in line
    assert f"user file {config.user_config_path()} (" in line


# -- Ctrl+N and the close dialog ----------------------------------------------------------------
def test_a_new_message_starts_in_the_patient_field_and_asks_for_a_message(qtbot, ui_context):
    from PySide6.QtWidgets import QApplication

    from workbench.services.replies import ReplyService
    from workbench.ui.new_message_dialog import NewMessageDialog

    dialog = NewMessageDialog(ui_context, ReplyService(ui_context.engine, ui_context.blobs))
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.search, timeout=5000)
    placeholder = dialog.editor.text_edit.placeholderText()
    assert "message" in placeholder and "answer" not in placeholder


def test_a_new_message_placeholder_in_dutch_says_bericht(qapp):
    from PySide6.QtCore import QCoreApplication

    from workbench.ui.app import install_translations

    translators = install_translations(qapp, "nl")
    try:
        text = QCoreApplication.translate(
            "NewMessageDialog", "Write your message here. Type :: or press Ctrl+T for a template.")
        assert text.startswith("Schrijf hier uw bericht.")
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


def test_close_dialog_needs_a_chosen_reason_and_keeps_a_note(qtbot):
    from PySide6.QtWidgets import QDialog, QDialogButtonBox

    from workbench.services.triage import CloseReason
    from workbench.ui.close_dialog import CloseDialog

    dialog = CloseDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.reason() is None and not ok.isEnabled()
    dialog.accept()  # Enter before choosing
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    dialog.set_reason(CloseReason.BY_PHONE)
    assert ok.isEnabled()
    qtbot.keyClicks(dialog.note_edit, "  Teruggebeld, komt morgen langs  ")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.accept()
    assert dialog.reason() is CloseReason.BY_PHONE
    assert dialog.note() == "Teruggebeld, komt morgen langs"
