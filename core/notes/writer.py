"""The note schema every writer fills, and the offline writer: deterministic and extractive.

`NoteSchema` is the shape a model is asked for (`NoteSchema.json_schema(fmt)` is strict-mode JSON
Schema for structured output) and validated against; `to_draft` turns it into the core's NoteDraft.
`OfflineNoteWriter` builds the same content from transcript sentences only: every line it writes is a
(cleaned) transcript sentence or a sub-span of one, and a section nothing fits says "Not discussed".
`unsupported(draft, transcript)` lists the lines of any note that the transcript does not support.
"""
from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.notes import extract, salience, section_model
from core.notes.measures import find_measures
from core.notes.scales import scale_named
from core.notes.speakers import tagged_sentences
from core.notes.safety import ALLIANCE_KINDS, RISK_KINDS, STATUSES, detect_alliance, detect_risks
from core.notes.sections import FORMAT_SECTIONS, NOT_DISCUSSED, SECTION_LABEL, classify, is_header, label_family
from core.language.text import Evidence, clean_sentences, letter_headed, split_sentences, words
from core.types import NOTE_FORMATS, Flag, Measure, NoteDraft, current_risk_kind

__all__ = [
    "FORMAT_SECTIONS", "NOT_DISCUSSED", "NoteSchema", "OfflineNoteWriter", "note_sentences", "unsupported",
    "normalise_format",
]


class MeasureItem(BaseModel):
    """`uncertain`: the score was garbled or out of range (then `raw` holds the words as said);
    `earlier`: a previous score said with it ("11, down from 15")."""

    model_config = ConfigDict(extra="forbid")
    name: str
    score: float
    evidence: str
    earlier: float | None = None
    uncertain: bool = False
    raw: str = ""


class RiskItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str
    evidence: str
    status: Literal["present", "denied", "historical"] = "present"
    qualifiers: list[str] = Field(default_factory=list)


class AllianceItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["rupture", "repair", "ambivalence", "resistance"]
    evidence: str


_OFFLINE_ONLY = ("earlier", "uncertain", "raw")


class NoteSchema(BaseModel):
    """A note's content, without who/when (the service knows those)."""

    model_config = ConfigDict(extra="forbid")
    format: Literal["SOAP", "DAP", "BIRP", "GIRP"]
    sections: dict[str, str]
    summary: str
    key_points: list[str] = Field(default_factory=list)
    homework: list[str] = Field(default_factory=list)
    plan: list[str] = Field(default_factory=list)
    follow_ups: list[str] = Field(default_factory=list)
    measures: list[MeasureItem] = Field(default_factory=list)
    risks: list[RiskItem] = Field(default_factory=list)
    alliance: list[AllianceItem] = Field(default_factory=list)

    @classmethod
    def json_schema(cls, note_format: str = "SOAP") -> dict[str, Any]:
        """Strict JSON Schema (OpenAI structured output): every property required, no extra keys, and
        `sections` an object with exactly the format's section names."""
        fmt = normalise_format(note_format)
        schema = copy.deepcopy(cls.model_json_schema())
        schema["properties"]["format"] = {"type": "string", "enum": [fmt]}
        schema["properties"]["sections"] = {
            "type": "object",
            "properties": {name: {"type": "string"} for name in FORMAT_SECTIONS[fmt]},
            "required": list(FORMAT_SECTIONS[fmt]),
            "additionalProperties": False,
        }
        defs = schema.get("$defs", {})
        for key in _OFFLINE_ONLY:  # the model's contract is unchanged: these come from the offline reading
            defs["MeasureItem"]["properties"].pop(key, None)
        defs["RiskItem"]["properties"]["kind"] = {"type": "string", "enum": list(RISK_KINDS)}
        defs["RiskItem"]["properties"]["status"] = {"type": "string", "enum": list(STATUSES)}
        defs["AllianceItem"]["properties"]["kind"] = {"type": "string", "enum": list(ALLIANCE_KINDS)}
        _strict(schema)
        return schema

    @classmethod
    def from_draft(cls, draft: NoteDraft) -> "NoteSchema":
        return cls(
            format=normalise_format(draft.format),
            sections=dict(draft.sections),
            summary=draft.summary,
            key_points=list(draft.key_points),
            homework=list(draft.homework),
            plan=list(draft.plan),
            follow_ups=list(draft.follow_ups),
            measures=[MeasureItem(name=m.name, score=m.score, evidence=m.evidence, earlier=m.earlier, uncertain=m.uncertain,
                                  raw=m.raw) for m in draft.measures],
            risks=[RiskItem(kind=f.kind, evidence=f.evidence, status=f.status, qualifiers=list(f.qualifiers))  # type: ignore[arg-type]
                   for f in draft.risks],
            alliance=[AllianceItem(kind=f.kind, evidence=f.evidence) for f in draft.alliance],  # type: ignore[arg-type]
        )

    def to_draft(self, client_name: str | None, session_date: date, writer: str) -> NoteDraft:
        """The format's sections in order; a missing or empty section says "Not discussed"."""
        given = {name.strip().lower(): text.strip() for name, text in self.sections.items()}
        sections = tuple((name, given.get(name.lower()) or NOT_DISCUSSED) for name in FORMAT_SECTIONS[self.format])
        return NoteDraft(
            client_name=client_name,
            session_date=session_date,
            format=self.format,
            sections=sections,
            summary=self.summary.strip(),
            key_points=_clean_list(self.key_points),
            homework=_clean_list(self.homework),
            plan=_clean_list(self.plan),
            follow_ups=_clean_list(self.follow_ups),
            measures=tuple(_measure(m) for m in self.measures),
            risks=tuple(Flag(current_risk_kind(r.kind, r.qualifiers), r.evidence, r.status, tuple(r.qualifiers)) for r in self.risks),
            alliance=tuple(Flag(a.kind, a.evidence) for a in self.alliance),
            writer=writer,
        )


