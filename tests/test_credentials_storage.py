"""Portal secrets typed at `workbench credentials set` live in the OS keyring and nowhere else:
they read back from the keyring as typed, no file Workbench writes holds them, nothing prints
them, and `workbench credentials delete` takes them away again."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from tests.test_cli import _Stdin  # standard input as a scripted install pipes it
from workbench import cli
from workbench.config import load_settings, machine_config_in_use, user_config_path
from workbench.logsetup import log_dir
from workbench.services.secrets import PortalCredentials, SecretStore


def run(capsys, *argv: str) -> tuple[int, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


@pytest.mark.parametrize("kind, typed, expected", [
    ("bearer", "praktijk-token-7f3a9c\n",
     PortalCredentials("bearer", token="praktijk-token-7f3a9c")),
    ("basic", "wachtwoord-5e81d2\n",
     PortalCredentials("basic", username="assistent.noord", password="wachtwoord-5e81d2")),
])
def test_credentials_live_in_the_keyring_only(capsys, monkeypatch, start_portal, keyring_backend,
                                              kind, typed, expected):
    secret = typed.strip()
    # The bearer token is the one the portal asks for; the open demo portal takes basic too.
    portal = start_portal(seed=4, consults=20, photo_size=(200, 150),
                          token=secret if kind == "bearer" else None)
    write(machine_config_in_use(), f"portal_url = {json.dumps(portal.base_url)}\n"
                                   f"auth = {json.dumps(kind)}\n")
    write(user_config_path(), 'language = "nl"\n')
    extra = ["--username", expected.username] if kind == "basic" else []

    monkeypatch.setattr("sys.stdin", _Stdin(typed))
    status, printed = run(capsys, "credentials", "set", "--kind", kind, *extra)
    assert status == cli.EXIT_OK
    assert printed == f"Credentials for {portal.base_url} stored in the OS keyring.\n"
    assert SecretStore().get_portal_credentials(portal.base_url) == expected

    # Put files in every folder Workbench writes: the store, attachments, the log.
    outputs = [printed]
    for argv in (["sync", "--once"], ["check"]):
        status, printed = run(capsys, *argv)
        assert status == cli.EXIT_OK, printed
        outputs.append(printed)
    assert "credentials present" in outputs[-1]

    folders = [load_settings().resolved_data_dir(), user_config_path().parent,
               machine_config_in_use().parent, log_dir()]
    # The test keyring is a plain file (conftest): it must lie outside the scanned folders, as
    # the OS keyring does, or this test would only find the secret where it belongs.
    keyring_file = Path(keyring_backend.file_path)
    assert not any(keyring_file.is_relative_to(folder) for folder in folders)
    # The secret as typed, and as the Authorization header would carry it.
    needles = [secret.encode(), base64.b64encode(f"{expected.username}:{secret}".encode())]
    for folder in folders:
        assert files_under(folder), f"nothing written in {folder}"
        for path in files_under(folder):
            content = path.read_bytes()
            assert not any(needle in content for needle in needles), path
    assert not any(secret in output for output in outputs)

    status, printed = run(capsys, "credentials", "delete")
    assert status == cli.EXIT_OK
    assert printed == "Credentials removed from the keyring.\n"
    assert SecretStore().get_portal_credentials(portal.base_url) is None
    status, printed = run(capsys, "check")
    assert status == cli.EXIT_CREDENTIALS
    assert "No portal credentials in the keyring for this workstation" in printed
