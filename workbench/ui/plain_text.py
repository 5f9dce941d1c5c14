"""Widgets that show patient text as plain text only: never rich text or HTML; and names and
addresses with their invisible characters made visible."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

# Characters that change how the text around them is shown without being seen themselves:
# bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069), direction marks
# (U+200E, U+200F, U+061C) and zero-width characters (U+200B-200D, U+2060, U+FEFF). In a name
# or an address they can make "moc.knab" read as "bank.com" or hide what is really there.
HIDDEN_CHARACTERS = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u061c"
                               "\u2060\ufeff]")


def reveal_hidden(text: str) -> str:
    """`text` with every such character replaced by a visible marker, such as ⟨U+202E⟩."""
    return HIDDEN_CHARACTERS.sub(lambda found: f"\u27e8U+{ord(found.group()):04X}\u27e9", text)


def plain_label(parent: QWidget | None = None) -> QLabel:
    """A wrapping, selectable label that never interprets its text as markup."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
