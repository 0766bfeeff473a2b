"""One stored note as a reply: the note with its signature and addenda in the therapist's time, and the
buttons that reach everything about it (edit, transcript, copy, sign, earlier versions, delete)."""
from __future__ import annotations

import re

from dataclasses import replace

from core.context import zone
from core.errors import NoteNotFound
from core.ports import UnitOfWork
from core.replies import note_text, present_note, tools_row
from core.types import AskDeleteNote, Button, NoteDraft, Reply, ShowVersions


def local_times(uow: UnitOfWork, therapist_id: int, note: NoteDraft) -> NoteDraft:
    """Signing and addenda times in the therapist's own zone (they are stored in UTC)."""
    tz = zone(uow.therapists.get(therapist_id).timezone)
    return replace(
        note,
        signed_at=note.signed_at.astimezone(tz) if note.signed_at else None,
        addenda=tuple(replace(a, at=a.at.astimezone(tz)) for a in note.addenda),
    )


_SHOWN = re.compile(r"\bNote #(\d{1,9}) — ")


def shown_note_id(message_text: str | None) -> int | None:
    """The note one of our messages shows ("Note #12 — …" on its first line), so that a reply to a note
    opened from a list is about that note, like a reply to the one a memo delivered. Whose note it is is
    checked where it is read (by therapist)."""
    match = _SHOWN.search((message_text or "").split("\n", 1)[0])
    return int(match[1]) if match else None


def show_note(uow: UnitOfWork, therapist_id: int, note_id: int, *, said: str = "") -> Reply:
    """The note as the therapist reaches it later (a list's button, /notes 12, after an edit).
    `said` comes before the heading ("Updated — version 3")."""
    reply = present_note(uow, therapist_id, note_id)
    if reply is None or reply.note is None:
        raise NoteNotFound()
    note = local_times(uow, therapist_id, reply.note)
    heading = reply.text if note.needs_client else f"Note #{note_id} — {reply.text}"
    if note.signed:
        # A signed note keeps its client, format and text: the tools (edit = addendum) and delete stay.
        heading += " — signed"
        rows = (tools_row(note),)
    else:
        rows = tuple(r for r in reply.buttons if not any(isinstance(b.action, AskDeleteNote) for b in r))
    if note.version > 1:
        rows += ((Button(f"Earlier versions ({note.version - 1})", ShowVersions(note_id)),),)
    rows += ((Button("Delete", AskDeleteNote(note_id)),),)
    return replace(reply, text=f"{said}\n{heading}" if said else heading, note=note, buttons=rows)


def versions_reply(uow: UnitOfWork, therapist_id: int, note_id: int) -> Reply:
    """Every earlier version in full, oldest first (each edit kept one)."""
    current = uow.notes.get(therapist_id, note_id)
    if current is None:
        raise NoteNotFound()
    earlier = uow.notes.versions(therapist_id, note_id)
    if not earlier:
        return Reply(f"Note #{note_id} has not been changed: version 1 is the only one.")
    parts = [f"Note #{note_id} is at version {current.version}. Earlier versions, oldest first "
             f"(to bring one back: /edit {note_id} restore version N):"]
    parts += [f"— Version {old.version} —\n" + note_text(replace(old, signed_at=None, addenda=())) for old in earlier]
    return Reply("\n\n".join(parts))
