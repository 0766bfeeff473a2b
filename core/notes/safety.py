"""Risk and alliance signals, each with the sentence it came from.

A risk phrase in a sentence becomes a Flag whose status says how it was said: "present", "denied" (a
screening result such as "denies SI" — reported, never dropped) or "historical" ("attempted in 2019").
Sentences are cut into clauses at "but", "however", ";" so that "denies active SI but endorses passive
thoughts of not waking up" yields both a denial and a present passive-ideation flag. The phrasings live
in core/notes/risk_suicide.py, core/notes/risk_frames.py and core/notes/risk_patterns.py.
"""
from __future__ import annotations

import re
import string
from typing import Iterable, Sequence

from core.notes import risk_patterns as P
from core.notes.risk_suicide import SENTENCE_RULES
from core.language.text import clean_sentences, words
from core.types import Flag

RISK_KINDS = (
    "passive_ideation", "active_ideation", "preparatory_behaviour", "suicide_attempt", "self_harm", "harm_to_others",
    "abuse", "access_to_means", "substance_risk", "suicide_exposure", "psychosis", "mania", "eating_disorder", "medical",
)
# One line per kind for renderers and answers ("access to means?").
RISK_LABELS = {
    "passive_ideation": "passive suicidal ideation (wish to be dead)",
    "active_ideation": "active suicidal ideation",
    "preparatory_behaviour": "preparatory behaviour",
    "suicide_attempt": "suicide attempt",
    "self_harm": "self-harm",
    "harm_to_others": "harm to others",
    "abuse": "abuse or violence",
    "access_to_means": "access to means",
    "substance_risk": "substance-related risk",
    "suicide_exposure": "exposure to suicide",
    "psychosis": "psychosis",
    "mania": "mania",
    "eating_disorder": "eating disorder",
    "medical": "medical risk",
}
ALLIANCE_KINDS = ("rupture", "repair", "ambivalence", "resistance")
STATUSES = ("present", "denied", "historical")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


def _alternation(patterns: Iterable[str]) -> re.Pattern[str]:
    return _rx("|".join(f"(?:{p})" for p in patterns))


def _lower_alternation(patterns: Iterable[str]) -> re.Pattern[str]:
    """Matched against lower-cased text: much faster than re.IGNORECASE with Python's engine."""
    return re.compile("|".join(f"(?:{p})" for p in patterns).lower())


_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)  # keeps offsets
_RISK = tuple((kind, quals, _lower_alternation(patterns)) for kind, quals, patterns in P.RISK_RULES)
_WHOLE_SENTENCE = tuple((kind, quals, _lower_alternation(patterns)) for kind, quals, patterns in SENTENCE_RULES)
_CASED = tuple((kind, quals, re.compile("|".join(f"(?:{p})" for p in patterns))) for kind, quals, patterns in P.CASED_RULES)
_ALLIANCE = tuple((kind, _lower_alternation(patterns)) for kind, patterns in P.ALLIANCE_RULES)
_QUALIFIERS = tuple((_rx(pattern), quals) for pattern, quals in P.QUALIFIER_RULES)
_ABUSE_QUALIFIERS = tuple((_rx(pattern), qual) for pattern, qual in P.ABUSE_QUALIFIERS)
_COMMAND = _rx(P.COMMAND_HALLUCINATION)
_NEGATION = _rx(P.NEGATION)
_DENY_VERB = _rx(P.DENY_VERB)
_POST_NEGATION = _rx(P.POST_NEGATION)
_BREAKERS = _rx(P.SCOPE_BREAKERS)
_PLAN_WORDS = _rx(P.PLAN_WORDS)
_HISTORICAL = _rx(P.HISTORICAL)
_CURRENT = _rx(P.CURRENT)
_SINCE = _rx(P.SINCE)
_NOT_BEFORE = _rx(r"\b(?:none|no|not|nothing|never)\s*,?\s*$")
_LEADING_NEGATION = _rx(r"^(?:hasn't|has\s+not|haven't|have\s+not|hadn't|not)\b")
_THIRD_PARTY = _rx(P.THIRD_PARTY)
_EXPOSURE = _rx(P.EXPOSURE_MATCH)
_POSSESSIVE_THIRD = _rx(P.POSSESSIVE_THIRD)
_QUESTION = _rx(P.THERAPIST_QUESTION)
# "I could kill him for eating my leftovers," she laughed: a figure of speech unless "and I mean it"
_HYPERBOLE = _rx(r"\b(?:laugh\w*|jok(?:e|ed|es|ing)|kidding|lol|haha|jest\w*|sarcastic\w*)\b|\b(?:could|'d|would|gonna|going\s+to)\s+"
                 r"(?:kill|murder|strangle)\s+(?:him|her|them|(?:his|her|their|my)\s+\w+)\s+for\s+\w+ing\b")
