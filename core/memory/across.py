"""Answers that span the caseload: open risk flags, alliance signals, score changes, clients not seen.

Each line names a client and a date and, where it quotes, copies a flag's evidence or a score from a note;
every note a line draws on is cited. A denied screening is never listed as a risk, and a score marked
uncertain is never compared as if it were a clean number.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Iterator

from core.alliance.timeline import build_timeline
from core.language.client_match import ClientRecord
from core.memory.caseload import Caseload
from core.memory.categories import (IDEATION, asks_open, canonical, category_label, flag_label, matches, measure_filter,
                                    measure_key, worse_when_higher)
from core.memory.excerpts import NO_NOTE
from core.memory.query import Query
from core.memory.selection import usable
from core.types import Answer, Citation, Flag, NoteDraft

MAX_CLIENTS = 15


@dataclass
class Lines:
    """An answer's body under construction: its lines and the notes they drew on."""

    lines: list[str]
    cited: list[Citation]

    def add(self, line: str, client: ClientRecord, *notes: NoteDraft) -> None:
        self.lines.append(line)
        self.cite(client, *notes)

    def cite(self, client: ClientRecord, *notes: NoteDraft) -> None:
        for note in notes:
            citation = Citation(client.name, note.session_date, note.note_id)
            if citation not in self.cited:
                self.cited.append(citation)


def each_client(caseload: Caseload, today: date, latest: int | None = None,
                since: date | None = None) -> Iterator[tuple[ClientRecord, list[NoteDraft]]]:
    """Every client with their usable notes, newest first (only the newest `latest`, or those from `since`
    on, when a question needs no more: decrypting a whole caseload's history is what makes these slow)."""
    for client in caseload.clients:
        notes = caseload.notes(client.id, latest=latest, until=today) if latest else caseload.notes(client.id, since=since)
        yield client, usable(notes, client, today)


def time_window(query: Query) -> tuple[date, date] | None:
    return (query.start, query.end) if query.time in ("date", "range") and query.start else None


def span_text(query: Query) -> str:
    window = time_window(query)
    if not window:
        return ""
    return f" on {window[0].isoformat()}" if window[0] == window[1] else f" between {window[0].isoformat()} and {window[1].isoformat()}"


def more_clients(rows: list, noun: str = "clients") -> str:
    extra = len(rows) - MAX_CLIENTS
    return f"\nAnd {extra} more {noun}: " + ", ".join(r[1].name for r in rows[MAX_CLIENTS:]) + "." if extra > 0 else ""


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


# ---- risk -----------------------------------------------------------------------------------------
def open_flags(notes: list[NoteDraft], kinds: tuple[str, ...], window) -> tuple[list, tuple | None, list]:
    """(open flags as (kind, since, note, flag), the latest denial as (note, the flags it closed as
    (note, flag)), historical (note, flag)) from notes newest first. A kind is open when its latest
    mention is present (not denied); with a time window, when it was present within it."""
    state: dict[str, list] = {}
    denied_at, history = None, []
    for note in reversed(notes):
        if window and note.session_date > window[1]:
            break
        for flag in note.risks:
            if not matches(flag, kinds):
                continue
            key = canonical(flag)
            if flag.status == "denied":
                closed = [state.pop(k) for k in ((key,) if key not in IDEATION else IDEATION) if k in state]
                # "denies suicidal ideation" closes passive and active ideation
                if denied_at is None or denied_at[0] is not note:
                    denied_at = (note, [])
                denied_at[1].extend((c[2], c[3]) for c in closed)
            elif flag.status == "historical":
                if not window or note.session_date >= window[0]:
                    history.append((note, flag))
            else:
                since = state[key][1] if key in state else note.session_date
                state[key] = [key, since, note, flag]
    open_ = [v for v in state.values() if not window or v[2].session_date >= window[0]]
    open_.sort(key=lambda v: v[2].session_date, reverse=True)
    return open_, denied_at, history


