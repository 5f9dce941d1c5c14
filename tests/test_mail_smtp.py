"""SMTP submission against aiosmtpd delivering into Dovecot's Maildir: accepted, refused,
temporary, the unknown outcome after DATA, and the exactly-once check in Sent."""

from __future__ import annotations

from dataclasses import replace

import pytest

from workbench.services.mail.errors import MailCredentialsRejected, MailTlsRefused
from workbench.services.mail.imap_pull import MailboxClient
from workbench.services.mail.message import compose_reply, make_message_id, parse_mail
from workbench.services.mail.smtp_send import SendOutcome, send_message

# The servers' fixtures, one Dovecot for the whole session; asserts in them rewritten.
pytest.register_assert_rewrite("tests.mail_servers")
pytest_plugins = ["tests.mail_servers"]
from tests.mail_servers import SmtpTestServer, make_mail  # noqa: E402


def answer(account: str, body: str = "De uitslag is goed.", **extra):
    question = parse_mail(make_mail("Uitslag", message_id="<vraag-1@patient.example>"), account)
    return compose_reply(practice_address=account, practice_name="Huisartsenpraktijk De Linde",
                         to_address="patient@example.nl", to_name="Patiënt",
                         subject="Re: Uitslag", body=body,
                         message_id=make_message_id(account), replying_to=question, **extra)


@pytest.fixture
def smtp_settings(mail_account, smtp_server):
    return replace(mail_account.settings, smtp_port=smtp_server.port,
                   smtp_security="starttls")


def test_an_accepted_answer_arrives_in_the_maildir(mail_account, smtp_server, smtp_settings):
    message = answer(mail_account.account, body=".begint met een punt\nen verder")
    result = send_message(smtp_settings, message, mail_account.password)
    assert result.outcome is SendOutcome.ACCEPTED and result.reply_code == 250
    delivered = mail_account.messages()
    assert len(delivered) == 1
    parsed = parse_mail(delivered[0], mail_account.account)
    assert parsed.message_id == message["Message-ID"]
    assert parsed.in_reply_to == "<vraag-1@patient.example>"
    assert parsed.text.startswith(".begint met een punt")  # dot-stuffing undone by the server
    assert smtp_server.auth_attempts  # authenticated, after STARTTLS (the server insists)


def test_implicit_tls_submission(mail_account, mail_certificates):
    server = SmtpTestServer(mail_certificates, mail_account.account, mail_account.password,
                            mail_account.deliver, implicit_tls=True)
    try:
        settings = replace(mail_account.settings, smtp_port=server.port, smtp_security="tls")
        result = send_message(settings, answer(mail_account.account), mail_account.password)
    finally:
        server.stop()
    assert result.outcome is SendOutcome.ACCEPTED
    assert len(mail_account.messages()) == 1


def test_a_dropped_connection_after_data_is_unknown_and_found_in_sent(
        mail_account, smtp_server, smtp_settings):
    smtp_server.fault = "drop_after_data"
    message = answer(mail_account.account)
    result = send_message(smtp_settings, message, mail_account.password)
    assert result.outcome is SendOutcome.UNKNOWN and result.stage == "message"
    # It did go out: the provider delivered it. Before any retry the outbox asks Sent; here
    # the provider does not file sent mail, so nothing is there yet, and a person decides.
    assert len(mail_account.messages()) == 1
    with MailboxClient.connect(mail_account.settings, mail_account.password) as client:
        assert client.find_in_sent(message["Message-ID"]) == []
        # The person confirms it went out: filed once, then found by any later retry check.
        client.append_to_sent(message.as_bytes())
        assert len(client.find_in_sent(message["Message-ID"])) == 1


def test_a_provider_that_files_sent_mail_makes_the_retry_check_find_it(
        mail_account, smtp_server, smtp_settings):
    smtp_server.fault = "drop_after_data"
    smtp_server.deliver = lambda raw: mail_account.deliver(raw, folder="Sent")
    message = answer(mail_account.account)
    assert send_message(smtp_settings, message,
                        mail_account.password).outcome is SendOutcome.UNKNOWN
    with MailboxClient.connect(mail_account.settings, mail_account.password) as client:
        found = client.find_in_sent(message["Message-ID"])
    assert len(found) == 1  # so the answer is not sent a second time


@pytest.mark.parametrize(("fault", "outcome", "code"), [
    ("tempfail", SendOutcome.TEMPORARY, 451),
    ("reject", SendOutcome.REFUSED, 554),
])
def test_refused_and_temporary_replies(mail_account, smtp_server, smtp_settings, fault, outcome,
                                       code):
    smtp_server.fault = fault
    result = send_message(smtp_settings, answer(mail_account.account), mail_account.password)
    assert (result.outcome, result.reply_code, result.stage) == (outcome, code, "message")
    assert mail_account.messages() == []


def test_no_server_is_temporary(mail_account):
    from tests.mail_servers import free_port
    settings = replace(mail_account.settings, smtp_port=free_port())
    result = send_message(settings, answer(mail_account.account), mail_account.password)
    assert (result.outcome, result.stage) == (SendOutcome.TEMPORARY, "connect")


def test_a_wrong_password_raises_and_sends_nothing(mail_account, smtp_settings):
    with pytest.raises(MailCredentialsRejected):
        send_message(smtp_settings, answer(mail_account.account), "fout")
    assert mail_account.messages() == []


def test_an_unverifiable_certificate_is_refused(mail_account, smtp_server, smtp_settings,
                                                mail_certificates):
    settings = replace(smtp_settings, ca_bundle=mail_certificates.foreign_ca_file)
    with pytest.raises(MailTlsRefused) as error:
        send_message(settings, answer(mail_account.account), mail_account.password)
    assert error.value.code == "certificate"
    assert smtp_server.auth_attempts == []


def test_a_server_without_starttls_never_gets_the_password(mail_account, mail_certificates):
    server = SmtpTestServer(mail_certificates, mail_account.account, mail_account.password,
                            mail_account.deliver, starttls=False)
    try:
        settings = replace(mail_account.settings, smtp_port=server.port)
        with pytest.raises(MailTlsRefused) as error:
            send_message(settings, answer(mail_account.account), mail_account.password)
    finally:
        server.stop()
    assert error.value.code == "starttls_unavailable"
    assert server.auth_attempts == [] and server.accepted == []


def test_bcc_is_not_sent_but_receives(mail_account, smtp_server, smtp_settings):
    message = answer(mail_account.account)
    message["Bcc"] = "archief@example.nl"
    result = send_message(smtp_settings, message, mail_account.password)
    assert result.outcome is SendOutcome.ACCEPTED
    assert b"archief@example.nl" not in smtp_server.accepted[0]
    assert message["Bcc"] == "archief@example.nl"  # the caller's message is untouched
