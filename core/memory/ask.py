"""Answering a therapist's question from their own notes: offline, deterministic, never invents.

Every line of an answer's body is copied from a note (a sentence, a homework item, a flag's evidence, a
score) and carries its session date; the framing around it only names clients, dates and counts. The
only data this module sees is one therapist's caseload: a question about one client loads that client's
notes only; a question about the caseload ("which clients have risk flags?") may read every client's.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Sequence

from core.language.client_match import ClientRecord
from core.memory import across, agenda, mentions
from core.memory.answer_kinds import flags_answer, items_answer, measures_answer
from core.memory.caseload import Caseload
from core.memory.categories import CATEGORY_TOPICS
from core.memory.excerpts import MAX_LINES, NO_NOTE, cite, lines, present_terms, relevance, scope, units, when
from core.memory.meaning import Meaning
from core.memory.query import Query, parse_question
from core.memory.selection import in_time, usable
from core.types import Answer, NoteDraft

__all__ = ["answer_question", "answer_from_notes", "parse_question", "Query", "NO_NOTE"]

_CASELOAD = {
    "risk": across.risk_answer, "alliance": across.alliance_answer, "measures": across.measures_answer,
    "not_seen": across.not_seen_answer, "schedule": agenda.schedule_answer, "homework": agenda.homework_answer,
    "topic": mentions.topic_answer, "seen": mentions.seen_answer,
}


# ---- answering ------------------------------------------------------------------------------------
def answer_question(question: str, caseload: Caseload, today: date, *, meaning: Meaning | None = None) -> Answer:
    """Parse the question and answer it from the caseload: from the named client's notes only, or, for a
    question about the caseload, across clients. Never answers about a client it could not pin down."""
    if isinstance(today, datetime):
        today = today.date()
    query = parse_question(question, caseload.clients, today)
    if query.scope == "caseload":
        return _CASELOAD[query.kind](query, caseload, today)
    if query.status != "match" or query.client is None:
        return _which_client(query)
    if query.kind == "prep":
        return agenda.client_prep_answer(query.client, caseload, today)
    return answer_from_notes(query, caseload.notes(query.client.id, **_how_many(query), until=today), today, meaning)


def _how_many(query: Query) -> dict:
    """Only what the question's time picks out is read (and decrypted): "last time" needs one note. A
    question about a topic reads all, to say where the topic was mentioned when the session didn't."""
    if query.terms:
        return {}
    if query.time == "last":
        return {"latest": 1}
    if query.time in ("last_n", "nth"):
        return {"latest": max(1, query.count or 1)}
    return {}


def _which_client(query: Query) -> Answer:
    names = [c.name for c in query.candidates]
    if query.status == "ambiguous" and len(names) > 1:
        return Answer(
            f"I couldn't tell which client you mean — {_or(names)}? Please ask again with the full name.",
            found=False,
        )
    text = "I couldn't tell which client you mean — "
    if names:
        text += (f"I have no client called {query.unknown_name}; " if query.unknown_name else "") + f"did you mean {_or(names)}?"
    elif query.unknown_name:
        text += f"I have no client called {query.unknown_name}."
    else:
        text += ("please include your client's name in the question. About the whole caseload I can answer: risk "
                 "flags, ruptures, open homework, score changes, clients not seen lately, who you see on a day, who you "
                 "saw when, and which clients' notes mention something (\"who mentioned drinking?\").")
    return Answer(text.strip(), found=False)


