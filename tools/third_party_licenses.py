"""Writes the licenses of the software Workbench ships: every runtime dependency (the closure of
`workbench`'s requirements, without the test and build extras) with its name, version, license
and license text, read from the installed distributions' metadata (`importlib.metadata`).

    python tools/third_party_licenses.py          # resources/licenses/THIRD-PARTY-LICENSES.txt
    python tools/third_party_licenses.py --check  # exit 1 if that file is out of date

Run it in the environment the app is built from (build_installer.py does, before PyInstaller);
the about dialog shows the file and the installers carry it.
"""

from __future__ import annotations

import argparse
import re
import sys
import sysconfig
from dataclasses import dataclass, field
from importlib.metadata import Distribution, PackageNotFoundError, distribution
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "resources" / "licenses" / "THIRD-PARTY-LICENSES.txt"
PROJECT = "workbench"

# Distributions whose metadata names no license (checked by hand against their license file).
LICENSE_OVERRIDES = {
    "clinlp": "GPL-3.0",  # LICENSE is the GNU GPL v3 text; the 0.10 metadata has no License field
}
# Distributions that install no license file: the text of the license we use them under.
_QT_NOTE = ("Qt for Python (PySide6, shiboken6) and the Qt 6 libraries it carries are\n"
            "Copyright (C) The Qt Company Ltd. and other contributors, used here under the GNU\n"
            "Lesser General Public License version 3 (below; the GNU GPL version 3 it builds on\n"
            "is the file LICENSE). Qt's source code: https://download.qt.io/official_releases/qt/\n"
            "and https://code.qt.io/; the licenses of the third-party code inside Qt:\n"
            "https://doc.qt.io/qt-6/licenses-used-in-qt.html")
# Native libraries a wheel bundles under a license other than the wheel's own (the wheel's
# metadata does not say so; the names are those in its `<package>.libs/` folder).
BUNDLED_NOTES = {
    "pillow-heif": "Bundled libraries: libheif and libde265 (LGPL-3.0-or-later, text as PySide6's\n"
                   "below), x265 (GPL-2.0-or-later, used under GPL-3.0: the file LICENSE).\n"
                   "Sources: https://github.com/strukturag/libheif, "
                   "https://github.com/strukturag/libde265,\n"
                   "https://bitbucket.org/multicoreware/x265_git",
    "psycopg-binary": "Bundled libraries: libpq (PostgreSQL License), OpenSSL 3 (Apache-2.0),\n"
                      "MIT Kerberos (MIT), OpenLDAP (OLDAP-2.8), Cyrus SASL (BSD-style, CMU),\n"
                      "libxcrypt (LGPL-2.1-or-later), keyutils (LGPL-2.1-or-later), e2fsprogs\n"
                      "com_err (MIT). See https://www.psycopg.org/psycopg3/docs/basic/install.html",
}
FALLBACK_TEXTS = {
    "pyside6-essentials": [("Qt for Python", _QT_NOTE), ("LGPL-3.0", "LGPL-3.0.txt")],
    "shiboken6": [("Qt for Python", _QT_NOTE), ("LGPL-3.0", "LGPL-3.0.txt")],
}

# Licenses that can be combined into a work distributed under GPL-3.0-or-later (FSF's list of
# GPL-compatible licenses; Apache-2.0 and LGPL-3.0 only with GPL version 3).
GPL3_COMPATIBLE = {
    "0BSD", "AFL-2.1", "Apache-2.0", "Artistic-2.0", "BSD-2-Clause", "BSD-3-Clause",
    "BSD-3-Clause-Clear", "BSL-1.0", "CC0-1.0", "GPL-2.0-or-later", "GPL-3.0", "GPL-3.0-only",
    "GPL-3.0-or-later", "HPND", "ISC", "LGPL-2.1", "LGPL-2.1-only", "LGPL-2.1-or-later",
    "LGPL-3.0", "LGPL-3.0-only", "LGPL-3.0-or-later", "MIT", "MIT-0", "MIT-CMU", "MPL-2.0",
    "PSF-2.0",
    "Python-2.0", "Unicode-3.0", "Unicode-DFS-2016", "Unlicense", "X11", "Zlib", "ZPL-2.1",
    "curl", "Libpng",
}
# Never acceptable in a GPL program, whatever else a dependency's metadata says.
GPL_INCOMPATIBLE_WORDS = ("proprietary", "sspl", "commons clause", "cc-by-nc", "non-commercial",
                          "busl", "elastic-2.0", "jsonlicense")
