"""Decoding threads: CTranslate2's default (4) against the rule `decoding_threads`, side by side. JSON.

The same ~2-minute OGG/Opus memo as bench/bench_transcribe.py, names primed, with:
- one memo at a time, for each thread count;
- two memos at once (two worker threads, as the service runs them), for each thread count per job.
Runs are interleaved (A B C A B C ...) so a change in machine load hits every option alike; CPU time
(user and system, whole process) is measured with the wall time. Texts are compared across options.

    .venv/bin/python bench/bench_speech_threads.py [--runs 3] [--model tiny.en] [--options 0,1,2]

Thread count 0 is the library default (CTranslate2: 4 per model, whatever the machine has).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_transcribe import NAMES, build_memo  # noqa: E402
from bench.machine import machine  # noqa: E402
from core.config import Settings  # noqa: E402
from core.speech.local import LocalTranscriber  # noqa: E402
from core.speech.resources import available_cores, decoding_threads  # noqa: E402


def timed(jobs: list, memo: bytes) -> tuple[float, float, float, list[str]]:
    """Run the transcribers in `jobs` at once on the memo: wall s, user s, system s, texts."""
    before, started = os.times(), time.perf_counter()
    with ThreadPoolExecutor(len(jobs)) as pool:
        texts = [r.text for r in pool.map(lambda t: t.transcribe(memo, hint_names=NAMES), jobs)]
    after = os.times()
    return time.perf_counter() - started, after.user - before.user, after.system - before.system, texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--options", default="0,1,2", help="thread counts per memo (0 = library default)")
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()
    options = [int(x) for x in args.options.split(",")]
    memo, _ = build_memo(args.seconds)
    load = [round(os.getloadavg()[0], 2)]

    def transcriber(threads: int, workers: int) -> LocalTranscriber:
        t = LocalTranscriber(Settings(whisper_model=args.model), concurrency=workers)
        t.threads = threads  # 0 here is CTranslate2's own default, not the auto rule
        t.model  # noqa: B018 - load outside the timing
        return t

    # (memos at once, threads per memo, model workers): one shared model per scenario, as in the service.
    # Two at once: the old set-up (library threads, one worker: the second memo queues) and each
    # thread count with two workers (both memos decode together).
    shapes = [(1, n, 1) for n in options] + [(2, 0, 1)] + [(2, n, 2) for n in options]
    scenarios = {
        f"{jobs} at once, {n or 'default'} threads, {w} worker(s)": (jobs, transcriber(n, w)) for jobs, n, w in shapes
    }
    results: dict = {label: [] for label in scenarios}
    texts: set[str] = set()
    for _ in range(args.runs):
        for label, (jobs, t) in scenarios.items():
            wall, user, system, out = timed([t] * jobs, memo)
            results[label].append((wall, user, system))
            texts.update(out)
        load.append(round(os.getloadavg()[0], 2))
    summary = {
        label: {
            "wall_s_median": round(statistics.median(r[0] for r in runs), 2),
            "wall_s_runs": [round(r[0], 2) for r in runs],
            "user_s_median": round(statistics.median(r[1] for r in runs), 2),
            "system_s_median": round(statistics.median(r[2] for r in runs), 2),
        }
        for label, runs in results.items()
    }
    print(json.dumps({
        "benchmark": "speech_threads",
        "date": dt.date.today().isoformat(),
        "machine": {**machine(), "available_cores": available_cores(), "load_avg_1m": load},
        "model": args.model,
        "rule": {"1 at once": decoding_threads(1), "2 at once": decoding_threads(2)},
        "identical_text_across_scenarios": len(texts) == 1,
        "results": summary,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
