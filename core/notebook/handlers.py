"""The notebook's commands and buttons, the same on every channel: /notes [client | drafts | NUMBER],
/edit NUMBER CHANGE, /sign NUMBER, /copy NUMBER, /transcript NUMBER, /export CLIENT [pdf], and the
buttons under every note and list. Handlers return Replies; typed errors become their message in the
service."""
from __future__ import annotations

import re
from datetime import date

from core import roster
from core.actions import record_id
from core.context import Context, Who
from core.errors import AllianceError, NoteNotFound
from core.memo_flow import TYPED
from core.models.revise import NEEDS_MODEL, model_writer, revise_note
from core.notebook import chart
from core.notebook.editing import edit_note, understood, apply_edits
from core.notebook.instructions import HOW
from core.notebook.layouts import copy_text
from core.notebook.listing import Listed, find_notes, list_reply
from core.notebook.present import local_times, show_note, versions_reply
from core.ports import UnitOfWork
from core.types import (
    AskSignNote,
    Button,
    Cancel,
    CopyNote,
    EditNote,
    ListDrafts,
    ListNotes,
    NoteChange,
    Reply,
    ShowNote,
    ShowTranscript,
    ShowVersions,
    SignNote,
)

_RANGE = re.compile(r"(?:^|\s+)(?P<word>from|since|to|until)\s+(?P<day>\d{4}-\d\d-\d\d)\b", re.I)
WHICH = "Which note? Give its number, e.g. /{command} 12 (see /notes)."


# ---- reading ------------------------------------------------------------------------------------------
def transcript_reply(uow: UnitOfWork, who: Who, note_id: int) -> Reply:
    """What the assistant heard (or the typed text) behind a note: its therapist's eyes only, audited."""
    if uow.notes.get(who.therapist_id, note_id) is None:
        raise NoteNotFound()
    memo_id = uow.notes.memo_id(who.therapist_id, note_id)
    memo = uow.memos.get(who.therapist_id, memo_id) if memo_id else None
    if memo is None or not memo.transcript:
        return Reply(f"No transcript is stored for note #{note_id}.")
    uow.audit.record(who.therapist_id, who.actor, "read", "transcript", note_id)
    kind = "the text you typed" if memo.filename == TYPED else "what I heard in the voice memo"
    return Reply(f"Note #{note_id} — {kind}:\n\n{memo.transcript}",
                 buttons=((Button("Back to the note", ShowNote(note_id)),),))


def copy_reply(uow: UnitOfWork, who: Who, note_id: int) -> Reply:
    note = uow.notes.get(who.therapist_id, note_id)
    if note is None:
        raise NoteNotFound()
    uow.audit.record(who.therapist_id, who.actor, "read", "note", note_id)
    therapist = uow.therapists.get(who.therapist_id).name
    text = copy_text(local_times(uow, who.therapist_id, note), therapist=therapist)
    return Reply(f"Note #{note_id} ready to paste into your EHR ({note.format}):", copy=text,
                 buttons=((Button("Back to the note", ShowNote(note_id)),),))


def sign(uow: UnitOfWork, who: Who, note_id: int, now) -> Reply:
    entry = uow.notes.entry(who.therapist_id, note_id)
    if entry is None:
        raise NoteNotFound()
    if entry.status == "draft":
        return Reply(f"Note #{note_id} is a draft: choose its client first, then sign it.")
    if entry.status == "signed":
        return show_note(uow, who.therapist_id, note_id, said="Already signed; later changes are kept as addenda.")
    uow.notes.sign(who.therapist_id, note_id, who.actor, now)
    uow.audit.record(who.therapist_id, who.actor, "sign", "note", note_id)
    return show_note(uow, who.therapist_id, note_id,
                     said="Signed. The signed text stays as it is; later changes are kept beside it as addenda.")


# ---- commands -----------------------------------------------------------------------------------------
def _note_number(args: str, command: str) -> tuple[int, str]:
    head, _, rest = args.strip().partition(" ")
    number = record_id(head)
    if number is None:
        raise AllianceError(WHICH.format(command=command))
    return number, rest.strip()


async def notes(ctx: Context, who: Who, args: str) -> Reply:
    """/notes, /notes drafts, /notes Maya Thompson [from 2026-11-01] [to 2026-11-30], /notes 12."""
    args = args.strip()
    if record_id(args) is not None:
        return await show(ctx, who, ShowNote(record_id(args)))
    if args.lower() in ("draft", "drafts"):
        return await drafts(ctx, who, ListDrafts())
    bounds: dict[str, date] = {}
    for m in _RANGE.finditer(args):
        try:
            bounds["end" if m["word"].lower() in ("to", "until") else "start"] = date.fromisoformat(m["day"])
        except ValueError:
            raise AllianceError(f"There is no date {m['day']}; write dates like 2026-11-20.") from None
    name = _RANGE.sub("", args).strip()
    with ctx.uow() as uow:
        client = roster.find(uow, who.therapist_id, name) if name else None
        found = find_notes(uow, who.therapist_id, client=client, **bounds)
    what = f"notes for {client.name}" if client else "notes"
    return list_reply(found, what=what, more=None if client or bounds else ListNotes(2))


async def edit(ctx: Context, who: Who, args: str) -> Reply:
    note_id, change = _note_number(args, "edit")
    if not change:
        return await ask_change(ctx, who, EditNote(note_id))
    return await edit_note(ctx, who, note_id, change)


