"""Therapists (with their chat accounts and invites) and clients. Names and preferences are stored
encrypted; these repositories hand the core plain records."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Iterable, Sequence

from sqlalchemy import delete, event, update
from sqlmodel import Session, select

from core.actions import decode, encode
from core.language.client_match import ClientRecord
from core.records import Account, TherapistRecord
from storage.crypto import Cipher
from storage.db import purge_deleted
from storage.records import in_chunks
from storage.models import AllianceEntry, Appointment, Client, Identity, Invite, Memo, Note, NoteAddendum, NoteVersion, Therapist

log = logging.getLogger(__name__)

# Fields the core may change on a therapist as plain values; the rest are stored transformed.
PLAIN_FIELDS = {
    "timezone", "note_format", "digest_time", "digest_days", "digest_enabled", "digest_when_empty",
    "reminder_minutes", "channel", "language", "next_client_id",
}


class SqlTherapists:
    def __init__(self, session: Session, cipher: Cipher):
        self.s, self.cipher = session, cipher

    def add(self, name: str, **settings) -> int:
        row = Therapist(name_enc=self.cipher.encrypt(name), **settings)
        self.s.add(row)
        self.s.flush()
        return row.id

    def get(self, therapist_id: int) -> TherapistRecord:
        row = self.s.get(Therapist, therapist_id)
        if row is None:
            raise KeyError("no such therapist")
        return self._record(row)

    def update(self, therapist_id: int, **fields) -> None:
        values = {k: v for k, v in fields.items() if k in PLAIN_FIELDS}
        if "awaiting" in fields:
            values["awaiting"] = encode(fields["awaiting"]) if fields["awaiting"] is not None else None
        if "preferences" in fields:
            values["preferences_enc"] = self.cipher.encrypt(fields["preferences"]) if fields["preferences"] else None
        unknown = set(fields) - PLAIN_FIELDS - {"awaiting", "preferences"}
        if unknown:
            raise ValueError(f"unknown therapist fields: {sorted(unknown)}")
        self.s.exec(update(Therapist).where(Therapist.id == therapist_id).values(**values))

    def all(self) -> list[TherapistRecord]:
        return [self._record(row, names=False) for row in self.s.exec(select(Therapist).order_by(Therapist.id))]

    def _record(self, row: Therapist, *, names: bool = True) -> TherapistRecord:
        # The scheduler reads every therapist's settings each tick: it never needs names decrypted.
        return TherapistRecord(
            id=row.id,
            name=self.cipher.decrypt(row.name_enc) if names else "",
            timezone=row.timezone,
            note_format=row.note_format,
            digest_time=row.digest_time,
            digest_days=row.digest_days,
            digest_enabled=row.digest_enabled,
            digest_when_empty=row.digest_when_empty,
            reminder_minutes=row.reminder_minutes,
            channel=row.channel,
            language=row.language,
            preferences=(self.cipher.decrypt(row.preferences_enc) or "") if names else "",
            awaiting=decode(row.awaiting) if row.awaiting else None,
            next_client_id=row.next_client_id,
        )

    # ---- chat accounts --------------------------------------------------------------------------------
    def by_account(self, platform: str, workspace_id: str, user_key: str) -> int | None:
        return self.s.exec(
            select(Identity.therapist_id).where(
                Identity.platform == platform, Identity.workspace_id == workspace_id, Identity.user_key == user_key
            )
        ).first()

    def link(self, therapist_id: int, account: Account) -> None:
        self.s.add(Identity(therapist_id=therapist_id, platform=account.platform, workspace_id=account.workspace_id,
                            user_key=account.user_key))
        self.s.flush()

    def accounts(self, therapist_id: int) -> list[Account]:
        rows = self.s.exec(select(Identity).where(Identity.therapist_id == therapist_id).order_by(Identity.id))
        return [Account(r.platform, r.workspace_id, r.user_key) for r in rows]

    def reachable(self) -> set[int]:
        return set(self.s.exec(select(Identity.therapist_id).where(Identity.platform != "console").distinct()))

    # ---- invites --------------------------------------------------------------------------------------
    def add_invite(self, therapist_id: int, code: str, expires_at: datetime) -> None:
        self.s.add(Invite(therapist_id=therapist_id, code_hash=self.cipher.index(code), expires_at=expires_at))

    def redeem_invite(self, code: str, used_by: str, now: datetime) -> int | None:
        """Use a code once (atomically); None when unknown, used or expired."""
        code_hash = self.cipher.index(code)
        result = self.s.exec(
            update(Invite)
            .where(Invite.code_hash == code_hash, Invite.used_at.is_(None), Invite.expires_at > now)
            .values(used_at=now, used_by=used_by)
        )
        if result.rowcount != 1:
            return None
        return self.s.exec(select(Invite.therapist_id).where(Invite.code_hash == code_hash)).first()


def _purge(engine, tables) -> None:
    if not purge_deleted(engine, tables):  # a long read elsewhere held it back: the next checkpoint finishes it
        log.warning("a forgotten client's deleted rows may stay in the SQLite WAL until the next checkpoint")


class SqlClients:
    def __init__(self, session: Session, cipher: Cipher):
        self.s, self.cipher = session, cipher

    def list(self, therapist_id: int) -> list[ClientRecord]:
        rows = self.s.exec(select(Client).where(Client.therapist_id == therapist_id).order_by(Client.id))
        return [self._record(row) for row in rows]

    def get(self, therapist_id: int, client_id: int) -> ClientRecord | None:
        row = self.s.exec(select(Client).where(Client.therapist_id == therapist_id, Client.id == client_id)).first()
        return self._record(row) if row else None

    def add(self, therapist_id: int, name: str, aliases: Sequence[str] = ()) -> ClientRecord:
        """A new client, or the one already on file under that name (any case). Two processes adding the same
        name at once are serialised on the therapist's row (a no-op update: a row lock on PostgreSQL, the
        write lock on SQLite), so the second finds the first's client instead of doubling it."""
        self.s.exec(update(Therapist).where(Therapist.id == therapist_id).values(id=Therapist.id))
        for client in self.list(therapist_id):
            if client.name.casefold() == name.casefold():
                return client
        aliases = tuple(aliases)
        row = Client(
            therapist_id=therapist_id,
            name_enc=self.cipher.encrypt(name),
            aliases_enc=self.cipher.encrypt_json(list(aliases)) if aliases else None,
        )
        self.s.add(row)
        self.s.flush()
        return ClientRecord(row.id, name, aliases)

    def delete(self, therapist_id: int, client_id: int) -> bool:
        """Hard delete of a client and everything recorded about them. Once committed, nothing of theirs
        stays readable in the files either: deleted rows are zeroed (SQLite secure_delete) and the WAL,
        which still holds the pages as they were, is checkpointed and truncated (storage.db.purge_deleted)."""
        owned = self.s.exec(select(Client.id).where(Client.therapist_id == therapist_id, Client.id == client_id)).first()
        if owned is None:
            return False
        note_ids = list(self.s.exec(select(Note.id).where(Note.therapist_id == therapist_id, Note.client_id == client_id)))
        self.s.exec(delete(NoteVersion).where(NoteVersion.therapist_id == therapist_id, NoteVersion.note_id.in_(note_ids)))
        self.s.exec(delete(NoteAddendum).where(NoteAddendum.therapist_id == therapist_id, NoteAddendum.note_id.in_(note_ids)))
        self.s.exec(delete(Memo).where(Memo.therapist_id == therapist_id,
                                       (Memo.client_id == client_id) | Memo.note_id.in_(note_ids)))
        self.s.exec(delete(Note).where(Note.therapist_id == therapist_id, Note.id.in_(note_ids)))
        self.s.exec(delete(Appointment).where(Appointment.therapist_id == therapist_id, Appointment.client_id == client_id))
        self.s.exec(delete(AllianceEntry).where(AllianceEntry.therapist_id == therapist_id, AllianceEntry.client_id == client_id))
        self.s.exec(delete(Client).where(Client.therapist_id == therapist_id, Client.id == client_id))
        self.s.exec(update(Therapist).where(Therapist.id == therapist_id, Therapist.next_client_id == client_id)
                    .values(next_client_id=None))
        engine = self.s.get_bind()
        tables = ("noteversion", "memo", "note", "appointment", "client")
        event.listen(self.s, "after_commit", lambda _session: _purge(engine, tables), once=True)
        return True

    def names(self, therapist_ids: Sequence[int], client_ids: Iterable[int]) -> dict[tuple[int, int], str]:
        """(therapist, client) -> name for many at once (the scheduler's batched digests)."""
        out = {}
        for part in in_chunks(client_ids):
            rows = self.s.exec(select(Client.id, Client.therapist_id, Client.name_enc)
                               .where(Client.therapist_id.in_(list(therapist_ids)), Client.id.in_(part)))
            for client_id, therapist_id, name_enc in rows:
                out[(therapist_id, client_id)] = self.cipher.decrypt(name_enc)
        return out

    def _record(self, row: Client) -> ClientRecord:
        aliases = tuple(self.cipher.decrypt_json(row.aliases_enc) or ())
        return ClientRecord(row.id, self.cipher.decrypt(row.name_enc), aliases)
