"""Applying edit instructions (core/notebook/instructions.py) to a stored note, offline. Every change is a
new version (the earlier one kept) audited with who made it; on a signed note the same words become an
addendum and the signed text never changes. Nothing is half-applied: a problem with any line of the
message leaves the note as it was and says what is wrong."""
from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime

from rapidfuzz import fuzz

from core import note_ops, roster
from core.context import Context, Who
from core.errors import AllianceError, NoteNotFound
from core.notebook.instructions import (
    HOW,
    LISTS,
    AddAddendum,
    AddItem,
    Edit,
    RemoveItem,
    RestoreVersion,
    SetClient,
    SetDate,
    SetFormat,
    SetList,
    SetSection,
    parse,
)
from core.notebook.present import show_note
from core.ports import UnitOfWork
from core.types import NoteDraft, Reply

LOCKED_FIELDS = (SetClient, SetDate, SetFormat, RestoreVersion)
MAX_ADDENDUM = 4000


class EditProblem(AllianceError):
    """The instruction can't apply to this note (no such section or item): the message says why."""


def understood(text: str, ctx: Context, who: Who) -> list[Edit] | None:
    return parse(text, ctx.today(who.therapist_id))


async def edit_note(ctx: Context, who: Who, note_id: int, text: str) -> Reply:
    """/edit, the Edit button's answer, a reply to a note, `alliance notes edit`: the instruction applied,
    or what instructions work when it isn't one."""
    edits = understood(text, ctx, who)
    if edits is None:
        return Reply("I didn't change the note: I couldn't read that as an edit.\n\n" + HOW)
    return await apply_edits(ctx, who, note_id, edits)


async def apply_edits(ctx: Context, who: Who, note_id: int, edits: list[Edit]) -> Reply:
    problems = [e.problem for e in edits if isinstance(e, SetDate) and e.day is None]
    if problems:
        return Reply(problems[0] + " Nothing was changed.")
    with ctx.uow() as uow:
        note = uow.notes.get(who.therapist_id, note_id)
        if note is None:
            raise NoteNotFound()
        if note.signed and any(isinstance(e, LOCKED_FIELDS) for e in edits):
            return Reply("That note is signed, so its client, date, format and text stay as signed. Say what was "
                         "wrong in an addendum (\"addendum: …\"), or delete the note and write it again.")
        source, _ = note_ops.sources(uow, who.therapist_id, note_id)
    rewritten = None
    new_format = next((e.note_format for e in edits if isinstance(e, SetFormat)), None)
    if new_format and new_format != note.format:
        if not source:
            return Reply("I can't rewrite that note in another format: its source is no longer stored. Nothing was changed.")
        rewritten = await asyncio.to_thread(ctx.writer.write, source, note_format=new_format,
                                            session_date=note.session_date, client_name=note.client_name)
    with ctx.uow() as uow:
        reply = _store(uow, who, note_id, edits, rewritten, ctx.clock.now())
        uow.commit()
    return reply


def _store(uow: UnitOfWork, who: Who, note_id: int, edits: list[Edit], rewritten: NoteDraft | None, now: datetime) -> Reply:
    note = uow.notes.get(who.therapist_id, note_id)
    if note is None:
        raise NoteNotFound()
    draft = replace(note, addenda=())
    if rewritten is not None:
        draft = replace(rewritten, client_id=note.client_id, client_name=note.client_name, needs_client=note.needs_client,
                        session_date=note.session_date, note_id=note_id)
    said, addenda = [], []
    for edit in edits:
        if isinstance(edit, AddAddendum):
            addenda.append(edit.text)
        elif isinstance(edit, RestoreVersion):
            draft = _restored(uow, who.therapist_id, note, edit.number)
            said.append(f"Restored version {draft.version}")
        elif isinstance(edit, SetClient):
            client = roster.find_or_create(uow, who.therapist_id, edit.name, who.actor)
            draft = replace(draft, client_id=client.id, client_name=client.name, needs_client=False)
            memo_id = uow.notes.memo_id(who.therapist_id, note_id)
            if memo_id:
                uow.memos.update(who.therapist_id, memo_id, client_id=client.id)
            uow.therapists.update(who.therapist_id, awaiting=None)
        elif isinstance(edit, SetDate):
            draft = replace(draft, session_date=edit.day)
        elif not isinstance(edit, SetFormat):
            draft, description = apply_content(draft, edit)
            said.append(description)
    if note.signed:  # the signed text stays; what would have changed is recorded beside it
        addenda = said + addenda
    for text in addenda:
        add_addendum(uow, who, note_id, text, now)
    message = ""
    if not note.signed and _changed(note, draft):
        updated = note_ops.store_version(uow, who, note_id, draft)
        message = f"Updated — version {updated.version}; the previous version is kept."
    if addenda:
        message = (message + " " if message else "") + ("Addendum added; the signed note stays as signed."
                                                         if note.signed else "Addendum added.")
    return show_note(uow, who.therapist_id, note_id, said=message or "Nothing to change — the note already says that.")


