"""IMAP pull against a real Dovecot: cursor, resume, UIDVALIDITY, moves, Sent, TLS refusals."""

from __future__ import annotations

import imaplib
import ssl
from dataclasses import replace

import pytest

from workbench.services.mail.connection import open_imap
from workbench.services.mail.credentials import set_mail_password
from workbench.services.mail.errors import (
    MailCredentialsRejected,
    MailProtocolError,
    MailTlsRefused,
    MailUnreachable,
)
from workbench.services.mail.folder_names import decode_mailbox, encode_mailbox
from workbench.services.mail.imap_pull import FolderCursor, MailboxClient, MoveOutcome
from workbench.services.mail.message import parse_mail

# The servers' fixtures, one Dovecot for the whole session; asserts in them rewritten.
pytest.register_assert_rewrite("tests.mail_servers")
pytest_plugins = ["tests.mail_servers"]
from tests.mail_servers import HOST, RecordingRelay, make_mail  # noqa: E402


def pull_all(client: MailboxClient, cursor: FolderCursor | None, stored: dict[int, bytes],
             stop_after: int | None = None) -> FolderCursor | None:
    """What the sync worker does: store each message, then advance the cursor."""
    state = client.open_folder(cursor)
    for count, pulled in enumerate(client.fetch(state.new_uids), start=1):
        stored[pulled.uid] = pulled.raw
        cursor = state.cursor_after(pulled.uid)
        if stop_after is not None and count >= stop_after:
            break  # the worker is killed here: the cursor stands at the last stored UID
    return cursor if cursor is not None else FolderCursor(state.uidvalidity, 0)


def test_pulling_twice_imports_each_uid_once(mail_account):
    for number in range(3):
        mail_account.deliver(make_mail(f"vraag {number}"))
    stored: dict[int, bytes] = {}
    with MailboxClient.connect(mail_account.settings, mail_account.password) as client:
        cursor = pull_all(client, None, stored)
        assert sorted(stored) == [1, 2, 3]
        first = dict(stored)
        stored.clear()
        again = pull_all(client, cursor, stored)
    assert stored == {}  # n:* matched the last UID again; it was filtered out
    assert again == cursor
    subjects = [parse_mail(raw, mail_account.account).subject for raw in first.values()]
    assert subjects == ["vraag 0", "vraag 1", "vraag 2"]


def test_pull_uses_peek_and_keeps_the_mail_unread(mail_account):
    mail_account.deliver(make_mail())
    with MailboxClient.connect(mail_account.settings, mail_account.password) as client:
        state = client.open_folder(None)
        assert state.read_only
        list(client.fetch(state.new_uids))
        client.imap.select("INBOX", readonly=True)
        _, flags = client.imap.uid("FETCH", "1", "(FLAGS)")
    assert b"\\Seen" not in flags[0]


def test_a_killed_pull_resumes_without_loss_or_duplicates(mail_account):
    for number in range(5):
        mail_account.deliver(make_mail(f"vraag {number}"))
    stored: dict[int, bytes] = {}
    with MailboxClient.connect(mail_account.settings, mail_account.password,
                               batch_count=2) as client:
        cursor = pull_all(client, None, stored, stop_after=3)
    assert cursor.last_uid == 3 and sorted(stored) == [1, 2, 3]
    mail_account.deliver(make_mail("erbij gekomen"))
    resumed: dict[int, bytes] = {}
    with MailboxClient.connect(mail_account.settings, mail_account.password) as client:
        cursor = pull_all(client, cursor, resumed)
    assert sorted(resumed) == [4, 5, 6]
    assert cursor.last_uid == 6


