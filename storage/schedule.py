"""Calendar and delivery queries: appointments (weekly series expanded in local time), the
exactly-once ledgers for platform events and scheduled messages, calendar feeds. Mixed into Store,
so every method takes the therapist id first like the rest."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from storage.models import Appointment, CalendarFeed, ProcessedEvent, SentNotification


@dataclass(frozen=True)
class Occurrence:
    """One session on the calendar: a single appointment or one week of a weekly series."""

    appointment_id: int
    client_id: int | None
    starts_at: datetime  # aware UTC
    weekly: bool
    source: str

    @property
    def key(self) -> str:
        return f"{self.appointment_id}@{self.starts_at.strftime('%Y%m%dT%H%M')}"


class ScheduleQueries:
    """Needs `self.session()` and `self.cipher` from Store."""

    # ---- appointments --------------------------------------------------------------------------
    def add_appointment(
        self,
        therapist_id: int,
        client_id: int | None,
        starts_at: datetime,
        *,
        weekly: bool = False,
        duration_minutes: int = 50,
        source: str = "chat",
        external_uid: str | None = None,
        title: str | None = None,
    ) -> int:
        with self.session() as s:
            row = Appointment(
                therapist_id=therapist_id,
                client_id=client_id,
                starts_at=starts_at.astimezone(timezone.utc),
                weekly=weekly,
                duration_minutes=duration_minutes,
                source=source,
                external_uid=external_uid,
                title_enc=self.cipher.encrypt(title) if title else None,
            )
            s.add(row)
            s.commit()
            return row.id

    def cancel_appointment(self, therapist_id: int, appointment_id: int) -> bool:
        with self.session() as s:
            result = s.exec(
                update(Appointment)
                .where(Appointment.therapist_id == therapist_id, Appointment.id == appointment_id, Appointment.cancelled.is_(False))
                .values(cancelled=True)
            )
            s.commit()
            return result.rowcount == 1

    def appointments(self, therapist_id: int) -> list[Appointment]:
        with self.session() as s:
            return list(
                s.exec(
                    select(Appointment)
                    .where(Appointment.therapist_id == therapist_id, Appointment.cancelled.is_(False))
                    .order_by(Appointment.starts_at)
                )
            )

    def occurrences(self, therapist_id: int, start: datetime, end: datetime, tz: tzinfo = timezone.utc) -> list[Occurrence]:
        """Sessions starting in [start, end), weekly series expanded in local wall time (so a 15:00
        session stays at 15:00 across a daylight-saving change), in time order."""
        with self.session() as s:
            rows = s.exec(
                select(Appointment).where(
                    Appointment.therapist_id == therapist_id,
                    Appointment.cancelled.is_(False),
                    Appointment.starts_at < end,
                    (Appointment.weekly.is_(True)) | (Appointment.starts_at >= start),
                )
            )
            found = [occ for row in rows for occ in expand_occurrences(row, start, end, tz)]
        return sorted(found, key=lambda o: (o.starts_at, o.appointment_id))

    # ---- exactly-once ledgers ------------------------------------------------------------------
    def claim_event(self, event_key: str) -> bool:
        """True the first time a platform delivery is seen; False for a redelivery."""
        with self.session() as s:
            s.add(ProcessedEvent(event_key=event_key))
            try:
                s.commit()
                return True
            except IntegrityError:
                s.rollback()
                return False

    def forget_events_before(self, before: datetime) -> int:
        """Drop delivery ids older than any platform redelivers (Telegram: a day; Slack: minutes)."""
        with self.session() as s:
            result = s.exec(delete(ProcessedEvent).where(ProcessedEvent.created_at < before))
            s.commit()
            return result.rowcount

    def claim_notification(self, therapist_id: int, kind: str, key: str) -> bool:
        with self.session() as s:
            s.add(SentNotification(therapist_id=therapist_id, kind=kind, key=key))
            try:
                s.commit()
                return True
            except IntegrityError:
                s.rollback()
                return False

    def mark_notification(self, therapist_id: int, kind: str, key: str, status: str, attempts: int = 1) -> None:
        with self.session() as s:
            s.exec(
                update(SentNotification)
                .where(SentNotification.therapist_id == therapist_id, SentNotification.kind == kind, SentNotification.key == key)
                .values(status=status, attempts=attempts)
            )
            s.commit()

    # ---- calendar feeds (used by the scheduler) -------------------------------------------------
    def calendar_feeds(self, therapist_id: int) -> list[CalendarFeed]:
        with self.session() as s:
            return list(s.exec(select(CalendarFeed).where(CalendarFeed.therapist_id == therapist_id)))



def expand_occurrences(row: Appointment, start: datetime, end: datetime, tz: tzinfo) -> list[Occurrence]:
    first = row.starts_at if row.starts_at.tzinfo else row.starts_at.replace(tzinfo=timezone.utc)
    if not row.weekly:
        return [Occurrence(row.id, row.client_id, first, False, row.source)] if start <= first < end else []
    wall = first.astimezone(tz).replace(tzinfo=None)
    weeks = max(0, (start - first).days // 7 - 1)
    out = []
    while True:
        at = (wall + timedelta(weeks=weeks)).replace(tzinfo=tz).astimezone(timezone.utc)
        if at >= end:
            return out
        if at >= start and (row.until is None or at <= row.until):
            out.append(Occurrence(row.id, row.client_id, at, True, row.source))
        weeks += 1
