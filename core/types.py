"""Plain values passed between the bots, the core and storage. No platform or database types here."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

NOTE_FORMATS = ("SOAP", "DAP", "BIRP", "GIRP")
PRIVATE_CHAT_TYPES = frozenset({"private", "im", "console"})


@dataclass(frozen=True)
class Sender:
    """Who sent a message, as the platform tells it. `chat_type` is the platform's own word."""

    platform: str  # "telegram" | "slack" | "console"
    workspace_id: str  # Slack team id; "" for Telegram and the console
    user_id: str
    chat_type: str = "private"

    @property
    def is_private(self) -> bool:
        return self.chat_type in PRIVATE_CHAT_TYPES


@dataclass(frozen=True)
class AudioMemo:
    """A voice memo. `message_id` makes receiving it idempotent. A chat bot may record the memo before
    downloading it (`data=None` with the platform's `source_ref`) so a crash mid-download loses nothing;
    it then hands the bytes over with Assistant.attach_audio."""

    message_id: str
    data: bytes | None
    filename: str = "memo"
    mime_type: str = ""
    client_hint: str | None = None  # a client name given with the memo (CLI --client)
    session_date: date | None = None
    note_format: str | None = None
    source_ref: str | None = None  # the platform's file id, to fetch the audio again after a restart
    size_bytes: int | None = None  # as the platform announced it, checked before downloading


@dataclass(frozen=True)
class MemoReceipt:
    memo_id: int | None
    accepted: bool
    duplicate: bool = False
    message: str = ""
    needs_audio: bool = False  # recorded, but its audio has not been attached yet


@dataclass(frozen=True)
class Button:
    label: str
    action: "Action"  # bots send actions.encode(action) and hand the string back to Assistant.press()


@dataclass(frozen=True)
class Flag:
    """A risk or alliance signal, always with the sentence it came from."""

    kind: str
    evidence: str
    status: str = "present"  # "present" | "denied" (a screening result) | "historical"
    qualifiers: tuple[str, ...] = ()


# Risk kinds of notes stored before ideation was split C-SSRS-style, and what they load as.
_LEGACY_KINDS = {"passive_suicidal_ideation": "passive_ideation", "active_suicidal_ideation": "active_ideation"}


def current_risk_kind(kind: str, qualifiers: tuple[str, ...] | list[str] = ()) -> str:
    """A risk kind as named today; "suicidal_ideation" (before the C-SSRS split) is passive or active."""
    if kind == "suicidal_ideation":
        return "passive_ideation" if "passive" in qualifiers else "active_ideation"
    return _LEGACY_KINDS.get(kind, kind)


@dataclass(frozen=True)
class Measure:
    """A scale score. A reading that cannot be trusted (out of range, garbled: "GAD 7-1-11") has
    `uncertain=True`, its words in `raw`, and is never used as a number. `earlier`: a previous score
    said in the same breath ("11, down from 15")."""

    name: str  # "PHQ-9"
    score: float
    evidence: str = ""
    uncertain: bool = False
    raw: str = ""
    earlier: float | None = None
    scale_min: float | None = None
    scale_max: float | None = None

    @property
    def value(self) -> float | None:
        """The score as a number, or None when the reading is uncertain."""
        return None if self.uncertain else self.score

    @property
    def display(self) -> str:
        """ "GAD-7 11 (earlier 15)", or the words as heard for an uncertain reading: 'GAD-7 "GAD 7-1-11" (unclear)'."""
        if self.uncertain:
            return f'{self.name} "{self.raw}" (unclear)' if self.raw else f"{self.name} (unclear score)"
        earlier = f" (earlier {self.earlier:g})" if self.earlier is not None else ""
        # a named scale ("PHQ-9") says its range; a self-rating ("Mood") needs it: "Mood 4/10"
        out_of = f"/{self.scale_max:g}" if self.scale_max is not None and not self.name.split()[0].isupper() else ""
        return f"{self.name} {self.score:g}{out_of}{earlier}"


