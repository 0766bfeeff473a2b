"""A note as text to change in the therapist's own editor (`alliance notes edit ID` with no instruction),
and the edits that saved text amounts to. Only what changed becomes an edit, so the usual rules hold:
a new version each time, and on a signed note an addendum instead."""
from __future__ import annotations

from datetime import date

from core.notebook.instructions import Edit, SetClient, SetList, SetSection, date_edit
from core.types import NoteDraft

LIST_TITLES = {"homework": "Homework", "plan": "Next steps", "follow_ups": "Follow up next time"}
_TITLE_FIELD = {title.casefold(): field for field, title in LIST_TITLES.items()}
HELP = ("# Change the text below and save; close without saving to change nothing.\n"
        "# Lines starting with # are ignored. Under a list heading, one item per line starting with \"- \".\n"
        "# Format can't change here: use  alliance notes edit ID \"format: DAP\"\n")


class EditorTextProblem(ValueError):
    """The saved text can't be read back (the message says where)."""


def to_editable(note: NoteDraft) -> str:
    lines = [HELP, f"Client: {note.client_name or ''}", f"Date: {note.session_date.isoformat()}",
             f"Summary: {note.summary}", ""]
    for name, text in note.sections:
        lines += [f"[{name}]", text.strip(), ""]
    for field, title in LIST_TITLES.items():
        lines += [f"[{title}]", *[f"- {item}" for item in getattr(note, field)], ""]
    return "\n".join(lines)


def edits_from(note: NoteDraft, saved: str, today: date) -> list[Edit]:
    """What the saved text changes. Raises EditorTextProblem for a heading the note doesn't have."""
    header: dict[str, str] = {}
    blocks: dict[str, list[str]] = {}
    current = None
    for raw in saved.splitlines():
        line = raw.rstrip()
        if line.lstrip().startswith("#"):
            continue
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped[1:-1].strip()
            if current.casefold() not in {n.casefold() for n, _ in note.sections} | set(_TITLE_FIELD):
                raise EditorTextProblem(f"There is no [{current}] part in this {note.format} note.")
            blocks[current] = []
        elif current is None:
            key, sep, value = stripped.partition(":")
            if sep and key.strip().lower() in ("client", "date", "summary"):
                header[key.strip().lower()] = value.strip()
            elif stripped:
                raise EditorTextProblem(f"I can't read the line \"{stripped[:40]}\" above the first [heading].")
        else:
            blocks[current].append(line)
    edits: list[Edit] = []
    if header.get("client") and header["client"] != (note.client_name or ""):
        edits.append(SetClient(header["client"]))
    if header.get("date") and header["date"] != note.session_date.isoformat():
        edits.append(date_edit(header["date"], today))
    if "summary" in header and header["summary"] != note.summary.strip():
        edits.append(SetSection("Summary", header["summary"]))
    sections = {n.casefold(): (n, t) for n, t in note.sections}
    for title, body in blocks.items():
        key = title.casefold()
        if key in _TITLE_FIELD:
            field = _TITLE_FIELD[key]
            items = tuple(i for i in (line.strip().removeprefix("-").strip() for line in body) if i)
            if items != tuple(getattr(note, field)):
                edits.append(SetList(field, items))
        else:
            name, old = sections[key]
            text = "\n".join(body).strip()
            if text != old.strip():
                edits.append(SetSection(name, text))
    return edits

