"""A name the patient typed into the portal is shown as the characters it is, in every dialog
and pane that shows one: never as HTML, and with direction overrides and zero-width characters
made visible (also in links, whose question shows the address really opened)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QComboBox, QLabel, QListWidget, QMessageBox, QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.inbox import ListView, MessageView
from workbench.services.replies import ReplyService
from workbench.store.blobs import BlobStore
from workbench.store.models import AuditEvent, Direction, EConsult
from workbench.ui.declare_dialog import DeclareDialog
from workbench.ui.inbox_model import PATIENT, InboxModel
from workbench.ui.new_message_dialog import NewMessageDialog
from workbench.ui.plain_text import reveal_hidden
from workbench.ui.thread_view import ThreadView

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

MARKUP_NAME = "<b>Jan</b> &amp; <img src=x>"
RLO, ZWSP, LRI, PDI, BOM = "\u202e", "\u200b", "\u2066", "\u2069", "\ufeff"
SPOOFED_NAME = f"Jan{RLO}nesnaJ{ZWSP}{LRI}x{PDI}{BOM}"
SPOOFED_SHOWN = "Jan⟨U+202E⟩nesnaJ⟨U+200B⟩⟨U+2066⟩x⟨U+2069⟩⟨U+FEFF⟩"


def labels_showing(root: QWidget, text: str) -> list[QLabel]:
    return [label for label in root.findChildren(QLabel) if text in label.text()]


def assert_shown_literally(root: QWidget, text: str = MARKUP_NAME) -> None:
    """At least one label holds the text, and every label that does shows it as text."""
    shown = labels_showing(root, text)
    assert shown, f"{text!r} is not shown"
    for label in shown:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName() or label
    assert not labels_showing(root, "Jan & ")  # nowhere rendered as markup


def rename_patient_of(engine, econsult_id: int, name: str) -> int:
    with Session(engine) as session, session.begin():
        patient = session.get(EConsult, econsult_id).patient
        patient.name = name
        patient.birth_date = patient.birth_date or date(1980, 5, 17)
        return patient.id


def test_the_declare_dialog_shows_the_name_literally(qtbot):
    proposal = SimpleNamespace(day=date(2026, 11, 26), seconds=400, code="12011",
                               description="Consult 5 tot 20 minuten", amount_cents=1151,
                               patient_name=MARKUP_NAME, econsult_ids=(7,))
    dialog = DeclareDialog(proposal, [])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.patient_text() == f"{MARKUP_NAME}, 26-11-2026"
    assert_shown_literally(dialog)
    spoofed = DeclareDialog(SimpleNamespace(**{**vars(proposal), "patient_name": SPOOFED_NAME}),
                            [])
    qtbot.addWidget(spoofed)
    assert spoofed.patient_text() == f"{SPOOFED_SHOWN}, 26-11-2026"


@pytest.mark.parametrize("name, shown", [(MARKUP_NAME, MARKUP_NAME),
                                         (SPOOFED_NAME, SPOOFED_SHOWN)])
def test_the_consult_pane_header_and_the_list_show_the_name_as_it_is(qtbot, pane, ui_context,
                                                                     name, shown):
    item = ui_context.queries.ids(ListView())[0]
    rename_patient_of(ui_context.engine, item, name)
    with qtbot.waitSignal(pane.viewed, timeout=5000):
        pane.show_consult(item)
    assert_shown_literally(pane, shown)
    model = InboxModel(ui_context.queries, clock=ui_context.clock)
    model.set_view(ListView())
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    row = next(r for r in range(model.rowCount())
               if model.index(r, 0).data(Qt.ItemDataRole.UserRole) == item)
    assert model.index(row, PATIENT).data().startswith(shown)


def test_new_message_shows_found_names_literally_and_audits_the_look_up(qtbot, ui_context,
                                                                        tmp_path):
    item = ui_context.queries.ids(ListView())[0]
    patient_id = rename_patient_of(ui_context.engine, item, f"{MARKUP_NAME} {SPOOFED_NAME}")
    ui_context.replies = ReplyService(ui_context.engine, BlobStore(tmp_path / "attachments"))
    dialog = NewMessageDialog(ui_context, ui_context.replies)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.search.setText("<b>jan</b>")
    dialog.search_now()
    results = dialog.findChild(QListWidget)
    qtbot.waitUntil(lambda: results.count() == 1, timeout=5000)
    assert results.item(0).text().startswith(f"{MARKUP_NAME} {SPOOFED_SHOWN}")
    assert dialog.choose_patient(patient_id)
    recipients = dialog.findChild(QComboBox)
    qtbot.waitUntil(lambda: recipients.count() > 0, timeout=5000)
    assert recipients.itemText(0) == f"{MARKUP_NAME} {SPOOFED_SHOWN}"
    assert_shown_literally(dialog)
    with Session(ui_context.engine) as session:
        lookups = session.scalars(select(AuditEvent).where(
            AuditEvent.event == "patient_lookup").order_by(AuditEvent.id)).all()
    assert [(e.patient_id, e.detail) for e in lookups] == [
        (None, {"kind": "name", "hits": 1}),
        (patient_id, {"kind": "name", "chosen": True})]
    assert all("jan" not in str(e.detail).lower() for e in lookups)  # never what was typed


def test_the_photo_viewer_names_the_patient_literally(qtbot, ui_context, tmp_path):
    from workbench.services.images import PhotoPipeline
    from workbench.ui.photo_viewer import PhotoViewer
    viewer = PhotoViewer(ui_context, PhotoPipeline(ui_context.blobs, tmp_path / "cache"),
                         full_after_idle_ms=None)
    qtbot.addWidget(viewer)
    viewer.show_photos([], 0, MARKUP_NAME, datetime(2026, 11, 26, 9, tzinfo=timezone.utc))
    assert_shown_literally(viewer)


def test_a_link_with_hidden_characters_shows_them_and_the_question_names_the_real_address(
        qtbot):
    address = f"https://bank.example/{RLO}lmth.nigol{ZWSP}"
    view = ThreadView()
    qtbot.addWidget(view)
    view.show_messages([MessageView(1, Direction.IN, SPOOFED_NAME,
                                    datetime(2026, 11, 26, 9, tzinfo=timezone.utc),
                                    f"kijk hier {address} aub")])
    text = view.plain_text()
    assert RLO not in text and ZWSP not in text and SPOOFED_SHOWN in text
    shown = reveal_hidden(address)
    link = view.document().find(shown).charFormat()
    assert link.isAnchor() and link.anchorHref() == address  # it opens what was written
    box = view.confirm_open(QUrl(address))
    assert isinstance(box, QMessageBox) and box.textFormat() == Qt.TextFormat.PlainText
    assert RLO not in box.text() and ZWSP not in box.text()
    assert "%E2%80%AE" in box.text()  # what the browser really gets, spelled out
    box.done(QMessageBox.StandardButton.No)
