"""Changes other workstations made, as they happen: PostgreSQL LISTEN on a channel of ids."""

from __future__ import annotations

import logging
import select
import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.engine import URL

log = logging.getLogger(__name__)

CHANNEL = "workbench_change"
COALESCE_SECONDS = 0.05   # a burst of statements (a pull's pages) becomes one report
CHECK_SECONDS = 30.0      # the fallback check, for a connection that died without a word
POLL_SECONDS = 0.25       # how long one wait for notifications lasts (and stop() may take)
FIRST_RETRY_SECONDS = 0.5
LAST_RETRY_SECONDS = 30.0

# econsult ids, presence ids (e-consult ids whose presence changed); None: anything may have.
# Then whether secure mail changed (a mail came in, or one that waited for a person was
# handled): the unknown-sender count moves on every workstation.
ChangeCallback = Callable[[set[int] | None, set[int] | None, bool], None]

# The fallback check's fingerprint: every insert adds a row and every update raises a
# version (the ORM's compare-and-set and the pull's own UPDATEs), so (count, sum of
# versions) moves with every change to an e-consult; presence moves with its heartbeats.
# One sequential read of a narrow table: a few milliseconds for 100,000 e-consults. Mail
# moves the count of its rows and of those not handled.
_FINGERPRINT = ("SELECT (SELECT count(*) FROM econsult), "
                "(SELECT coalesce(sum(version), 0) FROM econsult), "
                "(SELECT count(*) FROM presence), (SELECT max(expires_at) FROM presence), "
                "(SELECT count(*) FROM mail_item), "
                "(SELECT count(*) FROM mail_item WHERE handled_at IS NULL)")


def conninfo(url: URL) -> str:
    """A libpq connection string for an engine's URL (`postgresql+psycopg://...`)."""
    from psycopg.conninfo import make_conninfo
    parts = {"host": url.host, "port": url.port, "dbname": url.database, "user": url.username,
             "password": url.password}
    parts.update({key: value for key, value in url.query.items() if isinstance(value, str)})
    return make_conninfo(**{key: str(value) for key, value in parts.items()
                            if value is not None})


def parse_payload(payload: str) -> tuple[str, set[int] | None] | None:
    """'e:1,2,3' -> ('e', {1, 2, 3}); 'p:*' -> ('p', None); 'm:...' (mail items) likewise;
    None for anything else."""
    prefix, _, ids = payload.partition(":")
    if prefix not in ("e", "p", "m") or not ids:
        return None
    if ids == "*":
        return prefix, None
    try:
        return prefix, {int(part) for part in ids.split(",") if part}
    except ValueError:
        return None


class _Pending:
    """What arrived since the last report; None in a slot means "everything"."""

    def __init__(self) -> None:
        self.econsults: set[int] | None = set()
        self.presence: set[int] | None = set()
        self.mail = False

    def add(self, prefix: str, ids: set[int] | None) -> None:
        if prefix == "m":
            self.mail = True
            return
        current = self.econsults if prefix == "e" else self.presence
        merged = None if ids is None or current is None else current | ids
        if prefix == "e":
            self.econsults = merged
        else:
            self.presence = merged

    def everything(self) -> None:
        self.econsults = self.presence = None
        self.mail = True

    def empty(self) -> bool:
        return self.econsults == set() and self.presence == set() and not self.mail


