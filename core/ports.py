"""What the core needs from the outside world, as Protocols. storage/ implements the repositories and the
unit of work (SQL, and an in-memory one for tests); bots/ implements the channels; bots/bootstrap.py wires
them into the Assistant. Every tenant-scoped method takes the therapist id first: there is no method that
can return another therapist's rows."""
from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Iterable, Protocol, Sequence

from core.language.client_match import ClientRecord
from core.types import Answer, Measure, NoteDraft, Reply
from core.records import (Account, AllianceEntry, AppointmentRecord, AuditEntry, CalendarFeedRecord, MemoRecord, NoteEntry,
                          Occurrence, TherapistRecord)


# ---- repositories ---------------------------------------------------------------------------------------
class Therapists(Protocol):
    def add(self, name: str, **settings) -> int: ...
    def get(self, therapist_id: int) -> TherapistRecord: ...  # KeyError when unknown
    def update(self, therapist_id: int, **fields) -> None: ...  # awaiting=Awaiting|None, preferences=str, ...
    def all(self) -> list[TherapistRecord]: ...  # system-wide: the scheduler's reads
    def by_account(self, platform: str, workspace_id: str, user_key: str) -> int | None: ...
    def link(self, therapist_id: int, account: Account) -> None: ...
    def accounts(self, therapist_id: int) -> list[Account]: ...
    def reachable(self) -> set[int]: ...  # therapists with a chat account a message can go to
    def add_invite(self, therapist_id: int, code: str, expires_at: datetime) -> None: ...
    def redeem_invite(self, code: str, used_by: str, now: datetime) -> int | None: ...


class Clients(Protocol):
    def list(self, therapist_id: int) -> list[ClientRecord]: ...
    def get(self, therapist_id: int, client_id: int) -> ClientRecord | None: ...
    def add(self, therapist_id: int, name: str, aliases: Sequence[str] = ()) -> ClientRecord: ...
    def delete(self, therapist_id: int, client_id: int) -> bool: ...  # with every note, memo and session
    def names(self, therapist_ids: Sequence[int], client_ids: Iterable[int]) -> dict[tuple[int, int], str]: ...  # batched


class Memos(Protocol):
    def add(self, therapist_id: int, idempotency_key: str, platform: str, **fields) -> tuple[int, bool]: ...
    def get(self, therapist_id: int, memo_id: int) -> MemoRecord | None: ...
    def refs(self, therapist_id: int, memo_id: int) -> tuple[str, str | None, str | None] | None: ...  # platform, origin, reply: nothing decrypted
    def update(self, therapist_id: int, memo_id: int, *, drop_audio: bool = False, **fields) -> None: ...
    def unfinished(self, platform: str | None = None) -> list[tuple[int, int]]: ...  # (therapist, memo), oldest first
    def failed(self, therapist_id: int) -> list[int]: ...
    def by_reply_ref(self, therapist_id: int, ref: str) -> MemoRecord | None: ...  # its note's message, or its own


class Notes(Protocol):
    def add(self, therapist_id: int, draft: NoteDraft, *, memo_id: int | None, status: str = "final") -> int: ...
    def get(self, therapist_id: int, note_id: int) -> NoteDraft | None: ...
    def memo_id(self, therapist_id: int, note_id: int) -> int | None: ...
    def for_memo(self, therapist_id: int, memo_id: int) -> int | None: ...
    def replace(self, therapist_id: int, note_id: int, draft: NoteDraft, *, status: str = "final") -> NoteDraft: ...
    def versions(self, therapist_id: int, note_id: int) -> list[NoteDraft]: ...
    def delete(self, therapist_id: int, note_id: int) -> bool: ...
    def for_client(self, therapist_id: int, client_id: int, *, latest: int | None = None, until: date | None = None,
                   since: date | None = None) -> list[NoteDraft]: ...
    # final, oldest first; `latest`: the newest N up to `until`; `since`: only sessions from that day on
    def latest(self, therapist_id: int, limit: int = 10) -> list[NoteDraft]: ...
    def count(self, therapist_id: int) -> int: ...
    def recent_for_clients(self, therapist_ids: Sequence[int], client_ids: Iterable[int], before: date, per_client: int
                           ) -> dict[tuple[int, int], list[NoteDraft]]: ...  # batched digest reads
    # Reaching notes later (core/notebook). A signed note reads like a final one everywhere; `replace`
    # refuses it (core.errors.NoteLocked) and `get` carries its addenda.
    def entries(self, therapist_id: int, *, client_id: int | None = None, drafts_only: bool = False,
                start: date | None = None, end: date | None = None) -> list[NoteEntry]: ...  # newest first
    def entry(self, therapist_id: int, note_id: int) -> NoteEntry | None: ...
    def sign(self, therapist_id: int, note_id: int, actor: str, at: datetime) -> bool: ...  # final -> signed
    def add_addendum(self, therapist_id: int, note_id: int, text: str, actor: str, at: datetime) -> None: ...


