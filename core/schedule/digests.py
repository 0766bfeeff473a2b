"""The prep digest for a therapist's day and the reminder before one session, read through the unit of
work and composed by core.schedule.digest (pure). `compose_digests` does many therapists at once with a
handful of batched reads — the 07:30 tick, when a whole time zone's digests fall due."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Iterable

from core.context import Context, zone
from core.replies import digest_text
from core.schedule.digest import NOTES_READ, compose_digest, compose_item
from core.types import Digest, DigestItem, Reply
from core.records import Occurrence

UNASSIGNED = "Unassigned session"
CHUNK = 500  # therapists per round of batched reads


def day_window(day: date, tz) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tz)
    return start, start + timedelta(days=1)


def digest_for(ctx: Context, therapist_id: int, day: date) -> Digest:
    tz = ctx.tz(therapist_id)
    with ctx.uow() as uow:
        occurrences = uow.appointments.occurrences(therapist_id, *day_window(day, tz), tz)
        names = {c.id: c.name for c in uow.clients.list(therapist_id)}
        return compose_digest(
            therapist_id, day, tz,
            [(o.appointment_id, names.get(o.client_id, UNASSIGNED), o.starts_at) for o in occurrences],
            lambda client_id: uow.notes.for_client(therapist_id, client_id),
            [o.client_id for o in occurrences],
            lambda client_id: uow.alliance.for_client(therapist_id, client_id),
        )


def digest_reply(digest: Digest) -> Reply:
    return Reply(digest_text(digest), digest=digest)


def reminder_item(ctx: Context, therapist_id: int, occurrence: Occurrence) -> DigestItem:
    tz = ctx.tz(therapist_id)
    with ctx.uow() as uow:
        client = uow.clients.get(therapist_id, occurrence.client_id) if occurrence.client_id else None
        notes = uow.notes.for_client(therapist_id, client.id) if client else []
        entries = uow.alliance.for_client(therapist_id, client.id) if client else []
    return compose_item(occurrence.appointment_id, client.name if client else UNASSIGNED, occurrence.starts_at.astimezone(tz),
                        notes, entries)


def compose_digests(ctx: Context, wanted: Iterable[tuple[int, date]]) -> dict[int, Digest]:
    """Digest per therapist for the given (therapist id, local day) pairs, item for item the same as
    digest_for's. Tenant scoping holds row by row: rows are grouped under their own therapist id."""
    by_day: dict[date, list[int]] = defaultdict(list)
    for therapist_id, day in dict(wanted).items():
        by_day[day].append(therapist_id)
    with ctx.uow() as uow:
        zones = {t.id: zone(t.timezone) for t in uow.therapists.all()}
        out: dict[int, Digest] = {}
        for day, ids in by_day.items():
            for i in range(0, len(ids), CHUNK):
                out.update(_chunk(uow, day, ids[i:i + CHUNK], zones))
    return out


def _chunk(uow, day: date, ids: list[int], zones: dict) -> dict[int, Digest]:
    windows = {t: day_window(day, zones.get(t, zone("UTC"))) for t in ids}
    earliest = min(w[0] for w in windows.values())
    latest = max(w[1] for w in windows.values())
    sessions: dict[int, list[Occurrence]] = defaultdict(list)
    for o in uow.appointments.occurrences_for({t: zones.get(t, zone("UTC")) for t in ids}, earliest, latest):
        start, end = windows[o.therapist_id]
        if start <= o.starts_at < end:
            sessions[o.therapist_id].append(o)
    client_ids = {o.client_id for occ in sessions.values() for o in occ if o.client_id is not None}
    names = uow.clients.names(ids, client_ids)
    notes = uow.notes.recent_for_clients(ids, client_ids, day, NOTES_READ)
    entries = uow.alliance.for_clients(ids, client_ids)
    out = {}
    for therapist_id in ids:
        occurrences = sessions.get(therapist_id, [])
        out[therapist_id] = compose_digest(
            therapist_id, day, zones.get(therapist_id, zone("UTC")),
            [(o.appointment_id, names.get((therapist_id, o.client_id), UNASSIGNED), o.starts_at) for o in occurrences],
            lambda client_id, t=therapist_id: notes.get((t, client_id), ()),
            [o.client_id for o in occurrences],
            lambda client_id, t=therapist_id: entries.get((t, client_id), ()),
        )
    return out
