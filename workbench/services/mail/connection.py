"""Mail settings and TLS-only IMAP and SMTP connections (standard library, verified TLS)."""

from __future__ import annotations

import imaplib
import logging
import smtplib
import ssl
from dataclasses import dataclass

from keyring.backend import KeyringBackend

from workbench.services.mail.credentials import get_mail_password
from workbench.services.mail.errors import (
    MailCredentialsRejected,
    MailProtocolError,
    MailTlsRefused,
    MailUnreachable,
)

log = logging.getLogger(__name__)

SECURITY_MODES = ("tls", "starttls")  # implicit TLS, or STARTTLS that must succeed; no plain


@dataclass(frozen=True)
class MailSettings:
    """One practice's secure-mail account (a provider meeting NTA 7516)."""

    imap_host: str
    smtp_host: str
    account: str
    practice_address: str
    imap_port: int = 993
    smtp_port: int = 587
    imap_security: str = "tls"
    smtp_security: str = "starttls"
    folder: str = "INBOX"
    processed_folder: str | None = None   # e.g. "Verwerkt"; None leaves mail where it is
    sent_folder: str = "Sent"             # used when the server names no \Sent folder
    provider_files_sent: bool = False     # the provider keeps a copy of what SMTP sent
    ca_bundle: str | None = None          # PEM file; None = the system's trust store
    timeout_s: float = 30.0

    def __post_init__(self) -> None:
        for name in ("imap_security", "smtp_security"):
            if getattr(self, name) not in SECURITY_MODES:
                raise ValueError(f"{name} must be one of {SECURITY_MODES}")
        if not self.folder:
            raise ValueError("folder must not be empty")


def tls_context(ca_bundle: str | None = None) -> ssl.SSLContext:
    """Verification and the host name check stay on whatever the CA; TLS 1.2 at least."""
    context = ssl.create_default_context(cafile=ca_bundle)
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def resolve_password(settings: MailSettings, password: str | None = None,
                     backend: KeyringBackend | None = None) -> str:
    if password:
        return password
    stored = get_mail_password(settings.account, settings.imap_host, backend)
    if not stored:
        raise MailCredentialsRejected("no_password")
    return stored


def _tls_failure(exc: ssl.SSLError) -> MailTlsRefused:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return MailTlsRefused("certificate", str(exc.verify_message or exc.reason))
    return MailTlsRefused("handshake", str(exc.reason or type(exc).__name__))


def open_imap(settings: MailSettings, password: str | None = None, *,
              backend: KeyringBackend | None = None) -> imaplib.IMAP4:
    """A logged-in IMAP connection over verified TLS. The password leaves this process only
    inside TLS: without STARTTLS (or when it fails) we raise before LOGIN."""
    password = resolve_password(settings, password, backend)
    imap = _open_imap_tls(settings)
    try:
        if not isinstance(imap.sock, ssl.SSLSocket):  # belt and braces: never LOGIN in plain
            raise MailTlsRefused("handshake", "no TLS socket")
        imap.login(settings.account, password)
    except imaplib.IMAP4.abort as exc:
        _shutdown_imap(imap)
        raise MailUnreachable("unreachable", type(exc).__name__) from exc
    except imaplib.IMAP4.error as exc:
        _shutdown_imap(imap)
        raise MailCredentialsRejected("credentials", "LOGIN refused") from exc
    except OSError as exc:
        _shutdown_imap(imap)
        raise MailUnreachable("unreachable", type(exc).__name__) from exc
    except BaseException:
        _shutdown_imap(imap)
        raise
    try:
        _refresh_capabilities(imap)
    except (imaplib.IMAP4.error, OSError) as exc:
        _shutdown_imap(imap)
        raise MailUnreachable("unreachable", type(exc).__name__) from exc
    log.info("imap connected host=%s port=%s security=%s", settings.imap_host,
             settings.imap_port, settings.imap_security)
    return imap


