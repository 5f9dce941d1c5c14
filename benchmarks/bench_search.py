"""Search as you type over 100,000 e-consults, the list repainted, against an FTS5 floor.

1. A store of `--consults` e-consults (text only) pulled from the demo portal by the real sync
   (the urgency advice is left out: it takes minutes and search does not need it), or reused
   from `--store DIR` when that holds one already.
2. Words typed letter by letter, from the second letter (one letter is no search yet), rare
   words and common ones. Each keystroke is timed from the text set to the list repainted:
   - the app: the real InboxView (search field, InboxModel, its column fitting), the
     search applied at once (`show_view`, as the field does after its 150 ms typing pause),
     until the table's viewport has painted;
   - the floor: the same FTS5 MATCH straight on sqlite3, ranked as the app ranks (whole-word
     hits first, then the list's order: sort_rank, waiting_since, id), LIMIT one page (200),
     with the columns a list shows, put into a plain table model (display text only, as
     stored) in a plain QTableView of the list's size, row height and stretched subject
     column, until its viewport has painted. The floor leaves out what the app does beside
     the messages: patient names (LIKE), unread per person, urgency and waiting colours.
3. `--runs` rounds, app and floor alternating, after one warm-up round that is printed but
   not counted. Every round prints the mean time per keystroke for rare and for common words;
   then the medians over the rounds and the ratio app / floor (goal: at most 1.5x for both).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_search.py [--runs 5] [--store DIR]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Hits among 100,000 demo e-consults (messages with the whole word): rare 22-175, common
# 8,900-17,000; every prefix typed on the way counts too.
RARE = ["plotseling", "geheugen", "neusbloeding", "optillen"]
COMMON = ["koorts", "huisarts", "paracetamol", "afspraak"]
PAGE = 200


class NoAdvice(Exception):
    """Raised instead of advising: the store is for searching."""


def no_advice():
    raise NoAdvice


def make_store(data_dir: Path, consults: int) -> None:
    from workbench.demo.server import DemoPortal, PortalOptions
    from workbench.services.portal_client import PortalClient
    from workbench.services.sync import SyncService
    from workbench.store import database
    from workbench.store.blobs import BlobStore
    logging.getLogger("workbench.services.advice").setLevel(logging.CRITICAL)
    portal = DemoPortal(PortalOptions(seed=1, consults=consults, photo_share=0.0,
                                      page_max=1000))
    portal.start("127.0.0.1", 0)
    try:
        engine = database.make_engine(f"sqlite:///{data_dir / 'workbench.sqlite3'}")
        database.upgrade(engine)
        result = SyncService(PortalClient(portal.base_url), engine,
                             BlobStore(data_dir / "attachments"), page_size=1000,
                             max_pages=10_000, advisor_factory=no_advice).run()
        if result.incomplete or result.econsults_created < consults:
            raise SystemExit(f"the pull did not finish: {result.as_dict()}")
        engine.dispose()
    finally:
        portal.stop()


# The floor's query: the FTS5 MATCH ranked as the app ranks, one page.
FLOOR_SQL = """
SELECT e.id, e.received_at, e.waiting_since, p.name, e.status, e.photo_count, e.subject
FROM econsult e JOIN patient p ON p.id = e.patient_id
WHERE e.id IN (SELECT econsult_id FROM message WHERE id IN
               (SELECT rowid FROM message_fts WHERE message_fts MATCH :prefix))
ORDER BY e.id NOT IN (SELECT econsult_id FROM message WHERE id IN
                      (SELECT rowid FROM message_fts WHERE message_fts MATCH :whole)),
         e.sort_rank, e.waiting_since, e.id
