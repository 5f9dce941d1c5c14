"""Incremental, idempotent pull of the practice's secure-mail folder into the store.

Per mail, in UID order: the raw mail kept in the blob store, parsed, recognised by its
Message-ID (or a hash) so nothing is imported twice, put where it belongs (an e-consult of the
patient whose trusted address wrote it; "Onbekende afzender" otherwise), and committed with
the folder's cursor in the same transaction. One bad mail never stops the pull; the server
going away ends it with `incomplete`, the cursor at the last mail stored. Nothing is raised to
the caller for the mail server: the portal pull beside it is never affected.

Plain Python, no Qt. The log carries ids and codes, never addresses, subjects or text."""

from __future__ import annotations

import hashlib
import logging
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from email import policy
from email.parser import BytesParser
from email.utils import parseaddr
from typing import Any

from keyring.backend import KeyringBackend
from sqlalchemy import Engine, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from workbench.services.mail.connection import MailSettings, resolve_password
from workbench.services.mail.errors import MailError, MailUnreachable
from workbench.services.mail.imap_pull import (
    FolderCursor,
    FolderState,
    MailboxClient,
    MoveOutcome,
    PulledMessage,
)
from workbench.services.mail.message import MessageLimits, ParsedMail, parse_mail
from workbench.services.mail.probe import is_test_mail
from workbench.services.mail_import import (
    SUBJECT_MAX,
    import_mail,
    mail_problems,
    message_key,
    other_recipient_count,
    thread_candidates,
)
from workbench.store.blobs import BlobStore
from workbench.store.models import MailAddress, MailItem, MailState, SyncCursor

log = logging.getLogger(__name__)

# One workstation pulls the mail folder at a time on PostgreSQL (its own key: the portal's
# pull holds PULL_LOCK_KEY and runs beside this one).
MAIL_PULL_LOCK_KEY = 0x6D_61_69_6C
_CURSOR = SyncCursor.__table__
_ATTEMPTS = 3  # one mail's transaction, when another writer got there first

# MailItem.problems of a mail that could not be read at all.
UNREADABLE_TOO_LARGE = "too_large"          # over the pull's cap: not even downloaded
UNREADABLE_UNPARSEABLE = "unparseable"      # the parser refused it (or failed on it)
REPLY_FROM_UNTRUSTED = "reply_from_untrusted_address"  # answers a thread of a patient the
# sender's address is not trusted for: a person decides, never the pull
TEST_MAIL = "workbench_test_mail"  # `check --send-test-mail`: set aside as handled