def risk_answer(query: Query, caseload: Caseload, today: date) -> Answer:
    label = category_label(query.risk_kinds)
    window = time_window(query)
    rows, denied, history, seen = [], [], [], 0
    for client, notes in each_client(caseload, today):
        if not notes:
            continue
        seen += 1
        open_, denial, past = open_flags(notes, query.risk_kinds, window)
        if open_:
            rows.append((open_[0][2].session_date, client, open_))
        elif denial is not None:
            denied.append((client, *denial))
        if past and not open_:
            history.append((client, past[-1]))
    out = Lines([], [])
    rows.sort(key=lambda r: (r[0], r[1].name), reverse=True)
    for _, client, open_ in rows[:MAX_CLIENTS]:
        for kind, since, note, flag in open_[:3]:
            quals = f"; {', '.join(flag.qualifiers)}" if flag.qualifiers else ""
            start = f" since {since.isoformat()}" if since != note.session_date else ""
            out.add(f"- {client.name} — {flag_label(flag)}{start} (latest {note.session_date.isoformat()}{quals}): "
                    f"{flag.evidence}", client, note)
    if rows:
        text = f"Open {label} flags{span_text(query)} — {plural(len(rows), 'client')}, most recent first:\n" + "\n".join(out.lines)
        text += more_clients(rows)
    else:
        text = f"No open {label} flags{span_text(query)} in the notes of {plural(seen, 'client')}."
        text = text if history else f"{NO_NOTE} — " + text[0].lower() + text[1:]
    if history:
        text += "\nPast history noted: " + ", ".join(f"{c.name} ({n.session_date.isoformat()})" for c, (n, _) in history[:8]) + "."
        for client, (note, _) in history[:8]:
            out.cite(client, note)
    if denied:
        text += "\nScreened and denied (not a risk): " + ", ".join(
            f"{c.name} ({n.session_date.isoformat()}{_after(closed)})" for c, n, closed in denied[:8])
        text += (f" and {len(denied) - 8} more" if len(denied) > 8 else "") + "."
    return Answer(text, tuple(out.cited) if rows or history else (), found=bool(rows or history))


def _after(closed: list) -> str:
    """"; after passive ideation noted 2026-11-20": what a denial closed, so an earlier risk is not lost."""
    if not closed:
        return ""
    note, flag = max(closed, key=lambda c: c[0].session_date)
    return f"; after {flag_label(flag)} noted {note.session_date.isoformat()}"


# ---- alliance -------------------------------------------------------------------------------------
def _entries(caseload: Caseload, client_id: int) -> list:
    """Scores the therapist entered and ruptures they marked repaired (a caseload without them: none)."""
    entries = getattr(caseload, "entries", None)
    return list(entries(client_id)) if entries else []


def open_ruptures_answer(query: Query, caseload: Caseload, today: date) -> Answer:
    """Ruptures no later note repaired and the therapist did not mark repaired, however long ago."""
    window = time_window(query)
    rows, seen, closed = [], 0, 0
    # a rupture in the window can only be repaired later: the notes from the window's start suffice
    for client, notes in each_client(caseload, today, since=window[0] if window else None):
        seen += bool(notes)
        timeline = build_timeline(notes, _entries(caseload, client.id))
        ruptures = [s for s in timeline.signals if s.kind == "rupture" and (not window or window[0] <= s.session_date <= window[1])]
        open_ = [s for s in reversed(ruptures) if s.status == "open"]
        closed += len(ruptures) - len(open_)
        if open_:
            rows.append((open_[0].session_date, client, open_, {n.note_id: n for n in notes}))
    if not rows:
        text = f"No open rupture{span_text(query)} in the notes of {plural(seen, 'client')}"
        if not closed:
            return Answer(f"{NO_NOTE} — " + text[0].lower() + text[1:] + ".", found=False)
        return Answer(text + f": all {plural(closed, 'rupture')} noted there were repaired.", found=True)
    rows.sort(key=lambda r: (r[0], r[1].name), reverse=True)
    out = Lines([], [])
    for _, client, open_, by_id in rows[:MAX_CLIENTS]:
        for s in open_[:3]:
            partly = f", partly repaired {s.partly_on.isoformat()}" if s.partly_on else ""
            out.add(f"- {client.name} — rupture {s.session_date.isoformat()}, open{partly}: {s.evidence}",
                    client, *(n for n in (by_id.get(s.note_id),) if n is not None))
    head = (f"Open ruptures{span_text(query)} (no repair in a later note, not marked repaired) — "
            f"{plural(len(rows), 'client')}, most recent first:\n")
    return Answer(head + "\n".join(out.lines) + more_clients(rows), tuple(out.cited))


