"""A workstation's SQLite store survives the app being killed (SIGKILL) at any moment while it
is created or upgraded: the next start finds no store and creates one, or a working one."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from workbench.bootstrap import open_store
from workbench.config import load_settings
from workbench.store import database

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="kills forked processes")

# Runs in a subprocess that imports Workbench once and then, for each kill point N, forks a
# child that calls open_store and SIGKILLs itself at step N. A step is each SQL statement
# SQLite starts (a trace callback on every connection, Alembic's and the raw ones) and the
# moment before and after each file rename, removal or fsync done from Python: the kill
# points cover the moments between the things a creation or upgrade does to the disk.
KILLER = r'''
import json, os, shutil, signal, sqlite3, sys

from workbench.bootstrap import open_store
from workbench.config import load_settings

kill_at, steps, labels = None, 0, []


def step(what="?"):
    global steps
    if kill_at is not None:
        steps += 1
        if not kill_at:  # counting: what each step is
            labels.append(" ".join(str(what).split())[:40])
        if steps == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)


def traced(connect):
    def wrapper(*args, **kwargs):
        connection = connect(*args, **kwargs)
        connection.set_trace_callback(step)
        return connection
    return wrapper


def around(function):
    def wrapper(*args, **kwargs):
        step(f"before os.{function.__name__}")
        result = function(*args, **kwargs)
        step(f"after os.{function.__name__}")
        return result
    return wrapper


sqlite3.connect = sqlite3.dbapi2.connect = traced(sqlite3.connect)
for name in ("replace", "rename", "link", "unlink", "fsync"):
    setattr(os, name, around(getattr(os, name)))

template, base, points = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
# Warm up once here, so the children do not each import Alembic and the models.
open_store(load_settings({"data_dir": os.path.join(base, "warm-up"), "auth": "none"})).close()
for point in points:  # 0: count the steps of an undisturbed run
    data_dir = os.path.join(base, str(point))
    if template:
        shutil.copytree(template, data_dir)
    else:
        os.makedirs(data_dir)
    pid = os.fork()
    if pid == 0:
        kill_at, steps = point, 0  # 0: count only
        open_store(load_settings({"data_dir": data_dir, "auth": "none"})).close()
        kill_at = None
        print(json.dumps({"point": point, "steps": labels}), flush=True)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if point:
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        print(json.dumps({"point": point, "dir": data_dir, "killed": killed}), flush=True)
'''


def _kill_at(template: Path | None, base: Path, points: list[int]) -> list[dict]:
    done = subprocess.run([sys.executable, "-c", KILLER, str(template or ""), str(base),
                           json.dumps(points)], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parents[1], check=False)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def _kill_points(template: Path | None, base: Path, stride: int = 4) -> list[int]:
    """Every step outside the migrations' transaction, and every `stride`th inside it (those
    are all alike: uncommitted work that SQLite rolls back), to keep the test quick."""
    [run] = _kill_at(template, base / "undisturbed", [0])
    steps = run["steps"]
    begin = steps.index("BEGIN IMMEDIATE") + 1
    commit = steps.index("COMMIT", begin) + 1
    return [n for n in range(1, len(steps) + 1)
            if not begin < n < commit or (n - begin) % stride == 0]


def _settings(data_dir: Path):
    return load_settings({"data_dir": str(data_dir), "auth": "none"})


def _assert_works(data_dir: Path, patients: int) -> None:
    """The next start opens the store at head, with its data, and it takes a real write."""
    store = open_store(_settings(data_dir))
    try:
        assert database.current_revision(store.engine) == database.head_revision()
        with store.engine.begin() as connection:
            assert connection.scalar(text("SELECT count(*) FROM patient")) == patients
            connection.execute(text("INSERT INTO quarantined_resource (resource_type, portal_id,"
                                    " portal_version, reason, raw, quarantined_at) VALUES "
                                    "('Patient', 'after-kill', '1', 'test', '{}', "
                                    "'2026-11-30 10:00:00')"))
        with store.engine.connect() as connection:
            assert connection.scalar(text(
                "SELECT state FROM quarantined_resource WHERE portal_id = 'after-kill'")) == "open"
    finally:
        store.close()
    # Nothing of an interrupted creation is left beside the store.
    assert sorted(path.name for path in data_dir.iterdir()
                  if path.name.startswith("workbench.sqlite3.")) == []


def test_a_new_store_killed_at_any_step_of_its_creation_is_absent_or_working(tmp_path):
    points = _kill_points(None, tmp_path)
    assert len(points) > 50
    runs = _kill_at(None, tmp_path / "killed", points)
    assert [run["point"] for run in runs] == points
    assert all(run["killed"] for run in runs)
    outcomes = {"absent": 0, "complete": 0}
    for run in runs:
        data_dir = Path(run["dir"])
        store = data_dir / "workbench.sqlite3"
        if store.exists():
            outcomes["complete"] += 1
            with sqlite3.connect(store) as connection:  # before open_store touches it
                assert connection.execute("SELECT version_num FROM alembic_version"
                                          ).fetchone() == (database.head_revision(),)
        else:
            outcomes["absent"] += 1
        _assert_works(data_dir, patients=0)
        assert not (data_dir / "backups").exists()  # a new store holds nothing to back up
    assert outcomes["absent"] and outcomes["complete"]


@pytest.fixture
def older_store(tmp_path) -> Path:
    """A data folder whose store is at 0003 with patients and quarantined resources (0005
    copies that table in batch mode)."""
    data_dir = tmp_path / "older"
    engine = database.make_engine(str(data_dir / "workbench.sqlite3"))
    database.upgrade(engine, "0003")
    with engine.begin() as connection:
        for n in range(40):
            connection.execute(text("INSERT INTO patient (portal_id, name) VALUES (:id, :name)"),
                               {"id": f"pat-{n}", "name": f"Patiënt {n}"})
            connection.execute(text(
                "INSERT INTO quarantined_resource (resource_type, portal_id, portal_version, "
                "reason, raw, quarantined_at) VALUES ('Patient', :id, '1', 'bsn ongeldig', '{}',"
                " '2026-11-01 09:00:00')"), {"id": f"q-{n}"})
    engine.dispose()
    return data_dir


def test_an_older_store_killed_at_any_step_of_its_upgrade_keeps_its_data(tmp_path, older_store):
    points = _kill_points(older_store, tmp_path)
    runs = _kill_at(older_store, tmp_path / "killed", points)
    assert [run["point"] for run in runs] == points
    assert all(run["killed"] for run in runs)
    for run in runs:
        data_dir = Path(run["dir"])
        with sqlite3.connect(data_dir / "workbench.sqlite3") as connection:
            # The old revision with its data, or the new one: never half-way.
            revision, = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            assert revision in ("0003", database.head_revision())
            tables = {name for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            assert ("declaration" in tables) == (revision == database.head_revision())
            assert not {name for name in tables if name.startswith("_alembic_tmp")}
        _assert_works(data_dir, patients=40)
        # Every file that counts as a backup is a complete copy of the old store.
        for backup in (data_dir / "backups").glob("*.sqlite3"):
            with sqlite3.connect(backup) as connection:
                assert connection.execute("SELECT version_num FROM alembic_version"
                                          ).fetchone() == ("0003",)
                assert connection.execute("SELECT count(*) FROM patient").fetchone() == (40,)
        assert not list((data_dir / "backups").glob(".*"))  # a killed copy's leftovers


def test_a_store_half_created_by_an_older_version_is_made_anew(tmp_path):
    # What a kill left under an older Workbench, whose DDL committed statement by statement:
    # Alembic's table without a revision and some empty tables.
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    connection = sqlite3.connect(data_dir / "workbench.sqlite3")
    connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    connection.execute("CREATE TABLE patient (id INTEGER PRIMARY KEY, name TEXT)")
    connection.close()
    _assert_works(data_dir, patients=0)


def test_a_creation_waits_for_another_that_is_under_way(tmp_path):
    # Two first starts at once (the window and a scheduled `workbench sync`): one builds, the
    # other waits on the OS lock and then opens what the first made.
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    lock = data_dir / "workbench.sqlite3.creating.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", ("import fcntl, sys, time; f = open(sys.argv[1], 'w'); "
                                "fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True); "
                                "time.sleep(60)"), str(lock)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        opener = subprocess.Popen(
            [sys.executable, "-c", ("import sys; from workbench.bootstrap import open_store; "
                                    "from workbench.config import load_settings; open_store("
                                    "load_settings({'data_dir': sys.argv[1], 'auth': 'none'}))"
                                    ".close()"), str(data_dir)], cwd=Path(__file__).parents[1])
        with pytest.raises(subprocess.TimeoutExpired):
            opener.wait(timeout=2)  # waits for the lock
        assert not (data_dir / "workbench.sqlite3").exists()
    finally:
        os.kill(holder.pid, signal.SIGKILL)  # the OS releases its lock
        holder.wait()
    assert opener.wait(timeout=60) == 0
    _assert_works(data_dir, patients=0)
