"""The `workbench` command line: sync, stats, check (its own module), db upgrade, credentials,
export, advise, demo-portal."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from workbench import __version__

# The rest is imported where it is used: `--version` starts without SQLAlchemy, and the
# window shows its sign-in screen before it loads what only later steps need.
if TYPE_CHECKING:
    from workbench.bootstrap import Store
    from workbench.config import Settings

log = logging.getLogger("workbench")

# Exit statuses, so scripts can tell failures apart.
EXIT_OK, EXIT_PARTIAL, EXIT_CONFIG, EXIT_PORTAL, EXIT_CREDENTIALS, EXIT_CERTIFICATE, \
    EXIT_DATABASE = range(7)
EXIT_BUG = 7  # an unexpected exception: a bug, with its traceback in the log file

WHERE_IT_SETS_OPTIONS = (
    "IT sets options in the machine-wide file {file}, in WORKBENCH_* environment variables or "
    "on the command line (see README, 'Configuration for IT').")


class CommandError(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def refuse_unusable(settings: Settings, *, needs_portal: bool) -> None:
    """Before a command does anything: every value that cannot work, a sentence each."""
    from workbench.config import machine_config_in_use, validate
    if problems := validate(settings, needs_portal=needs_portal):
        raise CommandError("\n".join([f"Configuration problem: {words}." for words in problems]
                                     + [WHERE_IT_SETS_OPTIONS.format(
                                         file=machine_config_in_use())]), EXIT_CONFIG)


def report_bug(exc: BaseException, where: str) -> int:
    """A bug: one sentence on stderr, the traceback in the log file, exit status 7."""
    from workbench.logsetup import log_bug
    path = log_bug(exc, where)
    print(f"Workbench hit an unexpected error (a bug); the details are in the log file {path}.",
          file=sys.stderr)
    return EXIT_BUG


def explain(exc: BaseException, settings: Settings | None = None) -> CommandError:
    """A failure in words a practice's IT person can act on; bugs are raised again."""
    if isinstance(exc, CommandError):
        return exc
    from workbench.services.errors import ErrorKind, classify
    portal = settings.portal_url if settings else "the portal"
    kind = classify(exc)
    if kind is ErrorKind.UNEXPECTED:
        raise exc
    if kind is ErrorKind.DATABASE_UNREACHABLE:
        orig = getattr(exc, "orig", None)
        detail = str(orig).splitlines()[0] if orig else str(exc)
    else:
        detail = str(exc)
    words, status = {
        ErrorKind.CONFIGURATION: (
            f"Configuration problem: {detail}. IT sets options in the machine-wide file, in "
            "WORKBENCH_* environment variables or on the command line (see README, "
            "'Configuration for IT').", EXIT_CONFIG),
        ErrorKind.INSECURE_PORTAL_URL: (
            f"The portal address {portal} is not secure: it must start with https:// (plain "
            "http is only allowed on this computer itself).", EXIT_CONFIG),
        ErrorKind.CERTIFICATE: (
            f"The portal's certificate is not trusted ({portal}). If the practice uses its own "
            "certificate authority, set ca_bundle to its PEM file.", EXIT_CERTIFICATE),
        ErrorKind.CREDENTIALS: (
            f"The portal rejected this workstation's credentials ({portal}). Store new ones "
            "with `workbench credentials set`.", EXIT_CREDENTIALS),
        ErrorKind.PORTAL_UNREACHABLE: (
            f"The portal cannot be reached ({portal}): check the network, the address and "
            f"whether the portal is up. Detail: {detail}", EXIT_PORTAL),
        ErrorKind.PORTAL_PROTOCOL: (
            f"The portal gave an answer that is not valid FHIR ({portal}). Detail: {detail}",
            EXIT_PORTAL),
        ErrorKind.PORTAL_OTHER: (f"Portal problem ({portal}): {detail}", EXIT_PORTAL),
        ErrorKind.KEYRING: (
            f"The OS keyring cannot be used ({detail}). Workbench keeps the portal credentials "
            "there only: on Linux the user's session needs the Secret Service (GNOME Keyring "
            "or KWallet); on Windows, Credential Manager.", EXIT_CREDENTIALS),
        ErrorKind.AUDIT_UNAVAILABLE: (
            "The audit trail cannot be written or checked: this workstation has no audit key "
            "(or the chain's head is missing from the database). IT puts the practice's key "
            "on every workstation with `workbench audit key set` (see README, 'Configuration "
            "for IT').", EXIT_CONFIG),
        ErrorKind.DATABASE_TOO_NEW: (
            f"This Workbench cannot use the database: {detail}.", EXIT_DATABASE),
        ErrorKind.DATABASE_NOT_MIGRATED: (
            f"The database is not migrated to this version: {detail}. Run "
            "`workbench db upgrade` (after a backup).", EXIT_DATABASE),
        ErrorKind.DATABASE_UNREACHABLE: (
            f"The database cannot be opened: {detail}. Check database_url, the server and "
            "the password.", EXIT_DATABASE),
        ErrorKind.DATABASE_OTHER: (f"Database error: {type(exc).__name__}", EXIT_DATABASE),
    }[kind]
    return CommandError(words, status)


