"""`alliance run web`, `worker` (two of them) and `clock` as real processes on PostgreSQL, against the fake
Telegram Bot API, with a worker killed by SIGKILL twice mid-run: every memo becomes exactly one note in
its chat, none is lost. (bench/bench_queue.py runs the same at 200 memos from 20 therapists.)"""
from __future__ import annotations

import pytest

from bench.load import run_load
from tests.pg import SKIP_REASON, admin_url, temporary_pg_database

pytestmark = pytest.mark.skipif(not admin_url(), reason=SKIP_REASON)


async def test_memos_survive_killed_workers_and_are_delivered_once(tmp_path, shared_data):
    audio = (shared_data / "speech/formats/jfk.ogg").read_bytes()
    with temporary_pg_database("alliance_processes") as url:
        result = await run_load(url, tmp_path, memos=24, therapists=4, workers=2, kills=2, transcribe_s=0.3,
                                audio=audio, timeout_s=240)
    summary = result.summary()
    assert result.kills == 2
    assert (summary["delivered"], summary["lost"], summary["duplicate_notes"]) == (24, 0, 0), summary
