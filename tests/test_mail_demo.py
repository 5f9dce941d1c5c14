"""The demo's mail account (pymap + aiosmtpd, Python packages only) serves its seeded mail
e-consults over verified TLS to our own IMAP and SMTP clients."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image

from workbench.demo.mail_server import DemoMailServer
from workbench.services.mail.connection import MailSettings
from workbench.services.mail.errors import MailTlsRefused
from workbench.services.mail.imap_pull import FolderCursor, MailboxClient, MoveOutcome
from workbench.services.mail.message import compose_reply, make_message_id, parse_mail
from workbench.services.mail.smtp_send import SendOutcome, send_message


@pytest.fixture
def demo_mail():
    server = DemoMailServer()
    account = server.start()
    yield server, account
    server.stop()


def demo_settings(account) -> MailSettings:
    return MailSettings(imap_host=account.host, imap_port=account.imap_port,
                        imap_security=account.imap_security, smtp_host=account.host,
                        smtp_port=account.smtp_port, smtp_security=account.smtp_security,
                        account=account.account, practice_address=account.practice_address,
                        processed_folder=account.processed_folder,
                        sent_folder=account.sent_folder, ca_bundle=account.ca_file,
                        timeout_s=10)


def test_the_demo_serves_its_seeded_mails_over_tls(demo_mail):
    server, account = demo_mail
    settings = demo_settings(account)
    with MailboxClient.connect(settings, account.password) as client:
        state = client.open_folder(None)
        mails = [parse_mail(p.raw, account.practice_address) for p in client.fetch(state.new_uids)]
        assert len(mails) == 5
        cursor = state.cursor_after(state.new_uids[-1])
        assert client.open_folder(cursor).new_uids == ()
    html_only = [m for m in mails if m.text_from_html]
    assert len(html_only) == 1 and "herhaalrecept" in html_only[0].text
    assert "<" not in html_only[0].text and "Calibri" not in html_only[0].text
    photos = [a for m in mails for a in m.attachments]
    assert len(photos) == 1
    assert Image.open(io.BytesIO(photos[0].data)).format == "JPEG"
    assert "mo.k2007@example.com" in {m.from_address for m in mails}
    assert all(m.date is not None and not m.has_other_recipients for m in mails)


def test_the_demo_keeps_verification_on(demo_mail):
    _server, account = demo_mail
    with pytest.raises(MailTlsRefused) as error:
        MailboxClient.connect(replace(demo_settings(account), ca_bundle=None), account.password)
    assert error.value.code == "certificate"


def test_answering_through_the_demo_and_filing_in_sent(demo_mail):
    server, account = demo_mail
    settings = demo_settings(account)
    with MailboxClient.connect(settings, account.password) as client:
        state = client.open_folder(FolderCursor(1, 0))
        assert state.uidvalidity_changed  # a made-up cursor: the whole folder again
        first = next(client.fetch(state.new_uids))
        assert client.move_to_processed(first.uid) is MoveOutcome.MOVED
        question = parse_mail(first.raw, account.practice_address)
        reply = compose_reply(practice_address=account.practice_address,
                              practice_name="Huisartsenpraktijk De Linde",
                              to_address=question.from_address, to_name=question.from_name,
                              subject="Re: " + question.subject, body="Dat is niet nodig.",
                              message_id=make_message_id(account.practice_address),
                              replying_to=question)
        result = send_message(settings, reply, account.password)
        assert result.outcome is SendOutcome.ACCEPTED
        assert len(server.sent) == 1 and reply["Message-ID"].encode() in server.sent[0]
        assert client.find_in_sent(reply["Message-ID"]) == []
        client.append_to_sent(reply.as_bytes())
        assert len(client.find_in_sent(reply["Message-ID"])) == 1
