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
