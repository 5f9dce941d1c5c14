"""The messages of one e-consult, oldest first, with patient text always shown literally.

The document is built with a text cursor: patient text is inserted as text, never parsed as
HTML, so what the patient wrote is what the document holds (spaces and tabs included). The
words that raised urgency advice are highlighted with a character format on that text.

An https address in the patient's text looks like the rest of the text (the address itself is
what shows; its link target is that same address, never anything hidden), and clicking it first
asks, showing the full address, whether to open it in the browser. Direction overrides and
zero-width characters in an address or an author's name are shown as markers (⟨U+202E⟩), so
an address cannot pass for another one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDesktopServices,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QFrame,
    QMessageBox,
    QSizePolicy,
    QTextBrowser,
    QTextEdit,
    QWidget,
)

from workbench.services.inbox import MessageView
from workbench.store.models import Direction
from workbench.ui import colours
from workbench.ui.plain_text import reveal_hidden

# Found in the raw text, before escaping, so an escaped entity can never become part of a link.
_HTTPS_URL = re.compile(r"https://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}"
LINE_SEPARATOR = "\u2028"  # a line break inside one paragraph (toPlainText gives "\n")

HIGHLIGHT_BACKGROUND = QColor(colours.HIGHLIGHT_BACKGROUND)  # behind the advice's words
HIGHLIGHT_FOREGROUND = QColor(colours.HIGHLIGHT_TEXT)


def text_pieces(text: str) -> list[tuple[str, str | None]]:
    """Plain text cut into (piece, https link or None); newlines as line separators."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", LINE_SEPARATOR)
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for found in _HTTPS_URL.finditer(text):
        url = found.group(0).rstrip(_TRAILING)
        if len(url) <= len("https://"):
            continue
        if found.start() > position:
            pieces.append((text[position:found.start()], None))
        pieces.append((url, url))
        position = found.start() + len(url)
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


def highlight_terms(document: QTextDocument, terms: Iterable[str],
                    ranges: Iterable[tuple[int, int]] | None = None) -> int:
    """Give every occurrence of each term (case-insensitive) the highlight background, within
    the (start, end) ranges of the document (all of it when None). Returns how many."""
    highlight = QTextCharFormat()
    highlight.setBackground(QBrush(HIGHLIGHT_BACKGROUND))
    highlight.setForeground(QBrush(HIGHLIGHT_FOREGROUND))
    spans = list(ranges) if ranges is not None else [(0, document.characterCount() - 1)]
    count = 0
    for term in terms:
        term = term.replace("\n", " ").strip()
        if not term:
            continue
        for start, end in spans:
            cursor = QTextCursor(document)
            cursor.setPosition(start)
            while True:
                cursor = document.find(term, cursor)  # case-insensitive without flags
                if cursor.isNull() or cursor.selectionEnd() > end:
                    break
                cursor.mergeCharFormat(highlight)
                count += 1
    return count


