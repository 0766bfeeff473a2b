"""Scores said in a memo: "PHQ-9 was 17", "scored fourteen on the GAD 7", "GAD-7 11, down from 15",
"mood 4/10", "rated the session 7 out of 10 on feeling heard".

A reading that cannot be trusted — out of the scale's range, or garbled by transcription ("GAD 7-1-11",
two numbers in a row) — is kept with its words and `uncertain=True`, never as a clean number: a wrong
score in a trend is worse than a missing one.
"""
from __future__ import annotations

import re
from typing import Iterable

from core.notes.scales import PATTERNS, RATED_THINGS, SESSION_RATING, Scale
from core.types import Measure

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_NOT_A_SCORE = r"(?!\d|\.\d|\s*%|:\d|/\d+/|\s*(?:weeks?|days?|months?|years?|minutes?|mins?|hours?|hrs?|sessions?|times?|am|pm|mg|kg|lbs?|x)\b)"
NUMBER = (
    r"(?:\d+(?:\.\d+)?" + _NOT_A_SCORE +
    r"|(?:a|one)\s+hundred\b|(?:" + "|".join(_TENS) + r")(?:[\s-](?:" + "|".join(list(_UNITS)[1:10]) + r"))?\b"
    r"|(?:" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")\b)"
)
_CONNECTOR = (
    r"(?:scores?|scored|total(?:led)?|was|is|were|of|at|came|back|in|as|=|:|-|–|went|has|have|had|gone|dropped|"
    r"fell|rose|increased|decreased|improved|worsened|down|up|today|this\s+week|now|remains?|remained|still|"
    r"around|about|approximately|roughly|a|an|,|questionnaire|screen|screener|screening|scale|rating|level|"
    r"(?:she|he|they|the\s+client|the\s+patient)\s+(?:scored|got|rated))"
)
_READING = re.compile(
    r"^\s*(?:" + _CONNECTOR + r"\s*){0,6}?"
    r"(?:(?:from\s+)?(?P<old>" + NUMBER + r")\s+(?:(?:last\s+(?:session|week|month|time)|at\s+intake|(?:\w+\s+){1,2}ago)\s+)?"
    r"(?:down\s+|up\s+)?to\s+(?P<new>" + NUMBER + r")|(?P<num>" + NUMBER + r"))"
    r"(?:\s*(?:/|out\s+of)\s*(?P<den>" + NUMBER + r"))?",
    re.I,
)
_EARLIER = re.compile(
    r"^[\s,;(]*(?:(?:it\s+|which\s+is\s+|that's\s+)?(?:was\s+)?(?:down|up|dropped|fell|decreased|increased|rose|improved|"
    r"worsened|declined|climbed|going\s+down|going\s+up)\s+from|\(\s*(?:was|previously|prev\.?|from|last\s+time)|"
    r"(?:previously|last\s+time|compared\s+(?:to|with)|vs\.?|versus|from)(?=\s))\s*(?:a\s+)?(?P<earlier>" + NUMBER + r")",
    re.I,
)
_BEFORE = re.compile(
    r"(?:scored|scores|score\s+of|scoring|got|had|was|a)\s+(?:an?\s+)?(?P<num>" + NUMBER + r")\s+(?:points?\s+)?"
    r"(?:on|in|for)\s+(?:the|her|his|their|today's|this\s+week's)?\s*$",
    re.I,
)
# A reading said as the past, then the present: "was 41 last month and is 35 now", "14 two weeks ago; today
# 10", "previously 16, now 11". The present one is this session's; the past one is its `earlier`.
_WHEN_PAST = (r"(?:last\s+(?:session|week|month|time|visit)|at\s+intake|at\s+baseline|(?:\w+\s+){1,2}ago"
              r"|in\s+(?:january|february|march|april|may|june|july|august|september|october|november|december"
              r"|the\s+spring|the\s+summer|the\s+autumn|the\s+fall|the\s+winter))")
