"""Attachment downloads of a pull against streaming the same URLs to disk, in one run.

The demo portal runs in its own process (as a real portal runs on its own server) with photos
sent by URL. A first pull fills a SQLite store; its attachments are then marked not fetched
again, and that store is the starting point of every workbench run. Each round runs,
alternating:
1. workbench: a copy of that store, an empty blob folder, `SyncService.run()`; timed is the
   pull's own attachment phase (`seconds_attachments`: fetch, check size and hash, store the
   bytes durably, record them on their rows);
2. floor: the same attachment URLs streamed to files with plain `requests` on as many threads
   as the pull uses (no checks, no fsync, no database).
Prints every run, the medians and the ratio (goal: workbench at least 0.6x the floor).

    python benchmarks/bench_downloads.py [--consults 2000] [--photo-share 0.5] [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from _report import alternating, medians, stop, verdict
from sqlalchemy import text

from workbench.services.portal_client import PortalClient
from workbench.services.sync import SyncService
from workbench.store import database
from workbench.store.blobs import BlobStore

GOAL = 0.6
WORKERS = 4  # the pull's default (settings.attachment_workers)


def start_portal(args) -> tuple[subprocess.Popen, str]:
    portal = subprocess.Popen(
        [sys.executable, "-m", "workbench.demo.server", "--seed", "1",
         "--consults", str(args.consults), "--photo-share", str(args.photo_share),
         "--photo-size", args.photo_size, "--page-max", "500"],
        stdout=subprocess.PIPE, text=True)
    first_line = portal.stdout.readline().strip()
    if not first_line.startswith("listening on "):
        raise SystemExit(f"demo portal did not start: {first_line!r}")
    return portal, first_line.removeprefix("listening on ")


def starting_store(base_url: str, workdir: Path) -> tuple[Path, list[str]]:
    """A store after a whole pull, with every attachment fetched by URL pending again."""
    path = workdir / "start.sqlite3"
    engine = database.make_engine(f"sqlite:///{path}")
    database.upgrade(engine)
    client = PortalClient(base_url)
    result = SyncService(client, engine, BlobStore(workdir / "first-blobs"),
                         page_size=500, workers=WORKERS).run()
    assert result.ok, result.errors[:5]
    with engine.begin() as connection:
        urls = list(connection.scalars(text(
            "SELECT url FROM attachment WHERE url IS NOT NULL ORDER BY id")))
        connection.execute(text(
            "UPDATE attachment SET stored_at = NULL, sha256 = NULL, size = NULL, "
            "attempts = 0, error = NULL WHERE url IS NOT NULL"))
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    shutil.rmtree(workdir / "first-blobs")
    return path, [client.url_for(url) for url in urls]


def workbench_run(base_url: str, start: Path, run_dir: Path, expected: int) -> tuple[float, int]:
    store = run_dir / "store.sqlite3"
    shutil.copyfile(start, store)
    engine = database.make_engine(f"sqlite:///{store}")
    sync = SyncService(PortalClient(base_url), engine, BlobStore(run_dir / "blobs"),
                       page_size=500, workers=WORKERS)
    result = sync.run()
    engine.dispose()
    assert result.ok and result.attachments == expected, (result.attachments, result.errors[:5])
    nbytes = sum(path.stat().st_size for path in (run_dir / "blobs").rglob("*") if path.is_file())
    return result.seconds_attachments, nbytes


def streaming_run(urls: list[str], run_dir: Path) -> tuple[float, int]:
    run_dir.mkdir(parents=True, exist_ok=True)
    local = threading.local()

    def one(numbered: tuple[int, str]) -> int:
        number, url = numbered
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
        written = 0
        with session.get(url, headers={"Accept": "*/*"}, stream=True, timeout=60) as response:
            response.raise_for_status()
            with open(run_dir / f"{number}.bin", "wb") as handle:
                for chunk in response.iter_content(64 * 1024):
                    written += handle.write(chunk)
        return written

    started = time.perf_counter()
    with ThreadPoolExecutor(WORKERS) as pool:
        nbytes = sum(pool.map(one, enumerate(urls)))
    return time.perf_counter() - started, nbytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consults", type=int, default=1000)
    parser.add_argument("--photo-share", type=float, default=0.5)
    parser.add_argument("--photo-size", default="2048x1536")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    portal, base_url = start_portal(args)
    workdir = Path(tempfile.mkdtemp(prefix="bench-downloads-"))
    try:
        prepared = time.perf_counter()
        start, urls = starting_store(base_url, workdir)
        print(f"demo portal: {args.consults} e-consults, {len(urls)} photos of "
              f"{args.photo_size} by URL; first pull and reset in "
              f"{time.perf_counter() - prepared:.1f} s; {args.runs} runs each, alternating, "
              f"{WORKERS} threads each")
        streaming_run(urls, workdir / "warm")  # the portal's photo cache, for both alike
        shutil.rmtree(workdir / "warm")
        rates: dict[str, list[float]] = {"workbench": [], "streaming": []}
        for run, name in alternating(args.runs, "workbench", "streaming"):
            run_dir = workdir / f"{name}-{run}"
            run_dir.mkdir()
            if name == "workbench":
                seconds, nbytes = workbench_run(base_url, start, run_dir, len(urls))
            else:
                seconds, nbytes = streaming_run(urls, run_dir)
            rates[name].append(len(urls) / seconds)
            print(f"run {run + 1} {name:9}: {len(urls)} files, {nbytes / 1e6:6.1f} MB in "
                  f"{seconds:6.2f} s = {rates[name][-1]:7.0f} files/s")
            shutil.rmtree(run_dir, ignore_errors=True)
        ours, floor = medians(rates, "workbench", "streaming")
        print(f"median workbench attachment phase:      {ours:7.0f} files/s")
        print(f"median streaming to disk (requests):    {floor:7.0f} files/s")
        print(f"ratio {ours / floor:.2f}x ({verdict(ours / floor, GOAL)})")
    finally:
        stop(portal)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
