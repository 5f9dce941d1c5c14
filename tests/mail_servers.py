"""Real mail servers on loopback for the mail tests: a private Dovecot (IMAP, Maildir), an
aiosmtpd submission server delivering into that Maildir, and a relay that records what a
client sent. Certificates by trustme: the CA file is the client's ca_bundle."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import mailbox
import os
import pwd
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from workbench.demo.mail_server import LoopThread
from workbench.services.mail.connection import MailSettings

DOVECOT = "/usr/sbin/dovecot"
HOST = "127.0.0.1"
ACCOUNTS = 200


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen | None = None, timeout: float = 15.0,
                  log_file: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            log = log_file.read_text(errors="replace") if log_file and log_file.exists() else ""
            raise RuntimeError(f"server exited with {process.returncode}: {log[-2000:]}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), 0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {HOST}:{port} after {timeout} s")


@dataclass
class Certificates:
    """A test CA and a server certificate for localhost and 127.0.0.1; and another CA that
    did not sign it (a client trusting only that one must refuse the server)."""

    directory: Path
    ca_file: str = ""
    server_pem: str = ""         # key and certificate chain, for Dovecot
    foreign_ca_file: str = ""

    def __post_init__(self) -> None:
        import trustme
        authority = trustme.CA(organization_name="Workbench test CA")
        self._certificate = authority.issue_cert("localhost", "127.0.0.1")
        self.ca_file = str(self.directory / "ca.pem")
        self.server_pem = str(self.directory / "server.pem")
        self.foreign_ca_file = str(self.directory / "foreign-ca.pem")
        authority.cert_pem.write_to_path(self.ca_file)
        self._certificate.private_key_and_cert_chain_pem.write_to_path(self.server_pem)
        trustme.CA(organization_name="Someone else").cert_pem.write_to_path(self.foreign_ca_file)
        for path in (self.ca_file, self.server_pem, self.foreign_ca_file):
            os.chmod(path, 0o644)  # Dovecot reads ssl_key as root; the CA is public anyway

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._certificate.configure_cert(context)
        return context


# -- Dovecot ---------------------------------------------------------------------------------

_DOVECOT_CONF = """\
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
protocols = imap
listen = 127.0.0.1, 127.0.0.2
ssl = {ssl}
{ssl_files}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = 1
disable_plaintext_auth = {disable_plaintext}
auth_mechanisms = plain login
# Tests log in with wrong passwords on purpose: no delays (and no penalty, see anvil).
auth_failure_delay = 0
mail_location = maildir:{base}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={base}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1, 127.0.0.2
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
{login_chroot}
}}
service anvil {{
{anvil_chroot}
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


class DovecotServer:
    """A private Dovecot instance: its own config, base_dir and Maildirs under a fresh
    directory, on a free loopback port. `tls=False` serves IMAP without any TLS at all (no
    STARTTLS offered), to prove the client refuses it."""

    def __init__(self, certificates: Certificates | None, tls: bool = True) -> None:
        self.certificates = certificates
        self.tls = tls
        self.port = free_port()
        # Not under pytest's tmp_path: its folders are 0700, and Dovecot's processes run as
        # the dovecot user, which must reach the Maildirs.
        self.base = Path(tempfile.mkdtemp(prefix="workbench-dovecot-"))
        os.chmod(self.base, 0o755)
        self.process: subprocess.Popen | None = None
        self._counter = itertools.count()
        if os.geteuid() == 0:
            mail_user = pwd.getpwnam("dovecot")
            self.mail_uid, self.mail_gid = mail_user.pw_uid, mail_user.pw_gid
            internal_user, internal_group, login_user = "dovecot", "dovecot", "dovenull"
            chroot = ""
        else:  # a developer's own account: everything runs as that user, no chroot
            me = pwd.getpwuid(os.geteuid())
            self.mail_uid, self.mail_gid = me.pw_uid, me.pw_gid
            internal_user = login_user = me.pw_name
            internal_group = str(me.pw_gid)
            chroot = "  chroot ="
        ssl_files = (f"ssl_cert = <{certificates.server_pem}\nssl_key = <{certificates.server_pem}"
                     "\nssl_min_protocol = TLSv1.2") if tls and certificates else ""
        self.config_file = self.base / "dovecot.conf"
        self.config_file.write_text(_DOVECOT_CONF.format(
            base=self.base, ssl="required" if tls else "no", ssl_files=ssl_files,
            internal_user=internal_user, internal_group=internal_group, login_user=login_user,
            mail_uid=self.mail_uid, mail_gid=self.mail_gid, port=self.port,
            disable_plaintext="yes" if tls else "no",
            login_chroot=chroot, anvil_chroot=chroot))
        # Accounts are made up front: Dovecot notices a changed passwd file by its mtime,
        # in whole seconds, so a line added just after a login may go unseen.
        self._accounts = [(f"praktijk{n}@example.nl", secrets.token_urlsafe(12))
                          for n in range(1, ACCOUNTS + 1)]
        (self.base / "passwd").write_text("".join(f"{a}:{{PLAIN}}{p}::::::\n"
                                                  for a, p in self._accounts))
        for name in ("mail", "home"):
            (self.base / name).mkdir()
            os.chown(self.base / name, self.mail_uid, self.mail_gid)

    def start(self) -> DovecotServer:
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(self.config_file)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.process, log_file=self.base / "dovecot.log")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        shutil.rmtree(self.base, ignore_errors=True)

    def add_account(self) -> tuple[str, str]:
        """A new, empty account (one of those made at the start)."""
        index = next(self._counter)
        if index >= len(self._accounts):
            raise RuntimeError(f"more than {ACCOUNTS} mail accounts in one test session")
        return self._accounts[index]

    def maildir(self, account: str, folder: str | None = None) -> mailbox.Maildir:
        root = mailbox.Maildir(self.base / "mail" / account, factory=None, create=True)
        if folder in (None, "INBOX"):
            return root
        if folder not in root.list_folders():
            root.add_folder(folder)
        return root.get_folder(folder)

    def deliver(self, account: str, raw: bytes, folder: str | None = None) -> str:
        """As a delivery agent would: straight into the account's Maildir (new/)."""
        box = self.maildir(account, folder)
        key = box.add(raw)
        self._hand_over(self.base / "mail" / account)
        return key

    def messages(self, account: str, folder: str | None = None) -> list[bytes]:
        box = self.maildir(account, folder)
        return [box.get_bytes(key) for key in box.keys()]

    def _hand_over(self, root: Path) -> None:
        """Files we wrote as root belong to the mail user, or Dovecot cannot index them."""
        if os.geteuid() != 0:
            return
        for directory, folders, files in os.walk(root):
            os.chown(directory, self.mail_uid, self.mail_gid)
            for name in files:
                os.chown(os.path.join(directory, name), self.mail_uid, self.mail_gid)


def _dovecot_available() -> None:
    if os.path.exists(DOVECOT):
        return
    if os.environ.get("CI"):
        pytest.fail("Dovecot is not installed in CI (.ci/run installs dovecot-imapd)")
    pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")


@pytest.fixture(scope="session")
def mail_certificates(tmp_path_factory) -> Certificates:
    return Certificates(tmp_path_factory.mktemp("mail-certificates"))


@pytest.fixture(scope="session")
def dovecot(mail_certificates):
    _dovecot_available()
    server = DovecotServer(mail_certificates).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dovecot_without_tls():
    _dovecot_available()
    server = DovecotServer(None, tls=False).start()
    yield server
    server.stop()


@dataclass
class MailAccount:
    """One fresh account on the test Dovecot, with the settings a client needs."""

    server: DovecotServer
    account: str
    password: str = field(repr=False)
    settings: MailSettings

    def deliver(self, raw: bytes, folder: str | None = None) -> str:
        return self.server.deliver(self.account, raw, folder)

    def messages(self, folder: str | None = None) -> list[bytes]:
        return self.server.messages(self.account, folder)


@pytest.fixture
def mail_account(dovecot, mail_certificates) -> MailAccount:
    account, password = dovecot.add_account()
    settings = MailSettings(imap_host=HOST, imap_port=dovecot.port, imap_security="starttls",
                            smtp_host=HOST, smtp_port=1, account=account,
                            practice_address=account, ca_bundle=mail_certificates.ca_file,
                            timeout_s=10)
    return MailAccount(dovecot, account, password, settings)


# -- SMTP (aiosmtpd) -----------------------------------------------------------------------------

class SmtpTestServer:
    """SMTP submission with STARTTLS and AUTH required, delivering what it accepts into a
    Maildir through `deliver`. fault: None, "drop_after_data" (store the mail, then cut the
    connection before the 250 goes out), "tempfail" (451) or "reject" (554) at the end of DATA.
    `starttls=False` offers no STARTTLS at all."""

    def __init__(self, certificates: Certificates, account: str, password: str,
                 deliver, *, starttls: bool = True, implicit_tls: bool = False) -> None:
        self.account, self.password, self.deliver = account, password, deliver
        self.fault: str | None = None
        self.auth_attempts: list[str] = []  # mechanisms tried, to prove no password went out
        self.accepted: list[bytes] = []
        self._context = certificates.server_context()
        self._starttls = starttls
        self._implicit = implicit_tls
        self._loop = LoopThread("test-smtp")
        self._server = self._loop.run(self._start())
        self.port = self._server.sockets[0].getsockname()[1]

    async def _start(self):
        return await asyncio.get_running_loop().create_server(
            self._protocol, HOST, 0, ssl=self._context if self._implicit else None)

    def _protocol(self):
        import warnings

        from aiosmtpd.smtp import SMTP
        starttls = self._starttls and not self._implicit
        with warnings.catch_warnings():
            # "AUTH without TLS" is what the no-STARTTLS server is for; with implicit TLS the
            # socket is TLS from the first byte, which aiosmtpd cannot tell.
            warnings.simplefilter("ignore", UserWarning)
            return SMTP(self, hostname="localhost",
                        tls_context=self._context if starttls else None,
                        require_starttls=starttls, auth_required=True,
                        auth_require_tls=starttls, authenticator=self._authenticate,
                        loop=asyncio.get_running_loop())

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult, LoginPassword
        self.auth_attempts.append(mechanism)
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == self.account.encode()
              and auth_data.password == self.password.encode())
        return AuthResult(success=ok, handled=False)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        raw = envelope.original_content or envelope.content
        if self.fault == "tempfail":
            return "451 4.3.0 Try again later"
        if self.fault == "reject":
            return "554 5.7.1 Message refused"
        self.accepted.append(raw)
        self.deliver(raw)
        if self.fault == "drop_after_data":
            # The mail is delivered, the reply never leaves: the client cannot know.
            server.transport.abort()
        return "250 2.0.0 Accepted"

    def stop(self) -> None:
        async def close():
            self._server.close()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 5)
        try:
            self._loop.run(close())
        finally:
            self._loop.stop()


