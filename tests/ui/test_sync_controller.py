"""Answers go out whatever the pull does: while it runs and when it fails."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from workbench.services.inbox import ListView
from workbench.services.outbox import OutboxSender
from workbench.services.portal_client import PortalClient, RetryPolicy
from workbench.services.schedule import PullSchedule
from workbench.services.sync import SyncService
from workbench.services.triage import Actor, CloseReason
from workbench.services.undo import UNDO_SECONDS
from workbench.store.blobs import BlobStore
from workbench.store.models import ConsultStatus, EConsult
from workbench.ui.sync_controller import SyncController

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)


def after_undo_time() -> datetime:
    """The outbox's clock once a close's undo time has passed."""
    return datetime.now(timezone.utc) + timedelta(seconds=UNDO_SECONDS + 1)


def close_first(context) -> str:
    """An assistant closes the first inbox item that is not urgent (an urgent one closes only
    after the call): a status change waits in the outbox."""
    first = next(r.id for r in context.queries.page(ListView(ConsultStatus.INBOX), 0, 500)
                 if not (r.urgent or r.has_advice))
    context.triage.close(first, Actor(context.user.id), CloseReason.ANSWERED)
    with context.engine.connect() as connection:
        return connection.scalar(EConsult.__table__.select().with_only_columns(
            EConsult.portal_id).where(EConsult.id == first))


def test_a_failing_pull_still_delivers_the_outbox(qtbot, ui_context, demo_portal, tmp_path):
    root = close_first(ui_context)
    live = PortalClient(demo_portal.base_url)
    # The inbox search cannot reach the portal (a broken route, say); delivery can.
    down = PortalClient("http://127.0.0.1:9/fhir", retry=RetryPolicy(attempts=1))

    def make():
        return (SyncService(down, ui_context.engine, BlobStore(tmp_path / "a")),
                OutboxSender(live, ui_context.engine, clock=after_undo_time))
    controller = SyncController(ui_context.tasks, make, PullSchedule(), lambda: NOW)
    try:
        with qtbot.waitSignals([controller.pushed, controller.failed], timeout=20000):
            controller.pull_now()
    finally:
        controller.stop()  # its retry a minute later must not fire in a later test
    assert demo_portal.dataset.communications[root]["status"] == "completed"


def test_answers_go_out_while_a_slow_pull_runs(qtbot, ui_context, start_portal, tmp_path):
    slow = start_portal(seed=4, consults=80, photo_size=(320, 240), latency_ms=400)
    root = close_first(ui_context)
    finished = []

    def make():
        return (SyncService(PortalClient(slow.base_url), ui_context.engine,
                            BlobStore(tmp_path / "a"), page_size=5),
                OutboxSender(PortalClient(slow.base_url), ui_context.engine,
                             clock=after_undo_time))
    controller = SyncController(ui_context.tasks, make, PullSchedule(), lambda: NOW)
    controller.finished.connect(finished.append)
    controller.pull_now()
    assert controller.running
    with qtbot.waitSignal(controller.pushed, timeout=20000):
        controller.push_now()
    assert not finished, "delivered before the pull ended"
    assert slow.dataset.communications[root]["status"] == "completed"
    controller.stop()
    qtbot.waitUntil(lambda: not controller.running, timeout=30000)


def test_a_portal_that_is_down_is_asked_again_later_not_at_once(qtbot, ui_context, tmp_path):
    """After failed pulls the next one waits 1, 2, 4 ... minutes (at most the interval), so the
    window does not pull without pause while the portal is down."""
    from datetime import timedelta
    down = PortalClient("http://127.0.0.1:9/fhir", retry=RetryPolicy(attempts=1))

    def make():
        return (SyncService(down, ui_context.engine, BlobStore(tmp_path / "a")),
                OutboxSender(down, ui_context.engine))
    # A Monday during practice hours: the schedule would pull at once.
    monday = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)
    controller = SyncController(ui_context.tasks, make, PullSchedule(), lambda: monday)
    waits = []
    for _ in range(5):
        with qtbot.waitSignal(controller.failed, timeout=20000):
            controller.pull_now()
        waits.append(controller.next_pull - monday.astimezone())
    controller.stop()
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 10)]
