"""Exactly-once bookkeeping (platform deliveries seen, scheduled messages claimed) and the audit log
(who touched which record: ids only, never content)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable, Sequence

from sqlalchemy import delete, update
from sqlmodel import Session, select

from core.records import AuditEntry
from storage.models import AuditEvent, ProcessedEvent, SentNotification
from storage.records import insert_ignoring


class SqlLedger:
    def __init__(self, session: Session):
        self.s = session

    def claim_event(self, event_key: str) -> bool:
        """True the first time a platform delivery is seen; False for a redelivery."""
        values = {"event_key": event_key, "created_at": datetime.now(timezone.utc)}
        row = self.s.exec(insert_ignoring(self.s, ProcessedEvent, values, "event_key").returning(ProcessedEvent.id)).first()
        return row is not None

    def forget_events_before(self, before: datetime) -> int:
        """Drop delivery ids older than any platform redelivers (Telegram: a day; Slack: minutes)."""
        return self.s.exec(delete(ProcessedEvent).where(ProcessedEvent.created_at < before)).rowcount

    def claim_notification(self, therapist_id: int, kind: str, key: str) -> bool:
        return bool(self.claim_notifications(kind, [(therapist_id, key)]))

    def claim_notifications(self, kind: str, pairs: Sequence[tuple[int, str]]) -> set[tuple[int, str]]:
        """Claim many (therapist, key) at once; returns those this caller won (500 rows per statement:
        at 07:30 a whole time zone's digests are claimed in the same tick)."""
        won: set[tuple[int, str]] = set()
        created = datetime.now(timezone.utc)
        pairs = list(pairs)
        for i in range(0, len(pairs), 500):
            rows = [{"therapist_id": t, "kind": kind, "key": k, "status": "claimed", "attempts": 0, "created_at": created}
                    for t, k in pairs[i:i + 500]]
            statement = insert_ignoring(self.s, SentNotification, rows, "kind", "therapist_id", "key").returning(
                SentNotification.therapist_id, SentNotification.key
            )
            won.update((t, k) for t, k in self.s.exec(statement))
        return won

    def claimed(self, kind: str, keys: Iterable[str]) -> set[tuple[int, str]]:
        keys = sorted(set(keys))
        out: set[tuple[int, str]] = set()
        for i in range(0, len(keys), 900):
            rows = self.s.exec(
                select(SentNotification.therapist_id, SentNotification.key).where(
                    SentNotification.kind == kind, SentNotification.key.in_(keys[i:i + 900])
                )
            )
            out.update((t, k) for t, k in rows)
        return out

    def mark_notification(self, therapist_id: int, kind: str, key: str, status: str, attempts: int = 1) -> None:
        self.s.exec(
            update(SentNotification)
            .where(SentNotification.therapist_id == therapist_id, SentNotification.kind == kind, SentNotification.key == key)
            .values(status=status, attempts=attempts)
        )


class SqlAudit:
    def __init__(self, session: Session):
        self.s = session

    def record(self, therapist_id: int | None, actor: str, action: str, record_type: str, record_id: int | None = None) -> None:
        self.s.add(AuditEvent(therapist_id=therapist_id, actor=actor, action=action, record_type=record_type, record_id=record_id))

    def events(self, therapist_id: int) -> list[AuditEntry]:
        rows = self.s.exec(select(AuditEvent).where(AuditEvent.therapist_id == therapist_id).order_by(AuditEvent.id))
        return [AuditEntry(r.therapist_id, r.actor, r.action, r.record_type, r.record_id, r.at) for r in rows]
