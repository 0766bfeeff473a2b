"""/alliance report and /alliance chart in Slack, against the fake Web API: the timeline as a message with
its "Mark repaired" button, then the chart uploaded as an image (files.getUploadURLExternal with alt text,
the PNG bytes, files.completeUploadExternal into the DM)."""
from __future__ import annotations

from tests.bots.report_data import RUPTURE, maya_with_history
from tests.bots.test_slack import (  # noqa: F401 (fixtures)
    ADA,
    fake,
    labels,
    service,
    settings,
    text_of,
    workspace,
)
from tests.fakes.slack_api import dm_for
from tests.fakes.telegram_api import image_size


async def test_report_posts_the_timeline_and_uploads_the_chart_image(workspace, fake):
    await workspace.enrol(ADA, "Dr Ada Example")
    maya_with_history(workspace.service, "Dr Ada Example")
    dm = dm_for(ADA)
    assert (await workspace.command(ADA, "report Maya")).status == 200
    post = workspace.last_post(dm)
    assert f"2026-10-13 rupture — OPEN: \"{RUPTURE}\"" in text_of(post)
    assert labels(post) == ["Mark repaired: rupture 13 Oct"]
    [url] = [c.params for c in fake.calls_to("files.getUploadURLExternal")]
    assert url["filename"] == "maya-thompson-chart.png" and url["alt_txt"]
    [data] = fake.uploads.values()
    assert image_size(data)[0] >= 1000
    [complete] = [c.params for c in fake.calls_to("files.completeUploadExternal")]
    assert complete["channel_id"] == dm and not complete.get("initial_comment")
    await workspace.press(ADA, dm, post["ts"], "Mark repaired: rupture 13 Oct")
    assert text_of(workspace.last_post(dm)) == "Marked the rupture of Tue 13 Oct 2026 repaired."


async def test_chart_command_uploads_one_image(workspace, fake):
    await workspace.enrol(ADA, "Dr Ada Example")
    maya_with_history(workspace.service, "Dr Ada Example")
    await workspace.command(ADA, "chart Maya Thompson")
    assert text_of(workspace.last_post(dm_for(ADA))) == "Maya Thompson: SRS; 3 score(s), 1 alliance mark(s)."
    assert len(fake.uploads) == 1
