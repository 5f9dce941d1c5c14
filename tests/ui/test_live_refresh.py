"""Two workstations on one PostgreSQL database, in one test process (an engine each): what A
does reaches B's window through LISTEN/NOTIFY, and who has what open shows on both."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import text

from workbench.config import load_settings
from workbench.services.accounts import (
    DEMO_PASSWORD,
    AccountService,
    ensure_demo_accounts,
)
from workbench.services.inbox import InboxQueries, ListView
from workbench.services.portal_client import PortalClient
from workbench.services.presence import ANSWERING, VIEWING, PresenceService
from workbench.services.schedule import PullSchedule
from workbench.services.sync import SyncService
from workbench.services.triage import Actor, TriageService
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import ConsultStatus, Role, Urgency
from workbench.ui import inbox_model as columns

LIVE = 5_000  # ms: "within a second or two", with room for a slow CI machine


def utc_now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def portal(start_portal):
    return start_portal(seed=4, consults=80, photo_share=0.0)


def pull(portal, engine, folder):
    result = SyncService(PortalClient(portal.base_url), engine, BlobStore(folder)).run()
    assert result.ok, result.errors[:3]
    return result


@pytest.fixture
def shared_url(portal, tmp_path):
    """The practice's shared database, filled by one pull."""
    from tests.conftest import _fresh_postgres
    url = _fresh_postgres()
    engine = database.make_engine(url)
    database.upgrade(engine)
    pull(portal, engine, tmp_path / "pulled")
    engine.dispose()
    return url


@pytest.fixture
def workstation_a(shared_url):
    """The front desk: its own engine on the shared database."""
    engine = database.make_engine(shared_url)
    yield engine
    engine.dispose()


def staff(engine, role):
    return next(p for p in InboxQueries(engine).practitioners() if p.role is role)


@pytest.fixture
def window_b(qtbot, shared_url, tmp_path):
    """The consult room's whole window (an assistant signed in), on an engine of its own."""
    from workbench.ui.context import UiContext
    from workbench.ui.main_window import MainWindow
    from workbench.ui.sync_controller import SyncController
    from workbench.ui.tasks import TaskRunner
    engine = database.make_engine(shared_url)
    settings = load_settings({"data_dir": str(tmp_path / "b")})
    tasks = TaskRunner()
    context = UiContext(
        settings=settings, engine=engine, blobs=BlobStore(tmp_path / "b" / "attachments"),
        queries=InboxQueries(engine), triage=TriageService(engine, workstation="spreekkamer-2"),
        tasks=tasks, user=staff(engine, Role.ASSISTANT), clock=utc_now,
        accounts=AccountService.from_settings(engine, settings, clock=utc_now,
                                              workstation="spreekkamer-2"))

    def no_pull():
        raise AssertionError("workstation B does not pull in these tests")

    sync = SyncController(tasks, no_pull, PullSchedule(), utc_now)
    window = MainWindow(context, sync)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    assert window.navigation.select_view(ListView(ConsultStatus.INBOX))
    assert window.live.live.listener.wait_listening()
    yield window
    window._quit_confirmed = True
    window.close()
    sync.stop()
    tasks.wait_for_done()
    engine.dispose()


def select(window, econsult_id):
    assert window.inbox.select_econsult(econsult_id)
    return econsult_id


def test_a_routing_on_a_reaches_bs_list_and_counts_keeping_bs_selection(
        qtbot, qtmodeltester, workstation_a, window_b):
    model = window_b.inbox.model
    qtmodeltester.check(model)  # every row change below keeps the model consistent
    inbox = ListView(ConsultStatus.INBOX)
    shown = [model.econsult_id(n) for n in range(model.rowCount())]
    calm = [n for n in range(5, 40) if not model.index(n, columns.URGENCY).data()]
    selected = select(window_b, shown[calm[0]])
    qtbot.waitUntil(lambda: window_b.consult.current_id() == selected)
    inbox_label = window_b.navigation.item(0).text()

    assistant, gp = staff(workstation_a, Role.ASSISTANT), staff(workstation_a, Role.GP)
    routed = shown[1]
    TriageService(workstation_a, workstation="balie-1").route(
        routed, Actor(assistant.id), gp.id, Urgency.NORMAL)

    qtbot.waitUntil(lambda: model.row_of(routed) is None, timeout=LIVE)
    assert [model.econsult_id(n) for n in range(model.rowCount())] == \
        InboxQueries(workstation_a).ids(inbox)[:model.rowCount()]
    assert window_b.inbox.current_econsult_id() == selected  # one row up, still selected
    assert window_b.consult.current_id() == selected
    qtbot.waitUntil(lambda: window_b.navigation.item(0).text() != inbox_label, timeout=LIVE)

    # Marked urgent at A: the row moves up among the urgent ones at B and stays selected.
    before = model.row_of(selected)
    TriageService(workstation_a, workstation="balie-1").set_urgent(
        selected, Actor(assistant.id), True)
    qtbot.waitUntil(lambda: model.index(model.row_of(selected), columns.URGENCY).data() == "!",
                    timeout=LIVE)
    assert model.row_of(selected) < before
    assert [model.econsult_id(n) for n in range(model.rowCount())] == \
        InboxQueries(workstation_a).ids(inbox)[:model.rowCount()]
    assert window_b.inbox.current_econsult_id() == selected
    assert window_b.consult.current_id() == selected


