"""Fixtures for UI tests: a synced store over the demo portal and a UiContext around it."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import pytest
import shiboken6

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


HUISARTSENPOST = "0900-1234567"  # the practice setting, filled into answers

@pytest.fixture
def ui_context(qtbot, synced_engine, tmp_path):
    from workbench.ui.context import UiContext
    from workbench.ui.tasks import TaskRunner
    queries = InboxQueries(synced_engine)
    assistant = next(p for p in queries.practitioners() if p.role is Role.ASSISTANT)
    tasks = TaskRunner()
    context = UiContext(
        # A practice that set its huisartsenpost number: every safety-net names it.
        settings=load_settings({"data_dir": str(tmp_path),
                                "huisartsenpost_telefoon": HUISARTSENPOST}),
        engine=synced_engine,
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


class MovableClock:
    """Real time plus an offset a test moves on (idle time, lock-outs, billing)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(timezone.utc) + self.offset

    def advance(self, **kwargs) -> None:
        self.offset += timedelta(**kwargs)


@pytest.fixture
def clock():
    return MovableClock()


@pytest.fixture
def make_desktop(qtbot, demo_portal, tmp_path, clock):
    """The whole desktop app (store, pull, window) against the demo portal, in demo mode (its
    accounts), on the movable clock; options as in the configuration, `os_user` for single
    sign-on."""
    from workbench.bootstrap import open_store
    from workbench.ui.app import DesktopApp
    made = []

    def make(os_user=lambda: "nobody-here", demo=True, **options):
        settings = load_settings({"portal_url": demo_portal.base_url,
                                  "data_dir": str(tmp_path), "auth": "none",
                                  "huisartsenpost_telefoon": HUISARTSENPOST, **options})
        store = open_store(settings)
        app = DesktopApp(settings, store, demo=demo, os_user=os_user, clock=clock)
        made.append((app, store))
        return app

    yield make
    for app, store in made:
        app.sync.stop()
        for widget in (app.sign_in_dialog, app.window):
            if widget is not None and shiboken6.isValid(widget):
                widget._quit_confirmed = True  # the test is over: no question
                widget.close()
        app.tasks.wait_for_done()
        store.close()


@pytest.fixture
def desktop(make_desktop):
    return make_desktop()


def sign_in_as(desktop, role=Role.ASSISTANT):
    """Opens the window for the demo account of `role`, signed in through the real
    AccountService with the demo password (and code); pulls first when the store is empty."""
    import pyotp

    from workbench.services.accounts import DEMO_PASSWORD, DEMO_TOTP_SECRET
    if not desktop.queries.practitioners():
        assert desktop.first_pull() is None
    desktop.prepare_demo_accounts()
    account = next(a for a in desktop.accounts.accounts() if a.role is role and a.active)
    code = pyotp.TOTP(DEMO_TOTP_SECRET).at(desktop.clock()) if role is Role.MANAGER else None
    signed = desktop.accounts.sign_in(account.username, DEMO_PASSWORD, code)
    return desktop.open_window(desktop.became(signed))
