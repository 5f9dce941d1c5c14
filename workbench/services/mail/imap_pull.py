"""Incremental, idempotent pull of one IMAP folder, moves to "Verwerkt", and the Sent folder.

The caller owns the cursor (UIDVALIDITY, last UID): it stores each message and only then
advances the cursor, so a killed pull resumes without loss; a re-pull imports nothing twice."""

from __future__ import annotations

import enum
import imaplib
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

from keyring.backend import KeyringBackend

from workbench.services.mail.connection import MailSettings, close_imap, open_imap
from workbench.services.mail.errors import MailProtocolError, MailUnreachable
from workbench.services.mail.folder_names import decode_mailbox, encode_mailbox, quote_string

log = logging.getLogger(__name__)

DEFAULT_MAX_MESSAGE_BYTES = 50 * 1024 * 1024
DEFAULT_BATCH_COUNT = 25
DEFAULT_BATCH_BYTES = 20 * 1024 * 1024

_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")
_APPENDUID = re.compile(rb"\[APPENDUID (\d+) (\d+)\]")
_LIST_LINE = re.compile(
    rb'^\((?P<flags>[^)]*)\) (?P<delimiter>"(?:[^"\\]|\\.)*"|NIL) (?P<name>.+)$')


@dataclass(frozen=True)
class FolderCursor:
    """Where the last pull of a folder stopped: stored by the caller after each message."""

    uidvalidity: int
    last_uid: int = 0


@dataclass(frozen=True)
class FolderState:
    """A folder as opened for a pull. When `uidvalidity_changed`, the UIDs of the caller's
    cursor mean nothing any more: `new_uids` is then the whole folder, and the caller must
    de-duplicate by Message-ID (or its hash) before storing."""

    folder: str
    uidvalidity: int
    uidvalidity_changed: bool
    new_uids: tuple[int, ...]
    read_only: bool

    def cursor_after(self, uid: int) -> FolderCursor:
        return FolderCursor(self.uidvalidity, uid)


@dataclass(frozen=True)
class PulledMessage:
    uid: int
    size: int
    raw: bytes | None       # None when refused: the caller records it and moves on
    refused: str | None = None  # "too_large"


class MoveOutcome(str, enum.Enum):
    MOVED = "moved"
    UNSUPPORTED = "unsupported"  # no MOVE on this server: the mail stays, nothing is deleted
    NOT_CONFIGURED = "not_configured"
    FAILED = "failed"


