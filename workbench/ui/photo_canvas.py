"""One photo on screen: fit, zoom around the cursor, pan, rotate, and full resolution on demand."""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QImage,
    QKeyEvent,
    QPainter,
    QPixmap,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

from workbench.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

ZOOM_STEP = 1.25
MIN_ZOOM = 0.02
MAX_ZOOM = 16.0


def to_qimage(width: int, height: int, mode: str, data: bytes) -> QImage:
    """Worker side: wrap raw row-major pixels ("RGB" or "RGBA") and copy them, so the QImage
    owns its memory and may travel to the GUI thread."""
    if mode == "RGBA":
        image = QImage(data, width, height, width * 4, QImage.Format.Format_RGBA8888)
    elif mode == "RGB":
        image = QImage(data, width, height, width * 3, QImage.Format.Format_RGB888)
    else:
        raise ValueError(f"unsupported pixel mode {mode!r}")
    return image.copy()


class PhotoCanvas(QGraphicsView):
    """Shows one photo. Scene coordinates are pixels of the full-resolution image, whatever is
    on screen (the preview is scaled up to that size), so the zoom factor always means screen
    (device) pixels per full-resolution pixel: 1.0 is 100%, also on a high-DPI monitor.

    Fit to the window is the default and follows resizes until the user zooms. When the zoom
    goes beyond what the preview holds (or after `full_after_idle_ms` of rest), the full
    resolution is decoded through `tasks.run_io` and swapped in without moving the view.

    Signals:
        view_changed(float, QPointF): zoom and the centre of the view as a fraction of the
            image (0..1 in both directions, unrotated), for linking two canvases.
        full_loaded(): the full resolution is on screen.
        full_failed(object): decoding the full resolution failed (the exception).
    """

    view_changed = Signal(float, QPointF)
    full_loaded = Signal()
    full_failed = Signal(object)

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None, *,
                 full_after_idle_ms: int | None = 1500) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._scene = QGraphicsScene(self)
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._scene.addItem(self._item)
        self.setScene(self._scene)
        self._full_size = QSize()
        self._source_width = 0        # pixels across of what is on screen
        self._showing_full = True
        self._load_full: Callable[[], QImage] | None = None
        self._full_requested = False
        self._generation = 0          # a full image of an earlier photo is dropped
        self._zoom = 1.0
        self._rotation = 0
        self._fit = True
        self._syncing = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._request_full)
        self._idle_ms = full_after_idle_ms
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(Qt.GlobalColor.darkGray)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # No scroll bars: panning is by dragging, and the view keeps its size when zooming.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.horizontalScrollBar().valueChanged.connect(self._scrolled)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

    # -- what is shown -----------------------------------------------------------------------
    def show_image(self, image: QImage, full_size: QSize,
                   load_full: Callable[[], QImage] | None = None) -> None:
        """Show `image` (a preview, or the full image when `load_full` is None) as a photo of
        `full_size` pixels. `load_full` runs on a worker and returns the full resolution."""
        self._generation += 1
        self._idle.stop()
        self._full_size = QSize(full_size)
        self._load_full = load_full
        self._full_requested = False
        self._showing_full = load_full is None
        self._rotation = 0
        self._set_pixmap(image)
        self._fit = True
        self._apply_fit()
        if load_full is not None and self._idle_ms is not None:
            self._idle.start(self._idle_ms)

    def clear(self) -> None:
        self._generation += 1
        self._idle.stop()
        self._item.setPixmap(QPixmap())
        self._full_size = QSize()
        self._source_width = 0
        self._load_full = None
        self._showing_full = True
        self._scene.setSceneRect(QRectF())

    def _set_pixmap(self, image: QImage) -> None:
        self._item.setPixmap(QPixmap.fromImage(image))
        self._source_width = max(1, image.width())
        scale_x = self._full_size.width() / max(1, image.width())
        scale_y = self._full_size.height() / max(1, image.height())
        self._item.setTransform(QTransform.fromScale(scale_x, scale_y))
        self._scene.setSceneRect(QRectF(0, 0, self._full_size.width(), self._full_size.height()))

    def has_image(self) -> bool:
        return not self._full_size.isEmpty()

    def showing_full(self) -> bool:
        """Whether the full resolution is on screen (not the preview)."""
        return self.has_image() and self._showing_full

    def image_size(self) -> QSize:
        """The full-resolution size as displayed: width and height swap when turned 90°."""
        if self._rotation % 180:
            return self._full_size.transposed()
        return QSize(self._full_size)

    def displayed_pixels(self) -> QSize:
        """Pixels across and down of the image that is on screen (preview or full)."""
        pixmap = self._item.pixmap()
        return QSize() if pixmap.isNull() else pixmap.size()

    def zoom(self) -> float:
        return self._zoom

    def rotation(self) -> int:
        """Degrees clockwise: 0, 90, 180 or 270."""
        return self._rotation

    def is_fitted(self) -> bool:
        return self._fit

    def centre(self) -> QPointF:
        """Centre of the view as a fraction of the (unrotated) image."""
        if not self.has_image():
            return QPointF(0.5, 0.5)
        point = self.mapToScene(self.viewport().rect().center())
        return QPointF(point.x() / self._full_size.width(), point.y() / self._full_size.height())

    # -- view changes ------------------------------------------------------------------------
    def fit(self) -> None:
        self._fit = True
        self._apply_fit()

    def fit_zoom(self) -> float:
        size = self.image_size()
        if size.isEmpty():
            return 1.0
        area = self.viewport().size() * self.devicePixelRatioF()
        return max(MIN_ZOOM, min(area.width() / size.width(), area.height() / size.height()))

    def set_zoom(self, zoom: float, anchor: QPoint | None = None) -> None:
        """Zoom to `zoom` (1.0 = 100%) keeping the image point under `anchor` (viewport
        coordinates; the centre when None) where it is."""
        self._fit = False
        self._zoom_to(zoom, anchor)

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom / ZOOM_STEP)

    def actual_size(self) -> None:
        self.set_zoom(1.0)

    def rotate_right(self) -> None:
        self._rotate(90)

    def rotate_left(self) -> None:
        self._rotate(-90)

    def set_view(self, zoom: float, centre: QPointF) -> None:
        """Take over another canvas's zoom and centre (fractions of the image)."""
        if not self.has_image():
            return
        self._syncing = True
        try:
            self._fit = False
            self._zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
            self._apply_transform()
            self.centerOn(centre.x() * self._full_size.width(),
                          centre.y() * self._full_size.height())
        finally:
            self._syncing = False
        self._check_resolution()

    def _rotate(self, degrees: int) -> None:
        if not self.has_image():
            return
        centre = self.centre()
        self._rotation = (self._rotation + degrees) % 360
        if self._fit:
            self._apply_fit()
        else:
            self._apply_transform()
            self.centerOn(centre.x() * self._full_size.width(),
                          centre.y() * self._full_size.height())
            self._emit_view()

    def _apply_fit(self) -> None:
        if not self.has_image():
            return
        self._zoom = self.fit_zoom()
        self._apply_transform()
        self.centerOn(self._full_size.width() / 2, self._full_size.height() / 2)
        self._emit_view()
        self._check_resolution()

    def _zoom_to(self, zoom: float, anchor: QPoint | None) -> None:
        if not self.has_image():
            return
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        if anchor is None:
            anchor = self.viewport().rect().center()
        fixed = self.mapToScene(anchor)
        self._zoom = zoom
        self._apply_transform()
        moved = self.mapFromScene(fixed) - anchor
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + moved.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + moved.y())
        self._emit_view()
        self._check_resolution()

    def _apply_transform(self) -> None:
        transform = QTransform()
        transform.rotate(self._rotation)
        scale = self._zoom / self.devicePixelRatioF()  # zoom counts device pixels
        transform.scale(scale, scale)
        self.setTransform(transform)

    def _scrolled(self, _value: int) -> None:
        self._emit_view()

    def _emit_view(self) -> None:
        if self._syncing or not self.has_image():
            return
        self.view_changed.emit(self._zoom, self.centre())

    # -- full resolution ---------------------------------------------------------------------
    def _check_resolution(self) -> None:
        """Ask for the full image once the preview's pixels are bigger than screen pixels."""
        if self._showing_full or self._full_requested or not self.has_image():
            return
        preview_zoom = self._zoom * self._full_size.width() / self._source_width
        if preview_zoom > 1.01:
            self._request_full()

    def _request_full(self) -> None:
        if self._showing_full or self._full_requested or self._load_full is None:
            return
        self._full_requested = True
        self._idle.stop()
        generation = self._generation
        self._tasks.run_io(self._load_full,
                           lambda image: self._full_arrived(generation, image),
                           lambda exc: self._full_error(generation, exc))

    def _full_arrived(self, generation: int, image: QImage) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        if image.isNull():
            self._full_error(generation, ValueError("empty image"))
            return
        # Scene coordinates are full-resolution pixels either way: the view does not move.
        self._set_pixmap(image)
        self._showing_full = True
        self.full_loaded.emit()

    def _full_error(self, generation: int, exc: BaseException) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        log.warning("full resolution could not be decoded: %s", type(exc).__name__)
        self.full_failed.emit(exc)

    # -- Qt overrides ------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit:
            self._apply_fit()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.DevicePixelRatioChange and self.has_image():
            # moved to a monitor with another scale: keep the zoom in device pixels right
            if self._fit:
                self._apply_fit()
            else:
                self.set_view(self._zoom, self.centre())
        return handled

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if not steps or not self.has_image():
            event.ignore()
            return
        self.set_zoom(self._zoom * ZOOM_STEP ** steps, event.position().toPoint())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key == Qt.Key.Key_Minus:
            self.zoom_out()
        elif key == Qt.Key.Key_0:
            self.fit()
        elif key == Qt.Key.Key_1:
            self.actual_size()
        else:
            super().keyPressEvent(event)
