"""Guards against invention for model-written notes: what the model says must be in the source.

The model paraphrases, so "found verbatim" (the offline writer's rule) is too strict; "similar to
something somewhere in the transcript" is too loose (a long transcript contains every common word).
The rule here is local: a claim is supported when ONE short window of the source (up to three adjacent
sentences) covers most of the claim's content words (light stemming), carries every number the claim
states, and agrees with it on negation ("sleep has not improved" never supports "sleep improved").
Quotes (risk and alliance evidence, measure evidence) must be found nearly verbatim (rapidfuzz
partial_ratio) — a flag without a real quote is not shown to the therapist.

`guard_note` applies all of it to a model's note and merges in the offline safety detector's flags.
Everything dropped is counted by kind for the log; the text itself is never logged.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Sequence

from rapidfuzz import fuzz

from core.notes.safety import ALLIANCE_KINDS, RISK_KINDS, STATUSES, detect_alliance, detect_risks
from core.language.text import clean_sentences, normalise, split_sentences, words
from core.types import Flag, NoteDraft

log = logging.getLogger(__name__)

QUOTE_MIN_RATIO = 88.0  # partial_ratio for a quote; tolerates ASR punctuation and a dropped filler
SUPPORT_MIN_COVERAGE = 0.6  # share of a claim's content words found in one source window
WINDOW = 3  # sentences

# Words a note adds around what was said ("Client reports that ...", "Discussed ..."): not content.
_FRAMING = frozenset("""
a an the and or but so of to in on at for with from by as is are was were be been being am has have had do does did
that this these those it its it's he she they them his her their hers him i me my we our you your
client clients patient patients therapist counselor counsellor session sessions today reports reported report reporting
states stated describes described discussed discusses discussing noted notes note mentions mentioned shares shared
expressed expresses indicated indicates endorsed endorses presented presents appears appeared also will would
should could can may might which who whom what when where how there here about over into during per via than then
just very more most some any each other again further next time score scored rating rated
""".split())
_NEGATIONS = frozenset({"not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "without", "deny", "denies", "denied", "denying"})
_SUFFIXES = ("ational", "ization", "fulness", "ousness", "iveness", "ments", "ment", "ness", "ings", "ing", "ies", "ied",
             "edly", "ed", "es", "ive", "ly", "al", "er", "s")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_CLAUSE = re.compile(r"\s*(?:[,;:]|\s-\s|—|–|\band\b|\bbut\b|\bbecause\b|\bso\b|\bwhile\b|\balthough\b)\s*", re.I)


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    word = word.lower().replace("'", "")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:5]


def content_stems(text: str) -> set[str]:
    return {stem(w) for w in words(text) if w.lower() not in _FRAMING and not w.isdigit() and len(w) > 1}


def _negated(text: str) -> bool:
    lowered = text.lower()
    return "n't" in lowered or "n’t" in lowered or any(w.lower() in _NEGATIONS for w in words(text))


@dataclass
class _Window:
    text: str
    stems: set[str]
    numbers: set[str]
    negated: bool


@dataclass
class Source:
    """One or more source texts (the transcript; for a revision also the instruction and the old note)
    prepared once for many checks."""

    texts: tuple[str, ...]
    windows: list[_Window] = field(default_factory=list)
    normalised: str = ""

    @classmethod
    def of(cls, *texts: str) -> "Source":
        source = cls(tuple(t for t in texts if t))
        chunks: list[str] = []
        for text in source.texts:
            sentences = split_sentences(text)
            for size in range(1, WINDOW + 1):
                chunks += [" ".join(sentences[i : i + size]) for i in range(0, max(len(sentences) - size + 1, 0))]
            # Clauses too, so a negation in one clause does not taint its neighbour:
            # "keeps a sleep diary and says her sleep has not improved" supports "keeps a sleep diary".
            for sentence in sentences:
                clauses = [c for c in _CLAUSE.split(sentence) if c and words(c)]
                if len(clauses) > 1:
                    chunks += clauses
        for chunk in chunks:
            source.windows.append(_Window(chunk, content_stems(chunk), set(_NUMBER.findall(chunk)), _negated(chunk)))
        source.normalised = " " + " \n ".join(normalise(t) for t in source.texts) + " "
        return source

    def quote_found(self, quote: str) -> bool:
        """The quote (normalised) occurs in the source, allowing small transcription differences."""
        target = normalise(quote)
        if len(target.split()) < 2:  # one word is no evidence of anything
            return False
        if f" {target} " in self.normalised:
            return True
        return fuzz.partial_ratio(target, self.normalised, score_cutoff=QUOTE_MIN_RATIO) >= QUOTE_MIN_RATIO

    def supports(self, claim: str, *, coverage: float = SUPPORT_MIN_COVERAGE) -> bool:
        claim = claim.strip()
        if not claim or normalise(claim) in ("not discussed", ""):
            return True
        if self.quote_found(claim):
            return True
        stems = content_stems(claim)
        numbers = set(_NUMBER.findall(claim))
        if not stems:
            return False
        negated = _negated(claim)
        for window in self.windows:
            if not numbers <= window.numbers or negated != window.negated:
                continue
            if len(stems & window.stems) / len(stems) >= coverage:
                return True
        return False

    def supported_text(self, text: str) -> tuple[str, int]:
        """The sentences of `text` that the source supports, and how many were removed."""
        kept, removed = [], 0
        for sentence in split_sentences(text):
            if self.supports(sentence):
                kept.append(sentence)
            else:
                removed += 1
        return " ".join(kept), removed

    def measure_found(self, name: str, score: float) -> bool:
        """"PHQ-9 17": the measure's name and that exact score in one window."""
        score_text = f"{score:g}"
        name_stems = content_stems(name.replace("-", " ")) or {name.lower()}
        for window in self.windows:
            if score_text in window.numbers and name_stems <= window.stems | {n for n in window.numbers}:
                return True
        return False


