"""`alliance demo`: the whole loop offline in a throwaway data folder — memos to notes, a digest, answers."""
from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from datetime import datetime, time as clock_time, timedelta
from pathlib import Path

from bots.console import print_reply
from bots.render import plain_text
from core import roster
from core.context import Who
from core.replies import digest_text
from core.schedule import appointments
from core.types import AudioMemo

SAMPLES = Path(__file__).parent / "samples"
THERAPIST = "Dr. Demo"
QUESTIONS = (
    "What did Maya mention last time?",
    "What homework did I give Daniel?",
    "Any safety concerns with Daniel?",
    "When did Maya first bring up her father?",
)


def _say(message: str) -> None:
    print(f"\n== {message}", flush=True)


def load_samples() -> list[dict]:
    return json.loads((SAMPLES / "samples.json").read_text())


def weekly_dates(samples: list[dict], today):
    """Spread each client's memos a week apart, the latest one last week, in the order they are listed."""
    clients = list(dict.fromkeys(s["client"] for s in samples))
    remaining = {c: sum(s["client"] == c for s in samples) for c in clients}
    dates = []
    for sample in samples:
        dates.append(today - timedelta(days=7 * remaining[sample["client"]] - clients.index(sample["client"])))
        remaining[sample["client"]] -= 1
    return dates


async def run_demo() -> int:
    from bots.bootstrap import build_assistant
    from core.config import Settings

    started = time.perf_counter()
    data_dir = Path(tempfile.mkdtemp(prefix="alliance-demo-"))
    print(f"alliance demo — everything stays on this machine (data in {data_dir}).")
    service = build_assistant(Settings(data_dir=data_dir, database_url=None, secret_key=None))
    sender = service.console_sender(THERAPIST)
    therapist_id = service.therapist_id(sender)
    samples = load_samples()
    who = Who(therapist_id, "console")
    with service.ctx.uow() as uow:
        for name in dict.fromkeys(s["client"] for s in samples):
            roster.create(uow, therapist_id, name, who.actor)
        uow.commit()
    today = service.today_for(therapist_id)

    for number, (sample, session_day) in enumerate(zip(samples, weekly_dates(samples, today)), start=1):
        _say(f"Memo {number}/{len(samples)}: {sample['file']} — transcribing and writing the note…")
        tick = time.perf_counter()
        data = (SAMPLES / sample["file"]).read_bytes()
        receipt = await service.receive_memo(sender, AudioMemo(f"demo-{number}", data, sample["file"], session_date=session_day))
        reply = await service.finish_memo(therapist_id, receipt.memo_id)
        if reply.note is None:
            print(plain_text(reply), file=sys.stderr)
            return 1
        print_reply(reply)
        print(f"   ({time.perf_counter() - tick:.1f} s)")

    tomorrow = today + timedelta(days=1)
    with service.ctx.uow() as uow:
        clients = uow.clients.list(therapist_id)
    for hour, client in zip((9, 14), clients):
        appointments.add(service.ctx, who, client.name, datetime.combine(tomorrow, clock_time(hour)))
    _say(f"Prep digest for {tomorrow:%A %d %B}")
    print(digest_text(await service.digest(therapist_id, tomorrow)))

    for question in QUESTIONS:
        _say(f"Q: {question}")
        answer = await service.answer(sender, question)
        print(answer.text)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _say(f"Done in {time.perf_counter() - started:.1f} s, peak memory {peak_mb:.0f} MB.")
    print("Try it yourself: alliance chat --as \"Your Name\"  (or alliance memo FILE --as \"Your Name\")")
    return 0
