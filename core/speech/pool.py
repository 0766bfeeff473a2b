"""Local transcription in worker processes: N memos decode at once on N cores.

Measured on 2 cores (docs/benchmarks.md, "Real transcription under a burst"): two memos in one process, two
threads, decode no faster than one after the other (faster-whisper's Python-side work holds the GIL), while
two processes with one decoding thread each nearly double the memos per hour. So a worker with
`--concurrency 2` keeps two transcriber processes, each loading the model once, and hands each memo's
audio to a free one. Errors come back as the same safe-to-show errors."""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Sequence

from core import errors
from core.config import Settings
from core.speech.local import LocalTranscriber, TranscriptResult

_transcriber: LocalTranscriber | None = None  # one per pool process


def _start(settings: Settings) -> None:
    global _transcriber
    _lower_priority(settings.worker_nice)
    _transcriber = LocalTranscriber(settings, threads=1, concurrency=1)
    _transcriber.model  # load the weights now, not with the first memo


def _transcribe(audio: bytes, hint_names: Sequence[str], language: str | None):
    """In the pool process. Our errors travel as (kind, message): their classes don't all pickle."""
    try:
        return "ok", _transcriber.transcribe(audio, hint_names=hint_names, language=language)
    except errors.NoSpeech as error:
        return "no_speech", str(error)
    except errors.RecordingTooLong as error:
        return "too_long", str(error)
    except errors.AudioError as error:
        return "audio", str(error)
    except errors.AllianceError as error:
        return "alliance", str(error)


class PooledTranscriber:
    def __init__(self, settings: Settings, processes: int):
        self.local = LocalTranscriber(settings, threads=1, concurrency=1)  # checks and estimates, in this process
        self.processes = processes
        self.pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_start, initargs=(settings,))

    def warm_up(self) -> None:
        """Start every process and load its model before the first memo."""
        list(self.pool.map(_noop, range(self.processes)))

    def transcribe(self, audio: bytes, *, filename: str = "memo", hint_names: Sequence[str] = (),
                   language: str | None = None) -> TranscriptResult:
        self.local.check(audio)  # refuse an oversized or empty memo before shipping it to a process
        kind, value = self.pool.submit(_transcribe, audio, list(hint_names), language).result()
        if kind == "ok":
            return value
        if kind == "no_speech":
            raise errors.NoSpeech()
        raise {"too_long": errors.RecordingTooLong, "audio": errors.AudioError}.get(kind, errors.AllianceError)(value)

    def memory_mb(self, audio: bytes) -> int:
        return self.local.memory_mb(audio)

    @property
    def model(self):  # the weights live in the pool processes
        return None

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _noop(_: int) -> None:
    return None


def _lower_priority(nice: int) -> None:
    """Batch work yields the CPU to acknowledgements, commands and answers."""
    try:
        os.nice(max(0, nice))
    except OSError:  # not permitted here: run at normal priority
        pass
