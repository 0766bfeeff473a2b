"""The job queue on the SQLite default: in this process, no extra service. Memos are taken first in first
out by `concurrency` workers; tasks (sends, calendar refreshes) have their own lane so a digest never
waits behind transcription. Nothing lives only here: a memo is in the database before it is queued, and
the recovery task queues whatever a crash left unfinished.

`LocalQueue(workers=False)` only records: the CLI runs its one memo itself and exits."""
from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Awaitable, Callable

log = logging.getLogger(__name__)

Positions = Callable[[list[tuple[int, int, int]]], Awaitable[None]]  # [(therapist, memo, memos ahead)]


class LocalQueue:
    def __init__(self, concurrency: int = 1, *, workers: bool = True):
        self.concurrency = max(1, concurrency)
        self.workers = workers
        self._memos: deque[tuple[int, int]] = deque()
        self._running: set[int] = set()
        self._tasks: deque[tuple[str, dict]] = deque()
        self._wake = asyncio.Event()
        self._wake_tasks = asyncio.Event()
        self._loops: list[asyncio.Task] = []
        self._busy = 0
        self._jobs = None
        self._on_positions: Positions | None = None

    # ---- the port --------------------------------------------------------------------------------------
    async def enqueue_memo(self, therapist_id: int, memo_id: int) -> None:
        if not self.workers or memo_id in self._running or any(m == memo_id for _, m in self._memos):
            return
        self._memos.append((therapist_id, memo_id))
        self._wake.set()

    async def waiting(self) -> int:
        return len(self._memos) if self.workers else 0

    async def memos_ahead(self, memo_id: int) -> int | None:
        for index, (_, queued) in enumerate(self._memos):
            if queued == memo_id:
                return index
        return None

    async def enqueue_task(self, name: str, **args) -> None:
        if not self.workers or (name, args) in self._tasks:  # one of each waiting at a time
            return
        self._tasks.append((name, args))
        self._wake_tasks.set()

    # ---- running ---------------------------------------------------------------------------------------
    def start(self, jobs, on_positions: Positions | None = None) -> None:
        """Start the workers; `jobs` is a core.jobs.Jobs."""
        self._jobs, self._on_positions = jobs, on_positions
        self._loops = [asyncio.create_task(self._memo_loop(), name=f"memo-worker-{i}") for i in range(self.concurrency)]
        self._loops.append(asyncio.create_task(self._task_loop(), name="task-worker"))

    async def stop(self) -> None:
        for loop in self._loops:
            loop.cancel()
        await asyncio.gather(*self._loops, return_exceptions=True)
        self._loops = []

    async def idle(self) -> None:
        """Wait until nothing is queued or running (tests, the demo, shutdown)."""
        while self._memos or self._tasks or self._busy:
            await asyncio.sleep(0.01)

    async def _memo_loop(self) -> None:
        while True:
            if not self._memos:
                self._wake.clear()
                await self._wake.wait()
                continue
            therapist_id, memo_id = self._memos.popleft()
            self._running.add(memo_id)
            self._busy += 1
            try:
                await self._announce()
                await self._jobs.memo(therapist_id, memo_id)
            except Exception as error:  # the memo stays in its persisted state; recovery tries again
                log.warning("memo %s job failed: %s", memo_id, type(error).__name__)
            finally:
                self._running.discard(memo_id)
                self._busy -= 1

    async def _task_loop(self) -> None:
        while True:
            if not self._tasks:
                self._wake_tasks.clear()
                await self._wake_tasks.wait()
                continue
            name, args = self._tasks.popleft()
            self._busy += 1
            try:
                await self._jobs.task(name, **args)
            except Exception as error:
                log.error("task %s failed: %s", name, type(error).__name__)
            finally:
                self._busy -= 1

    async def _announce(self) -> None:
        """Tell waiting memos where they now stand (the flow edits their acknowledgements)."""
        if self._on_positions is None or not self._memos:
            return
        try:
            await self._on_positions([(t, m, index) for index, (t, m) in enumerate(self._memos)])
        except Exception as error:  # cosmetic: never stop a memo for it
            log.warning("position update failed: %s", type(error).__name__)
