"""Which sessions a question is about: "last time", "last 3 sessions", "2 sessions ago", "on November 3",
"2026-11-03", "on Tuesday", "last week", "since October", "first". Pure: today is passed in."""
from __future__ import annotations

import re
from datetime import date, timedelta

from core.language.words import MONTH_ABBR, MONTHS, WEEKDAYS

_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "couple": 2, "few": 3, "several": 4,
}
_NUM = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|couple(?: of)?|few|several)"
_MONTH = r"(" + "|".join(MONTHS) + r"|" + "|".join(sorted(MONTH_ABBR, key=len, reverse=True)) + r")\b\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_SESSIONS = r"(?:sessions?|visits?|appointments?|notes?|meetings?|times)"


def _num(text: str) -> int:
    text = text.replace(" of", "")
    return int(text) if text.isdigit() else _NUMBERS[text]


def _month_num(text: str) -> int:
    text = text.rstrip(".").lower()
    return MONTHS.index(text) + 1 if text in MONTHS else MONTH_ABBR[text[:4] if text[:4] == "sept" else text[:3]]


def _past(year: int, month: int, day: int, today: date) -> date | None:
    """The date with that month and day, this year or, when that is still to come, last year."""
    for y in (year, year - 1):
        try:
            d = date(y, month, day)
        except ValueError:
            return None
        if d <= today:
            return d
    return None


def _month_range(month: int, today: date) -> tuple[date, date]:
    year = today.year if month <= today.month else today.year - 1
    end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return date(year, month, 1), min(end, today)


def parse_time(q: str, today: date) -> tuple[str, int | None, date | None, date | None]:
    """(mode, count, start, end) for a lowercased question."""
    if m := re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", q):
        try:
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return "date", None, d, d
        except ValueError:
            pass
    if m := re.search(rf"\b{_MONTH} {_DAY}(?:,? (\d{{4}}))?\b", q) or re.search(
        rf"\b{_DAY}(?: of)? {_MONTH}(?:,? (\d{{4}}))?\b", q
    ):
        month_first = m.group(1)[0].isalpha()
        month, day = (m[1], m[2]) if month_first else (m[2], m[1])
        d = _past(int(m[3]) if m[3] else today.year, _month_num(month), int(day), today)
        if m[3] and d is None:
            try:
                d = date(int(m[3]), _month_num(month), int(day))
            except ValueError:
                d = None
        if d:
            return "date", None, d, d
    if m := re.search(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b", q):
        a, b = int(m[1]), int(m[2])
        month, day = (a, b) if a <= 12 else (b, a)
        year = int(m[3]) + (2000 if m[3] and len(m[3]) == 2 else 0) if m[3] else today.year
        d = _past(year, month, day, today) if not m[3] else _safe_date(year, month, day)
        if d:
            return "date", None, d, d
    if m := re.search(r"\b(last |this |on |past )?(" + "|".join(WEEKDAYS) + r")\b", q):
        back = (today.weekday() - WEEKDAYS.index(m[2])) % 7
        if m[1] != "this " and back == 0:
            back = 7
        d = today - timedelta(days=back)
        return "date", None, d, d
    if re.search(r"\byesterday\b", q):
        d = today - timedelta(days=1)
        return "date", None, d, d
    if re.search(r"\btoday\b|\bthis morning\b|\bthis afternoon\b", q):
        return "date", None, today, today
    if m := re.search(rf"\b(?:last|past|previous|recent|latest) {_NUM} {_SESSIONS}\b", q) or re.search(
        rf"\b{_NUM} (?:most recent|latest|last|previous) {_SESSIONS}\b", q
    ):
        return "last_n", _num(m[1]), None, None
    if m := re.search(rf"\b(?:last|past|previous) {_NUM} (day|week|month)s?\b", q):
        days = _num(m[1]) * {"day": 1, "week": 7, "month": 30}[m[2]]
        return "range", None, today - timedelta(days=days), today
    if re.search(r"\b(?:past|last) (?:7 days|seven days)\b|\bpast week\b", q):
        return "range", None, today - timedelta(days=7), today
    if m := re.search(r"\bsince (last|this) (week|month)\b", q):
        start = today - timedelta(days=today.weekday()) if m[2] == "week" else today.replace(day=1)
        if m[1] == "last":
            start = start - timedelta(days=7) if m[2] == "week" else (start - timedelta(days=1)).replace(day=1)
        return "range", None, start, today
    if m := re.search(rf"\b{_NUM} (?:sessions?|visits?|appointments?) ago\b|\bsession before (?:last|that)\b", q):
        return "nth", (_num(m[1]) if m.group(1) else 2), None, None
    if m := re.search(rf"\b{_NUM} weeks? ago\b|\ba week ago\b", q):
        middle = today - timedelta(days=7 * (_num(m[1]) if m.group(1) else 1))
        return "range", None, middle - timedelta(days=3), middle + timedelta(days=3)
    if re.search(r"\blast week\b", q):
        monday = today - timedelta(days=today.weekday())
        return "range", None, monday - timedelta(days=7), monday - timedelta(days=1)
    if re.search(r"\bthis week\b", q):
        return "range", None, today - timedelta(days=today.weekday()), today
    if re.search(r"\bpast month\b", q):
        return "range", None, today - timedelta(days=30), today
    if re.search(r"\blast month\b", q):
        first = today.replace(day=1)
        return "range", None, (first - timedelta(days=1)).replace(day=1), first - timedelta(days=1)
    if re.search(r"\bthis month\b", q):
        return "range", None, today.replace(day=1), today
    if m := re.search(rf"\b(in|during|since|from) {_MONTH}(?! \d)", q):
        start, end = _month_range(_month_num(m[2]), today)
        return "range", None, start, (today if m[1] in ("since", "from") else end)
    if re.search(
        r"\b(last|latest|previous|most recent|recent) (time|session|visit|appointment|note|meeting|week's session)\b"
        r"|\blast time\b|\blast we (met|spoke|talked)\b|\bwhen (we|i) last (met|saw)\b|\blately\b|\brecently\b",
        q,
    ):
        return "last", None, None, None
    if re.search(r"\b(first|earliest|initially|originally|start(?:ed|ing)? (?:to )?(?:talk|mention|bring)\w*)\b|\bintake\b", q):
        return "first", None, None, None
    return "all", None, None, None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def yearless(q: str) -> bool:
    """True when the question gives a day without its year ("on November 3", "11/3")."""
    if re.search(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(19|20)\d\d\b", q):
        return False
    return bool(re.search(rf"\b{_MONTH} {_DAY}\b|\b{_DAY}(?: of)? {_MONTH}|\b\d{{1,2}}/\d{{1,2}}\b", q))
