"""Question latency through the whole service (storage, decryption, parsing, answering) for a therapist
with 2,000 notes. Prints JSON. Goal: p95 < 50 ms.

    .venv/bin/python bench/bench_answer_service.py [--db sqlite|postgresql]

PostgreSQL runs in a temporary database on the server of ALLIANCE_TEST_DATABASE_URL, dropped afterwards."""
from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bots.bootstrap import build_assistant  # noqa: E402
from core.config import Settings  # noqa: E402
from core.types import Flag, NoteDraft  # noqa: E402

FIRST = ["Maya", "Daniel", "Priya", "Jonas", "Amara", "Lucas", "Sofia", "Mateo", "Hana", "Omar"]
LAST = ["Thompson", "Okafor", "Shah", "Berg", "Nwosu", "Ferreira"]
TOPICS = [
    ("her father's visit", "She feels guilty about her father's visit."),
    ("work stress", "Work stress has been rising before deadlines."),
    ("sleep", "Sleep has been broken, waking at 4 am."),
    ("drinking", "He cut his drinking down to weekends."),
    ("the breakup", "The breakup still dominates her thoughts."),
    ("panic on the train", "Panic attacks on the train twice this week."),
]
HOMEWORK = ["keep a thought record", "plan one pleasant activity a day", "practise box breathing", "write a letter to her father"]
QUESTIONS = [
    "what did {f} mention last time?",
    "what homework did I give {f}?",
    "any safety concerns with {f}?",
    "when did {f} first bring up {t}?",
    "what did {f} say about {t} in the last 3 sessions?",
    "what should I follow up on with {f} {l}?",
]


def seed(service, therapist_id: int, notes: int, rng: random.Random) -> list[tuple[str, str]]:
    names = [(f, l) for f in FIRST for l in LAST][:40]
    clients = [service.store.add_client(therapist_id, f"{f} {l}") for f, l in names]
    start = date(2024, 1, 1)
    for i in range(notes):
        client = clients[i % len(clients)]
        topic, sentence = rng.choice(TOPICS)
        day = start + timedelta(days=i // len(clients) * 7 + i % 5)
        risks = (Flag("passive_suicidal_ideation", "Sometimes wishes he could disappear.", "present", ("no plan",)),) if i % 37 == 0 else ()
        draft = NoteDraft(
            client_name=client.name, client_id=client.id, session_date=day, format="SOAP",
            sections=(("Subjective", sentence), ("Objective", "Not discussed"), ("Assessment", "Not discussed"), ("Plan", f"Continue work on {topic}.")),
            summary=sentence, key_points=(sentence,), homework=(rng.choice(HOMEWORK),), follow_ups=(f"check in on {topic}",), risks=risks,
        )
        service.store.add_note(therapist_id, draft, memo_id=None)
    return names


def main() -> None:
    if "postgresql" in sys.argv:
        from tests.pg import temporary_pg_database

        with temporary_pg_database("alliance_bench") as url:
            run(url)
    else:
        run(None)


def run(url: str | None) -> None:
    rng = random.Random(7)
    data_dir = Path(tempfile.mkdtemp(prefix="alliance-bench-"))
    service = build_assistant(Settings(data_dir=data_dir, database_url=url), transcriber=object())
    therapist_id = service.therapist_id(service.console_sender("Dr. Bench"))
    tick = time.perf_counter()
    names = seed(service, therapist_id, 2000, rng)
    seeded_s = time.perf_counter() - tick
    timings = []
    for _ in range(300):
        f, l = rng.choice(names)
        question = rng.choice(QUESTIONS).format(f=f, l=l, t=rng.choice(TOPICS)[0])
        tick = time.perf_counter()
        service.answer_for(therapist_id, question)
        timings.append((time.perf_counter() - tick) * 1000)
    timings.sort()
    service.store.engine.dispose()
    print(json.dumps({
        "database": service.store.engine.dialect.name,
        "notes": service.store.count_notes(therapist_id),
        "questions": len(timings),
        "seed_s": round(seeded_s, 1),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95)], 1),
        "max_ms": round(timings[-1], 1),
    }))


if __name__ == "__main__":
    main()
