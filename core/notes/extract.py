"""Extractive pieces of a note: summary, key points, homework, plan, follow-ups.

Every function returns sentences or sub-spans of sentences it was given (re-capitalised, with final
punctuation) — never a word that was not said.
"""
from __future__ import annotations

import re
from typing import Sequence

from core.notes.sections import FAMILY_RX, informativeness
from core.language.text import words

HOMEWORK = re.compile(
    r"\bhomework\b|\bhome\s+work\b|(?-i:\bHW\b)|^try\s+to\b|\bbetween\s+(?:now\s+and\s+next\s+)?sessions?\b|(?<!private\s)\bpracti[cs]e\b(?!d)(?!\s+in\s+session)"
    r"|\b(?:will|'ll|going\s+to|agreed\s+to|is\s+to|plans?\s+to|committed\s+to)\s+(?:\w+\s+)?try\b"
    r"|\b(?:keep|keeping|start|use|fill\s+out|complete|continue)\s+(?:a|an|her|his|their|the|my)\s+(?:\w+\s+){0,2}"
    r"(?:log|diary|journal|record|tracker|list|worksheet)s?\b"
    r"|\b(?:keep|complete|fill\s+out|do|continue)\s+(?:(?:a|the|her|his|their)\s+)?thought\s+records?\b"
    r"|\bassign(?:ed|ment|ments)\b|\b(?:before|by)\s+(?:our\s+)?next\s+(?:session|time|week|appointment)\b"
    r"|\bcommitted\s+to\b|\bagreed\s+to\s+(?:try|do|practi[cs]e|keep|track|write|read|call|schedule|go|walk|use|start|"
    r"reach|spend|limit|cut|attend|journal|log|notice|text|plan)\b"
    r"|\bagreed\s+to\s+[^.;]{0,60}?\b(?:(?:each|every|a|per)\s+(?:day|morning|evening|night)|daily|this\s+week)\b"
    # "between now and next week he will call his sponsor every day", "until we meet again"
    r"|\bbetween\s+now\s+and\s+(?:next\s+(?:week|session|time)|our\s+next\s+(?:session|appointment)|then)\b"
    r"|\buntil\s+(?:we\s+meet\s+again|next\s+(?:week|session)|our\s+next\s+(?:session|appointment))\b"
    r"|\b(?:she|he|they)\s+(?:will|'ll|is\s+going\s+to|are\s+going\s+to)\s+[^.;]{0,40}?\b(?:(?:each|every)\s+(?:day|morning|"
    r"evening|night)|daily)\b",
    re.I,
)
_HOMEWORK_PREFIX = re.compile(
    r"^(?:(?:and|so|also|then|okay|ok)\W+)?(?:(?:for|as)\s+(?:her\s+|his\s+|their\s+)?homework|(?:her\s+|his\s+|their\s+|the\s+)?"
    r"(?:homework|home\s+work|HW)(?:\s+for\s+(?:next|this)\s+(?:week|session|time))?\s*(?:is|was|will\s+be|:|-))\s*,?\s*(?:to\s+)?",
    re.I,
)
_FOLLOW_STRONG = (
    r"follow(?:ing)?\s+up\s+(?:on|with|about|regarding)|f/u(?:\s+(?:on|with|re))?|check(?:ing)?\s+in\s+(?:on|about|with|re)|circle\s+back\s+to|"
    r"revisit(?:ing)?|ask(?:ing)?\s+(?:her|him|them)\s+(?:about|how|whether|if)|ask\s+about|come\s+back\s+to|"
    r"pick\s+up\s+(?:on|with|where)|get\s+back\s+to|keep\s+an\s+eye\s+on"
)
_FOLLOW_WEAK = (
    r"review(?:ing)?|look(?:ing)?\s+(?:at|into)|explore|talk\s+(?:more\s+)?about|discuss|see\s+how|find\s+out|"
    r"monitor(?:ing)?|return\s+to|focus\s+on|work\s+on|start|continue|assess|go\s+over"
)
FOLLOW_VERB = re.compile(rf"\b(?:(?P<strong>{_FOLLOW_STRONG})|(?P<weak>{_FOLLOW_WEAK}))\b", re.I)
NEXT_TIME = re.compile(
    r"\b(?:next\s+(?:time|session|week|appointment|visit)|at\s+(?:our|the)\s+next|when\s+we\s+(?:next\s+)?meet|"
    r"in\s+(?:two|three|a\s+couple\s+of|\d)\s+weeks)\b",
    re.I,
)
_COPING_NEXT = re.compile(r"\bnext\s+time\s+(?:she|he|they|you|I)\s+(?:\w+\s+)?(?:feels?|gets?|notices?|starts?|has|have|is|are)\b", re.I)
_CLAUSE_END = re.compile(
    r"[.;!?]|,\s+(?:and|but|then|so)\b|,\s+(?:she|he|they|we|I)\s|\s+and\s+(?:then\s+)?(?:I|we|she|he|they)\s+(?:will|'ll|want|plan)"
    r"|\s+(?:because|since|so\s+that)\b",
    re.I,
)
_TRAILING_TIME = re.compile(r"[\s,]+(?:at\s+)?(?:(?:the|our)\s+)?next\s+(?:time|session|week|appointment|visit)\s*$", re.I)
_SUMMARY_CUE = re.compile(
    r"\b(?:present(?:ed|s)\s+(?:with|w(?=/))|came\s+in|main\s+(?:concern|issue|focus|theme)|focus(?:ed)?\s+(?:of|on)|"
    r"discussed|talked\s+(?:a\s+lot\s+)?about|report(?:s|ed)|struggl\w+|session\s+(?:focused|centered)|worked\s+on|"
    r"spent\s+(?:most\s+of\s+)?(?:the\s+)?session|processing|been\s+(?:feeling|having|dealing)|"
    r"(?:did\s+not|didn't)\s+(?:show|attend|turn\s+up|come\s+in)|no[\s-]show\w*|late\s+cancell?ation|cancell?ed\s+(?:the|her|his|their|today's))\b",
    re.I,
)


