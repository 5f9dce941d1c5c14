"""`workbench check --send-test-mail` proves mail_provider_files_sent against real servers
(Dovecot, aiosmtpd, the demo portal): a provider that files sent mail in Sent, or not, with
the setting on or off. The test mail never becomes an e-consult when the pull reads it."""

from __future__ import annotations

import email

import pytest
from sqlalchemy import func, select

from workbench import check as check_module
from workbench import cli
from workbench.services import mail_senders
from workbench.services.mail.credentials import set_mail_password
from workbench.services.mail.probe import TEST_HEADER, TEST_SUBJECT, probe_token
from workbench.services.mail_sync import TEST_MAIL, MailSyncService
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import EConsult, MailItem, MailState

pytest.register_assert_rewrite("tests.mail_servers")
pytest_plugins = ["tests.mail_servers"]
from tests.mail_servers import HOST, make_mail  # noqa: E402
from tests.test_check import check, parts, write_machine_config  # noqa: E402

WAIT_S = 2.0  # instead of 30 s: the test servers file at once or never


@pytest.fixture
def installation(start_portal, tmp_path, mail_account, smtp_server, mail_certificates,
                 monkeypatch):
    """Writes the machine-wide file for the open demo portal and the test mail account, with
    mail_provider_files_sent as asked; the mail password in the keyring, as IT stores it."""
    monkeypatch.setattr(check_module, "TEST_MAIL_WAIT_S", WAIT_S)
    portal = start_portal(seed=3, consults=5, photo_size=(200, 150))
    set_mail_password(mail_account.account, HOST, mail_account.password)

    def install(files_sent: bool) -> None:
        write_machine_config({
            "portal_url": portal.base_url, "data_dir": str(tmp_path / "data"), "auth": "none",
            "practice_agb": "01234567", "mail_imap_host": HOST,
            "mail_imap_port": mail_account.server.port, "mail_imap_security": "starttls",
            "mail_smtp_port": smtp_server.port, "mail_smtp_security": "starttls",
            "mail_account": mail_account.account, "mail_address": mail_account.account,
            "mail_ca_bundle": mail_certificates.ca_file,
            "mail_provider_files_sent": files_sent})
    return install


def provider_files_sent(mail_account, smtp_server) -> None:
    """The provider keeps a copy of what SMTP accepted in Sent, and delivers it as well."""
    def deliver(raw: bytes) -> None:
        mail_account.deliver(raw, folder="Sent")
        mail_account.deliver(raw)
    smtp_server.deliver = deliver


def check_with_test_mail(capsys, smtp_server, status: int) -> tuple[dict[str, str], str]:
    """`workbench check --send-test-mail` with its exit status asserted: each part's lines,
    and the Message-ID of the test mail the server accepted."""
    got, out, err = check(capsys, "--send-test-mail")
    assert got == status, out + err
    accepted = smtp_server.accepted
    return parts(out), email.message_from_bytes(accepted[0])["Message-ID"] if accepted else ""


def test_without_the_flag_the_mail_line_says_how_to_prove_the_setting(
        capsys, installation, smtp_server):
    installation(files_sent=True)
    status, out, err = check(capsys)
    assert status == cli.EXIT_OK, out + err
    found = parts(out)
    assert "sent mail" not in found and not smtp_server.accepted  # nothing sent unasked
    assert found["mail"].endswith("the provider keeps sent mail there "
                                  "(mail_provider_files_sent); `workbench check "
                                  "--send-test-mail` proves this")


def test_a_provider_that_files_sent_mail_agrees_with_the_setting(
        capsys, installation, mail_account, smtp_server):
    provider_files_sent(mail_account, smtp_server)
    installation(files_sent=True)
    found, message_id = check_with_test_mail(capsys, smtp_server, cli.EXIT_OK)
    assert "--send-test-mail` proves this" not in found["mail"]
    test_mail = email.message_from_bytes(smtp_server.accepted[0])
    assert found["sent mail"].startswith(
        f"OK      sent mail: test mail from and to {mail_account.account}, {message_id} "
        "filed in Sent by the provider after ")
    assert found["sent mail"].endswith(
        "s, as mail_provider_files_sent = true says; it arrived in INBOX")
    # From the practice to itself, recognisable, nothing about anyone.
    assert len(smtp_server.accepted) == 1
    assert mail_account.account in test_mail["From"] and test_mail["To"] == mail_account.account
    assert test_mail["Subject"] == TEST_SUBJECT
    assert test_mail[TEST_HEADER] == probe_token(mail_account.password, message_id)
    # Workbench filed no copy of its own: the provider's is the only one.
    assert len(mail_account.messages("Sent")) == 1


def test_a_provider_that_files_sent_mail_while_the_setting_is_off(
        capsys, installation, mail_account, smtp_server):
    provider_files_sent(mail_account, smtp_server)
    installation(files_sent=False)
    found, message_id = check_with_test_mail(capsys, smtp_server, cli.EXIT_CONFIG)
    assert found["sent mail"].splitlines() == [
        f"PROBLEM sent mail: test mail from and to {mail_account.account}",
        f"  -> The provider filed the test mail {message_id} in Sent itself, but "
        "mail_provider_files_sent is false: Workbench would file every answer in Sent a "
        "second time. Set mail_provider_files_sent = true in the machine-wide file "
        f"{check_module.config.machine_config_in_use()}."]


