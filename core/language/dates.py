"""Which day a dictated memo is about: "today", "yesterday's session", "Tuesday's session", "3 November".

Only the memo's opening sentences count: that is where a therapist says which session this is, while
later mentions ("she cried in last Monday's session") are content. Phrases naming the session are tried
first. Future talk ("next Tuesday", "plan to see her on Friday") and birth dates never count.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from core.language.text import split_sentences

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "thirtieth": 30,
}
_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "a couple of": 2, "a few": 3}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = (
    r"(?P<day>[12]?\d|3[01])(?:st|nd|rd|th)?\b|(?P<dayword>(?:twenty|thirty)[- ]?(?:first|second|third|"
    r"fourth|fifth|sixth|seventh|eighth|ninth)|" + "|".join(_ORDINALS) + r")"
)
_YEAR = r"(?:,?\s*(?P<year>(?:19|20)\d\d))?"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_SESSION = r"(?:session|appointment|visit|meeting|sesh)"
_FUTURE = re.compile(
    r"(?:\b(?:next|will|until|till|upcoming|coming|following|tomorrow|plan|planned|scheduled|schedule)|'ll)"
    r"\W+(?:\w+\W+){0,5}$",
    re.I,
)
_BIRTH = re.compile(r"\b(born|birth|dob|birthday|d\.o\.b)\b\W+(?:\w+\W+){0,4}$", re.I)

_DATE_MD = r"(?:the\s+)?" + _MONTH + r"\s+(?:the\s+)?(?:" + _DAY + r")" + _YEAR
_DATE_DM = r"(?:the\s+)?(?:" + _DAY + r")\s+(?:of\s+)?" + _MONTH + _YEAR
# Phrases that name the session win; otherwise the first date phrase of the opening counts.
_SESSION_PATTERNS: list[re.Pattern[str]] = [
    re.compile(r"\b(?:yesterday|last night)'?s?\s+" + _SESSION, re.I),
    re.compile(r"\b" + _SESSION + r"\s+(?:from\s+|on\s+)?yesterday\b", re.I),
    re.compile(r"\b(?:last|this past|past)?\s*" + _WEEKDAY + r"'?s?\s+" + _SESSION, re.I),
    re.compile(r"\b" + _SESSION + r"\s+(?:on|from|last)\s+(?:last\s+|this past\s+)?" + _WEEKDAY, re.I),
    re.compile(r"\b" + _SESSION + r"\s+(?:on|from|dated|of)\s+" + _DATE_MD, re.I),
    re.compile(r"\b" + _SESSION + r"\s+(?:on|from|dated|of)\s+" + _DATE_DM, re.I),
]
_LOOSE_PATTERNS: list[re.Pattern[str]] = [
    re.compile(r"\b(?P<iso>(?:19|20)\d\d-\d\d-\d\d)\b"),
    re.compile(r"\b" + _DATE_MD, re.I),
    re.compile(r"\b" + _DATE_DM, re.I),
    re.compile(r"\b(?P<count>\d|one|two|three|four|five|six|seven|a couple of|a few)\s+days?\s+ago\b", re.I),
    re.compile(r"\b(?:last|this past|past|on|from)\s+" + _WEEKDAY + r"\b", re.I),
    re.compile(r"\b(?:the\s+)?day before yesterday\b|\b(?:yesterday|last night)\b", re.I),
    re.compile(r"\b(?:today|this (?:morning|afternoon|evening)|earlier today|tonight)\b", re.I),
]


_ABOUT_SESSION = re.compile(
    r"\b(?:session|sesh|appointment|visit|meeting|intake|saw|seen|met|note|notes|memo|dictat\w*|this\s+is\s+(?:for|about)|"
    r"telehealth|video\s+call|check[\s-]?in)\b",
    re.I,
)


def _day_number(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    if groups.get("day"):
        return int(groups["day"])
    word = (groups.get("dayword") or "").lower().replace("-", " ")
    if not word:
        return None
    if word in _ORDINALS:
        return _ORDINALS[word]
    tens, _, unit = word.partition(" ")
    base = 20 if tens.startswith("twenty") else 30
    return base + _ORDINALS.get(unit.strip(), 0)


def _most_recent(month: int, day: int, today: date) -> date | None:
    for year in (today.year, today.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    return None


def _resolve(match: re.Match[str], today: date) -> date | None:
    groups = match.groupdict()
    text = match.group(0).lower()
    if groups.get("iso"):
        try:
            return date.fromisoformat(groups["iso"])
        except ValueError:
            return None
    if groups.get("month"):
        day = _day_number(match)
        if groups["month"] in ("may", "march"):  # lower case: the verbs
            return None
        month = MONTHS[groups["month"].lower()]
        if day is None:
            return None
        if groups.get("year"):
            try:
                return date(int(groups["year"]), month, day)
            except ValueError:
                return None
        return _most_recent(month, day, today)
    if groups.get("weekday"):
        back = (today.weekday() - WEEKDAYS.index(groups["weekday"].lower())) % 7 or 7
        return today - timedelta(days=back)
    if groups.get("count"):
        word = groups["count"].lower()
        return today - timedelta(days=int(word) if word.isdigit() else _COUNTS[word])
    if "day before yesterday" in text:
        return today - timedelta(days=2)
    if "yesterday" in text or "last night" in text:
        return today - timedelta(days=1)
    return today


def session_date_from(text: str, today: date) -> date | None:
    """The session date a memo states, or None when it states none (the caller then uses today)."""
    opening = split_sentences(text)[:3]
    scope = " ".join(opening)
    # A bare date counts in the first sentence or in one that is about the session ("Seen on Tuesday."),
    # not in content ("She fainted at the gym on Thursday.").
    loose_scope = " ".join(s for i, s in enumerate(opening) if i == 0 or _ABOUT_SESSION.search(s))
    for patterns, scope in ((_SESSION_PATTERNS, scope), (_LOOSE_PATTERNS, loose_scope)):
        found: list[tuple[int, date]] = []
        for pattern in patterns:
            for match in pattern.finditer(scope):
                before = scope[max(0, match.start() - 60):match.start()]
                if _FUTURE.search(before) or _BIRTH.search(before):
                    continue
                day = _resolve(match, today)
                if day is not None and day <= today:
                    found.append((match.start(), day))
        if found:
            return min(found)[1]
    return None
