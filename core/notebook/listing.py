"""Finding notes again: by client, by date range, drafts only, newest session first. A list reads only the
notes' dates, formats and states (no note text is decrypted); each line leads to the note."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.language.client_match import ClientRecord
from core.ports import UnitOfWork
from core.records import NoteEntry
from core.types import Button, ListNotes, Reply, ShowNote

PAGE = 10
STATUS_WORDS = {"draft": "draft — choose the client", "final": "not signed", "signed": "signed"}


@dataclass(frozen=True)
class Listed:
    entry: NoteEntry
    client_name: str | None

    def to_json(self) -> dict:
        e = self.entry
        return {"id": e.id, "client": self.client_name, "client_id": e.client_id, "session_date": e.session_date.isoformat(),
                "format": e.format, "status": e.status, "version": e.version,
                "signed_at": e.signed_at.isoformat() if e.signed_at else None}

    @property
    def line(self) -> str:
        e = self.entry
        return f"#{e.id} · {self.client_name or 'client not chosen'} · {e.session_date:%a %d %b %Y} · {e.format} · {STATUS_WORDS.get(e.status, e.status)}"

    @property
    def label(self) -> str:  # a button: short enough for a phone (and Slack's 75 characters)
        e = self.entry
        mark = {"draft": " · draft", "signed": " · signed"}.get(e.status, "")
        return f"#{e.id} {self.client_name or 'client?'} · {e.session_date:%d %b %Y} · {e.format}{mark}"[:75]


def find_notes(uow: UnitOfWork, therapist_id: int, *, client: ClientRecord | None = None, drafts_only: bool = False,
               start: date | None = None, end: date | None = None) -> list[Listed]:
    names = {c.id: c.name for c in uow.clients.list(therapist_id)}
    entries = uow.notes.entries(therapist_id, client_id=client.id if client else None, drafts_only=drafts_only,
                                start=start, end=end)
    return [Listed(e, names.get(e.client_id)) for e in entries]


def list_reply(found: list[Listed], *, what: str, page: int = 1, more: ListNotes | None = None) -> Reply:
    """A page of notes, one button per note; `more` is the button for the next page when there is one."""
    if not found:
        return Reply(f"No {what} yet." if "draft" not in what else "No drafts: every note has its client.")
    start = (page - 1) * PAGE
    shown = found[start:start + PAGE]
    if not shown:
        return Reply(f"No more {what}.")
    head = f"Your {what} ({len(found)}), newest first" + (f" — page {page}" if page > 1 else "") + ":"
    rows = tuple((Button(item.label, ShowNote(item.entry.id)),) for item in shown)
    if more is not None and start + PAGE < len(found):
        rows += ((Button("Older notes…", more),),)
    tip = f"\n\nTap a note to open it, or type /notes {shown[0].entry.id} (its number)."
    return Reply(head + "\n" + "\n".join(item.line for item in shown) + tip, buttons=rows)