async def sign_command(ctx: Context, who: Who, args: str) -> Reply:
    note_id, _ = _note_number(args, "sign")
    with ctx.uow() as uow:
        reply = sign(uow, who, note_id, ctx.clock.now())
        uow.commit()
    return reply


async def copy(ctx: Context, who: Who, args: str) -> Reply:
    return await copy_button(ctx, who, CopyNote(_note_number(args, "copy")[0]))


async def transcript(ctx: Context, who: Who, args: str) -> Reply:
    return await transcript_button(ctx, who, ShowTranscript(_note_number(args, "transcript")[0]))


async def export(ctx: Context, who: Who, args: str) -> Reply:
    """/export Maya Thompson (Markdown) or /export Maya Thompson pdf."""
    name, _, kind = args.strip().rpartition(" ")
    if kind.lower() not in ("pdf", "markdown", "md") or not name:
        name, kind = args.strip(), "markdown"
    if not name:
        return Reply("Whose notes? e.g. /export Maya Thompson (or /export Maya Thompson pdf)")
    with ctx.uow() as uow:
        found = roster.find(uow, who.therapist_id, name)
        document = (chart.pdf_document if kind.lower() == "pdf" else chart.markdown_document)(uow, who, found)
        uow.commit()
    return Reply(f"Notes for {found.name}.", document=document)


def drafts_of(ctx: Context, therapist_id: int) -> list[Listed]:
    """Notes waiting for their client (Slack's App Home lists them)."""
    with ctx.uow() as uow:
        return find_notes(uow, therapist_id, drafts_only=True)


# ---- buttons ------------------------------------------------------------------------------------------
async def list_page(ctx: Context, who: Who, action: ListNotes) -> Reply:
    with ctx.uow() as uow:
        found = find_notes(uow, who.therapist_id)
    return list_reply(found, what="notes", page=action.page, more=ListNotes(action.page + 1))


async def drafts(ctx: Context, who: Who, action: ListDrafts) -> Reply:
    with ctx.uow() as uow:
        found = find_notes(uow, who.therapist_id, drafts_only=True)
    return list_reply(found, what="drafts")


async def show(ctx: Context, who: Who, action: ShowNote) -> Reply:
    with ctx.uow() as uow:
        reply = show_note(uow, who.therapist_id, action.note_id)
        uow.audit.record(who.therapist_id, who.actor, "read", "note", action.note_id)
        uow.commit()
    return reply


async def versions(ctx: Context, who: Who, action: ShowVersions) -> Reply:
    with ctx.uow() as uow:
        return versions_reply(uow, who.therapist_id, action.note_id)


async def transcript_button(ctx: Context, who: Who, action: ShowTranscript) -> Reply:
    with ctx.uow() as uow:
        reply = transcript_reply(uow, who, action.note_id)
        uow.commit()
    return reply


async def copy_button(ctx: Context, who: Who, action: CopyNote) -> Reply:
    with ctx.uow() as uow:
        reply = copy_reply(uow, who, action.note_id)
        uow.commit()
    return reply


async def ask_sign(ctx: Context, who: Who, action: AskSignNote) -> Reply:
    with ctx.uow() as uow:
        if uow.notes.get(who.therapist_id, action.note_id) is None:
            raise NoteNotFound()
    return Reply(f"Sign note #{action.note_id}? Once signed its text is locked: later changes are kept as addenda.",
                 buttons=((Button("Yes, sign it", SignNote(action.note_id)), Button("Not yet", Cancel())),))


async def sign_button(ctx: Context, who: Who, action: SignNote) -> Reply:
    return await sign_command(ctx, who, str(action.note_id))


async def ask_change(ctx: Context, who: Who, action: EditNote) -> Reply:
    """Ask what to change; the next message is the answer (core.service hands it to `awaited_change`)."""
    with ctx.uow() as uow:
        note = uow.notes.get(who.therapist_id, action.note_id)
        if note is None:
            raise NoteNotFound()
        uow.therapists.update(who.therapist_id, awaiting=NoteChange(action.note_id))
        uow.commit()
    ask = "What should the addendum say?" if note.signed else "What should change?"
    return Reply(f"Note #{action.note_id}: {ask} Send it as your next message.\n\n" + HOW,
                 buttons=((Button("Cancel", Cancel()),),))


# ---- a message about a note: the answer to "what should change?", or a reply to the note ----------------
async def awaited_change(ctx: Context, who: Who, note_id: int, text: str) -> Reply | None:
    """The answer to "what should change?"; a question instead ("what did she say?") is answered as usual."""
    if understood(text, ctx, who) is None and text.rstrip().endswith("?"):
        return None
    return await reply_to_note(ctx, who, note_id, text)


async def reply_to_note(ctx: Context, who: Who, note_id: int, text: str) -> Reply:
    """An instruction the offline parser reads is applied here; anything else goes to the language model
    when one is configured (a signed note takes only addenda); without one, say what works."""
    try:
        edits = understood(text, ctx, who)
        if edits is not None:
            return await apply_edits(ctx, who, note_id, edits)
        with ctx.uow() as uow:
            note = uow.notes.get(who.therapist_id, note_id)
        if note is None:
            raise NoteNotFound()
        if note.signed:
            return Reply("That note is signed, so its text stays as signed. Reply \"addendum: …\" to add what "
                         "changed.\n\n" + HOW)
        if model_writer(ctx) is not None and text.strip():
            return await revise_note(ctx, who, note_id, text)
        return Reply(NEEDS_MODEL)
    except AllianceError as error:
        return Reply(str(error))
