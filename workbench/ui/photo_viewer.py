"""A window for the photos of one e-consult: zoom, rotate, compare with earlier photos, save for the HIS."""

from __future__ import annotations

import logging
import mimetypes
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QPointF, QSize, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QImage, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from workbench.services import images
from workbench.services.inbox import AttachmentView
from workbench.services.triage import TriageError
from workbench.ui.context import UiContext
from workbench.ui.photo_canvas import PhotoCanvas, to_qimage
from workbench.ui.plain_text import reveal_hidden

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedPhoto:
    """What a worker hands the viewer for one attachment."""

    kind: str                      # "photo", "document", "refused" or "unreadable"
    image: QImage | None = None    # the preview (or the whole photo when it is small)
    full_size: QSize | None = None
    has_more: bool = False         # the full resolution is bigger than `image`
    partial: bool = False
    taken: datetime | None = None
    mime: str | None = None
    error_code: str | None = None


def load_photo(pipeline: images.PhotoPipeline, sha256: str) -> LoadedPhoto:
    """Worker side: what kind of file this is (by its bytes) and, for a photo, its preview."""
    try:
        info = pipeline.info(sha256)
        if info.kind is images.ImageKind.DOCUMENT:
            return LoadedPhoto("document", mime=info.mime)
        if info.kind is not images.ImageKind.PHOTO:
            return LoadedPhoto("refused", mime=info.mime)
        decoded = pipeline.preview(sha256)
        if decoded is None:
            return LoadedPhoto("refused", mime=info.mime)
    except images.ImageError as exc:
        kind = "refused" if exc.code == "not_a_photo" else "unreadable"
        return LoadedPhoto(kind, error_code=exc.code)
    image = to_qimage(decoded.width, decoded.height, decoded.mode, decoded.data)
    # The info's size is as shown (EXIF orientation applied), like the preview's pixels.
    full_size = QSize(info.width or decoded.width, info.height or decoded.height)
    has_more = full_size.width() > decoded.width or full_size.height() > decoded.height
    if not has_more:
        full_size = QSize(decoded.width, decoded.height)
    return LoadedPhoto("photo", image, full_size, has_more, decoded.partial,
                       decoded.taken or info.taken, info.mime)


def load_full(pipeline: images.PhotoPipeline, sha256: str) -> QImage:
    """Worker side: the full resolution as a QImage."""
    decoded = pipeline.full(sha256)
    return to_qimage(decoded.width, decoded.height, decoded.mode, decoded.data)


def _default_export_dir(context: UiContext) -> Path:
    configured = context.settings.photo_export_dir
    if configured:
        return Path(configured).expanduser()
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation))


