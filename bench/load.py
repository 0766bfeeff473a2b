"""Many therapists' memos through real `alliance run web|worker|clock` processes on PostgreSQL, against the
fake Telegram Bot API (and the fake OpenAI audio API as a fixed-cost transcriber, so the queue is
measured, not the CPU), with workers killed by SIGKILL mid-run. Used by bench/bench_queue.py and, smaller,
by tests/bots/test_processes.py.

What it checks, from the outside: every memo ends as exactly one note in its chat (the acknowledgement
edited into the note), none lost; and it measures throughput and the web process's acknowledgement latency."""
from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.fakes.openai_api import FakeOpenAI, Scripted  # noqa: E402
from tests.fakes.telegram_api import TOKEN, FakeTelegram  # noqa: E402

FIRST_USER = 9001
TRANSCRIPT = "Session with Maya Thompson today. She reported sleeping better and used her breathing exercise twice."


@dataclass
class LoadResult:
    memos: int
    delivered: int = 0
    notes_in_chats: int = 0
    duplicate_notes: int = 0
    lost: int = 0
    seconds: float = 0.0
    ack_ms: list[float] = field(default_factory=list)  # memos that arrived one by one, workers busy
    burst_ack_ms: list[float] = field(default_factory=list)  # memos that arrived in the opening burst
    kills: int = 0

    @property
    def memos_per_hour(self) -> float:
        return self.delivered / self.seconds * 3600 if self.seconds else 0.0

    def summary(self) -> dict:
        acks = sorted(self.ack_ms) or [0.0]
        burst = sorted(self.burst_ack_ms) or [0.0]
        return {
            "memos": self.memos, "delivered": self.delivered, "notes_in_chats": self.notes_in_chats,
            "duplicate_notes": self.duplicate_notes, "lost": self.lost, "kills": self.kills,
            "seconds": round(self.seconds, 2), "memos_per_hour": round(self.memos_per_hour),
            "ack_p50_ms": round(statistics.median(acks), 1), "ack_p99_ms": round(acks[int(0.99 * (len(acks) - 1))], 1),
            "burst_ack_p50_ms": round(statistics.median(burst), 1), "burst_ack_p99_ms": round(burst[int(0.99 * (len(burst) - 1))], 1),
        }


def _env(url: str, data_dir: Path, key: str, telegram: FakeTelegram, openai: FakeOpenAI) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALLIANCE_", "TELEGRAM_", "SLACK_", "OPENAI_"))}
    env.update(
        ALLIANCE_DATABASE_URL=url, ALLIANCE_DATA_DIR=str(data_dir), ALLIANCE_SECRET_KEY=key, ALLIANCE_LOG_LEVEL="INFO",
        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=telegram.base_url, TELEGRAM_BASE_FILE_URL=telegram.base_file_url,
        ALLIANCE_TRANSCRIBER="openai", OPENAI_BASE_URL=openai.url + "/v1", OPENAI_API_KEY="test-key",
        ALLIANCE_RECOVER_SECONDS="1", ALLIANCE_WORKER_HEARTBEAT_S="1", ALLIANCE_STALLED_AFTER_S="4",
        NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost",
    )
    return env


def _seed(url: str, data_dir: Path, key: str, therapists: int) -> None:
    from bots.bootstrap import build_assistant
    from core import roster
    from core.config import Settings
    from core.records import Account

    service = build_assistant(Settings(data_dir=data_dir, database_url=url, secret_key=key))
    try:
        for n in range(therapists):
            therapist_id = service.therapist_id(service.console_sender(f"Dr. Load {n}"))
            with service.ctx.uow() as uow:
                uow.therapists.link(therapist_id, Account("telegram", "", str(FIRST_USER + n)))
                roster.create(uow, therapist_id, "Maya Thompson", "bench")
                uow.commit()
    finally:
        service.ctx.uow.engine.dispose()


class Processes:
    def __init__(self, env: dict, logs: Path, concurrency: int):
        self.env, self.logs, self.concurrency = env, logs, concurrency
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, role: str) -> None:
        log = open(self.logs / f"{name}.log", "ab")
        args = [sys.executable, "-m", "bots.cli", "run", role]
        if role == "worker":
            args += ["--concurrency", str(self.concurrency)]
        self.running[name] = subprocess.Popen(args, cwd=REPO, env=self.env, stdout=log, stderr=log)

    def kill(self, name: str) -> None:
        process = self.running.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for process in self.running.values():
            process.send_signal(signal.SIGTERM)
        for process in self.running.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.running.clear()


