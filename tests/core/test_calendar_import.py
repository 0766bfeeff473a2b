"""Appointments from an ICS file or feed: recurring series, moved occurrences, EXDATE and STATUS:CANCELLED
honoured; titles matched to clients; unmatched sessions listed and assigned; feeds re-synced by UID and
a failing feed reported once. Feeds are served by a local HTTP server on 127.0.0.1."""
from __future__ import annotations

import http.server
import logging
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from core.schedule.calendar_feeds import (
    UNREACHABLE, FeedPolicy, add_feed, fetch_ics, refresh_feed, refresh_feeds, remove_feeds,
)
from core.schedule.calendar_import import CalendarError, assign, import_ics, match_title, unassigned, unassigned_text
from core.language.client_match import ClientRecord
from tests.core.helpers_schedule import FakeClock, local, therapist
from tests import support

FIXTURE = (Path(__file__).parent.parent / "fixtures" / "practice.ics").read_bytes()
BERLIN = "Europe/Berlin"
# The local feed server is on 127.0.0.1 over http: allowed only because the settings name it.
LOCAL_FEEDS = {"calendar_allow_http": True, "calendar_allow_hosts": "127.0.0.1"}


def sessions(service, therapist_id):
    """(local time, client name or title) of every stored session in November and December 2026."""
    tz = service.ctx.tz(therapist_id)
    names = {c.id: c.name for c in support.clients(service, therapist_id)}
    found = support.occurrences(service, therapist_id, local(BERLIN, 2026, 11, 1), local(BERLIN, 2027, 1, 1), tz)
    return [(o.starts_at.astimezone(tz).strftime("%a %d %b %H:%M"), names.get(o.client_id)) for o in found]


@pytest.fixture
def practice(make_service):
    service = make_service(clock=FakeClock(local(BERLIN, 2026, 11, 1, 8, 0)), **LOCAL_FEEDS)
    tid = therapist(service, "Dr. Ines Varga", tz=BERLIN)
    support.add_client(service, tid, "Maya Thompson")
    support.add_client(service, tid, "Daniel Okafor")
    return service, tid


def test_file_with_series_exception_and_cancellations(practice):
    service, tid = practice
    result = import_ics(service.ctx, tid, FIXTURE)
    assert (result.added, result.updated, result.cancelled, result.unmatched) == (6, 0, 0, 1)
    assert sessions(service, tid) == [
        ("Tue 03 Nov 10:00", "Maya Thompson"),
        ("Thu 05 Nov 09:00", "Daniel Okafor"),  # "DO session": initials
        ("Tue 10 Nov 10:00", "Maya Thompson"),
        ("Tue 10 Nov 16:00", None),  # "Intake - Priya": nobody by that name yet
        # 17 Nov: EXDATE. 24 Nov: moved to Thursday 26th 14:00 by a RECURRENCE-ID exception.
        ("Thu 26 Nov 14:00", "Maya Thompson"),
        # 1 Dec: the occurrence is STATUS:CANCELLED. 6 Nov: a cancelled single event. 12 Nov: all-day.
        ("Tue 08 Dec 10:00", "Maya Thompson"),
    ]
    # Importing the same file again changes nothing and keeps the ids (no reminder is re-sent).
    before = {o.key for o in support.occurrences(service, tid, local(BERLIN, 2026, 11, 1), local(BERLIN, 2027, 1, 1))}
    again = import_ics(service.ctx, tid, FIXTURE)
    assert (again.added, again.updated, again.cancelled) == (0, 0, 0)
    after = {o.key for o in support.occurrences(service, tid, local(BERLIN, 2026, 11, 1), local(BERLIN, 2027, 1, 1))}
    assert before == after