def test_a_changed_uidvalidity_is_reported_and_the_folder_read_again(mail_account):
    mail_account.deliver(make_mail("eerste"), folder="Econsults")
    settings = replace(mail_account.settings, folder="Econsults")
    stored: dict[int, bytes] = {}
    with MailboxClient.connect(settings, mail_account.password) as client:
        client.imap.create(encode_mailbox("Econsults"))  # a no-op when Dovecot saw it already
        cursor = pull_all(client, None, stored)
        message_ids = {parse_mail(raw, "x").message_id for raw in stored.values()}
        # The provider recreates the folder (a migration, a restore): new UIDVALIDITY.
        raw = stored[cursor.last_uid]
        client.imap.select("INBOX")
        assert client.imap.delete(encode_mailbox("Econsults"))[0] == "OK"
        assert client.imap.create(encode_mailbox("Econsults"))[0] == "OK"
        client.imap.append(encode_mailbox("Econsults"), None, None, raw)
        client.imap.append(encode_mailbox("Econsults"), None, None, make_mail("tweede"))
        state = client.open_folder(cursor)
        assert state.uidvalidity_changed
        assert state.uidvalidity != cursor.uidvalidity
        assert state.new_uids == (1, 2)  # the whole folder again
        pulled = [parse_mail(p.raw, "x") for p in client.fetch(state.new_uids)]
    new = [mail for mail in pulled if mail.message_id not in message_ids]
    assert [mail.subject for mail in new] == ["tweede"]


def test_a_message_over_the_cap_is_refused_without_downloading(mail_account):
    mail_account.deliver(make_mail("klein"))
    mail_account.deliver(make_mail("groot", "x" * 200_000))
    mail_account.deliver(make_mail("ook klein"))
    with MailboxClient.connect(mail_account.settings, mail_account.password,
                               max_message_bytes=100_000) as client:
        state = client.open_folder(None)
        pulled = list(client.fetch(state.new_uids))
    assert [(p.uid, p.refused) for p in pulled] == [(1, None), (2, "too_large"), (3, None)]
    assert pulled[1].raw is None


def test_move_to_processed_folder_only_with_move(mail_account):
    settings = replace(mail_account.settings, processed_folder="Verwerkt")
    for number in range(2):
        mail_account.deliver(make_mail(f"vraag {number}"))
    with MailboxClient.connect(settings, mail_account.password) as client:
        assert client.can_move  # Dovecot has MOVE
        state = client.open_folder(None)
        assert not state.read_only
        outcomes = [client.move_to_processed(p.uid) for p in client.fetch(state.new_uids)]
        assert outcomes == [MoveOutcome.MOVED, MoveOutcome.MOVED]
        assert client.open_folder(None).new_uids == ()
        assert len(client.open_folder(None, "Verwerkt").new_uids) == 2
        # A server without MOVE: the mail stays where it is, nothing is deleted.
        client.imap.capabilities = tuple(c for c in client.imap.capabilities if c != "MOVE")
        assert client.move_to_processed(1) is MoveOutcome.UNSUPPORTED


def test_sent_folder_found_by_special_use_search_by_message_id_and_append(mail_account):
    from workbench.services.mail.message import compose_reply, make_message_id
    message_id = make_message_id(mail_account.account)
    answer = compose_reply(practice_address=mail_account.account, practice_name="De Linde",
                           to_address="patient@example.nl", to_name="Patiënt",
                           subject="Re: vraag", body="U kunt gewoon doorgaan.",
                           message_id=message_id)
    with MailboxClient.connect(mail_account.settings, mail_account.password) as client:
        assert client.sent_folder() == "Sent"
        assert client.find_in_sent(message_id) == []
        uid = client.append_to_sent(answer.as_bytes())
        assert uid is not None
        assert client.find_in_sent(message_id) == [uid]
        assert client.find_in_sent(make_message_id(mail_account.account)) == []
    stored = mail_account.messages("Sent")
    assert len(stored) == 1 and message_id.encode() in stored[0]


def test_password_from_the_keyring(mail_account):
    set_mail_password(mail_account.account, HOST, mail_account.password)
    with MailboxClient.connect(mail_account.settings) as client:
        assert client.open_folder(None).new_uids == ()


