"""Build the Workbench app bundle and its installer.

    python build_installer.py                 # bundle, self-test, package
    python build_installer.py --skip-package  # bundle and self-test only

Steps: the third-party license list (`tools/third_party_licenses.py`, from this environment's
installed packages); the icons from `resources/icons/workbench.svg`; PyInstaller with
`packaging/workbench.spec` into `dist/workbench/` (debug information stripped on Linux); the
frozen app's self-test (window offscreen against the demo portal, one pull, urgency advice on
an alarm and a negated message, exit 0); then the package: on Windows a per-machine installer
from `packaging/workbench.iss` (Inno Setup 6), on Linux
`dist/workbench-<version>-linux-<arch>.tar.gz` with a `.desktop` file. Both carry LICENSE (GPL-3.0-or-later) and THIRD-PARTY-LICENSES.txt at
the top of the program folder. The version is `workbench.__version__` (pyproject.toml reads it
from there).

Needs the build extra: `pip install -e '.[build]'`.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from importlib.metadata import version as installed_version
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PACKAGING = ROOT / "packaging"
DIST = ROOT / "dist"
BUILD = ROOT / "build"
BUNDLE = DIST / "workbench"
LICENSES = ROOT / "resources" / "licenses"
WINDOWS = sys.platform == "win32"
SELF_TEST_TIMEOUT_S = 300


class BuildError(Exception):
    """A step that failed, in words; the build stops with exit status 1."""


def project_version() -> str:
    """The one version: workbench.__version__ (pyproject.toml's dynamic version), which the
    installed metadata must match."""
    import ast
    source = (ROOT / "workbench" / "__init__.py").read_text("utf-8")
    declared = next(ast.literal_eval(node.value) for node in ast.parse(source).body
                    if isinstance(node, ast.Assign)
                    and any(getattr(t, "id", "") == "__version__" for t in node.targets))
    installed = installed_version("workbench")
    if installed != declared:
        raise BuildError(f"pyproject.toml says {declared} but the installed package is "
                         f"{installed}: run `pip install -e '.[build]'` again")
    return declared


def write_third_party_licenses() -> None:
    """The licenses of exactly the packages this environment bundles (the app shows the file,
    the installers carry it); stops the build if one is not known to be GPL-3.0-compatible."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import third_party_licenses
    finally:
        sys.path.pop(0)
    if third_party_licenses.main([]) != 0:
        raise BuildError("a runtime dependency's license is not known to be GPL-3.0-compatible "
                         "(see above); Workbench is GPL-3.0-or-later")


def make_icons(target: Path) -> None:
    """PNG (Linux, window) and ICO (Windows) rendered from the one SVG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(ROOT / "resources" / "icons" / "workbench.svg"))
    if not renderer.isValid():
        raise BuildError("resources/icons/workbench.svg is not a valid SVG")
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    target.mkdir(parents=True, exist_ok=True)
    png = target / "workbench.png"
    image.save(str(png))
    with Image.open(png) as picture:
        picture.save(target / "workbench.ico",
                     sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (256, 256)])


def run_pyinstaller() -> None:
    import PyInstaller.__main__
    PyInstaller.__main__.run([str(PACKAGING / "workbench.spec"), "--noconfirm", "--clean",
                              "--log-level", "WARN", "--distpath", str(DIST),
                              "--workpath", str(BUILD / "pyinstaller")])
    if not frozen_executable().is_file():
        raise BuildError(f"PyInstaller made no {frozen_executable()}")


def strip_debug_info() -> None:
    """On Linux, drop the debug information that spaCy's, thinc's, blis' and other wheels'
    compiled modules carry (a third of the bundle with the clinlp pipeline); symbols stay, so
    tracebacks and the libraries work as before. Only files with debug information and without
    an RPATH: auditwheel's patchelf-edited libraries (numpy's OpenBLAS) break when stripped.
    Windows' .pyd files carry none."""
    strip, readelf = shutil.which("strip"), shutil.which("readelf")
    if WINDOWS or strip is None or readelf is None:
        return
    candidates = [path for path in (BUNDLE / "_internal").rglob("*.so*")
                  if path.is_file() and not path.is_symlink() and _is_elf(path)
                  and not path.parent.name.endswith(".libs")]
    libraries = []
    for path in candidates:
        shown = subprocess.run([readelf, "-S", "-d", "-W", str(path)], capture_output=True,
                               text=True, check=False).stdout
        if ".debug_info" in shown and "RPATH" not in shown and "RUNPATH" not in shown:
            libraries.append(path)
    for start in range(0, len(libraries), 100):
        subprocess.run([strip, "--strip-debug", *map(str, libraries[start:start + 100])],
                       check=False, capture_output=True)


