"""The notebook as the command line calls it (bots/cli_notes.py): the same handlers as the chat's, with
a failure raised (so the CLI exits non-zero) instead of answered, and the editor round trip."""
from __future__ import annotations

from datetime import date

from core import note_ops, roster
from core.context import Context, Who
from core.errors import AllianceError, NoteNotFound
from core.notebook import handlers
from core.notebook.editing import apply_edits, understood
from core.notebook.editor_text import EditorTextProblem, edits_from, to_editable
from core.notebook.instructions import HOW, SetClient
from core.notebook.listing import Listed, find_notes
from core.notebook.present import local_times, show_note
from core.types import CopyNote, Reply, ShowNote, ShowTranscript


def listing(ctx: Context, who: Who, client_name: str | None, drafts_only: bool, start: date | None,
            end: date | None) -> list[Listed]:
    with ctx.uow() as uow:
        client = roster.find(uow, who.therapist_id, client_name) if client_name else None
        return find_notes(uow, who.therapist_id, client=client, drafts_only=drafts_only, start=start, end=end)


async def run(ctx: Context, who: Who, action: str, note_id: int, extra) -> Reply:
    """show [version] | transcript | copy | sign | edit INSTRUCTION | assign CLIENT: the reply, or AllianceError."""
    if action == "show" and extra:
        return version(ctx, who, note_id, extra)
    if action == "edit":
        edits = understood(extra, ctx, who)
        if edits is None:
            raise AllianceError("I didn't change the note: I couldn't read that as an edit.\n\n" + HOW)
        reply = await apply_edits(ctx, who, note_id, edits)
    elif action == "assign":
        reply = await apply_edits(ctx, who, note_id, [SetClient(roster.clean_name(extra))])
    elif action == "sign":
        reply = await handlers.sign_command(ctx, who, str(note_id))
    else:
        handler = {"show": (handlers.show, ShowNote), "transcript": (handlers.transcript_button, ShowTranscript),
                   "copy": (handlers.copy_button, CopyNote)}[action]
        reply = await handler[0](ctx, who, handler[1](note_id))
        if action == "transcript" and reply.text.startswith("No transcript"):
            raise AllianceError(reply.text)
    if action != "transcript" and reply.note is None and not reply.copy:
        raise AllianceError(reply.text)  # refused: a date in the future, a signed note's client, no such item...
    return reply


def version(ctx: Context, who: Who, note_id: int, number: int) -> Reply:
    with ctx.uow() as uow:
        current = uow.notes.get(who.therapist_id, note_id)
        if current is None:
            raise NoteNotFound()
        if number == current.version:
            return show_note(uow, who.therapist_id, note_id)
        earlier = {v.version: v for v in uow.notes.versions(who.therapist_id, note_id)}
        if number not in earlier:
            raise AllianceError(f"Note #{note_id} has versions 1 to {current.version}.")
        uow.audit.record(who.therapist_id, who.actor, "read", "note", note_id)
        uow.commit()
    return Reply(f"Note #{note_id}, version {number} of {current.version} (an earlier version):", note=earlier[number])


def describe(ctx: Context, who: Who, note_id: int) -> str | None:
    """ "Maya Thompson, 2026-11-20, signed" for a confirmation question; None when there is no such note."""
    with ctx.uow() as uow:
        note = uow.notes.get(who.therapist_id, note_id)
    if note is None:
        return None
    return f"{note.client_name or 'no client yet'}, {note.session_date.isoformat()}" + (", signed" if note.signed else "")


def delete(ctx: Context, who: Who, note_id: int) -> bool:
    with ctx.uow() as uow:
        deleted = note_ops.delete(uow, who, note_id)
        uow.commit()
    return deleted


def editable(ctx: Context, who: Who, note_id: int) -> str:
    with ctx.uow() as uow:
        note = uow.notes.get(who.therapist_id, note_id)
        if note is None:
            raise NoteNotFound()
        uow.audit.record(who.therapist_id, who.actor, "read", "note", note_id)
        uow.commit()
        return to_editable(local_times(uow, who.therapist_id, note))


async def from_editor(ctx: Context, who: Who, note_id: int, saved: str) -> Reply:
    with ctx.uow() as uow:
        note = uow.notes.get(who.therapist_id, note_id)
    if note is None:
        raise NoteNotFound()
    try:
        edits = edits_from(note, saved, ctx.today(who.therapist_id))
    except EditorTextProblem as problem:
        raise AllianceError(f"{problem} The note is unchanged.") from None
    if not edits:
        with ctx.uow() as uow:
            return show_note(uow, who.therapist_id, note_id, said="No changes saved; the note is unchanged.")
    reply = await apply_edits(ctx, who, note_id, edits)
    if reply.note is None:
        raise AllianceError(reply.text)
    return reply