class MailboxClient:
    """One logged-in IMAP connection. Not thread-safe: one per worker."""

    def __init__(self, imap: imaplib.IMAP4, settings: MailSettings, *,
                 max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
                 batch_count: int = DEFAULT_BATCH_COUNT,
                 batch_bytes: int = DEFAULT_BATCH_BYTES) -> None:
        self.imap = imap
        self.settings = settings
        self.max_message_bytes = max_message_bytes
        self.batch_count = batch_count
        self.batch_bytes = batch_bytes
        self._selected: tuple[str, bool] | None = None

    @classmethod
    def connect(cls, settings: MailSettings, password: str | None = None, *,
                backend: KeyringBackend | None = None, **options) -> MailboxClient:
        return cls(open_imap(settings, password, backend=backend), settings, **options)

    def close(self) -> None:
        close_imap(self.imap)

    def __enter__(self) -> MailboxClient:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    def capabilities(self) -> frozenset[str]:
        return frozenset(str(c).upper() for c in self.imap.capabilities)

    @property
    def can_move(self) -> bool:
        return "MOVE" in self.capabilities

    # -- pulling ---------------------------------------------------------------------------------

    def open_folder(self, cursor: FolderCursor | None, folder: str | None = None) -> FolderState:
        """Selects the folder and lists the UIDs after the cursor, in ascending order."""
        folder = folder or self.settings.folder
        # Read-write only when we will move mail out of it; otherwise EXAMINE, which cannot
        # change flags or expunge anything.
        read_only = not (self.settings.processed_folder and self.can_move)
        uidvalidity = self._select(folder, read_only)
        changed = cursor is not None and cursor.uidvalidity != uidvalidity
        last_uid = 0 if cursor is None or changed else cursor.last_uid
        new_uids = self._uids_after(last_uid)
        if changed:
            log.warning("mail folder uidvalidity changed folder_uidvalidity=%s cursor=%s",
                        uidvalidity, cursor.uidvalidity if cursor else None)
        log.info("mail folder opened uidvalidity=%s after_uid=%s new=%s", uidvalidity, last_uid,
                 len(new_uids))
        return FolderState(folder, uidvalidity, changed, tuple(new_uids), read_only)

    def _select(self, folder: str, read_only: bool) -> int:
        typ, _ = self._call(self.imap.select, encode_mailbox(folder), read_only)
        if typ != "OK":
            raise MailProtocolError("folder_missing", "SELECT refused")
        _, values = self.imap.response("UIDVALIDITY")
        try:
            uidvalidity = int(values[-1])
        except (TypeError, ValueError, IndexError):
            raise MailProtocolError("protocol", "no UIDVALIDITY") from None
        self._selected = (folder, read_only)
        return uidvalidity

    def _uids_after(self, last_uid: int) -> list[int]:
        typ, data = self._call(self.imap.uid, "SEARCH", f"UID {last_uid + 1}:*")
        if typ != "OK":
            raise MailProtocolError("protocol", "UID SEARCH refused")
        uids = _numbers(data)
        # "n:*" always matches the highest UID, even when it is below n: filter it out.
        return sorted(uid for uid in set(uids) if uid > last_uid)

    def fetch(self, uids: tuple[int, ...] | list[int]) -> Iterator[PulledMessage]:
        """The messages in UID order, whole (BODY.PEEK[]: \\Seen stays as it was). A message
        larger than the cap is not downloaded; it comes back refused."""
        sizes = self._sizes(uids)
        batch: list[int] = []
        batch_bytes = 0
        for uid in sorted(uids):
            size = sizes.get(uid)
            if size is None:
                continue  # gone since the search (moved or expunged by another client)
            if size > self.max_message_bytes:
                yield from self._fetch_bodies(batch)
                batch, batch_bytes = [], 0
                log.warning("mail message refused uid=%s reason=too_large size=%s", uid, size)
                yield PulledMessage(uid, size, None, "too_large")
                continue
            if batch and (len(batch) >= self.batch_count or batch_bytes + size > self.batch_bytes):
                yield from self._fetch_bodies(batch)
                batch, batch_bytes = [], 0
            batch.append(uid)
            batch_bytes += size
        yield from self._fetch_bodies(batch)

    def _sizes(self, uids) -> dict[int, int]:
        sizes: dict[int, int] = {}
        ordered = sorted(uids)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start:start + 500]
            typ, data = self._call(self.imap.uid, "FETCH", _uid_set(chunk), "(UID RFC822.SIZE)")
            if typ != "OK":
                raise MailProtocolError("protocol", "UID FETCH RFC822.SIZE refused")
            for meta, _literal in _fetch_records(data):
                uid, size = _UID.search(meta), _SIZE.search(meta)
                if uid and size:
                    sizes[int(uid.group(1))] = int(size.group(1))
        return sizes

    def _fetch_bodies(self, batch: list[int]) -> Iterator[PulledMessage]:
        if not batch:
            return
        typ, data = self._call(self.imap.uid, "FETCH", _uid_set(batch), "(UID BODY.PEEK[])")
        if typ != "OK":
            raise MailProtocolError("protocol", "UID FETCH BODY.PEEK[] refused")
        bodies: dict[int, bytes] = {}
        for meta, literal in _fetch_records(data):
            uid = _UID.search(meta)
            if uid and literal is not None and int(uid.group(1)) in batch:
                bodies[int(uid.group(1))] = literal
        for uid in batch:
            raw = bodies.get(uid)
            if raw is None:
                continue  # expunged meanwhile: the next pull will not see it either
            if len(raw) > self.max_message_bytes:
                yield PulledMessage(uid, len(raw), None, "too_large")
            else:
                yield PulledMessage(uid, len(raw), raw)

    # -- after storing -----------------------------------------------------------------------------

    def move_to_processed(self, uid: int) -> MoveOutcome:
        """Moves a stored message to the processed folder with UID MOVE. Never COPY plus
        delete: without MOVE the mail stays where it is."""
        target = self.settings.processed_folder
        if not target:
            return MoveOutcome.NOT_CONFIGURED
        if not self.can_move:
            return MoveOutcome.UNSUPPORTED
        if self._selected is None or self._selected[1]:
            return MoveOutcome.FAILED  # the folder is open read-only: nothing may change
        typ, data = self._call(self.imap.uid, "MOVE", str(uid), encode_mailbox(target))
        if typ != "OK" and _has_code(self.imap, data, "TRYCREATE"):
            self._call(self.imap.create, encode_mailbox(target))
            typ, data = self._call(self.imap.uid, "MOVE", str(uid), encode_mailbox(target))
        if typ != "OK":
            log.warning("mail move failed uid=%s", uid)
            return MoveOutcome.FAILED
        return MoveOutcome.MOVED

    # -- the Sent folder (exactly-once answers) --------------------------------------------------

    def sent_folder(self) -> str:
        """The folder the server marks \\Sent (RFC 6154), else the configured name."""
        typ, data = self._call(self.imap.list)
        if typ == "OK":
            for line in data:
                if not isinstance(line, bytes):
                    continue
                match = _LIST_LINE.match(line)
                if match and b"\\SENT" in match.group("flags").upper():
                    return decode_mailbox(match.group("name").decode("ascii", "replace"))
        return self.settings.sent_folder

    def find_in_sent(self, message_id: str, folder: str | None = None) -> list[int]:
        """UIDs in Sent whose Message-ID header is `message_id` (with its angle brackets)."""
        folder = folder or self.sent_folder()
        self._select(folder, read_only=True)
        typ, data = self._call(self.imap.uid, "SEARCH", "HEADER", "Message-ID",
                               quote_string(message_id))
        if typ != "OK":
            raise MailProtocolError("protocol", "UID SEARCH HEADER refused")
        candidates = sorted(set(_numbers(data)))
        if not candidates:
            return []
        # HEADER search is a substring match (and fuzzy with some full-text indexes): keep
        # only the messages whose Message-ID is exactly this one.
        typ, data = self._call(self.imap.uid, "FETCH", _uid_set(candidates),
                               "(UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
        if typ != "OK":
            raise MailProtocolError("protocol", "UID FETCH HEADER.FIELDS refused")
        exact: set[int] = set()
        for meta, literal in _fetch_records(data):
            uid = _UID.search(meta)
            if uid and literal is not None and message_id.encode("ascii") in literal.split():
                exact.add(int(uid.group(1)))
        return sorted(exact)

    def append_to_sent(self, raw: bytes, folder: str | None = None,
                       when: float | None = None) -> int | None:
        """Files a sent answer in Sent (marked \\Seen); its UID when the server says (UIDPLUS)."""
        folder = folder or self.sent_folder()
        internal_date = imaplib.Time2Internaldate(when if when is not None else time.time())
        typ, data = self._call(self.imap.append, encode_mailbox(folder), r"(\Seen)",
                               internal_date, raw)
        if typ != "OK" and _has_code(self.imap, data, "TRYCREATE"):
            self._call(self.imap.create, encode_mailbox(folder))
            typ, data = self._call(self.imap.append, encode_mailbox(folder), r"(\Seen)",
                                   internal_date, raw)
        if typ != "OK":
            raise MailProtocolError("append_refused", "APPEND refused")
        for item in data:
            if isinstance(item, bytes) and (match := _APPENDUID.search(item)):
                return int(match.group(2))
        return None

    def _call(self, method, *args):
        try:
            return method(*args)
        except imaplib.IMAP4.abort as exc:
            raise MailUnreachable("unreachable", type(exc).__name__) from exc
        except imaplib.IMAP4.error as exc:
            raise MailProtocolError("protocol", type(exc).__name__) from exc
        except OSError as exc:
            raise MailUnreachable("unreachable", type(exc).__name__) from exc


def _numbers(data) -> list[int]:
    numbers: list[int] = []
    for item in data or ():
        if isinstance(item, bytes):
            numbers.extend(int(token) for token in item.split() if token.isdigit())
    return numbers


def _uid_set(uids) -> str:
    return ",".join(str(uid) for uid in uids)


def _fetch_records(data) -> Iterator[tuple[bytes, bytes | None]]:
    """imaplib's FETCH data as (everything but the literal, the literal). A server may put
    UID after the literal, so the bytes following a literal belong to its record."""
    meta: bytes | None = None
    literal: bytes | None = None
    for item in data or ():
        if isinstance(item, tuple):
            if meta is not None:
                yield meta, literal
            meta, literal = item[0], item[1]
        elif isinstance(item, bytes):
            if literal is not None and meta is not None:
                meta += b" " + item  # the trailer ") UID 7)" of the record before
                yield meta, literal
                meta, literal = None, None
            else:
                if meta is not None:
                    yield meta, literal
                meta, literal = item, None
    if meta is not None:
        yield meta, literal


def _has_code(imap: imaplib.IMAP4, data, code: str) -> bool:
    texts = [item for item in data or () if isinstance(item, bytes)]
    return any(f"[{code}".encode() in text.upper() for text in texts)
