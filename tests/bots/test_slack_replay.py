"""A signed slash command sent twice (a retry, or a replay inside Slack's five-minute signature window) is
handled once: one note, one answer."""
from __future__ import annotations

from urllib.parse import urlencode

from tests.bots.test_slack import ADA, MAYA_NOTE, fake, memo_count, service, settings, workspace  # noqa: F401
from tests.fakes.slack_api import TEAM, dm_for


def command_body(text: str, trigger_id: str | None) -> str:
    form = {"token": "legacy", "team_id": TEAM, "team_domain": "alliance-test", "channel_id": dm_for(ADA),
            "channel_name": "directmessage", "user_id": ADA, "user_name": "therapist", "command": "/alliance",
            "text": text, "api_app_id": "A0ALLIANCE", "response_url": "https://hooks.slack.invalid/commands/1"}
    if trigger_id:
        form["trigger_id"] = trigger_id
    return urlencode(form)


async def test_a_replayed_slash_command_is_handled_once(workspace):
    await workspace.enrol(ADA, "Dr. Ada Byron")
    posted = len(workspace.fake.posts(dm_for(ADA)))
    commands = [(MAYA_NOTE, "1111.2222.abc"), (MAYA_NOTE.replace("anxious", "tired"), None), ("clients", "3333.4444.def")]
    for text, trigger in commands:
        body = command_body(text, trigger)
        for _ in range(3):
            assert (await workspace.send(body, "application/x-www-form-urlencoded")).status == 200
            await workspace.settle()
    assert memo_count(workspace.service) == 2  # two different notes, each once
    assert len(workspace.fake.posts(dm_for(ADA))) - posted == 3  # each command answered once