def alliance_answer(query: Query, caseload: Caseload, today: date) -> Answer:
    kinds = query.alliance_kinds
    if "rupture" in kinds and asks_open(query.question.lower()):
        return open_ruptures_answer(query, caseload, today)
    window = time_window(query)
    label = (" or ".join(kinds) if kinds else "alliance") + " signals"
    rows, seen = [], 0
    for client, notes in each_client(caseload, today, since=window[0] if window else None):
        seen += bool(notes)
        hits = [(n, f) for n in notes for f in n.alliance
                if (not kinds or f.kind in kinds) and (not window or window[0] <= n.session_date <= window[1])]
        if hits:
            rows.append((hits[0][0].session_date, client, hits))
    if not rows:
        return Answer(f"{NO_NOTE} — no {label}{span_text(query)} in the notes of {plural(seen, 'client')}.", found=False)
    rows.sort(key=lambda r: (r[0], r[1].name), reverse=True)
    out = Lines([], [])
    for _, client, hits in rows[:MAX_CLIENTS]:
        for note, flag in hits[:2]:
            out.add(f"- {client.name} — {flag.kind} {note.session_date.isoformat()}: {flag.evidence}", client, note)
        if len(hits) > 2:
            out.lines.append(f"  (and {len(hits) - 2} earlier)")
    head = f"{label[0].upper()}{label[1:]}{span_text(query)} — {plural(len(rows), 'client')}, most recent first:\n"
    return Answer(head + "\n".join(out.lines) + more_clients(rows), tuple(out.cited))


# ---- scores ---------------------------------------------------------------------------------------
def _fmt(score: float) -> str:
    return str(int(score)) if float(score).is_integer() else str(score)


@dataclass(frozen=True)
class _Entered:
    """A score the therapist entered with /score, standing where a note would: it has a date, no note."""

    session_date: date


def _series(notes: list[NoteDraft], wanted: Callable[[str], bool], entries=()):
    """{measure key: (name, [(note or _Entered, score, uncertain)] oldest first)} for the measures wanted."""
    points = [(note, m) for note in reversed(notes) for m in note.measures]
    points += [(_Entered(e.session_date), e.measure) for e in entries if e.kind == "score" and e.measure is not None]
    points.sort(key=lambda p: p[0].session_date)  # stable: a note before an entry of the same day
    out: dict[str, tuple[str, list]] = {}
    for note, m in points:
        if wanted(m.name):
            out.setdefault(measure_key(m.name), (m.name, []))[1].append((note, m, bool(getattr(m, "uncertain", False))))
    return out


def _noted(point) -> list[NoteDraft]:
    return [] if point is None or isinstance(point, _Entered) else [point]


def _when(point) -> str:
    return point.session_date.isoformat() + (", entered" if isinstance(point, _Entered) else "")


def _wanted(direction: str | None, name: str, change: float) -> bool:
    if direction is None:
        return change != 0
    if direction in ("up", "down"):
        return change > 0 if direction == "up" else change < 0
    worse = change > 0 if worse_when_higher(name) else change < 0
    return change != 0 and worse == (direction == "worse")


