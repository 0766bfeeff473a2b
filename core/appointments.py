"""Sessions on the therapist's calendar from chat and CLI: "/schedule Maya Thursday 15:00 weekly"."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from core.settings_command import parse_hhmm
from core.types import Reply

if TYPE_CHECKING:
    from core.service import Assistant

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SCHEDULE_USAGE = "Try: /schedule Maya Thursday 15:00, or /schedule Daniel 2026-12-01 09:30 weekly."


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
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
        try:
            return date.fromisoformat(word)
        except ValueError:
            return None
    for index, name in enumerate(WEEKDAYS):
        if word in (name, name[:3]):
            return today + timedelta(days=(index - today.weekday()) % 7 or 7)
    return None


def add(service: "Assistant", therapist_id: int, client_name: str, starts_local: datetime, *, weekly: bool = False) -> Reply:
    client, problem = service.find_client(therapist_id, client_name)
    if client is None:
        if problem.startswith("Several"):
            return Reply(problem)
        client = service.store.add_client(therapist_id, " ".join(client_name.split()))
    tz = service.tz_for(therapist_id)
    starts_at = starts_local.replace(tzinfo=tz) if starts_local.tzinfo is None else starts_local
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
        return Reply(SCHEDULE_USAGE)
    starts = datetime.combine(day, time.fromisoformat(hhmm))
    return add(service, therapist_id, name, starts, weekly=weekly)


def list_text(service: "Assistant", therapist_id: int, days: int = 14) -> str:
    tz = service.tz_for(therapist_id)
    now = service.clock.now()
    occurrences = service.store.occurrences(therapist_id, now, now + timedelta(days=days), tz)
    if not occurrences:
        return f"No sessions in the next {days} days. {SCHEDULE_USAGE}"
    names = {c.id: c.name for c in service.store.clients(therapist_id)}
    lines = [f"Sessions in the next {days} days:"]
    for o in occurrences:
        local = o.starts_at.astimezone(tz)
        weekly = " (weekly)" if o.weekly else ""
        lines.append(f"#{o.appointment_id} {local:%a %d %b %H:%M} {names.get(o.client_id, 'Unassigned')}{weekly}")
    return "\n".join(lines)
