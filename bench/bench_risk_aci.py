"""False flags on ordinary clinical talk: the risk flags raised on every sentence of the ACI-Bench
doctor-patient dialogues in ../shared/data/aci-bench (train and valid, speaker tags removed). None of
these visits is about suicide or self-harm, so a change to the risk patterns should not raise this count.
Prints JSON: sentences read, present flags, and the flagged (kind, first 100 characters) pairs.

    .venv/bin/python bench/bench_risk_aci.py
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.language.text import clean_sentences  # noqa: E402
from core.notes.safety import detect_risks  # noqa: E402
from tests.conftest import SHARED_DATA  # noqa: E402


def main() -> None:
    sentences, flagged = 0, []
    for path in sorted((SHARED_DATA / "aci-bench").glob("*.csv")):
        with path.open(newline="") as f:
            for row in csv.DictReader(f):
                text = (row.get("dialogue") or row.get("transcript") or "").replace("[doctor]", "").replace("[patient]", "")
                for sentence in clean_sentences(text):
                    sentences += 1
                    flagged += [(flag.kind, sentence[:100]) for flag in detect_risks([sentence]) if flag.status == "present"]
    print(json.dumps({"sentences": sentences, "present_flags": len(flagged), "flagged": sorted(set(flagged))}, indent=1))


if __name__ == "__main__":
    main()
