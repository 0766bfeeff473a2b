"""A client's alliance report: the timeline as text (chat, terminal), Markdown (a file) and JSON
(`timeline`: date, kind, evidence, status; `scores`: date, scale, value). Every line quotes a note's
evidence or an entered score, or is a date, a kind, a status or a number."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from core.alliance.timeline import REPAIRED, RUPTURE, Signal, Timeline, build_timeline
from core.language.client_match import ClientRecord
from core.ports import UnitOfWork

MAX_CHAT_SIGNALS = 20  # a chat shows the latest; the file and JSON have them all


@dataclass(frozen=True)
class ClientReport:
    client: ClientRecord
    today: date
    timeline: Timeline

    @property
    def open_ruptures(self) -> list[Signal]:
        return self.timeline.open_ruptures()


def load(uow: UnitOfWork, therapist_id: int, client: ClientRecord, today: date) -> ClientReport:
    notes = uow.notes.for_client(therapist_id, client.id)
    entries = uow.alliance.for_client(therapist_id, client.id)
    return ClientReport(client, today, build_timeline(notes, entries))


def slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-") or "client"


def _status(s: Signal) -> str:
    if s.kind != RUPTURE:
        return ""
    if s.status == REPAIRED:
        how = "you marked it" if s.repaired_by == "therapist" else "repair in the note"
        return f" — repaired {s.repaired_on.isoformat()} ({how})"
    partly = f", partly repaired {s.partly_on.isoformat()}" if s.partly_on else ""
    return f" — OPEN{partly}"


def signal_line(s: Signal) -> str:
    return f"{s.session_date.isoformat()} {s.kind}{_status(s)}: \"{s.evidence}\""


def _score(p) -> str:
    m = p.measure
    value = f"\"{m.raw}\" (unclear, not counted)" if m.uncertain else f"{m.score:g}"
    return f"{value} ({p.session_date.isoformat()}{', entered' if p.source == 'entered' else ''})"


def score_lines(timeline: Timeline) -> list[str]:
    by_name: dict[str, list] = {}
    for p in timeline.scores:
        by_name.setdefault(p.name, []).append(p)
    lines = []
    for name, points in by_name.items():
        m = points[-1].measure
        span = f" [range {m.scale_min:g}–{m.scale_max:g}]" if m.scale_min is not None and m.scale_max is not None else ""
        lines.append(f"{name}{span}: " + ", ".join(_score(p) for p in points))
    return lines


def text(report: ClientReport, *, limit: int | None = MAX_CHAT_SIGNALS) -> str:
    t = report.timeline
    head = f"Alliance — {report.client.name}"
    if not t.sessions and not t.scores:
        return f"{head}\nNo notes or scores yet."
    if t.sessions:
        head += f" ({len(t.sessions)} session(s), {t.sessions[0].isoformat()} to {t.sessions[-1].isoformat()})"
    lines = [head, ""]
    open_ = report.open_ruptures
    if open_:
        lines.append(f"Open ruptures: {len(open_)}")
        lines += [f"• {signal_line(s)}" for s in open_]
    else:
        lines.append("No open rupture in the notes.")
    signals = list(t.signals)
    lines += ["", "Timeline" + (f" (latest {limit} of {len(signals)})" if limit and len(signals) > limit else "")]
    shown = signals[-limit:] if limit else signals
    lines += [f"• {signal_line(s)}" for s in shown] or ["No alliance signals in the notes."]
    lines += ["", "Scores"] + ([f"• {line}" for line in score_lines(t)] or ["No scores recorded."])
    return "\n".join(lines)


def markdown(report: ClientReport, *, chart_file: str | None = None) -> str:
    t = report.timeline
    lines = [f"# Alliance report — {report.client.name}", "", f"As of {report.today.isoformat()}."]
    if chart_file:
        lines += ["", f"![Scores and alliance signals over time]({chart_file})"]
    open_ = report.open_ruptures
    lines += ["", "## Open ruptures", ""] + ([f"- {signal_line(s)}" for s in open_] or ["None in the notes."])
    lines += ["", "## Timeline", "", "| Date | Kind | Status | Evidence |", "| --- | --- | --- | --- |"]
    for s in t.signals:
        status = _status(s).lstrip(" —") or s.status
        lines.append(f"| {s.session_date.isoformat()} | {s.kind} | {status} | {_cell(s.evidence)} |")
    if not t.signals:
        lines.append("| | | | No alliance signals in the notes. |")
    lines += ["", "## Scores", ""] + ([f"- {line}" for line in score_lines(t)] or ["No scores recorded."])
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_json(report: ClientReport) -> dict[str, Any]:
    return {"client": report.client.name, "as_of": report.today.isoformat(), **report.timeline.to_json(),
            "open_ruptures": len(report.open_ruptures)}