def test_no_password_stored_and_a_wrong_password(mail_account):
    with pytest.raises(MailCredentialsRejected) as missing:
        open_imap(mail_account.settings)
    assert missing.value.code == "no_password"
    with pytest.raises(MailCredentialsRejected) as wrong:
        open_imap(mail_account.settings, "niet-het-wachtwoord")
    assert wrong.value.code == "credentials"


def test_a_missing_folder_is_a_typed_error(mail_account):
    with MailboxClient.connect(replace(mail_account.settings, folder="Bestaat niet"),
                               mail_account.password) as client:
        with pytest.raises(MailProtocolError) as error:
            client.open_folder(None)
    assert error.value.code == "folder_missing"


def test_tls_refused_for_a_certificate_that_does_not_verify(mail_account, mail_certificates):
    relay = RecordingRelay(mail_account.server.port)
    try:
        settings = replace(mail_account.settings, imap_port=relay.port,
                           ca_bundle=mail_certificates.foreign_ca_file)
        with pytest.raises(MailTlsRefused) as error:
            open_imap(settings, mail_account.password)
    finally:
        relay.stop()
    assert error.value.code == "certificate"
    assert mail_account.password.encode() not in relay.client_bytes


def test_the_system_store_does_not_trust_a_test_certificate(mail_account):
    with pytest.raises(MailTlsRefused) as error:
        open_imap(replace(mail_account.settings, ca_bundle=None), mail_account.password)
    assert error.value.code == "certificate"


def test_a_host_name_that_the_certificate_does_not_name_is_refused(mail_account, monkeypatch):
    # "127.0.0.2" reaches the same loopback server, but the certificate names 127.0.0.1 only.
    settings = replace(mail_account.settings, imap_host="127.0.0.2")
    try:
        with pytest.raises(MailTlsRefused) as error:
            open_imap(settings, mail_account.password)
    except MailUnreachable:
        pytest.skip("127.0.0.2 does not reach the loopback listener here")
    assert error.value.code == "certificate"


def test_a_server_without_starttls_never_gets_the_password(dovecot_without_tls,
                                                          mail_certificates):
    account, password = dovecot_without_tls.add_account()
    relay = RecordingRelay(dovecot_without_tls.port)
    try:
        settings = replace_settings(account, relay.port, mail_certificates.ca_file)
        with pytest.raises(MailTlsRefused) as error:
            open_imap(settings, password)
        # The same server takes the password in plain text: the refusal is the client's.
        plain = imaplib.IMAP4(HOST, dovecot_without_tls.port, timeout=10)
        assert plain.login(account, password)[0] == "OK"
        plain.logout()
    finally:
        relay.stop()
    assert error.value.code == "starttls_unavailable"
    assert password.encode() not in relay.client_bytes
    assert b"LOGIN" not in relay.client_bytes.upper()
    assert b"AUTHENTICATE" not in relay.client_bytes.upper()


def test_implicit_tls_to_a_plain_server_fails_closed(dovecot_without_tls, mail_certificates):
    account, password = dovecot_without_tls.add_account()
    settings = replace(replace_settings(account, dovecot_without_tls.port,
                                        mail_certificates.ca_file), imap_security="tls",
                       timeout_s=5)
    with pytest.raises(MailTlsRefused) as error:
        open_imap(settings, password)
    assert error.value.code == "handshake"


def test_tls_context_is_strict():
    from workbench.services.mail.connection import tls_context
    context = tls_context()
    assert context.check_hostname and context.verify_mode == ssl.CERT_REQUIRED
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2


def test_folder_names_round_trip():
    for name in ("INBOX", "Verwerkt", "Sent Items", "Afgehandeld ✓", "R&D", 'a"b\\c'):
        assert decode_mailbox(encode_mailbox(name)) == name
    assert encode_mailbox("Entwürfe") == '"Entw&APw-rfe"'


def replace_settings(account: str, port: int, ca_file: str):
    from workbench.services.mail.connection import MailSettings
    return MailSettings(imap_host=HOST, imap_port=port, imap_security="starttls",
                        smtp_host=HOST, smtp_port=1, account=account, practice_address=account,
                        ca_bundle=ca_file, timeout_s=10)
