"""Sync speed against its floor, measured side by side in one run.

Serves the demo portal on loopback (in its own process, as a real portal runs on its own
server) with N e-consults, a share of them with photos, then ALTERNATES, --runs times each:
1. the floor: every Communication page (same page size, same _include) fetched one by one with
   plain requests + json.loads and nothing else;
2. the real sync into a fresh store: parse, validate, upsert, full-text index, cursor (the
   messages phase), then the attachments, with the urgency advice beside it.
Prints every run, the medians, and the ratios (resources per second, sync / floor) for the
messages phase and the whole pull, and the time of each phase.

Modes:
  --latency-ms 50     the portal waits 50 ms before each answer; the goal is a pull at least
                      3x faster than fetching the same pages one by one (the floor then).
  --compare-postgres URL
                      the same pull into SQLite and into PostgreSQL (a scratch database made
                      next to the one in URL and dropped after), alternating with the floor;
                      prints PostgreSQL / SQLite (goal at most 1.3x; use --photo-share 0, as
                      photos live in the database on PostgreSQL).

    python benchmarks/bench_sync.py [--consults 3000] [--runs 5] [--page-size 500]
    python benchmarks/bench_sync.py --latency-ms 50 --page-size 20 --consults 500
    python benchmarks/bench_sync.py --photo-share 0 --compare-postgres postgresql://...
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests
from sqlalchemy.engine import make_url

from workbench.services.portal_client import PortalClient
from workbench.services.sync import INCLUDES, SyncResult, SyncService
from workbench.services.urgency import default_advisor
from workbench.store import database
from workbench.store.blobs import BlobStore

GOAL_PULL = 0.5  # sync resources/s at least this share of the floor's (no latency)
GOAL_LATENCY = 3.0  # under latency: at least this many times faster than one by one
GOAL_POSTGRES = 1.3  # PostgreSQL pull at most this many times SQLite's


def rss_mb() -> float:
    """This process's resident memory (Linux), MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def fetch_one_by_one(base_url: str, page_size: int) -> tuple[int, float]:
    """The floor: (resources, seconds) for fetching every page in turn with requests + json."""
    session = requests.Session()
    params = [("category", "urn:oid:2.16.840.1.113883.2.4.4.30.14|12"),
              ("_sort", "_lastUpdated"), ("_count", page_size)]
    params += [("_include", include) for include in INCLUDES]
    started = time.perf_counter()
    url, resources = f"{base_url}/Communication", 0
    while url:
        bundle = session.get(url, params=params, headers={"Accept": "application/fhir+json"},
                             timeout=60).json()
        resources += len(bundle.get("entry", []))
        url = next((link["url"] for link in bundle.get("link", [])
                    if link["relation"] == "next"), None)
        params = None
    return resources, time.perf_counter() - started


