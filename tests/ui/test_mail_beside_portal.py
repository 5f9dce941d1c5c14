"""The mail channel is pulled beside the portal: one down never stops the other, and the
window says which one could not be reached (issue 18)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from workbench.demo.mail_server import DemoMailServer
from workbench.services.mail.connection import MailSettings
from workbench.services.mail_sync import MailSyncService
from workbench.services.outbox import OutboxSender
from workbench.services.portal_client import PortalClient, RetryPolicy
from workbench.services.schedule import PullSchedule
from workbench.services.sync import SyncService
from workbench.store.blobs import BlobStore
from workbench.store.models import MailItem
from workbench.ui.status_panel import PullStatus
from workbench.ui.sync_controller import SyncController

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def mail_account():
    server = DemoMailServer()
    account = server.start()
    yield account
    server.stop()


def _mail_settings(account, **changes) -> MailSettings:
    values = dict(imap_host=account.host, imap_port=account.imap_port,
                  smtp_host=account.host, smtp_port=account.smtp_port,
                  account=account.account, practice_address=account.practice_address,
                  ca_bundle=account.ca_file, timeout_s=5)
    values.update(changes)
    return MailSettings(**values)


def _mails(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(MailItem))


def test_mail_comes_in_while_the_portal_is_down(qtbot, ui_context, mail_account, tmp_path):
    down = PortalClient("http://127.0.0.1:9/fhir", retry=RetryPolicy(attempts=1))
    blobs = BlobStore(tmp_path / "mail")

    def make():
        return (SyncService(down, ui_context.engine, BlobStore(tmp_path / "a")),
                OutboxSender(down, ui_context.engine))
    controller = SyncController(
        ui_context.tasks, make, PullSchedule(), lambda: NOW,
        make_mail_sync=lambda: MailSyncService(_mail_settings(mail_account), ui_context.engine,
                                               blobs, password=mail_account.password))
    try:
        with qtbot.waitSignal(controller.failed, timeout=30000):
            controller.pull_now()
    finally:
        controller.stop()  # no retry timer left to fire in a later test
    assert _mails(ui_context.engine) == 5  # the demo account's five mails, each once


def test_the_portal_is_pulled_while_mail_is_down_and_the_window_says_so(
        qtbot, ui_context, demo_portal, tmp_path):
    outcomes = []
    live = PortalClient(demo_portal.base_url)
    nowhere = MailSettings(imap_host="127.0.0.1", imap_port=9, smtp_host="127.0.0.1",
                           smtp_port=9, account="praktijk", practice_address="p@praktijk.nl",
                           timeout_s=2)

    def make():
        return (SyncService(live, ui_context.engine, BlobStore(tmp_path / "a")),
                OutboxSender(live, ui_context.engine))
    controller = SyncController(
        ui_context.tasks, make, PullSchedule(), lambda: NOW,
        make_mail_sync=lambda: MailSyncService(nowhere, ui_context.engine,
                                               BlobStore(tmp_path / "m"), password="x"))
    controller.finished.connect(outcomes.append)
    panel = PullStatus()
    qtbot.addWidget(panel)
    controller.finished.connect(panel.on_finished)
    try:
        with qtbot.waitSignal(controller.finished, timeout=30000):
            controller.pull_now()
    finally:
        controller.stop()
    outcome = outcomes[0]
    assert outcome.result.ok  # the portal's pull went through
    assert outcome.mail is not None and not outcome.mail.ok
    assert "Secure mail not reachable" in panel.message_label.text()