def _open_imap_tls(settings: MailSettings) -> imaplib.IMAP4:
    context = tls_context(settings.ca_bundle)
    imap: imaplib.IMAP4 | None = None
    try:
        if settings.imap_security == "tls":
            return imaplib.IMAP4_SSL(settings.imap_host, settings.imap_port,
                                     ssl_context=context, timeout=settings.timeout_s)
        imap = imaplib.IMAP4(settings.imap_host, settings.imap_port,
                             timeout=settings.timeout_s)
        if "STARTTLS" not in imap.capabilities:
            raise MailTlsRefused("starttls_unavailable")
        try:
            imap.starttls(ssl_context=context)
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error as exc:
            raise MailTlsRefused("starttls_failed", "STARTTLS refused") from exc
        return imap
    except BaseException as exc:
        if imap is not None:
            _shutdown_imap(imap)
        if isinstance(exc, ssl.SSLError):
            raise _tls_failure(exc) from exc
        if isinstance(exc, imaplib.IMAP4.error):
            raise MailProtocolError("protocol", type(exc).__name__) from exc
        if isinstance(exc, OSError):
            raise MailUnreachable("unreachable", type(exc).__name__) from exc
        raise


def _refresh_capabilities(imap: imaplib.IMAP4) -> None:
    """imaplib keeps the capabilities from before LOGIN; MOVE and UIDPLUS often come after."""
    typ, data = imap.capability()
    if typ == "OK" and data and isinstance(data[-1], bytes):
        imap.capabilities = tuple(data[-1].decode("ascii", "replace").upper().split())


def _shutdown_imap(imap: imaplib.IMAP4) -> None:
    try:
        imap.shutdown()
    except OSError:
        pass


def close_imap(imap: imaplib.IMAP4) -> None:
    """LOGOUT, and no fuss when the connection is gone already."""
    try:
        imap.logout()
    except (imaplib.IMAP4.error, OSError):
        _shutdown_imap(imap)


def open_smtp(settings: MailSettings, password: str | None = None, *,
              backend: KeyringBackend | None = None,
              local_hostname: str | None = None) -> smtplib.SMTP:
    """A logged-in SMTP submission connection over verified TLS; AUTH only after TLS."""
    password = resolve_password(settings, password, backend)
    context = tls_context(settings.ca_bundle)
    smtp: smtplib.SMTP | None = None
    try:
        if settings.smtp_security == "tls":
            smtp = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, context=context,
                                    timeout=settings.timeout_s, local_hostname=local_hostname)
            smtp.ehlo()
        else:
            smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                                timeout=settings.timeout_s, local_hostname=local_hostname)
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise MailTlsRefused("starttls_unavailable")
            try:
                smtp.starttls(context=context)
            except smtplib.SMTPResponseException as exc:
                raise MailTlsRefused("starttls_failed", f"reply {exc.smtp_code}") from exc
            smtp.ehlo()
        if not isinstance(smtp.sock, ssl.SSLSocket):
            raise MailTlsRefused("handshake", "no TLS socket")
        try:
            smtp.login(settings.account, password)
        except smtplib.SMTPAuthenticationError as exc:
            raise MailCredentialsRejected("credentials", f"reply {exc.smtp_code}") from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise MailProtocolError("auth_unavailable", "no AUTH after TLS") from exc
    except BaseException as exc:
        if smtp is not None:
            _close_smtp_quietly(smtp)
        if isinstance(exc, ssl.SSLError):
            raise _tls_failure(exc) from exc
        if isinstance(exc, smtplib.SMTPResponseException) and not isinstance(
                exc, smtplib.SMTPAuthenticationError):
            raise MailProtocolError("protocol", f"reply {exc.smtp_code}") from exc
        if isinstance(exc, (smtplib.SMTPServerDisconnected, OSError)) and not isinstance(
                exc, (smtplib.SMTPResponseException, smtplib.SMTPNotSupportedError)):
            raise MailUnreachable("unreachable", type(exc).__name__) from exc
        raise
    log.info("smtp connected host=%s port=%s security=%s", settings.smtp_host,
             settings.smtp_port, settings.smtp_security)
    return smtp


def _close_smtp_quietly(smtp: smtplib.SMTP) -> None:
    try:
        smtp.close()
    except OSError:
        pass


def close_smtp(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        _close_smtp_quietly(smtp)
