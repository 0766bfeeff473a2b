"""Risk detection per category on labelled phrasings: recall, status accuracy and false-flag rate.

    python bench/bench_risk.py [--show-misses] [--sets dev_v2,unseen_v2]

Sets: tests/core/notes_cases/risk_{dev,heldout,unseen}.tsv (first round; all three were read while tuning
by now) and bench/data/risk_{dev_v2,unseen_v2}.jsonl (second round: unseen_v2 was written and committed
before the second round's pattern changes and is never tuned on; dev_v2 is the tuning set). Each
sentence is also run as speech-to-text would give it (lower case, no punctuation). A positive counts as found when a flag of its kind has the expected status; a look-alike
("absent") counts as a false flag when any flag of its kind says "present". Prints JSON.
"""
from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.notes.safety import detect_risks  # noqa: E402

CASES = Path(__file__).resolve().parent.parent / "tests" / "core" / "notes_cases"
DATA = Path(__file__).resolve().parent / "data"
SETS = ("dev", "heldout", "unseen", "dev_v2", "check_v2", "unseen_v2", "hedges_v3")


def load_cases(name: str) -> list[tuple[str, str, str]]:
    """(kind, status, sentence) rows of a .tsv (tests/core/notes_cases) or .jsonl (bench/data) set."""
    if name.endswith(".jsonl"):
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()
        return [(r["kind"], r["status"], r["text"]) for r in map(json.loads, lines) if r]
    rows = []
    for line in (CASES / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, status, sentence = line.split("\t")
            rows.append((kind, status, sentence))
    return rows


def asr(sentence: str) -> str:
    return re.sub(r"[.,;:!?]", "", sentence).lower()


def outcome(kind: str, status: str, sentence: str) -> str:
    """ "ok", "missed", "wrong status" (positives) or "ok", "false flag" (look-alikes)."""
    flags = {(f.kind, f.status) for f in detect_risks(sentence)}
    if status == "absent":
        return "false flag" if (kind, "present") in flags else "ok"
    if (kind, status) in flags:
        return "ok"
    return "wrong status" if any(k == kind for k, _ in flags) else "missed"


def evaluate(cases: list[tuple[str, str, str]], show: bool = False) -> dict[str, dict[str, float | int]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for kind, status, sentence in cases:
        for variant in (sentence, asr(sentence)):
            result = outcome(kind, status, variant)
            group = "negatives" if status == "absent" else "positives"
            counts[kind][group] += 1
            counts[kind][result] += 1
            if show and result != "ok":
                print(f"{result:12} {kind:22} {status:10} {variant}", file=sys.stderr)
    table: dict[str, dict[str, float | int]] = {}
    for kind, c in sorted(counts.items()):
        positives, negatives = c["positives"], c["negatives"]
        table[kind] = {
            "positives": positives,
            "recall": round((positives - c["missed"]) / positives, 3) if positives else None,
            "status_right": round((positives - c["missed"] - c["wrong status"]) / positives, 3) if positives else None,
            "negatives": negatives,
            "false_flag_rate": round(c["false flag"] / negatives, 3) if negatives else None,
        }
    return table


def main() -> None:
    args = sys.argv[1:]
    show = "--show-misses" in args
    names = args[args.index("--sets") + 1].split(",") if "--sets" in args else SETS
    files = {n: f"risk_{n}.jsonl" if n.endswith(("_v2", "_v3")) else f"risk_{n}.tsv" for n in names}
    print(json.dumps({n: evaluate(load_cases(f), show) for n, f in files.items()}, indent=1))


if __name__ == "__main__":
    main()