def tidy(span: str) -> str:
    """A sub-span of a sentence as a note line: trimmed, capitalised, ending with punctuation."""
    span = span.strip(" ,;:-—–")
    if not words(span):
        return ""
    span = span[0].upper() + span[1:]
    return span if span[-1] in ".!?\"')" else span + "."


def _usable(sentence: str) -> bool:
    return not sentence.rstrip().endswith("?") and len(words(sentence)) >= 3


def _clause_with(sentence: str, start: int) -> str:
    """The clause of `sentence` containing position `start`, cut at commas/conjunctions around it."""
    left = 0
    for match in re.finditer(r"[.;!?]\s|,\s+(?:and|but|so|then)\s|\b(?:but|because)\s", sentence[:start]):
        left = match.end()
    end_match = _CLAUSE_END.search(sentence, start)
    right = end_match.start() if end_match else len(sentence)
    return sentence[left:right]


_NOT_ASSIGNED = re.compile(
    r"\b(?:didn't|did\s+not|hasn't|has\s+not|haven't|never|forgot|skipped|missed|wasn't\s+able\s+to|couldn't|no|"
    r"reviewed|went\s+over|looked\s+at|checked|completed|did|finished|done|last\s+week's|previous)\b[^.]{0,25}\b(?:homework|assignment|log|diary|"
    r"worksheet|thought\s+record|practi[cs]e|exercises?|exposures?|journal(?:ing)?|reading)\b",
    re.I,
)
# "She didn't do the log, so for homework she will restart it": the assignment after the review.
_ASSIGNED_AFTER = re.compile(
    r"\b(?:for\s+(?:her\s+|his\s+|their\s+)?homework|homework\s+(?:is|will\s+be)|(?:she|he|they|we)\s+(?:will|'ll|agreed\s+to|"
    r"is\s+going\s+to|are\s+going\s+to))\b",
    re.I,
)


