"""Records the repositories return: storage decrypts and hands the core these, never a row."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.types import Awaiting, Measure


class MemoStatus:
    """A memo's life: received -> fetched -> transcribed -> drafted -> delivered, or failed."""

    RECEIVED = "received"  # recorded; its audio may still be on the platform (source_ref)
    FETCHED = "fetched"  # audio stored
    TRANSCRIBED = "transcribed"  # transcript stored (a typed note starts here)
    DRAFTED = "drafted"  # note stored, audio dropped
    DELIVERED = "delivered"  # the note reached the therapist's chat
    FAILED = "failed"  # stopped with a reason the therapist was told

    ACTIVE = (RECEIVED, FETCHED, TRANSCRIBED, DRAFTED)


@dataclass(frozen=True)
class MemoRecord:
    id: int
    therapist_id: int
    platform: str
    status: str
    failure: str | None = None
    audio: bytes | None = None
    filename: str = "memo"
    source_ref: str | None = None  # the platform's file id, while the audio is not downloaded yet
    transcript: str | None = None
    client_hint: str | None = None
    client_id: int | None = None
    session_date: date | None = None
    note_format: str | None = None
    note_id: int | None = None
    origin_ref: str | None = None  # where the memo came from (chat/channel and message), for replies
    reply_ref: str | None = None  # the acknowledgement that becomes the note
    attempts: int = 0
    created_at: datetime | None = None

    @property
    def needs_audio(self) -> bool:
        return self.audio is None and self.transcript is None and self.status == MemoStatus.RECEIVED


@dataclass(frozen=True)
class TherapistRecord:
    id: int
    name: str
    timezone: str = "UTC"
    note_format: str = "SOAP"
    digest_time: str = "07:30"
    digest_days: str = "mon-fri"
    digest_enabled: bool = True
    digest_when_empty: bool = False
    reminder_minutes: int | None = 15
    channel: str | None = None  # preferred platform for digests and reminders
    language: str | None = None  # dictation language (None: the configured default)
    preferences: str = ""  # how the therapist likes notes written (model prompts only)
    awaiting: "Awaiting | None" = None
    next_client_id: int | None = None  # a /client choice for the next memo, used once


@dataclass(frozen=True)
class Account:
    """A chat account a therapist is linked to."""

    platform: str
    workspace_id: str
    user_key: str


@dataclass(frozen=True)
class AppointmentRecord:
    id: int
    client_id: int | None
    starts_at: datetime  # aware UTC
    duration_minutes: int = 50
    weekly: bool = False
    until: datetime | None = None
    source: str = "chat"  # chat | ics
    external_uid: str | None = None
    title: str | None = None  # an unmatched calendar event's title
    cancelled: bool = False


@dataclass(frozen=True)
class Occurrence:
    """One session on the calendar: a single appointment or one week of a weekly series."""

    appointment_id: int
    client_id: int | None
    starts_at: datetime  # aware UTC
    weekly: bool = False
    source: str = "chat"
    therapist_id: int | None = None

    @property
    def key(self) -> str:
        return f"{self.appointment_id}@{self.starts_at.strftime('%Y%m%dT%H%M')}"


@dataclass(frozen=True)
class CalendarFeedRecord:
    id: int
    therapist_id: int
    url: str
    last_loaded_at: datetime | None = None
    last_error: str | None = None
    error_reported: bool = False


@dataclass(frozen=True)
class AuditEntry:
    therapist_id: int | None
    actor: str
    action: str
    record_type: str
    record_id: int | None
    at: datetime | None = None


@dataclass(frozen=True)
class AllianceEntry:
    """What the therapist entered about the alliance outside a note: a score ("/score Maya SRS 32") or a
    note's ruptures marked repaired. `session_date`: the session a score rates, or the day of the mark."""

    id: int
    client_id: int
    session_date: date
    kind: str  # "score" | "repaired"
    measure: Measure | None = None  # for a score
    note_id: int | None = None  # for a mark: the note whose ruptures are repaired
    created_at: datetime | None = None


@dataclass(frozen=True)
class NoteEntry:
    """A note as a list shows it: what it is about and where it stands, without its (encrypted) text."""

    id: int
    client_id: int | None
    session_date: date
    format: str
    status: str  # "draft" (client not chosen) | "final" | "signed"
    version: int = 1
    memo_id: int | None = None
    signed_at: datetime | None = None  # aware UTC
    signed_by: str | None = None  # the audit actor who signed ("console", "telegram:123")
    updated_at: datetime | None = None

