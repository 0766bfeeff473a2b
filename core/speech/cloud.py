"""Cloud transcription (ALLIANCE_TRANSCRIBER=openai): the OpenAI audio API, or any server offering
/v1/audio/transcriptions (e.g. a self-hosted faster-whisper server).

Bad input gets the same messages as the local transcriber, because the same checks run first — before
any byte is uploaded: empty, over the size or duration limit, not audio. The upload is named "memo.<ext>"
whatever the therapist called the file (a file name can hold a client's name), and the therapist's
client list is NOT sent as a prompt: it would put every client's name into every other client's request. Failures of the service
itself are not the audio's fault: they raise an AllianceError saying so, and the memo stays for /retry.
"""
from __future__ import annotations

import logging
import re
import time
from pathlib import PurePath
from typing import Sequence

from core.config import Settings
from core.errors import AllianceError, AudioError, NoSpeech
from core.models.client import LLMError, RetryPolicy, make_openai, with_retries
from core.speech.languages import AUTO, normalise_language
from core.speech.local import LocalTranscriber, TranscriptResult, clean_text

log = logging.getLogger(__name__)

API_LIMIT_BYTES = 25 * 1024 * 1024  # the OpenAI audio API refuses larger uploads

# Leading bytes -> the extension the API uses to pick a decoder.
_MAGIC = (
    (b"OggS", "ogg"),
    (b"fLaC", "flac"),
    (b"ID3", "mp3"),
    (b"\xff\xfb", "mp3"),
    (b"\xff\xf3", "mp3"),
    (b"\xff\xf2", "mp3"),
    (b"\x1a\x45\xdf\xa3", "webm"),
)
_KNOWN_EXT = {"ogg", "oga", "opus", "flac", "mp3", "mpga", "mpeg", "m4a", "mp4", "wav", "webm"}


def upload_name(audio: bytes, filename: str) -> str:
    """A neutral name with the right extension: sniffed from the bytes, else the given file's suffix."""
    if audio[:4] == b"RIFF" and audio[8:12] == b"WAVE":
        return "memo.wav"
    if audio[4:8] == b"ftyp":
        return "memo.m4a"
    for magic, ext in _MAGIC:
        if audio.startswith(magic):
            return f"memo.{ext}"
    suffix = PurePath(filename or "").suffix.lower().lstrip(".")
    return f"memo.{suffix}" if suffix in _KNOWN_EXT else "memo.ogg"


_FAILURES = {
    "auth": "The transcription service rejected the API key (check OPENAI_API_KEY; `alliance doctor` helps).",
    "quota": "The transcription service account is out of quota.",
    "rejected": "The transcription service refused the memo.",
    "timeout": "The transcription service did not answer in time.",
    "unavailable": "The transcription service is unavailable right now.",
}


class OpenAITranscriber:
    """Blocking, like the local one: the memo pipeline calls it in a worker thread."""

    name = "openai"

    def __init__(self, settings: Settings, *, policy: RetryPolicy | None = None, sleep=time.sleep, client=None):
        self.settings = settings
        self.model = settings.openai_transcribe_model
        self.policy = policy or RetryPolicy.from_settings(settings)
        self.sleep = sleep
        self._client = client
        # The local transcriber's input checks, without its model (whisper_model set so the bundled
        # weights are not even looked up): same limits, same wording.
        self._checker = LocalTranscriber(settings.model_copy(update={"whisper_model": "unused"}))
        self._checker.max_bytes = min(settings.max_memo_bytes, API_LIMIT_BYTES)
        self._checker.max_mb = min(settings.max_memo_mb, API_LIMIT_BYTES / 1048576)

    @property
    def client(self):
        if self._client is None:
            try:
                self._client = make_openai(self.settings)
            except LLMError as error:
                raise AllianceError(f"Cloud transcription is not set up: {error}") from None
        return self._client

    def transcribe(
        self, audio: bytes, *, filename: str = "memo", hint_names: Sequence[str] = (), language: str | None = None
    ) -> TranscriptResult:
        """`language`: a code, a name or "auto" (the service detects it); None = ALLIANCE_WHISPER_LANGUAGE."""
        try:
            code = self._checker.language if language is None else normalise_language(language)
        except ValueError as error:
            raise AllianceError(f"{error} Your memo is kept.") from None
        declared = self._checker.check(audio)  # AudioError for empty / too big / too long / not audio
        name = upload_name(audio, filename)
        started = time.perf_counter()
        extra = {} if code == AUTO else {"language": code}

        def create():
            return self.client.audio.transcriptions.create(
                model=self.model,
                file=(name, audio),
                response_format="json",
                **extra,
            )

        try:
            result = with_retries(create, self.policy, what="transcription", sleep=self.sleep)
        except LLMError as error:
            if error.kind == "rejected" and error.status in (400, 415, 422):
                raise AudioError(
                    "The transcription service couldn't read that file as audio. Please send a voice memo "
                    "(OGG, M4A, MP3, WAV, FLAC, WebM)."
                ) from None
            raise AllianceError(_FAILURES.get(error.kind, _FAILURES["unavailable"])) from None
        text = clean_text([getattr(result, "text", "") or ""])
        log.info("cloud transcription of %d bytes in %.2fs", len(audio), time.perf_counter() - started)
        if not re.search(r"\w", text):
            raise NoSpeech()
        return TranscriptResult(text=text, duration_s=round(declared or 0.0, 3), language=extra.get("language"))
