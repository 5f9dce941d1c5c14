"""Pages asked at the same time where the portal pages by `_offset`, one by one elsewhere; stored
and the cursor moved strictly in page order, so the cursor never passes a page not committed."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.misbehaving_portal import MisbehavingPortal, communication
from workbench.services.portal_client import PortalClient, PortalUnreachable, RetryPolicy
from workbench.services.sync import SyncService
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import Attachment, EConsult, Message, Patient, SyncCursor

NOW = datetime.now(timezone.utc)


class CountingClient(PortalClient):
    """The real client, counting how many pages of the search were in flight at once (not
    the reads by id of what a page lacks)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()
        self._in_flight = 0
        self.most_in_flight = 0

    def get_answer(self, path: str, params: Any = None):
        page = "Communication" in path and (
            params is None or any(name == "category" for name, _value in params))
        if not page:
            return super().get_answer(path, params)
        with self._lock:
            self._in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self._in_flight)
        try:
            return super().get_answer(path, params)
        finally:
            with self._lock:
                self._in_flight -= 1


def pull(base_url: str, engine, data_dir: Path, *, in_flight: int = 4, page_size: int = 10,
         attempts: int = 3) -> tuple[SyncService, CountingClient]:
    client = CountingClient(base_url, timeout=(2.0, 10.0),
                            retry=RetryPolicy(attempts=attempts, backoff_s=0.01,
                                              max_retry_after_s=0.1))
    sync = SyncService(client, engine, BlobStore(data_dir / "attachments"),
                       page_size=page_size, workers=2, pages_in_flight=in_flight)
    return sync, client


def new_engine(path: Path):
    engine = database.make_engine(f"sqlite:///{path}")
    database.upgrade(engine)
    return engine


def snapshot(engine) -> dict[str, Any]:
    """What a pull stored, without row ids or times of storing."""
    with engine.connect() as connection:
        return {
            "econsults": sorted(connection.execute(select(
                EConsult.portal_id, EConsult.portal_version, EConsult.subject, EConsult.status,
                EConsult.photo_count, EConsult.unread, EConsult.sort_rank,
                Patient.portal_id).join(Patient, Patient.id == EConsult.patient_id)).all()),
            "messages": sorted(connection.execute(select(
                Message.portal_id, Message.portal_version, Message.text, Message.in_response_to,
                EConsult.portal_id).join(EConsult, EConsult.id == Message.econsult_id)).all()),
            "attachments": sorted(connection.execute(select(
                Message.portal_id, Attachment.position, Attachment.sha256, Attachment.url).join(
                Message, Message.id == Attachment.message_id)).all(), key=repr),
            "cursor": connection.scalar(select(SyncCursor.last_updated)),
        }


def test_a_concurrent_pull_stores_what_a_sequential_one_does(start_portal, tmp_path):
    # A little latency, so pages asked at once are really in flight together.
    portal = start_portal(seed=5, consults=60, photo_share=0.2, photo_size=(64, 48),
                          latency_ms=20)
    stores = {}
    for in_flight in (1, 4):
        engine = new_engine(tmp_path / f"store-{in_flight}.sqlite3")
        sync, client = pull(portal.base_url, engine, tmp_path / f"data-{in_flight}",
                            in_flight=in_flight)
        result = sync.run()
        assert result.ok, (result.errors, result.incomplete)
        assert result.pages > 5
        # One: the next page only, asked while this one is stored (as before).
        assert client.most_in_flight == 1 if in_flight == 1 else client.most_in_flight > 1
        stores[in_flight] = snapshot(engine)
        again = sync.run()
        assert again.created == 0 and again.updated == 0 and again.ok
        engine.dispose()
    assert stores[1] == stores[4]
    assert len(stores[4]["messages"]) == len(portal.dataset.valid_message_ids)


@pytest.fixture
def portal():
    server = MisbehavingPortal()
    yield server
    server.close()


def fill(portal: MisbehavingPortal, count: int) -> list[dict[str, Any]]:
    made = []
    for index in range(count):
        made.append(portal.add(communication(
            f"m-{index:02d}", last_updated=NOW - timedelta(minutes=200 - index))))
    return made


def opaque_next_links(portal: MisbehavingPortal):
    """Next links as opaque tokens (`_getpages`, as some servers page), not by `_offset`."""
    tokens: dict[str, dict[str, str]] = {}
    lock = threading.Lock()

    def answer(handler, query: dict[str, str]) -> bool:
        if "_getpages" in query:
            with lock:
                query = tokens[query["_getpages"]]
        bundle = portal._search(handler.path, query)
        for link in bundle.get("link", []):
            if link.get("relation") == "next":
                wanted = dict(part.split("=", 1) for part in
                              link["url"].split("?", 1)[1].split("&"))
                with lock:
                    token = f"t{len(tokens)}"
                    tokens[token] = wanted
                link["url"] = f"{portal.base_url}/Communication?_getpages={token}"
        portal.send(handler, 200, bundle)
        return True
    return answer


