"""Short edit instructions a therapist types about a note, understood without a language model:

    Plan: start exposure next week          replace a section (any of the note's format)
    add to assessment: sleep improving       append to a section;  "clear objective" empties one
    add homework: walk daily                 add a list item (homework, follow-ups, next steps)
    remove homework 2 / remove the last follow-up / remove homework: thought record
    homework: walk daily; call sister        the list becomes exactly this ("homework: none" empties it)
    client: Maya Thompson   date: 2026-11-20   format: DAP   summary: ...
    addendum: client called to reschedule    restore version 2 / undo

One instruction per line. `parse` only reads the words (None: not an instruction at all); whether the note
has that section or that item is checked when the edit is applied (core/notebook/editing.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from core.language.dates import WEEKDAYS, session_date_from
from core.language.names import looks_like_name
from core.types import NOTE_FORMATS

LISTS = {"homework": "homework", "follow_ups": "follow-up", "plan": "next step"}  # NoteDraft field -> item name
_LIST_WORDS = {
    "homework": r"home\s?work(?:\s+(?:items?|assignments?))?|hw|assignments?",
    "follow_ups": r"follow[\s-]?ups?(?:\s+next\s+time)?|things\s+to\s+follow\s+up(?:\s+on)?|next\s+time",
    "plan": r"next\s+steps?|plan\s+items?|action\s+items?",
}
_SECTION_ALIASES = {
    "subjective": "Subjective", "objective": "Objective", "assessment": "Assessment", "assessments": "Assessment",
    "plan": "Plan", "data": "Data", "behavior": "Behavior", "behaviour": "Behavior", "behaviors": "Behavior",
    "behaviours": "Behavior", "intervention": "Intervention", "interventions": "Intervention", "response": "Response",
    "responses": "Response", "goal": "Goals", "goals": "Goals", "summary": "Summary",
}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "1st": 1, "2nd": 2, "3rd": 3,
             "4th": 4, "5th": 5, "6th": 6, "last": -1}
_EMPTY = {"none", "nothing", "-", "n/a", "na", "not discussed", "no"}


# ---- what an instruction asks for --------------------------------------------------------------------
@dataclass(frozen=True)
class SetSection:
    name: str  # as the alias table names it; "Summary" is the note's summary line
    text: str
    append: bool = False


@dataclass(frozen=True)
class AddItem:
    field: str  # a key of LISTS
    text: str


@dataclass(frozen=True)
class RemoveItem:
    field: str
    number: int | None = None  # 1-based; -1 the last
    text: str | None = None  # or the item that says this
    every: bool = False


@dataclass(frozen=True)
class SetList:
    field: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class SetClient:
    name: str


@dataclass(frozen=True)
class SetDate:
    day: date | None  # None: a date given but not understood (or in the future): `problem` says which
    problem: str = ""


@dataclass(frozen=True)
class SetFormat:
    note_format: str


@dataclass(frozen=True)
class AddAddendum:
    text: str


@dataclass(frozen=True)
class RestoreVersion:
    number: int | None  # None: the version before the current one ("undo")


Edit = SetSection | AddItem | RemoveItem | SetList | SetClient | SetDate | SetFormat | AddAddendum | RestoreVersion

HOW = (
    "Instructions I understand (one per line):\n"
    "• Plan: start exposure next week — replace a section (add to assessment: … appends; clear objective empties it)\n"
    "• add homework: walk daily · remove homework 2 · remove the last follow-up · homework: none\n"
    "• client: Maya Thompson · date: 2026-11-20 (or yesterday, Tuesday) · format: DAP · summary: …\n"
    "• addendum: client called to reschedule · restore version 2 · undo"
)

# ---- the grammar -------------------------------------------------------------------------------------
_SEP = r"\s*(?::|=|-|–|—)\s*"
_LIST = "|".join(f"(?P<{field}>{words})" for field, words in _LIST_WORDS.items())
_SECTION = r"(?P<section>" + "|".join(sorted(_SECTION_ALIASES, key=len, reverse=True)) + r")"
_THE = r"(?:the\s+)?"


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(r"^\s*" + pattern + r"\s*$", re.I | re.S)


_ADDENDUM = _c(r"(?:add\s+(?:an?\s+)?)?(?:addendum|late\s+entry)(?:\s*(?::|-|–|—)\s*|\s+)(?P<text>.+)")
_UNDO = _c(r"(?:undo|revert)(?:\s+(?:that|the\s+last\s+(?:edit|change)))?\.?")
_RESTORE = _c(r"(?:restore|revert\s+to|go\s+back\s+to|roll\s*back\s+to)\s+(?:version|v)\s*#?(?P<number>\d{1,4})")
_CLIENT = [
    _c(r"(?:client|patient)(?:'?s\s+name)?(?:\s+is|" + _SEP + r")\s*(?P<name>.+)"),
    _c(r"(?:change|set|switch|correct)\s+" + _THE + r"(?:client|patient)\s+(?:to|as|:)\s*(?P<name>.+)"),
    _c(r"(?:(?:this|the\s+note|it)\s+is\s+(?:for|about)|file\s+(?:it|this)\s+under|move\s+(?:it|this)\s+to"
       r"|wrong\s+client[,.:;]?\s+(?:it'?s|it\s+is|this\s+is)(?:\s+for)?)\s+(?P<name>.+)"),
]
_DATE = [
    _c(r"(?:session\s+)?date(?:\s+is|\s+to|" + _SEP + r")\s*(?P<value>.+)"),
    _c(r"(?:change|set|move|correct)\s+" + _THE + r"(?:session\s+)?date\s+(?:to|:)\s*(?P<value>.+)"),
    _c(r"(?:the\s+)?session\s+was\s+(?:on\s+)?(?P<value>.+)"),
]
_FORMAT = _c(
    r"(?:(?:note\s+)?format(?:\s+is|\s+to|" + _SEP + r")|(?:change|switch|convert|rewrite|reformat|turn)"
    r"(?:\s+(?:it|this|the\s+note|the\s+format|format))?\s+(?:to|as|into|in)|make\s+(?:it|this)(?:\s+an?)?|as(?:\s+an?)?|in)"
    r"\s*(?P<fmt>" + "|".join(NOTE_FORMATS) + r")(?:\s+(?:note|format))?\.?"
)
_ORDINAL = r"(?P<ordinal>" + "|".join(_ORDINALS) + r")"
_REMOVE_VERB = r"(?:remove|delete|drop|strike|cross\s+out|take\s+out|scrap)"
_REMOVE = [
    _c(_REMOVE_VERB + r"\s+" + _THE + _ORDINAL + r"\s+(?:" + _LIST + r")(?:\s+item)?\.?"),
    _c(_REMOVE_VERB + r"\s+" + _THE + r"(?:" + _LIST + r")(?:\s+item)?\s*(?:no\.?\s*|number\s+|#)?(?P<number>\d{1,3})\.?"),
    _c(_REMOVE_VERB + r"\s+" + _THE + r"(?:" + _LIST + r")(?:\s+item)?(?:" + _SEP + r"|\s+(?:about|on|saying|that\s+says)\s+)(?P<text>.+)"),
    _c(_REMOVE_VERB + r"\s+(?:" + r'"?(?P<text>.+?)"?' + r")\s+from\s+" + _THE + r"(?:" + _LIST + r")(?:\s+list)?\.?"),
    _c(r"(?:(?P<every>clear|" + _REMOVE_VERB + r"\s+all(?:\s+the)?|" + _REMOVE_VERB + r")\s+" + _THE + r"(?:" + _LIST + r"))\.?"),
    _c(r"(?P<every>no)\s+(?:" + _LIST + r")\.?"),
]
_ADD = [
    _c(r"(?:add|new|plus)\s+(?:a\s+|an\s+|another\s+|one\s+more\s+)?(?:" + _LIST + r")(?:\s+item)?(?:" + _SEP + r"|\s+)(?P<text>.+)"),
    _c(r"add\s+(?P<text>.+?)\s+(?:to|as)\s+(?:(?:a|an|the)\s+)?(?:" + _LIST + r")(?:\s+list)?\.?"),
]
_SET_LIST = _c(r"(?:" + _LIST + r")" + _SEP + r"(?P<text>.+)")
_SECTION_SET = [
    _c(_SECTION + r"(?:\s+section)?" + _SEP + r"(?P<text>.+)"),
    _c(r"(?:replace|change|set|update|rewrite)\s+" + _THE + _SECTION + r"(?:\s+section)?(?:\s+(?:with|to\s+say|to\s+read|to)|\s*:)\s*(?P<text>.+)"),
    _c(_SECTION + r"(?:\s+section)?\s+should\s+(?:say|read|be)\s*:?\s*(?P<text>.+)"),
]
_SECTION_APPEND = [
    _c(r"(?:add|append)\s+(?:to\s+)" + _THE + _SECTION + r"(?:\s+section)?(?:" + _SEP + r"|\s+)(?P<text>.+)"),
    _c(r"(?:add|append)\s+(?P<text>.+?)\s+to\s+" + _THE + _SECTION + r"(?:\s+section)?\.?"),
]
_SECTION_CLEAR = _c(r"(?:clear|empty|blank|remove|delete)\s+" + _THE + _SECTION + r"(?:\s+section)?\.?")


def parse(text: str, today: date) -> list[Edit] | None:
    """The edits a message asks for, or None when any line of it is not an instruction (then nothing is
    done: half a message is never applied). `today` is the therapist's, for dates like "yesterday"."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return None
    edits = [parse_line(line, today) for line in lines]
    return None if any(e is None for e in edits) else edits


