"""Answers of a particular kind from one client's notes: homework and follow-ups (the items themselves),
risk and alliance flags (with the sentence each came from), and measures (scores by date)."""
from __future__ import annotations

import re
from typing import Iterable

from core.language.client_match import ClientRecord
from core.memory.categories import category_label, matches, measure_filter, measure_key
from core.memory.excerpts import MAX_LINES, NO_NOTE, cite, lines, relevance, scope, units, when
from core.memory.query import Query
from core.types import Answer, Flag, NoteDraft

_SAFETY_LINE = re.compile(
    r"suicid|self[- ]?harm|\b(?:kill|hurt|harm|cut|cutting)\s+(?:him|her|them|my|your)sel|overdos|better off without"
    r"|\bend (?:it all|(?:his|her|their|my) life)|hopeless|safety plan|\bunsafe\b|weapon|\bguns?\b|firearm"
    r"|wants? to die|wish(?:es|ed)? (?:he|she|they) (?:was|were) dead|not wake up|\bcrisis\b"
)
_SAFETY_ACRONYM = re.compile(r"\b(?:SI|HI)\b")
_SAFETY_HINTS = ("suicid", "harm", "sel", "overdos", "better off", "end ", "hopeless", "safety", "unsafe", "weapon",
                 "gun", "firearm", "die", "dead", "wake", "crisis")


def is_safety_line(text: str) -> bool:
    """A sentence about suicide, self-harm, harm to others or safety planning (for "other lines" in risk
    answers; the flags themselves come from core.notes.safety)."""
    low = text.lower()
    if any(hint in low for hint in _SAFETY_HINTS) and _SAFETY_LINE.search(low):
        return True
    return ("SI" in text or "HI" in text) and bool(_SAFETY_ACRONYM.search(text))


def items_answer(query: Query, scoped: list[NoteDraft], client: ClientRecord) -> Answer:
    """Homework, or follow-ups and plan: the items themselves, from the latest note that has any."""
    label = "homework" if query.kind == "homework" else "to follow up"
    with_items = [n for n in scoped if units(n, query.kind)]
    if query.terms:
        topical = [n for n in with_items if any(relevance(u, query) >= 0.5 for u in units(n, query.kind))]
        with_items = topical or with_items
    if query.time == "last" and scoped and scoped[0] not in with_items:
        what = "homework" if query.kind == "homework" else "follow-ups or plan"
        return Answer(f"{NO_NOTE} — no {what} recorded for {scope(query, scoped, client)}.", found=False)
    if not with_items:
        what = "homework" if query.kind == "homework" else "follow-ups or plan"
        return Answer(f"{NO_NOTE} — no {what} recorded for {scope(query, scoped, client)}.", found=False)
    if query.time == "first":
        with_items = with_items[-1:]
    elif query.time in ("all", "last"):
        with_items = with_items[:1]
    shown = with_items[:MAX_LINES]
    items = [(n, u) for n in shown for u in units(n, query.kind)]
    if len(shown) == 1:
        text = f"{client.name} — {label} from {shown[0].session_date.isoformat()}:\n" + lines(items, False)
    else:
        text = f"{client.name} — {label}, {when(query, shown, scoped)}, most recent first:\n" + lines(items, True)
    return Answer(text, cite(client, shown))


def _flag_label(flag: Flag) -> str:
    label = flag.kind.replace("_", " ").replace("-", " ")
    if flag.status and flag.status != "present":
        label += f", {flag.status}"
    if flag.qualifiers:
        label += "; " + ", ".join(flag.qualifiers)
    return label.replace("(", "[").replace(")", "]")


