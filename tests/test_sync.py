"""The sync service against the demo portal over real HTTP, into real SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.demo.server import DemoPortal
from workbench.services.portal_client import PortalClient, RetryPolicy
from workbench.services.sync import SyncService
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    Attachment,
    ConsultStatus,
    EConsult,
    Message,
    Practitioner,
    QuarantinedResource,
    RelatedPerson,
    Role,
    SyncCursor,
)
from workbench.store.search import search_econsult_ids


def make_sync(portal: DemoPortal, engine, data_dir: Path, *, page_size=25, attempts=6,
              read_timeout=5.0) -> SyncService:
    client = PortalClient(portal.base_url, timeout=(2.0, read_timeout),
                          retry=RetryPolicy(attempts=attempts, backoff_s=0.01,
                                            max_retry_after_s=1.0))
    return SyncService(client, engine, BlobStore(data_dir / "attachments"), page_size=page_size,
                       workers=4)


def count(engine, model, *where) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model).where(*where))


def assert_store_matches_portal(engine, portal: DemoPortal, data_dir: Path,
                                kept_with_refused_photo: frozenset[str] = frozenset()) -> None:
    """Exactly the portal's valid e-consults, messages and attachments, none twice.
    `kept_with_refused_photo`: messages stored whose attachment was refused."""
    dataset = portal.dataset
    with engine.connect() as connection:
        roots = set(connection.scalars(select(EConsult.portal_id))) - kept_with_refused_photo
        messages = [m for m in connection.scalars(select(Message.portal_id))
                    if m not in kept_with_refused_photo]
        stored = list(connection.scalars(select(Attachment.sha256).join(Message).where(
            Message.portal_id.not_in(kept_with_refused_photo))))
    assert roots == set(dataset.valid_root_ids)
    assert sorted(messages) == sorted(dataset.valid_message_ids)
    expected = dataset.expected_attachment_sha256()
    assert None not in stored
    assert set(stored) == expected
    blobs = BlobStore(data_dir / "attachments")
    assert all(blobs.has(sha) for sha in expected)


def assert_text_index_whole(engine) -> None:
    """On SQLite, every stored message is in the full-text index with its stored text, and
    nothing else is (FTS5's integrity check against its content table raises otherwise)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO message_fts (message_fts, rank) VALUES ('integrity-check', 1)")
        indexed = connection.exec_driver_sql("SELECT count(*) FROM message_fts_docsize").scalar()
        assert indexed == connection.exec_driver_sql("SELECT count(*) FROM message").scalar()
        assert connection.exec_driver_sql("SELECT count(*) FROM message_fts_batch").scalar() == 0


def test_full_sync_then_a_second_sync_creates_nothing(start_portal, migrated_engine, tmp_path):
    portal = start_portal(seed=3, consults=80)
    first = make_sync(portal, migrated_engine, tmp_path).run()
    assert first.ok, first.errors
    assert first.econsults_created == len(portal.dataset.valid_root_ids) >= 80
    assert first.attachments > 0 and first.quarantined == 0
    assert_store_matches_portal(migrated_engine, portal, tmp_path)

    with Session(migrated_engine) as session:
        roles = dict(session.execute(select(Practitioner.role, func.count())
                                     .group_by(Practitioner.role)).all())
        assert roles == {Role.GP: 3, Role.POH: 1, Role.ASSISTANT: 3}
        assert session.scalar(select(func.count()).select_from(RelatedPerson)) > 0
        # Threads: replies sit in their e-consult, a parent's message names the child.
        threaded = session.scalars(select(EConsult).where(
            EConsult.portal_id.in_(portal.dataset.valid_root_ids))).all()
        assert any(len(e.messages) > 1 for e in threaded)
        via_parent = [e for e in threaded if e.sender_related_person_id is not None]
        assert via_parent and all(e.sender_related_person.patient_id == e.patient_id
                                  for e in via_parent)
        some_word = next(w for w in threaded[0].messages[0].text.split() if len(w) > 5)
        assert threaded[0].id in search_econsult_ids(session, some_word)
    assert_text_index_whole(migrated_engine)

    second = make_sync(portal, migrated_engine, tmp_path).run()
    assert second.ok
    assert (second.created, second.updated, second.econsults_created, second.attachments,
            second.quarantined) == (0, 0, 0, 0, 0)
    assert_store_matches_portal(migrated_engine, portal, tmp_path)


def test_new_versions_update_and_a_patient_reply_reopens_the_thread(
        start_portal, sqlite_url, tmp_path):
    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    portal = start_portal(seed=5, consults=80, photo_share=0.0)
    make_sync(portal, engine, tmp_path).run()
    with Session(engine) as session:
        closed = session.scalars(select(EConsult).where(
            EConsult.status == ConsultStatus.CLOSED)).first()
        assert closed is not None, "the demo has threads answered on the portal"
        root_id = session.scalars(select(EConsult.portal_id).where(
            EConsult.status == ConsultStatus.INBOX)).first()

    portal.new_version(root_id, text="Aanvulling: inmiddels ook hoofdpijn en misselijkheid")
    reply_id = portal.add_patient_reply(closed.portal_id, "Het is nog niet over, wat nu?")
    result = make_sync(portal, engine, tmp_path).run()
    assert (result.updated, result.created, result.econsults_created) == (1, 1, 0)
    with Session(engine) as session:
        updated = session.scalars(select(Message).where(Message.portal_id == root_id)).one()
        assert "misselijkheid" in updated.text
        assert search_econsult_ids(session, "misselijkheid") == [updated.econsult_id]
        # The reply came in a later pull, indexed with the rest of its page.
        assert closed.id in search_econsult_ids(session, "nog niet over wat nu")
        reopened = session.get(EConsult, closed.id)
        assert reopened.status is ConsultStatus.INBOX
        assert reply_id in [m.portal_id for m in reopened.messages]
        assert reopened.last_patient_message_at > closed.last_patient_message_at
        # A new version: an action or answer based on before is refused, naming the patient.
        assert reopened.version > closed.version
        assert (reopened.change_kind, reopened.changed_by_id) == ("patient_wrote", None)
    assert_text_index_whole(engine)
    engine.dispose()


def test_sync_through_a_faulty_portal_ends_with_exactly_its_data(
        start_portal, migrated_engine, tmp_path):
    portal = start_portal(seed=7, consults=80, fault_rate=0.3, fault_hang_s=1.5)
    for _attempt in range(30):
        try:
            result = make_sync(portal, migrated_engine, tmp_path, page_size=20, attempts=3,
                               read_timeout=0.5).run()
        except Exception:  # noqa: BLE001 - a run may give up on the portal; run again
            continue
        if result.ok:
            break
    else:
        pytest.fail("no clean sync in 30 runs")
    assert_store_matches_portal(migrated_engine, portal, tmp_path)
    statuses = [status for _method, _path, status in portal.request_log]
    assert any(status >= 500 for status in statuses if status), "faults were injected"


def test_malformed_resources_are_quarantined_and_the_rest_syncs(
        start_portal, migrated_engine, tmp_path):
    portal = start_portal(seed=9, consults=80, malformed=8, photo_share=0.0)
    kinds = portal.dataset.malformed_kinds
    # What cannot be shown at all: no patient to put it with, nothing to show, not ours.
    strict = {bid for bid, kind in kinds.items()
              if kind in ("missing-subject", "no-payload", "unknown-subject", "wrong-category")}
    lenient = set(kinds) - strict
    result = make_sync(portal, migrated_engine, tmp_path).run()
    assert result.quarantined == len(strict) == 4
    assert result.quarantined_open == 4 and not result.ok
    # A photo whose bytes disagree with its declared size is refused, and said so.
    assert any("declared" in error for error in result.errors)
    with Session(migrated_engine) as session:
        quarantined = session.scalars(select(QuarantinedResource)).all()
        assert {q.portal_id for q in quarantined} == strict
        assert all(q.reason and q.raw for q in quarantined)
        unknown = next(q for q in quarantined if kinds[q.portal_id] == "unknown-subject")
        assert unknown.transient  # a 404 may be replica lag
        # The rest reached the inbox, flagged where something was wrong with them.
        flagged = {e.portal_id: e.data_problems for e in session.scalars(
            select(EConsult).where(EConsult.portal_id.in_(lenient)))}
        assert set(flagged) == lenient
        by_kind = {kinds[pid]: problems for pid, problems in flagged.items()}
        assert "sent_missing" in by_kind["bad-sent"]
        assert "status_unknown" in by_kind["bad-status"]
        assert "attachment_refused" in by_kind["attachment-without-content"]
        assert "attachment_refused" in by_kind["size-mismatch"]
    assert_store_matches_portal(migrated_engine, portal, tmp_path, frozenset(lenient))
    again = make_sync(portal, migrated_engine, tmp_path).run()
    assert again.quarantined == 0 and again.created == 0
    # Still waiting in "Niet verwerkt": never "up to date" while they do.
    assert again.quarantined_open == 4 and not again.ok and not again.errors


def test_a_server_without_next_links_that_ignores_include(start_portal, sqlite_url, tmp_path):
    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    portal = start_portal(seed=11, consults=90, next_links=False, honour_include=False)
    result = make_sync(portal, engine, tmp_path, page_size=15).run()
    assert result.ok, result.errors
    assert_store_matches_portal(engine, portal, tmp_path)
    paths = [path for _method, path, _status in portal.request_log]
    # What the server did not include is read by id.
    assert any(p.startswith(("/fhir/Patient/", "/fhir/Patient?_id=")) for p in paths)
    assert any(p.startswith(("/fhir/RelatedPerson/", "/fhir/RelatedPerson?_id=")) for p in paths)
    assert any("_lastUpdated=ge" in p for p in paths)
    assert not any("_offset" in p for p in paths if p.startswith("/fhir/Communication?"))
    engine.dispose()


def test_a_sync_killed_mid_run_resumes_without_loss_or_duplicates(start_portal, tmp_path):
    # Enough pages that the kill lands mid-pull: pages already here are written together.
    portal = start_portal(seed=13, consults=400, latency_ms=40)
    data_dir = tmp_path / "data"
    env = dict(os.environ, WORKBENCH_PAGE_SIZE="10", WORKBENCH_AUTH="none")
    command = [sys.executable, "-m", "workbench.cli", "sync", "--once",
               "--portal", portal.base_url, "--data-dir", str(data_dir)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    store = data_dir / "workbench.sqlite3"
    engine = None
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            time.sleep(0.1)
            if store.exists():
                engine = engine or database.make_engine(f"sqlite:///{store}")
                try:
                    if count(engine, Message) >= 1:
                        break
                except Exception:  # noqa: BLE001 - tables may not exist yet
                    pass
        assert process.poll() is None, "the sync should still be running"
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        partial = count(engine, Message)
        assert 0 < partial < len(portal.dataset.valid_message_ids)
        with engine.connect() as connection:
            assert connection.scalar(select(SyncCursor.last_updated)) is not None

        finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert finished.returncode == 0, finished.stderr
        assert_store_matches_portal(engine, portal, data_dir)
    finally:
        if process.poll() is None:
            process.kill()
        if engine is not None:
            engine.dispose()


def test_inline_photos_are_stored_and_a_broken_one_is_refused_alone(
        start_portal, sqlite_url, tmp_path):
    import copy
    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    portal = start_portal(seed=17, consults=80, photo_size=(160, 120))
    with_photo = [cid for cid in portal.dataset.valid_root_ids if any(
        "contentAttachment" in p for p in portal.dataset.communications[cid]["payload"])]
    broken_id = with_photo[0]
    broken = copy.deepcopy(portal.dataset.communications[broken_id])
    attachment = next(p["contentAttachment"] for p in broken["payload"]
                      if "contentAttachment" in p)
    assert "data" in attachment, "small photos travel inline"
    attachment["size"] += 1
    portal.dataset.new_version("Communication", broken_id, res=broken)

    result = make_sync(portal, engine, tmp_path).run()
    # The broken photo is refused on its own, and said so; its message reaches the inbox.
    assert len(result.errors) == 1 and broken_id in result.errors[0], result.errors
    assert result.quarantined == 0
    with Session(engine) as session:
        refused = session.scalars(select(Attachment).join(Message).where(
            Message.portal_id == broken_id, Attachment.sha256.is_(None))).one()
        inline = session.scalars(select(Attachment).where(
            Attachment.url.is_(None), Attachment.error.is_(None))).all()
        stored_roots = set(session.scalars(select(EConsult.portal_id)))
        flagged = session.scalar(select(EConsult.data_problems).where(
            EConsult.portal_id == broken_id))
    assert "inline attachment: size" in refused.error
    assert stored_roots == set(portal.dataset.valid_root_ids)
    assert "attachment_refused" in flagged
    assert inline and all(a.sha256 and a.stored_at and a.size for a in inline)
    blobs = BlobStore(tmp_path / "attachments")
    assert all(blobs.has(a.sha256) for a in inline)
    engine.dispose()


def test_only_one_workstation_pulls_into_the_shared_database_at_a_time(start_portal, tmp_path):
    from sqlalchemy import text

    from tests.conftest import _fresh_postgres
    from workbench.services.sync import PULL_LOCK_KEY
    engine = database.make_engine(_fresh_postgres())
    database.upgrade(engine)
    portal = start_portal(seed=19, consults=80, photo_share=0.0)
    other_workstation = engine.connect()
    try:
        assert other_workstation.execute(text("SELECT pg_try_advisory_lock(:k)"),
                                          {"k": PULL_LOCK_KEY}).scalar()
        skipped = make_sync(portal, engine, tmp_path).run()
        assert skipped.skipped and skipped.created == 0 and skipped.ok
        other_workstation.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PULL_LOCK_KEY})
        other_workstation.commit()
    finally:
        other_workstation.close()
    pulled = make_sync(portal, engine, tmp_path).run()
    assert not pulled.skipped and pulled.created == len(portal.dataset.valid_message_ids)
    engine.dispose()


