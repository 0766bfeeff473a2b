"""Appointments (weekly series expanded in local time by core.schedule.occurrences) and subscribed
calendar feeds. Calendar titles and feed URLs are stored encrypted."""
from __future__ import annotations

from datetime import datetime, timezone, tzinfo

from sqlalchemy import delete, update
from sqlmodel import Session, select

from core.schedule.occurrences import expand_occurrences
from core.records import AppointmentRecord, CalendarFeedRecord, Occurrence
from storage.crypto import Cipher
from storage.models import Appointment, CalendarFeed
from storage.records import in_chunks

# Plain columns, not ORM objects: every tick reads every weekly series (a third of the time at scale).
OCCURRENCE_COLUMNS = (
    Appointment.id, Appointment.therapist_id, Appointment.client_id, Appointment.starts_at,
    Appointment.weekly, Appointment.until, Appointment.source,
)


class SqlAppointments:
    def __init__(self, session: Session, cipher: Cipher):
        self.s, self.cipher = session, cipher

    def add(self, therapist_id: int, client_id: int | None, starts_at: datetime, *, title: str | None = None, **fields) -> int:
        row = Appointment(therapist_id=therapist_id, client_id=client_id, starts_at=starts_at.astimezone(timezone.utc),
                          title_enc=self.cipher.encrypt(title) if title else None, **fields)
        self.s.add(row)
        self.s.flush()
        return row.id

    def get(self, therapist_id: int, appointment_id: int) -> AppointmentRecord | None:
        row = self.s.exec(
            select(Appointment).where(Appointment.therapist_id == therapist_id, Appointment.id == appointment_id)
        ).first()
        return self._record(row) if row else None

    def list(self, therapist_id: int, *, source: str | None = None, include_cancelled: bool = False) -> list[AppointmentRecord]:
        query = select(Appointment).where(Appointment.therapist_id == therapist_id)
        if source:
            query = query.where(Appointment.source == source)
        if not include_cancelled:
            query = query.where(Appointment.cancelled.is_(False))
        return [self._record(r) for r in self.s.exec(query.order_by(Appointment.starts_at, Appointment.id))]

    def update(self, therapist_id: int, appointment_id: int, **fields) -> None:
        if "title" in fields:
            title = fields.pop("title")
            fields["title_enc"] = self.cipher.encrypt(title) if title else None
        if "starts_at" in fields:
            fields["starts_at"] = fields["starts_at"].astimezone(timezone.utc)
        self.s.exec(
            update(Appointment).where(Appointment.therapist_id == therapist_id, Appointment.id == appointment_id).values(**fields)
        )

    def cancel(self, therapist_id: int, appointment_id: int) -> bool:
        result = self.s.exec(
            update(Appointment)
            .where(Appointment.therapist_id == therapist_id, Appointment.id == appointment_id, Appointment.cancelled.is_(False))
            .values(cancelled=True)
        )
        return result.rowcount == 1

    def occurrences(self, therapist_id: int, start: datetime, end: datetime, tz: tzinfo) -> list[Occurrence]:
        """Sessions starting in [start, end), in time order."""
        return self.occurrences_for({therapist_id: tz}, start, end)

    def occurrences_for(self, zones: dict[int, tzinfo], start: datetime, end: datetime) -> list[Occurrence]:
        """The same for many therapists at once (each expanded in their own zone): the scheduler's read."""
        found = []
        for part in in_chunks(zones):
            rows = self.s.exec(
                select(*OCCURRENCE_COLUMNS).where(
                    Appointment.therapist_id.in_(part),
                    Appointment.cancelled.is_(False),
                    Appointment.starts_at < end,
                    Appointment.weekly.is_(True) | (Appointment.starts_at >= start),
                )
            )
            for row in rows:
                found.extend(expand_occurrences(row, start, end, zones[row.therapist_id]))
        return sorted(found, key=lambda o: (o.starts_at, o.appointment_id))

    def _record(self, row: Appointment) -> AppointmentRecord:
        return AppointmentRecord(
            id=row.id, client_id=row.client_id, starts_at=_aware(row.starts_at), duration_minutes=row.duration_minutes,
            weekly=row.weekly, until=_aware(row.until) if row.until else None, source=row.source,
            external_uid=row.external_uid, title=self.cipher.decrypt(row.title_enc), cancelled=row.cancelled,
        )

    # ---- calendar feeds -------------------------------------------------------------------------------
    def feeds(self, therapist_id: int | None = None) -> list[CalendarFeedRecord]:
        query = select(CalendarFeed)
        if therapist_id is not None:
            query = query.where(CalendarFeed.therapist_id == therapist_id)
        return [
            CalendarFeedRecord(r.id, r.therapist_id, self.cipher.decrypt(r.url_enc), _aware(r.last_loaded_at) if r.last_loaded_at else None,
                               r.last_error, r.error_reported)
            for r in self.s.exec(query.order_by(CalendarFeed.id))
        ]

    def add_feed(self, therapist_id: int, url: str) -> int:
        row = CalendarFeed(therapist_id=therapist_id, url_enc=self.cipher.encrypt(url))
        self.s.add(row)
        self.s.flush()
        return row.id

    def remove_feeds(self, therapist_id: int) -> int:
        return self.s.exec(delete(CalendarFeed).where(CalendarFeed.therapist_id == therapist_id)).rowcount

    def update_feed(self, feed_id: int, *, only_if_loaded_before: datetime | None = None,
                    only_if_unreported: bool = False, **fields) -> bool:
        """Compare-and-set: of two schedulers, one refreshes a feed and one reports its failure."""
        condition = [CalendarFeed.id == feed_id]
        if only_if_loaded_before is not None:
            condition.append(CalendarFeed.last_loaded_at.is_(None) | (CalendarFeed.last_loaded_at <= only_if_loaded_before))
        if only_if_unreported:
            condition.append(CalendarFeed.error_reported.is_(False))
        return self.s.exec(update(CalendarFeed).where(*condition).values(**fields)).rowcount == 1


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
