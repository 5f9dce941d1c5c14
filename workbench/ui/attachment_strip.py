"""The consult pane's attachments: the photos as a strip of thumbnails (decoded off the GUI
thread, a few per turn of the event loop), and a line for each other, refused or missing
attachment."""

from __future__ import annotations

import html
import logging

import shiboken6
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.services.inbox import AttachmentView, ConsultDetail
from workbench.ui.context import UiContext
from workbench.ui.plain_text import plain_label

log = logging.getLogger(__name__)

THUMBNAIL_BATCH = 4  # thumbnails made per turn of the event loop
THUMBNAIL_SIZE = 120


def load_thumbnail(path: str, pixels: int, photos=None, sha256: str | None = None) -> QImage:
    """Worker side: the pipeline's cached thumbnail (type checked by bytes, pixel limit, the
    right way up) when there is a pipeline; a null image when it cannot be shown."""
    if photos is not None and sha256 is not None:
        from workbench.services.images import ImageError
        from workbench.ui.photo_canvas import to_qimage
        try:
            decoded = photos.thumbnail(sha256)
        except ImageError:
            return QImage()
        if decoded is None:
            return QImage()
        image = to_qimage(decoded.width, decoded.height, decoded.mode, decoded.data)
    else:
        image = QImage(path)
    if image.isNull():
        return image
    return image.scaled(pixels, pixels, Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)


def _is_photo(attachment: AttachmentView) -> bool:
    return attachment.content_type is None or attachment.content_type.startswith("image/")


class AttachmentStrip(QWidget):
    """Thumbnails of an e-consult's photos and notes on its other attachments.

    Signals:
        photo_clicked(int): the user wants to see a photo (attachment id).
    """

    photo_clicked = Signal(int)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._generation = 0  # thumbnails of an earlier showing are dropped
        self._thumbnails: dict[int, QToolButton] = {}
        self._photo_row = QWidget()
        self._photo_layout = QHBoxLayout(self._photo_row)
        self._photo_layout.setContentsMargins(0, 0, 0, 0)
        self._photo_layout.addStretch(1)
        self._photos = QScrollArea()
        self._photos.setWidget(self._photo_row)
        self._photos.setWidgetResizable(True)
        self._photos.setFrameShape(QFrame.Shape.NoFrame)
        self._photos.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._photos.setFixedHeight(THUMBNAIL_SIZE + 36)
        self._attachment_notes = plain_label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._photos)
        layout.addWidget(self._attachment_notes)
        self._photos.hide()
        self._attachment_notes.hide()

    def show_attachments(self, detail: ConsultDetail) -> None:
        """The photos of every message as thumbnails (made off the GUI thread), the other
        attachments and the refused or missing ones as a line each."""
        notes: list[str] = []
        generation = self._generation
        ratio = self.devicePixelRatioF() or 1.0
        pixels = round(THUMBNAIL_SIZE * ratio)
        photos: list[AttachmentView] = []
        for message in detail.messages:
            for attachment in message.attachments:
                if attachment.sha256 and _is_photo(attachment):
                    photos.append(attachment)
                elif attachment.sha256:
                    notes.append(self.tr("Attachment: {title}").format(
                        title=attachment.title or attachment.content_type or ""))
                elif attachment.error:
                    notes.append(self.tr("Photo refused: {code}").format(code=attachment.error))
                else:
                    notes.append(self.tr("Photo not yet received"))
        self._photos.setVisible(bool(photos))
        self._attachment_notes.setText("\n".join(notes))
        self._attachment_notes.setVisible(bool(notes))
        self._add_thumbnails(photos, generation, pixels, ratio)

    def _add_thumbnails(self, photos: list[AttachmentView], generation: int, pixels: int,
                        ratio: float) -> None:
        """A few thumbnails per turn of the event loop, each batch decoded by one worker task:
        a thread with a hundred photos never freezes the window."""
        if not shiboken6.isValid(self) or generation != self._generation or not photos:
            return
        batch, rest = photos[:THUMBNAIL_BATCH], photos[THUMBNAIL_BATCH:]
        for attachment in batch:
            self._add_thumbnail(attachment)
        store = self._context.blobs
        jobs = [(a.id, a.sha256) for a in batch]
        photos_pipeline = self._context.photos

        def load() -> list[tuple[int, QImage]]:
            # On the worker: on PostgreSQL store.path may fetch the bytes from the database.
            return [(aid, load_thumbnail("" if photos_pipeline else str(store.path(sha)),
                                         pixels, photos_pipeline, sha)) for aid, sha in jobs]

        self._context.tasks.run_io(
            load, lambda images: self._thumbnails_loaded(generation, images, ratio),
            lambda exc: [self._thumbnail_failed(generation, aid, exc) for aid, _s in jobs])
        if rest:
            QTimer.singleShot(0, lambda: self._add_thumbnails(rest, generation, pixels, ratio))

    def _thumbnails_loaded(self, generation: int, images: list[tuple[int, QImage]],
                           ratio: float) -> None:
        for attachment_id, image in images:
            self._thumbnail_loaded(generation, attachment_id, image, ratio)

    def _add_thumbnail(self, attachment: AttachmentView) -> None:
        button = QToolButton()
        button.setText(self.tr("Loading photo…"))
        button.setMinimumSize(QSize(THUMBNAIL_SIZE, THUMBNAIL_SIZE))
        button.setAutoRaise(True)
        title = attachment.title or self.tr("Photo")
        button.setAccessibleName(title)
        button.setToolTip(f"<p>{html.escape(title)}</p>")  # escaped: the title is the patient's
        attachment_id = attachment.id
        button.clicked.connect(lambda _checked=False: self.photo_clicked.emit(attachment_id))
        self._photo_layout.insertWidget(self._photo_layout.count() - 1, button)
        self._thumbnails[attachment_id] = button

    def _thumbnail_loaded(self, generation: int, attachment_id: int, image: QImage,
                          ratio: float) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        button = self._thumbnails.get(attachment_id)
        if button is None:
            return
        if image.isNull():
            log.warning("photo of attachment %s cannot be decoded", attachment_id)
            button.setText(self.tr("Photo cannot be shown"))
            return
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        button.setIcon(QIcon(pixmap))
        button.setIconSize(QSize(round(image.width() / ratio), round(image.height() / ratio)))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)

    def _thumbnail_failed(self, generation: int, attachment_id: int, exc: BaseException) -> None:
        log.error("thumbnail of attachment %s failed: %s", attachment_id, type(exc).__name__)
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        button = self._thumbnails.get(attachment_id)
        if button is not None:
            button.setText(self.tr("Photo cannot be shown"))

    def thumbnail_count(self) -> int:
        """Photos whose thumbnail has been decoded and shown."""
        return sum(1 for button in self._thumbnails.values() if not button.icon().isNull())

    def clear(self) -> None:
        """Another e-consult: thumbnails still on their way for this one are dropped."""
        self._generation += 1
        for button in self._thumbnails.values():
            self._photo_layout.removeWidget(button)
            button.deleteLater()
        self._thumbnails.clear()
