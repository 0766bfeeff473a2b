"""The question set: invented caseloads (one therapist each) and questions with their expected answers,
loaded as plain values, and the scoring of an answer: right, wrong or refused, with the reasons.

Data: tests/core/questions/<caseload>.json (clients, notes, calendar) and questions.json. Used by
tests/core/test_caseload_questions.py and bench/bench_questions.py; the lead's service runs the same set
over SQLite and PostgreSQL.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from core.language.client_match import ClientRecord
from core.memory.caseload import UNASSIGNED, InMemoryCaseload, Session
from core.types import Answer, Flag, Measure, NoteDraft

HERE = Path(__file__).resolve().parent
CASELOADS = ("ana", "ben", "chloe", "dana")


@dataclass(frozen=True)
class ScoredMeasure(Measure):
    """Measure with the fields the note writer is adding (defaults keep older notes valid)."""

    uncertain: bool = False
    raw: str = ""
    earlier: float | None = None


@dataclass
class Loaded:
    name: str
    today: date
    clients: list[ClientRecord]
    notes: dict[int, list[NoteDraft]]
    sessions: list[Session]

    def caseload(self) -> InMemoryCaseload:
        return InMemoryCaseload(self.clients, self.notes, self.sessions)

    def texts(self) -> set[str]:
        return {t for notes in self.notes.values() for n in notes for t in note_texts(n)}


def _note(raw: dict, client: ClientRecord) -> NoteDraft:
    sections = [("Subjective", raw["text"]), ("Assessment", raw.get("assessment", "Not discussed")),
                ("Plan", " ".join(raw.get("plan", ())) or "Not discussed")]
    return NoteDraft(
        client_name=client.name, client_id=client.id, note_id=raw["id"], session_date=date.fromisoformat(raw["date"]),
        format="SOAP", sections=tuple(sections), summary=raw["summary"], key_points=tuple(raw.get("key_points", ())),
        homework=tuple(raw.get("homework", ())), plan=tuple(raw.get("plan", ())), follow_ups=tuple(raw.get("follow_ups", ())),
        measures=tuple(ScoredMeasure(m[0], m[1], m[2], **(m[3] if len(m) > 3 else {})) for m in raw.get("measures", ())),
        risks=tuple(Flag(f[0], f[1], f[2] if len(f) > 2 else "present", tuple(f[3]) if len(f) > 3 else ())
                    for f in raw.get("risks", ())),
        alliance=tuple(Flag(f[0], f[1]) for f in raw.get("alliance", ())),
    )


def load(name: str) -> Loaded:
    data = json.loads((HERE / f"{name}.json").read_text())
    clients = [ClientRecord(c["id"], c["name"], tuple(c.get("aliases", ()))) for c in data["clients"]]
    by_id = {c.id: c for c in clients}
    notes: dict[int, list[NoteDraft]] = {c.id: [] for c in clients}
    for raw in data["notes"]:
        notes[raw["client"]].append(_note(raw, by_id[raw["client"]]))
    tz = ZoneInfo(data["timezone"])
    sessions = [Session(cid, by_id[cid].name if cid is not None else UNASSIGNED,
                        datetime.fromisoformat(at).replace(tzinfo=tz)) for cid, at in data["sessions"]]
    return Loaded(name, date.fromisoformat(data["today"]), clients, notes, sessions)


def questions(name: str = "questions") -> list[dict]:
    """"questions" (the set the code was developed with) or "heldout" (written after it, for a check)."""
    return json.loads((HERE / f"{name}.json").read_text())


def note_texts(note: NoteDraft) -> set[str]:
    out = {note.summary, *note.key_points, *note.homework, *note.plan, *note.follow_ups}
    out.update(text for _, text in note.sections)
    out.update(f.evidence for f in (*note.risks, *note.alliance))
    out.update(m.evidence for m in note.measures if m.evidence)
    return {t for t in out if t}


# ---- scoring --------------------------------------------------------------------------------------
_DATED = re.compile(r"^(\d{4}-\d{2}-\d{2})(?: \([^)]*\))?: (.*)$")
_NUMBERS = re.compile(r"^(?:[\d.]+|uncertain) \(\d{4}-\d{2}-\d{2}\)")
_FRAMED = re.compile(r"^(?:to follow up|homework|last session|reported not done [\d-]+|open risk \([^)]*\)|\d\d:\d\d [^:]*)$")


def copied_parts(answer: Answer) -> list[str]:
    """The parts of an answer's bullet lines that must be copied from notes (framing removed)."""
    out = []
    for line in answer.text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("- "):
            continue
        body = stripped[2:]
        m = _DATED.match(body)
        if m:
            body = m.group(2)
        elif ": " in body:
            head, tail = body.split(": ", 1)
            if " — " in head or _FRAMED.match(head) or re.match(r"^[A-Z][\w-]*(?: [\w-]+)?$", head):
                body = tail
        elif " — " in body or re.match(r"^\d\d:\d\d ", body):
            continue  # a client, a time, a date, a count
        if not _NUMBERS.match(body):
            out.append(body)
    return out


def score(item: dict, answer: Answer, loaded: Loaded, others: set[str]) -> tuple[str, list[str]]:
    """("right" | "wrong" | "refused", reasons) for one answer; `others` is every other caseload's note text."""
    why: list[str] = []
    cited = {c.client_name for c in answer.citations}
    ids = {(n.client_name, n.note_id) for notes in loaded.notes.values() for n in notes}
    if any((c.client_name, c.note_id) not in ids for c in answer.citations):
        why.append("LEAK: cites a note outside this caseload")
    if any(len(t) > 25 and t in answer.text for t in others):
        why.append("LEAK: quotes another therapist's note")
    cited_text = {t for notes in loaded.notes.values() for n in notes for t in note_texts(n)
                  if (n.client_name, n.note_id) in {(c.client_name, c.note_id) for c in answer.citations}}
    for part in copied_parts(answer) if answer.found else ():
        if not any(part in t for t in cited_text):
            why.append(f"ungrounded line: {part[:60]!r}")
    if item["found"] and not answer.found:
        return "refused", why + ["expected an answer"]
    if not item["found"] and answer.found:
        why.append("expected no answer")
    if "clients" in item and cited != set(item["clients"]):
        why.append(f"cited {sorted(cited)}, expected {sorted(item['clients'])}")
    dates = {c.session_date.isoformat() for c in answer.citations}
    why += [f"date {d} not cited" for d in item.get("dates", ()) if d not in dates]
    why += [f"missing {p!r}" for p in item.get("has", ()) if p not in answer.text]
    why += [f"should not say {p!r}" for p in item.get("lacks", ()) if p in answer.text]
    return ("wrong" if why else "right"), why
