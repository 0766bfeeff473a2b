"""Note content as quotable pieces, how well a piece fits a question's topic, and the small framing
helpers every answer uses (session labels, citations, bullet lines). Nothing here adds content."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from rapidfuzz import fuzz

from core.language.client_match import ClientRecord
from core.memory.query import Query, stem
from core.memory.topics import is_real_word, text_keys, text_stems, text_words
from core.types import Citation, NoteDraft

NO_NOTE = "I have no note about that"
MAX_LINES = 6
_NOT_DISCUSSED = re.compile(r"^\s*(not discussed|none|n/?a|-+)\.?\s*$", re.I)


_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|St|vs|e\.g|i\.e|[A-Z])\.$")
_NON_WORD = re.compile(r"\W+")


def sentences(text: str) -> list[str]:
    """A note field split into sentences (lines first, then sentence ends); list bullets removed."""
    out = []
    for line in (text or "").splitlines():
        line = _BULLET.sub("", line).strip()
        if not line:
            continue
        merged: list[str] = []
        for part in _SENTENCE_END.split(line):  # keep "Dr. Patel" and "Maya T. said" together
            if merged and _ABBREVIATION.search(merged[-1]):
                merged[-1] += " " + part
            else:
                merged.append(part)
        out.extend(p.strip() for p in merged if p.strip())
    return out


def units(note: NoteDraft, kind: str) -> tuple[str, ...]:
    """The pieces of a note an answer may quote, deduplicated, in reading order. Not cached: note text
    is not kept in memory beyond the question (caches hold single words only)."""
    if kind == "homework":
        fields: Iterable[str] = note.homework
    elif kind == "follow_ups":
        fields = (*note.follow_ups, *note.plan)
    else:
        fields = (note.summary, *note.key_points, *(text for _, text in note.sections), *note.homework,
                  *note.plan, *note.follow_ups, *(a.text for a in getattr(note, "addenda", ())))
    kept: dict[str, str] = {}  # comparable form -> the piece as written, in reading order
    done: set[str] = set()
    for field in fields:
        if field in done:
            continue
        done.add(field)
        pieces = [field.strip()] if kind in ("homework", "follow_ups") else sentences(field)
        for piece in pieces:
            key = _NON_WORD.sub(" ", piece.lower()).strip()
            if key and key not in kept and not _NOT_DISCUSSED.match(piece):
                kept[key] = piece
    # "Check in on her father's visit" repeats "Next time, check in on her father's visit": keep the fuller one
    # Keys hold no newline, so a key found twice in the joined text is also inside a longer one.
    joined = "\n".join(f" {key} " for key in kept)
    return tuple(piece for key, piece in kept.items() if joined.count(f" {key} ") < 2)


def relevance(unit: str, query: Query) -> float:
    """Share of the topic terms the unit contains (stems and synonyms), fuzzy spelling counting 0.7."""
    if not query.terms:
        return 1.0
    words = text_words(unit)
    own = text_stems(words)
    keys = None  # synonyms: only looked up when a term's own stem is not there
    lower = unit.lower()
    total = 0.0
    for term, word in zip(query.terms, query.words):
        if stem(word) in own:
            total += 1.0
            continue
        keys = keys if keys is not None else text_keys(words)
        if term in keys:  # a synonym: "dad" for "father", "manager" for "work"
            total += 0.8
        elif len(word) >= 5 and _misspelt(word, words):
            total += 0.7
    if len(query.words) > 1 and " ".join(query.words) in lower:
        total += 0.5
    return total / len(query.terms)


def _misspelt(word: str, words: list[str]) -> bool:
    """A note word that is the question's word misspelt, or the other way round ("anxeity", "procrastinaton"):
    a whole word, not one inside a longer word ("mother" in "grandmother"), and never two real words a
    letter apart ("waking" and "walking")."""
    real = is_real_word(word)
    return any(fuzz.ratio(word, other, score_cutoff=88) and not (real and is_real_word(other))
               for other in words if abs(len(other) - len(word)) <= 2)


def present_terms(query: Query, pieces: Iterable[str]) -> Query:
    """The query without topic words that no piece of these notes contains, when another one is there:
    "Oliver's job search" looks for the job when no note says "search"."""
    if len(query.terms) < 2:
        return query
    pieces = list(pieces)
    kept = [(t, w) for t, w in zip(query.terms, query.words)
            if any(relevance(p, replace(query, terms=(t,), words=(w,))) >= 0.5 for p in pieces)]
    if not kept or len(kept) == len(query.terms):
        return query
    return replace(query, terms=tuple(t for t, _ in kept), words=tuple(w for _, w in kept))


def when(query: Query, shown: list[NoteDraft], scoped: list[NoteDraft]) -> str:
    """How the header names the sessions an answer draws on."""
    if len(shown) == 1:
        d = shown[0].session_date.isoformat()
        return {"last": f"last session {d}", "first": f"first session {d}"}.get(query.time, f"session {d}")
    if query.time == "last_n":
        return f"last {len(scoped)} sessions"
    if query.time == "range":
        return f"sessions {query.start.isoformat()} to {query.end.isoformat()}"
    dates = sorted(n.session_date for n in shown)
    return f"{len(shown)} sessions ({dates[0].isoformat()} to {dates[-1].isoformat()})"


def scope(query: Query, notes: list[NoteDraft], client: ClientRecord) -> str:
    """Where nothing was found, in the words of the question's time."""
    if query.time == "last" and notes:
        return f"{client.name}'s last session ({notes[0].session_date.isoformat()})"
    if query.time == "last_n":
        return f"{client.name}'s last {query.count} sessions"
    if query.time == "nth" and notes:
        return f"{client.name}'s session on {notes[0].session_date.isoformat()}"
    if query.time == "date":
        return f"{client.name} on {query.start.isoformat()}"
    if query.time == "range":
        return f"{client.name} between {query.start.isoformat()} and {query.end.isoformat()}"
    return client.name


def cite(client: ClientRecord, notes: Iterable[NoteDraft]) -> tuple[Citation, ...]:
    seen, out = set(), []
    for note in notes:
        key = (note.note_id, note.session_date)
        if key not in seen:
            seen.add(key)
            out.append(Citation(client.name, note.session_date, note.note_id))
    return tuple(out)


def lines(items: list[tuple[NoteDraft, str]], dated: bool) -> str:
    return "\n".join(f"- {n.session_date.isoformat()}: {text}" if dated else f"- {text}" for n, text in items)
