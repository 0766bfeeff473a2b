"""The job queue under load (issue 9): 200 memos from 20 therapists through real `alliance run web`,
`clock` and N `worker` processes on PostgreSQL, against the fake Telegram Bot API. Transcription is the
fake OpenAI audio API answering after a fixed 0.5 s, so the queue — not the CPU — is measured; real
speech-to-text throughput is bench/bench_throughput.py's. Prints JSON: per run, memos delivered, lost and
duplicated, memos per hour, and the web process's acknowledgement latency (p50/p99) while workers are busy.

    ALLIANCE_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python bench/bench_queue.py [--memos 200]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import run_load  # noqa: E402
from bench.machine import machine  # noqa: E402
from tests.conftest import SHARED_DATA  # noqa: E402
from tests.pg import temporary_pg_database  # noqa: E402


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--memos", type=int, default=200)
    parser.add_argument("--therapists", type=int, default=20)
    parser.add_argument("--transcribe-s", type=float, default=0.5)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--kills", type=int, default=2, help="SIGKILLs in the last run (0: no kill run)")
    parser.add_argument("--api-latency-ms", type=float, default=0.0, help="each Bot API answer takes this long")
    args = parser.parse_args()
    audio = (SHARED_DATA / "speech/formats/jfk.ogg").read_bytes()
    runs = [(int(w), 0) for w in args.workers.split(",")] + ([(2, args.kills)] if args.kills else [])
    out = {"date": date.today().isoformat(), "machine": machine(), "memos": args.memos, "therapists": args.therapists,
           "transcribe_s": args.transcribe_s, "api_latency_ms": args.api_latency_ms, "runs": []}
    for workers, kills in runs:
        with tempfile.TemporaryDirectory() as tmp, temporary_pg_database("alliance_bench_queue") as url:
            result = await run_load(url, Path(tmp), memos=args.memos, therapists=args.therapists, workers=workers,
                                    kills=kills, transcribe_s=args.transcribe_s, audio=audio,
                                    api_latency_s=args.api_latency_ms / 1000)
        out["runs"].append({"workers": workers, **result.summary()})
        print(json.dumps(out["runs"][-1]), file=sys.stderr, flush=True)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