def test_accounts_keep_their_role_and_local_accounts_are_left_alone(start_portal, sqlite_url,
                                                                    tmp_path):
    """The portal's directory updates its practitioners; an account's role (its rights) is the
    practice's, and an account not on the portal is never touched."""
    from workbench.services.accounts import AccountService
    from workbench.services.triage import Actor
    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    portal = start_portal(seed=3, consults=80, photo_share=0.0)
    make_sync(portal, engine, tmp_path).run()
    accounts = AccountService(engine)
    manager = accounts.add(None, "beheer", "Mia Beheer", Role.MANAGER, "een lang wachtwoord")
    # A doktersassistent on the portal who also manages the practice.
    assistant_portal_id = next(pid for pid, _name, role in
                               accounts.portal_practitioners_without_account()
                               if role is Role.ASSISTANT)
    second = accounts.add(Actor(manager), "tweede", "Tweede Beheer", Role.MANAGER,
                          "een lang wachtwoord", portal_practitioner_id=assistant_portal_id)
    with Session(engine) as session, session.begin():
        session.get(Practitioner, manager).name = "Mia Beheer-Jansen"
        # A new version on the portal is written over the row (name, AGB) as before.
        session.get(Practitioner, second).portal_version = "old"
    assert make_sync(portal, engine, tmp_path).run().ok
    with Session(engine) as session:
        local, linked = session.get(Practitioner, manager), session.get(Practitioner, second)
        assert (local.portal_id, local.name, local.role) == (None, "Mia Beheer-Jansen",
                                                            Role.MANAGER)
        assert (linked.portal_id, linked.role, linked.username) == \
            (assistant_portal_id, Role.MANAGER, "tweede")
        assert linked.portal_version != "old"
        roles = dict(session.execute(select(Practitioner.role, func.count())
                                     .group_by(Practitioner.role)).all())
        assert roles == {Role.GP: 3, Role.POH: 1, Role.ASSISTANT: 2, Role.MANAGER: 2}
    engine.dispose()


