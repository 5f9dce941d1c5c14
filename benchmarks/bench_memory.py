"""Peak memory of `workbench sync --once` against a hand-written pull loop, in one run.

The demo portal runs in its own process. Each round runs, alternating, in fresh processes:
1. workbench: `python -m workbench.cli sync --once` into an empty data folder (the whole
   pull: pages, store, attachments, urgency advice);
2. floor: a hand-written loop that fetches the same pages (same page size and _include) with
   `requests`, parses the JSON and inserts every resource into a SQLite table, one commit a
   page (it fetches no attachments by URL and advises nothing).
Peak resident memory (ru_maxrss of that process) is printed for every run. The urgency
advice pipeline (spaCy, clinlp, the alarm signs) has a fixed size whatever the pull; it is
measured on its own in another process and reported, and the goal (at most 2x the floor) is
checked on the pull without it.

    python benchmarks/bench_memory.py [--consults 5000] [--runs 5] [--photo-share 0.1]

The pull's peak grows with its size while the loop's does not (it holds one page): the issue's
figure is for 50,000 e-consults (`--consults 50000`, about 8 minutes a workbench run here).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _report import alternating, medians, stop, verdict

GOAL = 2.0
PAGE_SIZE = 500

# The floor, as someone would write it by hand: no workbench import at all.
LOOP = r"""
import json, sqlite3, sys
import requests

base_url, page_size, database, includes = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
connection = sqlite3.connect(database)
connection.execute("PRAGMA journal_mode=WAL")
connection.execute("CREATE TABLE resource (type TEXT, id TEXT, version TEXT, body TEXT, "
                   "PRIMARY KEY (type, id))")
session = requests.Session()
params = [("category", "urn:oid:2.16.840.1.113883.2.4.4.30.14|12"),
          ("_sort", "_lastUpdated"), ("_count", page_size)]
params += [("_include", include) for include in json.loads(includes)]
url, stored = f"{base_url}/Communication", 0
while url:
    bundle = session.get(url, params=params, headers={"Accept": "application/fhir+json"},
                         timeout=60).json()
    rows = [(resource["resourceType"], resource["id"],
             (resource.get("meta") or {}).get("versionId"), json.dumps(resource))
            for resource in (entry["resource"] for entry in bundle.get("entry", []))]
    connection.executemany("INSERT OR REPLACE INTO resource VALUES (?, ?, ?, ?)", rows)
    connection.commit()
    stored += len(rows)
    url = next((link["url"] for link in bundle.get("link", [])
                if link["relation"] == "next"), None)
    params = None
print(stored)
"""

# The advice pipeline's own size: resident memory before and after importing and building it.
ADVICE = r"""
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
before = rss()
from workbench.services.urgency import default_advisor
default_advisor()
print(rss() - before)
"""


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(peak resident MB, seconds, stdout) of a child process, from its own rusage (os.wait4:
    the children's figure of getrusage would be the largest of all children so far)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err, text=True)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"{command[:4]} failed: {err.read()[-2000:]}")
        return usage.ru_maxrss / 1024, seconds, out.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consults", type=int, default=5000)
    parser.add_argument("--photo-share", type=float, default=0.1)
    parser.add_argument("--photo-size", default="1024x768")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from workbench.services.sync import INCLUDES  # the parent only: children import alone

    portal = subprocess.Popen(
        [sys.executable, "-m", "workbench.demo.server", "--seed", "1",
         "--consults", str(args.consults), "--photo-share", str(args.photo_share),
         "--photo-size", args.photo_size, "--page-max", str(PAGE_SIZE)],
        stdout=subprocess.PIPE, text=True)
    first_line = portal.stdout.readline().strip()
    if not first_line.startswith("listening on "):
        raise SystemExit(f"demo portal did not start: {first_line!r}")
    base_url = first_line.removeprefix("listening on ")
    workdir = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    env = dict(os.environ, WORKBENCH_AUTH="none", WORKBENCH_PAGE_SIZE=str(PAGE_SIZE),
               WORKBENCH_MAX_PAGES_PER_PULL="100000",
               XDG_CONFIG_HOME=str(workdir / "config"), XDG_DATA_HOME=str(workdir / "data"),
               XDG_CACHE_HOME=str(workdir / "cache"), XDG_STATE_HOME=str(workdir / "state"),
               WORKBENCH_CONFIG=str(workdir / "no-machine-config.toml"))
    try:
        advice_mb = int(run_measured([sys.executable, "-c", ADVICE], env)[2]) / 1024
        print(f"demo portal: {args.consults} e-consults ({args.photo_share:.0%} with photos of "
              f"{args.photo_size}), pages of {PAGE_SIZE}; {args.runs} runs each, alternating")
        print(f"urgency advice pipeline, imports and build: {advice_mb:.0f} MB (fixed size)")
        peaks: dict[str, list[float]] = {"workbench": [], "loop": []}
        for run, name in alternating(args.runs, "workbench", "loop"):
            folder = workdir / f"{name}-{run}"
            folder.mkdir()
            if name == "workbench":
                command = [sys.executable, "-m", "workbench.cli", "sync", "--once",
                           "--portal", base_url, "--data-dir", str(folder)]
            else:
                command = [sys.executable, "-c", LOOP, base_url, str(PAGE_SIZE),
                           str(folder / "loop.sqlite3"), json.dumps(list(INCLUDES))]
            peak, seconds, out = run_measured(command, env)
            peaks[name].append(peak)
            print(f"run {run + 1} {name:9}: peak {peak:6.0f} MB in {seconds:5.1f} s  "
                  f"{out.strip().splitlines()[-1][:110] if out.strip() else ''}")
            shutil.rmtree(folder, ignore_errors=True)
        ours, floor = medians(peaks, "workbench", "loop")
        without = ours - advice_mb
        print(f"median peak workbench sync --once:      {ours:6.0f} MB")
        print(f"median peak hand-written loop:          {floor:6.0f} MB")
        print(f"ratio {ours / floor:.2f}x as is; without the advice pipeline's {advice_mb:.0f} MB: "
              f"{without:.0f} MB = {without / floor:.2f}x "
              f"({verdict(without / floor, GOAL, at_most=True)})")
    finally:
        stop(portal)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
