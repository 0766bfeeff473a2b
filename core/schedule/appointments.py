"""Sessions on the therapist's calendar from chat and CLI: "/schedule Maya Thursday 15:00 weekly"."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

from core.commands import client_name_problem, record_id
from core.preferences import parse_hhmm
from core.types import Reply

if TYPE_CHECKING:
    from core.service import Assistant

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


def starts_at_for(service: "Assistant", therapist_id: int, starts_local: datetime) -> datetime | None:
    """The start as an aware datetime in the therapist's zone, or None when no session can start then
    (years 1 and 9999 overflow when converted to UTC; more than MAX_YEARS_AHEAD ahead is a typo)."""
    tz = service.tz_for(therapist_id)
    starts_at = starts_local.replace(tzinfo=tz) if starts_local.tzinfo is None else starts_local
    try:
        in_utc = starts_at.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None
    if in_utc.year < 2000 or in_utc > service.clock.now() + timedelta(days=366 * MAX_YEARS_AHEAD):
        return None
    return starts_at


def is_past(service: "Assistant", therapist_id: int, starts_local: datetime) -> bool:
    if starts_local.tzinfo is None:  # compared as wall-clock time: year 1 must not overflow on the way to UTC
        return starts_local < service.clock.now().astimezone(service.tz_for(therapist_id)).replace(tzinfo=None)
    starts_at = starts_at_for(service, therapist_id, starts_local)
    return starts_at is not None and starts_at < service.clock.now()


def add(service: "Assistant", therapist_id: int, client_name: str, starts_local: datetime, *, weekly: bool = False) -> Reply:
    starts_at = starts_at_for(service, therapist_id, starts_local)
    if starts_at is None:
        return Reply(f"I can't schedule a session on {starts_local.date().isoformat()}: give a date within the next {MAX_YEARS_AHEAD} years.")
    client_name = " ".join(client_name.split())
    client, problem = service.find_client(therapist_id, client_name)
    if client is None:
        if problem.startswith("Several"):
            return Reply(problem)
        invalid = client_name_problem(client_name)  # this name is about to become a stored client
        if invalid:
            return Reply(invalid)
        client = service.store.add_client(therapist_id, client_name)
    appointment_id = service.store.add_appointment(therapist_id, client.id, starts_at, weekly=weekly)
    service.store.audit(therapist_id, "system", "write", "appointment", appointment_id)
    repeat = ", every week" if weekly else ""
    return Reply(f"Scheduled #{appointment_id}: {client.name}, {starts_at:%a %d %b %Y %H:%M}{repeat}.")


def schedule_from_text(service: "Assistant", therapist_id: int, text: str) -> Reply:
    words = text.split()
    weekly = any(w.lower() in ("weekly", "every-week") for w in words)
    words = [w for w in words if w.lower() not in ("weekly", "every-week")]
    day, hhmm, start = parse_when(words, service.today_for(therapist_id))
    name = " ".join(words[:start]).strip(" ,")
    if not name or day is None or hhmm is None:
        return Reply(_what_is_wrong(words) + SCHEDULE_USAGE)
    starts = datetime.combine(day, time.fromisoformat(hhmm))
    if is_past(service, therapist_id, starts):
        # A chat line is read in the moment: a past time is a slip ("yesterday", a wrong year), not a plan.
        return Reply(f"{starts:%a %d %b %Y %H:%M} has already passed, so I didn't schedule it. {SCHEDULE_USAGE}")
    return add(service, therapist_id, name, starts, weekly=weekly)


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


def list_text(service: "Assistant", therapist_id: int, days: int = 14) -> str:
    tz = service.tz_for(therapist_id)
    now = service.clock.now()
    occurrences = service.store.occurrences(therapist_id, now, now + timedelta(days=days), tz)
    if not occurrences:
        return f"No sessions in the next {days} days. {SCHEDULE_USAGE}"
    names = {c.id: c.name for c in service.store.clients(therapist_id)}
    titles = _calendar_titles(service, therapist_id, {o.appointment_id for o in occurrences if o.client_id is None})
    lines = [f"Sessions in the next {days} days:"]
    for o in occurrences:
        local = o.starts_at.astimezone(tz)
        weekly = " (weekly)" if o.weekly else ""
        who = names.get(o.client_id, "Unassigned")
        if o.appointment_id in titles:  # a calendar event no client matched: show its title to assign it
            who = f"Unassigned “{titles[o.appointment_id]}” — /assign {o.appointment_id} NAME"
        lines.append(f"#{o.appointment_id} {local:%a %d %b %H:%M} {who}{weekly}")
    return "\n".join(lines)


def _calendar_titles(service: "Assistant", therapist_id: int, appointment_ids: set[int]) -> dict[int, str]:
    if not appointment_ids:
        return {}
    cipher = service.store.cipher
    return {
        row.id: cipher.decrypt(row.title_enc)
        for row in service.store.appointments(therapist_id)
        if row.id in appointment_ids and row.title_enc is not None
    }


# ---- calendars from chat: "/calendar https://…", "/calendar", "/calendar off", "/assign 12 Maya" ----------
CALENDAR_USAGE = (
    "Send /calendar followed by your calendar's ICS address (https://… or webcal://…) to sync it, "
    "or send the .ics file itself. /calendar shows sessions without a client; /calendar off stops syncing."
)


async def calendar_command(service: "Assistant", therapist_id: int, args: str) -> Reply:
    from core.schedule import calendar_feeds as feeds
    from core.schedule.calendar_import import CalendarError, unassigned_text

    args = args.strip()
    if args.lower() in ("off", "stop", "remove"):
        count = feeds.remove_feeds(service, therapist_id)
        return Reply(f"Stopped syncing {count} calendar feed(s). Sessions already imported stay." if count else "No calendar feed to stop.")
    if args:
        try:
            feed_id = feeds.add_feed(service, therapist_id, args.split()[0])
        except CalendarError as error:
            return Reply(f"{str(error).capitalize()}. {CALENDAR_USAGE}")
        feed = next(f for f in feeds.feeds(service, therapist_id) if f.id == feed_id)
        result, _ = await feeds.refresh_feed(service, feed, service.clock.now(), force=True)
        if result is None:
            reason = next((f.last_error for f in feeds.feeds(service, therapist_id) if f.id == feed_id), None)
            return Reply(f"I saved the feed but couldn't load it: {reason or 'unknown error'}. I'll keep trying.")
        text = result.summary().replace("see /calendar to assign them.", "assign them below.")
        return Reply(text + ("\n\n" + unassigned_text(service, therapist_id) if result.unmatched else ""))
    count = len(feeds.feeds(service, therapist_id))
    head = f"Syncing {count} calendar feed(s)." if count else CALENDAR_USAGE
    return Reply(head + "\n\n" + unassigned_text(service, therapist_id))


async def calendar_file(service: "Assistant", therapist_id: int, data: bytes) -> Reply:
    """An .ics file sent in the chat."""
    from core.schedule.calendar_import import CalendarError, import_ics, unassigned_text

    try:
        result = import_ics(service, therapist_id, data)
    except CalendarError as error:
        return Reply(f"I couldn't import that file: {error}.")
    return Reply(result.summary() + ("\n\n" + unassigned_text(service, therapist_id) if result.unmatched else ""))


def assign_command(service: "Assistant", therapist_id: int, args: str) -> Reply:
    from core.schedule.calendar_import import assign

    number, _, name = args.strip().lstrip("#").partition(" ")
    appointment_id = record_id(number)
    if appointment_id is None or not name.strip():
        return Reply("Say which session and whose it is, e.g. /assign 12 Maya Thompson (numbers from /calendar).")
    return Reply(assign(service, therapist_id, appointment_id, name.strip()))
