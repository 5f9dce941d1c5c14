"""Typed settings: defaults < machine-wide TOML (IT) < per-user TOML < WORKBENCH_* environment < command line."""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from datetime import time
from pathlib import Path
from typing import Any, Mapping, get_args, get_origin, get_type_hints

import platformdirs

APP_NAME = "workbench"
CONFIG_FILE_NAME = "workbench.toml"
SCHEMA_VERSION = 1
AUTH_KINDS = ("bearer", "basic", "none")


class ConfigError(Exception):
    """A configuration file or value that cannot be used; the message names the file and option."""


def _option(default: Any, description: str, *, user: bool = False, **kwargs: Any) -> Any:
    """Declare an option once: default, description and whether a user may override it."""
    metadata = {"description": description, "user": user}
    if callable(default):
        return field(default_factory=default, metadata=metadata, **kwargs)
    return field(default=default, metadata=metadata, **kwargs)


@dataclass(frozen=True)
class Settings:
    schema_version: int = _option(SCHEMA_VERSION, "Version of this file's layout.")
    portal_url: str = _option("", "FHIR R4 base URL of the patient portal (https://...).")
    database_url: str = _option(
        "", "Store: empty for a SQLite file in the data folder, or "
            "postgresql://user@host/db for the practice's shared database.")
    data_dir: str = _option("", "Folder for the SQLite store and attachments; empty for the "
                                "user's data folder.")
    practice_agb: str = _option("", "The practice's AGB code.")
    practice_name: str = _option("", "The practice's name, as patients know it.")
    praktijk_telefoon: str = _option(
        "", "The practice's phone number for patients, filled into answers as "
            "{praktijk_telefoon}; empty: the number the portal gives for the practice.")
    huisartsenpost_telefoon: str = _option(
        "", "Phone number of the huisartsenpost (GP out-of-hours service: evenings, nights "
            "and weekends), filled into answers as {huisartsenpost_telefoon}; empty: an answer "
            "using it cannot be sent until the number is typed in.")
    auth: str = _option("bearer", "Portal authentication: bearer, basic or none. The secret "
                                  "itself lives in the OS keyring (workbench credentials set).")
    ca_bundle: str = _option("", "PEM file with the CA certificates that vouch for the portal's "
                                 "TLS certificate, used instead of the built-in list of "
                                 "public CAs (certifi's).")
    client_cert: str = _option("", "PEM client certificate for mutual TLS, if the portal asks.")
    client_key: str = _option("", "PEM private key belonging to client_cert.")
    connect_timeout_s: float = _option(10.0, "Seconds to wait for the portal to accept a "
                                             "connection.")
    read_timeout_s: float = _option(60.0, "Seconds to wait for the portal to answer.")
    retries: int = _option(6, "Attempts per portal request on connection errors, 429 and 5xx.")
    page_size: int = _option(200, "Resources asked per page of a pull.")
    attachment_workers: int = _option(4, "Attachments fetched at the same time.")
    max_attachment_mb: int = _option(50, "Larger attachments are refused.")
    max_pages_per_pull: int = _option(500, "Pages of e-consults read in one pull at most; the "
                                           "rest comes in the next pull.")
    max_response_mb: int = _option(80, "Largest portal answer read, after decompression; a "
                                       "larger page is asked again in smaller pages.")
    request_deadline_s: float = _option(300.0, "Seconds one portal request may take in total, "
                                               "however slowly the portal sends.")
    pull_interval_minutes: int = _option(10, "Minutes between pulls during practice hours.")
    practice_hours_start: str = _option("08:00", "Start of practice hours (HH:MM).")
    practice_hours_end: str = _option("17:00", "End of practice hours (HH:MM).")
    practice_days: tuple[int, ...] = _option((1, 2, 3, 4, 5), "Practice days, 1 = Monday.")
    answer_target_working_days: int = _option(2, "Working days within which patients get an "
                                                 "answer.")
    billing_idle_seconds: int = _option(60, "Seconds without keyboard or mouse after which the "
                                            "billing timer pauses (the idle time is not "
                                            "counted).")
    lock_after_minutes: int = _option(5, "Minutes without keyboard or mouse in Workbench "
                                         "after which the screen locks (unlock with PIN or "
                                         "password).")
    billing_per_patient_day: bool = _option(False, "Declare one consult per patient per day "
                                                   "(summing that day's e-consults) instead of "
                                                   "one per e-consult.")
    photo_export_dir: str = _option("", "Folder where 'Opslaan voor HIS' saves photos (EXIF and "
                                        "location removed); empty for the user's Pictures "
                                        "folder.")
    access_report_names: bool = _option(False, "Name the people of the practice in a "
                                               "patient's access report (Inzageverzoek); off: "
                                               "their role only.")
    single_sign_on: bool = _option(False, "Sign a person in by their own OS account without a "
                                          "password (the account's os_account, set with "
                                          "workbench users add --os-account).")
    shared_os_accounts: tuple[str, ...] = _option(
        (), "OS accounts that several people use (a shared front-desk login): never signed in "
            "by single sign-on.")
    language: str = _option("nl", "Language of the user interface.", user=True)
    # Secure mail: a second channel for e-consults (a provider for care meeting NTA 7516).
    mail_imap_host: str = _option("", "Secure mail: the IMAP server of the practice's "
                                      "secure-mail account; empty: no mail channel.")
    mail_imap_port: int = _option(993, "Secure mail: IMAP port (993 implicit TLS, 143 with "
                                       "STARTTLS).")
    mail_imap_security: str = _option("tls", "Secure mail: tls (implicit) or starttls for "
                                             "IMAP; plain text is never used.")
    mail_smtp_host: str = _option("", "Secure mail: the SMTP submission server; empty: the "
                                      "IMAP server.")
    mail_smtp_port: int = _option(587, "Secure mail: SMTP submission port (587 STARTTLS, "
                                       "465 implicit TLS).")
    mail_smtp_security: str = _option("starttls", "Secure mail: starttls or tls for SMTP.")
    mail_account: str = _option("", "Secure mail: the account (user name) at the provider; the "
                                    "password lives in the OS keyring (workbench credentials "
                                    "set --channel mail).")
    mail_folder: str = _option("INBOX", "Secure mail: the folder e-consults arrive in.")
    mail_processed_folder: str = _option("", "Secure mail: move a mail here once it is stored "
                                             "(such as Verwerkt); empty: leave it. Mail is "
                                             "never deleted.")
    mail_address: str = _option("", "Secure mail: the practice's address that answers come "
                                    "from.")
    mail_provider_files_sent: bool = _option(False, "Secure mail: the provider keeps a copy of "
                                                    "what is sent in Sent itself (workbench "
                                                    "check tests it); off: Workbench files it.")
    mail_ca_bundle: str = _option("", "Secure mail: PEM file with the CA certificates that "
                                      "vouch for the mail servers; empty: the system's.")

    def resolved_data_dir(self) -> Path:
        return Path(self.data_dir).expanduser() if self.data_dir else Path(
            platformdirs.user_data_dir(APP_NAME, appauthor=False))

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.resolved_data_dir() / 'workbench.sqlite3'}"

    @property
    def mail_enabled(self) -> bool:
        return bool(self.mail_imap_host)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def machine_config_path() -> Path:
    return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False, multipath=False)) / \
        CONFIG_FILE_NAME


