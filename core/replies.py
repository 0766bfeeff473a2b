"""Platform-neutral replies: which buttons go with a note, and plain-text forms of notes and digests
(the console prints these; the bots render the structured parts their own way)."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from core.language.client_match import ClientRecord, resolve_client
from core.notes.safety import RISK_LABELS
from core.ports import UnitOfWork
from core.types import (
    NOTE_FORMATS,
    AcceptSuggestion,
    AskDeleteNote,
    AskSignNote,
    Button,
    ChooseClient,
    CopyNote,
    Digest,
    DigestItem,
    EditNote,
    NewClient,
    NoteDraft,
    PickClient,
    Reformat,
    Reply,
    RetryWithModel,
    ShowTranscript,
)
from core.records import MemoRecord
from core.roster import clean_name, name_problem

NOT_DISCUSSED = "Not discussed"
MAX_CANDIDATES = 6


def note_buttons(note: NoteDraft, candidates: Sequence[ClientRecord] = (), suggestion: str | None = None
                 ) -> tuple[tuple[Button, ...], ...]:
    rows: list[tuple[Button, ...]] = []
    if note.needs_client:
        rows.extend((Button(f"This is {c.name}", PickClient(note.note_id, c.id)),) for c in candidates[:MAX_CANDIDATES])
        if suggestion:
            rows.append((Button(f"New client: {suggestion}", AcceptSuggestion(note.note_id)),))
        rows.append((Button("New client…", NewClient(note.note_id)), Button("Other client…", ChooseClient(note.note_id))))
    else:
        rows.append((Button("Change client", ChooseClient(note.note_id)),))
    rows.append(tools_row(note))
    rows.append(tuple(Button(f, Reformat(note.note_id, f)) for f in NOTE_FORMATS if f != note.format))
    if note.writer == "offline-fallback":
        rows.append((Button("Try the model again", RetryWithModel(note.note_id)),))
    rows.append((Button("Delete", AskDeleteNote(note.note_id)),))
    return tuple(rows)


def tools_row(note: NoteDraft) -> tuple[Button, ...]:
    """What every stored note offers later too: edit (an addendum once signed), its transcript, a copy for
    the EHR, and signing (core/notebook)."""
    row = [Button("Addendum…" if note.signed else "Edit…", EditNote(note.note_id)),
           Button("Transcript", ShowTranscript(note.note_id)), Button("Copy", CopyNote(note.note_id))]
    if not note.needs_client and not note.signed:
        row.append(Button("Sign", AskSignNote(note.note_id)))
    return tuple(row)


def client_picker(note_id: int, clients: Sequence[ClientRecord]) -> tuple[tuple[Button, ...], ...]:
    rows = [(Button(c.name, PickClient(note_id, c.id)),) for c in clients]
    rows.append((Button("New client…", NewClient(note_id)),))
    return tuple(rows)


def note_reply(note: NoteDraft, candidates: Sequence[ClientRecord] = (), *, memo_id: int | None = None,
               suggestion: str | None = None) -> Reply:
    if note.needs_client:
        heading = "Which client is this note for? I kept it as a draft until you choose"
        heading += f" — is it {suggestion}?" if suggestion else " (or reply with the name)."
    else:
        heading = f"Note for {note.client_name}, {note.session_date:%a %d %b %Y} ({note.format})"
    return Reply(text=heading, note=note, buttons=note_buttons(note, candidates, suggestion), memo_id=memo_id)


def present_note(uow: UnitOfWork, therapist_id: int, note_id: int, *, memo: MemoRecord | None = None) -> Reply | None:
    """A stored note as a reply, with whom it might be about when it is a draft. None when it is gone."""
    note = uow.notes.get(therapist_id, note_id)
    if note is None:
        return None
    memo_id = memo.id if memo else uow.notes.memo_id(therapist_id, note_id)
    if memo is None and memo_id:
        memo = uow.memos.get(therapist_id, memo_id)
    menu = tuple(b for row in client_picker(note_id, uow.clients.list(therapist_id)) for b in row)
    if not note.needs_client:
        return replace(note_reply(note, memo_id=memo_id), client_menu=menu)
    candidates, suggestion = draft_candidates(uow, therapist_id, memo)
    return replace(note_reply(note, candidates, memo_id=memo_id, suggestion=suggestion), client_menu=menu)


def draft_candidates(uow: UnitOfWork, therapist_id: int, memo: MemoRecord | None) -> tuple[list[ClientRecord], str | None]:
    """Clients a draft may be about (the /client choice first, then those the memo names), and the name
    of a new client the memo seems to name, for a one-tap choice."""
    clients = uow.clients.list(therapist_id)
    resolution = resolve_client(memo.transcript or "" if memo else "", clients, hint=memo.client_hint if memo else None)
    found = list(resolution.candidates) or ([resolution.client] if resolution.client else [])
    preset = [c for c in clients if memo is not None and c.id == memo.client_id]
    candidates = list({c.id: c for c in preset + found}.values()) or clients[:MAX_CANDIDATES]
    suggestion = suggested_name(resolution.new_name, clients)
    return candidates, suggestion


def suggested_name(name: str | None, clients: Sequence[ClientRecord]) -> str | None:
    if not name:
        return None
    name = clean_name(name)
    if name_problem(name) or any(c.name.casefold() == name.casefold() for c in clients):
        return None
    return name


def note_lists(note: NoteDraft) -> list[tuple[str, tuple[str, ...]]]:
    """The note's lists under their headings, for every channel. A plan item already written out in a
    section, or already listed as homework or a follow-up, is not repeated under a second heading."""
    def plain(text: str) -> str:
        return " ".join(re.sub(r"\W+", " ", text.lower()).split())

    written = plain(" ".join(text for _, text in note.sections))
    listed = {plain(item) for item in (*note.homework, *note.follow_ups)}
    plan = tuple(item for item in note.plan if plain(item) not in written and plain(item) not in listed)
    plan_title = "Next steps" if any(name.lower() == "plan" for name, _ in note.sections) else "Plan"
    lists = (("Homework", note.homework), (plan_title, plan), ("Follow up next time", note.follow_ups))
    return [(title, items) for title, items in lists if items]


def note_text(note: NoteDraft) -> str:
    """A plain-text note, for the console and exports."""
    client = note.client_name or "(client not chosen yet)"
    lines = [f"{client} — {note.session_date.isoformat()} — {note.format}" + (" (offline writer)" if note.writer == "offline-fallback" else "")]
    if note.summary:
        lines.append(f"Summary: {note.summary}")
    for name, text in note.sections:
        lines.append(f"\n{name}:\n{text or NOT_DISCUSSED}")
    for title, items in note_lists(note):
        lines.append(f"\n{title}:")
        lines.extend(f"- {item}" for item in items)
    if note.measures:
        lines.append("\nMeasures: " + measures_text(note.measures))
    risks, screenings = split_risks(note.risks)
    if risks:
        lines.append("\nRisk:")
        lines.extend(f"- {flag_label(f)}: \"{f.evidence}\"" for f in risks)
    if screenings:
        lines.append("\nScreened, denied:")
        lines.extend(f"- {flag_label(f)}: \"{f.evidence}\"" for f in screenings)
    if note.alliance:
        lines.append("\nAlliance:")
        lines.extend(f"- {flag_label(f)}: \"{f.evidence}\"" for f in note.alliance)
    if note.signed_at:
        lines.append("\n" + signature_line(note))
    for addendum in note.addenda:
        lines.append(f"\n{addendum_heading(addendum)}:\n{addendum.text}")
    return "\n".join(lines)


def signature_line(note: NoteDraft) -> str:
    """ "Signed Wed 25 Nov 2026 10:02": the time as the note carries it (the therapist's zone when shown)."""
    return f"Signed {note.signed_at:%a %d %b %Y %H:%M}" if note.signed_at else ""


def addendum_heading(addendum) -> str:
    return f"Addendum {addendum.at:%a %d %b %Y %H:%M}"


def flag_label(flag) -> str:
    label = RISK_LABELS.get(flag.kind, flag.kind.replace("_", " "))
    if flag.status != "present":
        label += f" ({flag.status})"
    if flag.qualifiers:
        label += " — " + ", ".join(flag.qualifiers)
    return label


def split_risks(flags) -> tuple[list, list]:
    """(risks to show as warnings, denials to show as screening results): a denial is not a warning."""
    return [f for f in flags if f.status != "denied"], [f for f in flags if f.status == "denied"]


def measures_text(measures) -> str:
    """ "PHQ-9 14, GAD-7 "GAD 7-1-11" (unclear)": an uncertain reading is never shown as a number."""
    return ", ".join(m.display for m in measures)


def digest_text(digest: Digest) -> str:
    if digest.empty:
        return f"No sessions on {digest.day:%a %d %b}."
    lines = [f"Prep for {digest.day:%A %d %B}: {len(digest.items)} session(s)"]
    for item in digest.items:
        lines.append("")
        lines.extend(item_lines(item))
    return "\n".join(lines)


def item_lines(item: DigestItem, *, short: bool = False) -> list[str]:
    lines = [f"{item.starts_at:%H:%M} {item.client_name}"]
    if item.first_session:
        lines.append("  First session — no notes yet.")
        return lines
    lines.append(f"  Last session {item.last_session:%a %d %b}: {item.summary}")
    if not short:
        lines.extend(f"  • {h}" for h in item.highlights if h != item.summary)
    lines.extend(f"  Homework to check: {h}" for h in item.homework)
    if not short:
        lines.extend(f"  Follow up: {f}" for f in item.follow_ups)
        lines.extend(f"  Addendum to {day:%a %d %b}: {text}" for day, text in item.addenda)
    dates = item.risk_dates or (item.last_session,) * len(item.risks)
    when = {id(f): "" if day == item.last_session else f" ({day:%a %d %b})" for f, day in zip(item.risks, dates)}
    risks, screenings = split_risks(item.risks)
    lines.extend(f"  ⚠ Risk{when[id(f)]} — {flag_label(f)}: \"{f.evidence}\"" for f in risks)
    lines.extend(f"  Screened{when[id(f)]} — {flag_label(f)}: \"{f.evidence}\"" for f in screenings)
    if not short:
        lines.extend(alliance_lines(item))
    return lines


def alliance_lines(item: DigestItem, *, short: bool = False) -> list[str]:
    """Open ruptures (however old), feedback drops and quiet goals, each quoting its note; then the
    other recent signals. A rupture is shown only while open: a repaired one is history (see /report)."""
    lines: list[str] = []
    for a in item.alliance_items:
        when = f"last session ({a.session_date:%a %d %b})" if a.session_date == item.last_session else f"{a.session_date:%a %d %b}"
        quote = f": \"{a.quote}\"" if a.quote else ""
        if a.kind == "rupture":
            lines.append(f"  Alliance — {when}: rupture, {a.detail}{quote}")
            if a.suggestion:
                lines.append(f"    {a.suggestion}")
        elif a.kind == "score_drop":
            lines.append(f"  Alliance — feedback dropped: {a.detail}{quote}")
        elif a.kind == "quiet_goal" and not short:
            lines.append(f"  Goal not discussed lately — {a.detail}{quote}")
    if not short:
        quoted = {a.quote for a in item.alliance_items}
        lines.extend(f"  Alliance — {flag_label(f)}: \"{f.evidence}\"" for f in item.alliance
                     if f.kind != "rupture" and f.evidence not in quoted)
    return lines


def reminder_text(item: DigestItem, minutes: int) -> str:
    head = f"In {minutes} min: {item.client_name} at {item.starts_at:%H:%M}."
    return "\n".join([head, *item_lines(item, short=True)[1:4], *alliance_lines(item, short=True)[:4]])