_SERIOUS = _rx(r"\b(?:means?\s+it|meant\s+it|serious(?:ly)?|not\s+(?:joking|kidding)|(?:wasn't|isn't|wasnt|isnt)\s+(?:joking|kidding)|no\s+joke)\b")
_CLAUSE = _rx(r"\s*(?:;|—|–|\s-\s|\bbut\b|\bhowever\b|\balthough\b|\bthough\b|\bexcept\b|\bwhereas\b|\byet\b|"
              r",(?=\s*(?:denies|denied|endorses|endorsed)\b))\s*")
_ALLIANCE_NEGATION = _rx(r"\b(?:no|not|never|without|nor)\b[^,.;]{0,20}$|n't\s+(?:\w+\s+){0,1}$")
_SUICIDAL = {"ideation", "passive_ideation", "active_ideation", "suicide_attempt", "preparatory_behaviour"}
_WITH_QUALIFIERS = {"passive_ideation", "active_ideation", "preparatory_behaviour", "harm_to_others", "self_harm", "access_to_means"}
_CLAUSE_ONLY = {"passive", "active"}
# "thought about taking all her pills" is ideation, not an attempt
_NOT_DONE = _rx(r"\b(?:thought|thoughts|thinking|thinks|think|wants?|wanted|urges?|plan\w*|consider\w*|fantasi\w*|imagin\w*|"
                r"if|would|might|afraid\s+(?:she|he|they)\s+(?:will|might))\b[^.;]{0,40}$")


_BARE_CONTRACTIONS = {
    "dont": "don't", "doesnt": "doesn't", "didnt": "didn't", "isnt": "isn't", "wasnt": "wasn't", "werent": "weren't",
    "arent": "aren't", "hasnt": "hasn't", "havent": "haven't", "hadnt": "hadn't", "wouldnt": "wouldn't",
    "couldnt": "couldn't", "shouldnt": "shouldn't", "cant": "can't", "wont": "won't", "hes": "he's", "shes": "she's",
    "im": "I'm", "ive": "I've", "theyre": "they're", "youre": "you're", "whats": "what's", "thats": "that's",
    "theres": "there's", "itll": "it'll", "theyll": "they'll",
}
_BARE = re.compile(r"\b(" + "|".join(_BARE_CONTRACTIONS) + r")\b", re.I)


# Hedges carry no risk meaning but sit between the words a pattern reads together: "thinks about just not
# waking up", "I'd rather just be dead", "wishes he could really just disappear". "Not just" is kept: there
# the hedge is part of a negation's scope ("not just stress").
_HEDGES = re.compile(r"(?<!\bnot )(?<!\bn't )\b(?:(?:like )?just|really|simply|basically|literally|honestly|kind of|sort of)\s+(?=\w)",
                     re.I)


def _canonical(sentence: str) -> str:
    """Typed or ASR text without apostrophes ("doesnt", "shes") is matched like the usual spelling, and
    without hedges."""
    sentence = re.sub(r"[’‘`´]", "'", sentence)
    return _HEDGES.sub("", _BARE.sub(lambda m: _BARE_CONTRACTIONS[m.group(1).lower()], sentence))