def _is_elf(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(4) == b"\x7fELF"


def frozen_executable(cli: bool = False) -> Path:
    if WINDOWS:
        return BUNDLE / ("workbench-cli.exe" if cli else "workbench.exe")
    return BUNDLE / "workbench"


def add_bundle_extras(version: str) -> None:
    """What IT needs beside the program: the example machine-wide configuration and, on Linux,
    the icon, the .desktop file and the install script."""
    from workbench.config import example_config
    (BUNDLE / "workbench.toml.example").write_text(example_config(), encoding="utf-8")
    (BUNDLE / "VERSION").write_text(version + "\n", encoding="utf-8")
    # The license and the third-party licenses beside the program, where people look for them
    # (the app reads its own copies in _internal/resources/licenses/).
    shutil.copy2(ROOT / "LICENSE", BUNDLE / ("LICENSE.txt" if WINDOWS else "LICENSE"))
    shutil.copy2(LICENSES / "THIRD-PARTY-LICENSES.txt", BUNDLE / "THIRD-PARTY-LICENSES.txt")
    if not WINDOWS:
        shutil.copy2(BUILD / "icon" / "workbench.png", BUNDLE / "workbench.png")
        shutil.copy2(PACKAGING / "workbench.desktop", BUNDLE / "workbench.desktop")
        shutil.copy2(PACKAGING / "install.sh", BUNDLE / "install.sh")
        (BUNDLE / "install.sh").chmod(0o755)


def self_test(version: str) -> None:
    """Start the frozen app as a user would, with its own empty home: `--version` must be the
    package version, and the window must open offscreen and pull from the demo portal."""
    executable = frozen_executable(cli=True)
    with tempfile.TemporaryDirectory(prefix="workbench-selftest-") as home:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("WORKBENCH_", "PYTHON", "QT_PLUGIN", "VIRTUAL_ENV"))}
        env.update(QT_QPA_PLATFORM="offscreen", HOME=home, USERPROFILE=home,
                   XDG_CONFIG_HOME=f"{home}/config", XDG_DATA_HOME=f"{home}/data",
                   XDG_STATE_HOME=f"{home}/state", XDG_CACHE_HOME=f"{home}/cache",
                   APPDATA=f"{home}/appdata", LOCALAPPDATA=f"{home}/localappdata",
                   WORKBENCH_CONFIG=f"{home}/machine/workbench.toml")
        shown = _run_frozen([executable, "--version"], env)
        if shown.strip() != f"workbench {version}":
            raise BuildError(f"the frozen app says {shown.strip()!r}, expected "
                             f"'workbench {version}'")
        print(_run_frozen([executable, "--demo", "--self-test"], env), end="")
        print(_licenses_self_test(), end="")
        print(_command_line_self_test(executable, env, Path(home)), end="")
        print(_keyring_self_test(executable, env, Path(home)), end="")


def _licenses_self_test() -> str:
    """The about dialog's texts inside the bundle, and the files beside the program."""
    inside = BUNDLE / "_internal" / "resources" / "licenses"
    wanted = [inside / "LICENSE", inside / "THIRD-PARTY-LICENSES.txt",
              BUNDLE / ("LICENSE.txt" if WINDOWS else "LICENSE"),
              BUNDLE / "THIRD-PARTY-LICENSES.txt"]
    missing = [str(path.relative_to(BUNDLE)) for path in wanted if not path.is_file()]
    if missing:
        raise BuildError(f"the bundle lacks its license files: {', '.join(missing)}")
    if "GNU GENERAL PUBLIC LICENSE" not in (inside / "LICENSE").read_text("utf-8")[:200]:
        raise BuildError("the bundle's LICENSE is not the GNU GPL")
    return "licenses: LICENSE (GPL-3.0-or-later) and THIRD-PARTY-LICENSES.txt in the bundle\n"


def _command_line_self_test(executable: Path, env: dict[str, str], home: Path) -> str:
    """IT's commands in the frozen app, against its own demo portal: `check` must find every
    part in order (migrations and keyring back-ends included) and `sync --once` must pull."""
    portal = subprocess.Popen([str(executable), "demo-portal", "--consults", "20",
                               "--photo-size", "320x240"], env=env, stdout=subprocess.PIPE,
                              text=True, cwd=home)
    try:
        first = portal.stdout.readline().split() if portal.stdout else []
        if first[:2] != ["listening", "on"]:
            raise BuildError(f"the frozen demo portal did not start: {first}")
        common = ["--portal", first[2], "--data-dir", str(home / "data")]
        env = {**env, "WORKBENCH_AUTH": "none"}
        checked = _run_frozen([executable, "check", *common], env)
        pulled = _run_frozen([executable, "sync", "--once", *common], env)
    finally:
        portal.terminate()
        portal.wait(10)
    return checked + pulled


