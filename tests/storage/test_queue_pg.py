"""The job queue on PostgreSQL (Procrastinate): memos queued by one service are finished by a worker of
another, first in first out, once each; a platform's redelivery queues nothing twice; a job left by a worker
that died is handed to another."""
from __future__ import annotations

import asyncio

import pytest

from bots.bootstrap import build_assistant
from core.config import Settings
from core.types import AudioMemo
from storage.queue_pg import ProcrastinateQueue
from tests import support
from tests.core.flow_support import FixedClock, enrol
from tests.fakes.channel import FakeChannel
from tests.fakes.speech import ScriptedTranscriber, spoken
from tests.pg import SKIP_REASON, admin_url, temporary_pg_database

pytestmark = pytest.mark.skipif(not admin_url(), reason=SKIP_REASON)


@pytest.fixture
def pg_url():
    with temporary_pg_database("alliance_queue") as url:
        yield url


def process(pg_url, tmp_path, channel: FakeChannel):
    """One process's view: its own queue client and service on the shared database."""
    queue = ProcrastinateQueue(pg_url)
    service = build_assistant(Settings(data_dir=tmp_path / "data", database_url=pg_url), queue=queue,
                              transcriber=ScriptedTranscriber(), clock=FixedClock(), channels=[channel])
    return service, queue


async def until(condition, seconds: float = 30) -> None:
    for _ in range(int(seconds * 20)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def test_web_queues_and_a_separate_worker_delivers_once(pg_url, tmp_path):
    channel = FakeChannel(files={f"f{i}": spoken(f"Session with Maya Thompson today. Point number {i}.") for i in range(3)})
    web, web_queue = process(pg_url, tmp_path, channel)
    worker, worker_queue = process(pg_url, tmp_path, channel)
    await web_queue.open()
    await worker_queue.open()
    try:
        sender = enrol(web)
        tid = web.therapist_id(sender)
        support.add_client(web, tid, "Maya Thompson")
        receipts = [await web.receive_memo(sender, AudioMemo(f"501:{i}", None, "memo.ogg", source_ref=f"f{i}", size_bytes=10),
                                           origin=f"501:{i}") for i in range(3)]
        again = await web.receive_memo(sender, AudioMemo("501:0", None, "memo.ogg", source_ref="f0", size_bytes=10), origin="501:0")
        assert again.duplicate
        assert await web_queue.waiting() == 3  # nothing runs in the web process
        assert await web_queue.memos_ahead(receipts[2].memo_id) == 2
        stop = asyncio.Event()
        running = asyncio.create_task(worker_queue.run_workers(worker.jobs, 2, stop))
        await until(lambda: all(support.memo(web, tid, r.memo_id).status == "delivered" for r in receipts))
        stop.set()
        await asyncio.wait_for(running, 30)
        notes = channel.notes()
        assert len(notes) == 3 and all(n.note.client_name == "Maya Thompson" for n in notes)
        assert sorted(kind for kind, _, r in channel.log if r.note is not None) == ["edit"] * 3  # acks became notes
        assert await web_queue.waiting() == 0
    finally:
        await web_queue.close()
        await worker_queue.close()
        web.ctx.uow.engine.dispose()
        worker.ctx.uow.engine.dispose()


async def test_a_job_of_a_worker_that_died_is_retried(pg_url, tmp_path):
    import psycopg

    channel = FakeChannel(files={"f1": spoken("Session with Maya Thompson today. She slept better.")})
    web, queue = process(pg_url, tmp_path, channel)
    await queue.open()
    try:
        sender = enrol(web)
        tid = web.therapist_id(sender)
        support.add_client(web, tid, "Maya Thompson")
        receipt = await web.receive_memo(sender, AudioMemo("501:1", None, "memo.ogg", source_ref="f1", size_bytes=10), origin="501:1")
        # A worker took the job and was killed: the job is "doing" under a worker whose heartbeat stopped.
        with psycopg.connect(queue.url, autocommit=True) as conn:
            worker_id = conn.execute("INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - interval '10 minutes') RETURNING id").fetchone()[0]
            conn.execute("UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s", (worker_id,))
        assert await queue.waiting() == 0
        assert await queue.retry_stalled() == 1
        stop = asyncio.Event()
        running = asyncio.create_task(queue.run_workers(web.jobs, 1, stop))
        await until(lambda: support.memo(web, tid, receipt.memo_id).status == "delivered")
        stop.set()
        await asyncio.wait_for(running, 30)
        assert len(channel.notes()) == 1
    finally:
        await queue.close()
        web.ctx.uow.engine.dispose()


async def test_only_one_web_process_polls_telegram(pg_url):
    from storage.queue_pg import hold_poller_lock

    first = await hold_poller_lock(pg_url)
    assert first is not None
    assert await hold_poller_lock(pg_url) is None  # a second poller would steal updates: it is refused
    await first.close()
    again = await hold_poller_lock(pg_url)  # the first one stopped: the next may poll
    assert again is not None
    await again.close()
