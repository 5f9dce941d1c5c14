"""`workbench check`: configuration, database, migrations, keyring, certificate and portal,
one line each in words, for IT at installation and for support."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from workbench import config
from workbench.bootstrap import (
    make_portal_client,
    open_store,
)
from workbench.cli import (
    EXIT_CERTIFICATE,
    EXIT_CONFIG,
    EXIT_CREDENTIALS,
    EXIT_DATABASE,
    EXIT_OK,
    EXIT_PORTAL,
    CommandError,
    explain,
)
from workbench.config import Settings
from workbench.services.errors import DatabaseNotMigrated
from workbench.services.redact import redact, redact_for
from workbench.store import database


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    """Every part on one line, in the order they depend on each other; the exit status is that
    of the first problem. A part that cannot be checked because of an earlier one is SKIPPED."""
    from workbench.services.portal_client import (
        CertificateNotTrusted,
        PortalUnreachable,
    )
    problems: list[CommandError] = []

    def say(line: str) -> None:  # an address or a library's message may hold a password
        print(redact_for(settings, line))

    def step(name: str, subject: str, action: Callable[[], str]) -> str:
        try:
            detail = action()
        except _Skipped as why:
            say(f"SKIPPED {name}: {why}")
            return "SKIPPED"
        except Exception as exc:  # noqa: BLE001 - known failures become words, bugs re-raise
            problems.append(explain(exc, settings))
            say(f"PROBLEM {name}: {subject}".rstrip())
            for line in str(problems[-1]).splitlines():
                say(f"  -> {line}")
            return "PROBLEM"
        say(f"OK      {name}: {', '.join(filter(None, (subject, detail)))}")
        return "OK"

    url = settings.resolved_database_url()
    answers: list[_PortalAnswer] = []

    def check_configuration() -> str:
        if problems_in_values := config.validate(settings):
            raise CommandError("\n".join(problems_in_values + [
                f"IT sets options in the machine-wide file {config.machine_config_in_use()}, in "
                "WORKBENCH_* environment variables or on the command line (see README, "
                "'Configuration for IT')."]), EXIT_CONFIG)
        return "values usable"

    def check_certificate() -> str:
        _check_certificate_files(settings)
        answers.append(answer := _ask_portal(settings))
        if urlsplit(settings.portal_url).scheme == "http":
            return "not used (loopback http)"
        if answer.capabilities is None and isinstance(answer.error, PortalUnreachable):
            _skip("the portal cannot be reached, so its certificate was not seen (see portal)")
        if isinstance(answer.error, CertificateNotTrusted):
            raise answer.error
        return "portal certificate verified" + (
            f", client certificate {settings.client_cert} offered" if settings.client_cert else "")

    def check_portal() -> str:
        if not answers:
            _skip("the certificate files are not usable (see certificate)")
        if isinstance(answers[0].error, CertificateNotTrusted):
            _skip("its certificate is not trusted (see certificate)")
        if answers[0].error:
            raise answers[0].error
        return _describe_portal(answers[0].capabilities or {})

    configured = step("configuration", _configuration_sources(args), check_configuration)
    reachable = step("database", _database_label(url), lambda: _check_database(url))
    migrated = step("migrations", f"this version needs {database.head_revision()}",
                    lambda: _check_migrations(settings) if reachable == "OK"
                    else _skip("the database cannot be opened (see database)"))
    step("audit trail", "", lambda: _check_audit_trail(settings) if migrated == "OK"
         else _skip("the store cannot be opened (see migrations)"))
    # Without usable values there is nothing sure to ask the keyring or the portal about.
    for name, subject, action in [
            ("keyring", _keyring_name(), lambda: _check_keyring(settings)),
            ("certificate", "" if urlsplit(settings.portal_url).scheme == "http"
             else _trust_source(settings), check_certificate),
            ("portal", settings.portal_url, check_portal)]:
        step(name, subject, action if configured == "OK"
             else partial(_skip, "the configuration has problems (see configuration)"))
    send_test_mail = getattr(args, "send_test_mail", False)
    mail = "SKIPPED"
    if settings.mail_enabled:
        mail = step("mail", f"{settings.mail_account} at {settings.mail_imap_host}",
                    (lambda: _check_mail(settings, hint=not send_test_mail))
                    if configured == "OK"
                    else partial(_skip, "the configuration has problems (see configuration)"))
    if send_test_mail:
        step("sent mail", f"test mail from and to {settings.mail_address}".rstrip(),
             (lambda: _check_sent_mail(settings)) if mail == "OK" else partial(
                 _skip, "the mail account cannot be used (see mail)" if settings.mail_enabled
                 else "no mail channel is configured (mail_imap_host is empty)"))
    return problems[0].status if problems else EXIT_OK


def _check_mail(settings: Settings, hint: bool = True) -> str:
    """IMAP and SMTP over verified TLS with the stored password, the folder, and where sent
    answers are kept (the provider's own copy, or Workbench files them)."""
    from workbench.bootstrap import make_mail_settings
    from workbench.services.mail.connection import close_smtp, open_smtp
    from workbench.services.mail.errors import MailError
    from workbench.services.mail.imap_pull import MailboxClient
    mail = make_mail_settings(settings)
    try:
        with MailboxClient.connect(mail) as client:
            client.open_folder(None)
            sent = client.sent_folder()
        close_smtp(open_smtp(mail))
    except MailError as exc:
        raise _mail_problem(exc) from exc
    keeps = ("the provider keeps sent mail there (mail_provider_files_sent)"
             if mail.provider_files_sent else "Workbench files answers there")
    # Only a mail actually sent shows what the provider does; the setting is IT's word.
    proof = "; `workbench check --send-test-mail` proves this" if hint else ""
    return (f"IMAP and SMTP over verified TLS, folder {mail.folder} readable, sent mail in "
            f"{sent}: {keeps}{proof}")


def _mail_problem(exc: Exception) -> CommandError:
    """A mail channel failure in words for IT; the exit status says which kind."""
    from workbench.services.mail.errors import MailCredentialsRejected, MailTlsRefused
    if isinstance(exc, MailTlsRefused):
        return CommandError(
            f"The mail server refused a verified TLS connection ({exc.code}); nothing was sent "
            "in plain text. Check the port and mail_imap_security / mail_smtp_security, and "
            "set mail_ca_bundle if the provider uses its own certificate authority.",
            EXIT_CERTIFICATE)
    if isinstance(exc, MailCredentialsRejected):
        return CommandError(
            "The mail server refused the account and password, or none is stored: run "
            "`workbench credentials set --channel mail`.", EXIT_CREDENTIALS)
    return CommandError(f"The mail server cannot be used ({getattr(exc, 'code', 'mail')}): "
                        "check the host, the ports, the folder (mail_folder) and the network.",
                        EXIT_PORTAL)


# How long `--send-test-mail` looks for the provider's copy in Sent; tests shorten it.
TEST_MAIL_WAIT_S = 30.0


def _check_sent_mail(settings: Settings) -> str:
    """One test mail from the practice to itself: does the provider file it in Sent, as
    mail_provider_files_sent says? Answers are sent exactly once only when the two agree."""
    from workbench.bootstrap import make_mail_settings
    from workbench.services.mail.errors import MailError
    from workbench.services.mail.probe import probe_sent_folder
    mail = make_mail_settings(settings)
    wait = f"{TEST_MAIL_WAIT_S:g} s"
    try:
        probe = probe_sent_folder(mail, timeout_s=TEST_MAIL_WAIT_S)
    except MailError as exc:
        raise _mail_problem(exc) from exc
    if not probe.accepted:
        code = f", reply {probe.send.reply_code}" if probe.send.reply_code else ""
        raise CommandError(
            f"The mail server did not accept the test mail ({probe.send.outcome.value} at "
            f"{probe.send.stage}{code}), so the setting mail_provider_files_sent was not "
            f"proven. Check that the account may send from mail_address {mail.practice_address}"
            ", then run the check again.", EXIT_PORTAL)
    machine_file = config.machine_config_in_use()
    sent = probe.sent_folder
    if probe.filed_by_provider and not mail.provider_files_sent:
        raise CommandError(
            f"The provider filed the test mail {probe.message_id} in {sent} itself, but "
            f"mail_provider_files_sent is false: Workbench would file every answer in {sent} "
            f"a second time. Set mail_provider_files_sent = true in the machine-wide file "
            f"{machine_file}.", EXIT_CONFIG)
    if not probe.filed_by_provider and mail.provider_files_sent:
        raise CommandError(
            f"The provider did not file the test mail {probe.message_id} in {sent} within "
            f"{wait}, but mail_provider_files_sent is true: Workbench then files no answer "
            "there, and an answer whose acceptance was lost with the connection cannot be "
            "proven sent (it would be sent again). Set mail_provider_files_sent = false in the "
            f"machine-wide file {machine_file} (Workbench then files answers in {sent} "
            "itself), or ask the provider why sent mail is not filed.", EXIT_CONFIG)
    seen = (f"; it arrived in {mail.folder}" if probe.arrived
            else f"; it was not seen in {mail.folder} within {wait}")
    if probe.filed_by_provider:
        return (f"{probe.message_id} filed in {sent} by the provider after "
                f"{probe.filed_after_s:g} s, as mail_provider_files_sent = true says{seen}")
    return (f"{probe.message_id} not filed in {sent} by the provider within {wait}, as "
            f"mail_provider_files_sent = false says (Workbench files answers there){seen}")


class _Skipped(Exception):
    """A part that cannot be checked because an earlier one failed: not a problem of its own."""


def _skip(why: str) -> NoReturn:
    raise _Skipped(why)


def _configuration_sources(args: argparse.Namespace) -> str:
    """Where the settings came from: files, environment variable names, command-line options."""
    machine = config.machine_config_in_use()
    sources = [f"machine file {machine} ({'present' if machine.is_file() else 'not present'})"]
    user = config.user_config_path()  # named even when absent: where a user setting would go
    sources.append(f"user file {user} ({'present' if user.is_file() else 'not present'})")
    names = [name for name, *_rest in config.describe_options()]
    sources += [f"environment WORKBENCH_{name.upper()}" for name in names
                if f"WORKBENCH_{name.upper()}" in os.environ]
    sources += [f"command line --{option.replace('_', '-')}"
                for option in ("database", "portal", "data_dir") if hasattr(args, option)]
    return ", ".join(sources)


def _database_label(url: str) -> str:
    """The database in words, never with its password."""
    try:
        path = database.sqlite_path(url)
        return f"SQLite file {path}" if path else \
            redact(make_url(database.normalise_url(url)).render_as_string(hide_password=False))
    except ArgumentError:
        return "database_url is not a database URL"


def _check_database(url: str) -> str:
    path = database.sqlite_path(url)
    if path is not None and not path.exists():
        # Not created here: open_store makes a new SQLite store on first start, as that user.
        folder = next(parent for parent in path.parents if parent.exists())
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            why = "not writable for this user" if folder.is_dir() else "a file, not a folder"
            raise CommandError(f"The SQLite store {path} cannot be created: {folder} is {why}. "
                               "Check data_dir and database_url.", EXIT_DATABASE)
        return "not there yet, will be created on first start"
    engine = database.make_engine(url)
    try:
        with engine.connect():
            pass
    finally:
        engine.dispose()
    return "reachable"


def _check_migrations(settings: Settings) -> str:
    url = settings.resolved_database_url()
    path = database.sqlite_path(url)
    if path is not None and not path.exists():
        return "new store, will be created on first start"
    engine = database.make_engine(url)
    try:
        current, tables = database.current_revision(engine), inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if current is None and tables:
        raise CommandError(
            f"The database holds other tables ({', '.join(sorted(tables)[:3])}) and no "
            "Workbench migrations: it is not a Workbench store. Point database_url or data_dir "
            "at the Workbench store, or run `workbench db upgrade` (after a backup) to add "
            "Workbench's tables to this database.", EXIT_DATABASE)
    try:
        open_store(settings, migrate_sqlite=False).close()  # the rule the app starts with
    except DatabaseNotMigrated:
        # A workstation's own SQLite store is migrated when the app starts; not a newer one.
        if path is None or database.is_newer_than_this_version(current):
            raise
        return f"{'at ' + current if current else 'empty'}, will be migrated on first start" + (
            " after a backup" if tables else "")
    return f"the database is at {database.head_revision()}"


def _check_audit_trail(settings: Settings) -> str:
    from workbench.cli_audit import audit_check_line
    return audit_check_line(settings) or _skip("no store at this version yet (see migrations)")


def _keyring_name() -> str:
    import keyring
    return keyring.get_keyring().name  # such as "Windows WinVaultKeyring"


def _check_keyring(settings: Settings) -> str:
    from workbench.services.secrets import SecretStore
    if settings.auth == "none":
        return "the portal needs no credentials (auth = none)"
    credentials = SecretStore().get_portal_credentials(settings.portal_url)
    if credentials is None:
        raise CommandError("No portal credentials in the keyring for this workstation: run "
                           "`workbench credentials set`.", EXIT_CREDENTIALS)
    what = "bearer token" if credentials.kind == "bearer" else \
        f"basic, user {credentials.username}"
    return f"credentials present ({what})"


def _trust_source(settings: Settings) -> str:
    """What the portal's certificate is checked against, as requests will do it."""
    if settings.ca_bundle:
        return f"ca_bundle {settings.ca_bundle}"
    import requests
    verify = requests.Session().merge_environment_settings(
        settings.portal_url, {}, None, True, None)["verify"]
    return f"default CA list {verify if isinstance(verify, str) else requests.certs.where()}"


def _check_certificate_files(settings: Settings) -> None:
    """ca_bundle, client_cert and client_key exist, can be read and hold PEM that fits."""
    import ssl
    for option in ("ca_bundle", "client_cert", "client_key"):
        if path := getattr(settings, option):
            try:
                Path(path).read_bytes()
            except OSError as exc:
                raise CommandError(f"{option} {path} cannot be read: {exc.strerror}. Put the "
                                   f"practice's PEM file there or correct {option}.",
                                   EXIT_CERTIFICATE) from exc
    context = ssl.create_default_context()
    try:
        if settings.ca_bundle:
            context.load_verify_locations(cafile=settings.ca_bundle)
    except ssl.SSLError as exc:
        raise CommandError(f"ca_bundle {settings.ca_bundle} holds no PEM certificates "
                           f"({exc.reason}).", EXIT_CERTIFICATE) from exc
    try:
        if settings.client_cert:
            # An empty password: a key that needs one fails here instead of prompting.
            context.load_cert_chain(settings.client_cert, settings.client_key or None,
                                    password="")
    except ssl.SSLError as exc:
        raise CommandError(f"client_cert {settings.client_cert} and client_key "
                           f"{settings.client_key or '(in the same file)'} are not a PEM "
                           f"certificate with its unencrypted key ({exc.reason}).",
                           EXIT_CERTIFICATE) from exc


@dataclass
class _PortalAnswer:
    capabilities: dict[str, Any] | None = None
    error: Exception | None = None


def _ask_portal(settings: Settings) -> _PortalAnswer:
    """Metadata, then one search that needs the credentials (metadata is often open to all).
    One attempt each: a check reports what it sees now, and soon."""
    from keyring.errors import KeyringError

    from workbench.services.portal_client import PortalError
    settings = settings.replace(retries=1)
    try:
        client = make_portal_client(settings)
    except KeyringError:  # the keyring step reports it; the portal can still be checked
        client = make_portal_client(settings.replace(auth="none"))
    answer = _PortalAnswer()
    try:
        answer.capabilities = client.capabilities()
        client.get_json("Communication", [("_summary", "count")])
    except PortalError as exc:
        answer.error = exc
    return answer


def _describe_portal(capabilities: dict[str, Any]) -> str:
    from workbench.services.portal_client import PortalProtocolError
    if capabilities.get("resourceType") != "CapabilityStatement":
        raise PortalProtocolError("metadata is not a CapabilityStatement")
    version = str(capabilities.get("fhirVersion", ""))
    if not version.startswith("4.0"):
        raise CommandError(f"The portal speaks FHIR {version or '(version not given)'}; "
                           "Workbench needs FHIR R4 (4.0). Check that portal_url is the "
                           "portal's R4 base address.", EXIT_PORTAL)
    software = (capabilities.get("software") or {}).get("name") or "software not named"
    return f"reachable, FHIR {version} ({software}), a search is answered"
