"""A client's chart for the record: every note with its client (drafts wait for theirs), oldest first, with
signatures and addenda, as Markdown or as a PDF (fpdf2, with the Roboto font shipped in font-roboto so
names in any Latin, Greek or Cyrillic script print as typed). Exporting is audited."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from core.context import Who
from core.language.client_match import ClientRecord
from core.notebook.layouts import copy_text
from core.notebook.present import local_times
from core.ports import UnitOfWork
from core.replies import note_text
from core.types import Document, NoteDraft

KINDS = ("markdown", "pdf")


def chart_notes(uow: UnitOfWork, who: Who, client: ClientRecord) -> list[NoteDraft]:
    """The client's notes with their addenda, times in the therapist's zone; audited as an export."""
    notes = [uow.notes.get(who.therapist_id, n.note_id) for n in uow.notes.for_client(who.therapist_id, client.id)]
    uow.audit.record(who.therapist_id, who.actor, "export", "client", client.id)
    return [local_times(uow, who.therapist_id, n) for n in notes if n is not None]


def slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-") or "client"


def markdown_document(uow: UnitOfWork, who: Who, client: ClientRecord) -> Document:
    notes = chart_notes(uow, who, client)
    body = [f"# {client.name} — session notes", ""]
    for item in notes:
        state = ", signed" if item.signed else ""
        body += [f"## {item.session_date.isoformat()} ({item.format}, version {item.version}{state})", "", note_text(item), ""]
    if not notes:
        body.append("No notes yet.")
    return Document(f"{slug(client.name)}-notes.md", "\n".join(body).encode())


def pdf_document(uow: UnitOfWork, who: Who, client: ClientRecord) -> Document:
    notes = chart_notes(uow, who, client)
    therapist = uow.therapists.get(who.therapist_id).name
    return Document(f"{slug(client.name)}-notes.pdf", render_pdf(client.name, therapist, notes), "application/pdf")


def render_pdf(client_name: str, therapist: str, notes: list[NoteDraft]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(f"{client_name} — session notes")
    pdf.set_creator("alliance")
    font, clean = _font(pdf)
    pdf.add_page()
    pdf.set_font(font, "B", 16)
    pdf.multi_cell(0, 9, clean(f"{client_name} — session notes"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 9)
    pdf.multi_cell(0, 5, clean(f"Therapist: {therapist} · {len(notes)} note(s) · exported {datetime.now():%Y-%m-%d}"),
                   new_x="LMARGIN", new_y="NEXT")
    if not notes:
        pdf.ln(4)
        pdf.set_font(font, "", 11)
        pdf.multi_cell(0, 6, "No notes yet.", new_x="LMARGIN", new_y="NEXT")
    for note in notes:
        pdf.ln(5)
        pdf.set_font(font, "B", 12)
        state = ", signed" if note.signed else ""
        pdf.multi_cell(0, 7, clean(f"{note.session_date:%a %d %b %Y} — {note.format}, version {note.version}{state}"),
                       new_x="LMARGIN", new_y="NEXT")
        for line in copy_text(note, therapist=therapist).splitlines()[3:]:  # its heading is the line above
            heading = line.endswith(":") and line[:-1].replace(" ", "").replace(",", "").isupper()
            pdf.set_font(font, "B" if heading else "", 10)
            pdf.multi_cell(0, 5, clean(line) or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _font(pdf) -> tuple[str, callable]:
    """A Unicode font when font-roboto is installed; otherwise the built-in Helvetica, which can only
    print Latin-1 (other characters become '?', never a failed export)."""
    try:
        import font_roboto

        folder = Path(font_roboto.font_directory)
        pdf.add_font("Roboto", "", str(folder / "Roboto-Regular.ttf"))
        pdf.add_font("Roboto", "B", str(folder / "Roboto-Bold.ttf"))
        return "Roboto", _printable
    except (ImportError, OSError, RuntimeError):
        return "Helvetica", lambda text: _printable(text).encode("latin-1", "replace").decode("latin-1")


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in text)
