"""End to end: a ~2-minute voice memo -> a stored, encrypted note, through the service the bots call
(receive, transcribe, resolve the client, write, store). Prints JSON. Goal: under 15 s on 2 cores.

    .venv/bin/python bench/bench_memo.py [--seconds 120] [--runs 3]   (SQLite; transcription dominates)
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_transcribe import build_memo  # noqa: E402
from bots.bootstrap import build_assistant  # noqa: E402
from core import roster  # noqa: E402
from core.config import Settings  # noqa: E402
from core.speech.local import load_model, bundled_model_path  # noqa: E402
from core.types import AudioMemo  # noqa: E402


async def one_run(memo: bytes, run: int) -> dict:
    service = build_assistant(Settings(data_dir=Path(tempfile.mkdtemp(prefix="alliance-bench-")), database_url=None))
    sender = service.console_sender("Dr. Bench")
    therapist_id = service.therapist_id(sender)
    with service.ctx.uow() as uow:
        for name in ("Maya Thompson", "Daniel Okafor"):
            roster.create(uow, therapist_id, name, "bench")
        uow.commit()
    tick = time.perf_counter()
    receipt = await service.receive_memo(sender, AudioMemo(f"bench-{run}", memo, "memo.ogg"))
    received = time.perf_counter() - tick
    reply = await service.finish_memo(therapist_id, receipt.memo_id)
    total = time.perf_counter() - tick
    assert reply.note is not None, reply.text
    return {"ack_ms": received * 1000, "total_s": total}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    memo, _ = build_memo(args.seconds)
    tick = time.perf_counter()
    load_model(bundled_model_path(), "int8", 0)
    load_s = time.perf_counter() - tick
    runs = [asyncio.run(one_run(memo, i)) for i in range(args.runs)]
    totals = [r["total_s"] for r in runs]
    print(json.dumps({
        "memo_seconds": args.seconds,
        "model_load_s": round(load_s, 2),
        "ack_ms_max": round(max(r["ack_ms"] for r in runs), 1),
        "memo_to_stored_note_s": [round(t, 2) for t in totals],
        "median_s": round(statistics.median(totals), 2),
    }))


if __name__ == "__main__":
    main()