def test_reimport_applies_new_cancellations_and_moves_in_place(practice):
    service, tid = practice
    import_ics(service.ctx, tid, FIXTURE)
    moved_id = next(o.appointment_id for o in support.occurrences(service, tid, local(BERLIN, 2026, 11, 26), local(BERLIN, 2026, 11, 27)))
    changed = (
        FIXTURE.replace(b"EXDATE;TZID=Europe/Berlin:20261117T100000", b"EXDATE;TZID=Europe/Berlin:20261117T100000,20261208T100000")
        .replace(b"DTSTART;TZID=Europe/Berlin:20261126T140000", b"DTSTART;TZID=Europe/Berlin:20261126T150000")
        .replace(b"DTEND;TZID=Europe/Berlin:20261126T145000", b"DTEND;TZID=Europe/Berlin:20261126T155000")
    )
    result = import_ics(service.ctx, tid, changed)
    assert (result.added, result.updated, result.cancelled) == (0, 1, 1)
    times = [t for t, _ in sessions(service, tid)]
    assert "Tue 08 Dec 10:00" not in times and "Thu 26 Nov 15:00" in times
    assert next(o.appointment_id for o in support.occurrences(service, tid, local(BERLIN, 2026, 11, 26), local(BERLIN, 2026, 11, 27))) == moved_id


def test_unmatched_sessions_are_listed_and_assigned_for_the_series(practice):
    service, tid = practice
    import_ics(service.ctx, tid, FIXTURE)
    [item] = unassigned(service.ctx, tid)
    assert item.title == "Intake - Priya" and item.starts_at.strftime("%H:%M") == "16:00"
    assert f"#{item.appointment_id} Tue 10 Nov 16:00 “Intake - Priya”" in unassigned_text(service.ctx, tid)
    assert assign(service.ctx, support.W(tid), item.appointment_id, "Priya Raman") == "Assigned 1 session(s) to Priya Raman."
    assert unassigned(service.ctx, tid) == []
    assert ("Tue 10 Nov 16:00", "Priya Raman") in sessions(service, tid)
    # The calendar still says "Intake - Priya"; a refresh keeps the therapist's choice.
    import_ics(service.ctx, tid, FIXTURE)
    assert ("Tue 10 Nov 16:00", "Priya Raman") in sessions(service, tid)
    # Reassigning one occurrence of a series moves the whole series.
    maya_first = support.occurrences(service, tid, local(BERLIN, 2026, 11, 3), local(BERLIN, 2026, 11, 4))[0]
    assert assign(service.ctx, support.W(tid), maya_first.appointment_id, "Daniel Okafor") == "Assigned 4 session(s) to Daniel Okafor."


def test_title_matching():
    maya, daniel, mark = ClientRecord(1, "Maya Thompson"), ClientRecord(2, "Daniel Okafor"), ClientRecord(3, "Mark Tell")
    clients = [maya, daniel]
    assert match_title("Maya T.", clients) == maya
    assert match_title("MT session", clients) == maya
    assert match_title("Session w/ Daniel", clients) == daniel
    assert match_title("Daniel O. - follow up 50min", clients) == daniel
    assert match_title("Okafor", clients) == daniel
    assert match_title("Intake - Priya", clients) is None
    assert match_title("Supervision", clients) is None
    assert match_title("MT", [maya, mark]) is None  # two clients with those initials: ask
    assert match_title("Maya", [maya, ClientRecord(4, "Maya Lindqvist")]) is None


def test_unreadable_file_is_refused_without_content(practice):
    service, tid = practice
    with pytest.raises(CalendarError) as caught:
        import_ics(service.ctx, tid, b"Maya Thompson: not a calendar")
    assert "Maya" not in str(caught.value)


# ---- feeds over HTTP --------------------------------------------------------------------------------------
class FeedServer:
    """A local calendar server: `body` and `status` are what the next request gets."""

    def __init__(self):
        self.body, self.status, self.requests = FIXTURE, 200, []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                self.send_response(outer.status)
                self.send_header("Content-Type", "text/calendar")
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/private/s3cr3t-token/basic.ics"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.close()