class PhotoViewer(QMainWindow):
    """A top-level window (it may live on a second monitor) showing the photos of one
    e-consult one at a time, with an earlier photo of the same patient beside it on request.

    Actions carry shortcuts: fit (0), 100% (1), zoom (+/-), rotate (R, Shift+R), next and
    previous photo (Right/PageDown, Left/PageUp; they stop at the ends), full screen (F11),
    close (Esc; in full screen Esc leaves full screen first), compare (C), Save for HIS
    (Ctrl+S: the photo as turned on screen; the status line names the file's full path).

    A header line says whose photo it is: patient, birth date and when it was sent. The
    window title does not name the patient (it shows in the taskbar and when sharing a screen).

    Signals:
        photo_shown(int): the viewer moved to an attachment (its id); it is loading.
        saved(int, str): a photo was saved for the HIS (attachment id, file name) and logged.
    """

    photo_shown = Signal(int)
    saved = Signal(int, str)

    def __init__(self, context: UiContext, pipeline: images.PhotoPipeline | None = None,
                 parent: QWidget | None = None, *, export_dir: Path | None = None,
                 open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl,
                 full_after_idle_ms: int | None = 1500) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self._context = context
        pipeline = pipeline or context.photos
        if pipeline is None:
            raise ValueError("PhotoViewer needs a PhotoPipeline (argument or context.photos)")
        self._pipeline = pipeline
        self._export_dir = export_dir
        self._open_url = open_url
        self._photos: list[AttachmentView] = []
        self._index = 0
        self._patient_name = ""
        self._birth_date: date | None = None
        self._received: datetime | None = None
        self._earlier: list[tuple[str, AttachmentView]] = []
        self._loaded: LoadedPhoto | None = None
        self._generation = 0
        self._compare_generation = 0
        self._temp_dir: tempfile.TemporaryDirectory[str] | None = None
        self.canvas = PhotoCanvas(context.tasks, full_after_idle_ms=full_after_idle_ms)
        self.compare_canvas = PhotoCanvas(context.tasks, full_after_idle_ms=full_after_idle_ms)
        self.canvas.view_changed.connect(self._main_view_changed)
        self.compare_canvas.view_changed.connect(self._compare_view_changed)
        self.canvas.full_failed.connect(self._full_failed)
        self._make_actions()
        self._build()
        self._update_actions()
        self.setWindowTitle(self.tr("Photo"))
        self.resize(1100, 800)

    # -- construction ------------------------------------------------------------------------
    def _make_actions(self) -> None:
        def action(text: str, keys: list[str], slot: Callable[[], None]) -> QAction:
            made = QAction(text, self)
            made.setShortcuts([QKeySequence(k) for k in keys])
            native = QKeySequence(keys[0]).toString(QKeySequence.SequenceFormat.NativeText)
            made.setToolTip(f"{text} ({native})")
            made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            made.triggered.connect(lambda _checked=False: slot())
            self.addAction(made)
            return made

        self.previous_action = action(self.tr("Previous photo"), ["Left", "PgUp"], self.previous)
        self.next_action = action(self.tr("Next photo"), ["Right", "PgDown"], self.next)
        self.fit_action = action(self.tr("Fit to window"), ["0"], self.canvas.fit)
        self.actual_size_action = action(self.tr("Actual size (100%)"), ["1"],
                                         self.canvas.actual_size)
        self.zoom_in_action = action(self.tr("Zoom in"), ["+", "=", "Ctrl++"],
                                     self.canvas.zoom_in)
        self.zoom_out_action = action(self.tr("Zoom out"), ["-", "Ctrl+-"], self.canvas.zoom_out)
        self.rotate_left_action = action(self.tr("Rotate left"), ["Shift+R"],
                                         self._rotate_left)
        self.rotate_right_action = action(self.tr("Rotate right"), ["R"], self._rotate_right)
        self.compare_action = action(self.tr("Compare with an earlier photo"), ["C"],
                                     self._toggle_compare)
        self.compare_action.setCheckable(True)
        self.full_screen_action = action(self.tr("Full screen"), ["F11"],
                                         self.toggle_full_screen)
        self.full_screen_action.setCheckable(True)
        self.close_action = action(self.tr("Close the photo viewer"), ["Esc"], self.escape)
        self.save_action = action(self.tr("Save for HIS"), ["Ctrl+S"], self.save_for_his)

    def _build(self) -> None:
        toolbar = QToolBar(self.tr("Photo"), self)
        toolbar.setObjectName("photo_toolbar")
        toolbar.setMovable(False)
        for made in (self.previous_action, self.next_action, None, self.fit_action,
                     self.actual_size_action, self.zoom_in_action, self.zoom_out_action, None,
                     self.rotate_left_action, self.rotate_right_action, None,
                     self.compare_action, self.full_screen_action, None, self.save_action):
            if made is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(made)
        self.addToolBar(toolbar)

        self.patient_label = QLabel()
        self.patient_label.setTextFormat(Qt.TextFormat.PlainText)
        self.patient_label.setStyleSheet("font-weight: bold;")
        self.sent_label = QLabel()
        self.sent_label.setTextFormat(Qt.TextFormat.PlainText)
        patient_line = QHBoxLayout()
        patient_line.addWidget(self.patient_label, 1)
        patient_line.addWidget(self.sent_label)

        self.title_label = QLabel()
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.position_label = QLabel()
        self.taken_label = QLabel()
        header = QHBoxLayout()
        header.addWidget(self.title_label, 1)
        header.addWidget(self.taken_label)
        header.addWidget(self.position_label)

        self.note_label = QLabel()
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet("font-weight: bold;")
        self.open_button = QPushButton(self.tr("Open in the system viewer"))
        self.open_button.clicked.connect(self.open_in_system_viewer)
        notes = QHBoxLayout()
        notes.addWidget(self.note_label, 1)
        notes.addWidget(self.open_button)

        self._main_stack = QStackedWidget()
        self._main_stack.addWidget(self.canvas)
        self.placeholder = QLabel()
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._main_stack.addWidget(self.placeholder)

        self.earlier_combo = QComboBox()
        self.earlier_combo.setAccessibleName(self.tr("Earlier photo"))
        self.earlier_combo.currentIndexChanged.connect(self._earlier_chosen)
        self.compare_note = QLabel()
        self.compare_note.setTextFormat(Qt.TextFormat.PlainText)
        self.compare_note.setWordWrap(True)
        self.compare_panel = QWidget()
        compare_layout = QVBoxLayout(self.compare_panel)
        compare_layout.setContentsMargins(0, 0, 0, 0)
        compare_layout.addWidget(self.earlier_combo)
        compare_layout.addWidget(self.compare_note)
        compare_layout.addWidget(self.compare_canvas, 1)
        self.compare_panel.setVisible(False)

        self._splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._main_stack)
        splitter.addWidget(self.compare_panel)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(patient_line)
        layout.addLayout(header)
        layout.addLayout(notes)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

    # -- showing photos ----------------------------------------------------------------------
    def show_photos(self, photos: list[AttachmentView], index: int, patient_name: str,
                    received: datetime,
                    earlier: list[tuple[str, list[AttachmentView]]] | None = None, *,
                    birth_date: date | None = None) -> None:
        """Show `photos[index]` of an e-consult received at `received`; `earlier` holds the
        photos of the patient's earlier e-consults, each under a label (date and subject).
        The birth date is `birth_date` or, when not given, the photos' own."""
        self._photos = list(photos)
        self._patient_name = patient_name or next(
            (p.patient_name for p in self._photos if p.patient_name), "")
        self._birth_date = birth_date or next(
            (p.patient_birth_date for p in self._photos if p.patient_birth_date), None)
        self._received = received
        self._earlier = [(label, photo) for label, group in (earlier or [])
                         for photo in group if photo.sha256]
        self.earlier_combo.blockSignals(True)
        self.earlier_combo.clear()
        for label, photo in self._earlier:
            title = photo.title or self.tr("Photo")
            self.earlier_combo.addItem(f"{label} – {title}")
        self.earlier_combo.blockSignals(False)
        if not self._earlier and self.compare_action.isChecked():
            self.compare_action.setChecked(False)
            self._toggle_compare()
        self._show(max(0, min(index, len(self._photos) - 1)))
        if self.compare_action.isChecked():
            self._earlier_chosen(self.earlier_combo.currentIndex())

    def current(self) -> AttachmentView | None:
        return self._photos[self._index] if self._photos else None

    def current_index(self) -> int:
        return self._index

    def next(self) -> None:
        if self._index + 1 < len(self._photos):
            self._show(self._index + 1)

    def previous(self) -> None:
        if self._index > 0:
            self._show(self._index - 1)

    def _show(self, index: int) -> None:
        self._generation += 1
        self._index = index
        self._loaded = None
        self.canvas.clear()
        photo = self.current()
        count = len(self._photos)
        self.position_label.setText(self.tr("{n} of {m}").format(n=index + 1, m=count)
                                    if count else "")
        self.setWindowTitle(self.tr("Photo {n} of {m}").format(n=index + 1, m=count)
                            if count else self.tr("Photo"))
        self.title_label.setText((photo.title or self.tr("Photo")) if photo else "")
        self._show_patient(photo)
        self.taken_label.setText("")
        self._set_note("")
        self.open_button.setVisible(False)
        self._update_actions()
        if photo is None:
            self._show_placeholder(self.tr("No photos"))
            return
        if not photo.sha256:
            self._show_placeholder(self.tr("This photo has not been received yet"))
            return
        self._show_placeholder(self.tr("Loading photo…"))
        generation, sha256 = self._generation, photo.sha256
        self._context.tasks.run_io(lambda: load_photo(self._pipeline, sha256),
                                   lambda loaded: self._loaded_photo(generation, loaded),
                                   lambda exc: self._load_failed(generation, exc))
        self.photo_shown.emit(photo.id)

    def _loaded_photo(self, generation: int, loaded: LoadedPhoto) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._loaded = loaded
        photo = self.current()
        if loaded.kind == "photo":
            self._main_stack.setCurrentWidget(self.canvas)
            sha256 = photo.sha256
            self.canvas.show_image(
                loaded.image, loaded.full_size,
                (lambda: load_full(self._pipeline, sha256)) if loaded.has_more else None)
            self.taken_label.setText(self._taken_text(loaded.taken))
            if loaded.partial:
                self._set_note(self.tr("Only part of this photo could be read"))
        elif loaded.kind == "document":
            self._show_placeholder(self.tr("This file is a document"))
            self._set_note(self.tr("This file is a document, not a photo"))
            self.open_button.setVisible(True)
        elif loaded.kind == "refused":
            self._show_placeholder(self.tr("Not shown"))
            self._set_note(self.tr("This file is not a photo and is not shown"))
        else:
            self._show_placeholder(self.tr("Not shown"))
            self._set_note(self._error_text(loaded.error_code))
        self._update_actions()

    def _load_failed(self, generation: int, exc: BaseException) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        if isinstance(exc, OSError):
            log.error("photo could not be read: %s", exc)
            self._show_placeholder(self.tr("Not shown"))
            self._set_note(self.tr("This photo could not be read from the disk"))
            return
        self._context.tasks.unexpected_error.emit(exc)

    def _full_failed(self, exc: BaseException) -> None:
        if isinstance(exc, (images.ImageError, OSError)):
            self._set_note(self.tr("The full resolution could not be read; this is the "
                                   "preview"))
        else:
            self._context.tasks.unexpected_error.emit(exc)

    def _error_text(self, code: str | None) -> str:
        if code == "too_many_pixels":
            return self.tr("This photo is too large to show")
        if code == "missing":
            return self.tr("This photo has not been received yet")
        return self.tr("This photo could not be read")

    def _taken_text(self, taken: datetime | None) -> str:
        if taken is None:
            return self.tr("date taken unknown")
        when = taken.strftime("%d-%m-%Y %H:%M")
        return self.tr("taken {date}").format(date=when)

    def _show_patient(self, photo: AttachmentView | None) -> None:
        name = reveal_hidden(self._patient_name) or self.tr("Unknown patient")
        born = (self._birth_date.strftime("%d-%m-%Y") if self._birth_date
                else self.tr("unknown"))
        self.patient_label.setText(self.tr("{name}, born {date}").format(name=name, date=born))
        sent = (photo.sent_at if photo is not None and photo.sent_at else None) or self._received
        if sent is None:
            self.sent_label.setText("")
            return
        if sent.tzinfo is not None:
            sent = sent.astimezone()
        self.sent_label.setText(self.tr("sent {date}").format(
            date=sent.strftime("%d-%m-%Y %H:%M")))

    def header_text(self) -> str:
        """Whose photo this is and when it was sent, as the header line shows it."""
        return " – ".join(text for text in (self.patient_label.text(), self.sent_label.text())
                          if text)

    def _show_placeholder(self, text: str) -> None:
        self.placeholder.setText(text)
        self._main_stack.setCurrentWidget(self.placeholder)

    def _set_note(self, text: str) -> None:
        self.note_label.setText(text)
        self.note_label.setVisible(bool(text))

    def note(self) -> str:
        """The note shown above the photo (partial, refused, document), empty when none."""
        return self.note_label.text()

    def _update_actions(self) -> None:
        is_photo = self._loaded is not None and self._loaded.kind == "photo"
        for made in (self.fit_action, self.actual_size_action, self.zoom_in_action,
                     self.zoom_out_action, self.rotate_left_action, self.rotate_right_action,
                     self.save_action):
            made.setEnabled(is_photo)
        self.previous_action.setEnabled(self._index > 0)
        self.next_action.setEnabled(self._index + 1 < len(self._photos))
        self.compare_action.setEnabled(bool(self._earlier))

    # -- rotation, full screen ---------------------------------------------------------------
    def _rotate_left(self) -> None:
        self.canvas.rotate_left()

    def _rotate_right(self) -> None:
        self.canvas.rotate_right()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.leave_full_screen()
        else:
            self.showFullScreen()
            self.full_screen_action.setChecked(True)

    def leave_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        self.full_screen_action.setChecked(False)

    def escape(self) -> None:
        """Esc: leave full screen, or close the viewer when it is not full screen."""
        if self.isFullScreen():
            self.leave_full_screen()
        else:
            self.close()

    # -- compare -----------------------------------------------------------------------------
    def comparing(self) -> bool:
        return self.compare_panel.isVisible()

    def _toggle_compare(self) -> None:
        on = self.compare_action.isChecked() and bool(self._earlier)
        self.compare_panel.setVisible(on)
        if on:
            half = max(1, self._splitter.width() // 2)
            self._splitter.setSizes([half, half])
            self._earlier_chosen(self.earlier_combo.currentIndex())
        else:
            self._compare_generation += 1
            self.compare_canvas.clear()

    def _earlier_chosen(self, row: int) -> None:
        if not self.compare_panel.isVisible() or not (0 <= row < len(self._earlier)):
            return
        self._compare_generation += 1
        generation = self._compare_generation
        self.compare_canvas.clear()
        self.compare_note.setText(self.tr("Loading photo…"))
        sha256 = self._earlier[row][1].sha256
        self._context.tasks.run_io(lambda: load_photo(self._pipeline, sha256),
                                   lambda loaded: self._compare_loaded(generation, sha256,
                                                                       loaded),
                                   lambda exc: self._compare_failed(generation, exc))

    def _compare_loaded(self, generation: int, sha256: str, loaded: LoadedPhoto) -> None:
        if not shiboken6.isValid(self) or generation != self._compare_generation:
            return
        if loaded.kind != "photo":
            self.compare_note.setText(self.tr("This file is not a photo and is not shown")
                                      if loaded.kind != "unreadable"
                                      else self._error_text(loaded.error_code))
            return
        self.compare_canvas.show_image(
            loaded.image, loaded.full_size,
            (lambda: load_full(self._pipeline, sha256)) if loaded.has_more else None)
        self.compare_note.setText(self._taken_text(loaded.taken))
        if self.canvas.has_image():
            self.compare_canvas.set_view(self.canvas.zoom(), self.canvas.centre())

    def _compare_failed(self, generation: int, exc: BaseException) -> None:
        if not shiboken6.isValid(self) or generation != self._compare_generation:
            return
        if isinstance(exc, OSError):
            self.compare_note.setText(self.tr("This photo could not be read from the disk"))
            return
        self._context.tasks.unexpected_error.emit(exc)

    def _main_view_changed(self, zoom: float, centre: QPointF) -> None:
        if self.comparing() and self.compare_canvas.has_image():
            self.compare_canvas.set_view(zoom, centre)

    def _compare_view_changed(self, zoom: float, centre: QPointF) -> None:
        if self.comparing() and self.canvas.has_image():
            self.canvas.set_view(zoom, centre)

    # -- save and open -----------------------------------------------------------------------
    def export_dir(self) -> Path:
        return self._export_dir if self._export_dir is not None else \
            _default_export_dir(self._context)

    def save_for_his(self) -> None:
        """Save the photo as a JPEG without EXIF or location for the HIS, and log it."""
        photo, loaded = self.current(), self._loaded
        if photo is None or loaded is None or loaded.kind != "photo" or not photo.sha256:
            return
        blobs, sha256, folder = self._context.blobs, photo.sha256, self.export_dir()
        patient, when = self._patient_name, loaded.taken or self._received
        rotation = self.canvas.rotation()  # saved as turned on screen
        self.save_action.setEnabled(False)
        self.statusBar().showMessage(self.tr("Saving the photo…"))
        self._context.tasks.run_io(
            lambda: images.save_for_his(blobs, sha256, folder, patient, when, rotation),
            lambda path: self._saved_file(photo.id, path),
            self._save_failed)

    def _saved_file(self, attachment_id: int, path: Path) -> None:
        engine, actor, name = self._context.engine, self._context.actor, Path(path).name
        self._context.tasks.run_db(
            lambda: images.record_photo_save(engine, attachment_id, actor, name),
            lambda _result: self._save_recorded(attachment_id, Path(path)),
            self._save_failed)

    def _save_recorded(self, attachment_id: int, path: Path) -> None:
        if not shiboken6.isValid(self):
            return
        self._update_actions()
        self.statusBar().showMessage(self.tr("Saved for the HIS: {path}").format(
            path=str(path)))
        self.saved.emit(attachment_id, path.name)

    def _save_failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._update_actions()
        if isinstance(exc, TriageError):
            self.statusBar().showMessage(self.tr("The photo was not saved: your user account "
                                                 "is not known in this practice"))
            return
        if isinstance(exc, (OSError, images.ImageError)):
            log.error("photo could not be saved: %s", exc)
            self.statusBar().showMessage(
                self.tr("The photo could not be saved: {reason}").format(
                    reason=getattr(exc, "strerror", None) or str(exc)))
            return
        self.statusBar().clearMessage()
        self._context.tasks.unexpected_error.emit(exc)

    def open_in_system_viewer(self) -> None:
        """A document: hand a temporary copy to the system's viewer."""
        photo, loaded = self.current(), self._loaded
        if photo is None or not photo.sha256:
            return
        if self._temp_dir is None:
            self._temp_dir = tempfile.TemporaryDirectory(prefix="workbench-",
                                                         ignore_cleanup_errors=True)
        mime = (loaded.mime if loaded else None) or photo.content_type or ""
        suffix = mimetypes.guess_extension(mime) or ""
        target = Path(self._temp_dir.name) / f"attachment-{photo.id}{suffix}"
        blobs, sha256 = self._context.blobs, photo.sha256

        def copy() -> Path:
            target.write_bytes(blobs.read(sha256))
            return target

        self._context.tasks.run_io(copy, lambda path: self._open_url(QUrl.fromLocalFile(str(path))),
                                   self._open_failed)

    def _open_failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        if isinstance(exc, OSError):
            log.error("document could not be copied for the system viewer: %s", exc)
            self.statusBar().showMessage(self.tr("The file could not be opened: {reason}").format(
                reason=exc.strerror or str(exc)))
            return
        self._context.tasks.unexpected_error.emit(exc)

    # -- Qt overrides ------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self._generation += 1
        self._compare_generation += 1
        self.canvas.clear()
        self.compare_canvas.clear()
        if self.isFullScreen():
            self.showNormal()
        super().closeEvent(event)