# -- commands ------------------------------------------------------------------------------------
def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    if args.once:
        return _sync_once(settings, args.json)
    import time

    from workbench.services.errors import ErrorKind, classify
    from workbench.services.schedule import PullSchedule
    schedule = PullSchedule.from_settings(settings)
    last: datetime | None = None
    print(f"Pulling every {settings.pull_interval_minutes} minutes during practice hours; "
          "Ctrl+C stops.", flush=True)
    while True:
        due = schedule.next_pull(last, datetime.now().astimezone())
        wait = (due - datetime.now().astimezone()).total_seconds()
        if wait > 0:
            time.sleep(min(wait, 60))
            continue
        last = datetime.now().astimezone()
        try:
            _sync_once(settings, args.json)
        except Exception as exc:  # noqa: BLE001 - a known failure waits for the next pull
            if not isinstance(exc, CommandError) and classify(exc) is ErrorKind.UNEXPECTED:
                raise
            print(explain(exc, settings), file=sys.stderr, flush=True)


def _sync_once(settings: Settings, as_json: bool) -> int:
    """Pull, then send the outbox and bring back due follow-ups. Answers go out whatever the
    pull does (fails, a bug, skipped); then the pull's failure is raised as usual."""
    from workbench.bootstrap import (
        make_mail_reply_sender,
        make_mail_sync_service,
        make_portal_client,
        make_sync_service,
        open_store,
    )
    from workbench.logsetup import log_bug
    from workbench.services.errors import ErrorKind, classify
    from workbench.services.outbox import OutboxSender
    from workbench.services.replies import ReplyService
    failures: list[BaseException] = []

    def attempt(step):
        try:
            return step()
        except Exception as exc:  # noqa: BLE001 - the first failure is raised after the rest
            if failures and classify(exc) is ErrorKind.UNEXPECTED:
                log_bug(exc, step.__name__)  # logged; the first failure is the one reported
            elif failures:
                log.warning("%s failed too, after an earlier failure: %s", step.__name__,
                            type(exc).__name__)
            failures.append(exc)
            return None

    store = open_store(settings)
    try:
        client = make_portal_client(settings)

        def pull():
            return make_sync_service(settings, store, client).run()

        def send_outbox():
            return OutboxSender(client, store.engine, store.blobs,
                                mail=make_mail_reply_sender(settings, store)).deliver()

        def bring_back_follow_ups():
            ReplyService(store.engine, store.blobs).bring_back_due_follow_ups()

        def pull_mail():
            # The mail channel is pulled whatever the portal does, and the other way round.
            service = make_mail_sync_service(settings, store)
            return service.run() if service is not None else None

        result, pushed = attempt(pull), attempt(send_outbox)
        mail = attempt(pull_mail)
        attempt(bring_back_follow_ups)
        from workbench.services.audit_verify import write_anchor_quietly
        write_anchor_quietly(store.engine, settings.resolved_data_dir())
    finally:
        store.close()
    if failures:
        if mail is not None and not as_json:
            _print_mail(mail)
        if pushed is not None and not as_json and (pushed.sent or pushed.pending
                                                   or pushed.failed):
            print(f"Sent {pushed.sent} status changes to the portal ({pushed.pending} waiting, "
                  f"{pushed.failed} refused), although the pull failed.")
        raise failures[0]
    if pushed.failed:
        result.errors.append(f"{pushed.failed} status changes refused by the portal")
    incomplete, waiting = result.incomplete, result.quarantined_open
    if as_json:
        print(json.dumps(result.as_dict() | {"outbox_sent": pushed.sent,
                                             "outbox_pending": pushed.pending,
                                             "outbox_failed": pushed.failed,
                                             "mail": mail.as_dict() if mail else None},
                         ensure_ascii=False))
    elif result.skipped:
        print("Another workstation is pulling into the shared database right now; nothing "
              f"pulled. Sent {pushed.sent} status changes to the portal ({pushed.pending} "
              "waiting).")
    else:
        print(f"Pulled {result.fetched} resources in {result.pages} pages: {result.created} new "
              f"messages ({result.econsults_created} new e-consults), {result.updated} updated, "
              f"{result.attachments} attachments stored, {result.quarantined} quarantined, "
              f"{len(result.errors)} errors, {result.seconds:.1f} s. Sent {pushed.sent} status "
              f"changes to the portal ({pushed.pending} waiting).")
        if waiting:
            print(f"{waiting} items could not be processed and wait in 'Niet verwerkt'.")
        if incomplete:
            print(f"Pull not finished: {', '.join(incomplete)}; the rest comes with the next "
                  "pull.")
        if result.future_dated:
            print(f"{result.future_dated} messages are dated after the portal's own time (a "
                  "clock off?): stored, and not used to decide what the next pull asks.")
        for error in result.errors[:20]:
            print(f"  problem: {error}", file=sys.stderr)
        if mail is not None:
            _print_mail(mail)
    return EXIT_OK if result.ok and (mail is None or mail.ok) else EXIT_PARTIAL


