"""`workbench check --send-test-mail`: one short mail from the practice to itself, to see
whether the provider files what SMTP sent in the Sent folder (mail_provider_files_sent).

The answers' exactly-once rule rests on that setting: where the provider files sent mail, its
copy is the proof an answer went out. So it is proven here the way the outbox relies on it:
sent through the same SMTP path, then looked for by its Message-ID in Sent, as before a retry.
The test mail carries no medical content and a header by which the mail pull sets it aside."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate

from keyring.backend import KeyringBackend

from workbench.services.mail.connection import MailSettings, resolve_password
from workbench.services.mail.imap_pull import MailboxClient
from workbench.services.mail.message import ParsedMail, make_message_id
from workbench.services.mail.smtp_send import SendOutcome, SendResult, send_message

log = logging.getLogger(__name__)

TEST_HEADER = "X-Workbench-Test"
TEST_HEADER_VALUE = "check"  # followed by a token keyed with the account's password
TEST_SUBJECT = "Workbench: testbericht (mag weg)"
# What the practice's staff read if they open it in their own mail program (Dutch, like
# every text a practice reads); nothing about any patient.
TEST_TEXT = ("Dit is een testbericht van `workbench check --send-test-mail`. Het controleert "
             "of de mailprovider verzonden mail zelf in de map Verzonden bewaart.\n\n"
             "Dit bericht mag weg.\n")


@dataclass(frozen=True)
class SentProbe:
    """What one test mail showed. `filed_by_provider` and `arrived` are None when the mail
    was not accepted (nothing to look for)."""

    message_id: str
    send: SendResult
    sent_folder: str = ""
    filed_by_provider: bool | None = None
    arrived: bool | None = None      # seen in the pulled folder (settings.folder)
    filed_after_s: float | None = None  # from the server's acceptance to the copy in Sent
    waited_s: float = 0.0            # from the server's acceptance to the last search

    @property
    def accepted(self) -> bool:
        return self.send.outcome is SendOutcome.ACCEPTED


def probe_token(password: str, message_id: str) -> str:
    """The header's proof that Workbench made the mail: keyed with the mail account's
    password, so a stranger who copies the header cannot have a mail set aside unseen."""
    digest = hmac.new(password.encode(), message_id.strip().encode(), hashlib.sha256)
    return f"{TEST_HEADER_VALUE} {digest.hexdigest()[:32]}"


def compose_test_mail(settings: MailSettings, password: str, message_id: str | None = None,
                      when: datetime | None = None) -> EmailMessage:
    """From the practice's address to the same address, with a fresh Message-ID."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = Address("Workbench", addr_spec=settings.practice_address)
    message["To"] = Address("", addr_spec=settings.practice_address)
    message["Subject"] = TEST_SUBJECT
    message["Date"] = formatdate((when or datetime.now(timezone.utc)).timestamp(),
                                 localtime=True)
    message["Message-ID"] = message_id or make_message_id(settings.practice_address)
    message[TEST_HEADER] = probe_token(password, str(message["Message-ID"]))
    message.set_content(TEST_TEXT, subtype="plain", charset="utf-8")
    return message


def is_test_mail(raw: bytes, parsed: ParsedMail, practice_address: str,
                 password: str | None) -> bool:
    """A test mail of `check`: the keyed header, from the practice to the practice alone and
    nothing attached. All of it, so that a header in someone else's mail hides nothing."""
    practice = practice_address.strip().lower()
    if not password or not practice or parsed.from_address != practice \
            or parsed.attachments or parsed.has_other_recipients \
            or parsed.recipient_count != 1 or parsed.message_id_is_hash:
        return False
    try:
        headers = BytesParser(policy=policy.default).parsebytes(raw[:64 * 1024],
                                                                headersonly=True)
        values = [str(value).strip().lower() for value in headers.get_all(TEST_HEADER, [])]
    except Exception:  # noqa: BLE001 - a header we cannot read is not ours
        return False
    return len(values) == 1 and hmac.compare_digest(
        values[0], probe_token(password, parsed.message_id))


def probe_sent_folder(settings: MailSettings, password: str | None = None, *,
                      backend: KeyringBackend | None = None, timeout_s: float = 30.0,
                      poll_s: float = 1.0,
                      clock: Callable[[], float] = time.monotonic,
                      sleep: Callable[[float], None] = time.sleep) -> SentProbe:
    """Sends the test mail, then searches Sent (and the pulled folder) for its Message-ID
    until both have it or `timeout_s` has passed. TLS, credential and IMAP failures raise
    (MailError) as they do for answers."""
    password = resolve_password(settings, password, backend)
    mail = compose_test_mail(settings, password)
    message_id = str(mail["Message-ID"])
    result = send_message(settings, mail, password, backend=backend)
    if result.outcome is not SendOutcome.ACCEPTED:
        log.warning("mail test not accepted outcome=%s stage=%s code=%s", result.outcome.value,
                    result.stage, result.reply_code)
        return SentProbe(message_id, result)
    started = clock()
    deadline = started + timeout_s
    filed_after: float | None = None
    arrived = False
    with MailboxClient.connect(settings, password, backend=backend) as client:
        sent = client.sent_folder()
        while True:
            # A fresh SELECT each round: the server shows mail that came since the last one.
            if filed_after is None and client.find_in_sent(message_id, sent):
                filed_after = round(clock() - started, 1)
            arrived = arrived or bool(client.find_in_sent(message_id, settings.folder))
            if (filed_after is not None and arrived) or clock() >= deadline:
                break
            sleep(max(0.0, min(poll_s, deadline - clock())))
    waited = round(clock() - started, 1)
    log.info("mail test filed_by_provider=%s arrived=%s waited_s=%s", filed_after is not None,
             arrived, waited)
    return SentProbe(message_id, result, sent, filed_after is not None, arrived, filed_after,
                     waited)