async def test_feed_refresh_resyncs_by_uid_and_reports_a_failure_once(practice, feed_server, caplog):
    service, tid = practice
    feed_id = add_feed(service.ctx, tid, feed_server.url)
    assert add_feed(service.ctx, tid, feed_server.url) == feed_id  # one subscription per address
    clock = service.clock
    with caplog.at_level(logging.INFO):
        assert await refresh_feeds(service.ctx, clock.now()) == []
        assert len(sessions(service, tid)) == 6
        # Not due again until the refresh interval has passed.
        assert await refresh_feeds(service.ctx, clock.now() + timedelta(minutes=1)) == []
        assert len(feed_server.requests) == 1
        # The feed drops the single Daniel event: an authoritative feed cancels it.
        feed_server.body = FIXTURE.replace(b"UID:single-daniel-0002", b"UID:gone-0002").replace(b"SUMMARY:DO session", b"SUMMARY:Supervision")
        clock.set(clock.now() + timedelta(minutes=15))
        await refresh_feeds(service.ctx, clock.now())
        assert ("Thu 05 Nov 09:00", "Daniel Okafor") not in sessions(service, tid)
        assert ("Thu 05 Nov 09:00", None) in sessions(service, tid)
        # Failing: reported once, not on every refresh.
        feed_server.status = 404
        reports = []
        for _ in range(3):
            clock.set(clock.now() + timedelta(minutes=15))
            reports += await refresh_feeds(service.ctx, clock.now())
        assert len(reports) == 1 and reports[0].kind == "calendar"
        assert UNREACHABLE in reports[0].reply.text
        [feed] = support.feeds(service, tid)
        assert feed.error_reported and feed.last_error == UNREACHABLE
        # Working again resets it; the next outage is reported again.
        feed_server.status = 200
        clock.set(clock.now() + timedelta(minutes=15))
        assert await refresh_feeds(service.ctx, clock.now()) == []
        assert not support.feeds(service, tid)[0].error_reported
        feed_server.status = 500
        clock.set(clock.now() + timedelta(minutes=15))
        assert len(await refresh_feeds(service.ctx, clock.now())) == 1
    # Our own lines carry ids and counts only. (httpx logs request URLs at INFO; core/logs.py keeps it at
    # WARNING in every real run.)
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore")))
    assert "calendar feed" in ours
    for secret in ("s3cr3t-token", "127.0.0.1", "Maya", "Priya", "Intake"):
        assert secret not in ours
    assert remove_feeds(service.ctx, tid) == 1 and support.feeds(service, tid) == []


async def test_two_schedulers_refresh_a_feed_once(make_service, feed_server):
    at = local(BERLIN, 2026, 11, 1, 8, 0)
    first, second = make_service(clock=FakeClock(at), **LOCAL_FEEDS), make_service(clock=FakeClock(at), **LOCAL_FEEDS)
    tid = therapist(first, "Dr. Ines Varga", tz=BERLIN)
    add_feed(first.ctx, tid, feed_server.url)
    await refresh_feeds(first.ctx, at)
    await refresh_feeds(second.ctx, at + timedelta(seconds=5))
    assert len(feed_server.requests) == 1
    assert len(sessions(first, tid)) == 6


async def test_feed_size_cap_and_bad_addresses(feed_server):
    feed_server.body = b"BEGIN:VCALENDAR\r\n" + b"X" * 4096
    with pytest.raises(CalendarError, match="larger than"):
        await fetch_ics(feed_server.url, max_bytes=1024, policy=FeedPolicy(True, ("127.0.0.1",)))
    for bad in ("file:///etc/passwd", "ftp://127.0.0.1/cal.ics"):
        with pytest.raises(CalendarError):
            await fetch_ics(bad)
    with pytest.raises(CalendarError) as caught:
        await fetch_ics("http://127.0.0.1:9/private/s3cr3t-token.ics", timeout=2)
    assert "s3cr3t" not in str(caught.value) and "127.0.0.1" not in str(caught.value)


async def test_feed_failure_on_first_load_is_reported(practice, feed_server):
    service, tid = practice
    feed_server.status = 403
    add_feed(service.ctx, tid, feed_server.url)
    [feed] = support.feeds(service, tid)
    result, report = await refresh_feed(service.ctx, feed, service.clock.now())
    assert result is None and UNREACHABLE in report.reply.text