def _measure(item: MeasureItem) -> Measure:
    """A model's measure with its scale's range from the registry (a self-rating keeps none)."""
    scale = scale_named(item.name)
    low, high = (scale.low, scale.high) if scale else (None, None)
    score = float("nan") if item.uncertain else item.score
    return Measure(item.name, score, item.evidence, item.uncertain, item.raw if item.uncertain else "", item.earlier, low, high)


def _strict(node: Any) -> None:
    if isinstance(node, dict):
        node.pop("default", None)
        node.pop("title", None)
        if node.get("type") == "object" and "properties" in node:
            node["required"] = list(node["properties"])
            node["additionalProperties"] = False
        for value in node.values():
            _strict(value)
    elif isinstance(node, list):
        for value in node:
            _strict(value)


def _clean_list(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item.strip() for item in items if item and item.strip()))


def normalise_format(note_format: str | None) -> str:
    fmt = (note_format or "SOAP").strip().upper()
    if fmt not in NOTE_FORMATS:
        raise ValueError(f"unknown note format {note_format!r}; use one of {', '.join(NOTE_FORMATS)}")
    return fmt


_BRIEF = re.compile(r"\b(?:brief|short|concise|succinct)\b", re.I)
_DETAILED = re.compile(r"\b(?:detailed|thorough|long|full)\b", re.I)


# "So, Ralph is a 62-year-old male..." in a note reads "Ralph is a 62-year-old male...": the words that
# only carry the conversation along are left off the front of a recorded sentence (a sub-span of it).
_LEADING_TALK = re.compile(
    r"^(?:(?:so|okay|ok|alright|all\s+right|and|well|now|yeah|yes|right|oh|hey|great|good|perfect|um|uh|mm-?hmm|"
    r"you\s+know|i\s+mean|like|anyway|actually|basically)\b\s*[,.]?\s+)+",
    re.I,
)


def _recorded(sentence: str) -> str:
    trimmed = _LEADING_TALK.sub("", sentence)
    return extract.tidy(trimmed) if trimmed != sentence and len(words(trimmed)) >= 3 else sentence


def _unlabelled(sentence: str) -> str:
    """ "Plan: continue exposures." reads "Continue exposures." under the Plan heading."""
    return extract.tidy(SECTION_LABEL.sub("", sentence)) or sentence


def _line_labels(transcript: str, sentences: list[str]) -> dict[int, str]:
    """A typed line "A: Anxiety improving. Rumination remains the target." labels all of its sentences,
    not only the first: index -> family for the sentences after a heading on the same line."""
    if "\n" not in transcript or ":" not in transcript:
        return {}
    letters = letter_headed(transcript)
    out: dict[int, str] = {}
    cursor = 0
    for line in transcript.splitlines():
        line_sentences = clean_sentences(line)
        if not line_sentences:
            continue
        family = None
        for k, sentence in enumerate(line_sentences):
            raw = line.strip() if k == 0 else sentence
            label = SECTION_LABEL.match(raw)
            if label and (letters or not label.group("letter")):
                family = label_family(label)
                continue
            if family is None:
                continue
            try:
                index = sentences.index(sentence, cursor)
            except ValueError:
                continue
            out[index] = family
            cursor = index + 1
    return out


