"""Memos and notes: the clinical records. Audio, transcripts, hints and note contents are stored encrypted
and decrypted only here, inside one therapist's scope."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime
from typing import Iterable, Sequence

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, select

from core.errors import NoteLocked
from core.types import Addendum, NoteDraft
from core.records import MemoRecord, MemoStatus, NoteEntry
from storage.crypto import Cipher
from storage.models import Memo, Note, NoteAddendum, NoteVersion, utcnow

READABLE = ("final", "signed")  # what questions, digests and exports read: every note with its client
# What draft() reads of a note: plain columns are a third cheaper than ORM objects at hundreds of notes.
NOTE_COLUMNS = (Note.id, Note.client_id, Note.version, Note.session_date, Note.format, Note.status, Note.signed_at,
                Note.content_enc)

ENCRYPTED_MEMO_FIELDS = {"audio": "audio_enc", "transcript": "transcript_enc", "client_hint": "client_hint_enc"}


def insert_ignoring(session: Session, table, values: dict | list[dict], *conflict_columns: str):
    """INSERT ... ON CONFLICT DO NOTHING in the session's dialect (SQLite and PostgreSQL both have it)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).values(values).on_conflict_do_nothing(index_elements=list(conflict_columns))


def in_chunks(values: Iterable[int], size: int = 900):
    """IN lists stay under SQLite's variable limit."""
    values = sorted(values)
    for i in range(0, len(values), size):
        yield values[i:i + size]


class SqlMemos:
    def __init__(self, session: Session, cipher: Cipher):
        self.s, self.cipher = session, cipher

    def add(self, therapist_id: int, idempotency_key: str, platform: str, **fields) -> tuple[int, bool]:
        """Insert a memo; (id, False) when the same key was already received (a platform retry)."""
        existing = self.s.exec(select(Memo.id).where(Memo.idempotency_key == idempotency_key)).first()
        if existing is not None:
            return existing, False
        now = utcnow()
        values = dict(therapist_id=therapist_id, idempotency_key=idempotency_key, platform=platform,
                      created_at=now, updated_at=now, **self._columns(fields))
        # A concurrent delivery of the same message may win the race: then this inserts nothing.
        inserted = self.s.exec(
            insert_ignoring(self.s, Memo, values, "idempotency_key").returning(Memo.id)
        ).first()
        if inserted is None:
            return self.s.exec(select(Memo.id).where(Memo.idempotency_key == idempotency_key)).one(), False
        return inserted[0], True

    def get(self, therapist_id: int, memo_id: int) -> MemoRecord | None:
        row = self.s.exec(select(Memo).where(Memo.therapist_id == therapist_id, Memo.id == memo_id)).first()
        return self._record(row) if row else None

    def refs(self, therapist_id: int, memo_id: int) -> tuple[str, str | None, str | None] | None:
        """Where a memo came from and its acknowledgement, read without decrypting anything."""
        row = self.s.exec(select(Memo.platform, Memo.origin_ref, Memo.reply_ref)
                          .where(Memo.therapist_id == therapist_id, Memo.id == memo_id)).first()
        return tuple(row) if row else None

    def update(self, therapist_id: int, memo_id: int, *, drop_audio: bool = False, **fields) -> None:
        values = self._columns(fields)
        if drop_audio:
            values["audio_enc"] = None
        values["updated_at"] = utcnow()
        self.s.exec(update(Memo).where(Memo.therapist_id == therapist_id, Memo.id == memo_id).values(**values))

    def unfinished(self, platform: str | None = None) -> list[tuple[int, int]]:
        query = select(Memo.therapist_id, Memo.id).where(Memo.status.in_(MemoStatus.ACTIVE))
        if platform:
            query = query.where(Memo.platform == platform)
        return [(t, m) for t, m in self.s.exec(query.order_by(Memo.id))]

    def failed(self, therapist_id: int) -> list[int]:
        query = select(Memo.id).where(Memo.therapist_id == therapist_id, Memo.status == MemoStatus.FAILED)
        return list(self.s.exec(query.order_by(Memo.id)))

    def by_reply_ref(self, therapist_id: int, ref: str) -> MemoRecord | None:
        """The memo whose note is the message `ref` (or which is that message itself: a reply in a memo's
        thread is about its note)."""
        row = self.s.exec(
            select(Memo).where(Memo.therapist_id == therapist_id, or_(Memo.reply_ref == ref, Memo.origin_ref == ref))
            .order_by(Memo.id.desc())
        ).first()
        return self._record(row) if row else None

    def _columns(self, fields: dict) -> dict:
        out = {}
        for name, value in fields.items():
            column = ENCRYPTED_MEMO_FIELDS.get(name)
            if column is None:
                out[name] = value
            elif value is not None and value != "":
                out[column] = self.cipher.encrypt(value)
        return out

    def _record(self, row: Memo) -> MemoRecord:
        return MemoRecord(
            id=row.id,
            therapist_id=row.therapist_id,
            platform=row.platform,
            status=row.status,
            failure=row.failure,
            audio=self.cipher.decrypt_bytes(row.audio_enc) if row.audio_enc is not None else None,
            filename=row.filename,
            source_ref=row.source_ref,
            transcript=self.cipher.decrypt(row.transcript_enc),
            client_hint=self.cipher.decrypt(row.client_hint_enc),
            client_id=row.client_id,
            session_date=row.session_date,
            note_format=row.note_format,
            note_id=row.note_id,
            origin_ref=row.origin_ref,
            reply_ref=row.reply_ref,
            attempts=row.attempts,
            created_at=row.created_at,
        )


