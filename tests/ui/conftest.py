"""Fixtures for UI tests: a synced store over the demo portal and a UiContext around it."""

from __future__ import annotations

import os
from datetime import datetime, timezone

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from workbench.config import load_settings  # noqa: E402
from workbench.services.inbox import InboxQueries  # noqa: E402
from workbench.services.portal_client import PortalClient  # noqa: E402
from workbench.services.sync import SyncService  # noqa: E402
from workbench.services.triage import TriageService  # noqa: E402
from workbench.store import database  # noqa: E402
from workbench.store.blobs import BlobStore  # noqa: E402
from workbench.store.models import Role  # noqa: E402


@pytest.fixture
def demo_portal(start_portal):
    return start_portal(seed=4, consults=80, photo_size=(320, 240))


@pytest.fixture
def synced_engine(demo_portal, tmp_path):
    """A SQLite store filled by a real pull from the demo portal."""
    engine = database.make_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    database.upgrade(engine)
    SyncService(PortalClient(demo_portal.base_url), engine,
                BlobStore(tmp_path / "attachments")).run()
    yield engine
    engine.dispose()


@pytest.fixture
def ui_context(qtbot, synced_engine, tmp_path):
    from workbench.ui.context import UiContext
    from workbench.ui.tasks import TaskRunner
    queries = InboxQueries(synced_engine)
    assistant = next(p for p in queries.practitioners() if p.role is Role.ASSISTANT)
    tasks = TaskRunner()
    context = UiContext(
        settings=load_settings({"data_dir": str(tmp_path)}), engine=synced_engine,
        blobs=BlobStore(tmp_path / "attachments"), queries=queries,
        triage=TriageService(synced_engine, workstation="test"), tasks=tasks, user=assistant,
        clock=lambda: datetime.now(timezone.utc))
    yield context
    tasks.wait_for_done()


@pytest.fixture
def answering_context(ui_context, tmp_path):
    """The UI context with answering: replies and the shipped templates."""
    from workbench.services.replies import ReplyService
    from workbench.services.templates import TemplateService
    templates = TemplateService(ui_context.engine)
    templates.ensure_shipped()
    ui_context.replies = ReplyService(ui_context.engine, BlobStore(tmp_path / "attachments"))
    ui_context.templates = templates
    return ui_context


def shown_pane(qtbot, context):
    from workbench.ui.consult_pane import ConsultPane
    widget = ConsultPane(context)
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def answering_pane(qtbot, answering_context):
    """A shown consult pane that can answer, invite and use templates."""
    return shown_pane(qtbot, answering_context)


@pytest.fixture
def pane(qtbot, ui_context):
    """A shown consult pane over the synced store."""
    return shown_pane(qtbot, ui_context)


@pytest.fixture
def desktop(qtbot, demo_portal, tmp_path):
    """The whole desktop app (store, pull, window) against the demo portal."""
    from workbench.bootstrap import open_store
    from workbench.ui.app import DesktopApp
    settings = load_settings({"portal_url": demo_portal.base_url, "data_dir": str(tmp_path),
                              "auth": "none"})
    store = open_store(settings)
    app = DesktopApp(settings, store)
    yield app
    app.sync.stop()
    if app.window is not None:
        app.window._quit_confirmed = True  # the test is over: no question
        app.window.close()
    app.tasks.wait_for_done()
    store.close()
