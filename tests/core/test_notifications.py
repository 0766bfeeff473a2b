"""The morning digest and pre-session reminders: due at the therapist's local time, claimed in the
ledger before sending, sent exactly once, retried and recorded when delivery fails. Every test runs on
SQLite and on PostgreSQL (the `make_service` fixture from tests/conftest.py)."""
from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta, timezone

from sqlmodel import Session, select

from core.schedule.notifications import digest_window, send_due
from storage.models import SentNotification
from tests.core.helpers_schedule import (
    FakeClock,
    RecordingNotifier,
    Sleeps,
    client_with_history,
    local,
    therapist,
)
from tests import support


def ledger(service, therapist_id: int) -> list[tuple[str, str, str, int]]:
    with Session(service.ctx.uow.engine) as s:
        rows = s.exec(select(SentNotification).where(SentNotification.therapist_id == therapist_id).order_by(SentNotification.id))
        return [(r.kind, r.key, r.status, r.attempts) for r in rows]


async def tick(service, notifiers, at: datetime, **kw):
    service.clock.set(at)
    return await send_due(service.ctx, notifiers, sleep=Sleeps(), **kw)


# ---- digest timing ---------------------------------------------------------------------------------
async def test_digest_arrives_at_each_therapists_local_time(make_service):
    service = make_service(clock=FakeClock(datetime(2026, 12, 1, tzinfo=timezone.utc)))
    berlin = therapist(service, "Dr. Ines Varga", tz="Europe/Berlin", telegram="501")
    new_york = therapist(service, "Dr. Tomas Reyes", tz="America/New_York", telegram="502")
    for tid, tz in ((berlin, "Europe/Berlin"), (new_york, "America/New_York")):
        client = client_with_history(service, tid, "Maya Thompson", date(2026, 11, 24), "Talked about sleep.")
        support.add_appointment(service, tid, client.id, local(tz, 2026, 12, 1, 15, 0))
    telegram = RecordingNotifier("telegram")

    assert await tick(service, {"telegram": telegram}, local("Europe/Berlin", 2026, 12, 1, 7, 29)) == []
    sent = await tick(service, {"telegram": telegram}, local("Europe/Berlin", 2026, 12, 1, 7, 30))
    assert [(d.therapist_id, d.kind, d.key, d.status) for d in sent] == [(berlin, "digest", "2026-12-01", "sent")]
    assert telegram.sent[0][0] == "501"
    assert "15:00 Maya Thompson" in telegram.sent[0][2].text and "Talked about sleep." in telegram.sent[0][2].text
    # Later Berlin ticks send nothing more; New York's 07:30 is 13:30 in Berlin (12:30 UTC).
    assert await tick(service, {"telegram": telegram}, local("Europe/Berlin", 2026, 12, 1, 9, 0)) == []
    assert await tick(service, {"telegram": telegram}, local("America/New_York", 2026, 12, 1, 7, 29)) == []
    sent = await tick(service, {"telegram": telegram}, datetime(2026, 12, 1, 12, 30, tzinfo=timezone.utc))
    assert [(d.therapist_id, d.key) for d in sent] == [(new_york, "2026-12-01")]
    assert len(telegram.sent) == 2


async def test_daylight_saving_change_keeps_0730_local(make_service):
    service = make_service(clock=FakeClock(datetime(2026, 3, 27, tzinfo=timezone.utc)))
    tid = therapist(service, "Dr. Ines Varga", tz="Europe/Berlin", digest_when_empty=True)
    telegram = RecordingNotifier("telegram")
    # Friday before the change: CET, 07:30 local is 06:30 UTC.
    assert await tick(service, {"telegram": telegram}, datetime(2026, 3, 27, 6, 29, tzinfo=timezone.utc)) == []
    assert len(await tick(service, {"telegram": telegram}, datetime(2026, 3, 27, 6, 30, tzinfo=timezone.utc))) == 1
    # Monday after the change (29 March): CEST, 07:30 local is 05:30 UTC — not 06:30.
    assert await tick(service, {"telegram": telegram}, datetime(2026, 3, 30, 5, 29, tzinfo=timezone.utc)) == []
    sent = await tick(service, {"telegram": telegram}, datetime(2026, 3, 30, 5, 30, tzinfo=timezone.utc))
    assert [(d.key, d.status) for d in sent] == [("2026-03-30", "sent")]
    assert [k for kind, k, *_ in ledger(service, tid)] == ["2026-03-27", "2026-03-30"]


