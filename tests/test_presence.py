"""Presence on the shared PostgreSQL database: who has an e-consult open, at which workstation,
and the change notifications other workstations listen to."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from workbench.services.inbox import InboxQueries, ListView
from workbench.services.live_changes import ChangeListener, parse_payload
from workbench.services.portal_client import PortalClient
from workbench.services.presence import (
    ANSWERING,
    PRESENCE_SECONDS,
    VIEWING,
    PresenceService,
)
from workbench.services.sync import SyncService
from workbench.services.triage import Actor, TriageService
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import ConsultStatus, Role, Urgency


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def shared_engine(start_portal, tmp_path):
    from tests.conftest import _fresh_postgres
    engine = database.make_engine(_fresh_postgres())
    database.upgrade(engine)
    portal = start_portal(seed=23, consults=30, photo_share=0.0)
    SyncService(PortalClient(portal.base_url), engine, BlobStore(tmp_path / "a")).run()
    yield engine
    engine.dispose()


@pytest.fixture
def clock():
    return Clock()


def people(engine):
    staff = InboxQueries(engine).practitioners()
    return (next(p for p in staff if p.role is Role.ASSISTANT),
            next(p for p in staff if p.role is Role.GP))


def inbox(engine) -> list[int]:
    return InboxQueries(engine).ids(ListView(ConsultStatus.INBOX))


def test_a_colleague_sees_who_has_an_e_consult_open_and_not_themselves(shared_engine, clock):
    ilse, gp = people(shared_engine)
    front_desk = PresenceService(shared_engine, workstation="balie-1", clock=clock)
    consult_room = PresenceService(shared_engine, workstation="spreekkamer-2", clock=clock)
    econsult = inbox(shared_engine)[0]

    front_desk.mark(econsult, ilse.id, VIEWING)
    seen = consult_room.others(econsult, gp.id)
    assert [(p.name, p.workstation, p.activity) for p in seen] == [
        (ilse.name, "balie-1", VIEWING)]
    assert front_desk.others(econsult, ilse.id) == []  # not yourself, here
    # Ilse at another workstation does see her own session at the front desk.
    assert [p.workstation for p in consult_room.others(econsult, ilse.id)] == ["balie-1"]

    clock.advance(seconds=3)
    front_desk.mark(econsult, ilse.id, ANSWERING)
    answering = consult_room.others(econsult, gp.id)[0]
    assert answering.answering and answering.since == clock.now - timedelta(seconds=3)
    assert consult_room.active(inbox(shared_engine)[:20], gp.id) == {econsult: [answering]}


def test_opening_another_e_consult_moves_the_mark_and_closing_clears_it(shared_engine, clock):
    ilse, gp = people(shared_engine)
    front_desk = PresenceService(shared_engine, workstation="balie-1", clock=clock)
    consult_room = PresenceService(shared_engine, workstation="spreekkamer-2", clock=clock)
    first, second = inbox(shared_engine)[:2]

    front_desk.mark(first, ilse.id)
    front_desk.mark(second, ilse.id)  # one open e-consult per person per workstation
    assert consult_room.others(first, gp.id) == []
    assert [p.econsult_id for p in consult_room.others(second, gp.id)] == [second]

    consult_room.mark(second, gp.id)
    front_desk.clear(ilse.id)
    assert consult_room.others(second, gp.id) == []  # Ilse closed it
    assert [p.name for p in front_desk.others(second, ilse.id)] == [gp.name]


def test_presence_expires_without_a_heartbeat_and_is_purged(shared_engine, clock):
    ilse, gp = people(shared_engine)
    crashed = PresenceService(shared_engine, workstation="balie-1", clock=clock)
    consult_room = PresenceService(shared_engine, workstation="spreekkamer-2", clock=clock)
    econsult = inbox(shared_engine)[0]
    crashed.mark(econsult, ilse.id, ANSWERING)

    clock.advance(seconds=PRESENCE_SECONDS - 1)
    assert consult_room.others(econsult, gp.id)  # still within its time
    clock.advance(seconds=2)
    assert consult_room.others(econsult, gp.id) == []  # the workstation stopped renewing
    assert consult_room.purge() == 1
    with shared_engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM presence")) == 0


def test_a_heartbeat_keeps_presence_alive(shared_engine, clock):
    ilse, gp = people(shared_engine)
    front_desk = PresenceService(shared_engine, workstation="balie-1", clock=clock)
    econsult = inbox(shared_engine)[0]
    front_desk.mark(econsult, ilse.id)
    for _beat in range(6):
        clock.advance(seconds=10)
        front_desk.mark(econsult, ilse.id)
    seen = PresenceService(shared_engine, workstation="x", clock=clock).others(econsult, gp.id)
    assert len(seen) == 1 and seen[0].since == clock.now - timedelta(seconds=60)


def test_payloads_of_the_change_channel():
    assert parse_payload("e:1,2,3") == ("e", {1, 2, 3})
    assert parse_payload("p:4") == ("p", {4})
    assert parse_payload("e:*") == ("e", None)
    assert parse_payload("m:7") == ("m", {7})
    assert parse_payload("x:1") is None and parse_payload("e:a") is None


def test_the_listener_hears_routing_and_presence_and_reconnects(shared_engine, clock):
    """A change committed by another workstation arrives as ids; a killed connection is
    opened again and, since notifications were lost meanwhile, reports everything."""
    ilse, gp = people(shared_engine)
    reports: list[tuple] = []
    arrived = threading.Event()

    def heard(econsults, presence, mail):
        reports.append((econsults, presence, mail))
        arrived.set()

    listener = ChangeListener(shared_engine, heard, first_retry_seconds=0.1)
    listener.start()
    try:
        assert listener.wait_listening()
        econsult = inbox(shared_engine)[0]
        TriageService(shared_engine, workstation="balie-1").route(
            econsult, Actor(ilse.id), gp.id, Urgency.NORMAL)
        assert arrived.wait(10)
        assert any(e and econsult in e for e, _p, _m in reports)

        arrived.clear()
        PresenceService(shared_engine, workstation="balie-1", clock=clock).mark(
            econsult, ilse.id)
        assert arrived.wait(10)
        assert any(p and econsult in p for _e, p, _m in reports)

        arrived.clear()
        reports.clear()
        pid = listener.backend_pid
        with shared_engine.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        assert arrived.wait(15)
        assert (None, None, True) in reports
        assert listener.reconnects == 1 and listener.backend_pid != pid
    finally:
        listener.stop()


def test_the_listener_needs_postgresql(sqlite_url):
    engine = database.make_engine(sqlite_url)
    with pytest.raises(ValueError):
        ChangeListener(engine, lambda _e, _p, _m: None)
    engine.dispose()