def machine_config_in_use() -> Path:
    """The machine-wide file this process reads: WORKBENCH_CONFIG names another one."""
    return Path(os.environ.get("WORKBENCH_CONFIG", machine_config_path()))


def user_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / CONFIG_FILE_NAME


def _convert(name: str, value: Any, kind: Any, origin: str) -> Any:
    try:
        if kind is bool:
            if isinstance(value, str):
                return value.strip().lower() in ("1", "true", "yes", "ja", "on")
            return bool(value)
        if kind in (int, float):
            if isinstance(value, bool):
                raise ValueError(value)
            return kind(value)
        if kind is str:
            if not isinstance(value, str):
                raise ValueError(value)
            return value
        assert get_origin(kind) is tuple, kind  # tuple[int, ...] or tuple[str, ...]
        item = get_args(kind)[0]
        if isinstance(value, str):  # names may hold spaces: only commas part them
            value = [part.strip() for part in (value.split(",") if item is str
                                               else value.replace(",", " ").split())]
            value = [part for part in value if part]
        if item is str and not all(isinstance(part, str) for part in value):
            raise ValueError(value)
        return tuple(item(part) for part in value)
    except (TypeError, ValueError):
        raise ConfigError(f"{origin}: option '{name}' has an invalid value {value!r}") from None


def _apply(values: dict[str, Any], source: Mapping[str, Any], origin: str,
           user_file: bool = False) -> None:
    declared = {f.name: f for f in fields(Settings)}
    hints = get_type_hints(Settings)
    for name, value in source.items():
        if name not in declared:
            raise ConfigError(f"{origin}: unknown option '{name}'")
        if user_file and not declared[name].metadata["user"]:
            raise ConfigError(f"{origin}: option '{name}' may only be set by IT in the "
                              f"machine-wide file {machine_config_path()}")
        values[name] = _convert(name, value, hints[name], origin)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from exc


