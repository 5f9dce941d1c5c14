"""Longest stall of the GUI event loop while 100 photos' thumbnails load in the consult pane.

In one run, with 100 phone-size photos (4032x3024 JPEG) attached to one e-consult:
1. baseline: each thumbnail decoded and scaled on the GUI thread, one per event-loop turn;
2. workbench: the consult pane showing that e-consult, thumbnails from the pipeline's cache
   (made at sync, timed too) decoded on worker threads.
A 1 ms timer measures the longest gap between two of its ticks while the thumbnails arrive.
The two alternate, --runs times each (a fresh pane each time); every run and the medians are
printed. Goal: under 50 ms (three frames).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_thumbnails.py [--photos 100] [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from _report import alternating, medians

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from workbench.config import load_settings  # noqa: E402
from workbench.services import secrets  # noqa: E402
from workbench.services.images import PhotoPipeline  # noqa: E402
from workbench.services.inbox import InboxQueries, PractitionerInfo  # noqa: E402
from workbench.services.triage import TriageService  # noqa: E402
from workbench.store import database  # noqa: E402
from workbench.store.blobs import BlobStore  # noqa: E402
from workbench.store.models import (  # noqa: E402
    Attachment,
    AuthorKind,
    Direction,
    EConsult,
    Message,
    Patient,
    Practitioner,
    Role,
)
from workbench.ui.consult_pane import ConsultPane  # noqa: E402
from workbench.ui.context import UiContext  # noqa: E402
from workbench.ui.tasks import TaskRunner  # noqa: E402


def phone_photo() -> bytes:
    """A noisy 4032x3024 JPEG, compressing like a camera photo."""
    rng = random.Random(1)
    small = Image.new("RGB", (504, 378))
    small.putdata([(200 + rng.randint(-30, 30), 150 + rng.randint(-30, 30),
                    130 + rng.randint(-30, 30)) for _ in range(504 * 378)])
    out = io.BytesIO()
    small.resize((4032, 3024), Image.Resampling.BILINEAR).save(out, "JPEG", quality=90)
    return out.getvalue()


def unique(base: bytes, n: int) -> bytes:
    """The same photo with a comment segment of its own: another sha256, same decoding work."""
    comment = f"photo {n}".encode()
    return base[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + base[2:]


class StallMeter:
    """Ticks every millisecond; the longest gap between ticks is the longest stall."""

    def __init__(self) -> None:
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(1)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self.longest = 0

    def _tick(self) -> None:
        elapsed = self._clock.restart()
        self.longest = max(self.longest, elapsed)

    def start(self) -> None:
        self.longest = 0
        self._clock.start()
        self._timer.start()

    def stop(self) -> int:
        self._timer.stop()
        return self.longest


def run_until(condition, timeout_s: float = 300) -> None:
    loop = QEventLoop()
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    # Opening an e-consult is audited; without a key the pane shows nothing (NEN 7513).
    secrets.use_process_audit_key(secrets.generate_audit_key())
    work = Path(tempfile.mkdtemp(prefix="workbench-bench-thumbs-"))
    try:
        blobs = BlobStore(work / "attachments")
        base = phone_photo()
        hashes = [blobs.put(unique(base, n)) for n in range(args.photos)]
        print(f"{args.photos} photos of 4032x3024, {len(base) / 1e6:.1f} MB each")

        engine = database.make_engine(f"sqlite:///{work / 'store.sqlite3'}")
        database.upgrade(engine)
        now = datetime.now(timezone.utc)
        with Session(engine) as session, session.begin():
            patient = Patient(portal_id="p1", name="Anna Jansen")
            gp = Practitioner(portal_id="gp1", name="Dr. Visser", role=Role.GP)
            consult = EConsult(portal_id="e1", patient=patient, subject="Huiduitslag",
                               portal_status="in-progress", received_at=now,
                               last_patient_message_at=now, portal_version="1",
                               photo_count=len(hashes))
            message = Message(econsult=consult, portal_id="m1", portal_version="1",
                              direction=Direction.IN, author_kind=AuthorKind.PATIENT,
                              author_portal_id="p1", text="Zie de foto's", sent_at=now)
            session.add_all([patient, gp, consult, message])
            session.flush()
            for n, sha in enumerate(hashes, start=1):
                session.add(Attachment(message_id=message.id, position=n, title=f"IMG_{n}.jpg",
                                       content_type="image/jpeg", sha256=sha, stored_at=now,
                                       size=len(base)))
            econsult_id, gp_id = consult.id, gp.id

        pipeline = PhotoPipeline(blobs, work / "cache")
        started = time.perf_counter()
        prepared = pipeline.prepare_pending(engine)
        print(f"previews made at sync (background, once): {prepared} photos in "
              f"{time.perf_counter() - started:.1f} s")

        meter = StallMeter()

        def baseline_run() -> int:
            """Decoding on the GUI thread, one photo per event-loop turn."""
            pending = [str(blobs.path(sha)) for sha in hashes]
            done: list[QImage] = []

            def load_next() -> None:
                if pending:
                    done.append(QImage(pending.pop()).scaled(
                        120, 120, Qt.AspectRatioMode.KeepAspectRatio))
                    QTimer.singleShot(0, load_next)

            meter.start()
            QTimer.singleShot(0, load_next)
            run_until(lambda: len(done) == len(hashes))
            return meter.stop()

        tasks = TaskRunner()
        context = UiContext(settings=load_settings({"data_dir": str(work)}), engine=engine,
                            blobs=blobs, queries=InboxQueries(engine),
                            triage=TriageService(engine), tasks=tasks,
                            user=PractitionerInfo(gp_id, "Dr. Visser", Role.GP),
                            clock=lambda: datetime.now(timezone.utc), photos=pipeline)

        def workbench_run() -> int:
            """A fresh consult pane: the pipeline's cached thumbnails on worker threads."""
            pane = ConsultPane(context)
            pane.resize(900, 700)
            pane.show()
            meter.start()
            shown = time.perf_counter()
            if os.environ.get("BENCH_PROFILE"):
                import cProfile
                import pstats
                profile = cProfile.Profile()
                profile.runcall(pane.show_consult, econsult_id)
                pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
            else:
                pane.show_consult(econsult_id)
            show_ms = (time.perf_counter() - shown) * 1000
            run_until(lambda: pane.thumbnail_count() == len(hashes) and not tasks.busy)
            stall = meter.stop()
            assert pane.thumbnail_count() == len(hashes), pane.thumbnail_count()
            tasks.wait_for_done()
            pane.close()
            pane.deleteLater()
            app.processEvents()
            print(f"  show_consult itself: {show_ms:.0f} ms")
            return stall

        stalls: dict[str, list[int]] = {"baseline": [], "workbench": []}
        runs = {"baseline": baseline_run, "workbench": workbench_run}
        for run, name in alternating(args.runs, "baseline", "workbench"):
            stalls[name].append(runs[name]())
            print(f"run {run + 1} {name:9}: longest stall {stalls[name][-1]} ms"
                  + (" (decoding on the GUI thread)" if name == "baseline" else
                     f" while {len(hashes)} thumbnails loaded"))
        ours, baseline = medians(stalls, "workbench", "baseline")
        print(f"median longest stall: workbench consult pane {ours:.0f} ms (goal < 50 ms: "
              f"{'met' if ours < 50 else 'NOT met'}; worst run {max(stalls['workbench'])} ms), "
              f"baseline {baseline:.0f} ms")
        engine.dispose()
        app.processEvents()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
