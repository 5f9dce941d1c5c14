"""The demo's secure-mail account on loopback, from Python packages only (runs on Windows):
IMAP by pymap (in-memory, implicit TLS) and SMTP submission by aiosmtpd (STARTTLS + AUTH),
with a certificate made at start by trustme that the demo client trusts (verification on)."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

log = logging.getLogger(__name__)

PRACTICE_ADDRESS = "praktijk@huisartsen-demo.nl"
PRACTICE_DOMAIN = "huisartsen-demo.nl"


class LoopThread:
    """An asyncio loop in a daemon thread, for servers that a synchronous caller (the Qt
    demo, a test) starts and stops."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def run(self, coroutine: Coroutine[Any, Any, Any], timeout: float = 30.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self) -> None:
        if not self.loop.is_running():
            return

        async def cancel_rest() -> None:
            current = asyncio.current_task()
            rest = [t for t in asyncio.all_tasks() if t is not current]
            for task in rest:
                task.cancel()
            await asyncio.gather(*rest, return_exceptions=True)

        try:
            self.run(cancel_rest(), timeout=10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(10)
            if not self._thread.is_alive():
                self.loop.close()


@dataclass(frozen=True)
class DemoMailAccount:
    """What the demo client needs to reach the account; the password is throw-away."""

    host: str
    imap_port: int
    smtp_port: int
    account: str
    password: str = field(repr=False)
    ca_file: str
    practice_address: str = PRACTICE_ADDRESS
    imap_security: str = "tls"
    smtp_security: str = "starttls"
    folder: str = "INBOX"
    processed_folder: str = "Verwerkt"
    sent_folder: str = "Sent"
    provider_files_sent: bool = False


class DemoMailServer:
    """start() serves the account; stop() ends it. Both may be called from any thread."""

    def __init__(self, host: str = "127.0.0.1", *, seed: bool = True,
                 files_sent: bool = False,
                 senders: Sequence[tuple[str, str]] | None = None) -> None:
        self.host = host
        self.seed = seed
        self.senders = senders  # see seeded_mails
        self.files_sent = files_sent  # act like a provider that keeps a copy of sent mail
        self.account_name = PRACTICE_ADDRESS
        self.password = secrets.token_urlsafe(16)
        self.sent: list[bytes] = []   # what the practice sent through SMTP, in order
        self._loop: LoopThread | None = None
        self._servers: list[asyncio.AbstractServer] = []
        self._workdir: str | None = None
        self._identity = None  # pymap's handle on the account, made in _start
        self.account: DemoMailAccount | None = None

    def start(self) -> DemoMailAccount:
        import trustme

        # aiosmtpd warns on every login about an attribute of its own that it still sets.
        logging.getLogger("mail.log").setLevel(logging.ERROR)

        self._workdir = tempfile.mkdtemp(prefix="workbench-demo-mail-")
        authority = trustme.CA(organization_name="Workbench demo")
        certificate = authority.issue_cert("localhost", "127.0.0.1", "::1")
        ca_file = os.path.join(self._workdir, "demo-mail-ca.pem")
        authority.cert_pem.write_to_path(ca_file)
        server_context = _server_context(certificate)
        self._loop = LoopThread("demo-mail")
        imap_port, smtp_port = self._loop.run(self._start(server_context))
        self.account = DemoMailAccount(self.host, imap_port, smtp_port, self.account_name,
                                       self.password, ca_file,
                                       provider_files_sent=self.files_sent)
        log.info("demo mail listening imap=%s smtp=%s", imap_port, smtp_port)
        return self.account

    def stop(self) -> None:
        if self._loop is not None:
            try:
                self._loop.run(self._stop(), timeout=10)
            finally:
                self._loop.stop()
                self._loop = None
        if self._workdir:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def deliver(self, raw: bytes, folder: str = "INBOX") -> None:
        """Another mail arrives (a patient writes while the demo runs)."""
        assert self._loop is not None, "start() first"
        self._loop.run(self._append(folder, raw))

    async def _start(self, server_context) -> tuple[int, int]:
        from argparse import Namespace

        from proxyprotocol.reader import ProxyProtocolReader
        from pymap.backend.dict import Config, Identity, Login
        from pymap.concurrent import Subsystem
        from pymap.imap import IMAPServer
        from pymap.user import Passwords, UserMetadata
        from pysasl.hashing import BuiltinHash

        # Implicit TLS: the socket is TLS from the first byte, so pymap itself runs with
        # "tls disabled" (no STARTTLS offered) and allows LOGIN on this connection.
        config = Config(Namespace(passlib_cfg=None, proxy_protocol=None), host=self.host,
                        port=0, tls_enabled=False, ssl_context=server_context,
                        demo_data=False, demo_user=self.account_name,
                        demo_password=self.password, invalid_user_sleep=0.2,
                        hash_context=BuiltinHash(), subsystem=Subsystem.for_asyncio(),
                        cpu_subsystem=Subsystem.for_asyncio(), reject_dnsbl=False)
        config.apply_context()
        login = Login(config)
        hashed = await Passwords(config).hash_password(self.password)
        identity = Identity(self.account_name, login, None, frozenset())
        await identity.set(UserMetadata(config, self.account_name, password=hashed))
        self._identity = identity
        async with identity.new_session() as session:
            for folder in ("Sent", "Verwerkt"):
                await session.mailbox_set.add_mailbox(folder)
        if self.seed:
            for raw in seeded_mails(senders=self.senders):
                await self._append("INBOX", raw)

        imap_callback = ProxyProtocolReader(config.proxy_protocol).get_callback(
            IMAPServer(login, config))
        imap = await asyncio.start_server(imap_callback, self.host, 0, ssl=server_context)
        smtp = await asyncio.get_running_loop().create_server(
            lambda: self._smtp_protocol(server_context), self.host, 0)
        self._servers = [imap, smtp]
        return (imap.sockets[0].getsockname()[1], smtp.sockets[0].getsockname()[1])

    def _smtp_protocol(self, server_context):
        from aiosmtpd.smtp import SMTP
        return SMTP(_DemoSmtpHandler(self), hostname="localhost", tls_context=server_context,
                    require_starttls=True, auth_required=True, auth_require_tls=True,
                    authenticator=_authenticator(self.account_name, self.password),
                    loop=asyncio.get_running_loop())

    async def _append(self, folder: str, raw: bytes) -> None:
        from pymap.parsing.message import AppendMessage
        async with self._identity.new_session() as session:
            mailbox = await session.mailbox_set.get_mailbox(folder)
            await mailbox.append(AppendMessage(raw, datetime.now(timezone.utc), frozenset()),
                                 recent=True)

    async def _stop(self) -> None:
        for server in self._servers:
            server.close()
        for server in self._servers:
            try:
                await asyncio.wait_for(server.wait_closed(), 5)
            except asyncio.TimeoutError:
                pass
        self._servers = []


class _DemoSmtpHandler:
    def __init__(self, server: DemoMailServer) -> None:
        self.server = server

    async def handle_DATA(self, smtp, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        raw = envelope.original_content or envelope.content
        self.server.sent.append(raw)
        if self.server.files_sent:
            await self.server._append("Sent", raw)
        return "250 Message accepted for delivery"


def _authenticator(account: str, password: str) -> Callable:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword)
              and secrets.compare_digest(auth_data.login, account.encode())
              and secrets.compare_digest(auth_data.password, password.encode()))
        return AuthResult(success=ok, handled=False)
    return authenticate


