"""Benchmark: what the alliance lines cost the 07:30 tick. The batched digests now read a client's last
8 notes (open ruptures, feedback drops and quiet goals several sessions back) instead of 3, and the
therapist's entries. Composes the digests of N therapists with 6 sessions each and 12 earlier notes per
client (a rupture in 1 client in 4, SRS scores in every note), on SQLite; prints one JSON object.

    .venv/bin/python bench/bench_alliance_digest.py --therapists 1000

Run it on a tree before this change and after it to compare (the script uses nothing new).
Invented data only.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from bots.bootstrap import build_assistant  # noqa: E402
from core.config import Settings  # noqa: E402
from core.schedule.digests import compose_digests  # noqa: E402
from core.types import Flag, Measure, NoteDraft  # noqa: E402
from storage.models import Appointment, Client, Note, Therapist  # noqa: E402

TZ = "Europe/Berlin"
DAY = date(2026, 12, 1)


class FixedClock:
    def now(self) -> datetime:
        return datetime(2026, 12, 1, 6, 30, tzinfo=timezone.utc)


def note(name: str, client_id: int, day: date, rng: random.Random, rupture: bool) -> dict:
    return NoteDraft(
        name, day, "SOAP",
        (("Subjective", f"{name} reported a difficult week at work. Her goal is to return to full-time work by spring."),
         ("Objective", "Engaged, good eye contact."), ("Assessment", "Anxiety stable."), ("Plan", "Continue exposure.")),
        "Worked on avoidance at work.", client_id=client_id, key_points=("Avoids team meetings",),
        measures=(Measure("SRS", rng.randint(28, 40), "SRS score given.", scale_min=0, scale_max=40),),
        alliance=(Flag("rupture", "She was frustrated with me about the pace."),) if rupture else (),
    ).to_json()


def populate(service, therapists: int, per_day: int, notes: int) -> int:
    cipher, engine = service.ctx.uow.cipher, service.ctx.uow.engine
    rng, tz, now = random.Random(5), ZoneInfo(TZ), datetime.now(timezone.utc)
    count = 0
    for first in range(1, therapists + 1, 200):
        t_rows, c_rows, n_rows, a_rows = [], [], [], []
        for tid in range(first, min(first + 200, therapists + 1)):
            t_rows.append(dict(id=tid, name_enc=cipher.encrypt(f"Dr. Bench {tid}"), timezone=TZ, created_at=now))
            for k in range(per_day):
                cid = tid * 100 + k
                name = f"Client {cid}"
                c_rows.append(dict(id=cid, therapist_id=tid, name_enc=cipher.encrypt(name), created_at=now))
                for n in range(notes):
                    day = DAY - timedelta(weeks=n + 1)
                    rupture = k % 4 == 0 and n == 5  # a rupture six weeks back, never repaired
                    n_rows.append(dict(therapist_id=tid, client_id=cid, session_date=day, format="SOAP", status="final",
                                       version=1, content_enc=cipher.encrypt_json(note(name, cid, day, rng, rupture)),
                                       created_at=now, updated_at=now))
                starts = datetime(2026, 12, 1, 9 + k, 0, tzinfo=tz).astimezone(timezone.utc)
                a_rows.append(dict(therapist_id=tid, client_id=cid, starts_at=starts, duration_minutes=50, weekly=False,
                                   source="chat", cancelled=False, created_at=now))
        with engine.begin() as conn:
            for table, rows in ((Therapist, t_rows), (Client, c_rows), (Note, n_rows), (Appointment, a_rows)):
                conn.execute(insert(table), rows)
        count += len(n_rows)
    return count


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--therapists", type=int, default=1000)
    parser.add_argument("--sessions", type=int, default=6)
    parser.add_argument("--notes", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        service = build_assistant(Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/bench.db"), clock=FixedClock())
        notes = populate(service, args.therapists, args.sessions, args.notes)
        ids = list(range(1, args.therapists + 1))
        t0, c0 = time.perf_counter(), time.process_time()
        digests = compose_digests(service.ctx, [(tid, DAY) for tid in ids])
        compose_s, cpu_s = time.perf_counter() - t0, time.process_time() - c0
        items = [i for d in digests.values() for i in d.items]
        lines = sum(len(getattr(i, "alliance_items", ())) for i in items)
        print(json.dumps({"db": "sqlite", "therapists": args.therapists, "sessions": len(items), "notes": notes,
                          "compose_s": round(compose_s, 2), "compose_cpu_s": round(cpu_s, 2),
                          "ms_per_digest": round(1000 * compose_s / args.therapists, 2), "alliance_lines": lines}))
        service.ctx.uow.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
