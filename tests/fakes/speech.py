"""A transcriber for use-case tests: the "audio" is the words themselves (b"words:..."), so tests say what
was dictated without decoding real audio (the real faster-whisper path has its own tests on real clips)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from core.errors import AudioError, NoSpeech


@dataclass(frozen=True)
class Heard:
    text: str
    duration_s: float


class ScriptedTranscriber:
    def __init__(self):
        self.calls: list[dict] = []

    def transcribe(self, audio: bytes, *, filename: str = "memo", hint_names: Sequence[str] = (), language=None) -> Heard:
        self.calls.append({"hint_names": list(hint_names), "language": language})
        if not audio.startswith(b"words:"):
            raise AudioError("I couldn't read that file as audio (OGG, M4A, MP3, WAV, FLAC, WebM). Please send the recording again.")
        text = audio[len(b"words:"):].decode()
        if not text.strip():
            raise NoSpeech()
        return Heard(text, len(text.split()) / 2.5)


def spoken(text: str) -> bytes:
    return b"words:" + text.encode()