def _server_context(certificate):
    import ssl
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    certificate.configure_cert(context)
    return context


# -- seeded mail e-consults ---------------------------------------------------------------------

def _mail(sender: tuple[str, str], subject: str, when: datetime, text: str | None = None,
          html: str | None = None, photo: bytes | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = f"{sender[0]} <{sender[1]}>"
    message["To"] = f"Huisartsenpraktijk De Linde <{PRACTICE_ADDRESS}>"
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = make_msgid(domain=sender[1].rsplit("@", 1)[1])
    if text is not None:
        message.set_content(text)
    if html is not None:
        if text is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    if photo is not None:
        message.add_attachment(photo, maintype="image", subtype="jpeg", filename="IMG_4032.jpg")
    return message.as_bytes()


# Who writes the seeded mails whose address the practice trusts, in order; the demo puts
# patients of its portal here (see cli.run_demo), so these mails land on their records.
DEFAULT_SENDERS = (("Anouk de Vries", "anouk.devries@example.nl"),
                   ("Henk Jansen", "h.jansen1952@example.nl"),
                   ("Fatima El Amrani", "f.elamrani@example.nl"),
                   ("Sanne Bakker", "sanne.bakker@example.nl"))
# The sexes the mails' words suit (the pill), for choosing patients to write them.
SENDER_SEXES = ("female", "male", "female", "female")
UNKNOWN_SENDER = ("Mo", "mo.k2007@example.com")


def seeded_mails(now: datetime | None = None,
                 senders: Sequence[tuple[str, str]] | None = None) -> list[bytes]:
    """A few mail e-consults as patients write them: short, informal, now and then a photo.
    "Mo" writes from an address no patient has (the unknown sender); the third mail is HTML
    only; the fourth carries a photo. `senders`: (name, address) of the other four writers."""
    from workbench.demo.photos import PhotoSpec, photo_bytes

    now = now or datetime.now(timezone.utc).replace(microsecond=0)
    photo = photo_bytes(PhotoSpec("demo-mail-photo", (640, 480), 0,
                                  taken=(now - timedelta(hours=3)).strftime("%Y:%m:%d %H:%M:%S")))
    pill, sugar, puffer, spot = list(senders or DEFAULT_SENDERS)[:4]
    first = {sender: sender[0].split(" ")[0] for sender in (pill, sugar, puffer, spot)}
    return [
        _mail(pill, "vraagje over mijn pil", now - timedelta(hours=6),
              text="Goedemorgen,\n\nIk ben gisteren vergeten mijn pil in te nemen en vanochtend "
                   "heb ik er twee genomen. Moet ik nu extra opletten of is dat niet nodig?\n\n"
                   f"Alvast bedankt,\n{pill[0]}"),
        _mail(sugar, "Uitslag bloedprikken", now - timedelta(hours=5),
              text="Beste dokter\n\nvorige week heb ik bloed laten prikken voor mijn suiker. "
                   "ik heb nog niks gehoord is alles goed?? graag even terugmailen\n\n"
                   f"gr {sugar[0]}"),
        _mail(UNKNOWN_SENDER, "hoi", now - timedelta(hours=4),
              text="hoi ik heb al 3 dagen keelpijn en een beetje koorts, kan ik langskomen "
                   "of moet ik gewoon afwachten"),
        _mail(puffer, "Herhaalrecept", now - timedelta(hours=3),
              html="<html><head><style>p{font-family:Calibri}</style></head><body>"
                   "<p>Geachte huisarts,</p><p>Mag ik een <b>herhaalrecept</b> voor mijn "
                   "blauwe puffer (salbutamol)? Mijn puffer is bijna leeg.</p>"
                   f"<p>Met vriendelijke groet,<br>{puffer[0]}</p>"
                   "<div>Verzonden vanaf mijn iPhone</div></body></html>"),
        _mail(spot, "plekje op arm", now - timedelta(hours=2),
              text="Hallo,\n\nIk heb sinds een paar weken een plekje op mijn arm dat jeukt en "
                   "een beetje groter lijkt te worden. Ik heb een foto bijgevoegd. Moet ik "
                   f"hiervoor een afspraak maken?\n\nGroetjes,\n{first[spot]}",
              photo=photo),
    ]


def demo_mail_senders(dataset: Any) -> list[tuple[str, str]]:
    """(name, address) of demo portal patients who write their own e-consults, so that the
    pull brings them and the address the portal knows for them, one for each seeded mail of a
    trusted writer, suited to its words; the defaults where the demo has too few."""
    writers: list[tuple[str, str, str | None]] = []
    seen: set[str] = set()
    for rid in dataset.store["Communication"]:
        resource = dataset.get("Communication", rid) or {}
        reference = (resource.get("sender") or {}).get("reference", "")
        if not reference.startswith("Patient/") or reference in seen:
            continue
        seen.add(reference)
        patient = dataset.get("Patient", reference.removeprefix("Patient/")) or {}
        address = next((t.get("value") for t in patient.get("telecom", [])
                        if t.get("system") == "email"), None)
        names = patient.get("name") or [{}]
        if address and names[0].get("text"):
            writers.append((names[0]["text"], address, patient.get("gender")))
    chosen: list[tuple[str, str]] = []
    for sex in SENDER_SEXES:
        found = next((w[:2] for w in writers if w[2] == sex and w[:2] not in chosen), None)
        if found is None:
            return list(DEFAULT_SENDERS)
        chosen.append(found)
    return chosen
