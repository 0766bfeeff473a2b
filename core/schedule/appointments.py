"""Sessions on the therapist's calendar from chat and CLI: "/schedule Maya Thursday 15:00 weekly"."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

from core import roster
from core.context import Context, Who
from core.preferences import parse_hhmm
from core.types import Reply

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SCHEDULE_USAGE = "Try: /schedule Maya Thursday 15:00, or /schedule Daniel 2026-12-01 09:30 weekly."
MAX_YEARS_AHEAD = 5  # a start further out is a typo (9999-12-31), and near datetime's limits it overflows


def parse_when(words: list[str], today: date) -> tuple[date | None, str | None, int]:
    """Find a day and a time in the words; returns (day, HH:MM, index where the date starts)."""
    day, hhmm, start = None, None, len(words)
    for i, word in enumerate(words):
        low = word.lower().rstrip(",")
        found = _day(low, today)
        if found is not None and day is None:
            day, start = found, min(start, i)
            continue
        clock = parse_hhmm(low) if re.search(r"\d", low) else None
        if clock is not None and hhmm is None and (":" in low or low.endswith(("am", "pm")) or "h" in low):
            hhmm, start = clock, min(start, i)
        elif low in ("at", "on", "next", "this") and i + 1 < len(words):
            start = min(start, i)
    return day, hhmm, start


def _day(word: str, today: date) -> date | None:
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    if word == "yesterday":  # understood, so that it is refused as past rather than misread
        return today - timedelta(days=1)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
        try:
            return date.fromisoformat(word)
        except ValueError:
            return None
    for index, name in enumerate(WEEKDAYS):
        if word in (name, name[:3]):
            return today + timedelta(days=(index - today.weekday()) % 7 or 7)
    return None


def starts_at_for(ctx: Context, therapist_id: int, starts_local: datetime) -> datetime | None:
    """The start as an aware datetime in the therapist's zone, or None when no session can start then
    (years 1 and 9999 overflow when converted to UTC; more than MAX_YEARS_AHEAD ahead is a typo)."""
    tz = ctx.tz(therapist_id)
    starts_at = starts_local.replace(tzinfo=tz) if starts_local.tzinfo is None else starts_local
    try:
        in_utc = starts_at.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None
    if in_utc.year < 2000 or in_utc > ctx.clock.now() + timedelta(days=366 * MAX_YEARS_AHEAD):
        return None
    return starts_at


def is_past(ctx: Context, therapist_id: int, starts_local: datetime) -> bool:
    if starts_local.tzinfo is None:  # compared as wall-clock time: year 1 must not overflow on the way to UTC
        return starts_local < ctx.clock.now().astimezone(ctx.tz(therapist_id)).replace(tzinfo=None)
    starts_at = starts_at_for(ctx, therapist_id, starts_local)
    return starts_at is not None and starts_at < ctx.clock.now()


def add(ctx: Context, who: Who, client_name: str, starts_local: datetime, *, weekly: bool = False) -> Reply:
    """Schedule a session (a new name becomes a client). Raises the roster's typed errors."""
    starts_at = starts_at_for(ctx, who.therapist_id, starts_local)
    if starts_at is None:
        return Reply(f"I can't schedule a session on {starts_local.date().isoformat()}: give a date within the next {MAX_YEARS_AHEAD} years.")
    with ctx.uow() as uow:
        client = roster.find_or_create(uow, who.therapist_id, client_name, who.actor)
        appointment_id = uow.appointments.add(who.therapist_id, client.id, starts_at, weekly=weekly)
        uow.audit.record(who.therapist_id, who.actor, "write", "appointment", appointment_id)
        uow.commit()
    repeat = ", every week" if weekly else ""
    return Reply(f"Scheduled #{appointment_id}: {client.name}, {starts_at:%a %d %b %Y %H:%M}{repeat}.")


def schedule_from_text(ctx: Context, who: Who, text: str) -> Reply:
    words = text.split()
    weekly = any(w.lower() in ("weekly", "every-week") for w in words)
    words = [w for w in words if w.lower() not in ("weekly", "every-week")]
    day, hhmm, start = parse_when(words, ctx.today(who.therapist_id))
    name = " ".join(words[:start]).strip(" ,")
    if not name or day is None or hhmm is None:
        return Reply(_what_is_wrong(words) + SCHEDULE_USAGE)
    starts = datetime.combine(day, time.fromisoformat(hhmm))
    if is_past(ctx, who.therapist_id, starts):
        # A chat line is read in the moment: a past time is a slip ("yesterday", a wrong year), not a plan.
        return Reply(f"{starts:%a %d %b %Y %H:%M} has already passed, so I didn't schedule it. {SCHEDULE_USAGE}")
    return add(ctx, who, name, starts, weekly=weekly)


def _what_is_wrong(words: list[str]) -> str:
    """Name the word that looked like a date or time but isn't one ("2026-02-30", "25:00")."""
    for word in words:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
            try:
                date.fromisoformat(word)
            except ValueError:
                return f"There is no date {word}. "
        elif re.fullmatch(r"\d{1,2}[:.h]\d{2}|\d{1,2}(:\d{2})?\s*(am|pm)", word.lower()) and parse_hhmm(word) is None:
            return f"{word[:10]} isn't a time of day. "
    return ""


def list_text(ctx: Context, therapist_id: int, days: int = 14, assign_hint: str = "/assign {id} NAME") -> str:
    tz = ctx.tz(therapist_id)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        occurrences = uow.appointments.occurrences(therapist_id, now, now + timedelta(days=days), tz)
        names = {c.id: c.name for c in uow.clients.list(therapist_id)}
        titles = {a.id: a.title for a in uow.appointments.list(therapist_id) if a.client_id is None and a.title}
    if not occurrences:
        return f"No sessions in the next {days} days. {SCHEDULE_USAGE}"
    lines = [f"Sessions in the next {days} days:"]
    for o in occurrences:
        local = o.starts_at.astimezone(tz)
        weekly = " (weekly)" if o.weekly else ""
        who = names.get(o.client_id, "Unassigned")
        if o.client_id is None and o.appointment_id in titles:  # a calendar event no client matched
            who = f"Unassigned “{titles[o.appointment_id]}” — {assign_hint.format(id=o.appointment_id)}"
        lines.append(f"#{o.appointment_id} {local:%a %d %b %H:%M} {who}{weekly}")
    return "\n".join(lines)
