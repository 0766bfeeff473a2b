"""Benchmark: the local cost of guarding a model-written note (everything except the model call).

Synthetic, deterministic transcripts of about 2 and 30 minutes of dictation (~300 and ~4,500 words)
and a model note of typical size (4 sections, 12 items, 3 flags); measures preparing the source,
checking every claim and quote, and merging the offline safety detector's flags. Goal: well under a
second for a 30-minute memo, so the guards never matter next to the model's own latency. Prints JSON.

    .venv/bin/python bench/bench_llm_guards.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import time
from datetime import date

from core.models.guards import Source, guard_note
from core.notes.writer import NoteSchema

SENTENCES = [
    "She has been keeping a sleep diary and says her sleep has not improved much.",
    "PHQ-9 was 17 today, up from 14.",
    "She talked about her father's illness and feels guilty for not visiting him.",
    "Work stress has been rising before deadlines.",
    "We practised box breathing together and she found it calming.",
    "She said sometimes she thinks everyone would be better off without her, no plan, no intent.",
    "The breakup still dominates her thoughts in the evenings.",
    "We agreed she will try a thought record twice this week.",
    "She was quiet at the start and said the last session felt rushed.",
    "Next time I want to follow up on the visit to her father.",
]


def transcript(words: int, rng: random.Random) -> str:
    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        out.append(rng.choice(SENTENCES))
    return " ".join(out)


def model_output():
    return NoteSchema.model_validate(
        {
            "format": "SOAP",
            "summary": "Sleep has not improved much; PHQ-9 up from 14 to 17.",
            "sections": {
                "Subjective": "Sleep has not improved much despite the sleep diary. She feels guilty for not visiting her father.",
                "Objective": "PHQ-9 was 17, up from 14.",
                "Assessment": "Mood symptoms worsening with work stress.",
                "Plan": "Thought record twice this week. Follow up on the visit to her father.",
            },
            "key_points": ["Sleep has not improved much", "Work stress rising before deadlines", "Found box breathing calming",
                           "Breakup dominates evening thoughts", "Invented: started sertraline"],
            "homework": ["Complete a thought record twice this week", "Practise box breathing"],
            "plan": ["Follow up on the visit to her father", "Review the sleep diary"],
            "follow_ups": ["Visit to her father", "Last session felt rushed"],
            "measures": [{"name": "PHQ-9", "score": 17, "evidence": "PHQ-9 was 17 today"}],
            "risks": [{"kind": "suicidal_ideation", "status": "present", "evidence": "everyone would be better off without her",
                       "qualifiers": ["passive", "no plan", "no intent"]},
                      {"kind": "self_harm", "status": "present", "evidence": "she cut her arm last night", "qualifiers": []}],
            "alliance": [{"kind": "rupture", "evidence": "the last session felt rushed"}],
        }
    )


def run(words: int, repeat: int, rng: random.Random) -> dict:
    text = transcript(words, rng)
    draft = model_output().to_draft("Maya Thompson", date(2026, 3, 2), "llm")
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        guard_note(draft, Source.of(text), text)
        timings.append(time.perf_counter() - started)
    return {"words": len(text.split()), "median_s": round(statistics.median(timings), 4), "max_s": round(max(timings), 4)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    results = {"two_minutes": run(300, args.repeat, rng), "thirty_minutes": run(4500, args.repeat, rng)}
    print(json.dumps({"bench": "llm_guards", "python": platform.python_version(), "results": results}, indent=2))


if __name__ == "__main__":
    import logging

    logging.disable(logging.WARNING)  # the guard's "removed ..." lines are expected here
    main()
