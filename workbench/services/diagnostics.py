"""What support needs to know, in one text: version, platform, configuration, recent log."""

from __future__ import annotations

import platform
import sys
from dataclasses import fields

from workbench import __version__
from workbench.config import Settings, machine_config_path, user_config_path
from workbench.services.redact import redact, settings_secrets


def diagnostics_text(settings: Settings, log_lines: list[str], qt_version: str = "") -> str:
    """Settings hold no secrets (those live in the keyring), but an address may carry a
    password: the database and portal addresses, and every log line (one written before this
    rule, too), are shown without it."""
    secrets = settings_secrets(settings)
    lines = [f"Workbench {__version__}",
             f"Python {sys.version.split()[0]} on {platform.platform()}"]
    if qt_version:
        lines.append(f"Qt {qt_version}")
    lines += [f"machine configuration: {machine_config_path()}",
              f"user configuration: {user_config_path()}", "", "settings:"]
    for option in fields(Settings):
        value = getattr(settings, option.name)
        if option.name == "database_url":
            value = settings.resolved_database_url()
        lines.append(f"  {option.name} = {value!r}")
    lines += ["", f"last {len(log_lines)} log lines:", *log_lines]
    return redact("\n".join(lines), secrets)
