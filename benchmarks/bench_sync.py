"""Sync speed against the transport limit, in one run.

Serves the demo portal on loopback with N e-consults (a tenth with photos), then
1. transport limit: fetches every Communication page (same page size, same _include) with
   plain requests + json.loads and nothing else;
2. the real sync into a fresh SQLite store: parse, validate, upsert, full-text index, cursor,
   then the attachments.
Prints resources per second for both and their ratio (goal: sync >= 0.3x transport).

    python benchmarks/bench_sync.py [--consults 10000] [--page-size 500] [--photo-size 1024x768]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from workbench.services.portal_client import PortalClient
from workbench.services.sync import INCLUDES, SyncService
from workbench.services.urgency import default_advisor
from workbench.store import database
from workbench.store.blobs import BlobStore


def rss_mb() -> float:
    """This process's resident memory (Linux), MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def transport_limit(base_url: str, page_size: int) -> tuple[int, float]:
    """(resources, seconds) for fetching every page with plain requests + json."""
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consults", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--photo-size", default="1024x768")
    parser.add_argument("--photo-share", type=float, default=0.1)
    args = parser.parse_args()

    # The portal runs in its own process, as a real portal runs on its own server: in this
    # process it would compete with the sync for the interpreter lock.
    built = time.perf_counter()
    portal = subprocess.Popen(
        [sys.executable, "-m", "workbench.demo.server", "--seed", "1",
         "--consults", str(args.consults), "--photo-share", str(args.photo_share),
         "--photo-size", args.photo_size, "--page-max", str(args.page_size)],
        stdout=subprocess.PIPE, text=True)
    first_line = portal.stdout.readline().strip()
    if not first_line.startswith("listening on "):
        raise SystemExit(f"demo portal did not start: {first_line!r}")
    base_url = first_line.removeprefix("listening on ")
    print(f"demo portal: {args.consults} e-consults, up in {time.perf_counter() - built:.1f} s")
    workdir = Path(tempfile.mkdtemp(prefix="workbench-bench-"))
    try:
        transport_limit(base_url, args.page_size)  # warm the portal's caches for both runs
        resources, seconds = transport_limit(base_url, args.page_size)
        transport_rate = resources / seconds
        print(f"transport limit (requests + json): {resources} resources in {seconds:.2f} s "
              f"= {transport_rate:,.0f} resources/s")

        engine = database.make_engine(f"sqlite:///{workdir / 'bench.sqlite3'}")
        database.upgrade(engine)
        # A running window builds the urgency pipeline once after its first paint; do the same
        # here so the pull's figures are those of a running app.
        built, memory = time.perf_counter(), rss_mb()
        default_advisor()
        print(f"urgency pipeline built in {time.perf_counter() - built:.1f} s (once per process), "
              f"+{rss_mb() - memory:.0f} MB for the build (with its imports: "
              "bench_urgency.py prints the whole, goal <= 120 MB)")
        sync = SyncService(PortalClient(base_url), engine, BlobStore(workdir / "attachments"),
                           page_size=args.page_size, workers=4)
        result = sync.run()
        assert result.ok, result.errors[:5]
        sync_rate = result.fetched / result.seconds_messages
        print(f"workbench sync (messages): {result.fetched} resources in "
              f"{result.seconds_messages:.2f} s = {sync_rate:,.0f} resources/s "
              f"({result.created} messages, {result.econsults_created} e-consults)")
        print(f"workbench sync (attachments): {result.attachments} photos of {args.photo_size} "
              f"in {result.seconds_attachments:.2f} s; whole run {result.seconds:.2f} s")
        print(f"ratio sync / transport: {sync_rate / transport_rate:.2f}x (goal >= 0.30x)")
        print(f"urgency advice beside the pull: {result.advised} patient messages advised, "
              f"the last {result.seconds_advice_after_messages:.2f} s after the last page "
              "(goal for 50 new e-consults: within 1 s); "
              f"{1000 * result.seconds_advising / max(1, result.advised):.1f} ms a message "
              "including reading and writing the store")
        engine.dispose()
    finally:
        portal.terminate()
        portal.wait(30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
