"""Window start-up, search-as-you-type and memory: 100 against 100,000 e-consults, in one run.

1. baseline: a bare PySide6 window (QApplication, QMainWindow, QTableView with 100 rows, shown),
   timed from process start to its first paint;
2. `workbench` over a store with 100 e-consults and over one with 100,000, timed from process
   start to the first page of the list painted (warm: each is started twice, the second counts);
3. search as you type over the 100,000: the list model answering each growing prefix;
4. memory: peak resident size of each process.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_window.py [--large 100000]
"""

from __future__ import annotations

import argparse
import os
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
    class Watch(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                rss = next(int(l.split()[1]) / 1024 for l in open("/proc/self/status")
                           if l.startswith("VmHWM:"))
                print(f"first-paint {time.time():.6f} rows 100 maxrss_mb {rss:.1f}", flush=True)
                QTimer.singleShot(0, app.quit)
                obj.removeEventFilter(self)
            return False
    watch = Watch()
    table.viewport().installEventFilter(watch)
    window.resize(1366, 740)
    window.show()
    app.exec()
""")


def timed_start(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds from process start to first paint, peak RSS in MB)."""
    started = time.time()
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    line = next((l for l in finished.stdout.splitlines() if l.startswith("first-paint")), None)
    if line is None:
        raise SystemExit(f"no first paint from {command}:\n{finished.stdout}\n{finished.stderr}")
    parts = line.split()
    return float(parts[1]) - started, float(parts[5])


def make_store(data_dir: Path, consults: int) -> None:
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
        sign_in_by_os_account(engine)
        engine.dispose()
    finally:
        portal.stop()


def sign_in_by_os_account(engine) -> None:
    """The window opens signed in, as on a workstation with single sign-on: the first
    assistant's account is linked to this OS account (the first account of a store is the
    praktijkmanager's, so one is made too)."""
    import getpass
    import secrets as random

    from workbench.services.accounts import AccountService, new_totp_secret
    from workbench.services.triage import Actor
    from workbench.store.models import Role
    accounts = AccountService(engine)
    password = random.token_urlsafe(16)
    accounts.add(None, "bench.beheer", "Bench Beheer", Role.MANAGER, password,
                 totp_secret=new_totp_secret())
    acting = Actor(next(a.id for a in accounts.accounts() if a.username == "bench.beheer"))
    assistant = engine.connect().exec_driver_sql(
        "SELECT portal_id FROM practitioner WHERE role = 'assistent' ORDER BY id LIMIT 1").scalar()
    accounts.add(acting, "bench.assistent", "Bench Assistent", Role.ASSISTANT, password,
                 portal_practitioner_id=assistant, os_account=getpass.getuser())


def search_times(data_dir: Path, words: list[str]) -> list[float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from workbench.services.inbox import InboxQueries, ListView
    from workbench.store import database
    from workbench.store.models import ConsultStatus
    from workbench.ui.inbox_model import InboxModel
    _app = QApplication.instance() or QApplication([])
    engine = database.make_engine(f"sqlite:///{data_dir / 'workbench.sqlite3'}")
    from datetime import datetime, timezone
    model = InboxModel(InboxQueries(engine), lambda: datetime.now(timezone.utc))
    model.set_view(ListView(ConsultStatus.INBOX))
    times = []
    for word in words:
        for end in range(1, len(word) + 1):  # as typed, letter by letter
            started = time.perf_counter()
            model.set_view(ListView(ConsultStatus.INBOX, search=word[:end]))
            model.rowCount()
            times.append(time.perf_counter() - started)
    engine.dispose()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    # An installed app has its bytecode compiled (pip and PyInstaller do it); a source checkout
    # under PYTHONDONTWRITEBYTECODE would otherwise recompile every module at every start.
    import compileall

    import workbench
    compileall.compile_dir(str(Path(workbench.__file__).parent), quiet=1)
    work = Path(tempfile.mkdtemp(prefix="workbench-bench-window-"))
    # A keyring of the benchmark's own (a file), holding an audit key: sign-in and views are
    # audited, and without a key they are refused.
    env.update(PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
               XDG_DATA_HOME=str(work / "keyring"))
    os.environ.update(PYTHON_KEYRING_BACKEND=env["PYTHON_KEYRING_BACKEND"],
                      XDG_DATA_HOME=env["XDG_DATA_HOME"])
    from workbench.services.secrets import set_audit_key
    set_audit_key(os.urandom(32))
    stores = {}
    for size in (args.small, args.large):
        stores[size] = work / f"store-{size}"
        stores[size].mkdir()
        started = time.perf_counter()
        make_store(stores[size], size)
        print(f"store with {size} e-consults synced in {time.perf_counter() - started:.1f} s")

    bare = [timed_start([sys.executable, "-c", BARE], env) for _ in range(3)][-1]
    print(f"bare PySide6 window: first paint {bare[0] * 1000:.0f} ms, {bare[1]:.0f} MB")
    results = {}
    for size, data_dir in stores.items():
        run_env = dict(env, WORKBENCH_BENCH_FIRST_PAINT="1", WORKBENCH_DATA_DIR=str(data_dir),
                       WORKBENCH_PORTAL_URL="http://127.0.0.1:9/fhir", WORKBENCH_AUTH="none",
                       WORKBENCH_SINGLE_SIGN_ON="true")
        command = [sys.executable, "-m", "workbench.cli"]
        results[size] = [timed_start(command, run_env) for _ in range(3)][-1]
        seconds, rss = results[size]
        print(f"workbench, {size:>6} e-consults: first page painted {seconds * 1000:.0f} ms "
              f"({seconds / bare[0]:.2f}x bare), {rss:.0f} MB ({rss - bare[1]:+.0f} MB vs bare)")
    small, large = results[args.small][0], results[args.large][0]
    print(f"start-up {args.large} vs {args.small}: {large / small:.2f}x (goal <= 1.1x); "
          f"vs bare: {large / bare[0]:.2f}x (goal <= 2.5x)")
    print(f"memory with {args.large}: {results[args.large][1] - bare[1]:+.0f} MB vs bare "
          "(goal < 150 MB)")
    times = search_times(stores[args.large], ["koorts", "recept", "uitslag", "huiduitslag",
                                              "pijn", "verwijzing"])
    print(f"search as you type over {args.large}: median {statistics.median(times) * 1000:.1f} "
          f"ms, worst {max(times) * 1000:.1f} ms over {len(times)} keystrokes (goal median "
          "< 50 ms)")


if __name__ == "__main__":
    main()