_PLAN_LABEL = re.compile(r"^(?:the\s+)?plan\s*[:,\-–—]", re.I)
# Said near the word "homework" or "agreed to", but not an assignment for between sessions: an appointment,
# a plan for the next session, a progress remark, a sentence under another heading.
_NOT_HOMEWORK = re.compile(
    r"\b(?:keep|kept|keeping|attend|attending|come\s+(?:in\s+)?to|book|schedul\w+|reschedul\w+|confirm\w*|move|moving|cancel\w*)\s+"
    r"(?:\w+'s\s+|the\s+|next\s+|our\s+|her\s+|his\s+|their\s+|a\s+|an\s+)?(?:\w+\s+)?(?:appointments?|sessions?|visits?|meetings?|slot)\b"
    r"|\b(?:engaged|engagement|compliant|compliance|adherent|adherence|consistent|good|great|struggl\w+|doing\s+well|progress)\s+"
    r"(?:with|on|in)\s+(?:the\s+|her\s+|his\s+|their\s+)?(?:homework|assignments?|practice)\b"
    r"|\bhomework\s+(?:compliance|completion|adherence|review|was\s+(?:done|completed|good|reviewed)|done|completed|reviewed)\b"
    r"|^(?:(?-i:[SOADB])\s*:|(?:subjective|objective|assessment|data|behaviou?r|response)\s*[:\-–—])"
    r"|^(?:next\s+(?:session|time|week)|at\s+(?:the|our)\s+next\s+session|in\s+session)\b[^.]{0,40}\b(?:we|I)(?:'ll|\s+will|\s+plan|\s+want)",
    re.I,
)


def homework(sentences: Sequence[str], skip: set[int] = frozenset(), limit: int = 5) -> list[str]:
    """Assignments for between sessions (not last week's homework being reviewed or skipped)."""
    items: list[str] = []
    for index, sentence in enumerate(sentences):
        if index in skip or not _usable(sentence):
            continue
        missed = _NOT_ASSIGNED.search(sentence)
        if missed:  # last week's homework reviewed or not done; only a new assignment after it counts
            after = _ASSIGNED_AFTER.search(sentence, missed.end())
            if not after:
                continue
            sentence = tidy(sentence[after.start():])
        match = HOMEWORK.search(sentence)
        if not match or not _usable(sentence) or _NOT_HOMEWORK.search(sentence):
            continue
        if _PLAN_LABEL.match(sentence) and not re.search(r"\bhome\s?work\b", sentence, re.I):
            continue  # "Plan: practise the conversation next session" is the plan, not an assignment
        text = _HOMEWORK_PREFIX.sub("", sentence.strip())
        if len(words(text)) > 30:
            text = _clause_with(sentence, match.start())
        item = tidy(text)
        if item and item not in items:
            items.append(item)
    return items[:limit]


def follow_ups(sentences: Sequence[str], skip: set[int] = frozenset(), limit: int = 5) -> list[str]:
    """Things to pick up next time, from the verb on: "Check in on her father's visit", "Revisit the safety plan"."""
    items: list[str] = []
    for index, sentence in enumerate(sentences):
        if index in skip or not _usable(sentence) or _COPING_NEXT.search(sentence):
            continue
        time = NEXT_TIME.search(sentence)
        found = list(FOLLOW_VERB.finditer(sentence))
        verbs = [m for m in found if m.group("strong")] or ([m for m in found] if time else [])
        if verbs:
            clause = _clause_with(sentence, verbs[0].start())
            offset = sentence.find(clause)
            inside = [m for m in verbs if offset <= m.start() < offset + len(clause)] or verbs[:1]
            texts = []
            for i, verb in enumerate(inside):
                end = inside[i + 1].start() if i + 1 < len(inside) else offset + len(clause)
                texts.append(re.sub(r"\s+(?:and|or)\s*$", "", sentence[verb.start():end].rstrip(" ,")))
        elif time and not HOMEWORK.search(sentence):
            texts = [_clause_with(sentence, time.start())]
        else:
            continue
        for text in texts:
            item = tidy(_TRAILING_TIME.sub("", text))
            if item and len(words(item)) >= 2 and item not in items:
                items.append(item)
    return items[:limit]