class Scratch:
    """A fresh store per run: a SQLite file, or a PostgreSQL database made and dropped."""

    def __init__(self, workdir: Path, postgres_url: str | None = None) -> None:
        self._workdir = workdir
        self._postgres = make_url(database.normalise_url(postgres_url)) \
            if postgres_url else None
        self._made: list[str] = []

    def new(self, run: int) -> str:
        if self._postgres is None:
            return f"sqlite:///{self._workdir / f'run{run}.sqlite3'}"
        name = f"workbench_bench_sync_{run}"
        self._admin(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
        self._made.append(name)
        return self._postgres.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if self._made:
            self._admin(*[f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
                          for name in self._made])
            self._made.clear()

    def _admin(self, *statements: str) -> None:
        import psycopg

        admin = self._postgres.set(drivername="postgresql", database="postgres")
        with psycopg.connect(admin.render_as_string(hide_password=False),
                             autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)


def one_pull(base_url: str, scratch: Scratch, run: int, workdir: Path, page_size: int
             ) -> SyncResult:
    engine = database.make_engine(scratch.new(run))
    database.upgrade(engine)
    try:
        blobs = BlobStore(workdir / f"attachments{run}")
        result = SyncService(PortalClient(base_url), engine, blobs, page_size=page_size,
                             workers=4).run()
    finally:
        engine.dispose()
    assert result.ok, (result.errors[:5], result.incomplete)
    return result


def start_portal(args: argparse.Namespace) -> tuple[subprocess.Popen, str]:
    built = time.perf_counter()
    portal = subprocess.Popen(
        [sys.executable, "-m", "workbench.demo.server", "--seed", "1",
         "--consults", str(args.consults), "--photo-share", str(args.photo_share),
         "--photo-size", args.photo_size, "--page-max", str(args.page_size),
         "--latency-ms", str(args.latency_ms)],
        stdout=subprocess.PIPE, text=True)
    first_line = portal.stdout.readline().strip()
    if not first_line.startswith("listening on "):
        raise SystemExit(f"demo portal did not start: {first_line!r}")
    print(f"demo portal: {args.consults} e-consults, photo share {args.photo_share}, "
          f"latency {args.latency_ms} ms, pages of {args.page_size}, "
          f"up in {time.perf_counter() - built:.1f} s")
    return portal, first_line.removeprefix("listening on ")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consults", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--photo-size", default="1024x768")
    parser.add_argument("--photo-share", type=float, default=0.1)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--compare-postgres", metavar="URL", default=None,
                        help="also pull into PostgreSQL (a scratch database on that server)")
    args = parser.parse_args()

    portal, base_url = start_portal(args)
    workdir = Path(tempfile.mkdtemp(prefix="workbench-bench-"))
    stores = {"sqlite": Scratch(workdir)}
    if args.compare_postgres:
        stores["postgresql"] = Scratch(workdir, args.compare_postgres)
    try:
        fetch_one_by_one(base_url, args.page_size)  # warm the portal's caches for all runs
        # A running window builds the urgency pipeline once after its first paint; do the
        # same here so the pull's figures are those of a running app.
        built, memory = time.perf_counter(), rss_mb()
        default_advisor()
        print(f"urgency pipeline built in {time.perf_counter() - built:.1f} s (once per "
              f"process), +{rss_mb() - memory:.0f} MB")
        floors: list[tuple[int, float]] = []
        pulls: dict[str, list[SyncResult]] = {name: [] for name in stores}
        steps: list[tuple[str, Callable[[int], None]]] = [
            ("floor", lambda run: floors.append(fetch_one_by_one(base_url, args.page_size)))]
        for name, scratch in stores.items():
            steps.append((name, lambda run, name=name, scratch=scratch: pulls[name].append(
                one_pull(base_url, scratch, run, workdir, args.page_size))))
        for run in range(args.runs):
            # Alternate, and rotate who goes first, so a noisy neighbour hurts all alike.
            for label, step in steps[run % len(steps):] + steps[:run % len(steps)]:
                step(run)
                if label == "floor":
                    resources, seconds = floors[-1]
                    print(f"run {run + 1} floor (one by one, requests + json): {resources} "
                          f"resources in {seconds:.3f} s = {resources / seconds:,.0f}/s")
                else:
                    r = pulls[label][-1]
                    print(f"run {run + 1} sync {label}: {r.fetched} resources, messages "
                          f"{r.seconds_messages:.3f} s = {r.fetched / r.seconds_messages:,.0f}/s; "
                          f"attachments {r.seconds_attachments:.3f} s ({r.attachments}); advice "
                          f"done {r.seconds_advice_after_messages:.3f} s after the messages "
                          f"({r.advised} advised); whole pull {r.seconds:.3f} s = "
                          f"{r.fetched / r.seconds:,.0f}/s")
            for scratch in stores.values():
                scratch.drop_all()
        report(args, floors, pulls)
    finally:
        for scratch in stores.values():
            scratch.drop_all()
        portal.terminate()
        portal.wait(30)
        shutil.rmtree(workdir, ignore_errors=True)


def report(args: argparse.Namespace, floors: list[tuple[int, float]],
           pulls: dict[str, list[SyncResult]]) -> None:
    floor_seconds = median([seconds for _n, seconds in floors])
    floor_rate = median([n / seconds for n, seconds in floors])
    print(f"\nmedians of {args.runs} runs each (alternating):")
    print(f"  floor: {floor_seconds:.3f} s, {floor_rate:,.0f} resources/s")
    messages: dict[str, float] = {}
    for name, results in pulls.items():
        messages[name] = median([r.seconds_messages for r in results])
        rate = median([r.fetched / r.seconds_messages for r in results])
        whole_rate = median([r.fetched / r.seconds for r in results])
        print(f"  sync {name}: messages {messages[name]:.3f} s ({rate:,.0f}/s), attachments "
              f"{median([r.seconds_attachments for r in results]):.3f} s, advice done "
              f"{median([r.seconds_advice_after_messages for r in results]):.3f} s after the "
              f"messages, whole pull {median([r.seconds for r in results]):.3f} s "
              f"({whole_rate:,.0f}/s)")
        if args.latency_ms:
            print(f"  {name}: one by one / sync messages phase = "
                  f"{floor_seconds / messages[name]:.2f}x faster (goal >= {GOAL_LATENCY}x)")
        else:
            print(f"  {name}: sync / floor, resources/s: messages phase "
                  f"{rate / floor_rate:.2f}x (goal >= {GOAL_PULL}x), whole pull "
                  f"{whole_rate / floor_rate:.2f}x")
    if "postgresql" in pulls:
        wholes = {name: median([r.seconds for r in results]) for name, results in pulls.items()}
        print(f"  PostgreSQL / SQLite: messages phase "
              f"{messages['postgresql'] / messages['sqlite']:.2f}x (goal <= {GOAL_POSTGRES}x), "
              f"whole pull {wholes['postgresql'] / wholes['sqlite']:.2f}x")


if __name__ == "__main__":
    main()
