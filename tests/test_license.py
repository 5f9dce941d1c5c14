"""Workbench is GPL-3.0-or-later (it depends on clinlp, GPL-3.0): the license text, the
declaration in pyproject.toml, the third-party licenses of every runtime dependency (none of
them GPL-incompatible), and the installers carrying both files."""

from __future__ import annotations

import re
import runpy
import sys
import tomllib
from importlib.metadata import metadata
from pathlib import Path
from types import SimpleNamespace

import pytest
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
THIRD_PARTY = ROOT / "resources" / "licenses" / "THIRD-PARTY-LICENSES.txt"

sys.path.insert(0, str(ROOT / "tools"))
import third_party_licenses as tpl  # noqa: E402

sys.path.remove(str(ROOT / "tools"))


def _table(text: str) -> dict[str, tuple[str, str]]:
    """The summary table of the third-party file: name -> (version, license)."""
    rows = text.split("\n\n")[2].splitlines()[2:]  # after the heading and the dashes
    table = {}
    for row in rows:
        name, version, license_ = row.split(maxsplit=2)
        table[canonicalize_name(name)] = (version, license_)
    return table


def test_the_license_is_the_gnu_gpl_version_3():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.split()[:6] == ["GNU", "GENERAL", "PUBLIC", "LICENSE", "Version", "3,"]
    assert "29 June 2007" in text.splitlines()[1]
    for words in ("TERMS AND CONDITIONS", "15. Disclaimer of Warranty.",
                  "END OF TERMS AND CONDITIONS", "How to Apply These Terms to Your New Programs"):
        assert words in text
    assert 34_000 < len(text) < 36_000  # the whole text, not a summary


def test_pyproject_declares_gpl_3_or_later_and_depends_on_clinlp():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["license"] == "GPL-3.0-or-later"
    assert project["license-files"] == ["LICENSE"]
    assert any(canonicalize_name(d.split(">")[0].split("<")[0].split("=")[0].strip()) == "clinlp"
               for d in project["dependencies"])
    # The installed metadata says so too (after `pip install -e .`).
    assert metadata("workbench")["License-Expression"] == "GPL-3.0-or-later"


def test_the_third_party_file_lists_every_installed_runtime_dependency():
    table = _table(THIRD_PARTY.read_text(encoding="utf-8"))
    installed = {canonicalize_name(d.metadata["Name"]) for d in tpl.runtime_distributions()}
    assert {"clinlp", "spacy", "pyside6-essentials", "sqlalchemy", "numpy"} <= installed
    missing = sorted(installed - set(table))
    assert not missing, f"run python tools/third_party_licenses.py: {missing} missing"
    assert "python" in table  # the interpreter the frozen app carries
    # No test or build tool.
    assert not {"pytest", "pytest-qt", "keyrings-alt", "pyinstaller"} & set(table)
    text = THIRD_PARTY.read_text(encoding="utf-8")
    for dist in tpl.runtime_distributions():  # and a section with the license text for each
        name = dist.metadata["Name"]
        assert re.search(rf"^{re.escape(name)} \S+\nLicense: .+\n=+\n\n--- ", text, re.MULTILINE), name


def test_no_third_party_license_is_gpl_incompatible():
    table = _table(THIRD_PARTY.read_text(encoding="utf-8"))
    for name, (_version, license_) in table.items():
        lowered = license_.lower()
        assert "unknown" not in lowered, name
        assert tpl.gpl_compatible(license_), f"{name}: {license_}"
        for word in ("proprietary", "sspl", "commercial", "non-commercial", "cc-by-nc"):
            assert word not in lowered, f"{name}: {license_}"
    assert table["clinlp"][1].startswith("GPL-3.0")
    assert table["pyside6-essentials"][1].startswith("LGPL-3.0")


@pytest.mark.parametrize(("expression", "compatible"), [
    ("MIT", True),
    ("Apache-2.0 OR BSD-3-Clause", True),
    ("LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only", True),
    ("MPL-2.0 AND MIT", True),
    ("GPL-2.0-or-later WITH Bootloader-exception", True),
    ("GPL-2.0-only", False),  # not with version 3
    ("SSPL-1.0", False),
    ("LicenseRef-Proprietary", False),
    ("MIT AND LicenseRef-Commercial", False),
    ("CC-BY-NC-4.0", False),
    ("UNKNOWN", False),
])
def test_gpl_compatibility_of_license_expressions(expression, compatible):
    assert tpl.gpl_compatible(expression) is compatible


def test_the_third_party_file_is_up_to_date_with_this_environment():
    # Versions move with every `pip install`: the names and licenses must match; the build
    # (build_installer.py) writes the file anew from the environment it bundles.
    written = _table(THIRD_PARTY.read_text(encoding="utf-8"))
    now = _table(tpl.render(tpl.packages()))
    assert {n: lic for n, (_v, lic) in written.items()} == {n: lic for n, (_v, lic) in now.items()}


def test_the_frozen_app_ships_the_license_and_the_third_party_file(monkeypatch):
    pytest.importorskip("PyInstaller")
    captured = {}

    def stub(name):
        def record(*args, **kwargs):
            captured[name] = (args, kwargs)
            return SimpleNamespace(pure=[], scripts=[], binaries=[], datas=[])
        return record

    names = {"SPECPATH": str(ROOT / "packaging")}
    names.update({name: stub(name) for name in ("Analysis", "PYZ", "EXE", "COLLECT")})
    runpy.run_path(str(ROOT / "packaging" / "workbench.spec"), init_globals=names)
    _args, analysis = captured["Analysis"]
    shipped = {(Path(source).resolve(), target) for source, target in analysis["datas"]}
    assert ((ROOT / "LICENSE").resolve(), "resources/licenses") in shipped
    assert (THIRD_PARTY.resolve(), "resources/licenses") in shipped
    # clinlp's hook: its data, the metadata spaCy's and clinlp's registry and version read.
    hooks = [Path(p) for p in analysis["hookspath"]]
    hook = next(h / "hook-clinlp.py" for h in hooks if (h / "hook-clinlp.py").is_file())
    text = hook.read_text(encoding="utf-8")
    assert 'collect_data_files("clinlp")' in text
    assert '"clinlp", "spacy"' in text and "copy_metadata(name)" in text
    assert "clinlp" in analysis["hiddenimports"]


def test_the_packages_carry_the_license_beside_the_program(tmp_path, monkeypatch):
    import build_installer
    bundle, build = tmp_path / "dist" / "workbench", tmp_path / "build"
    bundle.mkdir(parents=True)
    (build / "icon").mkdir(parents=True)
    (build / "icon" / "workbench.png").write_bytes(b"png")
    monkeypatch.setattr(build_installer, "BUNDLE", bundle)
    monkeypatch.setattr(build_installer, "BUILD", build)
    build_installer.add_bundle_extras("0.1.0")
    license_name = "LICENSE.txt" if build_installer.WINDOWS else "LICENSE"
    assert (bundle / license_name).read_text("utf-8") == (ROOT / "LICENSE").read_text("utf-8")
    assert (bundle / "THIRD-PARTY-LICENSES.txt").read_bytes() == THIRD_PARTY.read_bytes()
    # The Windows installer takes the whole folder; install.sh copies it to /opt/workbench.
    iss = (ROOT / "packaging" / "workbench.iss").read_text("utf-8")
    assert 'Source: "{#SourceDir}\\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs' in iss
