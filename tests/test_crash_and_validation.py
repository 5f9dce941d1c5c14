"""Bugs exit 7 with the traceback in the log; values that cannot work are refused up front in
one sentence (exit 2); answers go out to the portal whatever the pull does."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.orm import Session

from workbench import cli, logsetup
from workbench.services.inbox import InboxQueries, ListView
from workbench.services.portal_client import PortalProtocolError
from workbench.services.sync import SyncService
from workbench.services.triage import Actor, CloseReason, TriageService
from workbench.store import database
from workbench.store.models import ConsultStatus, EConsult, Role

LOOPBACK = "http://127.0.0.1:9/fhir"  # never asked: the values are refused before


def run(capsys, *argv) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def portal(start_portal):
    return start_portal(seed=5, consults=30, photo_share=0.0)


# -- a bug is a bug: exit 7, one sentence, the traceback in the log -------------------------------
def test_an_unexpected_exception_exits_7_with_the_traceback_in_the_log(capsys, tmp_path,
                                                                       monkeypatch):
    def broken(engine):
        raise RuntimeError("store_stats is broken")
    monkeypatch.setattr("workbench.services.stats.store_stats", broken)
    run(capsys, "db", "upgrade", "--data-dir", str(tmp_path))
    status, out, err = run(capsys, "stats", "--data-dir", str(tmp_path))
    assert status == cli.EXIT_BUG == 7
    log_file = logsetup.log_file()
    assert err.strip() == ("Workbench hit an unexpected error (a bug); the details are in the "
                           f"log file {log_file}.")
    assert "Traceback" not in err and out == ""
    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected error (a bug) in stats" in logged
    assert "Traceback (most recent call last):" in logged
    assert "in broken" in logged and "RuntimeError: store_stats is broken" in logged


def test_a_known_failure_is_still_explained_not_called_a_bug(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_RETRIES", "1")
    status, _out, err = run(capsys, "sync", "--once", "--portal", LOOPBACK,
                            "--data-dir", str(tmp_path))
    assert status == cli.EXIT_PORTAL and "cannot be reached" in err and "bug" not in err


# -- configuration values that cannot work: refused before anything is done ----------------------
@pytest.mark.parametrize("option, value, words", [
    ("read_timeout_s", "0", "read_timeout_s is 0.0: it must be more than 0 seconds"),
    ("read_timeout_s", "-5", "read_timeout_s is -5.0: it must be more than 0 seconds"),
    ("connect_timeout_s", "0", "connect_timeout_s is 0.0: it must be more than 0 seconds"),
    ("request_deadline_s", "0", "request_deadline_s is 0.0: it must be more than 0 seconds"),
    ("retries", "0", "retries is 0: it must be at least 1"),
    ("page_size", "0", "page_size is 0: it must be at least 1"),
    ("page_size", "5000", "page_size is 5000: it must be at most 1000"),
    ("attachment_workers", "0", "attachment_workers is 0: it must be at least 1"),
    ("max_attachment_mb", "0", "max_attachment_mb is 0: it must be at least 1"),
    ("max_pages_per_pull", "0", "max_pages_per_pull is 0: it must be at least 1"),
    ("max_response_mb", "0", "max_response_mb is 0: it must be at least 1"),
    ("max_response_mb", "40", "max_response_mb is 40: a message carrying a photo of "
                              "max_attachment_mb (50) inline is larger"),
    ("pull_interval_minutes", "0", "pull_interval_minutes is 0: it must be at least 1"),
    ("billing_idle_seconds", "0", "billing_idle_seconds is 0: it must be at least 1"),
    ("practice_hours_start", "25:00", "practice_hours_start '25:00' is not a time of day"),
    ("practice_days", "9", "practice_days [9] must name days from 1 (Monday) to 7 (Sunday)"),
    ("language", "xx", "language 'xx' is not shipped: it must be one of en, nl"),
    ("database_url", "postgresql://u:secret@[::1/db", "database_url cannot be used"),
    ("database_url", "mysql://u@host/db", "database_url names a mysql database"),
    ("portal_url", "garbage", "portal_url 'garbage' is not a web address"),
    ("portal_url", "https://[::1/fhir", "portal_url 'https://[::1/fhir' is not a web address"),
])
def test_a_value_that_cannot_work_is_refused_up_front(capsys, tmp_path, monkeypatch, option,
                                                       value, words):
    monkeypatch.setenv("WORKBENCH_PORTAL_URL", LOOPBACK)
    monkeypatch.setenv(f"WORKBENCH_{option.upper()}", value)
    status, out, err = run(capsys, "sync", "--once", "--data-dir", str(tmp_path / "data"))
    assert status == cli.EXIT_CONFIG, err
    assert f"Configuration problem: {words}" in err
    assert "machine-wide file" in err and "Traceback" not in err and out == ""
    assert "secret" not in err  # a database address may hold a password
    assert not (tmp_path / "data").exists()  # nothing was done


def test_folders_that_are_files_are_refused(capsys, tmp_path, monkeypatch):
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    monkeypatch.setenv("WORKBENCH_PHOTO_EXPORT_DIR", str(a_file))
    status, _out, err = run(capsys, "stats", "--data-dir", str(tmp_path))
    assert status == cli.EXIT_CONFIG
    assert f"photo_export_dir {a_file} is not a folder" in err
    monkeypatch.delenv("WORKBENCH_PHOTO_EXPORT_DIR")
    status, _out, err = run(capsys, "stats", "--data-dir", str(a_file))
    assert status == cli.EXIT_CONFIG
    assert f"data_dir {a_file} is not a folder" in err


def test_commands_without_the_portal_need_no_portal_address(capsys, tmp_path):
    status, _out, err = run(capsys, "db", "upgrade", "--data-dir", str(tmp_path))
    assert status == 0, err
    status, _out, err = run(capsys, "stats", "--data-dir", str(tmp_path))
    assert status == 0, err


def test_db_upgrade_refuses_an_unparseable_database_address(capsys, tmp_path):
    status, _out, err = run(capsys, "db", "upgrade", "--database", "postgresql://u:pw@host:abc/db")
    assert status == cli.EXIT_CONFIG
    assert "Configuration problem: database_url cannot be used" in err


class _NoStdin:
    def isatty(self):
        return False

    def readline(self):
        raise AssertionError("the secret was asked for before the portal address was checked")


@pytest.mark.parametrize("portal, words", [
    (None, "portal_url is not set"),
    ("garbage", "portal_url 'garbage' is not a web address"),
])
def test_credentials_set_needs_a_usable_portal_address_first(capsys, tmp_path, monkeypatch,
                                                              portal, words):
    monkeypatch.setattr("sys.stdin", _NoStdin())
    status, _out, err = run(capsys, "credentials", "set",
                            *(["--portal", portal] if portal else []))
    assert status == cli.EXIT_CONFIG
    assert f"Configuration problem: {words}" in err


# -- command-line values ---------------------------------------------------------------------------
@pytest.fixture
def store_with_people(tmp_path, portal, capsys):
    common = ["--portal", portal.base_url, "--data-dir", str(tmp_path / "data")]
    assert run(capsys, "sync", "--once", *common)[0] == 0
    return common


def _export(capsys, common, *extra):
    return run(capsys, "export", "declarations", "--from", "2026-01-01", "--to", "2026-12-31",
               *common, *extra)


@pytest.mark.parametrize("output, words", [
    ("missing/folder/declaraties.csv", "the folder"),
    (".", "is a folder: give a file name"),
])
def test_export_into_a_missing_folder_is_one_sentence(capsys, tmp_path, store_with_people, output,
                                                      words):
    target = tmp_path / output
    status, _out, err = _export(capsys, store_with_people, "-o", str(target))
    assert status == cli.EXIT_CONFIG
    assert err.startswith(f"-o {target}") and words in err and "Traceback" not in err


@pytest.mark.parametrize("dates, words", [
    (("2026-13-01", "2026-12-31"), "Not a date: '2026-13-01'"),
    (("2026-01-01", "gisteren"), "Not a date: 'gisteren'"),
    (("2026-12-31", "2026-01-01"), "--to lies before --from."),
])
def test_bad_dates_are_one_sentence(capsys, tmp_path, dates, words):
    status, _out, err = run(capsys, "export", "declarations", "--from", dates[0], "--to",
                            dates[1], "--data-dir", str(tmp_path))
    assert status == cli.EXIT_CONFIG
    assert words in err


@pytest.mark.parametrize("argv, words", [
    (["--port", "99999"], "--port 99999 must be from 0 to 65535"),
    (["--port", "-1"], "--port -1 must be from 0 to 65535"),
    (["--fault-rate", "2"], "--fault-rate 2.0 must be from 0 to 1"),
    (["--photo-share", "1.5"], "--photo-share 1.5 must be from 0 to 1"),
    (["--consults", "-1"], "--consults -1 must be 0 or more"),
    (["--latency-ms", "-5"], "--latency-ms -5 must be 0 or more"),
    (["--malformed", "-1"], "--malformed -1 must be 0 or more"),
    (["--page-max", "0"], "--page-max 0 must be at least 1"),
])
def test_demo_portal_refuses_values_it_cannot_serve_with(capsys, argv, words):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["demo-portal", *argv])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.strip().endswith(f"workbench demo-portal: error: {words}")


# -- answers go out whatever the pull does ---------------------------------------------------------
def _close_one(tmp_path) -> str:
    """Closes an e-consult as the assistant: a status change waits in the outbox."""
    engine = database.make_engine(f"sqlite:///{tmp_path / 'data' / 'workbench.sqlite3'}")
    try:
        queries = InboxQueries(engine)
        assistant = next(p for p in queries.practitioners() if p.role is Role.ASSISTANT)
        # Not an urgent one: that closes only once the call is recorded.
        item = next(r.id for r in queries.page(ListView(ConsultStatus.INBOX), 0, 500)
                    if not (r.urgent or r.has_advice))
        # A minute ago: its undo time is over, so the next push sends it.
        a_minute_ago = datetime.now(timezone.utc) - timedelta(minutes=1)
        TriageService(engine, clock=lambda: a_minute_ago).close(
            item, Actor(assistant.id), CloseReason.ANSWERED)
        with Session(engine) as session:
            return session.get(EConsult, item).portal_id
    finally:
        engine.dispose()


@pytest.mark.parametrize("failure, status", [
    (PortalProtocolError("the portal answered garbage"), cli.EXIT_PORTAL),
    (RuntimeError("a bug in the pull"), cli.EXIT_BUG),
])
def test_answers_go_out_when_the_pull_fails(capsys, tmp_path, portal, store_with_people,
                                            monkeypatch, failure, status):
    root = _close_one(tmp_path)
    assert portal.dataset.communications[root]["status"] != "completed"

    def failing_pull(self):
        raise failure
    monkeypatch.setattr(SyncService, "run", failing_pull)
    got, out, err = run(capsys, "sync", "--once", *store_with_people)
    assert got == status, err
    assert portal.dataset.communications[root]["status"] == "completed"
    assert "Sent 1 status changes to the portal" in out


def test_answers_go_out_when_the_pull_is_skipped(capsys, tmp_path, portal, store_with_people,
                                                 monkeypatch):
    root = _close_one(tmp_path)
    monkeypatch.setattr(SyncService, "run", lambda self: _skipped())
    got, out, err = run(capsys, "sync", "--once", *store_with_people)
    assert got == 0, err
    assert portal.dataset.communications[root]["status"] == "completed"
    assert "Another workstation is pulling" in out and "Sent 1 status changes" in out


def _skipped():
    from workbench.services.sync import SyncResult
    return SyncResult(skipped=True)


def test_an_unfinished_pull_and_unprocessed_items_are_said(capsys, tmp_path, store_with_people,
                                                           monkeypatch):
    from workbench.services.sync import SyncResult
    result = SyncResult(fetched=3)
    result.incomplete = ["page_cap"]
    result.quarantined_open = 2
    monkeypatch.setattr(SyncService, "run", lambda self: result)
    got, out, _err = run(capsys, "sync", "--once", *store_with_people)
    assert got == cli.EXIT_PARTIAL
    assert "2 items could not be processed and wait in 'Niet verwerkt'." in out
    assert "Pull not finished: page_cap; the rest comes with the next pull." in out