# "denies any plan", "no plan or intent": a risk screening answer, not a treatment plan.
_NO_PLAN = re.compile(
    r"\b(?:no|denie[sd]|without|not)\s+(?:any\s+|a\s+)?(?:specific\s+|current\s+|suicidal\s+)?plans?\b"
    r"|\bplan(?:s|ned|ning)?\s+to\s+(?:overdose|kill|die|end|hang|jump|shoot|cut|hurt|harm|take\s+(?:all|a|the|his|her|their))\b",
    re.I,
)  # ... and "has a plan to overdose" is a risk, not a treatment plan


def plan_items(sentences: Sequence[str], skip: set[int] = frozenset(), limit: int = 6) -> list[str]:
    scored = [
        (informativeness(s), i) for i, s in enumerate(sentences)
        if i not in skip and _usable(s) and FAMILY_RX["plan"].search(_NO_PLAN.sub("", s))
    ]
    best = sorted(scored, key=lambda item: (-item[0], item[1]))[:limit]
    return [sentences[i] for _, i in sorted(best, key=lambda item: item[1])]


def _trim(sentence: str, max_words: int = 30) -> str:
    if len(words(sentence)) <= max_words:
        return sentence
    cut = None
    for match in re.finditer(r"[,;:]\s", sentence):
        if len(words(sentence[:match.start()])) > max_words:
            break
        if len(words(sentence[:match.start()])) >= 8:
            cut = match.start()
    return tidy(sentence[:cut]) if cut else sentence


def summary_and_key_points(
    sentences: Sequence[str], skip: set[int], boost: dict[int, float], limit: int = 5
) -> tuple[str, list[str]]:
    """One extractive line for the whole note, and the few most informative other sentences."""
    total = max(len(sentences), 1)
    scored: list[tuple[float, int]] = []
    for index, sentence in enumerate(sentences):
        n_words = len(words(sentence))
        if index in skip or not _usable(sentence) or n_words < 5:
            continue
        scored.append((informativeness(sentence), index))
    if not scored:  # a very short memo ("Sam felt low."): its first sentence is the summary, preferring
        # what the client said or did ("Wife supportive.") to a bare score ("GAD-7 7.")
        short = [s for i, s in enumerate(sentences) if i not in skip and len(words(s)) >= 2 and not s.rstrip().endswith("?")]
        short.sort(key=lambda s: bool(re.search(r"\d", s)))
        return (short[0], []) if short else ("", [])

    def summary_score(item: tuple[float, int]) -> float:
        score, index = item
        score += boost.get(index, 0.0) / 3  # a risk line is flagged anyway; the summary says what the session was
        sentence = sentences[index]
        bonus = 1.5 if _SUMMARY_CUE.search(sentence) else 0.0
        bonus += 1.0 if index < max(3, total * 0.3) else 0.0
        # what was assigned or comes next is listed under homework/follow-ups; the summary says what happened
        bonus -= 2.5 if HOMEWORK.search(sentence) or NEXT_TIME.search(sentence) else 0.0
        bonus -= 1.0 if not 6 <= len(words(sentence)) <= 40 else 0.0
        return score + bonus

    best = max(scored, key=lambda item: (summary_score(item), -item[1]))
    summary = _trim(sentences[best[1]])
    others = [(score + boost.get(index, 0.0), index) for score, index in scored if index != best[1]]
    top = sorted(others, key=lambda item: (-item[0], item[1]))[:limit]
    return summary, [sentences[i] for _, i in sorted(top, key=lambda item: item[1])]
