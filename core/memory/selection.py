"""Which of a client's notes a question may draw on: the latest version of each finished note up to
today, then those in the question's time."""
from __future__ import annotations

from datetime import date
from typing import Sequence

from core.language.client_match import ClientRecord
from core.memory.query import Query
from core.types import NoteDraft


def usable(notes: Sequence[NoteDraft], client: ClientRecord, today: date) -> list[NoteDraft]:
    """The client's finished notes up to today, one (latest) version per note, newest first. Notes of
    another client handed over by mistake are left out."""
    latest: dict[object, NoteDraft] = {}
    for i, note in enumerate(notes):
        if note.needs_client or (note.client_id is not None and note.client_id != client.id):
            continue
        if note.session_date > today:
            continue
        key = note.note_id if note.note_id is not None else ("row", i)
        if key not in latest or note.version > latest[key].version:
            latest[key] = note
    return sorted(latest.values(), key=lambda n: (n.session_date, n.note_id or 0), reverse=True)


def in_time(notes: list[NoteDraft], query: Query) -> list[NoteDraft]:
    """The notes (newest first) that the question's time picks out."""
    if query.time == "last":
        return notes[:1]
    if query.time == "last_n":
        return notes[: max(1, query.count or 1)]
    if query.time == "nth":
        k = max(1, query.count or 1) - 1
        return notes[k : k + 1]
    if query.time in ("date", "range"):
        hits = [n for n in notes if query.start <= n.session_date <= query.end]
        if not hits and query.any_year:  # "on February 7" when that session was a year or more ago
            same_day = [n for n in notes if (n.session_date.month, n.session_date.day) == (query.start.month, query.start.day)]
            hits = [n for n in same_day if n.session_date == same_day[0].session_date] if same_day else []
        return hits
    return notes
