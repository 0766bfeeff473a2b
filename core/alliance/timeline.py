"""A client's alliance over time, from their notes and what the therapist entered.

Every rupture, repair, ambivalence and resistance signal keeps its session date and evidence sentence.
A rupture stays open until something closes it: a repair signal in the same note (after it) or in a
later one, or the therapist marking that note's ruptures repaired. A repair worded as partial ("partly
repaired", "began to talk it through") leaves the rupture open, noted as partly repaired. A repair
closes every rupture still open before it: notes seldom say which tension they mend, and a later
rupture needs its own repair. Scores come from notes' measures and from scores the therapist entered,
each with its evidence and range; an uncertain reading is kept and never used as a number.

Pure: notes and entries in, a Timeline out; nothing is added that a note or an entry doesn't hold."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Sequence

from core.records import AllianceEntry
from core.types import Measure, NoteDraft

OPEN, REPAIRED, NOTED = "open", "repaired", "noted"
RUPTURE, REPAIR = "rupture", "repair"
_PARTIAL = re.compile(
    r"\b(?:partly|partially|part[\s-]way|somewhat|in\s+part|some\s+repair|a\s+little|began\s+to|begun\s+to|started\s+to|"
    r"beginning\s+to|starting\s+to|not\s+(?:fully|completely|entirely)|tentative\w*)\b", re.I)


@dataclass(frozen=True)
class Signal:
    session_date: date
    kind: str  # rupture | repair | ambivalence | resistance
    evidence: str  # the note's sentence
    note_id: int | None = None
    status: str = NOTED  # a rupture: open | repaired; a repair: repaired; the others: noted
    repaired_on: date | None = None
    repaired_by: str = ""  # "note" (a repair signal) | "therapist" (marked)
    repair_evidence: str = ""  # the repair's sentence; "" when the therapist marked it
    partly_on: date | None = None  # a partial repair; the rupture is still open
    partly_evidence: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"date": self.session_date.isoformat(), "kind": self.kind, "evidence": self.evidence,
                               "status": self.status, "note_id": self.note_id}
        if self.repaired_on:
            out |= {"repaired_on": self.repaired_on.isoformat(), "repaired_by": self.repaired_by,
                    "repair_evidence": self.repair_evidence}
        if self.partly_on:
            out |= {"partly_repaired_on": self.partly_on.isoformat(), "partly_repaired_evidence": self.partly_evidence}
        return out


@dataclass(frozen=True)
class ScorePoint:
    session_date: date
    measure: Measure
    source: str  # "note" | "entered"
    note_id: int | None = None
    entry_id: int | None = None

    @property
    def name(self) -> str:
        return self.measure.name

    @property
    def value(self) -> float | None:
        return self.measure.value

    def to_json(self) -> dict[str, Any]:
        m = self.measure
        out: dict[str, Any] = {"date": self.session_date.isoformat(), "scale": m.name, "value": m.value,
                               "uncertain": m.uncertain, "evidence": m.evidence, "source": self.source}
        if m.scale_min is not None and m.scale_max is not None:
            out["range"] = [m.scale_min, m.scale_max]
        if m.uncertain:
            out["raw"] = m.raw
        return out


@dataclass(frozen=True)
class Timeline:
    signals: tuple[Signal, ...] = ()
    scores: tuple[ScorePoint, ...] = ()
    sessions: tuple[date, ...] = ()  # dates of the notes read

    def open_ruptures(self) -> list[Signal]:
        """Ruptures not repaired, newest first."""
        return sorted((s for s in self.signals if s.kind == RUPTURE and s.status == OPEN),
                      key=lambda s: s.session_date, reverse=True)

    def to_json(self) -> dict[str, Any]:
        return {"timeline": [s.to_json() for s in self.signals], "scores": [p.to_json() for p in self.scores],
                "sessions": [d.isoformat() for d in self.sessions]}


def is_partial(evidence: str) -> bool:
    return bool(_PARTIAL.search(evidence))


def build_timeline(notes: Sequence[NoteDraft], entries: Sequence[AllianceEntry] = ()) -> Timeline:
    """The timeline of one client's final notes (any order) and entries."""
    ordered = sorted(notes, key=lambda n: (n.session_date, n.note_id or 0))
    signals: list[Signal] = []
    open_: list[int] = []  # indexes into signals of ruptures not repaired yet
    for note in ordered:
        for flag in note.alliance:
            if flag.status not in ("present", ""):
                continue
            if flag.kind == RUPTURE:
                open_.append(len(signals))
                signals.append(Signal(note.session_date, RUPTURE, flag.evidence, note.note_id, OPEN))
            elif flag.kind == REPAIR:
                signals.append(Signal(note.session_date, REPAIR, flag.evidence, note.note_id, REPAIRED))
                partial = is_partial(flag.evidence)
                for i in open_:
                    signals[i] = (replace(signals[i], partly_on=note.session_date, partly_evidence=flag.evidence) if partial
                                  else replace(signals[i], status=REPAIRED, repaired_on=note.session_date,
                                               repaired_by="note", repair_evidence=flag.evidence))
                open_ = open_ if partial else []
            else:
                signals.append(Signal(note.session_date, flag.kind, flag.evidence, note.note_id))
    marks = {e.note_id: e for e in entries if e.kind == "repaired" and e.note_id is not None}
    for i in open_:
        mark = marks.get(signals[i].note_id)
        if mark is not None:
            signals[i] = replace(signals[i], status=REPAIRED, repaired_on=mark.session_date, repaired_by="therapist")
    return Timeline(tuple(signals), tuple(score_points(ordered, entries)), tuple(dict.fromkeys(n.session_date for n in ordered)))


def score_points(notes: Sequence[NoteDraft], entries: Sequence[AllianceEntry] = ()) -> list[ScorePoint]:
    """Every score, oldest first: the notes' measures and the scores the therapist entered."""
    points = [ScorePoint(n.session_date, m, "note", note_id=n.note_id) for n in notes for m in n.measures]
    points += [ScorePoint(e.session_date, e.measure, "entered", entry_id=e.id)
               for e in entries if e.kind == "score" and e.measure is not None]
    return sorted(points, key=lambda p: (p.session_date, p.source != "note"))