class SqlNotes:
    def __init__(self, session: Session, cipher: Cipher):
        self.s, self.cipher = session, cipher

    def add(self, therapist_id: int, draft: NoteDraft, *, memo_id: int | None, status: str = "final") -> int:
        row = Note(
            therapist_id=therapist_id,
            client_id=draft.client_id,
            memo_id=memo_id,
            session_date=draft.session_date,
            format=draft.format,
            status=status,
            content_enc=self._content(draft),
        )
        self.s.add(row)
        self.s.flush()
        return row.id

    def _row(self, therapist_id: int, note_id: int) -> Note | None:
        return self.s.exec(select(Note).where(Note.therapist_id == therapist_id, Note.id == note_id)).first()

    def get(self, therapist_id: int, note_id: int) -> NoteDraft | None:
        """One note, with its addenda (lists leave them out: a question never needs them)."""
        row = self._row(therapist_id, note_id)
        if row is None:
            return None
        addenda = self.s.exec(
            select(NoteAddendum).where(NoteAddendum.therapist_id == therapist_id, NoteAddendum.note_id == note_id)
            .order_by(NoteAddendum.id)
        )
        return replace(self.draft(row), addenda=tuple(Addendum(self.cipher.decrypt(a.content_enc), a.created_at) for a in addenda))

    def entries(self, therapist_id: int, *, client_id: int | None = None, drafts_only: bool = False,
                start: date | None = None, end: date | None = None) -> list[NoteEntry]:
        """Notes as a list shows them, newest session first; nothing is decrypted."""
        query = select(Note).where(Note.therapist_id == therapist_id)
        if client_id is not None:
            query = query.where(Note.client_id == client_id)
        if drafts_only:
            query = query.where(Note.status == "draft")
        if start is not None:
            query = query.where(Note.session_date >= start)
        if end is not None:
            query = query.where(Note.session_date <= end)
        return [self._entry(r) for r in self.s.exec(query.order_by(Note.session_date.desc(), Note.id.desc()))]

    def entry(self, therapist_id: int, note_id: int) -> NoteEntry | None:
        row = self._row(therapist_id, note_id)
        return self._entry(row) if row else None

    def sign(self, therapist_id: int, note_id: int, actor: str, at: datetime) -> bool:
        """Lock a final note (a draft has no client yet; a signed one stays as first signed)."""
        result = self.s.exec(
            update(Note).where(Note.therapist_id == therapist_id, Note.id == note_id, Note.status == "final")
            .values(status="signed", signed_at=at, signed_by=actor, updated_at=utcnow())
        )
        return result.rowcount == 1

    def add_addendum(self, therapist_id: int, note_id: int, text: str, actor: str, at: datetime) -> None:
        if self._row(therapist_id, note_id) is None:
            raise KeyError("no such note")
        self.s.add(NoteAddendum(therapist_id=therapist_id, note_id=note_id, actor=actor,
                                content_enc=self.cipher.encrypt(text), created_at=at))
        self.s.flush()

    @staticmethod
    def _entry(row: Note) -> NoteEntry:
        return NoteEntry(row.id, row.client_id, row.session_date, row.format, row.status, row.version, row.memo_id,
                         row.signed_at, row.signed_by, row.updated_at)

    def _content(self, draft: NoteDraft) -> bytes:
        # signing and addenda live in their own columns and table, never inside the note's text
        return self.cipher.encrypt_json(replace(draft, signed_at=None, addenda=()).to_json())

    def memo_id(self, therapist_id: int, note_id: int) -> int | None:
        return self.s.exec(select(Note.memo_id).where(Note.therapist_id == therapist_id, Note.id == note_id)).first()

    def for_memo(self, therapist_id: int, memo_id: int) -> int | None:
        return self.s.exec(select(Note.id).where(Note.therapist_id == therapist_id, Note.memo_id == memo_id)).first()

    def replace(self, therapist_id: int, note_id: int, draft: NoteDraft, *, status: str = "final") -> NoteDraft:
        """Store a new version; the previous one is kept in NoteVersion."""
        row = self._row(therapist_id, note_id)
        if row is None:
            raise KeyError("no such note")
        if row.status == "signed":
            raise NoteLocked()
        self.s.add(NoteVersion(therapist_id=therapist_id, note_id=note_id, version=row.version, content_enc=row.content_enc))
        row.version += 1
        row.client_id = draft.client_id
        row.session_date = draft.session_date
        row.format = draft.format
        row.status = status
        row.content_enc = self._content(draft)
        row.updated_at = utcnow()
        self.s.add(row)
        self.s.flush()
        return self.draft(row)

    def versions(self, therapist_id: int, note_id: int) -> list[NoteDraft]:
        rows = self.s.exec(
            select(NoteVersion)
            .where(NoteVersion.therapist_id == therapist_id, NoteVersion.note_id == note_id)
            .order_by(NoteVersion.version)
        )
        # the version number is the row's: a stored text may carry the number its writer guessed
        return [NoteDraft.from_json({**self.cipher.decrypt_json(r.content_enc), "version": r.version, "note_id": note_id})
                for r in rows]

    def delete(self, therapist_id: int, note_id: int) -> bool:
        self.s.exec(delete(NoteAddendum).where(NoteAddendum.therapist_id == therapist_id, NoteAddendum.note_id == note_id))
        self.s.exec(delete(NoteVersion).where(NoteVersion.therapist_id == therapist_id, NoteVersion.note_id == note_id))
        result = self.s.exec(delete(Note).where(Note.therapist_id == therapist_id, Note.id == note_id))
        self.s.exec(update(Memo).where(Memo.therapist_id == therapist_id, Memo.note_id == note_id).values(note_id=None))
        return result.rowcount == 1

    def for_client(self, therapist_id: int, client_id: int, *, latest: int | None = None,
                   until: date | None = None, since: date | None = None) -> list[NoteDraft]:
        """A client's readable notes, oldest first; plain columns, not ORM objects (a question may read
        hundreds). With `latest`, only the newest that many dated up to `until` are read and decrypted;
        with `since`, only those of sessions from that day on."""
        query = select(*NOTE_COLUMNS).where(Note.therapist_id == therapist_id, Note.client_id == client_id,
                                            Note.status.in_(READABLE))
        if since is not None:
            query = query.where(Note.session_date >= since)
        if latest is not None:
            if until is not None:
                query = query.where(Note.session_date <= until)
            query = query.order_by(Note.session_date.desc(), Note.id.desc()).limit(latest)
            rows = list(self.s.exec(query))[::-1]
        else:
            rows = list(self.s.exec(query.order_by(Note.session_date, Note.id)))
        return self._with_addenda(therapist_id, [self.draft(r) for r in rows])

    def _with_addenda(self, therapist_id: int, notes: list[NoteDraft]) -> list[NoteDraft]:
        """A signed note's corrections travel with it, so answers and digests quote them too (one query)."""
        return _attach(self._addenda([therapist_id], _signed(notes)), therapist_id, notes)

    def _addenda(self, therapist_ids: Sequence[int], note_ids: list[int]) -> dict[tuple[int, int], list[Addendum]]:
        """{(therapist id, note id): addenda, oldest first}: a row counts only under its own therapist."""
        found: dict[tuple[int, int], list[Addendum]] = defaultdict(list)
        for part in in_chunks(note_ids):
            rows = self.s.exec(select(NoteAddendum).where(NoteAddendum.therapist_id.in_(list(therapist_ids)),
                                                          NoteAddendum.note_id.in_(part)).order_by(NoteAddendum.id))
            for a in rows:
                found[(a.therapist_id, a.note_id)].append(Addendum(self.cipher.decrypt(a.content_enc), a.created_at))
        return found

    def latest(self, therapist_id: int, limit: int = 10) -> list[NoteDraft]:
        rows = self.s.exec(
            select(Note)
            .where(Note.therapist_id == therapist_id, Note.status.in_(READABLE))
            .order_by(Note.session_date.desc(), Note.id.desc())
            .limit(limit)
        )
        return [self.draft(r) for r in rows]

    def count(self, therapist_id: int) -> int:
        return self.s.exec(select(func.count()).select_from(Note).where(Note.therapist_id == therapist_id)).one()

    def recent_for_clients(
        self, therapist_ids: Sequence[int], client_ids: Iterable[int], before: date, per_client: int
    ) -> dict[tuple[int, int], list[NoteDraft]]:
        """Each client's last `per_client` final notes before `before`, oldest first, keyed (therapist, client).
        A window function picks them in the database, so a long history is neither loaded nor decrypted;
        rows are grouped under their own therapist id, so tenant scoping holds row by row."""
        out: dict[tuple[int, int], list[NoteDraft]] = defaultdict(list)
        therapist_ids = list(therapist_ids)
        for part in in_chunks(client_ids):
            ranked = (
                select(
                    Note.id,
                    func.row_number()
                    .over(partition_by=(Note.therapist_id, Note.client_id), order_by=(Note.session_date.desc(), Note.id.desc()))
                    .label("rank"),
                )
                .where(Note.therapist_id.in_(therapist_ids), Note.client_id.in_(part), Note.status.in_(READABLE),
                       Note.session_date < before)
                .subquery()
            )
            rows = self.s.exec(
                select(Note).join(ranked, Note.id == ranked.c.id).where(ranked.c.rank <= per_client)
                .order_by(Note.session_date, Note.id)
            )
            for row in rows:
                out[(row.therapist_id, row.client_id)].append(self.draft(row))
        found = self._addenda(therapist_ids, [i for notes in out.values() for i in _signed(notes)])
        return {key: _attach(found, key[0], notes) for key, notes in out.items()}

    def draft(self, row) -> NoteDraft:
        """A note row (or a NOTE_COLUMNS row) decrypted into the core's NoteDraft."""
        data = self.cipher.decrypt_json(row.content_enc)
        data.update(note_id=row.id, client_id=row.client_id, version=row.version,
                    session_date=row.session_date.isoformat(), format=row.format, needs_client=row.status == "draft",
                    signed_at=row.signed_at.isoformat() if row.signed_at else None)
        data.pop("addenda", None)
        return NoteDraft.from_json(data)


def _signed(notes: list[NoteDraft]) -> list[int]:
    return [n.note_id for n in notes if n.signed_at is not None]  # only a signed note has addenda


def _attach(found: dict[tuple[int, int], list[Addendum]], therapist_id: int, notes: list[NoteDraft]) -> list[NoteDraft]:
    """The notes with their addenda, each under its own therapist."""
    return [replace(n, addenda=tuple(found[(therapist_id, n.note_id)])) if (therapist_id, n.note_id) in found else n
            for n in notes]