def test_a_provider_that_does_not_file_sent_mail_while_the_setting_is_on(
        capsys, installation, mail_account, smtp_server):
    installation(files_sent=True)
    found, message_id = check_with_test_mail(capsys, smtp_server, cli.EXIT_CONFIG)
    assert found["mail"].startswith("OK      mail: ")  # the account itself works
    lines = found["sent mail"].splitlines()
    assert lines[0] == f"PROBLEM sent mail: test mail from and to {mail_account.account}"
    assert lines[1].startswith(f"  -> The provider did not file the test mail {message_id} ")
    assert "in Sent within 2 s, but mail_provider_files_sent is true" in lines[1]
    assert "cannot be proven sent" in lines[1]
    assert "Set mail_provider_files_sent = false in the machine-wide file" in lines[1]
    assert mail_account.messages("Sent") == []


def test_a_provider_that_does_not_file_sent_mail_agrees_with_the_setting_off(
        capsys, installation, mail_account, smtp_server):
    installation(files_sent=False)
    found, message_id = check_with_test_mail(capsys, smtp_server, cli.EXIT_OK)
    assert found["sent mail"] == (
        f"OK      sent mail: test mail from and to {mail_account.account}, {message_id} not "
        "filed in Sent by the provider within 2 s, as mail_provider_files_sent = false says "
        "(Workbench files answers there); it arrived in INBOX")
    assert mail_account.messages("Sent") == []  # a test mail is not filed by Workbench


def test_a_refused_test_mail_proves_nothing(capsys, installation, mail_account, smtp_server):
    smtp_server.fault = "reject"
    installation(files_sent=True)
    found, _message_id = check_with_test_mail(capsys, smtp_server, cli.EXIT_PORTAL)
    assert found["sent mail"].splitlines()[1] == (
        "  -> The mail server did not accept the test mail (refused at message, reply 554), "
        "so the setting mail_provider_files_sent was not proven. Check that the account may "
        f"send from mail_address {mail_account.account}, then run the check again.")


def test_without_a_mail_channel_the_flag_is_skipped(capsys, start_portal, tmp_path):
    portal = start_portal(seed=3, consults=5, photo_size=(200, 150))
    write_machine_config({"portal_url": portal.base_url, "data_dir": str(tmp_path / "data"),
                          "auth": "none", "practice_agb": "01234567"})
    status, out, _err = check(capsys, "--send-test-mail")
    assert status == cli.EXIT_OK
    assert parts(out)["sent mail"] == ("SKIPPED sent mail: no mail channel is configured "
                                       "(mail_imap_host is empty)")


# -- the pull ---------------------------------------------------------------------------------
def _pull(sqlite_url, tmp_path, settings, password):
    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    result = MailSyncService(settings, engine, BlobStore(tmp_path / "blobs"),
                             password=password).run()
    return engine, result


def test_the_test_mail_is_set_aside_by_the_pull_not_made_an_e_consult(
        capsys, installation, mail_account, smtp_server, sqlite_url, tmp_path):
    installation(files_sent=False)
    assert check(capsys, "--send-test-mail")[0] == cli.EXIT_OK
    engine, result = _pull(sqlite_url, tmp_path, mail_account.settings, mail_account.password)
    try:
        assert result.ok and result.fetched == 1
        assert (result.imported, result.unknown_sender, result.ambiguous) == (0, 0, 0)
        with engine.connect() as connection:
            item = connection.execute(select(MailItem)).one()
            assert connection.scalar(select(func.count()).select_from(EConsult)) == 0
        # Kept and handled (its raw mail too), not waiting for a person, not lost.
        assert item.state is MailState.UNKNOWN_SENDER and item.handled_at is not None
        assert TEST_MAIL in item.problems and item.raw_sha256
        assert mail_senders.count_waiting(engine) == 0 and mail_senders.list_waiting(engine) == []
    finally:
        engine.dispose()


@pytest.mark.parametrize("sender, to, token", [
    ("onbekend@example.nl", None, "right"),
    (None, "iemand@example.nl", "right"),
    # A forged From of the practice itself, with the header but without the account's key.
    (None, None, "bare"),
    (None, None, "another key")])
def test_the_header_alone_hides_no_one_elses_mail(mail_account, sqlite_url, tmp_path,
                                                  sender, to, token):
    """Someone else's mail with the header, the practice's own to others as well, or a mail
    whose header was not made with the account's password waits for a person like any mail."""
    practice = mail_account.account
    to = f"{practice}, {to}" if to else practice
    message_id = "<proef-1@example.nl>"
    value = {"right": probe_token(mail_account.password, message_id), "bare": "check",
             "another key": probe_token("geraden", message_id)}[token]
    mail_account.deliver(make_mail("Workbench: testbericht (mag weg)", "Hallo",
                                   sender=sender or practice, to=to, message_id=message_id,
                                   X_Workbench_Test=value))
    engine, result = _pull(sqlite_url, tmp_path, mail_account.settings, mail_account.password)
    try:
        assert result.ok and result.unknown_sender == 1
        with engine.connect() as connection:
            assert connection.scalar(select(MailItem.handled_at)) is None
    finally:
        engine.dispose()
