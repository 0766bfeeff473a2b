"""The alliance commands and buttons: /score (a feedback score typed in), /repaired (mark a client's open
ruptures repaired), /report (the timeline and its chart), /chart (the scores as a picture), and the
"Mark repaired" and "Undo" buttons. Replies quote notes and entries only; nothing is written to the logs."""
from __future__ import annotations

import asyncio
from datetime import date
from typing import Callable, TypeVar

from core import roster
from core.alliance.scores import ScoreProblem, feedback_drops, parse_scores, split_date
from core.alliance.timeline import RUPTURE, build_timeline
from core.context import Context, Who
from core.errors import AmbiguousClient, InvalidClientName, NoteNotFound, UnknownClient
from core.language.client_match import ClientRecord
from core.reports import report as reports
from core.reports.chart import NothingToChart, render_chart
from core.types import Button, Document, MarkRepaired, Reply, UndoAllianceEntry

T = TypeVar("T")
MAX_NAME_WORDS = 5
MAX_BUTTONS = 3
SCORE_USAGE = "e.g. /score Maya SRS 32, /score Maya ORS 24 on 2026-11-24, or /score Maya Feeling heard 7/10"


def split_client(uow, therapist_id: int, text: str, read_rest: Callable[[str], T]) -> tuple[ClientRecord, T]:
    """The client named at the start of `text` and what `read_rest` makes of the words after the name.
    The longest name that matches a client and leaves a readable rest wins ("Maya Thompson SRS 32")."""
    words = text.split()
    problem: Exception | None = None
    ambiguous: AmbiguousClient | None = None
    for k in range(min(len(words), MAX_NAME_WORDS), 0, -1):
        try:
            client = roster.find(uow, therapist_id, " ".join(words[:k]))
        except AmbiguousClient as error:
            ambiguous = ambiguous or error
            continue
        except (UnknownClient, InvalidClientName):
            continue
        try:
            return client, read_rest(" ".join(words[k:]))
        except ScoreProblem as error:
            problem = problem or error
    raise problem or ambiguous or UnknownClient()


def _day(d: date) -> str:
    return f"{d:%a %d %b %Y}"


# ---- /score -----------------------------------------------------------------------------------------
async def score(ctx: Context, who: Who, args: str) -> Reply:
    if not args.strip():
        return Reply(f"Whose score? {SCORE_USAGE}")
    today = ctx.today(who.therapist_id)
    with ctx.uow() as uow:
        client, (measures, day) = split_client(uow, who.therapist_id, args, lambda rest: _read(rest, today))
        before = build_timeline(uow.notes.for_client(who.therapist_id, client.id), uow.alliance.for_client(who.therapist_id, client.id))
        ids = [uow.alliance.add(who.therapist_id, client.id, day, "score", measure=m) for m in measures]
        for entry_id in ids:
            uow.audit.record(who.therapist_id, who.actor, "write", "alliance_entry", entry_id)
        after = build_timeline(uow.notes.for_client(who.therapist_id, client.id), uow.alliance.for_client(who.therapist_id, client.id))
        uow.commit()
    saved = ", ".join(f"{m.name} {m.score:g}" for m in measures)
    lines = [f"Saved {saved} for {client.name}, session of {_day(day)}."]
    old = {(d.name, d.after.session_date) for d in feedback_drops(before.scores)}
    for drop in feedback_drops(after.scores):
        if drop.after.source == "entered" and (drop.name, drop.after.session_date) not in old:
            lines.append(f"That is lower than the {drop.name} before it: {drop.before.value:g} on {_day(drop.before.session_date)}.")
    buttons = ((Button("Undo", UndoAllianceEntry(ids[0])),),) if len(ids) == 1 else tuple(
        (Button(f"Undo {m.name}", UndoAllianceEntry(i)),) for m, i in zip(measures, ids))
    return Reply("\n".join(lines), buttons=buttons)


def _read(rest: str, today: date):
    text, day = split_date(rest, today)
    return parse_scores(text), day


# ---- /repaired and the buttons -------------------------------------------------------------------------
async def repaired(ctx: Context, who: Who, args: str) -> Reply:
    if not args.strip():
        return Reply("Whose rupture was repaired? e.g. /repaired Maya (all open ruptures) or /repaired Maya 2026-11-17")
    today = ctx.today(who.therapist_id)
    with ctx.uow() as uow:
        client, (rest, day) = split_client(uow, who.therapist_id, args, lambda rest: _only_date(rest, today))
        timeline = build_timeline(uow.notes.for_client(who.therapist_id, client.id), uow.alliance.for_client(who.therapist_id, client.id))
        ruptures = [s for s in timeline.open_ruptures() if day is None or s.session_date == day]
        if not ruptures:
            on = f" from {_day(day)}" if day else ""
            return Reply(f"No open rupture{on} in {client.name}'s notes.")
        marked = {}
        for s in ruptures:
            if s.note_id is not None and s.note_id not in marked:
                marked[s.note_id] = uow.alliance.add(who.therapist_id, client.id, today, "repaired", note_id=s.note_id)
                uow.audit.record(who.therapist_id, who.actor, "write", "alliance_entry", marked[s.note_id])
        uow.commit()
    lines = [f"Marked repaired for {client.name}:"] + [f"• {reports.signal_line(s).replace(' — OPEN', '')}" for s in ruptures]
    buttons = tuple((Button(f"Undo ({s.session_date:%d %b})", UndoAllianceEntry(marked[s.note_id])),)
                    for s in ruptures[:MAX_BUTTONS] if s.note_id in marked)
    return Reply("\n".join(lines), buttons=buttons)


