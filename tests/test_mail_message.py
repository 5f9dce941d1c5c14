"""Parsing mail e-consults: plain text from HTML, bombs refused part by part, recipients,
threading headers, missing ids and dates; composing a threaded answer."""

from __future__ import annotations

import base64
import email
from email import policy
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from workbench.services.mail.errors import MailMessageRefused
from workbench.services.mail.html_text import html_to_text
from workbench.services.mail.imap_pull import MailboxClient
from workbench.services.mail.message import (
    MessageLimits,
    compose_reply,
    hash_message_id,
    make_message_id,
    parse_mail,
    reply_subject,
)

PRACTICE = "praktijk@example.nl"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200 + b"\xff\xd9"


# The servers' fixtures, one Dovecot for the whole session; asserts in them rewritten.
pytest.register_assert_rewrite("tests.mail_servers")
pytest_plugins = ["tests.mail_servers"]
from tests.mail_servers import make_mail  # noqa: E402


def html_only_mail() -> bytes:
    message = EmailMessage()
    message["From"] = "Fatima El Amrani <f.elamrani@example.nl>"
    message["To"] = PRACTICE
    message["Subject"] = "Herhaalrecept"
    message["Message-ID"] = "<html-1@example.nl>"
    message.set_content(
        "<html><head><title>x</title><style>p{color:red}</style>"
        "<script>alert('hoi')</script></head><body>"
        "<p>Geachte huisarts,</p><p>Mag ik een <b>herhaalrecept</b> voor mijn puffer?"
        " Het gaat om &eacute;&eacute;n puffer &amp; een spacer &lt;klein&gt;.</p>"
        "<ul><li>salbutamol</li><li>spacer</li></ul>"
        "<div>Groet,<br>Fatima</div><!-- verborgen --></body></html>", subtype="html")
    return message.as_bytes()


def bomb_mail(parts: int = 300) -> bytes:
    message = MIMEMultipart("mixed")
    message["From"] = "patient@example.nl"
    message["To"] = PRACTICE
    message["Subject"] = "foto's"
    message["Message-ID"] = "<bomb@example.nl>"
    message.attach(MIMEText("Hierbij de foto's van mijn knie.", "plain", "utf-8"))
    # a huge base64 part: refused from its encoded size, never decoded
    huge = MIMEText("", "plain")
    huge.replace_header("Content-Type", "application/octet-stream")
    huge.set_payload(base64.encodebytes(b"\0" * 3_000_000).decode())
    huge["Content-Transfer-Encoding"] = "base64"
    huge["Content-Disposition"] = 'attachment; filename="groot.bin"'
    message.attach(huge)
    # nested message/rfc822 many levels deep
    inner = email.message_from_string("Subject: binnenste\n\nhoi\n")
    for _ in range(12):
        wrapper = MIMEMultipart("mixed")
        wrapper.attach(MIMEText("laag", "plain"))
        wrapper.attach(inner)
        inner = wrapper
    from email.mime.message import MIMEMessage
    message.attach(MIMEMessage(inner))
    photo = MIMEMultipart("mixed")
    from email.mime.image import MIMEImage
    photo = MIMEImage(JPEG, "jpeg")
    photo.add_header("Content-Disposition", "attachment", filename="knie.jpg")
    message.attach(photo)
    for number in range(parts):
        extra = MIMEImage(JPEG, "jpeg")
        extra.add_header("Content-Disposition", "attachment", filename=f"extra{number}.jpg")
        message.attach(extra)
    return message.as_bytes()


def test_html_only_mail_becomes_plain_text_without_markup():
    mail = parse_mail(html_only_mail(), PRACTICE)
    assert mail.text_from_html
    assert "<" not in mail.text.replace("<klein>", "")
    assert "alert" not in mail.text and "color" not in mail.text and "verborgen" not in mail.text
    assert "Mag ik een herhaalrecept voor mijn puffer?" in mail.text
    assert "één puffer & een spacer <klein>" in mail.text
    assert "- salbutamol\n- spacer" in mail.text
    assert mail.text.startswith("Geachte huisarts,\n\nMag ik")
    assert mail.text.endswith("Groet,\nFatima")
    assert mail.attachments == ()


def test_plain_text_is_preferred_over_its_html_alternative():
    message = EmailMessage()
    message["From"] = "a@example.nl"
    message.set_content("platte tekst")
    message.add_alternative("<p>html <b>tekst</b></p>", subtype="html")
    mail = parse_mail(message.as_bytes(), PRACTICE)
    assert mail.text == "platte tekst" and not mail.text_from_html