def test_a_pull_on_a_brings_an_e_consult_back_at_b_and_the_rows_in_view_stay(
        qtbot, qtmodeltester, portal, workstation_a, window_b, tmp_path):
    """Someone scrolled down keeps the rows they were looking at, and their selection, while
    a routing above them removes a row and a pull brings an answered e-consult back."""
    view = window_b.inbox
    model = view.model
    qtmodeltester.check(model)
    while model.canFetchMore(view.table.rootIndex()):
        model.fetchMore(view.table.rootIndex())
    assert model.rowCount() > 30
    view.table.scrollTo(model.index(20, columns.SUBJECT), view.table.ScrollHint.PositionAtTop)
    top = view.top_visible_id()
    assert top == model.econsult_id(20)
    selected = select(window_b, model.econsult_id(24))
    assistant, gp = staff(workstation_a, Role.ASSISTANT), staff(workstation_a, Role.GP)
    with workstation_a.connect() as connection:
        closed_id, root = connection.execute(text(
            "SELECT id, portal_id FROM econsult WHERE status = 'closed' ORDER BY id")).first()
    assert model.row_of(closed_id) is None

    TriageService(workstation_a, workstation="balie-1").route(
        model.econsult_id(3), Actor(assistant.id), gp.id, Urgency.NORMAL)
    portal.add_patient_reply(root, "Het is nog niet over, wat nu?")
    assert pull(portal, workstation_a, tmp_path / "a").created == 1

    qtbot.waitUntil(lambda: model.row_of(closed_id) is not None, timeout=LIVE)
    assert [model.econsult_id(n) for n in range(model.rowCount())] == \
        InboxQueries(workstation_a).ids(ListView(ConsultStatus.INBOX))
    assert view.top_visible_id() == top
    assert view.current_econsult_id() == selected
    assert window_b.consult.current_id() == selected


def test_a_colleague_opening_and_answering_shows_in_bs_pane_and_list(
        qtbot, workstation_a, window_b):
    model = window_b.inbox.model
    econsult = select(window_b, model.econsult_id(2))
    qtbot.waitUntil(lambda: window_b.consult.current_id() == econsult)
    line = window_b.consult.presence_line()
    assert not line.isVisibleTo(window_b)
    gp = staff(workstation_a, Role.GP)
    first_name = gp.name
    front_desk = PresenceService(workstation_a, workstation="balie-1")

    front_desk.mark(econsult, gp.id, VIEWING)
    qtbot.waitUntil(lambda: line.isVisibleTo(window_b), timeout=LIVE)
    assert line.text() == f"{first_name} has this open"
    subject = model.index(model.row_of(econsult), columns.SUBJECT)
    qtbot.waitUntil(lambda: subject.data(Qt.ItemDataRole.ToolTipRole)
                    == f"{first_name} has this open", timeout=LIVE)
    assert subject.data(Qt.ItemDataRole.DecorationRole) is not None

    front_desk.mark(econsult, gp.id, ANSWERING)
    qtbot.waitUntil(lambda: line.text() == f"{first_name} is answering this", timeout=LIVE)
    # Starting to answer it at B asks first.
    editor = window_b.consult.reply_editor()
    assert window_b.live.answering_elsewhere(econsult) == [first_name]
    editor._ask_before_answering()
    asked = [box for box in editor.findChildren(QMessageBox)
             if box.objectName() == "beforeAnsweringBox" and box.isVisible()]
    assert asked and f"{first_name} is answering this e-consult right now." in asked[0].text()
    asked[0].button(QMessageBox.StandardButton.No).click()
    front_desk.clear(gp.id)
    qtbot.waitUntil(lambda: not line.isVisibleTo(window_b), timeout=LIVE)
    qtbot.waitUntil(lambda: subject.data(Qt.ItemDataRole.DecorationRole) is None, timeout=LIVE)


