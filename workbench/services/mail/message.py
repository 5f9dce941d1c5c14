"""Raw RFC 822 mail into an e-consult-shaped dataclass, with limits part by part; replies."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import formatdate, getaddresses, make_msgid, parseaddr, parsedate_to_datetime

from workbench.services.mail.errors import MailMessageRefused
from workbench.services.mail.html_text import html_to_text

log = logging.getLogger(__name__)

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MAX_REFERENCES = 50


@dataclass(frozen=True)
class MessageLimits:
    """What one mail may hold before we refuse it, or a part of it. The whole mail is
    parsed in memory, so the message cap also bounds the parser's work."""

    max_message_bytes: int = 50 * 1024 * 1024
    max_parts: int = 100                  # leaves and containers, walked in order
    max_depth: int = 8                    # multipart inside multipart inside ...
    max_attachments: int = 20
    max_part_bytes: int = 25 * 1024 * 1024      # one decoded part
    max_attachment_total_bytes: int = 40 * 1024 * 1024
    max_text_chars: int = 200_000
    max_refusals_listed: int = 50         # a bomb of 10,000 parts gives 50 reasons and a count


@dataclass(frozen=True)
class MailAttachment:
    filename: str | None
    declared_type: str  # what the mail says; never trusted: the image pipeline checks bytes
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class RefusedPart:
    index: int              # the part's place in walk order (0 = the message itself)
    declared_type: str
    filename: str | None
    reason: str             # "too_many_parts", "nesting", "too_large", "too_many_attachments",
                            # "total_too_large", "undecodable"


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str = ""


@dataclass(frozen=True)
class ParsedMail:
    message_id: str
    message_id_is_hash: bool          # the mail had none: "<sha256:...>" of its bytes
    in_reply_to: str | None
    references: tuple[str, ...]
    subject: str
    from_address: str
    from_name: str
    to: tuple[Recipient, ...]
    cc: tuple[Recipient, ...]
    recipient_count: int
    has_other_recipients: bool       # someone besides the practice received it too
    date: datetime | None            # aware; None when missing or unparseable
    text: str
    text_from_html: bool
    text_truncated: bool
    attachments: tuple[MailAttachment, ...]
    refused_parts: tuple[RefusedPart, ...]
    refused_part_count: int
    size: int

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """The ids this mail may answer, nearest first: its In-Reply-To, then References
        from the newest back."""
        ids = [self.in_reply_to] if self.in_reply_to else []
        ids.extend(ref for ref in reversed(self.references) if ref not in ids)
        return tuple(ids)


def hash_message_id(raw: bytes) -> str:
    return f"<sha256:{hashlib.sha256(raw).hexdigest()}>"


def parse_mail(raw: bytes, practice_address: str,
               limits: MessageLimits | None = None) -> ParsedMail:
    """A mail as the e-consult store wants it. Raises MailMessageRefused for a mail too large
    or too broken to read at all; an unsafe part is only listed in `refused_parts`."""
    limits = limits or MessageLimits()
    if len(raw) > limits.max_message_bytes:
        raise MailMessageRefused("too_large", f"{len(raw)} bytes")
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except (RecursionError, MemoryError) as exc:
        raise MailMessageRefused("unparseable", type(exc).__name__) from exc

    found_id = _first_id(_header(message, "Message-ID"))
    in_reply_to = _first_id(_header(message, "In-Reply-To"))
    references = tuple(_MESSAGE_ID.findall(_header(message, "References")))[-_MAX_REFERENCES:]
    from_name, from_address = _sender(message)
    to = _recipients(message, "To")
    cc = _recipients(message, "Cc")
    practice = practice_address.strip().lower()
    distinct = {r.address.lower() for r in (*to, *cc)}
    body = _Body(limits)
    body.walk(message)
    text = body.text()
    truncated = len(text) > limits.max_text_chars
    return ParsedMail(
        message_id=found_id or hash_message_id(raw),
        message_id_is_hash=found_id is None,
        in_reply_to=in_reply_to,
        references=references,
        subject=_CONTROL.sub(" ", _header(message, "Subject")).strip(),
        from_address=from_address,
        from_name=from_name,
        to=to,
        cc=cc,
        recipient_count=len(distinct),
        has_other_recipients=bool(distinct - {practice}),
        date=_date(_header(message, "Date")),
        text=text[:limits.max_text_chars],
        text_from_html=body.text_is_html,
        text_truncated=truncated,
        attachments=tuple(body.attachments),
        refused_parts=tuple(body.refused[:limits.max_refusals_listed]),
        refused_part_count=len(body.refused),
        size=len(raw),
    )