def _or(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def answer_from_notes(query: Query, notes: Sequence[NoteDraft], today: date, meaning: Meaning | None = None) -> Answer:
    """The offline answer to a parsed question from one client's notes; `meaning` (optional) finds
    sentences close in meaning when no note uses the question's words."""
    client = query.client
    notes = usable(notes, client, today)
    if not notes:
        return Answer(f"{NO_NOTE} — there are no notes for {client.name} yet.", found=False)
    scoped = in_time(notes, query)
    if not scoped:
        return _no_session(query, notes, client)
    if query.kind in ("risk", "alliance"):
        return _with_mentions(query, flags_answer(query, scoped, client), scoped, client)
    if query.kind == "measures":
        return measures_answer(query, scoped, client)
    if query.kind in ("homework", "follow_ups"):
        return items_answer(query, scoped, client)
    if query.terms:
        answer = _topic(query, scoped, notes, client)
        return answer if answer.found or meaning is None else _by_meaning(query, scoped, client, meaning) or answer
    return _gist(query, scoped, client)


def _with_mentions(query: Query, answer: Answer, scoped: list[NoteDraft], client: ClientRecord) -> Answer:
    """A risk answer about a kind whose words notes use ("using", "rifle", "purging"): the latest lines that
    mention it and are not already quoted, so "is Luis still using?" also shows "sober for thirty days"."""
    topic = next((CATEGORY_TOPICS[k] for k in query.risk_kinds if k in CATEGORY_TOPICS), None) if query.kind == "risk" else None
    probes = [replace(query, terms=(topic,), words=(topic,))] if topic else []
    if query.risk_kinds and query.terms and not answer.found:  # nothing flagged: what the question's own words find
        probes.append(present_terms(query, (u for n in scoped for u in units(n, "general"))))
    if not probes:
        return answer
    found = [(n, u) for n in scoped for u in units(n, "general")
             if u not in answer.text and any(relevance(u, p) >= 0.5 for p in probes)][:3]
    if not found:
        return answer
    text = answer.text + "\nWhat the notes say about it:\n" + lines(found, dated=True)
    return Answer(text, answer.citations + tuple(c for c in cite(client, [n for n, _ in found]) if c not in answer.citations))


def _by_meaning(query: Query, scoped: list[NoteDraft], client: ClientRecord, meaning: Meaning) -> Answer | None:
    pieces = [(n, u) for n in scoped for u in units(n, "general")]
    closest = meaning.closest(" ".join(query.words), [u for _, u in pieces])
    if not closest:
        return None
    chosen = sorted((pieces[i] for _, i in closest), key=lambda p: p[0].session_date, reverse=True)
    text = f"{client.name} — no note uses those words; closest in meaning:\n" + lines(chosen, dated=True)
    return Answer(text, cite(client, [n for n, _ in chosen]))


def _no_session(query: Query, usable: list[NoteDraft], client: ClientRecord) -> Answer:
    if query.time == "nth":
        count = f"{len(usable)} note" + ("s" if len(usable) != 1 else "")
        return Answer(f"{NO_NOTE} — there are only {count} for {client.name}.", found=False)
    if query.time == "date":
        nearest = sorted(usable, key=lambda n: abs((n.session_date - query.start).days))[:2]
        near = ", ".join(sorted(n.session_date.isoformat() for n in nearest))
        return Answer(
            f"{NO_NOTE} — no session with {client.name} on {query.start.isoformat()} (nearest: {near}).", found=False
        )
    return Answer(
        f"{NO_NOTE} — no session with {client.name} between {query.start.isoformat()} and "
        f"{query.end.isoformat()} (latest: {usable[0].session_date.isoformat()}).",
        found=False,
    )


def _gist(query: Query, scoped: list[NoteDraft], client: ClientRecord) -> Answer:
    """No topic: what the session(s) were about, from the summary and key points."""
    if query.time == "first":
        scoped = scoped[-1:]
    elif query.time == "all":
        scoped = scoped[:1]
    scoped = scoped[:MAX_LINES]
    per_note = 5 if len(scoped) == 1 else 3
    items = [(n, u) for n in scoped for u in units(n, "general")[:per_note]]
    if not items:
        return Answer(f"{NO_NOTE} — the notes for {scope(query, scoped, client)} are empty.", found=False)
    head = "latest session " + scoped[0].session_date.isoformat() if query.time == "all" else when(query, scoped, scoped)
    text = f"{client.name} — {head}:\n" + lines(items, dated=len(scoped) > 1)
    return Answer(text, cite(client, scoped))


def _topic(query: Query, scoped: list[NoteDraft], usable: list[NoteDraft], client: ClientRecord) -> Answer:
    if query.time == "first":
        return _first_mention(query, scoped, usable, client)
    hits: list[tuple[float, NoteDraft, int, str]] = []
    pieces = [(note, units(note, "general")) for note in scoped]  # split once: a client may have hundreds
    query = present_terms(query, (u for _, note_units in pieces for u in note_units))
    for note, note_units in pieces:
        for pos, unit in enumerate(note_units):
            score = relevance(unit, query)
            if score >= 0.5:
                hits.append((score, note, pos, unit))
    if not hits:
        return _nothing(query, scoped, usable, client)
    ranked = sorted(hits, key=lambda h: (-h[0], -h[1].session_date.toordinal(), h[2]))
    chosen, per_note = [], {}
    for hit in ranked:
        if per_note.get(id(hit[1]), 0) < 2 and len(chosen) < MAX_LINES:
            chosen.append(hit)
            per_note[id(hit[1])] = per_note.get(id(hit[1]), 0) + 1
    chosen.sort(key=lambda h: (-h[1].session_date.toordinal(), -(h[1].note_id or 0), h[2]))
    shown = list({id(h[1]): h[1] for h in chosen}.values())
    text = f"{client.name} — {when(query, shown, scoped)}" + (", most recent first:\n" if len(shown) > 1 else ":\n")
    text += lines([(h[1], h[3]) for h in chosen], dated=len(shown) > 1)
    others = sorted({h[1].session_date for h in hits} - {n.session_date for n in shown}, reverse=True)
    if others:
        text += "\nAlso mentioned on " + ", ".join(d.isoformat() for d in others[:8]) + (
            " and earlier." if len(others) > 8 else "."
        )
    return Answer(text, cite(client, shown))


def _first_mention(query: Query, scoped: list[NoteDraft], usable: list[NoteDraft], client: ClientRecord) -> Answer:
    """The earliest note that mentions the topic: notes are read oldest first, up to that session's date."""
    query = present_terms(query, (u for note in scoped for u in units(note, "general")))
    hits: list[tuple[float, NoteDraft, int, str]] = []
    for note in reversed(scoped):  # scoped is newest first
        if hits and note.session_date > hits[0][1].session_date:
            break
        hits += [(score, note, pos, unit) for pos, unit in enumerate(units(note, "general"))
                 if (score := relevance(unit, query)) >= 0.5]
    if not hits:
        return _nothing(query, scoped, usable, client)
    first_note = min((h[1] for h in hits), key=lambda n: n.note_id or 0)
    chosen = sorted((h for h in hits if h[1] is first_note), key=lambda h: (-h[0], h[2]))[:3]
    chosen.sort(key=lambda h: h[2])
    text = f"{client.name} — first noted {first_note.session_date.isoformat()}:\n" + lines([(h[1], h[3]) for h in chosen], False)
    return Answer(text, cite(client, [first_note]))


def _nothing(query: Query, scoped: list[NoteDraft], usable: list[NoteDraft], client: ClientRecord) -> Answer:
    text = f"{NO_NOTE} for {scope(query, scoped, client)}"
    if query.time in ("last", "last_n", "nth", "date", "range"):
        seen = {id(n) for n in scoped}
        elsewhere = [n for n in usable if id(n) not in seen and any(relevance(u, query) >= 0.5 for u in units(n, "general"))]
        if elsewhere:
            return Answer(text + f"; the latest note that mentions it is from {elsewhere[0].session_date.isoformat()}.",
                          found=False)
    if query.time in ("all", "first"):
        text += f" (searched {len(usable)} notes, {usable[-1].session_date.isoformat()} to {usable[0].session_date.isoformat()})"
    return Answer(text + ".", found=False)