def load_settings(overrides: Mapping[str, Any] | None = None, *,
                  machine_file: Path | None = None, user_file: Path | None = None,
                  environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from every layer; `overrides` are the command line's (None values are unset)."""
    values: dict[str, Any] = {}
    machine_file = machine_file or machine_config_in_use()
    _apply(values, _read_toml(machine_file), str(machine_file))
    user_file = user_file or user_config_path()
    _apply(values, _read_toml(user_file), str(user_file), user_file=True)
    environ = os.environ if environ is None else environ
    env_values = {f.name: environ[f"WORKBENCH_{f.name.upper()}"] for f in fields(Settings)
                  if f"WORKBENCH_{f.name.upper()}" in environ}
    _apply(values, env_values, "environment")
    _apply(values, {k: v for k, v in (overrides or {}).items() if v is not None}, "command line")
    return Settings(**values)


def _portal_url_allowed(url: str) -> bool:
    """https, or plain http on this computer itself: the portal client's own rule."""
    # Not portal_client: that loads requests and keyring, before the sign-in screen paints.
    from workbench.services.portal_url import InsecurePortalUrl, check_portal_url
    try:
        check_portal_url(url)
    except InsecurePortalUrl:
        return False
    return True


def _is_web_address(url: str) -> bool:
    """http(s) with a host and a port that exists; anything else the client cannot even ask."""
    from urllib.parse import urlsplit
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a port out of range or not a number
        return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in url
    except ValueError:
        return False


def _database_url_problem(url: str) -> str | None:
    """Why SQLAlchemy cannot use the address (a file path is fine: it becomes SQLite)."""
    if not url:  # the store in the data folder: nothing to check, no SQLAlchemy to load
        return None
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from workbench.store.database import normalise_url
    words = "it must be empty, a file path, or postgresql://user@host/db"
    try:
        parsed = make_url(normalise_url(url))
        if parsed.get_backend_name() not in ("sqlite", "postgresql"):
            return f"database_url names a {parsed.get_backend_name()} database: {words}"
        parsed.get_dialect().import_dbapi()
    except (ArgumentError, ValueError, ImportError) as exc:
        # The reason only, never the address: it may hold the password.
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return f"database_url cannot be used ({reason}): {words}"
    return None


def shipped_languages() -> list[str]:
    """English (the source texts) and every language a compiled translation is shipped for."""
    from workbench.resources import RESOURCE_DIR
    found = {path.stem.removeprefix("workbench_")
             for path in (RESOURCE_DIR / "i18n").glob("workbench_*.qm")}
    return sorted(found | {"en"})


def min_response_mb(max_attachment_mb: int) -> int:
    """The smallest answer cap that still holds one message with an inline attachment of the
    largest size allowed (base64 makes 3 bytes 4 characters), with room for its text."""
    return -(-max_attachment_mb * 4 // 3) + 2


def _not_a_folder(text: str) -> bool:
    path = Path(text).expanduser()
    return path.exists() and not path.is_dir()


def _phone_number(text: str) -> bool:
    return re.fullmatch(r"[0-9+() -]{3,40}", text.strip()) is not None and \
        sum(c.isdigit() for c in text) >= 3


def _clock(text: str) -> time | None:
    return time.fromisoformat(text) if re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", text) else None


# Options that count something: zero or less cannot work (page_size 0 pulled nothing).
AT_LEAST_ONE = ("pull_interval_minutes", "answer_target_working_days", "retries", "page_size",
                "attachment_workers", "max_attachment_mb", "max_pages_per_pull",
                "max_response_mb", "billing_idle_seconds", "lock_after_minutes")
SECONDS = ("connect_timeout_s", "read_timeout_s", "request_deadline_s")
MAX_PAGE_SIZE = 1000


def validate(settings: Settings, *, needs_portal: bool = True) -> list[str]:
    """Values that load but cannot work, in words that name the option; empty when all can.
    `needs_portal` False: a command that does not talk to the portal may run without one."""
    s = settings
    start, end = _clock(s.practice_hours_start), _clock(s.practice_hours_end)
    web = _is_web_address(s.portal_url)
    rules: list[tuple[bool, str]] = [
        (needs_portal and not s.portal_url, "portal_url is not set: it must be the FHIR address "
                                            "of the patient portal (https://...)"),
        (bool(s.portal_url) and not web,
         f"portal_url {s.portal_url!r} is not a web address: it must be the FHIR address of "
         "the patient portal (https://...)"),
        (web and not _portal_url_allowed(s.portal_url),
         f"portal_url {s.portal_url} is not secure: it must start with https:// (plain http is "
         "only allowed on this computer itself: localhost, 127.0.0.1 or ::1)"),
        (bool(s.practice_agb) and not re.fullmatch(r"\d{8}", s.practice_agb),
         f"practice_agb {s.practice_agb!r} is not an AGB code: it must be 8 digits"),
        *[(_clock(getattr(s, name)) is None, f"{name} {getattr(s, name)!r} is not a time of day "
           "as HH:MM (such as 08:00)") for name in ("practice_hours_start", "practice_hours_end")],
        (s.max_attachment_mb >= 1 and s.max_response_mb < min_response_mb(s.max_attachment_mb),
         f"max_response_mb is {s.max_response_mb}: a message carrying a photo of "
         f"max_attachment_mb ({s.max_attachment_mb}) inline is larger (base64 adds a third); set "
         f"it to at least {min_response_mb(s.max_attachment_mb)}"),
        (None not in (start, end) and end <= start,
         f"practice_hours_end {s.practice_hours_end} is not after practice_hours_start "
         f"{s.practice_hours_start}"),
        (not s.practice_days or not set(s.practice_days) <= set(range(1, 8)),
         f"practice_days {list(s.practice_days)} must name days from 1 (Monday) to 7 (Sunday)"),
        *[(getattr(s, name) < 1, f"{name} is {getattr(s, name)}: it must be at least 1")
          for name in AT_LEAST_ONE if hasattr(s, name)],
        (s.page_size > MAX_PAGE_SIZE, f"page_size is {s.page_size}: it must be at most "
                                      f"{MAX_PAGE_SIZE} (portals refuse larger pages)"),
        *[(getattr(s, name) <= 0, f"{name} is {getattr(s, name)}: it must be more than 0 seconds")
          for name in SECONDS if hasattr(s, name)],
        (s.auth not in AUTH_KINDS, f"auth {s.auth!r} must be one of {', '.join(AUTH_KINDS)}"),
        (bool(s.client_key) and not s.client_cert,
         "client_key is set without client_cert: the key belongs to a client certificate"),
        (s.language not in shipped_languages(),
         f"language {s.language!r} is not shipped: it must be one of "
         f"{', '.join(shipped_languages())}"),
        (bool(s.photo_export_dir) and _not_a_folder(s.photo_export_dir),
         f"photo_export_dir {s.photo_export_dir} is not a folder"),
        (bool(s.data_dir) and _not_a_folder(s.data_dir), f"data_dir {s.data_dir} is not a folder"),
        *[(bool(getattr(s, name)) and not _phone_number(getattr(s, name)),
           f"{name} {getattr(s, name)!r} is not a phone number: digits, spaces, -, + and () "
           "only (such as 030-1234567)") for name in ("praktijk_telefoon",
                                                       "huisartsenpost_telefoon")],
    ]
    problems = [words for broken, words in rules if broken] + _mail_problems(s)
    if database_problem := _database_url_problem(s.database_url):
        problems.append(database_problem)
    return problems


MAIL_SECURITY = ("tls", "starttls")


def _mail_problems(s: Settings) -> list[str]:
    if not s.mail_enabled:
        return []
    rules = [
        (not s.mail_account, "mail_account is not set: the mail channel needs the account of "
                             "the practice's secure-mail provider"),
        (not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", s.mail_address),
         f"mail_address {s.mail_address!r} is not an e-mail address: answers by mail come "
         "from it"),
        *[(getattr(s, name) not in MAIL_SECURITY,
           f"{name} {getattr(s, name)!r} must be tls or starttls (mail never goes in plain "
           "text)") for name in ("mail_imap_security", "mail_smtp_security")],
        *[(not 0 < getattr(s, name) < 65536, f"{name} is {getattr(s, name)}: not a port")
          for name in ("mail_imap_port", "mail_smtp_port")],
        (bool(s.mail_ca_bundle) and not Path(s.mail_ca_bundle).is_file(),
         f"mail_ca_bundle {s.mail_ca_bundle} is not a file"),
        (not s.mail_folder, "mail_folder is empty: it names the folder e-consults arrive in"),
    ]
    return [words for broken, words in rules if broken]


def describe_options() -> list[tuple[str, str, Any, str, bool]]:
    """(name, type, default, description, user may change) of every option, for docs and checks."""
    defaults = Settings()
    return [(f.name, str(f.type), getattr(defaults, f.name), f.metadata["description"],
             f.metadata["user"]) for f in fields(Settings)]


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def example_config() -> str:
    """The machine-wide file with every option commented out at its default, for IT."""
    lines = [
        "# Workbench: machine-wide configuration, set by IT.",
        "# Windows: C:\\ProgramData\\workbench\\workbench.toml",
        "# Linux:   /etc/xdg/workbench/workbench.toml  (or the file named by WORKBENCH_CONFIG)",
        "# Each option shows its default; remove the '#' to set it. Secrets never go here:",
        "# `workbench credentials set` puts the portal's in the OS keyring.",
        "# Options marked (user) may also be set per user in the user's own workbench.toml.",
    ]
    for name, _kind, default, description, user in describe_options():
        lines += ["", f"# {description}{' (user)' if user else ''}",
                  f"# {name} = {_toml_value(default)}"]
    return "\n".join(lines) + "\n"
