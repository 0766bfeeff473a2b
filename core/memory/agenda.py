"""Answers about what is coming: whom the therapist sees on a day and what to prepare for each session (or
for one client), and homework still open across clients.

Sessions come from the calendar (Caseload.sessions); what to prepare is copied from each client's latest
note before the session (follow-ups, homework, open risk flags), every note used cited.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from core.alliance.prep import prep_items
from core.language.client_match import ClientRecord
from core.memory.across import MAX_CLIENTS, Lines, each_client, open_flags, plural, time_window
from core.memory.caseload import Caseload, Session
from core.memory.categories import flag_label
from core.memory.excerpts import NO_NOTE, sentences, units
from core.memory.mentions import seen_answer
from core.memory.query import STOP_WORDS, Query
from core.memory.selection import usable
from core.memory.topics import IRREGULAR_PAST, query_key
from core.schedule.digest import NOTES_READ, RECENT_SESSIONS_FOR_FLAGS, recent_flags
from core.types import Answer, NoteDraft

_PREP = re.compile(r"\bprep\w*|\bneed\b|\bbrief\b|\bready\b|\bshould\b|\bfollow|\bpick up\b|\bremember\b|\bknow\b|\bbring\b"
                   r"|\bcover\b|\bhomework\b|\brisks?\b|\bsafety\b|\bflags?\b|\bwhat do i have\b|\bto do\b")
_NEXT = re.compile(r"\bnext\b|\bfirst\b|\bupcoming\b")
_OVERDUE = re.compile(r"\boverdue\b|\blate\b|\bpast due\b|\bnot done\b|\bhasn'?t done\b|\bhaven'?t done\b|\bdidn'?t do\b"
                      r"|\bincomplete\b|\bbehind\b|\bmissed\b|\bnot (?:been )?(?:completed|finished)")


# ---- the day's sessions ---------------------------------------------------------------------------
def _days(query: Query, caseload: Caseload, today: date) -> tuple[list[Session], date, date, str]:
    if query.ahead:
        start, end, said = query.ahead
        return caseload.sessions(start, end), start, end, said
    if _NEXT.search(query.question.lower()):  # "who is my next client?": the first day with sessions
        for offset in range(0, 15):
            day = today + timedelta(days=offset)
            found = caseload.sessions(day, day + timedelta(days=1))
            if found:
                return found, day, day + timedelta(days=1), "next"
        return [], today, today + timedelta(days=15), "in the next two weeks"
    return caseload.sessions(today, today + timedelta(days=1)), today, today + timedelta(days=1), "today"


def _focus(lower: str) -> set[str]:
    wanted = {name for name, pattern in (("homework", r"\bhomework|\bassign"), ("follow", r"\bfollow|\bpick up\b"),
                                          ("risk", r"\brisks?\b|\bsafety\b|\bflags?\b")) if re.search(pattern, lower)}
    return wanted or {"homework", "follow", "risk"}


def schedule_answer(query: Query, caseload: Caseload, today: date) -> Answer:
    lower = query.question.lower()
    found, start, end, said = _days(query, caseload, today)
    span = start.strftime("%A ") + start.isoformat() if end - start == timedelta(days=1) else \
        f"{start.isoformat()} to {(end - timedelta(days=1)).isoformat()}"
    if not found:
        if end <= today and time_window(query):  # "who had sessions on Friday?": the notes say who was seen
            return seen_answer(query, caseload, today)
        return Answer(f"No sessions booked for {span}.", found=False)
    prep, focus = bool(_PREP.search(lower)), _focus(lower)
    by_id = {c.id: c for c in caseload.clients}
    notes_of: dict[int, list[NoteDraft]] = {}
    out = Lines([], [])
    day = None
    for session in found:
        if end - start > timedelta(days=1) and session.starts_at.date() != day:
            day = session.starts_at.date()
            out.lines.append(f"{day.strftime('%A')} {day.isoformat()}:")
        client = by_id.get(session.client_id) if session.client_id is not None else None
        line = f"- {session.starts_at.strftime('%H:%M')} {client.name if client else session.client_name}"
        if client is None:
            out.lines.append(line)
            continue
        if client.id not in notes_of:
            until = min(today, session.starts_at.date())
            notes_of[client.id] = usable(caseload.notes(client.id, latest=PREP_NOTES, until=until), client, until)
        notes = notes_of[client.id]
        if not notes:
            out.lines.append(line + " — no notes yet")
            continue
        out.add(line + f" — last session {notes[0].session_date.isoformat()}", client, notes[0])
        if prep:
            _prepare(out, client, notes, focus)
    head = f"{span} — {plural(len(found), 'session')}" + (", with what to prepare from the latest notes" if prep else "")
    return Answer(head + ":\n" + "\n".join(out.lines), tuple(out.cited))


def client_prep_answer(client: ClientRecord, caseload: Caseload, today: date) -> Answer:
    """"Anything I should know before seeing Daniel?": what the pre-session reminder covers — the last
    session, homework to check, follow-ups, recent risk flags and screenings, open alliance items — each
    line copied from the note it is dated with."""
    notes = usable(caseload.notes(client.id, latest=NOTES_READ, until=today), client, today)  # newest first
    if not notes:
        return Answer(f"{NO_NOTE} — there are no notes for {client.name} yet.", found=False)
    out, last, recent = Lines([], []), notes[0], notes[:RECENT_SESSIONS_FOR_FLAGS]

    def add(note: NoteDraft, label: str, text: str) -> None:
        out.add(f"- {note.session_date.isoformat()}{f' ({label})' if label else ''}: {text}", client, note)

    if last.summary.strip():
        add(last, "last session", last.summary.strip())
    for point in [p for p in last.key_points if p != last.summary][:3]:
        add(last, "", point)
    for item in last.homework:
        add(last, "homework to check", item)
    shown: set[str] = set()
    for note in recent:
        for item in note.follow_ups:
            if item not in shown and len(shown) < 5:
                shown.add(item)
                add(note, "follow up", item)
    for flag, note in recent_flags(list(reversed(recent)), "risks"):  # the ones the reminder shows
        state = {"denied": "screened, denied", "historical": "history"}.get(flag.status, "risk")
        quals = f"; {', '.join(flag.qualifiers)}" if flag.qualifiers else ""
        add(note, f"{state} — {flag_label(flag)}{quals}", flag.evidence)
    by_id = {n.note_id: n for n in notes}
    for a in prep_items(list(reversed(notes)), caseload.entries(client.id), today + timedelta(days=1)):
        note = by_id.get(a.note_id)
        if a.kind == "score_drop":
            out.lines.append(f"Feedback dropped: {a.detail}.")  # dates and numbers; the note's words below
        label = {"rupture": f"alliance — rupture, {a.detail}", "score_drop": "feedback score",
                 "quiet_goal": "goal not discussed lately"}[a.kind]
        if a.quote and note is not None:
            add(note, label, a.quote)
        if a.suggestion:
            out.lines.append(a.suggestion)
    return Answer(f"{client.name} — to prepare, from the latest notes:\n" + "\n".join(out.lines), tuple(out.cited))


def _prepare(out: Lines, client: ClientRecord, notes: list[NoteDraft], focus: set[str]) -> None:
    latest = notes[0]
    before = len(out.lines)
    if "follow" in focus:
        for item in units(latest, "follow_ups")[:3]:
            out.add(f"  - to follow up: {item}", client, latest)
    if "homework" in focus:
        for item in latest.homework[:3]:
            out.add(f"  - homework: {item}", client, latest)
    if "risk" in focus:
        open_, _, _ = open_flags(notes, (), None)
        for _, since, note, flag in open_[:2]:
            out.add(f"  - open risk ({flag_label(flag)} since {since.isoformat()}, latest {note.session_date.isoformat()}): "
                    f"{flag.evidence}", client, note)
    if len(out.lines) == before and focus == {"homework", "follow", "risk"} and latest.summary.strip():
        out.add(f"  - last session: {latest.summary.strip()}", client, latest)


# ---- homework across clients ----------------------------------------------------------------------
_GENERIC = frozenset(query_key(w) for w in """practise practice complete completed keep write down each every day daily week
weekly twice once three two one times time before after when with about minutes night nights morning evening their them
this that what things thing""".split())
_NOT_DONE = re.compile(r"\b(?:did not|didn't|does not|doesn't|has not|hasn't|have not|haven't|never|could not|couldn't|"
                       r"was not able|wasn't able|unable to|forgot|skipped|avoided|no time|not yet|stopped)\b")
_DONE = re.compile(r"\b(?:complet\w*|did|done|kept|keeps|finish\w*|practi[cs]\w*|tried|used|uses|wrote|written|tracked|"
                   r"filled|called|sent|managed|followed through|brought|went|made|started|has been|reported|logged|"
                   r"recorded|read|rode|ate|walked|journal(?:l)?ed|rated|listed|blocked|told|texted|messaged)\b")


def _item_stems(text: str) -> set[str]:
    """Content words of a homework item or a sentence, synonyms folded ("angry" and "anger" agree)."""
    return {query_key(w) for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if len(w) >= 3 and w not in STOP_WORDS} - _GENERIC


def _report(item: str, later: list[NoteDraft]) -> tuple[str, NoteDraft | None, str]:
    """("done" | "not done" | "open", the note, its sentence) for a homework item, from later notes."""
    wanted = _item_stems(item)
    if not wanted:
        return "open", None, ""
    need = min(2, len(wanted))
    status: tuple[str, NoteDraft | None, str] = ("open", None, "")
    for note in reversed(later):  # oldest first: the latest report wins
        for field in (note.summary, *note.key_points, *(text for _, text in note.sections)):
            for sentence in sentences(field):
                if len(wanted & _item_stems(sentence)) < need:
                    continue
                low = sentence.lower()
                if _NOT_DONE.search(low):
                    status = ("not done", note, sentence)
                elif _DONE.search(low) or re.search(r"\b[a-z]{3,}ed\b", low) or any(w in IRREGULAR_PAST for w in low.split()):
                    status = ("done", note, sentence)
    return status


PREP_NOTES = 3  # what to prepare comes from the latest notes
HOMEWORK_NOTES = 10  # open homework: the latest assignment within the last ten sessions, and what came after


def homework_answer(query: Query, caseload: Caseload, today: date) -> Answer:
    overdue = bool(_OVERDUE.search(query.question.lower()))
    rows, seen = [], 0
    for client, notes in each_client(caseload, today, latest=HOMEWORK_NOTES):
        seen += bool(notes)
        index = next((i for i, n in enumerate(notes) if n.homework), None)
        if index is None:
            continue
        assigned, later = notes[index], notes[:index]
        items = []
        for item in assigned.homework:
            status, note, sentence = _report(item, later)
            if status == "done" or (overdue and status == "open" and (today - assigned.session_date).days < 7):
                continue
            items.append((item, status, note, sentence))
        if items:
            rows.append((assigned.session_date, client, assigned, items))
    if not rows:
        what = "overdue homework" if overdue else "open homework"
        return Answer(f"{NO_NOTE} — no {what} in the latest notes of {plural(seen, 'client')}.", found=False)
    rows.sort(key=lambda r: (r[0], r[1].name))
    out = Lines([], [])
    for _, client, assigned, items in rows[:MAX_CLIENTS]:
        for item, status, note, sentence in items[:3]:
            out.add(f"- {client.name} — assigned {assigned.session_date.isoformat()}: {item}", client, assigned)
            if status == "not done":
                out.add(f"  - reported not done {note.session_date.isoformat()}: {sentence}", client, note)
    head = ("Overdue homework (assigned a week or more ago, not reported done)" if overdue
            else "Open homework (from each client's latest note with homework, not reported done since)")
    text = f"{head} — {plural(len(rows), 'client')}, oldest first:\n" + "\n".join(out.lines)
    if len(rows) > MAX_CLIENTS:
        text += f"\nAnd {len(rows) - MAX_CLIENTS} more clients: " + ", ".join(r[1].name for r in rows[MAX_CLIENTS:]) + "."
    return Answer(text, tuple(out.cited))
