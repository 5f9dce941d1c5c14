"""Managing answer templates: list, edit, add, delete, import and export as JSON files."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.services.templates import TemplateError, TemplateInfo, TemplateService
from workbench.store.models import TemplateScope
from workbench.ui import file_dialogs
from workbench.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

_ID = Qt.ItemDataRole.UserRole


class TemplateEditor(QDialog):
    """Practice and personal templates: the list on the left, the chosen one's fields on the
    right. Writes go through the task runner's store lane when one is given.

    Signals:
        changed(): a template was saved, added, deleted or imported (the list is read again).
        failed(str): a write was refused; the message shown to the user.
    """

    changed = Signal()
    failed = Signal(str)

    def __init__(self, templates: TemplateService, user_id: int, parent: QWidget | None = None,
                 *, tasks: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self._templates = templates
        self._user_id = user_id
        self._tasks = tasks
        self._current: TemplateInfo | None = None
        self._message: QMessageBox | None = None
        self.setWindowTitle(self.tr("Templates"))
        self._build()
        self.reload()

    def _build(self) -> None:
        self._list = QListWidget()
        self._list.setAccessibleName(self.tr("Templates"))
        self._list.currentItemChanged.connect(lambda item, _previous: self._show(item))
        self._name = QLineEdit()
        self._category = QLineEdit()
        self._keywords = QLineEdit()
        self._keywords.setPlaceholderText(self.tr("Words to find it by, separated by commas"))
        self._scope = QComboBox()
        self._scope.addItem(self.tr("Practice (everyone)"), TemplateScope.PRACTICE.value)
        self._scope.addItem(self.tr("Personal (only me)"), TemplateScope.PERSONAL.value)
        self._body = QPlainTextEdit()
        self._body.setAccessibleName(self.tr("Template text"))
        help_text = QLabel(self.tr(
            "Variables: {aanhef} salutation, {patient} full name, {voornaam} first name, "
            "{medewerker} your name, {functie} your role, {praktijk} practice, "
            "{praktijk_telefoon} phone, {datum} today, {datum+7} a week from today. "
            "A fallback after a bar: {voornaam|patiënt}."))
        help_text.setTextFormat(Qt.TextFormat.PlainText)
        help_text.setWordWrap(True)
        help_text.setEnabled(False)
        form = QFormLayout()
        form.addRow(self.tr("&Name"), self._name)
        form.addRow(self.tr("&Category"), self._category)
        form.addRow(self.tr("&Keywords"), self._keywords)
        form.addRow(self.tr("&For"), self._scope)
        form.addRow(self.tr("&Text"), self._body)
        form.addRow("", help_text)

        self.add_button = QPushButton(self.tr("&New"))
        self.save_button = QPushButton(self.tr("&Save"))
        self.delete_button = QPushButton(self.tr("&Delete…"))
        self.import_button = QPushButton(self.tr("&Import…"))
        self.export_button = QPushButton(self.tr("E&xport…"))
        self.add_button.clicked.connect(lambda _checked=False: self.new_template())
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.delete_button.clicked.connect(lambda _checked=False: self.confirm_delete())
        self.import_button.clicked.connect(lambda _checked=False: self._choose_import())
        self.export_button.clicked.connect(lambda _checked=False: self._choose_export())
        for button in (self.add_button, self.save_button, self.delete_button,
                       self.import_button, self.export_button):
            button.setAutoDefault(False)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        right_layout.addLayout(row)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self._list, 1)
        files = QHBoxLayout()
        files.addWidget(self.add_button)
        files.addWidget(self.import_button)
        files.addWidget(self.export_button)
        left_layout.addLayout(files)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(close)
        self.resize(860, 560)

    # -- public API --------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        """Read the list again, keeping (or moving to) a selection."""
        wanted = select_id if select_id is not None else (
            self._current.id if self._current is not None else None)
        found = self._templates.search("", self._user_id, limit=10_000)
        found.sort(key=lambda t: (t.category.casefold(), t.name.casefold()))
        self._list.blockSignals(True)
        self._list.clear()
        chosen_row = 0
        for row, template in enumerate(found):
            label = f"{template.category} \u203a {template.name}"
            if template.scope is TemplateScope.PERSONAL:
                label += " " + self.tr("(personal)")
            item = QListWidgetItem(label)
            item.setData(_ID, template)
            self._list.addItem(item)
            if template.id == wanted:
                chosen_row = row
        self._list.blockSignals(False)
        if self._list.count():
            self._list.setCurrentRow(chosen_row)
            self._show(self._list.currentItem())
        else:
            self.new_template()

    def template_names(self) -> list[str]:
        return [self._list.item(row).data(_ID).name for row in range(self._list.count())]

    def select(self, name: str) -> bool:
        for row in range(self._list.count()):
            if self._list.item(row).data(_ID).name == name:
                self._list.setCurrentRow(row)
                return True
        return False

    def current(self) -> TemplateInfo | None:
        return self._current

    def set_fields(self, *, name: str | None = None, category: str | None = None,
                   keywords: str | None = None, body: str | None = None,
                   scope: TemplateScope | None = None) -> None:
        """What a user would type in the fields (used by tests and by 'New')."""
        for value, widget in ((name, self._name), (category, self._category),
                              (keywords, self._keywords)):
            if value is not None:
                widget.setText(value)
        if body is not None:
            self._body.setPlainText(body)
        if scope is not None:
            self._scope.setCurrentIndex(self._scope.findData(TemplateScope(scope).value))

    def new_template(self) -> None:
        self._current = None
        self._list.clearSelection()
        category = self._category.text()
        self.set_fields(name="", keywords="", body="", scope=TemplateScope.PERSONAL)
        self._category.setText(category)
        self.delete_button.setEnabled(False)
        self._name.setFocus()

    def save(self) -> None:
        scope = TemplateScope(self._scope.currentData())
        fields = {"scope": scope, "category": self._category.text(), "name": self._name.text(),
                  "keywords": self._keywords.text(), "body": self._body.toPlainText()}
        owner = self._user_id if scope is TemplateScope.PERSONAL else None
        templates, current = self._templates, self._current

        def work() -> TemplateInfo:
            if current is None:
                return templates.create(fields["scope"], owner, fields["category"],
                                        fields["name"], fields["keywords"], fields["body"])
            return templates.update(current.id, owner_id=owner, **fields)

        self._write(work, lambda info: self._written(info.id))

    def confirm_delete(self) -> None:
        if self._current is None:
            return
        template = self._current
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Delete template"),
                          self.tr("Delete the template \u201c{name}\u201d? This cannot be undone.")
                          .format(name=template.name),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.accepted.connect(lambda: self.delete(template.id))
        box.finished.connect(box.deleteLater)
        box.open()

    def delete(self, template_id: int) -> None:
        templates = self._templates
        self._current = None
        self._write(lambda: templates.delete(template_id), lambda _none: self._written(None))

    def import_from(self, path: Path | str) -> None:
        """Add the templates of a file made by export, as personal templates of this user
        (a practice template can then be made of one by changing 'For')."""
        templates, user_id = self._templates, self._user_id
        self._write(lambda: templates.import_templates(Path(path), TemplateScope.PERSONAL,
                                                       user_id),
                    lambda _count: self._written(None))

    def export_to(self, path: Path | str, ids: list[int] | None = None) -> None:
        """Write the practice templates (or the given ones) to a JSON file."""
        templates = self._templates
        self._write(lambda: templates.export_templates(Path(path), ids),
                    lambda _count: self.changed.emit(), store=False)

    # -- internals ---------------------------------------------------------------------------
    def _show(self, item: QListWidgetItem | None) -> None:
        template: TemplateInfo | None = item.data(_ID) if item is not None else None
        self._current = template
        self.delete_button.setEnabled(template is not None)
        if template is not None:
            self.set_fields(name=template.name, category=template.category,
                            keywords=template.keywords, body=template.body, scope=template.scope)

    def _written(self, select_id: int | None) -> None:
        if not shiboken6.isValid(self):
            return
        self.reload(select_id)
        self.changed.emit()

    def _write(self, work: Callable[[], Any], done: Callable[[Any], None],
               store: bool = True) -> None:
        if self._tasks is None:
            try:
                value = work()
            except (TemplateError, OSError) as exc:
                self._refused(exc)
                return
            done(value)
            return
        run = self._tasks.run_db if store else self._tasks.run_io
        run(work, done, self._refused)

    def _refused(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        if not isinstance(exc, (TemplateError, OSError)):
            log.error("template action failed:\n%s",
                      getattr(exc, "__traceback_text__", type(exc).__name__))
            if self._tasks is not None:
                self._tasks.unexpected_error.emit(exc)
            return
        text = self._error_text(exc)
        self.failed.emit(text)
        if self._message is not None and shiboken6.isValid(self._message):
            self._message.deleteLater()
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Templates"), text,
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
        self._message = box

    def _error_text(self, exc: BaseException) -> str:
        if isinstance(exc, OSError):
            return self.tr("The file could not be read or written.")
        code, detail = exc.code, exc.detail or ""
        if code == "unknown_variable":
            return self.tr("The text uses {variable}, which is not a known variable. "
                           "See the list under the text.").format(variable=detail)
        if code == "invalid_field":
            names = {"name": self.tr("name"), "category": self.tr("category"),
                     "body": self.tr("text"), "keywords": self.tr("keywords")}
            return self.tr("Fill in the {field} (not too long).").format(
                field=names.get(detail, detail))
        if code == "owner_required":
            return self.tr("A personal template needs an owner: choose who is working first.")
        if code == "invalid_file":
            return self.tr("This is not a template file made by Workbench.")
        if code == "not_found":
            return self.tr("This template no longer exists.")
        return self.tr("The template could not be saved.")

    def _choose_import(self) -> None:
        dialog = QFileDialog(self, self.tr("Import templates"), "",
                             self.tr("Template files (*.json)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        file_dialogs.set_labels(dialog)
        dialog.fileSelected.connect(self.import_from)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _choose_export(self) -> None:
        dialog = QFileDialog(self, self.tr("Export templates"),
                             file_dialogs.in_documents("templates.json"),
                             self.tr("Template files (*.json)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        file_dialogs.set_labels(dialog)
        dialog.setDefaultSuffix("json")
        dialog.fileSelected.connect(self.export_to)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
