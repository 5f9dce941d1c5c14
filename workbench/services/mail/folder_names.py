"""IMAP mailbox names on the wire: modified UTF-7 (RFC 3501 5.1.3) and quoting."""

from __future__ import annotations

import base64


def encode_mailbox(name: str) -> str:
    """A folder name as IMAP wants it, quoted ("Verwerkt", "Sent Items", "Afgehandeld ✓")."""
    parts: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            encoded = base64.b64encode("".join(pending).encode("utf-16-be")).decode("ascii")
            parts.append("&" + encoded.rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            parts.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    wire = "".join(parts)
    return '"' + wire.replace("\\", "\\\\").replace('"', '\\"') + '"'


def decode_mailbox(wire: str) -> str:
    """The reverse of encode_mailbox for names a LIST reply gives (quoted or atom)."""
    if len(wire) >= 2 and wire[0] == '"' and wire[-1] == '"':
        wire = wire[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    out: list[str] = []
    index = 0
    while index < len(wire):
        char = wire[index]
        if char != "&":
            out.append(char)
            index += 1
            continue
        end = wire.find("-", index)
        if end < 0:  # not valid modified UTF-7: keep the rest as it is
            out.append(wire[index:])
            break
        chunk = wire[index + 1:end]
        if not chunk:
            out.append("&")
        else:
            padded = chunk.replace(",", "/") + "=" * (-len(chunk) % 4)
            try:
                out.append(base64.b64decode(padded).decode("utf-16-be"))
            except (ValueError, UnicodeDecodeError):
                out.append(wire[index:end + 1])
        index = end + 1
    return "".join(out)


def quote_string(text: str) -> str:
    """An IMAP quoted string for ASCII search keys (a Message-ID)."""
    if any(ord(c) < 0x20 or ord(c) > 0x7E for c in text):
        raise ValueError("only printable ASCII can be quoted")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
