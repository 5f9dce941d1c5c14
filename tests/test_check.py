"""`workbench check` as IT runs it after an install: a real machine-wide file, a real SQLite
store, the demo portal over HTTP on loopback and a TLS server with a throw-away self-signed
certificate. Each case asserts the words a person reads and the exit status."""

from __future__ import annotations

import json
import os
import selectors
import socket
import ssl
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text

from workbench import cli, config
from workbench.services.secrets import PortalCredentials, SecretStore
from workbench.store import database

PARTS = ["configuration", "database", "migrations", "audit trail", "keyring", "certificate",
         "portal"]


# -- helpers --------------------------------------------------------------------------------------
def user_file_source() -> str:
    """How the configuration line names the per-user file (named even when absent)."""
    path = config.user_config_path()
    return f"user file {path} ({'present' if path.is_file() else 'not present'})"


def machine_file() -> Path:
    return Path(os.environ["WORKBENCH_CONFIG"])


def write_machine_config(options: dict[str, object] | None = None, raw: str = "") -> Path:
    """The machine-wide TOML file at the path the process reads (conftest: WORKBENCH_CONFIG)."""
    path = machine_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    # JSON strings, numbers and lists of numbers are valid TOML values too.
    lines = [f"{name} = {json.dumps(value)}" for name, value in (options or {}).items()]
    path.write_text("".join(f"{line}\n" for line in lines) + raw, encoding="utf-8")
    return path


