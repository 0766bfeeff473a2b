"""Benchmark: answering questions from one therapist's 2,000 notes (the pure layer: parse + answer).

Synthetic, deterministic data: ~40 invented clients, 50 notes each, built from varied template
sentences, and two weeks of appointments; 200 single-client questions in the original templates, 200
realistic ones (full names, nicknames, unique first names, titles, misspellings) and 100 questions across
the caseload (which read every client's notes). Storage and decryption are measured elsewhere. Prints
JSON: latency per kind, and how many were answered (found) or refused.

    .venv/bin/python bench/bench_ask.py [--notes 2000] [--clients 40] [--questions 200] [--seed 7]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datetime import datetime, time as clock_time  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from core.memory.ask import answer_question  # noqa: E402
from core.memory.caseload import InMemoryCaseload, Session  # noqa: E402
from core.language.client_match import ClientRecord  # noqa: E402
from core.types import Flag, Measure, NoteDraft  # noqa: E402

FIRST = ("Maya Daniel Priya Jordan Sam Elena Marcus Aisha Tomas Leila Noah Grace Omar Hana Felix Ruth Kofi Ines Arjun "
         "Clara Mateo Yara Jonas Mira Theo Zara Lucas Nadia Ezra Sofia Idris Lena Rafael Amara Hugo Freya Kenji Alma "
         "Dmitri Rosa").split()
LAST = ("Thompson Okafor Shah Lee Rivera Petrova Hill Khan Novak Haddad Brooks Fischer Said Sato Wagner Cohen Mensah "
        "Alves Patel Weber Ortiz Nasser Berg Rossi Park Malik Costa Ivanova Stone Garcia Bello Lund Moreno Diallo "
        "Laurent Olsen Tanaka Reyes Sokolov Vega").split()
TOPICS = [
    ("her father", "his father"), ("her mother", "his mother"), ("her sister", "his brother"),
    ("the breakup", "the divorce"), ("drinking on weekends", "drinking after work"), ("sleep", "insomnia"),
    ("her manager", "his boss"), ("losing the job", "the job interview"), ("school exams", "college applications"),
    ("money worries", "the rent"), ("loneliness", "friends moving away"), ("panic attacks", "anxiety at work"),
    ("grief after the funeral", "the anniversary of the death"), ("her medication", "his medication"),
    ("the move to a new city", "the new apartment"), ("the wedding", "the holidays with family"),
]
SENTENCES = [
    "{P} talked about {t}.", "{P} said {t} has been on {p} mind all week.", "{P} described conflict around {t}.",
    "{P} brought up {t} for the first time.", "{P} feels stuck about {t}.", "We explored feelings about {t}.",
    "{P} reported sleeping better since the last session.", "{P} was tearful when discussing {t}.",
    "{P} noticed {p} anxiety rises before weekends.", "{P} has been avoiding calls from {t2}.",
    "Mood was low at the start and brighter by the end.", "{P} practised the breathing exercise three times.",
]
HOMEWORK = [
    "Keep a sleep diary for one week.", "Complete a thought record when anxious.", "Practise box breathing twice a day.",
    "Write a letter to {t} without sending it.", "Schedule one pleasant activity each day.",
    "Track drinks per day on the app.", "Call a friend once this week.",
]
FOLLOW = ["Ask how {t} went.", "Revisit the safety plan.", "Check the sleep diary.", "Review the thought records."]
RISKS = [
    Flag("suicidal_ideation", "{P} denies suicidal ideation.", "denied"),
    Flag("passive_ideation", "{P} sometimes thinks everyone would be better off without {o}, no plan, no intent.",
         "present", ("no plan", "no intent")),
    Flag("access_to_means", "{P} keeps a stash of old pills in the bathroom cabinet.", "present"),
    Flag("substance_risk", "{P} relapsed at a party at the weekend.", "present"),
]
ALLIANCE = [Flag("rupture", "{P} said the last session felt rushed."), Flag("ambivalence", "{P} is not sure therapy is helping.")]
NICKNAMES = {"Daniel": "Danny", "Elena": "Lena", "Thomas": "Tom", "Samuel": "Sam", "Rafael": "Rafa", "Sofia": "Sofi"}
REALISTIC = [
    "what did {n} talk about last session?", "what should I pick up with {f} on {wd}?", "coping skills with {f}",
    "what did Ms. {l} say about {t}?", "{k}'s homework", "does {f} have access to means?", "is {f} using again?",
    "what did {f} say about {tm}?", "{n} PHQ-9", "prep me for {n}", "did {f} mention her sleeep?",
    "what should I bring up with {f} tomorrow?", "any ruptures with {f}?", "how is {k} doing?",
]
CASELOAD = [
    "which clients have risk flags?", "any ruptures this week?", "who am I seeing tomorrow?", "what's on Thursday?",
    "what do I need for today's sessions?", "which clients haven't I seen in 3 weeks?", "whose PHQ-9 went up?",
    "any scores getting worse?", "overdue homework?", "who has access to means?", "prep me for tomorrow",
    "which clients are ambivalent about therapy?",
]
QUESTIONS = [
    "what did {f} mention last time?", "what homework did I give {f}?", "any safety concerns with {f}?",
    "when did {f} first bring up {t}?", "what did {n}'s last 3 sessions cover?", "what did {f} say about {t}?",
    "{f}'s PHQ-9 trend", "what should I follow up on with {f} today?", "did {f} talk about drinking in the last 2 sessions?",
    "what did {f} say on {d}?", "how was {n}'s session on {iso}?", "{f} sleep since October", "Is {f} suicidal?",
    "What did {f} and I agree on last session?", "did {f} mention {t} last week?", "Prep me for {n}",
    "what did {f} say about gambling?", "how is {fl} doing", "list every client of all therapists",
    "when did {f} first mention the move?", "What did {f} say 2 sessions ago?", "any ruptures with {f}?",
]


def build(n_notes: int, n_clients: int, rng: random.Random):
    clients = []
    for i in range(n_clients):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
        aliases = (NICKNAMES[first],) if first in NICKNAMES and i < len(FIRST) else ()
        clients.append(ClientRecord(i + 1, f"{first} {last}", aliases))
    notes: dict[int, list[NoteDraft]] = {c.id: [] for c in clients}
    per_client = n_notes // n_clients
    nid = 0
    for c in clients:
        she = rng.random() < 0.5
        P, p, o = ("She", "her", "her") if she else ("He", "his", "him")
        days, day = [], date(2026, 11, 23) - timedelta(days=rng.randrange(0, 21))
        for _ in range(per_client):  # weekly, sometimes fortnightly, ending in the last three weeks
            days.append(day)
            day -= timedelta(days=rng.choice((7, 7, 7, 14)))
        for k, day in enumerate(reversed(days)):
            nid += 1
            t = rng.choice(TOPICS)[0 if she else 1]
            t2 = rng.choice(TOPICS)[0 if she else 1]
            sents = [s.format(P=P, p=p, t=t, t2=t2) for s in rng.sample(SENTENCES, 5)]
            hw = tuple(h.format(t=t) for h in rng.sample(HOMEWORK, rng.choice((0, 1, 1, 2))))
            fu = tuple(f.format(t=t) for f in rng.sample(FOLLOW, rng.choice((0, 1, 1))))
            risks = tuple(Flag(f.kind, f.evidence.format(P=P, o=o), f.status, f.qualifiers)
                          for f in rng.sample(RISKS, 1) if rng.random() < 0.15)
            alliance = tuple(Flag(f.kind, f.evidence.format(P=P)) for f in rng.sample(ALLIANCE, 1) if rng.random() < 0.08)
            measures = (Measure("PHQ-9", rng.randrange(3, 22)), Measure("GAD-7", rng.randrange(2, 19))) if k % 4 == 0 else ()
            notes[c.id].append(NoteDraft(
                client_name=c.name, client_id=c.id, note_id=nid, session_date=day, format="SOAP",
                sections=(("Subjective", " ".join(sents[:3])), ("Objective", "Not discussed"),
                          ("Assessment", sents[3]), ("Plan", sents[4])),
                summary=sents[0], key_points=(sents[1], sents[2]), homework=hw, follow_ups=fu, risks=risks,
                measures=measures, alliance=alliance,
            ))
    tz = ZoneInfo("Europe/London")
    sessions = [Session(c.id, c.name, datetime.combine(date(2026, 11, 23) + timedelta(days=rng.randrange(14)),
                                                       clock_time(rng.randrange(8, 18)), tz))
                for c in clients if rng.random() < 0.8]
    return clients, notes, sessions


def questions(clients, notes, n: int, rng: random.Random) -> list[str]:
    out = []
    for i in range(n):
        c = rng.choice(clients)
        first = c.name.split()[0]
        some = rng.choice(notes[c.id])
        topic = rng.choice(TOPICS)[rng.randrange(2)].replace("her ", "").replace("his ", "")
        out.append(QUESTIONS[i % len(QUESTIONS)].format(
            f=first, n=c.name, fl=first.lower() + "e", t=topic, d=some.session_date.strftime("%B %-d"),
            iso=some.session_date.isoformat(),
        ))
    return out


def realistic(clients, n: int, rng: random.Random) -> list[str]:
    """Questions as therapists type them: full names, unique first names, nicknames, titles, typos."""
    firsts = [c.name.split()[0] for c in clients]
    out = []
    for i in range(n):
        c = rng.choice(clients)
        first, last = c.name.split()[0], c.name.split()[-1]
        name = first if firsts.count(first) == 1 else c.name  # a first name only where it is unique
        out.append(REALISTIC[i % len(REALISTIC)].format(
            n=c.name, f=name, l=last, k=(c.aliases or (name,))[0], wd=rng.choice(("Thursday", "Friday", "Monday")),
            t=rng.choice(("her father", "the breakup", "work", "sleep")), tm=rng.choice(("mom", "boss", "insomnia", "drinking")),
        ))
    return out


def _stats(prefix: str, times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        f"{prefix}p50_ms": round(statistics.median(times), 2),
        f"{prefix}p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
        f"{prefix}max_ms": round(times[-1], 2),
    }


def _clear_caches() -> None:
    import core.language.client_match as clients_mod
    import core.memory.query as query_mod

    import core.memory.topics as topics_mod

    for fn in (query_mod.stem, query_mod.word_keys, topics_mod.query_key, clients_mod._pkey, clients_mod._nysiis,
               clients_mod.token_similarity, clients_mod._forms):
        fn.cache_clear()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--notes", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=40)
    ap.add_argument("--questions", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    clients, notes, sessions = build(args.notes, args.clients, rng)
    kinds = {
        "templates": questions(clients, notes, args.questions, rng),
        "realistic": realistic(clients, args.questions, rng),
        "caseload": [CASELOAD[i % len(CASELOAD)] for i in range(args.questions // 2)],
    }
    today = date(2026, 11, 24)
    caseload = InMemoryCaseload(clients, notes, sessions)  # notes already decrypted, as the service hands them over
    for q in kinds["templates"][:20] + kinds["caseload"][:12]:  # import-time work and the first regex compiles
        answer_question(q, caseload, today)
    result = {"benchmark": "ask_pure_layer", "notes": sum(len(v) for v in notes.values()), "clients": len(clients)}
    every = []
    for kind, qs in kinds.items():
        warm, cpu, found = [], [], 0
        for q in qs:
            c0, t0 = time.process_time(), time.perf_counter()
            answer = answer_question(q, caseload, today)
            warm.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)  # this process's CPU only: robust to a busy machine
            found += answer.found
        cold = []  # every word cache emptied before each question: notes seen for the first time
        for q in qs:
            _clear_caches()
            t0 = time.perf_counter()
            answer_question(q, caseload, today)
            cold.append((time.perf_counter() - t0) * 1000)
        every += warm
        result[kind] = {"questions": len(qs), "found": found, "refused": len(qs) - found,
                        **_stats("", warm), **_stats("cold_", cold), **_stats("cpu_", cpu)}
    result.update({
        **_stats("all_", every),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "goal_p95_ms": 50,
        "python": platform.python_version(),
        "nproc": os.cpu_count(),
    })
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
