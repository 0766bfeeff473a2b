"""Reading an .ics calendar within bounds: a 192-byte file with `RRULE:FREQ=MINUTELY` and no end describes
half a million sessions, and one with `FREQ=SECONDLY` once took 7.5 GB. So:

- series that repeat more often than daily (SECONDLY, MINUTELY, HOURLY) are skipped and counted: no
  therapy session does that;
- occurrences are expanded lazily, in time order, over the window only, and reading stops with a clear
  error past `max_sessions` (nothing is stored then) or past `deadline_s` of work;
- a file over the size limit is refused before it is parsed.

Pure: no storage, no logging. core.schedule.calendar_import stores what this returns.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo

SUB_DAILY = {"SECONDLY", "MINUTELY", "HOURLY"}
DEFAULT_MINUTES = 50
TITLE_CHARS = 200


class CalendarError(Exception):
    """A calendar could not be read. The message is safe to show and log: no URL, no content."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 5 * 1024 * 1024
    max_sessions: int = 2000
    deadline_s: float = 10.0
    days_ahead: int = 180  # for the message: the window itself is the caller's

    @classmethod
    def of(cls, settings) -> "Limits":
        return cls(int(settings.calendar_max_mb * 1024 * 1024), settings.calendar_max_sessions,
                   settings.calendar_read_seconds, settings.calendar_days)


@dataclass(frozen=True)
class RawEvent:
    uid: str
    occurrence: str  # "-" for a single event, else the RECURRENCE-ID in UTC
    starts_at: datetime  # aware UTC
    minutes: int
    title: str


@dataclass
class Reading:
    events: list[RawEvent] = field(default_factory=list)
    mentioned: set[str] = field(default_factory=set)  # every UID the file names
    skipped: int = 0  # series skipped for repeating more often than daily


def read_ics(data: bytes, tz: tzinfo, start: datetime, end: datetime, limits: Limits = Limits()) -> Reading:
    """Timed, non-cancelled occurrences starting in [start, end). `tz` places floating times (no zone) in the
    therapist's zone. Raises CalendarError when the file is unreadable, too large, or describes too much."""
    import icalendar
    import recurring_ical_events

    if len(data) > limits.max_bytes:
        raise CalendarError(f"it is larger than {limits.max_bytes / 1_048_576:.0f} MB")
    began = time.monotonic()
    reading, recurring = Reading(), set()
    try:
        calendar = icalendar.Calendar.from_ical(data)
        for component in list(calendar.walk("VEVENT")):
            uid = str(component.get("UID", ""))
            reading.mentioned.add(uid)
            if _sub_daily(component):
                _remove(calendar, component)
                reading.skipped += 1
                continue
            if any(k in component for k in ("RRULE", "RDATE", "RECURRENCE-ID")):
                recurring.add(uid)
        for component in recurring_ical_events.of(calendar, skip_bad_series=True).after(start):
            if time.monotonic() - began > limits.deadline_s:
                raise CalendarError("it is too complex for me to read in time; nothing was changed")
            event = _event(component, tz, recurring)
            if event is None:
                continue
            if event.starts_at >= end:
                break
            reading.events.append(event)
            if len(reading.events) > limits.max_sessions:
                raise CalendarError(
                    f"it has more than {limits.max_sessions} sessions in the next {limits.days_ahead} days, more than I take at "
                    "once (ALLIANCE_CALENDAR_MAX_SESSIONS); nothing was changed")
    except CalendarError:
        raise
    except Exception as error:  # icalendar raises ValueError and friends on anything malformed
        raise CalendarError("it is not an iCalendar (.ics) calendar I can read") from error
    return reading


def _sub_daily(component) -> bool:
    rules = component.get("RRULE")
    for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
        if any(str(f).upper() in SUB_DAILY for f in rule.get("FREQ", [])):
            return True
    return False


def _remove(calendar, component) -> None:
    for parent in [calendar, *calendar.subcomponents]:
        if component in parent.subcomponents:
            parent.subcomponents.remove(component)
            return


def _event(component, tz: tzinfo, recurring: set[str]) -> RawEvent | None:
    if str(component.get("STATUS", "")).upper() == "CANCELLED":
        return None
    begins = component["DTSTART"].dt
    if not isinstance(begins, datetime):
        return None  # all-day entries (holidays, conferences) are not sessions
    begins = begins if begins.tzinfo else begins.replace(tzinfo=tz)
    uid = str(component.get("UID", ""))
    try:
        ends = component.end
        ends = ends if ends.tzinfo else ends.replace(tzinfo=tz)
        minutes = int((ends - begins).total_seconds() // 60)
    except Exception:
        minutes = DEFAULT_MINUTES
    occurrence = "-"
    if uid in recurring:
        rid = component["RECURRENCE-ID"].dt
        rid = rid if not isinstance(rid, datetime) or rid.tzinfo else rid.replace(tzinfo=tz)
        occurrence = rid.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S") if isinstance(rid, datetime) else rid.isoformat()
    return RawEvent(
        uid=uid,
        occurrence=occurrence,
        starts_at=begins.astimezone(timezone.utc),
        minutes=min(max(minutes, 5), 600) if minutes > 0 else DEFAULT_MINUTES,
        title=str(component.get("SUMMARY", ""))[:TITLE_CHARS * 4].strip()[:TITLE_CHARS],
    )
