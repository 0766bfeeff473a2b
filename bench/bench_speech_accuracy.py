"""Names, clinical terms and word errors: model and decoding choices side by side. Prints JSON.

Two sets:
- dictations: therapy-style memos opening with the client's name (bench/speech_dictations.py: 14
  invented names the model has never seen, 6 templates, 4 espeak-ng voices/speeds), transcribed with
  the therapist's whole caseload primed (or nothing primed, for the "none" row);
- shared clips: the 17 real recordings in ../shared/data/speech (no names in them: any primed name or
  term showing up there is an insertion).
And the real-time factor on the ~2-minute memo of bench/bench_transcribe.py (goal: <= 0.15 on 2 cores).

    .venv/bin/python bench/bench_speech_accuracy.py [--configs tiny.en:names,base:names] [--voices 4]

A config is MODEL:PRIMING[:beam=N][:threads=N]; PRIMING is none (nothing primed), names (the caseload
only) or vocab+names (the default: CLINICAL_VOCABULARY, then the caseload).
Needs espeak-ng for the dictations (apt-get install -y espeak-ng); rendered clips are cached.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_transcribe import SHARED_SPEECH, build_memo  # noqa: E402
from bench.machine import machine  # noqa: E402
from bench.speech_dictations import NAMES, TERMS, VOICES, dictations, render, score  # noqa: E402
from core.config import Settings  # noqa: E402
from core.errors import NoSpeech  # noqa: E402
from core.speech.local import LocalTranscriber  # noqa: E402
from core.speech.priming import CLINICAL_VOCABULARY  # noqa: E402

DEFAULT_CONFIGS = "tiny.en:none,tiny.en:names,tiny.en:vocab+names,base:none,base:names,base:vocab+names"
CACHE = Path(tempfile.gettempdir()) / "alliance-speech-bench"


def text_of(t: LocalTranscriber, audio: bytes, primed) -> str:
    """The transcript; "" when the transcriber heard no speech (a clip dropped whole)."""
    try:
        return t.transcribe(audio, hint_names=primed).text
    except NoSpeech:
        return ""


def transcriber(config: str) -> tuple[LocalTranscriber, str]:
    model, priming, *opts = config.split(":")
    update: dict = {"whisper_model": model, "data_dir": CACHE / "data"}
    for opt in opts:
        key, value = opt.split("=")
        update[{"beam": "whisper_beam_size", "threads": "whisper_threads"}[key]] = int(value)
    if priming != "vocab+names":
        update["whisper_vocabulary"] = "none"
    return LocalTranscriber(Settings().model_copy(update=update)), priming


def primed_words(priming: str) -> tuple[str, ...]:
    return () if priming == "none" else NAMES


def run_dictations(t: LocalTranscriber, priming: str, items) -> dict:
    primed = primed_words(priming)
    totals: dict[str, int] = {}
    seconds = audio_s = 0.0
    misses = []
    for d in items:
        audio = render(d, CACHE / "clips")
        started = time.perf_counter()
        text = text_of(t, audio, primed)
        seconds += time.perf_counter() - started
        audio_s += t.check(audio) or 0.0
        scored = score(d, text, primed)
        for key, value in scored.items():
            totals[key] = totals.get(key, 0) + value
        if not scored["opening_right"]:
            misses.append(" ".join(text.split()[:5]))  # invented names only: safe to print
    return {
        "clips": len(items),
        "names_right": f"{totals['names_right']}/{totals['names_said']}",
        "opening_name_right": f"{totals['opening_right']}/{len(items)}",
        "wrong_client_names": totals["wrong_client_names"],
        "terms_right": f"{totals['terms_right']}/{totals['terms_said']}",
        "terms_inserted": totals["terms_inserted"],
        "held_out_terms_right": f"{totals['held_out_right']}/{totals['held_out_said']}",
        "wer": round(totals["word_errors"] / totals["words"], 3),
        "rtf_clips": round(seconds / audio_s, 3),
        "opening_misses": misses[:8],
    }


def run_shared(t: LocalTranscriber, priming: str) -> dict:
    from bench.speech_dictations import edit_distance, normalise

    refs = SHARED_SPEECH / "references.tsv"
    if not refs.exists():
        return {}
    primed = primed_words(priming)
    errors = words = inserted = dropped = 0
    with refs.open(newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            text = text_of(t, (SHARED_SPEECH / row["file"]).read_bytes(), primed)
            dropped += not text
            ref = normalise(row["reference"])
            errors += edit_distance(ref, normalise(text))
            words += len(ref)
            inserted += sum(text.count(w) for w in {*NAMES, *TERMS, *CLINICAL_VOCABULARY} if w not in row["reference"])
    return {"wer": round(errors / words, 3), "primed_words_inserted": inserted, "clips_dropped": dropped}


def run_memo(t: LocalTranscriber, memo: bytes, runs: int) -> dict:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = t.transcribe(memo, hint_names=NAMES)
        times.append(time.perf_counter() - started)
    return {"seconds": [round(x, 2) for x in times], "rtf": round(statistics.median(times) / result.duration_s, 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", default=DEFAULT_CONFIGS)
    parser.add_argument("--voices", type=int, default=len(VOICES))
    parser.add_argument("--names", type=int, default=len(NAMES))
    parser.add_argument("--memo-runs", type=int, default=2)
    args = parser.parse_args()
    items = dictations(NAMES[: args.names], VOICES[: args.voices])
    memo, _ = build_memo(120.0)
    report = {
        "benchmark": "speech_accuracy",
        "date": dt.date.today().isoformat(),
        "machine": {**machine(), "load_avg_1m_start": round(os.getloadavg()[0], 2)},
        "results": {},
    }
    for config in args.configs.split(","):
        t, priming = transcriber(config)
        t.model  # noqa: B018 - load before timing
        row = {"threads": t.threads, "beam": t.beam_size}
        row["dictations"] = run_dictations(t, priming, items)
        row["shared_clips"] = run_shared(t, priming)
        row["memo_2min"] = run_memo(t, memo, args.memo_runs)
        report["results"][config] = row
        print(config, json.dumps(row), file=sys.stderr, flush=True)
    report["machine"]["load_avg_1m_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
