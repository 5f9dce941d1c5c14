"""The urgency banner explains itself (group, words, action, why) and puts the phone first;
the words that raised the advice are highlighted in the patient's text with a character
format; dismissing the advice asks a reason, which is audited."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPushButton
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.store.models import (
    AuditEvent,
    ConsultStatus,
    EConsult,
    Message,
    Patient,
    RelatedPerson,
    Urgency,
)
from workbench.ui.thread_view import HIGHLIGHT_BACKGROUND
from workbench.ui.urgency_dialog import DismissAdviceDialog

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

CHEST = {"category": "chest_pain", "label": "Mogelijk hartprobleem", "action": "Bel 112",
         "explanation": "Druk op de borst met zweten kan een hartinfarct zijn.",
         "life_threatening": True, "words": "druk op mn borst \u00b7 zweterig",
         "terms": ["druk op mn borst", "zweterig"]}
FEVER = {"category": "fever", "label": "Hoge koorts", "action": "Bel de pati\u00ebnt nu",
         "explanation": "Vraag naar sufheid en drinken.", "life_threatening": False,
         "words": "koorts", "terms": ["koorts"]}
SECOND = {"category": "second_contact", "label": "Tweede contact", "action":
          "Bel de pati\u00ebnt nu", "explanation": "Eerder deze week over dezelfde klacht.",
          "life_threatening": False, "words": ""}

TEXT = ("Sinds vanochtend DRUK OP MN BORST en ik ben zweterig.\n"
        "<b>Druk op mn borst</b>  blijft, ook koorts.\tHelp")


def show(qtbot, pane, econsult_id):
    with qtbot.waitSignal(pane.viewed, timeout=5000):
        pane.show_consult(econsult_id)


def banner_text(pane):
    banner = pane._banner
    return "\n".join(label.text() for label in banner.findChildren(QLabel)
                     if label.isVisibleTo(pane))


def header_text(pane):
    return "\n".join(label.text() for label in pane.findChildren(QLabel)
                     if label.isVisibleTo(pane) and not pane._banner.isAncestorOf(label))


def prepare(engine, advice, *, text=TEXT, subject=None, carer=False, patient_phone=None,
            carer_phone=None):
    """An inbox e-consult (written by a carer when `carer`) with this advice and first text;
    returns its id and the names of patient and writer."""
    with Session(engine) as session, session.begin():
        query = select(EConsult).where(EConsult.status == ConsultStatus.INBOX)
        query = query.where(EConsult.sender_related_person_id.is_not(None) if carer
                            else EConsult.sender_related_person_id.is_(None))
        consult = session.scalars(query.order_by(EConsult.id).limit(1)).first()
        assert consult is not None
        message = session.scalars(select(Message).where(Message.econsult_id == consult.id)
                                  .order_by(Message.sent_at)).first()
        message.text = text
        if subject is not None:
            consult.subject = subject
        consult.urgency_advice = advice
        consult.urgency = Urgency.NORMAL
        consult.advice_dismissed = False
        patient = session.get(Patient, consult.patient_id)
        patient.phone = patient_phone
        writer = None
        if consult.sender_related_person_id is not None:
            person = session.get(RelatedPerson, consult.sender_related_person_id)
            person.phone = carer_phone
            writer = (person.name, person.relationship_text)
        return consult.id, message.id, patient.name, writer


def test_new_style_advice_shows_label_words_action_explanation_and_phone_numbers(
        qtbot, pane, ui_context):
    econsult_id, _mid, patient, (carer, relation) = prepare(
        ui_context.engine, [FEVER, CHEST, SECOND], carer=True, patient_phone="06-11112222",
        carer_phone="06-12345678")

    show(qtbot, pane, econsult_id)

    assert pane.banner_visible()
    text = banner_text(pane)
    assert "Possible emergency: Bel 112" in text
    assert "Mogelijk hartprobleem" in text and "druk op mn borst \u00b7 zweterig" in text
    assert "Druk op de borst met zweten kan een hartinfarct zijn." in text
    assert "Hoge koorts" in text and "Tweede contact" in text
    # Most severe first: the 112 finding before "call the patient now", whatever the order.
    assert text.index("Bel 112 \u00b7 Mogelijk hartprobleem") < text.index(
        "Bel de pati\u00ebnt nu \u00b7 Hoge koorts")
    # Phone first: the writer's number, then the patient's.
    who = f"{carer}, {relation}" if relation else carer
    assert f"Call 06-12345678 ({who})" in text
    assert f"Call 06-11112222 ({patient})" in text
    assert text.index("06-12345678") < text.index("06-11112222")
    header = header_text(pane)
    assert f"Phone 06-12345678 ({who})" in header and "06-11112222" in header
    # Selectable and copyable.
    phone = pane._banner_phone
    assert phone.textInteractionFlags() & phone.textInteractionFlags().TextSelectableByMouse
    copy = next(b for b in pane.findChildren(QPushButton) if b.text() == "Copy number")
    copy.click()
    from PySide6.QtGui import QGuiApplication
    assert QGuiApplication.clipboard().text() == "06-12345678"


def test_old_style_advice_still_shows(qtbot, pane, ui_context):
    old = [{"category": "chest_pain", "words": "pijn op de borst"},
           {"category": "second_contact", "words": ""}]
    econsult_id, _mid, _patient, _writer = prepare(
        ui_context.engine, old, text="Sinds gisteren pijn op de borst", patient_phone="0201234567")

    show(qtbot, pane, econsult_id)

    assert pane.banner_visible()
    text = banner_text(pane)
    assert "Possible emergency: call the patient" in text
    assert "Call the patient now \u00b7 chest pain: \u201cpijn op de borst\u201d" in text
    assert "second contact about the same complaint" in text
    document = pane.thread_view().document()
    start = document.toPlainText().index("pijn op de borst")
    assert format_at(document, start).background().color() == HIGHLIGHT_BACKGROUND


def test_no_phone_number_known_says_so(qtbot, pane, ui_context):
    econsult_id, _mid, _patient, _writer = prepare(ui_context.engine, [CHEST])
    show(qtbot, pane, econsult_id)
    assert "No phone number known: see the HIS" in banner_text(pane)
    assert "No phone number known: see the HIS" in header_text(pane)
    assert not pane._copy_phone.isVisibleTo(pane)


def format_at(document, position):
    """The character format of the character at `position` (a cursor reports the one before
    it)."""
    cursor = QTextCursor(document)
    cursor.setPosition(position + 1)
    return cursor.charFormat()


def test_the_words_are_highlighted_with_a_format_and_the_text_stays_the_patients(
        qtbot, pane, ui_context):
    econsult_id, message_id, _patient, _writer = prepare(
        ui_context.engine, [CHEST, FEVER], subject="Zweterig en druk op mn borst")

    show(qtbot, pane, econsult_id)

    thread = pane.thread_view()
    document = thread.document()
    start, end = thread.body_range(message_id)
    body = document.toPlainText()[start:end]
    assert body == TEXT  # every character as written: tags, double space, tab, newline
    assert "<b>" not in thread.toHtml().replace("&lt;b&gt;", "")  # no markup from the text
    lowered = TEXT.lower()
    for term in ("druk op mn borst", "zweterig", "koorts"):
        found = 0
        at = lowered.find(term)
        while at >= 0:
            for offset in (0, len(term) - 1):
                assert format_at(document, start + at + offset).background().color() \
                    == HIGHLIGHT_BACKGROUND, (term, at)
            found += 1
            at = lowered.find(term, at + 1)
        assert found >= 1
    assert lowered.count("druk op mn borst") == 2  # both, whatever their case
    # What raised nothing stays as it is.
    plain = format_at(document, start + TEXT.index("Sinds"))
    assert plain.background().color() != HIGHLIGHT_BACKGROUND
    # The subject line too, in a plain-text document.
    subject = pane._subject.document()
    assert subject.toPlainText() == "Zweterig en druk op mn borst"
    assert format_at(subject, 0).background().color() == HIGHLIGHT_BACKGROUND
    assert format_at(subject, len("Zweterig en ")).background().color() == HIGHLIGHT_BACKGROUND
    assert format_at(subject, len("Zweterig ")).background().color() != HIGHLIGHT_BACKGROUND


def test_dismissing_asks_a_reason_audits_it_and_hides_banner_and_highlights(
        qtbot, pane, ui_context):
    engine = ui_context.engine
    econsult_id, message_id, _patient, _writer = prepare(engine, [CHEST])
    show(qtbot, pane, econsult_id)

    not_urgent = next(b for b in pane.findChildren(QPushButton) if b.text() == "Not urgent")
    not_urgent.click()
    dialog = pane.findChild(DismissAdviceDialog)
    assert dialog is not None and dialog.isVisible()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.reason_field.setText("   ")
    assert not ok.isEnabled()
    dialog.accept()  # without a reason nothing happens
    assert dialog.isVisible()
    with Session(engine) as session:
        assert not session.get(EConsult, econsult_id).advice_dismissed

    dialog.reason_field.setText("Gebeld: geen alarmsignalen")
    assert ok.isEnabled()
    with qtbot.waitSignal(pane.changed, timeout=5000):
        ok.click()

    assert not pane.banner_visible()
    with Session(engine) as session:
        assert session.get(EConsult, econsult_id).advice_dismissed
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.econsult_id == econsult_id).order_by(AuditEvent.id.desc())).first()
        assert event.event == "clear_urgent"
        assert event.detail["reason"] == "Gebeld: geen alarmsignalen"
        assert event.detail["advice"] == ["chest_pain"]
    thread = pane.thread_view()
    start, _end = thread.body_range(message_id)
    at = start + TEXT.lower().index("druk op mn borst")
    assert format_at(thread.document(), at).background().color() != HIGHLIGHT_BACKGROUND


def test_confirming_is_audited(qtbot, pane, ui_context):
    engine = ui_context.engine
    econsult_id, _mid, _patient, _writer = prepare(engine, [CHEST])
    show(qtbot, pane, econsult_id)
    mark = next(b for b in pane.findChildren(QPushButton) if b.text() == "Mark urgent")
    with qtbot.waitSignal(pane.changed, timeout=5000):
        mark.click()
    assert pane.banner_visible()
    assert "Marked urgent" in banner_text(pane)
    assert not pane._mark_urgent.isVisibleTo(pane)
    with Session(engine) as session:
        assert session.get(EConsult, econsult_id).urgency is Urgency.URGENT
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.econsult_id == econsult_id).order_by(AuditEvent.id.desc())).first()
        assert event.event == "set_urgent" and event.detail["advice"] == ["chest_pain"]
