"""Window start-up and memory, against a bare PySide6 window in the same run.

Started in turn, one after the other, `--runs` times each (after one warm-up round that is
printed but not counted):

1. the floor: a bare PySide6 window (QApplication, QMainWindow, QTableView with 100 rows,
   shown), timed from process start to its first paint;
2. `workbench` over a store with 100 e-consults and over one with 100,000, timed in two parts,
   the two waits a person sees:
   - from process start to the sign-in screen painted;
   - from signed in (the moment the password check succeeded, on its worker thread) to the
     first page of the inbox painted;
   and, apart, the time from the sign-in screen painted to the store open (the store opens
   beside the sign-in screen while the person types; the benchmark's person types at once and
   presses Enter on the first paint, so the wait until signed in also holds the deliberately
   slow password check);
3. memory: the peak resident size of every process.

Every run is printed, then the medians and the ratios (goal: each part within 2x the bare
window; the first page as fast with 100,000 e-consults as with 100, within 1.1x; at most
150 MB more memory than the bare window). Search as you type is measured by bench_search.py.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_window.py [--runs 5] [--large 100000]
        [--store-cache DIR]

Syncing the 100,000 store takes minutes (over ten on a busy machine): with `--store-cache DIR`
the stores (and the keyring with their audit key and the password) are made there once and
copied from there on later runs, after checking they hold the e-consults asked for.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

BARE = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    model = QStandardItemModel(100, 9)
    for row in range(100):
        for column in range(9):
            model.setItem(row, column, QStandardItem(f"{row}-{column}"))
    table = QTableView()
    table.setModel(model)
    window.setCentralWidget(table)
    def report():
        rss = next(int(l.split()[1]) / 1024 for l in open("/proc/self/status")
                   if l.startswith("VmHWM:"))
        print(f"painted {time.time():.6f} rss_mb {rss:.1f}", flush=True)
        app.quit()
    class Watch(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                obj.removeEventFilter(self)
                QTimer.singleShot(0, report)  # after the whole frame, as the app's own mark
            return False
    watch = Watch()
    table.viewport().installEventFilter(watch)
    window.resize(1366, 740)
    window.show()
    app.exec()
""")

USER = "bench.assistent"


def run_marked(command: list[str], env: dict[str, str]) -> tuple[float, dict[str, float], float]:
    """Start `command`; (its start time, {mark: time printed}, peak RSS in MB)."""
    started = time.time()
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    marks, rss = {}, 0.0
    for line in finished.stdout.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] == "rss_mb":
            marks[parts[0]] = float(parts[1])
            rss = max(rss, float(parts[3]))
    if not marks:
        raise SystemExit(f"no paint reported by {command}:\n{finished.stdout}\n{finished.stderr}")
    return started, marks, rss


def run_bare(env: dict[str, str]) -> dict[str, float]:
    started, marks, rss = run_marked([sys.executable, "-c", BARE], env)
    return {"start": marks["painted"] - started, "rss": rss}


def run_workbench(env: dict[str, str]) -> dict[str, float]:
    started, marks, rss = run_marked([sys.executable, "-m", "workbench.cli"], env)
    missing = {"sign-in-painted", "signed-in", "inbox-painted"} - marks.keys()
    if missing:
        raise SystemExit(f"workbench did not report {sorted(missing)}: {marks}")
    return {"sign_in": marks["sign-in-painted"] - started,
            "open": marks.get("store-open", marks["sign-in-painted"]) - marks["sign-in-painted"],
            "check": marks["signed-in"] - marks["sign-in-painted"],
            "inbox": marks["inbox-painted"] - marks["signed-in"], "rss": rss}


