"""Writing a pull's parsed page into the store: the patients, related persons, practitioners
and practice it names (upserted by portal id and version), the new e-consults and messages,
replies' effects on their threads, attachment rows, and what was wrong with them.

The row ids met in one pull are cached here (see `reset`); the pull (services/sync.py) fetches,
parses, quarantines and holds the transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Connection, bindparam, delete, select, update

from workbench.services.fhir import ParsedCommunication
from workbench.services.inbox import compute_sort_rank
from workbench.services.sync_quarantine import quarantine_row
from workbench.services.sync_references import References
from workbench.services.sync_rows import (
    among,
    insert_many,
    insert_rows,
    rows_by_portal_id,
    upsert_rows,
)
from workbench.services.thread_change import thread_change as _thread_change
from workbench.store.models import (
    Attachment,
    AuthorKind,
    ConsultStatus,
    Direction,
    EConsult,
    MailAddress,
    MailAddressSource,
    Message,
    Patient,
    Practice,
    Practitioner,
    RelatedPerson,
)
from workbench.store.search import messages_indexed_together

if TYPE_CHECKING:
    from workbench.services.sync import SyncResult

# Attempts set to this mark a refusal that trying again cannot fix (too large, wrong bytes).
ATTEMPTS_FINAL = 1_000_000

_PATIENT = Patient.__table__
_RELATED = RelatedPerson.__table__
_PRACTITIONER = Practitioner.__table__
_PRACTICE = Practice.__table__
_ECONSULT = EConsult.__table__
_MESSAGE = Message.__table__
_ATTACHMENT = Attachment.__table__
_MAIL_ADDRESS = MailAddress.__table__


class PageWriter:
    """Writes parsed pages inside the caller's transaction; `ids` maps portal id -> row id of
    the patients, related persons and practitioners this pull met."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self.reset()

    def reset(self) -> None:
        """Row ids and stored versions known to this run; dropped when a write rolls back."""
        self.ids: dict[str, dict[str, int]] = {"Patient": {}, "RelatedPerson": {},
                                                "Practitioner": {}}
        self.stored_versions: dict[tuple[str, str], str] = {}

    def known_ids(self, connection: Connection, resource_type: str, portal_ids: Iterable[str]
                   ) -> set[str]:
        cache = self.ids[resource_type]
        wanted = [pid for pid in portal_ids if pid not in cache]
        if wanted:
            table = {"Patient": _PATIENT, "RelatedPerson": _RELATED,
                     "Practitioner": _PRACTITIONER}[resource_type]
            cache.update((row.portal_id, row.id)
                         for row in rows_by_portal_id(connection, table, wanted))
        return {pid for pid in portal_ids if pid in cache}

    def upsert_references(self, connection: Connection, references: References) -> None:
        upsert_rows(connection, _PRACTICE, [
            {"portal_id": o.portal_id, "portal_version": o.version, "name": o.name,
             "agb_code": o.agb_code, "phone": o.phone} for o in references.organizations.values()])
        self.ids["Patient"].update(upsert_rows(connection, _PATIENT, [
            {"portal_id": p.portal_id, "portal_version": p.version, "name": p.name,
             "family_name": p.family_name, "bsn": p.bsn, "birth_date": p.birth_date,
             "gender": p.gender, "birth_date_text": p.birth_date_text, "phone": p.phone,
             "data_problems": list(p.problems) or None}
            for p in references.patients.values()]))
        patients = self.ids["Patient"]
        self._portal_addresses(connection, {
            patients[p.portal_id]: p.email for p in references.patients.values()
            if p.portal_id in patients})
        self.known_ids(connection, "Patient", [r.patient.id for r in references.related.values()])
        self.ids["RelatedPerson"].update(upsert_rows(connection, _RELATED, [
            {"portal_id": r.portal_id, "portal_version": r.version,
             "patient_id": patients[r.patient.id], "name": r.name,
             "relationship_code": r.relationship_code, "relationship_text": r.relationship_text,
             "phone": r.phone}
            for r in references.related.values() if r.patient.id in patients]))
        self.ids["Practitioner"].update(upsert_rows(connection, _PRACTITIONER, [
            {"portal_id": p.portal_id, "portal_version": p.version, "name": p.name,
             "agb_code": p.agb_code} for p in references.practitioners.values()]))
        for resource_type in ("RelatedPerson", "Practitioner"):
            self.known_ids(connection, resource_type,
                            references.ids(resource_type) - references.unavailable_ids(
                                resource_type))

    @staticmethod
    def _portal_addresses(connection: Connection, emails: dict[int, str | None]) -> None:
        """The portal's e-mail address of each patient, trusted for secure mail; one the
        portal no longer gives is no longer trusted on its word (a person's own verification
        of an address stays)."""
        if not emails:
            return
        have = {(row.patient_id, row.address): row.id for row in connection.execute(select(
            _MAIL_ADDRESS.c.id, _MAIL_ADDRESS.c.patient_id, _MAIL_ADDRESS.c.address).where(
            among(connection, _MAIL_ADDRESS.c.patient_id, emails),
            _MAIL_ADDRESS.c.source == MailAddressSource.PORTAL))}
        wanted = {(pid, email) for pid, email in emails.items() if email}
        gone = [row_id for key, row_id in have.items() if key not in wanted]
        if gone:
            connection.execute(delete(_MAIL_ADDRESS).where(_MAIL_ADDRESS.c.id.in_(gone)))
        new = [{"patient_id": pid, "address": email} for pid, email in wanted - have.keys()]
        if not new:
            return
        # A person verified the same address for this patient already: keep theirs.
        verified = set(connection.execute(select(
            _MAIL_ADDRESS.c.patient_id, _MAIL_ADDRESS.c.address).where(
            among(connection, _MAIL_ADDRESS.c.patient_id,
                  [row["patient_id"] for row in new]))).all())
        rows = [dict(row, source=MailAddressSource.PORTAL) for row in new
                if (row["patient_id"], row["address"]) not in verified]
        insert_many(connection, _MAIL_ADDRESS, rows)

    def write_communications(self, connection: Connection, parsed: list[ParsedCommunication],
                              inline: dict[tuple[str, int], tuple[str, int]],
                              refused: dict[tuple[str, int], str], future: set[str],
                              quarantine: list[dict[str, Any]], result: SyncResult) -> set[str]:
        """Store the page's messages; returns the ids of those now in the store."""
        if not parsed:
            return set()
        page_ids = [c.portal_id for c in parsed]
        parent_ids = {c.in_response_to for c in parsed if c.in_response_to}
        existing = {row.portal_id: row for row in connection.execute(
            select(_MESSAGE.c.portal_id, _MESSAGE.c.portal_version, _MESSAGE.c.id,
                   _MESSAGE.c.econsult_id).where(
                among(connection, _MESSAGE.c.portal_id, set(page_ids) | parent_ids))).all()}
        existing.update(self._adopt_our_own_messages(connection, parsed, existing))
        now = self._clock()
        new_roots = [c for c in parsed if c.in_response_to is None and c.portal_id not in existing]
        replies = sorted((c for c in parsed if c.in_response_to and c.portal_id not in existing),
                         key=lambda c: c.sent)
        changed = [c for c in parsed if c.portal_id in existing
                   and existing[c.portal_id].portal_version != c.version]
        # Several versions of one resource in a page: keep the last one only.
        new_roots = list({c.portal_id: c for c in new_roots}.values())
        replies = list({c.portal_id: c for c in replies}.values())

        econsult_of = {pid: row.econsult_id for pid, row in existing.items()}
        # Replies to a thread this page starts change its row before it is written, not by
        # an update after: the common case on a first pull.
        new_threads = {c.portal_id: self._econsult_row(c) for c in new_roots}
        root_of = {pid: pid for pid in new_threads}  # message -> root, in new threads
        thread_updates: list[dict[str, Any]] = []
        resolved_replies = []
        for reply in replies:
            root = root_of.get(reply.in_response_to)
            if root is not None:
                root_of[reply.portal_id] = root
                resolved_replies.append(reply)
                thread = new_threads[root]
                _thread_change(thread, self._reply_change(reply))
                thread["sort_rank"] = compute_sort_rank(
                    thread["urgency"], None, False, thread["waiting_since"])
                continue
            econsult_id = econsult_of.get(reply.in_response_to)
            if econsult_id is None:
                quarantine.append(quarantine_row(
                    reply.raw,
                    f"inResponseTo Communication/{reply.in_response_to} could not be read",
                    transient=True))
                continue
            econsult_of[reply.portal_id] = econsult_id
            resolved_replies.append(reply)
            thread_updates.append({"eid": econsult_id, **self._reply_change(reply)})
        if new_threads:
            ids = insert_rows(connection, _ECONSULT, list(new_threads.values()))
            econsult_of.update((pid, ids[root]) for pid, root in root_of.items())
            result.econsults_created += len(new_threads)

        new_messages = new_roots + resolved_replies
        if new_messages:
            rows = [self._message_row(c, econsult_of[c.portal_id]) for c in new_messages]
            with messages_indexed_together(connection):
                message_ids = insert_rows(connection, _MESSAGE, rows)
            result.attachments += self._insert_attachments(
                connection, [(c, message_ids[c.portal_id]) for c in new_messages], inline,
                refused, now)
            result.created += len(new_messages)
        self._apply_thread_updates(connection, thread_updates)

        for communication in changed:
            row = existing[communication.portal_id]
            connection.execute(update(_MESSAGE).where(_MESSAGE.c.id == row.id).values(
                portal_version=communication.version, text=communication.text,
                sent_at=communication.sent,
                advised=self._direction(communication) is not Direction.IN))
            if communication.in_response_to is None:
                connection.execute(update(_ECONSULT).where(
                    _ECONSULT.c.id == row.econsult_id).values(
                    subject=communication.topic, portal_status=communication.status,
                    portal_version=communication.version, version=_ECONSULT.c.version + 1,
                    change_kind="portal", changed_by_id=None, changed_at=now))
            result.attachments += self._replace_changed_attachments(
                connection, row.id, communication, inline, refused, now)
            result.updated += 1

        written = {c.portal_id for c in new_messages + changed}
        for (portal_id, position), reason in refused.items():
            if portal_id in written:
                result.errors.append(f"attachment {position} of Communication/{portal_id} "
                                     f"refused: {reason.split(':')[0]}")
        stored = [c for c in parsed if c.portal_id in econsult_of]
        self.flag_problems(connection, [
            (econsult_of[c.portal_id], _message_problems(c, refused, future)) for c in stored])
        return {c.portal_id for c in stored}

    @staticmethod
    def flag_problems(connection: Connection, problems: list[tuple[int, list[str]]]) -> None:
        """What was wrong with a thread's messages, imported anyway, shown on the e-consult."""
        wanted: dict[int, set[str]] = {}
        for econsult_id, codes in problems:
            if codes:
                wanted.setdefault(econsult_id, set()).update(codes)
        if not wanted:
            return
        for econsult_id, current in connection.execute(select(
                _ECONSULT.c.id, _ECONSULT.c.data_problems).where(
                among(connection, _ECONSULT.c.id, wanted))).all():
            merged = sorted(set(current or ()) | wanted[econsult_id])
            if merged != sorted(current or ()):
                connection.execute(update(_ECONSULT).where(_ECONSULT.c.id == econsult_id)
                                   .values(data_problems=merged))

    def _adopt_our_own_messages(self, connection: Connection, parsed: list[ParsedCommunication],
                                existing: dict[str, Any]) -> dict[str, Any]:
        """Messages we sent come back from the portal under the id it gave them: recognised by
        the identifier we made, they take that id instead of arriving twice."""
        ours = {c.identifier: c for c in parsed
                if c.identifier and c.portal_id not in existing and
                c.sender.resource_type == "Practitioner"}
        if not ours:
            return {}
        adopted = {}
        for row in connection.execute(select(
                _MESSAGE.c.id, _MESSAGE.c.identifier, _MESSAGE.c.econsult_id,
                _MESSAGE.c.portal_id).where(_MESSAGE.c.identifier.in_(list(ours)))).all():
            communication = ours[row.identifier]
            connection.execute(update(_MESSAGE).where(_MESSAGE.c.id == row.id).values(
                portal_id=communication.portal_id, delivery="sent"))
            connection.execute(update(_ECONSULT).where(
                _ECONSULT.c.id == row.econsult_id,
                _ECONSULT.c.portal_id == row.portal_id).values(portal_id=communication.portal_id))
            # Same version as the portal's: the row is up to date, nothing else to write.
            adopted[communication.portal_id] = _Existing(
                communication.portal_id, communication.version, row.id, row.econsult_id)
        return adopted

    def _econsult_row(self, root: ParsedCommunication) -> dict[str, Any]:
        related = None
        if root.sender.resource_type == "RelatedPerson":
            related = self.ids["RelatedPerson"][root.sender.id]
        # A thread already answered on the portal arrives closed; a patient's reply reopens it.
        status = ConsultStatus.CLOSED if root.status == "completed" else ConsultStatus.INBOX
        return {"portal_id": root.portal_id, "portal_version": root.version,
                "patient_id": self.ids["Patient"][root.subject.id],
                "sender_related_person_id": related, "subject": root.topic,
                "status": status, "portal_status": root.status, "urgency": "normaal",
                "received_at": root.sent, "last_patient_message_at": root.sent,
                "photo_count": _photo_count(root), "unread": status is ConsultStatus.INBOX,
                "waiting_since": root.sent if status is ConsultStatus.INBOX else None,
                "sort_rank": 2 if status is ConsultStatus.INBOX else 3,
                # What a reply in the same page may change (see _thread_change).
                "assignee_id": None, "answered_at": None, "follow_up_at": None,
                "change_kind": None, "changed_by_id": None, "changed_at": None}

    def _reply_change(self, reply: ParsedCommunication) -> dict[str, Any]:
        return {"sent": reply.sent, "incoming": self._direction(reply) is Direction.IN,
                "photos": _photo_count(reply)}

    @staticmethod
    def _direction(communication: ParsedCommunication) -> Direction:
        return Direction.OUT if communication.sender.resource_type == "Practitioner" \
            else Direction.IN

    def _message_row(self, communication: ParsedCommunication, econsult_id: int
                     ) -> dict[str, Any]:
        kind = {"Patient": AuthorKind.PATIENT, "RelatedPerson": AuthorKind.RELATED_PERSON,
                "Practitioner": AuthorKind.PRACTITIONER}[communication.sender.resource_type]
        return {"econsult_id": econsult_id, "portal_id": communication.portal_id,
                "portal_version": communication.version,
                "direction": self._direction(communication), "author_kind": kind,
                "author_portal_id": communication.sender.id, "text": communication.text,
                "sent_at": communication.sent, "in_response_to": communication.in_response_to,
                # Patient messages wait for the advice worker; our own need no advice.
                "advised": self._direction(communication) is not Direction.IN}

    def _apply_thread_updates(self, connection: Connection, updates: list[dict[str, Any]]
                              ) -> None:
        """A reply's effect on its thread: the newest patient message, photos, answered time,
        since when the patient waits, unread; a patient's reply after an answer or closing
        brings the thread back to the inbox. `updates` are in the order the replies were sent."""
        if not updates:
            return
        threads = {row.id: dict(row._mapping) for row in connection.execute(select(
            _ECONSULT.c.id, _ECONSULT.c.status, _ECONSULT.c.assignee_id, _ECONSULT.c.answered_at,
            _ECONSULT.c.last_patient_message_at, _ECONSULT.c.photo_count,
            _ECONSULT.c.waiting_since, _ECONSULT.c.unread, _ECONSULT.c.urgency,
            _ECONSULT.c.urgency_advice, _ECONSULT.c.advice_dismissed,
            _ECONSULT.c.follow_up_at, _ECONSULT.c.change_kind, _ECONSULT.c.changed_by_id,
            _ECONSULT.c.changed_at).where(
            among(connection, _ECONSULT.c.id, {change["eid"] for change in updates})))}
        for change in updates:
            _thread_change(threads[change["eid"]], change)
        connection.execute(
            update(_ECONSULT).where(_ECONSULT.c.id == bindparam("eid")).values(
                status=bindparam("new_status"), assignee_id=bindparam("new_assignee"),
                answered_at=bindparam("new_answered"),
                last_patient_message_at=bindparam("new_last"),
                photo_count=bindparam("new_photos"), waiting_since=bindparam("new_waiting"),
                unread=bindparam("new_unread"), sort_rank=bindparam("new_rank"),
                follow_up_at=bindparam("new_follow_up"),
                change_kind=bindparam("new_change_kind"),
                changed_by_id=bindparam("new_changed_by"),
                changed_at=bindparam("new_changed_at"),
                # A new message changes the e-consult: an action based on before is stale.
                version=_ECONSULT.c.version + 1),
            [{"eid": t["id"], "new_status": t["status"], "new_assignee": t["assignee_id"],
              "new_answered": t["answered_at"], "new_last": t["last_patient_message_at"],
              "new_photos": t["photo_count"], "new_waiting": t["waiting_since"],
              "new_unread": t["unread"], "new_follow_up": t["follow_up_at"],
              "new_change_kind": t["change_kind"], "new_changed_by": t["changed_by_id"],
              "new_changed_at": t["changed_at"],
              "new_rank": compute_sort_rank(t["urgency"], t["urgency_advice"],
                                            t["advice_dismissed"], t["waiting_since"])}
             for t in threads.values()])

    def _attachment_rows(self, message_id: int, communication: ParsedCommunication,
                         inline: dict[tuple[str, int], tuple[str, int]],
                         refused: dict[tuple[str, int], str], now: datetime
                         ) -> list[dict[str, Any]]:
        rows = []
        for attachment in communication.attachments:
            key = (communication.portal_id, attachment.position)
            sha256, size = inline.get(key, (None, None))
            if key in refused:
                # Refused on its own: the row says why; it is never fetched.
                rows.append({
                    "message_id": message_id, "position": attachment.position,
                    "title": attachment.title, "content_type": attachment.content_type,
                    "declared_size": attachment.declared_size,
                    "declared_sha1": attachment.declared_sha1, "url": None, "size": None,
                    "sha256": None, "created": attachment.created, "stored_at": None,
                    "attempts": ATTEMPTS_FINAL, "error": refused[key][:500]})
                continue
            rows.append({
                "message_id": message_id, "position": attachment.position,
                "title": attachment.title, "content_type": attachment.content_type,
                "declared_size": attachment.declared_size,
                "declared_sha1": attachment.declared_sha1,
                "url": attachment.url if sha256 is None else None,
                "size": size,
                "sha256": sha256, "created": attachment.created,
                "stored_at": now if sha256 else None, "attempts": 0, "error": None})
        return rows

    def _insert_attachments(self, connection: Connection, messages, inline, refused, now
                            ) -> int:
        """Insert attachment rows; returns how many arrived inline (stored already)."""
        rows = [row for communication, message_id in messages
                for row in self._attachment_rows(message_id, communication, inline, refused,
                                                 now)]
        insert_many(connection, _ATTACHMENT, rows)
        return sum(1 for row in rows if row["sha256"])

    def _replace_changed_attachments(self, connection: Connection, message_id: int,
                                     communication: ParsedCommunication, inline, refused,
                                     now) -> int:
        current = {(row.position, row.declared_sha1, row.declared_size, row.url) for row in
                   connection.execute(select(_ATTACHMENT).where(
                       _ATTACHMENT.c.message_id == message_id))}
        incoming = {(row["position"], row["declared_sha1"], row["declared_size"], row["url"])
                    for row in self._attachment_rows(message_id, communication, inline, refused,
                                                     now)}
        if current != incoming or any(row[3] is None and row[1] is None for row in incoming):
            connection.execute(_ATTACHMENT.delete().where(_ATTACHMENT.c.message_id == message_id))
            return self._insert_attachments(connection, [(communication, message_id)], inline,
                                            refused, now)
        return 0


class _Existing(NamedTuple):
    portal_id: str
    portal_version: str
    id: int
    econsult_id: int


def _photo_count(communication: ParsedCommunication) -> int:
    return sum(1 for a in communication.attachments
               if (a.content_type or "").startswith("image/"))



def _message_problems(communication: ParsedCommunication, refused: dict[tuple[str, int], str],
                      future: set[str]) -> list[str]:
    problems = list(getattr(communication, "problems", None) or ())
    if any(key[0] == communication.portal_id for key in refused):
        problems.append("attachment_refused")
    if communication.portal_id in future:
        problems.append("future_dated")
    return problems