def _negated(clause: str, start: int, end: int) -> bool:
    """Is the risk phrase at clause[start:end] denied ("denies SI", "no thoughts of ...", "SI: none")?"""
    if _POST_NEGATION.match(clause[end:end + 60]) or _DENY_VERB.match(clause, start):
        return True  # the phrase itself may start with the denial ("denies hi")
    before = clause[:start]
    cues = list(_NEGATION.finditer(before))
    if not cues:
        return False
    cue = cues[-1]
    between = before[cue.end():]
    if len(words(between)) > 8 or between.lstrip().startswith(","):
        return False  # too far, or a standalone "No, ..."
    if _BREAKERS.search(between):
        return False
    if not _DENY_VERB.match(before, cue.start()) and _PLAN_WORDS.search(between):
        return False  # "no plan to kill herself": the plan is negated, not the ideation
    # "denies SI, HI, and AVH" carries across a list; "never felt so alone, thinking of ending it" does not.
    return "," not in between or all(w.lower() in P.LIST_WORDS for w in words(between))


def _current(clause: str) -> bool:
    """A present-time cue that is not itself negated ("none recently", "not since")."""
    return any(not _NOT_BEFORE.search(clause[:m.start()]) for m in _CURRENT.finditer(clause))


def _status(clause: str, start: int, end: int) -> str:
    negated = _negated(clause, start, end)
    if (negated or _LEADING_NEGATION.match(clause[start:end])) and _SINCE.search(clause):
        return "historical"  # "hasn't cut in three months"
    if negated:
        return "denied"
    if _HISTORICAL.search(clause) and not _current(clause):
        return "historical"
    return "present"


def _qualifiers(text: str) -> set[str]:
    found: set[str] = set()
    for pattern, quals in _QUALIFIERS:
        if pattern.search(text):
            found.update(quals)
    for negative, positive in (("no plan", "plan"), ("no intent", "intent")):
        if negative in found:
            found.discard(positive)
    return found


def _ordered(quals: Iterable[str]) -> tuple[str, ...]:
    order = ["passive", "active", "method", "plan", "no plan", "intent", "no intent", "actual", "interrupted", "aborted",
             "means", "no access to means"]
    return tuple(sorted(set(quals), key=lambda q: (order.index(q) if q in order else len(order), q)))


def _kind_qualifiers(kind: str, sentence: str, clause: str, status: str, next_sentence: str) -> set[str]:
    if kind in _WITH_QUALIFIERS:
        quals = _qualifiers(clause)
        if status != "denied":
            quals |= _qualifiers(sentence) - _CLAUSE_ONLY
            if next_sentence and len(words(next_sentence)) <= 12 and not _risk_matches(next_sentence):
                quals |= _qualifiers(next_sentence) - _CLAUSE_ONLY - {"timeframe"}
        if kind != "active_ideation":
            quals.discard("method")
        if kind not in ("passive_ideation", "active_ideation", "harm_to_others"):
            quals -= {"passive", "active"}
        return quals
    if kind == "abuse":
        return {qual for pattern, qual in _ABUSE_QUALIFIERS if pattern.search(sentence)}
    if kind == "psychosis" and _COMMAND.search(sentence):
        return {"command hallucinations"}
    return set()


def _ideation_kinds(clause: str, start: int, end: int) -> list[str]:
    """A generic mention ("SI", "suicidal thoughts") is passive when the words around it say so ("passive
    SI", "SI passive"), else active; "passive or active SI" is both."""
    quals = _qualifiers(clause[max(0, start - 30):end + 12])
    kinds = ["passive_ideation"] if "passive" in quals else []
    if "active" in quals or not kinds:
        kinds.append("active_ideation")
    return kinds


