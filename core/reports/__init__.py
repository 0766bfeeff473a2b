"""A client's scores and alliance as a picture (chart.py) and as a report (report.py: text, Markdown, JSON; pdf.py)."""
