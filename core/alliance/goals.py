"""Goals that have not been discussed for a while: a sentence of a note that states a goal, whose words
no later note takes up again for several sessions and weeks. The goal is quoted as the note wrote it;
a sentence that is not found verbatim in its note is never quoted."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from typing import Sequence

from core.types import NoteDraft

QUIET_SESSIONS = 3  # later sessions without the goal's words...
QUIET_DAYS = 21  # ...and at least this long since it was last discussed
MAX_GOALS = 2
_GOAL = re.compile(r"\b(?:goals?|working\s+towards?|aims?\s+to|treatment\s+target)\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")  # a written note's sentences: no dictation to tidy
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NO_GOAL = re.compile(r"\bno\s+(?:new\s+)?goals?\b|\bgoals?\s+(?:were|was)\s+not\b", re.I)
_STOP = frozenset("""
goal goals aim aims working towards toward treatment target that this with from into about have been will would
could should their there they them then than what when which while your yours ours hers his her him she he
session sessions client today week weeks again more less much very also just still only some want wants wanted
like able agreed agree main long term short next time said says feel feels felt make made keep back work""".split())


@dataclass(frozen=True)
class QuietGoal:
    sentence: str  # verbatim from the note
    stated_on: date
    note_id: int | None
    last_discussed: date
    sessions_since: int


@lru_cache(maxsize=65536)  # a caseload's vocabulary is small; the digest stems each word once
def _key(word: str) -> str:
    word = word.strip("'")
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def keys(text: str) -> frozenset[str]:
    return frozenset(_key(w) for w in set(_WORD.findall(text.lower())) if len(w) > 3 and w not in _STOP)


def note_text(note: NoteDraft) -> str:
    parts = [text for _, text in note.sections] + [note.summary, *note.key_points, *note.plan, *note.homework, *note.follow_ups]
    return " ".join(p for p in parts if p)


def goal_sentences(note: NoteDraft) -> list[str]:
    """Sentences of the note's sections that state a goal, verbatim (cut from the section's own text)."""
    out = []
    for _, text in note.sections:
        if not _GOAL.search(text):  # most sections: one cheap search, no splitting
            continue
        for sentence in _SENTENCE_END.split(" ".join(text.split())):
            if _GOAL.search(sentence) and not _NO_GOAL.search(sentence) and len(keys(sentence)) >= 2:
                out.append(sentence)
    return out


def _discussed(goal: frozenset[str], text: frozenset[str]) -> bool:
    shared = len(goal & text)
    return shared >= 2 and shared * 2 >= len(goal)


def quiet_goals(notes: Sequence[NoteDraft], day: date) -> list[QuietGoal]:
    """Goals stated in these notes (oldest first) and not taken up since, as of `day`; newest first."""
    ordered = sorted(notes, key=lambda n: (n.session_date, n.note_id or 0))
    stated = [goal_sentences(n) for n in ordered]
    if not any(stated):
        return []
    texts = [keys(note_text(n)) for n in ordered]
    goals: list[list] = []  # [sentence, keys, stated note index, last discussed index]
    for i, sentences in enumerate(stated):
        for sentence in sentences:
            k = keys(sentence)
            same = next((g for g in goals if _discussed(g[1], k) or _discussed(k, g[1])), None)
            if same is None:
                goals.append([sentence, k, i, i])
        for g in goals:
            if g[3] < i and _discussed(g[1], texts[i]):
                g[3] = i
    out = []
    for sentence, _, first, last in goals:
        since = len(ordered) - 1 - last
        last_day = ordered[last].session_date
        if since >= QUIET_SESSIONS and (day - last_day).days >= QUIET_DAYS:
            out.append(QuietGoal(sentence, ordered[first].session_date, ordered[first].note_id, last_day, since))
    out.sort(key=lambda g: g.stated_on, reverse=True)
    return out[:MAX_GOALS]
