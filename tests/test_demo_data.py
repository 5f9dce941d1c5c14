"""The demo practice reads as a real one, over many seeds: sentences without doubled words or
broken slots, topics that fit the patient's sex and age, follow-ups on their thread's topic,
BSNs from the test range, given names of the patient's generation, parents writing for 16- and
17-year-olds, adults with a representative, and a morning's inbox (most e-consults from the
last two working days, a few overdue, few urgent)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime
from itertools import pairwise

import pytest

from workbench.demo import vocabulary as vocab
from workbench.demo.data import Dataset
from workbench.services import third_party
from workbench.services.inbox import WaitState, age_on, overdue_since, waiting_state

SEEDS = range(1, 31)
# A Tuesday at noon and a Monday morning (the weekend in between counts for nothing).
NOWS = (datetime(2026, 11, 24, 12, 0, tzinfo=UTC), datetime(2026, 11, 23, 7, 45, tzinfo=UTC))
TARGET_WORKING_DAYS = 2  # the default answer target (config.answer_target_working_days)

# Names no child of today is given, and names no one over 70 was given.
OLD_FASHIONED = {"Johanna", "Cornelia", "Hendrika", "Wilhelmina", "Geertruida", "Bep", "Truus",
                 "Corrie", "Riet", "Greet", "Joke", "Aaltje", "Grietje", "Cornelis", "Hendrik",
                 "Johannes", "Jacobus", "Hendrikus", "Teunis", "Henk", "Kees", "Gerrit", "Cor",
                 "Piet", "Joop", "Klaas", "Arie"}
MODERN = {"Noah", "Liam", "Sem", "Luca", "Mees", "Ties", "Finn", "Levi", "Boaz", "Otis", "Tess",
          "Mila", "Zoë", "Yara", "Saar", "Liv", "Nora", "Evi", "Fenna", "Ayla", "Olivia", "Noa",
          "Jesse", "Lieke", "Isa", "Britt", "Romy", "Demi"}


@pytest.fixture(scope="module")
def demos() -> list[Dataset]:
    return [Dataset(seed=seed, consults=80, photo_size=(32, 24), now=NOWS[seed % 2])
            for seed in SEEDS]


def text_of(res: dict) -> str:
    return res["payload"][0]["contentString"]


def patient_of(ds: Dataset, res: dict) -> dict:
    return ds.store["Patient"][res["subject"]["reference"].removeprefix("Patient/")]


def age(ds: Dataset, patient: dict) -> int:
    return age_on(date.fromisoformat(patient["birthDate"]), ds.now.date())


def writer_code(ds: Dataset, res: dict) -> str | None:
    ref = res["sender"]["reference"]
    if not ref.startswith("RelatedPerson/"):
        return None
    related = ds.store["RelatedPerson"][ref.removeprefix("RelatedPerson/")]
    return related["relationship"][0]["coding"][0]["code"]


def messages(ds: Dataset):
    """Every valid message with its root: (id, resource, root id)."""
    for cid in ds.valid_message_ids:
        res = ds.store["Communication"][cid]
        reply_to = res.get("inResponseTo")
        root = reply_to[0]["reference"].removeprefix("Communication/") if reply_to else cid
        yield cid, res, root


def patient_messages(ds: Dataset):
    for cid, res, root in messages(ds):
        if not res["sender"]["reference"].startswith("Practitioner/"):
            yield cid, res, root


def sent(res: dict) -> datetime:
    return datetime.fromisoformat(res["sent"])


# -- sentences ------------------------------------------------------------------------------
def test_no_doubled_words_and_no_broken_slots(demos):
    checked = 0
    for ds in demos:
        for _, res, _ in messages(ds):
            for text in (text_of(res), res["topic"]["text"]):
                for sentence in re.split(r"[.?!:\n]", text.lower()):
                    words = re.findall(r"[^\W\d_]+", sentence)
                    assert not [a for a, b in pairwise(words) if a == b], text
                assert "{" not in text and "}" not in text, text
                # a duration and a moment each bring their own word
                assert not re.search(r"\b(al al|sinds sinds|sinds al|al sinds)\b",
                                     text.lower()), text
                assert not re.search(r"\b(sinds|al) (een|twee|drie|vijf|een paar|\d+) "
                                     r"(dag|dagen|week|weken) geleden\b", text.lower()), text
                # the article fits the noun
                assert not re.search(r"\bde (been|gezicht|bovenbeen)\b", text.lower()), text
                assert not re.search(r"\bhet (arm|rug|buik|nek|hand|voet|knie|schouder|enkel)\b",
                                     text.lower()), text
                checked += 1
    assert checked > 30 * 80


def test_topics_fit_the_patients_sex_and_age(demos):
    for ds in demos:
        for cid, res, root in patient_messages(ds):
            patient = patient_of(ds, res)
            years, female = age(ds, patient), patient["gender"] == "female"
            text = f"{res['topic']['text']}\n{text_of(res)}".lower()
            if "zwanger" in text:
                assert female and 14 <= years < 50, (years, patient["gender"], text)
            if "prostaat" in text:
                assert not female, text
            if re.search(r"\b(de|mijn) pil\b", text):
                assert female and 14 <= years < 55, (years, text)
            if "opvlieger" in text or "overgang" in text:
                assert female and years >= 40, (years, text)
            if "tandje" in text:
                assert years < 3, (years, text)
            topic = vocab.TOPIC_BY_KEY[ds.topics[root]]
            assert topic.min_age <= years + 1 and years < topic.max_age, (topic.key, years)
            assert topic.sex in (None, patient["gender"]), (topic.key, patient["gender"])
    # a man never writes about his pregnancy: the pregnancy topics exist, for women only
    keys = Counter(key for ds in demos for key in ds.topics.values())
    assert keys["zwangerschap"] > 0 and keys["plassen_man"] > 0


def test_follow_ups_continue_their_own_thread(demos):
    follow_ups = 0
    for ds in demos:
        for cid, res, root in patient_messages(ds):
            topic = vocab.TOPIC_BY_KEY[ds.topics[root]]
            text = f"{res['topic']['text']}\n{text_of(res)}".lower()
            assert any(word in text for word in topic.keywords), (topic.key, text)
            if cid != root:
                follow_ups += 1
                first = ds.store["Communication"][root]
                assert res["sender"] == first["sender"]
                assert res["topic"] == first["topic"]
                assert any(word in text_of(res).lower() for word in topic.keywords), (
                    topic.key, text_of(res))
    assert follow_ups > 20


# -- people ---------------------------------------------------------------------------------
def elfproef(bsn: str) -> bool:
    digits = [int(c) for c in bsn]
    return sum(d * w for d, w in zip(digits[:8], range(9, 1, -1))) % 11 == digits[8]


def test_every_bsn_is_a_test_number_that_passes_the_eleven_test(demos):
    for ds in demos:
        bsns = [p["identifier"][0]["value"] for p in ds.store["Patient"].values()]
        assert len(set(bsns)) == len(bsns)
        for bsn in bsns:
            assert len(bsn) == 9 and bsn.isdigit() and bsn.startswith("9999"), bsn
            assert elfproef(bsn), bsn
    assert not elfproef("999900001")


def test_given_names_fit_the_age(demos):
    for ds in demos:
        for patient in ds.store["Patient"].values():
            years, given = age(ds, patient), patient["name"][0]["given"][0]
            if years < 18:
                assert given not in OLD_FASHIONED, (given, years)
            if years >= 70:
                assert given not in MODERN, (given, years)
            female = patient["gender"] == "female"
            fitting = {n for y in (years - 1, years, years + 1)
                       for n in vocab.given_names(y, female)}
            assert given in fitting, (given, years)
        for related in ds.store["RelatedPerson"].values():  # parents are grown-ups
            patient = ds.store["Patient"][related["patient"]["reference"].removeprefix("Patient/")]
            if age(ds, patient) < 18:
                assert related["name"][0]["given"][0] not in MODERN


def test_parents_write_for_teenagers_and_representatives_for_some_adults(demos):
    for ds in demos:
        by_teen_parent = by_adult_representative = 0
        for related in ds.store["RelatedPerson"].values():
            patient = ds.store["Patient"][related["patient"]["reference"].removeprefix("Patient/")]
            code = related["relationship"][0]["coding"][0]["code"]
            years = age(ds, patient)
            if years < 18:
                assert code in third_party.PARENT_CODES, (code, years)
            else:
                assert code not in third_party.PARENT_CODES, (code, years)
                assert third_party.writer_role(code, years) is not third_party.Role.OTHER
        for cid in ds.valid_root_ids:
            res = ds.store["Communication"][cid]
            code = writer_code(ds, res)
            years = age(ds, patient_of(ds, res))
            if code in third_party.PARENT_CODES and years in (16, 17):
                by_teen_parent += 1
            if code is not None and years >= 18 and third_party.rule_for(
                    years, third_party.writer_role(code, years), False) \
                    is third_party.Rule.ADULT_REPRESENTATIVE:
                by_adult_representative += 1
        assert by_teen_parent and by_adult_representative, ds.seed


def test_the_urgent_messages_twins_and_repeated_photos_are_still_there(demos):
    keys = Counter(key for ds in demos for key in ds.topics.values())
    for key in ("urgent_borst", "urgent_benauwd", "urgent_psych", "urgent_baby",
                "negated_twins"):
        assert keys[key] > 0, key
    for ds in demos:
        photo_consults = Counter(
            ds.store["Communication"][cid]["subject"]["reference"] for cid in ds.valid_root_ids
            if any("contentAttachment" in p for p in ds.store["Communication"][cid]["payload"]))
        assert len([p for p, n in photo_consults.items() if n >= 2]) >= 2, ds.seed


def test_the_urgency_advice_still_sees_the_urgent_messages_and_not_their_twins(demos):
    from workbench.services.urgency.advisor import default_advisor
    advisor = default_advisor()
    seen = Counter()
    for ds in demos[:10]:
        for cid in ds.valid_root_ids:
            topic = vocab.TOPIC_BY_KEY[ds.topics[cid]]
            if not (topic.urgent or topic.twin):
                continue
            res = ds.store["Communication"][cid]
            patient = patient_of(ds, res)
            code = writer_code(ds, res)
            writer = "patient" if code is None else "parent" if code in \
                third_party.PARENT_CODES else "partner" if code == "SPS" else "other"
            days = (ds.now.date() - date.fromisoformat(patient["birthDate"])).days
            advice = advisor.advise(text_of(res), subject=res["topic"]["text"],
                                    patient_age_days=days, writer=writer)
            assert bool(advice) is topic.urgent, (topic.key, text_of(res))
            seen[topic.urgent] += 1
    assert seen[True] and seen[False]


# -- the morning's inbox --------------------------------------------------------------------
def test_a_mornings_inbox_most_recent_a_few_overdue_few_urgent(demos):
    for ds in demos:
        now = ds.now
        roots = [ds.store["Communication"][cid] for cid in ds.valid_root_ids]
        recent = [r for r in roots if sent(r) >= overdue_since(now, TARGET_WORKING_DAYS)]
        assert len(recent) >= 0.7 * len(roots), ds.seed
        assert all(sent(r) < now for r in roots)
        # open: not answered, or asked again after the answer
        waiting = {}
        for cid, res, root in patient_messages(ds):
            if ds.store["Communication"][root]["status"] == "in-progress" or cid != root:
                waiting[root] = max(waiting.get(root, sent(res)), sent(res))
        states = Counter(waiting_state(since, now, TARGET_WORKING_DAYS)
                         for since in waiting.values())
        assert 1 <= states[WaitState.LATE] <= 0.2 * len(waiting), (ds.seed, states)
        assert states[WaitState.OK] >= 0.5 * len(waiting), (ds.seed, states)
        urgent = [cid for cid in ds.valid_root_ids if vocab.TOPIC_BY_KEY[ds.topics[cid]].urgent]
        assert len(urgent) < 0.25 * len(roots), ds.seed
        for cid in urgent:  # an urgent message is from the last hours, never left for days
            assert waiting_state(sent(ds.store["Communication"][cid]), now,
                                 TARGET_WORKING_DAYS) is WaitState.OK


def test_the_words_do_not_depend_on_now():
    tuesday, monday = (Dataset(seed=3, consults=40, photo_share=0.0, now=now) for now in NOWS)
    assert [text_of(tuesday.store["Communication"][c]) for c in tuesday.valid_message_ids] == \
        [text_of(monday.store["Communication"][c]) for c in monday.valid_message_ids]
    assert [sent(tuesday.store["Communication"][c]) for c in tuesday.valid_root_ids] != \
        [sent(monday.store["Communication"][c]) for c in monday.valid_root_ids]