def measures_answer(query: Query, caseload: Caseload, today: date) -> Answer:
    wanted = measure_filter(query.measure)
    window = time_window(query)
    rows, unsure, seen = [], [], 0
    for client, notes in each_client(caseload, today):
        for key, (name, points) in _series(notes, wanted, _entries(caseload, client.id)).items():
            seen += 1
            last_note, last, last_unsure = points[-1]
            if window and not window[0] <= last_note.session_date <= window[1]:
                continue
            if last_unsure:
                unsure.append((client, name, last_note))
                continue
            clean = [(n, m) for n, m, u in points[:-1] if not u]
            earlier = getattr(last, "earlier", None)
            if clean:
                prev_note, prev = clean[-1]
                before, before_note = float(prev.score), prev_note
            elif earlier is not None:
                before, before_note = float(earlier), None
            else:
                continue
            change = float(last.score) - before
            if _wanted(query.direction, name, change):
                rows.append((abs(change), client, name, before, before_note, last, last_note, change))
    word = {"worse": "got worse", "better": "improved", "up": "went up", "down": "went down"}.get(query.direction, "changed")
    what = query.measure or "scores"
    out = Lines([], [])
    if not rows:
        text = f"{NO_NOTE} — no {what} that {word} between the last two scores"
        text += f" ({seen} score series looked at)." if seen else " (no scores recorded)."
    else:
        rows.sort(key=lambda r: (-r[0], r[1].name))
        for _, client, name, before, before_note, last, last_note, change in rows[:MAX_CLIENTS]:
            was = f"{_fmt(before)} ({_when(before_note)})" if before_note else f"{_fmt(before)} (earlier, as noted)"
            sign = "up" if change > 0 else "down"
            out.add(f"- {client.name} — {name} {was} → {_fmt(last.score)} ({_when(last_note)}), {sign} "
                    f"{_fmt(abs(change))}", client, *_noted(before_note), *_noted(last_note))
        text = f"{what[0].upper() + what[1:]} that {word}{span_text(query)}, last two scores — {plural(len(rows), 'change')}:\n" + "\n".join(out.lines)
        text += more_clients([(0, r[1]) for r in rows], "changes")
    if unsure:
        text += "\nNot compared, the latest score is marked uncertain: " + ", ".join(
            f"{c.name} {name} ({n.session_date.isoformat()})" for c, name, n in unsure[:8]) + "."
    return Answer(text, tuple(out.cited) if rows else (), found=bool(rows))


# ---- not seen -------------------------------------------------------------------------------------
def not_seen_answer(query: Query, caseload: Caseload, today: date) -> Answer:
    cutoff = today - timedelta(days=query.unseen_days)
    booked: dict[int, date] = {}
    for s in caseload.sessions(today, today + timedelta(days=29)):
        if s.client_id is not None:
            booked.setdefault(s.client_id, s.starts_at.date())
    rows, never = [], []
    for client, notes in each_client(caseload, today, latest=1):
        if not notes:
            never.append(client)
        elif notes[0].session_date <= cutoff:
            rows.append((notes[0].session_date, client, notes[0]))
    weeks = query.unseen_days // 7
    span = f"{weeks} weeks" if query.unseen_days % 7 == 0 and weeks > 1 else plural(query.unseen_days, "day")
    out = Lines([], [])
    rows.sort(key=lambda r: (r[0], r[1].name))
    for day, client, note in rows[:MAX_CLIENTS]:
        ago = (today - day).days
        next_ = f"; next booked {booked[client.id].isoformat()}" if client.id in booked else ""
        out.add(f"- {client.name} — last session {day.isoformat()} ({ago // 7} weeks ago{next_})", client, note)
    if rows:
        text = f"Not seen in {span} (no note since {cutoff.isoformat()}) — {plural(len(rows), 'client')}, longest first:\n"
        text += "\n".join(out.lines) + more_clients(rows)
    else:
        text = f"Every client with notes has a session note from the last {span} (since {cutoff.isoformat()})."
    if never:
        text += "\nNo notes yet: " + ", ".join(c.name for c in never[:MAX_CLIENTS]) + "."
    return Answer(text, tuple(out.cited), found=bool(rows or never))
