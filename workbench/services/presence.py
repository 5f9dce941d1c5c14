"""Who has an e-consult open or is answering it, at which workstation: a heartbeat row each."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, and_, delete, not_, select
from sqlalchemy.dialects import postgresql, sqlite

from workbench.store.models import Practitioner, Presence
from workbench.store.timeutil import as_utc

log = logging.getLogger(__name__)

VIEWING = "viewing"
ANSWERING = "answering"
# A row lives this long unless renewed: a workstation that crashed or lost its network
# stops showing within half a minute; the heartbeat renews it three times in that span.
PRESENCE_SECONDS = 30
HEARTBEAT_SECONDS = 10
_IN_CHUNK = 1000  # ids per IN list (a page of the list is far smaller)


@dataclass(frozen=True)
class PresenceInfo:
    """Someone else has `econsult_id` open ("viewing") or is writing an answer ("answering")."""

    econsult_id: int
    practitioner_id: int
    name: str               # the practitioner's name, as the practice directory has it
    workstation: str
    activity: str           # VIEWING or ANSWERING
    since: datetime         # when they opened it
    until: datetime | None = None  # the row expires then unless the heartbeat renews it

    @property
    def answering(self) -> bool:
        return self.activity == ANSWERING


def _utc_now() -> datetime:
    return datetime.now(UTC)


class PresenceService:
    """Marks, renews and clears this workstation's presence rows and reads the others'.
    One open e-consult per person per workstation: marking one removes that person's rows
    at this workstation for any other. Expired rows count as absent; `purge` deletes them
    (and so tells the other workstations, through the change notification, that they ended)."""

    def __init__(self, engine: Engine, *, workstation: str | None = None,
                 clock: Callable[[], datetime] = _utc_now) -> None:
        self._engine = engine
        self._workstation = (workstation or socket.gethostname())[:100]
        self._clock = clock

    @property
    def workstation(self) -> str:
        return self._workstation

    def mark(self, econsult_id: int, user_id: int, activity: str = VIEWING) -> None:
        """`user_id` has `econsult_id` open here (or is answering it), for PRESENCE_SECONDS
        from now; a repeat renews it (the heartbeat) and keeps when it was opened."""
        if activity not in (VIEWING, ANSWERING):
            raise ValueError(f"unknown presence activity {activity!r}")
        now = self._clock()
        values = {"econsult_id": econsult_id, "practitioner_id": user_id,
                  "workstation": self._workstation, "activity": activity, "started_at": now,
                  "expires_at": now + timedelta(seconds=PRESENCE_SECONDS)}
        dialect = postgresql if self._engine.dialect.name == "postgresql" else sqlite
        insert = dialect.insert(Presence).values(**values)
        upsert = insert.on_conflict_do_update(
            index_elements=[Presence.econsult_id, Presence.practitioner_id,
                            Presence.workstation],
            set_={"activity": insert.excluded.activity,
                  "expires_at": insert.excluded.expires_at})
        with self._engine.begin() as connection:
            connection.execute(delete(Presence).where(
                Presence.practitioner_id == user_id,
                Presence.workstation == self._workstation,
                Presence.econsult_id != econsult_id))
            connection.execute(upsert)

    def clear(self, user_id: int, econsult_id: int | None = None) -> None:
        """`user_id` closed `econsult_id` here (None: whatever they had open here)."""
        statement = delete(Presence).where(Presence.practitioner_id == user_id,
                                           Presence.workstation == self._workstation)
        if econsult_id is not None:
            statement = statement.where(Presence.econsult_id == econsult_id)
        with self._engine.begin() as connection:
            connection.execute(statement)

    def others(self, econsult_id: int, user_id: int) -> list[PresenceInfo]:
        """Who else has `econsult_id` open now: everyone but `user_id` at this workstation
        (the same person at another workstation counts), answering first."""
        return self.active([econsult_id], user_id).get(econsult_id, [])

    def active(self, econsult_ids: Iterable[int], exclude_user_id: int | None = None
               ) -> dict[int, list[PresenceInfo]]:
        """Unexpired presence per e-consult among `econsult_ids` (a page of the list), without
        `exclude_user_id`'s own row at this workstation; e-consults nobody has open are left
        out. Within an e-consult, whoever is answering comes first, then by opening time."""
        wanted = sorted(set(econsult_ids))
        found: dict[int, list[PresenceInfo]] = {}
        if not wanted:
            return found
        now = self._clock()
        with self._engine.connect() as connection:
            for start in range(0, len(wanted), _IN_CHUNK):
                statement = (
                    select(Presence.econsult_id, Presence.practitioner_id, Practitioner.name,
                           Presence.workstation, Presence.activity, Presence.started_at,
                           Presence.expires_at)
                    .join(Practitioner, Practitioner.id == Presence.practitioner_id)
                    .where(Presence.econsult_id.in_(wanted[start:start + _IN_CHUNK]),
                           Presence.expires_at > now)
                    .order_by(Presence.econsult_id, Presence.started_at,
                              Presence.practitioner_id, Presence.workstation))
                if exclude_user_id is not None:
                    statement = statement.where(not_(and_(
                        Presence.practitioner_id == exclude_user_id,
                        Presence.workstation == self._workstation)))
                for row in connection.execute(statement):
                    found.setdefault(row[0], []).append(PresenceInfo(
                        econsult_id=row[0], practitioner_id=row[1], name=row[2],
                        workstation=row[3], activity=row[4], since=as_utc(row[5]),
                        until=as_utc(row[6])))
        for infos in found.values():
            infos.sort(key=lambda info: not info.answering)  # stable: opening time within
        return found

    def purge(self) -> int:
        """Delete the rows nobody renewed in time (a workstation that crashed or went off the
        network); how many went."""
        with self._engine.begin() as connection:
            removed = connection.execute(delete(Presence).where(
                Presence.expires_at <= self._clock())).rowcount or 0
        if removed:
            log.info("removed %s expired presence rows", removed)
        return removed
