"""CPU and memory a local Whisper model needs: how many decoding threads, how many megabytes.

Threads. CTranslate2's default is 4 threads per model whatever the machine has. Measured on 2 cores
(docs/benchmarks.md, "Speech", "Decoding threads"), one decoding thread per memo was the fastest for
tiny.en and base, alone or two memos at once, with the least system CPU: the decoder works token by
token on small matrices, and the rest of a transcription (audio decoding, the VAD, features) and of
the service needs a core too. The rule: keep one core for all that, share the others equally between
the memos decoded at once, at least one each — `decoding_threads(concurrency)`, on the cores this
process may use (CPU affinity, cgroup quota). ALLIANCE_WHISPER_THREADS (0 = the rule) overrides it.

Memory. Measured by bench/bench_speech_memory.py (docs/benchmarks.md, "Speech", "Memory"), int8 weights,
resident set size in MB, each in a fresh process: PROCESS_BASE_MB before any speech import; the
model loaded (faster-whisper imported, weights in memory); and the peak above that while memos are in
flight. A memo's peak grows with its length until the 5-minute pieces cap it (core/speech/local.py):
2 minutes +224 (tiny.en) / +243 (base), 30 minutes (the default limit) +625 / +685. A second
2-minute memo at once added +178 / +190. MEMO_PEAK_MB is the 30-minute figure, counted for every
memo in flight: an upper bound, for a ceiling that must hold.
"""
from __future__ import annotations

import math
import os
from pathlib import Path

from core.config import Settings
from core.speech.models import model_name

# Measured: see the module docstring. Keys are the names in core/speech/models.py.
PROCESS_BASE_MB = 65  # Python with alliance's core imported, before faster-whisper
WORKER_PARENT_MB = 250  # a worker process without the model: Python, the database and chat clients (measured)
MODEL_RESIDENT_MB = {"tiny.en": 100, "base": 170}  # faster-whisper imported and the weights loaded
MEMO_PEAK_MB = {"tiny.en": 630, "base": 690}  # each memo in flight, up to 30 minutes long
_UNMEASURED = "base"  # a model directory we have not measured: assume the larger figures


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


def machine_memory_mb() -> int:
    """This machine's memory, capped by a cgroup v2 memory limit when one is set."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 1_048_576
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit != "max":
            total = min(total, int(limit) // 1_048_576)
    except (OSError, ValueError):
        pass
    return int(total)


def memory_ceiling_mb(configured: int) -> int:
    """The memory a worker may use: the configured ceiling, or (0) 70% of the machine, at most 4 GB."""
    return configured or min(4096, int(machine_memory_mb() * 0.7))


def concurrency_for_memory(settings: Settings, wanted: int, ceiling_mb: int) -> int:
    """The most memos at once (up to `wanted`) whose transcriber processes fit under the ceiling with a
    2-minute memo each; at least one (the memory budget then holds back any memo that would not fit)."""
    key = _measured(settings)
    per_memo = PROCESS_BASE_MB + MODEL_RESIDENT_MB[key] + MEMO_2MIN_MB[key]
    fits = (ceiling_mb - WORKER_PARENT_MB) // per_memo
    return max(1, min(wanted, fits))


def _measured(settings: Settings) -> str:
    """The measured model whose figures apply: the configured one, or the largest for an unmeasured one."""
    name = model_name(settings.whisper_model)
    return name if name in MODEL_RESIDENT_MB else _UNMEASURED


def decoding_threads(concurrency: int, cores: int | None = None) -> int:
    """Threads per memo when `concurrency` memos decode at once: (cores - 1) shared equally, at least 1."""
    cores = available_cores() if cores is None else cores
    return max(1, (cores - 1) // max(1, concurrency))


def model_memory_mb(settings: Settings, *, concurrency: int = 1) -> int:
    """Peak MB the local transcriber adds to the process: the configured model loaded, plus
    `concurrency` memos in flight at once (0 = loaded, idle). Add PROCESS_BASE_MB once per process.

    A directory model that was not measured is costed as the largest measured one.
    """
    key = _measured(settings)
    return MODEL_RESIDENT_MB[key] + MEMO_PEAK_MB[key] * max(0, concurrency)


# One memo in flight grows roughly linearly with its length between the two measured points (2 and 30
# minutes: see MEMO_PEAK_MB); a memo of unknown length is costed as the longest.
MEMO_2MIN_MB = {"tiny.en": 224, "base": 243}


def memo_memory_mb(settings: Settings, seconds: float | None) -> int:
    """Estimated peak MB one memo of `seconds` adds while it is transcribed (the memory budget's unit)."""
    key = _measured(settings)
    short, long = MEMO_2MIN_MB[key], MEMO_PEAK_MB[key]
    if seconds is None:
        return long
    slope = (long - short) / (1800 - 120)
    return int(max(short, short + slope * (seconds - 120)))
