"""Questions about the whole caseload, and questions that look ahead.

`caseload_kind` tells a question that names no client but asks about the caseload ("which clients have
risk flags?", "who am I seeing tomorrow?", "whose PHQ-9 went up?") from one that simply forgot the name.
`day_ahead` reads the day a forward-looking question means: "on Thursday" is the coming Thursday when the
question asks what to do next. Pure: today is passed in.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from core.language.words import MONTH_ABBR, MONTHS, WEEKDAYS

CASELOAD_KINDS = ("risk", "alliance", "homework", "measures", "schedule", "not_seen")

_DAY_ABBR = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "weds": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
_WEEKDAY = r"(" + "|".join(WEEKDAYS) + "|" + "|".join(sorted(_DAY_ABBR, key=len, reverse=True)) + r")s?\b\.?"
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "twelve": 12, "couple": 2, "couple of": 2, "few": 3, "several": 4}
_NUM = r"(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|couple(?: of)?|few|several)"

_SCHEDULE = re.compile(
    r"\bwho(?:'s|s| is| are| am i| do i| will i| have i)? ?(?:i )?(?:(?:seeing|see)(?!\s+(?:a|an|another)\s)|meeting|got|have|booked"
    r"|scheduled|coming(?: in)?"
    r"|on (?:my|the) (?:calendar|schedule|books|list|diary)|in (?:my|the) (?:calendar|diary))\b"
    r"|\bwhat(?:'s|s| is| do i have| have i got)? (?:on|booked|scheduled|lined up|coming up)\b|\bwhat do i have\b"
    r"|\bmy (?:schedule|calendar|day|diary|agenda|appointments|sessions|clients) (?:for |on |today|tomorrow|this|next)"
    r"|\b(?:today|tomorrow|tonight|\w+day)'?s (?:sessions|appointments|clients|schedule|calendar|agenda)\b"
    r"|\b(?:sessions?|appointments?|clients?) (?:do i have |have i got |are there |is there )?(?:today|tomorrow|tonight|on|this|next)\b"
    r"|\bprep(?:are)? (?:me )?for (?:today|tomorrow|tonight|the day|the week|the morning|the afternoon|my day|\w+day)\b"
    r"|\bwhat do i need (?:for|on|to (?:know|prepare|prep)|today|tomorrow)|\bbrief me\b|\bget ready for\b"
    r"|\b(?:next|first|last) (?:client|appointment)\b|\bhow many (?:sessions|clients|appointments)\b|\bam i (?:seeing|free|busy)\b"
    r"|\bdo i have (?:anyone|anybody|any (?:sessions|clients|appointments))\b"
    r"|\b(?:anyone|anybody) (?:today|tomorrow|tonight|this (?:morning|afternoon|evening)|on \w+day)\b"
    r"|\bschedule\b|\bcalendar\b|\bagenda\b"
)
_NOT_SEEN = re.compile(
    r"\b(?:haven't|have not|havent|hasn't|has not|didn't|did not|not) (?:\w+ ){0,2}(?:seen|see|met|had (?:an? )?(?:sessions?|appointments?)"
    r"|been in|come in|came in|attended|heard from|been seen)\b|\bnot (?:been )?seen\b|\blost touch\b|\bdropped (?:off|out)\b"
    r"|\bfallen off\b|\blast seen\b|\bbeen (?:a while|too long|ages)\b|\bgone quiet\b|\boverdue for (?:an? )?(?:session|visit|check)"
    r"|\bno (?:sessions?|notes?|appointments?) (?:in|for|since)\b|\blong time no see\b"
)
_ACROSS = re.compile(
    r"\b(?:which|what|how many|any|all|list|show)(?: of)?(?: my)? (?:clients|patients|people|folks|ones|cases)\b|\bwho\b|\bwhose\b|\bwhom\b"
    r"|\banyone\b|\banybody\b|\bsomeone\b|\beveryone\b|\beverybody\b|\bcaseload\b|\bmy (?:clients|patients)\b|\bacross\b"
)
_DAY_WORDS = re.compile(r"\b(?:today|tomorrow|tonight|this (?:morning|afternoon|evening))\b|\b" + _WEEKDAY)
_FORWARD = re.compile(
    r"\b(?:should|will|shall|going to|gonna|next|upcoming|coming|pick up|prep\w*|plan(?:ning)? (?:for|to)|ready|when i see"
    r"|before (?:i see|seeing|the session|our session)|am i seeing|i'm seeing|i see (?:him|her|them)|tomorrow"
    r"|to (?:cover|raise|bring up|ask)"
    r"|need to|follow up|check in|check on)\b"
)


def caseload_kind(lower: str, kind: str) -> str | None:
    """The caseload question asked when no client is named, or None (then the client must be named)."""
    if _NOT_SEEN.search(lower) and not re.search(r"\bhomework|\bassign", lower):
        return "not_seen"
    if kind in ("risk", "homework") and _DAY_WORDS.search(lower) and _SCHEDULE.search(lower):
        return "schedule"  # "any risk issues for tomorrow's clients?": the day's sessions, that part of each
    if kind in ("risk", "alliance", "measures", "homework"):
        return kind
    if _SCHEDULE.search(lower) or kind == "follow_ups":
        return "schedule"
    if kind == "general" and re.search(r"\b(?:today|tomorrow|tonight)\b", lower) and _ACROSS.search(lower):
        return "schedule"
    return None


def asks_across(lower: str) -> bool:
    """The question is about clients in general ("which clients…", "who…", "anyone…")."""
    return bool(_ACROSS.search(lower))


def forward(lower: str) -> bool:
    """The question asks what is coming (what to pick up, prepare or plan), not what happened."""
    return bool(_FORWARD.search(lower))


def day_ahead(lower: str, today: date) -> tuple[date, date, str] | None:
    """(first day, day after the last, how it was said) for the days ahead a question names, or None."""
    if re.search(r"\bday after tomorrow\b", lower):
        d = today + timedelta(days=2)
        return d, d + timedelta(days=1), "the day after tomorrow"
    if re.search(r"\btomorrow\b", lower):
        return today + timedelta(days=1), today + timedelta(days=2), "tomorrow"
    if m := re.search(r"\b(last |past |this coming |this |next |on |coming )?" + _WEEKDAY, lower):
        if m[1] in ("last ", "past "):
            return None
        wd = WEEKDAYS.index(m[2]) if m[2] in WEEKDAYS else _DAY_ABBR[m[2]]
        ahead = (wd - today.weekday()) % 7
        if m[1] == "next " and ahead == 0:
            ahead = 7
        d = today + timedelta(days=ahead)
        return d, d + timedelta(days=1), WEEKDAYS[wd].capitalize()
    if re.search(r"\bnext week\b", lower):
        monday = today + timedelta(days=7 - today.weekday())
        return monday, monday + timedelta(days=7), "next week"
    if re.search(r"\b(?:this|rest of the) week\b", lower):
        return today, today + timedelta(days=7 - today.weekday()), "this week"
    if re.search(r"\btoday\b|\btonight\b|\bthis (?:morning|afternoon|evening)\b|\blater\b", lower):
        return today, today + timedelta(days=1), "today"
    if d := _dated(lower, today):
        return d, d + timedelta(days=1), d.isoformat()
    return None


def _dated(lower: str, today: date) -> date | None:
    """A date said in the question, read forward: "November 26" is this year's or, once past, next year's."""
    if m := re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", lower):
        return _safe(int(m[1]), int(m[2]), int(m[3]))
    month = r"(" + "|".join(MONTHS) + "|" + "|".join(sorted(MONTH_ABBR, key=len, reverse=True)) + r")\.?"
    m = (re.search(rf"\b{month} (\d{{1,2}})(?:st|nd|rd|th)?\b", lower)
         or re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?: of)? {month}\b", lower))
    if not m:
        return None
    name, day = (m[1], m[2]) if m[1][0].isalpha() else (m[2], m[1])
    num = MONTHS.index(name) + 1 if name in MONTHS else MONTH_ABBR[name[:4] if name[:4] == "sept" else name[:3]]
    d = _safe(today.year, num, int(day))
    return d if d is None or d >= today else _safe(today.year + 1, num, int(day))


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def unseen_days(lower: str) -> int:
    """How long "not seen" means: "in 3 weeks" -> 21 days, "a month" -> 30; four weeks when not said."""
    if m := re.search(rf"\b{_NUM} (day|week|month)s?\b", lower):
        number = int(m[1]) if m[1].isdigit() else _NUMBERS[m[1]]
        return number * {"day": 1, "week": 7, "month": 30}[m[2]]
    if re.search(r"\b(?:a|one) fortnight\b|\bfortnight\b", lower):
        return 14
    return 28
