"""Live refresh between workstations on PostgreSQL, and what it costs a pull, in one run.

Serves the demo portal (no photos) in its own process, then on a scratch database beside the
given one:
1. a pull of N e-consults with the change triggers disabled (the baseline: no notifications),
   then the same pull into an empty database with the triggers on, workstation B listening
   and a presence heartbeat running: the ratio (goal: at most 1.1x);
2. on that store, 1,000 changes committed by workstation A (routing to a GP's worklist and
   sending back, alternately), each timed from A's commit until B's list model (the whole
   main window, offscreen) shows it: median and 95th percentile (goal: p95 under 1 s).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_live.py \
        [--database-url postgresql://postgres:workbench-ci@127.0.0.1:5432/workbench_test] \
        [--consults 10000] [--changes 1000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

from bench_sync import transport_limit
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from workbench.services.live_changes import ChangeListener
from workbench.services.portal_client import PortalClient
from workbench.services.presence import HEARTBEAT_SECONDS, PresenceService
from workbench.services.sync import SyncService
from workbench.store import database
from workbench.store.blobs import BlobStore

TRIGGERS = ("econsult_notify_insert", "econsult_notify_update")
PRESENCE_TRIGGERS = ("presence_notify_insert", "presence_notify_update", "presence_notify_delete")


def utc_now() -> datetime:
    return datetime.now(UTC)


def scratch_database(server_url: str) -> str:
    """A database of the benchmark's own on the server, created empty."""
    url = make_url(database.normalise_url(server_url))
    name = f"{url.database}_bench_live"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def empty_store(url: str):
    engine = database.make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    database.upgrade(engine)
    return engine


def set_triggers(engine, enabled: bool) -> None:
    verb = "ENABLE" if enabled else "DISABLE"
    with engine.begin() as connection:
        for trigger in TRIGGERS:
            connection.execute(text(f"ALTER TABLE econsult {verb} TRIGGER {trigger}"))
        for trigger in PRESENCE_TRIGGERS:
            connection.execute(text(f"ALTER TABLE presence {verb} TRIGGER {trigger}"))


def timed_pull(base_url: str, engine, workdir: Path, page_size: int) -> float:
    sync = SyncService(PortalClient(base_url), engine, BlobStore(workdir / "attachments"),
                       page_size=page_size, workers=4)
    started = time.perf_counter()
    result = sync.run()
    seconds = time.perf_counter() - started
    assert result.ok, result.errors[:5]
    return seconds


def pull_with_live_parts(base_url: str, engine, workdir: Path, page_size: int
                         ) -> tuple[float, int]:
    """The pull as it runs in a practice: notifications on, another workstation listening,
    and someone's presence renewed meanwhile. Returns (seconds, reports the listener got)."""
    reports = []
    listener = ChangeListener(engine, lambda e, p: reports.append((e, p)))
    listener.start()
    listener.wait_listening()
    stop = threading.Event()

    def heartbeat() -> None:
        presence = PresenceService(engine, workstation="spreekkamer-2")
        while not stop.wait(HEARTBEAT_SECONDS / 10):  # ten times the real rate
            with engine.connect() as connection:
                ids = connection.execute(text(
                    "SELECT (SELECT min(id) FROM econsult), (SELECT min(id) FROM practitioner)"
                )).one()
            if ids[0] is not None and ids[1] is not None:
                presence.mark(ids[0], ids[1])
    beating = threading.Thread(target=heartbeat, daemon=True)
    beating.start()
    try:
        seconds = timed_pull(base_url, engine, workdir, page_size)
    finally:
        stop.set()
        beating.join()
        listener.stop()
    return seconds, len(reports)