def test_what_b_opens_and_answers_shows_at_a_until_b_locks_or_quits(
        qtbot, workstation_a, window_b):
    ensure_demo_accounts(workstation_a)  # the assistant can unlock with the demo password
    assistant = window_b._context.user
    gp = staff(workstation_a, Role.GP)
    front_desk = PresenceService(workstation_a, workstation="balie-1")
    econsult = select(window_b, window_b.inbox.model.econsult_id(0))

    def at_a():
        return [(p.practitioner_id, p.activity) for p in front_desk.others(econsult, gp.id)]

    qtbot.waitUntil(lambda: at_a() == [(assistant.id, VIEWING)], timeout=LIVE)
    editor = window_b.consult.reply_editor()
    qtbot.waitUntil(lambda: not editor.is_loading() and editor.text_edit.isEnabled())
    editor.text_edit.setFocus()
    qtbot.keyClicks(editor.text_edit, "Beste mevrouw,")
    qtbot.waitUntil(lambda: at_a() == [(assistant.id, ANSWERING)], timeout=LIVE)

    window_b.screen_lock.lock("request")
    qtbot.waitUntil(lambda: at_a() == [], timeout=LIVE)

    window_b.screen_lock.screen._secret.setText(DEMO_PASSWORD)  # the real unlock
    window_b.screen_lock.screen.unlock()
    qtbot.waitUntil(lambda: at_a() == [(assistant.id, VIEWING)], timeout=LIVE)

    window_b._quit_confirmed = True
    window_b.close()
    assert at_a() == []  # cleared before the window was gone


def test_bs_listener_reconnects_after_its_connection_is_killed(qtbot, workstation_a,
                                                              window_b):
    listener = window_b.live.live.listener
    everything = []
    window_b.live.live.changed.connect(
        lambda econsults, presence: everything.append(econsults is None and presence is None))
    model = window_b.inbox.model
    routed = model.econsult_id(3)
    with workstation_a.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"),
                           {"pid": listener.backend_pid})
    # Sent while B may be reconnecting: a lost notification, made up by "everything".
    assistant, gp = staff(workstation_a, Role.ASSISTANT), staff(workstation_a, Role.GP)
    TriageService(workstation_a, workstation="balie-1").route(
        routed, Actor(assistant.id), gp.id, Urgency.NORMAL)
    qtbot.waitUntil(lambda: model.row_of(routed) is None, timeout=3 * LIVE)
    qtbot.waitUntil(lambda: any(everything), timeout=3 * LIVE)
    assert listener.reconnects == 1


def test_a_mail_pulled_or_handled_at_a_moves_bs_unknown_sender_count(
        qtbot, workstation_a, window_b, tmp_path):
    """The unknown-sender entry at B follows A: a stranger's mail pulled at A shows as
    "Unknown sender (1)" at B, and goes once A's assistant handled it."""
    from tests.ui.test_unknown_senders import add_mail
    from workbench.store.models import MailItem, MailState
    navigation = window_b.navigation
    assert navigation.unknown_senders_count == 0
    at = datetime(2026, 3, 2, 8, 5, tzinfo=UTC)
    mail_id = add_mail(workstation_a, BlobStore(tmp_path / "a"), address="onbekend@example.nl",
                       name="Onbekend", subject="Vraag over mijn recept", text="Hallo dokter",
                       state=MailState.UNKNOWN_SENDER, at=at)
    qtbot.waitUntil(lambda: navigation.unknown_senders_count == 1, timeout=LIVE)
    assert navigation.unknown_senders_entry() is not None
    with workstation_a.begin() as connection:
        connection.execute(MailItem.__table__.update().where(MailItem.id == mail_id).values(
            handled_at=utc_now(), handled_by_id=staff(workstation_a, Role.ASSISTANT).id))
    qtbot.waitUntil(lambda: navigation.unknown_senders_count == 0, timeout=LIVE)
    assert navigation.unknown_senders_entry() is None


def test_on_sqlite_nothing_listens_and_nobody_is_marked(qtbot, ui_context):
    from workbench.ui.main_window import MainWindow
    from workbench.ui.sync_controller import SyncController

    def no_pull():
        raise AssertionError("not pulled here")

    sync = SyncController(ui_context.tasks, no_pull, PullSchedule(), utc_now)
    window = MainWindow(ui_context, sync)
    qtbot.addWidget(window)
    assert not window.live.enabled
    assert window.live.live.listener is None and window.live.tracker is None
    assert not window.live.live.start()
    assert window.navigation.select_view(ListView(ConsultStatus.INBOX))
    window.inbox.select_next()
    qtbot.waitUntil(lambda: window.consult.current_id() is not None)
    with ui_context.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM presence")) == 0
    sync.stop()
