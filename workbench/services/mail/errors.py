"""Typed failures of the mail channel; `code` tells the UI and `check` which message to show."""

from __future__ import annotations


class MailError(Exception):
    """Base of every mail channel failure. Never carries message content."""

    code = "mail"

    def __init__(self, code: str | None = None, detail: str = "") -> None:
        self.code = code or type(self).code
        # detail is for the log: server replies and exception names, never addresses or text.
        super().__init__(f"{self.code}: {detail}" if detail else self.code)
        self.detail = detail


class MailTlsRefused(MailError):
    """No verified TLS session: the password was not sent.

    codes: "certificate" (did not verify), "starttls_unavailable" (server offers no STARTTLS),
    "starttls_failed" (the server refused STARTTLS), "handshake" (TLS handshake failed)."""

    code = "tls"


class MailUnreachable(MailError):
    """The server could not be reached or dropped the connection (code "unreachable")."""

    code = "unreachable"


class MailCredentialsRejected(MailError):
    """The server refused the account and password, or there is no password stored
    (codes "credentials", "no_password")."""

    code = "credentials"


class MailProtocolError(MailError):
    """The server answered something we cannot use (code "protocol", or "folder_missing")."""

    code = "protocol"


class MailMessageRefused(MailError):
    """A whole message refused by the parser (codes "too_large", "unparseable")."""

    code = "message_refused"
