"""Reading an .ics calendar within bounds: a 192-byte file with `RRULE:FREQ=MINUTELY` and no end describes
half a million sessions, and one with `FREQ=SECONDLY` once took 7.5 GB. So:

- series that repeat more often than daily (SECONDLY, MINUTELY, HOURLY, or several hours a day) are
  skipped and counted: no therapy session does that; so a series has at most one occurrence a day;
- occurrences are expanded over the window only, one series at a time, and reading stops with a clear
  error past `max_sessions` (nothing is stored then) or past `deadline_s` of work;
- dateutil's search for a rule's next date (which for "every 30 February" runs to year 9999, seconds
  per series) stops a century ahead;
- a file over the size limit is refused before it is parsed.

Pure: no storage, no logging. core.schedule.calendar_import stores what this returns.
"""
from __future__ import annotations

import datetime as _datetime
import time
import types
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo

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
    """Timed, non-cancelled occurrences in [start, end). `tz` places floating times (no zone) in the
    therapist's zone. Raises CalendarError when the file is unreadable, too large, or describes too much."""
    import icalendar

    if len(data) > limits.max_bytes:
        raise CalendarError(f"it is larger than {limits.max_bytes / 1_048_576:.0f} MB")
    _bound_rule_search()
    reading = Reading()
    try:
        calendar = icalendar.Calendar.from_ical(data)
        by_uid: dict[str, list] = {}
        for component in calendar.walk("VEVENT"):
            by_uid.setdefault(str(component.get("UID", "")), []).append(component)
        reading.mentioned = set(by_uid)
        zones = calendar.walk("VTIMEZONE")
        began = time.monotonic()
        # One series at a time (a series and its moved occurrences share a UID), so the limits are checked
        # as it goes: recurring-ical-events' lazy `after()` re-reads every series per step (a 5,000-event
        # file took minutes) and `between()` over the whole file expands everything before returning.
        for uid, components in by_uid.items():
            if time.monotonic() - began > limits.deadline_s:
                raise CalendarError("it is too complex for me to read in time; nothing was changed")
            if any(_too_frequent(c) for c in components):
                reading.skipped += 1
                continue
            reading.events += _occurrences(uid, components, zones, tz, start, end)
            if len(reading.events) > limits.max_sessions:
                raise CalendarError(
                    f"it has more than {limits.max_sessions} sessions in the next {limits.days_ahead} days, more than "
                    "I take at once (ALLIANCE_CALENDAR_MAX_SESSIONS); nothing was changed")
    except CalendarError:
        raise
    except Exception as error:  # icalendar raises ValueError and friends on anything malformed
        raise CalendarError("it is not an iCalendar (.ics) calendar I can read") from error
    return reading


def _occurrences(uid: str, components: list, zones: list, tz: tzinfo, start: datetime, end: datetime) -> list[RawEvent]:
    import icalendar
    import recurring_ical_events

    recurring = len(components) > 1 or any(k in components[0] for k in ("RRULE", "RDATE", "RECURRENCE-ID"))
    if not recurring:  # a single event: no expansion needed
        event = _event(components[0], tz, recurring=False)
        ends = event.starts_at + timedelta(minutes=event.minutes) if event else None
        return [event] if event and event.starts_at < end and ends > start else []
    series = icalendar.Calendar()
    for component in (*zones, *components):
        series.add_component(component)
    found = (_event(c, tz, recurring=True) for c in recurring_ical_events.of(series, skip_bad_series=True).between(start, end))
    return [e for e in found if e is not None]


class _Century(types.ModuleType):
    """The datetime module as dateutil.rrule sees it, but with MAXYEAR a century from now: a rule with no
    possible date is given up on there instead of at year 9999 (measured: 2.8-6 s per such series)."""

    MAXYEAR = _datetime.date.today().year + 100

    def __getattr__(self, name):
        return getattr(_datetime, name)


def _bound_rule_search() -> None:
    from dateutil import rrule

    if not isinstance(rrule.datetime, _Century):
        rrule.datetime = _Century("datetime")


def _too_frequent(component) -> bool:
    """A rule repeating more often than daily: a sub-daily FREQ, or several hours/minutes a day."""
    rules = component.get("RRULE")
    for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
        if any(str(f).upper() in SUB_DAILY for f in rule.get("FREQ", [])):
            return True
        if any(len(rule.get(part, [])) > 1 for part in ("BYHOUR", "BYMINUTE", "BYSECOND")):
            return True
    return False


def _event(component, tz: tzinfo, recurring: bool) -> RawEvent | None:
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
    if recurring:
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
