"""The clock (`alliance run clock`, or inside the all-in-one `alliance run`): APScheduler 3
(AsyncIOScheduler) deciding *when*; the work itself goes through the job queue (core/jobs.py), so on
PostgreSQL any worker sends it and the clock process holds no chat connection.

Nothing lives only in the scheduler. Jobs are derived from the database:
- a tick every TICK_SECONDS queues "send_due": it reads appointments and settings afresh each time, so
  a new session or a changed reminder setting takes effect within one tick, and its first run at
  start-up is the catch-up after downtime (a missed digest until noon; reminders not yet started);
- one cron job per (time zone, digest time, digest days) group, with APScheduler's zone-aware CronTrigger
  so 07:30 stays 07:30 local across daylight-saving changes; they make digests punctual to the second and
  are rebuilt whenever the therapists' digest settings change (checked on every tick);
- a feed refresh job re-syncs subscribed ICS calendars and reports a failing feed once;
- a recovery job queues memos a crash left unfinished (and, on PostgreSQL, retries jobs of workers that
  died), so nothing a therapist sent waits for a restart.
Every send goes through the sent-notifications ledger, so the tick and a cron job firing together, a
misfire catch-up, a restart or a second clock on the same database never send anything twice.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.context import Context, zone
from core.ports import JobQueue
from core.preferences import DAYS, day_numbers
from core.schedule.calendar_feeds import REFRESH_EVERY
from core.schedule.notifications import therapist_settings

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
        ctx: Context,
        queue: JobQueue,
        *,
        tick_seconds: float = TICK_SECONDS,
        feed_interval: timedelta = REFRESH_EVERY,
    ):
        self.ctx = ctx
        self.queue = queue
        self.tick_seconds = tick_seconds
        self.feed_interval = feed_interval
        self.scheduler = AsyncIOScheduler(timezone=timezone.utc)
        self._groups: dict[str, tuple] | None = None

    # ---- jobs derived from the database --------------------------------------------------------------
    def sync_jobs(self) -> bool:
        """(Re)build the digest cron jobs from the therapists' settings; True when anything changed."""
        groups = digest_groups(therapist_settings(self.ctx))
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

        def every(job, seconds: float, job_id: str) -> None:
            self.scheduler.add_job(job, IntervalTrigger(seconds=seconds), id=job_id, next_run_time=now,
                                   coalesce=True, max_instances=1, misfire_grace_time=int(seconds))

        every(self.tick, self.tick_seconds, "tick")
        every(self.feeds_job, self.feed_interval.total_seconds(), "feeds")
        every(self.prune_job, 86_400, "prune")
        every(self.recover_job, self.ctx.settings.recover_seconds, "recover")
        self.sync_jobs()
        self.scheduler.start()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    # ---- the jobs: each only queues work (and catches everything: one bad run must not stop the clock) ----
    async def tick(self) -> None:
        await self._queue("send_due", sync=True)

    async def digest_job(self, therapist_ids) -> None:
        await self._queue("send_due", therapist_ids=list(therapist_ids))

    async def feeds_job(self) -> None:
        await self._queue("refresh_feeds")

    async def prune_job(self) -> None:
        await self._queue("prune")

    async def recover_job(self) -> None:
        await self._queue("recover")
        retry_stalled = getattr(self.queue, "retry_stalled", None)
        if retry_stalled is not None:  # PostgreSQL: jobs of workers that died are given to others
            try:
                await retry_stalled()
            except Exception as error:
                log.error("retrying stalled jobs failed: %s", type(error).__name__)

    async def _queue(self, name: str, *, sync: bool = False, **args) -> None:
        try:
            if sync:
                self.sync_jobs()
            await self.queue.enqueue_task(name, **args)
        except Exception as error:
            log.error("scheduler could not queue %s: %s", name, type(error).__name__)


async def serve(ctx: Context, queue: JobQueue, stop: asyncio.Event) -> None:
    """Run until `stop` is set (bots/run.py starts this in the clock or all-in-one process)."""
    scheduler = Scheduler(ctx, queue)
    scheduler.start()
    log.info("scheduler running")
    try:
        await stop.wait()
    finally:
        scheduler.shutdown()
