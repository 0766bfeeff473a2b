"""Standardised measures named in a memo: "PHQ-9 was 17", "scored fourteen on the GAD 7", "ORS of 28.5"."""
from __future__ import annotations

import re
from typing import Iterable

from core.types import Measure

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80}
_NUMBER = (
    r"(?:\d{1,2}(?:\.\d)?(?!\d|\.\d|\s*%|\s*(?:weeks?|days?|months?|years?|minutes?|sessions?|times?|am|pm|mg)\b)"
    r"|(?:" + "|".join(_TENS) + r")(?:[\s-](?:" + "|".join(list(_UNITS)[1:10]) + r"))?"
    r"|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")\b"
)


def _acronym(letters: str, number: str, number_word: str) -> str:
    spaced = r"\.?\s?".join(letters)  # "PHQ", "P.H.Q.", "P H Q"
    return rf"\b{spaced}\.?[\s-]*(?:{number}|{number_word})(?!\d|\.\d)"


# name, pattern, highest possible score
INSTRUMENTS: tuple[tuple[str, re.Pattern[str], float], ...] = tuple(
    (name, re.compile(pattern, re.I), top)
    for name, pattern, top in (
        ("PHQ-9", _acronym("phq", "9", "nine"), 27),
        ("PHQ-2", _acronym("phq", "2", "two"), 6),
        ("GAD-7", _acronym("gad", "7", "seven"), 21),
        ("GAD-2", _acronym("gad", "2", "two"), 6),
        ("PCL-5", _acronym("pcl", "5", "five"), 80),
        ("AUDIT", r"(?-i:\bAUDIT\b)(?:-C)?|\baudit(?:-c)?(?=\s+(?:score|was|is|came|total))|\bthe audit\b", 40),
        ("BDI-II", r"\bbdi(?:[\s-]*(?:ii|2|two)\b)?|\bbeck depression inventory(?:[\s-]*(?:ii|2)\b)?", 63),
        ("BAI", r"\bbai\b|\bbeck anxiety inventory\b", 63),
        ("ORS", r"\bors\b|\boutcome rating scale\b", 40),
        ("SRS", r"\bsrs\b|\bsession rating scale\b", 40),
        ("EPDS", r"\bepds\b|\bedinburgh(?: postnatal depression scale)?\b", 30),
        ("CORE-10", r"\bcore[\s-]?(?:10|ten)\b", 40),
        ("K10", r"\bk[\s-]?(?:10|ten)\b|\bkessler\b", 50),
        ("DASS-21", r"\bdass(?:[\s-]?(?:21|twenty[\s-]one))?\b", 126),
    )
)
_CONNECTOR = (
    r"(?:scores?|scored|total(?:led)?|was|is|were|of|at|came|back|in|as|=|:|-|went|has|have|had|gone|dropped|"
    r"fell|rose|increased|decreased|improved|worsened|down|up|to|today|this week|now|remains?|remained|still|"
    r"around|about|approximately|roughly|a|an|,|questionnaire|screen|screener|screening|scale|"
    r"(?:she|he|they|the\s+client|the\s+patient)\s+(?:scored|got))"
)
_AFTER = re.compile(
    r"^\s*(?:" + _CONNECTOR + r"\s*){0,6}?(?:from\s+(?P<old>" + _NUMBER + r")\s+(?:down |up )?to\s+(?P<new>" + _NUMBER + r")"
    r"|(?P<num>" + _NUMBER + r"))",
    re.I,
)
_BEFORE = re.compile(
    r"(?:scored|scores|score of|scoring|got|had|was|a)\s+(?:an?\s+)?(?P<num>" + _NUMBER + r")\s+(?:points?\s+)?"
    r"(?:on|in|for)\s+(?:the|her|his|their|today's|this week's)?\s*$",
    re.I,
)


def spoken_number(text: str) -> float | None:
    text = text.strip().lower()
    try:
        return float(text)
    except ValueError:
        pass
    parts = re.split(r"[\s-]+", text)
    total = 0
    for part in parts:
        if part in _TENS:
            total += _TENS[part]
        elif part in _UNITS:
            total += _UNITS[part]
        else:
            return None
    return float(total)


def _score_near(sentence: str, start: int, end: int, next_start: int) -> float | None:
    before = _BEFORE.search(sentence[max(0, start - 60):start])
    if before:
        return spoken_number(before.group("num"))
    after = _AFTER.search(sentence[end:next_start])
    if after:
        return spoken_number(after.group("new") or after.group("num"))
    return None


def find_measures(sentences: Iterable[str]) -> list[Measure]:
    """Every (instrument, score) stated, with the sentence it came from; impossible scores are dropped."""
    found: list[Measure] = []
    seen: set[tuple[str, float]] = set()
    for sentence in sentences:
        hits = sorted(
            (m.start(), m.end(), name, top)
            for name, pattern, top in INSTRUMENTS
            for m in pattern.finditer(sentence)
        )
        for i, (start, end, name, top) in enumerate(hits):
            next_start = hits[i + 1][0] if i + 1 < len(hits) else len(sentence)
            score = _score_near(sentence, start, end, next_start)
            if score is None or not 0 <= score <= top or (name, score) in seen:
                continue
            seen.add((name, score))
            found.append(Measure(name=name, score=score, evidence=sentence))
    return found