@dataclass
class MailSyncResult:
    """What one mail pull did; `errors` hold codes and ids, never content."""

    fetched: int = 0           # mails read from the server (refused-as-too-large included)
    imported: int = 0          # now messages of an e-consult (new or threaded)
    econsults_created: int = 0
    threaded: int = 0          # of the imported, onto an existing e-consult
    unknown_sender: int = 0
    ambiguous: int = 0
    duplicates: int = 0        # stored before (a re-pull, a changed UIDVALIDITY, a copy)
    unreadable: int = 0
    refused_parts: int = 0
    attachments: int = 0
    moved: int = 0             # to the processed folder
    errors: list[str] = field(default_factory=list)
    # Why the pull stopped before the end: "connect" (no session with the server),
    # "unreachable" (the server went away), "protocol", "stopped" (asked to), "database",
    # "blobs" (the raw mail could not be kept).
    # The rest comes with the next pull.
    incomplete: list[str] = field(default_factory=list)
    # Not failures, worth saying: "move_unsupported", "move_failed", "uidvalidity_changed".
    notes: list[str] = field(default_factory=list)
    skipped: bool = False      # another workstation was pulling mail into the shared database
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Nothing failed and nothing is left for later (mail waiting for a person is not a
        failure: it is listed in "Onbekende afzender")."""
        return not self.errors and not self.incomplete

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"ok": self.ok}


class _PullEnded(Exception):
    """Ends the pull: `code` goes to `incomplete`."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class MailSyncService:
    """One pull of the configured folder (settings.folder) into the store."""

    def __init__(self, settings: MailSettings, engine: Engine, blobs: BlobStore, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 password: str | None = None, keyring_backend: KeyringBackend | None = None,
                 limits: MessageLimits | None = None,
                 client_options: dict[str, Any] | None = None,
                 advise: Callable[[], Any] | None = None,
                 advise_text: Callable[[str, str], list[dict[str, Any]]] | None = None
                 ) -> None:
        self._settings = settings
        # Alarm signs of a mail that waits for a person: (text, subject) -> findings as JSON.
        self._advise_text = advise_text
        # Urgency advice for what this pull imported (AdviceService.advise_all), so an alarm
        # in a mail shows now, not after the next portal pull.
        self._advise = advise
        self._engine = engine
        self._blobs = blobs
        self._clock = clock
        self._password = password
        self._key: str | None = None
        self._backend = keyring_backend
        self._limits = limits or MessageLimits()
        # MailboxClient options (max_message_bytes, batch_count, batch_bytes).
        self._client_options = dict(client_options or {})
        self.account_label = f"{settings.account}@{settings.imap_host}/{settings.folder}"[:300]
        self.cursor_name = f"mail:{self.account_label}"[:300]

    # -- the run ------------------------------------------------------------------------------
    def run(self, should_stop: Callable[[], bool] = lambda: False) -> MailSyncResult:
        started = time.perf_counter()
        result = MailSyncResult()
        try:
            with self._single_puller() as have_lock:
                if not have_lock:
                    result.skipped = True
                    return result
                self._pull(result, should_stop)
            if result.imported and self._advise is not None:
                self._advise()
            if self._advise_text is not None:
                self._advise_waiting()
        except SQLAlchemyError as exc:
            # The store is unreachable (before or between mails): nothing half-written.
            log.warning("mail pull: database failure %s", _kind(exc))
            result.errors.append("database")
            if "database" not in result.incomplete:
                result.incomplete.append("database")
        finally:
            result.seconds = round(time.perf_counter() - started, 3)
        log.info("mail pull done: %s", {k: v for k, v in result.as_dict().items()})
        return result

    def _pull(self, result: MailSyncResult, should_stop: Callable[[], bool]) -> None:
        cursor = self._load_cursor()
        try:
            # Also the key of check's test mails (probe.probe_token).
            self._key = resolve_password(self._settings, self._password, self._backend)
            client = MailboxClient.connect(self._settings, self._key,
                                           backend=self._backend, **self._client_options)
        except MailError as exc:
            log.warning("mail pull: no connection (%s)", exc.code)
            result.errors.append(exc.code)
            result.incomplete.append("connect")
            return
        except Exception as exc:  # the keyring, mostly: the portal pull must go on regardless
            from keyring.errors import KeyringError
            if not isinstance(exc, KeyringError):
                raise
            log.warning("mail pull: keyring failure %s", type(exc).__name__)
            result.errors.append("keyring")
            result.incomplete.append("connect")
            return
        try:
            self._pull_folder(client, cursor, result, should_stop)
        except _PullEnded as ended:
            if ended.code not in result.incomplete:
                result.incomplete.append(ended.code)
        finally:
            client.close()

    def _pull_folder(self, client: MailboxClient, cursor: FolderCursor | None,
                     result: MailSyncResult, should_stop: Callable[[], bool]) -> None:
        try:
            state = client.open_folder(cursor)
        except MailError as exc:
            result.errors.append(exc.code)
            raise _PullEnded("unreachable" if isinstance(exc, MailUnreachable) else "protocol"
                             ) from exc
        if state.uidvalidity_changed:
            # Every UID of the old cursor means nothing now: the whole folder comes again,
            # and the message keys keep anything from being imported twice.
            result.notes.append("uidvalidity_changed")
        if cursor is None or state.uidvalidity_changed:
            with Session(self._engine) as session, session.begin():
                self._save_cursor(session, FolderCursor(state.uidvalidity, 0))
        pulled_iter = client.fetch(state.new_uids)
        while True:
            if should_stop():
                raise _PullEnded("stopped")
            try:
                pulled = next(pulled_iter)
            except StopIteration:
                return
            except MailError as exc:
                log.warning("mail pull ended by the server (%s)", exc.code)
                result.errors.append(exc.code)
                raise _PullEnded("unreachable" if isinstance(exc, MailUnreachable)
                                 else "protocol") from exc
            result.fetched += 1
            self._store(pulled, state, result)
            self._move(client, pulled.uid, result)

    # -- one mail -------------------------------------------------------------------------------
    def _store(self, pulled: PulledMessage, state: FolderState, result: MailSyncResult) -> None:
        """Keeps the raw mail, then one transaction: the MailItem (and what it became) and the
        cursor after it. A mail the store cannot take ends the pull with the cursor before it."""
        cursor = state.cursor_after(pulled.uid)
        raw_sha256 = ""
        parsed: ParsedMail | None = None
        refusal = pulled.refused
        if pulled.raw is not None:
            try:
                raw_sha256 = self._blobs.put(pulled.raw)
            except (OSError, SQLAlchemyError) as exc:  # a full disk: nothing is lost yet
                log.warning("mail uid=%s raw not kept: %s", pulled.uid, _kind(exc))
                result.errors.append("blobs")
                raise _PullEnded("blobs") from exc
            try:
                parsed = parse_mail(pulled.raw, self._settings.practice_address, self._limits)
            except MailError as exc:
                refusal = exc.code if exc.code in (UNREADABLE_TOO_LARGE,) else \
                    UNREADABLE_UNPARSEABLE
            except Exception as exc:  # a bug or a mail no one foresaw: kept, shown, pull goes on
                log.error("mail uid=%s not parsed (a bug?): %s\n%s", pulled.uid,
                          type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__)))
                refusal = UNREADABLE_UNPARSEABLE
        key = message_key(parsed) if parsed is not None else self._unreadable_key(
            pulled, state, raw_sha256)
        counts = _Counts.of(result)
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                self._store_once(pulled, state, key, raw_sha256, parsed, refusal, cursor,
                                 result)
                return
            except (StaleDataError, OperationalError) as exc:
                # A person changed the e-consult meanwhile (its version), or SQLite's other
                # writer got there first: the same mail once more, from a fresh read.
                counts.restore(result)
                if attempt == _ATTEMPTS:
                    if isinstance(exc, StaleDataError):
                        self._import_failed(exc, pulled, state, key, raw_sha256, parsed,
                                            cursor, result)
                        return
                    log.warning("mail uid=%s not stored: %s", pulled.uid, _kind(exc))
                    result.errors.append("database")
                    raise _PullEnded("database") from exc
                time.sleep(0.05 * attempt)

    def _store_once(self, pulled: PulledMessage, state: FolderState, key: str,
                    raw_sha256: str, parsed: ParsedMail | None, refusal: str | None,
                    cursor: FolderCursor, result: MailSyncResult) -> None:
        counts = _Counts.of(result)
        try:
            with Session(self._engine) as session, session.begin():
                if session.scalar(select(MailItem.id).where(MailItem.message_key == key)):
                    result.duplicates += 1
                    log.info("mail uid=%s stored before", pulled.uid)
                else:
                    item = self._item(pulled, state, key, raw_sha256, parsed, refusal)
                    session.add(item)
                    session.flush()
                    if parsed is None:
                        result.unreadable += 1
                        log.warning("mail uid=%s unreadable mail_item=%s reason=%s",
                                    pulled.uid, item.id, refusal)
                    elif is_test_mail(pulled.raw or b"", parsed,
                                      self._settings.practice_address, self._key):
                        # `workbench check --send-test-mail` wrote to the practice itself:
                        # kept and handled, never an e-consult nor a mail waiting for a person.
                        item.handled_at, item.urgency_advice = self._clock(), []
                        item.problems = [*(item.problems or ()), TEST_MAIL]
                        log.info("mail_item=%s is a test mail of check: set aside", item.id)
                    else:
                        self._place(session, item, parsed, result)
                self._save_cursor(session, cursor)
        except IntegrityError as exc:
            counts.restore(result)
            if not self._known(key):
                self._import_failed(exc, pulled, state, key, raw_sha256, parsed, cursor, result)
                return
            # Another puller stored the same mail at the same moment: it is there once.
            log.info("mail uid=%s stored meanwhile", pulled.uid)
            result.duplicates += 1
            with Session(self._engine) as session, session.begin():
                self._save_cursor(session, cursor)
        except (OperationalError, StaleDataError):
            counts.restore(result)
            raise  # tried again by _store
        except Exception as exc:
            counts.restore(result)
            self._import_failed(exc, pulled, state, key, raw_sha256, parsed, cursor, result)

    def _known(self, key: str) -> bool:
        with Session(self._engine) as session:
            return session.scalar(select(MailItem.id).where(MailItem.message_key == key)) \
                is not None

    def _import_failed(self, exc: Exception, pulled: PulledMessage, state: FolderState,
                       key: str, raw_sha256: str, parsed: ParsedMail | None,
                       cursor: FolderCursor, result: MailSyncResult) -> None:
        """A bug in putting a mail in place: it is kept as unreadable (raw kept, shown to
        people) rather than lost, and the pull goes on."""
        log.error("mail uid=%s not imported (a bug?): %s\n%s", pulled.uid, _kind(exc),
                  "".join(traceback.format_tb(exc.__traceback__)))
        result.errors.append(f"import_failed:uid={pulled.uid}")
        self._store_as_unreadable(pulled, state, key, raw_sha256, parsed, cursor, result)

    def _store_as_unreadable(self, pulled: PulledMessage, state: FolderState, key: str,
                             raw_sha256: str, parsed: ParsedMail | None, cursor: FolderCursor,
                             result: MailSyncResult) -> None:
        try:
            with Session(self._engine) as session, session.begin():
                if not session.scalar(select(MailItem.id).where(MailItem.message_key == key)):
                    item = self._item(pulled, state, key, raw_sha256, parsed, "import_failed")
                    item.state = MailState.UNREADABLE
                    session.add(item)
                    result.unreadable += 1
                self._save_cursor(session, cursor)
        except SQLAlchemyError as exc:
            result.errors.append("database")
            raise _PullEnded("database") from exc

    def _item(self, pulled: PulledMessage, state: FolderState, key: str, raw_sha256: str,
              parsed: ParsedMail | None, refusal: str | None) -> MailItem:
        now = self._clock()
        item = MailItem(message_key=key, account=self.account_label,
                        uidvalidity=state.uidvalidity, uid=pulled.uid, raw_sha256=raw_sha256,
                        raw_size=pulled.size if pulled.raw is None else len(pulled.raw),
                        received_at=now, other_recipients=0,
                        # Until the pull has placed it: a mail nobody placed waits for a person.
                        state=MailState.UNKNOWN_SENDER)
        if parsed is None:
            item.state = MailState.UNREADABLE
            item.problems = [refusal or UNREADABLE_UNPARSEABLE]
            item.subject, item.text = "", ""
            if pulled.raw is not None:
                item.from_address, item.from_name, item.subject = _headers_only(pulled.raw)
            return item
        item.from_address = parsed.from_address[:254] or None
        item.from_name = parsed.from_name[:200] or None
        item.subject = parsed.subject[:SUBJECT_MAX]
        item.text = parsed.text
        item.sent_at = parsed.date
        item.in_reply_to = parsed.in_reply_to[:300] if parsed.in_reply_to else None
        item.references = list(parsed.references) or None
        item.other_recipients = other_recipient_count(parsed, self._settings.practice_address)
        item.problems = mail_problems(parsed, self._settings.practice_address, now) or None
        if refusal:
            item.problems = [*(item.problems or ()), refusal]
        return item

    def _place(self, session: Session, item: MailItem, parsed: ParsedMail,
               result: MailSyncResult) -> None:
        """Who wrote: the patients whose trusted address it came from. A reply goes onto its
        thread only when the address is trusted for that thread's patient."""
        result.refused_parts += parsed.refused_part_count
        trusted = set(session.scalars(select(MailAddress.patient_id).where(
            MailAddress.address == (parsed.from_address or "").lower())).all()) \
            if parsed.from_address else set()
        hits = thread_candidates(session, parsed)
        patient_id: int | None = None
        if hits:
            patient_id = next((pid for _eid, pid, _mid in hits if pid in trusted), None)
            if patient_id is None:
                # A reply to a thread of a patient this address is not trusted for (a forged
                # From, or someone else writing): never attached by the pull.
                item.state = MailState.UNKNOWN_SENDER
                item.problems = [*(item.problems or ()), REPLY_FROM_UNTRUSTED]
                result.unknown_sender += 1
                log.info("mail_item=%s waits: reply from an address not trusted for its "
                         "thread", item.id)
                return
        elif len(trusted) == 1:
            patient_id = next(iter(trusted))
        elif len(trusted) > 1:
            item.state = MailState.AMBIGUOUS
            result.ambiguous += 1
            log.info("mail_item=%s waits: address shared by %s patients", item.id,
                     len(trusted))
            return
        else:
            item.state = MailState.UNKNOWN_SENDER
            result.unknown_sender += 1
            log.info("mail_item=%s waits: unknown sender", item.id)
            return
        outcome = import_mail(session, item, parsed, patient_id=patient_id, blobs=self._blobs,
                              clock=self._clock)
        result.imported += 1
        result.attachments += outcome.attachments
        if outcome.created:
            result.econsults_created += 1
        else:
            result.threaded += 1

    def _advise_waiting(self) -> None:
        """Mail waiting for a person is read for alarm signs too: from an unknown sender it
        cannot reach a patient's record yet, and must not wait unseen if it is urgent."""
        with Session(self._engine) as session:
            waiting = session.execute(select(MailItem.id, MailItem.text, MailItem.subject).where(
                MailItem.state.in_((MailState.UNKNOWN_SENDER, MailState.AMBIGUOUS)),
                MailItem.urgency_advice.is_(None))).all()
        for item_id, body, subject in waiting:
            findings = self._advise_text(body or "", subject or "")
            with Session(self._engine) as session, session.begin():
                session.execute(update(MailItem).where(MailItem.id == item_id)
                                .values(urgency_advice=findings))
            if findings:
                log.info("mail_item=%s waits with alarm advice", item_id)

    def _unreadable_key(self, pulled: PulledMessage, state: FolderState, raw_sha256: str
                        ) -> str:
        """A mail we could not read is known by its bytes; one not even downloaded, by its
        place in the folder."""
        if raw_sha256:
            return f"<sha256:{raw_sha256}>"
        place = f"{self.account_label}|{state.uidvalidity}|{pulled.uid}"
        return f"<unread:{hashlib.sha256(place.encode('utf-8')).hexdigest()}>"

    def _move(self, client: MailboxClient, uid: int, result: MailSyncResult) -> None:
        """After the commit: to the processed folder by MOVE, or left where it is."""
        if not self._settings.processed_folder:
            return
        try:
            outcome = client.move_to_processed(uid)
        except MailError as exc:
            result.errors.append(exc.code)
            raise _PullEnded("unreachable" if isinstance(exc, MailUnreachable)
                             else "protocol") from exc
        if outcome is MoveOutcome.MOVED:
            result.moved += 1
        elif outcome is MoveOutcome.UNSUPPORTED and "move_unsupported" not in result.notes:
            result.notes.append("move_unsupported")
        elif outcome is MoveOutcome.FAILED and "move_failed" not in result.notes:
            result.notes.append("move_failed")

    # -- the cursor -----------------------------------------------------------------------------
    def _load_cursor(self) -> FolderCursor | None:
        with self._engine.connect() as connection:
            value = connection.scalar(select(_CURSOR.c.last_updated).where(
                _CURSOR.c.name == self.cursor_name))
        return parse_cursor(value)

    def _save_cursor(self, session: Session, cursor: FolderCursor) -> None:
        value = f"{cursor.uidvalidity}:{cursor.last_uid}"
        now = self._clock()
        insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql"
                  else sqlite.insert)(_CURSOR).values(name=self.cursor_name,
                                                       last_updated=value, updated_at=now)
        session.execute(insert.on_conflict_do_update(
            index_elements=["name"], set_={"last_updated": value, "updated_at": now}))

    @contextmanager
    def _single_puller(self) -> Iterator[bool]:
        if self._engine.dialect.name != "postgresql":
            yield True
            return
        with self._engine.connect() as connection:
            have_lock = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                                {"key": MAIL_PULL_LOCK_KEY}).scalar())
            connection.commit()
            try:
                yield have_lock
            finally:
                if have_lock:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                       {"key": MAIL_PULL_LOCK_KEY})
                    connection.commit()


