"""The template picker and editor over the shipped templates: search as you type, keyboard only,
grouped by category; editing, import and export."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox

from workbench.services.templates import TemplateService
from workbench.store.models import TemplateScope
from workbench.ui.template_editor import TemplateEditor
from workbench.ui.template_picker import TemplatePicker

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def templates(synced_engine):
    service = TemplateService(synced_engine)
    assert service.ensure_shipped() > 0
    return service


@pytest.fixture
def picker(qtbot, templates, ui_context):
    dialog = TemplatePicker(templates, ui_context.user.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def names(picker):
    return [t.name for t in picker.values()]


def type_search(qtbot, picker, text):
    picker.search.clear()
    if text.isascii():
        qtbot.keyClicks(picker.search, text)
    else:  # QTest types ASCII only; an accent arrives through the input method
        picker.search.insert(text)


def test_typing_uitslag_finds_the_result_templates(qtbot, picker):
    type_search(qtbot, picker, "uitslag")
    found = names(picker)
    results = [name for name in found if name.startswith("Uitslag")]
    assert len(results) == 4 and "Uitslag ECG goed" in results
    # Hits in the name or keywords come before hits in the text only.
    assert found[:len(results)] == results


@pytest.mark.parametrize("query", ["ecg", "ECG", "Ecg"])
def test_case_does_not_matter(qtbot, picker, query):
    type_search(qtbot, picker, query)
    assert names(picker) == ["Uitslag ECG goed"]


def test_accents_do_not_matter(qtbot, picker):
    type_search(qtbot, picker, "creme")
    with_accent = names(picker)
    type_search(qtbot, picker, "crème")
    assert with_accent == names(picker)
    assert "Eczeem" in with_accent


def test_results_are_grouped_by_category(qtbot, picker):
    groups = dict(picker.groups())
    assert {"Uitslagen", "Recepten", "Klachten"} <= set(groups)
    assert "Herhaalrecept klaar" in groups["Recepten"]
    type_search(qtbot, picker, "uitslag")
    assert picker.groups()[0] == ("Uitslagen", [
        "Uitslag bespreken: bel voor een afspraak", "Uitslag ECG goed",
        "Uitslag goed (niet voor controles bij chronische zorg)", "Uitslag nog niet binnen"])


def test_most_used_comes_first(qtbot, templates, ui_context):
    dialog = TemplatePicker(templates, ui_context.user.id)
    qtbot.addWidget(dialog)
    type_search(qtbot, dialog, "uitslag")
    assert names(dialog)[0] != "Uitslag nog niet binnen"
    used = next(t for t in dialog.values() if t.name == "Uitslag nog niet binnen")
    for _ in range(3):
        templates.record_use(used.id)
    type_search(qtbot, dialog, "uitslag")
    assert names(dialog)[0] == "Uitslag nog niet binnen"


def test_arrow_keys_move_into_the_list_and_enter_picks(qtbot, picker):
    type_search(qtbot, picker, "uitslag")
    shown = names(picker)
    assert picker.search.hasFocus()
    # The best hit is highlighted; each arrow press moves on from it, over the category header.
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    assert picker.tree.hasFocus()
    qtbot.keyClick(picker.tree, Qt.Key.Key_Down)
    qtbot.keyClick(picker.tree, Qt.Key.Key_Up)
    with qtbot.waitSignal(picker.accepted):
        qtbot.keyClick(picker.tree, Qt.Key.Key_Return)
    assert picker.chosen().name == shown[1]


def test_enter_in_the_search_field_picks_the_best_hit(qtbot, picker):
    type_search(qtbot, picker, "ecg")
    with qtbot.waitSignal(picker.accepted):
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.chosen().name == "Uitslag ECG goed"
    assert picker.result() == QDialog.DialogCode.Accepted


def test_escape_cancels(qtbot, picker):
    type_search(qtbot, picker, "ecg")
    with qtbot.waitSignal(picker.rejected):
        qtbot.keyClick(picker.search, Qt.Key.Key_Escape)
    assert picker.chosen() is None


def test_nothing_found_says_so(qtbot, picker):
    type_search(qtbot, picker, "xyzzy")
    assert names(picker) == []
    shown = [label.text() for label in picker.findChildren(QLabel) if label.isVisible()]
    assert "No template found" in shown
    with qtbot.assertNotEmitted(picker.accepted):
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)


def test_manage_opens_the_editor(qtbot, picker):
    picker.manage_button.click()
    editor = picker.findChild(TemplateEditor)
    assert editor is not None and editor.isVisible()
    assert "Uitslag ECG goed" in editor.template_names()


def test_editor_adds_a_personal_template_the_picker_then_finds(qtbot, templates, ui_context):
    editor = TemplateEditor(templates, ui_context.user.id)
    qtbot.addWidget(editor)
    editor.new_template()
    editor.set_fields(name="Bloeddruk thuis meten", category="Klachten",
                      keywords="bloeddruk, tensie", body="{aanhef},\n\nMeet u thuis uw bloeddruk.",
                      scope=TemplateScope.PERSONAL)
    with qtbot.waitSignal(editor.changed):
        editor.save_button.click()
    assert editor.current().name == "Bloeddruk thuis meten"
    mine = templates.search("tensie", ui_context.user.id)
    assert [t.name for t in mine] == ["Bloeddruk thuis meten"]
    assert mine[0].scope is TemplateScope.PERSONAL
    others = [p for p in ui_context.queries.practitioners() if p.id != ui_context.user.id]
    assert templates.search("tensie", others[0].id) == []


def test_editor_refuses_an_unknown_variable_with_a_message(qtbot, templates, ui_context):
    editor = TemplateEditor(templates, ui_context.user.id)
    qtbot.addWidget(editor)
    editor.new_template()
    editor.set_fields(name="Fout", category="Klachten", body="Beste {naam}")
    with qtbot.waitSignal(editor.failed) as blocker:
        editor.save()
    assert "{naam}" in blocker.args[0]
    box = editor.findChild(QMessageBox)
    assert box is not None and "{naam}" in box.text()
    assert templates.search("Fout", ui_context.user.id) == []


def test_editor_deletes_after_confirmation(qtbot, templates, ui_context):
    editor = TemplateEditor(templates, ui_context.user.id)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.select("Wratten")
    editor.delete_button.click()
    box = next(b for b in editor.findChildren(QMessageBox) if b.isVisible())
    assert "Wratten" in box.text()
    with qtbot.waitSignal(editor.changed):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert "Wratten" not in editor.template_names()


def test_export_then_import_round_trip(qtbot, templates, ui_context, tmp_path):
    editor = TemplateEditor(templates, ui_context.user.id, tasks=ui_context.tasks)
    qtbot.addWidget(editor)
    path = tmp_path / "sjablonen.json"
    with qtbot.waitSignal(editor.changed):
        editor.export_to(path)
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert "Uitslag ECG goed" in [entry["name"] for entry in exported]

    before = len(editor.template_names())
    with qtbot.waitSignal(editor.changed):
        editor.import_from(path)
    assert len(editor.template_names()) == before + len(exported)
