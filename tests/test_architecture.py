"""Layering rules that keep the code base honest."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "workbench"
QT_FREE = ["services", "store", "demo", "config.py", "bootstrap.py"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("part", QT_FREE)
def test_services_store_and_command_line_never_import_qt_or_the_ui(part):
    target = PACKAGE / part
    files = [target] if target.is_file() else sorted(target.rglob("*.py"))
    offenders = {str(f.relative_to(PACKAGE)): sorted(m for m in imported_modules(f)
                                                     if m.split(".")[0] in ("PySide6", "shiboken6")
                                                     or m.startswith("workbench.ui"))
                 for f in files}
    assert not {k: v for k, v in offenders.items() if v}


def test_the_store_does_not_depend_on_services():
    for path in (PACKAGE / "store").rglob("*.py"):
        assert not any(m.startswith("workbench.services") for m in imported_modules(path)), path


def test_headless_commands_do_not_load_qt():
    """sync, stats, check and db upgrade run on servers and in scripts without Qt loaded."""
    import subprocess
    import sys
    code = ("import sys, workbench.cli; "
            "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
