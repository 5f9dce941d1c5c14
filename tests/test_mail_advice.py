"""Urgency advice reaches mail e-consults in the same pull: an alarm in a patient's mail shows
at once, not after the next portal pull (issue 18)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from workbench.services.advice import AdviceService
from workbench.services.mail_sync import MailSyncService
from workbench.services.portal_client import PortalClient
from workbench.services.sync import SyncService
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import EConsult, MailAddress

pytest.register_assert_rewrite("tests.mail_servers")
pytest_plugins = ["tests.mail_servers"]
from tests.mail_servers import make_mail  # noqa: E402


def test_an_alarm_in_a_mail_is_advised_by_the_pull_that_brought_it(
        start_portal, sqlite_url, tmp_path, mail_account):
    portal = start_portal(seed=7, consults=20, photo_share=0.0)
    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    blobs = BlobStore(tmp_path / "blobs")
    SyncService(PortalClient(portal.base_url), engine, blobs).run()
    with engine.connect() as connection:
        address = connection.scalar(select(MailAddress.address))
    mail_account.deliver(make_mail(
        "drukkend gevoel",
        "Sinds een uur heb ik een drukkende pijn op mijn borst die uitstraalt naar mijn "
        "linkerarm, en ik ben heel zweterig. Moet ik langskomen?",
        sender=address))
    result = MailSyncService(replace(mail_account.settings), engine, blobs,
                             password=mail_account.password,
                             advise=AdviceService(engine).advise_all).run()
    assert result.ok and result.econsults_created == 1
    with engine.connect() as connection:
        advice, rank = connection.execute(select(EConsult.urgency_advice, EConsult.sort_rank)
                                          .where(EConsult.channel == "mail")).one()
    assert advice and rank == 0  # on top of the list, as an urgent portal e-consult would be


def test_an_alarm_in_a_mail_from_an_unknown_sender_is_flagged_and_listed_first(
        sqlite_url, tmp_path, mail_account):
    from workbench.bootstrap import advise_waiting_mail
    from workbench.services import mail_senders
    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    blobs = BlobStore(tmp_path / "blobs")
    # The alarm first: newest first alone would list it last.
    mail_account.deliver(make_mail(
        "help", "ik krijg slecht adem en mijn lippen worden blauw, wat moet ik doen",
        sender="onbekend.twee@example.com"))
    mail_account.deliver(make_mail("vraagje", "Mag ik een herhaalrecept voor mijn puffer?",
                                   sender="onbekend.een@example.com"))
    assert MailSyncService(mail_account.settings, engine, blobs,
                           password=mail_account.password,
                           advise_text=advise_waiting_mail).run().ok
    waiting = mail_senders.list_waiting(engine)
    assert [mail.from_address for mail in waiting] == ["onbekend.twee@example.com",
                                                       "onbekend.een@example.com"]
    assert waiting[0].urgency_advice and not waiting[1].urgency_advice
