"""What each button does, keyed by its typed action (core/types.py; the codec is core/actions.py)."""
from __future__ import annotations

from typing import Awaitable, Callable

from core import note_ops, roster
from core.alliance import commands as alliance
from core.context import Context, Who
from core.notebook import handlers as notebook
from core.errors import NoteNotFound
from core.models.revise import retry_with_model
from core.replies import client_picker, draft_candidates
from core.types import (
    AcceptSuggestion,
    AskDeleteNote,
    Button,
    Cancel,
    ChooseClient,
    DeleteNote,
    ForgetClient,
    MarkRepaired,
    NewClient,
    NewClientName,
    PickClient,
    Reformat,
    Reply,
    RetryWithModel,
    UndoAllianceEntry,
    AskSignNote,
    CopyNote,
    EditNote,
    ListDrafts,
    ListNotes,
    ShowNote,
    ShowTranscript,
    ShowVersions,
    SignNote,
)

EXPIRED = "That button has expired. Send the command again."


async def cancel(ctx: Context, who: Who, action: Cancel) -> Reply:
    with ctx.uow() as uow:
        uow.therapists.update(who.therapist_id, awaiting=None)
        uow.commit()
    return Reply("Cancelled — nothing was changed.")


async def choose_client(ctx: Context, who: Who, action: ChooseClient) -> Reply:
    with ctx.uow() as uow:
        if uow.notes.get(who.therapist_id, action.note_id) is None:
            raise NoteNotFound()
        return Reply("Which client is this note for?", buttons=client_picker(action.note_id, uow.clients.list(who.therapist_id)))


async def pick_client(ctx: Context, who: Who, action: PickClient) -> Reply:
    with ctx.uow() as uow:
        client = uow.clients.get(who.therapist_id, action.client_id)
        if client is None:
            return Reply("That client no longer exists.")
        reply = note_ops.assign_client(uow, who, action.note_id, client)
        uow.commit()
    return reply


async def new_client(ctx: Context, who: Who, action: NewClient) -> Reply:
    with ctx.uow() as uow:
        if uow.notes.get(who.therapist_id, action.note_id) is None:
            raise NoteNotFound()
        uow.therapists.update(who.therapist_id, awaiting=NewClientName(action.note_id))
        uow.commit()
    return Reply("What is the new client's name? Reply with it.", buttons=((Button("Cancel", Cancel()),),))


async def accept_suggestion(ctx: Context, who: Who, action: AcceptSuggestion) -> Reply:
    with ctx.uow() as uow:
        memo_id = uow.notes.memo_id(who.therapist_id, action.note_id)
        memo = uow.memos.get(who.therapist_id, memo_id) if memo_id else None
        _, suggestion = draft_candidates(uow, who.therapist_id, memo)
        if uow.notes.get(who.therapist_id, action.note_id) is None:
            raise NoteNotFound()
        if suggestion is None:
            return Reply(EXPIRED)
        reply = note_ops.assign_client(uow, who, action.note_id, roster.create(uow, who.therapist_id, suggestion, who.actor))
        uow.commit()
    return reply


async def reformat(ctx: Context, who: Who, action: Reformat) -> Reply:
    return await note_ops.reformat(ctx, who, action.note_id, action.note_format)


async def retry_model(ctx: Context, who: Who, action: RetryWithModel) -> Reply:
    return await retry_with_model(ctx, who, action.note_id)


async def ask_delete(ctx: Context, who: Who, action: AskDeleteNote) -> Reply:
    with ctx.uow() as uow:
        if uow.notes.get(who.therapist_id, action.note_id) is None:
            raise NoteNotFound()
    return Reply(
        "Delete this note for good?",
        buttons=((Button("Yes, delete the note", DeleteNote(action.note_id)), Button("Keep it", Cancel())),),
    )


async def delete(ctx: Context, who: Who, action: DeleteNote) -> Reply:
    with ctx.uow() as uow:
        deleted = note_ops.delete(uow, who, action.note_id)
        uow.commit()
    return Reply("Note deleted." if deleted else "That note was already deleted.")


async def forget(ctx: Context, who: Who, action: ForgetClient) -> Reply:
    with ctx.uow() as uow:
        gone = roster.forget(uow, who.therapist_id, action.client_id, who.actor)
        uow.commit()
    if gone is None:
        return Reply("That client was already deleted.")
    return Reply(f"Deleted {gone.name} and everything recorded about them.")


Handler = Callable[[Context, Who, object], Awaitable[Reply]]
BUTTONS: dict[type, Handler] = {
    Cancel: cancel,
    ChooseClient: choose_client,
    PickClient: pick_client,
    NewClient: new_client,
    AcceptSuggestion: accept_suggestion,
    Reformat: reformat,
    RetryWithModel: retry_model,
    AskDeleteNote: ask_delete,
    DeleteNote: delete,
    ForgetClient: forget,
    MarkRepaired: alliance.mark_repaired,
    UndoAllianceEntry: alliance.undo,
    ListNotes: notebook.list_page,
    ListDrafts: notebook.drafts,
    ShowNote: notebook.show,
    ShowTranscript: notebook.transcript_button,
    ShowVersions: notebook.versions,
    CopyNote: notebook.copy_button,
    AskSignNote: notebook.ask_sign,
    SignNote: notebook.sign_button,
    EditNote: notebook.ask_change,
}