def make_store(data_dir: Path, consults: int, password: str) -> None:
    """A store filled by a real sync from the demo portal (text only, photos do not matter)."""
    from workbench.demo.server import DemoPortal, PortalOptions
    from workbench.services.portal_client import PortalClient
    from workbench.services.sync import SyncService
    from workbench.store import database
    from workbench.store.blobs import BlobStore
    portal = DemoPortal(PortalOptions(seed=1, consults=consults, photo_share=0.0, page_max=1000))
    portal.start("127.0.0.1", 0)
    try:
        engine = database.make_engine(f"sqlite:///{data_dir / 'workbench.sqlite3'}")
        database.upgrade(engine)
        SyncService(PortalClient(portal.base_url), engine, BlobStore(data_dir / "attachments"),
                    page_size=1000).run()
        add_accounts(engine, password)
        engine.dispose()
    finally:
        portal.stop()


def add_accounts(engine, password: str) -> None:
    """An assistant who signs in with a password (the first account of a store is the
    praktijkmanager's, so one is made too)."""
    from workbench.services.accounts import AccountService, new_totp_secret
    from workbench.services.triage import Actor
    from workbench.store.models import Role
    accounts = AccountService(engine)
    accounts.add(None, "bench.beheer", "Bench Beheer", Role.MANAGER, password,
                 totp_secret=new_totp_secret())
    acting = Actor(next(a.id for a in accounts.accounts() if a.username == "bench.beheer"))
    assistant = engine.connect().exec_driver_sql(
        "SELECT portal_id FROM practitioner WHERE role = 'assistent' ORDER BY id LIMIT 1").scalar()
    accounts.add(acting, USER, "Bench Assistent", Role.ASSISTANT, password,
                 portal_practitioner_id=assistant)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:6.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--store-cache", type=Path, metavar="DIR",
                        help="make the stores here once and reuse them on later runs")
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    # An installed app has its bytecode compiled (pip and PyInstaller do it); a source checkout
    # under PYTHONDONTWRITEBYTECODE would otherwise recompile every module at every start.
    import compileall

    import workbench
    compileall.compile_dir(str(Path(workbench.__file__).parent), quiet=1)
    work = Path(tempfile.mkdtemp(prefix="workbench-bench-window-"))
    try:
        measure(args, env, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # the stores hold 100,000 e-consults


def holds(store: Path, consults: int) -> bool:
    """A cached store that was finished: `consults` e-consults and the benchmark's assistant."""
    import sqlite3
    path = store / "workbench.sqlite3"
    if not (store / "complete").exists() or not path.exists():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            found = db.execute("SELECT count(*) FROM econsult").fetchone()[0]
            users = db.execute("SELECT count(*) FROM practitioner WHERE username = ?",
                               (USER,)).fetchone()[0]
    except sqlite3.Error:
        return False
    return found == consults and users == 1


def prepare_stores(sizes: tuple[int, ...], work: Path, cache: Path | None
                   ) -> tuple[dict[int, Path], str]:
    """A store per size in `work`: synced there, or (`cache`) copied from the cache, which is
    synced first where it lacks one. The keyring (its audit key) and the password go with
    the stores: the audit trail in a store is chained with that key."""
    from workbench.services.secrets import get_audit_key, set_audit_key
    home = cache if cache is not None else work
    home.mkdir(parents=True, exist_ok=True)
    keep = home / "password"
    if get_audit_key() is None or not keep.exists():  # a new key: no store made before fits
        set_audit_key(os.urandom(32))
        keep.write_text(secrets.token_urlsafe(16))
        if cache is not None:
            for old in cache.glob("store-*"):
                shutil.rmtree(old)
    password = keep.read_text()
    stores = {}
    for size in sizes:
        made = home / f"store-{size}"
        if cache is not None and holds(made, size):
            print(f"store with {size} e-consults from the cache {made}")
        else:
            shutil.rmtree(made, ignore_errors=True)
            made.mkdir()
            started = time.perf_counter()
            make_store(made, size, password)
            (made / "complete").touch()
            print(f"store with {size} e-consults synced in {time.perf_counter() - started:.1f} s")
        if cache is None:
            stores[size] = made
        else:  # a copy: the runs sign in and write to it, the cached one stays as made
            from workbench.store import database
            engine = database.make_engine(f"sqlite:///{made / 'workbench.sqlite3'}")
            database.upgrade(engine)  # made by an older Workbench: brought up to date once
            engine.dispose()
            stores[size] = work / f"store-{size}"
            shutil.copytree(made, stores[size])
    return stores, password


def measure(args: argparse.Namespace, env: dict[str, str], work: Path) -> None:
    # A keyring of the benchmark's own (a file), holding an audit key: sign-in and views are
    # audited, and without a key they are refused.
    keyring_home = (args.store_cache or work) / "keyring"
    env.update(PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
               XDG_DATA_HOME=str(keyring_home.resolve()))
    os.environ.update(PYTHON_KEYRING_BACKEND=env["PYTHON_KEYRING_BACKEND"],
                      XDG_DATA_HOME=env["XDG_DATA_HOME"])
    sizes = (args.small, args.large)
    stores, password = prepare_stores(sizes, work, args.store_cache)
    app_env = {size: dict(env, WORKBENCH_BENCH_FIRST_PAINT="1", WORKBENCH_DATA_DIR=str(path),
                          WORKBENCH_PORTAL_URL="http://127.0.0.1:9/fhir", WORKBENCH_AUTH="none",
                          WORKBENCH_SINGLE_SIGN_ON="false", WORKBENCH_BENCH_USER=USER,
                          WORKBENCH_BENCH_PASSWORD=password)
               for size, path in stores.items()}

    bare: list[dict[str, float]] = []
    runs: dict[int, list[dict[str, float]]] = {size: [] for size in sizes}
    print("\nrun    what                  start->sign-in  signed-in->inbox  (sign-in screen->store"
          " open, ->signed in)  peak memory")
    for number in range(args.runs + 1):
        label = "warm" if number == 0 else f"{number:>4}"
        # In turn, the order moved on each round, so no one always follows another.
        order = ["bare", *sizes]
        order = order[number % 3:] + order[:number % 3]
        for what in order:
            if what == "bare":
                run = run_bare(env)
                print(f"{label}   bare window           {ms(run['start'])} (first paint)"
                      f"{'':45}{run['rss']:5.0f} MB")
                if number:
                    bare.append(run)
            else:
                run = run_workbench(app_env[what])
                print(f"{label}   workbench {what:>7}     {ms(run['sign_in'])}       "
                      f"{ms(run['inbox'])}         {ms(run['open'])}, {ms(run['check'])}"
                      f"{'':15}{run['rss']:5.0f} MB")
                if number:
                    runs[what].append(run)

    def median(rows, key):
        return statistics.median(row[key] for row in rows)

    floor, floor_rss = median(bare, "start"), median(bare, "rss")
    print(f"\nmedians of {args.runs} runs each (load: {os.getloadavg()[0]:.2f})")
    print(f"bare window, process start to first paint: {ms(floor).strip()}, "
          f"{floor_rss:.0f} MB")
    for size in sizes:
        sign_in, inbox = median(runs[size], "sign_in"), median(runs[size], "inbox")
        rss = median(runs[size], "rss")
        print(f"workbench, {size:>6} e-consults: start to sign-in painted {ms(sign_in).strip()} "
              f"({sign_in / floor:.2f}x bare), signed-in to inbox painted {ms(inbox).strip()} "
              f"({inbox / floor:.2f}x bare) (goal each <= 2x); sign-in screen to store open "
              f"{ms(median(runs[size], 'open')).strip()}, to signed in "
              f"{ms(median(runs[size], 'check')).strip()}; {rss:.0f} MB "
              f"({rss - floor_rss:+.0f} MB vs bare, goal < +150 MB)")
    small, large = median(runs[args.small], "inbox"), median(runs[args.large], "inbox")
    print(f"signed-in to inbox painted, {args.large} vs {args.small}: {large / small:.2f}x "
          "(goal <= 1.1x)")


if __name__ == "__main__":
    main()
