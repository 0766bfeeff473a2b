"""Hostile calendars: series repeating every second or minute forever, more sessions than the limit, a
3 MB title, an oversized or malformed file. Each gets a clear message; a refused file changes nothing
(the sessions already imported stay exactly as they were)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from core.schedule.calendar_import import CalendarError, import_ics
from tests import support
from tests.core.helpers_schedule import FakeClock, therapist

NOW = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)


def event(uid: str, start: datetime, *, rule: str = "", title: str = "Maya T.") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:{title}\r\n"
            f"DTSTART:{start:%Y%m%dT%H%M%SZ}\r\nDTEND:{start + timedelta(minutes=50):%Y%m%dT%H%M%SZ}\r\n"
            + (f"RRULE:{rule}\r\n" if rule else "") + "END:VEVENT\r\n")


def calendar(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Invented//Hostile//EN\r\n" + "".join(events)
            + "END:VCALENDAR\r\n").encode()


WEEKLY = event("weekly-maya", NOW + timedelta(days=1), rule="FREQ=WEEKLY;COUNT=4")


@pytest.fixture
def practice(make_service):
    service = make_service(clock=FakeClock(NOW), calendar_max_sessions=50)
    tid = therapist(service, "Dr. Ines Varga", tz="UTC")
    support.add_client(service, tid, "Maya Thompson")
    assert import_ics(service.ctx, tid, calendar(WEEKLY)).added == 4
    return service, tid


def stored(service, tid):
    return [(a.starts_at, a.client_id, a.cancelled) for a in support.appointments(service, tid, source="ics", include_cancelled=True)]


@pytest.mark.parametrize("rule", ["FREQ=MINUTELY", "FREQ=SECONDLY", "FREQ=HOURLY;INTERVAL=1", "FREQ=DAILY;BYHOUR=9,10,11"])
def test_series_repeating_more_often_than_daily_are_skipped_and_said(practice, rule):
    service, tid = practice
    result = import_ics(service.ctx, tid, calendar(WEEKLY, event("flood", NOW, rule=rule)))
    assert (result.added, result.updated, result.skipped) == (0, 0, 1)
    assert "1 event(s) skipped: they repeat more often than daily" in result.summary()
    assert len(stored(service, tid)) == 4


def test_more_sessions_than_the_limit_are_refused_and_nothing_changes(practice):
    service, tid = practice
    before = stored(service, tid)
    many = [event(f"single-{i}", NOW + timedelta(hours=2 * i + 1)) for i in range(60)]
    with pytest.raises(CalendarError, match=r"more than 50 sessions in the next 180 days.*nothing was changed"):
        import_ics(service.ctx, tid, calendar(*many))
    daily_forever = event("daily", NOW + timedelta(hours=3), rule="FREQ=DAILY")  # 180 days of it: over 50
    with pytest.raises(CalendarError, match="ALLIANCE_CALENDAR_MAX_SESSIONS"):
        import_ics(service.ctx, tid, calendar(daily_forever))
    assert stored(service, tid) == before


def test_a_daily_series_without_end_stops_at_the_window(make_service):
    service = make_service(clock=FakeClock(NOW), calendar_days=30)
    tid = therapist(service, "Dr. Ines Varga", tz="UTC")
    result = import_ics(service.ctx, tid, calendar(event("daily", NOW + timedelta(hours=3), rule="FREQ=DAILY")))
    assert result.added == 30


def test_a_rule_with_no_possible_date_is_given_up_on_a_century_ahead(practice):
    from dateutil import rrule

    service, tid = practice
    feb30 = event("feb30", NOW + timedelta(days=2), rule="FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")
    assert import_ics(service.ctx, tid, calendar(WEEKLY, feb30)).added == 1  # its first date, nothing after
    assert rrule.datetime.MAXYEAR < NOW.year + 200  # not year 9999: seconds per such series (bench_hostile_ics)


def test_a_huge_title_is_cut_to_a_title(practice):
    service, tid = practice
    result = import_ics(service.ctx, tid, calendar(event("long", NOW + timedelta(days=3), title="Maya " + "A" * 3_000_000)))
    assert result.added == 1
    assert max(len(a.title or "") for a in support.appointments(service, tid, source="ics")) <= 200


def test_oversized_malformed_and_endless_files_get_a_clear_message(make_service):
    service = make_service(clock=FakeClock(NOW), calendar_max_mb=0.01, calendar_read_seconds=0.0)
    tid = therapist(service, "Dr. Ines Varga", tz="UTC")
    with pytest.raises(CalendarError, match="larger than"):
        import_ics(service.ctx, tid, calendar(event("big", NOW, title="x" * 20_000)))
    for junk in (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\nEND:VCALENDAR", b"\x00\xff" * 100, b""):
        with pytest.raises(CalendarError, match="not an iCalendar"):
            import_ics(service.ctx, tid, junk)
    with pytest.raises(CalendarError, match="too complex for me to read in time"):  # the work budget, spent at once
        import_ics(service.ctx, tid, calendar(WEEKLY))
    assert stored(service, tid) == []


async def test_a_calendar_file_in_the_chat_answers_with_the_reason(practice):
    from core.schedule.commands import calendar_file

    service, tid = practice
    reply = await calendar_file(service.ctx, support.W(tid), calendar(*[event(f"s{i}", NOW + timedelta(hours=i + 1)) for i in range(51)]))
    assert reply.text.startswith("I couldn't import that file: it has more than 50 sessions")
