"""Two caseload questions that name no client and no category: which clients' notes mention a topic
("which clients are drinking?", "who talked about their mother this month?"), and whom the therapist saw
in a stretch of days ("who did I see this week?"). Every line is a note's own sentence or a client's name
with session dates, and cites its notes."""
from __future__ import annotations

from datetime import date

from core.memory.across import MAX_CLIENTS, Lines, each_client, more_clients, plural, span_text, time_window
from core.memory.caseload import Caseload
from core.memory.excerpts import NO_NOTE, present_terms, relevance, units
from core.memory.query import Query
from core.types import Answer


def topic_answer(query: Query, caseload: Caseload, today: date) -> Answer:
    window = time_window(query)
    what = " ".join(query.words)
    rows, seen = [], 0
    for client, notes in each_client(caseload, today, since=window[0] if window else None):
        notes = [n for n in notes if not window or window[0] <= n.session_date <= window[1]]
        if not notes:
            continue
        seen += 1
        pieces = [(note, units(note, "general")) for note in notes]  # newest first
        asked = present_terms(query, (u for _, note_units in pieces for u in note_units))
        hits = [(note, u) for note, note_units in pieces for u in note_units if relevance(u, asked) >= 0.5]
        if hits:
            rows.append((hits[0][0].session_date, client, hits))
    if not rows:
        if not seen:
            return Answer(f"{NO_NOTE} — no session notes{span_text(query)}.", found=False)
        return Answer(f"{NO_NOTE} — no note{span_text(query)} mentions {what} ({plural(seen, 'client')} looked at).",
                      found=False)
    rows.sort(key=lambda r: (r[0], r[1].name), reverse=True)
    out = Lines([], [])
    for _, client, hits in rows[:MAX_CLIENTS]:
        note, line = hits[0]
        out.add(f"- {client.name} — {note.session_date.isoformat()}: {line}", client, note)
        earlier = len({n.session_date for n, _ in hits}) - 1
        if earlier:
            out.lines.append(f"  (and {plural(earlier, 'earlier session')})")
    head = f"Notes{span_text(query)} that mention {what} — {plural(len(rows), 'client')}, most recent first:\n"
    return Answer(head + "\n".join(out.lines) + more_clients(rows), tuple(out.cited))


def seen_answer(query: Query, caseload: Caseload, today: date) -> Answer:
    """Clients with a session note in the question's days (the notes are the record of who was seen)."""
    start, end = time_window(query)
    rows = []
    for client, notes in each_client(caseload, today, since=start):
        days = [n for n in notes if start <= n.session_date <= end]
        if days:
            rows.append((days[0].session_date, client, days))
    if not rows:
        return Answer(f"{NO_NOTE} — no session notes{span_text(query)}.", found=False)
    rows.sort(key=lambda r: (r[0], r[1].name), reverse=True)
    out = Lines([], [])
    for _, client, days in rows[:MAX_CLIENTS]:
        out.add(f"- {client.name} — " + ", ".join(n.session_date.isoformat() for n in reversed(days)), client, *days)
    head = f"Sessions with a note{span_text(query)} — {plural(len(rows), 'client')}, most recent first:\n"
    return Answer(head + "\n".join(out.lines) + more_clients(rows), tuple(out.cited))