_PAST_THEN_NOW = re.compile(
    r"^\s*(?:(?:was|were|had\s+been)\s+)?(?:(?P<prev>previously|initially|at\s+intake|at\s+baseline)\s+)?(?P<old>" + NUMBER + r")"
    r"(?:\s+(?P<when>" + _WHEN_PAST + r"))?\s*[,;]?\s*(?:and\s+|but\s+)?(?:it\s+)?(?:(?:is|'s)\s+)?"
    r"(?P<now>now|today|this\s+week|currently)?\s*(?:(?:is|at)\s+)?(?P<new>" + NUMBER + r")"
    r"(?:\s+(?P<now2>now|today|this\s+week|currently))?",
    re.I,
)
# Only the past: "PHQ-9 was 18 in October" is not this session's score.
_PAST_ONLY = re.compile(
    r"^\s*(?:(?:was|were|had\s+been)\s+)?(?:previously\s+)?" + NUMBER + r"\s+" + _WHEN_PAST + r"\b(?![^.;]*\b(?:now|today)\b)", re.I)
_GARBLED = re.compile(r"^(?:-\d+(?:\s*-\s*\d+)*|\d[\d-]*)")  # "GAD 7-1-11", "PHQ9-17"
_SECOND_NUMBER = re.compile(r"^\s*-?\s*\d")  # "GAD 7 1 11": two readings run together
_THINGS = "|".join(RATED_THINGS)
_SELF_RATINGS = tuple(re.compile(p, re.I) for p in (
    rf"\b(?P<thing>{_THINGS})\b\s*(?:(?:was|is|at|of|rated(?:\s+as)?|about|around|today|this\s+week|:|=|-)\s*){{0,3}}"
    rf"(?:a\s+)?(?P<num>{NUMBER})\s*(?:/|out\s+of)\s*(?P<den>{NUMBER})",
    rf"\brat(?:ed|es|ing)\s+(?:(?:her|his|their|my|the)\s+)?(?P<thing>{_THINGS})\s+(?:as\s+|at\s+)?(?:an?\s+)?"
    rf"(?P<num>{NUMBER})\s*(?:/|out\s+of)\s*(?P<den>{NUMBER})",
))
_SESSION_RATINGS = tuple(re.compile(p, re.I) for p in (
    rf"\b(?:rat(?:ed|es|ing)|scored)\s+(?:the|today's|this|our|last|this\s+week's)\s+(?:session|meeting|appointment)\s+"
    rf"(?:as\s+|at\s+)?(?:an?\s+)?(?P<num>{NUMBER})\s*(?:/|out\s+of)\s*(?P<den>{NUMBER})"
    r"(?:\s+(?:on|for)\s+(?P<aspect>[a-z' -]{3,40}?))?(?=\s*(?:[.,;!)]|$|\band\b|\bbut\b))",
    rf"\bgave\s+(?:the|today's|this|our)\s+session\s+(?:an?\s+)?(?P<num>{NUMBER})\s*(?:/|out\s+of)\s*(?P<den>{NUMBER})"
    r"(?:\s+(?:on|for)\s+(?P<aspect>[a-z' -]{3,40}?))?(?=\s*(?:[.,;!)]|$|\band\b|\bbut\b))",
))


def spoken_number(text: str) -> float | None:
    text = text.strip().lower()
    try:
        return float(text)
    except ValueError:
        pass
    if re.fullmatch(r"(?:a|one)\s+hundred", text):
        return 100.0
    total = 0
    for part in re.split(r"[\s-]+", text):
        if part in _TENS:
            total += _TENS[part]
        elif part in _UNITS:
            total += _UNITS[part]
        else:
            return None
    return float(total)


def _hits(sentence: str) -> list[tuple[int, int, Scale]]:
    """Scale names in the sentence, left to right; of two overlapping names the longer ("PHQ-9" over "PHQ")."""
    found = sorted(((m.start(), -m.end(), scale) for scale, rx in PATTERNS for m in rx.finditer(sentence)),
                   key=lambda hit: (hit[0], hit[1]))
    out: list[tuple[int, int, Scale]] = []
    for start, neg_end, scale in found:
        if out and start < out[-1][1]:
            continue
        out.append((start, -neg_end, scale))
    return out