def _print_mail(mail) -> None:
    if mail.skipped:
        print("Secure mail: another workstation is pulling it right now.")
        return
    print(f"Secure mail: {mail.fetched} mails read, {mail.imported} into e-consults "
          f"({mail.econsults_created} new), {mail.unknown_sender + mail.ambiguous} wait in "
          f"'Onbekende afzender', {mail.unreadable} unreadable, {mail.duplicates} seen before.")
    if mail.incomplete:
        print(f"Secure mail not finished: {', '.join(mail.incomplete)}; the rest comes with "
              "the next pull.")
    for error in mail.errors[:20]:
        print(f"  mail problem: {error}", file=sys.stderr)


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.bootstrap import open_store
    from workbench.services.stats import store_stats
    store = open_store(settings, migrate_sqlite=False)
    try:
        stats = store_stats(store.engine)
    finally:
        store.close()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
    else:
        for key, value in stats.items():
            print(f"{key}: {value}")
    return EXIT_OK


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.bootstrap import migrate_with_backup
    from workbench.store import database
    url = settings.resolved_database_url()
    path = database.sqlite_path(url)
    if path is not None and not path.exists():
        # A new SQLite store is built beside its place and renamed in: a kill leaves none.
        database.ensure_sqlite_store(path)
    engine = database.make_engine(url)
    try:
        before = database.current_revision(engine)
        backup = migrate_with_backup(engine, before)
        after = database.current_revision(engine)
        from workbench.cli_audit import after_db_upgrade
        after_db_upgrade(engine, args)
    finally:
        engine.dispose()
    if backup:
        print(f"Backup of the store: {backup}")
    print(f"Database at migration {after} (was {before or 'empty'}).")
    return EXIT_OK


