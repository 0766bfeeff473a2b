"""What a worker does, whatever queue hands it the work (Procrastinate on PostgreSQL, the in-process
queue on SQLite): finish a memo, send what is due, refresh calendar feeds, prune delivery ids, and
recover memos a crash left unfinished. Jobs carry ids only; everything else is read afresh here."""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Mapping

from core.context import Context
from core.ports import Notifier
from core.schedule.calendar_feeds import refresh_feeds
from core.schedule.notifications import deliver_all, send_due

log = logging.getLogger(__name__)

EVENT_MEMORY = timedelta(days=30)  # platform delivery ids kept for deduplication


class Jobs:
    def __init__(self, ctx: Context, notifiers: Mapping[str, Notifier] | None = None):
        self.ctx = ctx
        self.notifiers = dict(notifiers or {})
        self.tasks = {
            "send_due": self.send_due,
            "refresh_feeds": self.refresh_feeds,
            "prune": self.prune,
            "recover": self.recover,
        }

    async def memo(self, therapist_id: int, memo_id: int) -> None:
        await self.ctx.flow.run(therapist_id, memo_id)

    async def task(self, name: str, **args) -> None:
        task = self.tasks.get(name)
        if task is None:
            log.error("unknown task %s", name[:40])
            return
        await task(**args)

    async def send_due(self, therapist_ids: list[int] | None = None) -> list:
        return await send_due(self.ctx, self.notifiers, therapist_ids=therapist_ids)

    async def refresh_feeds(self) -> list:
        reports = await refresh_feeds(self.ctx, self.ctx.clock.now())
        return await deliver_all(self.ctx, self.notifiers, reports)

    async def prune(self) -> int:
        """Daily: forget old delivery ids, refresh the planner's statistics."""
        with self.ctx.uow() as uow:
            count = uow.ledger.forget_events_before(self.ctx.clock.now() - EVENT_MEMORY)
            uow.commit()
            uow.optimize()
        return count

    async def recover(self, platforms: list[str] | None = None) -> int:
        """Queue every memo a crash left unfinished, oldest first; each is its own job, so one memo that
        can't be read or delivered never holds up the others."""
        with self.ctx.uow() as uow:
            pending = sorted({p for platform in (platforms or [None]) for p in uow.memos.unfinished(platform)},
                             key=lambda pair: pair[1])
        for therapist_id, memo_id in pending:
            await self.ctx.queue.enqueue_memo(therapist_id, memo_id)
        if pending:
            log.info("recovery: %d unfinished memo(s) queued", len(pending))
        return len(pending)
