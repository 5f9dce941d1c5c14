"""What IT installs beside the program: install.sh, the menu entry and the example configuration.
(The frozen bundle itself is built and self-tested by `build_installer.py`, which CI runs.)"""

from __future__ import annotations

import configparser
import os
import subprocess
from pathlib import Path

import pytest

from workbench.config import example_config, machine_config_path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"


def _bundle(folder: Path, version: str) -> Path:
    """A bundle as build_installer.py lays it out, with a stand-in program."""
    folder.mkdir(parents=True)
    program = folder / "workbench"
    program.write_text(f"#!/bin/sh\necho workbench {version}\n")
    program.chmod(0o755)
    for name in ("workbench.desktop", "install.sh"):
        (folder / name).write_bytes((PACKAGING / name).read_bytes())
    (folder / "install.sh").chmod(0o755)
    (folder / "workbench.toml.example").write_text(example_config())
    (folder / "VERSION").write_text(version + "\n")
    return folder


def _install(bundle: Path, root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", str(bundle / "install.sh"), *args], capture_output=True,
                          text=True, env={**os.environ, "DESTDIR": str(root)}, timeout=60)


def test_install_sh_installs_upgrades_and_keeps_the_configuration(tmp_path):
    root = tmp_path / "root"
    practice = tmp_path / "praktijk.toml"
    practice.write_text('portal_url = "https://portaal.example.nl/fhir"\n')
    done = _install(_bundle(tmp_path / "v1", "0.1.0"), root, "--config", str(practice))
    assert done.returncode == 0, done.stderr
    assert "Workbench 0.1.0 installed" in done.stdout
    program = root / "opt/workbench/workbench"
    assert subprocess.run([program], capture_output=True, text=True).stdout == "workbench 0.1.0\n"
    assert os.readlink(root / "usr/local/bin/workbench") == "/opt/workbench/workbench"
    assert (root / "usr/share/applications/workbench.desktop").is_file()
    config_dir = root / "etc/xdg/workbench"
    assert (config_dir / "workbench.toml").read_text() == practice.read_text()
    assert (config_dir / "workbench.toml.example").read_text() == example_config()

    # An upgrade replaces the program and keeps the practice's configuration.
    done = _install(_bundle(tmp_path / "v2", "0.2.0"), root)
    assert done.returncode == 0, done.stderr
    assert subprocess.run([program], capture_output=True, text=True).stdout == "workbench 0.2.0\n"
    assert (config_dir / "workbench.toml").read_text() == practice.read_text()
    assert sorted(path.name for path in (root / "opt").iterdir()) == ["workbench"]


def test_install_sh_without_configuration_says_what_to_do_next(tmp_path):
    done = _install(_bundle(tmp_path / "bundle", "0.1.0"), tmp_path / "root")
    assert done.returncode == 0, done.stderr
    assert "write /etc/xdg/workbench/workbench.toml" in done.stdout
    assert "workbench credentials set" in done.stdout


def test_install_sh_refuses_a_missing_option_value_and_unknown_options(tmp_path):
    bundle = _bundle(tmp_path / "bundle", "0.1.0")
    assert _install(bundle, tmp_path / "root", "--silent").returncode == 2
    assert not (tmp_path / "root").exists()


def test_the_installed_paths_are_the_ones_the_app_reads(monkeypatch):
    # install.sh writes /etc/xdg/workbench/workbench.toml; the app must look exactly there.
    monkeypatch.delenv("XDG_CONFIG_DIRS", raising=False)
    if os.name != "posix" or os.uname().sysname != "Linux":
        pytest.skip("Linux layout")
    assert machine_config_path() == Path("/etc/xdg/workbench/workbench.toml")
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(PACKAGING / "workbench.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"].split()[0] == "/opt/workbench/workbench"
    assert desktop["Icon"] == "/opt/workbench/workbench.png"
    assert desktop["Terminal"] == "false"


def test_the_windows_installer_puts_the_configuration_where_the_app_reads_it():
    script = (PACKAGING / "workbench.iss").read_text(encoding="utf-8")
    # platformdirs' site_config_dir without an author folder is C:\ProgramData\workbench.
    assert 'DestDir: "{commonappdata}\\workbench"; DestName: "workbench.toml"' in script
    assert "PrivilegesRequired=admin" in script  # per machine, for every user
    assert "OutputBaseFilename=WorkbenchSetup-{#AppVersion}" in script


def test_install_sh_uninstalls_the_program_and_keeps_the_configuration(tmp_path):
    root = tmp_path / "root"
    practice = tmp_path / "praktijk.toml"
    practice.write_text('portal_url = "https://portaal.example.nl/fhir"\n')
    assert _install(_bundle(tmp_path / "v1", "0.1.0"), root, "--config",
                    str(practice)).returncode == 0
    done = _install(root / "opt/workbench", root, "--uninstall")  # the installed copy's script
    assert done.returncode == 0, done.stderr
    assert "Workbench removed" in done.stdout
    assert not (root / "opt/workbench").exists()
    assert not (root / "usr/share/applications/workbench.desktop").exists()
    assert not os.path.lexists(root / "usr/local/bin/workbench")
    assert (root / "etc/xdg/workbench/workbench.toml").read_text() == practice.read_text()


def test_the_self_test_checks_the_urgency_advice_on_an_alarm_and_a_negated_message(monkeypatch):
    # `workbench --self-test` (and so the frozen app's, in build_installer.py) fails with the
    # reason when the clinlp pipeline is missing or gives the wrong advice.
    from workbench.services import urgency
    from workbench.ui.app import ADVICE_CHECKS, advice_problems
    assert [urgent for _text, urgent in ADVICE_CHECKS] == [True, False]
    assert advice_problems() == []
    monkeypatch.setattr(urgency, "advise_request",
                        lambda request: {"urgent": True, "groups": ["chest"], "words": []})
    [problem] = advice_problems()
    assert "expected False" in problem and "geen pijn op de borst" in problem

    def broken(request):
        raise OSError("clinlp's context_rules.json is missing")
    monkeypatch.setattr(urgency, "advise_request", broken)
    [problem] = advice_problems()
    assert problem.startswith("urgency advice does not work: OSError")
