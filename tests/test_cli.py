"""The command line as IT and scripts use it: JSON output, words for failures, exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench import cli
from workbench.services.secrets import PortalCredentials, SecretStore
from workbench.store import database


@pytest.fixture
def portal(start_portal):
    return start_portal(seed=2, consults=80, photo_size=(200, 150))


@pytest.fixture
def locked_portal(start_portal):
    return start_portal(seed=2, consults=80, photo_size=(200, 150), token="praktijk-token")


def run(capsys, *argv) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_sync_once_json_and_stats_json(capsys, portal, tmp_path):
    common = ["--portal", portal.base_url, "--data-dir", str(tmp_path)]
    status, out, _err = run(capsys, "sync", "--once", "--json", *common,)
    assert status == 0
    result = json.loads(out)
    assert {"fetched", "created", "updated", "attachments", "quarantined", "errors"} <= set(result)
    assert result["created"] == len(portal.dataset.valid_message_ids)
    status, out, _err = run(capsys, "stats", "--json", *common)
    stats = json.loads(out)
    assert stats["econsults"] == len(portal.dataset.valid_root_ids)
    assert stats["messages"] == result["created"]
    assert stats["attachments_stored"] == stats["attachments"] > 0
    assert stats["quarantined"] == 0
    status, out, _err = run(capsys, "sync", "--once", "--json", *common)
    assert json.loads(out)["created"] == 0


def test_credentials_from_the_keyring_open_a_locked_portal(capsys, locked_portal, tmp_path,
                                                           monkeypatch):
    common = ["--portal", locked_portal.base_url, "--data-dir", str(tmp_path)]
    status, _out, err = run(capsys, "sync", "--once", *common)
    assert status == cli.EXIT_CREDENTIALS
    assert "rejected this workstation's credentials" in err
    assert "workbench credentials set" in err

    monkeypatch.setattr("sys.stdin", _Stdin("praktijk-token\n"))
    status, out, _err = run(capsys, "credentials", "set", *common)
    assert status == 0
    assert SecretStore().get_portal_credentials(locked_portal.base_url) == \
        PortalCredentials("bearer", token="praktijk-token")
    status, _out, _err = run(capsys, "sync", "--once", *common)
    assert status == 0
    # The secret is in the keyring file only, nowhere in the data folder.
    for path in Path(tmp_path).rglob("*"):
        if path.is_file() and "keyring" not in path.name:
            assert b"praktijk-token" not in path.read_bytes(), path


class _Stdin:
    def __init__(self, text):
        self._lines = iter(text.splitlines(keepends=True))

    def isatty(self):
        return False

    def readline(self):
        return next(self._lines, "")


def test_unreachable_portal_is_explained(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_RETRIES", "1")
    status, _out, err = run(capsys, "sync", "--once", "--portal", "http://127.0.0.1:9/fhir",
                            "--data-dir", str(tmp_path))
    assert status == cli.EXIT_PORTAL
    assert "cannot be reached" in err


def test_insecure_portal_address_is_refused(capsys, tmp_path):
    status, _out, err = run(capsys, "sync", "--once", "--portal",
                            "http://portaal.example.nl/fhir", "--data-dir", str(tmp_path))
    assert status == cli.EXIT_CONFIG
    assert "must start with https://" in err


def test_missing_portal_configuration_says_how_to_set_it(capsys, tmp_path):
    status, _out, err = run(capsys, "sync", "--once", "--data-dir", str(tmp_path))
    assert status == cli.EXIT_CONFIG
    assert "portal_url" in err and "machine-wide" in err


def test_unmigrated_shared_database_is_explained(capsys, tmp_path, portal):
    from tests.conftest import _fresh_postgres
    url = _fresh_postgres()
    status, _out, err = run(capsys, "sync", "--once", "--portal", portal.base_url,
                            "--database", url, "--data-dir", str(tmp_path))
    assert status == cli.EXIT_DATABASE
    assert "workbench db upgrade" in err
    status, out, _err = run(capsys, "db", "upgrade", "--database", url)
    assert status == 0 and database.head_revision() in out
    status, _out, _err = run(capsys, "sync", "--once", "--portal", portal.base_url,
                             "--database", url, "--data-dir", str(tmp_path))
    assert status == 0


def test_wrong_database_password_is_explained(capsys, tmp_path):
    status, _out, err = run(capsys, "stats", "--database",
                            "postgresql://nobody:wrong@127.0.0.1:1/none")
    assert status == cli.EXIT_DATABASE
    assert "cannot be opened" in err


def test_check_reports_each_part(capsys, portal, tmp_path):
    common = ["--portal", portal.base_url, "--data-dir", str(tmp_path)]
    run(capsys, "db", "upgrade", *common)
    status, out, _err = run(capsys, "check", *common)
    assert status == cli.EXIT_CREDENTIALS  # auth is bearer by default and nothing is stored
    assert "OK      database" in out and "PROBLEM keyring" in out and "OK      portal" in out
    SecretStore().set_portal_credentials(portal.base_url, PortalCredentials("bearer", token="t"))
    status, out, _err = run(capsys, "check", *common)
    assert status == 0, out


def test_demo_portal_command_prints_its_address_first():
    process = subprocess.Popen([sys.executable, "-m", "workbench.cli", "demo-portal",
                                "--consults", "80", "--photo-size", "100x80"],
                               stdout=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline().strip()
        assert first.startswith("listening on http://127.0.0.1:") and first.endswith("/fhir")
    finally:
        process.terminate()
        process.wait(10)


def test_headless_demo_pulls_the_demo_portal(tmp_path):
    finished = subprocess.run([sys.executable, "-m", "workbench.cli", "--demo", "--headless"],
                              capture_output=True, text=True, timeout=180)
    assert finished.returncode == 0, finished.stderr
    assert "Pulled" in finished.stdout and '"econsults": ' in finished.stdout


def test_export_declarations_needs_a_sign_in(capsys, tmp_path, monkeypatch):
    """The file holds BSNs: whoever exports signs in first (the export itself: see
    tests/test_cli_users.py)."""
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    engine = database.make_engine(url)
    database.upgrade(engine)
    engine.dispose()
    monkeypatch.setattr("builtins.input", lambda prompt="": "dr.jansen")
    monkeypatch.setattr("getpass.getpass", lambda prompt="", stream=None: "geen idee wat")
    output = tmp_path / "declaraties.csv"
    status, _out, err = run(capsys, "export", "declarations", "--from", "2026-11-01",
                            "--to", "30-11-2026", "-o", str(output), "--database", url)
    assert status == cli.EXIT_CREDENTIALS and "Wrong user name or password" in err
    assert not output.exists()
    status, _out, err = run(capsys, "export", "declarations", "--from", "gisteren",
                            "--to", "2026-11-30", "--database", url)
    assert status == cli.EXIT_CONFIG and "Not a date" in err


def test_a_computer_without_a_keyring_is_explained(capsys, monkeypatch, tmp_path):
    import keyring
    from keyring.backends.fail import Keyring as NoKeyring
    keyring.set_keyring(NoKeyring())
    monkeypatch.setattr("sys.stdin", _Stdin("praktijk-token\n"))
    status, _out, err = run(capsys, "credentials", "set", "--portal",
                            "https://portaal.example.nl/fhir")
    assert status == cli.EXIT_CREDENTIALS
    assert "The OS keyring cannot be used" in err and "Secret Service" in err


def test_db_upgrade_backs_up_a_sqlite_store_first(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    engine = database.make_engine(url)
    database.upgrade(engine, "0003")
    engine.dispose()
    status, out, _err = run(capsys, "db", "upgrade", "--database", url)
    assert status == 0
    assert f"Database at migration {database.head_revision()} (was 0003)." in out
    [backup] = (tmp_path / "backups").glob("store-0003-*.sqlite3")
    assert f"Backup of the store: {backup}" in out


def _machine_config(text: str) -> None:
    import os
    path = Path(os.environ["WORKBENCH_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_mail_password_goes_into_the_keyring_only(capsys, tmp_path, monkeypatch):
    from workbench.services.mail.credentials import get_mail_password
    status, _out, err = run(capsys, "credentials", "set", "--channel", "mail",
                            "--data-dir", str(tmp_path))
    assert status == cli.EXIT_CONFIG and "mail_account" in err

    _machine_config('mail_imap_host = "mail.zorgmail.example"\n'
                    'mail_account = "praktijk.delinde"\n'
                    'mail_address = "praktijk@delinde.example"\n')
    monkeypatch.setattr("sys.stdin", _Stdin("geheim-wachtwoord\n"))
    status, out, _err = run(capsys, "credentials", "set", "--channel", "mail",
                            "--data-dir", str(tmp_path))
    assert status == 0, _err
    assert "praktijk.delinde" in out and "geheim" not in out
    assert get_mail_password("praktijk.delinde", "mail.zorgmail.example") == "geheim-wachtwoord"
    status, _out, _err = run(capsys, "credentials", "delete", "--channel", "mail",
                             "--data-dir", str(tmp_path))
    assert status == 0
    assert get_mail_password("praktijk.delinde", "mail.zorgmail.example") is None


def test_a_mail_channel_that_could_send_in_plain_text_is_refused(capsys, tmp_path):
    _machine_config('mail_imap_host = "mail.zorgmail.example"\n'
                    'mail_account = "praktijk.delinde"\n'
                    'mail_address = "praktijk@delinde.example"\n'
                    'mail_smtp_security = "none"\n')
    status, _out, err = run(capsys, "credentials", "set", "--channel", "mail",
                            "--data-dir", str(tmp_path))
    assert status == cli.EXIT_CONFIG
    assert "mail_smtp_security" in err and "plain text" in err
