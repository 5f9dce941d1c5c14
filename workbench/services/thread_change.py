"""A patient's or our own new message's effect on its thread's row: shared by the portal
pull (services/sync.py) and the mail import (services/mail_import.py)."""

from __future__ import annotations

from typing import Any

from workbench.store.models import ConsultStatus
from workbench.store.timeutil import as_utc


def thread_change(thread: dict[str, Any], change: dict[str, Any]) -> None:
    """A reply's effect on its thread's row (a dict of its columns): the newest patient
    message, photos, answered time, since when the patient waits, unread; a patient's reply
    after an answer or closing brings the thread back to the inbox."""
    thread["photo_count"] += change["photos"]
    sent, answered = change["sent"], as_utc(thread["answered_at"])
    if change["incoming"]:
        if sent > as_utc(thread["last_patient_message_at"]):
            thread["last_patient_message_at"] = sent
        if answered is None or sent > answered:
            # The newest change: the patient wrote (an answer being written is stale).
            thread.update(change_kind="patient_wrote", changed_by_id=None, changed_at=sent)
            thread["unread"] = True
            if thread["waiting_since"] is None:
                thread["waiting_since"] = sent
            if thread["status"] in (ConsultStatus.WAITING, ConsultStatus.CLOSED):
                thread["status"], thread["assignee_id"] = ConsultStatus.INBOX, None
            thread["follow_up_at"] = None  # the patient answered the follow-up
    elif answered is None or sent > answered:
        thread["answered_at"] = sent
        waiting = as_utc(thread["waiting_since"])
        if waiting is not None and sent >= waiting:
            thread["waiting_since"] = None
