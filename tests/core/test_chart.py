"""The scores as a picture: a PNG a phone can show (about 1080 px wide), one panel per measure with its
severity bands, a point per clean reading (the points counted in the PNG's own metadata match the notes),
uncertain readings never drawn as numbers, and the alliance signals marked on the same time axis."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image

from core.alliance.timeline import build_timeline
from core.reports.chart import NothingToChart, render_chart
from core.types import Flag, Measure, NoteDraft

START = date(2026, 9, 1)


def note(week: int, measures=(), alliance=()) -> NoteDraft:
    day = START + timedelta(weeks=week)
    return NoteDraft("Ana Bell", day, "SOAP", (("Subjective", "x"),), "x", note_id=week + 1,
                     measures=tuple(measures), alliance=tuple(Flag(k, e) for k, e in alliance))


def phq(value):
    return Measure("PHQ-9", value, f"PHQ-9 {value}", scale_min=0, scale_max=27)


def srs(value):
    return Measure("SRS", value, f"SRS {value}", scale_min=0, scale_max=40)


NOTES = [
    note(0, [phq(19), srs(37)]),
    note(1, [phq(17), srs(31)], [("rupture", "She felt pushed when I moved to exposure.")]),
    note(2, [Measure("PHQ-9", float("nan"), "PHQ 9-1-7", True, "PHQ 9-1-7", None, 0, 27), srs(36)],
         [("repair", "We talked it through.")]),
    note(3, [phq(12)], [("ambivalence", "Part of her wants to stop.")]),
    note(4, [phq(9), srs(38)]),
]


def picture(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def test_chart_is_a_phone_sized_png_with_every_point_counted():
    chart = render_chart(build_timeline(NOTES), "Ana Bell — scores and alliance")
    image = picture(chart.png)
    assert image.format == "PNG" and image.size == (chart.width, chart.height)
    assert 1000 <= image.width <= 1300 and image.height >= 600  # a phone's width; two panels tall
    assert 20_000 < len(chart.png) < 1_000_000
    assert chart.measures == ("PHQ-9", "SRS")
    assert (chart.points, chart.uncertain, chart.marks) == (8, 1, 3)  # 4 + 4 clean, "PHQ 9-1-7" not drawn as a number
    assert image.info["Description"] == "points=8; uncertain=1; marks=3; measures=PHQ-9|SRS"
    assert "Ana" not in image.info["Description"]  # no client name in the file's metadata


def test_one_measure_and_the_marks_only_chart():
    one = render_chart(build_timeline(NOTES), "t", measure="phq9")
    assert one.measures == ("PHQ-9",) and one.points == 4 and one.height < render_chart(build_timeline(NOTES), "t").height
    marks_only = render_chart(build_timeline([note(0, alliance=[("rupture", "She walked out early.")])]), "t")
    assert marks_only.measures == () and marks_only.points == 0 and marks_only.marks == 1
    assert picture(marks_only.png).format == "PNG"


def test_nothing_to_chart_is_said_not_drawn():
    with pytest.raises(NothingToChart):
        render_chart(build_timeline([note(0)]), "t")
    with pytest.raises(NothingToChart):
        render_chart(build_timeline(NOTES), "t", measure="GAD-7")


def test_a_self_rating_uses_its_own_range():
    rated = [note(0, [Measure("Session rating (feeling heard)", 7, "x", scale_min=0, scale_max=10)]),
             note(1, [Measure("Session rating (feeling heard)", 9, "x", scale_min=0, scale_max=10)])]
    chart = render_chart(build_timeline(rated), "t")
    assert chart.measures == ("Session rating (feeling heard)",) and chart.points == 2