def check(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(["check", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def parts(out: str) -> dict[str, str]:
    """Each part's line with its '  -> ' explanation lines, by part name, in printed order."""
    blocks: dict[str, str] = {}
    name = ""
    for line in out.splitlines():
        if line.startswith("  -> "):
            blocks[name] += "\n" + line
        else:
            name = line[8:].split(":", 1)[0]
            blocks[name] = line
    return blocks


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def migrated_store(data_dir: Path, revision: str = "head") -> Path:
    path = data_dir / "workbench.sqlite3"
    engine = database.make_engine(f"sqlite:///{path}")
    database.upgrade(engine, revision)
    engine.dispose()
    return path


class TlsFront:
    """TLS on loopback in front of a plain-HTTP server: the bytes are relayed both ways, so the
    demo portal answers over a real TLS connection with our certificate."""

    def __init__(self, backend_port: int, cert: Path, key: Path) -> None:
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(cert, key)
        self._backend_port = backend_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self._listener.accept()
            except OSError:  # closed: the test is over
                return
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        try:
            tls = self._context.wrap_socket(client, server_side=True)
        except OSError:  # the client refused the certificate, which some tests want
            client.close()
            return
        backend = socket.create_connection(("127.0.0.1", self._backend_port))
        with tls, backend, selectors.DefaultSelector() as selector:
            selector.register(tls, selectors.EVENT_READ, backend)
            selector.register(backend, selectors.EVENT_READ, tls)
            try:
                while True:
                    for key, _events in selector.select():
                        data = key.fileobj.recv(65536)
                        # Decrypted bytes may wait in the TLS buffer, unseen by select().
                        while key.fileobj is tls and tls.pending():
                            data += tls.recv(65536)
                        if not data:
                            return
                        key.data.sendall(data)
            except OSError:  # either side hung up
                return


# -- fixtures -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> dict[str, Path]:
    """Two throw-away self-signed certificates for 127.0.0.1, each with its key."""
    folder = tmp_path_factory.mktemp("tls")
    made: dict[str, Path] = {}
    for name in ("server", "other"):
        made[name], made[f"{name}_key"] = folder / f"{name}.pem", folder / f"{name}-key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", str(made[f"{name}_key"]), "-out", str(made[name])],
                       check=True, capture_output=True)
    return made


@pytest.fixture
def portal(start_portal):
    return start_portal(seed=3, consults=20, photo_size=(200, 150))


@pytest.fixture
def tls_portal_url(portal, certificates):
    """The demo portal over https on loopback, with the self-signed 'server' certificate."""
    front = TlsFront(urlsplit(portal.base_url).port, certificates["server"],
                     certificates["server_key"])
    yield f"https://127.0.0.1:{front.port}/fhir"
    front.close()


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def options(portal, data_dir) -> dict[str, object]:
    """A machine-wide file that works with the open demo portal; tests change what they break."""
    return {"portal_url": portal.base_url, "data_dir": str(data_dir), "auth": "none",
            "practice_agb": "01234567"}


# -- a good installation --------------------------------------------------------------------------
def test_a_good_installation_is_ok_in_every_part(capsys, start_portal, data_dir):
    locked = start_portal(seed=3, consults=20, photo_size=(200, 150), token="praktijk-token")
    path = write_machine_config({"portal_url": locked.base_url, "data_dir": str(data_dir),
                                 "practice_agb": "01234567", "practice_hours_start": "07:30"})
    migrated_store(data_dir)
    SecretStore().set_portal_credentials(locked.base_url,
                                         PortalCredentials("bearer", token="praktijk-token"))
    status, out, err = check(capsys)
    assert status == cli.EXIT_OK, out + err
    found = parts(out)
    assert list(found) == PARTS
    assert all(line.startswith("OK      ") for line in found.values()), out
    assert f"machine file {path} (present)" in found["configuration"]
    assert found["database"].endswith("workbench.sqlite3, reachable")
    assert found["migrations"] == "OK      migrations: this version needs " \
        f"{database.head_revision()}, the database is at {database.head_revision()}"
    assert "credentials present (bearer token)" in found["keyring"]
    assert found["certificate"] == "OK      certificate: not used (loopback http)"
    assert found["portal"] == f"OK      portal: {locked.base_url}, reachable, FHIR 4.0.1 " \
        "(Workbench demo portal), a search is answered"
    assert "praktijk-token" not in out + err


def test_a_new_store_is_fine_and_check_does_not_create_it(capsys, options, data_dir):
    write_machine_config(options)
    status, out, _err = check(capsys)
    assert status == cli.EXIT_OK, out
    found = parts(out)
    assert "not there yet, will be created on first start" in found["database"]
    assert "new store, will be created on first start" in found["migrations"]
    assert not data_dir.exists()


def test_https_portal_trusted_through_the_practice_ca_bundle(capsys, options, tls_portal_url,
                                                             certificates):
    write_machine_config(options | {"portal_url": tls_portal_url,
                                    "ca_bundle": str(certificates["server"])})
    status, out, _err = check(capsys)
    assert status == cli.EXIT_OK, out
    found = parts(out)
    assert found["certificate"] == f"OK      certificate: ca_bundle {certificates['server']}, " \
        "portal certificate verified"
    assert found["portal"].startswith(f"OK      portal: {tls_portal_url}, reachable, FHIR 4.0.1")


# -- a machine-wide file that cannot be read ------------------------------------------------------
@pytest.mark.parametrize("raw, words", [
    ("portal_url = \n", "cannot be read: Invalid value (at line 1, column 14)"),
    ("colour = 'blue'\n", "unknown option 'colour'"),
    ("page_size = 'veel'\n", "option 'page_size' has an invalid value 'veel'"),
])
def test_an_unreadable_machine_file_is_one_line_with_its_path(capsys, raw, words):
    path = write_machine_config(raw=raw)
    status, out, err = check(capsys)
    assert status == cli.EXIT_CONFIG
    assert out == ""
    assert err.startswith(f"Configuration problem: {path}: {words}.")
    assert "machine-wide file" in err


# -- values that load but cannot work -------------------------------------------------------------
@pytest.mark.parametrize("changes, words", [
    ({"portal_url": None},
     "portal_url is not set: it must be the FHIR address of the patient portal (https://...)"),
    ({"portal_url": "http://portaal.example.nl/fhir"},
     "portal_url http://portaal.example.nl/fhir is not secure: it must start with https:// "
     "(plain http is only allowed on this computer itself: localhost, 127.0.0.1 or ::1)"),
    ({"practice_agb": "1234"}, "practice_agb '1234' is not an AGB code: it must be 8 digits"),
    ({"practice_hours_start": "8 uur"},
     "practice_hours_start '8 uur' is not a time of day as HH:MM (such as 08:00)"),
    ({"practice_hours_end": "24:00"},
     "practice_hours_end '24:00' is not a time of day as HH:MM (such as 08:00)"),
    ({"practice_hours_start": "17:00", "practice_hours_end": "08:00"},
     "practice_hours_end 08:00 is not after practice_hours_start 17:00"),
    ({"practice_days": [1, 2, 8]},
     "practice_days [1, 2, 8] must name days from 1 (Monday) to 7 (Sunday)"),
    ({"pull_interval_minutes": 0}, "pull_interval_minutes is 0: it must be at least 1"),
    ({"answer_target_working_days": 0},
     "answer_target_working_days is 0: it must be at least 1"),
    ({"read_timeout_s": 0}, "read_timeout_s is 0.0: it must be more than 0 seconds"),
    ({"auth": "token"}, "auth 'token' must be one of bearer, basic, none"),
    ({"client_key": "/etc/ssl/private/praktijk.key"},
     "client_key is set without client_cert: the key belongs to a client certificate"),
])
def test_values_that_cannot_work_are_named(capsys, options, changes, words):
    merged = {name: value for name, value in (options | changes).items() if value is not None}
    path = write_machine_config(merged)
    status, out, _err = check(capsys)
    assert status == cli.EXIT_CONFIG, out
    found = parts(out)
    assert list(found) == PARTS
    assert found["configuration"].splitlines() == [
        f"PROBLEM configuration: machine file {path} (present), {user_file_source()}",
        f"  -> {words}",
        f"  -> IT sets options in the machine-wide file {path}, in WORKBENCH_* environment "
        "variables or on the command line (see README, 'Configuration for IT').",
    ]
    assert found["database"].startswith("OK      database:")  # checked all the same
    assert [found[part] for part in ("keyring", "certificate", "portal")] == [
        f"SKIPPED {part}: the configuration has problems (see configuration)"
        for part in ("keyring", "certificate", "portal")]


def test_the_command_line_and_environment_are_named_as_sources(capsys, options, portal,
                                                               monkeypatch):
    write_machine_config({name: value for name, value in options.items()
                          if name != "portal_url"})
    monkeypatch.setenv("WORKBENCH_RETRIES", "2")
    status, out, _err = check(capsys, "--portal", portal.base_url)
    assert status == cli.EXIT_OK, out
    assert f"(present), {user_file_source()}, environment WORKBENCH_RETRIES, command line " \
        "--portal, values usable" in parts(out)["configuration"]


# -- the database ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["postgresql", "sqlite inside a file"])
def test_a_database_that_cannot_be_opened(capsys, options, tmp_path, kind):
    if kind == "postgresql":
        url = f"postgresql://workbench:geheim-wachtwoord@127.0.0.1:{closed_port()}/workbench"
        words = ["  -> The database cannot be opened: ", "Check database_url, the server and "
                 "the password."]
    else:
        (tmp_path / "notities.txt").write_text("geen map", encoding="utf-8")
        url = f"sqlite:///{tmp_path / 'notities.txt' / 'workbench.sqlite3'}"
        words = [f"  -> The SQLite store {tmp_path / 'notities.txt' / 'workbench.sqlite3'} "
                 f"cannot be created: {tmp_path / 'notities.txt'} is a file, not a folder. "
                 "Check data_dir and database_url."]
    write_machine_config(options | {"database_url": url})
    status, out, _err = check(capsys)
    assert status == cli.EXIT_DATABASE, out
    found = parts(out)
    assert found["database"].startswith("PROBLEM database: ")
    assert all(word in found["database"] for word in words), found["database"]
    assert found["migrations"] == "SKIPPED migrations: the database cannot be opened (see " \
        "database)"
    assert "geheim-wachtwoord" not in out
    assert found["portal"].startswith("OK      portal:")  # the rest is still checked


def test_a_workstation_store_at_an_older_migration_is_migrated_on_start(capsys, options,
                                                                       data_dir):
    migrated_store(data_dir, "0002")
    write_machine_config(options)
    status, out, _err = check(capsys)
    assert status == cli.EXIT_OK, out
    assert parts(out)["migrations"] == "OK      migrations: this version needs " \
        f"{database.head_revision()}, at 0002, will be migrated on first start after a backup"


@pytest.mark.parametrize("migrated, statement, words", [
    (True, "UPDATE alembic_version SET version_num = '0099'",
     "database schema is at 0099, made by a newer Workbench than this one "
     f"({database.head_revision()}): install the newer version on this workstation"),
    (False, "CREATE TABLE agenda (id INTEGER PRIMARY KEY, wie TEXT)",
     "The database holds other tables (agenda) and no Workbench migrations: it is not a "
     "Workbench store."),
])
def test_a_store_the_app_would_not_open(capsys, options, data_dir, migrated, statement, words):
    path = migrated_store(data_dir) if migrated else data_dir / "workbench.sqlite3"
    engine = database.make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text(statement))
    engine.dispose()
    write_machine_config(options)
    status, out, _err = check(capsys)
    assert status == cli.EXIT_DATABASE, out
    found = parts(out)
    assert found["migrations"].startswith(
        f"PROBLEM migrations: this version needs {database.head_revision()}\n  -> ")
    assert words in found["migrations"]


