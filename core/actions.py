"""Typed actions and awaited answers <-> the short strings platforms carry (Telegram's callback_data is
at most 64 bytes). One table, one encoder, one decoder: anything that does not decode exactly is refused,
so a forged or stale button can never name a row it shouldn't (and ids are range-checked)."""
from __future__ import annotations

from dataclasses import fields
from typing import Any

from core.types import (
    NOTE_FORMATS,
    AcceptSuggestion,
    Action,
    AskDeleteNote,
    Awaiting,
    Cancel,
    ChooseClient,
    DeleteNote,
    ForgetClient,
    MarkRepaired,
    NewClient,
    NewClientName,
    PickClient,
    Reformat,
    RetryWithModel,
    UndoAllianceEntry,
    AskSignNote,
    CopyNote,
    EditNote,
    ListDrafts,
    ListNotes,
    NoteChange,
    ShowNote,
    ShowTranscript,
    ShowVersions,
    SignNote,
)

MAX_BYTES = 64
MAX_RECORD_ID = 2**31 - 1  # PostgreSQL's INTEGER: a larger number cannot name a row

# verb -> class; a verb never changes meaning once released (old buttons stay in chats for months).
VERBS: dict[str, type] = {
    "pick": PickClient,
    "clients": ChooseClient,
    "newclient": NewClient,
    "suggested": AcceptSuggestion,
    "format": Reformat,
    "llm": RetryWithModel,
    "delete": AskDeleteNote,
    "delete!": DeleteNote,
    "forget": ForgetClient,
    "cancel": Cancel,
    "await-newclient": NewClientName,
    "repaired": MarkRepaired,
    "undo-entry": UndoAllianceEntry,
    "notes": ListNotes,
    "drafts": ListDrafts,
    "show": ShowNote,
    "transcript": ShowTranscript,
    "versions": ShowVersions,
    "copy": CopyNote,
    "sign": AskSignNote,
    "sign!": SignNote,
    "edit": EditNote,
    "await-change": NoteChange,
}
_VERB_OF = {cls: verb for verb, cls in VERBS.items()}


def encode(value: Action | Awaiting) -> str:
    parts = [_VERB_OF[type(value)]] + [str(getattr(value, f.name)) for f in fields(value)]
    text = ":".join(parts)
    if len(text.encode()) > MAX_BYTES:  # only ids and format names go in: this is a programming error
        raise ValueError("action too long")
    return text


def decode(text: str) -> Any | None:
    """The action or awaited answer a string stands for, or None for anything malformed."""
    if not isinstance(text, str) or len(text.encode()) > MAX_BYTES:
        return None
    verb, *args = text.split(":")
    cls = VERBS.get(verb)
    if cls is None:
        return None
    spec = fields(cls)
    if len(args) != len(spec):
        return None
    values = []
    for field, raw in zip(spec, args):
        if field.name == "note_format":
            if raw not in NOTE_FORMATS:
                return None
            values.append(raw)
        else:
            number = record_id(raw)
            if number is None:
                return None
            values.append(number)
    return cls(*values)


def record_id(text: str) -> int | None:
    """A row number typed or carried by a button ("12", "#12"); None for anything that can't be one.
    ASCII digits only, and within the column's range, so junk never reaches the database."""
    text = text.strip().lstrip("#")
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_RECORD_ID else None
