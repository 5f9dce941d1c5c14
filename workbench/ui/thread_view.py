"""The messages of one e-consult, oldest first, with patient text always shown literally."""

from __future__ import annotations

import html
import re

from PySide6.QtWidgets import QTextBrowser, QWidget

from workbench.services.inbox import MessageView
from workbench.store.models import Direction

# Found in the raw text, before escaping, so an escaped entity can never become part of a link.
_HTTPS_URL = re.compile(r"https://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}"


def text_to_html(text: str) -> str:
    """Plain patient text as HTML: every character escaped, newlines kept, https URLs linked."""
    parts: list[str] = []
    position = 0
    for found in _HTTPS_URL.finditer(text):
        url = found.group(0).rstrip(_TRAILING)
        if len(url) <= len("https://"):
            continue
        parts.append(html.escape(text[position:found.start()]))
        parts.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>')
        position = found.start() + len(url)
    parts.append(html.escape(text[position:]))
    joined = "".join(parts)
    return joined.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


class ThreadView(QTextBrowser):
    """Read-only view of an e-consult thread; only https links are clickable (opened outside).

    Signals: none of its own (QTextBrowser's).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setOpenExternalLinks(True)
        self.setAccessibleName(self.tr("Messages"))
        self.setPlaceholderText(self.tr("No messages"))

    def show_messages(self, messages: list[MessageView]) -> None:
        blocks = [self._message_html(m) for m in sorted(messages, key=lambda m: m.sent_at)]
        self.setHtml("".join(blocks))
        self.verticalScrollBar().setValue(0)

    def plain_text(self) -> str:
        return self.toPlainText()

    def _message_html(self, message: MessageView) -> str:
        if message.direction is Direction.IN:
            direction = self.tr("Patient or carer")
            colour = "#1f4e79"
        else:
            direction = self.tr("Practice")
            colour = "#2e6b30"
        author = message.author or self.tr("Unknown sender")
        when = message.sent_at.astimezone().strftime("%d-%m-%Y %H:%M")
        header = (f'<span style="color:{colour}; font-weight:600;">{html.escape(author)}</span>'
                  f'<span style="color:#555555;"> \u00b7 {html.escape(direction)}'
                  f' \u00b7 {html.escape(when)}</span>')
        body = text_to_html(message.text or "")
        return (f'<p style="margin-top:10px; margin-bottom:2px;">{header}</p>'
                f'<p style="margin-top:0px; margin-bottom:8px;">{body}</p>')
