"""Where the shipped data files (templates, tariffs, translations, demo data) live."""

from __future__ import annotations

import sys
from pathlib import Path


def _resource_dir() -> Path:
    # A PyInstaller bundle unpacks its data beside the frozen modules (sys._MEIPASS); in a
    # source tree or an editable install `resources/` sits next to the package.
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[1] / "resources"


RESOURCE_DIR = _resource_dir()
