"""A client's chart as PDF and Markdown: every note with its signature and addenda, names in any Latin,
Greek or Cyrillic script printed as typed (Roboto from font-roboto), nothing of another client's."""
from __future__ import annotations

import re
import zlib
from datetime import date, datetime, timezone

from core.notebook.chart import render_pdf
from core.types import Addendum, NoteDraft

SIGNED = datetime(2026, 11, 25, 10, 2, tzinfo=timezone.utc)


def note(day: int, **fields) -> NoteDraft:
    return NoteDraft("Zoë Łukasiewicz-Σοφία", date(2026, 11, day), "SOAP",
                     (("Subjective", "Она сказала, что спит лучше."), ("Objective", ""), ("Assessment", "Calmer."), ("Plan", "Weekly.")),
                     "Sleep better.", homework=("Walk daily",), note_id=day, **fields)


def page_texts(pdf: bytes) -> str:
    """The text-showing operators of every page stream (fpdf2 compresses them with zlib)."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(out)


def test_the_pdf_has_every_note_and_prints_any_script():
    notes = [note(20), note(24, signed_at=SIGNED, addenda=(Addendum("Client called to reschedule.", SIGNED),))]
    pdf = render_pdf("Zoë Łukasiewicz-Σοφία", "Dr. Ada Quinn", notes)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert b"Roboto" in pdf  # the Unicode font is embedded, not Helvetica's Latin-1
    streams = page_texts(pdf)
    assert streams.count(" Tj") + streams.count("TJ") > 20  # text was drawn
    assert 2_000 < len(pdf) < 400_000


def test_an_empty_chart_is_still_a_document():
    pdf = render_pdf("Maya Thompson", "Dr. Ada Quinn", [])
    assert pdf.startswith(b"%PDF-") and b"/Type /Page" in pdf
