"""`workbench audit verify` and `workbench audit key set|show-fingerprint`, and what
`workbench db upgrade` does for the audit trail (trigger, the workstations' login, sealing)."""

from __future__ import annotations

import argparse
import base64
import getpass
import sys

from sqlalchemy import Engine

from workbench.bootstrap import Store, open_store
from workbench.cli import EXIT_CONFIG, EXIT_OK, CommandError, _secret_input
from workbench.config import Settings
from workbench.services import secrets
from workbench.services.audit_verify import anchor_path, verify_chain
from workbench.store import database

EXIT_BROKEN = 1  # the audit trail has a problem (named on the line printed)


def cmd_audit_verify(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings, migrate_sqlite=False)
    try:
        report = verify_chain(store.engine,
                              anchor_file=anchor_path(settings.resolved_data_dir()))
    finally:
        store.close()
    if report.ok:
        waiting = f"; {report.unsealed} earlier events wait to be sealed into it" \
            if report.unsealed else ""
        print(f"Audit trail OK: {report.count} events, the chain is unbroken{waiting}.")
        return EXIT_OK
    print(f"Audit trail NOT OK: {report.problem.text}")
    return EXIT_BROKEN


def cmd_audit_key(args: argparse.Namespace, settings: Settings) -> int:
    if args.key_action == "show-fingerprint":
        key = secrets.get_audit_key()
        if key is None:
            raise CommandError(NO_KEY, EXIT_CONFIG)
        print(f"Audit key fingerprint: {secrets.audit_key_fingerprint(key)}")
        return EXIT_OK
    return _set_key(args, settings)


NO_KEY = ("This workstation has no audit key. IT puts the practice's key on every "
          "workstation with `workbench audit key set` (see README, 'Configuration for IT').")


def _set_key(args: argparse.Namespace, settings: Settings) -> int:
    existing = secrets.get_audit_key()
    if args.generate:
        if existing is not None:
            raise CommandError(
                "This workstation has an audit key already (fingerprint "
                f"{secrets.audit_key_fingerprint(existing)}); --generate is for the practice's "
                "first workstation. Give the other workstations that same key.", EXIT_CONFIG)
        key = secrets.generate_audit_key()
    else:
        try:
            key = secrets.parse_audit_key(_secret_input("Audit key (base64 or hex): "))
        except ValueError as exc:
            raise CommandError(f"Not an audit key: {exc}.", EXIT_CONFIG) from exc
    store = _existing_store(settings)
    try:
        if store is not None and fits_chain(store.engine, key) is False:
            raise CommandError(
                "This key is not the one the audit trail in the store was written with "
                f"(its fingerprint is {secrets.audit_key_fingerprint(key)}). Use the key the "
                "other workstations have: compare `workbench audit key show-fingerprint` "
                "there.", EXIT_CONFIG)
        secrets.set_audit_key(key)
        if args.generate:
            print("New audit key for the practice. Put this same key on every workstation "
                  "with `workbench audit key set` and keep it in the practice's password "
                  "safe; it is not shown again:")
            print(base64.b64encode(key).decode("ascii"))
        print(f"Audit key stored in the OS keyring (fingerprint "
              f"{secrets.audit_key_fingerprint(key)}).")
        if store is not None:
            _report_sealed(store.engine)
    finally:
        if store is not None:
            store.close()
    return EXIT_OK


def fits_chain(engine: Engine, key: bytes) -> bool | None:
    """Whether `key` wrote the store's chain (its first event); None when there is none."""
    from sqlalchemy import select

    from workbench.services.audit import CHAINED_COLUMNS, event_mac
    from workbench.store.models import AuditEvent
    with engine.connect() as connection:
        first = connection.execute(select(AuditEvent.mac, *CHAINED_COLUMNS).where(
            AuditEvent.chain_seq == 1)).first()
    if first is None:
        return None
    mac, *fields = first
    return event_mac(key, 1, fields, "") == mac


def _existing_store(settings: Settings) -> Store | None:
    """The store, if there is one at this version: a key can be stored before the store."""
    try:
        return open_store(settings, migrate_sqlite=False)
    except Exception:  # noqa: BLE001 - not there or not reachable: the key is stored all the same
        return None


def _report_sealed(engine: Engine) -> None:
    from workbench.services.audit import seal_unchained_events
    if sealed := seal_unchained_events(engine):
        print(f"{sealed} audit events from before the chain were sealed into it.")


def after_db_upgrade(engine: Engine, args: argparse.Namespace) -> None:
    """After the migrations, as the owner: on PostgreSQL the trigger that keeps audit events
    append-only and (with --app-role) the workstations' login; events from before the chain
    are sealed when this computer has the audit key."""
    from workbench.store import roles
    app_role = getattr(args, "app_role", None)
    if engine.dialect.name != "postgresql":
        if app_role:
            raise CommandError("--app-role is for a shared PostgreSQL database; a SQLite "
                               "store has no logins.", EXIT_CONFIG)
    else:
        roles.install_append_only_trigger(engine)
        if app_role:
            password = None
            if not roles.role_exists(engine, app_role):
                password = _new_password(app_role)
            try:
                created = roles.grant_app_role(engine, app_role, password)
            except ValueError as exc:
                raise CommandError(f"--app-role: {exc}.", EXIT_CONFIG) from exc
            print(f"Workstation login {app_role} {'created' if created else 'exists'}; its "
                  "rights are set (audit events: read and add only). Workstations use it in "
                  "database_url.")
    if secrets.get_audit_key() is not None:
        _report_sealed(engine)


def _new_password(role: str) -> str:
    if not sys.stdin.isatty():
        return _secret_input("")
    first = getpass.getpass(f"Password for the new workstation login {role}: ")
    if not first or first != getpass.getpass("The same password again: "):
        raise CommandError("The passwords were empty or not the same; nothing was created.",
                           EXIT_CONFIG)
    return first


def audit_check_line(settings: Settings) -> str | None:
    """`workbench check`'s audit part: what is fine, in words; None when there is no store at
    this version to check yet; a CommandError naming the first problem."""
    from workbench.services.errors import DatabaseNotMigrated
    path = database.sqlite_path(settings.resolved_database_url())
    if path is not None and not path.exists():
        return None
    try:
        store = open_store(settings, migrate_sqlite=False)
    except DatabaseNotMigrated:
        return None
    try:
        report = verify_chain(store.engine,
                              anchor_file=anchor_path(settings.resolved_data_dir()))
    finally:
        store.close()
    if not report.ok:
        raise CommandError(f"{report.problem.text} (`workbench audit verify` says the same; "
                           "see README, 'Configuration for IT').", EXIT_BROKEN)
    key = secrets.get_audit_key()
    return f"{report.count} events, the chain is unbroken (key {secrets.audit_key_fingerprint(key)})"
