"""Question latency through the whole service (storage, decryption, parsing, answering) for one therapist
with 20,000 encrypted notes, in two shapes: 40 clients x 500 notes and 400 clients x 50 notes. The
questions are the ones a therapist asks: by full name, by nickname (a client's alias), by a first name only
that client has; single-client kinds and caseload questions. Prints JSON: p50/p95, found vs refused.
Goal: p95 < 50 ms.

    .venv/bin/python bench/bench_answer_service.py [--db sqlite|postgresql] [--notes 20000] [--questions 300]

PostgreSQL runs in a temporary database on the server of ALLIANCE_TEST_DATABASE_URL, dropped afterwards."""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.machine import machine  # noqa: E402
from bots.bootstrap import build_assistant  # noqa: E402
from core.answering import answer_for  # noqa: E402
from core.config import Settings  # noqa: E402
from core.context import Who  # noqa: E402
from core.types import Flag, Measure, NoteDraft  # noqa: E402

SYLLABLES = ["ma", "ya", "da", "ni", "el", "pri", "jo", "nas", "a", "ra", "lu", "ca", "so", "fi", "te", "ha", "o", "mar",
             "ke", "li", "zo", "be", "ri", "ta"]
LAST = ["Thompson", "Okafor", "Shah", "Berg", "Nwosu", "Ferreira", "Kowalski", "Haddad", "Lindqvist", "Mensah"]
TOPICS = [
    ("her father's visit", "She feels guilty about her father's visit."),
    ("work stress", "Work stress has been rising before deadlines."),
    ("sleep", "Sleep has been broken, waking at 4 am."),
    ("drinking", "He cut his drinking down to weekends."),
    ("the breakup", "The breakup still dominates her thoughts."),
    ("panic on the train", "Panic attacks on the train twice this week."),
]
HOMEWORK = ["keep a thought record", "plan one pleasant activity a day", "practise box breathing", "write a letter to her father"]
SINGLE = [
    "what did {n} mention last time?", "what homework did I give {n}?", "any safety concerns with {n}?",
    "when did {n} first bring up {t}?", "what did {n} say about {t} in the last 3 sessions?",
    "how has {n}'s PHQ-9 changed?", "what should I follow up on with {n}?", "remind me about {n}",
]
CASELOAD = ["which clients have open risk flags?", "any ruptures this month?", "whose PHQ-9 went up?",
            "which clients haven't I seen in 3 weeks?", "who has overdue homework?"]


def unique_first_names(count: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        names.add("".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize())
    return sorted(names)


def seed(service, therapist_id: int, clients: int, per_client: int, rng: random.Random) -> list:
    firsts = unique_first_names(clients, rng)
    # A nickname only when no other client's name starts the same way (a shared one rightly gets a question).
    stems = [f[:3] for f in firsts]
    with service.ctx.uow() as uow:
        records = [uow.clients.add(therapist_id, f"{firsts[i]} {LAST[i % len(LAST)]}",
                                   aliases=(stems[i] + "o",) if stems.count(stems[i]) == 1 else ())
                   for i in range(clients)]
        uow.commit()
    start = date(2020, 1, 6)
    batch = []
    for i in range(clients * per_client):
        client = records[i % clients]
        week = i // clients
        topic, sentence = rng.choice(TOPICS)
        measures = (Measure("PHQ-9", float(rng.randint(4, 22)), "PHQ-9 today"),) if week % 4 == 0 else ()
        risks = (Flag("passive_ideation", "Sometimes wishes she could disappear.", "present", ("no plan",)),) if i % 37 == 0 else ()
        alliance = (Flag("rupture", "She said the last session felt rushed."),) if i % 53 == 0 else ()
        batch.append(NoteDraft(
            client_name=client.name, client_id=client.id, session_date=start + timedelta(days=week * 7 * 50 // per_client + i % 5),
            format="SOAP", sections=(("Subjective", sentence), ("Objective", "Engaged."), ("Assessment", "Stable."),
                                      ("Plan", f"Continue work on {topic}.")),
            summary=sentence, key_points=(sentence,), homework=(rng.choice(HOMEWORK),), follow_ups=(f"check in on {topic}",),
            measures=measures, risks=risks, alliance=alliance,
        ))
        if len(batch) == 500 or i == clients * per_client - 1:
            with service.ctx.uow() as uow:
                for draft in batch:
                    uow.notes.add(therapist_id, draft, memo_id=None)
                uow.commit()
            batch = []
    return records


def questions(records, count: int, rng: random.Random) -> list[tuple[str, str]]:
    out = []
    for i in range(count):
        if i % 5 == 4:
            out.append(("caseload", rng.choice(CASELOAD)))
            continue
        client = rng.choice(records)
        first, last = client.name.split(" ", 1)
        forms = [("full name", client.name), ("first name", first)] + ([("nickname", client.aliases[0])] if client.aliases else [])
        form, name = rng.choice(forms)
        out.append((form, rng.choice(SINGLE).format(n=name, t=rng.choice(TOPICS)[0])))
    return out


def run(url: str | None, clients: int, per_client: int, count: int) -> dict:
    rng = random.Random(7)
    data_dir = Path(tempfile.mkdtemp(prefix="alliance-bench-"))
    settings = Settings(data_dir=data_dir, database_url=url)
    service = build_assistant(settings, transcriber=object())
    therapist_id = service.therapist_id(service.console_sender("Dr. Bench"))
    tick = time.perf_counter()
    records = seed(service, therapist_id, clients, per_client, rng)
    seeded_s = time.perf_counter() - tick
    with service.ctx.uow() as uow:
        uow.optimize()  # what the daily maintenance does: fresh statistics for the planner
    who = Who(therapist_id, "bench")
    timings, found, by_caseload_question = {}, {}, {}
    for form, question in questions(records, count, rng):
        tick = time.perf_counter()
        answer = answer_for(service.ctx, who, question)
        timings.setdefault(form, []).append((time.perf_counter() - tick) * 1000)
        if form == "caseload":
            by_caseload_question.setdefault(question, []).append(timings[form][-1])
        found.setdefault(form, [0, 0])[0 if answer.found else 1] += 1
    every = sorted(t for ts in timings.values() for t in ts)
    service.ctx.uow.engine.dispose()
    return {
        "database": "postgresql" if url else "sqlite", "clients": clients, "notes_per_client": per_client,
        "notes": clients * per_client, "questions": len(every), "seed_s": round(seeded_s, 1),
        "p50_ms": round(statistics.median(every), 1), "p95_ms": round(every[int(len(every) * 0.95)], 1),
        "max_ms": round(every[-1], 1),
        "by_form": {form: {"p95_ms": round(sorted(ts)[int(len(ts) * 0.95)], 1), "found": found[form][0], "refused": found[form][1]}
                    for form, ts in timings.items()},
        "caseload_p50_ms": {q: round(statistics.median(ts), 1) for q, ts in sorted(by_caseload_question.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--notes", type=int, default=20_000)
    parser.add_argument("--questions", type=int, default=300)
    args = parser.parse_args()
    shapes = [(40, args.notes // 40), (400, args.notes // 400)]
    results = []
    for clients, per_client in shapes:
        if args.db == "postgresql":
            from tests.pg import temporary_pg_database

            with temporary_pg_database("alliance_bench") as url:
                results.append(run(url, clients, per_client, args.questions))
        else:
            results.append(run(None, clients, per_client, args.questions))
        print(json.dumps(results[-1]), file=sys.stderr)
    print(json.dumps({"date": datetime.now(timezone.utc).date().isoformat(), "machine": machine(), "runs": results}, indent=2))


if __name__ == "__main__":
    main()
