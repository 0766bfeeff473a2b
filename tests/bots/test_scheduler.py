"""The scheduler inside `alliance run`: jobs derived from the database (and rebuilt when settings change),
the start-up catch-up, and digests and reminders delivered by the real Telegram and Slack notifiers to
the local fake Bot API and Web API servers."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest

from bots.scheduler import Scheduler, digest_groups, serve
from core.jobs import Jobs
from core.schedule.notifications import send_due
from storage.queue_local import LocalQueue
from tests.core.helpers_schedule import FakeClock, RecordingNotifier, Sleeps, client_with_history, local, therapist
from tests import support


def next_fire(scheduler: Scheduler, job_id: str, after: datetime) -> datetime:
    job = scheduler.scheduler.get_job(job_id)
    return job.trigger.get_next_fire_time(None, after)


async def test_digest_jobs_are_derived_from_settings_and_keep_local_time(make_service):
    service = make_service(clock=FakeClock(datetime(2026, 3, 20, tzinfo=timezone.utc)))
    ines = therapist(service, "Dr. Ines Varga", tz="Europe/Berlin", telegram="11")
    tomas = therapist(service, "Dr. Tomas Reyes", tz="Europe/Berlin", telegram="12")
    kenji = therapist(service, "Dr. Kenji Mori", tz="Asia/Tokyo", telegram="13", digest_time="08:15", digest_days="mon,wed")
    scheduler = Scheduler(service.ctx, service.ctx.queue)
    assert scheduler.sync_jobs() is True
    jobs = {job.id: job.args[0] for job in scheduler.scheduler.get_jobs()}
    assert jobs == {
        "digest:Europe/Berlin:07:30:mon,tue,wed,thu,fri": (ines, tomas),
        "digest:Asia/Tokyo:08:15:mon,wed": (kenji,),
    }
    berlin = "digest:Europe/Berlin:07:30:mon,tue,wed,thu,fri"
    # Friday before the spring change fires 06:30 UTC; the Monday after, 05:30 UTC: 07:30 local both times.
    assert next_fire(scheduler, berlin, local("Europe/Berlin", 2026, 3, 27, 0, 0)) == local("Europe/Berlin", 2026, 3, 27, 7, 30)
    monday = next_fire(scheduler, berlin, local("Europe/Berlin", 2026, 3, 28, 0, 0))
    assert monday.astimezone(timezone.utc) == datetime(2026, 3, 30, 5, 30, tzinfo=timezone.utc)
    assert scheduler.sync_jobs() is False  # nothing changed, nothing rebuilt

    # Settings change: Tomas moves to 06:45, Kenji turns digests off.
    support.update_therapist(service, tomas, digest_time="06:45")
    support.update_therapist(service, kenji, digest_enabled=False)
    assert scheduler.sync_jobs() is True
    jobs = {job.id: job.args[0] for job in scheduler.scheduler.get_jobs()}
    assert jobs == {
        "digest:Europe/Berlin:07:30:mon,tue,wed,thu,fri": (ines,),
        "digest:Europe/Berlin:06:45:mon,tue,wed,thu,fri": (tomas,),
    }


def test_digest_groups_skip_broken_settings():
    from storage.models import Therapist

    rows = [
        Therapist(id=1, name_enc=b"x", timezone="Nowhere/Atlantis", digest_time="07:30"),
        Therapist(id=2, name_enc=b"x", digest_time="7h", digest_days="mon-fri"),
        Therapist(id=3, name_enc=b"x", digest_days="fri-mon"),
    ]
    assert digest_groups(rows) == {
        "digest:UTC:07:30:mon,tue,wed,thu,fri": ("UTC", 7, 30, "mon,tue,wed,thu,fri", (1,)),
        "digest:UTC:07:30:mon,fri,sat,sun": ("UTC", 7, 30, "mon,fri,sat,sun", (3,)),
    }


async def test_serve_catches_up_at_start_and_stops(make_service):
    # The process starts at 09:05 local, after a missed 07:30: the first tick sends the digest.
    arrived = asyncio.Event()

    class Notifier(RecordingNotifier):
        async def send(self, user_id, workspace_id, reply):
            await super().send(user_id, workspace_id, reply)
            arrived.set()

    notifier = Notifier("telegram")
    queue = LocalQueue(1)
    service = make_service(clock=FakeClock(local("Europe/Berlin", 2026, 12, 1, 9, 5)), queue=queue, notifiers={"telegram": notifier})
    tid = therapist(service, "Dr. Ines Varga", tz="Europe/Berlin", telegram="21")
    client = client_with_history(service, tid, "Maya Thompson", datetime(2026, 11, 24).date(), "Talked about sleep.")
    support.add_appointment(service, tid, client.id, local("Europe/Berlin", 2026, 12, 1, 15, 0))
    queue.start(service.jobs)  # the clock only queues; a worker sends
    stop = asyncio.Event()
    task = asyncio.create_task(serve(service.ctx, queue, stop))
    await asyncio.wait_for(arrived.wait(), timeout=30)
    stop.set()
    await asyncio.wait_for(task, timeout=10)
    await queue.stop()
    assert [s[0] for s in notifier.sent] == ["21"]
    assert "15:00 Maya Thompson" in notifier.sent[0][2].text


async def test_feed_failure_report_goes_out_through_the_notifier(make_service):
    from core.schedule.calendar_feeds import add_feed

    service = make_service(clock=FakeClock(local("Europe/Berlin", 2026, 12, 1, 9, 5)),
                           calendar_allow_http=True, calendar_allow_hosts="127.0.0.1")
    tid = therapist(service, "Dr. Ines Varga", tz="Europe/Berlin", telegram="31")
    add_feed(service.ctx, tid, "http://127.0.0.1:9/closed-port.ics")  # nothing listens on port 9
    notifier = RecordingNotifier("telegram")
    jobs = Jobs(service.ctx, {"telegram": notifier})  # what a worker runs when the clock queues "refresh_feeds"
    deliveries = await jobs.refresh_feeds()
    assert [(d.kind, d.status) for d in deliveries] == [("calendar", "sent")]
    assert "couldn't load your calendar feed" in notifier.sent[0][2].text
    assert "127.0.0.1" not in notifier.sent[0][2].text
    service.clock.set(local("Europe/Berlin", 2026, 12, 1, 10, 5))
    assert await jobs.refresh_feeds() == []  # reported once


# ---- through the fake platform servers -------------------------------------------------------------------
@pytest.fixture
async def fake_telegram():
    from tests.fakes.telegram_api import FakeTelegram

    server = await FakeTelegram().start()
    yield server
    await server.close()


@pytest.fixture
async def fake_slack():
    from tests.fakes.slack_api import FakeSlack

    server = await FakeSlack().start()
    yield server
    await server.stop()


def notifiers_for(service, fake_telegram, fake_slack):
    from bots import slack, telegram
    from tests.fakes.slack_api import BOT_TOKEN
    from tests.fakes.telegram_api import TOKEN

    settings = service.settings.model_copy(
        update={
            "telegram_bot_token": TOKEN,
            "telegram_base_url": fake_telegram.base_url,
            "telegram_base_file_url": fake_telegram.base_file_url,
            "slack_bot_token": BOT_TOKEN,
            "slack_api_url": fake_slack.api_url,
        }
    )
    return {"telegram": telegram.make_notifier(settings), "slack": slack.make_notifier(settings)}


async def test_digest_and_reminder_delivered_through_fake_telegram_and_slack(make_service, fake_telegram, fake_slack):
    from tests.fakes.slack_api import dm_for

    service = make_service(clock=FakeClock(local("Europe/Berlin", 2026, 12, 1, 7, 30)))
    on_telegram = therapist(service, "Dr. Ines Varga", tz="Europe/Berlin", telegram="7101", reminder_minutes=15)
    on_slack = therapist(service, "Dr. Tomas Reyes", tz="Europe/Berlin", telegram=None, slack="U7102", reminder_minutes=15)
    for tid in (on_telegram, on_slack):
        client = client_with_history(
            service, tid, "Maya Thompson", datetime(2026, 11, 24).date(), "Talked about sleep.",
            homework=("Keep a sleep diary",),
        )
        support.add_appointment(service, tid, client.id, local("Europe/Berlin", 2026, 12, 1, 15, 0))
    notifiers = notifiers_for(service, fake_telegram, fake_slack)
    try:
        sent = await send_due(service.ctx, notifiers, sleep=Sleeps())
        assert sorted((d.therapist_id, d.platform, d.status) for d in sent) == sorted(
            [(on_telegram, "telegram", "sent"), (on_slack, "slack", "sent")]
        )
        telegram_texts = fake_telegram.sent_to(7101)
        assert len(telegram_texts) == 1 and "Maya Thompson" in telegram_texts[0] and "Keep a sleep diary" in telegram_texts[0]
        posts = fake_slack.posts(dm_for("U7102"))
        assert len(posts) == 1 and "Maya Thompson" in (posts[0].get("text") or "")

        service.clock.set(local("Europe/Berlin", 2026, 12, 1, 14, 45))
        sent = await send_due(service.ctx, notifiers, sleep=Sleeps())
        assert sorted(d.kind for d in sent) == ["reminder", "reminder"]
        assert fake_telegram.sent_to(7101)[-1].startswith("In 15 min: Maya Thompson at 15:00.")
        assert len(fake_slack.posts(dm_for("U7102"))) == 2
        # Nothing more, however often the scheduler ticks.
        service.clock.set(local("Europe/Berlin", 2026, 12, 1, 14, 50))
        assert await send_due(service.ctx, notifiers, sleep=Sleeps()) == []
    finally:
        await notifiers["telegram"].close()


async def test_telegram_failure_falls_back_to_slack_then_records_failure(make_service, fake_telegram, fake_slack):
    from tests.fakes.slack_api import dm_for

    service = make_service(clock=FakeClock(local("Europe/Berlin", 2026, 12, 1, 7, 30)))
    therapist(service, "Dr. Ines Varga", tz="Europe/Berlin", telegram="7201", slack="U7201", channel="telegram", digest_when_empty=True)
    notifiers = notifiers_for(service, fake_telegram, fake_slack)
    fake_telegram.token = "revoked"  # every Bot API call now answers 401, like a revoked or blocked bot
    try:
        [delivery] = await send_due(service.ctx, notifiers, sleep=Sleeps())
        assert (delivery.status, delivery.platform) == ("sent", "slack")
        assert len(fake_slack.posts(dm_for("U7201"))) == 1
        # Both platforms down the next morning: retried with backoff, then recorded as failed.
        fake_slack.errors["chat.postMessage"] = "ratelimited"
        service.clock.set(local("Europe/Berlin", 2026, 12, 2, 7, 30))
        sleeps = Sleeps()
        [delivery] = await send_due(service.ctx, notifiers, sleep=sleeps)
        assert (delivery.status, delivery.attempts) == ("failed", 3) and sleeps.delays == [2.0, 8.0]
    finally:
        await notifiers["telegram"].close()