def test_a_portal_without_offset_paging_is_read_one_page_at_a_time(portal, tmp_path):
    fill(portal, 45)
    portal.page_override = opaque_next_links(portal)
    engine = new_engine(tmp_path / "store.sqlite3")
    sync, client = pull(portal.base_url, engine, tmp_path)
    result = sync.run()
    assert result.ok and result.pages >= 5
    assert client.most_in_flight == 1
    with engine.connect() as connection:
        assert len(connection.scalars(select(Message.portal_id)).all()) == 45

    # Paging by our own cursor (no next links at all) is one page at a time as well.
    portal.page_override = None
    portal.next_links = False
    fill(portal, 50)  # five newer ones
    sync, client = pull(portal.base_url, engine, tmp_path)
    result = sync.run()
    assert result.ok and result.created == 5 and client.most_in_flight == 1
    engine.dispose()


def test_the_cursor_never_passes_a_page_not_committed(portal, tmp_path):
    made = fill(portal, 60)

    def failing_page(handler, query: dict[str, str]) -> bool:
        if query.get("_offset") == "30":
            portal.send(handler, 500, {"resourceType": "OperationOutcome"})
            return True
        return False
    portal.page_override = failing_page
    engine = new_engine(tmp_path / "store.sqlite3")
    sync, client = pull(portal.base_url, engine, tmp_path, attempts=2)
    with pytest.raises(PortalUnreachable):
        sync.run()
    # The pages after the failing one were asked at the same time, and arrived...
    assert any("_offset=40" in path for path in portal.communication_requests())
    assert client.most_in_flight > 1
    # ... but only the pages before it are stored, and the cursor is that of the last of them.
    with engine.connect() as connection:
        stored = set(connection.scalars(select(Message.portal_id)))
        cursor = connection.scalar(select(SyncCursor.last_updated))
    assert stored == {resource["id"] for resource in made[:30]}
    assert cursor == made[29]["meta"]["lastUpdated"]

    portal.page_override = None
    sync, client = pull(portal.base_url, engine, tmp_path)
    result = sync.run()
    assert result.ok
    with engine.connect() as connection:
        assert sorted(connection.scalars(select(Message.portal_id))) == [
            resource["id"] for resource in made]
    engine.dispose()


def test_a_next_link_other_than_the_page_asked_ahead_is_followed(portal, tmp_path):
    """Pages asked ahead are used only when the portal's own next link names them."""
    made = fill(portal, 40)
    seen: list[str] = []

    def skewed_links(handler, query: dict[str, str]) -> bool:
        # From the second page on, the portal's next link steps by 5, not by the page's 10.
        bundle = portal._search(handler.path, query)
        offset = int(query.get("_offset", 0))
        seen.append(str(offset))
        for link in bundle.get("link", []):
            if link.get("relation") == "next" and offset:
                link["url"] = link["url"].replace(f"_offset={offset + 10}",
                                                  f"_offset={offset + 5}")
        portal.send(handler, 200, bundle)
        return True
    portal.page_override = skewed_links
    engine = new_engine(tmp_path / "store.sqlite3")
    sync, _client = pull(portal.base_url, engine, tmp_path)
    result = sync.run()
    assert result.ok
    with engine.connect() as connection:
        assert sorted(connection.scalars(select(Message.portal_id))) == [
            resource["id"] for resource in made]
    assert {"15", "20", "25"} <= set(seen)  # the portal's own links were followed
    engine.dispose()


class SlowFirstWrite(SyncService):
    """The first page's writing takes a while (a busy disk), so the pages asked meanwhile
    are all here when it ends. Records how many messages each write held."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.writes: list[int] = []

    def _store_page(self, matches, includes, result, horizon=None, *, move_cursor=True):
        if not self.writes:
            time.sleep(0.3)
        self.writes.append(len(matches))
        return super()._store_page(matches, includes, result, horizon, move_cursor=move_cursor)


def test_pages_already_here_are_stored_together_and_the_cursor_follows(portal, tmp_path):
    made = fill(portal, 60)
    engine = new_engine(tmp_path / "store.sqlite3")
    client = PortalClient(portal.base_url, timeout=(2.0, 10.0),
                          retry=RetryPolicy(attempts=2, backoff_s=0.01, max_retry_after_s=0.1))
    sync = SlowFirstWrite(client, engine, BlobStore(tmp_path / "attachments"), page_size=10,
                          workers=2, pages_in_flight=4)
    result = sync.run()
    assert result.ok and result.pages >= 6
    # Pages of ten, written in fewer, larger transactions once they were waiting.
    assert sync.writes[0] == 10 and max(sync.writes) > 10
    assert len(sync.writes) < result.pages
    with engine.connect() as connection:
        assert sorted(connection.scalars(select(Message.portal_id))) == [
            resource["id"] for resource in made]
        assert connection.scalar(select(SyncCursor.last_updated)) == \
            made[-1]["meta"]["lastUpdated"]
    again = SlowFirstWrite(client, engine, BlobStore(tmp_path / "attachments"),
                           page_size=10).run()
    assert again.ok and (again.created, again.updated) == (0, 0)
    engine.dispose()
