"""Real transcription under a burst (issue 14): six ~2-minute memos sent at once through the service and its
in-process queue (faster-whisper tiny.en, the default), with a question asked every 100 ms meanwhile.
For each memo concurrency (1, 2, 4 memos at a time) it reports memos per hour, when the first note and
the median note arrive, the question latency p50/p95 idle and during the burst, and the process's peak
memory. Each setting runs in its own process (so the peak is its own). Prints JSON.

    .venv/bin/python bench/bench_throughput.py [--concurrency 1,2,4] [--memos 6] [--seconds 123]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.machine import machine  # noqa: E402


class TreeMemory:
    """Peak resident memory of this process and its children (the transcriber processes), sampled."""

    def __init__(self) -> None:
        import threading

        self.peak_mb, self._stop = 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _rss_mb(pid: int) -> float:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    @staticmethod
    def _children(pid: int) -> list[int]:
        out = []
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                out += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
        return out

    def _run(self) -> None:
        import os

        while not self._stop.wait(0.2):
            pids = [os.getpid()]
            pids += [c for p in list(pids) for c in self._children(p)]
            self.peak_mb = max(self.peak_mb, sum(self._rss_mb(p) for p in pids))

    def stop(self) -> float:
        self._stop.set()
        return round(self.peak_mb)


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(share * len(values)))], 1) if values else 0.0


async def one_setting(concurrency: int, memos: int, seconds: float, threads: int = 0) -> dict:
    from bench.bench_transcribe import build_memo
    from bots.bootstrap import build_assistant
    from core import roster
    from core.config import Settings
    from core.types import AudioMemo
    from storage.queue_local import LocalQueue
    from tests.core.flow_support import enrol
    from tests.fakes.channel import FakeChannel

    memory = TreeMemory()
    audio, _ = build_memo(seconds)
    channel = FakeChannel(files={f"f{i}": audio for i in range(memos)})
    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="alliance-bench-")), database_url=None, memo_concurrency=concurrency,
                        whisper_threads=threads, memory_limit_mb=8000)
    queue = LocalQueue(concurrency)
    service = build_assistant(settings, queue=queue, channels=[channel], worker=True)
    sender = enrol(service, "Dr. Bench")
    tid = service.therapist_id(sender)
    with service.ctx.uow() as uow:
        for name in ("Maya Thompson", "Daniel Okafor"):
            roster.create(uow, tid, name, "bench")
        uow.commit()
    warm_up = getattr(service.flow.transcriber, "warm_up", None) or (lambda: service.flow.transcriber.model)
    await asyncio.to_thread(warm_up)  # the model loads once per (transcriber) process, before timing
    queue.start(service.jobs)

    async def ask(latencies: list[float]) -> None:
        tick = time.perf_counter()
        await service.answer(sender, "what did Maya mention last time?")
        latencies.append((time.perf_counter() - tick) * 1000)

    idle: list[float] = []
    for _ in range(30):
        await ask(idle)
    busy: list[float] = []
    start = time.perf_counter()
    for i in range(memos):
        await service.receive_memo(sender, AudioMemo(f"m{i}", None, "memo.ogg", source_ref=f"f{i}", size_bytes=len(audio)),
                                   origin=f"501:{i}")
    while len(channel.notes()) < memos:
        await ask(busy)
        await asyncio.sleep(0.1)
    arrivals = [at - start for at in channel.note_times.values()]
    await queue.stop()
    close = getattr(service.flow.transcriber, "close", None)
    if close:
        close()
    return {
        "concurrency": concurrency, "threads": threads or "rule", "memos": memos, "memo_seconds": seconds,
        "total_s": round(max(arrivals), 1), "memos_per_hour": round(memos / max(arrivals) * 3600),
        "first_note_s": round(min(arrivals), 1), "median_note_s": round(statistics.median(arrivals), 1),
        "question_idle_p50_ms": percentile(idle, 0.5), "question_idle_p95_ms": percentile(idle, 0.95),
        "question_busy_p50_ms": percentile(busy, 0.5), "question_busy_p95_ms": percentile(busy, 0.95),
        "questions_during_burst": len(busy), "peak_mb": memory.stop(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--concurrency", default="1,2,4")
    parser.add_argument("--memos", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=123)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a single setting, in this process
    parser.add_argument("--threads", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(asyncio.run(one_setting(args.one, args.memos, args.seconds, args.threads))))
        return
    # First the way main worked before: one memo at a time, decoding with the library's default 4 threads.
    settings = [(1, 4)] + [(int(c), 0) for c in args.concurrency.split(",")]
    runs = []
    for concurrency, threads in settings:
        out = subprocess.run([sys.executable, __file__, "--one", str(concurrency), "--threads", str(threads),
                              "--memos", str(args.memos), "--seconds", str(args.seconds)],
                             capture_output=True, text=True, cwd=REPO, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
    one = runs[0]["memos_per_hour"]
    for run in runs:
        run["ratio_to_one_at_a_time"] = round(run["memos_per_hour"] / one, 2)
    print(json.dumps({"date": date.today().isoformat(), "machine": machine(), "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