class ThreadView(QTextBrowser):
    """Read-only view of an e-consult thread; only https addresses are clickable, and open in
    the browser after the user said yes to the full address.

    Signals: none of its own (QTextBrowser's).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setOpenLinks(False)  # a click only asks; see confirm_open
        self.anchorClicked.connect(self.confirm_open)
        self.setAccessibleName(self.tr("Messages"))
        self.setPlaceholderText(self.tr("No messages"))
        self.document().setUndoRedoEnabled(False)
        self._messages: list[MessageView] = []
        self._terms: list[str] = []
        self._bodies: dict[int, tuple[int, int]] = {}  # message id: its text in the document
        self._started = False

    def show_messages(self, messages: list[MessageView], highlight: Iterable[str] = ()) -> None:
        """Show a thread; `highlight`: words to mark in the patient's messages."""
        self._messages = sorted(messages, key=lambda m: m.sent_at)
        self._terms = [t for t in highlight if isinstance(t, str) and t.strip()]
        self._render()
        self.verticalScrollBar().setValue(0)

    def plain_text(self) -> str:
        return self.toPlainText()

    def body_range(self, message_id: int) -> tuple[int, int] | None:
        """Where a message's text stands in the document (start, end positions)."""
        return self._bodies.get(message_id)

    def highlighted_terms(self) -> list[str]:
        return list(self._terms)

    def confirm_open(self, url: QUrl) -> QMessageBox | None:
        """Ask, showing the whole address, before an address from the patient goes to the
        browser; No is the default. Only https addresses are ever opened."""
        if url.scheme().lower() != "https" or not url.isValid():
            return None
        address = url.toString()
        sent = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        text = self.tr("Open this address from the patient in your browser?") + \
            "\n\n" + reveal_hidden(address)
        if sent != address:  # e.g. look-alike letters in the name: say what the browser gets
            text += "\n\n" + self.tr("Your browser receives it as:") + "\n" + sent
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Open address"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("confirmOpenAddress")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)

        def answered(_result: int) -> None:
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                QDesktopServices.openUrl(url)
            box.deleteLater()

        box.finished.connect(answered)
        box.open()
        return box

    # -- building ----------------------------------------------------------------------------
    def _render(self) -> None:
        document = self.document()
        document.clear()
        self._bodies = {}
        self._started = False
        cursor = QTextCursor(document)
        for message in self._messages:
            self._add_message(cursor, message)
        if self._terms:
            highlight_terms(document, self._terms,
                            [self._bodies[m.id] for m in self._messages
                             if m.direction is Direction.IN and m.id in self._bodies])

    def _block(self, cursor: QTextCursor, top: float, bottom: float) -> None:
        """Start a paragraph (the document's first one is there already)."""
        block = QTextBlockFormat()
        block.setTopMargin(top)
        block.setBottomMargin(bottom)
        if self._started:
            cursor.insertBlock(block, QTextCharFormat())
        else:
            cursor.setBlockFormat(block)
            self._started = True

    def _add_message(self, cursor: QTextCursor, message: MessageView) -> None:
        if message.direction is Direction.IN:
            direction = self.tr("Patient or carer")
            colour = QColor(colours.PATIENT_AUTHOR)
        else:
            direction = self.tr("Practice")
            colour = QColor(colours.PRACTICE_AUTHOR)
        author = message.author or self.tr("Unknown sender")
        when = message.sent_at.astimezone().strftime("%d-%m-%Y %H:%M")
        self._block(cursor, 10, 2)
        name_format = QTextCharFormat()
        name_format.setForeground(QBrush(colour))
        name_format.setFontWeight(QFont.Weight.DemiBold)
        cursor.insertText(reveal_hidden(author), name_format)
        meta_format = QTextCharFormat()
        meta_format.setForeground(QBrush(QColor(colours.MESSAGE_META)))
        cursor.insertText(f" \u00b7 {direction} \u00b7 {when}", meta_format)
        self._block(cursor, 0, 8)
        start = cursor.position()
        for piece, link in text_pieces(message.text or ""):
            piece_format = QTextCharFormat()
            if link is not None:  # clickable, but shown as the plain text it is
                piece_format.setAnchor(True)
                piece_format.setAnchorHref(link)
                piece = reveal_hidden(piece)  # the target stays the address as written
            cursor.insertText(piece, piece_format)
        self._bodies[message.id] = (start, cursor.position())

    def _add_line(self, cursor: QTextCursor, text: str, colour: QColor) -> None:
        """A line of our own under the last message (for example its delivery state)."""
        self._block(cursor, 0, 8)
        line_format = QTextCharFormat()
        line_format.setForeground(QBrush(colour))
        cursor.insertText(text, line_format)


class HighlightLine(QTextEdit):
    """A label-like, selectable, wrapping line of plain text (a subject) in which words can be
    highlighted with a character format; never interprets the text as markup."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setAcceptRichText(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab keeps going to the actions
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.viewport().setAutoFillBackground(False)
        self.setStyleSheet("QTextEdit { background: transparent; }")
        self.document().setDocumentMargin(0)
        self.document().setUndoRedoEnabled(False)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()

    def setText(self, text: str) -> None:  # QLabel's name
        self.setPlainText(text)
        self._fit_height()

    def text(self) -> str:
        return self.toPlainText()

    def set_highlights(self, terms: Iterable[str]) -> int:
        return highlight_terms(self.document(), terms)

    def setFont(self, font: QFont) -> None:
        super().setFont(font)
        self.document().setDefaultFont(font)
        self._fit_height()

    def _fit_height(self, *_args) -> None:
        height = self.document().size().height()
        if height <= 0:
            height = self.fontMetrics().height()
        margins = self.contentsMargins()
        self.setFixedHeight(math.ceil(height) + margins.top() + margins.bottom()
                            + 2 * self.frameWidth())