async def run_load(url: str, workdir: Path, *, memos: int = 200, therapists: int = 20, workers: int = 2,
                   kills: int = 0, transcribe_s: float = 0.5, concurrency: int = 1, audio: bytes,
                   trickle_s: float = 0.25, timeout_s: float = 600, api_latency_s: float = 0.0) -> LoadResult:
    """`memos` spread over `therapists`, `workers` worker processes (concurrency each); `kills` times a
    worker is SIGKILLed mid-run and started again. The first half arrives as one burst (the workers'
    throughput); the second half one every `trickle_s` while the workers are still busy with the backlog
    (the web process's acknowledgement latency, which must not depend on them)."""
    key = Fernet.generate_key().decode()
    data_dir = workdir / "data"
    _seed(url, data_dir, key, therapists)
    telegram = await FakeTelegram().start()
    telegram.latency_s = api_latency_s
    openai = FakeOpenAI().start()
    openai.every_transcription = Scripted(content=TRANSCRIPT, delay_s=transcribe_s)
    procs = Processes(_env(url, data_dir, key, telegram, openai), workdir, concurrency)
    result = LoadResult(memos)
    pushed: dict[tuple[int, int], float] = {}
    trickle: set[tuple[int, int]] = set()
    try:
        procs.start("web", "web")
        procs.start("clock", "clock")
        for n in range(workers):
            procs.start(f"worker{n}", "worker")
        await _until(lambda: any(c.method == "getUpdates" for c in telegram.calls), 60, "the web process to poll")
        started = time.monotonic()
        kill_at = [memos * (k + 1) // (kills + 1) for k in range(kills)]
        for i in range(memos):
            user = FIRST_USER + i % therapists
            update = telegram.voice_update(user, telegram.add_file(audio, f"voice/m{i}.oga"))
            pushed[(user, update["message"]["message_id"])] = time.monotonic()
            telegram.push(update)
            if i >= memos // 2:
                trickle.add((user, update["message"]["message_id"]))
            if i == memos // 2 - 1:  # the burst is in; trickle once the web process has acknowledged it
                await _until(lambda: _acks(telegram) >= memos // 2, 120, "the burst's acknowledgements")
            await asyncio.sleep(trickle_s if i >= memos // 2 else 0.005)
            if kill_at and i >= kill_at[0] and workers:
                kill_at.pop(0)
                await asyncio.sleep(transcribe_s)  # let it be mid-job
                procs.kill("worker0")
                result.kills += 1
                procs.start("worker0", "worker")
        await _until(lambda: _notes(telegram) >= memos, timeout_s, "every note")
        result.seconds = time.monotonic() - started
        await asyncio.sleep(2)  # anything delivered twice would show up now
    finally:
        procs.stop_all()
        await telegram.close()
        openai.stop()
    _tally(result, telegram, pushed, trickle)
    return result


def _acks(telegram: FakeTelegram) -> int:
    return sum(c.method == "sendMessage" and str(c.params.get("text", "")).startswith("Got it") for c in list(telegram.calls))


def _notes(telegram: FakeTelegram) -> int:
    return sum("Note for" in m.get("text", "") for m in list(telegram.messages.values()))


def _tally(result: LoadResult, telegram: FakeTelegram, pushed: dict, trickle: set) -> None:
    """One note per memo, in the message that acknowledged it; the acknowledgement's latency."""
    acks = {}
    for call in telegram.calls:
        if call.method == "sendMessage" and str(call.params.get("text", "")).startswith("Got it"):
            replied = (call.params.get("reply_parameters") or {}).get("message_id")
            key = (int(call.params["chat_id"]), replied)
            if key in pushed and key not in acks:
                acks[key] = call
                (result.ack_ms if key in trickle else result.burst_ack_ms).append((call.at - pushed[key]) * 1000)
    # An acknowledgement edited into its note is one message; a note sent again would be a second one.
    notes = [m for m in telegram.messages.values() if "Note for" in m.get("text", "")]
    result.notes_in_chats = result.delivered = len(notes)
    result.duplicate_notes = max(0, len(notes) - len(pushed))
    result.lost = max(0, len(pushed) - len(notes))


async def _until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        await asyncio.sleep(0.1)
    raise TimeoutError(f"timed out waiting for {what}")