def _measure(scale_name: str, low: float, high: float, score: float | None, raw: str, evidence: str,
             earlier: float | None = None, doubtful: bool = False) -> Measure:
    in_range = score is not None and low <= score <= high
    if doubtful or not in_range:
        return Measure(scale_name, float("nan"), evidence, True, raw.strip(" ,.;"), None, low, high)
    if earlier is not None and not low <= earlier <= high:
        earlier = None  # a misheard earlier score is dropped; this session's reading stands on its own
    return Measure(scale_name, score, evidence, False, "", earlier, low, high)


def _reading(sentence: str, start: int, end: int, stop: int, scale: Scale) -> Measure | None:
    """The score said with the scale name at sentence[start:end] (before it, or in the text up to `stop`)."""
    after = sentence[end:stop]
    garbled = _GARBLED.match(after)
    if garbled and re.search(r"\d$", sentence[start:end]):
        return _measure(scale.name, scale.low, scale.high, None, sentence[start:end + garbled.end()], sentence)
    before = _BEFORE.search(sentence[max(0, start - 60):start])
    if before:
        return _measure(scale.name, scale.low, scale.high, spoken_number(before.group("num")),
                        f"{before.group(0)}{sentence[start:end]}", sentence)
    past = _PAST_THEN_NOW.match(after)
    if past and (past["prev"] or past["when"]) and (past["now"] or past["now2"]):
        return _measure(scale.name, scale.low, scale.high, spoken_number(past["new"]), sentence[start:end + past.end()],
                        sentence, earlier=spoken_number(past["old"]))
    if (only := _PAST_ONLY.match(after)):  # kept as text: a trend must not show it as today's
        return _measure(scale.name, scale.low, scale.high, None, sentence[start:end + only.end()], sentence)
    reading = _READING.match(after)
    if not reading:
        return None
    raw = sentence[start:end + reading.end()]
    if reading.group("new"):
        return _measure(scale.name, scale.low, scale.high, spoken_number(reading.group("new")), raw, sentence,
                        earlier=spoken_number(reading.group("old")))
    rest = after[reading.end():]
    if _SECOND_NUMBER.match(rest) and not reading.group("den"):
        return _measure(scale.name, scale.low, scale.high, None, raw + rest[:_SECOND_NUMBER.match(rest).end() + 3],
                        sentence, doubtful=True)
    earlier = _EARLIER.match(rest)
    return _measure(scale.name, scale.low, scale.high, spoken_number(reading.group("num")), raw, sentence,
                    earlier=spoken_number(earlier.group("earlier")) if earlier else None)


def _ratings(sentence: str, taken: list[tuple[int, int]]) -> list[Measure]:
    """ "Mood 4/10", "rated the session 7 out of 10 on feeling heard": the denominator is the scale.
    `taken`: spans already read as a named scale's score."""
    found: list[Measure] = []
    for rx in (*_SESSION_RATINGS, *_SELF_RATINGS):
        for m in rx.finditer(sentence):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            taken.append(m.span())
            if "thing" in rx.groupindex:
                name = m.group("thing").capitalize()
            else:
                aspect = (m.group("aspect") or "").strip()
                name = f"{SESSION_RATING} ({aspect})" if aspect else SESSION_RATING
            found.append(_out_of(name, m, sentence))
    return found


def _out_of(name: str, match: re.Match[str], sentence: str) -> Measure:
    top = spoken_number(match.group("den")) or 0.0
    return _measure(name, 0.0, top, spoken_number(match.group("num")), match.group(0), sentence,
                    doubtful=top <= 0)


def find_measures(sentences: Iterable[str]) -> list[Measure]:
    """Every score stated, in order, with the sentence it came from (a reading said twice is kept once)."""
    found: list[Measure] = []
    seen: set[tuple[str, object]] = set()
    for sentence in sentences:
        hits = _hits(sentence)
        readings = []
        for i, (start, end, scale) in enumerate(hits):
            stop = hits[i + 1][0] if i + 1 < len(hits) else len(sentence)
            reading = _reading(sentence, start, end, stop, scale)
            if reading:
                readings.append(reading)
        readings += _ratings(sentence, [(start, stop) for start, stop, _ in hits])
        for m in readings:
            key = (m.name, m.raw if m.uncertain else (m.score, m.earlier))
            if key not in seen:
                seen.add(key)
                found.append(m)
    return found