# ---- a whole note ------------------------------------------------------------------------------------
MAX_ITEMS = 12
NOT_DISCUSSED = "Not discussed"


def guard_note(
    draft: NoteDraft,
    source: Source,
    transcript: str,
    *,
    keep_risks: Sequence[Flag] = (),
    keep_alliance: Sequence[Flag] = (),
) -> NoteDraft:
    """A model's note with everything the source does not support removed and the offline safety
    signals merged in. `keep_*`: flags a revision must carry over (an edit never silently drops a risk)."""
    dropped: Counter[str] = Counter()

    sections = []
    for name, text in draft.sections:
        kept, removed = source.supported_text(text or "")
        dropped["section sentence"] += removed
        sections.append((name, kept if kept and normalise(kept) != "not discussed" else NOT_DISCUSSED))

    def items(key: str, values: Sequence[str]) -> tuple[str, ...]:
        kept = []
        for item in (" ".join(v.split()) for v in values[:MAX_ITEMS]):
            if item and source.supports(item):
                kept.append(item)
            elif item:
                dropped[key] += 1
        return tuple(dict.fromkeys(kept))

    summary, removed = source.supported_text(draft.summary)
    dropped["summary sentence"] += removed

    measures = []
    for m in draft.measures[:MAX_ITEMS]:
        if source.measure_found(m.name, m.score):
            measures.append(replace(m, evidence=m.evidence if source.quote_found(m.evidence) else ""))
        else:
            dropped["measure"] += 1

    sentences = clean_sentences(transcript)
    detected_risks = detect_risks(sentences)
    risks: list[Flag] = []
    for flag in draft.risks[:MAX_ITEMS]:
        if flag.kind not in RISK_KINDS or flag.status not in STATUSES or not source.quote_found(flag.evidence):
            dropped[f"risk flag {flag.kind if flag.kind in RISK_KINDS else 'unknown'}"] += 1
            continue
        # A qualifier is a claim too ("no plan" is reassurance that must have been said): keep those the
        # source supports or the offline detector also found for this kind.
        known = {q for f in detected_risks if f.kind == flag.kind for q in f.qualifiers}
        qualifiers = [q.strip() for q in flag.qualifiers if q.strip() and (q.strip() in known or source.supports(q))]
        dropped["risk qualifier"] += sum(1 for q in flag.qualifiers if q.strip()) - len(qualifiers)
        risks.append(Flag(flag.kind, flag.evidence.strip(), flag.status, tuple(dict.fromkeys(qualifiers))))
    alliance: list[Flag] = []
    for flag in draft.alliance[:MAX_ITEMS]:
        if flag.kind in ALLIANCE_KINDS and source.quote_found(flag.evidence):
            alliance.append(Flag(flag.kind, flag.evidence.strip()))
        else:
            dropped[f"alliance flag {flag.kind if flag.kind in ALLIANCE_KINDS else 'unknown'}"] += 1

    # The flags the note had, then the model's, then whatever the offline detector finds that neither has.
    risks, _ = merge_flags(list(keep_risks), risks)
    alliance, _ = merge_flags(list(keep_alliance), alliance)
    risks, added_risks = merge_flags(risks, detected_risks)
    alliance, added_alliance = merge_flags(alliance, detect_alliance(sentences))
    _log(dropped, added_risks, added_alliance)

    key_points = items("key point", draft.key_points)
    return replace(
        draft,
        sections=tuple(sections),
        summary=summary or (key_points[0] if key_points else ""),
        key_points=key_points,
        homework=items("homework", draft.homework),
        plan=items("plan", draft.plan),
        follow_ups=items("follow-up", draft.follow_ups),
        measures=tuple(measures),
        risks=tuple(risks),
        alliance=tuple(alliance),
    )


def merge_flags(kept: list[Flag], more: Sequence[Flag]) -> tuple[list[Flag], int]:
    """Add each flag of `more` that no kept flag of the same kind and status already covers."""
    merged = list(dict.fromkeys(kept))
    added = 0
    for flag in more:
        if not any(f.kind == flag.kind and f.status == flag.status and _overlap(f.evidence, flag.evidence) for f in merged):
            merged.append(flag)
            added += 1
    return merged, added


def _overlap(a: str, b: str) -> bool:
    a, b = normalise(a), normalise(b)
    if not (a and b):
        return False
    shared = len(set(a.split()) & set(b.split()))
    return a in b or b in a or shared >= 0.6 * min(len(a.split()), len(b.split()))


def _log(dropped: Counter[str], added_risks: int, added_alliance: int) -> None:
    """Kinds and counts only — never the dropped text."""
    removed = {k: v for k, v in dropped.items() if v}
    if removed:
        log.warning("llm note: removed unsupported content: %s", ", ".join(f"{k} x{v}" for k, v in sorted(removed.items())))
    if added_risks or added_alliance:
        log.warning("llm note: added %d risk and %d alliance flag(s) the model missed", added_risks, added_alliance)