class OfflineNoteWriter:
    """Rule-based, deterministic, extractive. Never states anything the transcript does not."""

    name = "offline"

    def write(
        self,
        transcript: str,
        *,
        note_format: str,
        session_date: date,
        client_name: str | None,
        preferences: str = "",
    ) -> NoteDraft:
        fmt = normalise_format(note_format)
        sentences = clean_sentences(transcript)
        short = len(sentences) <= 40  # a dictated memo: keep all of it; a long transcript: the best of it
        speakers: list[str | None] | None = None
        if not short and (tagged := tagged_sentences(transcript)):
            sentences, speakers = [s for s, _ in tagged], [w for _, w in tagged]
        per_section = 3 if _BRIEF.search(preferences) else (20 if short else 12) if _DETAILED.search(preferences) else (15 if short else 6)
        risks = detect_risks(sentences)
        alliance = detect_alliance(sentences)
        measures = find_measures(sentences)

        headers = {i for i, s in enumerate(sentences[:3]) if is_header(s, client_name)}
        position = {s: i for i, s in reversed(list(enumerate(sentences)))}
        boost: dict[int, float] = {}
        for flag in risks:
            boost[position[flag.evidence]] = boost.get(position[flag.evidence], 0.0) + (4.0 if flag.status == "present" else 1.5)
        for item in [*alliance, *measures]:
            boost[position[item.evidence]] = boost.get(position[item.evidence], 0.0) + 1.5

        screening = {position[flag.evidence] for flag in risks}
        skip = set(headers)
        if not short and not _BRIEF.search(preferences):  # a recorded session: the sentences a note would keep
            kept = salience.select(sentences, speakers) | set(boost)
            skip |= set(range(len(sentences))) - kept
            per_section = len(sentences)
        placed = classify(
            sentences, fmt, skip=skip, boost=boost, per_section=per_section, screening=screening,
            keep_uncued=True, labelled=_line_labels(transcript, sentences),
        )
        if fmt == "SOAP" and not short and not _BRIEF.search(preferences):
            # a recorded visit: the trained section classifier places what the cue rules kept
            placed = section_model.place(sentences, [i for ids in placed.values() for i in ids], speakers)
        summary, key_points = extract.summary_and_key_points(sentences, headers, boost, limit=min(5, per_section))
        if fmt == "GIRP" and not placed["Goals"] and summary in sentences:
            # a GIRP note works toward something even when the word "goal" was not said: the session's theme
            theme = sentences.index(summary)
            if theme in placed["Response"] and len(placed["Response"]) > 1:
                placed["Response"].remove(theme)
                placed["Goals"].append(theme)
        trim = (lambda x: x) if short else _recorded
        sections = tuple(
            (name, " ".join(_unlabelled(trim(sentences[i])) for i in placed[name]) or NOT_DISCUSSED)
            for name in FORMAT_SECTIONS[fmt]
        )
        return NoteDraft(
            client_name=client_name,
            session_date=session_date,
            format=fmt,
            sections=sections,
            summary=_unlabelled(summary) if summary else "",
            key_points=tuple(_unlabelled(s) for s in key_points),
            homework=tuple(extract.homework(sentences, headers)),
            plan=tuple(_unlabelled(s) for s in extract.plan_items(sentences, headers, limit=per_section)),
            follow_ups=tuple(extract.follow_ups(sentences, headers)),
            measures=tuple(measures),
            risks=tuple(risks),
            alliance=tuple(alliance),
            writer=self.name,
        )


def note_sentences(draft: NoteDraft) -> list[str]:
    """Every statement a note makes: section sentences, summary, lists, flag and measure evidence."""
    lines: list[str] = []
    for _, text in draft.sections:
        if text != NOT_DISCUSSED:
            lines.extend(split_sentences(text))
    lines.append(draft.summary)
    lines.extend([*draft.key_points, *draft.homework, *draft.plan, *draft.follow_ups])
    lines.extend(m.evidence for m in draft.measures)
    lines.extend(f.evidence for f in [*draft.risks, *draft.alliance])
    return [line for line in lines if line and line.strip()]


def unsupported(draft: NoteDraft, transcript: str, *, min_ratio: float = 100.0) -> list[str]:
    """The note's statements that the transcript does not contain (exactly, or fuzzily above `min_ratio`)."""
    evidence = Evidence(transcript)
    return [line for line in note_sentences(draft) if not evidence.supports(line, min_ratio=min_ratio)]
