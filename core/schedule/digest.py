"""Composing the morning prep digest and a pre-session reminder. Pure: appointments and notes in, a
Digest out; sending and scheduling live elsewhere."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, tzinfo
from typing import Callable, Sequence

from core.alliance.prep import prep_items
from core.notes.safety import detect_risks
from core.records import AllianceEntry
from core.types import Digest, DigestItem, Flag, NoteDraft

RECENT_SESSIONS_FOR_FLAGS = 3
# An open rupture, a feedback drop or a quiet goal may lie several sessions back: the alliance lines
# read this many notes (two months of weekly sessions: each note more is one more to decrypt at the
# 07:30 tick, see bench/bench_alliance_digest.py). NOTES_READ is what a digest needs.
RECENT_SESSIONS_FOR_ALLIANCE = 8
NOTES_READ = max(RECENT_SESSIONS_FOR_FLAGS, RECENT_SESSIONS_FOR_ALLIANCE)


def compose_item(
    appointment_id: int,
    client_name: str,
    starts_at: datetime,
    notes: Sequence[NoteDraft],
    entries: Sequence[AllianceEntry] = (),
) -> DigestItem:
    """One client's prep from their notes (oldest first) and alliance entries; only notes before the
    session count.

    Reads at most the last NOTES_READ notes before the session: core/schedule/digests.py relies on
    that to load and decrypt only those in its batched reads (widen both together)."""
    before = [n for n in notes if n.session_date < starts_at.date()]
    if not before:
        return DigestItem(appointment_id, client_name, starts_at, last_session=None)
    last = before[-1]
    recent = [_with_addendum_risks(n) for n in before[-RECENT_SESSIONS_FOR_FLAGS:]]
    risks = recent_flags(recent, "risks")
    return DigestItem(
        appointment_id=appointment_id,
        client_name=client_name,
        starts_at=starts_at,
        last_session=last.session_date,
        summary=last.summary,
        highlights=tuple(last.key_points[:3]),
        homework=last.homework,
        follow_ups=_unique(item for note in reversed(recent) for item in note.follow_ups)[:5],
        risks=tuple(flag for flag, _ in risks),
        risk_dates=tuple(note.session_date for _, note in risks),
        alliance=tuple(flag for flag, _ in recent_flags(recent, "alliance")),
        alliance_items=prep_items(before[-RECENT_SESSIONS_FOR_ALLIANCE:], entries, starts_at.date()),
        addenda=tuple((n.session_date, a.text) for n in reversed(recent) for a in reversed(n.addenda)),
    )


def _with_addendum_risks(note: NoteDraft) -> NoteDraft:
    """A signed note's addenda can carry what was learnt after signing ("she called that night and said she
    has pills saved up"): their risk flags count like the note's own, quoting the addendum."""
    if not note.addenda:
        return note
    found = detect_risks(" ".join(a.text for a in note.addenda))
    return replace(note, risks=tuple(found) + note.risks) if found else note  # newer than the note's own


def compose_digest(
    therapist_id: int,
    day: date,
    tz: tzinfo,
    sessions: Sequence[tuple[int, str, datetime]],
    notes_for: Callable[[int], Sequence[NoteDraft]],
    client_ids: Sequence[int | None],
    entries_for: Callable[[int], Sequence[AllianceEntry]] = lambda client_id: (),
) -> Digest:
    """`sessions` are (appointment id, client name, start) for the day; `client_ids` parallel to it."""
    items = []
    for (appointment_id, name, starts_at), client_id in zip(sessions, client_ids):
        notes = notes_for(client_id) if client_id is not None else ()
        entries = entries_for(client_id) if client_id is not None else ()
        items.append(compose_item(appointment_id, name, starts_at.astimezone(tz), notes, entries))
    items.sort(key=lambda item: item.starts_at)
    return Digest(therapist_id, day, tuple(items))


def recent_flags(notes: Sequence[NoteDraft], field: str) -> tuple[tuple[Flag, NoteDraft], ...]:
    """(flag, its note) from recent sessions (given oldest first), newest first, each kind and status once.
    A denial is a screening result: kept when nothing else is, or when it came after every risk shown (a
    risk two sessions ago and "denies SI" last session are both what the therapist needs to see)."""
    flags: list[tuple[Flag, NoteDraft]] = []
    seen: set[tuple[str, str]] = set()
    for note in reversed(notes):
        for flag in getattr(note, field):
            key = (flag.kind, flag.status)
            if key not in seen:
                seen.add(key)
                flags.append((flag, note))
    shown = [(f, n) for f, n in flags if f.status != "denied"]
    latest = max((n.session_date for _, n in shown), default=None)
    return tuple(shown + [(f, n) for f, n in flags if f.status == "denied" and (latest is None or n.session_date > latest)])


def _unique(items) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        if item and item.lower() not in {k.lower() for k in seen}:
            seen[item] = None
    return tuple(seen)
