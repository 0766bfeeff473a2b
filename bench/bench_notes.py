"""The offline writer on ACI-Bench (doctor–patient visits -> clinical note): ROUGE and invented content.

    python bench/bench_notes.py [--writer-from REF] [--split valid|heldout|all]

Scores the SOAP note text (section headings and sentences; summary and lists repeat section sentences and
are left out) against the reference note with the `rouge-score` package (ROUGE-1/2/L, no stemming, as the
HuggingFace `rouge` metric that ACI-Bench's scripts use), and a "copy the transcript" baseline. Splits:
`valid` = valid.csv + valid virtscribe (ASR and human transcripts); `heldout` = the train encounters with
an odd index (every second train dialogue, and train virtscribe), which nothing here was tuned on.
`--writer-from REF`: also score the writer as it was at git REF (e.g. main), from a temporary worktree.
`unsupported`: note sentences not found in the transcript (must be 0). Prints JSON. Needs the bench extra.
"""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("ALLIANCE_SHARED_DATA", ROOT.parent / "shared" / "data")) / "aci-bench"


def _rows(name: str) -> list[tuple[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return [(row["dialogue"], row["note"]) for row in csv.DictReader(handle)]


def split(name: str) -> list[tuple[str, str]]:
    if name == "valid":
        return _rows("valid.csv") + _rows("valid_virtscribe_asr.csv") + _rows("valid_virtscribe_humantrans.csv")
    if name == "heldout":
        return [r for i, r in enumerate(_rows("train.csv")) if i % 2 == 1] + _rows("train_virtscribe_asr.csv")
    raise ValueError(name)


def note_text(note) -> str:  # type: ignore[no-untyped-def]
    return "\n\n".join(f"{name.upper()}\n{text}" for name, text in note.sections if text != "Not discussed")


def score(pairs: list[tuple[str, str]], make) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=False)
    rows = []
    for dialogue, reference in pairs:
        text = make(dialogue)
        s = scorer.score(reference, text)
        rows.append({k: v.fmeasure for k, v in s.items()} | {"length": len(text.split()) / max(len(reference.split()), 1)})
    return {k: round(mean(r[k] for r in rows) * (1 if k == "length" else 100), 2) for k in rows[0]}


def run_here(split_name: str) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    from core.language.text import Evidence
    from core.notes.writer import OfflineNoteWriter, note_sentences

    writer = OfflineNoteWriter()
    pairs = split(split_name)
    notes = {}

    def make(dialogue: str) -> str:
        note = writer.write(dialogue, note_format="SOAP", session_date=date(2024, 1, 1), client_name=None)
        notes[dialogue] = note
        return note_text(note)

    result: dict[str, object] = {"encounters": len(pairs), "writer": score(pairs, make)}
    result["transcript"] = score(pairs, lambda d: d)
    result["unsupported"] = sum(
        not Evidence(d).supports(line) for d, note in notes.items() for line in note_sentences(note)
    )
    return result


def run_at(ref: str, split_name: str) -> dict[str, object]:
    """The same measurement with the code at git `ref` (a temporary worktree; this script is copied in)."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), ref], check=True, capture_output=True)
        try:
            out = subprocess.run([sys.executable, str(Path(__file__)), "--here", "--split", split_name],
                                 cwd=tree, check=True, capture_output=True, text=True,
                                 env={**os.environ, "ALLIANCE_SHARED_DATA": str(DATA.parent), "BENCH_ROOT": str(tree)})
            return json.loads(out.stdout)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], capture_output=True)


def main() -> None:
    args = sys.argv[1:]
    splits = [args[args.index("--split") + 1]] if "--split" in args else ["valid", "heldout"]
    if "--here" in args:  # inside run_at's worktree
        global ROOT
        ROOT = Path(os.environ["BENCH_ROOT"])
        print(json.dumps(run_here(splits[0])))
        return
    report = {name: {"this branch": run_here(name)} for name in splits}
    if "--writer-from" in args:
        ref = args[args.index("--writer-from") + 1]
        for name in splits:
            report[name][ref] = run_at(ref, name)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
