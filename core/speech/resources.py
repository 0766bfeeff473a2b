"""CPU and memory a local Whisper model needs: how many decoding threads, how many megabytes.

Threads. CTranslate2's default is 4 threads per model whatever the machine has; on 2 cores that is
oversubscribed, and two memos at once put 8 spinning threads on 2 cores. The rule here gives each
concurrent job an equal share of the cores the process may use (CPU affinity and cgroup quota), at
least one: `decoding_threads(concurrency)`. ALLIANCE_WHISPER_THREADS (0 = this rule) overrides it.
Measured in docs/benchmarks-speech.md ("Threads").

Memory. Measured resident memory (RSS, MB) of one model loaded with int8 weights, and the extra a
transcription in flight adds at its peak (a 2-minute memo; it grows little with length because
Whisper decodes 30 s windows). The process itself (Python, faster-whisper, the VAD) is counted once
in PROCESS_BASE_MB. Source: bench/bench_speech_memory.py, docs/benchmarks-speech.md ("Memory").
"""
from __future__ import annotations

import math
import os
from pathlib import Path

# Measured: see the module docstring. Keys are the names in core/speech/models.py.
PROCESS_BASE_MB = 120  # python + faster-whisper + ctranslate2 + onnxruntime (VAD) imported, no model
MODEL_RESIDENT_MB = {"tiny.en": 60, "base": 110}
INFLIGHT_PEAK_MB = {"tiny.en": 190, "base": 230}
_UNKNOWN_MODEL = "base"  # a directory we have not measured: assume the larger known figures


def available_cores() -> int:
    """Cores this process may run on: CPU affinity, capped by a cgroup v2 CPU quota when one is set."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cores = min(cores, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass
    return max(1, cores)


def decoding_threads(concurrency: int, cores: int | None = None) -> int:
    """Threads per decoding job when `concurrency` jobs may run at once: an equal share, at least 1."""
    cores = available_cores() if cores is None else cores
    return max(1, cores // max(1, concurrency))


def model_memory_mb(model: str, *, in_flight: bool = True) -> int:
    """Resident MB one loaded model adds to the process, plus (in_flight) its peak while transcribing.

    `model` is a name from core/speech/models.py ("tiny.en", "base"); anything else is costed as the
    largest measured model. Add PROCESS_BASE_MB once per process.
    """
    key = model if model in MODEL_RESIDENT_MB else _UNKNOWN_MODEL
    return MODEL_RESIDENT_MB[key] + (INFLIGHT_PEAK_MB[key] if in_flight else 0)
