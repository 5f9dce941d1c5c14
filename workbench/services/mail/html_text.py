"""HTML mail as plain text: never rendered, never kept as markup (standard html.parser)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIPPED = frozenset({"script", "style", "head", "title", "template", "noscript", "svg",
                      "object", "iframe"})
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col",
                   "embed", "source", "track", "wbr", "param"})
_BLOCKS = frozenset({"div", "br", "li", "tr", "dt", "dd", "section", "article", "header",
                     "footer", "address", "figure", "figcaption", "form", "fieldset", "center",
                     "tbody", "thead", "caption"})
# Blocks that stand apart from their neighbours by a blank line, as in a mail program.
_PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table",
                         "blockquote", "pre", "hr"})
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_MAX_NESTING = 1000  # unclosed tags cannot make our stack grow without bound


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping: list[str] = []
        self.in_pre = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIPPED and tag not in _VOID:
            if len(self.skipping) < _MAX_NESTING:
                self.skipping.append(tag)
            return
        if self.skipping:
            return
        if tag in _BLOCKS or tag in _PARAGRAPHS:
            self.break_line(paragraph=tag in _PARAGRAPHS)
        if tag == "li":
            self.current.append("- ")
        elif tag in ("td", "th") and self.current:
            self.current.append("\t")
        elif tag == "pre":
            self.in_pre += 1

    def handle_startendtag(self, tag: str, attrs) -> None:
        if not self.skipping and (tag in _BLOCKS or tag in _PARAGRAPHS):
            self.break_line(paragraph=tag in _PARAGRAPHS)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            elif tag in self.skipping:
                while self.skipping and self.skipping.pop() != tag:
                    pass
            return
        if tag in _BLOCKS or tag in _PARAGRAPHS:
            self.break_line(paragraph=tag in _PARAGRAPHS)
        if tag == "pre" and self.in_pre:
            self.in_pre -= 1

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.in_pre:
            pieces = data.replace("\r\n", "\n").split("\n")
            for index, piece in enumerate(pieces):
                if index:
                    self.break_line(keep_empty=True)
                self.current.append(piece)
        else:
            self.current.append(_SPACES.sub(" ", data))

    def break_line(self, keep_empty: bool = False, paragraph: bool = False) -> None:
        line = "".join(self.current)
        line = line.rstrip() if self.in_pre else line.strip()
        if line or keep_empty:
            self.lines.append(line)
        if paragraph and self.lines and self.lines[-1] != "":
            self.lines.append("")  # a paragraph break, once
        self.current = []


def html_to_text(html: str) -> str:
    """Text of an HTML mail: scripts, styles and the head dropped, blocks on lines of their
    own, entities decoded. Whatever the input, the result holds no markup we made."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    collector.break_line()
    text = "\n".join(collector.lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