LIMIT 200
"""


def prefixes(word: str) -> list[str]:
    return [word[:end] for end in range(2, len(word) + 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consults", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="timed rounds of each (default 5)")
    parser.add_argument("--store", type=Path,
                        help="a directory to keep the store in and reuse (default: a new one, "
                             "removed at the end)")
    parser.add_argument("--show-keys", action="store_true",
                        help="print every keystroke's time too")
    args = parser.parse_args()

    data_dir = args.store or Path(tempfile.mkdtemp(prefix="workbench-bench-search-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    database_file = data_dir / "workbench.sqlite3"
    if not database_file.exists():
        started = time.perf_counter()
        make_store(data_dir, args.consults)
        print(f"store with {args.consults} e-consults pulled in "
              f"{time.perf_counter() - started:.0f} s: {database_file}")
    else:
        print(f"store reused: {database_file}")

    from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt
    from PySide6.QtWidgets import QApplication, QTableView

    from workbench.config import load_settings
    from workbench.services.inbox import InboxQueries, ListView
    from workbench.services.triage import TriageService
    from workbench.store import database
    from workbench.store.blobs import BlobStore
    from workbench.store.models import Role
    from workbench.store.search import query_terms
    from workbench.ui.context import UiContext
    from workbench.ui.inbox_view import InboxView
    from workbench.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])

    class PaintCounter(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.paints = 0

        def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint:
                self.paints += 1
            return False

    def until_painted(counter: PaintCounter, before: int) -> None:
        while counter.paints == before:
            app.processEvents()

    # -- the app: the real list pane ---------------------------------------------------------
    engine = database.make_engine(f"sqlite:///{database_file}")
    queries = InboxQueries(engine)
    assistant = next(p for p in queries.practitioners() if p.role is Role.ASSISTANT)
    tasks = TaskRunner()
    context = UiContext(settings=load_settings({"data_dir": str(data_dir)}), engine=engine,
                        blobs=BlobStore(data_dir / "attachments"), queries=queries,
                        triage=TriageService(engine, workstation="bench"), tasks=tasks,
                        user=assistant, clock=lambda: datetime.now(timezone.utc))
    view = InboxView(context)
    view.resize(900, 700)
    view.show_view(ListView())
    view.show()
    app_paints = PaintCounter()
    view.table.viewport().installEventFilter(app_paints)
    until_painted(app_paints, 0)

    def app_search(text: str) -> None:
        before = app_paints.paints
        view.search_field.setText(text)
        view.show_view(view.model.view)  # applies the field's text now
        until_painted(app_paints, before)

    # -- the floor: sqlite3 and a plain model ------------------------------------------------
    connection = sqlite3.connect(database_file)

    class PlainModel(QAbstractTableModel):
        rows: list[tuple] = []

        def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
            return 0 if parent.isValid() else len(self.rows)

        def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
            return 0 if parent.isValid() else 7

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role == Qt.ItemDataRole.DisplayRole:
                value = self.rows[index.row()][index.column()]
                return "" if value is None else str(value)
            return None

        def show(self, rows: list[tuple]) -> None:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()

    plain = PlainModel()
    table = QTableView()
    table.setModel(plain)
    # The list's shape: as many rows in view, the subject taking the room that is left.
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(view.table.verticalHeader().defaultSectionSize())
    table.horizontalHeader().setStretchLastSection(True)
    table.resize(view.table.size())
    table.show()
    floor_paints = PaintCounter()
    table.viewport().installEventFilter(floor_paints)
    until_painted(floor_paints, 0)

    def floor_search(text: str) -> None:
        before = floor_paints.paints
        terms = query_terms(text)
        rows = connection.execute(FLOOR_SQL, {
            "prefix": " ".join(f'"{t}"*' for t in terms),
            "whole": " ".join(f'"{t}"' for t in terms)}).fetchall() if terms else []
        plain.show(rows)
        until_painted(floor_paints, before)

    def type_words(search, words: list[str]) -> list[float]:
        times = []
        for word in words:
            for text in prefixes(word):
                started = time.perf_counter()
                search(text)
                times.append(time.perf_counter() - started)
            search("")  # the field cleared for the next word: not timed
        return times

    def check_same_hits() -> None:
        """The app's rows are the floor's wherever names do not add hits (a sanity check)."""
        for word in RARE + COMMON:
            app_search(word)
            app_ids = [view.model.econsult_id(r) for r in range(min(PAGE, view.model.rowCount()))]
            floor_search(word)
            floor_ids = [row[0] for row in plain.rows]
            same = app_ids == floor_ids
            print(f"  {word}: app {len(app_ids)} rows, floor {len(floor_ids)} rows, "
                  f"{'same order' if same else 'different (patient names match too?)'}")
        app_search("")

    print(f"keystrokes: rare {sum(len(prefixes(w)) for w in RARE)} ({', '.join(RARE)}), "
          f"common {sum(len(prefixes(w)) for w in COMMON)} ({', '.join(COMMON)})")
    check_same_hits()
    results: dict[tuple[str, str], list[float]] = {}
    worst: dict[tuple[str, str], float] = {}
    for run in range(args.runs + 1):
        label = "warm-up" if run == 0 else f"run {run}"
        line, means = [], {}
        for who, search in (("app", app_search), ("floor", floor_search)):
            for kind, words in (("rare", RARE), ("common", COMMON)):
                times = type_words(search, words)
                means[(who, kind)] = mean = statistics.fmean(times)
                line.append(f"{who} {kind} {mean * 1000:6.1f} ms")
                if args.show_keys:
                    print(f"  {who} {kind}: " + " ".join(f"{t * 1000:.0f}" for t in times))
                if run:
                    results.setdefault((who, kind), []).append(mean)
                    worst[(who, kind)] = max(worst.get((who, kind), 0.0), max(times))
        ratios = " ".join(f"{kind} {means[('app', kind)] / means[('floor', kind)]:.2f}x"
                          for kind in ("rare", "common"))
        print(f"{label:8}: " + " | ".join(line) + f" | ratio {ratios}", flush=True)

    print(f"\nmean time per keystroke, median of {args.runs} runs (text set to list painted):")
    for kind in ("rare", "common"):
        app_ms = statistics.median(results[("app", kind)]) * 1000
        floor_ms = statistics.median(results[("floor", kind)]) * 1000
        print(f"  {kind:6} words: app {app_ms:6.1f} ms, floor {floor_ms:6.1f} ms, "
              f"ratio {app_ms / floor_ms:.2f}x (goal <= 1.5x); worst keystroke app "
              f"{worst[('app', kind)] * 1000:.0f} ms, floor {worst[('floor', kind)] * 1000:.0f} ms")
    view.close()
    table.close()
    tasks.wait_for_done()
    connection.close()
    engine.dispose()
    if args.store is None:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
