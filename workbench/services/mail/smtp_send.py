"""One answer out through SMTP submission, with outcomes the outbox can act on exactly once."""

from __future__ import annotations

import copy
import enum
import logging
import re
import smtplib
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses

from keyring.backend import KeyringBackend

from workbench.services.mail.connection import MailSettings, close_smtp, open_smtp
from workbench.services.mail.errors import MailUnreachable

log = logging.getLogger(__name__)

_CRLF = b"\r\n"
_LINE_ENDS = re.compile(rb"\r\n|\r|\n")


class SendOutcome(str, enum.Enum):
    ACCEPTED = "accepted"    # the server said 250 to the message: it is on its way
    REFUSED = "refused"      # a 5xx: sending it again will not help
    TEMPORARY = "temporary"  # a 4xx, or the connection failed before the message was handed over
    UNKNOWN = "unknown"      # the connection broke after the message was sent, before the reply:
                             # it may have gone out; retry only after a person confirms


@dataclass(frozen=True)
class SendResult:
    outcome: SendOutcome
    stage: str                # "connect", "mail", "rcpt", "data", "message", "done"
    reply_code: int | None = None
    refused_recipients: tuple[str, ...] = ()


def send_message(settings: MailSettings, message: EmailMessage, password: str | None = None, *,
                 backend: KeyringBackend | None = None,
                 local_hostname: str | None = None) -> SendResult:
    """Sends one message. TLS and credential failures raise (MailTlsRefused,
    MailCredentialsRejected: nothing was sent); delivery outcomes come back as a SendResult."""
    recipients = _envelope_recipients(message)
    if not recipients:
        raise ValueError("the message has no recipients")
    payload = _wire_bytes(message)
    try:
        smtp = open_smtp(settings, password, backend=backend, local_hostname=local_hostname)
    except MailUnreachable:
        log.warning("smtp send outcome=temporary stage=connect")
        return SendResult(SendOutcome.TEMPORARY, "connect")
    try:
        result = _transaction(smtp, settings.practice_address, recipients, payload)
    finally:
        close_smtp(smtp)
    log.info("smtp send outcome=%s stage=%s code=%s", result.outcome.value, result.stage,
             result.reply_code)
    return result


def _transaction(smtp: smtplib.SMTP, sender: str, recipients: list[str],
                 payload: bytes) -> SendResult:
    stage = "mail"
    try:
        code, _ = smtp.mail(sender)
        if code != 250:
            return _by_code("mail", code)
        stage = "rcpt"
        refused: list[str] = []
        worst = 250
        for recipient in recipients:
            code, _ = smtp.rcpt(recipient)
            if code not in (250, 251):
                refused.append(recipient)
                worst = max(worst, code)  # one 5xx makes it a refusal
        if refused:
            # All or nothing: an answer to some of its recipients is not the answer queued.
            _reset(smtp)
            return _by_code("rcpt", worst, tuple(refused))
        stage = "data"
        code, _ = smtp.docmd("DATA")
        if code != 354:
            _reset(smtp)
            return _by_code("data", code)
        stage = "message"
        smtp.send(payload)
    except (smtplib.SMTPServerDisconnected, OSError):
        # Nothing of the message was accepted yet: safe to send again.
        return SendResult(SendOutcome.TEMPORARY, stage)
    try:
        code, _ = smtp.getreply()
    except (smtplib.SMTPServerDisconnected, OSError):
        return SendResult(SendOutcome.UNKNOWN, "message")
    if code == 250:
        return SendResult(SendOutcome.ACCEPTED, "done", code)
    return _by_code("message", code)


def _by_code(stage: str, code: int, refused: tuple[str, ...] = ()) -> SendResult:
    if 500 <= code < 600:
        return SendResult(SendOutcome.REFUSED, stage, code, refused)
    # 4xx, and anything odd (smtplib reports -1 for a garbled reply): try again later.
    return SendResult(SendOutcome.TEMPORARY, stage, code, refused)


def _reset(smtp: smtplib.SMTP) -> None:
    try:
        smtp.rset()
    except (smtplib.SMTPException, OSError):
        pass


def _envelope_recipients(message: EmailMessage) -> list[str]:
    found: list[str] = []
    for header in ("To", "Cc", "Bcc"):
        for _name, address in getaddresses([str(v) for v in message.get_all(header, [])]):
            address = address.strip()
            if address and address.lower() not in (a.lower() for a in found):
                found.append(address)
    return found


def _wire_bytes(message: EmailMessage) -> bytes:
    """The DATA payload: Bcc removed, CRLF line ends, leading dots doubled, the final dot."""
    outgoing = _without_bcc(message) if message.get_all("Bcc") else message
    data = outgoing.as_bytes(policy=policy.SMTP)
    data = _LINE_ENDS.sub(_CRLF, data)
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(_CRLF):
        data += _CRLF
    return data + b"." + _CRLF


def _without_bcc(message: EmailMessage) -> EmailMessage:
    outgoing = copy.deepcopy(message)  # a shallow copy would share the header list
    del outgoing["Bcc"]
    return outgoing
