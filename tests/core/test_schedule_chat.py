"""Schedules from chat: "/schedule Maya Thursday 15:00", weekly series, the list, calendars and /assign."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.schedule.appointments import list_text, schedule_from_text
from core.schedule.commands import assign as assign_command, calendar as calendar_command, calendar_file
from tests.core.helpers_schedule import FakeClock, local, therapist
from core.schedule.calendar_feeds import UNREACHABLE
from tests.core.test_calendar_import import LOCAL_FEEDS, FeedServer
from tests import support

FIXTURE = (Path(__file__).parent.parent / "fixtures" / "practice.ics").read_bytes()


@pytest.fixture
def practice(make_service):
    # Sunday 1 November 2026, 08:00 in Berlin.
    service = make_service(clock=FakeClock(local("Europe/Berlin", 2026, 11, 1, 8, 0)), **LOCAL_FEEDS)
    tid = therapist(service, "Dr. Ines Varga", tz="Europe/Berlin")
    support.add_client(service, tid, "Maya Thompson")
    support.add_client(service, tid, "Daniel Okafor")
    return service, tid


def test_schedule_weekly_in_local_time_and_list(practice):
    service, tid = practice
    reply = schedule_from_text(service.ctx, support.W(tid), "Daniel Thursday 15:00 weekly")
    assert reply.text.startswith("Scheduled #") and "Daniel Okafor, Thu 05 Nov 2026 15:00, every week" in reply.text
    text = list_text(service.ctx, tid, days=14)
    assert text.count("Daniel Okafor (weekly)") == 2 and "Thu 12 Nov 15:00" in text
    assert schedule_from_text(service.ctx, support.W(tid), "Maya sometime").text.startswith("Try: /schedule")


async def test_calendar_file_lists_unmatched_and_assign_fixes_it(practice):
    service, tid = practice
    reply = await calendar_file(service.ctx, support.W(tid), FIXTURE)
    assert reply.text.startswith("Calendar imported: 6 new")
    assert "“Intake - Priya”" in reply.text
    listed = list_text(service.ctx, tid, days=14)
    line = next(line for line in listed.splitlines() if "Intake - Priya" in line)
    number = line.split()[0].lstrip("#")
    assert line.endswith(f"/assign {number} NAME")
    assert (await assign_command(service.ctx, support.W(tid), f"{number} Priya Raman")).text == "Assigned 1 session(s) to Priya Raman."
    assert "Priya Raman" in list_text(service.ctx, tid, days=14)
    assert (await assign_command(service.ctx, support.W(tid), "twelve Maya")).text.startswith("Say which session")
    assert (await calendar_file(service.ctx, support.W(tid), b"not a calendar")).text.startswith("I couldn't import that file")


async def test_calendar_feed_from_chat(practice):
    service, tid = practice
    server = FeedServer()
    try:
        reply = await calendar_command(service.ctx, support.W(tid), server.url)
        assert reply.text.startswith("Calendar imported: 6 new") and "Intake - Priya" in reply.text
        status = await calendar_command(service.ctx, support.W(tid), "")
        assert status.text.startswith("Syncing 1 calendar feed(s).")
        server.status = 410
        second = await calendar_command(service.ctx, support.W(tid), server.url.replace("basic.ics", "other.ics"))
        assert f"couldn't load it: {UNREACHABLE}" in second.text
        assert (await calendar_command(service.ctx, support.W(tid), "off")).text.startswith("Stopped syncing 2 calendar feed(s)")
        assert (await calendar_command(service.ctx, support.W(tid), "ftp://example.invalid/cal")).text.startswith("A calendar feed address")
    finally:
        server.close()
