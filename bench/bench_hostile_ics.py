"""Hostile calendars (issue 12): each file is sent in the chat by one therapist (`calendar_file`, which reads
it in a thread) while another therapist sends /clients every 50 ms on the same event loop. Goal: every
import finishes within 2 s with a clear message, and the other therapist's command answers within 1 s.
Default limits (core/config.py). Prints one JSON object per database.

    .venv/bin/python bench/bench_hostile_ics.py              # SQLite, and PostgreSQL when configured

The set: RRULE:FREQ=MINUTELY and FREQ=SECONDLY without an end (the 192-byte files of the issue), 5,000
single sessions in the next months, a 3 MB title, a malformed file, an impossible rule (Feb 30th daily),
and for reference an ordinary practice calendar (40 weekly clients).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import machine  # noqa: E402

NOW = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)


def event(uid: str, start: datetime, *, rule: str = "", title: str = "Maya T.") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:{title}\r\n"
            f"DTSTART:{start:%Y%m%dT%H%M%SZ}\r\nDTEND:{start + timedelta(minutes=50):%Y%m%dT%H%M%SZ}\r\n"
            + (f"RRULE:{rule}\r\n" if rule else "") + "END:VEVENT\r\n")


def calendar(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Invented//Bench//EN\r\n" + "".join(events)
            + "END:VCALENDAR\r\n").encode()


def hostile_set() -> dict[str, bytes]:
    start = NOW + timedelta(hours=1)
    return {
        "minutely_forever": calendar(event("m", start, rule="FREQ=MINUTELY")),
        "secondly_forever": calendar(event("s", start, rule="FREQ=SECONDLY")),
        "5000_events": calendar(*[event(f"e{i}", start + timedelta(hours=i)) for i in range(5000)]),
        "3mb_title": calendar(event("t", start, title="Maya " + "A" * 3_000_000)),
        "malformed": b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\nRRULE:FREQ=\r\nEND:VCALENDAR",
        "impossible_rule": calendar(event("feb30", start, rule="FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")),
        "practice_40_weekly": calendar(*[event(f"w{i}", start + timedelta(days=i % 5, hours=i // 5), rule="FREQ=WEEKLY",
                                               title=f"Client {i}") for i in range(40)]),
    }


async def run(db: str, url: str | None) -> dict:
    from bots.bootstrap import build_assistant
    from core.config import Settings
    from core.schedule.commands import calendar_file

    with tempfile.TemporaryDirectory(prefix="alliance-ics-") as tmp:
        service = build_assistant(Settings(data_dir=Path(tmp), database_url=url))
        importer = service.who(service.console_sender("Dr. Ines Varga"))
        other = service.console_sender("Dr. Omar Reyes")
        results = {}
        for name, data in hostile_set().items():
            latencies, done = [], asyncio.Event()

            async def the_other_therapist(tag=name):
                i = 0
                while not done.is_set():
                    began = time.perf_counter()
                    await service.receive_text(other, "/clients", message_id=f"{tag}-{i}")
                    latencies.append(time.perf_counter() - began)
                    i += 1
                    await asyncio.sleep(0.05)

            pinger = asyncio.create_task(the_other_therapist())
            began = time.perf_counter()
            reply = await calendar_file(service.ctx, importer, data)
            took = time.perf_counter() - began
            done.set()
            await pinger
            results[name] = {"bytes": len(data), "import_s": round(took, 2), "reply": reply.text[:150],
                             "other_commands": len(latencies), "other_max_s": round(max(latencies), 3)}
        service.ctx.uow.engine.dispose()
    return {"db": db, "results": results, "machine": machine()}


def hostile_text() -> dict:
    """Naming the client in long text (core.language.client_match.resolve_client), and a 1 MB /note in a
    chat (refused by ALLIANCE_MAX_NOTE_CHARS before anything is read or stored)."""
    import random

    from bots.bootstrap import build_assistant
    from core.config import Settings
    from core.language.client_match import ClientRecord, resolve_client

    rng = random.Random(1)
    clients = [ClientRecord(i, n) for i, n in enumerate(["Maya Thompson", "Daniel Okafor", "Priya Raman", "Jordan Lee"])]
    words = ("Session with Maya today. She reported that the week was hard and Jordan came up again. I mean, the "
             "homework was done. Priya was mentioned by her mother").split()
    out = {}
    for size in (20_000, 40_000, 125_000, 1_000_000):
        text = ""
        while len(text) < size:
            text += " ".join(rng.choice(words) for _ in range(12)) + ". "
        began = time.perf_counter()
        resolve_client(text[:size], clients)
        out[f"resolve_client_{size // 1000}kB_s"] = round(time.perf_counter() - began, 3)
    with tempfile.TemporaryDirectory(prefix="alliance-text-") as tmp:
        service = build_assistant(Settings(data_dir=Path(tmp)))
        sender = service.console_sender("Dr. Ines Varga")
        began = time.perf_counter()
        reply = asyncio.run(service.receive_text(sender, "/note " + "Session with Maya. " * 55_000, message_id="big"))
        out["chat_note_1MB_s"] = round(time.perf_counter() - began, 3)
        out["chat_note_1MB_reply"] = reply.text[:100]
        service.ctx.uow.engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--text", action="store_true", help="also: hostile text (long notes, a 1 MB /note)")
    args = parser.parse_args()
    if args.text:
        print(json.dumps({"hostile_text": hostile_text(), "machine": machine()}))
    if args.db in ("sqlite", "both"):
        print(json.dumps(asyncio.run(run("sqlite", None))))
    if args.db in ("postgresql", "both") and os.environ.get("ALLIANCE_TEST_DATABASE_URL"):
        from tests.pg import temporary_pg_database

        with temporary_pg_database("alliance_bench_ics") as url:
            print(json.dumps(asyncio.run(run("postgresql", url))))


if __name__ == "__main__":
    main()
