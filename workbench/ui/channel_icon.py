"""The channel an e-consult came by (the portal or secure mail): a small drawn icon, with words."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from workbench.ui import colours

PORTAL = "portal"
MAIL = "mail"
ICON_PIXELS = 16
_ICONS: dict[str, QIcon] = {}  # drawn once per channel (needs the application to exist)


def channel_tooltip(channel: str | None) -> str:
    """"Portal" or "Secure mail": what the tooltip and a screen reader say."""
    if channel == MAIL:
        return QCoreApplication.translate("ChannelIcon", "Secure mail")
    return QCoreApplication.translate("ChannelIcon", "Portal")


def channel_icon(channel: str | None) -> QIcon:
    """An envelope for secure mail, a globe for the portal (anything else: the
    portal, where e-consults came from before there was a second channel)."""
    key = MAIL if channel == MAIL else PORTAL
    icon = _ICONS.get(key)
    if icon is None:
        icon = _ICONS[key] = _draw(key)
    return icon


def _draw(channel: str) -> QIcon:
    icon = QIcon()
    for scale in (1, 2):
        size = ICON_PIXELS * scale
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(scale, scale)
        pen = QPen(QColor(colours.PATIENT_AUTHOR), 1.2)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        if channel == MAIL:
            _envelope(painter)
        else:
            _globe(painter)
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        icon.addPixmap(pixmap)
    return icon


def _envelope(painter: QPainter) -> None:
    body = QRectF(1.5, 3.5, 13, 9)
    painter.setBrush(QColor(colours.BASE))
    painter.drawRoundedRect(body, 1, 1)
    flap = QPainterPath(QPointF(body.left() + 0.5, body.top() + 0.5))
    flap.lineTo(QPointF(body.center().x(), body.top() + 5.5))
    flap.lineTo(QPointF(body.right() - 0.5, body.top() + 0.5))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(flap)


def _globe(painter: QPainter) -> None:
    painter.setBrush(QColor(colours.BASE))
    painter.drawEllipse(QRectF(1.5, 1.5, 13, 13))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(QRectF(5.25, 1.5, 5.5, 13))  # a meridian
    painter.drawLine(QPointF(1.5, 8), QPointF(14.5, 8))  # the equator
    painter.drawLine(QPointF(3, 4.75), QPointF(13, 4.75))  # two parallels
    painter.drawLine(QPointF(3, 11.25), QPointF(13, 11.25))