@dataclass(frozen=True)
class NoteDraft:
    """A progress note as every writer produces it and every channel renders it."""

    client_name: str | None
    session_date: date
    format: str
    sections: tuple[tuple[str, str], ...]
    summary: str
    key_points: tuple[str, ...] = ()
    homework: tuple[str, ...] = ()
    plan: tuple[str, ...] = ()
    follow_ups: tuple[str, ...] = ()
    measures: tuple[Measure, ...] = ()
    risks: tuple[Flag, ...] = ()
    alliance: tuple[Flag, ...] = ()
    writer: str = "offline"
    note_id: int | None = None
    client_id: int | None = None
    version: int = 1
    needs_client: bool = False  # kept as a draft until the therapist picks the client
    signed_at: datetime | None = None  # signed notes are locked: a later change is an addendum
    addenda: tuple["Addendum", ...] = ()  # filled when one note is read (not in lists)

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "note_id": self.note_id,
            "client": self.client_name,
            "client_id": self.client_id,
            "session_date": self.session_date.isoformat(),
            "format": self.format,
            "sections": dict(self.sections),
            "summary": self.summary,
            "key_points": list(self.key_points),
            "homework": list(self.homework),
            "plan": list(self.plan),
            "follow_ups": list(self.follow_ups),
            "measures": [_measure_json(m) for m in self.measures],
            "risks": [_flag_json(f) for f in self.risks],
            "alliance": [_flag_json(f) for f in self.alliance],
            "writer": self.writer,
            "version": self.version,
            "needs_client": self.needs_client,
            **({"signed_at": self.signed_at.isoformat()} if self.signed_at else {}),
            **({"addenda": [{"text": a.text, "at": a.at.isoformat()} for a in self.addenda]} if self.addenda else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "NoteDraft":
        return cls(
            client_name=data.get("client"),
            client_id=data.get("client_id"),
            note_id=data.get("note_id"),
            session_date=date.fromisoformat(data["session_date"]),
            format=data["format"],
            sections=tuple((k, v) for k, v in data["sections"].items()),
            summary=data.get("summary", ""),
            key_points=tuple(data.get("key_points", ())),
            homework=tuple(data.get("homework", ())),
            plan=tuple(data.get("plan", ())),
            follow_ups=tuple(data.get("follow_ups", ())),
            measures=tuple(_measure_from(m) for m in data.get("measures", ())),
            risks=tuple(_flag_from(f) for f in data.get("risks", ())),
            alliance=tuple(_flag_from(f) for f in data.get("alliance", ())),
            writer=data.get("writer", "offline"),
            version=data.get("version", 1),
            needs_client=data.get("needs_client", False),
            signed_at=datetime.fromisoformat(data["signed_at"]) if data.get("signed_at") else None,
            addenda=tuple(Addendum(a["text"], datetime.fromisoformat(a["at"])) for a in data.get("addenda", ())),
        )


def _flag_json(flag: Flag) -> dict[str, Any]:
    return {"kind": flag.kind, "evidence": flag.evidence, "status": flag.status, "qualifiers": list(flag.qualifiers)}


def _flag_from(data: dict[str, Any]) -> Flag:
    qualifiers = tuple(data.get("qualifiers", ()))
    return Flag(current_risk_kind(data["kind"], qualifiers), data["evidence"], data.get("status", "present"), qualifiers)


def _measure_json(m: Measure) -> dict[str, Any]:
    # an uncertain reading has no number (JSON has no NaN): its words are in "raw"
    out: dict[str, Any] = {"name": m.name, "score": None if m.uncertain else m.score, "evidence": m.evidence}
    for key in ("uncertain", "raw", "earlier", "scale_min", "scale_max"):  # only when set: old readers see old JSON
        value = getattr(m, key)
        if value is not None and value is not False and value != "":  # not `in (None, False, "")`: 0 == False
            out[key] = value
    return out


def _measure_from(data: dict[str, Any]) -> Measure:
    score = data.get("score")
    return Measure(
        data["name"], float("nan") if score is None else score, data.get("evidence", ""), bool(data.get("uncertain", False)), data.get("raw", ""),
        data.get("earlier"), data.get("scale_min"), data.get("scale_max"),
    )


# Public names for storage: a measure entered outside a note is stored as the same JSON.
measure_to_json, measure_from_json = _measure_json, _measure_from


@dataclass(frozen=True)
class Addendum:
    """A change to a signed note, kept beside it (the signed text itself never changes)."""

    text: str
    at: datetime  # aware


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes
    mime_type: str = "text/markdown"


@dataclass(frozen=True)
class Reply:
    """What the core answers on any channel: plain text, optional structured note, buttons, a file."""

    text: str
    note: NoteDraft | None = None
    buttons: tuple[tuple[Button, ...], ...] = ()
    document: Document | None = None
    memo_id: int | None = None
    digest: "Digest | None" = None
    client_menu: tuple[Button, ...] = ()  # every client, for a channel that can show "change client" as a menu
    outcome: str | None = None  # "failed" when this says a memo could not be written up
    copy: str = ""  # text to paste elsewhere (an EHR): shown verbatim, in a block that is easy to copy

    @property
    def silent(self) -> bool:
        """Nothing to send (a redelivered message)."""
        return not (self.text or self.note or self.document or self.digest or self.copy)


@dataclass(frozen=True)
class Citation:
    client_name: str
    session_date: date
    note_id: int


@dataclass(frozen=True)
class Answer:
    text: str
    citations: tuple[Citation, ...] = ()
    found: bool = True


@dataclass(frozen=True)
class AllianceItem:
    """One alliance line of a prep (core/alliance/prep.py): an open rupture, a drop in a feedback score,
    or a goal not discussed lately. `quote` is copied verbatim from a note ("" when the line is only
    dates and numbers, e.g. a score the therapist entered); `suggestion` is a general practice from
    core/alliance/checkins.py, never clinical content about the client."""

    kind: str  # "rupture" | "score_drop" | "quiet_goal"
    session_date: date
    quote: str = ""
    detail: str = ""  # framing from dates, counts and kinds: "partly repaired 24 Nov — open", "SRS 36 → 29"
    suggestion: str = ""
    note_id: int | None = None


@dataclass(frozen=True)
class DigestItem:
    appointment_id: int
    client_name: str
    starts_at: datetime  # aware, in the therapist's time zone
    last_session: date | None
    summary: str = ""
    highlights: tuple[str, ...] = ()
    homework: tuple[str, ...] = ()
    follow_ups: tuple[str, ...] = ()
    risks: tuple[Flag, ...] = ()
    alliance: tuple[Flag, ...] = ()
    alliance_items: tuple[AllianceItem, ...] = ()  # open ruptures, feedback drops, quiet goals
    addenda: tuple[tuple[date, str], ...] = ()  # (the signed note's session date, the addendum), newest first
    risk_dates: tuple[date, ...] = ()  # the session each of `risks` is from, in the same order

    @property
    def first_session(self) -> bool:
        return self.last_session is None


@dataclass(frozen=True)
class Digest:
    therapist_id: int
    day: date
    items: tuple[DigestItem, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not self.items


@dataclass(frozen=True)
class Outgoing:
    """A scheduled message to one therapist: a digest or a reminder, claimed before it is sent."""

    therapist_id: int
    kind: str  # "digest" | "reminder"
    key: str  # unique per kind and therapist: the day or the appointment occurrence
    reply: Reply
    channel: str | None = None  # the preferred platform, or None for any linked one


# ---- buttons: typed actions (core/actions.py turns them into <= 64-byte strings and back) -------------
class Action:
    """What a button does when tapped. Subclasses carry ids only, never content."""


@dataclass(frozen=True)
class PickClient(Action):
    note_id: int
    client_id: int


@dataclass(frozen=True)
class ChooseClient(Action):  # show the client picker for a note
    note_id: int


@dataclass(frozen=True)
class NewClient(Action):  # ask for a new client's name for a note
    note_id: int


@dataclass(frozen=True)
class AcceptSuggestion(Action):  # file a draft under the name the note suggests (a new client)
    note_id: int


@dataclass(frozen=True)
class Reformat(Action):
    note_id: int
    note_format: str


@dataclass(frozen=True)
class RetryWithModel(Action):
    note_id: int


@dataclass(frozen=True)
class AskDeleteNote(Action):
    note_id: int


@dataclass(frozen=True)
class DeleteNote(Action):  # confirmed
    note_id: int


@dataclass(frozen=True)
class ForgetClient(Action):  # confirmed
    client_id: int


@dataclass(frozen=True)
class Cancel(Action):
    pass


@dataclass(frozen=True)
class MarkRepaired(Action):  # the therapist marks the ruptures of a note repaired
    note_id: int


# notes as things you can reach (core/notebook)
@dataclass(frozen=True)
class ListNotes(Action):  # the therapist's notes, newest first, a page at a time (1, 2, ...)
    page: int


@dataclass(frozen=True)
class ListDrafts(Action):  # notes waiting for their client
    pass


@dataclass(frozen=True)
class ShowNote(Action):
    note_id: int


@dataclass(frozen=True)
class UndoAllianceEntry(Action):  # take back an entered score or a repaired mark
    entry_id: int


@dataclass(frozen=True)
class ShowTranscript(Action):
    note_id: int


@dataclass(frozen=True)
class ShowVersions(Action):
    note_id: int


@dataclass(frozen=True)
class CopyNote(Action):
    note_id: int


@dataclass(frozen=True)
class AskSignNote(Action):
    note_id: int


@dataclass(frozen=True)
class SignNote(Action):  # confirmed
    note_id: int


@dataclass(frozen=True)
class EditNote(Action):  # ask for the change to make
    note_id: int


class Awaiting:
    """The bot asked the therapist something; their next plain message is the answer."""


@dataclass(frozen=True)
class NewClientName(Awaiting):
    note_id: int


@dataclass(frozen=True)
class NoteChange(Awaiting):  # the change to make to a note (core/notebook/instructions.py)
    note_id: int