_CLASSIFIER_SPDX = {
    "Apache Software License": "Apache-2.0",
    "BSD License": "BSD-3-Clause",
    "MIT License": "MIT",
    "ISC License (ISCL)": "ISC",
    "Python Software Foundation License": "PSF-2.0",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "GNU General Public License v3 (GPLv3)": "GPL-3.0",
    "GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0",
    "GNU Lesser General Public License v3 or later (LGPLv3+)": "LGPL-3.0-or-later",
    "GNU Library or Lesser General Public License (LGPL)": "LGPL-2.1-or-later",
    "Historical Permission Notice and Disclaimer (HPND)": "HPND",
    "The Unlicense (Unlicense)": "Unlicense",
    "Zope Public License": "ZPL-2.1",
}
_SHORT_NAMES = {  # free-text License fields of older metadata, as SPDX
    "mit": "MIT", "mit license": "MIT", "bsd": "BSD-3-Clause", "bsd-3-clause": "BSD-3-Clause",
    "bsd 3-clause": "BSD-3-Clause", "3-clause bsd": "BSD-3-Clause",
    "new bsd": "BSD-3-Clause", "bsd license": "BSD-3-Clause", "apache 2.0": "Apache-2.0",
    "apache-2.0": "Apache-2.0", "apache license 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0", "apache 2": "Apache-2.0",
    "isc": "ISC", "isc license": "ISC", "psf": "PSF-2.0", "mpl-2.0": "MPL-2.0",
    "mpl 2.0": "MPL-2.0", "lgpl-3.0": "LGPL-3.0", "lgplv3": "LGPL-3.0",
    "gnu lesser general public license v3 (lgplv3)": "LGPL-3.0",
    "dual license": "Apache-2.0 OR BSD-3-Clause",
}
_LICENSE_FILE = re.compile(r"(licen[cs]e|copying|notice|copyright|authors?)([-_.].*)?$",
                           re.IGNORECASE)


@dataclass
class Package:
    name: str
    version: str
    license: str
    texts: list[tuple[str, str]] = field(default_factory=list)  # (file name, text)


def runtime_distributions(project: str = PROJECT) -> list[Distribution]:
    """`project`'s requirements and theirs, as installed here, for this Python and platform;
    extras only where a requirement asks for them (psycopg[binary]), never the project's own
    (test, build)."""
    found: dict[str, Distribution] = {}
    todo: list[tuple[str, frozenset[str]]] = [(project, frozenset())]
    done: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, extras = todo.pop()
        if (name, extras) in done:
            continue
        done.add((name, extras))
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue  # an optional dependency this platform does not use
        key = canonicalize_name(dist.metadata["Name"])
        if key != canonicalize_name(project):
            found.setdefault(key, dist)
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker and not _marker_holds(requirement.marker, extras):
                continue
            todo.append((canonicalize_name(requirement.name),
                         frozenset(canonicalize_name(e) for e in requirement.extras)))
    return sorted(found.values(), key=lambda d: canonicalize_name(d.metadata["Name"]))


def _marker_holds(marker: Marker, extras: frozenset[str]) -> bool:
    return any(marker.evaluate({"extra": extra}) for extra in (extras or {""}))


def license_of(dist: Distribution) -> str:
    """The dependency's license as an SPDX expression where its metadata allows."""
    meta = dist.metadata
    name = canonicalize_name(meta["Name"])
    if name in LICENSE_OVERRIDES:
        return LICENSE_OVERRIDES[name]
    if meta.get("License-Expression"):
        return meta["License-Expression"].strip()
    free_text = (meta.get("License") or "").strip()
    if free_text and "\n" not in free_text and len(free_text) <= 80:
        return _SHORT_NAMES.get(free_text.lower(), free_text)
    classified = [classifier.rsplit(" :: ", 1)[-1] for classifier in
                  meta.get_all("Classifier") or [] if classifier.startswith("License ::")]
    named = [_CLASSIFIER_SPDX.get(c, c) for c in classified if c != "OSI Approved"]
    if named:
        return " OR ".join(dict.fromkeys(named))
    if free_text:  # the whole text in the field: its first line names it
        return free_text.splitlines()[0].strip()
    return "UNKNOWN"