def parse_cursor(value: str | None) -> FolderCursor | None:
    """"uidvalidity:last_uid" as stored; None for none or a value that does not read."""
    if not value:
        return None
    head, _, tail = value.partition(":")
    try:
        return FolderCursor(int(head), int(tail or 0))
    except ValueError:
        return None


def _headers_only(raw: bytes) -> tuple[str | None, str | None, str]:
    """From and Subject of a mail the parser refused, as far as its header reads: a person
    sees who it came from. Never raises."""
    try:
        headers = BytesParser(policy=policy.default).parsebytes(raw[:256 * 1024],
                                                                headersonly=True)
        name, address = parseaddr(str(headers.get("From", "")))
        subject = str(headers.get("Subject", "")).replace("\x00", "")
        return ((address.strip().lower()[:254] or None), (name[:200] or None),
                " ".join(subject.split())[:SUBJECT_MAX])
    except Exception:  # noqa: BLE001 - best effort only
        return None, None, ""


class _Counts:
    """A result's counters, restored when a mail's transaction rolls back."""

    _FIELDS = ("imported", "econsults_created", "threaded", "unknown_sender", "ambiguous",
               "duplicates", "unreadable", "refused_parts", "attachments")

    def __init__(self, values: tuple[int, ...]) -> None:
        self.values = values

    @classmethod
    def of(cls, result: MailSyncResult) -> _Counts:
        return cls(tuple(getattr(result, name) for name in cls._FIELDS))

    def restore(self, result: MailSyncResult) -> None:
        for name, value in zip(self._FIELDS, self.values):
            setattr(result, name, value)


def _kind(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return f"{type(exc).__name__} ({type(orig).__name__})" if orig is not None \
        else type(exc).__name__
