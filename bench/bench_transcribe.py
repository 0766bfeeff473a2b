"""Transcription benchmark: a ~2-minute voice memo through LocalTranscriber. Prints JSON.

The memo is the bundled demo memos followed by the shared speech clips, joined with short pauses
and re-encoded as one OGG/Opus file (what Telegram would send). Goal: real-time factor <= 0.12 on
2 cores. Results go to docs/benchmarks.md, "Transcription".

    .venv/bin/python bench/bench_transcribe.py [--seconds 120] [--runs 3] [--threads 0] [--compare]

--compare also decodes the memo with no priming, with names as plain-text hotwords and as the
timestamped prompt LocalTranscriber uses, counting words kept and client names right in each.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.machine import machine  # noqa: E402

from bots.samples.samples import encode_ogg_opus, load_samples  # noqa: E402
from core.config import Settings  # noqa: E402
from core.speech.local import (  # noqa: E402
    LEAD_SILENCE_S,
    SAMPLE_RATE,
    VAD_PARAMETERS,
    LocalTranscriber,
    hint_prompt,
    prompt_tokens,
)

SHARED_SPEECH = Path(os.environ.get("ALLIANCE_SHARED_DATA", REPO.parent / "shared" / "data")) / "speech"
NAMES = ("Maya Thompson", "Daniel Okafor")


def build_memo(seconds: float) -> tuple[bytes, str]:
    """Concatenate demo memos, then shared clips, until `seconds`; return OGG bytes and what is said."""
    from faster_whisper.audio import decode_audio

    sources = [(s["path"], s["text"]) for s in load_samples()]
    refs = SHARED_SPEECH / "references.tsv"
    if refs.exists():
        with refs.open(newline="") as fh:
            rows = csv.DictReader(fh, delimiter="\t")
            sources += [(SHARED_SPEECH / row["file"], row["reference"]) for row in rows]
    pause = np.zeros(int(0.6 * SAMPLE_RATE), dtype=np.float32)
    parts, said, total = [], [], 0.0
    for path, text in sources:
        audio = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
        parts += [audio, pause]
        said.append(text)
        total += (len(audio) + len(pause)) / SAMPLE_RATE
        if total >= seconds:
            break
    pcm = (np.clip(np.concatenate(parts), -1, 1) * 32767).astype(np.int16).tobytes()
    return encode_ogg_opus(pcm, SAMPLE_RATE), " ".join(said)



def compare_priming(transcriber: LocalTranscriber, memo: bytes) -> dict:
    """Decode the memo with no priming, names as `hotwords`, and names as the timestamped prompt."""
    import io

    from faster_whisper.audio import decode_audio

    samples = decode_audio(io.BytesIO(memo), sampling_rate=SAMPLE_RATE)
    samples = np.concatenate([np.zeros(int(LEAD_SILENCE_S * SAMPLE_RATE), np.float32), samples])
    model, prompt = transcriber.model, hint_prompt(NAMES)
    results = {}
    for label, kwargs in {
        "none": {},
        "hotwords_text": {"hotwords": prompt},
        "timestamped_prompt (used)": {
            "initial_prompt": prompt_tokens(model.hf_tokenizer, prompt, multilingual=model.model.is_multilingual)
        },
    }.items():
        started = time.perf_counter()
        segments, _ = model.transcribe(
            samples, beam_size=transcriber.beam_size, vad_filter=True, vad_parameters=VAD_PARAMETERS, **kwargs
        )
        segments = list(segments)
        text = " ".join(s.text for s in segments)
        results[label] = {
            "seconds": round(time.perf_counter() - started, 2),
            "segments": len(segments),
            "words": len(text.split()),
            "names_found": sum(text.count(name) for name in NAMES),
        }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None, help="override ALLIANCE_WHISPER_THREADS")
    parser.add_argument("--compare", action="store_true", help="also compare priming methods")
    args = parser.parse_args()
    load_avg = os.getloadavg()[0]  # other work on the machine skews timings: record it

    settings = Settings()
    if args.threads is not None:
        settings = settings.model_copy(update={"whisper_threads": args.threads})
    transcriber = LocalTranscriber(settings)

    memo, reference = build_memo(args.seconds)

    started = time.perf_counter()
    transcriber.model  # noqa: B018 - load the weights once, timed on their own
    load_s = time.perf_counter() - started

    times, result = [], None
    for _ in range(args.runs):
        started = time.perf_counter()
        result = transcriber.transcribe(memo, hint_names=NAMES)
        times.append(time.perf_counter() - started)
    assert result is not None
    median = statistics.median(times)
    report = {
        "benchmark": "transcribe",
        "date": dt.date.today().isoformat(),
        "machine": {**machine(), "load_avg_1m": round(load_avg, 2)},
        "model": "bundled tiny.en" if settings.whisper_model is None else settings.whisper_model,
        "compute_type": settings.whisper_compute_type,
        "beam_size": settings.whisper_beam_size,
        "threads": transcriber.threads,
        "memo_seconds": result.duration_s,
        "memo_kb": len(memo) // 1024,
        "load_s": round(load_s, 2),
        "transcribe_s_runs": [round(t, 2) for t in times],
        "transcribe_s_median": round(median, 2),
        "transcribe_s_min": round(min(times), 2),
        "rtf": round(median / result.duration_s, 3),
        "rtf_goal": 0.12,
        "names_found": sum(result.text.count(name) for name in NAMES),
        "names_expected": sum(reference.count(name) for name in NAMES),
        "words": len(result.text.split()),
        "reference_words": len(reference.split()),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    if args.compare:
        report["priming"] = compare_priming(transcriber, memo)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
