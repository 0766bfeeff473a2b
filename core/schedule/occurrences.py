"""Weekly series expanded into sessions, in the therapist's local wall time: a 15:00 session stays at
15:00 across a daylight-saving change. Pure: works on any record with the appointment's attributes."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

from core.records import Occurrence


def expand_occurrences(row, start: datetime, end: datetime, tz: tzinfo, therapist_id: int | None = None) -> list[Occurrence]:
    """Sessions of one appointment starting in [start, end). `row` has id, client_id, starts_at, weekly,
    until and source (an AppointmentRecord, or a plain column row)."""
    first = row.starts_at if row.starts_at.tzinfo else row.starts_at.replace(tzinfo=timezone.utc)
    therapist_id = therapist_id if therapist_id is not None else getattr(row, "therapist_id", None)
    if not row.weekly:
        if start <= first < end:
            return [Occurrence(row.id, row.client_id, first, False, row.source, therapist_id)]
        return []
    until = row.until if row.until is None or row.until.tzinfo else row.until.replace(tzinfo=timezone.utc)
    wall = first.astimezone(tz).replace(tzinfo=None)
    weeks = max(0, (start - first).days // 7 - 1)
    out = []
    while True:
        at = (wall + timedelta(weeks=weeks)).replace(tzinfo=tz).astimezone(timezone.utc)
        if at >= end:
            return out
        if at >= start and (until is None or at <= until):
            out.append(Occurrence(row.id, row.client_id, at, True, row.source, therapist_id))
        weeks += 1
