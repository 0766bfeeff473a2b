"""Scores over time as one PNG, readable on a phone: one panel per measure (its range, the published
severity bands behind it, a point per clean reading, hollow for a score the therapist entered), the
session dates as faint lines, and the alliance signals as marks on the same time axis — ruptures red
(filled while open), repairs green. An uncertain reading is marked "?" at its date, never drawn as a number.

matplotlib's object API with the Agg canvas: no pyplot, no global state, safe in a worker thread."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from core.alliance.timeline import OPEN, REPAIR, RUPTURE, Timeline
from core.notes.scales import scale_named

MAX_PANELS = 5
DPI = 150
WIDTH_IN = 7.2  # 1080 px: a phone screen's width at full resolution
BAND_COLOURS = ("#e8f5e9", "#fffde7", "#fff3e0", "#fbe9e7", "#ffebee", "#fce4ec")
HIGHER_IS_BETTER = ("ORS", "SRS", "WAI-SR")
SIGNAL_STYLE = {  # kind -> (colour, marker)
    RUPTURE: ("#c62828", "v"), REPAIR: ("#2e7d32", "^"), "ambivalence": ("#ef6c00", "D"), "resistance": ("#6a1b9a", "s"),
}


class NothingToChart(ValueError):
    pass


@dataclass(frozen=True)
class Chart:
    png: bytes
    points: int  # clean score readings drawn
    uncertain: int  # readings marked "?" (not drawn as numbers)
    marks: int  # alliance signals marked
    measures: tuple[str, ...]
    width: int
    height: int


def _key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def measures_in(timeline: Timeline, wanted: str | None = None) -> list[str]:
    """Measure names to draw, most readings first; `wanted` ("phq9", "PHQ-9") picks one."""
    counts: dict[str, int] = {}
    for p in timeline.scores:
        if wanted is None or _key(p.name) == _key(wanted) or _key(p.name).startswith(_key(wanted)):
            counts[p.name] = counts.get(p.name, 0) + 1
    return sorted(counts, key=lambda n: (-counts[n], n))[:MAX_PANELS]


def render_chart(timeline: Timeline, title: str, *, measure: str | None = None) -> Chart:
    """The chart as PNG bytes. Raises NothingToChart when there is no score (for `measure`) and no signal."""
    from matplotlib.dates import AutoDateLocator, DateFormatter
    from matplotlib.figure import Figure

    names = measures_in(timeline, measure)
    if measure and not names:
        raise NothingToChart(f"no {measure} scores")
    if not names and not timeline.signals:
        raise NothingToChart("no scores and no alliance signals")
    panels = names or ["Alliance signals"]
    height_in = 1.0 + 2.5 * len(panels)
    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, layout="constrained")
    axes = fig.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
    fig.suptitle(title, fontsize=13, fontweight="bold")
    dates = [p.session_date for p in timeline.scores] + [s.session_date for s in timeline.signals] + list(timeline.sessions)
    start, end = min(dates) - timedelta(days=4), max(dates) + timedelta(days=4)
    points = uncertain = marks = 0
    for ax, name in zip(axes, panels):
        low, high = _range(timeline, name)
        for day in timeline.sessions:
            ax.axvline(day, color="#b0bec5", linewidth=0.6, linestyle=":", zorder=0)
        if name in names:
            _bands(ax, name, low, high)
            points_here, unsure_here = _series(ax, timeline, name, low, high)
            points, uncertain = points + points_here, uncertain + unsure_here
            ax.set_ylabel(name if len(name) <= 14 else name[:13] + "…", fontsize=11)
        else:
            ax.set_yticks([])
        marks = _signals(ax, timeline, low, high, legend=ax is axes[0])
        ax.set_ylim(low, high + (high - low) * 0.12)  # headroom for the signal marks
        ax.set_xlim(start, end)
        ax.tick_params(labelsize=10)
        ax.grid(axis="y", color="#eceff1", linewidth=0.6)
    axes[-1].xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=8))
    axes[-1].xaxis.set_major_formatter(DateFormatter("%d %b\n%Y"))
    buffer = io.BytesIO()
    description = f"points={points}; uncertain={uncertain}; marks={marks}; measures={'|'.join(names)}"
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Description": description, "Software": "alliance"})
    width, height = fig.canvas.get_width_height()
    return Chart(buffer.getvalue(), points, uncertain, marks, tuple(names), int(width), int(height))


def _range(timeline: Timeline, name: str) -> tuple[float, float]:
    scale = scale_named(name)
    if scale is not None:
        return float(scale.low), float(scale.high)
    readings = [p.measure for p in timeline.scores if p.name == name]
    tops = [m.scale_max for m in readings if m.scale_max is not None]
    if tops:
        return min(m.scale_min or 0.0 for m in readings), float(max(tops))
    values = [m.value for m in readings if m.value is not None] or [0.0, 1.0]
    return min(0.0, min(values)), max(values) or 1.0


def _bands(ax, name: str, low: float, high: float) -> None:
    scale = scale_named(name)
    bands = scale.bands if scale else ()
    colours = BAND_COLOURS[:len(bands)]
    if name in HIGHER_IS_BETTER:  # ORS, SRS: the low band is the one to notice
        colours = colours[::-1]
    for (a, b, label), colour in zip(bands, colours):
        ax.axhspan(max(low, a - 0.5), min(high, b + 0.5), color=colour, zorder=0, linewidth=0)
        ax.text(1.0, (a + b) / 2, f" {label}", transform=ax.get_yaxis_transform(), fontsize=8, color="#546e7a",
                va="center", ha="left", clip_on=False)


def _series(ax, timeline: Timeline, name: str, low: float, high: float) -> tuple[int, int]:
    readings = [p for p in timeline.scores if p.name == name]
    clean = [p for p in readings if p.value is not None]
    if clean:
        ax.plot([p.session_date for p in clean], [p.value for p in clean], color="#1565c0", linewidth=1.8, zorder=3)
        for p in clean:
            hollow = p.source == "entered"
            ax.plot(p.session_date, p.value, marker="o", markersize=7, color="#1565c0",
                    markerfacecolor="white" if hollow else "#1565c0", zorder=4, linestyle="none")
            ax.annotate(f"{p.value:g}", (p.session_date, p.value), textcoords="offset points", xytext=(0, 8),
                        ha="center", fontsize=9, color="#0d47a1")
    unsure = [p for p in readings if p.value is None]
    for p in unsure:
        ax.text(p.session_date, low + (high - low) * 0.04, "?", ha="center", fontsize=12, color="#757575", zorder=4)
    return len(clean), len(unsure)


def _signals(ax, timeline: Timeline, low: float, high: float, *, legend: bool) -> int:
    top = high + (high - low) * 0.06
    shown: set[str] = set()
    same_day: dict[date, int] = {}
    for s in timeline.signals:
        # several signals in one session sit side by side, not on top of each other
        k = same_day[s.session_date] = same_day.get(s.session_date, -1) + 1
        x = datetime.combine(s.session_date, time()) + timedelta(hours=36 * k)
        colour, marker = SIGNAL_STYLE.get(s.kind, ("#455a64", "o"))
        if s.kind == RUPTURE:
            ax.axvline(s.session_date, color=colour, linewidth=1.0, linestyle="--", alpha=0.6, zorder=1)
        open_ = s.kind == RUPTURE and s.status == OPEN
        label = ("rupture (open)" if open_ else "rupture (repaired)") if s.kind == RUPTURE else s.kind
        ax.plot(x, top, marker=marker, markersize=9, color=colour, linestyle="none", zorder=5,
                markerfacecolor=colour if open_ or s.kind != RUPTURE else "white",
                label=label if legend and label not in shown else None)
        shown.add(label)
    if legend and shown:
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8, ncol=min(4, len(shown)), frameon=False,
                  borderaxespad=0.2)
    return len(timeline.signals)

