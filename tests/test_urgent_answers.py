"""Answers to an urgent e-consult are safe: the call's outcome before it closes, "Niet bereikt"
stays on top with a time to call again, the emergency and 113 templates with the practice's
numbers, no fever template for a baby under 3 months, and the greeting to the parent who wrote.
A real SQLite store filled from the demo portal."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.services.inbox import InboxQueries, ListView
from workbench.services.portal_client import PortalClient
from workbench.services.replies import ReplyError, ReplyService, TooYoungError
from workbench.services.sync import SyncService
from workbench.services.templates import (
    TemplateNotAllowed,
    TemplateService,
    check_age,
    find_unresolved,
    load_shipped,
    render,
)
from workbench.services.triage import (
    CALL_RETRY_MINUTES,
    Actor,
    CallOutcome,
    CloseReason,
    TriageError,
    TriageService,
)
from workbench.store import database
from workbench.store.blobs import BlobStore
from workbench.store.models import (
    AnswerTemplate,
    AuditEvent,
    ConsultStatus,
    EConsult,
    OutboxItem,
    RelatedPerson,
    Role,
    Urgency,
)

HAP = "0900-1234567"
PRAKTIJK = "030-7654321"


class Clock:
    """Real time to start with (the demo's messages are dated before now), then moved on."""

    def __init__(self) -> None:
        self.now = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(minutes=1)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def world(start_portal, sqlite_url, tmp_path):
    portal = start_portal(seed=31, consults=60, photo_share=0.0)
    engine = database.make_engine(sqlite_url)
    database.upgrade(engine)
    blobs = BlobStore(tmp_path / "attachments")
    SyncService(PortalClient(portal.base_url), engine, blobs).run()
    clock = Clock()
    staff = {p.role: p for p in InboxQueries(engine).practitioners()}
    templates = TemplateService(engine, clock=clock)
    templates.ensure_shipped()
    yield {"engine": engine, "clock": clock, "staff": staff, "queries": InboxQueries(engine),
           "replies": ReplyService(engine, blobs, clock=clock), "templates": templates,
           "triage": TriageService(engine, clock=clock, workstation="balie-1"),
           "actor": Actor(staff[Role.ASSISTANT].id)}
    engine.dispose()


def inbox_items(world, *, via_parent: bool | None = False) -> list[int]:
    """Written by the patient unless asked (who may receive an answer written by someone
    else is tests/test_third_party.py's)."""
    rows = world["queries"].page(ListView(ConsultStatus.INBOX), 0, 500)
    return [r.id for r in rows if via_parent is None or bool(r.via) == via_parent]


def make(world, econsult_id: int, *, urgent: bool = False, advice: bool = False,
         birth_date: date | None | str = "keep") -> int:
    """Sets an e-consult's urgency (flag or undismissed alarm advice) and patient's age."""
    with Session(world["engine"]) as session, session.begin():
        consult = session.get(EConsult, econsult_id)
        consult.urgency = Urgency.URGENT if urgent else Urgency.NORMAL
        consult.urgency_advice = [{"category": "chest_pain", "words": "pijn op de borst"}] \
            if advice else None
        consult.advice_dismissed = False
        consult.sort_rank = 0 if (urgent or advice) else 2
        if birth_date != "keep":
            consult.patient.birth_date = birth_date
    return econsult_id


def consult_row(world, econsult_id: int) -> EConsult:
    with Session(world["engine"]) as session:
        consult = session.get(EConsult, econsult_id)
        session.expunge(consult)
        return consult


def events(world, econsult_id: int, event: str) -> list[AuditEvent]:
    with Session(world["engine"]) as session:
        return session.scalars(select(AuditEvent).where(
            AuditEvent.econsult_id == econsult_id, AuditEvent.event == event)
            .order_by(AuditEvent.id)).all()


def shipped_body(key: str) -> str:
    return next(e["body"] for e in load_shipped() if e["key"] == key)


def filled(world, econsult_id: int, key: str, **phones) -> str:
    context = world["replies"].render_context(econsult_id, None, world["actor"].user_id,
                                              **phones)
    return render(shipped_body(key), context)


# -- the urgent close rule ---------------------------------------------------------------------
def test_every_call_outcome_is_audited_and_satisfies_the_close_rule(world):
    triage, actor = world["triage"], world["actor"]
    items = inbox_items(world)
    outcomes = [CallOutcome.HANDLED, CallOutcome.COMES_IN, CallOutcome.GP_INFORMED]
    for item, outcome in zip(items, outcomes):
        make(world, item, advice=True)
        assert triage.call_state(item).required
        state = triage.record_call(item, actor, outcome, note="Mevrouw komt om 11 uur")
        assert (state.outcome, state.required, state.retry_at) == (outcome, False, None)
        [line] = events(world, item, "call_outcome")
        assert line.detail == {"outcome": outcome.value, "retry_at": None, "note": True}
        assert (line.user_id, line.responsible_id, line.workstation) == \
            (actor.user_id, actor.user_id, "balie-1")
        assert line.patient_id == consult_row(world, item).patient_id
        assert "Mevrouw komt om 11 uur" in consult_row(world, item).routing_note
        assert "11 uur" not in str(line.detail)  # the note's words never in the audit log
        triage.close(item, actor, CloseReason.BY_PHONE)
        assert consult_row(world, item).status is ConsultStatus.CLOSED


def test_not_reached_keeps_it_on_top_with_a_time_to_call_again(world):
    triage, actor, clock = world["triage"], world["actor"], world["clock"]
    item = make(world, inbox_items(world)[0], urgent=True)
    state = triage.record_call(item, actor, CallOutcome.NOT_REACHED)
    assert state.outcome is CallOutcome.NOT_REACHED and state.required
    assert state.retry_at == clock.now + timedelta(minutes=CALL_RETRY_MINUTES)
    consult = consult_row(world, item)
    assert consult.sort_rank == 0 and consult.status is ConsultStatus.INBOX
    rows = world["queries"].page(ListView(ConsultStatus.INBOX), 0, 500)
    position = [r.id for r in rows].index(item)
    assert all(r.urgent or r.has_advice for r in rows[:position + 1])  # on top
    [line] = events(world, item, "call_outcome")
    assert line.detail["outcome"] == "niet_bereikt"
    assert datetime.fromisoformat(line.detail["retry_at"]) == state.retry_at
    # Not reached is no outcome for the close rule: closing is still refused.
    with pytest.raises(TriageError) as refused:
        triage.close(item, actor, CloseReason.ANSWERED)
    assert refused.value.code == "call_outcome_required"
    # Reached on the second try: the state follows the last call.
    clock.now += timedelta(minutes=16)
    state = triage.record_call(item, actor, CallOutcome.HANDLED, close=True)
    assert state.required is False
    consult = consult_row(world, item)
    assert (consult.status, consult.close_reason) == (ConsultStatus.CLOSED, "telefonisch")
    assert [e.detail["reason"] for e in events(world, item, "close")] == ["telefonisch"]


def test_not_reached_brings_a_waiting_item_back_into_the_list(world):
    triage, actor = world["triage"], world["actor"]
    item = make(world, inbox_items(world)[0], advice=True)
    triage.invite_to_surgery(item, actor)
    assert consult_row(world, item).status is ConsultStatus.WAITING
    triage.record_call(item, actor, CallOutcome.NOT_REACHED)
    consult = consult_row(world, item)
    assert (consult.status, consult.sort_rank) == (ConsultStatus.INBOX, 0)


def test_an_answer_to_an_urgent_item_without_a_call_keeps_it_open(world):
    replies, triage, actor = world["replies"], world["triage"], world["actor"]
    urgent = make(world, inbox_items(world)[0], advice=True)
    replies.send(urgent, actor, "Wij bellen u zo meteen.", close=True, follow_up_days=7)
    consult = consult_row(world, urgent)
    assert consult.status is ConsultStatus.INBOX  # not closed, not waiting
    assert consult.closed_at is None and consult.sort_rank == 0
    assert consult.answered_at is not None and consult.waiting_since is None
    with Session(world["engine"]) as session:  # the portal hears nothing of "completed"
        assert session.scalars(select(OutboxItem).where(
            OutboxItem.econsult_id == urgent, OutboxItem.kind == "status")).all() == []
        assert session.scalars(select(OutboxItem).where(
            OutboxItem.econsult_id == urgent, OutboxItem.kind == "reply")).all()
    [reply] = events(world, urgent, "reply")
    assert reply.detail["awaiting_call"] is True
    state = triage.call_state(urgent)
    assert state.required and state.answered and state.outcome is None
    # The call's outcome then closes it; the evaluation asked for is kept (waiting).
    triage.record_call(urgent, actor, CallOutcome.HANDLED, close=True)
    assert consult_row(world, urgent).status is ConsultStatus.WAITING


def test_an_answered_urgent_item_closes_as_answered_after_the_call(world):
    replies, triage, actor = world["replies"], world["triage"], world["actor"]
    urgent = make(world, inbox_items(world)[0], urgent=True)
    replies.send(urgent, actor, "Wij bellen u zo meteen.")
    triage.record_call(urgent, actor, CallOutcome.COMES_IN, close=True)
    consult = consult_row(world, urgent)
    assert (consult.status, consult.close_reason) == (ConsultStatus.CLOSED, "beantwoord")


def test_a_normal_item_still_closes_when_answered(world):
    replies, actor = world["replies"], world["actor"]
    normal = make(world, inbox_items(world)[0])
    replies.send(normal, actor, "Het recept ligt klaar.")
    consult = consult_row(world, normal)
    assert (consult.status, consult.close_reason) == (ConsultStatus.CLOSED, "beantwoord")


def test_closing_an_urgent_item_without_a_call_is_refused(world):
    triage, actor = world["triage"], world["actor"]
    item = make(world, inbox_items(world)[0], advice=True)
    with pytest.raises(TriageError) as refused:
        triage.close(item, actor, CloseReason.DUPLICATE)
    assert refused.value.code == "call_outcome_required"
    consult = consult_row(world, item)
    assert consult.status is ConsultStatus.INBOX and consult.closed_at is None
    assert events(world, item, "close") == []
    # The person decides it is not urgent after all (audited): then it may close.
    triage.set_urgent(item, actor, False)
    triage.close(item, actor, CloseReason.DUPLICATE)
    assert consult_row(world, item).status is ConsultStatus.CLOSED


def test_a_new_message_from_the_patient_needs_a_new_call(world):
    triage, actor, clock = world["triage"], world["actor"], world["clock"]
    item = make(world, inbox_items(world)[0], advice=True)
    triage.record_call(item, actor, CallOutcome.HANDLED)
    assert not triage.call_state(item).required
    with Session(world["engine"]) as session, session.begin():
        session.get(EConsult, item).last_patient_message_at = clock.now + timedelta(minutes=5)
    clock.now += timedelta(minutes=10)
    assert triage.call_state(item).required


def test_a_call_on_a_closed_item_is_refused(world):
    triage, actor = world["triage"], world["actor"]
    item = make(world, inbox_items(world)[0])
    triage.close(item, actor, CloseReason.ANSWERED)
    with pytest.raises(TriageError) as refused:
        triage.record_call(item, actor, CallOutcome.HANDLED)
    assert refused.value.code == "closed"


# -- the fever template and a baby's age -------------------------------------------------------
def fever_text(world, item) -> str:
    # A practice that set its numbers: the safety-net names the huisartsenpost's.
    return filled(world, item, "klacht.koorts_kind", out_of_hours_phone=HAP,
                  practice_phone=PRAKTIJK)


def test_fever_template_refused_for_a_baby_under_3_months(world):
    replies, actor, clock = world["replies"], world["actor"], world["clock"]
    today = clock.now.astimezone().date()
    item = make(world, inbox_items(world)[0], birth_date=today - timedelta(days=60))
    text = fever_text(world, item)
    with pytest.raises(TooYoungError) as refused:
        replies.send(item, actor, text, template_keys=["klacht.koorts_kind"])
    assert (refused.value.code, refused.value.key, refused.value.min_age_months,
            refused.value.age_months) == ("too_young", "klacht.koorts_kind", 3, 1)
    # Recognised by its text too (a draft restored, the key forgotten).
    with pytest.raises(TooYoungError):
        replies.send(item, actor, text)
    consult = consult_row(world, item)
    assert consult.answered_at is None and consult.status is ConsultStatus.INBOX
    assert events(world, item, "reply") == []


def test_fever_template_allowed_at_4_months_and_with_unknown_age(world):
    replies, actor, clock = world["replies"], world["actor"], world["clock"]
    today = clock.now.astimezone().date()
    four_months, unknown = inbox_items(world)[:2]
    make(world, four_months, birth_date=today - timedelta(days=125))
    make(world, unknown, birth_date=None)
    for item in (four_months, unknown):
        replies.send(item, actor, fever_text(world, item), template_keys=["klacht.koorts_kind"])
        assert consult_row(world, item).status is ConsultStatus.CLOSED


def test_the_age_counts_on_the_day_of_sending(world):
    replies, actor, clock = world["replies"], world["actor"], world["clock"]
    today = clock.now.astimezone().date()
    item = make(world, inbox_items(world)[0], birth_date=today - timedelta(days=80))
    text = fever_text(world, item)
    with pytest.raises(TooYoungError):
        replies.send(item, actor, text, template_keys=["klacht.koorts_kind"])
    clock.now += timedelta(days=20)  # three months old by now
    replies.send(item, actor, text, template_keys=["klacht.koorts_kind"])


def test_the_practices_own_version_of_the_fever_template_is_recognised(world):
    replies, actor, clock = world["replies"], world["actor"], world["clock"]
    today = clock.now.astimezone().date()
    item = make(world, inbox_items(world)[0], birth_date=today - timedelta(days=30))
    own = ("{aanhef},\n\nOnze eigen uitleg over koorts bij jonge kinderen, door de praktijk "
           "zelf geschreven.\n\nMet vriendelijke groet,\n{medewerker}")
    with Session(world["engine"]) as session, session.begin():
        session.scalars(select(AnswerTemplate).where(
            AnswerTemplate.key == "klacht.koorts_kind")).one().body = own
    context = replies.render_context(item, None, actor.user_id)
    with pytest.raises(TooYoungError):
        replies.send(item, actor, render(own, context))


def test_the_template_rule_counts_whole_months_on_the_day():
    born = date(2026, 9, 15)
    with pytest.raises(TemplateNotAllowed) as refused:
        check_age("klacht.koorts_kind", born, date(2026, 12, 14))
    assert (refused.value.code, refused.value.age_months) == ("too_young", 2)
    check_age("klacht.koorts_kind", born, date(2026, 12, 15))  # 3 months old today
    check_age("klacht.koorts_kind", None, date(2026, 12, 15))  # unknown age: not blocked
    check_age("klacht.verkoudheid", date(2026, 12, 1), date(2026, 12, 15))  # no age rule


def test_a_new_message_with_the_fever_text_to_a_baby_is_refused_too(world):
    replies, actor, clock = world["replies"], world["actor"], world["clock"]
    item = make(world, inbox_items(world)[0],
                birth_date=clock.now.astimezone().date() - timedelta(days=20))
    patient_id = consult_row(world, item).patient_id
    text = fever_text(world, item)
    with pytest.raises(TooYoungError):
        replies.start_conversation(patient_id, actor, "Koorts", text)


# -- the greeting when a parent wrote ----------------------------------------------------------
def test_the_greeting_addresses_the_parent_who_wrote(world):
    replies, actor = world["replies"], world["actor"]
    item = inbox_items(world, via_parent=True)[0]
    with Session(world["engine"]) as session:
        consult = session.get(EConsult, item)
        writer = session.get(RelatedPerson, consult.sender_related_person_id)
        writer_name, patient_name = writer.name, consult.patient.name
    context = replies.render_context(item, None, actor.user_id)
    assert context.writer_name == writer_name
    assert render("{aanhef},", context) == f"Beste {writer_name},"
    assert patient_name not in render("{aanhef},", context)
    assert render("{patient}", context) == patient_name  # the child is still named as such
    own = inbox_items(world, via_parent=False)[0]
    assert replies.render_context(own, None, actor.user_id).writer_name is None


# -- the emergency and 113 templates -----------------------------------------------------------
def test_the_emergency_template_separates_office_hours_hap_and_112(world):
    item = inbox_items(world)[0]
    text = filled(world, item, "spoed.bel_vandaag", out_of_hours_phone=HAP,
                  practice_phone=PRAKTIJK)
    assert find_unresolved(text) == []
    office, evening, danger = (line for line in text.splitlines() if line.startswith("- "))
    assert "werkdagen overdag" in office and PRAKTIJK in office
    assert all(word in evening for word in ("avond", "nacht", "weekend", "huisartsenpost", HAP))
    assert "levensgevaarlijk" in danger and "112" in danger


def test_without_the_huisartsenpost_number_the_emergency_answer_cannot_be_sent(world):
    replies, actor = world["replies"], world["actor"]
    item = make(world, inbox_items(world)[0])
    text = filled(world, item, "spoed.bel_vandaag")  # no huisartsenpost_telefoon set
    assert [u.name for u in find_unresolved(text)] == ["huisartsenpost_telefoon"]
    with pytest.raises(ReplyError) as refused:
        replies.send(item, actor, text)
    assert (refused.value.code, refused.value.detail) == \
        ("unresolved_variable", "huisartsenpost_telefoon")


def test_the_practice_number_setting_wins_over_the_portals(world):
    item = inbox_items(world)[0]
    portal = world["replies"].render_context(item, None, world["actor"].user_id)
    assert portal.practice_phone  # the demo portal gives the practice's number
    chosen = world["replies"].render_context(item, None, world["actor"].user_id,
                                             practice_phone=PRAKTIJK)
    assert chosen.practice_phone == PRAKTIJK


def test_the_113_template_names_113_the_practice_and_112(world):
    item = inbox_items(world)[0]
    text = filled(world, item, "spoed.zelfmoordgedachten", out_of_hours_phone=HAP,
                  practice_phone=PRAKTIJK)
    assert find_unresolved(text) == []
    for words in ("113 Zelfmoordpreventie", "Bel 113", "0800-0113", "https://www.113.nl",
                  "112", PRAKTIJK, HAP):
        assert words in text, words
    found = world["templates"].search("zelfmoord", None)
    assert [t.key for t in found][:1] == ["spoed.zelfmoordgedachten"]


def test_an_unedited_older_emergency_text_is_updated_an_edited_one_kept(world):
    templates, engine = world["templates"], world["engine"]
    entry = next(e for e in load_shipped() if e["key"] == "spoed.bel_vandaag")
    with Session(engine) as session, session.begin():
        row = session.scalars(select(AnswerTemplate).where(
            AnswerTemplate.key == "spoed.bel_vandaag")).one()
        row.body = entry["previous_bodies"][0]
    assert templates.ensure_shipped() == 0
    with Session(engine) as session, session.begin():
        row = session.scalars(select(AnswerTemplate).where(
            AnswerTemplate.key == "spoed.bel_vandaag")).one()
        assert row.body == entry["body"]
        row.body = "{aanhef},\n\nOnze eigen spoedtekst."
    templates.ensure_shipped()
    with Session(engine) as session:
        assert session.scalars(select(AnswerTemplate.body).where(
            AnswerTemplate.key == "spoed.bel_vandaag")).one() == \
            "{aanhef},\n\nOnze eigen spoedtekst."
