"""The job queue on PostgreSQL: Procrastinate 3 (async, psycopg 3), so any number of worker processes
on any number of machines take memos first in first out.

- A memo's job carries (therapist id, memo id) only: Procrastinate's table is not encrypted.
- `queueing_lock` keeps one waiting job per memo (a platform's redelivery or the recovery sweep queues
  nothing twice); `lock` keeps one running.
- A worker killed mid-job leaves it `doing`; its heartbeat stops, and `retry_stalled` (run by the clock)
  hands the job to another worker. The memo flow is idempotent step by step, so the note is delivered once.
- Memos and tasks are separate queues served by separate workers: a digest never waits behind
  transcription."""
from __future__ import annotations

import asyncio
import json
import logging

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued, UniqueViolation
from procrastinate.jobs import Status

log = logging.getLogger(__name__)

MEMOS, TASKS = "memos", "tasks"
SCHEMA_LOCK = 727_274_001  # pg advisory lock id: one process applies the schema


def conninfo(database_url: str) -> str:
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


class ProcrastinateQueue:
    def __init__(self, database_url: str, *, heartbeat_s: float = 10.0, stalled_after_s: float = 30.0):
        self.url = conninfo(database_url)
        self.heartbeat_s, self.stalled_after_s = heartbeat_s, stalled_after_s
        self.app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=self.url))
        self._jobs = None
        retry = procrastinate.RetryStrategy(max_attempts=8, exponential_wait=2)

        @self.app.task(name="memo", queue=MEMOS, retry=retry)
        async def memo(therapist_id: int, memo_id: int) -> None:
            await self._jobs.memo(therapist_id, memo_id)

        @self.app.task(name="task", queue=TASKS)
        async def task(name: str, args: dict) -> None:
            await self._jobs.task(name, **args)

        self._memo, self._task = memo, task

    async def open(self) -> None:
        await self.app.open_async()
        await self._ensure_schema()

    async def close(self) -> None:
        await self.app.close_async()

    async def _ensure_schema(self) -> None:
        """Apply Procrastinate's schema once, under an advisory lock (processes may start together)."""
        import psycopg

        async with await psycopg.AsyncConnection.connect(self.url, autocommit=True) as connection:
            await connection.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
            try:
                exists = await (await connection.execute("SELECT to_regclass('procrastinate_jobs')")).fetchone()
                if exists[0] is None:
                    await self.app.schema_manager.apply_schema_async()
            finally:
                await connection.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))

    # ---- the port ----------------------------------------------------------------------------------------
    async def enqueue_memo(self, therapist_id: int, memo_id: int) -> None:
        lock = f"memo:{memo_id}"
        try:
            await self._memo.configure(lock=lock, queueing_lock=lock).defer_async(therapist_id=therapist_id, memo_id=memo_id)
        except AlreadyEnqueued:
            pass

    async def enqueue_task(self, name: str, **args) -> None:
        lock = f"task:{name}:{json.dumps(args, sort_keys=True)}"[:200]
        try:
            await self._task.configure(queueing_lock=lock).defer_async(name=name, args=args)
        except AlreadyEnqueued:
            pass

    async def waiting(self) -> int:
        row = await self.app.connector.execute_query_one_async(
            "SELECT count(*) AS n FROM procrastinate_jobs WHERE queue_name = %(queue)s AND status = 'todo'", queue=MEMOS
        )
        return int(row["n"])

    async def memos_ahead(self, memo_id: int) -> int | None:
        row = await self.app.connector.execute_query_one_async(
            "SELECT (SELECT count(*) FROM procrastinate_jobs o WHERE o.queue_name = %(queue)s AND o.status = 'todo' "
            "AND o.id < j.id) AS n FROM procrastinate_jobs j WHERE j.queueing_lock = %(lock)s AND j.status = 'todo'",
            queue=MEMOS, lock=f"memo:{memo_id}",
        )
        return int(row["n"]) if row else None

    # ---- workers -----------------------------------------------------------------------------------------
    async def run_workers(self, jobs, concurrency: int, stop: asyncio.Event, *, name: str = "worker") -> None:
        """Serve both queues until `stop` is set; memos `concurrency` at a time."""
        self._jobs = jobs
        options = dict(install_signal_handlers=False, listen_notify=True, fetch_job_polling_interval=2.0,
                       delete_jobs="successful", update_heartbeat_interval=self.heartbeat_s,
                       stalled_worker_timeout=self.stalled_after_s)
        workers = [
            asyncio.create_task(self.app.run_worker_async(queues=[MEMOS], concurrency=concurrency, name=f"{name}-memos", **options)),
            asyncio.create_task(self.app.run_worker_async(queues=[TASKS], concurrency=2, name=f"{name}-tasks", **options)),
        ]
        stopping = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait([stopping, *workers], return_when=asyncio.FIRST_COMPLETED)
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        stopping.cancel()
        for task in done:
            if task is not stopping and task.exception() is not None:
                raise task.exception()

    async def retry_stalled(self) -> int:
        """Jobs left `doing` by a worker whose heartbeat stopped go back to the queue. When the recovery
        sweep has already queued the same memo again, the dead worker's job is closed instead (its lock
        would otherwise hold the new one back)."""
        manager = self.app.job_manager
        stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=self.stalled_after_s))
        for job in stalled:
            try:
                await manager.retry_job(job)
            except UniqueViolation:
                await manager.finish_job(job, Status.ABORTED, delete_job=True)
        if stalled:
            log.warning("retried %d job(s) of workers that stopped", len(stalled))
        return len(stalled)


POLLER_LOCK = 727_274_002  # one Telegram long-poller per database


async def hold_poller_lock(database_url: str):
    """Telegram allows one long-poller per bot: the first web process takes this lock (held for as long as
    its connection lives) and a second gets None. Returns the connection to keep, or None."""
    import psycopg

    connection = await psycopg.AsyncConnection.connect(conninfo(database_url), autocommit=True)
    row = await (await connection.execute("SELECT pg_try_advisory_lock(%s)", (POLLER_LOCK,))).fetchone()
    if row[0]:
        return connection
    await connection.close()
    return None