def _risk_matches(text: str) -> list[tuple[str, tuple[str, ...], re.Match[str]]]:
    lowered = text.translate(_LOWER)
    found = [(kind, quals, m) for kind, quals, rx in _RISK for m in rx.finditer(lowered)]
    return found + [(kind, quals, m) for kind, quals, rx in _CASED for m in rx.finditer(text)]


def _without_overlaps(matches):  # type: ignore[no-untyped-def]
    """The most specific reading of a phrase: ideation inside an attempt or preparatory match is dropped
    ("attempted suicide" is an attempt), and an attempt phrase said as a thought ("thinking about taking
    all her pills") is ideation, not an attempt."""
    specific = [m.span() for kind, _, m in matches if kind in ("suicide_attempt", "preparatory_behaviour")]
    return [
        (kind, quals, m) for kind, quals, m in matches
        if kind not in ("ideation", "passive_ideation", "active_ideation")
        or not any(a <= m.start() and m.end() <= b or (a < m.end() and m.start() < b and kind == "ideation") for a, b in specific)
    ]


def _clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE.split(sentence) if c and words(c)]


def detect_risks(sentences: Sequence[str]) -> list[Flag]:
    """Risk flags in sentence order, one per (sentence, kind, status), with qualifiers. Give it cleaned
    sentences (core.language.text.clean_sentences); a plain string is split and cleaned first."""
    if isinstance(sentences, str):
        sentences = clean_sentences(sentences)
    flags: dict[tuple[str, str, str], set[str]] = {}
    for index, sentence in enumerate(sentences):
        if _QUESTION.match(sentence.strip()):
            continue  # the therapist asking "have you thought about killing yourself?" is not a finding
        following = _canonical(sentences[index + 1]) if index + 1 < len(sentences) else ""
        text = _canonical(sentence)
        for clause in _clauses(text):
            for found_kind, pattern_quals, match in _without_overlaps(_risk_matches(clause)):
                status = _status(clause, match.start(), match.end())
                before = clause[:match.start()]
                if found_kind == "suicide_attempt" and _NOT_DONE.search(before):
                    continue
                if found_kind == "harm_to_others" and _HYPERBOLE.search(text) and not _SERIOUS.search(text):
                    continue
                kinds = _ideation_kinds(clause, match.start(), match.end()) if found_kind == "ideation" else [found_kind]
                if found_kind in _SUICIDAL and (
                    (_EXPOSURE.search(match.group(0)) and _THIRD_PARTY.search(before)) or _POSSESSIVE_THIRD.search(before)
                ):
                    kinds = ["suicide_exposure"]  # someone else's suicide or attempt
                for kind in kinds:
                    quals = set(pattern_quals) | _kind_qualifiers(kind, text, clause, status, following)
                    if status == "denied":
                        quals -= {"means", "plan", "intent", "timeframe", "method"}
                    flags.setdefault((sentence, kind, status), set()).update(quals)
        lowered = text.translate(_LOWER)
        for kind, quals, rx in _WHOLE_SENTENCE:
            for match in rx.finditer(lowered):
                flags.setdefault((sentence, kind, _status(text, match.start(), match.end())), set()).update(quals)
    return [Flag(kind=kind, evidence=sentence, status=status, qualifiers=_ordered(quals))
            for (sentence, kind, status), quals in flags.items()]


def detect_alliance(sentences: Sequence[str]) -> list[Flag]:
    """Rupture, repair, ambivalence and resistance signals, one per (sentence, kind)."""
    if isinstance(sentences, str):
        sentences = clean_sentences(sentences)
    flags: list[Flag] = []
    for sentence in sentences:
        text = _canonical(sentence).translate(_LOWER)
        for kind, rx in _ALLIANCE:
            for match in rx.finditer(text):
                if not _ALLIANCE_NEGATION.search(text[max(0, match.start() - 40):match.start()]):
                    flags.append(Flag(kind=kind, evidence=sentence))
                    break
    return flags


def present_risks(flags: Iterable[Flag]) -> list[Flag]:
    """The flags that need attention now (not screening denials)."""
    return [f for f in flags if f.status == "present"]
