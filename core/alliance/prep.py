"""The alliance part of a client's prep (digest and reminder): open ruptures, however many sessions back,
a drop in session feedback (SRS, ORS, WAI-SR, session ratings) and goals not discussed for a while.
Each item quotes a note verbatim or is only dates, kinds and numbers; the one suggestion is a general
practice from core/alliance/checkins.py, labelled as such."""
from __future__ import annotations

from datetime import date
from typing import Sequence

from core.alliance.checkins import for_rupture
from core.alliance.goals import quiet_goals
from core.alliance.scores import feedback_drops
from core.alliance.timeline import build_timeline
from core.records import AllianceEntry
from core.types import AllianceItem, NoteDraft

MAX_RUPTURES = 3


def _day(d: date) -> str:
    return f"{d:%a %d %b}"


def _score(value: float) -> str:
    return f"{value:g}"


def prep_items(notes: Sequence[NoteDraft], entries: Sequence[AllianceEntry], day: date) -> tuple[AllianceItem, ...]:
    """`notes`: the client's notes before `day` (oldest first); `entries`: what the therapist entered."""
    entries = [e for e in entries if e.kind != "score" or e.session_date < day]
    timeline = build_timeline(notes, entries)
    last = notes[-1].session_date if notes else None
    items: list[AllianceItem] = []
    for i, rupture in enumerate(timeline.open_ruptures()[:MAX_RUPTURES]):
        detail = f"partly repaired {_day(rupture.partly_on)} — open" if rupture.partly_on else "open"
        practice = for_rupture(rupture.session_date == last, rupture.partly_on is not None) if i == 0 else None
        items.append(AllianceItem("rupture", rupture.session_date, rupture.evidence, detail,
                                  practice.line() if practice else "", rupture.note_id))
    for drop in feedback_drops(timeline.scores):
        before, after = drop.before, drop.after
        detail = (f"{drop.name} {_score(before.value)} ({_day(before.session_date)}) → "
                  f"{_score(after.value)} ({_day(after.session_date)}{', entered by you' if after.source == 'entered' else ''})")
        quote = after.measure.evidence if after.source == "note" else ""
        items.append(AllianceItem("score_drop", after.session_date, quote, detail, note_id=after.note_id))
    for goal in quiet_goals(notes, day):
        detail = f"stated {_day(goal.stated_on)}, not discussed since {_day(goal.last_discussed)} ({goal.sessions_since} sessions)"
        items.append(AllianceItem("quiet_goal", goal.stated_on, goal.sentence, detail, note_id=goal.note_id))
    return tuple(items)
