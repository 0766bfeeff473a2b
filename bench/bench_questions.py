"""Benchmark: the question set (tests/core/questions/) answered from in-memory caseloads, scored right /
wrong / refused per category, with the word index alone and with retrieval by meaning added.

"right": the expected answer or the expected refusal; "wrong": an answer where none was expected, or one
that cites the wrong clients or dates or lacks an expected phrase; "refused": no answer where one was
expected. Also counted: answers citing or quoting another caseload (another therapist) and bullet lines
not copied from a cited note; both must be 0.

    .venv/bin/python bench/bench_questions.py [--set questions|heldout|all] [--thresholds 0.30,0.37] [--show]
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.memory import meaning as meaning_mod  # noqa: E402
from core.memory.ask import answer_question  # noqa: E402
from tests.core.questions.caseloads import CASELOADS, load, questions, score  # noqa: E402

VERDICTS = ("right", "wrong", "refused")


def run(items, loaded, others, model, show: bool) -> dict:
    per_cat: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    leaks = ungrounded = 0
    for item in items:
        data = loaded[item["caseload"]]
        answer = answer_question(item["q"], data.caseload(), data.today, meaning=model)
        verdict, why = score(item, answer, data, others[data.name])
        per_cat[item["cat"]][verdict] += 1
        leaks += any(w.startswith("LEAK") for w in why)
        ungrounded += any(w.startswith("ungrounded") for w in why)
        if show and verdict != "right":
            print(f"  [{verdict}] {item['caseload']}: {item['q']} -> {why}", file=sys.stderr)
    total = collections.Counter()
    for counts in per_cat.values():
        total.update(counts)
    return {
        "total": {v: total[v] for v in VERDICTS},
        "leaks": leaks,
        "ungrounded_answers": ungrounded,
        "per_category": {cat: {v: per_cat[cat][v] for v in VERDICTS} for cat in sorted(per_cat)},
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default="all", choices=("questions", "heldout", "all"))
    ap.add_argument("--thresholds", default="0.30,0.37,0.45")
    ap.add_argument("--show", action="store_true", help="print every answer that is not right (stderr)")
    args = ap.parse_args()
    loaded = {name: load(name) for name in CASELOADS}
    texts = {name: data.texts() for name, data in loaded.items()}
    others = {name: set().union(*(t for other, t in texts.items() if other != name)) for name in CASELOADS}
    sets = ("questions", "heldout") if args.set == "all" else (args.set,)
    result: dict = {"benchmark": "question_set", "caseloads": list(CASELOADS),
                    "load_average_1m": round(os.getloadavg()[0], 2), "sets": {}}
    for name in sets:
        items = questions(name)
        modes = {"word_index": run(items, loaded, others, None, args.show)}
        for threshold in (float(t) for t in args.thresholds.split(",") if t):
            model = meaning_mod.load(threshold)
            if model is None:
                modes["meaning"] = {"skipped": "the wordllama package (extra 'meaning') is not installed"}
                break
            modes[f"word_index+meaning@{threshold:.2f}"] = run(items, loaded, others, model, args.show)
        caseload_share = sum(i["cat"].startswith("caseload") for i in items)
        result["sets"][name] = {"questions": len(items), "across_caseload": caseload_share, "modes": modes}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