def test_digest_window_rules():
    from storage.models import Therapist

    t = Therapist(name_enc=b"x", timezone="Asia/Tokyo", digest_time="07:30", digest_days="mon-fri")
    monday = local("Asia/Tokyo", 2026, 11, 30, 7, 30)
    assert digest_window(t, monday)[0] == date(2026, 11, 30)
    assert digest_window(t, monday - timedelta(minutes=1)) is None
    assert digest_window(t, local("Asia/Tokyo", 2026, 11, 30, 11, 59)) is not None  # catch-up until noon
    assert digest_window(t, local("Asia/Tokyo", 2026, 11, 30, 12, 0)) is None
    assert digest_window(t, local("Asia/Tokyo", 2026, 11, 29, 8, 0)) is None  # Sunday
    t.digest_enabled = False
    assert digest_window(t, monday) is None
    late = Therapist(name_enc=b"x", timezone="UTC", digest_time="18:00", digest_days="mon-sun")
    assert digest_window(late, datetime(2026, 11, 29, 18, 59, tzinfo=timezone.utc)) is not None
    assert digest_window(late, datetime(2026, 11, 29, 19, 0, tzinfo=timezone.utc)) is None


# ---- what goes in, and when nothing does ------------------------------------------------------------
async def test_weekly_series_appears_every_week_and_reminds_each_occurrence(make_service):
    service = make_service(clock=FakeClock(datetime(2026, 10, 19, tzinfo=timezone.utc)))
    tid = therapist(service, "Dr. Ines Varga", tz="Europe/Berlin", reminder_minutes=15)
    client = client_with_history(
        service, tid, "Daniel Okafor", date(2026, 10, 12), "Worked on assertiveness at work.",
        homework=("Write down three situations where he said no",),
    )
    support.add_appointment(service, tid, client.id, local("Europe/Berlin", 2026, 10, 19, 15, 0), weekly=True)
    telegram = RecordingNotifier("telegram")
    notifiers = {"telegram": telegram}
    # Two Mondays, either side of the end of summer time (25 October): 15:00 local both times.
    for monday in (19, 26):
        sent = await tick(service, notifiers, local("Europe/Berlin", 2026, 10, monday, 7, 30))
        assert [d.kind for d in sent] == ["digest"]
        assert "15:00 Daniel Okafor" in telegram.sent[-1][2].text
        assert await tick(service, notifiers, local("Europe/Berlin", 2026, 10, monday, 14, 44)) == []
        sent = await tick(service, notifiers, local("Europe/Berlin", 2026, 10, monday, 14, 45))
        assert [d.kind for d in sent] == ["reminder"]
        text = telegram.sent[-1][2].text
        assert text.startswith("In 15 min: Daniel Okafor at 15:00.")
        assert "Write down three situations" in text
        assert await tick(service, notifiers, local("Europe/Berlin", 2026, 10, monday, 14, 50)) == []
    reminders = [k for kind, k, *_ in ledger(service, tid) if kind == "reminder"]
    assert len(reminders) == 2 and reminders[0] != reminders[1]


async def test_no_sessions_means_no_digest_unless_asked(make_service):
    service = make_service(clock=FakeClock(datetime(2026, 12, 1, tzinfo=timezone.utc)))
    quiet = therapist(service, "Dr. Ines Varga", telegram="601")
    wants = therapist(service, "Dr. Tomas Reyes", telegram="602", digest_when_empty=True)
    telegram = RecordingNotifier("telegram")
    sent = await tick(service, {"telegram": telegram}, local("Europe/Berlin", 2026, 12, 1, 7, 30))
    assert [(d.therapist_id, d.status) for d in sent] == [(wants, "sent")]
    assert telegram.sent[0][2].text.startswith("No sessions on")
    # The quiet day is recorded, so later ticks do not compose it again.
    assert ledger(service, quiet) == [("digest", "2026-12-01", "empty", 0)]
    assert await tick(service, {"telegram": telegram}, local("Europe/Berlin", 2026, 12, 1, 8, 0)) == []


async def test_console_only_therapists_are_not_claimed(make_service):
    service = make_service(clock=FakeClock(datetime(2026, 12, 1, tzinfo=timezone.utc)))
    tid = therapist(service, "Dr. Ines Varga", telegram=None, digest_when_empty=True)
    assert await tick(service, {"telegram": RecordingNotifier("telegram")}, local("Europe/Berlin", 2026, 12, 1, 7, 30)) == []
    assert ledger(service, tid) == []


