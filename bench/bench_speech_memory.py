"""Resident memory of a loaded Whisper model and of a transcription in flight. Prints JSON.

Each model is measured in a fresh Python process (so nothing else is resident), reading VmRSS and
VmHWM (peak RSS) from /proc/self/status:
- process: after importing the transcriber and faster-whisper (no model yet);
- loaded: after loading the model, minus `process`; `load_peak`: the peak while loading;
- in flight: the peak while transcribing the ~2-minute memo of bench_transcribe.py, minus the RSS
  before it (for 1 memo, and for 2 memos at once on a model with 2 workers), and for one long memo
  (the 2-minute one repeated to --long seconds, default 30 minutes: the default memo limit).
The first transcription also loads the VAD (Silero, ONNX); it is counted in "in flight".

    .venv/bin/python bench/bench_speech_memory.py [--models tiny.en,base]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CHILD = r"""
import json, sys, tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
sys.path.insert(0, {repo!r})

def status():
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024

from bench.bench_transcribe import NAMES
from core.config import Settings
from core.speech.local import LocalTranscriber
memo = Path({memo!r}).read_bytes()
concurrency = {concurrency}
t = LocalTranscriber(Settings(whisper_model={model!r}, max_memo_minutes=60, data_dir=Path(tempfile.gettempdir()) / "alliance-speech-bench" / "data"), concurrency=concurrency)
process, _ = status()
t.model
loaded, load_peak = status()
with ThreadPoolExecutor(concurrency) as pool:
    list(pool.map(lambda _: t.transcribe(memo, hint_names=NAMES), range(concurrency)))
after, peak = status()
print(json.dumps({{"process_mb": process, "loaded_mb": loaded - process, "load_peak_mb": load_peak - process,
                  "inflight_peak_mb": peak - loaded, "rss_after_mb": after, "peak_rss_mb": peak}}))
"""


def memo_file(seconds: float, folder: Path) -> str:
    """The 2-minute memo of bench_transcribe.py, repeated to `seconds` when longer; written to a file."""
    import io

    import numpy as np
    from faster_whisper.audio import decode_audio

    from bench.bench_transcribe import build_memo
    from bots.samples.samples import encode_ogg_opus
    from core.speech.local import SAMPLE_RATE

    memo, _ = build_memo(120.0)
    if seconds > 150:
        pcm = decode_audio(io.BytesIO(memo), sampling_rate=SAMPLE_RATE)
        pcm = np.tile(pcm, int(seconds // (len(pcm) / SAMPLE_RATE)) + 1)[: int(seconds * SAMPLE_RATE)]
        memo = encode_ogg_opus((pcm * 32767).astype(np.int16).tobytes(), SAMPLE_RATE)
    path = folder / f"memo-{seconds:g}.ogg"
    path.write_bytes(memo)
    return str(path)


def measure(model: str, concurrency: int, memo: str) -> dict:
    code = CHILD.format(repo=str(REPO), model=model, concurrency=concurrency, memo=memo)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    from bench.machine import machine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="tiny.en,base")
    parser.add_argument("--long", type=float, default=1800.0, help="seconds of the long memo (one at a time)")
    args = parser.parse_args()
    shapes = [(c, 120.0) for c in (1, 2)] + ([(1, args.long)] if args.long else [])
    with tempfile.TemporaryDirectory() as folder:
        memos = {s: memo_file(s, Path(folder)) for s in {s for _, s in shapes}}
        results = {
            f"{m}, {c} at once, {s:g} s memo": measure(m, c, memos[s]) for m in args.models.split(",") for c, s in shapes
        }
    print(json.dumps({"benchmark": "speech_memory", "date": dt.date.today().isoformat(), "machine": machine(),
                      "compute_type": "int8", "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
