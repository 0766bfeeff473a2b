"""What the core needs from the outside world. Real and fake implementations are wired in core/bootstrap.py."""
from __future__ import annotations

from datetime import date, datetime
from typing import Protocol, Sequence

from core.types import Answer, NoteDraft, Reply


class Transcript(Protocol):
    text: str
    duration_s: float


class Transcriber(Protocol):
    def transcribe(self, audio: bytes, *, filename: str = "memo", hint_names: Sequence[str] = ()) -> "Transcript":
        """Blocking: the service runs it in a worker thread. Raises core.errors.AudioError on bad input."""


class NoteWriter(Protocol):
    name: str

    def write(
        self,
        transcript: str,
        *,
        note_format: str,
        session_date: date,
        client_name: str | None,
        preferences: str = "",
    ) -> NoteDraft:
        """Blocking. Every sentence the note states must be supported by the transcript."""


class Answerer(Protocol):
    def answer(self, question: str, notes: Sequence[NoteDraft], *, offline: Answer, today: date) -> Answer:
        """Answer from the given notes only; return `offline` when unsure. `today` is the therapist's."""


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware UTC now."""


class Notifier(Protocol):
    platform: str

    async def send(self, user_id: str, workspace_id: str, reply: Reply) -> None:
        """Deliver a message to a linked therapist's private chat. Raises on failure."""
