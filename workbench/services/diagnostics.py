"""What support needs to know, in one text: version, platform, configuration, recent log."""

from __future__ import annotations

import platform
import sys
from dataclasses import fields

from sqlalchemy.engine import make_url

from workbench import __version__
from workbench.config import Settings, machine_config_path, user_config_path


def masked_database_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a broken URL is shown as broken, never with a secret
        return "(not a valid database URL)"


def diagnostics_text(settings: Settings, log_lines: list[str], qt_version: str = "") -> str:
    """Settings hold no secrets (those live in the keyring); the database URL is shown
    without its password all the same."""
    lines = [f"Workbench {__version__}",
             f"Python {sys.version.split()[0]} on {platform.platform()}"]
    if qt_version:
        lines.append(f"Qt {qt_version}")
    lines += [f"machine configuration: {machine_config_path()}",
              f"user configuration: {user_config_path()}", "", "settings:"]
    for option in fields(Settings):
        value = getattr(settings, option.name)
        if option.name == "database_url":
            value = masked_database_url(settings.resolved_database_url())
        lines.append(f"  {option.name} = {value!r}")
    lines += ["", f"last {len(log_lines)} log lines:", *log_lines]
    return "\n".join(lines)