class _ChangedDuringThePull(SyncService):
    """A pull during which the portal changes a message of the page being written first: on
    a list paged by offset, everything after it moves up one place."""

    def __init__(self, portal: DemoPortal, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._portal, self.changed = portal, None

    def _store_page(self, matches, *args, **kwargs):
        if self.changed is None:
            self.changed = next(m["id"] for m in matches if "inResponseTo" not in m)
            self._portal.new_version(self.changed, text="Aanvulling: nu ook koorts")
        return super()._store_page(matches, *args, **kwargs)



class _TakenAwayDuringThePull(SyncService):
    """A pull during which the portal takes a message of the page being written first out
    of the list (filed under another category; a deletion does the same): everything after
    it moves up one place, while the portal's total drops by one."""

    def __init__(self, portal: DemoPortal, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._portal, self.taken = portal, None

    def _store_page(self, matches, *args, **kwargs):
        if self.taken is None:
            self.taken = matches[3]["id"]
            other = copy.deepcopy(self._portal.dataset.get("Communication", self.taken))
            other["category"] = [{"coding": [{"system": "urn:example:other", "code": "x"}]}]
            self._portal.dataset.new_version("Communication", self.taken, res=other)
        return super()._store_page(matches, *args, **kwargs)


def _pull_while_the_list_changes(sync_class, start_portal, engine, tmp_path, **options):
    """One pull of 60 e-consults in pages of 10, asked one at a time, by a sync that changes
    the portal's list while it writes the first page."""
    # A fixed time: the list's order, and so which message crosses a page's edge, stays the
    # same from run to run (a root without replies, whose loss nothing else would reveal).
    portal = start_portal(seed=5, consults=60, photo_share=0.0,
                          now=datetime(2026, 11, 30, 9, 0, tzinfo=UTC), **options)
    client = PortalClient(portal.base_url, timeout=(2.0, 5.0),
                          retry=RetryPolicy(attempts=3, backoff_s=0.01, max_retry_after_s=1.0))
    sync = sync_class(portal, client, engine, BlobStore(tmp_path / "attachments"),
                      page_size=10, workers=2, pages_in_flight=1)
    result = sync.run()
    assert result.ok, (result.errors, result.incomplete)
    return portal, sync, result


def test_a_message_changed_on_the_portal_during_the_pull_loses_no_other(
        start_portal, migrated_engine, tmp_path):
    portal, sync, result = _pull_while_the_list_changes(
        _ChangedDuringThePull, start_portal, migrated_engine, tmp_path)
    # Every message is there after this one pull (before, the one that moved up across a
    # page's edge never came, in later pulls neither), the changed one in its new version.
    assert_store_matches_portal(migrated_engine, portal, tmp_path)
    with Session(migrated_engine) as session:
        assert "nu ook koorts" in session.scalars(select(Message.text).where(
            Message.portal_id == sync.changed)).one()
    # The list was read again by time, once; a first pull in which nothing changes reads it
    # once (a store of its own).
    quiet_engine = database.make_engine(f"sqlite:///{tmp_path / 'quiet.sqlite3'}")
    database.upgrade(quiet_engine)
    quiet = make_sync(portal, quiet_engine, tmp_path / "quiet", page_size=10).run()
    quiet_engine.dispose()
    assert quiet.ok and quiet.pages < result.pages <= 2 * quiet.pages + 1


@pytest.mark.parametrize("give_total", [True, False], ids=["with-total", "no-total"])
def test_a_message_taken_off_the_portals_list_during_the_pull_loses_no_other(
        start_portal, migrated_engine, tmp_path, give_total):
    # Without the portal's total nothing shows that the list shrank: a walk of several pages
    # is read again all the same.
    portal, sync, _result = _pull_while_the_list_changes(
        _TakenAwayDuringThePull, start_portal, migrated_engine, tmp_path, give_total=give_total)
    # The one that moved up across the first page's edge came too: every message still on
    # the list is stored (before, one never came, in later pulls neither).
    with migrated_engine.connect() as connection:
        stored = set(connection.scalars(select(Message.portal_id)))
    still_listed = set(portal.dataset.valid_message_ids) - {sync.taken}
    assert still_listed - stored == set()
    assert sync.taken in stored  # read before it was taken away; kept, as a record