def _only_date(rest: str, today: date):
    if not rest.strip():
        return rest, None
    left, day = split_date(rest, today)
    if left:
        raise ScoreProblem("After the name, give only the rupture's session date, e.g. /repaired Maya 2026-11-17.")
    return left, day


async def mark_repaired(ctx: Context, who: Who, action: MarkRepaired) -> Reply:
    today = ctx.today(who.therapist_id)
    with ctx.uow() as uow:
        note = uow.notes.get(who.therapist_id, action.note_id)
        if note is None or note.client_id is None:
            raise NoteNotFound()
        if not any(f.kind == RUPTURE for f in note.alliance):
            return Reply("That note has no rupture to mark.")
        timeline = build_timeline(uow.notes.for_client(who.therapist_id, note.client_id), uow.alliance.for_client(who.therapist_id, note.client_id))
        if not any(s.note_id == action.note_id for s in timeline.open_ruptures()):
            return Reply(f"The rupture of {_day(note.session_date)} is already repaired.")
        entry_id = uow.alliance.add(who.therapist_id, note.client_id, today, "repaired", note_id=action.note_id)
        uow.audit.record(who.therapist_id, who.actor, "write", "alliance_entry", entry_id)
        uow.commit()
    return Reply(f"Marked the rupture of {_day(note.session_date)} repaired.",
                 buttons=((Button("Undo", UndoAllianceEntry(entry_id)),),))


async def undo(ctx: Context, who: Who, action: UndoAllianceEntry) -> Reply:
    with ctx.uow() as uow:
        entry = uow.alliance.get(who.therapist_id, action.entry_id)
        if entry is None or not uow.alliance.delete(who.therapist_id, action.entry_id):
            return Reply("That was already undone.")
        uow.audit.record(who.therapist_id, who.actor, "delete", "alliance_entry", action.entry_id)
        note = uow.notes.get(who.therapist_id, entry.note_id) if entry.note_id else None
        uow.commit()
    if entry.kind == "score" and entry.measure is not None:
        return Reply(f"Removed {entry.measure.name} {entry.measure.score:g} ({_day(entry.session_date)}).")
    return Reply(f"The rupture of {_day(note.session_date)} is open again." if note else "Mark removed.")


# ---- /report and /chart -------------------------------------------------------------------------------
def _load(ctx: Context, who: Who, args: str, read_rest):
    today = ctx.today(who.therapist_id)
    with ctx.uow() as uow:
        client, rest = split_client(uow, who.therapist_id, args, read_rest)
        report = reports.load(uow, who.therapist_id, client, today)
        uow.audit.record(who.therapist_id, who.actor, "read", "client", client.id)
        uow.commit()
    return report, rest


def _nothing_after(rest: str) -> str:
    if rest.strip():
        raise ScoreProblem("Give only the client's name, e.g. /report Maya Thompson.")
    return ""


def chart_document(report, measure: str | None = None) -> tuple[Document, object]:
    chart = render_chart(report.timeline, f"{report.client.name} — scores and alliance", measure=measure)
    return Document(f"{reports.slug(report.client.name)}-chart.png", chart.png, "image/png"), chart


def _measure_name(rest: str) -> str | None:
    rest = rest.strip()
    if len(rest) > 20 or len(rest.split()) > 2:
        raise ScoreProblem("After the client's name, give at most one measure, e.g. /chart Maya Thompson PHQ-9.")
    return rest or None


async def report(ctx: Context, who: Who, args: str) -> Reply:
    if not args.strip():
        return Reply("Whose alliance report? e.g. /report Maya Thompson")
    report_, _ = _load(ctx, who, args, _nothing_after)
    try:
        document, _ = await asyncio.to_thread(chart_document, report_)
    except NothingToChart:
        document = None
    buttons = tuple((Button(f"Mark repaired: rupture {s.session_date:%d %b}", MarkRepaired(s.note_id)),)
                    for s in report_.open_ruptures[:MAX_BUTTONS] if s.note_id is not None)
    return Reply(reports.text(report_), document=document, buttons=buttons)


async def chart(ctx: Context, who: Who, args: str) -> Reply:
    if not args.strip():
        return Reply("Whose scores? e.g. /chart Maya Thompson, or /chart Maya Thompson PHQ-9")
    report_, measure = _load(ctx, who, args, _measure_name)
    try:
        document, drawn = await asyncio.to_thread(chart_document, report_, measure)
    except NothingToChart:
        what = f"no {measure} scores" if measure else "no scores or alliance signals"
        return Reply(f"There are {what} in {report_.client.name}'s notes yet, so there is nothing to chart.")
    parts = ", ".join(drawn.measures) or "no scores"
    return Reply(f"{report_.client.name}: {parts}; {drawn.points} score(s), {drawn.marks} alliance mark(s).", document=document)
