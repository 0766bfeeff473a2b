"""The alliance report as a PDF (fpdf2): the report's text and its chart. The font is matplotlib's bundled
DejaVu Sans, so names and quotes in any Latin, Greek or Cyrillic script print as written."""
from __future__ import annotations

import io
from pathlib import Path

from core.reports.report import ClientReport, text


def _font() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def report_pdf(report: ClientReport, chart_png: bytes | None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(_font()))
    pdf.add_page()
    pdf.set_title(f"Alliance report — {report.client.name}")
    pdf.set_font("DejaVu", size=15)
    line = {"new_x": "LMARGIN", "new_y": "NEXT"}  # each block starts on a new line at the left margin
    pdf.multi_cell(0, 8, f"Alliance report — {report.client.name}", **line)
    pdf.set_font("DejaVu", size=9)
    pdf.multi_cell(0, 5, f"As of {report.today.isoformat()}", **line)
    pdf.ln(2)
    if chart_png:
        pdf.image(io.BytesIO(chart_png), w=pdf.epw)
        pdf.ln(2)
    pdf.set_font("DejaVu", size=10)
    body = text(report, limit=None).split("\n", 1)[-1].strip()
    pdf.multi_cell(0, 5, body, **line)
    return bytes(pdf.output())