@pytest.mark.postgres
def test_a_shared_database_not_migrated_says_how_to_upgrade(capsys, options):
    from tests.conftest import _fresh_postgres
    write_machine_config(options | {"database_url": _fresh_postgres()})
    status, out, _err = check(capsys)
    assert status == cli.EXIT_DATABASE, out
    found = parts(out)
    assert found["database"].startswith("OK      database: postgresql+psycopg://")
    assert found["migrations"].splitlines() == [
        f"PROBLEM migrations: this version needs {database.head_revision()}",
        "  -> The database is not migrated to this version: database schema is at nothing, this "
        f"version needs {database.head_revision()}. Run `workbench db upgrade` (after a backup).",
    ]


# -- keyring and portal ---------------------------------------------------------------------------
def test_no_credentials_in_the_keyring(capsys, options, portal):
    write_machine_config(options | {"auth": "bearer"})
    status, out, _err = check(capsys)
    assert status == cli.EXIT_CREDENTIALS, out
    assert parts(out)["keyring"].splitlines() == [
        "PROBLEM keyring: file PlaintextKeyring",
        "  -> No portal credentials in the keyring for this workstation: run "
        "`workbench credentials set`.",
    ]


def test_a_computer_without_a_keyring(capsys, options, portal):
    # keyring's own stand-in where no OS keyring is found (a Linux server without a session).
    import keyring
    from keyring.backends.fail import Keyring as NoKeyring
    keyring.set_keyring(NoKeyring())
    write_machine_config(options | {"auth": "bearer"})
    status, out, _err = check(capsys)
    assert status == cli.EXIT_CREDENTIALS, out
    found = parts(out)
    assert found["keyring"].startswith("PROBLEM keyring: fail Keyring\n  -> The OS keyring "
                                       "cannot be used (No recommended backend was available.")
    assert found["portal"].startswith("OK      portal:")  # still checked, without credentials