def test_html_to_text_drops_scripts_even_unclosed():
    assert html_to_text("<p>a</p><script>var x = '<p>b</p>'") == "a"
    assert html_to_text("<pre>regel 1\n  regel 2</pre><p>na</p>") == "regel 1\n  regel 2\n\nna"
    assert html_to_text("a<br/>b<div>c</div>d") == "a\nb\nc\nd"


def test_an_attachment_bomb_is_refused_part_by_part_and_the_text_kept():
    limits = MessageLimits(max_parts=60, max_part_bytes=1_000_000, max_attachments=20)
    mail = parse_mail(bomb_mail(), PRACTICE, limits)
    assert mail.text == "Hierbij de foto's van mijn knie."
    reasons = {part.reason for part in mail.refused_parts}
    assert {"too_large", "nesting", "too_many_attachments", "too_many_parts"} <= reasons
    assert mail.refused_part_count > len(mail.refused_parts) - 1
    assert len(mail.refused_parts) <= limits.max_refusals_listed
    names = [a.filename for a in mail.attachments]
    assert names[0] == "knie.jpg" and len(names) == 20
    assert all(a.data == JPEG and a.declared_type == "image/jpeg" for a in mail.attachments)
    too_large = next(p for p in mail.refused_parts if p.reason == "too_large")
    assert too_large.filename == "groot.bin"


def test_a_mail_over_the_size_cap_is_refused_whole():
    with pytest.raises(MailMessageRefused) as error:
        parse_mail(make_mail(text="x" * 5000), PRACTICE, MessageLimits(max_message_bytes=1000))
    assert error.value.code == "too_large"


def test_a_mail_to_fifty_recipients_is_flagged():
    others = ", ".join(f"buur{n}@example.nl" for n in range(49))
    mail = parse_mail(make_mail(to=f"{PRACTICE}, {others}"), PRACTICE)
    assert mail.recipient_count == 50
    assert mail.has_other_recipients
    alone = parse_mail(make_mail(to=f"De Praktijk <{PRACTICE.upper()}>"), PRACTICE)
    assert alone.recipient_count == 1 and not alone.has_other_recipients


def test_cc_counts_as_other_recipients():
    mail = parse_mail(make_mail(to=PRACTICE, Cc="Partner <partner@example.nl>"), PRACTICE)
    assert mail.has_other_recipients and mail.cc[0].name == "Partner"


def test_reply_threading_headers_are_parsed():
    raw = make_mail("Re: uitslag", message_id="<m3@patient.example>",
                    In_Reply_To="<antwoord-2@praktijk.example>",
                    References="<m1@patient.example> <antwoord-2@praktijk.example>")
    mail = parse_mail(raw, PRACTICE)
    assert mail.message_id == "<m3@patient.example>"
    assert mail.in_reply_to == "<antwoord-2@praktijk.example>"
    assert mail.references == ("<m1@patient.example>", "<antwoord-2@praktijk.example>")
    assert mail.thread_ids == ("<antwoord-2@praktijk.example>", "<m1@patient.example>")


def test_a_mail_without_message_id_gets_a_stable_hash_id():
    raw = make_mail(message_id=None)
    first, second = parse_mail(raw, PRACTICE), parse_mail(raw, PRACTICE)
    assert first.message_id_is_hash
    assert first.message_id == second.message_id == hash_message_id(raw)
    assert first.message_id.startswith("<sha256:")


def test_sender_date_and_subject():
    raw = make_mail("Vraag over =?utf-8?q?pi=C3=ABl?=", sender="Jan Jansen <JAN@Example.NL>")
    mail = parse_mail(raw, PRACTICE)
    assert (mail.from_name, mail.from_address) == ("Jan Jansen", "jan@example.nl")
    assert mail.date is not None and mail.date.tzinfo is not None
    assert mail.date.isoformat() == "2026-03-02T09:30:00+00:00"


@pytest.mark.parametrize("date", ["gisteren", "", "Mon, 32 Foo 2026 99:99:99 +0000"])
def test_an_unparseable_date_is_none(date):
    raw = make_mail().replace(b"Date: Mon, 02 Mar 2026 09:30:00 +0000",
                              f"Date: {date}".encode())
    assert parse_mail(raw, PRACTICE).date is None