@pytest.fixture
def smtp_server(mail_account, mail_certificates):
    server = SmtpTestServer(mail_certificates, mail_account.account, mail_account.password,
                            mail_account.deliver)
    yield server
    server.stop()


# -- a relay that records what the client said ----------------------------------------------

class RecordingRelay:
    """Forwards loopback TCP to a server and keeps every byte the client sent."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.client_bytes = bytearray()
        self._lock = threading.Lock()
        self._listener = socket.create_server((HOST, 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._stopped = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            upstream = socket.create_connection((HOST, self.target_port), 5)
            self._sockets += [client, upstream]
            for source, sink, record in ((client, upstream, True), (upstream, client, False)):
                pump = threading.Thread(target=self._pump, args=(source, sink, record),
                                        daemon=True)
                pump.start()
                self._threads.append(pump)

    def _pump(self, source: socket.socket, sink: socket.socket, record: bool) -> None:
        try:
            while chunk := source.recv(65536):
                if record:
                    with self._lock:
                        self.client_bytes += chunk
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)

    def stop(self) -> None:
        self._stopped.set()
        self._listener.close()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()
        self._accepting.join(2)
        for thread in self._threads:
            thread.join(2)


def make_mail(subject: str = "vraag", text: str = "Hallo dokter, ik heb een vraag.", *,
              sender: str = "patient@example.nl", to: str = "praktijk@example.nl",
              message_id: str | None = "auto", **headers: str) -> bytes:
    """A small patient mail as bytes; message_id=None leaves the header out."""
    from datetime import datetime, timezone
    from email.message import EmailMessage
    from email.utils import format_datetime, make_msgid
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc))
    if message_id == "auto":
        message_id = make_msgid(domain="example.nl")
    if message_id:
        message["Message-ID"] = message_id
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message.as_bytes()