def latency(url: str, workdir: Path, changes: int) -> list[float]:
    """Seconds from A's commit to B's list model showing each change."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from workbench.config import load_settings
    from workbench.services.inbox import InboxQueries, ListView
    from workbench.services.schedule import PullSchedule
    from workbench.services.triage import TriageService
    from workbench.store.models import ConsultStatus, Role
    from workbench.ui.context import UiContext
    from workbench.ui.main_window import MainWindow
    from workbench.ui.sync_controller import SyncController
    from workbench.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    engine_b = database.make_engine(url)
    queries = InboxQueries(engine_b)
    staff = queries.practitioners()
    assistant = next(p for p in staff if p.role is Role.ASSISTANT)
    gp = next(p for p in staff if p.role is Role.GP)
    tasks = TaskRunner()
    context = UiContext(settings=load_settings({"data_dir": str(workdir / "b")}),
                        engine=engine_b, blobs=BlobStore(workdir / "b" / "attachments"),
                        queries=queries, triage=TriageService(engine_b), tasks=tasks,
                        user=assistant, clock=utc_now)
    sync = SyncController(tasks, lambda: None, PullSchedule(), utc_now)
    window = MainWindow(context, sync)
    window.resize(1366, 740)
    window.show()
    window.navigation.select_view(ListView(ConsultStatus.INBOX))
    model = window.inbox.model
    assert window.live.live.listener.wait_listening()
    # Routed with the urgency they have, so that sending back puts them where they were.
    picked = [model.consult_row(n) for n in range(min(50, model.rowCount()))]
    calm = [(row.id, "URGENT" if row.urgent else "NORMAL") for row in picked]

    # Workstation A is a process of its own: it commits what it is told, and says when.
    from PySide6.QtCore import QSocketNotifier
    process_a = subprocess.Popen([sys.executable, __file__, "--workstation-a", url],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                 bufsize=1)
    state: dict = {"n": 0, "change": None, "committed": None, "seen": None}
    results: list[float] = []

    def next_change() -> None:
        n = state["n"]
        if n >= changes:
            app.quit()
            return
        econsult_id, urgency = calm[(n // 2) % len(calm)]
        state.update(change=(econsult_id, n % 2 == 1), committed=None, seen=None)
        command = f"route {econsult_id} {assistant.id} {gp.id} {urgency}" if n % 2 == 0 \
            else f"back {econsult_id} {gp.id}"
        process_a.stdin.write(command + "\n")
        process_a.stdin.flush()

    def settle() -> None:
        if state["committed"] is not None and state["seen"] is not None:
            results.append(max(0.0, state["seen"] - state["committed"]))
            state["n"] += 1
            next_change()

    def check(*_args) -> None:
        if state["change"] is None or state["seen"] is not None:
            return
        econsult_id, listed = state["change"]
        if (model.row_of(econsult_id) is not None) == listed:
            state["seen"] = time.monotonic()  # one clock for both processes (Linux)
            settle()

    def committed() -> None:
        line = process_a.stdout.readline().split()
        if line and line[0] == "done":
            state["committed"] = float(line[1])
            check()
            settle()

    for signal in (model.rowsInserted, model.rowsRemoved, model.layoutChanged,
                   model.modelReset, model.dataChanged):
        signal.connect(check)
    notifier = QSocketNotifier(process_a.stdout.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(lambda *_args: committed())
    QTimer.singleShot(0, next_change)
    QTimer.singleShot(changes * 10_000, app.quit)  # a change not seen at all ends the run
    app.exec()
    notifier.setEnabled(False)
    process_a.stdin.close()
    process_a.wait(30)
    window._quit_confirmed = True
    window.close()
    sync.stop()
    tasks.wait_for_done()
    engine_b.dispose()
    return results


def workstation_a(url: str) -> None:
    """Commits the routings and send-backs it reads on stdin; prints when each committed."""
    from workbench.services.secrets import use_process_audit_key
    from workbench.services.triage import Actor, TriageService
    from workbench.store.models import Urgency
    use_process_audit_key(os.urandom(32))
    triage = TriageService(database.make_engine(url), workstation="balie-1")
    for line in sys.stdin:
        words = line.split()
        if words[0] == "route":
            triage.route(int(words[1]), Actor(int(words[2])), int(words[3]),
                         Urgency[words[4]])
        else:
            triage.send_back(int(words[1]), Actor(int(words[2])))
        print(f"done {time.monotonic()}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get(
        "WORKBENCH_TEST_POSTGRES_URL",
        "postgresql://postgres:workbench-ci@127.0.0.1:5432/workbench_test"))
    parser.add_argument("--consults", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=1_000)
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2,
                        help="pulls of each kind, alternating; the fastest of each counts")
    parser.add_argument("--workstation-a", help=argparse.SUPPRESS)  # the other process
    args = parser.parse_args()
    if args.workstation_a:
        workstation_a(args.workstation_a)
        return

    portal = subprocess.Popen(
        [sys.executable, "-m", "workbench.demo.server", "--seed", "1",
         "--consults", str(args.consults), "--photo-share", "0",
         "--page-max", str(args.page_size)], stdout=subprocess.PIPE, text=True)
    first_line = portal.stdout.readline().strip()
    if not first_line.startswith("listening on "):
        raise SystemExit(f"demo portal did not start: {first_line!r}")
    base_url = first_line.removeprefix("listening on ")
    workdir = Path(tempfile.mkdtemp(prefix="workbench-bench-live-"))
    url = scratch_database(args.database_url)
    try:
        from workbench.services.secrets import use_process_audit_key
        use_process_audit_key(os.urandom(32))  # A's actions are audited: a throw-away key
        from workbench.services.urgency import default_advisor
        default_advisor()  # built once per process, as in a running app (see bench_sync.py)
        transport_limit(base_url, args.page_size)  # the portal's caches warm for both pulls

        withouts, withs = [], []
        for round_ in range(args.rounds):
            engine = empty_store(url)
            set_triggers(engine, enabled=False)
            withouts.append(timed_pull(base_url, engine, workdir / f"without{round_}",
                                       args.page_size))
            engine.dispose()
            print(f"pull of {args.consults} e-consults, notify triggers disabled: "
                  f"{withouts[-1]:.2f} s")
            engine = empty_store(url)
            seconds, reports = pull_with_live_parts(base_url, engine, workdir / f"with{round_}",
                                                    args.page_size)
            withs.append(seconds)
            with engine.connect() as connection:
                versions = connection.scalar(text("SELECT sum(version) FROM econsult"))
            engine.dispose()
            print(f"pull of {args.consults} e-consults, triggers on, a listener and a presence "
                  f"heartbeat running: {seconds:.2f} s ({reports} reports to the listener, "
                  f"sum of versions {versions})")
        print(f"ratio with / without (fastest of {args.rounds} each): "
              f"{min(withs) / min(withouts):.3f}x (goal <= 1.10x)")

        seconds = latency(url, workdir, args.changes)
        if seconds:
            ordered = sorted(seconds)
            p95 = statistics.quantiles(ordered, n=20)[18] if len(ordered) > 1 else ordered[0]
            print(f"A commit -> B's list model, {len(seconds)} of {args.changes} changes seen: "
                  f"median {1000 * statistics.median(ordered):.0f} ms, "
                  f"p95 {1000 * p95:.0f} ms, max {1000 * ordered[-1]:.0f} ms "
                  "(goal: p95 < 1000 ms)")
    finally:
        portal.terminate()
        portal.wait(30)
        shutil.rmtree(workdir, ignore_errors=True)
        server = create_engine(database.normalise_url(args.database_url),
                               isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            connection.execute(text(
                f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
        server.dispose()


if __name__ == "__main__":
    main()