def parse_line(line: str, today: date) -> Edit | None:
    line = line.strip().lstrip("•*-– ").strip()
    if m := _ADDENDUM.match(line):
        return AddAddendum(m["text"].strip())
    if _UNDO.match(line):
        return RestoreVersion(None)
    if m := _RESTORE.match(line):
        return RestoreVersion(int(m["number"]))
    if m := _FORMAT.match(line):
        return SetFormat(m["fmt"].upper())
    for pattern in _CLIENT:
        if (m := pattern.match(line)) and looks_like_name(name := m["name"].strip().strip("\"'“”.").strip()):
            return SetClient(name)  # "client is anxious about work" is not a name: not an instruction
    for explicit, pattern in zip((True, True, False), _DATE):
        if m := pattern.match(line):
            found = date_edit(m["value"], today)
            if explicit or found.day is not None:  # "the session was hard" is not about its date
                return found
    for pattern in _REMOVE:
        if m := pattern.match(line):
            return _removal(m)
    for pattern in _ADD:
        if m := pattern.match(line):
            return AddItem(_field(m), _item(m["text"]))
    if m := _SET_LIST.match(line):
        items = tuple(i for i in (_item(part) for part in m["text"].split(";")) if i)
        return SetList(_field(m), () if _item(m["text"]).lower() in _EMPTY else items)
    if m := _SECTION_CLEAR.match(line):
        return SetSection(_SECTION_ALIASES[m["section"].lower()], "")
    for pattern in _SECTION_APPEND:
        if m := pattern.match(line):
            return SetSection(_SECTION_ALIASES[m["section"].lower()], m["text"].strip(), append=True)
    for pattern in _SECTION_SET:
        if m := pattern.match(line):
            text = m["text"].strip()
            return SetSection(_SECTION_ALIASES[m["section"].lower()], "" if text.lower().rstrip(".") in _EMPTY else text)
    return None