class ChangeListener:
    """A daemon thread with its own autocommit connection that LISTENs on CHANNEL and calls
    `callback(econsult_ids, presence_ids, mail_changed)` on that thread, once per burst
    (COALESCE_SECONDS).

    A lost connection is opened again with growing pauses; notifications sent meanwhile are
    lost, so the report after a reconnect is "everything" (None, None, True). Every CHECK_SECONDS
    the listening connection also reads a fingerprint of the tables: that query notices a
    connection that died silently (then: reconnect), and a fingerprint that changed while no
    notification came in means some were lost: "everything" as well."""

    def __init__(self, engine: Engine, callback: ChangeCallback, *,
                 coalesce_seconds: float = COALESCE_SECONDS,
                 check_seconds: float = CHECK_SECONDS,
                 first_retry_seconds: float = FIRST_RETRY_SECONDS) -> None:
        if engine.dialect.name != "postgresql":
            raise ValueError("change notifications need PostgreSQL")
        self._conninfo = conninfo(engine.url)
        self._callback = callback
        self._coalesce = coalesce_seconds
        self._check_every = check_seconds
        self._first_retry = first_retry_seconds
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread: threading.Thread | None = None
        self._connection = None
        self._fingerprint: tuple | None = None
        self.reconnects = 0  # how often the connection was opened again (diagnostics)

    # -- our API -------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="workbench-changes",
                                        daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop listening and close the connection (waits up to `timeout` seconds)."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def wait_listening(self, timeout: float = 10.0) -> bool:
        """Whether LISTEN is in place (after start, and again after a reconnect)."""
        return self._listening.wait(timeout)

    @property
    def backend_pid(self) -> int | None:
        """The server process of the listening connection (tests end it to cut the line)."""
        connection = self._connection
        return connection.info.backend_pid if connection is not None else None

    # -- the thread ------------------------------------------------------------------------------
    def _run(self) -> None:
        import psycopg
        retry = self._first_retry
        first = True
        while not self._stop.is_set():
            try:
                self._connect()
                if not first:
                    self.reconnects += 1
                    log.info("listening for changes again (reconnect %s)", self.reconnects)
                    self._report(None, None, True)  # notifications sent meanwhile are lost
                first = False
                retry = self._first_retry
                self._listen()
            except psycopg.Error as exc:
                first = False
                log.warning("change notifications interrupted (%s); retrying in %.1f s",
                            type(exc).__name__, retry)
            finally:
                self._listening.clear()
                self._close()
            if self._stop.wait(retry):
                break
            retry = min(LAST_RETRY_SECONDS, retry * 2)

    def _connect(self) -> None:
        import psycopg
        self._connection = psycopg.connect(self._conninfo, autocommit=True,
                                           application_name="workbench-changes",
                                           connect_timeout=10)
        self._connection.execute(f"LISTEN {CHANNEL}")
        self._fingerprint = self._read_fingerprint()
        self._listening.set()

    def _listen(self) -> None:
        connection = self._connection
        pending = _Pending()
        heard_since_check = False
        next_check = time.monotonic() + self._check_every
        burst_ends: float | None = None
        while not self._stop.is_set():
            now = time.monotonic()
            wait = POLL_SECONDS if burst_ends is None else max(0.0, burst_ends - now)
            wait = min(wait, max(0.0, next_check - now))
            # The waiting is select()'s, which lets go of the interpreter lock: psycopg's own
            # wait in notifies(timeout=...) kept the GUI thread from running meanwhile.
            select.select([connection.fileno()], [], [], wait)
            for notify in connection.notifies(timeout=0):
                parsed = parse_payload(notify.payload)
                if parsed is None:
                    log.warning("unknown change notification ignored")
                    continue
                pending.add(*parsed)
                heard_since_check = True
                if burst_ends is None:
                    burst_ends = time.monotonic() + self._coalesce
                if time.monotonic() >= burst_ends:
                    break
            now = time.monotonic()
            if burst_ends is not None and now >= burst_ends:
                burst_ends = None
                if not pending.empty():
                    self._report(pending.econsults, pending.presence, pending.mail)
                pending = _Pending()
            if now >= next_check:
                next_check = now + self._check_every
                fingerprint = self._read_fingerprint()
                if fingerprint != self._fingerprint and not heard_since_check:
                    log.info("changes came without a notification: refreshing everything")
                    self._report(None, None, True)
                self._fingerprint = fingerprint
                heard_since_check = False

    def _read_fingerprint(self) -> tuple:
        row = self._connection.execute(_FINGERPRINT).fetchone()
        return tuple(row) if row is not None else ()

    def _report(self, econsult_ids: set[int] | None, presence_ids: set[int] | None,
                mail: bool) -> None:
        try:
            self._callback(econsult_ids, presence_ids, mail)
        except Exception:
            log.exception("the change receiver failed")

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:
                log.debug("closing the listening connection failed", exc_info=True)