class _Body:
    """Walks the MIME tree without recursion (a deep tree cannot exhaust the stack)."""

    def __init__(self, limits: MessageLimits) -> None:
        self.limits = limits
        self.plain: list[str] = []
        self.html: list[str] = []
        self.attachments: list[MailAttachment] = []
        self.refused: list[RefusedPart] = []
        self.attachment_bytes = 0
        self.text_is_html = False

    def walk(self, message: Message) -> None:
        stack: list[tuple[Message, int]] = [(message, 0)]
        index = -1
        while stack:
            part, depth = stack.pop()
            index += 1
            if index >= self.limits.max_parts:
                self._refuse(index, part, "too_many_parts")
                continue
            if depth > self.limits.max_depth:
                self._refuse(index, part, "nesting")
                continue
            content_type = part.get_content_type()
            if part.is_multipart() and content_type != "message/rfc822":
                children = part.get_payload()
                if isinstance(children, list):
                    stack.extend((child, depth + 1) for child in reversed(children))
                continue
            self._leaf(index, part, depth)

    def _leaf(self, index: int, part: Message, depth: int) -> None:
        content_type = part.get_content_type()
        filename = _filename(part)
        disposition = (part.get_content_disposition() or "").lower()
        is_body_text = (content_type in ("text/plain", "text/html") and not filename
                        and disposition != "attachment")
        if content_type == "message/rfc822":
            # A forwarded mail: kept whole as an attachment, if it is not itself a nest.
            inner = part.get_payload()
            if _nesting(inner[0] if isinstance(inner, list) and inner else part) > \
                    self.limits.max_depth - depth:
                self._refuse(index, part, "nesting")
                return
        estimate = _decoded_size_estimate(part)
        if estimate > self.limits.max_part_bytes:
            self._refuse(index, part, "too_large")
            return
        if not is_body_text:
            if len(self.attachments) >= self.limits.max_attachments:
                self._refuse(index, part, "too_many_attachments")
                return
            if self.attachment_bytes + estimate > self.limits.max_attachment_total_bytes:
                self._refuse(index, part, "total_too_large")
                return
        data = _decoded(part)
        if data is None:
            self._refuse(index, part, "undecodable")
            return
        if is_body_text:
            text = _as_text(part, data)
            (self.plain if content_type == "text/plain" else self.html).append(text)
            return
        if self.attachment_bytes + len(data) > self.limits.max_attachment_total_bytes:
            self._refuse(index, part, "total_too_large")
            return
        self.attachment_bytes += len(data)
        self.attachments.append(MailAttachment(filename, content_type, data))

    def _refuse(self, index: int, part: Message, reason: str) -> None:
        self.refused.append(RefusedPart(index, part.get_content_type(), _filename(part), reason))

    def text(self) -> str:
        if any(piece.strip() for piece in self.plain):
            return "\n\n".join(piece.strip("\r\n") for piece in self.plain if piece.strip())
        if self.html:
            self.text_is_html = True
            return "\n\n".join(filter(None, (html_to_text(piece) for piece in self.html)))
        return ""


def _nesting(message: Message) -> int:
    """How deep a part's tree goes, counted without recursion."""
    deepest = 0
    stack: list[tuple[Message, int]] = [(message, 0)]
    seen = 0
    while stack:
        part, depth = stack.pop()
        seen += 1
        deepest = max(deepest, depth)
        if seen > 10_000:
            return 10_000
        children = part.get_payload() if part.is_multipart() else None
        if isinstance(children, list):
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _decoded_size_estimate(part: Message) -> int:
    payload = part.get_payload()
    if isinstance(payload, list):  # message/rfc822: its serialised size
        return sum(len(str(p)) for p in payload)
    size = len(payload) if isinstance(payload, (str, bytes)) else 0
    if (part.get("Content-Transfer-Encoding") or "").strip().lower() == "base64":
        return size * 3 // 4
    return size


def _decoded(part: Message) -> bytes | None:
    try:
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            return inner[0].as_bytes() if isinstance(inner, list) and inner else None
        data = part.get_payload(decode=True)
    except (ValueError, TypeError, LookupError, RecursionError):
        return None
    return data if isinstance(data, bytes) else None


