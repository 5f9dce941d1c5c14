"""The reply editor over a synced store: templates by '::' or Ctrl+T, variables filled for the
patient, sending blocked while a variable is open, the unanswered-question check, and drafts
that survive closing the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit, QVBoxLayout, QWidget
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.services.replies import ReplyService
from workbench.services.templates import TemplateService, render
from workbench.store.models import ConsultStatus, Direction, EConsult, Message, Patient
from workbench.ui.question_checklist import QuestionChecklist
from workbench.ui.reply_editor import ReplyEditor
from workbench.ui.template_picker import TemplatePicker

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def templates(synced_engine):
    service = TemplateService(synced_engine)
    service.ensure_shipped()
    return service


def inbox_consult(engine, offset=0):
    """An e-consult in the inbox that the patient wrote (a relative's asks first who receives
    the answer); which comes first depends on the time of day the demo practice is made."""
    with Session(engine) as session:
        return session.scalars(select(EConsult.id).where(
            EConsult.status == ConsultStatus.INBOX, EConsult.sender_related_person_id.is_(None))
            .order_by(EConsult.id).offset(offset).limit(1)).one()


def make_editor(qtbot, ui_context, templates, parent=None):
    editor = ReplyEditor(ui_context, parent, templates=templates)
    if parent is None:
        qtbot.addWidget(editor)
        editor.resize(700, 400)
        editor.show()
        qtbot.waitExposed(editor)
    return editor


def load(qtbot, editor, ui_context, econsult_id):
    with qtbot.waitSignal(editor.loaded, timeout=5000):
        editor.set_consult(ui_context.queries.detail(econsult_id))


def visible_boxes(widget):
    return [box for box in widget.findChildren(QMessageBox) if box.isVisible()]


def own_messages(engine, econsult_id):
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Message).where(
            Message.econsult_id == econsult_id, Message.direction == Direction.OUT))


@pytest.fixture
def editor(qtbot, ui_context, templates):
    widget = make_editor(qtbot, ui_context, templates)
    load(qtbot, widget, ui_context, inbox_consult(ui_context.engine))
    return widget


def open_picker(qtbot, editor):
    qtbot.waitUntil(lambda: any(p.isVisible() for p in editor.findChildren(TemplatePicker)))
    return next(p for p in editor.findChildren(TemplatePicker) if p.isVisible())


def pick(qtbot, picker, query):
    qtbot.keyClicks(picker.search, query)
    with qtbot.waitSignal(picker.accepted):
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)


def test_two_colons_open_the_template_picker_and_disappear(qtbot, editor):
    editor.text_edit.setFocus()
    qtbot.keyClicks(editor.text_edit, "Beste ::")
    picker = open_picker(qtbot, editor)
    assert editor.text() == "Beste "
    with qtbot.waitSignal(picker.rejected):
        qtbot.keyClick(picker.search, Qt.Key.Key_Escape)
    assert editor.text() == "Beste "


def test_ctrl_t_opens_the_picker(qtbot, editor):
    editor.text_edit.setFocus()
    qtbot.keyClick(editor.text_edit, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    open_picker(qtbot, editor)


def test_a_template_goes_in_filled_for_this_patient_and_its_use_is_counted(
        qtbot, editor, ui_context, templates):
    econsult_id = editor.current_id()
    context = ReplyService(ui_context.engine, ui_context.blobs).render_context(
        econsult_id, None, ui_context.user.id)
    salutation = render("{aanhef}", context)
    assert salutation.startswith("Beste ") and "{" not in salutation
    ecg = templates.search("ecg", ui_context.user.id)[0]

    editor.open_template_picker()
    pick(qtbot, open_picker(qtbot, editor), "ecg")
    text = editor.text()
    assert text.startswith(salutation + ",")
    assert ui_context.user.name in text
    assert "{" not in text

    # A second template goes in at the cursor, after the first.
    editor.open_template_picker()
    pick(qtbot, open_picker(qtbot, editor), "griepprik")
    assert editor.text().startswith(text)
    assert editor.text().count(salutation) == 2
    qtbot.waitUntil(lambda: templates.get(ecg.id).use_count == 1)


def test_an_open_variable_blocks_sending_and_is_selected(qtbot, editor, ui_context):
    econsult_id = editor.current_id()
    editor.text_edit.setPlainText("Uw uitslag is {waarde}. Groet, de praktijk")
    editor.send_action.trigger()
    qtbot.waitUntil(lambda: bool(visible_boxes(editor)))
    assert "{waarde}" in visible_boxes(editor)[0].text()
    assert editor.text_edit.textCursor().selectedText() == "{waarde}"
    assert own_messages(ui_context.engine, econsult_id) == 0


def test_unticked_questions_ask_before_sending(qtbot, editor, ui_context):
    econsult_id = editor.current_id()
    checklist = QuestionChecklist()
    qtbot.addWidget(checklist)
    checklist.set_text("Mag ik ibuprofen nemen? Hoe lang duurt dit nog?")
    assert len(checklist.unticked()) == 2
    editor.set_checklist(checklist)
    editor.text_edit.setPlainText("U mag ibuprofen nemen.")

    editor.send_action.trigger()
    box = visible_boxes(editor)[0]
    assert box.text() == "Not every question is ticked as answered. Send anyway?"
    box.button(QMessageBox.StandardButton.No).click()
    assert own_messages(ui_context.engine, econsult_id) == 0
    assert editor.text() == "U mag ibuprofen nemen."

    checklist.tick_all()
    with qtbot.waitSignal(editor.sent, timeout=5000) as blocker:
        editor.send_action.trigger()
        assert visible_boxes(editor) == []
    assert blocker.args == [econsult_id]
    assert own_messages(ui_context.engine, econsult_id) == 1
    assert editor.text() == ""


def test_sending_anyway_after_the_question(qtbot, editor, ui_context):
    checklist = QuestionChecklist()
    qtbot.addWidget(checklist)
    checklist.set_text("Kan ik morgen werken?")
    editor.set_checklist(checklist)
    editor.text_edit.setPlainText("Ja, dat kan.")
    editor.send()
    with qtbot.waitSignal(editor.sent, timeout=5000):
        visible_boxes(editor)[0].button(QMessageBox.StandardButton.Yes).click()


def test_a_draft_comes_back_after_the_window_is_closed(qtbot, ui_context, templates):
    econsult_id = inbox_consult(ui_context.engine)
    window = QWidget()
    qtbot.addWidget(window)
    QVBoxLayout(window)
    editor = make_editor(qtbot, ui_context, templates, parent=window)
    window.layout().addWidget(editor)
    window.show()
    qtbot.waitExposed(window)
    load(qtbot, editor, ui_context, econsult_id)
    editor.text_edit.setFocus()
    qtbot.keyClicks(editor.text_edit, "Half geschreven antwoord")
    with qtbot.waitSignal(editor.draft_saved, timeout=5000):
        window.close()
    window.deleteLater()

    # Another editor (as after a restart) on the same store, with its own services.
    again = make_editor(qtbot, ui_context, TemplateService(ui_context.engine))
    load(qtbot, again, ui_context, econsult_id)
    assert again.text() == "Half geschreven antwoord"
    assert again.status_text().startswith("Draft from")


def test_the_draft_is_saved_after_a_pause_in_typing(qtbot, editor, ui_context):
    econsult_id = editor.current_id()
    qtbot.keyClicks(editor.text_edit, "Typen")
    with qtbot.waitSignal(editor.draft_saved, timeout=5000) as blocker:
        pass
    assert blocker.args == [econsult_id]
    draft = ReplyService(ui_context.engine, ui_context.blobs).load_draft(
        econsult_id, ui_context.user.id)
    assert draft.text == "Typen"


def test_switching_consult_saves_the_draft_and_loads_the_other(qtbot, editor, ui_context):
    first = editor.current_id()
    second = inbox_consult(ui_context.engine, offset=1)
    qtbot.keyClicks(editor.text_edit, "Voor de eerste")
    with qtbot.waitSignal(editor.draft_saved, timeout=5000) as saved:
        load(qtbot, editor, ui_context, second)
    assert saved.args == [first]
    assert editor.text() == ""
    load(qtbot, editor, ui_context, first)
    assert editor.text() == "Voor de eerste"


def test_preview_shows_the_exact_text_with_variables_filled(qtbot, editor, ui_context):
    with Session(ui_context.engine) as session:
        patient = session.get(EConsult, editor.current_id()).patient
        name = patient.name
        assert session.get(Patient, patient.id) is not None
    editor.text_edit.setPlainText("Dit bericht is voor {patient}.")
    dialog = editor.open_preview()
    view = dialog.findChild(QPlainTextEdit)
    assert view.isReadOnly()
    assert view.toPlainText() == f"Dit bericht is voor {name}."


def test_attachments_are_checked_by_their_bytes_and_removable(qtbot, editor, tmp_path):
    photo = tmp_path / "uitslag.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    fake = tmp_path / "brief.pdf"
    fake.write_bytes(b"MZ this is no pdf")
    with qtbot.waitSignal(editor.attachments_changed, timeout=5000):
        editor.attach_path(str(photo))
    assert [a.title for a in editor.attachments()] == ["uitslag.png"]
    assert [chip.text().split()[0] for chip in editor.attachment_chips()] == ["uitslag.png"]

    editor.attach_path(str(fake))
    qtbot.waitUntil(lambda: bool(visible_boxes(editor)))
    assert "PDF" in visible_boxes(editor)[0].text()
    assert len(editor.attachments()) == 1

    with qtbot.waitSignal(editor.attachments_changed):
        editor.attachment_chips()[0].click()
    assert editor.attachments() == []


def test_the_open_variable_warning_goes_once_the_variable_is_filled(qtbot, editor):
    editor.text_edit.setPlainText("Uw afspraak is op {datum_afspraak} om {tijd}. Groet")
    editor.send_action.trigger()
    qtbot.waitUntil(lambda: bool(visible_boxes(editor)))
    visible_boxes(editor)[0].button(QMessageBox.StandardButton.Ok).click()
    warning = editor.status_text()
    assert "{datum_afspraak}" in warning

    # One variable filled in (typing over the selected one), the other still open: it stays.
    assert editor.text_edit.textCursor().selectedText() == "{datum_afspraak}"
    editor.text_edit.setFocus()
    qtbot.keyClicks(editor.text_edit, "12 mei")
    assert editor.status_text() == warning

    # The last one filled in: gone at once, without sending again.
    cursor = editor.text_edit.document().find("{tijd}")
    editor.text_edit.setTextCursor(cursor)
    qtbot.keyClicks(editor.text_edit, "10:30")
    assert editor.text() == "Uw afspraak is op 12 mei om 10:30. Groet"
    assert editor.status_text() == ""
    assert visible_boxes(editor) == []


def test_other_messages_stay_when_the_text_changes(qtbot, editor):
    editor.set_status("Draft from yesterday restored.")
    editor.text_edit.setPlainText("Dag, uw recept staat klaar.")
    assert editor.status_text() == "Draft from yesterday restored."
