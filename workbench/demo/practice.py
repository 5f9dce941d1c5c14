"""The seeded demo practice made into a Dataset: its organisation and staff, patients and who
writes for them, and the e-consult threads (with answers from the practice, photos, follow-ups
and the malformed examples), dated as a practice finds its inbox in the morning."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from workbench.demo import photos
from workbench.demo import vocabulary as vocab
from workbench.demo.clock import (
    DAY_MS,
    InboxTimes,
    fmt_datetime,
    fmt_instant,
    seed_for_times,
)
from workbench.demo.data import (
    AGB_SYSTEM,
    BSN_SYSTEM,
    CATEGORY,
    ECONSULT_SYSTEM,
    MALFORMED_KINDS,
    REPEAT_PHOTO_PATIENTS,
    ROLE_SYSTEM,
    ROLECODE_SYSTEM,
    SNOMED_SYSTEM,
    Dataset,
    _Attachment,
    _Rng,
    template_fields,
)
from workbench.demo.people import (
    MAX_PATIENTS,
    Patient,
    about,
    demo_email,
    demo_phone,
    human_name,
    shared_name,
    test_range_bsns,
)


def build_practice(ds: Dataset, rng: random.Random, consults: int, photo_share: float,
                   malformed: int) -> None:
    """Fill `ds` with the seeded practice: organisation, staff, patients and who writes for
    them, and the e-consult threads with their answers, photos and malformed examples."""
    now = int(ds.now.timestamp() * 1000)
    ds._now_ms = now
    base_ms = (now - 20 * DAY_MS) // 1000 * 1000
    ds._last_ms = base_ms
    # Times come from their own stream: the words and people stay the same whatever "now" is.
    times = InboxTimes(now, _Rng(seed_for_times(ds.seed)))

    def add_static(res: dict) -> None:
        ds._last_ms += 1
        res["meta"] = {"versionId": "1", "lastUpdated": fmt_instant(ds._last_ms)}
        ds._put(res, ds._last_ms)

    def person(age_years: float, female: bool) -> str:
        return rng.choice(vocab.given_names(age_years, female))

    # Organization
    agb_org = "01" + "".join(str(rng.randint(0, 9)) for _ in range(6))
    add_static({"resourceType": "Organization", "id": "org-1",
                "identifier": [{"system": AGB_SYSTEM, "value": agb_org}],
                "active": True, "name": "Huisartsenpraktijk De Linde",
                "telecom": [{"system": "phone", "value": "030-" + str(rng.randint(2000000, 6999999)),
                             "use": "work"}],
                "address": [{"line": ["Lindelaan 12"], "postalCode": "3701 AB", "city": "Zeist",
                             "country": "NL"}]})
    # Coded roles as portals send them: RoleCodeNL (UZI role codes) first, SNOMED CT
    # occupation second. RoleCodeNL has no POH or doktersassistent, so those carry the
    # nearest RoleCodeNL concept (30.000 nurse, 99.000 other care) and a precise SNOMED code.
    roles = [("huisarts", ("01.015", "Huisarts"),
              ("62247001", "Family medicine specialist"))] * 3 + \
            [("praktijkondersteuner", ("30.000", "Verpleegkundige"),
              ("159002008", "Practice nurse"))] + \
            [("doktersassistent", ("99.000", "Zorgverlener andere zorg"),
              ("22515006", "Medical assistant"))] * 3
    ds.practitioner_ids: list[str] = []
    for i, (text, (code, display), (sct_code, sct_display)) in enumerate(roles, start=1):
        female = rng.random() < 0.6
        given = person(rng.randint(28, 64), female)
        family = rng.choice(vocab.FAMILY_NAMES)
        agb = "01" + "".join(str(rng.randint(0, 9)) for _ in range(6))
        add_static({"resourceType": "Practitioner", "id": f"prac-{i}",
                    "identifier": [{"system": AGB_SYSTEM, "value": agb}], "active": True,
                    "name": [human_name(given, family)],
                    "gender": "female" if female else "male"})
        add_static({"resourceType": "PractitionerRole", "id": f"role-{i}", "active": True,
                    "practitioner": {"reference": f"Practitioner/prac-{i}",
                                     "display": f"{given} {family}"},
                    "organization": {"reference": "Organization/org-1"},
                    "code": [{"coding": [{"system": ROLE_SYSTEM, "code": code, "display": display},
                                         {"system": SNOMED_SYSTEM, "code": sct_code,
                                          "display": sct_display}],
                              "text": text}]})
        ds.practitioner_ids.append(f"prac-{i}")

    # Patients: a parent writes for everyone under 16 and for some 16- and 17-year-olds; a
    # representative for some adults (more of the very old).
    n_pat = min(max(60, int(0.4 * consults)), MAX_PATIENTS)
    width = max(5, len(str(n_pat)))
    today = ds.now.date()
    birth_cache: dict[int, str] = {}
    patients: list[Patient] = []
    bsns = rng.sample(test_range_bsns(), n_pat)
    age_bands = [(0, 89, 3), (90, 11 * 365, 14), (12 * 365, 15 * 365 + 300, 6),
                 (16 * 365 + 1, 17 * 365 + 300, 4), (18 * 365, 64 * 365, 51),
                 (65 * 365, 96 * 365, 22)]
    band_weights = [b[2] for b in age_bands]
    # The first patients cover every age band, a 16- or 17-year-old with a parent writing and
    # very old patients with a mentor and a gemachtigde, whatever the size.
    forced = {1: (0, None), 2: (1, None), 3: (2, None), 4: (3, None), 5: (5, None),
              6: (3, vocab.PARENT), 7: (5, 0), 8: (5, 2)}
    n_rp = 0
    for i in range(1, n_pat + 1):
        lo, hi, _ = rng.choices(age_bands, band_weights)[0]
        band, rep_kind = forced.get(i, (None, None))
        if band is not None:
            lo, hi, _ = age_bands[band]
            if band == 5:
                lo = 80 * 365
        age_days = rng.randint(lo, hi)
        age_years = age_days / 365.25
        female = rng.random() < 0.52
        given = person(age_years, female)
        family = rng.choice(vocab.FAMILY_NAMES)
        pid = f"pat-{i:0{width}d}"
        birth = birth_cache.get(age_days)
        if birth is None:
            birth = birth_cache[age_days] = (today - timedelta(days=age_days)).isoformat()
        street = rng.choice(vocab.STREETS)
        city = rng.choice(vocab.CITIES)
        house = rng.randint(1, 180)
        add_static({"resourceType": "Patient", "id": pid,
                    "identifier": [{"system": BSN_SYSTEM, "value": bsns[i - 1]}],
                    "active": True, "name": [shared_name(given, family)],
                    "gender": "female" if female else "male", "birthDate": birth,
                    "address": [{"line": [f"{street} {house}"], "city": city, "country": "NL"}],
                    "telecom": [{"system": "phone", "value": demo_phone(pid), "use": "mobile"}]
                    + ([{"system": "email", "value": demo_email(given, family, i),
                         "use": "home"}] if age_years >= 16 else []),
                    "managingOrganization": {"reference": "Organization/org-1"}})
        pat = Patient(pid, given, family, age_days, female)
        r = rng.random()
        if age_years < 16 or (age_years < 18 and (r < 0.5 or rep_kind == vocab.PARENT)):
            kind = rng.choices(vocab.PARENT_KINDS, vocab.PARENT_WEIGHTS)[0]
            w_female = kind[0] == "MTH" or (kind[0] == "PRN" and rng.random() < 0.5)
            w_given = person(age_years + rng.randint(26, 40), w_female)
            w_family = family if rng.random() < 0.8 else rng.choice(vocab.FAMILY_NAMES)
            pat.writer, pat.relation = vocab.PARENT, kind
        elif age_years >= 18 and (isinstance(rep_kind, int) or r < (
                0.2 if age_years >= 80 else 0.05 if age_years >= 65 else 0.02)):
            old = age_years >= 75
            kind = vocab.REP_KINDS[rep_kind] if isinstance(rep_kind, int) else rng.choices(
                vocab.REP_KINDS, vocab.REP_WEIGHTS_OLD if old else vocab.REP_WEIGHTS_YOUNG)[0]
            code = kind[0]
            if code == "GUARD":  # a professional mentor or curator
                w_female = rng.random() < 0.7
                w_age = rng.randint(30, 60)
                w_family = rng.choice(vocab.FAMILY_NAMES)
            elif code == "SPS":
                w_female = not female
                w_age = max(18, age_years + rng.randint(-4, 4))
                w_family = rng.choice(vocab.FAMILY_NAMES) if rng.random() < 0.5 else family
            else:  # a daughter or son (also as gemachtigde)
                w_female = code == "DAU" or (code == "POWATT" and rng.random() < 0.6)
                w_age = max(18, age_years - rng.randint(25, 35))
                w_family = family if rng.random() < 0.6 else rng.choice(vocab.FAMILY_NAMES)
            w_given = person(w_age, w_female)
            pat.writer, pat.relation = vocab.REP, kind
        if pat.writer != vocab.SELF:
            if w_given == given:  # a parent and child of the same name read as a mistake
                names = vocab.given_names(age_years + 30, w_female)
                w_given = names[(names.index(w_given) + 1) % len(names)
                                if w_given in names else 0]
            n_rp += 1
            rp_id = f"rp-{n_rp:0{width}d}"
            code, display, rel_text = pat.relation
            add_static({"resourceType": "RelatedPerson", "id": rp_id, "active": True,
                        "patient": {"reference": f"Patient/{pid}"},
                        "relationship": [{"coding": [{"system": ROLECODE_SYSTEM, "code": code,
                                                      "display": display}],
                                          "text": rel_text}],
                        "name": [shared_name(w_given, w_family)],
                        "gender": "female" if w_female else "male",
                        "telecom": [{"system": "email", "value":
                                     f"{w_given.lower()}{rng.randint(1, 99)}@example.nl"},
                                    {"system": "phone", "value": demo_phone(rp_id),
                                     "use": "mobile"}]})
            pat.rp_id, pat.writer_given, pat.writer_family = rp_id, w_given, w_family
        patients.append(pat)
    static_end = ds._last_ms

    # E-consults: a topic first, then a patient it fits.
    eligible = {t.key: [n for n, p in enumerate(patients) if t.fits(p.age_years, p.female,
                                                                      p.writer)]
                for t in vocab.TOPICS}
    photo_topics = [t for t in vocab.TOPICS if t.photo and eligible[t.key]]
    plain_topics = [t for t in vocab.TOPICS if not t.photo and eligible[t.key]]
    photo_w = [t.weight for t in photo_topics]
    plain_w = [t.weight for t in plain_topics]
    cw = max(6, len(str(consults)))
    events: list[tuple[int, int, str]] = []
    seq = 0
    bin_seq = 0
    bin_w = max(6, len(str(consults * 3)))
    orientations, orientation_w = [1, 3, 6, 8], [70, 8, 14, 8]
    photo_counts, photo_count_w = [1, 2, 3], [6, 3, 1]
    makes = [("Apple", "iPhone 13"), ("Apple", "iPhone 15 Pro"), ("samsung", "SM-S918B"),
             ("Google", "Pixel 7"), ("motorola", "moto g54 5G")]

    def thread_values(topic: vocab.Topic, pat: Patient, rrng: random.Random) -> dict:
        """The values of every slot, drawn once per thread (subject, text and follow-up)."""
        values = {"duur": rrng.choice(vocab.DURATIONS), "sinds": rrng.choice(vocab.SINCE),
                  "geleden": rrng.choice(vocab.AGO), "gewricht": rrng.choice(vocab.JOINTS),
                  "weken": str(rrng.randint(6, 12)), "stad": rrng.choice(vocab.CITIES),
                  "straat": f"{rrng.choice(vocab.STREETS)} {rrng.randint(1, 200)}",
                  "tel": str(rrng.randint(10000000, 99999999))}
        place, article = rrng.choice(vocab.PLACES)
        values["plek"], values["de_plek"] = place, f"{article} {place}"
        meds = vocab.medicines_for(pat.age_years, pat.female)
        values["medicijn"] = rrng.choice(meds) if meds else "paracetamol"
        age = pat.age_days
        values["leeftijd"] = (f"{max(1, age // 7)} weken" if age < 90 else
                              f"{age // 30} maanden" if age < 730 else f"{age // 365} jaar")
        values.update(about(pat))
        return values

    def fill(template: str, values: dict) -> str:
        text = template.format_map(values) if template_fields(template) else template
        return text[:1].upper() + text[1:]

    def compose(topic: vocab.Topic, pat: Patient, values: dict,
                rrng: random.Random) -> tuple[str, str]:
        body = rrng.choice(topic.bodies(pat.writer))
        if isinstance(body, tuple):  # (subject, text): a text with its own subject line
            topic_t, body = body
        else:
            topic_t = rrng.choice(topic.subjects)
        body = fill(body, values)
        subject = fill(topic_t, values)
        parts = []
        greet = rrng.choice(vocab.GREETINGS)
        if greet:
            parts.append(greet)
        filler = rrng.choice(vocab.FILLERS)
        parts.append(body + (" " + filler if filler else ""))
        r = rrng.random()
        if r < 0.05:
            parts.append(rrng.choice(vocab.LINKS))
        elif r < 0.09:
            parts.append(rrng.choice(vocab.PASTED))
        if rrng.random() < 0.25:  # a typo: two letters swapped (never in the topic's words)
            words = parts[-1].split(" ")
            k = rrng.randrange(len(words))
            w = words[k]
            if len(w) > 3 and not any(key in w.lower() for key in topic.keywords):
                j = rrng.randrange(len(w) - 1)
                words[k] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
            parts[-1] = " ".join(words)
        if rrng.random() < 0.15:
            parts[-1] = parts[-1].lower()
        parts.append(f"{rrng.choice(vocab.CLOSINGS)}\n{pat.signature}")
        return subject, "\n\n".join(parts)

    def attachments_for(cid: str, sent: int, rrng: random.Random, count: int,
                        size_delta: int = 0) -> list[dict]:
        nonlocal bin_seq
        out = []
        for _ in range(count):
            bin_seq += 1
            bid = f"bin-{bin_seq:0{bin_w}d}"
            taken = sent - rrng.randint(60, 3 * 3600) * 1000
            gps = None
            if rrng.random() < 0.3:
                gps = (round(rrng.uniform(51.3, 53.3), 5), round(rrng.uniform(3.6, 7.1), 5))
            orient = rrng.choices(orientations, orientation_w)[0]
            make, model = rrng.choice(makes)
            spec = photos.PhotoSpec(
                binary_id=bid, size=ds.photo_size, variant=rrng.randrange(photos.VARIANTS),
                orientation=orient, make=make, model=model, gps=gps,
                taken=datetime.fromtimestamp(taken // 1000, UTC).strftime("%Y:%m:%d %H:%M:%S"))
            att = _Attachment(bid, spec, size_delta)
            ds._attachments[bid] = att
            ds.attachments[bid] = (att.content_type, att.produce)
            title = rrng.choice([f"IMG_{rrng.randint(1000, 9999)}.jpg", "foto.jpg",
                                 f"PXL_{rrng.randint(10000, 99999)}.jpg", "image.jpeg"])
            placeholder = {"contentAttachment": {"contentType": "image/jpeg", "title": title,
                                                 "creation": fmt_datetime(taken)}}
            # payload[0] is the contentString; the photos follow it
            ds._pending.setdefault(cid, []).append((1 + len(out), att))
            ds._att_refs.setdefault(cid, []).append(bid)
            out.append(placeholder)
        return out

    def sender_of(pat: Patient) -> str:
        return f"RelatedPerson/{pat.rp_id}" if pat.rp_id else f"Patient/{pat.pid}"

    def root(cid: str, topic: vocab.Topic, pat: Patient, values: dict, sent: int,
             rrng: random.Random, with_photos: bool) -> dict:
        subject, text = compose(topic, pat, values, rrng)
        payload: list[dict] = [{"contentString": text}]
        if with_photos:
            payload += attachments_for(cid, sent, rrng, rrng.choices(photo_counts, photo_count_w)[0])
        return {"resourceType": "Communication", "id": cid,
                "meta": {"versionId": "1", "lastUpdated": ""},
                "status": "in-progress", "category": CATEGORY,
                "subject": {"reference": f"Patient/{pat.pid}"},
                "sender": {"reference": sender_of(pat)},
                "recipient": [{"reference": "Organization/org-1"}],
                "sent": fmt_datetime(sent), "topic": {"text": subject}, "payload": payload}

    comms: dict[str, dict] = {}
    # Photos to compare with earlier ones: until REPEAT_PHOTO_PATIENTS patients have photos
    # in two e-consults, a photo e-consult goes to an earlier photo patient, on the topic of
    # that patient's first photos.
    photo_patients: list[tuple[int, vocab.Topic]] = []  # with one photo e-consult
    repeated = 0
    # Someone writing for a 16- or 17-year-old and for two adults, early in every demo.
    forced_writer = {2: 5, 4: 6, 6: 7}

    def pick(n: int, with_photos: bool) -> tuple[vocab.Topic, int, bool]:
        nonlocal repeated
        if with_photos and repeated < REPEAT_PHOTO_PATIENTS and photo_patients:
            repeated += 1
            chosen, topic = photo_patients.pop(0)
            return topic, chosen, True
        chosen = forced_writer.get(n)
        if chosen is not None and chosen < len(patients):
            pat = patients[chosen]
            fitting = [t for t in plain_topics if not t.urgent
                       and t.fits(pat.age_years, pat.female, pat.writer)]
            return rng.choices(fitting, [t.weight for t in fitting])[0], chosen, False
        if with_photos:
            topic = rng.choices(photo_topics, photo_w)[0]
        else:
            topic = rng.choices(plain_topics, plain_w)[0]
        group = eligible[topic.key]
        chosen = group[rng.randrange(len(group))]
        if with_photos and all(chosen != p for p, _ in photo_patients):
            photo_patients.append((chosen, topic))
        return topic, chosen, with_photos

    for n in range(1, consults + 1):
        cid = f"ec-{n:0{cw}d}"
        topic, chosen, with_photos = pick(n, rng.random() < photo_share)
        pat = patients[chosen]
        values = thread_values(topic, pat, rng)
        answered = rng.random() < 0.2 and not topic.urgent
        followed_up = answered and rng.random() < 0.3
        # Every 11th open e-consult is past the answer target; the rest of the open ones
        # arrived within the last two working days, the urgent ones within the last hours.
        # An adult's representative is never among the oldest: the first e-consult someone
        # else wrote stays a parent's, as tests and the demo tour expect.
        overdue = (not answered and not topic.urgent and n % 11 == 3
                   and pat.writer != vocab.REP)
        # the adults' representatives write in the last hours (the first e-consults
        # written by someone else in a pull are a parent's)
        sent = times.root(urgent=topic.urgent, answered=answered, overdue=overdue,
                          latest=n in (4, 6))
        res = root(cid, topic, pat, values, sent, rng, with_photos)
        comms[cid] = res
        ds.topics[cid] = topic.key
        ds.valid_root_ids.append(cid)
        ds.valid_message_ids.append(cid)
        update_at = sent
        if answered:
            answer_at = min(sent + rng.randint(1800, 30 * 3600) * 1000, now - 1800 * 1000)
            answer_at = max(answer_at, sent + 60_000)
            prac = ds.practitioner_ids[rng.choice([0, 1, 2, 3, 4, 5, 6])]
            aid = f"{cid}-2"
            comms[aid] = {"resourceType": "Communication", "id": aid,
                          "meta": {"versionId": "1", "lastUpdated": ""},
                          "identifier": [{"system": "urn:workbench:demo:answer", "value": aid}],
                          "status": "completed", "category": CATEGORY,
                          "subject": res["subject"], "sender": {"reference": f"Practitioner/{prac}"},
                          "recipient": [dict(res["sender"])],
                          "inResponseTo": [{"reference": f"Communication/{cid}"}],
                          "sent": fmt_datetime(answer_at), "topic": dict(res["topic"]),
                          "payload": [{"contentString": rng.choice(topic.answers)}]}
            res["status"] = "completed"
            res["meta"]["versionId"] = "2"
            ds.valid_message_ids.append(aid)
            seq += 1
            events.append((answer_at + 1500, seq, aid))
            update_at = answer_at + 1000
            ds._thread_next[cid] = 3
            follow_ups = topic.followups(pat.writer)
            if followed_up and follow_ups:
                fid = f"{cid}-3"
                fu_at = max(min(answer_at + rng.randint(600, 20 * 3600) * 1000, now - 60_000),
                            answer_at + 30_000)
                comms[fid] = {"resourceType": "Communication", "id": fid,
                              "meta": {"versionId": "1", "lastUpdated": ""},
                              "status": "in-progress", "category": CATEGORY,
                              "subject": res["subject"], "sender": dict(res["sender"]),
                              "recipient": [{"reference": "Organization/org-1"}],
                              "inResponseTo": [{"reference": f"Communication/{cid}"}],
                              "sent": fmt_datetime(fu_at), "topic": dict(res["topic"]),
                              "payload": [{"contentString": fill(rng.choice(follow_ups),
                                                                 values)}]}
                ds.valid_message_ids.append(fid)
                seq += 1
                events.append((fu_at + 2000, seq, fid))
                ds._thread_next[cid] = 4
        seq += 1
        events.append((update_at + 2000, seq, cid))

    # Malformed ones, interleaved in time
    adults = [n for n, p in enumerate(patients) if p.writer == vocab.SELF and p.age_years >= 18]
    plain_adult = [t for t in plain_topics if not t.urgent and vocab.SELF in t.writers
                   and t.min_age <= 40 < t.max_age and t.sex is None]
    for m in range(1, malformed + 1):
        kind = MALFORMED_KINDS[(m - 1) % len(MALFORMED_KINDS)]
        bid_ = f"bad-{m:04d}"
        pat = patients[adults[rng.randrange(len(adults))]]
        topic = rng.choice(plain_adult)
        sent = times.root(urgent=False, answered=False, overdue=False)
        res = root(bid_, topic, pat, thread_values(topic, pat, rng), sent, rng, False)
        if kind == "missing-subject":
            del res["subject"]
        elif kind == "bad-sent":
            res["sent"] = "gisteren"
        elif kind == "no-payload":
            del res["payload"]
        elif kind == "unknown-subject":
            res["subject"] = {"reference": f"Patient/pat-x{m:04d}"}
        elif kind == "attachment-without-content":
            res["payload"].append({"contentAttachment": {"contentType": "image/jpeg",
                                                         "title": "foto.jpg"}})
        elif kind == "bad-status":
            res["status"] = "gelezen"
        elif kind == "size-mismatch":
            res["payload"] += attachments_for(bid_, sent, rng, 1, size_delta=4321)
        elif kind == "wrong-category":
            res["category"] = [{"coding": [{"system": ECONSULT_SYSTEM, "code": "1",
                                            "display": "Consult"}]}]
        comms[bid_] = res
        ds.malformed_ids.append(bid_)
        ds.malformed_kinds[bid_] = kind
        seq += 1
        events.append((sent + 2000, seq, bid_))

    events.sort()
    last = max(static_end, events[0][0] - 1 if events else static_end)
    store = ds.store["Communication"]
    keys = ds._keys["Communication"]
    ids = ds._ids["Communication"]
    for t, sq, cid in events:
        last = max(last + 1, t + (sq * 7919) % 997)  # millisecond precision, strictly increasing
        res = comms[cid]
        res["meta"]["lastUpdated"] = fmt_instant(last)
        store[cid] = res
        ds._ms[("Communication", cid)] = last
        keys.append(last)
        ids.append(cid)
    ds._last_ms = last
    ds._index_identifiers()
