"""Session feedback scores: a score the therapist types after /score, and drops in feedback over time.

A typed score is read with the same parser as a dictated one (core/notes/measures.py), so "SRS 32",
"ORS 24.5", "WAI-SR 48" and "rated the session 7 out of 10 on feeling heard" mean the same everywhere.
A scale the registry doesn't know is taken only with its maximum ("Feeling heard 7/10"), so that every
score has a range it was checked against; an out-of-range or garbled entry is refused, not stored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Sequence

from core.alliance.timeline import ScorePoint
from core.errors import AllianceError
from core.notes.measures import NUMBER, find_measures, spoken_number
from core.notes.scales import is_alliance_measure, scale_named
from core.types import Measure

FEEDBACK_SCALES = ("ORS",)  # outcome feedback, besides the alliance scales (SRS, WAI-SR, session ratings)
_ANY_SCALE = re.compile(
    r"^(?P<name>[A-Za-z][A-Za-z0-9' -]{0,40}?)\s*(?:[:=]|\b(?:was|is|at|of)\b)?\s*(?P<num>" + NUMBER + r")\s*"
    r"(?:/|\bout\s+of\b)\s*(?P<den>" + NUMBER + r")\s*\.?$", re.I)
_UNRANGED = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9' -]{0,40}?)\s*[:=]?\s*(?P<num>\d+(?:\.\d+)?)\s*\.?$")
_WHEN = re.compile(r"\s*(?:\b(?:on|for|dated)\s+)?(?P<when>\d{4}-\d{2}-\d{2}|today|yesterday)\s*\.?$", re.I)


class ScoreProblem(AllianceError):
    """Why a typed score can't be stored; the message is safe to show (it quotes only the score)."""


def is_feedback(name: str) -> bool:
    """Feedback on the therapy or its outcome: SRS, WAI-SR, session ratings, ORS."""
    return is_alliance_measure(name) or name in FEEDBACK_SCALES


def split_date(text: str, today: date) -> tuple[str, date]:
    """ "SRS 32 on 2026-11-24" -> ("SRS 32", that day); today when no date is given."""
    found = _WHEN.search(text)
    if not found:
        return text.strip(), today
    word = found.group("when").lower()
    if word in ("today", "yesterday"):
        day = today - timedelta(days=word == "yesterday")
    else:
        try:
            day = date.fromisoformat(word)
        except ValueError:
            raise ScoreProblem("That date doesn't exist; use YYYY-MM-DD, e.g. 2026-11-24.") from None
    if day > today:
        raise ScoreProblem("That date is in the future; a score is entered for a session that happened.")
    return text[:found.start()].strip(), day


def parse_scores(text: str) -> list[Measure]:
    """The scores typed in `text` ("SRS 32", "ORS 24 and SRS 35", "Feeling heard 7/10"). Raises
    ScoreProblem when there is none, or when a reading is out of its range or garbled."""
    text = " ".join(text.split()).strip(" .")
    if not text:
        raise ScoreProblem("Which score? e.g. /score Maya SRS 32")
    found = find_measures([text])
    if not found:
        generic = _ANY_SCALE.match(text)
        if generic:
            top = spoken_number(generic.group("den")) or 0.0
            value = spoken_number(generic.group("num"))
            name = generic.group("name").strip()
            found = [Measure(name[:1].upper() + name[1:], value if value is not None else float("nan"), text,
                             value is None or top <= 0 or not 0 <= value <= top, text, None, 0.0, top)]
        elif (unranged := _UNRANGED.match(text)) is not None:
            name = unranged.group("name").strip()
            raise ScoreProblem(f"I don't know the range of {name[:40]}; give it with its maximum, "
                               f"e.g. /score Maya {name[:40]} {unranged.group('num')}/40.")
        else:
            raise ScoreProblem("I couldn't read a score there. Try e.g. /score Maya SRS 32, "
                               "or /score Maya she rated the session 7 out of 10 on feeling heard.")
    bad = [m for m in found if m.uncertain]
    if bad:
        m = bad[0]
        span = f" ({m.scale_min:g}–{m.scale_max:g})" if m.scale_min is not None and m.scale_max else ""
        raise ScoreProblem(f"{m.name} \"{m.raw[:40]}\" is not a score I can trust{span}: "
                           "it is outside the scale's range or unclear. Nothing was saved; please type it again.")
    return [Measure(m.name, m.score, text, False, "", m.earlier, m.scale_min, m.scale_max) for m in found]


@dataclass(frozen=True)
class ScoreDrop:
    name: str
    before: ScorePoint
    after: ScorePoint

    @property
    def change(self) -> float:
        return float(self.after.value) - float(self.before.value)


def feedback_drops(points: Sequence[ScorePoint]) -> list[ScoreDrop]:
    """Feedback scales whose latest clean score is lower than the one before it, newest first. An
    uncertain reading is never compared; the same score in a note and entered for the same day counts once."""
    series: dict[str, list[ScorePoint]] = {}
    for p in sorted(points, key=lambda p: p.session_date):
        # a scale the therapist named themselves ("Feeling heard 7/10") is their session feedback
        if p.value is None or not (is_feedback(p.name) or p.source == "entered" and scale_named(p.name) is None):
            continue
        same = series.setdefault(p.name, [])
        if same and same[-1].session_date == p.session_date and same[-1].value == p.value:
            continue
        same.append(p)
    drops = [ScoreDrop(name, s[-2], s[-1]) for name, s in series.items() if len(s) > 1 and s[-1].value < s[-2].value]
    return sorted(drops, key=lambda d: (d.after.session_date, d.name), reverse=True)
