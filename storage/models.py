"""SQLModel tables. Columns ending in `_enc` hold Fernet ciphertext; nothing clinical is stored in clear."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Optional

from sqlalchemy import Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _blob(nullable: bool = True) -> Column:
    return Column(LargeBinary, nullable=nullable)


class Therapist(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name_enc: bytes = Field(sa_column=_blob(False))
    timezone: str = "UTC"
    note_format: str = "SOAP"
    digest_time: str = "07:30"
    digest_days: str = "mon-fri"
    digest_enabled: bool = True
    digest_when_empty: bool = False
    reminder_minutes: Optional[int] = 15
    channel: Optional[str] = None  # preferred platform when several are linked
    preferences_enc: Optional[bytes] = Field(default=None, sa_column=_blob())
    next_client_id: Optional[int] = None  # set by /client: whom the next memo is about
    awaiting: Optional[str] = None  # a question the bot asked and the next message answers (core.actions codec)
    language: Optional[str] = None  # dictation language; None: the configured default
    created_at: datetime = Field(default_factory=utcnow)


class Identity(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("platform", "workspace_id", "user_key"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    therapist_id: int = Field(foreign_key="therapist.id", index=True)
    platform: str
    workspace_id: str = ""
    user_key: str  # platform user id; for the console a keyed hash of the name
    created_at: datetime = Field(default_factory=utcnow)


class Invite(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    therapist_id: int = Field(foreign_key="therapist.id", index=True)
    code_hash: str = Field(unique=True)
    expires_at: datetime
    used_at: Optional[datetime] = None
    used_by: Optional[str] = None


class Client(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    therapist_id: int = Field(foreign_key="therapist.id", index=True)
    name_enc: bytes = Field(sa_column=_blob(False))
    aliases_enc: Optional[bytes] = Field(default=None, sa_column=_blob())
    created_at: datetime = Field(default_factory=utcnow)


class Memo(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    therapist_id: int = Field(foreign_key="therapist.id", index=True)
    idempotency_key: str = Field(unique=True)
    platform: str
    status: str = Field(default="received", index=True)  # core.types.MemoStatus
    failure: Optional[str] = None  # the human message, never content
    audio_enc: Optional[bytes] = Field(default=None, sa_column=_blob())
    filename: str = "memo"
    source_ref: Optional[str] = None  # the platform's file id while the audio is not downloaded yet
    transcript_enc: Optional[bytes] = Field(default=None, sa_column=_blob())
    client_hint_enc: Optional[bytes] = Field(default=None, sa_column=_blob())
    client_id: Optional[int] = None
    session_date: Optional[date] = None
    note_format: Optional[str] = None
    note_id: Optional[int] = None
    origin_ref: Optional[str] = None  # platform ids of the chat (and message) the memo came from
    reply_ref: Optional[str] = None  # platform ids of the ack message, to edit it into the note
    attempts: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Note(SQLModel, table=True):
    # Questions read one client's final notes in date order; without this SQLite scanned all of a
    # therapist's notes (issue 15: 26.7 ms p50 at 500 notes per client).
    __table_args__ = (Index("ix_note_client_timeline", "therapist_id", "client_id", "status", "session_date"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    therapist_id: int = Field(foreign_key="therapist.id", index=True)
    client_id: Optional[int] = Field(default=None, foreign_key="client.id", index=True)
    memo_id: Optional[int] = None
    session_date: date = Field(index=True)
    format: str = "SOAP"
    status: str = "final"  # draft (client not yet known) | final | signed (locked: changes are addenda)
    version: int = 1
    content_enc: bytes = Field(sa_column=_blob(False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    signed_at: Optional[datetime] = None
    signed_by: Optional[str] = None  # the audit actor who signed ("console", "telegram:123")


class NoteVersion(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    therapist_id: int = Field(foreign_key="therapist.id", index=True)
    note_id: int = Field(foreign_key="note.id", index=True)
    version: int
    content_enc: bytes = Field(sa_column=_blob(False))
    created_at: datetime = Field(default_factory=utcnow)


class NoteAddendum(SQLModel, table=True):
    """A change to a signed note, kept beside it (clinical records: the signed text never changes)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    therapist_id: int = Field(foreign_key="therapist.id", index=True)
    note_id: int = Field(foreign_key="note.id", index=True)
    actor: str
    content_enc: bytes = Field(sa_column=_blob(False))
    created_at: datetime = Field(default_factory=utcnow)


class Appointment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("therapist_id", "external_uid"),)  # a calendar event syncs to one row
    id: Optional[int] = Field(default=None, primary_key=True)
    therapist_id: int = Field(foreign_key="therapist.id", index=True)
    client_id: Optional[int] = Field(default=None, foreign_key="client.id", index=True)
    starts_at: datetime = Field(index=True)  # aware; sqlmodel stores and returns UTC
    duration_minutes: int = 50
    weekly: bool = False
    until: Optional[datetime] = None
    source: str = "chat"  # chat | ics
    external_uid: Optional[str] = None
    title_enc: Optional[bytes] = Field(default=None, sa_column=_blob())  # unmatched calendar titles
    cancelled: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class CalendarFeed(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    therapist_id: int = Field(foreign_key="therapist.id", index=True)
    url_enc: bytes = Field(sa_column=_blob(False))
    last_loaded_at: Optional[datetime] = None
    last_error: Optional[str] = None
    error_reported: bool = False


class AllianceEntry(SQLModel, table=True):
    """A score the therapist entered, or a note's ruptures they marked repaired (core/alliance)."""

    __table_args__ = (Index("ix_alliance_entry_client", "therapist_id", "client_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    therapist_id: int = Field(foreign_key="therapist.id")
    client_id: int = Field(foreign_key="client.id")
    session_date: date
    kind: str  # score | repaired
    note_id: Optional[int] = None  # repaired: the note whose ruptures are marked
    content_enc: Optional[bytes] = Field(default=None, sa_column=_blob())  # score: the measure as JSON
    created_at: datetime = Field(default_factory=utcnow)


class SentNotification(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("kind", "therapist_id", "key"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    therapist_id: int = Field(foreign_key="therapist.id", index=True)
    kind: str
    key: str
    status: str = "claimed"  # claimed | sent | failed
    attempts: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class ProcessedEvent(SQLModel, table=True):
    """Platform deliveries already handled: a redelivered update or retried event is ignored."""

    id: Optional[int] = Field(default=None, primary_key=True)
    event_key: str = Field(unique=True)
    created_at: datetime = Field(default_factory=utcnow)


class AuditEvent(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    therapist_id: Optional[int] = Field(default=None, index=True)
    actor: str  # "telegram:12345", "console", "system"
    action: str  # read | write | export | delete | ...
    record_type: str
    record_id: Optional[int] = None
    at: datetime = Field(default_factory=utcnow)


class KeyringEntry(SQLModel, table=True):
    """Which keys this database's data is encrypted with (storage/keys.py). A data key is recorded by its
    fingerprint only; the index key (lookup hashes) is stored encrypted under the primary data key, so
    rotating data keys never changes a lookup hash."""

    __tablename__ = "keyring"
    __table_args__ = (UniqueConstraint("kind", "key_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str  # data | index
    key_id: str  # data: the key's fingerprint; index: "index-v1", "index-v2", ...
    state: str  # data: primary | old (rows may still use it); index: current
    wrapped: Optional[bytes] = Field(default=None, sa_column=_blob())  # index: the key, encrypted
    created_at: datetime = Field(default_factory=utcnow)