def test_broken_headers_and_charsets_are_read_leniently():
    raw = (b"From: =?x-unknown?q?Jan?= <jan@example.nl\r\nTo: ,,,@@@\r\n"
           b"Subject: =?utf-8?b?broken\r\nContent-Type: text/plain; charset=x-unknown\r\n"
           b"\r\nHallo dokter, caf\xe9\r\n")
    mail = parse_mail(raw, PRACTICE)
    assert "Hallo dokter" in mail.text
    assert mail.message_id_is_hash


def test_compose_reply_threads_onto_the_patients_mail():
    question = parse_mail(make_mail("Uitslag", message_id="<q2@patient.example>",
                                    References="<q1@patient.example>"), PRACTICE)
    message_id = make_message_id(PRACTICE)
    assert message_id.endswith("@example.nl>")
    reply = compose_reply(practice_address=PRACTICE, practice_name="Huisartsenpraktijk De Linde",
                          to_address=question.from_address, to_name="Patiënt",
                          subject=reply_subject(question.subject),
                          body="De uitslag is goed.\n\nMet vriendelijke groet,\nDe Linde",
                          message_id=message_id, replying_to=question,
                          attachments=[])
    parsed = parse_mail(reply.as_bytes(), PRACTICE)
    assert parsed.subject == "Re: Uitslag"
    assert parsed.message_id == message_id
    assert parsed.in_reply_to == "<q2@patient.example>"
    assert parsed.references == ("<q1@patient.example>", "<q2@patient.example>")
    assert parsed.from_address == PRACTICE and parsed.text.startswith("De uitslag is goed.")
    assert reply_subject("RE: x") == "RE: x" and reply_subject("Antw: x") == "Antw: x"


def test_compose_reply_with_an_attachment_and_no_thread_for_a_hash_id():
    question = parse_mail(make_mail(message_id=None), PRACTICE)
    from workbench.services.mail.message import MailAttachment
    reply = compose_reply(practice_address=PRACTICE, practice_name="De Linde",
                          to_address="patient@example.nl", to_name="", subject="Re: vraag",
                          body="Zie bijlage.", message_id=make_message_id(PRACTICE),
                          replying_to=question,
                          attachments=[MailAttachment("folder.pdf", "application/pdf", b"%PDF-1")])
    assert reply["In-Reply-To"] is None
    parsed = parse_mail(reply.as_bytes(), PRACTICE)
    assert [(a.filename, a.data) for a in parsed.attachments] == [("folder.pdf", b"%PDF-1")]


def test_html_bomb_and_fifty_recipients_through_a_real_imap_server(mail_account):
    others = ", ".join(f"buur{n}@example.nl" for n in range(49))
    mail_account.deliver(html_only_mail())
    mail_account.deliver(bomb_mail(parts=40))
    mail_account.deliver(make_mail(to=f"{mail_account.account}, {others}"))
    with MailboxClient.connect(mail_account.settings, mail_account.password) as client:
        state = client.open_folder(None)
        mails = [parse_mail(p.raw, mail_account.account,
                            MessageLimits(max_part_bytes=1_000_000))
                 for p in client.fetch(state.new_uids)]
    assert mails[0].text_from_html and "<" not in mails[0].text.replace("<klein>", "")
    assert mails[1].text == "Hierbij de foto's van mijn knie." and mails[1].refused_parts
    assert mails[2].recipient_count == 50 and mails[2].has_other_recipients
    delivered = email.message_from_bytes(html_only_mail(), policy=policy.default)
    assert delivered["Message-ID"] == mails[0].message_id


def test_a_nest_too_deep_for_the_parser_is_refused_whole_not_a_crash():
    inner = b"Subject: binnen\r\n\r\nhoi\r\n"
    for _ in range(3000):
        inner = b"Content-Type: message/rfc822\r\n\r\n" + inner
    raw = (b"From: a@example.nl\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\n"
           b"Content-Type: text/plain\r\n\r\ntekst\r\n--zz\r\n" + inner + b"\r\n--zz--\r\n")
    with pytest.raises(MailMessageRefused) as error:
        parse_mail(raw, PRACTICE)
    assert error.value.code == "unparseable"


def test_a_moderately_deep_nest_is_refused_part_by_part():
    body = b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i)
                    for i in range(30))
    raw = (b"From: a@example.nl\r\nMIME-Version: 1.0\r\n" + body
           + b"Content-Type: text/plain\r\n\r\nhallo\r\n"
           + b"".join(b"--b%d--\r\n" % i for i in reversed(range(30))))
    mail = parse_mail(raw, PRACTICE)
    assert [part.reason for part in mail.refused_parts] == ["nesting"]