def license_texts(dist: Distribution) -> list[tuple[str, str]]:
    """The license, copying and notice files the distribution installed (in its .dist-info, or
    beside its code as some packages ship them)."""
    texts: list[tuple[str, str]] = []
    seen: set[str] = set()
    for path in dist.files or []:
        in_metadata = path.parts[0].endswith((".dist-info", ".egg-info"))
        if not _LICENSE_FILE.match(path.name) or path.suffix in (".py", ".pyc", ".pyi", ".so"):
            continue
        if not in_metadata and len(path.parts) > 3:
            continue  # deep inside the package: test data, not its license
        try:
            text = Path(path.locate()).read_text(encoding="utf-8", errors="replace")
        except (OSError, UnicodeError, NotImplementedError):
            continue
        if text.strip() and text not in seen:  # numpy installs some twice
            seen.add(text)
            if _same_text(text, ROOT / "LICENSE"):
                text = ("The GNU General Public License version 3: the same text as the "
                        "file LICENSE.")
            texts.append(("/".join(path.parts[1:] if in_metadata else path.parts), text))
    if not texts:  # a file name is one of ours, in resources/licenses/
        for title, text in FALLBACK_TEXTS.get(canonicalize_name(dist.metadata["Name"]), []):
            if text.endswith(".txt"):
                text = (OUTPUT.parent / text).read_text("utf-8")
            texts.append((title, text))
    libraries = sorted(path.name for path in dist.files or []
                       if len(path.parts) == 2 and path.parts[0].endswith(".libs"))
    if libraries:
        note = BUNDLED_NOTES.get(canonicalize_name(dist.metadata["Name"]), "")
        texts.append(("bundled native libraries", "\n".join(libraries) + "\n\n" + note))
    if not texts:  # the whole text in the License field
        free_text = (dist.metadata.get("License") or "").strip()
        if "\n" in free_text:
            texts.append(("License field of the metadata", free_text))
    return texts


def _same_text(text: str, path: Path) -> bool:
    return path.is_file() and text.split() == path.read_text("utf-8").split()


def python_runtime() -> Package | None:
    """The Python interpreter and standard library, which the frozen app carries."""
    for folder in (sysconfig.get_paths()["stdlib"], sys.base_prefix):
        candidate = Path(folder) / "LICENSE.txt"
        if candidate.is_file():
            return Package("Python", sys.version.split()[0], "PSF-2.0",
                           [("LICENSE.txt", candidate.read_text("utf-8", errors="replace"))])
    return None


def packages() -> list[Package]:
    found = [Package(dist.metadata["Name"], dist.version, license_of(dist), license_texts(dist))
             for dist in runtime_distributions()]
    runtime = python_runtime()
    return ([runtime] if runtime else []) + found


def gpl_compatible(expression: str) -> bool:
    """Whether one of the expression's choices (OR) is made only of GPL-3.0-compatible
    licenses (AND, WITH an exception)."""
    if any(word in expression.lower() for word in GPL_INCOMPATIBLE_WORDS
           if not re.search(r"\bOR\b", expression)):
        return False
    for choice in re.split(r"\s+OR\s+", expression.strip("() ")):
        parts = [part.strip("() ").split(" WITH ")[0].strip()
                 for part in re.split(r"\s+AND\s+", choice)]
        if all(part in GPL3_COMPATIBLE for part in parts):
            return True
    return False


def render(found: list[Package]) -> str:
    rule = "=" * 78
    lines = [
        "Third-party software in Workbench",
        "",
        "Workbench is free software, licensed under the GNU General Public License, version 3 or",
        "(at your option) any later version (GPL-3.0-or-later); see the file LICENSE. It",
        "includes the software below, each under its own license.",
        "",
        f"{'Name':<32} {'Version':<14} License",
        f"{'-' * 32} {'-' * 14} {'-' * 30}",
    ]
    lines += [f"{p.name:<32} {p.version:<14} {p.license}" for p in found]
    for package in found:
        lines += ["", rule, f"{package.name} {package.version}", f"License: {package.license}",
                  rule]
        if not package.texts:
            lines += ["", "(no license file installed with this package)"]
        for file_name, text in package.texts:
            lines += ["", f"--- {file_name} ---", "", text.rstrip()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    found = packages()
    bad = [f"{p.name} ({p.license})" for p in found if not gpl_compatible(p.license)]
    if bad:
        print(f"not known to be GPL-3.0-compatible: {', '.join(bad)}", file=sys.stderr)
        return 1
    text = render(found)
    current = args.output.read_text("utf-8") if args.output.is_file() else None
    if args.check:
        if current != text:
            print(f"{args.output} is out of date: run python tools/third_party_licenses.py",
                  file=sys.stderr)
            return 1
        return 0
    if current != text:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8", newline="\n")
    print(f"{args.output}: {len(found)} packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