# ---- exactly once --------------------------------------------------------------------------------------
async def test_two_schedulers_over_one_database_send_one_digest(make_service):
    at = local("Europe/Berlin", 2026, 12, 1, 7, 30)
    first = make_service(clock=FakeClock(at))
    second = make_service(clock=FakeClock(at))
    tid = therapist(first, "Dr. Ines Varga", digest_when_empty=True, reminder_minutes=15)
    client = support.add_client(first, tid, "Maya Thompson")
    support.add_appointment(first, tid, client.id, local("Europe/Berlin", 2026, 12, 1, 7, 40))
    telegram = RecordingNotifier("telegram")

    def run(service):  # each scheduler process has its own event loop and engine
        return asyncio.run(send_due(service.ctx, {"telegram": telegram}, sleep=Sleeps()))

    results = await asyncio.gather(*(asyncio.to_thread(run, s) for s in (first, second, first, second)))
    kinds = sorted(d.kind for deliveries in results for d in deliveries)
    assert kinds == ["digest", "reminder"]
    assert len(telegram.sent) == 2
    assert sorted((k, s) for k, _, s, _ in ledger(first, tid)) == [("digest", "sent"), ("reminder", "sent")]


async def test_restart_after_missed_digest_before_noon_sends_it(make_service):
    service = make_service(clock=FakeClock(datetime(2026, 12, 1, tzinfo=timezone.utc)))
    therapist(service, "Dr. Ines Varga", digest_when_empty=True)
    telegram = RecordingNotifier("telegram")
    # The process was down at 07:30 and comes back at 11:40: the first tick catches up.
    sent = await tick(service, {"telegram": telegram}, local("Europe/Berlin", 2026, 12, 1, 11, 40))
    assert [(d.kind, d.key) for d in sent] == [("digest", "2026-12-01")]
    # Restarted again (a fresh service over the same database): still only one.
    again = make_service(clock=FakeClock(local("Europe/Berlin", 2026, 12, 1, 11, 45)))
    assert await send_due(again.ctx, {"telegram": telegram}, sleep=Sleeps()) == []
    assert len(telegram.sent) == 1


async def test_restart_after_noon_does_not_send_the_missed_digest(make_service):
    service = make_service(clock=FakeClock(datetime(2026, 12, 1, tzinfo=timezone.utc)))
    tid = therapist(service, "Dr. Ines Varga", digest_when_empty=True)
    telegram = RecordingNotifier("telegram")
    assert await tick(service, {"telegram": telegram}, local("Europe/Berlin", 2026, 12, 1, 12, 0)) == []
    assert telegram.sent == [] and ledger(service, tid) == []


async def test_reminder_skipped_once_the_session_started(make_service):
    service = make_service(clock=FakeClock(datetime(2026, 12, 1, tzinfo=timezone.utc)))
    tid = therapist(service, "Dr. Ines Varga", reminder_minutes=15, digest_enabled=False)
    client = support.add_client(service, tid, "Maya Thompson")
    support.add_appointment(service, tid, client.id, local("Europe/Berlin", 2026, 12, 1, 15, 0))
    support.add_appointment(service, tid, client.id, local("Europe/Berlin", 2026, 12, 1, 16, 0))
    telegram = RecordingNotifier("telegram")
    # Down from 14:40 until 15:01: the 15:00 reminder is pointless now and is never sent.
    assert await tick(service, {"telegram": telegram}, local("Europe/Berlin", 2026, 12, 1, 15, 1)) == []
    # Back at 15:52: the 16:00 reminder still goes out, saying how long is actually left.
    sent = await tick(service, {"telegram": telegram}, local("Europe/Berlin", 2026, 12, 1, 15, 52))
    assert [d.kind for d in sent] == ["reminder"]
    assert telegram.sent[0][2].text.startswith("In 8 min: Maya Thompson at 16:00.")
    assert "First session" in telegram.sent[0][2].text
    assert [s for _, _, s, _ in ledger(service, tid)] == ["sent"]


