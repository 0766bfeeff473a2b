"""Tenant-scoped persistence. Every method that touches clinical rows takes the therapist id first and
filters by it, so no query here can return another therapist's rows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable, Optional

from sqlalchemy import delete, func, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core.language.client_match import ClientRecord
from core.types import NoteDraft
from storage.crypto import Cipher
from storage.models import (
    Appointment,
    AuditEvent,
    Client,
    Identity,
    Invite,
    Memo,
    Note,
    NoteVersion,
    Therapist,
    utcnow,
)
from storage.schedule import ScheduleQueries

ACTIVE_MEMO_STATES = ("received", "transcribed", "drafted")


@dataclass(frozen=True)
class MemoView:
    id: int
    therapist_id: int
    platform: str
    status: str
    failure: str | None
    audio: bytes | None
    filename: str
    source_ref: str | None
    transcript: str | None
    client_hint: str | None
    client_id: int | None
    session_date: date | None
    note_format: str | None
    note_id: int | None
    reply_ref: str | None
    attempts: int


class Store(ScheduleQueries):
    def __init__(self, engine: Engine, cipher: Cipher):
        self.engine = engine
        self.cipher = cipher

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # ---- therapists and identities -------------------------------------------------------------
    def create_therapist(self, name: str, **settings) -> int:
        with self.session() as s:
            row = Therapist(name_enc=self.cipher.encrypt(name), **settings)
            s.add(row)
            s.commit()
            return row.id

    def therapist(self, therapist_id: int) -> Therapist:
        with self.session() as s:
            row = s.get(Therapist, therapist_id)
            if row is None:
                raise KeyError("no such therapist")
            return row

    def therapist_name(self, therapist_id: int) -> str:
        return self.cipher.decrypt(self.therapist(therapist_id).name_enc)

    def therapist_ids(self) -> list[int]:
        with self.session() as s:
            return list(s.exec(select(Therapist.id).order_by(Therapist.id)))

    def therapists(self) -> list[Therapist]:
        with self.session() as s:
            return list(s.exec(select(Therapist).order_by(Therapist.id)))

    def update_therapist(self, therapist_id: int, **fields) -> None:
        with self.session() as s:
            s.exec(update(Therapist).where(Therapist.id == therapist_id).values(**fields))
            s.commit()

    def therapist_for_identity(self, platform: str, workspace_id: str, user_key: str) -> Optional[int]:
        with self.session() as s:
            return s.exec(
                select(Identity.therapist_id).where(
                    Identity.platform == platform, Identity.workspace_id == workspace_id, Identity.user_key == user_key
                )
            ).first()

    def link_identity(self, therapist_id: int, platform: str, workspace_id: str, user_key: str) -> None:
        with self.session() as s:
            s.add(Identity(therapist_id=therapist_id, platform=platform, workspace_id=workspace_id, user_key=user_key))
            s.commit()

    def identities(self, therapist_id: int) -> list[Identity]:
        with self.session() as s:
            return list(s.exec(select(Identity).where(Identity.therapist_id == therapist_id).order_by(Identity.id)))

    # ---- invites -------------------------------------------------------------------------------
    def create_invite(self, therapist_id: int, code: str, expires_at: datetime) -> None:
        with self.session() as s:
            s.add(Invite(therapist_id=therapist_id, code_hash=self.cipher.index(code), expires_at=expires_at))
            s.commit()

    def redeem_invite(self, code: str, used_by: str, now: datetime) -> Optional[int]:
        """Atomically use a code once; None when unknown, used or expired."""
        code_hash = self.cipher.index(code)
        with self.session() as s:
            result = s.exec(
                update(Invite)
                .where(Invite.code_hash == code_hash, Invite.used_at.is_(None), Invite.expires_at > now)
                .values(used_at=now, used_by=used_by)
            )
            s.commit()
            if result.rowcount != 1:
                return None
            return s.exec(select(Invite.therapist_id).where(Invite.code_hash == code_hash)).first()

    # ---- clients -------------------------------------------------------------------------------
    def clients(self, therapist_id: int) -> list[ClientRecord]:
        with self.session() as s:
            rows = s.exec(select(Client).where(Client.therapist_id == therapist_id).order_by(Client.id))
            return [self._client_record(row) for row in rows]

    def client(self, therapist_id: int, client_id: int) -> Optional[ClientRecord]:
        with self.session() as s:
            row = s.exec(select(Client).where(Client.therapist_id == therapist_id, Client.id == client_id)).first()
            return self._client_record(row) if row else None

    def add_client(self, therapist_id: int, name: str, aliases: Iterable[str] = ()) -> ClientRecord:
        aliases = tuple(aliases)
        with self.session() as s:
            row = Client(
                therapist_id=therapist_id,
                name_enc=self.cipher.encrypt(name),
                aliases_enc=self.cipher.encrypt_json(list(aliases)) if aliases else None,
            )
            s.add(row)
            s.commit()
            return ClientRecord(row.id, name, aliases)

    def delete_client(self, therapist_id: int, client_id: int) -> bool:
        """Hard delete of a client and everything recorded about them."""
        with self.session() as s:
            owned = s.exec(select(Client.id).where(Client.therapist_id == therapist_id, Client.id == client_id)).first()
            if owned is None:
                return False
            note_ids = select(Note.id).where(Note.therapist_id == therapist_id, Note.client_id == client_id)
            s.exec(delete(NoteVersion).where(NoteVersion.therapist_id == therapist_id, NoteVersion.note_id.in_(note_ids)))
            s.exec(delete(Note).where(Note.therapist_id == therapist_id, Note.client_id == client_id))
            s.exec(delete(Memo).where(Memo.therapist_id == therapist_id, Memo.client_id == client_id))
            s.exec(delete(Appointment).where(Appointment.therapist_id == therapist_id, Appointment.client_id == client_id))
            s.exec(delete(Client).where(Client.therapist_id == therapist_id, Client.id == client_id))
            s.commit()
            return True

    def _client_record(self, row: Client) -> ClientRecord:
        aliases = tuple(self.cipher.decrypt_json(row.aliases_enc) or ())
        return ClientRecord(row.id, self.cipher.decrypt(row.name_enc), aliases)

    # ---- memos ---------------------------------------------------------------------------------
    def add_memo(
        self,
        therapist_id: int,
        idempotency_key: str,
        platform: str,
        *,
        audio: bytes | None = None,
        transcript: str | None = None,
        filename: str = "memo",
        source_ref: str | None = None,
        client_hint: str | None = None,
        client_id: int | None = None,
        session_date: date | None = None,
        note_format: str | None = None,
    ) -> tuple[int, bool]:
        """Insert a memo; (id, False) when the same key was already received (a platform retry)."""
        with self.session() as s:
            existing = s.exec(select(Memo.id).where(Memo.idempotency_key == idempotency_key)).first()
            if existing is not None:
                return existing, False
            row = Memo(
                therapist_id=therapist_id,
                idempotency_key=idempotency_key,
                platform=platform,
                status="received" if transcript is None else "transcribed",
                audio_enc=self.cipher.encrypt(audio) if audio is not None else None,
                transcript_enc=self.cipher.encrypt(transcript) if transcript is not None else None,
                filename=filename,
                source_ref=source_ref,
                client_hint_enc=self.cipher.encrypt(client_hint) if client_hint else None,
                client_id=client_id,
                session_date=session_date,
                note_format=note_format,
            )
            s.add(row)
            try:
                s.commit()
            except IntegrityError:  # a concurrent delivery of the same message won the race
                s.rollback()
                return s.exec(select(Memo.id).where(Memo.idempotency_key == idempotency_key)).one(), False
            return row.id, True

    def memo(self, therapist_id: int, memo_id: int) -> Optional[MemoView]:
        with self.session() as s:
            row = s.exec(select(Memo).where(Memo.therapist_id == therapist_id, Memo.id == memo_id)).first()
            if row is None:
                return None
            return MemoView(
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
                reply_ref=row.reply_ref,
                attempts=row.attempts,
            )

    def update_memo(
        self, therapist_id: int, memo_id: int, *, transcript: str | None = None, audio: bytes | None = None,
        drop_audio: bool = False, **fields,
    ) -> None:
        if audio is not None:
            fields["audio_enc"] = self.cipher.encrypt(audio)
        if transcript is not None:
            fields["transcript_enc"] = self.cipher.encrypt(transcript)
        if drop_audio:
            fields["audio_enc"] = None
        fields["updated_at"] = utcnow()
        with self.session() as s:
            s.exec(update(Memo).where(Memo.therapist_id == therapist_id, Memo.id == memo_id).values(**fields))
            s.commit()

    def unfinished_memos(self, platform: str | None = None) -> list[tuple[int, int, str | None, bool]]:
        """(therapist id, memo id, source ref, audio missing) of memos a restart must finish."""
        with self.session() as s:
            missing = Memo.audio_enc.is_(None) & Memo.transcript_enc.is_(None)
            query = select(Memo.therapist_id, Memo.id, Memo.source_ref, missing).where(Memo.status.in_(ACTIVE_MEMO_STATES))
            if platform:
                query = query.where(Memo.platform == platform)
            return [(t, m, ref, bool(gap)) for t, m, ref, gap in s.exec(query.order_by(Memo.id))]

    def failed_memos(self, therapist_id: int) -> list[int]:
        with self.session() as s:
            query = select(Memo.id).where(Memo.therapist_id == therapist_id, Memo.status == "failed")
            return list(s.exec(query.order_by(Memo.id)))

    # ---- notes ---------------------------------------------------------------------------------
    def add_note(self, therapist_id: int, draft: NoteDraft, *, memo_id: int | None, status: str = "final") -> int:
        with self.session() as s:
            row = Note(
                therapist_id=therapist_id,
                client_id=draft.client_id,
                memo_id=memo_id,
                session_date=draft.session_date,
                format=draft.format,
                status=status,
                content_enc=self.cipher.encrypt_json(draft.to_json()),
            )
            s.add(row)
            s.commit()
            return row.id

    def note(self, therapist_id: int, note_id: int) -> Optional[NoteDraft]:
        with self.session() as s:
            row = s.exec(select(Note).where(Note.therapist_id == therapist_id, Note.id == note_id)).first()
            return self.draft_from_row(row) if row else None

    def note_for_memo(self, therapist_id: int, memo_id: int) -> Optional[int]:
        with self.session() as s:
            return s.exec(select(Note.id).where(Note.therapist_id == therapist_id, Note.memo_id == memo_id)).first()

    def note_for_reply_ref(self, therapist_id: int, reply_ref: str) -> Optional[int]:
        """The note delivered as the platform message `reply_ref` (chat and message ids)."""
        with self.session() as s:
            return s.exec(
                select(Memo.note_id).where(Memo.therapist_id == therapist_id, Memo.reply_ref == reply_ref)
            ).first()

    def note_row(self, therapist_id: int, note_id: int) -> Optional[Note]:
        with self.session() as s:
            return s.exec(select(Note).where(Note.therapist_id == therapist_id, Note.id == note_id)).first()

    def replace_note(self, therapist_id: int, note_id: int, draft: NoteDraft, *, status: str = "final") -> NoteDraft:
        """Store a new version; the previous one is kept in NoteVersion."""
        with self.session() as s:
            row = s.exec(select(Note).where(Note.therapist_id == therapist_id, Note.id == note_id)).one()
            s.add(NoteVersion(therapist_id=therapist_id, note_id=note_id, version=row.version, content_enc=row.content_enc))
            row.version += 1
            row.client_id = draft.client_id
            row.session_date = draft.session_date
            row.format = draft.format
            row.status = status
            row.content_enc = self.cipher.encrypt_json(draft.to_json())
            row.updated_at = utcnow()
            s.add(row)
            s.commit()
            return self.draft_from_row(row)

    def note_versions(self, therapist_id: int, note_id: int) -> list[NoteDraft]:
        with self.session() as s:
            rows = s.exec(
                select(NoteVersion)
                .where(NoteVersion.therapist_id == therapist_id, NoteVersion.note_id == note_id)
                .order_by(NoteVersion.version)
            )
            return [NoteDraft.from_json(self.cipher.decrypt_json(r.content_enc)) for r in rows]

    def delete_note(self, therapist_id: int, note_id: int) -> bool:
        with self.session() as s:
            s.exec(delete(NoteVersion).where(NoteVersion.therapist_id == therapist_id, NoteVersion.note_id == note_id))
            result = s.exec(delete(Note).where(Note.therapist_id == therapist_id, Note.id == note_id))
            s.exec(update(Memo).where(Memo.therapist_id == therapist_id, Memo.note_id == note_id).values(note_id=None))
            s.commit()
            return result.rowcount == 1

    def notes_for_client(self, therapist_id: int, client_id: int) -> list[NoteDraft]:
        """Final notes of one client, oldest first."""
        with self.session() as s:
            rows = s.exec(
                select(Note)
                .where(Note.therapist_id == therapist_id, Note.client_id == client_id, Note.status == "final")
                .order_by(Note.session_date, Note.id)
            )
            return [self.draft_from_row(r) for r in rows]

    def latest_notes(self, therapist_id: int, limit: int = 10) -> list[NoteDraft]:
        with self.session() as s:
            rows = s.exec(
                select(Note)
                .where(Note.therapist_id == therapist_id, Note.status == "final")
                .order_by(Note.session_date.desc(), Note.id.desc())
                .limit(limit)
            )
            return [self.draft_from_row(r) for r in rows]

    def count_notes(self, therapist_id: int) -> int:
        with self.session() as s:
            return s.exec(select(func.count()).select_from(Note).where(Note.therapist_id == therapist_id)).one()

    def draft_from_row(self, row: Note) -> NoteDraft:
        data = self.cipher.decrypt_json(row.content_enc)
        data.update(note_id=row.id, client_id=row.client_id, version=row.version,
                    session_date=row.session_date.isoformat(), format=row.format,
                    needs_client=row.status == "draft")
        return NoteDraft.from_json(data)

    # ---- audit ---------------------------------------------------------------------------------
    def audit(self, therapist_id: int | None, actor: str, action: str, record_type: str, record_id: int | None = None) -> None:
        with self.session() as s:
            s.add(AuditEvent(therapist_id=therapist_id, actor=actor, action=action, record_type=record_type, record_id=record_id))
            s.commit()

    def audit_events(self, therapist_id: int) -> list[AuditEvent]:
        with self.session() as s:
            return list(s.exec(select(AuditEvent).where(AuditEvent.therapist_id == therapist_id).order_by(AuditEvent.id)))

