"""Composing many therapists' digests at once (the 07:30 tick, when a whole time zone's digests fall due).

`Assistant.digest` costs ~8 queries per therapist (sessions, clients, then notes client by client); at
10,000 therapists that is 80,000 round trips. Here one chunk of therapists costs three queries —
appointments, clients, notes — and only the notes the digest reads are decrypted (the last few sessions
before the day). The composition itself is core.schedule.digest's, so both paths give the same Digest.

Tenant scoping is kept row by row: every row is grouped under (therapist id, client id) as stored, and an
appointment only ever looks up notes and names under its own therapist's id.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Iterable, Sequence

from sqlalchemy import func
from sqlmodel import select

from core.schedule.digest import RECENT_SESSIONS_FOR_FLAGS, compose_digest
from core.schedule.notifications import zone
from core.types import Digest, NoteDraft
from storage.schedule import expand_occurrences
from storage.models import Appointment, Client, Note, Therapist

if TYPE_CHECKING:
    from core.service import Assistant

CHUNK = 500  # therapists per round of queries (keeps IN lists well under SQLite's variable limit)
UNASSIGNED = "Unassigned session"
# Plain column rows instead of ORM objects (a third of the time at 10,000 therapists); they carry the
# attributes the store's own _expand and _draft read, so expansion and decryption stay the store's.
APPOINTMENT_COLUMNS = (
    Appointment.id, Appointment.therapist_id, Appointment.client_id, Appointment.starts_at,
    Appointment.weekly, Appointment.until, Appointment.source,
)
NOTE_COLUMNS = (
    Note.id, Note.therapist_id, Note.client_id, Note.session_date, Note.format, Note.status, Note.version,
    Note.content_enc,
)



def compose_digests(service: "Assistant", wanted: Iterable[tuple[int, date]]) -> dict[int, Digest]:
    """Digest per therapist for the given (therapist id, local day) pairs."""
    by_day: dict[date, list[int]] = defaultdict(list)
    for therapist_id, day in dict(wanted).items():
        by_day[day].append(therapist_id)
    timezones = _timezones(service, {t for ids in by_day.values() for t in ids})
    out: dict[int, Digest] = {}
    for day, ids in by_day.items():
        for i in range(0, len(ids), CHUNK):
            out.update(_chunk(service, day, ids[i:i + CHUNK], timezones))
    return out


def _chunk(service: "Assistant", day: date, ids: Sequence[int], timezones: dict[int, str]) -> dict[int, Digest]:
    store, cipher = service.store, service.store.cipher
    windows = {}
    for therapist_id in ids:
        tz = zone(timezones.get(therapist_id, "UTC"))
        start = datetime.combine(day, time.min, tz)
        windows[therapist_id] = (tz, start, start + timedelta(days=1))
    earliest = min(w[1] for w in windows.values())
    latest = max(w[2] for w in windows.values())
    with store.session() as s:
        rows = s.exec(
            select(*APPOINTMENT_COLUMNS).where(
                Appointment.therapist_id.in_(ids),
                Appointment.cancelled.is_(False),
                Appointment.starts_at < latest,
                Appointment.weekly.is_(True) | (Appointment.starts_at >= earliest),
            )
        )
        sessions: dict[int, list] = defaultdict(list)
        for row in rows:
            tz, start, end = windows[row.therapist_id]
            sessions[row.therapist_id].extend(expand_occurrences(row, start, end, tz))
        client_ids = {o.client_id for occ in sessions.values() for o in occ if o.client_id is not None}
        names = _names(s, cipher, ids, client_ids)
        notes = _recent_notes(s, store, ids, client_ids, day)
    out = {}
    for therapist_id, (tz, _, _) in windows.items():
        occurrences = sorted(sessions.get(therapist_id, ()), key=lambda o: (o.starts_at, o.appointment_id))
        out[therapist_id] = compose_digest(
            therapist_id,
            day,
            tz,
            [(o.appointment_id, names.get((therapist_id, o.client_id), UNASSIGNED), o.starts_at) for o in occurrences],
            lambda client_id, t=therapist_id: notes.get((t, client_id), ()),
            [o.client_id for o in occurrences],
        )
    return out


def _timezones(service: "Assistant", therapist_ids: set[int]) -> dict[int, str]:
    out = {}
    with service.store.session() as s:
        for part in _in_chunks(therapist_ids):
            out.update(s.exec(select(Therapist.id, Therapist.timezone).where(Therapist.id.in_(part))).all())
    return out


def _in_chunks(values: Iterable[int], size: int = 900):
    values = sorted(values)
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _names(s, cipher, therapist_ids, client_ids) -> dict[tuple[int, int], str]:
    names = {}
    for part in _in_chunks(client_ids):
        rows = s.exec(
            select(Client.id, Client.therapist_id, Client.name_enc).where(Client.therapist_id.in_(therapist_ids), Client.id.in_(part))
        )
        for client_id, therapist_id, name_enc in rows:
            names[(therapist_id, client_id)] = cipher.decrypt(name_enc)
    return names


def _recent_notes(s, store, therapist_ids, client_ids, day: date) -> dict[tuple[int, int], list[NoteDraft]]:
    """Each client's last few final notes before `day` (oldest first), decrypted: all compose_item reads.
    A window function picks them in the database, so a long history is neither loaded nor decrypted."""
    out: dict[tuple[int, int], list[NoteDraft]] = defaultdict(list)
    for part in _in_chunks(client_ids):
        ranked = (
            select(
                Note.id,
                func.row_number()
                .over(partition_by=(Note.therapist_id, Note.client_id), order_by=(Note.session_date.desc(), Note.id.desc()))
                .label("rank"),
            )
            .where(
                Note.therapist_id.in_(therapist_ids),
                Note.client_id.in_(part),
                Note.status == "final",
                Note.session_date < day,
            )
            .subquery()
        )
        rows = s.exec(
            select(*NOTE_COLUMNS).join(ranked, Note.id == ranked.c.id).where(ranked.c.rank <= RECENT_SESSIONS_FOR_FLAGS)
            .order_by(Note.session_date, Note.id)
        )
        for row in rows:
            out[(row.therapist_id, row.client_id)].append(store.draft_from_row(row))
    return out