async def test_reminders_off_and_cancelled_sessions(make_service):
    service = make_service(clock=FakeClock(datetime(2026, 12, 1, tzinfo=timezone.utc)))
    off = therapist(service, "Dr. Ines Varga", telegram="701", reminder_minutes=None, digest_enabled=False)
    on = therapist(service, "Dr. Tomas Reyes", telegram="702", reminder_minutes=30, digest_enabled=False)
    for tid in (off, on):
        client = support.add_client(service, tid, "Maya Thompson")
        support.add_appointment(service, tid, client.id, local("Europe/Berlin", 2026, 12, 1, 15, 0))
    cancelled = support.add_appointment(service, on, None, local("Europe/Berlin", 2026, 12, 1, 15, 10))
    support.cancel_appointment(service, on, cancelled)
    telegram = RecordingNotifier("telegram")
    sent = await tick(service, {"telegram": telegram}, local("Europe/Berlin", 2026, 12, 1, 14, 40))
    assert [(d.therapist_id, d.kind) for d in sent] == [(on, "reminder")]


# ---- failures ------------------------------------------------------------------------------------------
async def test_failed_delivery_is_retried_then_recorded_without_blocking_others(make_service, caplog):
    service = make_service(clock=FakeClock(datetime(2026, 12, 1, tzinfo=timezone.utc)))
    blocked = therapist(service, "Dr. Ines Varga", telegram="801", digest_when_empty=True)
    fine = therapist(service, "Dr. Tomas Reyes", telegram=None, slack="U802", digest_when_empty=True)
    broken = RecordingNotifier("telegram", fail=-1)
    slack = RecordingNotifier("slack")
    sleeps = Sleeps()
    service.clock.set(local("Europe/Berlin", 2026, 12, 1, 7, 30))
    with caplog.at_level(logging.INFO):
        sent = await send_due(service.ctx, {"telegram": broken, "slack": slack}, sleep=sleeps)
    assert sorted((d.therapist_id, d.status, d.attempts) for d in sent) == sorted([(blocked, "failed", 3), (fine, "sent", 1)])
    assert broken.calls == 3 and sleeps.delays == [2.0, 8.0]  # bounded backoff, no real waiting
    assert slack.sent[0][:2] == ("U802", "T0TEAM")
    assert ledger(service, blocked) == [("digest", "2026-12-01", "failed", 3)]
    # A failed digest is not retried on the next tick (it would arrive twice if the failure was a lie).
    assert await send_due(service.ctx, {"telegram": broken, "slack": slack}, sleep=sleeps) == []
    assert "Maya" not in caplog.text and "No sessions" not in caplog.text


async def test_falls_back_to_another_linked_account(make_service):
    service = make_service(clock=FakeClock(datetime(2026, 12, 1, tzinfo=timezone.utc)))
    tid = therapist(service, "Dr. Ines Varga", telegram="901", slack="U901", channel="telegram", digest_when_empty=True)
    telegram = RecordingNotifier("telegram", fail=-1)
    slack = RecordingNotifier("slack")
    sleeps = Sleeps()
    service.clock.set(local("Europe/Berlin", 2026, 12, 1, 7, 30))
    sent = await send_due(service.ctx, {"telegram": telegram, "slack": slack}, sleep=sleeps)
    assert [(d.status, d.platform, d.attempts) for d in sent] == [("sent", "slack", 1)]
    assert telegram.calls == 1 and sleeps.delays == []  # preferred first, then the other one, same round
    # Preferring Slack: Telegram is not even tried.
    support.update_therapist(service, tid, channel="slack")
    service.clock.set(local("Europe/Berlin", 2026, 12, 2, 7, 30))
    await send_due(service.ctx, {"telegram": telegram, "slack": slack}, sleep=sleeps)
    assert telegram.calls == 1 and len(slack.sent) == 2


async def test_transient_failure_succeeds_on_retry(make_service):
    service = make_service(clock=FakeClock(datetime(2026, 12, 1, tzinfo=timezone.utc)))
    tid = therapist(service, "Dr. Ines Varga", digest_when_empty=True)
    flaky = RecordingNotifier("telegram", fail=1)
    sleeps = Sleeps()
    service.clock.set(local("Europe/Berlin", 2026, 12, 1, 7, 30))
    sent = await send_due(service.ctx, {"telegram": flaky}, sleep=sleeps)
    assert [(d.status, d.attempts) for d in sent] == [("sent", 2)] and sleeps.delays == [2.0]
    assert ledger(service, tid) == [("digest", "2026-12-01", "sent", 2)]
