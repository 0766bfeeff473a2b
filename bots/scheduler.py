"""The scheduler inside `alliance run`: APScheduler 3 (AsyncIOScheduler) on the bots' event loop.

Nothing lives only in the scheduler. Jobs are derived from the database:
- a tick every TICK_SECONDS calls core.schedule.notifications.send_due: it reads appointments and settings afresh
  each time, so a new session or a changed reminder setting takes effect within one tick, and its first
  run at start-up is the catch-up after downtime (a missed digest until noon; reminders not yet started);
- one cron job per (time zone, digest time, digest days) group, with APScheduler's zone-aware CronTrigger
  so 07:30 stays 07:30 local across daylight-saving changes; they make digests punctual to the second and
  are rebuilt whenever the therapists' digest settings change (checked on every tick);
- a feed refresh job re-syncs subscribed ICS calendars and reports a failing feed once.
Every send goes through the sent-notifications ledger, so the tick and a cron job firing together, a
misfire catch-up, a restart or a second `alliance run` on the same database never send anything twice.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone
from typing import Mapping

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.schedule.calendar_feeds import REFRESH_EVERY, refresh_feeds
from core.schedule.notifications import Sleep, deliver_all, send_due, therapist_settings, zone
from core.ports import Notifier
from core.preferences import DAYS, day_numbers

EVENT_MEMORY = timedelta(days=30)  # platform delivery ids kept for deduplication
log = logging.getLogger(__name__)

TICK_SECONDS = 30
DIGEST_PREFIX = "digest:"


def digest_groups(therapists) -> dict[str, tuple[str, int, int, str, tuple[int, ...]]]:
    """job id -> (zone name, hour, minute, APScheduler day_of_week, therapist ids) for enabled digests."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for t in therapists:
        if t.digest_enabled:
            groups.setdefault((zone(t.timezone).key, t.digest_time, t.digest_days or "mon-fri"), []).append(t.id)
    out = {}
    for (tz, hhmm, days), ids in groups.items():
        try:
            hour, minute = (int(p) for p in hhmm.split(":", 1))
            day_of_week = ",".join(DAYS[d] for d in sorted(day_numbers(days)))
        except (ValueError, IndexError):
            continue  # a malformed setting: the tick still sends it (with its own defaults)
        if day_of_week:
            out[f"{DIGEST_PREFIX}{tz}:{hour:02d}:{minute:02d}:{day_of_week}"] = (tz, hour, minute, day_of_week, tuple(sorted(ids)))
    return out


class Scheduler:
    def __init__(
        self,
        service,
        notifiers: Mapping[str, Notifier],
        *,
        tick_seconds: float = TICK_SECONDS,
        feed_interval: timedelta = REFRESH_EVERY,
        sleep: Sleep = asyncio.sleep,
    ):
        self.service = service
        self.notifiers = notifiers
        self.tick_seconds = tick_seconds
        self.feed_interval = feed_interval
        self.sleep = sleep
        self.scheduler = AsyncIOScheduler(timezone=timezone.utc)
        self._groups: dict[str, tuple] | None = None

    # ---- jobs derived from the database --------------------------------------------------------------
    def sync_jobs(self) -> bool:
        """(Re)build the digest cron jobs from the therapists' settings; True when anything changed."""
        groups = digest_groups(therapist_settings(self.service))
        if groups == self._groups:
            return False
        for job in self.scheduler.get_jobs():
            if job.id.startswith(DIGEST_PREFIX) and job.id not in groups:
                job.remove()
        for job_id, (tz, hour, minute, day_of_week, ids) in groups.items():
            if self._groups is not None and self._groups.get(job_id) == groups[job_id]:
                continue
            self.scheduler.add_job(
                self.digest_job,
                CronTrigger(day_of_week=day_of_week, hour=hour, minute=minute, timezone=zone(tz)),
                args=[ids],
                id=job_id,
                replace_existing=True,
                coalesce=True,
                misfire_grace_time=3600,  # late is fine: the noon cut-off is decided by send_due
                max_instances=1,
            )
        self._groups = groups
        log.info("scheduler: %d digest job(s) for %d therapist(s)", len(groups), sum(len(g[4]) for g in groups.values()))
        return True

    def start(self) -> None:
        now = datetime.now(timezone.utc)
        self.scheduler.add_job(
            self.tick, IntervalTrigger(seconds=self.tick_seconds), id="tick", next_run_time=now,
            coalesce=True, max_instances=1, misfire_grace_time=int(self.tick_seconds),
        )
        self.scheduler.add_job(
            self.feeds_job, IntervalTrigger(seconds=self.feed_interval.total_seconds()), id="feeds",
            next_run_time=now, coalesce=True, max_instances=1, misfire_grace_time=int(self.feed_interval.total_seconds()),
        )
        self.scheduler.add_job(
            self.prune_job, IntervalTrigger(days=1), id="prune", next_run_time=now, coalesce=True, max_instances=1,
        )
        self.sync_jobs()
        self.scheduler.start()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    # ---- the jobs (each catches everything: one bad run must not stop the schedule) -----------------------
    async def tick(self) -> list:
        try:
            self.sync_jobs()
            return await send_due(self.service, self.notifiers, sleep=self.sleep)
        except Exception as error:
            log.error("scheduler tick failed: %s", type(error).__name__)
            return []

    async def digest_job(self, therapist_ids) -> list:
        try:
            return await send_due(self.service, self.notifiers, therapist_ids=therapist_ids, sleep=self.sleep)
        except Exception as error:
            log.error("digest job failed: %s", type(error).__name__)
            return []

    async def feeds_job(self) -> list:
        try:
            reports = await refresh_feeds(self.service, self.service.clock.now())
            return await deliver_all(self.service, self.notifiers, reports, sleep=self.sleep)
        except Exception as error:
            log.error("calendar refresh failed: %s", type(error).__name__)
            return []


    async def prune_job(self) -> int:
        try:
            return self.service.store.forget_events_before(self.service.clock.now() - EVENT_MEMORY)
        except Exception as error:
            log.error("pruning delivery ids failed: %s", type(error).__name__)
            return 0


async def serve(service, notifiers: dict[str, Notifier], settings, stop: asyncio.Event) -> None:
    """Run until `stop` is set (bots/run.py starts this next to the chat bots)."""
    scheduler = Scheduler(service, notifiers)
    scheduler.start()
    log.info("scheduler running")
    try:
        await stop.wait()
    finally:
        scheduler.shutdown()
        for notifier in notifiers.values():
            close = getattr(notifier, "close", None)
            if close is not None:
                try:
                    await close()
                except Exception as error:  # shutting down anyway
                    log.warning("closing the %s notifier failed: %s", notifier.platform, type(error).__name__)
