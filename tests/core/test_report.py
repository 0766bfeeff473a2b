"""The alliance report: JSON (`timeline`: date, kind, evidence, status; `scores`: date, scale, value),
Markdown with its chart beside it, PNG and PDF — from `alliance report` on SQLite and PostgreSQL."""
from __future__ import annotations

import argparse
import json
from datetime import date, datetime, timezone

import pytest

from bots.cli_report import add_parsers, run_chart, run_report
from core.types import Flag, Measure, NoteDraft
from tests import support
from tests.core.helpers_schedule import FakeClock, therapist

PNG = b"\x89PNG\r\n\x1a\n"


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="alliance")
    sub = root.add_subparsers(dest="command", required=True)

    def therapist_options(p):
        p.add_argument("--as", dest="as_name", required=True, metavar="NAME")
        p.add_argument("--json", action="store_true")
        return p

    add_parsers(sub, therapist_options)
    return root


def srs(value, evidence="") -> Measure:
    return Measure("SRS", value, evidence or f"SRS {value:g}.", scale_min=0, scale_max=40)


def draft(client, day: date, text: str, *, alliance=(), measures=()) -> NoteDraft:
    return NoteDraft(client.name, day, "SOAP", (("Subjective", text),), text, client_id=client.id,
                     alliance=tuple(Flag(k, e) for k, e in alliance), measures=tuple(measures))


@pytest.fixture
def practice(make_service):
    service = make_service(clock=FakeClock(datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)))
    tid = therapist(service, "Dr. Ines Varga", tz="UTC")
    maya = support.add_client(service, tid, "Maya Thompson")
    pace = "She was frustrated with me about the pace of the exposure work."
    heard = "We talked it through and she felt heard after I slowed down."
    quit_ = "She said she is thinking about quitting therapy."
    for day, text, alliance, measures in (
        (date(2026, 10, 6), "She rated the SRS at 38.", (), (srs(38, "She rated the SRS at 38."),)),
        (date(2026, 10, 13), f"{pace} SRS 30.", (("rupture", pace),), (srs(30),)),
        (date(2026, 10, 20), f"{heard} SRS 36.", (("repair", heard),), (srs(36),)),
        (date(2026, 11, 3), f"{quit_} Her SRS was heard as 3-2.",
         (("rupture", quit_),), (Measure("SRS", float("nan"), "Her SRS was heard as 3-2.", True, "SRS 3-2", None, 0, 40),)),
    ):
        support.add_note(service, tid, draft(maya, day, text, alliance=alliance, measures=measures))
    with service.ctx.uow() as uow:
        uow.alliance.add(tid, maya.id, date(2026, 11, 17), "score", measure=Measure("SRS", 28, "SRS 28", scale_min=0, scale_max=40))
        uow.commit()
    return service


def test_report_json_has_the_timeline_with_status_and_the_scores(practice, capsys):
    args = parser().parse_args(["report", "--as", "Dr. Ines Varga", "--client", "Maya", "--json"])
    assert run_report(practice, args) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(t["date"], t["kind"], t["status"]) for t in report["timeline"]] == [
        ("2026-10-13", "rupture", "repaired"), ("2026-10-20", "repair", "repaired"), ("2026-11-03", "rupture", "open")]
    assert report["timeline"][0]["evidence"] == "She was frustrated with me about the pace of the exposure work."
    assert report["timeline"][0]["repaired_on"] == "2026-10-20" and report["open_ruptures"] == 1
    assert [(s["date"], s["scale"], s["value"]) for s in report["scores"]] == [
        ("2026-10-06", "SRS", 38), ("2026-10-13", "SRS", 30), ("2026-10-20", "SRS", 36), ("2026-11-03", "SRS", None),
        ("2026-11-17", "SRS", 28)]
    unclear = report["scores"][3]
    assert unclear["uncertain"] and unclear["raw"] == "SRS 3-2" and unclear["range"] == [0, 40]
    assert report["scores"][4]["source"] == "entered"


def test_report_as_markdown_with_its_chart_and_as_png_and_pdf(practice, tmp_path, capsys):
    out = tmp_path / "maya.md"
    assert run_report(practice, parser().parse_args(["report", "--as", "Dr. Ines Varga", "--client", "Maya", "--out", str(out)])) == 0
    text = out.read_text()
    assert "# Alliance report — Maya Thompson" in text and "![Scores and alliance signals over time](maya.png)" in text
    assert '- 2026-11-03 rupture — OPEN: "She said she is thinking about quitting therapy."' in text
    assert "| 2026-10-13 | rupture | repaired 2026-10-20 (repair in the note) | She was frustrated with me" in text
    assert '"SRS 3-2" (unclear, not counted) (2026-11-03)' in text and "28 (2026-11-17, entered)" in text
    assert (tmp_path / "maya.png").read_bytes().startswith(PNG)
    png = tmp_path / "chart.png"
    assert run_report(practice, parser().parse_args(["report", "--as", "Dr. Ines Varga", "--client", "Maya", "--out", str(png)])) == 0
    assert png.read_bytes().startswith(PNG)
    pdf = tmp_path / "maya.pdf"
    assert run_report(practice, parser().parse_args(["report", "--as", "Dr. Ines Varga", "--client", "Maya", "--out", str(pdf)])) == 0
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


def test_report_text_and_bad_input(practice, tmp_path, capsys):
    assert run_report(practice, parser().parse_args(["report", "--as", "Dr. Ines Varga", "--client", "Maya Thompson"])) == 0
    out = capsys.readouterr().out
    assert out.startswith("Alliance — Maya Thompson (4 session(s), 2026-10-06 to 2026-11-03)\n\nOpen ruptures: 1\n")
    assert run_report(practice, parser().parse_args(["report", "--as", "Dr. Ines Varga", "--client", "Nobody Here"])) == 1
    assert "I don't have a client by that name. See: alliance clients --as NAME" in capsys.readouterr().err
    bad = parser().parse_args(["report", "--as", "Dr. Ines Varga", "--client", "Maya", "--out", str(tmp_path / "x.docx")])
    assert run_report(practice, bad) == 2 and "Use --out with a file ending in .md" in capsys.readouterr().err


def test_chart_command_writes_one_measure_and_says_what_it_drew(practice, tmp_path, capsys):
    out = tmp_path / "srs.png"
    args = parser().parse_args(["chart", "--as", "Dr. Ines Varga", "--client", "Maya", "--measure", "SRS", "--out", str(out), "--json"])
    assert run_chart(practice, args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["measures"] == ["SRS"] and summary["points"] == 4 and summary["uncertain"] == 1 and summary["marks"] == 3
    assert out.read_bytes().startswith(PNG)
    none = parser().parse_args(["chart", "--as", "Dr. Ines Varga", "--client", "Maya", "--measure", "PHQ-9", "--out", str(out)])
    assert run_chart(practice, none) == 1 and "There are no PHQ-9 scores in Maya Thompson's notes yet" in capsys.readouterr().err


def test_forgetting_a_client_deletes_their_entries(practice):
    from core import roster

    tid = practice.therapist_id(practice.console_sender("Dr. Ines Varga"))
    maya = support.clients(practice, tid)[0]
    with practice.ctx.uow() as uow:
        assert len(uow.alliance.for_client(tid, maya.id)) == 1
        roster.forget(uow, tid, maya.id, "test")
        uow.commit()
    with practice.ctx.uow() as uow:
        assert uow.alliance.for_clients([tid], [maya.id]) == {}