def _field(match: re.Match[str]) -> str:
    return next(field for field in _LIST_WORDS if match.groupdict().get(field))


def _item(text: str) -> str:
    return " ".join(text.strip().strip("\"“”").split())


def _removal(m: re.Match[str]) -> RemoveItem:
    groups = m.groupdict()
    field = _field(m)
    if groups.get("ordinal"):
        return RemoveItem(field, number=_ORDINALS[groups["ordinal"].lower()])
    if groups.get("number"):
        return RemoveItem(field, number=int(groups["number"]))
    if groups.get("text"):
        return RemoveItem(field, text=_item(groups["text"]).rstrip("."))
    # "remove homework" with no number: every item when told so ("clear", "all", "no"), else the only one
    every = (groups.get("every") or "").lower()
    return RemoveItem(field, every=bool(every) and not re.fullmatch(_REMOVE_VERB, every, re.I))


def date_edit(value: str, today: date) -> SetDate:
    value = value.strip().rstrip(".")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        bare = value.lower()
        phrase = f"on {bare}" if bare in WEEKDAYS or bare.rstrip("s") in WEEKDAYS else bare
        day = session_date_from(f"Session {phrase}.", today)
        if day is None and bare == "today":
            day = today
        if day is None and bare in ("tomorrow",):
            return SetDate(None, "A session date can't be in the future.")
    if day is None:
        return SetDate(None, "I couldn't read that date; write it like 2026-11-20, 20 November, yesterday or Tuesday.")
    if day > today:
        return SetDate(None, "A session date can't be in the future.")
    if day < today - timedelta(days=366 * 10):
        return SetDate(None, "That date is more than ten years ago; please check it.")
    return SetDate(day)