def _keyring_self_test(executable: Path, env: dict[str, str], home: Path) -> str:
    """On Linux, where a Secret Service can be started (gnome-keyring in its own D-Bus
    session): `credentials set` stores a secret that `check` then finds, and that secret is in
    no file under the home folder (gnome-keyring keeps it encrypted)."""
    if WINDOWS or not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")):
        return "keyring self-test skipped: no dbus-run-session and gnome-keyring-daemon here\n"
    secret = f"selftest-{os.urandom(8).hex()}"
    script = ('printf unlock | gnome-keyring-daemon --unlock --components=secrets >/dev/null '
              '&& printf "%s\\n" "$SECRET" | "$WORKBENCH" credentials set --portal "$PORTAL" '
              '&& "$WORKBENCH" check --portal "$PORTAL" --data-dir "$HOME/data"; true')
    env = {**env, "SECRET": secret, "WORKBENCH": str(executable),
           "PORTAL": "https://portaal.example.nl/fhir", "XDG_RUNTIME_DIR": str(home / "run")}
    (home / "run").mkdir(mode=0o700, exist_ok=True)
    finished = subprocess.run(["dbus-run-session", "--", "sh", "-c", script], env=env,
                              capture_output=True, text=True, timeout=SELF_TEST_TIMEOUT_S,
                              cwd=home)
    found = [line for line in finished.stdout.splitlines() if line.startswith("OK      keyring")]
    if not found or "SecretService" not in found[0] or "credentials present" not in found[0]:
        raise BuildError(f"the frozen app did not find its credentials in the Secret Service:"
                         f"\n{finished.stdout}{finished.stderr}")
    leaks = [path for path in home.rglob("*") if path.is_file()
             and secret.encode() in path.read_bytes()]
    if leaks:
        raise BuildError(f"the portal secret was written in plain text to {leaks}")
    return f"{found[0]}\n"


def bundle_size_mb() -> float:
    return sum(path.stat().st_size for path in BUNDLE.rglob("*")
               if path.is_file() and not path.is_symlink()) / 1_048_576


def _run_frozen(argv: list[Path | str], env: dict[str, str]) -> str:
    try:
        finished = subprocess.run([str(part) for part in argv], env=env, capture_output=True,
                                  text=True, timeout=SELF_TEST_TIMEOUT_S, cwd=env["HOME"])
    except subprocess.TimeoutExpired:
        raise BuildError(f"{' '.join(map(str, argv[1:]))}: no answer within "
                         f"{SELF_TEST_TIMEOUT_S} s") from None
    if finished.returncode != 0:
        raise BuildError(f"frozen app {' '.join(map(str, argv[1:]))} exited with "
                         f"{finished.returncode}:\n{finished.stdout}{finished.stderr}")
    return finished.stdout


def package_linux(version: str) -> Path:
    archive = DIST / f"workbench-{version}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:  # 9 is twice as slow, 2% smaller
        tar.add(BUNDLE, arcname="workbench")
    return archive


def package_windows(version: str) -> Path:
    compiler = _inno_setup_compiler()
    subprocess.run([str(compiler), f"/DAppVersion={version}", f"/DSourceDir={BUNDLE}",
                    f"/DOutputDir={DIST}", f"/DIconFile={BUILD / 'icon' / 'workbench.ico'}",
                    str(PACKAGING / "workbench.iss")], check=True)
    return DIST / f"WorkbenchSetup-{version}.exe"


def _inno_setup_compiler() -> Path:
    candidates = [os.environ.get("INNO_SETUP_COMPILER", ""), shutil.which("iscc") or "",
                  *(f"{os.environ.get(base, '')}\\Inno Setup 6\\ISCC.exe"
                    for base in ("ProgramFiles(x86)", "ProgramFiles"))]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise BuildError("Inno Setup 6 not found: install it (https://jrsoftware.org/isinfo.php) "
                     "or set INNO_SETUP_COMPILER to ISCC.exe")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-self-test", action="store_true",
                        help="do not start the frozen app (never for a release)")
    parser.add_argument("--skip-package", action="store_true",
                        help="stop after the bundle and its self-test")
    args = parser.parse_args(argv)
    started = time.monotonic()

    def step(name: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {name}", flush=True)

    try:
        version = project_version()
        step(f"Workbench {version}: third-party licenses")
        write_third_party_licenses()
        step("icons")
        make_icons(BUILD / "icon")
        step("PyInstaller bundle")
        run_pyinstaller()
        strip_debug_info()
        add_bundle_extras(version)
        if not args.skip_self_test:
            step("self-test of the frozen app")
            self_test(version)
        if not args.skip_package:
            step("package")
            if WINDOWS:
                output = package_windows(version)
            elif sys.platform.startswith("linux"):
                output = package_linux(version)
            else:
                raise BuildError(f"no installer for {sys.platform}; the bundle is in {BUNDLE}")
            step(f"done: {output.relative_to(ROOT)} "
                 f"({output.stat().st_size / 1_048_576:.0f} MB)")
        else:
            step(f"done: {BUNDLE.relative_to(ROOT)} ({bundle_size_mb():.0f} MB)")
    except (BuildError, subprocess.CalledProcessError) as exc:
        print(f"build_installer: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