def flags_answer(query: Query, scoped: list[NoteDraft], client: ClientRecord) -> Answer:
    """Risk or alliance flags with their evidence, present ones first and never cut for denials;
    for risk, also lines of the notes that mention safety."""
    risk = query.kind == "risk"
    kinds = query.risk_kinds if risk else query.alliance_kinds
    flagged = [(n, f) for n in scoped for f in (n.risks if risk else n.alliance) if (matches(f, kinds) if risk else
                                                                                    not kinds or f.kind in kinds)]
    if query.time == "first" and flagged:
        earliest = flagged[-1][0]
        flagged = [(n, f) for n, f in flagged if n is earliest]
    present = [(n, f) for n, f in flagged if f.status != "denied"]
    denied = [(n, f) for n, f in flagged if f.status == "denied"]
    word = f"{category_label(kinds)} flags" if risk else (" or ".join(kinds) if kinds else "alliance") + " signals"
    count = f"{len(scoped)} note" + ("s" if len(scoped) != 1 else "")
    latest = scoped[0].session_date.isoformat()
    cited: list[NoteDraft] = []
    if present:
        text = f"{client.name} — {word} in {count}, most recent first:\n"
        text += "\n".join(_flag_line(n, f) for n, f in present[:MAX_LINES * 2])
        if len(present) > MAX_LINES * 2:
            text += f"\nAnd {len(present) - MAX_LINES * 2} earlier, from " + _dates(n for n, _ in present[MAX_LINES * 2 :]) + "."
        cited += [n for n, _ in present]
    elif denied:
        text = f"{client.name} — no {word} present in {count} (latest {latest})."
    else:
        text = f"No {word} recorded in {count} for {client.name} (latest {latest})."
        cited += scoped
        if kinds:  # nothing of the kind asked about: a statement about the notes, not an answer
            return Answer(text, cite(client, scoped), found=False)
    if denied:
        shown: dict[str, tuple[NoteDraft, Flag]] = {}
        for n, f in denied:  # the latest denial of each kind, the rest by date
            shown.setdefault(f.kind, (n, f))
        text += "\nDenied when screened:\n" + "\n".join(_flag_line(n, f) for n, f in shown.values())
        rest = [n for n, f in denied if shown[f.kind][0] is not n]
        if rest:
            text += "\nAlso denied on " + _dates(rest) + "."
        cited += [n for n, _ in shown.values()]
    if risk and not kinds:  # a question about one kind of risk gets that kind's own mentions instead (ask.py)
        related = _safety_lines(scoped, flagged)
        if related:
            text += "\nOther lines in the notes about safety:\n" + lines(related, True)
            cited += [n for n, _ in related]
    cited.sort(key=lambda n: n.session_date, reverse=True)
    return Answer(text, cite(client, cited))


def _flag_line(note: NoteDraft, flag: Flag) -> str:
    return f"- {note.session_date.isoformat()} ({_flag_label(flag)}): {flag.evidence}"


def _dates(notes: Iterable[NoteDraft], limit: int = 8) -> str:
    days = sorted({n.session_date for n in notes}, reverse=True)
    text = ", ".join(d.isoformat() for d in days[:limit])
    return text + (f" and {len(days) - limit} more" if len(days) > limit else "")


def _safety_lines(scoped: list[NoteDraft], flagged) -> list[tuple[NoteDraft, str]]:
    """Sentences about safety that are not already a flag's evidence, each text once (latest)."""
    seen = {_plain(f.evidence) for _, f in flagged}
    out = []
    for note in scoped:
        for unit in units(note, "general"):
            if is_safety_line(unit) and (key := _plain(unit)) not in seen:
                seen.add(key)
                out.append((note, unit))
    return out[:MAX_LINES]


def _plain(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def measures_answer(query: Query, scoped: list[NoteDraft], client: ClientRecord) -> Answer:
    """Scores per measure, oldest to newest, each with its session date."""
    wanted = measure_filter(query.measure)
    series: dict[str, list[tuple[NoteDraft, str]]] = {}
    names: dict[str, str] = {}
    uncertain: list[tuple[NoteDraft, str, str]] = []
    for note in reversed(scoped):
        for m in note.measures:
            if not wanted(m.name):
                continue
            key = measure_key(m.name)
            if getattr(m, "uncertain", False):  # never shown as a clean number in a trend
                series.setdefault(key, []).append((note, f"uncertain ({note.session_date.isoformat()})"))
                if m.evidence:
                    uncertain.append((note, m.name, m.evidence))
            else:
                score = int(m.score) if float(m.score).is_integer() else m.score
                series.setdefault(key, []).append((note, f"{score} ({note.session_date.isoformat()})"))
            names.setdefault(key, m.name)
    if not series:
        what = query.measure or "measures"
        return Answer(f"{NO_NOTE} — no {what} scores recorded for {scope(query, scoped, client)}.", found=False)
    rows = [f"- {names[k]}: " + " → ".join(v for _, v in points) for k, points in series.items()]
    text = f"{client.name} — scores, oldest to newest:\n" + "\n".join(rows)
    if uncertain:
        text += "\nScores marked uncertain, as noted:\n" + "\n".join(
            f"- {n.session_date.isoformat()} ({name}, uncertain): {evidence}" for n, name, evidence in uncertain)
    return Answer(text, cite(client, reversed([n for pts in series.values() for n, _ in pts])))