def add_addendum(uow: UnitOfWork, who: Who, note_id: int, text: str, now: datetime) -> None:
    text = text.strip()
    if not text:
        raise EditProblem("An addendum needs its text, e.g. \"addendum: client called to reschedule\".")
    if len(text) > MAX_ADDENDUM:
        raise EditProblem(f"That addendum is very long; please keep it under {MAX_ADDENDUM} characters.")
    uow.notes.add_addendum(who.therapist_id, note_id, text, who.actor, now)
    uow.audit.record(who.therapist_id, who.actor, "addendum", "note", note_id)


def _changed(before: NoteDraft, after: NoteDraft) -> bool:
    strip = dict(addenda=(), signed_at=None, version=0, writer="")
    return replace(before, **strip) != replace(after, **strip)


def _restored(uow: UnitOfWork, therapist_id: int, note: NoteDraft, number: int | None) -> NoteDraft:
    earlier = {v.version: v for v in uow.notes.versions(therapist_id, note.note_id)}
    if not earlier:
        raise EditProblem("This note has not been changed yet; there is no earlier version to go back to.")
    number = number if number is not None else note.version - 1
    if number == note.version:
        raise EditProblem(f"Version {number} is the current one.")
    if number not in earlier:
        raise EditProblem(f"Note #{note.note_id} has versions 1 to {note.version}.")
    return replace(earlier[number], note_id=note.note_id, addenda=(), signed_at=None)


# ---- changes to the note's text ----------------------------------------------------------------------
def apply_content(note: NoteDraft, edit: Edit) -> tuple[NoteDraft, str]:
    """(the note with one section or list changed, a line saying what changed — an addendum's words)."""
    if isinstance(edit, SetSection):
        return _section(note, edit)
    field, what = getattr(edit, "field"), LISTS[getattr(edit, "field")]
    items = list(getattr(note, field))
    if isinstance(edit, AddItem):
        if not edit.text:
            raise EditProblem(f"Say what the {what} is, e.g. \"add {what}: walk 20 minutes daily\".")
        return replace(note, **{field: tuple(items + [edit.text])}), f"{what.capitalize()} added: {edit.text}"
    if isinstance(edit, SetList):
        said = "; ".join(edit.items) or "none"
        return replace(note, **{field: edit.items}), f"{_plural(what).capitalize()} now: {said}"
    assert isinstance(edit, RemoveItem)
    if edit.every:
        return replace(note, **{field: ()}), f"{_plural(what).capitalize()} withdrawn"
    index = _which(items, edit, what)
    removed = items.pop(index)
    return replace(note, **{field: tuple(items)}), f"{what.capitalize()} withdrawn: {removed}"


def _section(note: NoteDraft, edit: SetSection) -> tuple[NoteDraft, str]:
    if edit.name == "Summary":
        return replace(note, summary=edit.text), f"Summary now reads: {edit.text or '(none)'}"
    names = [name for name, _ in note.sections]
    match = next((name for name in names if name.casefold() == edit.name.casefold()), None)
    if match is None:
        raise EditProblem(f"This {note.format} note has no {edit.name} section; its sections are {', '.join(names)}.")
    old = dict(note.sections)[match]
    text = f"{old.rstrip()} {edit.text}".strip() if edit.append and old.strip() else edit.text
    sections = tuple((name, text if name == match else body) for name, body in note.sections)
    if edit.append:
        said = f"Added to {match}: {edit.text}"
    else:
        said = f"{match} now reads: {edit.text}" if edit.text else f"{match} withdrawn"
    return replace(note, sections=sections), said


def _which(items: list[str], edit: RemoveItem, what: str) -> int:
    listing = "; ".join(f"{i}. {item}" for i, item in enumerate(items, start=1))
    if not items:
        raise EditProblem(f"The note has no {_plural(what)}.")
    if edit.number is not None:
        if edit.number == -1:
            return len(items) - 1
        if not 1 <= edit.number <= len(items):
            raise EditProblem(f"There is no {what} {edit.number}; the note has: {listing}.")
        return edit.number - 1
    if edit.text:
        wanted = edit.text.casefold()
        hits = [i for i, item in enumerate(items) if wanted in item.casefold()]
        if not hits:  # a word or two misremembered ("thought diary" for "thought record")
            scored = [(fuzz.partial_ratio(wanted, item.casefold()), i) for i, item in enumerate(items)]
            best = max(score for score, _ in scored)
            hits = [i for score, i in scored if score >= 80 and score == best]
        if len(hits) == 1:
            return hits[0]
        raise EditProblem(f"Which {what}? The note has: {listing}. Say e.g. \"remove {what} 2\".")
    if len(items) == 1:
        return 0
    raise EditProblem(f"Which {what}? The note has: {listing}. Say e.g. \"remove {what} 2\".")


def _plural(what: str) -> str:
    return what if what == "homework" else what + "s"
