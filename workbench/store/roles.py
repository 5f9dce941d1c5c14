"""The shared PostgreSQL store's two logins: the owner (IT, `workbench db upgrade`) and the
workstations' login, which may read and write the ordinary tables but may only add audit
events, never change or delete them.

Audit events are kept append-only twice over: the workstations' login has no UPDATE or DELETE
on audit_event (only UPDATE of the two chain columns, for sealing the events from before the
chain), and a trigger refuses any UPDATE or DELETE of an event already in the chain, whoever
asks (a mistaken grant included). The owner can drop the trigger; the chain's MACs still show
what was changed then."""

from __future__ import annotations

import re

from sqlalchemy import Connection, Engine, text

APPEND_ONLY_FUNCTION = "workbench_audit_event_append_only"
APPEND_ONLY_TRIGGER = "audit_event_append_only"
# Tables the workstations only read (the schema's revision is IT's business).
READ_ONLY_TABLES = ("alembic_version",)

_APPEND_ONLY_SQL = f"""
CREATE OR REPLACE FUNCTION {APPEND_ONLY_FUNCTION}() RETURNS trigger AS $$
BEGIN
    -- Sealing an event from before the chain: only its place and MAC are set, once.
    IF TG_OP = 'UPDATE' AND OLD.chain_seq IS NULL AND OLD.mac IS NULL
       AND (to_jsonb(NEW) - 'chain_seq' - 'mac') = (to_jsonb(OLD) - 'chain_seq' - 'mac') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events cannot be changed or deleted (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""


def _is_postgres(bind: Engine | Connection) -> bool:
    return bind.dialect.name == "postgresql"


def install_append_only_trigger(engine: Engine) -> None:
    """(Re)create the trigger that refuses UPDATE, DELETE and TRUNCATE of chained audit
    events. Idempotent; needs the owner's rights."""
    if not _is_postgres(engine):
        return
    with engine.begin() as connection:
        connection.execute(text(_APPEND_ONLY_SQL))
        for name, when in ((APPEND_ONLY_TRIGGER,
                            "BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW"),
                           (f"{APPEND_ONLY_TRIGGER}_truncate",
                            "BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT")):
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name} ON audit_event"))
            connection.execute(text(f"CREATE TRIGGER {name} {when} "
                                    f"EXECUTE FUNCTION {APPEND_ONLY_FUNCTION}()"))


def _quoted(connection: Connection, name: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", name):
        raise ValueError(f"{name!r} is not a usable role name (letters, digits and _)")
    return connection.dialect.identifier_preparer.quote(name)


def role_exists(engine: Engine, name: str) -> bool:
    with engine.connect() as connection:
        return bool(connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :name"),
                                      {"name": name}))


def grant_app_role(engine: Engine, name: str, password: str | None = None) -> bool:
    """Create the workstations' login (when `password` is given and it does not exist; a
    given password is set on an existing one too) and give it what the app needs, no more.
    Returns whether the role was created. Run after every migration: new tables get their
    grants here (and through the default privileges)."""
    if not _is_postgres(engine):
        raise ValueError("a login for the workstations is for a PostgreSQL database")
    with engine.begin() as connection:
        role = _quoted(connection, name)
        exists = bool(connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :name"),
                                        {"name": name}))
        if not exists and password is None:
            raise ValueError(f"the role {name} does not exist: give a password to create it")
        if password is not None:
            # The password as a literal: DDL takes no bind parameters.
            literal = "'" + password.replace("'", "''") + "'"
            verb = "ALTER" if exists else "CREATE"
            connection.execute(text(f"{verb} ROLE {role} LOGIN PASSWORD {literal}"
                                    .replace(":", r"\:")))
        database = _quoted(connection, connection.scalar(text("SELECT current_database()")))
        owner_grants = [
            f"GRANT CONNECT ON DATABASE {database} TO {role}",
            f"GRANT USAGE ON SCHEMA public TO {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
            (f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE "
             f"ON TABLES TO {role}"),
            (f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES "
             f"TO {role}"),
            # Audit events: read and add; of an update only the sealing of the two chain
            # columns (the trigger allows that once, on an unchained event).
            f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM {role}",
            f"GRANT UPDATE (chain_seq, mac) ON audit_event TO {role}",
            # The chain's head is updated with every event, never removed.
            f"REVOKE DELETE, TRUNCATE ON audit_chain FROM {role}",
            *(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {table} FROM {role}"
              for table in READ_ONLY_TABLES),
        ]
        for statement in owner_grants:
            connection.execute(text(statement))
    install_append_only_trigger(engine)
    return not exists


def drop_role(engine: Engine, name: str) -> None:
    """Remove a login and what was granted to it (tests make their own roles)."""
    with engine.begin() as connection:
        role = _quoted(connection, name)
        if connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :name"),
                             {"name": name}):
            connection.execute(text(f"DROP OWNED BY {role}"))
            connection.execute(text(f"DROP ROLE {role}"))
