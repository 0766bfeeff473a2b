"""`alliance report` and `alliance chart`: a client's alliance over time as text, JSON, Markdown, PNG or
PDF, and their scores as a picture (bots/cli.py wires them in with `add_parsers(sub, therapist)`). Each
command is `run_*(service, args)` so tests drive them with a service of their own."""
from __future__ import annotations

from pathlib import Path

from bots.cli_common import assistant, print_json, progress
from core import roster
from core.errors import AllianceError
from core.reports import report as reports

OUTPUTS = (".md", ".png", ".pdf", ".json")


def add_parsers(sub, therapist) -> None:
    """Add `report` and `chart` to the `alliance` parser; `therapist` adds --as and --json."""
    p = therapist(sub.add_parser("report", help="a client's alliance over time: ruptures, repairs, scores"))
    p.add_argument("--client", required=True, help="the client the report is about")
    p.add_argument("--out", metavar="FILE", help="write FILE.md (with FILE.png beside it), FILE.png, FILE.pdf or FILE.json")
    p.set_defaults(run=cmd_report)
    p = therapist(sub.add_parser("chart", help="a client's scores over time as a picture, alliance signals marked"))
    p.add_argument("--client", required=True, help="the client whose scores to draw")
    p.add_argument("--measure", metavar="NAME", help="one measure only, e.g. PHQ-9")
    p.add_argument("--out", metavar="FILE.png", required=True, help="where to write the picture")
    p.set_defaults(run=cmd_chart)


def _load(service, args):
    """The client's report, or None (and why, said) when the client is unknown."""
    therapist_id = service.therapist_id(service.console_sender(args.as_name))
    try:
        with service.ctx.uow() as uow:
            client = roster.find(uow, therapist_id, args.client)
            loaded = reports.load(uow, therapist_id, client, service.today_for(therapist_id))
            uow.audit.record(therapist_id, "console", "read", "client", client.id)
            uow.commit()
    except AllianceError as error:
        progress(str(error).replace("Your clients: /clients", "See: alliance clients --as NAME"))
        return None
    return loaded


def _chart(loaded, measure: str | None = None):
    from core.reports.chart import NothingToChart, render_chart

    try:
        return render_chart(loaded.timeline, f"{loaded.client.name} — scores and alliance", measure=measure)
    except NothingToChart:
        return None


def run_report(service, args) -> int:
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in OUTPUTS:
        progress(f"Use --out with a file ending in {', '.join(OUTPUTS)}.")
        return 2
    loaded = _load(service, args)
    if loaded is None:
        return 1
    if args.json:
        print_json(reports.to_json(loaded))
    elif out is None:
        print(reports.text(loaded, limit=None))
    if out is None:
        return 0
    suffix = out.suffix.lower()
    if suffix == ".json":
        import json

        out.write_text(json.dumps(reports.to_json(loaded), indent=2, ensure_ascii=False) + "\n")
    elif suffix == ".md":
        chart = _chart(loaded)
        picture = out.with_suffix(".png")
        if chart is not None:
            picture.write_bytes(chart.png)
        out.write_text(reports.markdown(loaded, chart_file=picture.name if chart else None))
    elif suffix == ".png":
        chart = _chart(loaded)
        if chart is None:
            progress(f"There are no scores or alliance signals in {loaded.client.name}'s notes yet; nothing to chart.")
            return 1
        out.write_bytes(chart.png)
    else:
        from core.reports.pdf import report_pdf

        chart = _chart(loaded)
        out.write_bytes(report_pdf(loaded, chart.png if chart else None))
    progress(f"Wrote {out}")
    return 0


def run_chart(service, args) -> int:
    if Path(args.out).suffix.lower() != ".png":
        progress("Use --out with a file ending in .png.")
        return 2
    loaded = _load(service, args)
    if loaded is None:
        return 1
    chart = _chart(loaded, args.measure)
    if chart is None:
        what = f"no {args.measure} scores" if args.measure else "no scores or alliance signals"
        progress(f"There are {what} in {loaded.client.name}'s notes yet; nothing to chart.")
        return 1
    Path(args.out).write_bytes(chart.png)
    if args.json:
        print_json({"out": args.out, "measures": list(chart.measures), "points": chart.points,
                    "uncertain": chart.uncertain, "marks": chart.marks, "width": chart.width, "height": chart.height})
    else:
        progress(f"Wrote {args.out}: {', '.join(chart.measures) or 'alliance signals'}; {chart.points} score(s), "
                 f"{chart.marks} alliance mark(s).")
    return 0


async def cmd_report(args) -> int:
    return run_report(assistant(), args)


async def cmd_chart(args) -> int:
    return run_chart(assistant(), args)