def test_credentials_the_portal_rejects(capsys, options, start_portal):
    locked = start_portal(seed=3, consults=20, photo_size=(200, 150), token="praktijk-token")
    write_machine_config(options | {"portal_url": locked.base_url, "auth": "bearer"})
    SecretStore().set_portal_credentials(locked.base_url,
                                         PortalCredentials("bearer", token="oud-token"))
    status, out, _err = check(capsys)
    assert status == cli.EXIT_CREDENTIALS, out
    found = parts(out)
    assert "credentials present (bearer token)" in found["keyring"]
    assert found["portal"].splitlines() == [
        f"PROBLEM portal: {locked.base_url}",
        f"  -> The portal rejected this workstation's credentials ({locked.base_url}). Store "
        "new ones with `workbench credentials set`.",
    ]
    assert "oud-token" not in out


@pytest.mark.parametrize("scheme, certificate", [
    ("http", "OK      certificate: not used (loopback http)"),
    ("https", "SKIPPED certificate: the portal cannot be reached, so its certificate was not "
              "seen (see portal)"),
])
def test_a_portal_that_cannot_be_reached(capsys, options, scheme, certificate):
    url = f"{scheme}://127.0.0.1:{closed_port()}/fhir"
    write_machine_config(options | {"portal_url": url})
    status, out, _err = check(capsys)
    assert status == cli.EXIT_PORTAL, out
    found = parts(out)
    assert found["certificate"] == certificate
    assert found["portal"].startswith(f"PROBLEM portal: {url}\n  -> The portal cannot be "
                                      f"reached ({url}): check the network, the address and "
                                      "whether the portal is up.")


# -- certificates ---------------------------------------------------------------------------------
def test_a_self_signed_portal_certificate_is_not_trusted(capsys, options, tls_portal_url):
    write_machine_config(options | {"portal_url": tls_portal_url})
    status, out, _err = check(capsys)
    assert status == cli.EXIT_CERTIFICATE, out
    found = parts(out)
    assert found["certificate"].startswith("PROBLEM certificate: default CA list ")
    assert f"  -> The portal's certificate is not trusted ({tls_portal_url}). If the practice " \
        "uses its own certificate authority, set ca_bundle to its PEM file." \
        in found["certificate"]
    assert found["portal"] == "SKIPPED portal: its certificate is not trusted (see certificate)"


@pytest.mark.parametrize("case", ["ca_bundle missing", "ca_bundle not PEM",
                                  "client key of another certificate"])
def test_certificate_files_that_cannot_be_used(capsys, options, tls_portal_url, certificates,
                                               tmp_path, case):
    missing, text_file = tmp_path / "praktijk-ca.pem", tmp_path / "leesmij.txt"
    text_file.write_text("Dit is geen certificaat.\n", encoding="utf-8")
    changes, words = {
        "ca_bundle missing": (
            {"ca_bundle": str(missing)},
            f"  -> ca_bundle {missing} cannot be read: No such file or directory. Put the "
            "practice's PEM file there or correct ca_bundle."),
        "ca_bundle not PEM": (
            {"ca_bundle": str(text_file)},
            f"  -> ca_bundle {text_file} holds no PEM certificates"),
        "client key of another certificate": (
            {"ca_bundle": str(certificates["server"]), "client_cert": str(certificates["server"]),
             "client_key": str(certificates["other_key"])},
            f"  -> client_cert {certificates['server']} and client_key "
            f"{certificates['other_key']} are not a PEM certificate with its unencrypted key"),
    }[case]
    write_machine_config(options | {"portal_url": tls_portal_url} | changes)
    status, out, _err = check(capsys)
    assert status == cli.EXIT_CERTIFICATE, out
    found = parts(out)
    assert found["certificate"].startswith("PROBLEM certificate: ")
    assert words in found["certificate"], found["certificate"]
    assert found["portal"] == "SKIPPED portal: the certificate files are not usable (see " \
        "certificate)"