def cmd_audit_verify(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.cli_audit import cmd_audit_verify as verify
    return verify(args, settings)


def cmd_audit_key(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.cli_audit import cmd_audit_key as key
    return key(args, settings)


def cmd_audit_report(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.cli_audit_report import cmd_audit_report as report
    return report(args, settings)


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here: the check loads the portal client, keyring and TLS only when asked.
    from workbench.check import run_check
    return run_check(args, settings)


def cmd_credentials(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.config import ConfigError
    from workbench.services.secrets import PortalCredentials, SecretStore
    if args.channel == "mail":
        return _mail_credentials(args, settings)
    if not settings.portal_url:
        raise ConfigError("no portal address is configured (option portal_url)")
    secrets = SecretStore()
    if args.action == "delete":
        secrets.delete_portal_credentials(settings.portal_url)
        print("Credentials removed from the keyring.")
        return EXIT_OK
    if args.kind == "basic":
        username = args.username or input("User name: ")
        password = _secret_input("Password: ")
        credentials = PortalCredentials("basic", username=username, password=password)
    else:
        credentials = PortalCredentials("bearer", token=_secret_input("Token: "))
    secrets.set_portal_credentials(settings.portal_url, credentials)
    print(f"Credentials for {settings.portal_url} stored in the OS keyring.")
    return EXIT_OK


def _mail_credentials(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.config import ConfigError
    from workbench.services.mail.credentials import delete_mail_password, set_mail_password
    if not settings.mail_enabled or not settings.mail_account:
        raise ConfigError("no mail account is configured (options mail_imap_host and "
                          "mail_account)")
    where = f"{settings.mail_account} at {settings.mail_imap_host}"
    if args.action == "delete":
        delete_mail_password(settings.mail_account, settings.mail_imap_host)
        print(f"Mail password of {where} removed from the keyring.")
        return EXIT_OK
    set_mail_password(settings.mail_account, settings.mail_imap_host,
                      _secret_input("Password: "))
    print(f"Mail password of {where} stored in the OS keyring.")
    return EXIT_OK


def _secret_input(prompt: str) -> str:
    # Scripted installs pipe the secret on standard input; people get a hidden prompt.
    value = getpass.getpass(prompt) if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if not value:
        raise CommandError("No secret given.", EXIT_CONFIG)
    return value


def cmd_export_declarations(args: argparse.Namespace, settings: Settings) -> int:
    """Declarations of a period as CSV, for entry into the HIS."""
    from workbench.bootstrap import open_store
    from workbench.services.billing import BillingService
    from workbench.services.rights import Permission
    from workbench.services.tariffs import TariffBook
    day_from, day_to = _parse_day(args.date_from), _parse_day(args.date_to)
    if day_to < day_from:
        raise CommandError("--to lies before --from.", EXIT_CONFIG)
    if args.output != "-":
        _check_output_file(Path(args.output))
    store = open_store(settings, migrate_sqlite=False)
    try:
        actor = _signed_in(store, Permission.EXPORT_DECLARATIONS)
        billing = BillingService(store.engine, lambda: datetime.now(timezone.utc),
                                 per_patient_day=settings.billing_per_patient_day,
                                 tariffs=TariffBook.default(settings.resolved_data_dir(),
                                                                    engine=store.engine))
        # Amounts that are not the year's confirmed tariffs are said, never left silent.
        for table in billing.unconfirmed_tariffs(r.day for r in billing.report(day_from,
                                                                               day_to)):
            print(f"Declarations of {table.for_year}: amounts of {table.year}; to be "
                  "confirmed (workbench tariffs load FILE, or Beheer > Tarieven).",
                  file=sys.stderr)
        if args.output == "-":
            billing.export_csv(sys.stdout, day_from, day_to, actor)
        else:
            try:
                billing.export_csv(Path(args.output), day_from, day_to, actor)
            except OSError as exc:
                raise CommandError(f"Cannot write {args.output} (-o): {exc.strerror or exc}.",
                                   EXIT_CONFIG) from exc
            print(f"Declarations {day_from:%d-%m-%Y} to {day_to:%d-%m-%Y} written to "
                  f"{args.output}.")
    finally:
        store.close()
    return EXIT_OK


def cmd_tariffs(args: argparse.Namespace, settings: Settings) -> int:
    """`tariffs list`: every year's file and its state; `tariffs load FILE`: the NZa's file
    of a year, checked and installed as the practice's (a praktijkmanager signs in)."""
    from workbench.bootstrap import open_store
    from workbench.services.billing import BillingService
    from workbench.services.rights import Permission
    from workbench.services.tariffs import TariffBook, TariffFileError
    book = TariffBook.default(settings.resolved_data_dir())
    if args.tariffs_command == "list":
        from workbench.bootstrap import DatabaseNotMigrated
        try:  # the files the practice loaded are in the store, shared by every workstation
            store = open_store(settings, migrate_sqlite=False)
        except DatabaseNotMigrated:
            store = None  # no store yet: the files on disk only
            print("(no store yet: files loaded by the practice are not listed)", file=sys.stderr)
        book.engine = store.engine if store is not None else None
        try:
            files = book.files()
        finally:
            if store is not None:
                store.close()
        for found in files:
            if found.problem is not None:
                state = f"refused: {found.problem}"
            elif not found.in_use:
                state = "not used (another file of this year comes first)"
            else:
                state = "confirmed" if not found.table.to_confirm else "to be confirmed"
            amounts = " / ".join(f"{c.code} {c.amount_cents / 100:.2f}"
                                 for c in found.table.codes) if found.table else ""
            print(f"{found.year}  {found.origin.value:<8}  {state:<17}  {amounts}  "
                  f"{found.path}")
        return EXIT_OK
    source = Path(args.file).expanduser()
    try:
        book.check(source)  # a bad file is refused before anyone signs in
    except TariffFileError as exc:
        raise CommandError(f"{source} is not loaded: {exc}.", EXIT_CONFIG) from exc
    store = open_store(settings, migrate_sqlite=False)
    try:
        actor = _signed_in(store, Permission.EXPORT_DECLARATIONS)
        book.engine = store.engine
        billing = BillingService(store.engine, tariffs=book)
        try:
            table = billing.load_tariff_file(source, actor)
        except (TariffFileError, OSError) as exc:
            raise CommandError(f"{source} is not loaded: {exc}.", EXIT_CONFIG) from exc
        print(f"Tariffs of {table.year} loaded into the store (every workstation uses them)"
              f"{' (marked as to be confirmed)' if table.to_confirm else ''}.")
    finally:
        store.close()
    return EXIT_OK


def _check_output_file(path: Path) -> None:
    """Before the store is opened: a file that cannot be written is a mistake on the line."""
    folder = path.expanduser().parent
    if path.expanduser().is_dir():
        raise CommandError(f"-o {path} is a folder: give a file name, such as "
                           f"{path / 'declaraties.csv'}.", EXIT_CONFIG)
    if not folder.is_dir():
        raise CommandError(f"-o {path}: the folder {folder} does not exist.", EXIT_CONFIG)


def _signed_in(store: Store, permission):
    """The person running the command signs in on the terminal (it is audited in their
    name); refused unless their role gives `permission`."""
    from workbench.cli_users import Refusal, signed_in_actor
    try:
        return signed_in_actor(store.engine, permission)
    except Refusal as exc:
        raise _refused(exc) from exc


def _refused(exc) -> CommandError:
    return CommandError(str(exc), EXIT_CREDENTIALS if exc.credentials else EXIT_CONFIG)


def cmd_users(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.cli_users import Refusal, run_users
    try:
        return run_users(args, settings)
    except Refusal as exc:
        raise _refused(exc) from exc


def _parse_day(text: str) -> date:
    for form in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            pass
    raise CommandError(f"Not a date: {text!r} (use YYYY-MM-DD or DD-MM-YYYY).", EXIT_CONFIG)


DEMO_HUISARTSENPOST = "0123-456789"


def run_demo(args: argparse.Namespace) -> int:
    """The demo: the embedded portal on a free loopback port, a throw-away store, the window
    (or, with --headless, one pull printed here)."""
    import shutil
    import tempfile

    from workbench.bootstrap import open_store
    from workbench.config import load_settings
    from workbench.demo.mail_server import DemoMailServer, demo_mail_senders
    from workbench.demo.server import DemoPortal, PortalOptions
    from workbench.services import secrets
    from workbench.services.mail.credentials import use_process_mail_password
    from workbench.services.stats import store_stats
    data_dir = tempfile.mkdtemp(prefix="workbench-demo-")
    secrets.use_process_audit_key(secrets.generate_audit_key())  # never in the keyring
    portal = DemoPortal(PortalOptions(seed=args.seed))
    mail = DemoMailServer(senders=demo_mail_senders(portal.dataset))
    try:
        base_url = portal.start("127.0.0.1", 0)
        account = mail.start()
        use_process_mail_password(account.password)  # never in the keyring either
        print(f"Demo portal at {base_url}, demo mail at {account.host}:{account.imap_port}; "
              f"throw-away store in {data_dir}", flush=True)
        # A made-up huisartsenpost number (no real area code): answers' safety-nets need one.
        settings = load_settings({
            "portal_url": base_url, "data_dir": data_dir, "auth": "none",
            "huisartsenpost_telefoon": DEMO_HUISARTSENPOST,
            "mail_imap_host": account.host, "mail_imap_port": account.imap_port,
            "mail_imap_security": account.imap_security, "mail_smtp_host": account.host,
            "mail_smtp_port": account.smtp_port, "mail_smtp_security": account.smtp_security,
            "mail_account": account.account, "mail_address": account.practice_address,
            "mail_ca_bundle": account.ca_file})
        if args.headless:
            status = _sync_once(settings, as_json=False)
            store = open_store(settings)
            try:
                print(json.dumps(store_stats(store.engine), ensure_ascii=False, indent=2))
            finally:
                store.close()
            return status
        return run_window(settings, self_test=args.self_test, demo=True)
    finally:
        portal.stop()
        mail.stop()
        use_process_mail_password(None)
        secrets.use_process_audit_key(None)
        shutil.rmtree(data_dir, ignore_errors=True)


def cmd_advise(args: argparse.Namespace, settings: Settings | None = None) -> int:
    """Urgency advice for messages as JSON lines on stdin, one JSON line out per message."""
    from workbench.services.urgency import advise_request
    out = getattr(sys.stdout, "buffer", None)
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8", errors="replace").strip()
        if not line:
            continue
        try:
            request = json.loads(line)
        except ValueError as exc:
            answer = {"error": f"not a JSON line: {exc}"}
        else:
            answer = advise_request(request)
        text = json.dumps(answer, ensure_ascii=False) + "\n"
        if out is not None:  # UTF-8 whatever the console's code page
            out.write(text.encode("utf-8"))
            out.flush()
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    return EXIT_OK


def run_window(settings: Settings, self_test: bool = False, demo: bool = False) -> int:
    from workbench.ui.app import run
    return run(settings, self_test=self_test, demo=demo)


# -- parser ---------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    # SUPPRESS: an option given before the command is not reset by the command's own parser.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--database", metavar="URL", help="database URL (sqlite:///file or "
                        "postgresql://user@host/db); overrides the configuration")
    common.add_argument("--portal", metavar="URL", help="FHIR base URL of the portal")
    common.add_argument("--data-dir", metavar="DIR", help="folder for the store and attachments")
    common.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")

    parser = argparse.ArgumentParser(prog="workbench", parents=[common],
                                     description="E-consult triage workbench.")
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    parser.add_argument("--demo", action="store_true",
                        help="run against the embedded demo portal with a throw-away store")
    parser.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--headless", action="store_true",
                        help="with --demo: pull once and print the store's counts, no window")
    parser.add_argument("--self-test", action="store_true",
                        help="open the window, pull once, exit 0 when all is well")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    sync = commands.add_parser("sync", parents=[common], help="pull from the portal")
    sync.add_argument("--once", action="store_true", help="one pull, then exit")
    sync.add_argument("--json", action="store_true", help="print the result as JSON")
    sync.set_defaults(handler=cmd_sync)

    stats = commands.add_parser("stats", parents=[common], help="counts in the store")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(handler=cmd_stats)

    check = commands.add_parser("check", parents=[common],
                                help="check configuration, database, keyring and portal")
    check.add_argument("--send-test-mail", action="store_true",
                       help="send one test mail from the practice's address to itself and "
                            "prove mail_provider_files_sent by looking for it in Sent")
    check.set_defaults(handler=cmd_check)

    db = commands.add_parser("db", parents=[common], help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_commands.add_parser("upgrade", parents=[common], help="apply migrations")
    upgrade.add_argument("--app-role", metavar="NAME", help="PostgreSQL: create or update the "
                         "workstations' login NAME (it may add audit events, never change them)")
    upgrade.set_defaults(handler=cmd_db_upgrade)

    audit = commands.add_parser("audit", parents=[common], help="the audit trail (NEN 7513)")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True,
                                          metavar="ACTION")
    verify = audit_commands.add_parser("verify", parents=[common],
                                       help="check that no audit event was changed or removed")
    verify.set_defaults(handler=cmd_audit_verify)
    key = audit_commands.add_parser("key", parents=[common],
                                    help="the practice's audit key in the OS keyring")
    key.add_argument("key_action", choices=["set", "show-fingerprint"])
    key.add_argument("--generate", action="store_true",
                     help="with set: make a new key and print it once (first workstation)")
    key.set_defaults(handler=cmd_audit_key)
    report = audit_commands.add_parser("report", parents=[common],
                                       help="a patient's access report (who saw what, when)")
    report.add_argument("--patient", required=True, metavar="BSN")
    report.add_argument("--from", dest="date_from", required=True, metavar="DATE")
    report.add_argument("--to", dest="date_to", required=True, metavar="DATE")
    report.add_argument("--output", "-o", default="-",
                        help="file to write; - for standard output (default)")
    report.set_defaults(handler=cmd_audit_report)

    credentials = commands.add_parser("credentials", parents=[common],
                                      help="portal or mail credentials in the OS keyring")
    credentials.add_argument("action", choices=["set", "delete"])
    credentials.add_argument("--channel", choices=["portal", "mail"], default="portal",
                             help="the portal (default) or the secure-mail account")
    credentials.add_argument("--kind", choices=["bearer", "basic"], default="bearer")
    credentials.add_argument("--username")
    credentials.set_defaults(handler=cmd_credentials)

    export = commands.add_parser("export", parents=[common], help="export for the HIS")
    export_kinds = export.add_subparsers(dest="export_kind", required=True, metavar="WHAT")
    declarations = export_kinds.add_parser("declarations", parents=[common],
                                           help="declarations of a period as CSV (the "
                                                "file holds BSNs: a praktijkmanager signs in, "
                                                "and it is audited in their name)")
    declarations.add_argument("--from", dest="date_from", required=True, metavar="DATE")
    declarations.add_argument("--to", dest="date_to", required=True, metavar="DATE")
    declarations.add_argument("--output", "-o", default="-",
                              help="CSV file to write; - for standard output (default)")
    declarations.set_defaults(handler=cmd_export_declarations)

    tariffs = commands.add_parser("tariffs", parents=[common],
                                  help="consult tariffs per year (the NZa's amounts)")
    tariffs_actions = tariffs.add_subparsers(dest="tariffs_command", required=True,
                                             metavar="ACTION")
    tariffs_actions.add_parser("list", parents=[common],
                               help="every year's file, where it comes from, its state")
    load = tariffs_actions.add_parser("load", parents=[common],
                                      help="check and install a year's file from the NZa "
                                           "decision (a praktijkmanager signs in)")
    load.add_argument("file", metavar="FILE")
    tariffs.set_defaults(handler=cmd_tariffs)

    users = commands.add_parser("users", parents=[common], help="the practice's user accounts")
    users_actions = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = users_actions.add_parser("add", parents=[common], help="add an account (the first: "
                                   "the praktijkmanager's, at install)")
    add.add_argument("--username", required=True)
    add.add_argument("--name", required=True, help="the person's name as colleagues know it")
    add.add_argument("--role", required=True, type=str.lower,
                     choices=["huisarts", "poh", "doktersassistent", "assistent",
                              "praktijkmanager"],
                     metavar="{huisarts,poh,doktersassistent,praktijkmanager}")
    add.add_argument("--agb", metavar="CODE", help="the person's AGB code")
    add.add_argument("--portal-practitioner", metavar="PORTAL_ID",
                     help="the portal's Practitioner id of this person (routing, sending)")
    add.add_argument("--os-account", metavar="NAME",
                     help="the person's own OS account, for single sign-on")
    add.add_argument("--second-factor", action="store_true",
                     help="a code from an authenticator app too (always for the "
                          "praktijkmanager)")
    add.set_defaults(handler=cmd_users)
    users_actions.add_parser("list", parents=[common], help="the accounts (no secrets)"
                             ).set_defaults(handler=cmd_users)
    for name, words in (("disable", "disable an account"),
                        ("enable", "enable an account again (lifts a lock-out)"),
                        ("reset-password", "give an account a new password"),
                        ("set-pin", "set your own PIN (asks your password first)"),
                        ("second-factor", "set up a new authenticator app for an account")):
        action = users_actions.add_parser(name, parents=[common], help=words)
        action.add_argument("username", metavar="USERNAME")
        action.set_defaults(handler=cmd_users)
    set_role = users_actions.add_parser("set-role", parents=[common],
                                        help="give an account another role")
    set_role.add_argument("username", metavar="USERNAME")
    set_role.add_argument("role", type=str.lower,
                          choices=["huisarts", "poh", "doktersassistent", "assistent",
                                   "praktijkmanager"],
                          metavar="{huisarts,poh,doktersassistent,praktijkmanager}")
    set_role.set_defaults(handler=cmd_users)

    advise = commands.add_parser(
        "advise", help="urgency advice: JSON lines on stdin ({\"text\", \"subject\", "
        "\"patient_age_days\", \"writer\"}), one JSON line out per message")
    advise.set_defaults(handler=cmd_advise)

    commands.add_parser("demo-portal", help="serve the demo FHIR portal (options: "
                        "workbench demo-portal --help)", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["demo-portal"]:
        from workbench.demo.server import main as demo_portal_main
        try:
            return demo_portal_main(argv[1:])
        except Exception as exc:  # noqa: BLE001 - a bug in the demo portal is a bug too
            from workbench.logsetup import configure_logging
            configure_logging()
            return report_bug(exc, "demo-portal")
    parser = build_parser()
    args = parser.parse_args(argv)  # `--version` and `--help` end here
    from workbench.heap import limit_malloc_arenas
    limit_malloc_arenas()  # before any thread starts
    from workbench.config import load_settings
    from workbench.logsetup import configure_logging
    configure_logging(verbose=getattr(args, "verbose", False))
    settings: Settings | None = None
    try:
        if args.demo:
            return run_demo(args)
        if getattr(args, "handler", None) is cmd_advise:  # no configuration, store or portal
            return cmd_advise(args)
        settings = load_settings({"database_url": getattr(args, "database", None),
                                  "portal_url": getattr(args, "portal", None),
                                  "data_dir": getattr(args, "data_dir", None)})
        handler = getattr(args, "handler", None)
        if not handler:  # the window says in its own words what is wrong with the values
            return run_window(settings, self_test=args.self_test)
        if handler is not cmd_check:  # check reports the values as one of its parts
            refuse_unusable(settings, needs_portal=handler is cmd_sync or (
                handler is cmd_credentials and args.channel == "portal"))
        return handler(args, settings)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - known failures become words, bugs exit 7
        from workbench.services.errors import ErrorKind, classify
        from workbench.services.redact import redact, redact_for
        if not isinstance(exc, CommandError) and classify(exc) is ErrorKind.UNEXPECTED:
            return report_bug(exc, getattr(args, "command", None) or "window")
        error = explain(exc, settings)
        # A password in the portal or database address never reaches the terminal or a log.
        print(redact_for(settings, str(error)) if settings is not None else redact(str(error)),
              file=sys.stderr)
        return error.status


if __name__ == "__main__":
    sys.exit(main())