class Appointments(Protocol):
    def add(self, therapist_id: int, client_id: int | None, starts_at: datetime, **fields) -> int: ...
    def get(self, therapist_id: int, appointment_id: int) -> AppointmentRecord | None: ...
    def list(self, therapist_id: int, *, source: str | None = None, include_cancelled: bool = False) -> list[AppointmentRecord]: ...
    def update(self, therapist_id: int, appointment_id: int, **fields) -> None: ...
    def cancel(self, therapist_id: int, appointment_id: int) -> bool: ...
    def occurrences(self, therapist_id: int, start: datetime, end: datetime, tz: tzinfo) -> list[Occurrence]: ...
    def occurrences_for(self, zones: dict[int, tzinfo], start: datetime, end: datetime) -> list[Occurrence]: ...  # batched
    def feeds(self, therapist_id: int | None = None) -> list[CalendarFeedRecord]: ...  # None: every therapist's
    def add_feed(self, therapist_id: int, url: str) -> int: ...
    def remove_feeds(self, therapist_id: int) -> int: ...
    def update_feed(self, feed_id: int, *, only_if_loaded_before: datetime | None = None,
                    only_if_unreported: bool = False, **fields) -> bool: ...  # compare-and-set


class AllianceEntries(Protocol):
    """Scores the therapist entered and ruptures they marked repaired (core/alliance reads them with the notes)."""

    def add(self, therapist_id: int, client_id: int, session_date: date, kind: str, *,
            measure: Measure | None = None, note_id: int | None = None) -> int: ...
    def for_client(self, therapist_id: int, client_id: int) -> list[AllianceEntry]: ...  # oldest first
    def for_clients(self, therapist_ids: Sequence[int], client_ids: Iterable[int]
                    ) -> dict[tuple[int, int], list[AllianceEntry]]: ...  # batched digest reads
    def get(self, therapist_id: int, entry_id: int) -> AllianceEntry | None: ...
    def delete(self, therapist_id: int, entry_id: int) -> bool: ...


class Ledger(Protocol):
    """Exactly-once bookkeeping: platform deliveries seen, scheduled messages claimed."""

    def claim_event(self, event_key: str) -> bool: ...
    def forget_events_before(self, before: datetime) -> int: ...
    def claim_notification(self, therapist_id: int, kind: str, key: str) -> bool: ...
    def claim_notifications(self, kind: str, pairs: Sequence[tuple[int, str]]) -> set[tuple[int, str]]: ...
    def claimed(self, kind: str, keys: Iterable[str]) -> set[tuple[int, str]]: ...
    def mark_notification(self, therapist_id: int, kind: str, key: str, status: str, attempts: int = 1) -> None: ...


class Audit(Protocol):
    def record(self, therapist_id: int | None, actor: str, action: str, record_type: str, record_id: int | None = None) -> None: ...
    def events(self, therapist_id: int) -> list[AuditEntry]: ...


class UnitOfWork(Protocol):
    """`with uow_factory() as uow: ...; uow.commit()` — one transaction; leaving without commit rolls back."""

    therapists: Therapists
    clients: Clients
    memos: Memos
    notes: Notes
    appointments: Appointments
    ledger: Ledger
    audit: Audit
    alliance: AllianceEntries

    def __enter__(self) -> "UnitOfWork": ...
    def __exit__(self, *exc) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def index(self, value: str) -> str: ...  # a keyed, stable hash for equality lookups of secret values
    def optimize(self) -> None: ...  # refresh the query planner's statistics (daily, and after migrations)


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


# ---- engines --------------------------------------------------------------------------------------------
class Transcript(Protocol):
    text: str
    duration_s: float


class Transcriber(Protocol):
    def transcribe(self, audio: bytes, *, filename: str = "memo", hint_names: Sequence[str] = (),
                   language: str | None = None) -> Transcript:
        """Blocking: runs in the memo executor. Raises core.errors.AudioError on bad input."""


class NoteWriter(Protocol):
    name: str

    def write(self, transcript: str, *, note_format: str, session_date: date, client_name: str | None,
              preferences: str = "") -> NoteDraft:
        """Blocking. Every sentence the note states must be supported by the transcript."""


class Answerer(Protocol):
    def answer(self, question: str, notes: Sequence[NoteDraft], *, offline: Answer, today: date) -> Answer:
        """Answer from the given notes only; return `offline` when unsure. `today` is the therapist's."""


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware UTC now."""


# ---- channels and jobs ------------------------------------------------------------------------------------
class Channel(Protocol):
    """A chat platform as the memo flow sees it. `origin` and `ref` are the platform's own strings (chat and
    message ids), stored on the memo; the channel alone knows how to read them."""

    platform: str

    async def fetch_audio(self, source_ref: str, max_bytes: int) -> bytes:
        """Download a memo's audio. Raises core.errors.FetchFailed with a message safe to show."""

    async def send(self, origin: str, reply: Reply) -> str | None:
        """A new message where the memo came from; returns its ref (to edit it later)."""

    async def edit(self, ref: str, reply: Reply, *, origin: str | None = None) -> str | None:
        """Replace a message the bot sent (the acknowledgement becomes the note); returns the ref of the
        message now holding the reply (a new one if the old could not be edited). `origin` is the memo's."""


class Notifier(Protocol):
    platform: str

    async def send(self, user_id: str, workspace_id: str, reply: Reply) -> None:
        """Deliver a message to a linked therapist's private chat. Raises on failure."""


class JobQueue(Protocol):
    """Memo jobs first in first out; scheduled sends, calendar refreshes and pruning as tasks (at most one
    of each name waiting at a time). Jobs carry ids only, never content: a queue's table is not encrypted."""

    async def enqueue_memo(self, therapist_id: int, memo_id: int) -> None: ...
    async def waiting(self) -> int: ...  # memo jobs not started yet (what a new memo would queue behind)
    async def memos_ahead(self, memo_id: int) -> int | None: ...  # None: not waiting (running or unknown)
    async def enqueue_task(self, name: str, **args) -> None: ...  # a core/jobs.py task; args are ids, JSON-able