def _as_text(part: Message, data: bytes) -> str:
    charset = part.get_content_charset() or "utf-8"
    try:
        return data.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know: most such mail is UTF-8 or Latin-1
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except (ValueError, TypeError, LookupError):
        return None
    if not name:
        return None
    name = _CONTROL.sub("", str(name)).replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:200] or None


def _header(message: Message, name: str) -> str:
    """A header's decoded text; lenient: a malformed header gives its raw text or ''."""
    try:
        value = message.get(name)
    except (ValueError, TypeError, IndexError, LookupError):
        value = None
        for key, raw in message.raw_items():
            if key.lower() == name.lower():
                value = raw
                break
    return "" if value is None else str(value)


def _first_id(value: str) -> str | None:
    match = _MESSAGE_ID.search(value)
    return match.group(0) if match else None


def _sender(message: Message) -> tuple[str, str]:
    try:
        header = message.get("From")
        addresses = getattr(header, "addresses", ())
        if addresses:
            first = addresses[0]
            return str(first.display_name or ""), str(first.addr_spec or "").strip().lower()
    except (ValueError, TypeError, IndexError, LookupError):
        pass
    name, address = parseaddr(_header(message, "From"))
    return name, address.strip().lower()


def _recipients(message: Message, name: str) -> tuple[Recipient, ...]:
    found: dict[str, Recipient] = {}
    try:
        headers = message.get_all(name) or []
        pairs = []
        for header in headers:
            addresses = getattr(header, "addresses", None)
            if addresses is None:
                pairs.extend(getaddresses([str(header)]))
            else:
                pairs.extend((a.display_name, a.addr_spec) for a in addresses)
    except (ValueError, TypeError, IndexError, LookupError):
        pairs = getaddresses([_header(message, name)])
    for display_name, address in pairs:
        address = (address or "").strip().lower()
        if address and "@" in address and address not in found:
            found[address] = Recipient(address, display_name or "")
    return tuple(found.values())


def _date(value: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:  # "-0000": the sender's zone is unknown; the instant is UTC
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


# -- answering ------------------------------------------------------------------------------------

def make_message_id(practice_address: str) -> str:
    """Made when the answer is queued, so a retry sends the very same id (exactly once)."""
    domain = practice_address.rsplit("@", 1)[-1].strip() or None
    return make_msgid(domain=domain)


def reply_subject(subject: str) -> str:
    stripped = subject.strip()
    if re.match(r"(?i)^(re|antw|aw)\s*:", stripped):
        return stripped
    return f"Re: {stripped}" if stripped else "Re: uw bericht"


def compose_reply(*, practice_address: str, practice_name: str, to_address: str, to_name: str,
                  subject: str, body: str, message_id: str,
                  replying_to: ParsedMail | None = None,
                  attachments: tuple[MailAttachment, ...] | list[MailAttachment] = (),
                  date: datetime | None = None, in_reply_to: str | None = None,
                  references: tuple[str, ...] | list[str] = ()) -> EmailMessage:
    """An answer from the practice's address, threaded with In-Reply-To and References so
    the patient's mail program shows it under their question. Plain text only."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = Address(practice_name, addr_spec=practice_address)
    message["To"] = Address(to_name, addr_spec=to_address)
    message["Subject"] = subject
    message["Date"] = formatdate((date or datetime.now(timezone.utc)).timestamp(), localtime=True)
    message["Message-ID"] = message_id
    if replying_to is not None and not replying_to.message_id_is_hash:
        # A hash id is ours, not the sender's: their mail program would not know it.
        message["In-Reply-To"] = replying_to.message_id
        chain = [ref for ref in replying_to.references if ref != replying_to.message_id]
        chain.append(replying_to.message_id)
        if len(chain) > _MAX_REFERENCES:  # keep the thread's root and the newest ones
            chain = [chain[0], *chain[-(_MAX_REFERENCES - 1):]]
        message["References"] = " ".join(chain)
    elif in_reply_to:  # the ids kept in the store since the patient's mail came in
        chain = [ref for ref in references if ref != in_reply_to] + [in_reply_to]
        if len(chain) > _MAX_REFERENCES:
            chain = [chain[0], *chain[-(_MAX_REFERENCES - 1):]]
        message["In-Reply-To"] = in_reply_to
        message["References"] = " ".join(chain)
    message.set_content(body, subtype="plain", charset="utf-8")
    for attachment in attachments:
        maintype, _, subtype = attachment.declared_type.partition("/")
        message.add_attachment(attachment.data, maintype=maintype or "application",
                               subtype=subtype or "octet-stream",
                               filename=attachment.filename or "bijlage")
    return message
