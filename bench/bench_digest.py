"""Benchmark: compose the morning digests of 10,000 therapists with 6 sessions each, on SQLite and on
PostgreSQL. Goal (issue 5): under 60 s on 2 cores. Prints one JSON object per database.

    .venv/bin/python bench/bench_digest.py                       # SQLite, and PostgreSQL when configured
    .venv/bin/python bench/bench_digest.py --therapists 1000 --db sqlite

PostgreSQL runs in a throwaway database on the server named by ALLIANCE_TEST_DATABASE_URL.
Measured:
- compose_s: core.schedule.digests.compose_digests for every therapist (what the morning tick composes),
  checked item for item against `Assistant.digest` on a sample (one_by_one_ms_per_digest);
- tick_0730_s: one scheduler tick at 07:30 when every therapist's digest is due at once (the worst case:
  one time zone, one digest time): ledger claims + composing + the ledger reads, sends excluded;
- *_cpu_s: this process's CPU time (the database server's, for PostgreSQL, is not included);
- idle_tick_s: a tick when nothing is due (the cost paid every 30 s: batched reads of settings,
  identities and upcoming appointments).
Invented data only: generated names, notes and sessions.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import machine  # noqa: E402

from sqlalchemy import insert  # noqa: E402

from bots.bootstrap import build_assistant  # noqa: E402
from core.config import Settings  # noqa: E402
from core.schedule.digests import compose_digests  # noqa: E402
from core.schedule.notifications import due_notifications  # noqa: E402
from core.types import Flag, NoteDraft  # noqa: E402
from storage.models import Appointment, Client, Identity, Note, Therapist  # noqa: E402

TZ = "Europe/Berlin"
DAY = date(2026, 12, 1)  # a Tuesday
FIRST = ("Maya", "Daniel", "Priya", "Jonas", "Lena", "Omar", "Ines", "Tomas", "Kenji", "Aisha", "Noah", "Sara")
LAST = ("Thompson", "Okafor", "Raman", "Brandt", "Varga", "Reyes", "Mori", "Haddad", "Lindqvist", "Costa")


class FixedClock:
    def __init__(self, at: datetime):
        self.at = at

    def now(self) -> datetime:
        return self.at


def note_json(name: str, client_id: int, day: date, rng: random.Random) -> dict:
    draft = NoteDraft(
        client_name=name,
        client_id=client_id,
        session_date=day,
        format="SOAP",
        sections=(
            ("Subjective", f"{name} reported a difficult week at work and poor sleep on most nights."),
            ("Objective", "Engaged, good eye contact, affect congruent."),
            ("Assessment", "Anxiety symptoms stable; avoidance decreasing."),
            ("Plan", "Continue exposure hierarchy; review sleep diary."),
        ),
        summary="Worked on avoidance at work and sleep routine.",
        key_points=("Avoids team meetings", "Sleep onset about an hour", "Started walking in the morning"),
        homework=("Keep a sleep diary",) if rng.random() < 0.7 else (),
        follow_ups=("Check in on the performance review",) if rng.random() < 0.5 else (),
        risks=(Flag("passive_ideation", "Sometimes wishes she could disappear."),) if rng.random() < 0.05 else (),
    )
    return draft.to_json()


def populate(service, therapists: int, per_day: int, notes_per_client: int) -> dict:
    """Bulk-insert invented therapists, identities, clients, notes and sessions on DAY."""
    cipher, engine = service.ctx.uow.cipher, service.ctx.uow.engine
    rng = random.Random(5)
    tz = ZoneInfo(TZ)
    counts = {"therapists": therapists, "appointments": 0, "notes": 0, "weekly_series": 0}
    batch = 500
    for first_id in range(1, therapists + 1, batch):
        ids = list(range(first_id, min(first_id + batch, therapists + 1)))
        t_rows, i_rows, c_rows, n_rows, a_rows = [], [], [], [], []
        for tid in ids:
            t_rows.append(dict(id=tid, name_enc=cipher.encrypt(f"Dr. Bench {tid}"), timezone=TZ, note_format="SOAP",
                               digest_time="07:30", digest_days="mon-fri", digest_enabled=True, digest_when_empty=False,
                               reminder_minutes=15, created_at=datetime.now(timezone.utc)))
            i_rows.append(dict(therapist_id=tid, platform="telegram", workspace_id="", user_key=str(900000 + tid),
                               created_at=datetime.now(timezone.utc)))
            for k in range(per_day):
                cid = (tid - 1) * per_day + k + 1
                name = f"{FIRST[(tid + k) % len(FIRST)]} {LAST[(tid * 7 + k) % len(LAST)]}"
                c_rows.append(dict(id=cid, therapist_id=tid, name_enc=cipher.encrypt(name), created_at=datetime.now(timezone.utc)))
                for n in range(notes_per_client):
                    day = DAY - timedelta(days=7 * (n + 1))
                    n_rows.append(dict(therapist_id=tid, client_id=cid, session_date=day, format="SOAP", status="final",
                                       version=1, content_enc=cipher.encrypt_json(note_json(name, cid, day, rng)),
                                       created_at=datetime.now(timezone.utc), updated_at=datetime.now(timezone.utc)))
                weekly = k % 2 == 0  # half are weekly series that began weeks ago, half one-off sessions
                start_day = DAY - timedelta(weeks=rng.randint(1, 20)) if weekly else DAY
                starts = datetime(start_day.year, start_day.month, start_day.day, 9 + k, 0, tzinfo=tz)
                a_rows.append(dict(therapist_id=tid, client_id=cid, starts_at=starts.astimezone(timezone.utc), duration_minutes=50,
                                   weekly=weekly, source="chat", cancelled=False, created_at=datetime.now(timezone.utc)))
                counts["weekly_series"] += weekly
        with engine.begin() as conn:
            conn.execute(insert(Therapist), t_rows)
            conn.execute(insert(Identity), i_rows)
            conn.execute(insert(Client), c_rows)
            conn.execute(insert(Note), n_rows)
            conn.execute(insert(Appointment), a_rows)
        counts["appointments"] += len(a_rows)
        counts["notes"] += len(n_rows)
    if engine.dialect.name == "postgresql":  # explicit ids were inserted: move the sequences past them
        with engine.begin() as conn:
            for table in ("therapist", "client"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    return counts


async def measure(url: str | None, label: str, therapists: int, per_day: int, notes_per_client: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        at_0730 = datetime(2026, 12, 1, 7, 30, tzinfo=ZoneInfo(TZ)).astimezone(timezone.utc)
        service = build_assistant(Settings(data_dir=Path(tmp), database_url=url), clock=FixedClock(at_0730))
        t0 = time.perf_counter()
        counts = populate(service, therapists, per_day, notes_per_client)
        setup_s = time.perf_counter() - t0

        with service.ctx.uow() as uow:
            ids = [t.id for t in uow.therapists.all()]
        t0, c0 = time.perf_counter(), time.process_time()
        digests = compose_digests(service.ctx, [(tid, DAY) for tid in ids])
        compose_s, compose_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        assert sum(len(d.items) for d in digests.values()) == therapists * per_day

        # The one-therapist path (`alliance digest`, chat /today) on a sample, for comparison.
        sample = ids[: min(len(ids), 300)]
        t0 = time.perf_counter()
        for tid in sample:
            assert (await service.digest(tid, DAY)).items == digests[tid].items
        single_ms = 1000 * (time.perf_counter() - t0) / len(sample)

        t0, c0 = time.perf_counter(), time.process_time()
        due = await due_notifications(service.ctx, at_0730)
        tick_s, tick_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        assert sum(o.kind == "digest" for o in due) == therapists, len(due)

        t0 = time.perf_counter()
        idle = await due_notifications(service.ctx, at_0730 + timedelta(minutes=5))  # 07:35: digests done, no session near
        idle_s = time.perf_counter() - t0
        assert idle == [], len(idle)
        service.ctx.uow.engine.dispose()
    return {
        "benchmark": "digest", "database": label, **counts, "clients": therapists * per_day,
        "setup_s": round(setup_s, 1), "compose_s": round(compose_s, 2), "compose_cpu_s": round(compose_cpu_s, 2),
        "per_digest_ms": round(1000 * compose_s / therapists, 2),
        "one_by_one_ms_per_digest": round(single_ms, 1),
        "tick_0730_s": round(tick_s, 2), "tick_0730_cpu_s": round(tick_cpu_s, 2), "idle_tick_s": round(idle_s, 3), "goal_s": 60,
        "ok": compose_s < 60 and tick_s < 60,
        "machine": machine(),
        "load_avg_1m": round(os.getloadavg()[0], 1),  # other work on the machine inflates wall times
        "date": date.today().isoformat(),
    }



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--therapists", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=6, help="sessions per therapist on the day")
    parser.add_argument("--notes", type=int, default=3, help="earlier notes per client")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    results = []
    if args.db in ("sqlite", "both"):
        results.append(asyncio.run(measure(None, "sqlite", args.therapists, args.sessions, args.notes)))
        print(json.dumps(results[-1]), flush=True)
    if args.db in ("postgresql", "both"):
        from tests.pg import admin_url, temporary_pg_database

        if not admin_url():
            print(json.dumps({"benchmark": "digest", "database": "postgresql", "skipped": "set ALLIANCE_TEST_DATABASE_URL"}))
        else:
            with temporary_pg_database("alliance_bench_digest") as url:
                results.append(asyncio.run(measure(url, "postgresql", args.therapists, args.sessions, args.notes)))
            print(json.dumps(results[-1]), flush=True)
    return 0 if all(r.get("ok", True) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
