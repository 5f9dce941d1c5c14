"""An unreachable portal shows a bar with the time of the first failure, until a pull succeeds."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from workbench.services.outbox import OutboxSender
from workbench.services.portal_client import PortalClient, RetryPolicy
from workbench.services.schedule import PullSchedule
from workbench.services.sync import SyncService
from workbench.store.blobs import BlobStore
from workbench.ui.main_window import MainWindow
from workbench.ui.sync_controller import SyncController

# Local wall-clock time, so the bar's "09:12" does not depend on the machine's time zone.
FIRST_FAILURE = datetime(2026, 11, 30, 9, 12).astimezone()


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_unreachable_portal_shows_the_bar_until_a_pull_succeeds(qtbot, ui_context, demo_portal,
                                                                 tmp_path):
    clock = FakeClock(FIRST_FAILURE)
    context = dataclasses.replace(ui_context, clock=clock)
    live = PortalClient(demo_portal.base_url)
    down = PortalClient("http://127.0.0.1:9/fhir", retry=RetryPolicy(attempts=1))
    portal = {"client": down}

    def make():
        client = portal["client"]
        return (SyncService(client, context.engine, BlobStore(tmp_path / "attachments")),
                OutboxSender(client, context.engine))
    sync = SyncController(context.tasks, make, PullSchedule(), clock)
    window = MainWindow(context, sync)
    # What the status panel shows once each failure has been handled (connected after the
    # window's own slots). The controller plans its next pull at once after a failure, so
    # the panel is read here rather than after the event loop ran on.
    busy_after_failure: list[bool] = []
    sync.failed.connect(lambda _exc: busy_after_failure.append(window.pull_status.busy))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.portal_bar.isHidden()

    with qtbot.waitSignal(sync.failed, timeout=20000):
        sync.pull_now()
    assert window.portal_bar.isVisible()
    assert "09:12" in window.portal_bar.label.text()
    assert window.portal_bar.since == FIRST_FAILURE
    assert busy_after_failure == [False], "idle after a failed pull, not pulling for ever"

    clock.now = FIRST_FAILURE + timedelta(minutes=7)  # 09:19: still the first failure's time
    with qtbot.waitSignal(sync.failed, timeout=20000):
        sync.pull_now()
    assert window.portal_bar.isVisible()
    assert "09:12" in window.portal_bar.label.text()
    assert "09:19" not in window.portal_bar.label.text()
    assert len(busy_after_failure) >= 2 and not any(busy_after_failure)

    portal["client"] = live
    clock.now = FIRST_FAILURE + timedelta(minutes=14)
    with qtbot.waitSignal(sync.finished, timeout=30000):
        sync.pull_now()
    assert window.portal_bar.isHidden()
    assert window.portal_bar.since is None
    assert not window.pull_status.busy

    # A new outage later in the day starts from its own first failure.
    portal["client"] = down
    clock.now = FIRST_FAILURE + timedelta(hours=2)
    with qtbot.waitSignal(sync.failed, timeout=20000):
        sync.pull_now()
    assert "11:12" in window.portal_bar.label.text()
    sync.stop()
    window.close()


def test_other_failures_do_not_claim_the_portal_is_unreachable(qtbot):
    from workbench.services.portal_client import CredentialsRejected
    from workbench.ui.portal_bar import PortalBar
    bar = PortalBar(lambda: FIRST_FAILURE)
    qtbot.addWidget(bar)
    bar.on_failed(CredentialsRejected("refused"))
    assert bar.isHidden() and bar.since is None


def test_another_workstation_pulling_is_named_until_its_pull_ends_then_this_one_pulls(
        qtbot, start_portal, tmp_path, monkeypatch):
    """Two workstations on one PostgreSQL database: while the front desk pulls, the consult
    room's bar says who pulls (and follows when someone else takes over); when that pull has
    ended, the consult room pulls itself and the bar goes."""
    from sqlalchemy import func, select, text

    from tests.conftest import _fresh_postgres
    from workbench.services.pull_lock import PULL_LOCK_KEY, pull_holder
    from workbench.store import database
    from workbench.store.models import EConsult
    from workbench.ui import sync_controller
    from workbench.ui.portal_bar import PortalBar
    from workbench.ui.tasks import TaskRunner
    monkeypatch.setattr(sync_controller, "HOLDER_POLL_MS", 100)
    url = _fresh_postgres()
    room = database.make_engine(url, workstation="Spreekkamer 1")
    database.upgrade(room)
    portal = start_portal(seed=19, consults=20, photo_share=0.0)
    tasks = TaskRunner()

    def make():
        client = PortalClient(portal.base_url)
        return (SyncService(client, room, BlobStore(tmp_path / "attachments")),
                OutboxSender(client, room, workstation="Spreekkamer 1"))
    now = FakeClock(FIRST_FAILURE)
    sync = SyncController(tasks, make, PullSchedule(), now, holder=lambda: pull_holder(room))
    bar = PortalBar(now)
    sync.finished.connect(bar.on_finished)
    sync.failed.connect(bar.on_failed)
    sync.pulling_elsewhere.connect(bar.on_pulling_elsewhere)
    qtbot.addWidget(bar)
    assert bar.isHidden()
    desk = database.make_engine(url, workstation="Balie")
    pulling = desk.connect()
    try:
        assert pulling.execute(text("SELECT pg_try_advisory_lock(:k)"),
                               {"k": PULL_LOCK_KEY}).scalar()
        pulling.commit()
        with qtbot.waitSignal(sync.finished, timeout=20000):
            sync.pull_now()
        assert bar.isVisible()
        assert bar.label.text() == "Pull by Balie"
        assert sync.waiting_for == "Balie"

        # Still pulling, now named as the front desk's second workstation.
        with qtbot.waitSignal(sync.pulling_elsewhere, timeout=20000):
            pulling.execute(text("SET application_name = 'Workbench Balie 2'"))
            pulling.commit()
        assert bar.label.text() == "Pull by Balie 2"
        with room.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(EConsult)) == 0

        pulling.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PULL_LOCK_KEY})
        pulling.commit()
    finally:
        pulling.close()
    qtbot.waitUntil(lambda: bar.isHidden() and sync.waiting_for is None and not sync.running,
                    timeout=30000)
    with room.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(EConsult)) > 0
    sync.stop()
    tasks.wait_for_done()
    desk.dispose()
    room.dispose()


def test_a_skipped_pull_leaves_an_outage_shown(qtbot):
    """Another workstation pulling says nothing about whether this one reaches the portal."""
    from workbench.services.outbox import OutboxResult
    from workbench.services.portal_client import PortalUnreachable
    from workbench.services.sync import SyncResult
    from workbench.ui.portal_bar import PortalBar
    from workbench.ui.sync_controller import PullOutcome
    bar = PortalBar(lambda: FIRST_FAILURE)
    qtbot.addWidget(bar)
    bar.on_failed(PortalUnreachable("down"))
    bar.on_finished(PullOutcome(SyncResult(skipped=True, pulling_elsewhere="Balie"),
                                OutboxResult(), 0))
    assert "09:12" in bar.label.text() and bar.since == FIRST_FAILURE
    bar.on_finished(PullOutcome(SyncResult(), OutboxResult(), 0))
    assert bar.isHidden()
