"""Appointments from the therapist's calendar: an uploaded .ics file or a subscribed ICS feed.

Events are expanded with recurring-ical-events over a horizon (recurring series, moved occurrences via
RECURRENCE-ID, EXDATE and STATUS:CANCELLED honoured) and stored as one Appointment row per occurrence
(source "ics"), keyed by a keyed hash of the event UID plus the occurrence's RECURRENCE-ID. One row per
occurrence keeps any RRULE a calendar can express exact, and gives each occurrence a stable id, so a
refresh updates rows in place and never re-sends a reminder that was already sent.

Titles hold initials or first names ("Maya T.", "MT session", "Intake - Priya"): they are matched to the
therapist's clients conservatively; an unmatched event is kept (title encrypted, client unset) and listed
for the therapist to assign, and the assignment then holds for the whole series.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Iterable, Sequence

from core import roster
from core.context import Context, Who
from core.language.client_match import ClientRecord, match_name
from core.ports import UnitOfWork
from core.records import AppointmentRecord
from core.schedule.ics_read import CalendarError, Limits, read_ics

__all__ = ["CalendarError", "CalendarEvent", "ImportResult", "import_ics", "parse_ics", "sync_events", "match_title",
           "unassigned", "unassigned_text", "assign"]

PAST_DAYS = 1  # a little behind, so today's earlier sessions stay in today's digest (ahead: settings.calendar_days)
STRONG = 88.0  # as sure as core.language.client_match is before filing a note without asking
MARGIN = 5.0

# Words calendar titles add around a name; never part of one.
FILLER = {
    "session", "sessions", "therapy", "appt", "appointment", "intake", "follow", "up", "followup", "consult",
    "consultation", "meeting", "call", "online", "video", "zoom", "teams", "phone", "in", "person", "with",
    "w", "and", "the", "for", "client", "patient", "moved", "rescheduled", "tentative", "new", "first",
    "couples", "couple", "family", "individual", "assessment", "review", "min", "mins", "minutes",
}


@dataclass(frozen=True)
class CalendarEvent:
    series: str  # keyed hash of the UID
    occurrence: str  # "-" for a single event, else the RECURRENCE-ID in UTC
    starts_at: datetime  # aware UTC
    minutes: int
    title: str

    @property
    def key(self) -> str:
        return f"{self.series}:{self.occurrence}"


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    cancelled: int = 0
    matched: int = 0
    unmatched: int = 0
    unmatched_ids: list[int] = field(default_factory=list)
    skipped: int = 0  # series repeating more often than daily

    def summary(self, assign_hint: str = "see /calendar to assign them") -> str:
        parts = [f"{self.added} new", f"{self.updated} updated", f"{self.cancelled} cancelled"]
        text = "Calendar imported: " + ", ".join(parts) + "."
        if self.skipped:
            text += f" {self.skipped} event(s) skipped: they repeat more often than daily, which no session does."
        if self.unmatched:
            text += f" {self.unmatched} session(s) I couldn't match to a client — {assign_hint}."
        return text


# ---- reading (pure, bounded: core.schedule.ics_read) -------------------------------------------------------
def parse_ics(
    data: bytes, index, tz: tzinfo, start: datetime, end: datetime, limits: Limits = Limits()
) -> tuple[list[CalendarEvent], set[str], int]:
    """(timed, non-cancelled occurrences starting in [start, end), every series the file mentions, how many
    series were skipped for repeating more often than daily). `index` hashes a UID (Cipher.index)."""
    reading = read_ics(data, tz, start, end, limits)
    events = [CalendarEvent(series=index(e.uid)[:32], occurrence=e.occurrence, starts_at=e.starts_at,
                            minutes=e.minutes, title=e.title) for e in reading.events]
    return events, {index(uid)[:32] for uid in reading.mentioned}, reading.skipped


def _initials(name: str) -> str:
    return "".join(part[0] for part in re.findall(r"[^\W\d_]+", name)).upper()


def match_title(title: str, clients: Sequence[ClientRecord]) -> ClientRecord | None:
    """The one client an event title names, or None when it names nobody or could be several."""
    words = [w.strip(".'’-") for w in re.findall(r"[^\W\d_][\w.'’-]*", title)]
    words = [w for w in words if w and w.lower() not in FILLER]
    if not words or not clients:
        return None
    # "MT", "M.T." -> initials of exactly one client.
    if len(words) == 1 and 2 <= len(words[0].replace(".", "")) <= 3 and words[0].replace(".", "").isupper():
        found = [c for c in clients if _initials(c.name) == words[0].replace(".", "")]
        return found[0] if len(found) == 1 else None
    candidates = [" ".join(words)] + (words if len(words) > 1 else [])
    for query in candidates:
        scored = match_name(query, clients)
        if not scored or scored[0][1] < STRONG:
            continue
        rivals = [c for c, s in scored[1:] if scored[0][1] - s < MARGIN]
        if rivals:
            return None  # "Maya" with two Mayas: ask, don't guess
        return scored[0][0]
    return None


# ---- storing ------------------------------------------------------------------------------------------
def _split_uid(external_uid: str | None) -> tuple[str, str]:
    """external_uid is "<scope>:<series>:<occurrence>"; returns (scope, "<series>:<occurrence>")."""
    scope, _, key = (external_uid or "").partition(":")
    return scope, key


def _series(row: AppointmentRecord) -> str:
    return _split_uid(row.external_uid)[1].split(":")[0]


def sync_events(
    uow: UnitOfWork,
    therapist_id: int,
    events: Iterable[CalendarEvent],
    *,
    scope: str,
    mentioned: set[str],
    window: tuple[datetime, datetime],
    authoritative: bool,
) -> ImportResult:
    """Upsert occurrences by UID; cancel stored ones that vanished. A feed is `authoritative` for its own
    scope (anything it no longer lists in the window is gone); a file only for the series it mentions."""
    clients = uow.clients.list(therapist_id)
    rows = uow.appointments.list(therapist_id, source="ics", include_cancelled=True)
    by_key = {_split_uid(r.external_uid)[1]: r for r in rows}
    series_client = {}
    for row in rows:
        if row.client_id is not None:
            series_client.setdefault(_series(row), row.client_id)
    result, seen = ImportResult(), set()
    matches: dict[str, ClientRecord | None] = {}
    for event in events:
        seen.add(event.key)
        row = by_key.get(event.key)
        client_id = row.client_id if row is not None and row.client_id is not None else series_client.get(event.series)
        if client_id is None:
            if event.title not in matches:
                matches[event.title] = match_title(event.title, clients)
            client_id = matches[event.title].id if matches[event.title] else None
        fields = dict(starts_at=event.starts_at, duration_minutes=event.minutes, cancelled=False, client_id=client_id,
                      external_uid=f"{scope}:{event.key}", title=event.title or None)
        if row is None:
            uow.appointments.add(therapist_id, client_id, event.starts_at, source="ics",
                                 **{k: v for k, v in fields.items() if k not in ("starts_at", "client_id")})
            result.added += 1
        elif (row.starts_at, row.duration_minutes, row.cancelled, row.client_id, row.title) != (
            event.starts_at, event.minutes, False, client_id, event.title or None
        ):
            uow.appointments.update(therapist_id, row.id, **fields)
            result.updated += 1
        result.matched += client_id is not None
        result.unmatched += client_id is None
    start, end = window
    for key, row in by_key.items():
        gone_from_feed = authoritative and _split_uid(row.external_uid)[0] == scope
        gone_from_file = key.split(":")[0] in mentioned
        if key in seen or row.cancelled or not (start <= row.starts_at < end) or not (gone_from_feed or gone_from_file):
            continue
        uow.appointments.update(therapist_id, row.id, cancelled=True)
        result.cancelled += 1
    result.unmatched_ids = [
        r.id for r in uow.appointments.list(therapist_id, source="ics")
        if _split_uid(r.external_uid)[1] in seen and r.client_id is None
    ]
    return result


def import_ics(
    ctx: Context, therapist_id: int, data: bytes, *, scope: str = "file", authoritative: bool = False
) -> ImportResult:
    """Import an .ics file (or a feed's body). Raises CalendarError when it cannot be read or describes more
    than the limits allow (then nothing is changed). Blocking: callers off the event loop run it in a thread."""
    now = ctx.clock.now()
    window = (now - timedelta(days=PAST_DAYS), now + timedelta(days=ctx.settings.calendar_days))
    tz = ctx.tz(therapist_id)
    with ctx.uow() as uow:
        index = uow.index
    events, mentioned, skipped = parse_ics(data, index, tz, *window, Limits.of(ctx.settings))  # no transaction open
    with ctx.uow() as uow:
        result = sync_events(uow, therapist_id, events, scope=scope, mentioned=mentioned, window=window,
                             authoritative=authoritative)
        result.skipped = skipped
        uow.audit.record(therapist_id, "system", "import", "calendar", None)
        uow.commit()
    return result


# ---- unmatched sessions and assigning them --------------------------------------------------------------
@dataclass(frozen=True)
class Unassigned:
    appointment_id: int
    title: str
    starts_at: datetime  # aware, therapist's zone
    more: int  # further upcoming occurrences of the same series


def unassigned(ctx: Context, therapist_id: int) -> list[Unassigned]:
    """Upcoming calendar sessions with no client, one line per series, soonest first."""
    now, tz = ctx.clock.now(), ctx.tz(therapist_id)
    with ctx.uow() as uow:
        rows = [r for r in uow.appointments.list(therapist_id, source="ics") if r.client_id is None and r.starts_at >= now]
    first: dict[str, AppointmentRecord] = {}
    counts: dict[str, int] = {}
    for row in rows:
        first.setdefault(_series(row), row)
        counts[_series(row)] = counts.get(_series(row), 0) + 1
    return [Unassigned(row.id, row.title or "(untitled)", row.starts_at.astimezone(tz), counts[s] - 1) for s, row in first.items()]


def unassigned_text(ctx: Context, therapist_id: int, how: str = "/assign NUMBER NAME") -> str:
    items = unassigned(ctx, therapist_id)
    if not items:
        return "Every upcoming calendar session has a client."
    lines = [f"Calendar sessions without a client (assign with {how}):"]
    for item in items:
        more = f" (+{item.more} more in the series)" if item.more else ""
        lines.append(f"#{item.appointment_id} {item.starts_at:%a %d %b %H:%M} “{item.title}”{more}")
    return "\n".join(lines)


def assign(ctx: Context, who: Who, appointment_id: int, client_name: str) -> str:
    """Give a calendar session (and the rest of its series) a client; a new name becomes a new client."""
    with ctx.uow() as uow:
        row = uow.appointments.get(who.therapist_id, appointment_id)
        if row is None:
            return "I couldn't find that session. See /calendar."
        client = roster.find_or_create(uow, who.therapist_id, client_name, who.actor)
        series = _series(row) if row.source == "ics" else None
        targets = [r for r in uow.appointments.list(who.therapist_id, source="ics", include_cancelled=True)
                   if series and _series(r) == series] or [row]
        for target in targets:
            uow.appointments.update(who.therapist_id, target.id, client_id=client.id)
        uow.audit.record(who.therapist_id, who.actor, "write", "appointment", appointment_id)
        uow.commit()
    return f"Assigned {len(targets)} session(s) to {client.name}."
