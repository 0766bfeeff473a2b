"""Changing a stored note: file it under a client, rewrite it in another format, delete it. Every change
is a new version (the previous one is kept) and is audited with who made it."""
from __future__ import annotations

import asyncio
from dataclasses import replace

from core import roster
from core.context import Context, Who
from core.errors import AllianceError, NoteNotFound
from core.language.client_match import ClientRecord
from core.ports import UnitOfWork
from core.replies import present_note
from core.types import NoteDraft, Reply


def store_version(uow: UnitOfWork, who: Who, note_id: int, draft: NoteDraft) -> NoteDraft:
    updated = uow.notes.replace(who.therapist_id, note_id, draft, status="draft" if draft.needs_client else "final")
    uow.audit.record(who.therapist_id, who.actor, "write", "note", note_id)
    return updated


def assign_client(uow: UnitOfWork, who: Who, note_id: int, client: ClientRecord) -> Reply:
    """File a note (usually a draft) under a client."""
    note = uow.notes.get(who.therapist_id, note_id)
    if note is None:
        raise NoteNotFound()
    store_version(uow, who, note_id, replace(note, client_id=client.id, client_name=client.name, needs_client=False))
    memo_id = uow.notes.memo_id(who.therapist_id, note_id)
    if memo_id:
        uow.memos.update(who.therapist_id, memo_id, client_id=client.id)
    uow.therapists.update(who.therapist_id, awaiting=None)
    return present_note(uow, who.therapist_id, note_id)


def assign_new_client(uow: UnitOfWork, who: Who, note_id: int, name: str) -> Reply:
    if uow.notes.get(who.therapist_id, note_id) is None:
        raise NoteNotFound()
    return assign_client(uow, who, note_id, roster.find_or_create(uow, who.therapist_id, name, who.actor))


async def reformat(ctx: Context, who: Who, note_id: int, note_format: str) -> Reply:
    """Rewrite a note from its memo in another format (the memo's transcript is the only source)."""
    with ctx.uow() as uow:
        note = uow.notes.get(who.therapist_id, note_id)
        if note is None:
            raise NoteNotFound()
        memo_id = uow.notes.memo_id(who.therapist_id, note_id)
        memo = uow.memos.get(who.therapist_id, memo_id) if memo_id else None
    if memo is None or not memo.transcript:
        return Reply("I can't rewrite that note: its source is no longer stored.")
    try:
        draft = await asyncio.to_thread(
            ctx.writer.write, memo.transcript, note_format=note_format, session_date=note.session_date,
            client_name=note.client_name,
        )
    except AllianceError as error:
        return Reply(str(error))
    draft = replace(draft, client_id=note.client_id, client_name=note.client_name, needs_client=note.needs_client)
    with ctx.uow() as uow:
        store_version(uow, who, note_id, draft)
        reply = present_note(uow, who.therapist_id, note_id)
        uow.commit()
    return reply


def delete(uow: UnitOfWork, who: Who, note_id: int) -> bool:
    if not uow.notes.delete(who.therapist_id, note_id):
        return False
    uow.audit.record(who.therapist_id, who.actor, "delete", "note", note_id)
    return True


def sources(uow: UnitOfWork, therapist_id: int, note_id: int) -> tuple[str, str]:
    """(the memo's transcript or typed text, the therapist's style preferences)."""
    memo_id = uow.notes.memo_id(therapist_id, note_id)
    memo = uow.memos.get(therapist_id, memo_id) if memo_id else None
    return (memo.transcript or "") if memo else "", uow.therapists.get(therapist_id).preferences
